/**
 * Request input detection for the security rules (Express/Koa/Lambda, Flask/Django/FastAPI-style
 * `request.*`, Go `*http.Request` and gin/echo/fiber contexts, Java servlet requests and
 * Spring/JAX-RS/NestJS annotated parameters) and how strings are built from it. The general helpers
 * over nodes and names live in ../nodes and ../bindings and are re-exported here.
 *
 * Everything here works over tree-sitter nodes; regular expressions are applied only to identifier,
 * callee and literal text, never to raw source lines.
 */
import { type ParsedLanguage, type SyntaxNode, walk } from '../syntax';
import type { ParsedFile } from '../rule';
import { callArguments, calleeName, isConstantString, isJs, isStringBuilding, LANG, lineRange } from '../lang';
import { compactText, literalText, stringValue } from '../nodes';
import { definitionsOf, isVariableRef, moduleBindings } from '../bindings';


/** Test, fixture, example or mock code (see ../paths). */
export { isNonProductionPath as isTestLikePath } from '../paths';
export { ALL_LANGS, isJs } from '../lang';
export { callsOf, code, commentsOf, compactText, eachOfType, hasCommentInRows, isGeneratedOrMinified, literalText, stringValue, words } from '../nodes';
export { definitionsOf, isVariableRef, moduleBindings, resolvedCallee, type Definition } from '../bindings';

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
