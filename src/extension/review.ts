/**
 * One review, from command to summary: choose the provider (Claude with the key from SecretStorage, or
 * offline: no key, `provider: offline`, or Restricted Mode), send `personaReview/review` to the server
 * with a fresh review id, show a cancellable notification and the status-bar item while it runs, stream
 * its events (`personaReview/reviewEvent`) into the review panel, and show the summary. Failures become
 * short messages that say what went wrong and what to do; never stack traces.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ResponseError, LSPErrorCodes, type LanguageClient } from 'vscode-languageclient/node';
import type { CostEstimate } from '../core/cost';
import type { ReviewEvent, Severity } from '../core/types';
import { EstimateRequest, ReviewEventNotification, ReviewRequest, type ReviewParams, type ReviewSummary, type ReviewTargetParams } from '../shared/protocol';
import type { PanelSummary } from '../shared/webview';
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
  /** A task for Claude after the persona prompt (a chat slash command's); the offline provider ignores it. */
  task?: string;
}

/** How a review went, for the test API and the status bar. */
export interface ReviewOutcome {
  reviewId: string;
  spec: ReviewSpec;
  provider: 'offline' | 'anthropic';
  /** Why the provider is offline although the settings ask for Claude. */
  providerNote?: string;
  /** Undefined when the request failed (then `failure` says why). */
  summary?: ReviewSummary;
  failure?: string;
  cancelled: boolean;
  /** Number of `text` events received (streamed deltas). */
  textEvents: number;
}

/** Options of {@link Reviews.runWithOutcome} for callers with their own UI (chat participants, the language model tool). */
export interface RunOptions {
  /** No progress notification, no panel focus and no pop-ups: the caller reports progress and failures itself. */
  quiet?: boolean;
  /** Cancels the review when it fires. */
  token?: vscode.CancellationToken;
  /** Receives every event of this review as it arrives (after the panel got it). */
  onEvent?: (event: ReviewEvent) => void;
}

interface Running {
  spec: ReviewSpec;
  onEvent?: (event: ReviewEvent) => void;
  cts: vscode.CancellationTokenSource;
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  textEvents: number;
  lastPercent: number;
}

const ZERO: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };

/** Runs reviews and routes their events. */
export class Reviews extends Disposable {
  private readonly running = new Map<string, Running>();
  private offlineOffered = false;
  /** The last review started (for "Repeat Last Review"). */
  last: ReviewSpec | undefined;
  /** How the last finished review went. */
  lastOutcome: ReviewOutcome | undefined;
  private readonly finishedEmitter = this._register(new vscode.EventEmitter<ReviewOutcome>());
  /** Fires when a review ended (done, cancelled or failed). */
  readonly onDidFinish = this.finishedEmitter.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly secrets: Secrets,
    private readonly personas: PersonaStore,
    private readonly panel: ReviewPanel,
    private readonly status: StatusBar,
  ) {
    super();
    ctx.onClient((client) => [client.onNotification(ReviewEventNotification.type, ({ reviewId, event }) => this.onEvent(reviewId, event))]);
    this._register(panel.onDidRequestStop((id) => this.stop(id)));
  }

  /** True while at least one review runs. */
  get isRunning(): boolean {
    return this.running.size > 0;
  }

  /** Cancels one review, or every running one. */
  stop(reviewId?: string): void {
    for (const [id, r] of this.running) if (!reviewId || id === reviewId) r.cts.cancel();
  }

  /**
   * Runs a review and resolves with its summary (undefined when it could not run; the user has been told
   * why). Never rejects.
   */
  async run(spec: ReviewSpec): Promise<ReviewSummary | undefined> {
    return (await this.runWithOutcome(spec)).summary;
  }

  /** Runs a review and resolves with how it went (failures in `failure`, never a rejection). */
  async runWithOutcome(spec: ReviewSpec, opts: RunOptions = {}): Promise<ReviewOutcome> {
    const quiet = opts.quiet === true;
    this.last = spec;
    const reviewId = crypto.randomUUID();
    const { provider, apiKey, note } = await this.chooseProvider();
    // Names and icons for the panel; a review still runs if the list cannot load (the server says why).
    await this.personas.load().catch(() => undefined);
    const names = spec.personas.map((id) => this.personas.displayName(id));
    const who = names.length <= 3 ? names.join(', ') : `a team of ${names.length}`;
    const label = `${who} · ${spec.targetLabel}`;
    const run: Running = { spec, cts: new vscode.CancellationTokenSource(), textEvents: 0, lastPercent: 0, ...(opts.onEvent ? { onEvent: opts.onEvent } : {}) };
    const callerCancel = opts.token?.onCancellationRequested(() => run.cts.cancel());
    this.running.set(reviewId, run);
    void vscode.commands.executeCommand('setContext', 'personaReview.reviewRunning', true);

    this.panel.forgetLocations();
    this.panel.post({
      type: 'reviewStarted',
      review: {
        reviewId,
        title: label,
        provider,
        ...(note ? { providerNote: note } : {}),
        personas: spec.personas.map((id) => {
          const p = this.personas.get(id);
          return { id, name: p?.name ?? id, icon: p?.icon ?? 'person' };
        }),
        texts: {},
        personaStatus: {},
        findings: [],
        status: 'running',
        notices: [],
      },
    });
    if (!quiet) this.panel.show(true);
    this.status.started(label);
    this.ctx.log.info(`Review ${reviewId} started: ${label} (provider ${provider}${note ? `; ${note}` : ''})`);

    const params: ReviewParams = {
      reviewId,
      personas: spec.personas,
      target: spec.target,
      provider,
      include: this.ctx.config.include,
      exclude: this.ctx.config.exclude,
    };
    if (provider === 'anthropic') {
      params.apiKey = apiKey;
      params.model = this.ctx.config.model;
      params.maxOutputTokens = this.ctx.config.maxOutputTokens;
      if (spec.task) params.task = spec.task;
      const baseURL = this.ctx.config.baseURL;
      if (baseURL) params.baseURL = baseURL;
    }

    const outcome: ReviewOutcome = { reviewId, spec, provider, ...(note ? { providerNote: note } : {}), cancelled: false, textEvents: 0 };
    try {
      const client = await this.ctx.ensureClient();
      if (provider === 'anthropic') await this.confirmCost(client, params, label, run.cts);
      const summary = quiet
        ? await client.sendRequest(ReviewRequest.type, params, run.cts.token)
        : await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Persona Review: ${label}`, cancellable: true },
        async (progress, token) => {
          run.progress = progress;
          const sub = token.onCancellationRequested(() => run.cts.cancel());
          try {
            return await client.sendRequest(ReviewRequest.type, params, run.cts.token);
          } finally {
            sub.dispose();
          }
        },
      );
      outcome.summary = summary;
      outcome.cancelled = summary.cancelled;
    } catch (e) {
      if (isCancellation(e) || run.cts.token.isCancellationRequested) outcome.cancelled = true;
      else outcome.failure = failureMessage(e);
    } finally {
      outcome.textEvents = run.textEvents;
      callerCancel?.dispose();
      run.cts.dispose();
      this.running.delete(reviewId);
      if (this.running.size === 0) void vscode.commands.executeCommand('setContext', 'personaReview.reviewRunning', false);
    }
    this.finish(label, outcome, quiet);
    return outcome;
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
    const run = 'Run Review';
    const answer = await vscode.window.showWarningMessage(
      `This review is estimated at ~$${usd.toFixed(2)} on ${estimate.model} (${tokens}, ${estimate.perPersona.length} persona(s)), above your budget of $${budget.toFixed(2)}.`,
      { modal: true, detail: 'Change the limit with the setting personaReview.costBudget, or review fewer files or personas.' },
      run,
    );
    if (answer !== run) {
      cts.cancel();
      throw new vscode.CancellationError();
    }
  }

  private finish(label: string, o: ReviewOutcome, quiet = false): void {
    this.lastOutcome = o;
    const s = o.summary;
    const panelSummary: PanelSummary = {
      findings: s?.findings ?? 0,
      bySeverity: s?.bySeverity ?? { ...ZERO },
      dropped: s?.dropped ?? 0,
      errors: (s?.errors ?? []).map((e) => ({ persona: this.personas.displayName(e.personaId), message: e.message, partial: e.partial })),
      notices: s?.notices ?? [],
      durationMs: s?.durationMs ?? 0,
      ...(o.failure ? { failure: o.failure } : {}),
    };
    const status = o.failure ? 'failed' : o.cancelled ? 'cancelled' : 'done';
    this.panel.post({ type: 'reviewFinished', reviewId: o.reviewId, status, summary: panelSummary });
    this.status.finished(label, o.failure ? undefined : panelSummary.bySeverity, o.cancelled);

    if (o.failure) {
      this.ctx.log.error(`Review ${o.reviewId} failed: ${o.failure}`);
      if (!quiet)
        void vscode.window.showErrorMessage(`Persona Review: ${o.failure}`, 'Show Log').then((pick) => pick && this.ctx.log.show());
    } else if (o.cancelled) {
      this.ctx.log.info(`Review ${o.reviewId} stopped.`);
    } else if (s) {
      const c = s.bySeverity;
      this.ctx.log.info(`Review ${o.reviewId} done in ${s.durationMs} ms: ${s.findings} findings (${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low), ${s.dropped} dropped.`);
      for (const n of s.notices) this.ctx.log.info(`Notice: ${n}`);
      if (s.errors.length > 0) {
        for (const e of s.errors) this.ctx.log.warn(`${this.personas.displayName(e.personaId)}: ${e.message}${e.partial ? ' (partial review kept)' : ''}`);
        const first = s.errors[0]!;
        const more = s.errors.length > 1 ? ` (and ${s.errors.length - 1} more; see the panel)` : '';
        if (!quiet)
          void vscode.window
          .showWarningMessage(`Persona Review: ${this.personas.displayName(first.personaId)}: ${first.message}${more}`, 'Show Panel')
          .then((pick) => pick && this.panel.show());
      }
    }
    this.finishedEmitter.fire(o);
  }

  /** Claude when the settings ask for it, the workspace is trusted and a key is stored; else offline, with the reason. */
  private async chooseProvider(): Promise<{ provider: 'offline' | 'anthropic'; apiKey?: string; note?: string }> {
    if (!this.ctx.trusted) return { provider: 'offline', note: 'Restricted Mode: offline only, nothing is sent' };
    if (this.ctx.config.provider === 'offline') return { provider: 'offline' };
    const apiKey = await this.secrets.apiKey();
    if (apiKey) return { provider: 'anthropic', apiKey };
    if (!this.offlineOffered) {
      this.offlineOffered = true;
      void vscode.window
        .showInformationMessage('Persona Review: no Anthropic API key is set, so reviews run offline with the built-in rules. Set a key to review with Claude.', 'Set API Key')
        .then((pick) => pick && vscode.commands.executeCommand('personaReview.setApiKey'));
    }
    return { provider: 'offline', note: 'no API key set' };
  }

  private onEvent(reviewId: string, event: ReviewEvent): void {
    const run = this.running.get(reviewId);
    if (!run) return;
    this.route(reviewId, run, event);
    run.onEvent?.(event);
  }

  private route(reviewId: string, run: Running, event: ReviewEvent): void {
    switch (event.type) {
      case 'context':
        for (const n of event.notices) this.panel.post({ type: 'notice', reviewId, message: n });
        run.progress?.report({ message: `${event.files} file${event.files === 1 ? '' : 's'}, ~${event.tokens} tokens` });
        break;
      case 'persona-start':
        this.panel.post({ type: 'personaStatus', reviewId, personaId: event.personaId, state: 'running' });
        break;
      case 'text':
        run.textEvents++;
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
      case 'progress': {
        this.panel.post({ type: 'progress', reviewId, filesDone: event.filesDone, filesTotal: event.filesTotal, findings: event.findings });
        const percent = event.filesTotal > 0 ? Math.floor((100 * event.filesDone) / event.filesTotal) : 0;
        run.progress?.report({
          message: `${event.filesDone}/${event.filesTotal} file reviews · ${event.findings} finding${event.findings === 1 ? '' : 's'}`,
          increment: Math.max(0, percent - run.lastPercent),
        });
        run.lastPercent = Math.max(run.lastPercent, percent);
        break;
      }
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
  if (e instanceof ResponseError) return `the review failed: ${msg}`;
  return `the review could not run: ${msg}`;
}
