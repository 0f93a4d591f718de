/**
 * Helpers shared by the security and SRE rule packs: constant string values, identifier words, module
 * bindings (which local name stands for which imported module), local definitions (one or two hops
 * from a use to the value assigned to that name in the same or an enclosing function), and request
 * input detection (Express/Koa/Lambda, Flask/Django/FastAPI-style `request.*`, Go `*http.Request` and
 * gin/echo/fiber contexts, Java servlet requests and Spring/JAX-RS/NestJS annotated parameters).
 *
 * Everything here works over tree-sitter nodes; regular expressions are applied only to identifier,
 * callee and literal text, never to raw source lines.
 */
import { walk, type ParsedLanguage, type SyntaxNode } from '../syntax';
import { LANG, calleeName, callArguments, isConstantString, isStringBuilding, lineRange } from '../lang';
import type { ParsedFile } from '../rule';

/** True for the JavaScript family (javascript, typescript, tsx). */
export function isJs(lang: ParsedLanguage): boolean {
  return lang === 'javascript' || lang === 'typescript' || lang === 'tsx';
}

/** The language families every main rule supports. */
export const ALL_LANGS: readonly ParsedLanguage[] = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'];

/**
 * The text of a constant string literal without quotes or prefixes (`"abc"` → `abc`, Python `r'x'` → `x`,
 * Java text block → its body), or undefined when `node` is not a constant string literal
 * ({@link isConstantString}). Escape sequences are returned as written.
 */
export function stringValue(node: SyntaxNode | null | undefined, lang: ParsedLanguage): string | undefined {
  if (!node || !isConstantString(node, lang)) return undefined;
  if (lang === 'python') {
    if (node.type === 'concatenated_string') {
      return node.namedChildren.map((c) => (c ? stringValue(c, lang) ?? '' : '')).join('');
    }
    const start = node.namedChildren.find((c) => c?.type === 'string_start');
    const end = node.namedChildren.find((c) => c?.type === 'string_end');
    return node.text.slice(start?.text.length ?? 1, node.text.length - (end?.text.length ?? 1));
  }
  if (node.type === 'text_block') return node.text.slice(3, -3);
  return node.text.slice(1, -1);
}

/**
 * The constant text pieces inside an expression (string literals, template/f-string fragments), joined
 * with single spaces. Used to recognise what a built string is (`SELECT ... WHERE`, `<div>`).
 */
export function literalText(expr: SyntaxNode, lang: ParsedLanguage): string {
  const parts: string[] = [];
  walk(expr, (n) => {
    if (n.type === 'template_string') {
      for (const c of n.namedChildren) if (c?.type === 'string_fragment') parts.push(c.text);
      return false;
    }
    if (lang === 'python' && n.type === 'string') {
      for (const c of n.namedChildren) if (c?.type === 'string_content') parts.push(c.text);
      return false;
    }
    if (LANG[lang].string.includes(n.type)) {
      const v = stringValue(n, lang);
      if (v !== undefined) parts.push(v);
      return false;
    }
    return true;
  });
  return parts.join(' ');
}

/**
 * Splits an identifier into lower-case words: `apiKey` → [api, key], `CLIENT_SECRET` → [client, secret],
 * `XMLHttpRequest` → [xml, http, request]. Non-alphanumerics separate words.
 */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Collapses whitespace (and removes it around dots) so that multi-line member chains compare as one line. */
export function compactText(s: string): string {
  return s.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');
}

/** Test, fixture, example or mock code (see ../paths). */
export { isNonProductionPath as isTestLikePath } from '../paths';

/**
 * Calls `visit` on every descendant of `root` (and `root` itself) whose type is in `types`, in document
 * order. Uses tree-sitter's native search, which is much faster than a JS walk over every node.
 * Type names the grammar does not have are ignored.
 */
export function eachOfType(root: SyntaxNode, types: readonly string[], visit: (n: SyntaxNode) => unknown): void {
  for (const n of root.descendantsOfType([...types])) if (n) visit(n);
}

const callCache = new WeakMap<SyntaxNode, SyntaxNode[]>();

/** Every call node of a file (`call_expression`, `new_expression`, `call`, `method_invocation`, `object_creation_expression`), in document order, cached per tree. */
export function callsOf(file: ParsedFile): SyntaxNode[] {
  const hit = callCache.get(file.root);
  if (hit) return hit;
  const list = file.root.descendantsOfType([...LANG[file.language].call]).filter((c): c is SyntaxNode => c !== null);
  callCache.set(file.root, list);
  return list;
}

/**
 * True for minified or generated files that nobody reviews by hand: a line of 2,000+ characters, or
 * lines of 400+ characters with an average line length above 120 (bundles), or a generated-code marker
 * (`Code generated ... DO NOT EDIT.`, `@generated`) in the first five lines.
 */
export function isGeneratedOrMinified(file: ParsedFile): boolean {
  const head = file.lines.slice(0, 5).join('\n');
  if (/Code generated .* DO NOT EDIT|@generated\b|auto-generated|autogenerated/i.test(head)) return true;
  let max = 0;
  for (const l of file.lines) if (l.length > max) max = l.length;
  const avg = file.file.text.length / Math.max(1, file.lines.length);
  return max >= 2000 || (max >= 400 && avg > 120);
}

// ---------------------------------------------------------------------------------------------
// Module bindings

const bindingCache = new WeakMap<SyntaxNode, Map<string, string>>();

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
// Request input

// `req` (Express/Node) exposes everything; `request` is also the fetch API's Request, so only server-side
// fields count there (Fastify/Hapi `request.query`); Koa exposes input on `ctx` and `ctx.request`.
const JS_REQUEST = /^(req\??\.(query|body|params|headers|cookies|files|file|url|originalUrl|path)|request\??\.(query|body|params|payload|cookies)|ctx\??\.(query|params|request\.(body|query|files))|c\.req\.(query|param|header))\b/;
const JS_REQUEST_CALL = /^(req\.(param|get|header)|c\.req\.(query|param|header|json|text|formData))$/;
const JS_EVENT = /^event\??\.(body|queryStringParameters|pathParameters|multiValueQueryStringParameters|headers)\b/;
// Fields only a server-side request has; the weak ones also exist on outgoing request objects (requests'
// PreparedRequest, urllib's Request) and count only in files that import a web framework.
const PY_REQUEST = /^(self\.)?request\.(args|form|values|files|cookies|GET|POST|query_params|path_params|get_json|match_info|rel_url|FILES|META)\b/;
const PY_REQUEST_WEAK = /^(self\.)?request\.(json|data|body|headers|url|path|full_path|referrer|stream|query_string|get_data)\b/;
const PY_WEB_FRAMEWORK = /^(flask|quart|sanic|starlette|fastapi|django|rest_framework|aiohttp|bottle|falcon|werkzeug|pyramid|tornado)\b/;
const JAVA_REQUEST_METHODS = /^(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getQueryString|getPathInfo|getRequestURI|getRequestURL|getCookies|getInputStream|getReader|getPart|getParts)$/;
const GO_REQUEST_FIELDS = /^(URL\.Query\(\)|URL\.Path|URL\.RawQuery|FormValue|PostFormValue|Form|PostForm|Header|Body|PathValue|Cookie|MultipartForm|FormFile)(?!\w)/;
const GO_CTX_FIELDS = /^(Query|DefaultQuery|QueryArray|QueryMap|Param|Params|PostForm|DefaultPostForm|FormValue|FormFile|QueryParam|QueryParams|FormParams|GetHeader|Cookie|Body|BodyParser|ShouldBind\w*|Bind\w*|GetRawData)(?!\w)/;
const ANNOTATED_INPUT = /^(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|QueryParam|PathParam|FormParam|HeaderParam|MatrixParam|Query|Param|Body|Headers|Req)$/;

interface ParamInfo {
  /** Names of parameters that carry request input directly (annotated params). */
  input: Set<string>;
  /** Go: names of `*http.Request` params; framework context params. */
  goRequest: Set<string>;
  goCtx: Set<string>;
}
const paramCache = new WeakMap<SyntaxNode, Map<number, ParamInfo>>();

function paramInfo(fn: SyntaxNode, file: ParsedFile): ParamInfo {
  let m = paramCache.get(file.root);
  if (!m) paramCache.set(file.root, (m = new Map()));
  const hit = m.get(fn.id);
  if (hit) return hit;
  const info: ParamInfo = { input: new Set(), goRequest: new Set(), goCtx: new Set() };
  const params = fn.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    if (!p) continue;
    if (file.language === 'go' && p.type === 'parameter_declaration') {
      const t = p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
      const names = p.childrenForFieldName('name').map((x) => x?.text ?? '');
      if (t === '*http.Request') names.forEach((x) => info.goRequest.add(x));
      else if (/^(\*gin\.Context|echo\.Context|\*fiber\.Ctx)$/.test(t)) names.forEach((x) => info.goCtx.add(x));
    } else if (file.language === 'java' && p.type === 'formal_parameter') {
      const mods = p.namedChildren.find((c) => c?.type === 'modifiers');
      const annotated = mods?.namedChildren.some((a) => a && /annotation$/.test(a.type) && ANNOTATED_INPUT.test(a.childForFieldName('name')?.text ?? ''));
      const name = p.childForFieldName('name')?.text;
      if (annotated && name) info.input.add(name);
    } else if ((file.language === 'typescript' || file.language === 'tsx') && p.type === 'required_parameter') {
      const decorated = p.namedChildren.some((d) => {
        if (d?.type !== 'decorator') return false;
        const inner = d.namedChildren[0];
        const callee = inner?.type === 'call_expression' ? inner.childForFieldName('function')?.text : inner?.text;
        return ANNOTATED_INPUT.test(callee ?? '');
      });
      const name = p.childForFieldName('pattern');
      if (decorated && name?.type === 'identifier') info.input.add(name.text);
    }
  }
  m.set(fn.id, info);
  return info;
}

function enclosingFunctions(n: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const funcs = LANG[lang].func;
  for (let p = n.parent; p; p = p.parent) if (funcs.includes(p.type)) out.push(p);
  return out;
}

/** True when node `n` itself (not its parts) reads request input, e.g. `req.query.id`, `request.args`. */
function isRequestNode(n: SyntaxNode, file: ParsedFile): boolean {
  const lang = file.language;
  if (isJs(lang)) {
    if (n.type === 'member_expression' || n.type === 'subscript_expression') {
      const t = compactText(n.text);
      return JS_REQUEST.test(t) || JS_EVENT.test(t);
    }
    if (n.type === 'call_expression') return JS_REQUEST_CALL.test(calleeName(n, lang));
    return false;
  }
  if (lang === 'python') {
    const t = n.type === 'call' ? compactText(n.childForFieldName('function')?.text ?? '') : n.type === 'attribute' || n.type === 'subscript' ? compactText(n.text) : '';
    if (!t) return false;
    if (PY_REQUEST.test(t)) return true;
    return PY_REQUEST_WEAK.test(t) && [...moduleBindings(file).values()].some((m) => PY_WEB_FRAMEWORK.test(m));
  }
  if (lang === 'java') {
    if (n.type !== 'method_invocation') return false;
    const name = n.childForFieldName('name')?.text ?? '';
    const obj = n.childForFieldName('object')?.text ?? '';
    return JAVA_REQUEST_METHODS.test(name) && /(^|[.(])\w*(req|request)\w*$/i.test(obj);
  }
  if (lang === 'go') {
    if (n.type !== 'selector_expression' && n.type !== 'call_expression') return false;
    const t = compactText(n.text);
    if (/^mux\.Vars\(/.test(t)) return true;
    const dot = t.indexOf('.');
    if (dot < 0) return false;
    const head = t.slice(0, dot);
    const rest = t.slice(dot + 1);
    for (const fn of enclosingFunctions(n, lang)) {
      const info = paramInfo(fn, file);
      if (info.goRequest.has(head) && GO_REQUEST_FIELDS.test(rest)) return true;
      if (info.goCtx.has(head) && GO_CTX_FIELDS.test(rest)) return true;
    }
  }
  return false;
}

/** Calls whose result no longer carries raw input: escaping, encoding, numeric conversion, file-name reduction. */
const CLEANSER = /escape|sanitiz|purify|encode|quote|basename|secure_filename|^(parseInt|parseFloat|Number|Boolean|int|float|bool|Itoa|Atoi|ParseInt|ParseFloat|ParseBool|parseLong|parseDouble|getFileName|Base|uuid|UUID)$/i;
/** Methods whose arguments are indexes or keys, so the result comes from the receiver, not the arguments. */
const INDEX_METHODS = /^(slice|substring|substr|splice|at|charAt|indexOf|lastIndexOf|includes|has|get|find|findIndex|findOne|findById|filter|some|every|startsWith|endsWith|test|match|contains|containsKey|getOrDefault|exists)$/;

/**
 * The text of the first request input read inside `expr` (e.g. `req.query.id`), following local
 * variables up to `maxHops` assignments back (`const id = req.params.id; ... id`), or undefined.
 * Parameters annotated as request input (`@RequestParam`, `@PathVariable`, NestJS `@Query()`) count.
 */
export function requestInput(expr: SyntaxNode, file: ParsedFile, maxHops = 2, seen: Set<number> = new Set()): string | undefined {
  const lang = file.language;
  let found: string | undefined;
  walk(expr, (n) => {
    if (found !== undefined) return false;
    if (isRequestNode(n, file)) {
      found = compactText(n.text);
      return false;
    }
    // Code inside a callback is not part of the value (`setTimeout(function () { ... req.url ... })`).
    if (LANG[lang].func.includes(n.type)) return false;
    if (LANG[lang].call.includes(n.type)) {
      const name = calleeName(n, lang);
      const method = name.slice(name.lastIndexOf('.') + 1);
      // Escaped or converted input is no longer raw input.
      if (CLEANSER.test(method)) return false;
      // Input used only as an index or key (`names.slice(from, to)`, `cache.get(id)`) does not become the result.
      if (INDEX_METHODS.test(method)) {
        const target = n.type === 'method_invocation' ? n.childForFieldName('object') : n.childForFieldName('function')?.childForFieldName('object') ?? n.childForFieldName('function')?.childForFieldName('operand');
        if (target) {
          const via = requestInput(target, file, maxHops, seen);
          if (via !== undefined) found = via;
        }
        return false;
      }
    }
    if (isVariableRef(n, lang)) {
      for (const fn of enclosingFunctions(n, lang)) {
        if (paramInfo(fn, file).input.has(n.text)) {
          found = n.text;
          return false;
        }
      }
      if (maxHops > 0) {
        for (const d of definitionsOf(n.text, n, file)) {
          if (seen.has(d.value.id) || d.value.id === expr.id) continue;
          seen.add(d.value.id);
          const via = requestInput(d.value, file, maxHops - 1, seen);
          if (via !== undefined) {
            found = via;
            return false;
          }
        }
      }
    }
    return true;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// String building

/** How an argument is built: the building expression (direct or via a local variable) and its sources. */
export interface BuiltArg {
  /** The expression that builds the string (the argument itself or a value assigned to it). */
  expr: SyntaxNode;
  /** When the building happened in an assignment to a variable: its name and 1-based line. */
  via?: { name: string; line: number };
  /** Constant text of the argument and of every value assigned to it (for SQL/HTML recognition). */
  literal: string;
}

/** The non-constant parts of a string-building expression (template substitutions, concatenated operands, format arguments). */
export function dynamicParts(expr: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const t = LANG[lang];
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    if (n.type === 'parenthesized_expression') {
      const inner = n.namedChildren[0];
      if (inner) visit(inner);
      return;
    }
    if (n.type === 'template_string') {
      for (const c of n.namedChildren) if (c?.type === 'template_substitution' && c.namedChildren[0]) out.push(c.namedChildren[0]);
      return;
    }
    if (lang === 'python' && n.type === 'string') {
      for (const c of n.namedChildren) if (c?.type === 'interpolation' && c.namedChildren[0]) out.push(c.namedChildren[0]);
      return;
    }
    if (t.string.includes(n.type)) return;
    if (t.concat.includes(n.type)) {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if (lang === 'python' && n.childForFieldName('operator')?.text === '%' && r) {
        if (r.type === 'tuple' || r.type === 'parenthesized_expression') r.namedChildren.forEach((c) => c && out.push(c));
        else out.push(r);
        return;
      }
      if (l) visit(l);
      if (r) visit(r);
      return;
    }
    if (t.call.includes(n.type) && isStringBuilding(n, lang)) {
      const args = callArguments(n);
      const name = calleeName(n, lang);
      const rest = lang === 'python' && /\.format$/.test(name) ? args : args.slice(1);
      for (const a of rest) out.push(a.type === 'keyword_argument' ? a.childForFieldName('value') ?? a : a);
      return;
    }
    out.push(n);
  };
  visit(expr);
  return out;
}

/** The format string of a formatting call or `%` expression, if constant (`fmt.Sprintf("%d", n)` → `%d`). */
function formatString(expr: SyntaxNode, lang: ParsedLanguage): string | undefined {
  if (LANG[lang].concat.includes(expr.type) && lang === 'python' && expr.childForFieldName('operator')?.text === '%') {
    return stringValue(expr.childForFieldName('left'), lang);
  }
  if (LANG[lang].call.includes(expr.type)) {
    const name = calleeName(expr, lang);
    if (lang === 'python' && /\.format$/.test(name)) {
      const fn = expr.childForFieldName('function');
      return stringValue(fn?.childForFieldName('object'), lang);
    }
    if (lang === 'java' && /\.formatted$/.test(name)) {
      const obj = expr.childForFieldName('object');
      return stringValue(obj, lang);
    }
    return stringValue(callArguments(expr)[0], lang);
  }
  return undefined;
}

/**
 * True when every dynamic part of a built string is harmless for injection: SCREAMING_CASE constants,
 * numbers, numeric conversions (`parseInt`, `Number`, `int`, `strconv.Itoa`), escaping/quoting calls
 * (`escape`, `quote`, `sanitize`, `encodeURIComponent`), and format calls whose verbs are numeric only
 * (`fmt.Sprintf("LIMIT %d", n)`).
 */
export function onlySafeParts(expr: SyntaxNode, lang: ParsedLanguage): boolean {
  const fmt = formatString(expr, lang);
  if (fmt !== undefined && !/%(\([^)]*\))?[-+ #0-9.*]*[svqrxXc]/.test(fmt) && !/\{[^}]*\}/.test(fmt)) return true;
  const parts = dynamicParts(expr, lang);
  if (parts.length === 0) return false;
  return parts.every((p) => safePart(p, lang));
}

function safePart(p: SyntaxNode, lang: ParsedLanguage): boolean {
  if (/^(number|integer|float|int_literal|float_literal|decimal_integer_literal|decimal_floating_point_literal|true|false|null|nil|none|undefined)$/.test(p.type)) return true;
  const text = compactText(p.text);
  if (/^([\w$]+\.)*[A-Z][A-Z0-9_]*$/.test(text)) return true;
  if (LANG[lang].call.includes(p.type)) {
    const name = calleeName(p, lang);
    const method = name.slice(name.lastIndexOf('.') + 1);
    if (/escape|quote|sanitiz|encode|purify|placeholder/i.test(method)) return true;
    if (/^(parseInt|parseFloat|Number|int|float|Itoa|FormatInt|FormatFloat|toFixed|len|size|count)$/.test(method)) return true;
    // `ids.map(() => '?').join(',')` and `', '.join(['%s'] * n)` build placeholder lists.
    if (method === 'join') return /['"`]\s*[?$%]/.test(p.text);
    return false;
  }
  if (p.type === 'unary_expression') return true;
  if (/\.length$|\.size\(\)$/.test(text)) return true;
  return false;
}

/**
 * How `arg` is built from non-constant parts: directly (template literal, concatenation, f-string,
 * `%`/`.format`, `fmt.Sprintf`, `String.format`) or through a local variable assigned such a value or
 * extended with `+=`. Returns undefined when the argument is a constant or cannot be traced, or when
 * every dynamic part is harmless ({@link onlySafeParts}).
 */
export function builtArgument(arg: SyntaxNode, file: ParsedFile): BuiltArg | undefined {
  const lang = file.language;
  if (isStringBuilding(arg, lang)) {
    return onlySafeParts(arg, lang) ? undefined : { expr: arg, literal: literalText(arg, lang) };
  }
  if (arg.type !== 'identifier') return undefined;
  const defs = definitionsOf(arg.text, arg, file).filter((d) => d.node.startIndex < arg.startIndex);
  let built: BuiltArg | undefined;
  const literal = defs.map((d) => literalText(d.value, lang)).join(' ');
  for (const d of defs) {
    const v = d.value;
    const dynamicAppend = d.augmented && !isConstantString(v, lang) && !safePart(v, lang);
    if ((isStringBuilding(v, lang) && !onlySafeParts(v, lang)) || dynamicAppend) {
      built ??= { expr: v, via: { name: arg.text, line: lineRange(d.node).startLine }, literal };
    }
  }
  return built;
}

/** Callee names that reduce a value to a safe file name or escape it (`path.basename`, `secure_filename`, `filepath.Base`, `escape*`, `sanitize*`); a path built through one is not reported. */
export const SANITIZER = /escape|sanitiz|purify|basename|secure_filename|FilenameUtils\.getName|filepath\.Base|getFileName/i;

/** Markdown inline code for a snippet: whitespace collapsed, shortened to `max` UTF-16 characters with `…`, backticks replaced. */
export function code(text: string, max = 60): string {
  const one = compactText(text).trim();
  const s = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return '`' + s.replace(/`/g, "'") + '`';
}

const commentCache = new WeakMap<SyntaxNode, SyntaxNode[]>();

/** All comment nodes of a file, in document order (cached per tree). */
export function commentsOf(file: ParsedFile): SyntaxNode[] {
  const hit = commentCache.get(file.root);
  if (hit) return hit;
  const list = file.root.descendantsOfType([...LANG[file.language].comment]).filter((c): c is SyntaxNode => c !== null);
  commentCache.set(file.root, list);
  return list;
}

/** True when some comment starts within the 0-based row span [startRow, endRow]. */
export function hasCommentInRows(file: ParsedFile, startRow: number, endRow: number): boolean {
  return commentsOf(file).some((c) => c.startPosition.row >= startRow && c.startPosition.row <= endRow);
}
