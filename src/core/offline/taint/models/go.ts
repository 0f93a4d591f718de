/**
 * Taint model of Go: sources (`*http.Request` fields and methods, `r.URL.Query()`, gorilla `mux.Vars`,
 * chi `URLParam`, gin/echo/fiber contexts), sanitisers (`strconv` parsing, `html.EscapeString`,
 * `url.QueryEscape`, `filepath.Base`), and sinks (`database/sql`, sqlx, GORM raw SQL, `os/exec`,
 * `os` file functions, `http.ServeFile`, response writers, `http.Redirect`, `net/http` clients,
 * `log`, `regexp`, `html/template` trusted types).
 */
import type { CallInfo, CallResult, Helpers, LanguageModel, SinkUse } from '../model';
import { CLEAN, asString, kindBit, prefixOf, type Value } from '../value';
import { HTML_ESCAPED, URL_ENCODED, arg, argNode, asStringValue, collectionCall, propagated, sanitised, sinkArg } from './common';

const REQ_FIELDS = /^(Form|PostForm|Header|Body|Host|RequestURI|MultipartForm|Trailer|RemoteAddr)$/;
const REQ_METHODS = /^(FormValue|PostFormValue|Cookie|Cookies|FormFile|PathValue|Referer|UserAgent|MultipartReader|ParseForm|BasicAuth)$/;
const CTX_METHODS = /^(Query|DefaultQuery|QueryArray|QueryMap|GetQuery|Param|Params|PostForm|DefaultPostForm|GetPostForm|PostFormArray|FormValue|FormFile|QueryParam|QueryParams|FormParams|GetHeader|Cookie|Body|BodyParser|GetRawData|Get|Bind|BindJSON|ShouldBind|ShouldBindJSON|ShouldBindQuery|ShouldBindUri|MultipartForm|Request)$/;
const SQL_METHODS = /^(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get|MustExec|Queryx|QueryRowx|NamedExec|NamedQuery|Where|Order|Having|Joins)$/;

/** The Go model. */
export const goModel: LanguageModel = {
  // Sources, and the sinks reported for strings built from a function's parameters.
  rootHint: /\b(http\.Request|gin\.Context|echo\.Context|fiber\.Ctx|mux\.Vars|URLParam|FormValue|Query|QueryRow|QueryContext|Exec|ExecContext|Raw|Select|Command|Parse)\b/,

  param(fn, p, _i, h) {
    const t = p.type ?? '';
    if (t === '*http.Request') {
      const req = h.alloc(-(p.node.id * 8 + 2), 'object');
      return { ...req, tag: 'req' };
    }
    if (t === 'http.ResponseWriter') return { tag: 'res' };
    if (/^(\*gin\.Context|echo\.Context|\*fiber\.Ctx)$/.test(t)) return { tag: 'ctx' };
    void fn;
    return undefined;
  },

  global() {
    return undefined;
  },

  member(obj, prop, node, h) {
    if (obj.tag === 'req') {
      if (prop === 'URL') return { tag: 'url' };
      if (REQ_FIELDS.test(prop)) return h.source(node.text.replace(/\s+/g, ''), node, prop === 'Host' || prop === 'RequestURI');
      return undefined;
    }
    if (obj.tag === 'url' && /^(Path|RawQuery|RawPath|Fragment|Host|User|Opaque)$/.test(prop)) return h.source(node.text.replace(/\s+/g, ''), node, true);
    if (obj.tag === 'ctx' && prop === 'Request') {
      const req = h.alloc(-(node.id * 8 + 2), 'object');
      return { ...req, tag: 'req' };
    }
    return undefined;
  },

  call(ci, h) {
    return goCall(ci, h);
  },
};

function goCall(ci: CallInfo, h: Helpers): CallResult | undefined {
  const { call, recv } = ci;
  const name = call.name;
  const m = call.method;
  const a0 = arg(ci, 0);
  const label = () => call.node.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');

  if (recv?.tag === 'req' && REQ_METHODS.test(m)) return { value: h.source(label(), call.node, m !== 'Cookie' && m !== 'Cookies' && m !== 'FormFile') };
  if (recv?.tag === 'url' && m === 'Query') return { value: h.source(label(), call.node) };
  if (recv?.tag === 'ctx' && CTX_METHODS.test(m)) {
    if (m === 'Request') return { value: { ...h.alloc(-(call.node.id * 8 + 2), 'object'), tag: 'req' } };
    if (/^(Bind|BindJSON|ShouldBind|ShouldBindJSON|ShouldBindQuery|ShouldBindUri|BodyParser)$/.test(m)) {
      // `c.ShouldBindJSON(&v)` fills `v` from the request body.
      const target = call.args[0]?.e;
      if (target) h.update(a0, (o) => ({ ...o, any: h.source(label(), call.node) }));
      return { value: CLEAN };
    }
    return { value: h.source(label(), call.node, true) };
  }
  if (/^(github\.com\/gorilla\/mux|mux)\.Vars$/.test(name)) return { value: h.source(label(), call.node) };
  if (/^(github\.com\/go-chi\/chi(\/v5)?|chi)\.URLParam$/.test(name)) return { value: h.source(label(), call.node, true) };

  const sinks: SinkUse[] = [];
  // Without a Content-Type, net/http sniffs the first bytes: text that does not start with `<` is served as text/plain.
  const htmlSniffed = (v: Value) => {
    const p = prefixOf(v).trimStart();
    return p === '' || p.startsWith('<') || /text\/html/.test(h.file.file.text);
  };
  if (recv?.tag === 'res' && /^(Write|WriteString)$/.test(m) && htmlSniffed(a0)) sinks.push(sinkArg(ci, 'xss', `http.ResponseWriter.${m}`, 0));
  if (/^fmt\.(Fprintf|Fprint|Fprintln)$/.test(name) && a0.tag === 'res') {
    // A format that starts a JSON document is not HTML.
    const fmt = h.constOf(arg(ci, 1));
    if (!(typeof fmt === 'string' && (/^\s*[{[]/.test(fmt) || !htmlSniffed({ c: { v: fmt } })))) ci.args.slice(1).forEach((_, i) => sinks.push(sinkArg(ci, 'xss', name, i + 1)));
  }
  if (/^io\.WriteString$/.test(name) && a0.tag === 'res') sinks.push(sinkArg(ci, 'xss', name, 1));
  if (/^(html\/template|template)\.(HTML|JS|HTMLAttr|URL|CSS)$/.test(name)) sinks.push(sinkArg(ci, 'xss', name, 0));
  if (/^(os\/exec|exec)\.(Command|CommandContext)$/.test(name)) {
    const rest = /Context$/.test(name) ? 1 : 0;
    ci.args.slice(rest).forEach((_, i) => sinks.push(sinkArg(ci, 'command', name, i + rest)));
  }
  if (/^(os\.(Open|OpenFile|ReadFile|Create|Remove|RemoveAll|WriteFile|ReadDir|Mkdir|MkdirAll|Stat|Lstat|Rename)|(io\/)?ioutil\.(ReadFile|WriteFile|ReadDir))$/.test(name)) sinks.push(sinkArg(ci, 'path', name.replace(/^io\//, ''), 0));
  if (/^(net\/http|http)\.ServeFile$/.test(name)) sinks.push(sinkArg(ci, 'path', 'http.ServeFile', 2));
  if (/^(net\/http|http)\.Redirect$/.test(name)) sinks.push(sinkArg(ci, 'redirect', 'http.Redirect', 2));
  if (/^(net\/http|http)\.(Get|Post|Head|PostForm)$/.test(name)) sinks.push(sinkArg(ci, 'ssrf', name.replace(/^net\//, ''), 0));
  if (/^(net\/http|http)\.(NewRequest|NewRequestWithContext)$/.test(name)) sinks.push(sinkArg(ci, 'ssrf', name.replace(/^net\//, ''), /Context$/.test(name) ? 2 : 1));
  if (/^log\.(Print|Printf|Println|Fatal|Fatalf|Fatalln|Panic|Panicf)$/.test(name) || (/^(Info|Infof|Warn|Warnf|Error|Errorf|Debug|Debugf|Print|Printf|Println)$/.test(m) && /^(log|logger|l|slog)$/.test(ci.recvText))) {
    ci.args.forEach((v, i) => {
      if (v.taint && !v.refs) sinks.push(sinkArg(ci, 'log', name, i));
    });
  }
  if (/^regexp\.(Compile|MustCompile|Match|MatchString)$/.test(name)) sinks.push(sinkArg(ci, 'regex', name, 0));
  if (/^(text\/template|template)\.New$/.test(name)) return { value: { tag: 'template' } };
  if (recv?.tag === 'template' && m === 'Parse') sinks.push(sinkArg(ci, 'template', 'template.Parse', 0));
  if (call.callee.k === 'member' && SQL_METHODS.test(m) && recv?.tag !== 'res' && !recv?.taint && !recv?.tag && !/^(r|req|request|c|ctx|w)$/.test(ci.recvText) && ci.args.length && !(/^(Get|Select)$/.test(m) && ci.args.length < 2)) {
    const i = /Context$/.test(m) || (/^(Select|Get)$/.test(m) && ci.args.length > 1) ? 1 : 0;
    const v = arg(ci, i);
    if (typeof h.constOf(v) === 'string' || v.taint || v.built) sinks.push({ ...sinkArg(ci, 'sql', `${ci.recvText}.${m}`, i), info: { params: ci.args.length > i + 1 } });
  }
  if (sinks.length) return { sinks, value: propagated(ci, h) };

  if (/^strconv\.(Atoi|ParseInt|ParseUint|ParseFloat|ParseBool|Itoa|FormatInt|FormatFloat|Quote)$/.test(name)) return { value: { numeric: !/Quote/.test(name) } };
  if (/^(html\.EscapeString|html\/template\.HTMLEscapeString|template\.HTMLEscapeString|template\.JSEscapeString)$/.test(name)) return { value: sanitised(a0, HTML_ESCAPED, h) };
  if (/^(net\/url|url)\.(QueryEscape|PathEscape)$/.test(name)) return { value: sanitised(a0, URL_ENCODED, h) };
  if (/^(path\/filepath|filepath|path)\.Base$/.test(name)) return { value: sanitised(a0, kindBit('path'), h) };
  if (/^(path\/filepath|filepath|path)\.(Clean|Abs|EvalSymlinks)$/.test(name)) return { value: a0.taint ? { taint: { ...a0.taint, norm: true, str: true } } : CLEAN };
  if (/^(net\/url|url)\.(Parse|ParseRequestURI)$/.test(name)) {
    const src = call.args[0]?.e;
    return { value: { ...propagated(ci, h), parsedFrom: src?.k === 'var' ? src.name : undefined } };
  }
  if (/^fmt\.(Sprintf|Sprint|Sprintln)$/.test(name)) {
    let t;
    for (const v of ci.args) t = t ?? v.taint ?? h.deepTaint(v);
    const fmt = h.constOf(a0);
    const numericOnly = typeof fmt === 'string' && !/%[-+ #0-9.*]*[svqxXTc]/.test(fmt);
    if (numericOnly) return { value: CLEAN };
    const allConst = ci.args.every((v) => v.c !== undefined);
    const prefix = typeof fmt === 'string' ? fmt.slice(0, fmt.includes('%') ? fmt.indexOf('%') : fmt.length) : undefined;
    return { value: t ? { taint: asString(t), built: { node: call.node, how: 'format' }, prefix } : allConst ? CLEAN : { built: { node: call.node, how: 'format' }, prefix } };
  }
  if (/^strings\.(Join)$/.test(name)) {
    const t = h.deepTaint(a0);
    return { value: t ? { taint: asString(t), built: { node: call.node, how: 'concat' } } : CLEAN };
  }
  if (/^strings\.(ToLower|ToUpper|TrimSpace|Trim|TrimPrefix|TrimSuffix|Replace|ReplaceAll|Title|Repeat)$/.test(name)) return { value: asStringValue(a0, h) };
  if (/^strings\.(Split|SplitN|Fields)$/.test(name)) return { value: a0.taint ? { taint: a0.taint } : CLEAN };
  if (/^(append)$/.test(name) && call.callee.k === 'var') {
    const elems = ci.args.slice(1);
    const out = h.alloc(call.node, 'array', { any: h.contents(a0) });
    h.update(out, (o) => ({ ...o, any: [o.any, ...elems].reduce<Value | undefined>((a, b) => (a ? { ...a, taint: a.taint ?? b?.taint } : b), undefined) }));
    return { value: out };
  }
  if (name === 'make' && call.callee.k === 'var') return { value: h.alloc(call.node, /^map\[/.test(argNode(ci, 0).text) ? 'map' : 'array', {}) };
  const coll = collectionCall(ci, h);
  if (coll) return { value: coll };
  return undefined;
}
