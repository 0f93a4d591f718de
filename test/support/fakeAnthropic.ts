/**
 * A scripted fake of the Anthropic Messages API for tests: a real node:http server on 127.0.0.1 that answers
 * `POST /v1/messages` with server-sent events shaped like the real API's stream (event names and JSON
 * payloads as in `@anthropic-ai/sdk` `RawMessageStreamEvent`: message_start, content_block_start, ping,
 * content_block_delta/text_delta, content_block_stop, message_delta with usage, message_stop; errors as
 * `{"type":"error","error":{"type","message"}}`), so the real SDK runs end to end. Each scripted step
 * answers one request, in order; a request with no step left gets a 400 that names the problem.
 * Every request's headers and JSON body are recorded. `close()` destroys open sockets and pending timers.
 *
 * Prompt-cache simulation (opt-in, `startFakeAnthropic({ simulateCache: true })`): a SIMULATION of the
 * behaviour Anthropic documents for prompt caching (https://docs.claude.com/en/docs/build-with-claude/prompt-caching),
 * not the real service. The cacheable prefix of a request is `system` plus the message content blocks up to
 * and including the last block marked `cache_control`; when that prefix is at least `minCacheableTokens`
 * (default 1,024, the documented minimum for Sonnet/Opus), the first request with it reports
 * `cache_creation_input_tokens` = the prefix's tokens, and later requests with an identical prefix (same
 * model) report `cache_read_input_tokens` instead; `input_tokens` is then only the tokens after the
 * breakpoint. As documented, an entry becomes readable only once the response that wrote it has begun
 * (here: when its headers are sent), so requests sent at the same moment all write. Tokens are counted
 * with the engine's estimator (`src/core/tokens.ts`). Billing is 1.25× base input for writes and 0.1× for
 * reads (computed by callers, e.g. `billedInputTokens` in `src/core/cost.ts`). Scripted `usage` still wins
 * field by field.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { estimateTokens } from '../../src/core/tokens';

/** Token usage a scripted reply reports (message_start gets the input side, message_delta the output). */
export interface FakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheCreationInputTokens?: number;
  cacheReadInputTokens?: number;
}

/** Streaming options shared by steps that stream a reply. */
interface StreamOptions {
  /** Characters per content_block_delta (default 7, so fences are split across deltas). */
  chunkSize?: number;
  /** Pause between deltas, ms (default 0). */
  delayMs?: number;
  usage?: FakeUsage;
  /** message_delta stop_reason (default `end_turn`). */
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
  /**
   * After the stream opened (headers, message_start, content_block_start), send only SSE `ping` events for
   * this long before the first text (as the real API does while the model thinks), ms.
   */
  pingOnlyMs?: number;
  /** Interval of those pings, ms (default 20). */
  pingEveryMs?: number;
}

/** One scripted answer. */
export type FakeStep =
  /** A complete streamed reply. */
  | ({ reply: string } & StreamOptions)
  /** An HTTP error before any stream: status with an API-shaped error body (or `body` as given). */
  | {
      status: number;
      /** `x-should-retry` header (`true`/`false`), which the API may send to say whether to retry. */
      shouldRetry?: boolean;
      /** `retry-after` header, seconds. Note: the SDK treats 0 as "no hint" and uses its own backoff (~0.5 s). */
      retryAfter?: number;
      /** `retry-after-ms` header (the SDK honours it; use 1 for fast tests). */
      retryAfterMs?: number;
      body?: unknown;
    }
  /**
   * Streams `reply` and destroys the socket once `cutAfterChars` characters of text were sent; with
   * `graceful`, ends the HTTP response properly instead (a stream without message_stop).
   */
  | ({ cutAfterChars: number; reply: string; graceful?: boolean } & StreamOptions)
  /**
   * Stalls for `stallMs`. Without `afterChars`: before sending any response (not even headers: a header
   * hang). With it: after streaming that many characters of `reply`. Then streams the rest of `reply`
   * (default ''). A stall is cut short when the client closes the connection.
   */
  | ({ stallMs: number; reply?: string; afterChars?: number } & StreamOptions)
  /** Streams `afterChars` characters of `reply` (default all), then an SSE `error` event, then ends. */
  | ({ sseError: { type: string; message: string }; reply?: string; afterChars?: number } & StreamOptions)
  /** Answers like a server without streaming: one JSON Message (content-type application/json) despite `stream: true`. */
  | { nonStreaming: string };

/** One recorded request. Header names are lower-case. */
export interface FakeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** When the request arrived (Date.now()). */
  receivedAt: number;
  /** When the response headers were sent, if they were. */
  headersAt?: number;
  /** With `simulateCache`: whether this request wrote the simulated cache entry, read it, or neither. */
  cache?: 'write' | 'read' | 'none';
}

/** A running fake server. */
export interface FakeAnthropic {
  /** Base URL to give the SDK as `baseURL` (`http://127.0.0.1:PORT`). */
  url: string;
  requests: FakeRequest[];
  /** Appends steps; each answers one future request. */
  script(...steps: FakeStep[]): void;
  /** Steps not used yet. */
  pending(): number;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** Simulate prompt caching in the reported usage (see the module comment). Default false. */
  simulateCache?: boolean;
  /** Smallest cacheable prefix, in estimated tokens (default 1024). */
  minCacheableTokens?: number;
  /**
   * Behave like a Messages-API-compatible server without prompt caching (Ollama, LiteLLM, vLLM): ignore
   * `cache_control` and report no cache fields in `usage`. Default false.
   */
  noCache?: boolean;
}

/** Text of a `system` value or a content block list (non-text blocks count by their JSON). */
function textOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) return x.map((b) => (b && typeof b === 'object' && 'text' in b ? String((b as { text: unknown }).text) : JSON.stringify(b))).join('\n');
  return '';
}

/** The simulated cache key and token split of a Messages request body (see the module comment). */
function cacheShape(body: unknown): { key?: string; prefixTokens: number; restTokens: number } {
  const b = (body ?? {}) as { model?: string; system?: unknown; messages?: Array<{ role: string; content: unknown }> };
  const blocks: Array<{ block: unknown; cached: boolean }> = [];
  const systemBlocks = Array.isArray(b.system) ? b.system : b.system !== undefined ? [{ type: 'text', text: String(b.system) }] : [];
  for (const blk of systemBlocks) blocks.push({ block: blk, cached: Boolean((blk as { cache_control?: unknown }).cache_control) });
  for (const m of b.messages ?? []) {
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? m.content : [];
    for (const blk of content) blocks.push({ block: { role: m.role, ...(blk as object) }, cached: Boolean((blk as { cache_control?: unknown }).cache_control) });
  }
  let last = -1;
  blocks.forEach((x, i) => {
    if (x.cached) last = i;
  });
  const tokens = (xs: typeof blocks) => xs.reduce((a, x) => a + estimateTokens(textOf([x.block])), 0);
  if (last < 0) return { prefixTokens: 0, restTokens: tokens(blocks) };
  const prefix = blocks.slice(0, last + 1);
  const key = createHash('sha256').update(`${b.model ?? ''}\0${JSON.stringify(prefix.map((x) => x.block))}`).digest('hex');
  return { key, prefixTokens: tokens(prefix), restTokens: tokens(blocks.slice(last + 1)) };
}

/** Starts a fake on 127.0.0.1 with a free port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const cache = new Set<string>();
  const steps: FakeStep[] = [];
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let counter = 0;

  const wait = (ms: number, res: http.ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0) return resolve(!res.destroyed && !closed);
      const onClose = () => {
        clearTimeout(t);
        timers.delete(t);
        resolve(false);
      };
      const t = setTimeout(() => {
        timers.delete(t);
        res.off('close', onClose);
        resolve(!res.destroyed && !closed);
      }, ms);
      timers.add(t);
      res.once('close', onClose);
    });

  const send = (res: http.ServerResponse, event: string, data: unknown) =>
    new Promise<void>((resolve) => {
      if (res.destroyed) return resolve();
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve());
    });

  const jsonError = (res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${counter}`, ...headers });
    res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_fake_${counter}` }));
  };

  async function stream(res: http.ServerResponse, model: string, step: FakeStep & { reply?: string } & StreamOptions, record: FakeRequest, onBegin?: () => void) {
    const reply = step.reply ?? '';
    const size = Math.max(1, step.chunkSize ?? 7);
    const usage = step.usage ?? {};
    const cut = 'cutAfterChars' in step ? Math.min(step.cutAfterChars, reply.length) : undefined;
    const stall = 'stallMs' in step ? { ms: step.stallMs, at: step.afterChars } : undefined;
    const sseError = 'sseError' in step ? { ...step.sseError, at: Math.min(step.afterChars ?? reply.length, reply.length) } : undefined;
    if (stall && stall.at === undefined && !(await wait(stall.ms, res))) return;

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${counter}`,
    });
    record.headersAt = Date.now();
    onBegin?.();
    const id = `msg_fake_${counter}`;
    await send(res, 'message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: options.noCache
          ? { input_tokens: usage.inputTokens ?? 100, output_tokens: 1 }
          : {
              input_tokens: usage.inputTokens ?? 100,
              cache_creation_input_tokens: usage.cacheCreationInputTokens ?? 0,
              cache_read_input_tokens: usage.cacheReadInputTokens ?? 0,
              output_tokens: 1,
            },
      },
    });
    await send(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    await send(res, 'ping', { type: 'ping' });
    if (step.pingOnlyMs) {
      const until = Date.now() + step.pingOnlyMs;
      while (Date.now() < until) {
        if (!(await wait(Math.min(step.pingEveryMs ?? 20, until - Date.now()), res))) return;
        await send(res, 'ping', { type: 'ping' });
      }
    }

    let sent = 0;
    // Boundaries where something happens (cut, stall, error) are split points, so exactly `n` chars go first.
    const marks = [cut, stall?.at, sseError?.at].filter((n): n is number => typeof n === 'number');
    while (sent < reply.length || marks.includes(sent)) {
      if (cut !== undefined && sent >= cut) {
        if ('graceful' in step && step.graceful) res.end();
        else res.socket?.destroy();
        return;
      }
      if (stall?.at !== undefined && sent === stall.at) {
        stall.at = undefined;
        if (!(await wait(stall.ms, res))) return;
      }
      if (sseError && sent >= sseError.at) {
        await send(res, 'error', { type: 'error', error: { type: sseError.type, message: sseError.message } });
        res.end();
        return;
      }
      if (sent >= reply.length) break;
      const next = Math.min(reply.length, sent + size, ...marks.filter((m) => m > sent));
      await send(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.slice(sent, next) } });
      sent = next;
      if (step.delayMs && !(await wait(step.delayMs, res))) return;
    }
    await send(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
    await send(res, 'message_delta', {
      type: 'message_delta',
      delta: { stop_reason: step.stopReason ?? 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.outputTokens ?? Math.ceil(reply.length / 4) },
    });
    await send(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      /* keep raw text */
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    const record: FakeRequest = { method: req.method ?? '', path, headers: req.headers, body, receivedAt: Date.now() };
    requests.push(record);
    counter++;
    if (req.method !== 'POST' || path !== '/v1/messages') {
      return jsonError(res, 404, 'not_found_error', `fake Anthropic: no route ${req.method} ${path}`);
    }
    const step = steps.shift();
    if (!step) return jsonError(res, 400, 'invalid_request_error', `fake Anthropic: no scripted step left for request ${requests.length}`);
    if ('status' in step) {
      const headers: Record<string, string> = {};
      if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
      if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
      if (step.shouldRetry !== undefined) headers['x-should-retry'] = String(step.shouldRetry);
      if (step.body !== undefined) {
        res.writeHead(step.status, { 'content-type': 'application/json', ...headers });
        res.end(typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
        return;
      }
      const type = ERROR_TYPES[step.status] ?? (step.status >= 500 ? 'api_error' : 'invalid_request_error');
      return jsonError(res, step.status, type, `fake Anthropic: scripted ${step.status} ${type}`, headers);
    }
    const model = body && typeof body === 'object' && 'model' in body ? String(body.model) : 'claude-fake';
    if ('nonStreaming' in step) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${counter}` });
      res.end(JSON.stringify({ id: `msg_fake_${counter}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: step.nonStreaming }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 100, output_tokens: 10 } }));
      return;
    }
    if (!options.simulateCache || options.noCache) return stream(res, model, step, record);
    const shape = cacheShape(body);
    const cacheable = shape.key !== undefined && shape.prefixTokens >= (options.minCacheableTokens ?? 1024);
    const hit = cacheable && cache.has(shape.key!);
    const simulated: FakeUsage = cacheable
      ? { inputTokens: shape.restTokens, cacheCreationInputTokens: hit ? 0 : shape.prefixTokens, cacheReadInputTokens: hit ? shape.prefixTokens : 0 }
      : { inputTokens: shape.prefixTokens + shape.restTokens };
    const scripted = (step as StreamOptions).usage ?? {};
    record.cache = !cacheable ? 'none' : hit ? 'read' : 'write';
    await stream(res, model, { ...step, usage: { ...simulated, ...scripted } }, record, () => {
      if (cacheable) cache.add(shape.key!);
    });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) jsonError(res, 500, 'api_error', `fake Anthropic crashed: ${String(err)}`);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...more) => void steps.push(...more),
    pending: () => steps.length,
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
