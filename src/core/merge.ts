/**
 * Fingerprints and cross-persona merge of findings (DESIGN.md, "Data flow", step 5).
 */
import { createHash } from 'node:crypto';
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
 * Minimum over points of a fixed set of coordinates, with "lower every point of [a, b] to at most v"
 * updates: a segment tree with lazy minimum tags, O(log n) per operation. Used by {@link mergeFindings} to
 * find the earliest merged finding whose line range shares a line with a new one (two ranges share a line
 * exactly when they share one of their end points' coordinates, so the compressed end points suffice).
 */
class RangeMinTree {
  private readonly size: number;
  private readonly min: Float64Array;
  private readonly tag: Float64Array;

  /** `coords`: sorted, distinct coordinates (1-based line numbers). */
  constructor(private readonly coords: number[]) {
    this.size = Math.max(1, coords.length);
    this.min = new Float64Array(4 * this.size).fill(Infinity);
    this.tag = new Float64Array(4 * this.size).fill(Infinity);
  }

  /** Index of the first coordinate ≥ x (binary search). */
  private lower(x: number): number {
    let lo = 0;
    let hi = this.coords.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.coords[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the last coordinate ≤ x. */
  private upper(x: number): number {
    return this.lower(x + 1) - 1;
  }

  /** Lowers every coordinate in [a, b] (inclusive, in lines) to at most `v`. */
  lowerTo(a: number, b: number, v: number): void {
    const l = this.lower(a);
    const r = this.upper(b);
    if (l <= r) this.update(1, 0, this.size - 1, l, r, v);
  }

  /** The minimum over coordinates in [a, b] (inclusive, in lines); Infinity when none was set. */
  query(a: number, b: number): number {
    const l = this.lower(a);
    const r = this.upper(b);
    return l <= r ? this.get(1, 0, this.size - 1, l, r) : Infinity;
  }

  private update(node: number, lo: number, hi: number, l: number, r: number, v: number): void {
    if (r < lo || hi < l) return;
    if (l <= lo && hi <= r) {
      if (v < this.tag[node]!) this.tag[node] = v;
      if (v < this.min[node]!) this.min[node] = v;
      return;
    }
    const mid = (lo + hi) >> 1;
    this.update(2 * node, lo, mid, l, r, v);
    this.update(2 * node + 1, mid + 1, hi, l, r, v);
    this.min[node] = Math.min(this.min[2 * node]!, this.min[2 * node + 1]!, this.tag[node]!);
  }

  private get(node: number, lo: number, hi: number, l: number, r: number): number {
    if (r < lo || hi < l) return Infinity;
    if (l <= lo && hi <= r) return this.min[node]!;
    const mid = (lo + hi) >> 1;
    return Math.min(this.tag[node]!, this.get(2 * node, lo, mid, l, r), this.get(2 * node + 1, mid + 1, hi, l, r));
  }
}

/**
 * Merges findings that are about the same thing: the same fingerprint, or the same file and category
 * with overlapping line ranges. Findings are taken in order; each joins the earliest merged finding it
 * matches (by that finding's own fingerprint and range, which merging does not change), or starts a new
 * one. A merged finding keeps every persona that reported it (in order of first report), the highest
 * severity (recording each persona's own in `severityByPersona` when they differ), the highest confidence,
 * the union of references, and the title/message of its most severe report. Output is sorted most severe
 * first, then by file and line, and numbered `F1`, `F2`, ...
 *
 * O(n log n) for n findings: a map from fingerprint to the first merged finding, and per file and category
 * a {@link RangeMinTree} over the line numbers that occur. `bench/merge.ts` measures it.
 */
export function mergeFindings(findings: Finding[]): Finding[] {
  const groupKey = (f: Finding) => `${f.file}\u0000${f.category}`;
  const coords = new Map<string, number[]>();
  for (const f of findings) {
    const key = groupKey(f);
    let c = coords.get(key);
    if (!c) coords.set(key, (c = []));
    c.push(f.range.startLine, f.range.endLine);
  }
  const trees = new Map<string, RangeMinTree>();
  for (const [key, c] of coords) {
    c.sort((a, b) => a - b);
    trees.set(key, new RangeMinTree(c.filter((x, i) => i === 0 || x !== c[i - 1])));
  }

  interface Merging {
    finding: Finding;
    severities: Map<string, Severity>;
    personas: Set<string>;
    references: Set<string>;
  }
  const merged: Merging[] = [];
  const byFingerprint = new Map<string, number>();
  for (const f of findings) {
    const tree = trees.get(groupKey(f))!;
    const target = Math.min(byFingerprint.get(f.fingerprint) ?? Infinity, tree.query(f.range.startLine, f.range.endLine));
    const same = Number.isFinite(target) ? merged[target] : undefined;
    if (!same) {
      const copy: Finding = { ...f, personaIds: [...f.personaIds], references: [...f.references] };
      const index = merged.length;
      merged.push({
        finding: copy,
        severities: new Map(f.personaIds.map((p) => [p, f.severity])),
        personas: new Set(copy.personaIds),
        references: new Set(copy.references),
      });
      if (!byFingerprint.has(f.fingerprint)) byFingerprint.set(f.fingerprint, index);
      tree.lowerTo(f.range.startLine, f.range.endLine, index);
      continue;
    }
    const m = same.finding;
    for (const p of f.personaIds) {
      if (!same.personas.has(p)) {
        same.personas.add(p);
        m.personaIds.push(p);
      }
      if (!same.severities.has(p)) same.severities.set(p, f.severity);
    }
    if (severityRank(f.severity) > severityRank(m.severity)) {
      m.severity = f.severity;
      m.title = f.title;
      m.message = f.message;
    }
    m.confidence = Math.max(m.confidence, f.confidence);
    for (const r of f.references) {
      if (!same.references.has(r)) {
        same.references.add(r);
        m.references.push(r);
      }
    }
    m.suggestion ??= f.suggestion;
    m.ruleId ??= f.ruleId;
  }
  const out = merged.map(({ finding, severities }) => {
    if (new Set(severities.values()).size > 1) finding.severityByPersona = Object.fromEntries(severities);
    return finding;
  });
  out.sort(compareFindings);
  out.forEach((m, i) => (m.id = `F${i + 1}`));
  return out;
}

/** Sort order of findings: severity (critical first), then file path, then start line. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine;
}
