/**
 * Taint model of JavaScript and TypeScript: sources (Express/Koa/Fastify/Hapi/Next.js request
 * objects, AWS Lambda events, browser `location`/`document`), sanitisers, library propagation
 * (arrays, maps, promises, `Reflect`), and sinks per kind.
 *
 * API facts: Express 4/5 API reference (`req.query`, `req.params`, `req.body`, `req.get()`, `res.send`
 * sends a string as text/html, `res.redirect`, `res.sendFile` with `root`); Koa context (`ctx.query`,
 * `ctx.request.body`, `ctx.get()`, `ctx.redirect`, `ctx.body`); Fastify request (`query`, `body`,
 * `params`, `headers`); Node `child_process`, `fs`, `http(s).request`, `vm`; MongoDB query operators
 * (`$where`, `$ne`, `$gt`); libxmljs `noent` option (substitutes external entities).
 */
import type { SyntaxNode } from '../../syntax';
import type { CallInfo, CallResult, Helpers, LanguageModel, SinkUse } from '../model';
import { CLEAN, asString, constant, join, joinAll, kindBit, numericFrom, sanitise, step, verifiedValue, withTaint, type SinkKind, type Value } from '../value';
import { ENCRYPT_CALL, HASH_CALL, PASSWORD_FIELD, SENSITIVE_FIELD, WEAK_HASH_ALGO, credentialStoreUse, decoded, hashed, lookupUse, passwordFieldUse, randomValue, rawTarget, sanitised, sensitiveFieldUse, weakHashUse, weakHasher, QUERY_SINKS } from './common';

const REQ = /^(req|request|_req|incomingRequest)$/;
const RES = /^(res|response|reply|resp|_res|h)$/;
const SERVER_REQUEST_TYPE = /^(express\.)?Request(<.*>)?$|^(FastifyRequest|NextApiRequest|NextRequest|IncomingMessage|http\.IncomingMessage|Hapi\.Request|ExpressRequest)\b/;
const SERVER_RESPONSE_TYPE = /^(express\.)?Response(<.*>)?$|^(FastifyReply|NextApiResponse|ServerResponse|http\.ServerResponse|ResponseToolkit)\b/;

/** Request fields that carry client input (Express, Fastify, Hapi, Next.js pages). */
const REQ_FIELDS = /^(query|body|params|headers|cookies|signedCookies|files|file|url|originalUrl|path|hostname|host|protocol|subdomains|payload|rawBody|nextUrl|searchParams|ips)$/;
/** Koa context fields that carry client input. */
const KOA_FIELDS = /^(query|querystring|params|headers|header|url|originalUrl|path|href|host|hostname|search|files)$/;
const LAMBDA_FIELDS = /^(body|queryStringParameters|pathParameters|multiValueQueryStringParameters|headers|multiValueHeaders|rawQueryString|rawPath)$/;
const NEST_INPUT = /^(Query|Param|Body|Headers|Cookies|UploadedFile|UploadedFiles)$/;

const SQL_METHODS = /^(query|execute|exec|raw|run|all|get|each|prepare|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|fromRaw|many|one|none|any|oneOrNone|manyOrNone|sql)$/;
/** Methods that are SQL on any receiver; the others need a receiver that looks like a database handle. */
const SQL_UNAMBIGUOUS = /^(query|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|fromRaw|oneOrNone|manyOrNone)$/;
const DB_RECEIVER = /(^|\.)(db|database|conn|connection|pool|client|knex|sequelize|prisma|sql|stmt|statement|tx|trx|transaction|mysql|pg|sqlite|sqlite3|connection\w*|\w*Db|\w*DB|\w*Pool)$/i;
const MONGO_METHODS = /^(find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndReplace|findOneAndRemove|updateOne|updateMany|update|deleteOne|deleteMany|remove|countDocuments|count|replaceOne|distinct|exists|where)$/;
const JS_FS = /^(fs|fs\/promises|fs-extra|graceful-fs|fse)\.(promises\.)?(readFile|readFileSync|createReadStream|createWriteStream|writeFile|writeFileSync|appendFile|appendFileSync|open|openSync|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|copyFile|copyFileSync|rename|renameSync|readJson|readJsonSync|outputFile|outputFileSync|remove|removeSync|mkdir|mkdirSync|stat|statSync|access|accessSync|exists|existsSync|ensureFile|move|copy)$/;
const HTTP_CLIENT = /^(https?\.(get|request)|fetch|node-fetch|undici\.(request|fetch|stream)|axios(\.(get|post|put|delete|patch|head|options|request))?|got(\.(get|post|put|delete|patch|head|stream))?|request(\.(get|post|put|del|patch|head))?|needle(\.(get|post|put|delete|request))?|superagent\.(get|post|put|delete|patch|head)|phin|bent|ky(\.(get|post|put|delete))?)$/;
/** Plain-text loggers. Structured JSON loggers (pino, bunyan, winston's JSON format) escape newlines, so they are not log-injection sinks. */
const LOGGER_RECEIVER = /^(console)$/;
const LOG_METHODS = /^(log|info|warn|error|debug|trace|fatal|verbose|silly|notice|critical)$/;
const TEMPLATE_COMPILERS = /^(ejs\.(render|compile)|pug\.(render|compile)|jade\.(render|compile)|handlebars\.(compile|precompile)|Handlebars\.(compile|precompile)|nunjucks\.renderString|lodash\.template|_\.template|dot\.template|doT\.template|hogan\.compile|eta\.render|swig\.render|dust\.compile|velocityjs\.render|underscore\.template)$/;

/** Names of hand-written and library HTML encoders (`escapeHtml`, `he.encode`, `validator.escape`, `DOMPurify.sanitize`). */
const HTML_ENCODER = /(escape|encode)_?(html|xml|entities|attr)|^(escape|escapeHTML|escapeHtml|htmlEscape|htmlspecialchars|filterXSS|xss|sanitizeHtml|sanitize|purify|encodeForHTML|escapeXml)$|(^|\.)(he\.(encode|escape)|validator\.escape|lodash\.escape|_\.escape|DOMPurify\.sanitize|sanitize-html|escape-html|xss\.filterXSS|entities\.encode\w*|Encoder\.\w+)$/i;

const KIND = (k: SinkKind) => kindBit(k);
const URL_ENCODED = KIND('xss') | KIND('path') | KIND('command') | KIND('ssrf') | KIND('redirect') | KIND('log') | KIND('header') | KIND('code') | KIND('template') | KIND('xpath') | KIND('ldap');

function isReqParam(name: string, type: string | undefined, siblings: string[]): boolean {
  // `Request` alone is also the fetch API's (outgoing) request: it counts beside a response parameter.
  if (type && SERVER_REQUEST_TYPE.test(type) && (!/^Request\b/.test(type) || siblings.some((s) => RES.test(s)))) return true;
  if (!REQ.test(name)) return false;
  // `req` is the server-side convention on its own; `request` is also an outgoing request's name.
  return name === 'req' || siblings.some((s) => RES.test(s) || s === 'next');
}

function isResParam(name: string, type: string | undefined, siblings: string[]): boolean {
  if (type && SERVER_RESPONSE_TYPE.test(type)) return true;
  return RES.test(name) && siblings.some((s) => REQ.test(s));
}

/** A request object value: tagged `req`, with a session object reachable as `req.session`. */
function requestValue(site: SyntaxNode, h: Helpers, tag = 'req'): Value {
  const session = { ...h.alloc(-(site.id * 8 + 1), 'object'), tag: 'session' };
  const req = h.alloc(-(site.id * 8 + 2), 'object', { fields: new Map([['session', session]]) });
  return { ...req, tag };
}

function text(n: SyntaxNode): string {
  return n.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');
}

function isFunctionValue(v: Value | undefined): boolean {
  return v?.fn !== undefined;
}

/** The JavaScript/TypeScript model. */
export const jsModel: LanguageModel = {
  // Sources, and the sinks reported for strings built from a function's parameters.
  rootHint: /\b(req|request|ctx|event|location|document|window|searchParams|query|execute|raw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|exec|execSync|spawn|spawnSync|eval|Function|setTimeout|setInterval|runInThisContext|runInNewContext|compile|render|template|renderString|innerHTML|outerHTML|insertAdjacentHTML|write|writeln|dangerouslySetInnerHTML|\$where|password|libxmljs|parseXml|parseXmlString|unserialize|random|createHash|cookie)\b|@(Query|Param|Body|Headers|Req)\b/,

  param(fn, p, _i, h) {
    const siblings = fn.params.map((q) => q.name).filter((n) => n !== p.name);
    for (const a of p.annotations) {
      if (NEST_INPUT.test(a)) return h.source(`@${a}() ${p.name}`, p.node);
      if (a === 'Req' || a === 'Request') return requestValue(p.node, h);
      if (a === 'Res' || a === 'Response') return { tag: 'res' };
    }
    if (p.pattern && fn.params.indexOf(p) === 0 && fn.params.slice(1).some((q) => RES.test(q.name))) return requestValue(p.node, h);
    if (!p.name) return undefined;
    if (isReqParam(p.name, p.type, siblings)) return requestValue(p.node, h);
    // Fastify's `reply.send` sends strings as text/plain and objects as JSON: not an HTML sink.
    if (isResParam(p.name, p.type, siblings)) return { tag: p.name === 'reply' || /FastifyReply/.test(p.type ?? '') ? 'reply' : 'res' };
    if (p.name === 'ctx' && (fn.params.length <= 2) && (siblings.length === 0 || siblings.includes('next'))) return requestValue(p.node, h, 'koa');
    if (p.name === 'event' && siblings.includes('context')) return { tag: 'lambda-event' };
    return undefined;
  },

  global(name, node, h) {
    if (name === 'location') return { tag: 'location' };
    if (name === 'document') return { tag: 'document' };
    if (name === 'window' || name === 'self' || name === 'globalThis') return { tag: 'window' };
    void node;
    void h;
    return undefined;
  },

  member(obj, prop, node, h) {
    switch (obj.tag) {
      case 'req':
        if (REQ_FIELDS.test(prop)) {
          const v = h.source(text(node), node, /^(url|originalUrl|path|hostname|host|protocol)$/.test(prop));
          // Node's `req.url` (and Express's `originalUrl`) is the request target as sent, still percent-encoded.
          return /^(url|originalUrl)$/.test(prop) ? rawTarget(v) : v;
        }
        if (prop === 'user' || prop === 'auth') return h.source(text(node), node, false, 'principal');
        if (prop === 'raw' || prop === 'req') return obj;
        if (prop === 'res') return { tag: 'res' };
        return undefined;
      case 'koa':
        if (KOA_FIELDS.test(prop)) {
          const v = h.source(text(node), node, /^(querystring|url|originalUrl|path|href|host|hostname|search)$/.test(prop));
          return /^(url|originalUrl|querystring|search)$/.test(prop) ? rawTarget(v) : v;
        }
        if (prop === 'request' || prop === 'req') return { ...obj, tag: 'req' };
        if (prop === 'res' || prop === 'response') return { tag: 'koa-res' };
        if (prop === 'cookies') return { tag: 'cookies' };
        return undefined;
      case 'session':
        return /^(user\w*|userId|user_id|uid|account\w*|passport)$/.test(prop) ? h.source(text(node), node, false, 'principal') : undefined;
      case 'lambda-event':
        return LAMBDA_FIELDS.test(prop) ? h.source(text(node), node) : undefined;
      case 'window':
        if (prop === 'location') return { tag: 'location' };
        if (prop === 'document') return { tag: 'document' };
        if (prop === 'name') return h.source(text(node), node, true);
        return undefined;
      case 'document':
        if (prop === 'location') return { tag: 'location' };
        if (/^(URL|documentURI|referrer|baseURI)$/.test(prop)) return h.source(text(node), node, true);
        return undefined;
      case 'location':
        if (/^(hash|search|href)$/.test(prop)) return h.source(text(node), node, true);
        return CLEAN;
      default:
        return undefined;
    }
  },

  call(ci, h) {
    return jsCall(ci, h);
  },

  assignMember(obj, prop, _key, value, node, valueNode) {
    const uses: SinkUse[] = [];
    if (prop && PASSWORD_FIELD.test(prop) && value.taint && obj.tag !== 'session') uses.push({ kind: 'password-store', api: `.${prop} =`, value, arg: valueNode, node });
    if (prop && SENSITIVE_FIELD.test(prop) && (value.taint || value.param) && !value.refs && obj.tag !== 'session') uses.push({ kind: 'sensitive-store', api: `.${prop} =`, value, arg: valueNode, node, info: { field: prop } });
    // A fixed password set on an instance of a class of this file (`user.password = 'admin123'`).
    else if (prop && PASSWORD_FIELD.test(prop) && obj.cls && typeof value.c?.v === 'string' && value.c.v.length > 0) uses.push({ kind: 'password-store', api: `.${prop} =`, value, arg: valueNode, node, info: { field: prop, constant: true } });
    if (prop === 'innerHTML' || prop === 'outerHTML') uses.push({ kind: 'xss', api: prop, value, arg: valueNode, node });
    else if (obj.tag === 'koa' && prop === 'body') uses.push({ kind: 'xss', api: 'ctx.body', value, arg: valueNode, node });
    else if (obj.tag === 'koa' && prop === 'redirect') uses.push({ kind: 'redirect', api: 'ctx.redirect', value, arg: valueNode, node });
    else if ((obj.tag === 'location' && (prop === 'href' || prop === undefined)) || (obj.tag === 'window' && prop === 'location') || (obj.tag === 'document' && prop === 'location')) {
      uses.push({ kind: 'redirect', api: 'location', value, arg: valueNode, node });
    } else if (obj.tag === 'session') uses.push({ kind: 'trust-boundary', api: 'req.session', value, arg: valueNode, node });
    else uses.push(...credentialStoreUse(node.childForFieldName('left') ?? node, value, node, valueNode));
    return uses;
  },
};

function arg(ci: CallInfo, i: number): Value {
  return ci.args[i] ?? CLEAN;
}

function argNode(ci: CallInfo, i: number): SyntaxNode {
  return ci.call.args[i]?.e.node ?? ci.call.node;
}

function sink(ci: CallInfo, kind: SinkKind, api: string, i: number, info?: SinkUse['info']): SinkUse {
  return { kind, api, value: arg(ci, i), arg: argNode(ci, i), node: ci.call.node, info };
}

/** The value of property `key` of an object literal argument, if the argument is one. */
function optionOf(v: Value, key: string, h: Helpers): Value | undefined {
  for (const o of h.objects(v)) {
    const f = o.fields.get(key);
    if (f) return f;
  }
  return undefined;
}

function jsCall(ci: CallInfo, h: Helpers): CallResult | undefined {
  const { call, recv } = ci;
  const name = call.name;
  const m = call.method;
  const a0 = arg(ci, 0);

  // ---- Sources on request objects
  if (recv?.tag === 'req') {
    if (/^(param|get|header|cookie)$/.test(m)) return { value: h.source(text(call.node), call.node, true) };
    if (/^(json|formData|text|body|arrayBuffer|blob)$/.test(m)) return { value: h.source(text(call.node), call.node, m === 'text') };
    if (m === 'on' && /^(data|end)$/.test(String(h.constOf(a0)))) {
      const cb = ci.args[1];
      if (cb && h.constOf(a0) === 'data') return { value: CLEAN, callbacks: [{ fn: cb, args: [h.source(`${text(call.callee.k === 'member' ? call.callee.obj.node : call.node)} 'data' chunk`, call.node, true)] }] };
      if (cb) return { value: CLEAN, callbacks: [{ fn: cb, args: [] }] };
    }
  }
  if (recv?.tag === 'koa' && /^(get)$/.test(m)) return { value: h.source(text(call.node), call.node, true) };
  if (recv?.tag === 'cookies' && m === 'get') return { value: h.source(text(call.node), call.node, true) };

  // ---- Responses: chained setters return the response; sinks
  if (recv?.tag === 'res' || recv?.tag === 'koa-res') {
    if (/^(send|write|end)$/.test(m) && ci.args.length) {
      // Express sends objects and arrays as JSON; only strings become HTML.
      const v = a0;
      if (v.refs && !v.taint) return { value: { tag: 'res' } };
      return { value: { tag: 'res' }, sinks: [sink(ci, 'xss', `res.${m}`, 0)] };
    }
    if (/^(redirect|sendRedirect)$/.test(m)) {
      const i = ci.args.length > 1 ? ci.args.length - 1 : 0;
      return { value: { tag: 'res' }, sinks: [sink(ci, 'redirect', `res.${m}`, i)] };
    }
    if (m === 'location') return { value: { tag: 'res' }, sinks: [sink(ci, 'redirect', 'res.location', 0)] };
    if (/^(setHeader|set|header|append)$/.test(m) && /^location$/i.test(String(h.constOf(a0) ?? ''))) return { value: { tag: 'res' }, sinks: [sink(ci, 'redirect', `res.${m}('Location')`, 1)] };
    if (/^(sendFile|download|sendfile)$/.test(m)) {
      const opts = ci.args.slice(1).some((v) => optionOf(v, 'root', h));
      return { value: { tag: 'res' }, sinks: opts ? [] : [sink(ci, 'path', `res.${m}`, 0)] };
    }
    if (m === 'render') return { value: { tag: 'res' }, sinks: [sink(ci, 'template', 'res.render (view name)', 0)] };
    if (m === 'cookie' && ci.args.length >= 2) return { value: { tag: 'res' }, sinks: [sink(ci, 'cookie', 'res.cookie', 1)] };
    if (/^(status|type|contentType|vary|links|attachment|cookie|clearCookie|writeHead|format|setHeader|set|header|append|code)$/.test(m)) return { value: { tag: 'res' } };
    return { value: CLEAN };
  }
  if (recv?.tag === 'reply') {
    if (m === 'redirect') return { value: { tag: 'reply' }, sinks: [sink(ci, 'redirect', 'reply.redirect', ci.args.length > 1 ? ci.args.length - 1 : 0)] };
    if (/^(sendFile|download)$/.test(m)) return { value: { tag: 'reply' }, sinks: [sink(ci, 'path', `reply.${m}`, 0)] };
    return { value: /^(code|status|header|headers|type|serializer)$/.test(m) ? { tag: 'reply' } : CLEAN };
  }
  if (recv?.tag === 'koa' && m === 'redirect') return { value: CLEAN, sinks: [sink(ci, 'redirect', 'ctx.redirect', 0)] };
  if (recv?.tag === 'location' && /^(assign|replace)$/.test(m)) return { value: CLEAN, sinks: [sink(ci, 'redirect', `location.${m}`, 0)] };
  if (recv?.tag === 'document' && /^(write|writeln)$/.test(m)) return { value: CLEAN, sinks: [sink(ci, 'xss', `document.${m}`, 0)] };
  if (recv?.tag === 'window' && m === 'open') return { value: CLEAN, sinks: [sink(ci, 'redirect', 'window.open', 0)] };

  // ---- Weak randomness (CWE-330) and weak hashing (CWE-328)
  if (name === 'Math.random') return { value: randomValue(ci, h) };
  if (/(^|\.)createHash$/.test(name) && /^(crypto|node:crypto)\./.test(name) || name === 'createHash') {
    const algo = h.constOf(a0);
    if (typeof algo === 'string' && WEAK_HASH_ALGO.test(algo)) return { value: weakHasher(algo) };
  }
  if (recv?.tag === 'weak-hasher' && m === 'update' && ci.args.length) return { value: recv, sinks: [weakHashUse(ci, recv.type ?? 'MD5', 0, `createHash('${(recv.type ?? 'MD5').toLowerCase()}').update`)] };
  if (recv?.tag === 'weak-hasher' && m === 'digest') return { value: hashed(ci, h) };

  // ---- Signature checks: jsonwebtoken's `jwt.verify(token, key[, options][, callback])` returns (or passes its
  // callback) claims the client cannot forge; `jwt.decode` checks nothing and is not one.
  if (/^jsonwebtoken\.verify$/.test(name) && ci.args.length >= 2) {
    const claims = verifiedValue(propagate(ci, h));
    const cb = ci.args.slice(2).find((v) => v.fn !== undefined);
    return { value: claims, callbacks: cb ? [{ fn: cb, args: [CLEAN, claims] }] : undefined };
  }

  // ---- Sinks by callee name
  const sinks: SinkUse[] = [];
  if (/^(child_process\.)?(exec|execSync)$/.test(name) && name.startsWith('child_process')) sinks.push(sink(ci, 'command', name, 0));
  else if (/^child_process\.(spawn|spawnSync|execFile|execFileSync|fork)$/.test(name)) {
    sinks.push(sink(ci, 'command', name, 0));
    const shell = ci.args.slice(1).map((v) => optionOf(v, 'shell', h)).find((v) => v !== undefined);
    if (shell && h.constOf(shell)) sinks.push({ ...sink(ci, 'command', `${name} with shell: true`, 1) });
  } else if (/^((window|globalThis|global)\.)?eval$/.test(name) && call.callee.k === 'var' || name === 'eval') sinks.push(sink(ci, 'code', 'eval', 0));
  else if (/^((window|globalThis)\.)?Function$/.test(name) && ci.args.length) sinks.push(sink(ci, 'code', 'new Function', ci.args.length - 1));
  else if (/^((window|globalThis|global)\.)?(setTimeout|setInterval|setImmediate)$/.test(name) && ci.args.length && !isFunctionValue(a0)) sinks.push(sink(ci, 'code', name, 0));
  else if (/^vm\.(runInThisContext|runInNewContext|runInContext|compileFunction|Script)$/.test(name)) sinks.push(sink(ci, 'code', name, 0));
  // mathjs before v6 (`math.eval`, renamed `evaluate` in v6) has known sandbox escapes to the Function
  // constructor (CVE-2017-1001002, CVE-2017-1001003): evaluating client text runs code.
  else if (/^mathjs\.eval$/.test(name)) sinks.push(sink(ci, 'code', name, 0));
  else if (JS_FS.test(name)) {
    sinks.push(sink(ci, 'path', name, 0));
    if (/\.(rename|renameSync|copyFile|copyFileSync|move|copy)$/.test(name)) sinks.push({ ...sink(ci, 'path', name, 1), node: call.node });
  } else if (HTTP_CLIENT.test(name) && !(name === 'request' && recv)) {
    const url = a0.refs ? optionOf(a0, 'url', h) ?? optionOf(a0, 'host', h) ?? optionOf(a0, 'hostname', h) ?? a0 : a0;
    sinks.push({ kind: 'ssrf', api: name, value: url, arg: argNode(ci, 0), node: call.node });
    // What a server the client chose sends back is the client's content too (reflected into a page, it is XSS).
    if (url.taint && (url.taint.source.kind ?? 'request') === 'request') {
      const body: Value = { taint: { ...step(url.taint, `the response of \`${name}\``, h.line(call.node)), str: false, safe: 0 } };
      // Node-style clients call back `(err, response, body)` (needle, request); `https.get` calls back `(response)`.
      const nodeStyle = /^(needle|request)\b/.test(name);
      const cb = ci.args.slice(1).find((v) => v.fn !== undefined);
      return { sinks, value: body, callbacks: cb ? [{ fn: cb, args: nodeStyle ? [CLEAN, body, body] : [body] }] : undefined };
    }
  } else if (TEMPLATE_COMPILERS.test(name)) sinks.push(sink(ci, 'template', name, 0));
  else if (/^(node-serialize|serialize-javascript|funcster|cryo)\.(unserialize|deserialize|deepDeserialize|parse)$/.test(name)) sinks.push(sink(ci, 'deserialize', name, 0));
  else if (/^js-yaml\.load$/.test(name)) sinks.push(sink(ci, 'deserialize', name, 0));
  else if (/^(libxmljs2?|libxmljs)\.(parseXml|parseXmlString|parseHtml|parseHtmlString|SaxParser)$/.test(name)) {
    const opts = ci.args[1];
    const noent = opts ? optionOf(opts, 'noent', h) : undefined;
    if (noent && h.constOf(noent) === true) sinks.push(sink(ci, 'xxe', name, 0, { option: 'noent' }));
  } else if (/^(RegExp)$/.test(name)) sinks.push(sink(ci, 'regex', call.isNew ? 'new RegExp' : 'RegExp', 0));
  else if (name === 'jsx:dangerouslySetInnerHTML') {
    const html = optionOf(a0, '__html', h) ?? a0;
    sinks.push({ kind: 'xss', api: 'dangerouslySetInnerHTML', value: html, arg: argNode(ci, 0), node: call.node });
  } else if (name === 'jsx:href' || name === 'jsx:src') {
    // A `javascript:` URL in an attribute runs script; only a value that is entirely input can start with it.
    if (a0.taint && a0.prefix === undefined) sinks.push({ ...sink(ci, 'xss', name.slice(4), 0), info: { attribute: true } });
  } else if (/\.insertAdjacentHTML$/.test(name)) sinks.push(sink(ci, 'xss', 'insertAdjacentHTML', 1));
  else if (/^((window\.)?document\.(write|writeln))$/.test(name)) sinks.push(sink(ci, 'xss', name, 0));
  else if (/^(next\/navigation\.(redirect|permanentRedirect)|NextResponse\.redirect|Response\.redirect|next\/server\.NextResponse\.redirect)$/.test(name)) sinks.push(sink(ci, 'redirect', name, 0));
  if (call.callee.k === 'member') {
    const rt = ci.recvText;
    if (SQL_METHODS.test(m) && !isTaggedTemplate(call.node) && (SQL_UNAMBIGUOUS.test(m) || DB_RECEIVER.test(rt) || isSqlText(a0, h))) {
      if (!isFunctionValue(a0)) sinks.push({ ...sink(ci, 'sql', `${m}`, 0), info: { params: ci.args.length > 1 } });
    }
    if (MONGO_METHODS.test(m) && ci.args.length && !isFunctionValue(a0) && !DB_SQL_ONLY.test(rt)) {
      const nosql = nosqlUse(ci, h);
      if (nosql) sinks.push(nosql);
    }
    if (/^(find|findOne|findById|findByPk|findUnique|findFirst|get|getById|getOne|load|fetch|read|retrieve)(By\w+)?$/.test(m) && !/^(req|request|res|ctx|this\.cache|cache|map|headers|params|query|body|cookies|session|process\.env|Object|Reflect|JSON|Array|console|\w*[Mm]ap|\w*[Cc]ache)$/.test(rt) && !isFunctionValue(a0)) {
      const lk = lookupUse(ci, h, `${rt}.${m}`);
      if (lk) sinks.push(lk);
    }
    if (LOG_METHODS.test(m) && LOGGER_RECEIVER.test(rt)) {
      ci.args.forEach((v, i) => {
        if (v.taint && !v.refs) sinks.push(sink(ci, 'log', `${rt}.${m}`, i));
      });
    }
    if (m === 'redirect' && /^(reply|h|ctx|res|response)$/.test(rt)) sinks.push(sink(ci, 'redirect', `${rt}.redirect`, ci.args.length > 1 ? ci.args.length - 1 : 0));
  }
  if (call.callee.k === 'member' && /^(insert|insertOne|insertMany|create|save|update|updateOne|upsert|build|bulkCreate|add|set|put|findOneAndUpdate|findByIdAndUpdate)$/.test(m)) {
    const pw = passwordFieldUse(ci, h, `${ci.recvText}.${m}`);
    if (pw) sinks.push(pw);
    const sensitive = sensitiveFieldUse(ci, h, `${ci.recvText}.${m}`);
    if (sensitive) sinks.push(sensitive);
  }
  if (call.isNew && ci.args.length === 1) {
    const pw = passwordFieldUse(ci, h, `new ${name}`);
    if (pw) sinks.push(pw);
  }
  // Database reads return stored data, not the request data in the query.
  if (sinks.length) return { sinks, value: sinks.every((s) => QUERY_SINKS.has(s.kind)) ? CLEAN : propagate(ci, h) };
  if (ENCRYPT_CALL.test(name)) {
    const v = propagate(ci, h);
    return { value: v.taint ? withTaint(v, sanitise(v.taint, kindBit('sensitive-store'))) : v };
  }
  if (HASH_CALL.test(name) && !/^(JSON|Object|Math|location|document)\./.test(name) && !(m === 'update' && !/hash|hmac|digest|md|sha|cipher/i.test(ci.recvText + name))) return { value: hashed(ci, h) };

  // ---- Sanitisers and conversions
  if (/^(parseInt|parseFloat|Number|Number\.parseInt|Number\.parseFloat|Number\.isInteger|Boolean|isNaN|Math\.\w+|Date\.parse|validator\.toInt|validator\.toFloat|BigInt)$/.test(name)) return { value: numericFrom(...ci.args) };
  if (/^(String)$/.test(name) && !call.isNew) return { value: withStr(a0, h) };
  if (m === 'toString' || m === 'toLowerCase' || m === 'toUpperCase' || m === 'trim' || m === 'trimStart' || m === 'trimEnd' || m === 'normalize' || m === 'padStart' || m === 'padEnd' || m === 'concat' && !recv?.refs) {
    if (recv && !recv.refs) return { value: withStr(join2(recv, ci.args), h) };
  }
  if (/^(encodeURIComponent|encodeURI|escape|querystring\.escape)$/.test(name)) return { value: withTaint(withStr(a0, h), sanitise(asString(h.deepTaint(a0)), name === 'encodeURI' ? KIND('xss') | KIND('log') | KIND('header') : URL_ENCODED)) };
  // Percent-decoding undoes what encoding (or the raw request target) was safe for: `%0A` becomes a line break.
  if (/^(decodeURIComponent|decodeURI|unescape|querystring\.unescape)$/.test(name)) return { value: decoded(a0, URL_ENCODED, h) };
  if (HTML_ENCODER.test(name) || HTML_ENCODER.test(m)) return { value: sanitised(a0, KIND('xss') | KIND('template'), h) };
  if (/^(mysql|mysql2|sqlstring|pg-format|SqlString)\.(escape|escapeId|format)$/.test(name) || (/^(escape|escapeId)$/.test(m) && DB_RECEIVER.test(ci.recvText))) return { value: sanitised(a0, KIND('sql'), h) };
  if (/^(shell-quote\.quote|shellescape|shell-escape)$/.test(name)) return { value: sanitised(a0, KIND('command'), h) };
  if (/^path\.(basename)$/.test(name) || /^(path\.posix|path\.win32)\.basename$/.test(name)) return { value: sanitised(a0, KIND('path'), h) };
  if (/^path\.(resolve|normalize|join)$/.test(name) || /^fs\.(realpathSync|realpath)$/.test(name)) {
    let t;
    for (const v of ci.args) t = t ?? v.taint;
    const prefix = h.constOf(a0);
    return { value: t ? { taint: { ...t, str: true, norm: true }, prefix: typeof prefix === 'string' ? prefix : undefined } : CLEAN };
  }
  if (m === 'replace' || m === 'replaceAll') return { value: replaceValue(ci, h) };
  if (name === 'JSON.parse') return { value: a0.taint ? { taint: { ...a0.taint, str: false } } : CLEAN };
  if (name === 'JSON.stringify') {
    const t = h.deepTaint(a0);
    return { value: t ? { taint: { ...t, str: true } } : CLEAN };
  }

  // ---- Collections and callbacks
  return collections(ci, h);
}

const DB_SQL_ONLY = /^(db|conn|connection|pool|mysql|pg|sqlite|knex)$/;

function isTaggedTemplate(call: SyntaxNode): boolean {
  return call.type === 'call_expression' && call.childForFieldName('arguments')?.type === 'template_string';
}

/** True when a value's constant parts read as SQL (`SELECT ... FROM`, `INSERT INTO`, `WHERE x =`). */
export function isSqlText(v: Value, h: Helpers): boolean {
  const c = h.constOf(v);
  const t = typeof c === 'string' ? c : v.built ? v.built.node.text : '';
  return SQL_TEXT.test(t);
}

/** SQL statement shapes (case-insensitive). */
export const SQL_TEXT = /\b(select\b[\s\S]*\bfrom\b|insert\s+into\b|update\b[\s\S]*\bset\b|delete\s+from\b|merge\s+into\b|replace\s+into\b|(create|drop|alter|truncate)\s+(table|index|view|database|schema)\b|\bwhere\b[\s\S]*(=|\blike\b|\bin\b)|\{\s*call\b)/i;

/** MongoDB operator injection: request data that may be an object used as a filter value, or `$where` built from input. */
function nosqlUse(ci: CallInfo, h: Helpers): SinkUse | undefined {
  const a0 = arg(ci, 0);
  const api = `${ci.recvText}.${ci.call.method}`;
  if (ci.call.method === 'where' && a0.taint && (a0.taint.str || !a0.refs)) return { kind: 'nosql', api, value: a0, arg: argNode(ci, 0), node: ci.call.node, info: { how: '$where' } };
  if (a0.taint && !a0.taint.str && !a0.refs) return { kind: 'nosql', api, value: a0, arg: argNode(ci, 0), node: ci.call.node, info: { how: 'filter' } };
  for (const o of h.objects(a0)) {
    for (const [k, v] of o.fields) {
      if (k === '$where' && (v.taint || (v.built && v.param))) return { kind: 'nosql', api, value: v, arg: argNode(ci, 0), node: ci.call.node, info: { how: '$where' } };
      if (v.taint && !v.taint.str && !v.refs) return { kind: 'nosql', api, value: v, arg: argNode(ci, 0), node: ci.call.node, info: { how: 'operator', field: k } };
    }
  }
  return undefined;
}

function withStr(v: Value, h: Helpers): Value {
  const t = v.taint ?? (v.refs ? h.deepTaint(v) : undefined);
  if (v.c) return { c: { v: String(v.c.v) } };
  return t ? { taint: asString(t), prefix: v.prefix } : CLEAN;
}

function join2(recv: Value, args: Value[]): Value {
  let t = recv.taint;
  for (const a of args) t = t ?? a.taint;
  return t ? { taint: t } : CLEAN;
}

/** `s.replace(/[<>]/g, '')`: a replacement that removes `<`/`>` makes a value safe for HTML; one that removes `..` and `/` for paths. */
function replaceValue(ci: CallInfo, h: Helpers): Value {
  const recv = ci.recv ?? CLEAN;
  const t = recv.taint;
  if (!t) {
    const extra = ci.args[1]?.taint;
    return extra ? { taint: asString(extra) } : recv.c ? CLEAN : CLEAN;
  }
  const pattern = ci.call.args[0]?.e;
  const replacement = h.constOf(arg(ci, 1));
  let mask = 0;
  if (pattern?.k === 'lit' && typeof pattern.v === 'string' && pattern.node.type === 'regex' && /g/.test(pattern.node.childForFieldName('flags')?.text ?? '')) {
    const src = pattern.v;
    const removesAngles = /[<]/.test(src) && /[>]/.test(src);
    if (removesAngles && (typeof replacement === 'string' ? !/[<>]/.test(replacement) : false)) mask |= KIND('xss');
    if (/\\\.\\\.|\[\^/.test(src) && /\//.test(src)) mask |= KIND('path');
  }
  return { taint: sanitise(asString(t), mask) ?? undefined, prefix: recv.prefix };
}

function propagate(ci: CallInfo, h: Helpers): Value {
  let t = ci.recv?.taint;
  for (const a of ci.args) t = t ?? a.taint ?? (a.refs ? h.deepTaint(a) : undefined);
  return t ? { taint: t } : CLEAN;
}

/** Arrays, maps, sets, promises, `Object.*`, `Reflect.*`, `Function.prototype.call/apply`. */
function collections(ci: CallInfo, h: Helpers): CallResult | undefined {
  const { call, recv } = ci;
  const m = call.method;
  const name = call.name;
  const a0 = arg(ci, 0);
  const el = (v: Value) => h.contents(v);

  if ((name === 'Array' || name === 'Array.of') && !call.args.some((a) => a.spread)) {
    const n = h.constOf(a0);
    if (name === 'Array' && ci.args.length === 1 && typeof n === 'number' && n >= 0 && n <= 1000) return { value: h.alloc(call.node, 'array', { elems: Array.from({ length: n }, () => constant(undefined)) }) };
    return { value: h.alloc(call.node, 'array', { elems: [...ci.args] }) };
  }
  if (name === 'Array.from') {
    const mapFn = ci.args[1];
    if (mapFn?.fn !== undefined) {
      const r = h.invoke(mapFn, [el(a0), { numeric: true }], call.node);
      return { value: h.alloc(call.node, 'array', { any: r }) };
    }
    return { value: h.alloc(call.node, 'array', { any: a0.taint ? { taint: a0.taint } : el(a0) }) };
  }
  if (name === 'Object.values' || name === 'Object.entries') {
    const c = el(a0);
    return { value: h.alloc(call.node, 'array', { any: name === 'Object.values' ? c : h.alloc(-(call.node.id * 8 + 3), 'array', { any: join(c, a0.taint ? { taint: a0.taint } : CLEAN) }) }) };
  }
  if (name === 'Object.keys') return { value: h.alloc(call.node, 'array', { any: a0.taint ? { taint: a0.taint } : CLEAN }) };
  if (name === 'Object.assign') {
    for (const src of ci.args.slice(1)) for (const o of h.objects(src)) for (const [k, v] of o.fields) h.write(a0, k, v);
    return { value: a0 };
  }
  if (name === 'Object.freeze' || name === 'Promise.resolve' || name === 'structuredClone') return { value: a0 };
  if (name === 'Reflect.construct' || name === 'Reflect.apply') return undefined;
  if (name === 'Reflect.get') return { value: join(el(a0), a0.taint ? { taint: a0.taint } : CLEAN) };
  if (name === 'Map' || name === 'Set' || name === 'WeakMap' || name === 'WeakSet') {
    if (!call.isNew) return undefined;
    const init = el(a0);
    return { value: h.alloc(call.node, name === 'Map' || name === 'WeakMap' ? 'map' : 'set', { any: init.refs ? el(init) : init.taint ? init : undefined }) };
  }
  if (!recv) return undefined;

  // Function values
  if (recv.fn !== undefined) {
    if (m === 'call') return { value: h.invoke(recv, ci.args.slice(1), call.node) };
    if (m === 'apply') return { value: h.invoke(recv, [el(arg(ci, 1))], call.node) };
    if (m === 'bind') return { value: recv };
  }
  // Promises
  if (m === 'then' || m === 'catch' || m === 'finally') {
    const cb = ci.args[0];
    if (cb?.fn !== undefined) return { value: h.invoke(cb, m === 'then' ? [recv] : [], call.node) };
    return { value: recv };
  }
  if (!recv.refs) {
    // Higher-order calls on a tainted value that is not a modelled object (`input.split(',').forEach(...)`).
    const cb = ci.args.find((v) => v.fn !== undefined);
    if (cb && /^(forEach|map|filter|find|some|every|flatMap|reduce|findLast|sort)$/.test(m)) {
      const elem = recv.taint ? { taint: recv.taint } : CLEAN;
      const r = h.invoke(cb, m === 'reduce' ? [CLEAN, elem] : [elem, { numeric: true }], call.node);
      if (m === 'map' || m === 'flatMap') return { value: r.taint ? { taint: r.taint } : CLEAN };
      if (m === 'filter' || m === 'find' || m === 'sort' || m === 'findLast') return { value: elem };
      return { value: m === 'reduce' ? r : { numeric: true } };
    }
    return undefined;
  }
  const objs = h.objects(recv);
  const kind = objs[0]?.kind;
  switch (m) {
    case 'push':
    case 'unshift':
      h.update(recv, (o) => {
        if (o.kind === 'map' || o.kind === 'object') return o;
        if (o.elems && !call.args.some((a) => a.spread)) return { ...o, elems: m === 'push' ? [...o.elems, ...ci.args] : [...ci.args, ...o.elems] };
        let any = o.any;
        for (const v of ci.args) any = join(any, call.args.some((a) => a.spread) ? el(v) : v);
        return { ...o, elems: undefined, any: join(any, o.elems ? joinAll(o.elems) : undefined) };
      });
      return { value: { numeric: true } };
    case 'pop':
    case 'shift': {
      let out: Value | undefined;
      h.update(recv, (o) => {
        if (o.elems && o.elems.length) {
          const elems = [...o.elems];
          out = join(out, m === 'pop' ? elems.pop() : elems.shift());
          return { ...o, elems };
        }
        out = join(out, o.any);
        return o;
      });
      return { value: out ?? CLEAN };
    }
    case 'fill':
      h.update(recv, (o) => (o.elems ? { ...o, elems: o.elems.map(() => a0) } : { ...o, any: join(o.any, a0) }));
      return { value: recv };
    case 'join': {
      const c = el(recv);
      return { value: c.taint ? { taint: asString(c.taint) } : CLEAN };
    }
    case 'slice':
    case 'concat':
    case 'reverse':
    case 'sort':
    case 'flat':
    case 'toReversed':
    case 'toSorted': {
      if (kind === 'map' || kind === 'object') return undefined;
      let any = el(recv);
      for (const v of ci.args) any = join(any, v.refs ? el(v) : v);
      return { value: m === 'reverse' || m === 'sort' ? recv : h.alloc(call.node, 'array', { any }) };
    }
    case 'forEach':
    case 'map':
    case 'filter':
    case 'find':
    case 'findLast':
    case 'some':
    case 'every':
    case 'flatMap':
    case 'reduce': {
      const cb = ci.args[0];
      if (cb?.fn === undefined) return undefined;
      const isMap = kind === 'map';
      const o = objs[0]!;
      const elem = isMap ? join(o.any, joinAll([...o.fields.values()])) : el(recv);
      const r = h.invoke(cb, m === 'reduce' ? [arg(ci, 1), elem] : [elem, isMap ? CLEAN : { numeric: true }, recv], call.node);
      if (m === 'map' || m === 'flatMap') return { value: h.alloc(call.node, 'array', { any: r }) };
      if (m === 'filter') return { value: h.alloc(call.node, 'array', { any: elem }) };
      if (m === 'find' || m === 'findLast') return { value: elem };
      if (m === 'reduce') return { value: r };
      return { value: { numeric: true } };
    }
    case 'set':
      if (kind === 'map') {
        const k = h.constOf(a0);
        if (typeof k === 'string' || typeof k === 'number') h.write(recv, String(k), arg(ci, 1));
        else h.update(recv, (o) => ({ ...o, any: join(o.any, arg(ci, 1)) }));
        return { value: recv };
      }
      return undefined;
    case 'add':
      if (kind === 'set') {
        h.update(recv, (o) => ({ ...o, any: join(o.any, a0) }));
        return { value: recv };
      }
      return undefined;
    case 'get': {
      if (kind !== 'map') return undefined;
      const k = h.constOf(a0);
      let out: Value | undefined;
      for (const o of objs) out = join(out, typeof k === 'string' || typeof k === 'number' ? (o.fields.get(String(k)) ?? o.any ?? CLEAN) : join(o.any, joinAll([...o.fields.values()])));
      return { value: out ?? CLEAN };
    }
    case 'values':
    case 'keys':
    case 'entries':
      return { value: h.alloc(call.node, 'array', { any: m === 'keys' ? CLEAN : el(recv) }) };
    case 'includes':
    case 'indexOf':
    case 'has':
      return { value: { numeric: true } };
    default:
      return undefined;
  }
}

