/**
 * `sre/missing-timeout`: network calls and servers without a timeout.
 *
 * Facts used: `requests` has no default timeout (requests docs, "Timeouts"); Go's `http.DefaultClient`
 * and a zero `http.Client{}` have no timeout (net/http docs, `Client.Timeout`); Node's `http.request`
 * and axios default to no timeout (axios docs, `timeout` default 0); Java's `URLConnection` and
 * `HttpClient` connect without a timeout unless one is set. CWE-1088, CWE-400.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { definitionsOf, moduleBindings, resolvedCallee, globalCallee } from '../../bindings';
import { ALL_LANGS, callArguments, calleeMethod, enclosingFunction, isJs } from '../../lang';
import { callsOf, compactText, eachOfType, stringValue } from '../../nodes';
import { isTestFile } from './util';

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
  if (!/^((globalThis|window|self)\.)?fetch$|^node-fetch|^undici\.fetch$|^axios|^got\b|^https?\.(request|get)$/.test(name)) return undefined;
  // A `fetch` (or `http`, `axios`) this file declares itself is not the API of that name: its options are its own.
  if (globalCallee(call, file) === undefined) return undefined;
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

export const missingTimeout: FileRule = {
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
