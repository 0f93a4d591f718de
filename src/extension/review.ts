/**
 * Reviews from VS Code: choose the provider (`personaReview.provider`: Claude with the key from
 * SecretStorage, a VS Code chat model, or offline; always offline in Restricted Mode), send
 * `personaReview/review` to the server with a fresh review id, show a cancellable notification while it runs,
 * and report how it ended. Every review the server runs (these, a workflow's phases, a review on save) is
 * announced by it (`reviewStarted`, `reviewEvent`, `reviewFinished`), and the review panel and the status
 * bar follow those announcements, so they show every review the same way. Failures become short messages
 * that say what went wrong and offer Retry; never stack traces.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import type { CostEstimate } from '../core/cost';
import type { Finding, ReviewEvent } from '../core/types';
import {
  EstimateRequest,
  ReviewEventNotification,
  ReviewFinishedNotification,
  ReviewRequest,
  ReviewStartedNotification,
  type ProviderId,
  type ReviewFinishedParams,
  type ReviewParams,
  type ReviewStartedParams,
  type ReviewStatus,
  type ReviewSummary,
  type ReviewTargetParams,
} from '../shared/protocol';
import type { PanelSummary } from '../shared/webview';
import type { ChatModels } from './chat/chatModel';
import { Disposable, errorMessage, type Ctx } from './ctx';
import type { PersonaStore } from './personaTree';
import type { ReviewPanel } from './panel';
import type { Secrets } from './secrets';
import type { StatusBar } from './statusBar';

/** What to review and as whom; kept as the last review for "Repeat Last Review". */
export interface ReviewSpec {
  /** Persona ids (several = one team review). */
  personas: string[];
  target: ReviewTargetParams;
  /** Human description of the target ("src/app.ts", "src/app.ts:10-20", "uncommitted changes"). */
  targetLabel: string;
  /** A persona command (`readiness` …): its task goes to a model; offline, the summary carries its document. */
  command?: string;
  /** Chat only: the user's words and earlier findings (for a chat model), the Chat view's model, and the chat rendering wanted. */
  userPrompt?: string;
  previousFindings?: Finding[];
  chatModel?: vscode.LanguageModelChat;
  chat?: { firstId: number; full: boolean };
}

/** How a review went, for the test API, chat and the tool. */
export interface ReviewOutcome {
  reviewId: string;
  spec: ReviewSpec;
  provider: ProviderId;
  /** Why the provider is not the one the settings ask for (no key, Restricted Mode, no chat model). */
  providerNote?: string;
  /** Undefined when the request failed (then `failure` says why). */
  summary?: ReviewSummary;
  failure?: string;
  cancelled: boolean;
  /** Number of `text` events received (streamed deltas). */
  textEvents: number;
}

/** Options of {@link Reviews.runWithOutcome} for callers with their own UI (chat participants, the language model tool, workflows). */
export interface RunOptions {
  /** No progress notification, no panel focus and no pop-ups: the caller reports progress and failures itself. */
  quiet?: boolean;
  /** Cancels the review when it fires. */
  token?: vscode.CancellationToken;
  /** Receives every event of this review as it arrives, with its sanitised text where there is some. */
  onEvent?: (event: ReviewEvent, safeText?: string) => void;
  /** Told which provider runs the review, before it starts. */
  onProvider?: (provider: ProviderId) => void;
}

/** A review this window asked for, while it runs. */
interface Running {
  spec: ReviewSpec;
  quiet: boolean;
  providerNote?: string;
  onEvent?: RunOptions['onEvent'];
  cts: vscode.CancellationTokenSource;
  textEvents: number;
}

/** A provider choice. */
interface Choice {
  provider: ProviderId;
  apiKey?: string;
  /** Claude model id, or the chat model id/handle to ask for. */
  model?: string;
  note?: string;
  /** Disposed when the review ends (a pinned chat model). */
  pin?: vscode.Disposable;
}

/** Runs reviews and routes their announcements to the panel and the status bar. */
export class Reviews extends Disposable {
  private readonly running = new Map<string, Running>();
  /** Reviews whose start was shown (announced by the server or synthesised for a rejected request), not yet finished. */
  private readonly shown = new Map<string, string>();
  private offlineOffered = false;
  /** The last review started (for "Repeat Last Review"). */
  last: ReviewSpec | undefined;
  /** How the last review this window asked for went. */
  lastOutcome: ReviewOutcome | undefined;
  /** The last pop-up about a review's end (for the test API): its kind, message and buttons. */
  lastNotification: { kind: 'error' | 'warning'; message: string; actions: string[] } | undefined;
  private readonly finishedEmitter = this._register(new vscode.EventEmitter<ReviewOutcome>());
  /** Fires when a review this window asked for ended (done, partial, cancelled or failed). */
  readonly onDidFinish = this.finishedEmitter.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly secrets: Secrets,
    private readonly personas: PersonaStore,
    private readonly panel: ReviewPanel,
    private readonly status: StatusBar,
    private readonly chatModels: ChatModels,
  ) {
    super();
    ctx.onClient((client) => [
      client.onNotification(ReviewStartedNotification.type, (n) => this.onStarted(n)),
      client.onNotification(ReviewEventNotification.type, ({ reviewId, event, safeText }) => this.onEvent(reviewId, event, safeText)),
      client.onNotification(ReviewFinishedNotification.type, (n) => this.onFinished(n)),
    ]);
    this._register(panel.onDidRequestStop((id) => this.stop(id)));
  }

  /** True while at least one review this window asked for runs. */
  get isRunning(): boolean {
    return this.running.size > 0;
  }

  /** Cancels one review, or every running one. */
  stop(reviewId?: string): void {
    for (const [id, r] of this.running) if (!reviewId || id === reviewId) r.cts.cancel();
  }

  /** Runs a review and resolves with its summary (undefined when it could not run; the user has been told why). Never rejects. */
  async run(spec: ReviewSpec): Promise<ReviewSummary | undefined> {
    return (await this.runWithOutcome(spec)).summary;
  }

  /** Runs a review and resolves with how it went (failures in `failure`, never a rejection). */
  async runWithOutcome(spec: ReviewSpec, opts: RunOptions = {}): Promise<ReviewOutcome> {
    const quiet = opts.quiet === true;
    if (!spec.chatModel) this.last = spec;
    const reviewId = crypto.randomUUID();
    const choice = await this.chooseProvider(spec);
    opts.onProvider?.(choice.provider);
    const run: Running = { spec, quiet, cts: new vscode.CancellationTokenSource(), textEvents: 0, ...(choice.note ? { providerNote: choice.note } : {}), ...(opts.onEvent ? { onEvent: opts.onEvent } : {}) };
    const callerCancel = opts.token?.onCancellationRequested(() => run.cts.cancel());
    if (opts.token?.isCancellationRequested) run.cts.cancel();
    this.running.set(reviewId, run);
    void vscode.commands.executeCommand('setContext', 'personaReview.reviewRunning', true);
    if (!quiet) this.panel.show(true);
    this.ctx.log.info(`Review ${reviewId} requested: ${spec.personas.join(', ')} on ${spec.targetLabel} (provider ${choice.provider}${choice.note ? `; ${choice.note}` : ''})`);

    const config = this.ctx.config;
    const params: ReviewParams = {
      reviewId,
      personas: spec.personas,
      target: spec.target,
      provider: choice.provider,
      include: config.include,
      exclude: config.exclude,
      origin: spec.chat ? 'chat' : quiet ? 'tool' : 'command',
      targetLabel: spec.targetLabel,
      ...(spec.command ? { command: spec.command } : {}),
      ...(spec.chat ? { chat: spec.chat } : {}),
    };
    if (choice.provider === 'anthropic') {
      params.apiKey = choice.apiKey;
      params.model = config.model;
      params.maxOutputTokens = config.maxOutputTokens;
      const baseURL = config.baseURL;
      if (baseURL) params.baseURL = baseURL;
    } else if (choice.provider === 'vscode-lm') {
      if (choice.model) params.model = choice.model;
      if (spec.userPrompt) params.userPrompt = spec.userPrompt;
      if (spec.previousFindings?.length) params.previousFindings = spec.previousFindings;
    }

    const outcome: ReviewOutcome = { reviewId, spec, provider: choice.provider, ...(choice.note ? { providerNote: choice.note } : {}), cancelled: false, textEvents: 0 };
    try {
      if (run.cts.token.isCancellationRequested) throw new vscode.CancellationError();
      const client = await this.ctx.ensureClient();
      if (choice.provider === 'anthropic') await this.confirmCost(client, params, spec.targetLabel, run.cts);
      const send = () => client.sendRequest(ReviewRequest.type, params, run.cts.token);
      // Progress shows in the status bar item (StatusBar.progress), not a second window progress beside it,
      // and not a notification: the panel already shows the review with its Stop button, and a toast is
      // redrawn in the same page as the panel just as the first text travels to it (bench:extension).
      const summary = await send();
      outcome.summary = summary;
      outcome.cancelled = summary.status === 'cancelled';
      if (summary.status === 'failed') outcome.failure = summary.failure ?? vscode.l10n.t('every persona failed');
    } catch (e) {
      if (isCancellation(e) || run.cts.token.isCancellationRequested) outcome.cancelled = true;
      else outcome.failure = failureMessage(e);
    } finally {
      outcome.textEvents = run.textEvents;
      callerCancel?.dispose();
      choice.pin?.dispose();
      run.cts.dispose();
      this.running.delete(reviewId);
      if (this.running.size === 0) void vscode.commands.executeCommand('setContext', 'personaReview.reviewRunning', false);
    }
    // A request rejected before the server announced the review still shows as failed (or stopped) everywhere.
    if (!outcome.summary && this.shown.has(reviewId) === false && !this.panelHas(reviewId)) this.showRejected(reviewId, spec, outcome, choice);
    else if (!outcome.summary && this.shown.has(reviewId)) this.finishShown(reviewId, outcome.cancelled ? 'cancelled' : 'failed', outcome.failure, choice.provider);
    this.report(outcome, quiet);
    return outcome;
  }

  private label(spec: ReviewSpec): string {
    const names = spec.personas.map((id) => this.personas.displayName(id));
    return vscode.l10n.t('{0} · {1}', names.length <= 3 ? names.join(vscode.l10n.t(', ')) : vscode.l10n.t('a team of {0}', names.length), spec.targetLabel);
  }

  private panelHas(reviewId: string): boolean {
    return this.panel.current.review?.reviewId === reviewId;
  }

  /** The panel and status bar for a request the server rejected before announcing it. */
  private showRejected(reviewId: string, spec: ReviewSpec, o: ReviewOutcome, choice: Choice): void {
    const status: ReviewStatus = o.cancelled ? 'cancelled' : 'failed';
    this.panel.forgetLocations();
    this.panel.post({
      type: 'reviewStarted',
      review: {
        reviewId,
        title: this.label(spec),
        provider: choice.provider,
        ...(choice.note ? { providerNote: choice.note } : {}),
        personas: spec.personas.map((id) => ({ id, name: this.personas.displayName(id), icon: this.personas.get(id)?.icon ?? 'person' })),
        texts: {},
        personaStatus: {},
        findings: [],
        status: 'running',
        notices: [],
      },
    });
    this.shown.set(reviewId, this.label(spec));
    this.finishShown(reviewId, status, o.failure, choice.provider);
  }

  private finishShown(reviewId: string, status: ReviewStatus, failure: string | undefined, provider: ProviderId): void {
    const label = this.shown.get(reviewId) ?? '';
    this.shown.delete(reviewId);
    const summary: PanelSummary = { findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, dropped: 0, errors: [], notices: [], durationMs: 0, ...(failure ? { failure } : {}) };
    this.panel.post({ type: 'reviewFinished', reviewId, status, summary });
    this.panel.reviewEnded(reviewId, []);
    this.status.finished(reviewId, { label, status, provider, ...(failure ? { failure } : {}) });
  }

  /** Tells the user how a review they asked for ended: an error with Retry, a warning for a partial review; logs the rest. */
  private report(o: ReviewOutcome, quiet: boolean): void {
    this.lastOutcome = o;
    const s = o.summary;
    const retry = vscode.l10n.t('Retry');
    if (o.failure) {
      this.ctx.log.error(`Review ${o.reviewId} failed: ${o.failure}`);
      const message = vscode.l10n.t('Persona Review: the review of {0} failed: {1}', o.spec.targetLabel, o.failure);
      const showLog = vscode.l10n.t('Show Log');
      if (!quiet) this.lastNotification = { kind: 'error', message, actions: [retry, showLog] };
      if (!quiet)
        void vscode.window.showErrorMessage(message, retry, showLog).then((pick) => {
          if (pick === retry) void this.run(o.spec);
          else if (pick) this.ctx.log.show();
        });
    } else if (o.cancelled) {
      this.ctx.log.info(`Review ${o.reviewId} stopped.`);
    } else if (s) {
      const c = s.bySeverity;
      this.ctx.log.info(`Review ${o.reviewId} ${s.status} in ${s.durationMs} ms: ${s.findings} findings (${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low), ${s.dropped} dropped${s.model ? `; model ${s.model}` : ''}.`);
      for (const n of s.notices) this.ctx.log.info(`Notice: ${n}`);
      if (s.errors.length > 0) {
        for (const e of s.errors) this.ctx.log.warn(`${this.personas.displayName(e.personaId)}: ${e.message}${e.partial ? ' (partial review kept)' : ''}`);
        const first = s.errors[0]!;
        const more = s.errors.length > 1 ? ` ${vscode.l10n.t('(and {0} more; see the panel)', s.errors.length - 1)}` : '';
        const message = `${vscode.l10n.t('Persona Review: partial review: {0} did not finish: {1}', this.personas.displayName(first.personaId), first.message)}${more}`;
        const showPanel = vscode.l10n.t('Show Panel');
        if (!quiet) this.lastNotification = { kind: 'warning', message, actions: [retry, showPanel] };
        if (!quiet)
          void vscode.window
            .showWarningMessage(message, retry, showPanel)
            .then((pick) => {
              if (pick === retry) void this.run(o.spec);
              else if (pick) this.panel.show();
            });
      }
    }
    this.finishedEmitter.fire(o);
  }

  /**
   * Estimates what the review will cost on Claude (the server builds and redacts the context; nothing is
   * sent) and, above `personaReview.costBudget` (USD), asks the user before anything is sent. Throws a
   * CancellationError when the user declines; an estimate that fails is logged and the review goes on.
   */
  private async confirmCost(client: LanguageClient, params: ReviewParams, label: string, cts: vscode.CancellationTokenSource): Promise<void> {
    const { apiKey: _key, ...rest } = params;
    let estimate: CostEstimate;
    try {
      estimate = await client.sendRequest(EstimateRequest.type, rest, cts.token);
    } catch (e) {
      if (isCancellation(e)) throw e;
      this.ctx.log.warn(`Cost estimate of ${label} failed (${failureMessage(e)}); the review runs without one.`);
      return;
    }
    const usd = estimate.totalUsd;
    const tokens = `~${estimate.inputTokens.toLocaleString('en-US')} input tokens (~${estimate.billedInputTokens.toLocaleString('en-US')} billed with prompt caching)`;
    this.ctx.log.info(`Estimated cost of ${label} on ${estimate.model}: ${tokens}${usd !== undefined ? `, ~$${usd.toFixed(2)}` : ', no price known for this model'}`);
    const budget = this.ctx.config.costBudget;
    if (usd === undefined || usd <= budget) return;
    const runIt = vscode.l10n.t('Run Review');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('This review is estimated at ~${0} on {1} ({2}, {3} persona(s)), above your budget of ${4}.', usd.toFixed(2), estimate.model, tokens, estimate.perPersona.length, budget.toFixed(2)),
      { modal: true, detail: vscode.l10n.t('Change the limit with the setting personaReview.costBudget, or review fewer files or personas.') },
      runIt,
    );
    if (answer !== runIt) {
      cts.cancel();
      throw new vscode.CancellationError();
    }
  }

  /**
   * The provider for `spec`: Restricted Mode is always offline; `offline` is offline; `anthropic` is Claude
   * when a key is stored (else offline, saying so); `vscode-lm` is the Chat view's model in chat, else the
   * configured or first chat model (else offline, saying so); `auto` is Claude with a key, else the chat
   * model of a chat request or an allowed chat model, else offline.
   */
  async chooseProvider(spec: Pick<ReviewSpec, 'chatModel'> = {}): Promise<Choice> {
    if (!this.ctx.trusted) return { provider: 'offline', note: vscode.l10n.t('Restricted Mode: offline only, nothing is sent') };
    const setting = this.ctx.config.provider;
    if (setting === 'offline') return { provider: 'offline' };
    if (setting === 'anthropic' || setting === 'auto') {
      const apiKey = await this.secrets.apiKey();
      if (apiKey) return { provider: 'anthropic', apiKey, model: this.ctx.config.model };
      if (setting === 'anthropic') {
        this.offerKey();
        return { provider: 'offline', note: vscode.l10n.t('no API key set') };
      }
    }
    // vscode-lm, or auto without a key.
    if (spec.chatModel) {
      const pin = this.chatModels.pin(spec.chatModel);
      return { provider: 'vscode-lm', model: pin.handle, pin };
    }
    const model = await this.chatModels.resolve(undefined);
    if (model && (setting === 'vscode-lm' || this.chatModels.allowed(model))) return { provider: 'vscode-lm', model: model.id };
    if (setting === 'vscode-lm') return { provider: 'offline', note: vscode.l10n.t('no chat model available') };
    this.offerKey();
    return { provider: 'offline', note: vscode.l10n.t('no API key set') };
  }

  private offerKey(): void {
    if (this.offlineOffered) return;
    this.offlineOffered = true;
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Persona Review: no Anthropic API key is set, so reviews run offline with the built-in rules. Set a key to review with Claude, or pick a chat model.'),
        vscode.l10n.t('Set API Key'),
        vscode.l10n.t('Select Chat Model'),
      )
      .then((pick) => {
        if (pick === vscode.l10n.t('Set API Key')) void vscode.commands.executeCommand('personaReview.setApiKey');
        else if (pick) void vscode.commands.executeCommand('personaReview.selectChatModel');
      });
  }

  // -------------------------------------------------------------------------------------------------
  // Announcements from the server (every review, whoever asked for it)

  private onStarted(n: ReviewStartedParams): void {
    const run = this.running.get(n.reviewId);
    this.shown.set(n.reviewId, n.title);
    this.panel.forgetLocations();
    this.panel.post({
      type: 'reviewStarted',
      review: {
        reviewId: n.reviewId,
        title: n.title,
        provider: n.provider,
        ...(n.model && n.provider === 'anthropic' ? { model: n.model } : {}),
        ...(run?.providerNote ? { providerNote: run.providerNote } : {}),
        personas: n.personas,
        texts: {},
        personaStatus: {},
        findings: [],
        status: 'running',
        notices: [],
      },
    });
    this.status.started(n.reviewId, n.title);
  }

  private onEvent(reviewId: string, event: ReviewEvent, safeText: string | undefined): void {
    const run = this.running.get(reviewId);
    if (event.type === 'text' && run) run.textEvents++;
    this.route(reviewId, run, event);
    run?.onEvent?.(event, safeText);
  }

  private onFinished(s: ReviewFinishedParams): void {
    const label = this.shown.get(s.reviewId) ?? s.reviewId;
    this.shown.delete(s.reviewId);
    if (s.model) this.panel.post({ type: 'model', reviewId: s.reviewId, model: s.model });
    const summary: PanelSummary = {
      findings: s.findings,
      bySeverity: s.bySeverity,
      dropped: s.dropped,
      errors: s.errors.map((e) => ({ persona: this.personas.displayName(e.personaId), message: e.message, partial: e.partial })),
      notices: s.notices,
      durationMs: s.durationMs,
      ...(s.failure ? { failure: s.failure } : {}),
      ...(s.incomplete.length ? { incomplete: s.incomplete.map((id) => this.personas.displayName(id)) } : {}),
    };
    this.panel.post({ type: 'reviewFinished', reviewId: s.reviewId, status: s.status, summary });
    this.panel.reviewEnded(s.reviewId, s.findingList.map((f) => f.fingerprint));
    this.status.finished(s.reviewId, {
      label,
      status: s.status,
      provider: s.provider,
      ...(s.model ? { model: s.model } : {}),
      ...(s.failure ? { failure: s.failure } : {}),
      ...(s.incomplete.length ? { incomplete: s.incomplete.map((id) => this.personas.displayName(id)) } : {}),
    });
    if (!this.running.has(s.reviewId) && s.status === 'failed') this.ctx.log.warn(`Review ${label} failed: ${s.failure ?? 'every persona failed'}`);
  }

  private route(reviewId: string, run: Running | undefined, event: ReviewEvent): void {
    switch (event.type) {
      case 'context':
        for (const n of event.notices) this.panel.post({ type: 'notice', reviewId, message: n });
        this.status.progress(reviewId, event.files === 1 ? vscode.l10n.t('1 file, ~{0} tokens', event.tokens) : vscode.l10n.t('{0} files, ~{1} tokens', event.files, event.tokens));
        break;
      case 'persona-start':
        this.panel.post({ type: 'personaStatus', reviewId, personaId: event.personaId, state: 'running' });
        break;
      case 'text':
        this.panel.post({ type: 'text', reviewId, personaId: event.personaId, text: event.text });
        break;
      case 'finding': {
        const f = event.finding;
        this.ctx.severities.set(f.fingerprint, f.severity);
        const uri = vscode.Uri.file(path.resolve(this.ctx.workspaceRoot, f.file)).toString();
        this.panel.remember(f.fingerprint, { uri, range: f.range });
        this.panel.post({ type: 'finding', reviewId, finding: this.panel.toPanelFinding(f) });
        break;
      }
      case 'dropped':
        this.ctx.log.debug(`Dropped a finding from ${event.dropped.personaId} (${event.dropped.reason}): ${event.dropped.detail}`);
        break;
      case 'usage':
        this.ctx.log.info(`${this.personas.displayName(event.personaId)}: ${event.usage.inputTokens} input tokens, ${event.usage.outputTokens} output tokens`);
        break;
      case 'notice':
        this.ctx.log.info(`Notice${event.personaId ? ` (${event.personaId})` : ''}: ${event.message}`);
        this.panel.post({ type: 'notice', reviewId, message: event.message });
        break;
      case 'error':
        this.ctx.log.warn(`${this.personas.displayName(event.personaId)}: ${event.error.message}`);
        this.panel.post({ type: 'personaStatus', reviewId, personaId: event.personaId, state: 'failed', error: event.error.message });
        break;
      case 'persona-end':
        this.panel.post({ type: 'personaStatus', reviewId, personaId: event.personaId, state: 'done', findings: event.findings });
        break;
      case 'progress':
        this.panel.post({ type: 'progress', reviewId, filesDone: event.filesDone, filesTotal: event.filesTotal, findings: event.findings });
        this.status.progress(
          reviewId,
          event.findings === 1 ? vscode.l10n.t('{0}/{1} file reviews · 1 finding', event.filesDone, event.filesTotal) : vscode.l10n.t('{0}/{1} file reviews · {2} findings', event.filesDone, event.filesTotal, event.findings),
        );
        break;
    }
  }
}

function isCancellation(e: unknown): boolean {
  if (e instanceof vscode.CancellationError) return true;
  return e instanceof ResponseError && (e.code === LSPErrorCodes.RequestCancelled || e.code === LSPErrorCodes.ServerCancelled);
}

/** A failure as one sentence for the user: what went wrong, and what to do where we know it. */
function failureMessage(e: unknown): string {
  const msg = errorMessage(e);
  if (/did not start/.test(msg)) return msg;
  if (e instanceof ResponseError) return msg;
  return `the review could not run: ${msg}`;
}
