/**
 * The module graph of the reviewed files: import extraction (JS/TS, Python, Go, Java) with whether an
 * import is a run-time dependency, and resolution of import specifiers to reviewed files. Paths are
 * workspace-relative with forward slashes, as in `SourceFile.path`.
 */
import { ancestor, type ParsedLanguage, type SyntaxNode, walk } from './syntax';
import { LANG } from './lang';
import type { ParsedFile } from './rule';
import type { SourceFile } from '../types';

/** One import of a module, as written in the source. */
export interface ImportRef {
  /**
   * The module specifier as written: `./x`, `../y.js` or `lodash` (JS/TS); `.y`, `..pkg.mod` or
   * `pkg.mod` (Python; leading dots give the relative level); the import path (Go); the dotted name
   * (Java, without `static`, with `.*` for wildcards).
   */
  specifier: string;
  /** Python `from X import a, b`: the imported names (they may be submodules). Empty otherwise. */
  names: string[];
  /** The import statement, `require`/`import()` call or Go import spec: the anchor for findings. */
  node: SyntaxNode;
  /**
   * No run-time dependency: TS `import type`, `export type … from`, all-`type` specifiers or bindings used
   * only as types (elided by the compiler), Python `if TYPE_CHECKING:`, Java imports named only in Javadoc.
   */
  typeOnly: boolean;
  /** Loaded lazily: `require`/`import()`/Python `import` inside a function body. */
  deferred: boolean;
  /** A JS/TS re-export (`export … from`). */
  reexport: boolean;
}

/** The first string content of a JS string literal node (no interpolation), or undefined. */
function jsStringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.text.slice(1, -1);
  if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) return node.text.slice(1, -1);
  return undefined;
}

function hasAnonChild(node: SyntaxNode, text: string): boolean {
  return node.children.some((c) => c !== null && !c.isNamed && c.type === text);
}

const TYPE_CONTEXTS = new Set(['type_annotation', 'type_alias_declaration', 'interface_declaration', 'implements_clause', 'type_arguments', 'nested_type_identifier', 'type_query', 'type_parameters', 'ambient_declaration']);
const valueIdentifiers = new WeakMap<SyntaxNode, Set<string>>();

/**
 * TypeScript drops an import whose bindings are used only in type positions (the compiler's import
 * elision), so it is no run-time dependency. Type positions use `type_identifier` nodes in the grammar;
 * any plain `identifier` with a binding's name outside import statements counts as a value use.
 */
function onlyUsedAsTypes(imp: SyntaxNode, root: SyntaxNode): boolean {
  const clause = imp.namedChildren.find((c) => c?.type === 'import_clause');
  if (!clause) return false; // side-effect import
  const bindings: string[] = [];
  walk(clause, (c) => {
    if (c.type === 'import_specifier') {
      bindings.push((c.childForFieldName('alias') ?? c.childForFieldName('name'))?.text ?? '');
      return false;
    }
    if (c.type === 'identifier') bindings.push(c.text);
    return true;
  });
  let used = valueIdentifiers.get(root);
  if (!used) {
    const set = new Set<string>();
    walk(root, (c) => {
      if (c.type === 'import_statement' || TYPE_CONTEXTS.has(c.type)) return false;
      if ((c.type === 'export_specifier' || c.type === 'export_statement') && hasAnonChild(c, 'type')) return false;
      if (c.type === 'identifier' || c.type === 'shorthand_property_identifier') set.add(c.text);
      return true;
    });
    used = set;
    valueIdentifiers.set(root, used);
  }
  const u = used;
  return bindings.length > 0 && bindings.every((b) => !u.has(b));
}

function jsImports(root: SyntaxNode, lang: ParsedLanguage): ImportRef[] {
  const out: ImportRef[] = [];
  walk(root, (n) => {
    if (n.type === 'import_statement' || (n.type === 'export_statement' && n.childForFieldName('source'))) {
      const spec = jsStringValue(n.childForFieldName('source'));
      if (spec === undefined) return false;
      let typeOnly = hasAnonChild(n, 'type');
      if (!typeOnly && n.type === 'import_statement') {
        const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
        const named = clause?.namedChildren.find((c) => c?.type === 'named_imports');
        // `import { type A, type B } from` with nothing else is erased too.
        if (clause && named && clause.namedChildCount === 1) {
          const specs = named.namedChildren.filter((c): c is SyntaxNode => c?.type === 'import_specifier');
          typeOnly = specs.length > 0 && specs.every((s) => hasAnonChild(s, 'type'));
        }
      } else if (!typeOnly) {
        // `export { type A, type B } from` is erased as well.
        const specs = n.descendantsOfType('export_specifier').filter((c): c is SyntaxNode => c !== null);
        typeOnly = specs.length > 0 && specs.every((s) => hasAnonChild(s, 'type'));
      }
      if (!typeOnly && n.type === 'import_statement' && (lang === 'typescript' || lang === 'tsx')) typeOnly = onlyUsedAsTypes(n, root);
      out.push({ specifier: spec, names: [], node: n, typeOnly, deferred: false, reexport: n.type === 'export_statement' });
      return false;
    }
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      if (fn && (fn.type === 'import' || (fn.type === 'identifier' && fn.text === 'require'))) {
        const args = n.childForFieldName('arguments');
        const spec = jsStringValue(args?.namedChildren[0]);
        if (spec !== undefined && args?.namedChildCount === 1) {
          // `import('./x').T` in a type annotation, alias or `typeof import('./x')` is a type, erased at run time.
          const typeOnly = fn.type === 'import' && ancestor(n, [...TYPE_CONTEXTS, 'type_alias_declaration']) !== null;
          out.push({ specifier: spec, names: [], node: n, typeOnly, deferred: ancestor(n, LANG[lang].func) !== null, reexport: false });
        }
      }
    }
    return true;
  });
  return out;
}

/**
 * True inside the body of `if TYPE_CHECKING:` (also `typing.TYPE_CHECKING`, `t.TYPE_CHECKING` for an aliased
 * `typing`, and `TYPE_CHECKING and …`), which only type checkers execute (PEP 484, "Runtime or type checking?").
 * The `else:` branch runs, so imports there are run-time dependencies.
 */
function isTypeCheckingBlock(n: SyntaxNode): boolean {
  for (let c: SyntaxNode = n, p = n.parent; p; c = p, p = p.parent) {
    if (p.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== c.id) continue;
    const cond = (p.childForFieldName('condition')?.text ?? '').replace(/\s+/g, ' ');
    if (/^(\w+\.)?TYPE_CHECKING( and\b.*)?$/.test(cond)) return true;
  }
  return false;
}

/** True inside `if __name__ == "__main__":`, which runs only when the file is executed as a script. */
function inMainGuard(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const cond = (p.childForFieldName('condition')?.text ?? '').replace(/\s+/g, '').replace(/'/g, '"');
    if (cond === '__name__=="__main__"' || cond === '"__main__"==__name__') return true;
  }
  return false;
}

function pythonImports(root: SyntaxNode): ImportRef[] {
  const out: ImportRef[] = [];
  walk(root, (n) => {
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      const deferred = ancestor(n, ['function_definition', 'lambda']) !== null || inMainGuard(n);
      const typeOnly = isTypeCheckingBlock(n);
      if (n.type === 'import_statement') {
        for (const c of n.namedChildren) {
          const dotted = c?.type === 'aliased_import' ? c.childForFieldName('name') : c;
          if (dotted?.type === 'dotted_name') out.push({ specifier: dotted.text, names: [], node: n, typeOnly, deferred, reexport: false });
        }
      } else {
        const mod = n.childForFieldName('module_name');
        if (!mod) return false;
        const names: string[] = [];
        for (const c of n.childrenForFieldName('name')) {
          const d = c?.type === 'aliased_import' ? c.childForFieldName('name') : c;
          if (d) names.push(d.text);
        }
        out.push({ specifier: mod.text.replace(/\s+/g, ''), names, node: n, typeOnly, deferred, reexport: false });
      }
      return false;
    }
    return true;
  });
  return out;
}

function goImports(root: SyntaxNode): ImportRef[] {
  return root.descendantsOfType('import_spec').flatMap((s) => {
    const p = s?.childForFieldName('path');
    if (!s || !p) return [];
    return [{ specifier: p.text.slice(1, -1), names: [], node: s, typeOnly: false, deferred: false, reexport: false }];
  });
}

function javaImports(root: SyntaxNode): ImportRef[] {
  // Names used in code; an import named only in Javadoc (`{@link Gson}`) is no code dependency.
  const used = new Set<string>();
  walk(root, (c) => {
    if (c.type === 'import_declaration' || c.type === 'package_declaration' || c.type === 'line_comment' || c.type === 'block_comment') return false;
    if (c.type === 'identifier' || c.type === 'type_identifier') used.add(c.text);
    return true;
  });
  // A class named by its full name in code (`new org.jsoup.nodes.PseudoTextElement(…)`) is a dependency without an import.
  const qualified: ImportRef[] = [];
  const seen = new Set<string>();
  walk(root, (c) => {
    if (c.type === 'import_declaration' || c.type === 'package_declaration' || c.type === 'line_comment' || c.type === 'block_comment') return false;
    if (c.type !== 'scoped_type_identifier') return true;
    const name = c.text.replace(/\s+/g, '');
    if (/^[a-z_][\w]*(\.[a-z_][\w]*)+\.[A-Z]\w*$/.test(name) && !seen.has(name)) {
      seen.add(name);
      qualified.push({ specifier: name, names: [], node: c, typeOnly: false, deferred: false, reexport: false });
    }
    return false;
  });
  return [...root.namedChildren.flatMap((n): ImportRef[] => {
    if (n?.type !== 'import_declaration') return [];
    const name = n.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
    if (!name) return [];
    const wildcard = n.namedChildren.some((c) => c?.type === 'asterisk');
    const simple = name.text.slice(name.text.lastIndexOf('.') + 1);
    return [{ specifier: wildcard ? `${name.text}.*` : name.text, names: [], node: n, typeOnly: !wildcard && !used.has(simple), deferred: false, reexport: false }];
  }), ...qualified];
}

/** Every import of `file`, in document order. Pure; never throws on odd syntax (unparseable parts are skipped). */
export function importsOf(file: ParsedFile): ImportRef[] {
  switch (file.language) {
    case 'python':
      return pythonImports(file.root);
    case 'go':
      return goImports(file.root);
    case 'java':
      return javaImports(file.root);
    default:
      return jsImports(file.root, file.language);
  }
}

/** Names a Python module binds at top level (defs, classes, assignments, imports; `*` for a star import). */
export function pythonTopLevelNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  walk(root, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      const nm = n.childForFieldName('name');
      if (nm) names.add(nm.text);
      return false;
    }
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      if (n.namedChildren.some((c) => c?.type === 'wildcard_import')) names.add('*');
      // `from . import sub` binds a submodule, not code of this module.
      if (n.type === 'import_from_statement' && /^\.+$/.test(n.childForFieldName('module_name')?.text ?? '')) return false;
      for (const c of n.type === 'import_from_statement' ? n.childrenForFieldName('name') : n.namedChildren) {
        if (!c) continue;
        const alias = c.type === 'aliased_import' ? c.childForFieldName('alias') : null;
        names.add((alias ?? (c.type === 'aliased_import' ? c.childForFieldName('name') : c))?.text.split('.')[0] ?? '');
      }
      return false;
    }
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
      else left?.descendantsOfType('identifier').forEach((i) => i && names.add(i.text));
      return false;
    }
    return !['lambda', 'call'].includes(n.type);
  });
  return names;
}

/** `a/b/c.ts` → `a/b` ('' at the root). */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** `a/b/c.test.ts` → `c.test.ts`. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

function commonPrefixLength(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

const JS_EXTS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
// Compiled-extension specifiers that name a TypeScript source (`./x.js` for `x.ts` under NodeNext).
const JS_EXT_SWAP: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * Resolves imports to reviewed files. A module is identified by a key: the file path for JS/TS,
 * Python and Java, and the package directory for Go (`dir/` — Go imports whole packages).
 */
export class ModuleResolver {
  private readonly paths: Set<string>;
  private readonly byBase = new Map<string, string[]>();
  private readonly goDirs = new Set<string>();
  private readonly goModule: { dir: string; path: string } | undefined;

  private readonly pyNames = new Map<string, Set<string>>();

  /**
   * `files` are the reviewed files (`ProjectIndex.files`); `go.mod` among them gives the Go module path.
   * `parsed` (optional) lets Python `from pkg import x` tell names bound in `pkg/__init__.py` from submodules.
   */
  constructor(files: readonly SourceFile[], parsed: readonly ParsedFile[] = []) {
    this.paths = new Set(files.map((f) => f.path));
    for (const p of parsed) if (p.language === 'python' && p.file.path.endsWith('__init__.py')) this.pyNames.set(p.file.path, pythonTopLevelNames(p.root));
    for (const p of this.paths) {
      const b = basename(p);
      const list = this.byBase.get(b) ?? [];
      list.push(p);
      this.byBase.set(b, list);
      if (p.endsWith('.go') && !p.endsWith('_test.go')) this.goDirs.add(dirname(p));
    }
    const gomod = files.find((f) => basename(f.path) === 'go.mod');
    const m = gomod ? /^\s*module\s+(\S+)/m.exec(gomod.text) : null;
    this.goModule = gomod && m?.[1] ? { dir: dirname(gomod.path), path: m[1] } : undefined;
  }

  /** The module key of a reviewed file (its path; its directory plus `/` for Go). */
  keyOf(file: { path: string; language: string }): string {
    return file.language === 'go' ? `${dirname(file.path)}/` : file.path;
  }

  /** True when a reviewed file has this exact path. */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** Module keys among the reviewed files that `ref` (an import in `from`) loads; empty for external modules. */
  resolve(from: { path: string; language: string }, ref: Pick<ImportRef, 'specifier' | 'names'>): string[] {
    switch (from.language) {
      case 'python':
        return this.resolvePython(from.path, ref);
      case 'go': {
        const dir = this.resolveGo(ref.specifier);
        return dir === undefined ? [] : [`${dir}/`];
      }
      case 'java':
        return this.resolveJava(ref.specifier);
      default: {
        const r = this.resolveJs(from.path, ref.specifier);
        return r ? [r] : [];
      }
    }
  }

  private resolveJs(from: string, spec: string): string | undefined {
    if (!spec.startsWith('./') && !spec.startsWith('../') && spec !== '.' && spec !== '..') return undefined;
    const base = joinPath(dirname(from), spec.split('?')[0]!);
    if (base === undefined) return undefined;
    const cands = [base];
    const ext = JS_EXTS.find((e) => base.endsWith(e));
    if (ext) for (const swap of JS_EXT_SWAP[ext] ?? []) cands.push(base.slice(0, -ext.length) + swap);
    for (const e of JS_EXTS) cands.push(base + e);
    for (const e of JS_EXTS) cands.push(`${base}/index${e}`);
    return cands.find((c) => c !== from && this.paths.has(c));
  }

  private pyModule(dotted: string): string[] {
    const rel = dotted.split('.').join('/');
    return [`${rel}.py`, `${rel}/__init__.py`];
  }

  /** A Python module path relative to a package directory, or by absolute dotted name. */
  private findPy(dir: string | undefined, dotted: string, importer: string): string | undefined {
    if (dir !== undefined) {
      const rel = dotted ? dotted.split('.').join('/') : '';
      const base = rel ? (dir ? `${dir}/${rel}` : rel) : dir;
      for (const c of rel ? [`${base}.py`, `${base}/__init__.py`] : [`${base ? `${base}/` : ''}__init__.py`]) if (this.paths.has(c)) return c;
      return undefined;
    }
    const single = !dotted.includes('.');
    let best: string | undefined;
    let bestScore = -1;
    let tie = false;
    for (const cand of this.pyModule(dotted)) {
      for (const p of this.byBase.get(basename(cand)) ?? []) {
        if (p !== cand && !p.endsWith(`/${cand}`)) continue;
        const root = p.slice(0, p.length - cand.length).replace(/\/$/, '');
        // A top-level name resolves only at a source root or beside the importer (script style);
        // elsewhere it would be a standard-library or installed module of the same name.
        const beside = root === dirname(importer) && !this.paths.has(root ? `${root}/__init__.py` : '__init__.py');
        if (single && root !== '' && root !== 'src' && root !== 'lib' && !beside) continue;
        const score = commonPrefixLength(p, importer);
        if (score > bestScore) {
          best = p;
          bestScore = score;
          tie = false;
        } else if (score === bestScore && p !== best) tie = true;
      }
    }
    return tie ? undefined : best;
  }

  private resolvePython(from: string, ref: Pick<ImportRef, 'specifier' | 'names'>): string[] {
    const spec = ref.specifier;
    const dots = /^\.*/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(dots);
    let dir: string | undefined;
    if (dots > 0) {
      dir = dirname(from);
      for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === '' ? undefined : dirname(dir);
      if (dir === undefined) return [];
    }
    const out = new Set<string>();
    // `from pkg import sub` loads the submodule `pkg/sub.py` when it exists.
    for (const name of ref.names) {
      const sub = this.findPy(dir, rest ? `${rest}.${name}` : name, from);
      if (sub) out.add(sub);
    }
    if (out.size === 0 && (rest || dir !== undefined)) {
      const mod = this.findPy(dir, rest, from);
      // `from pkg import x` where `x` is neither a reviewed submodule nor bound in `pkg/__init__.py` is
      // a compiled or unreviewed submodule: it does not depend on the package's own code.
      const binds = mod && mod.endsWith('__init__.py') && ref.names.length > 0 ? this.pyNames.get(mod) : undefined;
      if (mod && (!binds || binds.has('*') || ref.names.some((n) => n === '*' || binds.has(n)))) out.add(mod);
    }
    out.delete(from);
    return [...out];
  }

  private resolveGo(importPath: string): string | undefined {
    if (this.goModule) {
      const { path, dir } = this.goModule;
      if (importPath !== path && !importPath.startsWith(`${path}/`)) return undefined;
      const rel = importPath.slice(path.length + 1);
      const target = dir && rel ? `${dir}/${rel}` : dir || rel;
      return this.goDirs.has(target) ? target : undefined;
    }
    let best: string | undefined;
    for (const d of this.goDirs) {
      if (d && (importPath === d || importPath.endsWith(`/${d}`)) && (!best || d.length > best.length)) best = d;
    }
    return best;
  }

  private resolveJava(name: string): string[] {
    if (name.endsWith('.*')) return [];
    const parts = name.split('.');
    // `a.b.C`, `a.b.C.Inner` or a static member `a.b.C.member`: try the longest prefix that is a file.
    for (let n = parts.length; n >= 2; n--) {
      const rel = `${parts.slice(0, n).join('/')}.java`;
      const hits = (this.byBase.get(basename(rel)) ?? []).filter((p) => p === rel || p.endsWith(`/${rel}`));
      if (hits.length === 1) return hits;
      if (hits.length > 1) return [];
    }
    return [];
  }
}
