/**
 * The `anthropic` review provider: Claude through `@anthropic-ai/sdk` (Messages API, streaming).
 *
 * One request per context chunk, sequentially; each reply is streamed through {@link ReplyParser}, so text
 * and findings reach the caller as they arrive. Prompt layout and caching: see `./prompt`.
 *
 * Failures never throw: they end the review with one `error` event ({@link ProviderErrorInfo}). The SDK
 * retries 408/409/429/5xx (529 included) and connection errors itself before a stream starts (`maxRetries`,
 * default 2, honouring `retry-after` / `retry-after-ms`); an error after the stream started is not retried
 * by the SDK (SDK 1.11 behaviour, see /work/shared/TESTING.md) and is reported here as `stream-cut`, with the
 * findings that already arrived kept (they were yielded already and are complete, validated drafts).
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ProviderErrorInfo, ProviderEvent, ProviderRequest, ReviewProvider, Usage } from '../types';
import { buildSystemPrompt, buildUserContent } from './prompt';
import { ReplyParser } from './replyParser';

/** Model used when neither the request nor the constructor names one (Claude Sonnet 4.6 alias). */
export const DEFAULT_MODEL = 'claude-sonnet-4-6';
/** Default `max_tokens` per request (one chunk's review), in output tokens. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
/** Default time without any stream event after which a started reply is treated as cut, in ms. */
export const DEFAULT_STREAM_IDLE_MS = 120_000;

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
  /** SDK retries before a stream starts (429, 529, 5xx, connection errors); default 2 (the SDK's). */
  maxRetries?: number;
  /** SDK request timeout until the response headers arrive, ms; default the SDK's 10 minutes. */
  timeoutMs?: number;
  /**
   * Longest silence allowed inside a started stream, ms; default {@link DEFAULT_STREAM_IDLE_MS}. The real API
   * sends `ping` events while the model thinks, so a long silence means a dead connection. (The clock also runs
   * while the consumer holds an event, so it should stay far above any consumer's processing time.)
   */
  streamIdleMs?: number;
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
 * Review provider backed by the Anthropic Messages API. `review` streams, per chunk of the context:
 * `text` and `finding`/`malformed` events, `notice`s (reply hit the output limit, model refused), then one
 * `usage` event summed over all chunks (also before a final `error`, for what was used until then).
 */
export class AnthropicProvider implements ReviewProvider {
  readonly id = 'anthropic';
  private readonly opts: AnthropicProviderOptions;
  private clients = new Map<string, Anthropic>();

  constructor(opts: AnthropicProviderOptions = {}) {
    this.opts = opts;
  }

  /** The model a request will use: request option, constructor option, persona's `claude-*` model, default. */
  modelFor(request: ProviderRequest): string {
    return request.options.model ?? this.opts.model ?? personaModel(request.persona.model) ?? DEFAULT_MODEL;
  }

  private client(apiKey: string, baseURL: string | undefined): Anthropic {
    const cacheKey = `${baseURL ?? ''}\u0000${apiKey}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new Anthropic({
        apiKey,
        // undefined lets the SDK read ANTHROPIC_BASE_URL (client.ts constructor default).
        baseURL,
        maxRetries: this.opts.maxRetries ?? 2,
        ...(this.opts.timeoutMs !== undefined ? { timeout: this.opts.timeoutMs } : {}),
        ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
        // src/core writes nothing to the console; failures are reported as events.
        logLevel: 'off',
      });
      this.clients.set(cacheKey, client);
    }
    return client;
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
    const client = this.client(apiKey, options.baseURL ?? this.opts.baseURL);
    const system = buildSystemPrompt();
    const idleMs = this.opts.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
    const total = context.chunks.length;

    for (let i = 0; i < total; i++) {
      const where = total > 1 ? ` (part ${i + 1} of ${total})` : '';
      if (i > 0 && produced) yield { type: 'text', text: '\n\n' };
      const parser = new ReplyParser();
      const idle = new AbortController();
      let idleTimer: NodeJS.Timeout | undefined;
      const armIdle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => idle.abort(new StreamIdleError()), idleMs);
        idleTimer.unref();
      };
      const requestSignal = AbortSignal.any([signal, idle.signal]);
      let started = false;
      let stopReason: string | null = null;
      let stopped = false;
      let chunkUsage: Usage | undefined;
      try {
        const params: MessageCreateParamsStreaming = {
          model,
          max_tokens: maxTokens,
          system,
          messages: [{ role: 'user', content: buildUserContent(context, i, persona, request.options.task) }],
          stream: true,
        };
        const { data: stream, response } = await client.messages.create(params, { signal: requestSignal }).withResponse();
        const type = response.headers.get('content-type') ?? '';
        // A Messages-API-compatible server (proxy, local model) that ignores `stream: true` answers with JSON.
        if (!/text\/event-stream/i.test(type)) throw new NoStreamingError(type || 'no content-type');
        started = true;
        armIdle();
        for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
          armIdle();
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
        // The SDK ends the iteration quietly when the request is aborted (core/streaming.ts).
        if (signal.aborted) throw new APIUserAbortError();
        if (idle.signal.aborted) throw new StreamIdleError();
        if (!stopped) throw new Error('the stream ended before message_stop');
        for (const e of parser.end()) {
          produced = true;
          yield e;
        }
        if (stopReason === 'max_tokens') {
          yield {
            type: 'notice',
            message: `${persona.name}${where}: the reply reached the output limit of ${maxTokens} tokens and was cut; findings after the cut are missing. Raise the output limit or review fewer files at once.`,
          };
        } else if (stopReason === 'refusal') {
          yield { type: 'notice', message: `${persona.name}${where}: the model declined to review this code (stop reason "refusal").` };
        }
      } catch (err) {
        if (chunkUsage) addUsage(usage, chunkUsage);
        usageSeen ||= !!chunkUsage;
        const error = toProviderError(err, { userAborted: signal.aborted, idleAborted: idle.signal.aborted, started, secret: apiKey, where, model, idleMs });
        if (error.kind === 'stream-cut') {
          // Keep what the reply said up to the cut; an open finding block is reported as malformed.
          for (const e of parser.end()) {
            produced = true;
            yield e;
          }
        }
        if (usageSeen) yield { type: 'usage', usage: { ...usage } };
        yield { type: 'error', error, partial: produced };
        return;
      } finally {
        // Also runs when the consumer stops iterating early (generator return()).
        clearTimeout(idleTimer);
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
  if (err instanceof APIConnectionTimeoutError) {
    return make('network', `The Anthropic API${where} did not answer in time (request timed out, retries included). Check the network or proxy, or raise the timeout.`, true);
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
      return make('rate-limit', `Anthropic rate limit reached (429) and the retries did not get through${where}: ${text}. Wait a minute, or run fewer personas at once.`, true, 429);
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
