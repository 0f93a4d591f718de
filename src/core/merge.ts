/**
 * Fingerprints and cross-persona merge of findings (DESIGN.md, "Data flow", step 5).
 */
import { createHash } from 'node:crypto';
import { overlaps } from './anchor';
import { severityRank, type Finding, type Severity } from './types';

/** Collapses all white space so re-indentation and reformatting inside a line do not change a fingerprint. */
function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * A fingerprint stable across runs and line shifts: sha-256 of the file path, the category, the
 * whitespace-normalised quote and the quote's occurrence index (how many times the same normalised
 * quote appears earlier in the file, so two identical lines get different fingerprints). Line
 * numbers are deliberately not part of it. Returned as 32 hex characters; used as SARIF
 * `partialFingerprints["personaReview/v1"]` and for suppressions.
 *
 * @param text the reviewed file's text, to count earlier occurrences; `startLine` is 1-based.
 */
export function fingerprint(file: string, category: string, quote: string, text?: string, startLine?: number): string {
  let occurrence = 0;
  if (text !== undefined && startLine !== undefined) {
    const first = squash(quote.split('\n')[0] ?? '');
    const lines = text.split('\n');
    for (let i = 0; i < startLine - 1 && i < lines.length; i++) if (first && squash(lines[i]!) .includes(first)) occurrence++;
  }
  return createHash('sha256').update(`${file}\0${category}\0${squash(quote)}\0${occurrence}`).digest('hex').slice(0, 32);
}

/**
 * Merges findings that are about the same thing: the same fingerprint, or the same file and category
 * with overlapping line ranges. A merged finding keeps every persona that reported it (in order of
 * first report), the highest severity (recording each persona's own in `severityByPersona` when they
 * differ), the highest confidence, the union of references, and the title/message of its most severe
 * report. Output is sorted most severe first, then by file and line, and numbered `F1`, `F2`, ...
 */
export function mergeFindings(findings: Finding[]): Finding[] {
  const merged: Finding[] = [];
  const bySeverity = new Map<Finding, Map<string, Severity>>();
  for (const f of findings) {
    const same = merged.find(
      (m) => m.fingerprint === f.fingerprint || (m.file === f.file && m.category === f.category && overlaps(m.range, f.range)),
    );
    if (!same) {
      const copy: Finding = { ...f, personaIds: [...f.personaIds], references: [...f.references] };
      merged.push(copy);
      bySeverity.set(copy, new Map(f.personaIds.map((p) => [p, f.severity])));
      continue;
    }
    const sev = bySeverity.get(same)!;
    for (const p of f.personaIds) {
      if (!same.personaIds.includes(p)) same.personaIds.push(p);
      if (!sev.has(p)) sev.set(p, f.severity);
    }
    if (severityRank(f.severity) > severityRank(same.severity)) {
      same.severity = f.severity;
      same.title = f.title;
      same.message = f.message;
    }
    same.confidence = Math.max(same.confidence, f.confidence);
    for (const r of f.references) if (!same.references.includes(r)) same.references.push(r);
    same.suggestion ??= f.suggestion;
    same.ruleId ??= f.ruleId;
  }
  for (const m of merged) {
    const sev = bySeverity.get(m)!;
    if (new Set(sev.values()).size > 1) m.severityByPersona = Object.fromEntries(sev);
  }
  merged.sort(compareFindings);
  merged.forEach((m, i) => (m.id = `F${i + 1}`));
  return merged;
}

/** Sort order of findings: severity (critical first), then file path, then start line. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine;
}
