/**
 * Offline rules of the SRE pack (persona `sre`; `devops` for deployment and configuration concerns):
 * network calls without timeouts, swallowed errors, retry loops without a limit or backoff, HTTP servers
 * without a health-check endpoint, and process exits in library code.
 *
 * Facts used: `requests` has no default timeout (requests docs, "Timeouts"); Go's `http.DefaultClient`
 * and a zero `http.Client{}` have no timeout (net/http docs, `Client.Timeout`); Node's `http.request`
 * and axios default to no timeout (axios docs, `timeout` default 0); Java's `URLConnection` and
 * `HttpClient` connect without a timeout unless one is set. CWE ids: CWE-1088 (synchronous access of a
 * remote resource without timeout), CWE-400, CWE-390/CWE-1069 (ignored errors), CWE-835.
 */
import { walk, type ParsedLanguage, type SyntaxNode } from '../syntax';
import type { FileRule, OfflineRule, ParsedFile, ProjectIndex, RuleHit } from '../rule';
import { LANG, callArguments, calleeMethod, enclosingFunction, functionName } from '../lang';
import {
  ALL_LANGS,
  callsOf,
  code,
  compactText,
  definitionsOf,
  eachOfType,
  hasCommentInRows,
  isJs,
  isGeneratedOrMinified,
  isTestLikePath,
  moduleBindings,
  resolvedCallee,
  stringValue,
} from './security-util';

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Keys of a JS object literal; `'...'` marks a spread (unknown keys). */
function objectKeys(obj: SyntaxNode): string[] {
  const keys: string[] = [];
  for (const p of obj.namedChildren) {
    if (!p) continue;
    if (p.type === 'spread_element') keys.push('...');
    else if (p.type === 'pair') {
      const k = p.childForFieldName('key');
      keys.push(k?.type === 'string' ? k.text.slice(1, -1) : k?.text ?? '');
    } else if (p.type === 'shorthand_property_identifier' || p.type === 'method_definition') keys.push(p.type === 'method_definition' ? p.childForFieldName('name')?.text ?? '' : p.text);
  }
  return keys;
}

/** Line text of 1-based `line`, or ''. */
function lineText(file: ParsedFile, line: number): string {
  return file.lines[line - 1] ?? '';
}

/**
 * The exact corrected text of a one-line call with `insert` added before its closing parenthesis, when
 * that is safe to compute (single line, ASCII, the call ends in `)`), else undefined.
 */
function insertBeforeClose(file: ParsedFile, call: SyntaxNode, insert: string): string | undefined {
  if (call.startPosition.row !== call.endPosition.row) return undefined;
  const line = lineText(file, call.startPosition.row + 1);
  if (!/^[\x20-\x7e\t]*$/.test(line)) return undefined;
  const end = call.endPosition.column;
  if (line[end - 1] !== ')') return undefined;
  const before = line.slice(0, end - 1).trimEnd();
  const sep = before.endsWith('(') ? '' : before.endsWith(',') ? ' ' : ', ';
  return line.slice(0, end - 1).trimEnd() + sep + insert + line.slice(end - 1);
}

/** True for a test-like or listed test file, or a minified/generated one: none of these rules apply there. */
function isTestFile(file: ParsedFile, project: ProjectIndex): boolean {
  return isTestLikePath(project.relativeToReview(file.file.path)) || project.testFiles.includes(file.file.path) || isGeneratedOrMinified(file);
}

// ---------------------------------------------------------------------------------------------
// Missing timeouts

interface TimeoutHit {
  api: string;
  severity: 'high' | 'medium';
  why: string;
  fix: string;
  replacement?: string;
}

const AXIOS_CONFIG_INDEX: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2, request: 0, create: 0 };

function jsTimeout(call: SyntaxNode, file: ParsedFile, axiosDefaults: boolean): TimeoutHit | undefined {
  const name = resolvedCallee(call, file);
  const args = callArguments(call);
  const hasTimeoutKey = (o: SyntaxNode | undefined, keys: RegExp) => {
    if (!o) return false;
    if (o.type !== 'object') return true; // a variable: cannot tell, assume configured
    return objectKeys(o).some((k) => k === '...' || keys.test(k));
  };
  if (/^((globalThis|window|self)\.)?fetch$|^node-fetch(\.default)?$|^undici\.fetch$/.test(name)) {
    if (args[0]?.type === 'new_expression') return undefined;
    if (/^(data|blob|file):/.test(stringValue(args[0], file.language) ?? '')) return undefined; // local, cannot hang
    // A Request object (service workers pass `event.request` through) carries its own signal, if any.
    if (args.length === 1 && /request/i.test(args[0]?.text ?? '') && !/^['"`]/.test(args[0]?.text ?? '')) return undefined;
    if (hasTimeoutKey(args[1], /^(signal|timeout)$/)) return undefined;
    return {
      api: name.replace(/^node-fetch(\.default)?$/, 'fetch'),
      severity: 'medium',
      why: 'has no `signal`, so nothing bounds how long it waits for a slow or hung server (only transport defaults of several minutes)',
      fix: 'Pass `{ signal: AbortSignal.timeout(10_000) }` (or combine it with an existing signal via `AbortSignal.any`).',
      replacement: args.length === 1 ? insertBeforeClose(file, call, '{ signal: AbortSignal.timeout(10_000) }') : undefined,
    };
  }
  if (/^axios(\.default)?(\.\w+)?$/.test(name) && !axiosDefaults) {
    const m = name.replace(/^axios(\.default)?\.?/, '');
    let cfg: SyntaxNode | undefined;
    if (m === '') cfg = args[0]?.type === 'object' ? args[0] : args[1];
    else if (m in AXIOS_CONFIG_INDEX) cfg = args[AXIOS_CONFIG_INDEX[m]!];
    else return undefined;
    if (hasTimeoutKey(cfg, /^(timeout|signal)$/)) return undefined;
    return {
      api: name,
      severity: 'high',
      why: m === 'create' ? 'creates a client without `timeout`; axios defaults to no timeout at all, so every request through it can wait forever' : 'sets no `timeout`; axios defaults to none, so the call can wait forever on a hung server',
      fix: m === 'create' ? 'Add `timeout: 10_000` (milliseconds) to the `axios.create` config.' : 'Pass `{ timeout: 10_000 }` (milliseconds) in the config, or create one client with `axios.create({ timeout })` and use it everywhere.',
    };
  }
  if (/^got(\.(get|post|put|patch|delete|head|stream))?$/.test(name) && moduleBindings(file).get('got') === 'got') {
    const opts = args.find((a, i) => i > 0 || a.type === 'object');
    if (hasTimeoutKey(opts, /^(timeout|signal)$/)) return undefined;
    return { api: name, severity: 'high', why: 'sets no `timeout`; got has no timeout by default', fix: 'Pass `{ timeout: { request: 10_000 } }`.' };
  }
  if (/^(http|https)\.(request|get)$/.test(name)) {
    if (args.some((a) => a.type === 'object' && objectKeys(a).some((k) => k === '...' || k === 'timeout' || k === 'signal'))) return undefined;
    if (args.some((a) => a.type === 'identifier')) {
      // options passed as a variable: accept when that variable's object literal has a timeout
      const opt = args.find((a) => a.type === 'identifier');
      const defs = opt ? definitionsOf(opt.text, call, file) : [];
      if (defs.length === 0 || defs.some((d) => d.value.type !== 'object' || objectKeys(d.value).some((k) => k === '...' || k === 'timeout' || k === 'signal'))) return undefined;
    }
    const fn = enclosingFunction(call, file.language) ?? file.root;
    const setsTimeout = fn.descendantsOfType('property_identifier').some((p) => p?.text === 'setTimeout' && p.parent?.type === 'member_expression');
    if (setsTimeout) return undefined;
    return { api: name, severity: 'high', why: 'sets no `timeout` and the request never calls `setTimeout`; Node applies no timeout to outgoing requests, so a stalled server holds the socket forever', fix: 'Pass `timeout` in the options (and handle the `timeout` event by destroying the request), or pass `signal: AbortSignal.timeout(ms)`.' };
  }
  return undefined;
}

const REQUESTS_METHODS = /^(get|post|put|patch|delete|head|options|request)$/;

function pythonTimeout(call: SyntaxNode, file: ParsedFile): TimeoutHit | undefined {
  const name = resolvedCallee(call, file);
  const args = callArguments(call);
  const hasKw = (k: string) => args.some((a) => (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k) || a.type === 'dictionary_splat');
  const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat' && a.type !== 'list_splat').length;
  const reqFix = 'Pass `timeout=` (seconds, or a `(connect, read)` tuple such as `timeout=(3.05, 30)`).';
  let viaSession = false;
  if (/^requests\.\w+$/.test(name) && REQUESTS_METHODS.test(calleeMethod(name))) {
    // requests.get(...)
  } else if (REQUESTS_METHODS.test(calleeMethod(name)) && call.childForFieldName('function')?.type === 'attribute') {
    const recv = compactText(call.childForFieldName('function')?.childForFieldName('object')?.text ?? '');
    const defs = recv.startsWith('self.') ? allDefinitions(recv, file) : definitionsOf(recv, call, file);
    viaSession = defs.some((d) => d.value.type === 'call' && /^requests\.(Session|session)$/.test(resolvedCallee(d.value, file)));
    if (!viaSession) return undefined;
  } else if (/^(urllib\.request|urllib2)\.urlopen$/.test(name)) {
    if (hasKw('timeout') || positional >= 3) return undefined;
    return { api: name, severity: 'high', why: 'has no `timeout`, so it uses the global socket default, which is to block forever', fix: 'Pass `timeout=` in seconds.', replacement: insertBeforeClose(file, call, 'timeout=10') };
  } else if (/^http\.client\.(HTTPConnection|HTTPSConnection)$/.test(name)) {
    if (hasKw('timeout') || positional >= 3) return undefined;
    return { api: name, severity: 'high', why: 'has no `timeout`, so reads on this connection block forever if the server stalls', fix: 'Pass `timeout=` in seconds.', replacement: insertBeforeClose(file, call, 'timeout=10') };
  } else {
    return undefined;
  }
  if (hasKw('timeout')) return undefined;
  return {
    api: viaSession ? `Session.${calleeMethod(name)}` : name,
    severity: 'high',
    why: 'has no `timeout=`, and `requests` has no default timeout: if the server stops answering, this call blocks its thread forever',
    fix: reqFix,
    replacement: insertBeforeClose(file, call, 'timeout=10'),
  };
}

/** Definitions of a member chain such as `self.session` anywhere in the file (any method may assign it). */
function allDefinitions(name: string, file: ParsedFile): ReturnType<typeof definitionsOf> {
  const out: ReturnType<typeof definitionsOf> = [];
  eachOfType(file.root, ['assignment'], (n) => {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left && right && compactText(left.text) === name) out.push({ value: right, augmented: false, node: n });
  });
  return out;
}

function compositeKeys(lit: SyntaxNode): string[] {
  const body = lit.childForFieldName('body');
  return (body?.namedChildren ?? []).filter((e) => e?.type === 'keyed_element').map((e) => e!.namedChildren[0]?.text ?? '');
}

function goTimeout(node: SyntaxNode, file: ParsedFile): TimeoutHit | undefined {
  if (node.type === 'composite_literal') {
    const t = node.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    if (t === 'http.Client') {
      const keys = compositeKeys(node);
      if (keys.includes('Timeout') || keys.includes('Transport')) return undefined;
      return { api: 'http.Client{}', severity: 'high', why: 'has no `Timeout`; a zero `http.Client` waits forever for a response that never comes', fix: 'Set `Timeout: 10 * time.Second` (it covers connect, headers and body), or pass a context with a deadline to every request.' };
    }
    if (t === 'http.Server') {
      const keys = compositeKeys(node);
      if (keys.some((k) => /^(ReadTimeout|ReadHeaderTimeout)$/.test(k))) return undefined;
      return { api: 'http.Server{}', severity: 'medium', why: 'sets neither `ReadHeaderTimeout` nor `ReadTimeout`, so slow clients can hold connections open indefinitely (Slowloris)', fix: 'Set `ReadHeaderTimeout` (e.g. 5s) and suitable `ReadTimeout`, `WriteTimeout` and `IdleTimeout`.' };
    }
    return undefined;
  }
  const name = resolvedCallee(node, file).replace(/^net\/http\./, 'http.');
  if (/^http\.(Get|Head|Post|PostForm)$/.test(name) || /^http\.DefaultClient\.(Do|Get|Head|Post|PostForm)$/.test(name)) {
    return { api: name, severity: 'high', why: 'uses `http.DefaultClient`, which has no timeout: a server that accepts the connection and never answers blocks this goroutine forever', fix: 'Use a shared `&http.Client{Timeout: 10 * time.Second}`, or build the request with `http.NewRequestWithContext` and a context deadline.' };
  }
  if (/^http\.(ListenAndServe|ListenAndServeTLS)$/.test(name)) {
    return { api: name, severity: 'medium', why: 'starts a server with no read, write or idle timeouts, so slow or idle clients can exhaust connections (Slowloris)', fix: 'Create an `&http.Server{Addr: ..., Handler: ..., ReadHeaderTimeout: 5 * time.Second, ...}` and call its `ListenAndServe`.' };
  }
  return undefined;
}

function javaTimeout(call: SyntaxNode, file: ParsedFile): TimeoutHit | undefined {
  const name = resolvedCallee(call, file);
  if (name === 'HttpClient.newHttpClient') {
    return { api: 'HttpClient.newHttpClient()', severity: 'high', why: 'creates a client with no connect timeout, and requests sent without `.timeout(...)` wait indefinitely for a response', fix: 'Use `HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()` and set `.timeout(Duration.ofSeconds(30))` on each `HttpRequest`.' };
  }
  if (call.type === 'method_invocation' && call.childForFieldName('name')?.text === 'build') {
    const chain = compactText(call.text);
    if (/^HttpClient\.newBuilder\(\)/.test(chain) && !/\.connectTimeout\(/.test(chain)) {
      return { api: 'HttpClient.newBuilder()…build()', severity: 'high', why: 'builds a client without `connectTimeout`, so connecting to an unreachable host waits for the operating system limit (often minutes)', fix: 'Add `.connectTimeout(Duration.ofSeconds(5))` to the builder and `.timeout(...)` to each request.' };
    }
    return undefined;
  }
  if (call.type === 'object_creation_expression' && /^new (org\.springframework\.web\.client\.)?RestTemplate$/.test(name) && callArguments(call).length === 0) {
    return { api: 'new RestTemplate()', severity: 'high', why: 'uses the default request factory, which has no connect or read timeout', fix: 'Build it with `new RestTemplateBuilder().setConnectTimeout(Duration.ofSeconds(5)).setReadTimeout(Duration.ofSeconds(30)).build()` (or a request factory with timeouts).' };
  }
  if (call.type === 'method_invocation' && call.childForFieldName('name')?.text === 'openConnection' && callArguments(call).length === 0) {
    const fn = enclosingFunction(call, 'java') ?? file.root;
    const calls = fn.descendantsOfType('method_invocation').map((m) => m?.childForFieldName('name')?.text ?? '');
    const missing = ['setConnectTimeout', 'setReadTimeout'].filter((m) => !calls.includes(m));
    if (missing.length === 0) return undefined;
    return { api: 'openConnection()', severity: 'high', why: `is used without ${missing.map((m) => `\`${m}\``).join(' or ')} in this method; \`URLConnection\` defaults to no timeout, so a stalled server blocks the thread forever`, fix: 'Call `setConnectTimeout(5_000)` and `setReadTimeout(30_000)` (milliseconds) on the connection before connecting.' };
  }
  return undefined;
}

const missingTimeout: FileRule = {
  kind: 'file',
  id: 'sre/missing-timeout',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'missing-timeout',
  title: 'Network call without a timeout',
  description:
    'Flags outgoing network calls that can wait forever: `fetch` without a `signal`, axios/got/`http.request` without `timeout`, Python `requests` without `timeout=`, `urlopen` without a timeout, Go `http.Get`/`http.DefaultClient`/`http.Client{}` without `Timeout` (and servers without read timeouts), Java `HttpClient`/`URLConnection`/`RestTemplate` without timeouts. One hung dependency then ties up threads, sockets and callers until the whole service stalls. Set an explicit timeout sized to the latency budget.',
  references: ['CWE-1088', 'CWE-400'],
  confidence: 0.8,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    const axiosDefaults =
      isJs(lang) &&
      file.root.descendantsOfType('member_expression').some((m) => m !== null && /^axios\.defaults\.timeout$/.test(compactText(m.text)) && m.parent?.type === 'assignment_expression');
    const push = (node: SyntaxNode, t: TimeoutHit) =>
      hits.push({
        node,
        severity: t.severity,
        title: /Server/.test(t.api) || /ListenAndServe/.test(t.api) ? 'HTTP server without read timeouts' : `No timeout on \`${t.api}\``,
        message: `\`${t.api}\` ${t.why}. ${t.fix}`,
        suggestion: { description: t.fix, ...(t.replacement !== undefined ? { replacement: t.replacement } : {}) },
      });
    if (lang === 'go') {
      for (const call of callsOf(file)) {
        const t = goTimeout(call, file);
        if (t) push(call, t);
      }
      eachOfType(file.root, ['composite_literal'], (lit) => {
        const t = goTimeout(lit, file);
        if (t) push(lit, t);
      });
      return hits.sort((x, y) => (x.node?.startIndex ?? 0) - (y.node?.startIndex ?? 0));
    }
    for (const call of callsOf(file)) {
      const t = isJs(lang) ? jsTimeout(call, file, axiosDefaults) : lang === 'python' ? pythonTimeout(call, file) : javaTimeout(call, file);
      if (t) push(call, t);
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Swallowed errors

const BROAD_PY = /^(Exception|BaseException)$/;
const BROAD_JAVA = /^(Exception|Throwable|RuntimeException|Error)$/;
const PY_EXPECTED = /^(ImportError|ModuleNotFoundError|StopIteration|StopAsyncIteration|KeyboardInterrupt|GeneratorExit|asyncio\.CancelledError|CancelledError)$/;

/** True when a block has no statements other than comments, `pass` and `...`. */
function emptyBody(block: SyntaxNode | null | undefined, lang: ParsedLanguage): boolean {
  if (!block) return false;
  const stmts = block.namedChildren.filter((c) => c && !LANG[lang].comment.includes(c.type));
  if (lang === 'go' && stmts.length === 1 && stmts[0]?.type === 'statement_list') {
    return (stmts[0].namedChildren.filter((c) => c && !LANG.go.comment.includes(c.type)).length ?? 0) === 0;
  }
  return stmts.every((s) => s && (s.type === 'pass_statement' || (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'ellipsis') || s.type === 'empty_statement'));
}

/** Calls whose failure is routinely ignored: best-effort cleanup, logging and telemetry. */
const CLEANUP = /^(warn|warning|warnings|log|debug|info|trace|print|setAttribute|setAttributes|addEvent|recordException|setStatus|mkdir|mkdirSync|makedirs|close|closeSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|destroy|dispose|kill|abort|cancel|release|end|disconnect|quit|terminate|removeListener|removeEventListener|off|clearTimeout|clearInterval|shutdown|stop|finish|flush|unref|cleanup|remove|remove_file|rmtree|chmod|setsockopt|setDaemon|detach|join)$/i;
/** Calls used as probes whose failure just means "not available / not that format". */
const PROBE = /^(__classPrivateFieldGet|parse|require|import|import_module|__import__|decodeURIComponent|decodeURI|encodeURIComponent|atob|btoa|stat|statSync|lstat|lstatSync|existsSync|accessSync|access|realpath|realpathSync|readlinkSync|getOwnPropertyDescriptor|defineProperty|structuredClone|parseInt|parseFloat|Number|String|int|float|str|bool|loads|literal_eval|fromisoformat|strptime|getattr|hasattr|isinstance|len|compile|RegExp|URL|Intl|get_terminal_size|fileno|isatty|getpreferredencoding|getlocale|setlocale|version|valueOf|toString|toJSON|stringify|normalize|canonicalize)$/;

/**
 * True when a try body does something whose failure matters operationally: it has at least one call
 * that is neither best-effort cleanup ({@link CLEANUP}) nor a probe ({@link PROBE}).
 */
function meaningfulTry(tryBody: SyntaxNode | null, file: ParsedFile): boolean {
  if (!tryBody) return true;
  const calls = tryBody.descendantsOfType([...LANG[file.language].call]).filter((c): c is SyntaxNode => c !== null);
  return calls.some((c) => {
    const m = calleeMethod(resolvedCallee(c, file).replace(/^new /, ''));
    return !CLEANUP.test(m) && !PROBE.test(m);
  });
}

const swallowedError: FileRule = {
  kind: 'file',
  id: 'sre/swallowed-error',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'swallowed-error',
  title: 'Error swallowed silently',
  description:
    'Flags error handlers that do nothing: empty `catch` blocks and `doWork().catch(() => {})`, Python `except:`/`except Exception:` with only `pass`, Java empty `catch`, Go `if err != nil {}`. The failure leaves no log, metric or trace, so incidents are invisible and the code carries on with bad state. Best-effort cleanup (`close`, `unlink`) and probes (`JSON.parse`, optional `require`/imports) are not reported. Log with context, count it, rethrow, or handle it; if ignoring is deliberate, say why in a comment (the finding then drops to low).',
  references: ['CWE-390', 'CWE-1069'],
  confidence: 0.8,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    const commented = (n: SyntaxNode) => hasCommentInRows(file, n.startPosition.row, n.endPosition.row);
    const report = (node: SyntaxNode, what: string, intent: boolean, fix: string, severity?: 'medium' | 'low') =>
      hits.push({
        node,
        severity: severity ?? (intent ? 'low' : 'medium'),
        confidence: intent ? 0.5 : 0.8,
        title: intent ? 'Error ignored on purpose (no log)' : 'Error swallowed silently',
        message: intent
          ? `${what} ignores the error; the comment explains why, but nothing is logged or counted, so if this starts failing often nobody will know. ${fix}`
          : `${what} ignores the error: no log, metric or rethrow, so a failure here is invisible in production and the code continues as if it succeeded. ${fix}`,
        suggestion: { description: fix },
      });
    if (isJs(lang)) {
      const fix = 'Log the error with context (or record a metric) and decide explicitly: rethrow, return a fallback, or add a comment saying why it is safe to ignore.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        const param = c.childForFieldName('parameter')?.text ?? '';
        const intent = commented(c) || /^_|^ignored?$/.test(param);
        report(c, 'This empty `catch` block', intent, fix);
      });
      for (const call of callsOf(file)) {
        const fnNode = call.childForFieldName('function');
        if (fnNode?.type !== 'member_expression' || fnNode.childForFieldName('property')?.text !== 'catch') continue;
        const handler = callArguments(call)[0];
        if (!handler || (handler.type !== 'arrow_function' && handler.type !== 'function_expression')) continue;
        const body = handler.childForFieldName('body');
        if (body?.type !== 'statement_block' || !emptyBody(body, lang)) continue;
        // `stored.catch(() => {})` marks a promise handled (its error surfaces elsewhere); only calls made
        // just to be ignored count, and best-effort cleanup (`close()`, `unlink()`) is fine to ignore.
        const promise = fnNode.childForFieldName('object');
        if (promise?.type !== 'call_expression') continue;
        const m = calleeMethod(resolvedCallee(promise, file));
        if (CLEANUP.test(m) || PROBE.test(m)) continue;
        report(handler, '`.catch(() => {})`', commented(handler), fix);
      }
    } else if (lang === 'python') {
      const fix = 'Log it (`logger.exception(...)` keeps the traceback), narrow the exception type to what you expect, or use `contextlib.suppress(SpecificError)` with a comment saying why it is safe.';
      eachOfType(file.root, ['except_clause'], (c) => {
        const block = c.namedChildren.find((x) => x?.type === 'block');
        if (!emptyBody(block, lang)) return;
        const typeNode = c.namedChildren.find((x) => x && x.type !== 'block' && !LANG.python.comment.includes(x.type));
        const typeExpr = typeNode?.type === 'as_pattern' ? typeNode.namedChildren[0] : typeNode;
        const types = !typeExpr ? [] : typeExpr.type === 'tuple' || typeExpr.type === 'parenthesized_expression' ? typeExpr.namedChildren.map((t) => t?.text ?? '') : [typeExpr.text];
        const bare = types.length === 0;
        if (!bare && !types.some((t) => BROAD_PY.test(t))) return; // a specific, expected exception ignored on purpose
        if (types.some((t) => PY_EXPECTED.test(t))) return;
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        report(c, bare ? 'This bare `except:` with only `pass`' : `\`except ${types.join(', ')}:\` with only \`pass\``, commented(c), fix);
      });
    } else if (lang === 'java') {
      const fix = 'Log it with context (or rethrow wrapped in a domain exception); if it truly cannot matter, name the variable `ignored` and add a comment saying why.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        const param = c.namedChildren.find((x) => x?.type === 'catch_formal_parameter');
        const typeNames = (param?.namedChildren.find((x) => x?.type === 'catch_type')?.namedChildren ?? []).map((t) => t?.text ?? '');
        const varName = param?.childForFieldName('name')?.text ?? '';
        const intent = commented(c) || /^(ignored?|expected|_)$/.test(varName);
        if (typeNames.some((t) => /InterruptedException$/.test(t))) {
          hits.push({
            node: c,
            severity: 'medium',
            title: 'InterruptedException swallowed',
            message: 'This empty `catch (InterruptedException ...)` clears the thread\'s interrupt flag, so shutdown and cancellation requests are lost and the thread keeps running. Call `Thread.currentThread().interrupt()` in the handler (and stop the work), or let the exception propagate.',
            suggestion: { description: 'Restore the interrupt flag with `Thread.currentThread().interrupt()` and stop the work, or declare `throws InterruptedException`.' },
          });
          return;
        }
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        const broad = typeNames.some((t) => BROAD_JAVA.test(t.replace(/^java\.lang\./, '')));
        if (!broad && intent) return; // a specific exception ignored with a stated reason
        report(c, `This empty \`catch (${typeNames.join(' | ')} ${varName})\``, intent, fix, broad ? undefined : 'low');
      });
    } else if (lang === 'go') {
      const fix = 'Handle the error: return it wrapped with context (`fmt.Errorf("...: %w", err)`), or log it; if ignoring is intended, assign to `_` with a comment.';
      eachOfType(file.root, ['if_statement'], (n) => {
        const cond = n.childForFieldName('condition');
        if (cond?.type !== 'binary_expression' || n.childForFieldName('alternative')) return;
        const op = cond.childForFieldName('operator')?.text ?? cond.children.find((c) => c && !c.isNamed)?.text;
        const l = cond.childForFieldName('left')?.text ?? '';
        const r = cond.childForFieldName('right')?.text ?? '';
        if (op !== '!=' || !((/^(err|\w*Err)$/.test(l) && r === 'nil') || (/^(err|\w*Err)$/.test(r) && l === 'nil'))) return;
        if (!emptyBody(n.childForFieldName('consequence'), lang)) return;
        report(n, `This \`if ${cond.text} {}\``, commented(n), fix);
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Retry loops without a limit or backoff

/** True when a loop has no exit condition of its own (`while (true)`, `for (;;)`, `while True:`, Go `for {}`). */
function isInfiniteLoop(loop: SyntaxNode, lang: ParsedLanguage): boolean {
  if (lang === 'go') return loop.type === 'for_statement' && loop.namedChildren.filter((c) => c && !LANG.go.comment.includes(c.type)).length === 1;
  const cond = loop.childForFieldName('condition');
  if (loop.type === 'for_statement' && (isJs(lang) || lang === 'java')) return !cond || cond.type === 'empty_statement' || cond.text === ';' || /^\(?\s*true\s*\)?;?$/.test(cond.text);
  if (loop.type === 'while_statement' || loop.type === 'do_statement') return /^\(?\s*(true|True|1)\s*\)?$/.test(cond?.text ?? '');
  return false;
}

/** The loop variable and bound of a counted loop (`for (let i = 0; i < 3; i++)`, `for _ in range(3)`, Go `for i := 0; i < 3; i++`), or undefined. */
function countedLoop(loop: SyntaxNode, lang: ParsedLanguage): { variable: string } | undefined {
  if (lang === 'python' && loop.type === 'for_statement') {
    const right = loop.childForFieldName('right');
    if (right?.type === 'call' && right.childForFieldName('function')?.text === 'range') return { variable: loop.childForFieldName('left')?.text ?? '' };
    return undefined;
  }
  if (lang === 'go' && loop.type === 'for_statement') {
    const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
    if (clause) {
      const cond = clause.childForFieldName('condition');
      if (!cond || /len\(/.test(cond.text)) return undefined;
      return { variable: clause.childForFieldName('initializer')?.childForFieldName('left')?.text ?? '' };
    }
    const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
    if (range && /^\d+$|^\w*(max|Max|retries|Retries|attempts|Attempts)\w*$/.test(range.childForFieldName('right')?.text ?? '')) return { variable: range.childForFieldName('left')?.text ?? '' };
    return undefined;
  }
  if (loop.type === 'for_statement' && (isJs(lang) || lang === 'java')) {
    const cond = loop.childForFieldName('condition');
    if (!cond || !/[<>]/.test(cond.text) || /\.length|\.size\(\)|\.count/.test(cond.text)) return undefined;
    const init = loop.childForFieldName('initializer') ?? loop.childForFieldName('init');
    const id = init?.descendantsOfType(['identifier'])[0];
    return { variable: id?.text ?? '' };
  }
  if (loop.type === 'while_statement' || loop.type === 'do_statement') {
    const cond = loop.childForFieldName('condition')?.text ?? '';
    if (/[<>]/.test(cond) && COUNTER.test(cond)) return { variable: '' };
  }
  return undefined;
}

const COUNTER = /attempt|retr(y|ies)|tries|tried|count|max|limit|deadline|elapsed|remaining|budget/i;
const BACKOFF = /sleep|delay|wait|backoff|setTimeout|pause|throttle|After$|Sleep|retryAfter/i;
const FALLIBLE = /fetch|request|get|post|put|patch|delete|send|connect|query|exec|call|invoke|publish|consume|receive|recv|urlopen|dial|Do$|open|upload|download|write|read|login|auth|api|http|client|rpc|sql|db|redis|kafka|queue|socket|grpc|rabbit|amqp|s3|mongo|pg|mysql/i;
const INTERACTIVE = /(^|\.)(input|prompt|readline|raw_input|nextLine|nextInt|getpass|Scan|Scanln)$/;

/** Nodes inside `root` that belong to it: not inside nested functions or nested loops. */
function ownNodes(root: SyntaxNode, lang: ParsedLanguage, types: readonly string[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const t = LANG[lang];
  walk(root, (n) => {
    if (n.id !== root.id && (t.func.includes(n.type) || t.loop.includes(n.type))) return false;
    if (types.includes(n.type)) out.push(n);
    return true;
  });
  return out;
}

const EXIT = ['break_statement', 'return_statement'];
const FAIL_EXIT = ['throw_statement', 'raise_statement', 'return_statement', 'break_statement'];

/**
 * True when a block leaves the loop on its normal path: a `break`/`return` among its top-level statements
 * (looking through `with` blocks and plain nested blocks, not through `if`s or loops).
 */
function unconditionalExit(block: SyntaxNode): boolean {
  for (const st of block.namedChildren) {
    if (!st) continue;
    if (EXIT.includes(st.type)) return true;
    if (st.type === 'with_statement' || st.type === 'statement_block' || st.type === 'block') {
      const inner = st.type === 'with_statement' ? st.childForFieldName('body') : st;
      if (inner && unconditionalExit(inner)) return true;
    }
  }
  return false;
}

interface RetryShape {
  /** The call being retried (first fallible call on the success path). */
  call: SyntaxNode;
}

/** Recognises "try the call; on success leave the loop; on failure go round again". */
function retryShape(loop: SyntaxNode, file: ParsedFile): RetryShape | undefined {
  const lang = file.language;
  const t = LANG[lang];
  const body = loop.childForFieldName('body') ?? loop.namedChildren.find((c) => c?.type === 'block') ?? null;
  if (!body) return undefined;
  if (lang !== 'go') {
    for (const tryNode of ownNodes(body, lang, t.tryCatch)) {
      const tryBody = tryNode.childForFieldName('body');
      const handlers = tryNode.namedChildren.filter((c): c is SyntaxNode => !!c && t.catchClause.includes(c.type));
      if (!tryBody || handlers.length === 0) continue;
      if (!unconditionalExit(tryBody)) continue;
      if (handlers.some((h) => ownNodes(h, lang, FAIL_EXIT).length > 0)) continue;
      const calls = ownNodes(tryBody, lang, t.call);
      if (calls.some((c) => INTERACTIVE.test(resolvedCallee(c, file)))) continue;
      const fallible = calls.find((c) => FALLIBLE.test(calleeMethod(resolvedCallee(c, file))) || FALLIBLE.test(resolvedCallee(c, file)));
      if (fallible) return { call: fallible };
    }
    return undefined;
  }
  // Go: `x, err := call(); if err == nil { break }` or `if err != nil { continue }` ... `return`.
  const ifs = ownNodes(body, lang, ['if_statement']);
  const errCheck = (n: SyntaxNode, op: string) => {
    const cond = n.childForFieldName('condition');
    return cond?.type === 'binary_expression' && cond.childForFieldName('operator')?.text === op && /^(err|\w*Err)$/.test(cond.childForFieldName('left')?.text ?? '') && cond.childForFieldName('right')?.text === 'nil';
  };
  const successExit = ifs.some((n) => errCheck(n, '==') && ownNodes(n.childForFieldName('consequence') ?? n, lang, EXIT).length > 0);
  const failContinue = ifs.some((n) => errCheck(n, '!=') && ownNodes(n.childForFieldName('consequence') ?? n, lang, ['continue_statement']).length > 0 && ownNodes(n.childForFieldName('consequence') ?? n, lang, FAIL_EXIT).length === 0);
  const failExits = ifs.some((n) => errCheck(n, '!=') && ownNodes(n.childForFieldName('consequence') ?? n, lang, FAIL_EXIT).length > 0);
  if (!(successExit || (failContinue && ownNodes(body, lang, EXIT).length > 0)) || failExits) return undefined;
  const calls = ownNodes(body, lang, t.call).filter((c) => {
    const assign = c.parent?.parent;
    return assign && /short_var_declaration|assignment_statement/.test(assign.type) && /\berr\b/.test(assign.childForFieldName('left')?.text ?? '');
  });
  const fallible = calls[0];
  return fallible ? { call: fallible } : undefined;
}

/** True when the loop counts attempts or watches a deadline/cancellation somewhere in its body or condition. */
function hasBound(loop: SyntaxNode, lang: ParsedLanguage): boolean {
  let bounded = false;
  walk(loop, (n) => {
    if (bounded) return false;
    if (LANG[lang].func.includes(n.type)) return false;
    if (/^(binary_expression|comparison_operator)$/.test(n.type)) {
      const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed)?.text ?? '';
      if (/^(<|<=|>|>=|==|===|!=|!==)$/.test(op) && (COUNTER.test(n.text) || /now|time|since|Since|Until|monotonic/.test(n.text))) bounded = true;
    }
    if (/ctx\.Done\(\)|ctx\.Err\(\)|\.aborted|isInterrupted\(\)|signal\.throwIfAborted/.test(n.type === 'call_expression' || n.type === 'member_expression' || n.type === 'selector_expression' || n.type === 'method_invocation' ? n.text : '')) bounded = true;
    return !bounded;
  });
  return bounded;
}

function hasBackoff(loop: SyntaxNode, file: ParsedFile): boolean {
  const lang = file.language;
  let found = false;
  walk(loop, (n) => {
    if (found) return false;
    if (LANG[lang].call.includes(n.type) && BACKOFF.test(calleeMethod(resolvedCallee(n, file)))) found = true;
    if (lang === 'go' && n.type === 'unary_expression' && /<-\s*time\.After/.test(n.text)) found = true;
    return !found;
  });
  return found;
}

const retryLoop: FileRule = {
  kind: 'file',
  id: 'sre/retry-loop',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'unsafe-retry',
  title: 'Retry loop without attempt limit or backoff',
  description:
    'Flags retry loops (try a call, leave the loop on success, go round again on failure) that either never give up (`while (true)`/`for {}` with no attempt counter or deadline) or retry immediately with no sleep/backoff. Against a failing dependency these loops spin, burn CPU and multiply load exactly when it is least able to cope (retry storms). Cap the attempts, back off exponentially with jitter, and surface the final error.',
  references: ['CWE-835', 'CWE-400'],
  confidence: 0.75,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    eachOfType(file.root, LANG[lang].loop, (loop) => {
      const infinite = isInfiniteLoop(loop, lang);
      const counted = infinite ? undefined : countedLoop(loop, lang);
      if (!infinite && !counted) return;
      const shape = retryShape(loop, file);
      if (!shape) return;
      const callee = resolvedCallee(shape.call, file) || 'the call';
      if (counted?.variable && counted.variable !== '_') {
        // The loop variable used in the call means iterating over candidates, not retrying one call.
        const uses = shape.call.descendantsOfType('identifier').some((id) => id?.text === counted.variable);
        if (uses) return;
      }
      const backoff = hasBackoff(loop, file);
      const line = loop.startPosition.row + 1;
      const range = { startLine: line, endLine: line };
      const backoffFix = lang === 'python' ? '`time.sleep(min(cap, base * 2 ** attempt) * random.random())`' : lang === 'go' ? '`time.Sleep(backoff)` with a doubling, jittered `backoff`' : lang === 'java' ? '`Thread.sleep(...)` (or a `ScheduledExecutorService`) with exponential, jittered delays' : '`await new Promise(r => setTimeout(r, delay))` with an exponential, jittered `delay`';
      if (infinite && !hasBound(loop, lang)) {
        const fix = `Count attempts and give up after a few (or at a deadline), and wait between attempts with exponential backoff and jitter, e.g. ${backoffFix}; then surface the last error.`;
        hits.push({
          range,
          severity: 'high',
          title: backoff ? 'Unbounded retry loop' : 'Unbounded retry loop without backoff',
          message: `This loop retries ${code(callee)} until it succeeds, with no attempt limit or deadline${backoff ? '' : ' and no delay between attempts'}. If the dependency is down, it ${backoff ? 'never gives up and never reports the failure' : 'spins hot, hammering it and burning CPU, and never reports the failure'}. ${fix}`,
          suggestion: { description: fix },
        });
      } else if (!backoff) {
        const fix = `Wait between attempts with exponential backoff and jitter, e.g. ${backoffFix}.`;
        hits.push({
          range,
          severity: 'medium',
          title: 'Retry loop without backoff',
          message: `This loop retries ${code(callee)} immediately after each failure. Back-to-back retries give a struggling dependency no time to recover and multiply its load (a retry storm). ${fix}`,
          suggestion: { description: fix },
        });
      }
    });
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Missing health checks

type Family = 'js' | 'python' | 'go';
function familyOf(lang: ParsedLanguage): Family | undefined {
  return isJs(lang) ? 'js' : lang === 'python' ? 'python' : lang === 'go' ? 'go' : undefined;
}

const HEALTH_SEGMENT = /^_?(health|healthz|healthcheck|health-check|health_check|healthy|ready|readyz|readiness|live|livez|liveness|alive|ping|status|heartbeat|hc|up|_ah)$/i;
const HEALTH_LIB = /health|terminus|actuator|lightship|healthz/i;

/** True when a route path looks like a health/readiness/liveness endpoint. */
export function isHealthPath(p: string): boolean {
  const path = p.replace(/^(GET|HEAD|POST)\s+/, '');
  return path.split(/[/.]/).some((seg) => HEALTH_SEGMENT.test(seg));
}

const JS_ROUTE = /^(get|post|put|patch|delete|del|all|use|route|head|options|any|on)$/;
const GO_ROUTE = /^(HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|HEAD|Any|Get|Post|Put|Patch|Delete|Head|Group|Route|Method|Methods|Path|PathPrefix)$/;

/** Route paths registered in a file (string first arguments of route registrations and decorators). */
function routePaths(file: ParsedFile): string[] {
  const lang = file.language;
  const out: string[] = [];
  const firstString = (call: SyntaxNode) => stringValue(callArguments(call)[0], lang);
  for (const call of callsOf(file)) {
    const name = resolvedCallee(call, file);
    const method = calleeMethod(name);
    if (isJs(lang)) {
      if (JS_ROUTE.test(method) && name.includes('.')) {
        const p = firstString(call);
        if (p !== undefined && p.startsWith('/')) out.push(p);
        const obj = callArguments(call)[0];
        if (obj?.type === 'object') {
          for (const pr of obj.namedChildren) {
            const k = pr?.childForFieldName('key')?.text;
            const v = stringValue(pr?.childForFieldName('value'), lang);
            if (pr?.type === 'pair' && (k === 'url' || k === 'path') && v?.startsWith('/')) out.push(v);
          }
        }
      }
    } else if (lang === 'python') {
      if (/^(route|get|post|put|patch|delete|api_route|websocket|add_url_rule|add_route|add_get|add_post|path|re_path|url)$/.test(method)) {
        const p = firstString(call) ?? stringValue(callArguments(call)[1], lang);
        if (p !== undefined) out.push(p.startsWith('/') || method === 'path' || method === 're_path' || method === 'url' ? p : `/${p}`);
      }
    } else if (lang === 'go') {
      if (GO_ROUTE.test(method)) {
        const p = firstString(call);
        if (p !== undefined && /^((GET|POST|PUT|PATCH|DELETE|HEAD)\s+)?\//.test(p)) out.push(p);
      }
    }
  }
  if (isJs(lang)) {
    // Plain `http.createServer` routing: `req.url === '/x'`, `case '/x':` on a url/path switch.
    eachOfType(file.root, ['binary_expression', 'switch_case'], (n) => {
      if (n.type === 'binary_expression') {
        const [l, r] = [n.childForFieldName('left'), n.childForFieldName('right')];
        for (const [a, b] of [[l, r], [r, l]] as const) {
          const v = stringValue(b, lang);
          if (v?.startsWith('/') && /url|path/i.test(a?.text ?? '')) out.push(v);
        }
      } else {
        const v = stringValue(n.childForFieldName('value'), lang);
        if (v?.startsWith('/')) out.push(v);
      }
    });
  }
  return out;
}

interface HealthIndex {
  routes: Map<Family, string[]>;
  /** Families in which some string literal or import looks like a health endpoint or health library. */
  hasHealth: Set<Family>;
}
const healthCache = new WeakMap<ProjectIndex, HealthIndex>();

function healthIndex(project: ProjectIndex): HealthIndex {
  const hit = healthCache.get(project);
  if (hit) return hit;
  const idx: HealthIndex = { routes: new Map(), hasHealth: new Set() };
  for (const pf of project.parsed) {
    const fam = familyOf(pf.language);
    if (!fam) continue;
    const paths = routePaths(pf);
    idx.routes.set(fam, [...(idx.routes.get(fam) ?? []), ...paths]);
    if (paths.some(isHealthPath)) idx.hasHealth.add(fam);
    if ([...moduleBindings(pf).values()].some((m) => HEALTH_LIB.test(m))) idx.hasHealth.add(fam);
    if (!idx.hasHealth.has(fam)) {
      eachOfType(pf.root, LANG[pf.language].string, (s) => {
        const v = stringValue(s, pf.language);
        if (v !== undefined && v.length < 40 && /^\/?[\w/-]*$/.test(v) && v.includes('/') && isHealthPath(v)) idx.hasHealth.add(fam);
      });
      if (pf.language === 'python' && pf.root.descendantsOfType('import_statement').some((i) => i && HEALTH_LIB.test(i.text))) idx.hasHealth.add(fam);
    }
  }
  healthCache.set(project, idx);
  return idx;
}

/** The call that starts (or creates) the HTTP server in this file, with the framework's name. */
function serverAnchor(file: ParsedFile): { node: SyntaxNode; framework: string } | undefined {
  const lang = file.language;
  const calls = callsOf(file);
  if (isJs(lang)) {
    const apps = new Set<string>();
    let framework = '';
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      const fw = /^(express|fastify|koa|hono|restify|@hapi\/hapi|http|https)(\.default)?(\.(createServer|server|Server))?$/.exec(name.replace(/^new /, ''));
      if (!fw) continue;
      if ((fw[1] === 'http' || fw[1] === 'https') && fw[4] !== 'createServer') continue;
      if (fw[1] === 'restify' && fw[4] !== 'createServer') continue;
      framework = fw[1] === 'http' || fw[1] === 'https' ? `${fw[1]}.createServer` : fw[1]!;
      const decl = c.parent?.type === 'variable_declarator' ? c.parent.childForFieldName('name') : c.parent?.type === 'assignment_expression' ? c.parent.childForFieldName('left') : null;
      if (decl) apps.add(compactText(decl.text));
      const chained = c.parent?.type === 'member_expression' && /^(listen|start)$/.test(c.parent.childForFieldName('property')?.text ?? '') ? c.parent.parent : null;
      if (chained) return { node: chained, framework };
    }
    if (!framework) return undefined;
    for (const c of calls) {
      const fn = c.childForFieldName('function');
      if (fn?.type !== 'member_expression') continue;
      const m = fn.childForFieldName('property')?.text ?? '';
      if (/^(listen|start)$/.test(m) && apps.has(compactText(fn.childForFieldName('object')?.text ?? ''))) return { node: c, framework };
    }
    return undefined;
  }
  if (lang === 'python') {
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      const fw = /(^|\.)(Flask|FastAPI|Quart|Sanic|Starlette)$/.exec(name) ?? /^aiohttp\.web\.Application$|^web\.Application$/.exec(name);
      if (fw) return { node: c, framework: fw[2] ?? 'aiohttp' };
    }
    return undefined;
  }
  if (lang === 'go') {
    const routers = new Set<string>();
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      if (/(^|\/)(gin\.(Default|New)|echo\.New|fiber\.New|chi\.NewRouter|mux\.NewRouter)$/.test(name)) {
        const decl = c.parent?.parent;
        const left = decl && /short_var_declaration|assignment_statement/.test(decl.type) ? decl.childForFieldName('left')?.text : undefined;
        if (left) routers.add(left);
      }
    }
    for (const c of calls) {
      const name = resolvedCallee(c, file).replace(/^net\/http\./, 'http.');
      const method = calleeMethod(name);
      if (/^http\.(ListenAndServe|ListenAndServeTLS)$/.test(name) || /\.(ListenAndServe|ListenAndServeTLS)$/.test(name)) return { node: c, framework: 'net/http' };
      const recv = name.slice(0, name.lastIndexOf('.'));
      if (/^(Run|RunTLS|Start|StartTLS|Listen)$/.test(method) && routers.has(recv)) return { node: c, framework: recv };
    }
  }
  return undefined;
}

const missingHealthCheck: FileRule = {
  kind: 'file',
  id: 'sre/missing-health-check',
  personas: ['sre', 'devops'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go'],
  severity: 'medium',
  category: 'missing-health-check',
  title: 'HTTP service without a health-check endpoint',
  description:
    'Flags a file that starts an HTTP service (Express/Fastify/Koa `listen`, `http.createServer`, Flask/FastAPI apps, Go `ListenAndServe`/gin/echo) when the reviewed code registers routes but none looks like a health, readiness or liveness endpoint (`/health`, `/healthz`, `/ready`, `/live`, `/ping`, `/status`). Without one, load balancers and orchestrators cannot tell a hung instance from a healthy one, so traffic keeps going to it and it is never restarted. Add a cheap liveness route and a readiness route that checks critical dependencies.',
  references: [],
  confidence: 0.6,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const fam = familyOf(file.language);
    if (!fam) return [];
    const anchor = serverAnchor(file);
    if (!anchor) return [];
    const idx = healthIndex(project);
    if (idx.hasHealth.has(fam)) return [];
    const routes = idx.routes.get(fam) ?? [];
    // Too few routes seen: the routing is probably elsewhere, so absence proves nothing.
    if (routes.length < 2) return [];
    const fix =
      fam === 'python'
        ? 'Add `@app.get("/healthz")` returning 200 when the process is alive, and `/readyz` that checks the database and other critical dependencies (returning 503 when they fail); point the load balancer and orchestrator probes at them.'
        : fam === 'go'
          ? 'Register `/healthz` (liveness: return 200) and `/readyz` (readiness: check the database and other critical dependencies, return 503 on failure), and point the load balancer and orchestrator probes at them.'
          : 'Add `GET /healthz` (liveness: respond 200) and `GET /readyz` (readiness: check the database and other critical dependencies, respond 503 on failure), and point the load balancer and orchestrator probes at them.';
    return [
      {
        node: anchor.node,
        message: `This ${anchor.framework} server registers ${routes.length} route${routes.length === 1 ? '' : 's'} (e.g. ${code([...new Set(routes)].slice(0, 3).join(', '))}) but none is a health, readiness or liveness endpoint. Load balancers and orchestrators then cannot detect a hung or not-yet-ready instance, so it keeps receiving traffic and is never restarted. ${fix}`,
        suggestion: { description: fix },
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// Process exit in library code

/** True when a file is a program entry point rather than a library module. */
function isEntryPoint(file: ParsedFile): boolean {
  const p = file.file.path;
  const base = p.slice(p.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  if (/(^|\/)(bin|cli|cmd|cmds|commands?|scripts?|tools?|tasks|examples?|samples?|demos?|benchmarks?|bench|e2e)\//i.test(p)) return true;
  if (/^(cli|main|bin|server|app|start|run|index\.cli|__main__|manage|setup|wsgi|asgi|worker|daemon|entrypoint|entry|commands?)$|[-_.]cli$|^cli[-_.]|[-_.]main$/i.test(base)) return true;
  if ((file.lines[0] ?? '').startsWith('#!')) return true;
  const lang = file.language;
  if (lang === 'go') return file.root.namedChildren.some((c) => c?.type === 'package_clause' && /\bmain$/.test(c.text));
  if (lang === 'python') return file.root.descendantsOfType('if_statement').some((i) => i?.parent?.type === 'module' && /__name__\s*==\s*['"]__main__['"]/.test(i.childForFieldName('condition')?.text ?? ''));
  if (lang === 'java') return file.root.descendantsOfType('method_declaration').some((m) => m?.childForFieldName('name')?.text === 'main' && /static/.test(m.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? ''));
  return file.root.descendantsOfType('member_expression').some((m) => m !== null && /^require\.main$/.test(m.text));
}

const processExit: FileRule = {
  kind: 'file',
  id: 'sre/process-exit-in-library',
  personas: ['sre', 'devops'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'process-exit',
  title: 'Process exit in library code',
  description:
    'Flags `process.exit`, `sys.exit`, Go `os.Exit`/`log.Fatal` and Java `System.exit` in modules that are not program entry points (no `main`, not under `bin/`/`cli/`/`cmd/`, no shebang or `__main__` guard). Exiting from a library kills the whole process: in-flight requests are dropped, deferred cleanup and log flushing are skipped, and callers cannot handle the error. Throw or return the error and let the entry point decide the exit code.',
  references: ['CWE-382'],
  confidence: 0.75,
  check(file, project) {
    if (isTestFile(file, project) || isEntryPoint(file)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    const fix =
      lang === 'go'
        ? 'Return the error (wrapped with `fmt.Errorf("...: %w", err)`) and let `main` log it and exit.'
        : lang === 'python'
          ? 'Raise an exception (a specific error type) and let the entry point (`main` / `__main__`) decide the exit status.'
          : lang === 'java'
            ? 'Throw an exception and let `main` (or the framework) decide whether the JVM exits.'
            : 'Throw an error (or return a rejected promise) and let the entry point set `process.exitCode`.';
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      let api: string | undefined;
      if (isJs(lang) && /^process\.(exit|abort|reallyExit)$/.test(name)) api = name;
      // `os._exit` is the documented way for a forked child to end, so it is not reported.
      else if (lang === 'python' && /^(sys\.exit|exit|quit)$/.test(name)) api = name;
      else if (lang === 'go' && /^(os\.Exit|log\.(Fatal|Fatalf|Fatalln))$/.test(name)) api = name;
      else if (lang === 'java' && (/^System\.exit$/.test(name) || /getRuntime\(\)\.(exit|halt)$/.test(name))) api = name;
      if (!api) continue;
      // Exits inside `main`-like functions or shutdown/signal handlers are deliberate.
      const fns: SyntaxNode[] = [];
      for (let p = call.parent; p; p = p.parent) if (LANG[lang].func.includes(p.type)) fns.push(p);
      if (fns.some((f) => /^(main|cli|run_?cli|shutdown|graceful\w*|on_?exit|exit\w*|die|fatal\w*|abort\w*|usage)$|_main$|Main$|^main_/i.test(functionName(f)))) continue;
      if (isJs(lang) && fns.some((f) => f.parent?.type === 'arguments' && /^process\.(on|once)$/.test(resolvedCallee(f.parent.parent!, file)))) continue;
      if (fns.length === 0 && lang !== 'go' && lang !== 'java') continue; // module-level code runs as a script
      // Python CLI commands (`@click.command()`, `@app.cli.command()`, typer) own the process.
      if (lang === 'python' && fns.some((f) => f.parent?.type === 'decorated_definition' && f.parent.namedChildren.some((d) => d?.type === 'decorator' && /command|\.cli\b|typer|main/i.test(d.text)))) continue;
      hits.push({
        node: call,
        message: `\`${api}\` in ${fns[0] ? `\`${functionName(fns[0]) || 'an anonymous function'}\`` : 'module code'} ends the whole process from library code: in-flight work is dropped, ${lang === 'go' ? 'deferred calls do not run' : 'cleanup and log flushing may not run'}, and callers get no chance to handle the failure. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};

/** The rules of this pack. */
export const rules: OfflineRule[] = [missingTimeout, swallowedError, retryLoop, missingHealthCheck, processExit];
