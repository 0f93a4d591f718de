/**
 * The language server's side of reviews on a VS Code chat model: a core {@link ChatModelTransport} that asks
 * the client to run the model (`personaReview/languageModel`, src/shared/protocol.ts `LanguageModelRequest`)
 * and receives the reply's text deltas as partial results (`$/progress` with the request's
 * `partialResultToken`, LSP 3.17 §Partial Result Progress). Aborting the review cancels the request
 * (`$/cancelRequest`), and the client stops the model.
 */
import { randomUUID } from 'node:crypto';
import { CancellationTokenSource, ResponseError, type Connection } from 'vscode-languageserver';
import { ChatModelError, type ChatModelInfo, type ChatModelMessage, type ChatModelTransport } from '../core/providers/chatModel';
import type { ProviderErrorInfo } from '../core/types';
import { LanguageModelRequest, LanguageModelTextProgress, type LanguageModelParams } from '../shared/protocol';

/** The `data.kind` values the client puts on a rejected request, as provider error kinds. */
const KINDS: Record<string, ProviderErrorInfo['kind']> = {
  auth: 'auth',
  unavailable: 'bad-request',
  'rate-limit': 'rate-limit',
  cancelled: 'cancelled',
  network: 'network',
};

/** Transport to the client's chat model `model` (undefined: the client's configured or picked model). */
export class LspChatModelTransport implements ChatModelTransport {
  constructor(
    private readonly connection: Connection,
    private readonly model: string | undefined,
  ) {}

  async send(message: ChatModelMessage, onText: (delta: string) => void, signal: AbortSignal): Promise<ChatModelInfo> {
    if (signal.aborted) throw new ChatModelError('Review cancelled.', 'cancelled', true);
    const token = `persona-review-lm-${randomUUID()}`;
    const progress = this.connection.onProgress(LanguageModelTextProgress, token, (v) => {
      if (v && typeof v.text === 'string') onText(v.text);
    });
    const cts = new CancellationTokenSource();
    const onAbort = () => cts.cancel();
    signal.addEventListener('abort', onAbort);
    const params: LanguageModelParams = { prompt: message.prompt, justification: message.justification, partialResultToken: token, ...(this.model ? { model: this.model } : {}) };
    try {
      const info = (await this.connection.sendRequest(LanguageModelRequest.method, params, cts.token)) as ChatModelInfo;
      if (!info || typeof info.name !== 'string') throw new ChatModelError('the editor answered the chat model request without naming the model', 'unknown');
      return info;
    } catch (e) {
      if (signal.aborted) throw new ChatModelError('Review cancelled.', 'cancelled', true);
      if (e instanceof ChatModelError) throw e;
      if (e instanceof ResponseError) {
        const kind = KINDS[String((e.data as { kind?: unknown } | undefined)?.kind ?? '')] ?? 'unknown';
        throw new ChatModelError(e.message, kind, kind === 'rate-limit' || kind === 'network');
      }
      throw new ChatModelError(`the chat model could not be reached: ${(e as Error)?.message ?? String(e)}`, 'network', true);
    } finally {
      signal.removeEventListener('abort', onAbort);
      progress.dispose();
      cts.dispose();
    }
  }
}
