/**
 * The public API of a module (exported functions, classes and methods per language) with whether each
 * is documented, and which modules are generated or internal by convention. Used by the quality and
 * QA packs.
 */
import type { ParsedLanguage, SyntaxNode } from './syntax';
import type { ParsedFile } from './rule';
import { LANG } from './lang';
import { isGeneratedOrMinified } from './nodes';

/** An exported (public) declaration of a module. */
export interface ExportedDecl {
  name: string;
  kind: 'function' | 'class' | 'method';
  /** The declaration (function, class, method, or the variable declarator of an exported arrow). */
  node: SyntaxNode;
  /** The node a documentation comment would precede (the `export` statement, decorated definition, …). */
  outer: SyntaxNode;
  /** The function-like node with the body, or null for classes. */
  fn: SyntaxNode | null;
  /** The name node (short anchor). */
  nameNode: SyntaxNode;
}

const JS_FN_VALUES = ['arrow_function', 'function_expression', 'function', 'generator_function'];
const JS_CLASS = ['class_declaration', 'abstract_class_declaration', 'class'];
const JS_FN_DECL = ['function_declaration', 'generator_function_declaration'];

function jsTopLevelByName(root: SyntaxNode): Map<string, { node: SyntaxNode; outer: SyntaxNode; fn: SyntaxNode | null; nameNode: SyntaxNode; kind: 'function' | 'class' }> {
  const map = new Map<string, { node: SyntaxNode; outer: SyntaxNode; fn: SyntaxNode | null; nameNode: SyntaxNode; kind: 'function' | 'class' }>();
  for (const st of root.namedChildren) {
    if (!st) continue;
    const decl = st.type === 'export_statement' ? (st.childForFieldName('declaration') ?? st.childForFieldName('value')) : st;
    if (!decl) continue;
    const name = decl.childForFieldName('name');
    if (JS_FN_DECL.includes(decl.type) && name) map.set(name.text, { node: decl, outer: st, fn: decl, nameNode: name, kind: 'function' });
    else if (JS_CLASS.includes(decl.type) && name) map.set(name.text, { node: decl, outer: st, fn: null, nameNode: name, kind: 'class' });
    else if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        if (d?.type !== 'variable_declarator') continue;
        const v = d.childForFieldName('value');
        const nm = d.childForFieldName('name');
        if (!v || nm?.type !== 'identifier') continue;
        if (JS_FN_VALUES.includes(v.type)) map.set(nm.text, { node: d, outer: st, fn: v, nameNode: nm, kind: 'function' });
        else if (JS_CLASS.includes(v.type)) map.set(nm.text, { node: d, outer: st, fn: null, nameNode: nm, kind: 'class' });
      }
    }
  }
  return map;
}

function jsExports(root: SyntaxNode): ExportedDecl[] {
  const out: ExportedDecl[] = [];
  const seen = new Set<string>();
  const local = jsTopLevelByName(root);
  const add = (name: string, d: Omit<ExportedDecl, 'name'>) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, ...d });
  };
  for (const st of root.namedChildren) {
    if (!st) continue;
    if (st.type === 'export_statement') {
      const decl = st.childForFieldName('declaration') ?? st.childForFieldName('value');
      if (decl) {
        const name = decl.childForFieldName('name');
        if ((JS_FN_DECL.includes(decl.type) || JS_FN_VALUES.includes(decl.type)) && decl.childForFieldName('body')) add(name?.text ?? 'default', { kind: 'function', node: decl, outer: st, fn: decl, nameNode: name ?? decl });
        else if (JS_CLASS.includes(decl.type)) add(name?.text ?? 'default', { kind: 'class', node: decl, outer: st, fn: null, nameNode: name ?? decl });
        else if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
          for (const d of decl.namedChildren) {
            const v = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
            const nm = d?.childForFieldName('name');
            if (!d || !v || nm?.type !== 'identifier') continue;
            if (JS_FN_VALUES.includes(v.type)) add(nm.text, { kind: 'function', node: d, outer: st, fn: v, nameNode: nm });
            else if (JS_CLASS.includes(v.type)) add(nm.text, { kind: 'class', node: d, outer: st, fn: null, nameNode: nm });
          }
        } else if (decl.type === 'identifier') {
          const l = local.get(decl.text);
          if (l) add(decl.text, l);
        }
      } else if (!st.childForFieldName('source')) {
        // `export { a, b as c }` of local declarations.
        for (const spec of st.descendantsOfType('export_specifier')) {
          const nm = spec?.childForFieldName('name');
          const l = nm ? local.get(nm.text) : undefined;
          if (nm && l) add(nm.text, l);
        }
      }
      continue;
    }
    // CommonJS: `module.exports = …`, `exports.x = …`, `module.exports.x = …`.
    if (st.type !== 'expression_statement') continue;
    const asg = st.namedChildren[0];
    if (asg?.type !== 'assignment_expression') continue;
    const left = asg.childForFieldName('left')?.text ?? '';
    const right = asg.childForFieldName('right');
    if (!right) continue;
    const m = /^(?:module\.)?exports(?:\.([\w$]+))?$/.exec(left);
    if (!m || (!m[1] && !left.startsWith('module.'))) continue;
    const name = m[1] ?? 'default';
    if (JS_FN_VALUES.includes(right.type)) add(name, { kind: 'function', node: right, outer: st, fn: right, nameNode: asg.childForFieldName('left')! });
    else if (JS_CLASS.includes(right.type)) add(name, { kind: 'class', node: right, outer: st, fn: null, nameNode: asg.childForFieldName('left')! });
    else if (right.type === 'identifier') {
      const l = local.get(right.text);
      if (l) add(name === 'default' ? right.text : name, l);
    } else if (right.type === 'object' && !m[1]) {
      for (const p of right.namedChildren) {
        const ref = p?.type === 'shorthand_property_identifier' ? p : p?.type === 'pair' ? p.childForFieldName('value') : null;
        const l = ref?.type === 'identifier' || ref?.type === 'shorthand_property_identifier' ? local.get(ref.text) : undefined;
        if (ref && l) add(ref.text, l);
      }
    }
  }
  return out;
}

function pythonAll(root: SyntaxNode): Set<string> | undefined {
  for (const st of root.namedChildren) {
    const a = st?.type === 'expression_statement' ? st.namedChildren[0] : null;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== '__all__') continue;
    const list = a.childForFieldName('right');
    if (!list || (list.type !== 'list' && list.type !== 'tuple')) return undefined;
    return new Set(list.namedChildren.filter((c) => c?.type === 'string').map((c) => c!.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '')));
  }
  return undefined;
}

function pythonExports(root: SyntaxNode): ExportedDecl[] {
  const all = pythonAll(root);
  const out: ExportedDecl[] = [];
  for (const st of root.namedChildren) {
    if (!st) continue;
    const decl = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (!decl || (decl.type !== 'function_definition' && decl.type !== 'class_definition')) continue;
    const name = decl.childForFieldName('name');
    if (!name) continue;
    if (all ? !all.has(name.text) : name.text.startsWith('_')) continue;
    const isFn = decl.type === 'function_definition';
    out.push({ name: name.text, kind: isFn ? 'function' : 'class', node: decl, outer: st, fn: isFn ? decl : null, nameNode: name });
  }
  return out;
}

const isUpper = (s: string) => /^[A-Z]/.test(s);

function goExports(root: SyntaxNode): ExportedDecl[] {
  const out: ExportedDecl[] = [];
  if (root.namedChildren.find((c) => c?.type === 'package_clause')?.namedChildren[0]?.text === 'main') return out;
  for (const st of root.namedChildren) {
    if (!st) continue;
    const name = st.childForFieldName('name');
    if (st.type === 'method_declaration') {
      // A method is public API only when its receiver type is exported too.
      const recv = st.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0];
      if (!recv || !isUpper(recv.text)) continue;
    }
    if ((st.type === 'function_declaration' || st.type === 'method_declaration') && name && isUpper(name.text) && st.childForFieldName('body')) {
      out.push({ name: name.text, kind: st.type === 'function_declaration' ? 'function' : 'method', node: st, outer: st, fn: st, nameNode: name });
    } else if (st.type === 'type_declaration') {
      for (const spec of st.namedChildren) {
        const nm = spec?.type === 'type_spec' ? spec.childForFieldName('name') : null;
        if (spec && nm && isUpper(nm.text) && spec.childForFieldName('type')?.type === 'struct_type') out.push({ name: nm.text, kind: 'class', node: spec, outer: st, fn: null, nameNode: nm });
      }
    }
  }
  return out;
}

function hasModifier(n: SyntaxNode, word: string): boolean {
  const mods = n.namedChildren.find((c) => c?.type === 'modifiers');
  return !!mods && mods.children.some((c) => c?.text === word);
}

function javaExports(root: SyntaxNode): ExportedDecl[] {
  const out: ExportedDecl[] = [];
  for (const cls of root.namedChildren) {
    if (!cls || (cls.type !== 'class_declaration' && cls.type !== 'enum_declaration' && cls.type !== 'record_declaration') || !hasModifier(cls, 'public')) continue;
    const cname = cls.childForFieldName('name');
    if (!cname) continue;
    out.push({ name: cname.text, kind: 'class', node: cls, outer: cls, fn: null, nameNode: cname });
    const body = cls.childForFieldName('body');
    for (const m of body?.namedChildren ?? []) {
      if (m?.type !== 'method_declaration' || !hasModifier(m, 'public') || !m.childForFieldName('body')) continue;
      const mods = m.namedChildren.find((c) => c?.type === 'modifiers');
      if (mods?.text.includes('@Override')) continue;
      const nm = m.childForFieldName('name');
      if (nm) out.push({ name: nm.text, kind: 'method', node: m, outer: m, fn: m, nameNode: nm });
    }
  }
  return out;
}

/**
 * The public API of a module: JS/TS `export`ed functions and classes (also `export { f }` and CommonJS
 * `module.exports`/`exports.x` of local functions); Python top-level defs and classes not starting
 * with `_` (or the names in `__all__`); Go exported functions, methods and struct types (none for
 * `package main`); Java public classes and their public non-`@Override` methods.
 */
export function exportedDeclarations(file: ParsedFile): ExportedDecl[] {
  switch (file.language) {
    case 'python':
      return pythonExports(file.root);
    case 'go':
      return goExports(file.root);
    case 'java':
      return javaExports(file.root);
    default:
      return jsExports(file.root);
  }
}

/** A license or copyright header: the file's, not the next declaration's documentation. */
const LICENSE = /\b(copyright|licen[cs]ed?|SPDX-License-Identifier)\b/i;

/**
 * True when a comment sits above `node` and documents it: right above it (no blank line) any comment
 * counts; a doc comment (JSDoc/TSDoc/Javadoc `/** … *\/`) counts across blank lines too, unless it is a
 * license header. Go requires adjacency (go/doc ignores a comment separated by a blank line).
 * Decorators and annotations between the comment and the node are skipped.
 */
function commentAbove(node: SyntaxNode, lang: ParsedLanguage): boolean {
  const comments = LANG[lang].comment;
  let prev = node.previousSibling;
  while (prev && prev.type === 'decorator') prev = prev.previousSibling;
  if (!prev || !comments.includes(prev.type)) return false;
  if (node.startPosition.row - prev.endPosition.row <= 1) return true;
  return lang !== 'go' && lang !== 'python' && prev.text.startsWith('/**') && !LICENSE.test(prev.text);
}

/** True when a Python function or class body starts with a docstring. */
function hasDocstring(def: SyntaxNode | null | undefined): boolean {
  const first = def?.childForFieldName('body')?.namedChildren.find((c) => c?.type !== 'comment');
  return first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string';
}

/** The Python definition inside a statement (`@decorator def f` → `def f`). */
function pyDefinition(st: SyntaxNode): SyntaxNode | null {
  return st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
}

/**
 * True when an overload of the same function above the implementation is documented: TypeScript
 * overload signatures (`function f(a: string): X;` — the implementation's own signature is hidden from
 * callers, so TSDoc goes on the overloads), and Python `@typing.overload` stubs.
 */
function documentedOverload(decl: ExportedDecl, lang: ParsedLanguage): boolean {
  const comments = LANG[lang].comment;
  for (let prev = decl.outer.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
    if (comments.includes(prev.type)) continue;
    if (lang === 'python') {
      const def = pyDefinition(prev);
      const isOverload = prev.type === 'decorated_definition' && prev.namedChildren.some((d) => d?.type === 'decorator' && /^@(typing\.)?overload\b/.test(d.text));
      if (!isOverload || def?.childForFieldName('name')?.text !== decl.name) return false;
      if (hasDocstring(def) || commentAbove(prev, lang)) return true;
      continue;
    }
    const sig = prev.type === 'export_statement' ? prev.childForFieldName('declaration') : prev;
    if (sig?.type !== 'function_signature' || sig.childForFieldName('name')?.text !== decl.name) return false;
    if (commentAbove(prev, lang)) return true;
  }
  return false;
}

/**
 * True when `decl` carries documentation: a doc comment above its `outer` node ({@link commentAbove}: any
 * comment right above it, or a `/** … *\/` doc comment across blank lines), a Python docstring, a Java
 * comment inside the declaration before its modifiers, or a documented overload ({@link documentedOverload}).
 */
export function isDocumented(decl: ExportedDecl, lang: ParsedLanguage): boolean {
  if (lang === 'python' && hasDocstring(decl.node)) return true;
  if (commentAbove(decl.outer, lang)) return true;
  // Java: the comment may sit inside the declaration, before its modifiers.
  const firstChild = decl.outer.namedChildren[0];
  if (firstChild && LANG[lang].comment.includes(firstChild.type)) return true;
  return (decl.kind === 'function' || decl.kind === 'method') && documentedOverload(decl, lang);
}

/**
 * True for build output and generated code, which is documented and reviewed in its source: generated
 * or minified files ({@link isGeneratedOrMinified}), and compiler output: a `//# sourceMappingURL=`
 * comment at the end, or the CommonJS `__esModule` marker that TypeScript and Babel emit.
 */
export function isGenerated(file: ParsedFile): boolean {
  if (isGeneratedOrMinified(file)) return true;
  const top = file.root.namedChildren;
  const comments = LANG[file.language].comment;
  const last = top[top.length - 1];
  if (last && comments.includes(last.type) && last.text.startsWith('//# sourceMappingURL=')) return true;
  return top.slice(0, 6).some((n) => n?.type === 'expression_statement' && /^Object\.defineProperty\(exports,\s*["']__esModule["']|^exports\.__esModule\s*=/.test(n.text));
}

/**
 * True for modules that are not public API by convention: under an `internal/` or `_internal/`
 * directory (enforced by the Go toolchain for `internal`), or Python modules and packages whose name
 * starts with `_` (PEP 8: "_single_leading_underscore: weak internal use").
 */
export function isInternalModule(path: string, language: string): boolean {
  const segs = path.split('/');
  if (segs.some((s) => s === 'internal' || s === '_internal')) return true;
  if (language === 'python') return segs.some((s) => s.startsWith('_') && s !== '__init__.py' && s !== '__main__.py');
  return false;
}
