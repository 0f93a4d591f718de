/**
 * Dismissals and team suppressions from the editor (issue 12): the server side of "Dismiss for me", "Dismiss
 * for the team" and "Un-suppress". The finding store (./findings.ts) owns what is shown, so every view
 * (Problems, the Findings view, the panel, the status bar) follows a dismissal at once.
 *
 * - For me: the store hides the fingerprint in that document (the VS Code extension also keeps it in its
 *   workspace state and hands it back at `initialize`, `InitializationOptions.dismissed`).
 * - For the team: an entry in `<folder>/.persona-review/suppressions.yaml` written by the core writer
 *   (core/suppressions/file.ts `addSuppressions`: the YAML document model keeps comments and other entries,
 *   under the file lock), with the git user as author (core/teamFiles.ts `gitIdentity`), so the CLI, CI and
 *   every teammate's editor honour it. Refused in an untrusted workspace (Restricted Mode): the workspace's
 *   team files are written only once the user trusts it. A malformed existing file is refused with the line
 *   and field (and left as it is); entries that are themselves invalid are kept and reported as warnings.
 * - Each of these, and their undoing, appends one `dismissal` (for me) or `suppression` (for the team) event
 *   to the audit ledger when the workspace keeps one (core/ledger.ts `resolveLedger`, `recordLedgerEvent`:
 *   the file `.persona-review/ledger.jsonl` exists, or `PERSONA_REVIEW_LEDGER` names one), as the CLI does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { LedgerError, recordLedgerEvent, resolveLedger, type DecisionData } from '../core/ledger';
import { fingerprint as fingerprintOf } from '../core/merge';
import { addSuppressions, formatSuppressionsError, readSuppressionsFile, removeSuppressions, type SuppressionEntry } from '../core/suppressions/file';
import { ensureTeamDir, formatIdentity, gitIdentity, suppressionsPath } from '../core/teamFiles';
import type { Severity } from '../core/types';
import type { DismissFindingParams, SuppressFindingArgs, SuppressFindingResult, UnsuppressFindingArgs, UnsuppressFindingResult } from '../shared/protocol';
import type { FindingStore, TrackedFinding } from './findings';
import type { ServerLog } from './log';
import type { ServerSettings } from './reviews';
import { fsPath } from './reviews';

/** What the dismissal and suppression handlers work with. */
export interface SuppressionDeps {
  store: FindingStore;
  log: ServerLog;
  settings: () => ServerSettings;
  /** The open document's text for `uri`, if it is open. */
  openText?: (uri: string) => string | undefined;
  /** The environment the ledger location is read from (`PERSONA_REVIEW_LEDGER`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function bad(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** Path relative to `root` with forward slashes, or undefined when `abs` is outside `root`. */
function inside(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** `abs` relative to `root` (forward slashes), or `abs` itself when outside it. */
function display(root: string, abs: string): string {
  return inside(root, abs) ?? abs;
}

/** Appends a decision to the ledger of `root` when there is one; returns its seq, or a warning. Never throws. */
async function record(d: SuppressionDeps, root: string, event: 'dismissal' | 'suppression', data: DecisionData): Promise<{ seq?: number; warning?: string }> {
  // Restricted Mode writes nothing into the workspace, the ledger included.
  if (d.settings().trusted === false) return {};
  const file = resolveLedger(root, {}, d.env ?? process.env);
  if (!file) return {};
  try {
    const e = await recordLedgerEvent(file, root, { event, data });
    d.log.info(`ledger: recorded ${event} (${data.action}, ${data.scope}) of ${data.rule} in ${data.file} as entry ${e.seq} of ${display(root, file)}`);
    return { seq: e.seq };
  } catch (e) {
    const message = `the audit ledger was not appended to: ${e instanceof LedgerError ? e.message : (e as Error).message}`;
    d.log.warn(message);
    return { warning: message };
  }
}

/** The ledger's description of a finding. */
function decision(t: TrackedFinding, file: string): Pick<DecisionData, 'fingerprint' | 'rule' | 'file' | 'severity'> {
  return { fingerprint: t.finding.fingerprint, rule: t.finding.ruleId ?? t.finding.category, file, severity: t.finding.severity as Severity };
}

/** The finding's file relative to the server's root (forward slashes), as findings carry it. */
function fileOf(d: SuppressionDeps, uri: string, t: TrackedFinding): string {
  const abs = fsPath(uri);
  return (abs ? inside(d.settings().workspaceRoot, abs) : undefined) ?? t.finding.file;
}

/**
 * Dismisses a finding for me (`personaReview/dismissFinding` and `ServerCommands.dismissFinding`): hides it in
 * its document and records a `dismissal` in the ledger when the workspace keeps one. Rejects (InvalidParams)
 * for arguments without a URI and fingerprint. A finding the store no longer holds is still remembered as
 * dismissed (a later review does not show it), without a ledger event.
 */
export async function dismissForMe(d: SuppressionDeps, args: DismissFindingParams): Promise<{ dismissed: true; ledgerSeq?: number; warnings: string[] }> {
  if (typeof args?.uri !== 'string' || typeof args.fingerprint !== 'string') throw bad('expected [{ uri, fingerprint, reason? }]');
  const reason = typeof args.reason === 'string' && args.reason.trim() ? args.reason.trim() : undefined;
  const before = d.store.find(args.uri, args.fingerprint);
  d.log.debug(`finding ${args.fingerprint} dismissed for me in ${args.uri}`);
  d.store.dismiss(args.uri, args.fingerprint, reason);
  if (!before) return { dismissed: true, warnings: [] };
  const root = d.settings().workspaceRoot;
  const r = await record(d, root, 'dismissal', { action: 'add', scope: 'me', ...decision(before, fileOf(d, args.uri, before)), ...(reason ? { reason } : {}) });
  return { dismissed: true, ...(r.seq ? { ledgerSeq: r.seq } : {}), warnings: r.warning ? [r.warning] : [] };
}

/** Checks the arguments of `ServerCommands.suppressFinding`; throws InvalidParams saying what was expected. */
function suppressArgs(raw: unknown): SuppressFindingArgs {
  const a = raw as Partial<SuppressFindingArgs> | undefined;
  if (!a || typeof a !== 'object' || typeof a.uri !== 'string' || typeof a.fingerprint !== 'string') {
    throw bad('expected [{ uri, fingerprint, reason, expires?, root? }]');
  }
  if (typeof a.reason !== 'string' || !a.reason.trim()) throw bad('reason: a suppression for the team needs the reason the team accepts the finding');
  if (a.expires !== undefined && a.expires !== '' && (typeof a.expires !== 'string' || !DAY.test(a.expires) || Number.isNaN(Date.parse(a.expires)))) {
    throw bad(`expires: expected a date such as 2026-12-31, got ${JSON.stringify(a.expires)}`);
  }
  if (a.expires && a.expires < new Date().toISOString().slice(0, 10)) throw bad(`expires: ${a.expires} is already past; give a later day, or none`);
  if (a.root !== undefined && (typeof a.root !== 'string' || !path.isAbsolute(a.root))) throw bad('root: expected the absolute path of the workspace folder, or none');
  return { uri: a.uri, fingerprint: a.fingerprint, reason: a.reason.trim().replace(/\s+/g, ' '), ...(a.expires ? { expires: a.expires } : {}), ...(a.root ? { root: a.root } : {}) };
}

/**
 * Dismisses a finding for the team (`ServerCommands.suppressFinding`): see the module comment. Resolves with
 * the file, the entry and any warnings; rejects with a ResponseError whose message says what to do.
 */
export async function suppressForTeam(d: SuppressionDeps, raw: unknown): Promise<SuppressFindingResult> {
  const settings = d.settings();
  if (settings.trusted === false) {
    throw new ResponseError(
      ErrorCodes.InvalidRequest,
      'Dismiss for the team writes .persona-review/suppressions.yaml into the workspace, which Restricted Mode does not allow: trust the workspace first, or dismiss the finding for yourself.',
    );
  }
  const args = suppressArgs(raw);
  const t = d.store.find(args.uri, args.fingerprint) ?? d.store.findSuppressed(args.uri, args.fingerprint);
  if (!t) throw bad('that finding is no longer current (its code changed, or the findings were cleared); review the file again');
  const abs = fsPath(args.uri);
  if (!abs) throw bad(`${args.uri} is not a file on disk; save it in the workspace first`);
  const root = path.resolve(args.root ?? settings.workspaceRoot);
  const rel = inside(root, abs);
  if (!rel) throw bad(`${abs} is not inside the workspace folder ${root}, so no suppressions file there applies to it`);
  // Entries are keyed by the fingerprint a review of this folder computes: the same unless the folder is another root.
  const sameRoot = path.resolve(settings.workspaceRoot) === root;
  let fp = t.finding.fingerprint;
  if (!sameRoot) {
    const text = d.openText?.(args.uri) ?? (await readFile(abs, 'utf8').catch(() => undefined));
    fp = fingerprintOf(rel, t.finding.category, t.finding.quote, text, t.range.start.line + 1);
  }
  const file = suppressionsPath(root);
  const warnings = readSuppressionsFile(file)
    .errors.filter((e) => e.field !== '' && e.field !== 'suppressions')
    .map((e) => `${formatSuppressionsError({ ...e, file: display(root, file) })} (left as it is)`);
  const who = await gitIdentity(root);
  const entry: SuppressionEntry = {
    fingerprint: fp,
    rule: t.finding.ruleId ?? t.finding.category,
    file: rel,
    quote: t.finding.quote,
    reason: args.reason,
    author: formatIdentity(who),
    date: new Date().toISOString().slice(0, 10),
    ...(args.expires ? { expires: args.expires } : {}),
  };
  try {
    ensureTeamDir(root);
    await addSuppressions(file, [entry]);
  } catch (e) {
    const message = (e as Error).message.split('\n')[0]!;
    d.log.warn(`suppression not written: ${message}`);
    throw new ResponseError(ErrorCodes.InvalidRequest, `The suppression was not written: ${message}`);
  }
  const line = readSuppressionsFile(file).entries.find((x) => x.fingerprint === fp)?.line ?? 0;
  d.store.suppressForTeam(args.uri, args.fingerprint, {
    scope: 'team',
    reason: entry.reason,
    author: entry.author,
    date: entry.date,
    ...(entry.expires ? { expires: entry.expires } : {}),
    location: { file: display(settings.workspaceRoot, file), line },
  });
  d.log.info(`suppressed ${entry.rule} in ${rel} for the team in ${display(root, file)}:${line}: "${entry.reason}"`);
  const r = await record(d, root, 'suppression', { action: 'add', scope: 'team', ...decision(t, rel), fingerprint: fp, reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) });
  if (r.warning) warnings.push(r.warning);
  return { file, entry: { ...entry, quote: entry.quote ?? '' }, ...(r.seq ? { ledgerSeq: r.seq } : {}), warnings };
}

/**
 * Un-suppresses a finding (`ServerCommands.unsuppressFinding`): a dismissal for me is forgotten; a team
 * suppression's entry is removed from its suppressions file (refused in an untrusted workspace); an inline
 * suppression is refused with where its comment is. The finding is shown again at once, and the ledger records it.
 */
export async function unsuppress(d: SuppressionDeps, raw: unknown): Promise<UnsuppressFindingResult> {
  const a = raw as Partial<UnsuppressFindingArgs> | undefined;
  if (!a || typeof a.uri !== 'string' || typeof a.fingerprint !== 'string') throw bad('expected [{ uri, fingerprint }]');
  const settings = d.settings();
  const t = d.store.findSuppressed(a.uri, a.fingerprint);
  if (!t) {
    if (d.store.isDismissed(a.uri, a.fingerprint)) {
      d.store.unsuppress(a.uri, a.fingerprint);
      return { scope: 'me', warnings: [] };
    }
    throw bad('that finding is not suppressed here (its code changed, or the findings were cleared); review the file again');
  }
  const s = t.suppression;
  if (s.scope === 'inline') {
    const where = s.location ? `${s.location.file}:${s.location.line}` : t.finding.file;
    throw bad(`that finding is suppressed by a persona-review-ignore comment at ${where}: remove the comment to bring it back`);
  }
  const root = settings.workspaceRoot;
  const rel = fileOf(d, a.uri, t);
  if (s.scope === 'me') {
    d.store.unsuppress(a.uri, a.fingerprint);
    const r = await record(d, root, 'dismissal', { action: 'remove', scope: 'me', ...decision(t, rel), ...(s.reason ? { reason: s.reason } : {}) });
    return { scope: 'me', ...(r.seq ? { ledgerSeq: r.seq } : {}), warnings: r.warning ? [r.warning] : [] };
  }
  if (settings.trusted === false) {
    throw new ResponseError(ErrorCodes.InvalidRequest, 'Un-suppressing a team suppression edits .persona-review/suppressions.yaml, which Restricted Mode does not allow: trust the workspace first.');
  }
  const file = s.location ? path.resolve(root, s.location.file) : suppressionsPath(root);
  const teamRoot = path.dirname(path.dirname(file));
  const abs = fsPath(a.uri);
  const relInTeam = (abs ? inside(teamRoot, abs) : undefined) ?? rel;
  // The entry's fingerprint is the one a review of the file's folder computes (see suppressForTeam).
  const entries = readSuppressionsFile(file).entries;
  const entry = entries.find((e) => e.fingerprint === t.finding.fingerprint) ?? entries.find((e) => e.file === relInTeam && e.quote === t.finding.quote && e.rule === (t.finding.ruleId ?? t.finding.category));
  const warnings: string[] = [];
  if (entry) {
    try {
      await removeSuppressions(file, [entry.fingerprint]);
    } catch (e) {
      throw new ResponseError(ErrorCodes.InvalidRequest, `The suppression was not removed: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    warnings.push(`${display(root, file)} has no entry for this finding any more; it is shown again`);
  }
  d.store.unsuppress(a.uri, a.fingerprint);
  d.log.info(`un-suppressed ${t.finding.ruleId ?? t.finding.category} in ${rel}: entry removed from ${display(root, file)}`);
  const r = await record(d, teamRoot, 'suppression', { action: 'remove', scope: 'team', ...decision(t, relInTeam), ...(entry ? { fingerprint: entry.fingerprint } : {}), ...(s.reason ? { reason: s.reason } : {}) });
  if (r.warning) warnings.push(r.warning);
  return { scope: 'team', file, ...(r.seq ? { ledgerSeq: r.seq } : {}), warnings };
}
