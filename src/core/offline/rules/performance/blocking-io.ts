/** `performance/blocking-io-in-request-path`: synchronous I/O in request handlers. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { callArguments, calleeName, functionName, JS_LANGS, LANG, nodesOfType } from '../../lang';
import { callChain, isAsyncFunction, nearestFunction, parameterNames, snippet } from '../../flow';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
// ---------------------------------------------------------------------------------------------------

const JS_SYNC_CALL = new Set([
  'readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'statSync', 'lstatSync', 'fstatSync', 'readdirSync', 'mkdirSync',
  'rmSync', 'rmdirSync', 'unlinkSync', 'copyFileSync', 'cpSync', 'renameSync', 'accessSync', 'openSync', 'readSync', 'writeSync', 'closeSync',
  'realpathSync', 'readlinkSync', 'symlinkSync', 'truncateSync', 'chmodSync', 'chownSync', 'utimesSync', 'mkdtempSync', 'opendirSync',
  'execSync', 'execFileSync', 'spawnSync', 'pbkdf2Sync', 'scryptSync', 'gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync',
  'brotliCompressSync', 'brotliDecompressSync', 'unzipSync',
]);
const ROUTER_RECEIVER = /^(app|router|server|api|routes?|r|fastify|express|koa|hono|srv|web)$|(app|router|server|routes)$/i;
const ROUTE_METHOD = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'handle']);
const HANDLER_PARAMS: Array<[string, string]> = [['req', 'res'], ['request', 'response'], ['request', 'reply'], ['req', 'reply'], ['req', 'resp'], ['ctx', 'next']];
const HTTP_VERB_FUNCTION = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;
const NEST_ROUTE_DECORATOR = /^@(Get|Post|Put|Patch|Delete|All|Head|Options)\b/;

/** Functions of a JS/TS file that serve HTTP requests: route callbacks, functions registered by name, `(req, res)` handlers, Next.js verb exports, NestJS route methods. */
function requestHandlers(root: SyntaxNode, lang: ParsedLanguage): Set<number> {
  const handlers = new Set<number>();
  const byName = new Set<string>();
  for (const call of nodesOfType(root, ['call_expression'])) {
    const chain = callChain(call, lang);
    if (!chain) continue;
    const name = calleeName(call, lang);
    const method = chain.methods[chain.methods.length - 1] ?? '';
    const route = (ROUTER_RECEIVER.test(chain.root) && ROUTE_METHOD.has(method)) || /(^|\.)createServer$/.test(name);
    if (!route) continue;
    for (const a of callArguments(call)) {
      if (LANG[lang].func.includes(a.type)) handlers.add(a.id);
      else if (a.type === 'identifier') byName.add(a.text);
    }
  }
  for (const fn of nodesOfType(root, LANG[lang].func)) {
    const params = parameterNames(fn);
    const name = functionName(fn);
    if (HANDLER_PARAMS.some(([a, b]) => params[0] === a && params[1] === b)) handlers.add(fn.id);
    else if (name && byName.has(name)) handlers.add(fn.id);
    else if (HTTP_VERB_FUNCTION.test(name)) handlers.add(fn.id);
    else if (fn.type === 'method_definition') {
      const prev = fn.previousNamedSibling;
      if (prev?.type === 'decorator' && NEST_ROUTE_DECORATOR.test(prev.text)) handlers.add(fn.id);
    }
  }
  return handlers;
}

/** A Python call that blocks the thread it runs on (sleep, synchronous HTTP, subprocess), with the async alternative. */
function pyBlocking(call: SyntaxNode): { what: string; instead: string } | null {
  const chain = callChain(call, 'python');
  if (!chain) return null;
  const root = chain.root;
  const last = chain.methods[chain.methods.length - 1] ?? '';
  const depth = chain.members.length;
  if (root === 'time' && last === 'sleep' && depth === 1) return { what: 'sleeps the whole event loop', instead: '`await asyncio.sleep(...)`' };
  if ((root === 'requests' || root === 'httpx') && depth === 1 && /^(get|post|put|patch|delete|head|options|request)$/.test(last)) {
    return { what: 'performs a synchronous HTTP request on the event loop', instead: 'an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`' };
  }
  if (last === 'urlopen' && (depth === 0 || root === 'urllib' || root === 'request')) {
    return { what: 'performs a synchronous HTTP request on the event loop', instead: 'an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`' };
  }
  if (root === 'subprocess' && depth === 1 && /^(run|call|check_call|check_output)$/.test(last)) {
    return { what: 'waits for a child process on the event loop', instead: '`await asyncio.create_subprocess_exec(...)`' };
  }
  if (root === 'os' && depth === 1 && last === 'system') return { what: 'waits for a shell command on the event loop', instead: '`await asyncio.create_subprocess_shell(...)`' };
  return null;
}

export const blockingIo: FileRule = {
  kind: 'file',
  id: 'performance/blocking-io-in-request-path',
  personas: ['performance'],
  severity: 'high',
  category: 'blocking-io',
  title: 'Blocking call on a request path',
  description:
    'A synchronous file, process or network call inside an HTTP request handler (Node.js `*Sync` APIs) or an `async def` (Python `time.sleep`, `requests`, `subprocess`) blocks the event loop, so every concurrent request waits. Use the asynchronous API or move the work off the loop.',
  references: [],
  confidence: 0.8,
  languages: [...JS_LANGS, 'python'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    if (lang === 'python') {
      for (const call of nodesOfType(root, ['call'])) {
        const fn = nearestFunction(call, lang);
        if (!fn || fn.type !== 'function_definition' || !isAsyncFunction(fn)) continue;
        const b = pyBlocking(call);
        if (!b) continue;
        const name = fn.childForFieldName('name')?.text ?? '';
        hits.push({
          node: call,
          message: `\`${snippet(call)}\` ${b.what} inside \`async def ${name}\`: while it runs, no other coroutine (no other request) makes progress.`,
          suggestion: { description: `Use ${b.instead}.` },
        });
      }
      return hits;
    }
    const handlers = requestHandlers(root, lang);
    if (!handlers.size) return hits;
    for (const call of nodesOfType(root, ['call_expression'])) {
      const name = calleeName(call, lang);
      const method = name.slice(name.lastIndexOf('.') + 1);
      if (!JS_SYNC_CALL.has(method)) continue;
      let handler: SyntaxNode | null = null;
      for (let p = nearestFunction(call, lang); p; p = nearestFunction(p, lang)) {
        if (handlers.has(p.id)) {
          handler = p;
          break;
        }
      }
      if (!handler) continue;
      const asyncName = method.replace(/Sync$/, '');
      const alt = /^(exec|execFile|spawn)$/.test(asyncName)
        ? `\`child_process.${asyncName}\` (promisified) or \`spawn\``
        : /^(pbkdf2|scrypt)$/.test(asyncName)
          ? `the callback/promisified \`crypto.${asyncName}\` (runs on the libuv thread pool)`
          : /^(gzip|gunzip|deflate|inflate|brotliCompress|brotliDecompress|unzip)$/.test(asyncName)
            ? `the asynchronous \`zlib.${asyncName}\` or a stream`
            : asyncName === 'exists'
              ? '`await fs.promises.access(...)` or, better, just attempting the operation and handling `ENOENT`'
              : `\`await fs.promises.${asyncName}(...)\``;
      hits.push({
        node: call,
        message: `\`${snippet(call)}\` blocks the Node.js event loop inside the request handler on line ${handler.startPosition.row + 1}: while it runs, the server cannot serve any other request.`,
        suggestion: { description: `Use ${alt}, or do the work once at startup and cache the result.` },
      });
    }
    return hits;
  },
};
