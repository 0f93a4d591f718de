/**
 * A review provider for chat models that someone else runs: VS Code's language models (`vscode.lm`:
 * Copilot and any other provider), run by the editor for the language server through a server-to-client
 * request that streams the reply back (src/shared/protocol.ts `LanguageModelRequest`). The engine parses,
 * anchors and merges the reply exactly as it does Claude's, so findings, Diagnostics and quick fixes are the
 * same whichever model wrote them.
 *
 * Such models have no system role, so each request is one user message (core `buildChatModelPrompt`): the
 * system text, the team's guidance (project guidance files and team memory, framed as guidance), the
 * delimited code (data, never instructions), the persona's instructions, earlier findings
 * of a conversation, the command's task and the user's own words last.
 */
import { buildChatModelPrompt } from './tasks';
import { buildPersonaInstructions, buildSystemPrompt, buildTeamContextBlock } from './prompt';
import { ReplyParser } from './replyParser';
import type { Finding, ProviderErrorInfo, ProviderEvent, ProviderRequest, ReviewProvider } from '../types';

/** One request to a chat model: a single user message. */
export interface ChatModelMessage {
  /** The whole prompt (the model has no system role). */
  prompt: string;
  /** Why the model is asked, shown by the editor when it asks the user for consent ("Security Engineer reviews src/a.ts"). */
  justification: string;
}

/** What a transport reports about the model that answered. */
export interface ChatModelInfo {
  /** Display name ("GPT-4.1", "Claude Sonnet 4"). */
  name: string;
  /** Model id as the editor knows it. */
  id: string;
  vendor?: string;
}

/** A failure of the chat model, as a transport reports it. `message` is safe to show. */
export class ChatModelError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderErrorInfo['kind'] = 'unknown',
    readonly retryable = false,
  ) {
    super(message);
  }
}

/**
 * How the provider reaches a model. `send` streams the reply's text deltas to `onText` in order and resolves
 * with the model that answered once the reply is complete; it rejects with a {@link ChatModelError} (or any
 * error, shown by its message) when the model is unavailable, refuses, or the stream breaks, and promptly
 * when `signal` aborts.
 */
export interface ChatModelTransport {
  send(message: ChatModelMessage, onText: (delta: string) => void, signal: AbortSignal): Promise<ChatModelInfo>;
}

/** Options of one {@link ChatModelProvider} (one review). */
export interface ChatModelProviderOptions {
  /** The persona command (`readiness`, `review`, `explain` …); empty for a plain review. */
  command?: string;
  /** The user's own words (a chat prompt), sent last and framed as a request, never as rules. */
  userPrompt?: string;
  /** Findings of earlier turns of a conversation, so a follow-up can refer to them (`F2`). */
  previousFindings?: readonly Finding[];
}

/**
 * Review provider over a {@link ChatModelTransport}. Per persona and context chunk it sends one prompt and
 * streams `text`, `finding` and `malformed` events from the reply (core ReplyParser); a transport failure
 * ends the persona's review with an `error` event (`partial` when text had arrived). The model that answered
 * is kept in {@link modelUsed}.
 */
export class ChatModelProvider implements ReviewProvider {
  readonly id = 'vscode-lm';
  /** The model that answered the last request, once one has. */
  modelUsed: ChatModelInfo | undefined;

  constructor(
    private readonly transport: ChatModelTransport,
    private readonly opts: ChatModelProviderOptions = {},
  ) {}

  async *review(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const { persona, context } = request;
    if (context.chunks.length === 0) {
      yield { type: 'notice', message: `${persona.name}: nothing to review (no code in the context).` };
      return;
    }
    const system = buildSystemPrompt();
    const team = buildTeamContextBlock(context);
    let produced = false;
    for (let i = 0; i < context.chunks.length; i++) {
      if (signal.aborted) {
        yield { type: 'error', partial: produced, error: { kind: 'cancelled', message: 'Review cancelled.', retryable: true } };
        return;
      }
      const prompt = buildChatModelPrompt({
        system,
        ...(team ? { team } : {}),
        code: context.chunks[i]!.text,
        personaInstructions: buildPersonaInstructions(persona, context, i, request.options.task),
        personaName: persona.name,
        command: this.opts.command ?? '',
        userPrompt: this.opts.userPrompt ?? '',
        previousFindings: this.opts.previousFindings ?? [],
      });
      const where = context.chunks.length > 1 ? ` (part ${i + 1} of ${context.chunks.length})` : '';
      const parser = new ReplyParser();
      const queue: ProviderEvent[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      let failure: unknown;
      const sent = this.transport
        .send({ prompt, justification: `${persona.name} reviews ${describeChunk(context.chunks[i]!.parts)}${where}` }, (delta) => {
          queue.push(...parser.push(delta));
          wake?.();
        }, signal)
        .then(
          (info) => {
            this.modelUsed = info;
          },
          (e: unknown) => {
            failure = e;
          },
        )
        .finally(() => {
          done = true;
          wake?.();
        });
      while (!done || queue.length > 0) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const ev = queue.shift()!;
        if (ev.type === 'text' || ev.type === 'finding') produced = true;
        yield ev;
      }
      await sent;
      for (const ev of parser.end()) {
        if (ev.type === 'text' || ev.type === 'finding') produced = true;
        yield ev;
      }
      if (failure !== undefined) {
        yield { type: 'error', partial: produced, error: toErrorInfo(failure, signal) };
        return;
      }
    }
  }
}

function describeChunk(parts: ReadonlyArray<{ path: string }>): string {
  const files = [...new Set(parts.map((p) => p.path))];
  return files.length <= 2 ? files.join(', ') : `${files.length} files`;
}

/** A transport failure as a provider error (never a stack trace). */
function toErrorInfo(e: unknown, signal: AbortSignal): ProviderErrorInfo {
  if (signal.aborted) return { kind: 'cancelled', message: 'Review cancelled.', retryable: true };
  if (e instanceof ChatModelError) return { kind: e.kind, message: e.message, retryable: e.retryable };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'unknown', message: `the chat model failed: ${message.split('\n')[0]}`, retryable: false };
}
