/**
 * Taint model of Python: sources (Flask/Quart/Bottle `request`, Django and DRF views, aiohttp and
 * Starlette/FastAPI requests and route parameters, Tornado handlers), sanitisers, list/dict
 * propagation, and sinks per kind.
 *
 * API facts: Flask `request.args/form/values/files/cookies/headers/json/data`; Django `HttpRequest.GET/
 * POST/COOKIES/META/body/FILES`; aiohttp `request.match_info/query/post()`; `subprocess` with
 * `shell=True`; `yaml.load` without `SafeLoader`; `pickle`; Jinja2 `Template`/`from_string`;
 * `lxml.etree.XMLParser(resolve_entities=...)`; `hashlib`.
 */
import type { SyntaxNode } from '../../syntax';
import type { CallInfo, CallResult, Helpers, LanguageModel, SinkUse } from '../model';
import { CLEAN, asString, constant, join, kindBit, numericFrom, sanitise, verifiedValue, withTaint, type Value } from '../value';
import { ENCRYPT_CALL, HASH_CALL, HTML_ESCAPED, PASSWORD_FIELD, SENSITIVE_FIELD, sensitiveFieldUse, URL_ENCODED, rawTarget, WEAK_HASH_ALGO, arg, argNode, asStringValue, collectionCall, credentialStoreUse, decoded, hashed, lookupUse, passwordFieldUse, propagated, randomValue, sanitised, sinkArg, sinkKw, weakHashUse, weakHasher, QUERY_SINKS } from './common';

const REQ_FIELDS = /^(args|form|values|files|cookies|headers|json|data|stream|url|base_url|full_path|path|query_string|view_args|GET|POST|COOKIES|META|body|FILES|path_info|query_params|path_params|match_info|query|rel_url|content|raw_path|arguments|body_arguments|query_arguments|uri|host_url|referrer|authorization|environ)$/;
const REQ_METHODS = /^(get_json|get_data|json|post|text|form|body|read|get_full_path|build_absolute_uri|get_host|get_argument|get_arguments|get_query_argument|get_query_arguments|get_body_argument|get_body_arguments|get_cookie|get_secure_cookie|multipart|stream)$/;
const WEB_FRAMEWORK = /^(flask|quart|sanic|starlette|fastapi|django|rest_framework|aiohttp|bottle|falcon|werkzeug|pyramid|tornado)\b/;
const ROUTE_DECORATOR = /^@[\w.]+\.(route|get|post|put|patch|delete|api_route|websocket|view)\s*\(|^@(route|get|post|put|patch|delete|api_view|app\.\w+)\b/;
const HANDLER_BASE = /(RequestHandler|View|APIView|ViewSet|GenericAPIView|MethodView|HTTPEndpoint|Resource)$/;
const LOGGER = /^(logging|log|logger|LOG|LOGGER|_logger|_log|self\.logger|self\.log|app\.logger|current_app\.logger)$/;

function text(n: SyntaxNode): string {
  return n.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');
}

function requestValue(site: SyntaxNode, h: Helpers): Value {
  const session = { ...h.alloc(-(site.id * 8 + 1), 'map'), tag: 'session' };
  const req = h.alloc(-(site.id * 8 + 2), 'object', { fields: new Map([['session', session]]) });
  return { ...req, tag: 'req' };
}

function importsWebFramework(h: Helpers): boolean {
  for (const c of h.file.root.namedChildren) {
    if (!c) continue;
    if (c.type === 'import_statement' || c.type === 'import_from_statement') {
      const mod = c.type === 'import_from_statement' ? c.childForFieldName('module_name')?.text ?? '' : c.namedChildren[0]?.text ?? '';
      if (WEB_FRAMEWORK.test(mod)) return true;
    }
  }
  return false;
}

/** The Python model. */
export const pythonModel: LanguageModel = {
  // Sources, and the sinks reported for strings built from a function's parameters.
  rootHint: /\b(request|current_user|session|get_argument|route|api_view|execute|executemany|executescript|raw|read_sql|system|popen|subprocess|eval|exec|compile|Template|render_template_string|from_string|password|extractall|tarfile|yaml|pickle|XMLParser|make_parser|etree|random|hashlib|md5|sha1|set_cookie)\b/,

  param(fn, p, i, h) {
    const route = fn.decorators.some((d) => ROUTE_DECORATOR.test(d));
    if (p.type && /^(Request|HttpRequest|flask\.Request|web\.Request|starlette\.requests\.Request|WSGIRequest)$/.test(p.type)) {
      // `Request` must be a web framework's (httpx and requests have outgoing `Request` classes).
      const b = h.binding(p.type.split('.')[0]!) ?? '';
      if (WEB_FRAMEWORK.test(b) || (!b && importsWebFramework(h))) return requestValue(p.node, h);
    }
    if (p.annotations.some((a) => /^(Query|Path|Body|Form|Header|Cookie|File)$/.test(a))) return h.source(`${p.annotations[0]}() ${p.name}`, p.node, p.type === 'str');
    if (i === 0 && (p.name === 'request' || p.name === 'req') && (route || importsWebFramework(h))) return requestValue(p.node, h);
    const hasRequestFirst = fn.params[0]?.name === 'request';
    // URL captures of Django views (`def view(request, slug)`) and Flask/FastAPI routes (`@app.route('/u/<name>')`).
    if (i > 0 && hasRequestFirst && importsWebFramework(h) && !p.defaultValue) {
      if (p.type && /^(int|float|bool|UUID|uuid\.UUID)$/.test(p.type)) return { numeric: true };
      return h.source(`URL parameter ${p.name}`, p.node, true);
    }
    if (route && p.name !== 'self' && !/^(db|session|current_user|background_tasks)$/.test(p.name)) {
      if (p.type && /^(int|float|bool|UUID)$/.test(p.type)) return { numeric: true };
      if (p.type && !/^(str|Optional\[str\]|List\[str\]|list\[str\]|str\|None|Any)$/.test(p.type) && !/^(Query|Path|Body|Form)/.test(p.defaultValue?.node.text ?? '')) return undefined;
      return h.source(`route parameter ${p.name}`, p.node, true);
    }
    return undefined;
  },

  global(name, node, h) {
    const b = h.binding(name) ?? '';
    // Flask's `request` proxy (or, in a file without the import, a `request` in a web app).
    if (name === 'request' && (/^(flask|quart|bottle|sanic|werkzeug)(\.|$)/.test(b) || (!b && (importsWebFramework(h) || h.ir.functions.some((f) => f.decorators.some((d) => ROUTE_DECORATOR.test(d))))))) return requestValue(h.file.root, h);
    if (/^current_user$|^g$/.test(name) && /^(flask_login|flask|quart)(\.|$)/.test(b) && name === 'current_user') return h.source('current_user', node, false, 'principal');
    // `import flask` … `flask.request`, `flask.session`.
    if (/^(flask|quart)$/.test(name) && !b && importsWebFramework(h)) return { tag: `module:${name}` };
    if (name === 'session' && /^(flask|quart)(\.|$)/.test(b)) return { ...h.alloc(-(h.file.root.id * 8 + 3), 'map'), tag: 'session' };
    return undefined;
  },

  member(obj, prop, node, h) {
    if (obj.tag === 'module:flask' || obj.tag === 'module:quart') {
      if (prop === 'request') return requestValue(h.file.root, h);
      if (prop === 'session') return { ...h.alloc(-(h.file.root.id * 8 + 3), 'map'), tag: 'session' };
      return undefined;
    }
    if (obj.tag === 'req') {
      if (prop === 'user' || prop === 'auth') return h.source(text(node), node, false, 'principal');
      if (prop === 'path') {
        const route = constantRoute(node);
        if (route !== undefined) return constant(route);
      }
      if (REQ_FIELDS.test(prop)) {
        const v = h.source(text(node), node, /^(url|base_url|full_path|path|path_info|uri|host_url|referrer|body|data|query_string|raw_path)$/.test(prop));
        // aiohttp's `rel_url` (a yarl URL of the encoded target) and `raw_path` are the target as sent.
        return /^(rel_url|raw_path)$/.test(prop) ? rawTarget(v) : v;
      }
      if (prop === 'session') return undefined;
      return undefined;
    }
    // Class-based views and Tornado handlers: `self.request`.
    if (prop === 'request' && obj.cls) {
      const cls = h.ir.classes.get(obj.cls);
      if (cls?.supers.some((s) => HANDLER_BASE.test(s))) return requestValue(cls.node, h);
    }
    return undefined;
  },

  call(ci, h) {
    return pyCall(ci, h);
  },

  assignMember(obj, prop, key, value, node, valueNode, h) {
    if (prop && PASSWORD_FIELD.test(prop) && value.taint && obj.tag !== 'session') return [{ kind: 'password-store', api: `.${prop} =`, value, arg: valueNode, node }];
    if (prop && SENSITIVE_FIELD.test(prop) && (value.taint || value.param) && !value.refs && obj.tag !== 'session') return [{ kind: 'sensitive-store', api: `.${prop} =`, value, arg: valueNode, node, info: { field: prop } }];
    // A fixed password set on a record of a class of this file (`user.password = 'admin123'`).
    if (prop && PASSWORD_FIELD.test(prop) && obj.cls && typeof value.c?.v === 'string' && value.c.v.length > 0) return [{ kind: 'password-store', api: `.${prop} =`, value, arg: valueNode, node, info: { field: prop, constant: true } }];
    // A record with a password put into a module-level store (`users[name] = {'password': password}`): it
    // outlives the request, so the password is kept as given.
    const store = node.childForFieldName('left');
    const holder = store?.type === 'subscript' ? store.childForFieldName('value') : undefined;
    if (!prop && holder?.type === 'identifier' && isModuleVariable(holder.text, h)) {
      for (const o of h.objects(value)) {
        for (const [k, v] of o.fields) {
          if (!PASSWORD_FIELD.test(k) || !(v.taint || v.param)) continue;
          const entry = o.node?.namedChildren.find((c) => c?.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === k);
          return [{ kind: 'password-store', api: `${holder.text}[...] =`, value: v, arg: entry ?? valueNode, node: entry ?? node, info: { field: k } }];
        }
      }
    }
    if (obj.tag === 'session') return [{ kind: 'trust-boundary', api: 'session[...]', value: join(value, key?.taint ? { taint: key.taint } : CLEAN), arg: valueNode, node }];
    return credentialStoreUse(node.childForFieldName('left') ?? node, value, node, valueNode);
  },

  construct(ci, cls) {
    // An ORM model of this file with a password column and no `__init__` of its own (SQLAlchemy's and
    // Django's generated constructors): a password passed to it is stored as given.
    const field = cls.fields.find((f) => f.isStatic && PASSWORD_FIELD.test(f.name));
    if (!field || cls.methods.has('__init__')) return [];
    const api = `${cls.name}(...)`;
    const kw = [...ci.kwargs].find(([k, v]) => PASSWORD_FIELD.test(k) && (v.taint || v.param));
    if (kw) return [{ kind: 'password-store', api, value: kw[1], arg: ci.call.kwargs.get(kw[0])?.node ?? ci.call.node, node: ci.call.node, info: { field: kw[0] } }];
    for (let i = 0; i < ci.args.length; i++) {
      const e = ci.call.args[i]?.e;
      const name = e?.k === 'var' ? e.name : e?.k === 'member' ? e.prop : '';
      const v = ci.args[i]!;
      if (PASSWORD_FIELD.test(name) && (v.taint || v.param)) return [{ kind: 'password-store', api, value: v, arg: e!.node, node: ci.call.node, info: { field: field.name } }];
    }
    return [];
  },

  returned(fn, value, node, valueNode, h) {
    // A Flask/Bottle/FastAPI handler's returned string is the HTML response body.
    if (!fn.decorators.some((d) => ROUTE_DECORATOR.test(d))) return [];
    if ((value.refs && !value.taint) || value.tag === 'response') return [];
    if (fn.decorators.some((d) => /response_class\s*=\s*(JSONResponse|PlainTextResponse)/.test(d))) return [];
    // `def view_get(): return view_post()`: the other handler's response is judged where it is returned.
    if (valueNode.type === 'call') {
      const callee = valueNode.childForFieldName('function')?.text;
      if (callee && h.ir.functions.some((f) => f.name === callee && f.decorators.some((d) => ROUTE_DECORATOR.test(d)))) return [];
    }
    return [{ kind: 'xss', api: 'the route handler\'s response', value, arg: valueNode, node }];
  },
};

/** True when `name` is assigned at the top level of the module (a store shared by every request). */
function isModuleVariable(name: string, h: Helpers): boolean {
  return h.file.root.namedChildren.some((c) => c?.type === 'expression_statement' && c.namedChildren[0]?.type === 'assignment' && c.namedChildren[0].childForFieldName('left')?.text === name);
}

/**
 * The path every route decorator of the function around `node` names, when they all name the same
 * path without variable parts (`@app.route('/admin/report', methods=['POST'])`): in that handler
 * Flask's `request.path` can only be that path (werkzeug matches static rules exactly), so it carries
 * no client input. Undefined when the function has no such decorator, or a rule has `<converters>`.
 */
function constantRoute(node: SyntaxNode): string | undefined {
  let fn: SyntaxNode | null = node.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const decorated = fn?.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  if (!decorated) return undefined;
  const paths = new Set<string>();
  for (const d of decorated.namedChildren) {
    if (d?.type !== 'decorator') continue;
    const m = /^@[\w.]+\.(route|get|post|put|patch|delete)\(\s*(['"])([^'"<>{}]*)\2\s*[,)]/.exec(d.text);
    if (!m) continue;
    paths.add(m[3]!);
  }
  return paths.size === 1 ? [...paths][0] : undefined;
}

/** Functions of the `random` module (a Mersenne Twister: predictable from 624 outputs; Python docs, "random"). */
const RANDOM_FN = /^random\.(random|randint|randrange|randbytes|choice|choices|sample|getrandbits|uniform|normalvariate|gauss|triangular|betavariate|expovariate|gammavariate|lognormvariate|vonmisesvariate|paretovariate|weibullvariate|binomialvariate)$/;

function pyCall(ci: CallInfo, h: Helpers): CallResult | undefined {
  const { call, recv } = ci;
  const name = call.name;
  const m = call.method;
  const a0 = arg(ci, 0);

  if (name === '<comprehension>') {
    const it = a0;
    const elem = h.contents(it);
    const r = h.invoke(arg(ci, 1), [it.taint && !elem.taint ? join(elem, { taint: it.taint }) : elem], call.node);
    return { value: h.alloc(call.node, 'array', { any: r }) };
  }
  if (m === '__getslice__') {
    if (recv?.refs) return { value: h.alloc(call.node, 'array', { any: h.contents(recv) }) };
    if (recv?.c && typeof recv.c.v === 'string') {
      const s = ci.args.map((v) => h.constOf(v));
      if (s.every((x) => typeof x === 'number' || x === undefined)) return { value: constant(recv.c.v.slice(s[0] as number | undefined, s[1] as number | undefined)) };
    }
    return { value: recv?.taint ? { taint: recv.taint } : CLEAN };
  }

  // Rendering through auto-escaping templates and JSON responses: the result is a safe response body.
  if (/^(flask\.)?(render_template|jsonify|make_response_json)$/.test(name) || /^(django\.shortcuts\.)?(render|render_to_response)$/.test(name) || /^(django\.template\.loader\.)?render_to_string$/.test(name) || /^(django\.http\.)?JsonResponse$/.test(name) || /^(starlette\.responses\.|fastapi\.responses\.)?(JSONResponse|PlainTextResponse|TemplateResponse)$/.test(name) || m === 'TemplateResponse') {
    if (call.callee.k === 'var' || /^(flask|django|starlette|fastapi)\./.test(name) || m === 'TemplateResponse') return { value: { tag: 'response' } };
  }

  // ---- Sources
  if (recv?.tag === 'req') {
    if (REQ_METHODS.test(m)) {
      const v = h.source(text(call.node), call.node, /^(text|get_data|body|read|get_full_path|build_absolute_uri|get_argument|get_query_argument|get_body_argument|get_cookie)$/.test(m));
      // Django percent-encodes the path of these (`escape_uri_path`, `iri_to_uri`); the query string is the raw one.
      return { value: /^(get_full_path|build_absolute_uri)$/.test(m) ? rawTarget(v) : v };
    }
    return { value: CLEAN };
  }

  // ---- Weak randomness (CWE-330): the `random` module and `random.Random()`; `secrets` and `random.SystemRandom()` are not.
  if (RANDOM_FN.test(name) && call.callee.k !== 'var' || RANDOM_FN.test(name) && h.binding(m) === name) return { value: randomValue(ci, h) };
  if (name === 'random.Random') return { value: { tag: 'weak-random' } };
  if (recv?.tag === 'weak-random') return { value: RANDOM_FN.test(`random.${m}`) ? randomValue(ci, h) : CLEAN };
  // ---- Weak hashing (CWE-328): `hashlib.md5(data)`, `hashlib.new('sha1')` … `.update(data)`.
  if (/^hashlib\.(md5|sha1|md4|new)$/.test(name) && !(ci.kwargs.get('usedforsecurity') && h.constOf(ci.kwargs.get('usedforsecurity')!) === false)) {
    const algo = m === 'new' ? h.constOf(a0) : m;
    if (typeof algo === 'string' && WEAK_HASH_ALGO.test(algo)) {
      const use = sinkKw(ci, 'weak-hash', `hashlib.${m}`, ci.kwargs.has('data') ? 'data' : 'string', m === 'new' ? 1 : 0);
      return { value: weakHasher(algo), sinks: use ? [{ ...use, info: { algo: algo.toUpperCase() } }] : [] };
    }
  }
  if (recv?.tag === 'weak-hasher' && m === 'update' && ci.args.length) return { value: CLEAN, sinks: [weakHashUse(ci, recv.type ?? 'MD5', 0, `${recv.type ?? 'MD5'} hash .update`)] };
  if (recv?.tag === 'weak-hasher' && /^(digest|hexdigest|copy)$/.test(m)) return { value: m === 'copy' ? recv : hashed(ci, h) };

  // ---- Signature checks: PyJWT `jwt.decode(token, key, algorithms=[...])` verifies unless told not to
  // (`options={"verify_signature": False}`, PyJWT 1.x `verify=False`); itsdangerous serializers' `loads`.
  if (/^jwt\.decode$/.test(name) && ci.args.length + ci.kwargs.size >= 2) {
    const opts = ci.call.kwargs.get('options')?.node.text ?? '';
    const off = /verify_signature['"]\s*:\s*False/.test(opts) || (ci.kwargs.get('verify') && h.constOf(ci.kwargs.get('verify')!) === false);
    return { value: off ? propagated(ci, h) : verifiedValue(propagated(ci, h)) };
  }
  if (/^(loads|unsign)$/.test(m) && /^itsdangerous\./.test(h.binding(ci.recvText.split('.')[0] ?? '') ?? '') || /^itsdangerous\.\w+\.(loads|unsign)$/.test(name)) return { value: verifiedValue(propagated(ci, h)) };

  const sinks: SinkUse[] = [];
  // ---- Sinks by callee
  if (/^(os\.(system|popen|popen2|popen3|popen4|execl|execle|execlp|execlpe|execv|execve|execvp|execvpe|spawnl|spawnle|spawnlp|spawnlpe|spawnv|spawnve|spawnvp|spawnvpe|startfile)|commands\.(getoutput|getstatusoutput)|subprocess\.(getoutput|getstatusoutput)|pty\.spawn|platform\.popen)$/.test(name)) {
    sinks.push(sinkArg(ci, 'command', name, 0));
  } else if (/^subprocess\.(run|call|check_call|check_output|Popen)$/.test(name) || /^(asyncio\.create_subprocess_shell|asyncio\.create_subprocess_exec)$/.test(name)) {
    const shell = ci.kwargs.get('shell');
    const shellOn = (shell && h.constOf(shell) === true) || name === 'asyncio.create_subprocess_shell';
    const cmd = sinkKw(ci, 'command', shellOn ? `${name}(..., shell=True)` : name, 'args', 0);
    if (cmd) {
      // Without a shell only the program (a string, or a list's first element) can run something else.
      if (shellOn) sinks.push(cmd);
      else {
        const objs = h.objects(cmd.value);
        const program = objs.length ? objs.map((o) => o.elems?.[0] ?? o.any ?? CLEAN).reduce((x, y) => join(x, y), CLEAN) : cmd.value;
        sinks.push({ ...cmd, value: program });
        // `["sh", "-c", command]`: the shell runs the third element.
        for (const o of objs) {
          const flag = o.elems?.[1]?.c?.v;
          if (typeof flag === 'string' && /^(-c|\/c|\/C|-Command)$/.test(flag) && o.elems?.[2]) sinks.push({ ...cmd, api: `${name} (shell ${flag})`, value: o.elems[2] });
        }
      }
    }
  } else if (/^(builtins\.)?(eval|exec|execfile|compile)$/.test(name) && (call.callee.k === 'var' || name.startsWith('builtins'))) sinks.push(sinkArg(ci, 'code', name, 0));
  // Pillow's `ImageMath.eval` runs its expression with Python's `eval` (Pillow docs; CVE-2022-22817, CVE-2023-50447).
  else if (/^(PIL\.)?ImageMath\.(eval|unsafe_eval)$/.test(name)) sinks.push(sinkArg(ci, 'code', name, 0));
  else if (/^os\.path\.(exists|isfile|isdir|getsize|getmtime|lexists)$/.test(name)) sinks.push(sinkArg(ci, 'path', name, 0));
  else if (/^(open|io\.open|codecs\.open|os\.open|os\.remove|os\.unlink|os\.rmdir|os\.removedirs|os\.listdir|os\.makedirs|os\.mkdir|os\.rename|os\.replace|os\.scandir|os\.stat|os\.chmod|shutil\.(copy|copy2|copyfile|copytree|move|rmtree)|flask\.send_file|send_file|file|fileinput\.input|pathlib\.Path\.open|aiofiles\.open)$/.test(name) && call.callee.k !== 'member' || /^(codecs|io|os|shutil|flask|aiofiles)\./.test(name) && /^(open|remove|unlink|rmdir|listdir|makedirs|mkdir|rename|replace|scandir|copy|copy2|copyfile|copytree|move|rmtree|send_file)$/.test(m)) {
    const s = sinkKw(ci, 'path', name, 'file', 0) ?? sinkKw(ci, 'path', name, 'path', 0);
    if (s) sinks.push(s);
  } else if (/^(requests|httpx)\.(get|post|put|delete|head|patch|options|request|stream)$/.test(name) || /^(urllib\.request\.urlopen|urllib2\.urlopen|urllib\.urlopen|urlopen|urllib\.request\.Request|aiohttp\.request)$/.test(name)) {
    const i = /\.request$/.test(name) ? 1 : 0;
    const s = sinkKw(ci, 'ssrf', name, 'url', i);
    if (s) sinks.push(s);
  } else if (/^(flask\.)?(render_template_string)$/.test(name) || /^(jinja2\.)?(Template)$/.test(name) || /^(django\.template\.)?Template$/.test(name) || /^mako\.template\.Template$/.test(name)) {
    if (/render_template_string|jinja2|Template$/.test(name) && (h.binding(call.callee.k === 'var' ? call.callee.name : '') !== undefined || /jinja2|django|mako|flask/.test(name))) sinks.push(sinkArg(ci, 'template', name, 0));
  } else if (/^(pickle|cPickle|_pickle|dill|cloudpickle|jsonpickle|shelve|marshal|pandas)\.(loads|load|decode|Unpickler|read_pickle)$/.test(name)) {
    sinks.push(sinkArg(ci, 'deserialize', name, 0));
  } else if (/^yaml\.(load|load_all|unsafe_load|unsafe_load_all|full_load)$/.test(name)) {
    const loader = ci.kwargs.get('Loader') ?? ci.args[1];
    const loaderText = (ci.call.kwargs.get('Loader') ?? ci.call.args[1]?.e)?.node.text ?? '';
    if (/unsafe_load|full_load/.test(name) || !loader || /(^|\.)(Loader|UnsafeLoader|FullLoader)$/.test(loaderText)) sinks.push(sinkArg(ci, 'deserialize', name, 0, { loader: loaderText || 'default' }));
  } else if (/^(flask\.)?redirect$/.test(name) || /^django\.shortcuts\.redirect$/.test(name) || /^(django\.http\.)?(HttpResponseRedirect|HttpResponsePermanentRedirect)$/.test(name) || /^(starlette\.responses\.|fastapi\.responses\.)?RedirectResponse$/.test(name) || /^(aiohttp\.)?web\.(HTTPFound|HTTPSeeOther|HTTPMovedPermanently|HTTPTemporaryRedirect)$/.test(name) || (name === 'redirect' && call.callee.k === 'var')) {
    const s = sinkKw(ci, 'redirect', name, 'location', 0) ?? sinkKw(ci, 'redirect', name, 'url', 0);
    // A redirect response: its body is the framework's own page (werkzeug escapes the location in it).
    return { sinks: s ? [s] : [], value: { tag: 'response' } };
  } else if (/^(flask\.)?(make_response|Response)$/.test(name) || /^(django\.http\.)?(HttpResponse|HttpResponseBadRequest|HttpResponseNotFound|HttpResponseForbidden|HttpResponseServerError)$/.test(name) || /^(starlette\.responses\.|fastapi\.responses\.)?HTMLResponse$/.test(name) || /^(markupsafe\.|flask\.|jinja2\.)?Markup$/.test(name) || /^(django\.utils\.safestring\.)?mark_safe$/.test(name)) {
    const mimetype = ci.kwargs.get('mimetype') ?? ci.kwargs.get('content_type') ?? ci.kwargs.get('media_type');
    const mt = mimetype ? h.constOf(mimetype) : undefined;
    if (!(typeof mt === 'string' && !/html/i.test(mt))) {
      const s = sinkKw(ci, 'xss', name, 'content', 0) ?? sinkKw(ci, 'xss', name, 'response', 0);
      // `make_response((body, headers))`: only the first element is the body.
      const tuple = s ? h.objects(s.value)[0] : undefined;
      if (s && tuple?.elems && tuple.kind === 'array') sinks.push({ ...s, value: tuple.elems[0] ?? CLEAN });
      else if (s && !(s.value.refs && !s.value.taint)) sinks.push(s);
    }
    // A response object: its body was judged here; returning it is not another sink.
    return { sinks, value: { tag: 'response' } };
  } else if (/^(lxml\.etree\.)?XMLParser$/.test(name) || (m === 'XMLParser' && /etree/.test(name))) {
    const re = ci.kwargs.get('resolve_entities');
    const ne = ci.kwargs.get('no_network');
    const unsafe = (re && h.constOf(re) === true) || (ne && h.constOf(ne) === false);
    return { value: { tag: unsafe ? 'unsafe-xml-parser' : 'xml-parser' } };
  } else if (/^(lxml\.etree|etree|xml\.dom\.minidom|minidom|xml\.dom\.pulldom|xml\.sax|lxml\.html)\.(parse|fromstring|XML|parseString|iterparse)$/.test(name)) {
    const parser = ci.kwargs.get('parser') ?? ci.args[1];
    const external = parser?.tag === 'unsafe-xml-parser' || h.objects(parser ?? CLEAN).some((o) => o.fields.get('external')?.c?.v === true);
    if (external) sinks.push({ ...sinkArg(ci, 'xxe', name, 0), info: { option: parser?.tag === 'unsafe-xml-parser' ? 'resolve_entities=True' : 'feature_external_ges' } });
  } else if (/^xml\.sax\.make_parser$/.test(name)) {
    return { value: { ...h.alloc(call.node, 'object'), tag: 'sax-parser' } };
  } else if (/^(logging)\.(info|warning|warn|error|debug|critical|exception|log)$/.test(name) || (LOGGER.test(ci.recvText) && /^(info|warning|warn|error|debug|critical|exception|log)$/.test(m))) {
    ci.args.forEach((v, i) => {
      if (v.taint && !v.refs) sinks.push(sinkArg(ci, 'log', name, i));
    });
  } else if (name === 'print' && call.callee.k === 'var' && !h.binding('print') && !ci.kwargs.has('file')) {
    // `print` to standard output: the server's console log under Django's runserver, gunicorn and uWSGI.
    ci.args.forEach((v, i) => {
      // One flow per argument (each quotes its argument): `print(user, password)` logs two values.
      if (v.taint) sinks.push({ ...sinkArg(ci, 'log', 'print', i, { stdout: true }), node: argNode(ci, i) });
    });
  } else if (/^re\.(compile|match|search|fullmatch|findall|finditer|sub|split)$/.test(name)) {
    sinks.push(sinkArg(ci, 'regex', name, 0));
  }
  if (/^(django\.shortcuts\.)?get_object_or_404$/.test(name) || (call.callee.k === 'member' && /^(get|filter|get_or_404|first_or_404|filter_by|one|get_object_or_404)$/.test(m) && /(^|\.)(objects|query|session|db\.session|\w+_set)$/.test(ci.recvText))) {
    const lk = lookupUse(ci, h, `${ci.recvText ? ci.recvText + '.' : ''}${m}`);
    if (lk) sinks.push(lk);
  }
  if (call.callee.k === 'member') {
    const rt = ci.recvText;
    if (/^(execute|executemany|executescript|raw|read_sql|read_sql_query|exec_driver_sql|extra|mogrify)$/.test(m) && !/^(subprocess|os)$/.test(rt)) {
      const s = sinkKw(ci, 'sql', `${rt}.${m}`, 'sql', 0) ?? sinkKw(ci, 'sql', `${rt}.${m}`, 'where', 0);
      if (s && m !== 'mogrify') sinks.push({ ...s, info: { params: ci.args.length > 1 || ci.kwargs.has('params') } });
    }
    if (/^(search|search_s|search_st|search_ext|search_ext_s|search_subtree)$/.test(m) && /ldap|conn|connection|server/i.test(rt)) {
      const s = sinkKw(ci, 'ldap', `${rt}.${m}`, 'search_filter', m === 'search' && ci.args.length >= 2 ? 1 : 2) ?? sinkKw(ci, 'ldap', `${rt}.${m}`, 'filterstr', 2);
      if (s) sinks.push(s);
    }
    if (/^(xpath|XPath|find|findall|findtext|iterfind|evaluate)$/.test(m) && (/^(xpath|XPath|evaluate)$/.test(m) || /tree|root|doc|xml|etree|element/i.test(rt))) {
      sinks.push(sinkArg(ci, 'xpath', `${rt}.${m}`, 0));
    }
    if (recv?.tag === 'sax-parser' && m === 'setFeature' && /external_ges|feature_external/.test(argNode(ci, 0).text)) {
      h.write(recv, 'external', arg(ci, 1));
      return { value: CLEAN };
    }
    if (recv?.tag === 'sax-parser' && m === 'parse' && h.objects(recv).some((o) => o.fields.get('external')?.c?.v === true)) {
      sinks.push({ ...sinkArg(ci, 'xxe', 'xml.sax parser.parse', 0), info: { option: 'feature_external_ges' } });
    }
    if (recv?.tag === 'tar' && (m === 'extractall' || m === 'extract')) {
      sinks.push({ kind: 'path', api: `${rt}.${m}`, value: CLEAN, arg: call.node, node: call.node, info: { archive: true, filter: ci.kwargs.has('filter') || ci.kwargs.has('members') } });
    }
    if (/^(read_text|read_bytes|write_text|write_bytes|unlink|rmdir|mkdir|touch|exists|is_file|is_dir|iterdir)$/.test(m) && recv?.taint) {
      sinks.push({ kind: 'path', api: `Path.${m}`, value: recv, arg: call.callee.k === 'member' ? call.callee.obj.node : call.node, node: call.node });
    }
    if (m === 'set_cookie' || m === 'set_signed_cookie') {
      // Flags are judged by the cookie rule; the value is tracked for random values that become credentials.
      const v = sinkKw(ci, 'cookie', `${rt}.${m}`, 'value', 1);
      if (v) sinks.push(v);
    }
  }
  if ((call.callee.k === 'member' && /^(create|save|insert|insert_one|insert_many|update|update_one|add|get_or_create|update_or_create)$/.test(m)) || /^[A-Z]\w*$/.test(m)) {
    const pw = passwordFieldUse(ci, h, call.callee.k === 'member' ? `${ci.recvText}.${m}` : name);
    if (pw && !/create_user|create_superuser/.test(m)) sinks.push(pw);
    const sensitive = sensitiveFieldUse(ci, h, call.callee.k === 'member' ? `${ci.recvText}.${m}` : name);
    if (sensitive) sinks.push(sensitive);
  }
  if (sinks.length) return { sinks, value: sinks.every((s) => QUERY_SINKS.has(s.kind)) ? CLEAN : propagated(ci, h) };
  if (ENCRYPT_CALL.test(name)) {
    const v = propagated(ci, h);
    return { value: v.taint ? withTaint(v, sanitise(v.taint, kindBit('sensitive-store'))) : v };
  }
  if (HASH_CALL.test(name) && !/^(json|base64|urllib|html)\./.test(name) && !(m === 'update' && !/hash|hmac|md5|sha|digest/i.test(ci.recvText + name))) return { value: hashed(ci, h) };

  // ---- Sanitisers and conversions
  if (/^(int|float|bool|len|abs|round|ord|hash|id|complex|decimal\.Decimal|Decimal|uuid\.UUID|UUID|math\.\w+|datetime\.\w+|ipaddress\.ip_address)$/.test(name) && call.callee.k !== 'member' || /^(uuid\.UUID|ipaddress\.ip_address)$/.test(name)) return { value: numericFrom(...ci.args) };
  if (name === 'str' || m === '__str__') return { value: asStringValue(call.callee.k === 'member' ? recv ?? CLEAN : a0, h) };
  if (/^(html\.escape|cgi\.escape|markupsafe\.escape|flask\.escape|jinja2\.escape|django\.utils\.html\.escape|bleach\.clean|escape|conditional_escape|xml\.sax\.saxutils\.escape|quoteattr)$/.test(name) || /(^|_)escape(_for)?_?html$|^escape_for_html$|^html_escape$/.test(m)) return { value: sanitised(a0, HTML_ESCAPED | kindBit('xpath'), h) };
  if (/^(shlex\.quote|pipes\.quote)$/.test(name)) return { value: sanitised(a0, kindBit('command'), h) };
  if (/^(os\.path\.basename|werkzeug\.utils\.secure_filename|secure_filename|ntpath\.basename|posixpath\.basename)$/.test(name)) return { value: sanitised(a0, kindBit('path'), h) };
  if (/^(os\.path\.(realpath|abspath|normpath)|pathlib\.Path\.resolve)$/.test(name) || (m === 'resolve' && recv?.taint)) {
    const t = (m === 'resolve' ? recv?.taint : a0.taint);
    return { value: t ? { taint: { ...t, norm: true, str: true } } : CLEAN };
  }
  if (/^(urllib\.parse\.quote|urllib\.parse\.quote_plus|urllib\.quote|urllib\.quote_plus|quote|quote_plus)$/.test(name)) return { value: sanitised(a0, URL_ENCODED, h) };
  if (/^(urllib\.parse\.unquote|urllib\.parse\.unquote_plus|urllib\.unquote|unquote|unquote_plus|html\.unescape)$/.test(name)) return { value: decoded(a0, URL_ENCODED | HTML_ESCAPED, h) };
  if (/^re\.escape$/.test(name)) return { value: sanitised(a0, kindBit('regex'), h) };
  if (/escape_filter_chars|escape_dn_chars|filter_format/.test(name)) return { value: sanitised(a0, kindBit('ldap'), h) };
  if (/^(urllib\.parse\.urlparse|urllib\.parse\.urlsplit|urlparse\.urlparse|urlparse|urlsplit)$/.test(name)) {
    const src = call.args[0]?.e;
    return { value: { ...propagated(ci, h), parsedFrom: src?.k === 'var' ? src.name : undefined } };
  }
  if (/^tarfile\.(open|TarFile)$/.test(name)) return { value: { tag: 'tar' } };
  if (recv?.tag === 'tar' && /^(getmembers|getnames|next)$/.test(m)) return { value: h.source(`${ci.recvText}.${m}()`, call.node, m === 'getnames', 'archive') };
  if (/^(configparser\.)?(ConfigParser|RawConfigParser|SafeConfigParser)$/.test(name)) return { value: h.alloc(call.node, 'map', { type: 'configparser' }) };
  if (recv?.refs && h.objects(recv)[0]?.type === 'configparser') {
    const key = `${h.constOf(a0) ?? '?'}\u0000${h.constOf(arg(ci, 1)) ?? '?'}`;
    if (m === 'set') {
      h.write(recv, key, arg(ci, 2));
      return { value: CLEAN };
    }
    if (/^(get|getint|getfloat|getboolean)$/.test(m)) {
      if (m !== 'get') return { value: { numeric: true } };
      let out: Value | undefined;
      for (const o of h.objects(recv)) out = join(out, o.fields.get(key) ?? (ci.kwargs.get('fallback') ?? CLEAN));
      return { value: out ?? CLEAN };
    }
    return { value: CLEAN };
  }
  if (name === 'json.loads') return { value: a0.taint ? { taint: { ...a0.taint, str: false } } : CLEAN };
  if (name === 'json.dumps') {
    const t = h.deepTaint(a0);
    return { value: t ? { taint: asString(t) } : CLEAN };
  }
  // `"...".format(...)`: string building.
  if (m === 'format' && recv && (recv.c !== undefined || recv.taint || recv.built)) {
    let t = recv.taint;
    for (const v of [...ci.args, ...ci.kwargs.values()]) t = t ?? v.taint ?? h.deepTaint(v);
    const allConst = ci.args.every((v) => v.c !== undefined || v.numeric) && [...ci.kwargs.values()].every((v) => v.c !== undefined || v.numeric);
    const out: Value = allConst && recv.c ? CLEAN : { built: { node: call.node, how: 'format' } };
    if (t) out.taint = asString(t);
    return { value: out };
  }
  if (m === 'join' && recv?.c && typeof recv.c.v === 'string') {
    const t = a0.taint ?? h.deepTaint(a0);
    const c = h.contents(a0);
    const out: Value = c.c !== undefined && !t ? CLEAN : { built: { node: call.node, how: 'concat' } };
    if (t) out.taint = asString(t);
    return { value: out };
  }
  if (/^(replace)$/.test(m) && recv?.taint) {
    // `s.replace("..", "")`/`s.replace("<", "&lt;")`: one literal replacement rarely sanitises; keep the taint.
    const from = h.constOf(a0);
    const to = h.constOf(arg(ci, 1));
    if (from === '<' && typeof to === 'string' && !to.includes('<')) return { value: withTaint(CLEAN, sanitise(asString(recv.taint), kindBit('xss'))) };
    // Every quote replaced by something without one (`s.replace("'", "&apos;")`, `"''"` is not): the value
    // cannot close a string literal of that quote.
    if (typeof from === 'string' && /^['"]$/.test(from) && typeof to === 'string' && !to.includes(from)) return { value: { taint: { ...asString(recv.taint)!, noQuote: (recv.taint.noQuote ?? '') + from } } };
    return { value: { taint: asString(recv.taint) } };
  }

  const coll = collectionCall(ci, h);
  if (coll) return { value: coll };
  if (/^(list|tuple|set|sorted|reversed|frozenset)$/.test(name) && call.callee.k === 'var') {
    return { value: h.alloc(call.node, 'array', { any: join(h.contents(a0), a0.taint ? { taint: a0.taint } : CLEAN) }) };
  }
  if (name === 'dict' && call.callee.k === 'var') {
    const fields = new Map<string, Value>();
    for (const [k, v] of ci.kwargs) if (k !== '**') fields.set(k, v);
    return { value: h.alloc(call.node, 'map', { fields, any: a0.refs ? h.contents(a0) : a0.taint ? { taint: a0.taint } : undefined }) };
  }
  if (/^(collections\.)?(defaultdict|OrderedDict)$/.test(name)) return { value: h.alloc(call.node, 'map', {}) };
  return undefined;
}

