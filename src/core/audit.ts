/**
 * Questions asked of the audit ledger (./ledger.ts), for governance (seed 004: "Which stories lack
 * security review?", audit trails a director can read): which changed files no review by a persona has
 * covered ({@link auditCoverage}), and a markdown summary per persona and per week ({@link auditReport}).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSensitivePath, looksBinary } from './files';
import { changedFiles } from './git';
import { contentHashes, readLedger, type LedgerEntry, type LedgerVerification, type ReviewData } from './ledger';
import { TEAM_DIR } from './teamFiles';
import { SEVERITIES, type Severity } from './types';

/** One changed file and whether a review by the persona covered its current content. */
export interface CoverageFile {
  /** Root-relative path, forward slashes. */
  path: string;
  /** sha-256 (hex) of the current content. */
  sha256: string;
  covered: boolean;
  /** The latest review by the persona of this exact content (when covered). */
  coveredBy?: { seq: number; when: string; who: string };
  /** True when an earlier version of the file was reviewed by the persona, but not the current one. */
  olderVersionReviewed: boolean;
}

/** Result of {@link auditCoverage}. */
export interface Coverage {
  since: string;
  persona: string;
  files: CoverageFile[];
  /** Files of `files` that are not covered. */
  uncovered: CoverageFile[];
  /**
   * Changed files no review reads, so none can cover them, left out of `files`: the team's own files
   * under `.persona-review/`, sensitive files (core/files.ts isSensitivePath) and binary files.
   */
  notReviewable: Array<{ path: string; reason: string }>;
}

/** Why no review reads the changed file `rel` (root-relative), or undefined when a review can cover it. */
function notReviewable(root: string, rel: string): string | undefined {
  if (rel === TEAM_DIR || rel.startsWith(`${TEAM_DIR}/`)) return `Persona Review's own file (${TEAM_DIR}/)`;
  const sensitive = isSensitivePath(rel);
  if (sensitive) return sensitive;
  try {
    const fd = fs.openSync(path.join(root, rel), 'r');
    try {
      const head = Buffer.alloc(8192);
      if (looksBinary(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)))) return 'binary file';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* unreadable: contentHashes leaves it out */
  }
  return undefined;
}

/**
 * The files changed in `root`'s git repository since `since` (the working tree against the merge-base of
 * `since` and HEAD; deleted files left out), each marked covered when a `review` entry of the ledger
 * with `persona` among its personas recorded the file's current sha-256. A review of the changes counts
 * as covering the file content it saw. Files no review reads (the team's own files under
 * `.persona-review/`, sensitive and binary files) are listed apart in `notReviewable`. Throws InputError (core/files) when `root` is no git repository
 * or `since` names no commit.
 */
export async function auditCoverage(root: string, ledgerFile: string, since: string, persona: string): Promise<Coverage> {
  const changed = await changedFiles(root, 'base', since);
  const skipped: Coverage['notReviewable'] = [];
  const reviewable = changed.map((c) => c.path).filter((p) => {
    const reason = notReviewable(root, p);
    if (reason) skipped.push({ path: p, reason });
    return !reason;
  });
  const current = await contentHashes(root, reviewable);
  const reviews = readLedger(ledgerFile).filter(
    (e): e is LedgerEntry & { event: 'review'; data: ReviewData } => e.event === 'review' && Array.isArray(e.data?.personas) && e.data.personas.includes(persona),
  );
  const byPath = new Map<string, Array<{ sha256: string; e: LedgerEntry }>>();
  for (const e of reviews) for (const p of e.data.paths ?? []) (byPath.get(p.path) ?? byPath.set(p.path, []).get(p.path)!).push({ sha256: p.sha256, e });
  const files: CoverageFile[] = current.map(({ path, sha256 }) => {
    const seen = byPath.get(path) ?? [];
    const match = seen.filter((s) => s.sha256 === sha256).pop();
    return {
      path,
      sha256,
      covered: !!match,
      ...(match ? { coveredBy: { seq: match.e.seq, when: match.e.when, who: match.e.who.name } } : {}),
      olderVersionReviewed: !match && seen.length > 0,
    };
  });
  return { since, persona, files, uncovered: files.filter((f) => !f.covered), notReviewable: skipped };
}

/** ISO 8601 week of a date (UTC), as `2025-W02`. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function sev(b: Record<Severity, number>): string {
  return SEVERITIES.map((s) => b[s]).join(' / ');
}

/**
 * The audit report as markdown: the ledger's state (entries, dates, chain check), a table per persona
 * (reviews, distinct files, findings by severity, suppressed, last review), a table per ISO week (reviews,
 * personas, reviewers, findings, dismissals, suppressions, sign-offs) and the latest decisions with their
 * reasons. `verification` is the result of verifyLedger on the same file. Never throws.
 */
export function auditReport(ledgerFile: string, verification: LedgerVerification, opts: { maxDecisions?: number } = {}): string {
  const entries = readLedger(ledgerFile);
  const out: string[] = ['# Persona Review audit report', ''];
  const first = entries[0]?.when.slice(0, 10);
  const last = entries[entries.length - 1]?.when.slice(0, 10);
  out.push(`Ledger \`${ledgerFile}\`: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${first ? ` from ${first} to ${last}` : ''}.`);
  const bad = verification.problems[0];
  out.push(bad ? `**Chain broken:** line ${bad.line}: ${bad.message}. Figures below include every readable line.` : `Chain intact${verification.comparedWithHead ? ' (and the committed lines are unchanged)' : ''}.`, '');

  const reviews = entries.filter((e): e is LedgerEntry & { event: 'review'; data: ReviewData } => e.event === 'review');
  const personas = [...new Set(reviews.flatMap((e) => e.data.personas))].sort();
  out.push('## By persona', '');
  if (!personas.length) out.push('No reviews recorded.', '');
  else {
    out.push('| Persona | Reviews | Files | Findings (critical / high / medium / low) | Suppressed | Last review |', '| --- | ---: | ---: | --- | ---: | --- |');
    for (const p of personas) {
      const mine = reviews.filter((e) => e.data.personas.includes(p));
      const files = new Set(mine.flatMap((e) => e.data.paths.map((x) => x.path)));
      const b = { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>;
      // A team review's findings are not attributed per persona in the ledger: they count for each persona of it.
      for (const e of mine) for (const s of SEVERITIES) b[s] += e.data.findings.bySeverity[s] ?? 0;
      const lastE = mine[mine.length - 1]!;
      out.push(`| ${cell(p)} | ${mine.length} | ${files.size} | ${sev(b)} | ${mine.reduce((n, e) => n + (e.data.suppressed ?? 0), 0)} | ${lastE.when.slice(0, 10)} by ${cell(lastE.who.name)} |`);
    }
    out.push('');
  }

  const weeks = [...new Set(entries.map((e) => isoWeek(new Date(e.when))))].sort();
  out.push('## By week', '');
  if (!weeks.length) out.push('No entries.', '');
  else {
    out.push('| Week | Reviews | Personas | Reviewers | Findings (critical / high / medium / low) | Dismissals | Suppressions | Sign-offs |', '| --- | ---: | --- | --- | --- | ---: | ---: | ---: |');
    for (const w of weeks) {
      const inWeek = entries.filter((e) => isoWeek(new Date(e.when)) === w);
      const rv = inWeek.filter((e): e is LedgerEntry & { event: 'review'; data: ReviewData } => e.event === 'review');
      const b = { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>;
      for (const e of rv) for (const s of SEVERITIES) b[s] += e.data.findings.bySeverity[s] ?? 0;
      const ps = [...new Set(rv.flatMap((e) => e.data.personas))].sort().join(', ') || '—';
      const who = [...new Set(inWeek.map((e) => e.who.name))].sort().join(', ');
      const count = (ev: string) => inWeek.filter((e) => e.event === ev).length;
      out.push(`| ${w} | ${rv.length} | ${cell(ps)} | ${cell(who)} | ${sev(b)} | ${count('dismissal')} | ${count('suppression')} | ${count('sign-off')} |`);
    }
    out.push('');
  }

  const decisions = entries.filter((e) => e.event === 'dismissal' || e.event === 'suppression' || e.event === 'sign-off').slice(-(opts.maxDecisions ?? 50));
  if (decisions.length) {
    out.push('## Latest decisions', '');
    for (const e of decisions) {
      const who = `${e.when.slice(0, 10)} ${cell(e.who.name)}`;
      if (e.event === 'sign-off') out.push(`- ${who}: signed off run \`${e.data.runId}\` of workflow \`${e.data.workflow}\` as ${cell(e.data.role)}`);
      else out.push(`- ${who}: ${e.event} ${e.data.action} (${e.data.scope === 'team' ? 'for the team' : 'for themselves'}) of \`${e.data.rule}\` in \`${e.data.file}\`${e.data.reason ? `: "${cell(e.data.reason)}"` : ''}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
