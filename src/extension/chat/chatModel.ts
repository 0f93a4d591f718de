/**
 * VS Code chat models (`vscode.lm`: Copilot and any other language model provider) for the language server.
 * Reviews on a chat model run in the server like any other (it builds the prompt, parses, anchors and
 * merges); the server asks this client to run the model (`personaReview/languageModel`, src/shared/protocol.ts
 * `LanguageModelRequest`) and gets the reply's text back as partial results (`$/progress`). Also here: the
 * model picker ("Persona Review: Select Chat Model..."), and "pinning" the model of a chat request so the
 * server's request runs on exactly the model the user picked in the Chat view.
 *
 * Failures become one sentence the user can act on, with `data.kind` for the server: `auth` (not allowed
 * yet), `unavailable` (no such model), `rate-limit` (quota), `cancelled`.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import { LanguageModelRequest, LanguageModelTextProgress, type LanguageModelParams } from '../../shared/protocol';
import { Disposable, errorMessage, type Ctx } from '../ctx';

/** Prefix of a pinned model's handle (see {@link ChatModels.pin}). */
const PINNED = 'pinned:';

/** The command behind the model picker (declared in package.json). */
export const SELECT_CHAT_MODEL_COMMAND = 'personaReview.selectChatModel';

/** What the server learns about the model that answered. */
export interface ModelInfo {
  id: string;
  name: string;
  vendor?: string;
}

/** Runs chat models for the server; owns the model picker. */
export class ChatModels extends Disposable {
  private readonly pinned = new Map<string, vscode.LanguageModelChat>();

  constructor(private readonly ctx: Ctx) {
    super();
    ctx.onClient((client) => [client.onRequest(LanguageModelRequest.type, (params, token) => this.run(client, params, token))]);
    this._register(vscode.commands.registerCommand(SELECT_CHAT_MODEL_COMMAND, () => this.pick()));
  }

  /**
   * Makes `model` (a chat request's model) the one the server's requests with the returned handle run on,
   * until the returned disposable is disposed. Lets a chat turn use the model picked in the Chat view,
   * which need not be one `vscode.lm.selectChatModels` lists.
   */
  pin(model: vscode.LanguageModelChat): { handle: string } & vscode.Disposable {
    const handle = `${PINNED}${randomUUID()}`;
    this.pinned.set(handle, model);
    return { handle, dispose: () => this.pinned.delete(handle) };
  }

  /** The chat models VS Code offers now (empty when there is no `vscode.lm` or no provider). */
  async available(): Promise<vscode.LanguageModelChat[]> {
    if (typeof vscode.lm?.selectChatModels !== 'function') return [];
    try {
      return await vscode.lm.selectChatModels();
    } catch {
      return [];
    }
  }

  /** The model for `id`: a pinned handle, a model id, or (undefined) the configured one, else the first available. */
  async resolve(id: string | undefined): Promise<vscode.LanguageModelChat | undefined> {
    if (id?.startsWith(PINNED)) return this.pinned.get(id);
    const wanted = id ?? this.ctx.config.languageModel;
    const all = await this.available();
    return (wanted ? all.find((m) => m.id === wanted) : undefined) ?? (wanted && id ? undefined : all[0]);
  }

  /**
   * True when the user has allowed this extension to use `model` (VS Code asked once and the user agreed).
   * Undefined from VS Code (not asked yet) counts as not allowed, so `auto` never triggers the consent dialog.
   */
  allowed(model: vscode.LanguageModelChat): boolean {
    try {
      return this.ctx.extension.languageModelAccessInformation?.canSendRequest(model) === true;
    } catch {
      return false;
    }
  }

  /** "Select Chat Model...": lists the models, stores the pick in `personaReview.languageModel`. Resolves with its id. */
  async pick(): Promise<string | undefined> {
    const models = await this.available();
    if (models.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: no chat model is available. Install and sign in to GitHub Copilot (or another language model provider), then try again.'));
      return undefined;
    }
    const current = this.ctx.config.languageModel;
    const items = models.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}${m.id === current ? ` · ${vscode.l10n.t('current')}` : ''}`, detail: vscode.l10n.t('id {0}, up to {1} input tokens', m.id, m.maxInputTokens.toLocaleString()), id: m.id }));
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Persona Review: chat model for reviews'), placeHolder: vscode.l10n.t('Reviews use it when personaReview.provider is "vscode-lm" (or "auto" without an API key)') });
    if (!pick) return undefined;
    await this.ctx.config.setLanguageModel(pick.id);
    void vscode.window.showInformationMessage(
      this.ctx.config.provider === 'vscode-lm' || this.ctx.config.provider === 'auto'
        ? vscode.l10n.t('Persona Review: reviews on a chat model use {0}.', pick.label)
        : vscode.l10n.t('Persona Review: reviews on a chat model use {0}. Set personaReview.provider to "vscode-lm" to use it.', pick.label),
    );
    return pick.id;
  }

  /** Handles one `personaReview/languageModel` request: runs the model and streams the reply back. */
  private async run(client: LanguageClient, params: LanguageModelParams, token: vscode.CancellationToken): Promise<ModelInfo> {
    if (!params || typeof params.prompt !== 'string' || typeof params.partialResultToken !== 'string') {
      throw new ResponseError(LSPErrorCodes.RequestFailed, 'personaReview/languageModel: expected { prompt, justification, partialResultToken }', { kind: 'bad-request' });
    }
    if (!this.ctx.trusted) throw new ResponseError(LSPErrorCodes.RequestFailed, 'chat models are not used in Restricted Mode; trust the workspace first.', { kind: 'auth' });
    const model = await this.resolve(params.model);
    if (!model) {
      const which = params.model && !params.model.startsWith(PINNED) ? `the chat model "${params.model}" is not available` : 'no chat model is available';
      throw new ResponseError(LSPErrorCodes.RequestFailed, `${which}: install and sign in to a language model provider (GitHub Copilot, …), pick one with "Persona Review: Select Chat Model...", or use another provider.`, { kind: 'unavailable' });
    }
    try {
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(params.prompt)], { justification: params.justification }, token);
      for await (const text of response.text) {
        if (token.isCancellationRequested) break;
        await client.sendProgress(LanguageModelTextProgress, params.partialResultToken, { text });
      }
    } catch (e) {
      const { message, kind } = lmFailure(e, token);
      this.ctx.log.warn(`Chat model ${model.name}: ${message}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, message, { kind });
    }
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled', { kind: 'cancelled' });
    return { id: model.id, name: model.name, vendor: model.vendor };
  }
}

/** A vscode.lm failure as one sentence and a kind: no permission, no model, quota, cancelled, other. */
export function lmFailure(e: unknown, token: vscode.CancellationToken): { message: string; kind: string } {
  if (token.isCancellationRequested || e instanceof vscode.CancellationError) return { message: 'cancelled', kind: 'cancelled' };
  if (e instanceof vscode.LanguageModelError) {
    if (e.code === vscode.LanguageModelError.NoPermissions.name) return { message: 'the chat model may not be used by Persona Review yet: allow it when VS Code asks, or choose another provider (personaReview.provider).', kind: 'auth' };
    if (e.code === vscode.LanguageModelError.NotFound.name) return { message: 'the chat model is not available; pick another one, or choose another provider (personaReview.provider).', kind: 'unavailable' };
    if (e.code === vscode.LanguageModelError.Blocked.name) return { message: 'the chat model refused the request (quota or rate limit reached); wait a little, or choose another provider.', kind: 'rate-limit' };
  }
  return { message: `the chat model failed: ${errorMessage(e)}`, kind: 'unknown' };
}
