/**
 * Taint model of Java: sources (Servlet `HttpServletRequest` getters and cookies, Spring MVC and
 * JAX-RS annotated parameters), sanitisers (OWASP ESAPI / Java Encoder, Apache Commons Text, Spring
 * `HtmlUtils`, `URLEncoder`, numeric parsing), collections and string builders, and sinks per kind
 * (JDBC, JPA/Hibernate, `Runtime.exec`/`ProcessBuilder`, `java.io`/`java.nio.file`, servlet response
 * writers and redirects, JNDI `DirContext.search`, `javax.xml.xpath`, session attributes,
 * `ObjectInputStream`, `ScriptEngine`).
 */
import type { CallInfo, CallResult, Helpers, LanguageModel, SinkUse } from '../model';
import { CLEAN, asString, join, joinAll, kindBit, numericFrom, type Value } from '../value';
import { HASH_CALL, HTML_ESCAPED, URL_ENCODED, rawTarget, WEAK_HASH_ALGO, arg, argNode, asStringValue, collectionCall, decoded, hashed, lookupUse, propagated, randomValue, sanitised, sinkArg, weakHashUse, weakHasher, QUERY_SINKS } from './common';

const REQUEST_TYPE = /^(HttpServletRequest|ServletRequest|HttpServletRequestWrapper|MultipartHttpServletRequest|WebRequest|NativeWebRequest|ServerHttpRequest|ContainerRequestContext)$/;
const RESPONSE_TYPE = /^(HttpServletResponse|ServletResponse|HttpServletResponseWrapper)$/;
const INPUT_ANNOTATIONS = /^(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|RequestPart|MatrixVariable|QueryParam|PathParam|FormParam|HeaderParam|MatrixParam|CookieParam|BeanParam)$/;
const REQUEST_SOURCES = /^(getParameter|getParameterValues|getParameterMap|getParameterNames|getHeader|getHeaders|getHeaderNames|getQueryString|getPathInfo|getRequestURI|getRequestURL|getCookies|getInputStream|getReader|getPart|getParts|getServletPath|getContextPath|getRemoteUser|getPathTranslated|getParameterValue)$/;
const SQL_METHODS = /^(executeQuery|executeUpdate|execute|addBatch|executeLargeUpdate|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForLong|queryForInt|update|batchUpdate|queryForStream)$/;
const FILE_TYPES = /^(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile|PrintWriter|FileHandler|ZipFile|JarFile)$/;
const WRITER_METHODS = /^(print|println|write|printf|format|append)$/;

function requestValue(site: Parameters<Helpers['alloc']>[0], h: Helpers): Value {
  const session = { ...h.alloc(typeof site === 'number' ? site * 8 - 1 : -(site.id * 8 + 1), 'map'), tag: 'session' };
  const req = h.alloc(typeof site === 'number' ? site * 8 - 2 : -(site.id * 8 + 2), 'object', { fields: new Map([['<session>', session]]) });
  return { ...req, tag: 'req' };
}

/** The Java model. */
export const javaModel: LanguageModel = {
  // Sources, and the sinks reported for strings built from a function's parameters.
  rootHint: /\b(HttpServletRequest|ServletRequest|getParameter|getHeader|getCookies|getQueryString|RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|QueryParam|PathParam|FormParam|HeaderParam|request|req|executeQuery|executeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|queryForObject|queryForList|exec|ProcessBuilder|eval|ObjectInputStream|XMLDecoder|DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|setPassword|Velocity|Random|random|MessageDigest)\b/,

  param(fn, p, _i, h) {
    if (p.annotations.some((a) => INPUT_ANNOTATIONS.test(a))) {
      if (p.type && /^(int|long|short|byte|double|float|boolean|Integer|Long|Short|Double|Float|Boolean|UUID|LocalDate|Date)$/.test(p.type)) return { numeric: true };
      return h.source(`@${p.annotations.find((a) => INPUT_ANNOTATIONS.test(a))} ${p.name}`, p.node, p.type === 'String');
    }
    if (p.type && REQUEST_TYPE.test(p.type)) return requestValue(p.node, h);
    if (p.type && RESPONSE_TYPE.test(p.type)) return { tag: 'res' };
    void fn;
    return undefined;
  },

  global() {
    return undefined;
  },

  member() {
    return undefined;
  },

  call(ci, h) {
    return javaCall(ci, h);
  },
};

function javaCall(ci: CallInfo, h: Helpers): CallResult | undefined {
  const { call, recv } = ci;
  const name = call.name;
  const m = call.method;
  const a0 = arg(ci, 0);
  const recvType = recv?.type ?? '';
  const sinks0: SinkUse[] = [];

  // ---- Sources
  if (recv?.tag === 'req') {
    if (/^(getUserPrincipal|getRemoteUser)$/.test(m)) return { value: h.source(call.node.text.replace(/\s+/g, ''), call.node, false, 'principal') };
    if (REQUEST_SOURCES.test(m)) {
      const v = h.source(call.node.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' '), call.node, /^(getParameter|getHeader|getQueryString|getPathInfo|getRequestURI|getServletPath|getRemoteUser)$/.test(m));
      // The servlet container does not decode these (Servlet API, `getRequestURI`, `getQueryString`).
      return { value: /^(getRequestURI|getRequestURL|getQueryString)$/.test(m) ? rawTarget(v) : v };
    }
    if (m === 'getSession') {
      for (const o of h.objects(recv)) {
        const s = o.fields.get('<session>');
        if (s) return { value: s };
      }
      return { value: { tag: 'session' } };
    }
    return { value: CLEAN };
  }
  if (recv?.tag === 'res') {
    if (m === 'getWriter' || m === 'getOutputStream') return { value: { tag: 'writer' } };
    if (m === 'sendRedirect') return { value: CLEAN, sinks: [sinkArg(ci, 'redirect', 'HttpServletResponse.sendRedirect', 0)] };
    if (/^(setHeader|addHeader)$/.test(m) && /^location$/i.test(String(h.constOf(a0) ?? ''))) return { value: CLEAN, sinks: [sinkArg(ci, 'redirect', `HttpServletResponse.${m}("Location")`, 1)] };
    return { value: CLEAN };
  }
  if (recv?.tag === 'writer' && WRITER_METHODS.test(m)) {
    const sinks: SinkUse[] = ci.args.map((_, i) => sinkArg(ci, 'xss', `response writer .${m}`, i)).filter((s) => !s.value.numeric);
    return { value: m === 'append' || m === 'printf' || m === 'format' ? { tag: 'writer' } : CLEAN, sinks };
  }
  if (recv?.tag === 'session' && /^(setAttribute|putValue)$/.test(m)) {
    return { value: CLEAN, sinks: [sinkArg(ci, 'trust-boundary', `HttpSession.${m}`, 0), sinkArg(ci, 'trust-boundary', `HttpSession.${m}`, 1)] };
  }
  if (recv?.tag === 'session' && /^(getAttribute|getValue)$/.test(m)) return { value: CLEAN };

  // ---- Weak randomness (CWE-330): `java.util.Random`, `Math.random()`, `ThreadLocalRandom`, commons-lang `RandomStringUtils`; `SecureRandom` is not one.
  if ((call.isNew && m === 'Random') || /(^|\.)ThreadLocalRandom\.current$/.test(name)) return { value: { tag: 'weak-random', type: 'Random' } };
  if (recv?.tag === 'weak-random') {
    if (m === 'nextBytes') {
      h.write(a0, 0, randomValue(ci, h));
      h.update(a0, (o) => ({ ...o, elems: undefined, any: join(o.any, randomValue(ci, h)) }));
      return { value: CLEAN };
    }
    if (/^(next\w*|ints|longs|doubles)$/.test(m)) return { value: randomValue(ci, h) };
    return { value: recv };
  }
  if (/^((java\.lang\.)?Math\.random|(\w+\.)*RandomStringUtils\.random\w*)$/.test(name)) return { value: randomValue(ci, h) };
  // ---- Weak hashing (CWE-328): a `MessageDigest` of MD5/SHA-1 remembers its algorithm; what it hashes is a sink.
  if (/(^|\.)MessageDigest\.getInstance$/.test(name)) {
    const algo = h.constOf(a0);
    if (typeof algo === 'string' && WEAK_HASH_ALGO.test(algo)) return { value: weakHasher(algo) };
  }
  if (recv?.tag === 'weak-hasher' && /^(update|digest)$/.test(m)) {
    const algo = recv.type ?? 'MD5';
    return { value: m === 'update' ? CLEAN : hashed(ci, h), sinks: ci.args.length ? [weakHashUse(ci, algo, 0, `MessageDigest("${algo}").${m}`)] : [] };
  }
  // ---- A cookie's value: a random value there is a predictable credential (security/insecure-random).
  if (call.isNew && m === 'Cookie' && ci.args.length >= 2) sinks0.push(sinkArg(ci, 'cookie', 'new Cookie', 1));

  // ---- XML parsers: a factory remembers whether external entities / DTDs were turned off.
  if (/(^|\.)(DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|SAXTransformerFactory|SchemaFactory|XMLReaderFactory)\.(newInstance|newFactory|newDefaultFactory|createXMLReader)$/.test(name) || (call.isNew && /^(SAXReader|SAXBuilder)$/.test(m))) {
    return { value: { ...h.alloc(call.node, 'object', { type: 'xml' }), tag: 'xml-factory' } };
  }
  if (recv?.tag === 'xml-factory') {
    const feature = String(h.constOf(a0) ?? argNode(ci, 0).text);
    const on = h.constOf(arg(ci, 1));
    if (m === 'setFeature' && ((/disallow-doctype-decl/.test(feature) && on === true) || (/external-(general|parameter)-entities|load-external-dtd/.test(feature) && on === false) || (/FEATURE_SECURE_PROCESSING/.test(feature) && on === true))) h.write(recv, 'secure', { c: { v: true } });
    else if (m === 'setExpandEntityReferences' && h.constOf(a0) === false) h.write(recv, 'secure', { c: { v: true } });
    else if ((m === 'setProperty' || m === 'setAttribute') && (/SUPPORT_DTD|IS_SUPPORTING_EXTERNAL_ENTITIES|supportDTD|isSupportingExternalEntities/.test(feature) ? on === false : /ACCESS_EXTERNAL_(DTD|SCHEMA|STYLESHEET)/.test(feature) && on === '')) h.write(recv, 'secure', { c: { v: true } });
    if (/^(newDocumentBuilder|newSAXParser|getXMLReader|newTransformer|newSchema|newTemplates|createXMLStreamReader|createXMLEventReader|read|build|parse|unmarshal)$/.test(m)) {
      const secure = h.objects(recv).some((o) => o.fields.get('secure')?.c?.v === true);
      if (/^(createXMLStreamReader|createXMLEventReader|read|build|parse|newTransformer|newSchema|newTemplates)$/.test(m) && !secure && ci.args.length) {
        return { value: CLEAN, sinks: [{ ...sinkArg(ci, 'xxe', `${recvType || 'XML parser'}.${m}`, 0), info: { option: 'external entities not disabled' } }] };
      }
      return { value: recv };
    }
    return { value: recv.refs ? recv : CLEAN };
  }

  const sinks: SinkUse[] = sinks0;
  // ---- SQL (JDBC, Spring JdbcTemplate, JPA, Hibernate)
  if (call.callee.k === 'member' && SQL_METHODS.test(m) && ci.args.length && (a0.taint || a0.built || typeof h.constOf(a0) === 'string' || /Statement|Connection|JdbcTemplate|EntityManager|Session|jdbc|conn|stmt|statement|em\b/i.test(recvType + ' ' + ci.recvText))) {
    if (!(m === 'update' && !/jdbc|template/i.test(recvType + ci.recvText)) && !(m === 'execute' && /executor|service|task/i.test(ci.recvText))) sinks.push({ ...sinkArg(ci, 'sql', `${recvType || ci.recvText}.${m}`, 0), info: { params: false } });
  }
  // ---- OS commands
  if (call.callee.k === 'member' && m === 'exec' && (/Runtime/.test(recvType) || /getRuntime\(\)$/.test(ci.recvText) || recv?.tag === 'runtime')) {
    ci.args.forEach((_, i) => sinks.push(sinkArg(ci, 'command', 'Runtime.exec', i)));
  }
  if (name.endsWith('getRuntime') && /Runtime/.test(name)) return { value: { tag: 'runtime', type: 'Runtime' } };
  if (call.isNew && /^ProcessBuilder$/.test(m)) {
    const list = ci.args.length === 1 && a0.refs ? a0 : undefined;
    const v = list ?? h.alloc(call.node, 'array', { elems: [...ci.args] });
    sinks.push({ kind: 'command', api: 'new ProcessBuilder', value: v, arg: argNode(ci, 0), node: call.node });
    return { sinks, value: { tag: 'process-builder', type: 'ProcessBuilder' } };
  }
  if (recv?.tag === 'process-builder' && m === 'command' && ci.args.length) {
    const v = ci.args.length === 1 && a0.refs ? a0 : h.alloc(call.node, 'array', { elems: [...ci.args] });
    sinks.push({ kind: 'command', api: 'ProcessBuilder.command', value: v, arg: argNode(ci, 0), node: call.node });
    return { sinks, value: recv };
  }
  // ---- Files
  if (call.isNew && FILE_TYPES.test(m)) {
    ci.args.forEach((v, i) => {
      if (!v.numeric && typeof h.constOf(v) !== 'boolean') sinks.push(sinkArg(ci, 'path', `new ${m}`, i));
    });
    return { sinks, value: { ...propagated(ci, h), type: m } };
  }
  if (/^(Paths\.get|Path\.of|java\.nio\.file\.Paths\.get|java\.nio\.file\.Path\.of)$/.test(name) || /^(java\.nio\.file\.)?Files\.(newInputStream|newOutputStream|newBufferedReader|newBufferedWriter|readAllBytes|readAllLines|readString|write|writeString|lines|delete|deleteIfExists|copy|move|createFile|createDirectories|exists|list|walk)$/.test(name)) {
    ci.args.forEach((v, i) => {
      if (!v.numeric && v.type !== 'Charset') sinks.push(sinkArg(ci, 'path', name, i));
    });
    if (/Paths\.get|Path\.of/.test(name)) return { sinks, value: { ...propagated(ci, h), type: 'Path' } };
  }
  // ---- LDAP, XPath
  if (call.callee.k === 'member' && m === 'search' && /DirContext|InitialDirContext|LdapContext|ctx|context|ldap/i.test(recvType + ci.recvText) && ci.args.length >= 2) {
    sinks.push(sinkArg(ci, 'ldap', 'DirContext.search', 1));
  }
  if (call.callee.k === 'member' && /^(evaluate|compile|evaluateExpression)$/.test(m) && /XPath|xp\b|xpath/i.test(recvType + ci.recvText)) sinks.push(sinkArg(ci, 'xpath', `XPath.${m}`, 0));
  if (/(^|\.)Pattern\.(compile|matches)$/.test(name)) sinks.push(sinkArg(ci, 'regex', name, 0));
  // ---- Code, deserialization, templates
  if (call.callee.k === 'member' && m === 'eval' && /ScriptEngine|engine/i.test(recvType + ci.recvText)) sinks.push(sinkArg(ci, 'code', 'ScriptEngine.eval', 0));
  if (call.isNew && /^(ObjectInputStream|XMLDecoder)$/.test(m)) {
    // The sink is the read (`readObject`); the stream it reads is remembered on the object.
    return { value: { ...h.alloc(call.node, 'object', { fields: new Map([['<stream>', a0]]), type: m }), tag: 'object-input', type: m } };
  }
  if (call.callee.k === 'member' && /^(evaluate|mergeTemplate)$/.test(m) && /Velocity/.test(ci.recvText + recvType)) sinks.push(sinkArg(ci, 'template', `Velocity.${m}`, m === 'evaluate' ? 3 : 0));
  // ---- Record lookups by id (Spring Data repositories, JPA)
  if (call.callee.k === 'member' && (/^(findById|getById|getOne|getReferenceById|findOne)$/.test(m) || (m === 'find' && /EntityManager|em\b|entityManager/i.test(recvType + ci.recvText)))) {
    const lk = lookupUse(ci, h, `${ci.recvText}.${m}`);
    if (lk) sinks.push(lk);
  }
  // ---- Logging
  if (call.callee.k === 'member' && /^(info|warn|error|debug|trace|fine|finer|finest|severe|warning|log)$/.test(m) && /^(log|logger|LOG|LOGGER|Logger|_log)$/.test(ci.recvText)) {
    ci.args.forEach((v, i) => {
      if (v.taint && !v.refs) sinks.push(sinkArg(ci, 'log', `${ci.recvText}.${m}`, i));
    });
  }
  // ---- SSRF
  if ((call.isNew && /^(URL)$/.test(m)) || /^(URI\.create|HttpRequest\.newBuilder)$/.test(name)) {
    const v = propagated(ci, h);
    const src = call.args[0]?.e;
    return { value: { ...v, type: m === 'URL' ? 'URL' : 'URI', parsedFrom: src?.k === 'var' ? src.name : undefined } };
  }
  if (call.callee.k === 'member' && /^(openConnection|openStream)$/.test(m) && recv?.taint && /URL/.test(recvType)) sinks.push({ kind: 'ssrf', api: `URL.${m}`, value: recv, arg: call.callee.obj.node, node: call.node });
  if (call.callee.k === 'member' && /^(getForObject|getForEntity|postForObject|postForEntity|exchange|execute)$/.test(m) && /RestTemplate|restTemplate/.test(recvType + ci.recvText)) sinks.push(sinkArg(ci, 'ssrf', `RestTemplate.${m}`, 0));
  if (call.callee.k === 'member' && /^setPassword(Hash)?$/.test(m) && a0.taint) sinks.push({ ...sinkArg(ci, 'password-store', `${ci.recvText}.${m}`, 0), info: { field: 'password' } });
  if (sinks.length) return { sinks, value: sinks.every((s) => QUERY_SINKS.has(s.kind)) ? CLEAN : propagated(ci, h) };
  if (call.callee.k === 'member' && /^(encode|hashpw|hashPassword|digest)$/.test(m) && HASH_CALL.test(m) && /passwordEncoder|PasswordEncoder|bcrypt|BCrypt|hasher|MessageDigest|\bmd\b|digest/i.test(ci.recvText + ' ' + recvType)) return { value: hashed(ci, h) };
  if (recv?.tag === 'object-input' && /^(readObject|readUnshared)$/.test(m)) {
    let stream: Value = CLEAN;
    for (const o of h.objects(recv)) stream = join(stream, o.fields.get('<stream>'));
    const arg0 = call.callee.k === 'member' ? call.callee.obj.node : call.node;
    return { value: CLEAN, sinks: [{ kind: 'deserialize', api: `${recvType || 'ObjectInputStream'}.${m}`, value: stream.c === undefined && !stream.taint && !stream.refs ? { ...stream, built: undefined } : stream, arg: arg0, node: call.node, info: { reader: true } }] };
  }

  // ---- Sanitisers
  if (/(^|\.)(encodeForHTML|encodeForHTMLAttribute|encodeForJavaScript|encodeForCSS|encodeForXML|encodeForXMLAttribute|forHtml|forHtmlContent|forHtmlAttribute|forJavaScript|forXml|escapeHtml|escapeHtml3|escapeHtml4|escapeXml|escapeXml10|escapeXml11|htmlEscape|escapeEcmaScript)$/.test(name) || /^(encodeForHTML|htmlEscape|escapeHtml)$/.test(m)) return { value: sanitised(lastArg(ci), HTML_ESCAPED | kindBit('xpath'), h) };
  if (/(^|\.)encodeForSQL$/.test(name)) return { value: sanitised(lastArg(ci), kindBit('sql'), h) };
  if (/(^|\.)encodeForLDAP$|(^|\.)encodeForDN$/.test(name)) return { value: sanitised(lastArg(ci), kindBit('ldap'), h) };
  if (/(^|\.)encodeForXPath$/.test(name)) return { value: sanitised(lastArg(ci), kindBit('xpath'), h) };
  if (/(^|\.)encodeForOS$/.test(name)) return { value: sanitised(lastArg(ci), kindBit('command'), h) };
  if (/(^|\.)(URLEncoder\.encode|encodeForURL|forUriComponent|encodeURIComponent)$/.test(name)) return { value: sanitised(a0, URL_ENCODED, h) };
  if (/(^|\.)(URLDecoder\.decode|decodeForURL|unescapeHtml4|unescapeHtml|decodeForHTML)$/.test(name)) return { value: decoded(a0, URL_ENCODED | HTML_ESCAPED, h) };
  if (/(^|\.)(Integer\.parseInt|Integer\.valueOf|Long\.parseLong|Long\.valueOf|Double\.parseDouble|Double\.valueOf|Float\.parseFloat|Short\.parseShort|Boolean\.parseBoolean|Boolean\.valueOf|UUID\.fromString|Math\.\w+)$/.test(name)) return { value: numericFrom(...ci.args) };
  if (/(^|\.)FilenameUtils\.getName$/.test(name) || (m === 'getName' && /^File$/.test(recvType)) || (m === 'getFileName' && /^Path$/.test(recvType))) return { value: sanitised(call.callee.k === 'member' && m !== 'getName' ? recv ?? a0 : m === 'getName' && recv ? recv : a0, kindBit('path'), h) };
  if (/^(getCanonicalPath|getCanonicalFile|toRealPath|normalize)$/.test(m) && recv?.taint) return { value: { taint: { ...recv.taint, norm: true, str: true }, type: recvType } };
  // `String.valueOf(x)`, `Integer.toString(x)`, `Double.toString(x)` (static: the argument), `x.toString()`.
  if (/(^|\.)String\.valueOf$/.test(name) || (m === 'toString' && ci.args.length && /^[A-Z]\w*$/.test(ci.recvText.split('.').pop() ?? ''))) return { value: asStringValue(a0, h) };
  if (m === 'toString' && recv && !recv.refs) return { value: asStringValue(recv, h) };
  if (/(^|\.)String\.format$/.test(name) || m === 'formatted') {
    const parts = m === 'formatted' ? [recv ?? CLEAN, ...ci.args] : ci.args;
    let t;
    for (const p of parts) t = t ?? p.taint ?? h.deepTaint(p);
    return { value: t ? { taint: asString(t), built: { node: call.node, how: 'format' } } : { built: { node: call.node, how: 'format' } } };
  }
  if (/(^|\.)String\.join$/.test(name)) {
    let t;
    for (const p of ci.args.slice(1)) t = t ?? p.taint ?? h.deepTaint(p);
    return { value: t ? { taint: asString(t), built: { node: call.node, how: 'concat' } } : { built: { node: call.node, how: 'concat' } } };
  }
  if (/(^|\.)Arrays\.asList$|(^|\.)List\.of$|(^|\.)Set\.of$|(^|\.)Stream\.of$/.test(name)) {
    const elems = ci.args.length === 1 && a0.refs ? h.objects(a0)[0]?.elems : [...ci.args];
    return { value: h.alloc(call.node, 'array', elems ? { elems: [...elems] } : { any: h.contents(a0) }) };
  }
  if (/(^|\.)Map\.of$/.test(name)) {
    const fields = new Map<string, Value>();
    for (let i = 0; i + 1 < ci.args.length; i += 2) fields.set(String(h.constOf(ci.args[i]!) ?? '?'), ci.args[i + 1]!);
    return { value: h.alloc(call.node, 'map', { fields }) };
  }
  // ---- Builders and collections
  if (call.isNew) {
    if (/^(StringBuilder|StringBuffer|StringWriter|CharArrayWriter|ByteArrayOutputStream)$/.test(m)) {
      const init = ci.args.length && !a0.numeric ? [a0] : [];
      return { value: { ...h.alloc(call.node, 'builder', { elems: init }), type: m } };
    }
    if (/^(ArrayList|LinkedList|Vector|Stack|ArrayDeque|HashSet|LinkedHashSet|TreeSet|CopyOnWriteArrayList|PriorityQueue)$/.test(m)) {
      const src = ci.args.length === 1 && a0.refs ? h.objects(a0)[0] : undefined;
      return { value: { ...h.alloc(call.node, /Set$/.test(m) ? 'set' : 'array', src?.elems ? { elems: [...src.elems] } : src ? { any: h.contents(a0) } : { elems: [] }), type: m } };
    }
    if (/^(HashMap|LinkedHashMap|TreeMap|Hashtable|ConcurrentHashMap|Properties|EnumMap)$/.test(m)) return { value: { ...h.alloc(call.node, 'map', {}), type: m } };
    if (m === '<newarray>') {
      const n = h.constOf(a0);
      return { value: h.alloc(call.node, 'array', typeof n === 'number' && n <= 1000 ? { elems: Array.from({ length: n }, () => CLEAN) } : { any: CLEAN }) };
    }
    if (m === 'String') return { value: asStringValue(h.contents(a0).taint ? { taint: h.contents(a0).taint } : a0, h) };
  }
  if (recv?.refs) {
    const objs = h.objects(recv);
    if (objs[0]?.kind === 'builder') {
      switch (m) {
        case 'append':
        case 'write':
        case 'print':
        case 'println':
          h.update(recv, (o) => ({ ...o, elems: o.elems ? [...o.elems, a0] : undefined, any: o.elems ? o.any : join(o.any, a0) }));
          return { value: recv };
        case 'insert':
          h.update(recv, (o) => ({ ...o, elems: o.elems ? [arg(ci, 1), ...o.elems] : undefined, any: o.elems ? o.any : join(o.any, arg(ci, 1)) }));
          return { value: recv };
        case 'toString':
        case 'substring':
        case 'toByteArray': {
          const t = h.deepTaint(recv);
          const parts = objs.flatMap((o) => [...(o.elems ?? []), ...(o.any ? [o.any] : [])]);
          const allConst = parts.every((p) => p.c !== undefined);
          if (allConst && objs.length === 1 && objs[0]!.elems && m === 'toString') return { value: { c: { v: objs[0]!.elems.map((p) => String(p.c!.v)).join('') } } };
          return { value: t ? { taint: asString(t), built: { node: call.node, how: 'concat' } } : allConst ? CLEAN : { built: { node: call.node, how: 'concat' } } };
        }
        case 'length':
          return { value: { numeric: true } };
        case 'reverse':
        case 'replace':
        case 'deleteCharAt':
        case 'setLength':
          h.update(recv, (o) => ({ ...o, elems: undefined, any: joinAll([o.any ?? CLEAN, ...(o.elems ?? [])]) }));
          return { value: recv };
        default:
          break;
      }
    }
    if (m === 'set' && typeof h.constOf(a0) === 'number' && objs[0]?.kind === 'array') {
      h.write(recv, h.constOf(a0) as number, arg(ci, 1));
      return { value: CLEAN };
    }
    if ((m === 'hasNext' || m === 'hasMoreElements')) return { value: { numeric: true } };
    const c = collectionCall(ci, h);
    if (c) return { value: c };
  }
  return undefined;
}

function lastArg(ci: CallInfo): Value {
  return ci.args[ci.args.length - 1] ?? CLEAN;
}
