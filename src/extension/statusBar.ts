/**
 * The status-bar item: the running review ("Reviewing as Security Engineer…"), then the last result as
 * counts by severity; in Restricted Mode it says reviews run offline and why. Clicking it shows the review
 * panel.
 */
import * as vscode from 'vscode';
import type { Severity } from '../core/types';
import { Disposable, type Ctx } from './ctx';

/** Why reviews run offline, when they do although the settings ask for Claude. */
export type OfflineReason = 'restricted' | 'no-key' | undefined;

/** The Persona Review status-bar item. */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private running = 0;
  private runningLabel = '';
  private last: { label: string; bySeverity: Record<Severity, number>; cancelled: boolean; failed: boolean } | undefined;

  constructor(private readonly ctx: Ctx) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('personaReview.status', vscode.StatusBarAlignment.Left, 10));
    this.item.name = 'Persona Review';
    this.item.command = 'personaReview.showPanel';
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()));
    this.update();
    this.item.show();
  }

  /** A review started. */
  started(label: string): void {
    this.running++;
    this.runningLabel = label;
    this.update();
  }

  /** A review ended; `bySeverity` undefined when it failed before any result. */
  finished(label: string, bySeverity: Record<Severity, number> | undefined, cancelled: boolean): void {
    this.running = Math.max(0, this.running - 1);
    this.last = { label, bySeverity: bySeverity ?? { critical: 0, high: 0, medium: 0, low: 0 }, cancelled, failed: bySeverity === undefined };
    this.update();
  }

  private update(): void {
    const restricted = !this.ctx.trusted;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = false;
    if (this.running > 0) {
      this.item.text = `$(sync~spin) Reviewing: ${this.runningLabel}${this.running > 1 ? ` (+${this.running - 1})` : ''}`;
      tip.appendMarkdown(`Persona Review is reviewing: ${escape(this.runningLabel)}. Click to show the review panel.`);
    } else if (this.last) {
      const c = this.last.bySeverity;
      const state = this.last.failed ? ' $(error) failed' : this.last.cancelled ? ' (stopped)' : '';
      this.item.text = `$(checklist) ${c.critical}C ${c.high}H ${c.medium}M ${c.low}L${state}`;
      tip.appendMarkdown(`Last review: ${escape(this.last.label)}${state ? ` —${state}` : ''}\n\n`);
      tip.appendMarkdown(`${c.critical} critical · ${c.high} high · ${c.medium} medium · ${c.low} low. Click to show the review panel.`);
    } else {
      this.item.text = restricted ? '$(workspace-untrusted) Persona Review: offline' : '$(checklist) Persona Review';
      tip.appendMarkdown('Persona Review: no review yet. Click to show the review panel.');
    }
    if (restricted) {
      if (this.running === 0 && this.last) this.item.text += ' $(workspace-untrusted)';
      tip.appendMarkdown(
        '\n\n$(workspace-untrusted) **Restricted Mode**: this workspace is not trusted, so reviews run offline with the built-in rules, no API key is read, nothing is sent off this machine, and the workspace\'s `.personas/` folder is ignored. Trust the workspace to lift this.',
      );
    }
    this.item.tooltip = tip;
  }
}

function escape(s: string): string {
  return s.replace(/[\\`*_[\]<>$]/g, '\\$&');
}
