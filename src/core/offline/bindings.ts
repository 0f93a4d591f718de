/**
 * What a name stands for: module bindings (which local name stands for which imported module), the
 * resolved callee of a call, and local definitions (the values assigned to a name in the same or an
 * enclosing function). Shared by every rule that judges a call by its name.
 */
import { type ParsedLanguage, type SyntaxNode, walk } from './syntax';
import type { ParsedFile } from './rule';
import { callArguments, calleeName, isJs, LANG } from './lang';
import { compactText, eachOfType, stringValue } from './nodes';

const bindingCache = new WeakMap<SyntaxNode, Map<string, string>>();

/**
 * True when `file` loads a module (or module member) whose canonical dotted path (see {@link moduleBindings})
 * matches `pattern`, e.g. `/^express-session(\.|$)/`.
 */
export function loadsModule(file: ParsedFile, pattern: RegExp): boolean {
  for (const m of moduleBindings(file).values()) if (pattern.test(m)) return true;
  return false;
}

/**
 * Local names bound to imported modules or module members in a file, mapped to a canonical dotted
 * path: JS `const cp = require('node:child_process')` → `cp` ↦ `child_process`, `import { exec } from
 * 'child_process'` → `exec` ↦ `child_process.exec`, `const run = util.promisify(exec)` → `run` ↦
 * `child_process.exec`; Python `import subprocess as sp` → `sp` ↦ `subprocess`, `from os import system`
 * → `system` ↦ `os.system`; Go `import r "math/rand"` → `r` ↦ `math/rand` (and `rand` ↦ `math/rand`
 * without an alias). The `node:` prefix is dropped. Java has no module bindings (empty map).
 */
export function moduleBindings(file: ParsedFile): Map<string, string> {
  const cached = bindingCache.get(file.root);
  if (cached) return cached;
  const bound = new Map<string, string>();
  const conflicts = new Set<string>();
  const map = {
    set(k: string, v: string) {
      const old = bound.get(k);
      if (old !== undefined && old !== v) conflicts.add(k);
      bound.set(k, v);
    },
    get: (k: string) => bound.get(k),
    delete: (k: string) => bound.delete(k),
  };
  const lang = file.language;
  const norm = (m: string) => m.replace(/^node:/, '');
  if (isJs(lang)) {
    eachOfType(file.root, ['import_statement', 'variable_declarator'], (n) => {
      if (n.type === 'import_statement') {
        const src = stringValue(n.childForFieldName('source'), lang);
        if (src === undefined) return false;
        const mod = norm(src);
        const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
        for (const c of clause?.namedChildren ?? []) {
          if (!c) continue;
          if (c.type === 'identifier') map.set(c.text, mod);
          else if (c.type === 'namespace_import') {
            const id = c.namedChildren.find((x) => x?.type === 'identifier');
            if (id) map.set(id.text, mod);
          } else if (c.type === 'named_imports') {
            for (const spec of c.namedChildren) {
              if (spec?.type !== 'import_specifier') continue;
              const name = spec.childForFieldName('name')?.text;
              const alias = spec.childForFieldName('alias')?.text ?? name;
              if (name && alias) map.set(alias, `${mod}.${name}`);
            }
          }
        }
        return false;
      }
      if (n.type === 'variable_declarator') {
        const value = unwrapAwait(n.childForFieldName('value'));
        const name = n.childForFieldName('name');
        if (!value || !name) return true;
        const target = requireTarget(value, lang) ?? promisifyTarget(value, bound);
        if (target === undefined) return true;
        if (name.type === 'identifier') map.set(name.text, target);
        else if (name.type === 'object_pattern') {
          for (const p of name.namedChildren) {
            if (p?.type === 'shorthand_property_identifier_pattern') map.set(p.text, `${target}.${p.text}`);
            else if (p?.type === 'pair_pattern') {
              const key = p.childForFieldName('key')?.text;
              const val = p.childForFieldName('value');
              if (key && val?.type === 'identifier') map.set(val.text, `${target}.${key}`);
            }
          }
        }
      }
      return true;
    });
  } else if (lang === 'python') {
    eachOfType(file.root, ['import_statement', 'import_from_statement'], (n) => {
      if (n.type === 'import_statement') {
        for (const c of n.namedChildren) {
          if (c?.type === 'aliased_import') {
            const name = c.childForFieldName('name')?.text;
            const alias = c.childForFieldName('alias')?.text;
            if (name && alias) map.set(alias, name);
          }
        }
        return false;
      }
      if (n.type === 'import_from_statement') {
        const mod = n.childForFieldName('module_name')?.text;
        if (!mod) return false;
        for (const c of n.childrenForFieldName('name')) {
          if (!c) continue;
          if (c.type === 'dotted_name') map.set(c.text, `${mod}.${c.text}`);
          else if (c.type === 'aliased_import') {
            const name = c.childForFieldName('name')?.text;
            const alias = c.childForFieldName('alias')?.text;
            if (name && alias) map.set(alias, `${mod}.${name}`);
          }
        }
        return false;
      }
      return true;
    });
  } else if (lang === 'go') {
    for (const spec of file.root.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const p = stringValue(spec.childForFieldName('path'), lang);
      if (!p) continue;
      const alias = spec.childForFieldName('name')?.text;
      const local = alias ?? p.split('/').filter((s) => !/^v\d+$/.test(s)).pop() ?? p;
      if (local !== '_' && local !== '.') map.set(local, p);
    }
  }
  // A name bound to different modules (`try: from secrets import x` / `except: from random import x`) is ambiguous.
  for (const name of conflicts) bound.delete(name);
  bindingCache.set(file.root, bound);
  return bound;
}

function unwrapAwait(n: SyntaxNode | null): SyntaxNode | null {
  return n?.type === 'await_expression' ? n.namedChildren[0] ?? null : n;
}

/** `require('m')`, `require('m').x`, `await import('m')` → `m` / `m.x`. */
function requireTarget(value: SyntaxNode, lang: ParsedLanguage): string | undefined {
  if (value.type === 'member_expression') {
    const obj = value.childForFieldName('object');
    const prop = value.childForFieldName('property')?.text;
    const inner = obj ? requireTarget(obj, lang) : undefined;
    return inner !== undefined && prop ? `${inner}.${prop}` : undefined;
  }
  if (value.type !== 'call_expression') return undefined;
  const fn = value.childForFieldName('function');
  if (fn?.text !== 'require' && fn?.type !== 'import') return undefined;
  const arg = callArguments(value)[0];
  const v = arg ? stringValue(arg, lang) : undefined;
  return v === undefined ? undefined : v.replace(/^node:/, '');
}

/** `util.promisify(exec)` where `exec` is bound → the binding of `exec`. */
function promisifyTarget(value: SyntaxNode, map: Map<string, string>): string | undefined {
  if (value.type !== 'call_expression') return undefined;
  const fn = value.childForFieldName('function')?.text ?? '';
  if (!/(^|\.)promisify$/.test(fn)) return undefined;
  const arg = callArguments(value)[0];
  if (!arg) return undefined;
  return resolveDotted(arg.text, map);
}

function resolveDotted(name: string, map: Map<string, string>): string | undefined {
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const bound = map.get(head);
  return bound === undefined ? undefined : bound + (dot < 0 ? '' : name.slice(dot));
}

const calleeCache = new WeakMap<SyntaxNode, Map<number, string>>();

/** Longest callee text (UTF-16 chars) resolved in full; longer ones (IIFEs, long builder chains) keep only their last segment. */
const MAX_CALLEE_CHARS = 160;

/**
 * The callee of a call with its leading local name replaced by the module it is bound to
 * ({@link moduleBindings}): `cp.exec` → `child_process.exec`, `sp.run` → `subprocess.run`, `r.Intn` →
 * `math/rand.Intn`. Unbound names are returned as {@link calleeName} gives them. A callee whose text is
 * longer than 160 characters is returned as `….method` (only its last segment), and a function literal
 * callee (an IIFE) as ''. Results are cached per tree.
 */
export function resolvedCallee(call: SyntaxNode, file: ParsedFile): string {
  let cache = calleeCache.get(file.root);
  if (!cache) calleeCache.set(file.root, (cache = new Map()));
  const hit = cache.get(call.id);
  if (hit !== undefined) return hit;
  const r = computeCallee(call, file);
  cache.set(call.id, r);
  return r;
}

function computeCallee(call: SyntaxNode, file: ParsedFile): string {
  const lang = file.language;
  const target =
    call.type === 'new_expression'
      ? call.childForFieldName('constructor')
      : call.type === 'object_creation_expression'
        ? call.childForFieldName('type')
        : call.type === 'method_invocation'
          ? call.childForFieldName('object')
          : call.childForFieldName('function');
  if (target && LANG[lang].func.includes(target.type)) return '';
  if (target && target.endIndex - target.startIndex > MAX_CALLEE_CHARS) {
    const last =
      call.type === 'method_invocation'
        ? call.childForFieldName('name')
        : (target.childForFieldName('property') ?? target.childForFieldName('attribute') ?? target.childForFieldName('field'));
    return last ? `….${last.text}` : '';
  }
  const name = calleeName(call, lang);
  if (name.startsWith('new ')) {
    const r = resolveDotted(name.slice(4), moduleBindings(file));
    return r === undefined ? name : `new ${r}`;
  }
  if (!name) return name;
  return resolveDotted(name, moduleBindings(file)) ?? name;
}

// ---------------------------------------------------------------------------------------------
// Local definitions

/** One value assigned to a local name: `x = value`, `const x = value`, `x += value` (augmented). */
export interface Definition {
  value: SyntaxNode;
  augmented: boolean;
  /** The whole declaration or assignment node. */
  node: SyntaxNode;
}

type DefTable = Map<number, Map<string, Definition[]>>;
const DEF_TYPES = [
  'variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'assignment', 'augmented_assignment',
  'short_var_declaration', 'assignment_statement', 'var_spec', 'const_spec', 'with_item',
];
const defCache = new WeakMap<SyntaxNode, DefTable>();

function scopeOf(node: SyntaxNode, lang: ParsedLanguage, root: SyntaxNode): SyntaxNode {
  const funcs = LANG[lang].func;
  for (let p = node.parent; p; p = p.parent) if (funcs.includes(p.type)) return p;
  return root;
}

function defTable(file: ParsedFile): DefTable {
  const cached = defCache.get(file.root);
  if (cached) return cached;
  const table: DefTable = new Map();
  const lang = file.language;
  const add = (name: string, value: SyntaxNode | null | undefined, node: SyntaxNode, augmented = false) => {
    if (!value || !name) return;
    const scope = scopeOf(node, lang, file.root);
    let m = table.get(scope.id);
    if (!m) table.set(scope.id, (m = new Map()));
    const list = m.get(name) ?? [];
    list.push({ value, augmented, node });
    m.set(name, list);
  };
  eachOfType(file.root, DEF_TYPES, (n) => {
    switch (n.type) {
      case 'variable_declarator': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name?.type === 'identifier') add(name.text, value, n);
        else if (name?.type === 'object_pattern' || name?.type === 'array_pattern') {
          walk(name, (p) => {
            if (p.type === 'shorthand_property_identifier_pattern' || (p.type === 'identifier' && p.parent?.type !== 'pair_pattern')) add(p.text, value, n);
            else if (p.type === 'pair_pattern') {
              const v = p.childForFieldName('value');
              if (v?.type === 'identifier') add(v.text, value, n);
              return false;
            }
            return true;
          });
        }
        break;
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression':
      case 'assignment':
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed && /=$/.test(c.text))?.text ?? '=';
        const augmented = n.type.startsWith('augmented') || (op !== '=' && op.endsWith('='));
        if (left?.type === 'identifier') add(left.text, right, n, augmented);
        else if (left && lang === 'python' && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
          for (const c of left.namedChildren) if (c?.type === 'identifier') add(c.text, right, n);
        } else if (left && /^(member_expression|attribute|field_access)$/.test(left.type)) {
          add(compactText(left.text), right, n, augmented);
        }
        break;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        const left = n.childForFieldName('left')?.namedChildren ?? [];
        const right = n.childForFieldName('right')?.namedChildren ?? [];
        const op = n.childForFieldName('operator')?.text ?? ':=';
        left.forEach((l, i) => {
          if (!l) return;
          const v = right.length === left.length ? right[i] : right[0];
          if (l.type === 'identifier' || l.type === 'selector_expression') add(compactText(l.text), v, n, op === '+=');
        });
        break;
      }
      case 'var_spec':
      case 'const_spec': {
        const names = n.childrenForFieldName('name');
        const values = n.childForFieldName('value')?.namedChildren ?? [];
        names.forEach((nm, i) => {
          if (nm) add(nm.text, values.length === names.length ? values[i] : values[0], n);
        });
        break;
      }
      case 'with_item': {
        const v = n.childForFieldName('value');
        if (v?.type === 'as_pattern') {
          const target = v.childForFieldName('alias')?.namedChildren[0];
          const value = v.namedChildren[0];
          if (target?.type === 'identifier' && value) add(target.text, value, n);
        }
        break;
      }
      default:
        break;
    }
    return true;
  });
  defCache.set(file.root, table);
  return table;
}

/**
 * The values assigned to `name` in the innermost enclosing function of `at` that assigns it, searching
 * outwards to the module level. `name` is an identifier or a compact member chain (`self.session`).
 */
export function definitionsOf(name: string, at: SyntaxNode, file: ParsedFile): Definition[] {
  const table = defTable(file);
  const funcs = LANG[file.language].func;
  for (let p: SyntaxNode | null = at; p; p = p.parent) {
    if (p.parent === null || funcs.includes(p.type)) {
      const found = table.get(p.id)?.get(name);
      if (found?.length) return found;
    }
  }
  const top = table.get(file.root.id)?.get(name);
  return top ?? [];
}

/** True when `n` is a reference to a variable (not a property, method or keyword-argument name). */
export function isVariableRef(n: SyntaxNode, lang: ParsedLanguage): boolean {
  if (n.type !== 'identifier') return false;
  const p = n.parent;
  if (!p) return true;
  const is = (field: string) => p.childForFieldName(field)?.id === n.id;
  if (lang === 'python') return !((p.type === 'attribute' && is('attribute')) || (p.type === 'keyword_argument' && is('name')));
  if (lang === 'java') return !((p.type === 'method_invocation' && is('name')) || (p.type === 'field_access' && is('field')));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Local declarations (what shadows a global)

const declCache = new WeakMap<SyntaxNode, Map<number, Set<string>>>();

/** Node types whose subtree inside a parameter list is not a declared name: types and default values. */
const NOT_PARAM_NAME = new Set(['type', 'type_annotation', 'type_identifier', 'decorator']);

/** Names a parameter list declares (identifiers and destructured names; not types or default values). */
function parameterNames(params: SyntaxNode): string[] {
  const out: string[] = [];
  const visit = (n: SyntaxNode) => {
    if (NOT_PARAM_NAME.has(n.type)) return;
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') {
      out.push(n.text);
      return;
    }
    for (let i = 0; i < n.namedChildCount; i++) {
      const c = n.namedChild(i);
      if (!c) continue;
      const field = n.fieldNameForNamedChild(i);
      // `x = 1` / `x: int = 1` / `{ a: b }`: the default value and the property key are not declared.
      if (field === 'value' && n.type !== 'pair_pattern') continue;
      if (field === 'right' || field === 'key' || field === 'type') continue;
      visit(c);
    }
  };
  visit(params);
  return out;
}

/**
 * Per scope (a function node, or the root for module level), the names declared in it: functions and
 * classes declared there (not methods), variables assigned or declared there (destructuring included),
 * and a function's parameters. Cached per tree.
 */
function declarationIndex(file: ParsedFile): Map<number, Set<string>> {
  const cached = declCache.get(file.root);
  if (cached) return cached;
  const lang = file.language;
  const funcs = LANG[lang].func;
  const index = new Map<number, Set<string>>();
  const add = (scope: SyntaxNode, name: string | undefined) => {
    if (!name) return;
    let set = index.get(scope.id);
    if (!set) index.set(scope.id, (set = new Set()));
    set.add(name);
  };
  const scopeOf = (n: SyntaxNode) => {
    for (let p = n.parent; p; p = p.parent) if (funcs.includes(p.type)) return p;
    return file.root;
  };
  const declTypes = ['function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'function_definition', 'class_definition', 'variable_declarator', ...funcs];
  eachOfType(file.root, declTypes, (n) => {
    if (funcs.includes(n.type)) {
      const params = n.childForFieldName('parameters') ?? n.childForFieldName('parameter');
      if (params) for (const p of parameterNames(params)) add(n, p);
    }
    // A method is reached through its object (`self.fetch()`, `this.fetch()`), never by its bare name.
    if (n.type === 'function_definition' && n.parent?.type === 'block' && (n.parent.parent?.type === 'class_definition' || n.parent.parent?.parent?.type === 'class_definition')) return;
    if (/^(function_declaration|generator_function_declaration|class_declaration|abstract_class_declaration|function_definition|class_definition)$/.test(n.type)) {
      add(scopeOf(n), n.childForFieldName('name')?.text);
    } else if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      if (name?.type === 'identifier') add(scopeOf(n), name.text);
      else if (name) for (const p of parameterNames(name)) add(scopeOf(n), p);
    }
  });
  // Plain assignments (`fetch = make()` in Python or JavaScript) declare too.
  const table = defTable(file);
  for (const [scopeId, names] of table) for (const name of names.keys()) if (!name.includes('.')) {
    let set = index.get(scopeId);
    if (!set) index.set(scopeId, (set = new Set()));
    set.add(name);
  }
  declCache.set(file.root, index);
  return index;
}

/**
 * True when the bare name `name`, used at `at`, refers to something this file declares: a function,
 * class or variable of an enclosing scope, or a parameter of an enclosing function. Such a name is not
 * the global or built-in of the same name: a local `function fetch()` is not the Fetch API, a parameter
 * `fetch` is whatever the caller passes. Imports are not counted here ({@link moduleBindings} resolves them).
 */
export function declaredLocally(name: string, at: SyntaxNode, file: ParsedFile): boolean {
  const index = declarationIndex(file);
  const funcs = LANG[file.language].func;
  for (let p: SyntaxNode | null = at; p; p = p.parent) {
    if ((p.parent === null || funcs.includes(p.type)) && index.get(p.id)?.has(name)) return true;
  }
  return false;
}

/**
 * The name a call resolves to when it reaches a global or an imported module member: {@link resolvedCallee},
 * or undefined when the callee's first name is declared in this file ({@link declaredLocally}) and so is
 * not the global of that name. Rules that judge a call by a global's name (`fetch`, `setTimeout`, `eval`,
 * `open`, `exit`) use this.
 */
export function globalCallee(call: SyntaxNode, file: ParsedFile): string | undefined {
  const name = resolvedCallee(call, file);
  const head = calleeName(call, file.language).replace(/^new /, '').split('.')[0] ?? '';
  if (!head || moduleBindings(file).has(head)) return name;
  return declaredLocally(head, call, file) ? undefined : name;
}
