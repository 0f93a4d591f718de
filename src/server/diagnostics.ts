/**
 * Finding → LSP Diagnostic (LSP 3.17 §Diagnostic), and → {@link LiveFinding} for the findings tree.
 *
 * - `severity`: src/shared/severity.ts (critical and high → Error, medium → Warning, low → Information).
 * - `source`: the persona's name; several names joined with " + " when personas agreed (core merge).
 * - `code`: the offline rule id (`security/sql-injection`) or else the category (`sql-injection`);
 *   `codeDescription.href`: the page of the first reference with one (CWE or OWASP Top 10, core
 *   `references.ts` `referenceUrl`).
 * - `message`: the title and the first paragraph of the finding's message (cut at
 *   {@link MESSAGE_MAX} characters); the full text is in the review panel.
 * - `data`: {@link DiagnosticData}, so code actions find the finding again.
 * - `relatedInformation`: the other files a finding names (an import cycle), see {@link relatedFromMessage}.
 */
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { referenceUrl } from '../core/references';
import type { Finding } from '../core/types';
import type { DiagnosticData, LiveFinding } from '../shared/protocol';
import { LSP_DIAGNOSTIC_SEVERITY } from '../shared/severity';
import type { TrackedFinding } from './findings';

/** Longest message part of a Diagnostic, in characters (the Problems panel shows one line). */
export const MESSAGE_MAX = 300;

/** True when the finding's suggestion can be applied as a quick fix: a replacement that holds no redaction marker. */
export function hasApplicableFix(f: Finding): boolean {
  const r = f.suggestion?.replacement;
  return r !== undefined && !r.includes('[REDACTED:');
}

/** The Diagnostic message: `Title: first paragraph of the message`, shortened to {@link MESSAGE_MAX} characters. */
export function diagnosticMessage(f: Finding): string {
  const first = f.message.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  const short = first.length > MESSAGE_MAX ? `${first.slice(0, MESSAGE_MAX - 1).trimEnd()}…` : first;
  return short ? `${f.title}: ${short}` : f.title;
}

/** The Diagnostic of a tracked finding. */
export function toDiagnostic(t: TrackedFinding): Diagnostic {
  const f = t.finding;
  const data: DiagnosticData = { fingerprint: f.fingerprint, findingId: f.id, hasFix: hasApplicableFix(f) };
  const d: Diagnostic = {
    range: t.range,
    severity: LSP_DIAGNOSTIC_SEVERITY[f.severity],
    source: t.personaNames.join(' + '),
    code: f.ruleId ?? f.category,
    message: diagnosticMessage(f),
    data,
  };
  const href = f.references.map(referenceUrl).find((u): u is string => u !== undefined);
  if (href) d.codeDescription = { href };
  if (t.related.length > 0) d.relatedInformation = t.related;
  return d;
}

/** The finding as every view sees it: current range in 1-based lines and columns, the document URI, persona names, reference links. */
export function toLiveFinding(uri: string, t: TrackedFinding): LiveFinding {
  return {
    ...t.finding,
    uri,
    personaNames: t.personaNames,
    referenceLinks: t.finding.references.map((label) => {
      const href = referenceUrl(label);
      return href ? { label, href } : { label };
    }),
    hasFix: hasApplicableFix(t.finding),
    ...(t.reviewId ? { reviewId: t.reviewId } : {}),
    range: {
      startLine: t.range.start.line + 1,
      endLine: t.range.end.line + 1,
      startColumn: t.range.start.character + 1,
      endColumn: t.range.end.character + 1,
    },
  };
}

/** A reviewed file a related location may point into. */
export interface RelatedFile {
  uri: string;
  /** Its reviewed (redacted) text; line numbers equal the document's. */
  text: string;
}

const IMPORT_LINE = /\b(import|require|from|export)\b/;

/**
 * Related locations for a finding that names other reviewed files in its message as backticked paths
 * (the Architect's import cycle: "Import cycle: `a.js` → `b.js` → `a.js`"). Each other file gets one
 * location: its first import line that mentions the next file of the chain by name (without extension),
 * else its first line. Findings carry no structured related locations (core `Finding`), so this is the
 * best that can be read from them; findings that name no other reviewed file get none.
 */
export function relatedFromMessage(f: Finding, files: ReadonlyMap<string, RelatedFile>): DiagnosticRelatedInformation[] {
  const named = [...f.message.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  const chain = named.filter((p) => files.has(p));
  const out: DiagnosticRelatedInformation[] = [];
  const seen = new Set<string>([f.file]);
  chain.forEach((p, i) => {
    if (seen.has(p)) return;
    seen.add(p);
    const file = files.get(p)!;
    const next = chain[i + 1];
    const stem = next ? next.replace(/^.*\//, '').replace(/\.[^.]+$/, '') : undefined;
    const lines = file.text.split('\n');
    let line = stem ? lines.findIndex((l) => IMPORT_LINE.test(l) && l.includes(stem)) : -1;
    if (line < 0) line = 0;
    const end = (lines[line] ?? '').replace(/\r$/, '').length;
    out.push({
      location: { uri: file.uri, range: { start: { line, character: 0 }, end: { line, character: end } } },
      message: next ? `${p} imports ${next} (${f.title})` : `${p} (${f.title})`,
    });
  });
  return out;
}
