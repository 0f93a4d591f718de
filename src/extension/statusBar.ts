/**
 * The status-bar item: the running review ("Reviewing: Security Engineer · src/app.ts"), then the current
 * findings of the finding store counted by severity (`1C 2H 0M 3L`, the same findings Problems and the
 * Findings view show, so a fix, a dismissal or Clear Findings changes it at once), with a marker when the
 * last review failed, was stopped or is partial, and the model that answered. In Restricted Mode it says
 * reviews run offline and why. Clicking it shows the review panel.
 */
import * as vscode from 'vscode';
import type { ProviderId, ReviewStatus } from '../shared/protocol';
import { Disposable, type Ctx } from './ctx';
import type { FindingsStore } from './findingsTree';

/** How the last review ended, as the status bar shows it. */
export interface LastReview {
  label: string;
  status: ReviewStatus;
  provider: ProviderId;
  /** The model that answered (Claude model id or chat model name). */
  model?: string;
  failure?: string;
  /** Display names of the personas that did not finish. */
  incomplete?: string[];
}

/** The Persona Review status-bar item. */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly running = new Map<string, string>();
  /** The latest progress message per running review ("3 files, ~2,400 tokens", "4/12 file reviews · 2 findings"). */
  private readonly detail = new Map<string, string>();
  private last: LastReview | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly findings: FindingsStore,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('personaReview.status', vscode.StatusBarAlignment.Left, 10));
    this.item.name = 'Persona Review';
    this.item.command = 'personaReview.showPanel';
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()));
    this._register(findings.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  /** The item's text as shown (for tests). */
  get text(): string {
    return this.item.text;
  }

  /** The texts the item showed while reviews ran, newest last, at most 20 (for tests). */
  readonly runningTexts: string[] = [];

  /** A review started. */
  started(reviewId: string, label: string): void {
    this.running.set(reviewId, label);
    this.update();
  }

  /**
   * A running review's progress, shown after its label. The item is the review's one progress indicator
   * (no window progress beside it): one spinner in the status bar, however the review was started.
   */
  progress(reviewId: string, message: string): void {
    if (!this.running.has(reviewId) || this.detail.get(reviewId) === message) return;
    this.detail.set(reviewId, message);
    this.update();
  }

  /** A review ended. */
  finished(reviewId: string, last: LastReview): void {
    this.running.delete(reviewId);
    this.detail.delete(reviewId);
    this.last = last;
    this.update();
  }

  private update(): void {
    const restricted = !this.ctx.trusted;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = false;
    const labels = [...this.running.values()];
    const c = this.findings.countsBySeverity();
    const counts = `${c.critical}C ${c.high}H ${c.medium}M ${c.low}L`;
    if (labels.length > 0) {
      const newest = [...this.running.keys()][labels.length - 1]!;
      const detail = this.detail.get(newest);
      this.item.text = `$(sync~spin) ${vscode.l10n.t('Reviewing: {0}', labels[labels.length - 1]!)}${labels.length > 1 ? ` (+${labels.length - 1})` : ''}${detail ? ` · ${detail}` : ''}`;
      this.runningTexts.push(this.item.text);
      if (this.runningTexts.length > 20) this.runningTexts.shift();
      tip.appendMarkdown(vscode.l10n.t('Persona Review is reviewing: {0}. Click to show the review panel.', escape(labels.join('; '))));
    } else if (this.last) {
      const l = this.last;
      const marker = l.status === 'failed' ? ` $(error) ${vscode.l10n.t('failed')}` : l.status === 'cancelled' ? ` $(debug-stop) ${vscode.l10n.t('stopped')}` : l.status === 'partial' ? ` $(warning) ${vscode.l10n.t('partial')}` : '';
      const who = modelLabel(l);
      this.item.text = `$(checklist) ${counts}${marker} · ${who}`;
      tip.appendMarkdown(vscode.l10n.t('Last review: {0} with {1}', escape(l.label), escape(who)));
      if (l.status === 'failed') tip.appendMarkdown(` — **${vscode.l10n.t('failed')}**${l.failure ? `: ${escape(l.failure)}` : ''}`);
      else if (l.status === 'cancelled') tip.appendMarkdown(` — ${vscode.l10n.t('stopped before it finished')}`);
      else if (l.status === 'partial') tip.appendMarkdown(` — ${vscode.l10n.t('partial: {0} did not finish', escape((l.incomplete ?? []).join(', ') || vscode.l10n.t('some personas')))}`);
      tip.appendMarkdown(`\n\n${vscode.l10n.t('Current findings: {0} critical · {1} high · {2} medium · {3} low. Click to show the review panel.', c.critical, c.high, c.medium, c.low)}`);
    } else {
      const any = c.critical + c.high + c.medium + c.low > 0;
      this.item.text = any ? `$(checklist) ${counts}` : restricted ? `$(workspace-untrusted) ${vscode.l10n.t('Persona Review: offline')}` : '$(checklist) Persona Review';
      tip.appendMarkdown(any ? vscode.l10n.t('Current findings: {0}. Click to show the review panel.', counts) : vscode.l10n.t('Persona Review: no review yet. Click to show the review panel.'));
    }
    if (restricted) {
      if (labels.length === 0 && this.last) this.item.text += ' $(workspace-untrusted)';
      tip.appendMarkdown(
        `\n\n$(workspace-untrusted) ${vscode.l10n.t("**Restricted Mode**: this workspace is not trusted, so reviews run offline with the built-in rules, no API key is read, nothing is sent off this machine, and the workspace's `.personas/` folder is ignored. Trust the workspace to lift this.")}`,
      );
    }
    this.item.tooltip = tip;
  }
}

/** "offline", "Claude claude-sonnet-4-6" or the chat model's name. */
export function modelLabel(l: Pick<LastReview, 'provider' | 'model'>): string {
  if (l.provider === 'offline') return vscode.l10n.t('offline');
  if (l.provider === 'anthropic') return l.model ? `Claude ${l.model}` : 'Claude';
  return l.model ?? vscode.l10n.t('chat model');
}

function escape(s: string): string {
  return s.replace(/[\\`*_[\]<>$]/g, '\\$&');
}
