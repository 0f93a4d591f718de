/**
 * The `anthropic` review provider: Claude through `@anthropic-ai/sdk` (Messages API, streaming).
 *
 * One request per context chunk, sequentially; each reply is streamed through {@link ReplyParser}, so text
 * and findings reach the caller as they arrive. Prompt layout and caching: see `./prompt`; with other
 * personas reading the same context, each chunk waits for the first persona's reply to that chunk to begin
 * (`./cacheGate`) and carries `cache_control`; alone, it carries none (nothing would read the cache).
 *
 * Time limits (all in ms, all configurable, see {@link AnthropicProviderOptions}):
 * - response headers: {@link DEFAULT_HEADERS_TIMEOUT_MS} per attempt (the SDK's `timeout`, which covers the
 *   fetch until the headers arrive), then the request is retried, then it fails with a clear message;
 * - silence inside a started stream: {@link DEFAULT_STREAM_IDLE_MS}, counted on the raw bytes of the
 *   response (SSE `ping` events included, which the SDK drops before they reach us), through a `fetch`
 *   wrapper given to the SDK;
 * - waits the API asks for (`retry-after-ms`, `retry-after` in seconds or as an HTTP date): capped at
 *   {@link DEFAULT_MAX_RETRY_AFTER_MS}; each retry is announced with a `retry` event.
 * Retries are done here, not by the SDK (its `maxRetries` is 0), so that every wait is capped and announced:
 * 408, 409, 429, 5xx (529 included) and connection errors before a stream starts, at most `maxRetries`
 * times, honouring the API's `x-should-retry` header, with the SDK's backoff otherwise (0.5 s doubling, at
 * most 8 s, up to 25 % jitter). An error after the stream started is not retried (the reply has been shown
 * in part) and is reported as `stream-cut`, with the findings that already arrived kept.
 *
 * Failures never throw: they end the review with one `error` event ({@link ProviderErrorInfo}).
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ProviderErrorInfo, ProviderEvent, ProviderRequest, RetryReason, ReviewProvider, Usage } from '../types';
import { buildSystemPrompt, buildUserContent } from './prompt';
import { ReplyParser } from './replyParser';

/** Default model and output tokens: one definition, src/shared/defaults.ts (the extension shows them too). */
export { DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MODEL } from '../../shared/defaults';
import { DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MODEL } from '../../shared/defaults';
/** Default time without any byte on a started stream after which the reply is treated as cut, in ms. */
export const DEFAULT_STREAM_IDLE_MS = 120_000;
/** Default time limit for the response headers of one attempt, in ms. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
/** Default cap on a wait the API asks for (`retry-after`), in ms. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Default retries of a request before its stream starts. */
export const DEFAULT_MAX_RETRIES = 2;

/**
 * The API key from the environment: `ANTHROPIC_API_KEY` (the variable the SDK and Anthropic's docs use),
 * trimmed; undefined when unset or blank.
 */
export function anthropicKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env['ANTHROPIC_API_KEY']?.trim();
  return key ? key : undefined;
}

/** Constructor options of {@link AnthropicProvider}. Every field is optional. */
export interface AnthropicProviderOptions {
  /** API key; default {@link anthropicKeyFromEnv}. Never logged nor put in a message. */
  apiKey?: string;
  /** API base URL; default: the SDK reads `ANTHROPIC_BASE_URL`, else `https://api.anthropic.com`. */
  baseURL?: string;
  /** Model id; default {@link DEFAULT_MODEL}. */
  model?: string;
  /** `max_tokens` per request; default {@link DEFAULT_MAX_OUTPUT_TOKENS}. */
  maxOutputTokens?: number;
  /** Retries before a stream starts (429, 529, 5xx, 408, 409, header time-outs, connection errors); default 2. */
  maxRetries?: number;
  /** Time limit for the response headers of one attempt, ms; default {@link DEFAULT_HEADERS_TIMEOUT_MS}. */
  headersTimeoutMs?: number;
  /**
   * Longest silence allowed inside a started stream, ms; default {@link DEFAULT_STREAM_IDLE_MS}. Any byte
   * counts, SSE pings included (the real API sends them while the model thinks), so a long silence means a
   * dead connection.
   */
  streamIdleMs?: number;
  /** Cap on a wait the API asks for with `retry-after`/`retry-after-ms`, ms; default {@link DEFAULT_MAX_RETRY_AFTER_MS}. */
  maxRetryAfterMs?: number;
  /** A `fetch` implementation for the SDK (tests, proxies); default the global fetch. */
  fetch?: typeof fetch;
}

/** Raised internally when a started stream stays silent for longer than `streamIdleMs`. */
class StreamIdleError extends Error {}

/** Raised internally when the server answered a streaming request without server-sent events. */
class NoStreamingError extends Error {}

/** A model id the persona file may name that the Messages API accepts (Claude Code also uses `sonnet`, `inherit`). */
function personaModel(model: string | undefined): string | undefined {
  return model && /^claude-/.test(model) ? model : undefined;
}

/**
 * A `fetch` that calls `onBytes` for every chunk of every response body (before the SDK parses it), so a
 * watchdog sees SSE pings and comments the SDK never surfaces.
 */
export function byteWatchingFetch(base: typeof fetch, onBytes: () => void): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (!res.body) return res;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onBytes();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** `25 s`, `1.5 s`, `800 ms`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 && !Number.isInteger(s) ? s.toFixed(1) : Math.round(s)} s`;
}

/** The wait an error response asks for (`retry-after-ms`, else `retry-after` seconds or HTTP date), ms. */
function requestedWaitMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(parseFloat(ms))) return parseFloat(ms);
  const ra = headers?.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? at - Date.now() : undefined;
}

/** Sleeps `ms`, ending early (resolving) when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A retry decided for an error before the stream started. */
interface RetryPlan {
  reason: RetryReason;
  delayMs: number;
  /** What happened, for the announcement ("rate limited (429)"). */
  what: string;
  /** The wait the API asked for when it was above the cap, ms. */
  cappedFromMs?: number;
}

/**
 * Review provider backed by the Anthropic Messages API. `review` streams, per chunk of the context:
 * `text` and `finding`/`malformed` events, `retry` events while a request is retried, `notice`s (reply hit
 * the output limit, model refused, hints repaired), then one `usage` event summed over all chunks (also
 * before a final `error`, for what was used until then).
 */
export class AnthropicProvider implements ReviewProvider {
  readonly id = 'anthropic';
  private readonly opts: AnthropicProviderOptions;

  constructor(opts: AnthropicProviderOptions = {}) {
    this.opts = opts;
  }

  /** The model a request will use: request option, constructor option, persona's `claude-*` model, default. */
  modelFor(request: ProviderRequest): string {
    return request.options.model ?? this.opts.model ?? personaModel(request.persona.model) ?? DEFAULT_MODEL;
  }

  /** Whether and how to retry `err` (thrown before the stream started) as retry number `attempt + 1`. */
  private retryPlan(err: unknown, attempt: number, maxRetries: number, headersMs: number): RetryPlan | undefined {
    if (attempt >= maxRetries) return undefined;
    const backoff = Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
    if (err instanceof APIConnectionTimeoutError) return { reason: 'timeout', delayMs: backoff, what: `no response headers within ${formatDelay(headersMs)}` };
    if (err instanceof APIConnectionError) {
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { reason: 'network', delayMs: backoff, what: `could not reach the Anthropic API${cause}` };
    }
    if (!(err instanceof APIError) || err.status === undefined) return undefined;
    const status = err.status;
    const should = err.headers?.get('x-should-retry');
    if (should === 'false') return undefined;
    if (!(should === 'true' || status === 408 || status === 409 || status === 429 || status >= 500)) return undefined;
    const reason: RetryReason = status === 429 ? 'rate-limit' : status === 529 || err.type === 'overloaded_error' ? 'overloaded' : 'server';
    const what = reason === 'rate-limit' ? `rate limited (${status})` : reason === 'overloaded' ? `Anthropic overloaded (${status})` : `Anthropic answered ${status}`;
    const cap = this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    const asked = requestedWaitMs(err.headers);
    if (asked === undefined || !(asked > 0)) return { reason, delayMs: backoff, what };
    return asked > cap ? { reason, delayMs: cap, what, cappedFromMs: asked } : { reason, delayMs: asked, what };
  }

  async *review(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const { persona, context, options } = request;
    const apiKey = options.apiKey ?? this.opts.apiKey ?? anthropicKeyFromEnv();
    let produced = false;
    // Cache fields stay absent unless the server reports them (servers without prompt caching report none).
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let usageSeen = false;

    if (!apiKey) {
      yield {
        type: 'error',
        partial: false,
        error: {
          kind: 'auth',
          retryable: false,
          message:
            'No Anthropic API key. Set ANTHROPIC_API_KEY (CLI) or store a key with the "Set Anthropic API Key" command (VS Code), or use the offline provider.',
        },
      };
      return;
    }
    if (signal.aborted) {
      yield { type: 'error', partial: false, error: cancelled() };
      return;
    }
    if (context.chunks.length === 0) {
      yield { type: 'notice', message: `${persona.name}: nothing to review (no code in the context).` };
      return;
    }

    const model = this.modelFor(request);
    const maxTokens = options.maxOutputTokens ?? this.opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const idleMs = this.opts.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
    const headersMs = this.opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
    const maxRetries = this.opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    // One client per review: its fetch reports the bytes of this review's current request to the watchdog.
    let onBytes: () => void = () => {};
    const client = new Anthropic({
      apiKey,
      // undefined lets the SDK read ANTHROPIC_BASE_URL (client.ts constructor default).
      baseURL: options.baseURL ?? this.opts.baseURL,
      maxRetries: 0,
      // The SDK's timeout covers the fetch until the response headers arrive: our header limit.
      timeout: headersMs,
      fetch: byteWatchingFetch(this.opts.fetch ?? globalThis.fetch, () => onBytes()),
      // src/core writes nothing to the console; failures are reported as events.
      logLevel: 'off',
    });
    const system = buildSystemPrompt();
    const total = context.chunks.length;
    const gate = request.shared?.gate;
    const cache = (request.shared?.personas ?? 1) > 1;

    for (let i = 0; i < total; i++) {
      const where = total > 1 ? ` (part ${i + 1} of ${total})` : '';
      if (i > 0 && produced) yield { type: 'text', text: '\n\n' };
      const parser = new ReplyParser();
      let idle = new AbortController();
      let idleTimer: NodeJS.Timeout | undefined;
      const armIdle = () => {
        clearTimeout(idleTimer);
        const mine = idle;
        idleTimer = setTimeout(() => mine.abort(new StreamIdleError()), idleMs);
        idleTimer.unref();
      };
      let started = false;
      let stopReason: string | null = null;
      let stopped = false;
      let chunkUsage: Usage | undefined;
      let attempts = 0;
      const writer = gate ? await gate.enter(i, signal) : false;
      try {
        const params: MessageCreateParamsStreaming = {
          model,
          max_tokens: maxTokens,
          system,
          messages: [{ role: 'user', content: buildUserContent(context, i, persona, request.options.task, { cache }) }],
          stream: true,
        };
        let stream: AsyncIterable<RawMessageStreamEvent>;
        let contentType = '';
        for (;;) {
          idle = new AbortController();
          attempts++;
          try {
            const { data, response } = await client.messages.create(params, { signal: AbortSignal.any([signal, idle.signal]) }).withResponse();
            stream = data;
            contentType = response.headers.get('content-type') ?? '';
            break;
          } catch (err) {
            if (signal.aborted) throw err;
            const plan = this.retryPlan(err, attempts - 1, maxRetries, headersMs);
            if (!plan) throw err;
            const asked = plan.cappedFromMs !== undefined ? `the API asked to wait ${formatDelay(plan.cappedFromMs)}; ` : '';
            yield {
              type: 'retry',
              reason: plan.reason,
              delayMs: plan.delayMs,
              attempt: attempts,
              maxRetries,
              message: `${persona.name}${where}: ${plan.what}; ${asked}retrying in ${formatDelay(plan.delayMs)} (retry ${attempts} of ${maxRetries})`,
            };
            await sleep(plan.delayMs, signal);
            if (signal.aborted) throw new APIUserAbortError();
          }
        }
        // A Messages-API-compatible server (proxy, local model) that ignores `stream: true` answers with JSON.
        if (!/text\/event-stream/i.test(contentType)) throw new NoStreamingError(contentType || 'no content-type');
        started = true;
        if (writer) gate?.release(i);
        onBytes = armIdle;
        armIdle();
        for await (const event of stream) {
          const out: ProviderEvent[] = [];
          switch (event.type) {
            case 'message_start': {
              const u = event.message.usage;
              chunkUsage = { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0 };
              if (u?.cache_creation_input_tokens != null) chunkUsage.cacheCreationInputTokens = u.cache_creation_input_tokens;
              if (u?.cache_read_input_tokens != null) chunkUsage.cacheReadInputTokens = u.cache_read_input_tokens;
              break;
            }
            case 'content_block_delta':
              if (event.delta.type === 'text_delta') out.push(...parser.push(event.delta.text));
              break;
            case 'message_delta': {
              stopReason = event.delta.stop_reason ?? stopReason;
              // Counters in message_delta are cumulative totals for the message: overwrite, never add.
              const u = event.usage ?? {};
              chunkUsage ??= { inputTokens: 0, outputTokens: 0 };
              chunkUsage.outputTokens = u.output_tokens ?? chunkUsage.outputTokens;
              if (u.input_tokens != null) chunkUsage.inputTokens = u.input_tokens;
              if (u.cache_creation_input_tokens != null) chunkUsage.cacheCreationInputTokens = u.cache_creation_input_tokens;
              if (u.cache_read_input_tokens != null) chunkUsage.cacheReadInputTokens = u.cache_read_input_tokens;
              break;
            }
            case 'message_stop':
              stopped = true;
              break;
            default:
              break;
          }
          for (const e of out) {
            produced = true;
            yield e;
          }
        }
        clearTimeout(idleTimer);
        onBytes = () => {};
        // The SDK ends the iteration quietly when the request is aborted (core/streaming.ts).
        if (signal.aborted) throw new APIUserAbortError();
        if (idle.signal.aborted) throw new StreamIdleError();
        if (!stopped) throw new Error('the stream ended before message_stop');
        for (const e of parser.end()) {
          produced = true;
          yield e.type === 'notice' ? { type: 'notice', message: `${persona.name}${where}: ${e.message}` } : e;
        }
        if (stopReason === 'max_tokens') {
          yield {
            type: 'notice',
            incomplete: true,
            message: `${persona.name}${where}: the reply reached the output limit of ${maxTokens} tokens and was cut; findings after the cut are missing. Raise the output limit or review fewer files at once.`,
          };
        } else if (stopReason === 'refusal') {
          yield { type: 'notice', message: `${persona.name}${where}: the model declined to review this code (stop reason "refusal").` };
        }
      } catch (err) {
        if (chunkUsage) addUsage(usage, chunkUsage);
        usageSeen ||= !!chunkUsage;
        const error = toProviderError(err, {
          userAborted: signal.aborted,
          idleAborted: idle.signal.aborted,
          started,
          secret: apiKey,
          where,
          model,
          idleMs,
          headersMs,
          attempts,
        });
        if (error.kind === 'stream-cut') {
          // Keep what the reply said up to the cut; an open finding block is reported as malformed.
          for (const e of parser.end()) {
            produced = true;
            yield e.type === 'notice' ? { type: 'notice', message: `${persona.name}${where}: ${e.message}` } : e;
          }
        }
        if (usageSeen) yield { type: 'usage', usage: { ...usage } };
        yield { type: 'error', error, partial: produced };
        return;
      } finally {
        // Also runs when the consumer stops iterating early (generator return()).
        clearTimeout(idleTimer);
        onBytes = () => {};
        if (writer) gate?.release(i);
      }
      if (chunkUsage) {
        addUsage(usage, chunkUsage);
        usageSeen = true;
      }
    }
    if (usageSeen) yield { type: 'usage', usage };
  }
}

function addUsage(into: Usage, u: Usage): void {
  into.inputTokens += u.inputTokens;
  into.outputTokens += u.outputTokens;
  if (u.cacheCreationInputTokens !== undefined) into.cacheCreationInputTokens = (into.cacheCreationInputTokens ?? 0) + u.cacheCreationInputTokens;
  if (u.cacheReadInputTokens !== undefined) into.cacheReadInputTokens = (into.cacheReadInputTokens ?? 0) + u.cacheReadInputTokens;
}

function cancelled(): ProviderErrorInfo {
  return { kind: 'cancelled', message: 'Review cancelled.', retryable: false };
}

/** Removes every occurrence of the API key from a message (defence in depth: the API never echoes it). */
function scrub(message: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? message.split(secret).join('[redacted]') : message;
}

/** The API's own explanation of an error, without the SDK's status prefix. */
function apiText(err: APIError): string {
  const body = err.error as { error?: { message?: unknown } } | undefined;
  const m = body?.error?.message;
  return typeof m === 'string' && m ? m : err.message;
}

/**
 * Maps an SDK error to a {@link ProviderErrorInfo}. Kinds and statuses follow the Messages API error list
 * (https://docs.claude.com/en/api/errors): 400/404/413/422 bad request, 401/403 authentication and
 * permission, 429 rate limit, 500 api_error, 529 overloaded_error; SSE `error` events carry only a type.
 * Messages never contain the API key (scrubbed in case a proxy echoes it).
 */
export function toProviderError(
  err: unknown,
  ctx: {
    /** The caller's signal was aborted. */
    userAborted: boolean;
    /** The stream-idle watchdog aborted the request. */
    idleAborted?: boolean;
    /** The response headers had arrived (the stream had started). */
    started: boolean;
    /** The API key, scrubbed from messages. */
    secret?: string;
    /** Where in the review, e.g. " (part 2 of 3)". */
    where?: string;
    model?: string;
    idleMs?: number;
    /** The response-header time limit of one attempt, ms. */
    headersMs?: number;
    /** How many attempts were made (1 + retries). */
    attempts?: number;
  },
): ProviderErrorInfo {
  const where = ctx.where ?? '';
  const make = (kind: ProviderErrorInfo['kind'], message: string, retryable: boolean, status?: number): ProviderErrorInfo => ({
    kind,
    message: scrub(message, ctx.secret),
    retryable,
    ...(status !== undefined ? { status } : {}),
  });
  if (ctx.userAborted) return cancelled();
  if (ctx.idleAborted || err instanceof StreamIdleError) {
    const ms = ctx.idleMs ?? DEFAULT_STREAM_IDLE_MS;
    const secs = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
    return ctx.started
      ? make('stream-cut', `The Anthropic reply${where} stopped: no data for ${secs}. Findings that arrived before are kept; run the review again for the rest.`, true)
      : make('network', `No answer from the Anthropic API${where} within ${secs}. Check the network, or try again later.`, true);
  }
  if (err instanceof APIUserAbortError) return cancelled();
  if (err instanceof NoStreamingError) {
    return make(
      'bad-request',
      `The server${where} answered without streaming (content-type ${err.message}), but Persona Review needs a Messages API endpoint that streams server-sent events. Enable streaming in the proxy or server (LiteLLM, vLLM and Ollama support it on /v1/messages), or point ANTHROPIC_BASE_URL / personaReview.baseURL at one that does.`,
      false,
    );
  }
  if (ctx.started) {
    const reason =
      err instanceof APIError && err.type ? `${err.type}: ${apiText(err)}` : err instanceof Error ? err.message : String(err);
    return make(
      'stream-cut',
      `The Anthropic reply${where} broke off midway (${reason}). Findings that arrived before the break are kept; run the review again for the rest.`,
      true,
    );
  }
  const tries = ctx.attempts && ctx.attempts > 1 ? `, ${ctx.attempts} attempts` : '';
  if (err instanceof APIConnectionTimeoutError) {
    const limit = formatDelay(ctx.headersMs ?? DEFAULT_HEADERS_TIMEOUT_MS);
    return make(
      'network',
      `No response headers from the Anthropic API${where} within ${limit}${tries}. Check the network, the proxy and ANTHROPIC_BASE_URL, try again later, or raise the limit (--headers-timeout).`,
      true,
    );
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}${err.cause.cause instanceof Error ? ` (${err.cause.cause.message})` : ''}` : '';
    return make('network', `Could not reach the Anthropic API${where}${cause}. Check the network, the proxy and ANTHROPIC_BASE_URL.`, true);
  }
  if (err instanceof APIError) {
    const status = err.status;
    const text = apiText(err);
    if (status === 401) {
      return make('auth', 'Anthropic rejected the API key (401). Set a valid key (ANTHROPIC_API_KEY, or the "Set Anthropic API Key" command in VS Code) and try again.', false, 401);
    }
    if (status === 403) {
      return make('auth', `Anthropic refused the request (403: ${text}). Check that the API key's workspace may use model "${ctx.model ?? '?'}", or set a different key.`, false, 403);
    }
    if (status === 429) {
      const asked = requestedWaitMs(err.headers);
      const wait = asked !== undefined && asked > 0 ? ` The API asked to wait ${formatDelay(asked)}.` : '';
      return make('rate-limit', `Anthropic rate limit reached (429) and the retries did not get through${where}${tries}: ${text}.${wait} Wait a minute, or run fewer personas at once.`, true, 429);
    }
    if (status === 529 || err.type === 'overloaded_error') {
      return make('overloaded', `Anthropic is overloaded (529) and the retries did not get through${where}. Try again in a few minutes.`, true, status);
    }
    if (status === 404) {
      return make('bad-request', `Anthropic answered 404 (${text}): check the model name "${ctx.model ?? '?'}" and the base URL.`, false, 404);
    }
    if (status === 413) {
      return make('bad-request', `The request${where} is too large for the Anthropic API (413): review fewer files at once or lower the token budget.`, false, 413);
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return make('bad-request', `Anthropic rejected the request${where} (${status}: ${text}).`, false, status);
    }
    if (status !== undefined && status >= 500) {
      return make('server', `The Anthropic API failed${where} (${status}: ${text}) and the retries did not get through. Try again later.`, true, status);
    }
    return make('unknown', `Anthropic API error${where}: ${text}`, false, status);
  }
  const message = err instanceof Error ? err.message : String(err);
  return make('unknown', `The Anthropic request${where} failed: ${message}`, false);
}
