/**
 * Dismiss for me / for the team, Un-suppress, and the Findings view's "Show Suppressed Findings" toggle
 * (issue 12). The language server does the work (src/server/suppressions.ts, through `workspace/executeCommand`:
 * `ServerCommands.dismissFinding`, `suppressFinding`, `unsuppressFinding`), so every view follows its finding
 * store; this module asks the user and keeps the dismissals "for me" in the workspace state, which the server
 * gets back at `initialize` (src/extension/ctx.ts). Commands:
 *   - `personaReview.dismissFinding` (a Findings-view node, or `{ uri, fingerprint, scope?: 'me'|'team', reason? }`):
 *     asks "For me" or "For the team..." unless `scope` is given;
 *   - `personaReview.dismissFindingForTeam` (`{ uri, fingerprint, reason?, expires?, addToMemory? }`): asks for the
 *     reason (required) and an optional expiry, writes the entry through the server, then offers to add the
 *     reason to the reporting persona's team memory (src/extension/memory.ts `offerReasonToMemory`). Refused in
 *     Restricted Mode, with a button to manage workspace trust;
 *   - `personaReview.unsuppressFinding` (a suppressed node, or `{ uri, fingerprint }`);
 *   - `personaReview.showSuppressed` / `personaReview.hideSuppressed` (the view's title bar).
 * Each resolves with the server's answer (undefined when the user cancelled or it failed), for tests and
 * other extensions.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { ServerCommands, type SuppressFindingResult, type UnsuppressFindingResult } from '../shared/protocol';
import { findingRef } from './commands';
import { DISMISSED_KEY, dismissedForMe, errorMessage, type Ctx, type DismissedForMe } from './ctx';
import type { FindingsStore, FindingsTreeProvider } from './findingsTree';
import { offerReasonToMemory } from './memory';
import type { PersonaStore } from './personaTree';

/** Most dismissals "for me" kept per workspace (the oldest go first). */
const MAX_DISMISSED = 2000;

/** Options a caller may pass with the finding. */
interface DismissOptions {
  scope?: 'me' | 'team';
  reason?: string;
  expires?: string;
  addToMemory?: boolean;
}

function optionsOf(args: unknown[]): DismissOptions {
  const o = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const out: DismissOptions = {};
  if (o.scope === 'me' || o.scope === 'team') out.scope = o.scope;
  if (str(o.reason)) out.reason = str(o.reason);
  if (str(o.expires)) out.expires = str(o.expires);
  if (typeof o.addToMemory === 'boolean') out.addToMemory = o.addToMemory;
  return out;
}

/** Runs a server command and answers with its result; rejects with the server's message. */
async function serverCommand<T>(ctx: Ctx, command: string, arg: unknown): Promise<T> {
  const client = await ctx.ensureClient();
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] })) as T;
}

function showError(message: string): void {
  void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: {0}', message));
}

/** Registers the dismissal, suppression and toggle commands. */
export function registerSuppressions(ctx: Ctx, personas: PersonaStore, findings: FindingsStore, tree: FindingsTreeProvider): void {
  const reg = (d: vscode.Disposable) => ctx.pushExtCleanup(d);
  reg(vscode.commands.registerCommand('personaReview.dismissFinding', (...args: unknown[]) => dismiss(ctx, personas, findings, args)));
  reg(vscode.commands.registerCommand('personaReview.dismissFindingForTeam', (...args: unknown[]) => dismissForTeam(ctx, personas, findings, args)));
  reg(vscode.commands.registerCommand('personaReview.unsuppressFinding', (...args: unknown[]) => unsuppress(ctx, findings, args)));
  reg(vscode.commands.registerCommand('personaReview.showSuppressed', () => tree.setShowSuppressed(true)));
  reg(vscode.commands.registerCommand('personaReview.hideSuppressed', () => tree.setShowSuppressed(false)));
}

/** "Dismiss Finding": for me or for the team (asked when the caller did not say). */
async function dismiss(ctx: Ctx, personas: PersonaStore, findings: FindingsStore, args: unknown[]): Promise<unknown> {
  const ref = findingRef(args);
  const f = ref ? (findings.find(ref.fingerprint, ref.uri) ?? findings.find(ref.fingerprint)) : undefined;
  const uri = ref?.uri ?? f?.uri;
  if (!ref || !uri) return undefined;
  const opts = optionsOf(args);
  let scope = opts.scope;
  if (!scope) {
    type Item = vscode.QuickPickItem & { scope: 'me' | 'team' };
    const trusted = vscode.workspace.isTrusted;
    const items: Item[] = [
      { scope: 'me', label: `$(person) ${vscode.l10n.t('For me')}`, detail: vscode.l10n.t('Hidden in this workspace for you only; teammates and CI still see it.') },
      {
        scope: 'team',
        label: `$(organization) ${vscode.l10n.t('For the team...')}`,
        detail: trusted
          ? vscode.l10n.t('Asks why, then adds it to .persona-review/suppressions.yaml: commit it and CI, the CLI and teammates honour it.')
          : vscode.l10n.t('Needs a trusted workspace: Restricted Mode does not write the team files.'),
      },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Persona Review: Dismiss "{0}"', f?.title ?? ref.fingerprint.slice(0, 12)), placeHolder: vscode.l10n.t('Dismiss for whom?') });
    if (!pick) return undefined;
    scope = pick.scope;
  }
  if (scope === 'team') return dismissForTeam(ctx, personas, findings, [{ ...opts, uri, fingerprint: ref.fingerprint }]);
  try {
    const r = await serverCommand<{ dismissed: boolean; warnings?: string[] }>(ctx, ServerCommands.dismissFinding, { uri, fingerprint: ref.fingerprint, ...(opts.reason ? { reason: opts.reason } : {}) });
    const kept = dismissedForMe(ctx.extension.workspaceState).filter((d) => !(d.uri === uri && d.fingerprint === ref.fingerprint));
    const entry: DismissedForMe = { uri, fingerprint: ref.fingerprint, ...(opts.reason ? { reason: opts.reason } : {}), ...(f?.title ? { title: f.title } : {}), date: new Date().toISOString() };
    await ctx.extension.workspaceState.update(DISMISSED_KEY, [...kept, entry].slice(-MAX_DISMISSED));
    for (const w of r?.warnings ?? []) void vscode.window.showWarningMessage(vscode.l10n.t('Persona Review: {0}', w));
    return r;
  } catch (e) {
    showError(vscode.l10n.t('could not dismiss the finding: {0}', errorMessage(e)));
    return undefined;
  }
}

/** Asks for an optional expiry day; undefined = none, null = cancelled. */
async function askExpiry(): Promise<string | undefined | null> {
  type Item = vscode.QuickPickItem & { days?: number; custom?: boolean };
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const items: Item[] = [
    { label: vscode.l10n.t('No expiry'), detail: vscode.l10n.t('Until someone removes the entry') },
    { label: vscode.l10n.t('For 30 days'), description: day(30), days: 30 },
    { label: vscode.l10n.t('For 90 days'), description: day(90), days: 90 },
    { label: vscode.l10n.t('Until a date...'), custom: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Persona Review: should the suppression expire?'), placeHolder: vscode.l10n.t('After the last day, the finding is reported again') });
  if (!pick) return null;
  if (pick.days) return day(pick.days);
  if (!pick.custom) return undefined;
  const today = new Date().toISOString().slice(0, 10);
  const v = await vscode.window.showInputBox({
    title: vscode.l10n.t('Persona Review: last day of the suppression'),
    prompt: vscode.l10n.t('YYYY-MM-DD; from the day after, the finding is reported again'),
    value: day(180),
    ignoreFocusOut: true,
    validateInput: (x) => (/^\d{4}-\d{2}-\d{2}$/.test(x.trim()) && !Number.isNaN(Date.parse(x.trim())) && x.trim() >= today ? undefined : vscode.l10n.t('Enter a day from today on, such as {0}.', day(180))),
  });
  return v === undefined ? null : v.trim();
}

/** "Dismiss for the team...": see the module comment. */
async function dismissForTeam(ctx: Ctx, personas: PersonaStore, findings: FindingsStore, args: unknown[]): Promise<SuppressFindingResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t('Persona Review: Dismiss for the team writes .persona-review/suppressions.yaml, which Restricted Mode does not allow. Trust the workspace first, or dismiss the finding for yourself.'),
        manage,
      )
      .then((pick) => (pick === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
    return undefined;
  }
  const ref = findingRef(args);
  const f = ref ? (findings.find(ref.fingerprint, ref.uri) ?? findings.find(ref.fingerprint) ?? findings.findSuppressed(ref.fingerprint, ref.uri)) : undefined;
  if (!ref || !f) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: that finding is no longer current (its code changed or the findings were cleared).'));
    return undefined;
  }
  const opts = optionsOf(args);
  const reason =
    opts.reason ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Persona Review: Dismiss "{0}" for the team', f.title),
      prompt: vscode.l10n.t('Why does the team accept this finding? The reason is written to .persona-review/suppressions.yaml with your git name and today\'s date.'),
      placeHolder: vscode.l10n.t('The id is a UUID checked by the router; this query never sees user text.'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A suppression for the team needs a reason. Write it, or press Escape to keep the finding.')),
    }))?.trim();
  if (!reason) return undefined;
  // Asked only when the reason was asked too: a caller that gave the reason gives the expiry (or none).
  const expires = opts.reason ? opts.expires : await askExpiry();
  if (expires === null) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(f.uri));
  let r: SuppressFindingResult;
  try {
    r = await serverCommand<SuppressFindingResult>(ctx, ServerCommands.suppressFinding, {
      uri: f.uri,
      fingerprint: f.fingerprint,
      reason,
      ...(expires ? { expires } : {}),
      ...(folder?.uri.scheme === 'file' ? { root: folder.uri.fsPath } : {}),
    });
  } catch (e) {
    showError(vscode.l10n.t('could not dismiss the finding for the team: {0}', errorMessage(e)));
    return undefined;
  }
  ctx.log.info(`Dismissed for the team: ${r.entry.rule} in ${r.entry.file} (${r.file})${r.ledgerSeq ? `, ledger entry ${r.ledgerSeq}` : ''}`);
  for (const w of r.warnings) void vscode.window.showWarningMessage(vscode.l10n.t('Persona Review: {0}', w));
  const open = vscode.l10n.t('Open File');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Persona Review: dismissed for the team in {0}. Commit it so CI, the CLI and teammates honour it.', vscode.workspace.asRelativePath(r.file)), open)
    .then((pick) => (pick === open ? vscode.window.showTextDocument(vscode.Uri.file(r.file), { preview: false }) : undefined));
  if (opts.addToMemory !== false) await offerReasonToMemory(ctx, personas, f, reason, opts.addToMemory === true);
  return r;
}

/** "Un-suppress": the finding is shown again in every view. */
async function unsuppress(ctx: Ctx, findings: FindingsStore, args: unknown[]): Promise<UnsuppressFindingResult | undefined> {
  const ref = findingRef(args);
  const f = ref ? findings.findSuppressed(ref.fingerprint, ref.uri) : undefined;
  const uri = ref?.uri ?? f?.uri;
  if (!ref || !uri) return undefined;
  try {
    const r = await serverCommand<UnsuppressFindingResult>(ctx, ServerCommands.unsuppressFinding, { uri, fingerprint: ref.fingerprint });
    const kept = dismissedForMe(ctx.extension.workspaceState).filter((d) => !(d.uri === uri && d.fingerprint === ref.fingerprint));
    await ctx.extension.workspaceState.update(DISMISSED_KEY, kept);
    for (const w of r.warnings) void vscode.window.showWarningMessage(vscode.l10n.t('Persona Review: {0}', w));
    if (r.scope === 'team' && r.file) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: the entry was removed from {0}; commit it so the finding is reported for everyone again.', vscode.workspace.asRelativePath(r.file)));
    }
    return r;
  } catch (e) {
    showError(vscode.l10n.t('could not un-suppress the finding: {0}', errorMessage(e)));
    return undefined;
  }
}
