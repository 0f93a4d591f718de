/**
 * Matching and scoring for the review-quality benchmark (pure functions: no I/O, unit-tested in
 * test/unit/benchQuality.test.ts). The rules are written out in bench/quality/README.md ("Matching").
 *
 * Lines are 1-based and inclusive everywhere; files are corpus-relative with forward slashes.
 */
import { familyOf, findingMatchesCwe } from './cwe';

/** A finding from any tool (our providers or an anchor), reduced to what scoring needs. */
export interface BenchFinding {
  /** `offline`, `anthropic`, `eslint`, `bandit`. */
  tool: string;
  /** Rule id; anchors are prefixed with the tool (`eslint/security/detect-eval-with-expression`, `bandit/B608`). */
  ruleId: string;
  /** Personas that reported it (anchors: `security` for rules with a CWE, else `quality`). */
  personaIds: string[];
  /** Corpus-relative path, forward slashes. */
  file: string;
  startLine: number;
  endLine: number;
  /** CWE numbers the finding stands for (see `findingCwes`); empty for non-security findings. */
  cwes: number[];
  /** The quoted code (offline/anthropic: the anchored quote; anchors: the source line(s)). */
  quote: string;
  severity?: string;
  /** The finding's message (markdown), shown in label stubs to help the person judging it. */
  message?: string;
}

/** One known vulnerability (a truth entry) of a corpus. */
export interface TruthEntry {
  /** Unique within the corpus. */
  id: string;
  file: string;
  /** 1-based inclusive range in which a finding must overlap. */
  startLine: number;
  endLine: number;
  cwe: number;
  /** Grouping for the recall tables (securibench: its category folder; apps: the CWE family by default). */
  group: string;
  reason?: string;
  /** Where the vulnerability is documented. */
  documented?: string;
}

/** A judgement written down in a labels file, keyed by {@link labelKey}. */
export type Verdict = 'true' | 'debatable' | 'false';

/** A label: a reviewer's judgement of one finding. */
export interface Label {
  rule: string;
  file: string;
  /** The finding's quote (normalised on load with {@link normaliseQuote}). */
  quote: string;
  verdict: Verdict;
  reason: string;
  /** Where it was seen (hint for a human; never used for matching). */
  line?: number;
}

/** How a finding was judged. `unlabeled` findings count in no precision. */
export interface Judged {
  finding: BenchFinding;
  verdict: Verdict | 'unlabeled';
  /** `truth` (matched a truth entry), `label`, `unmatched` (complete-truth corpus, no match), or `none`. */
  by: 'truth' | 'label' | 'unmatched' | 'none';
  /** Truth entries this finding overlaps with a compatible CWE. */
  truthIds: string[];
  reason?: string;
}

/** True when the 1-based inclusive ranges [a1,a2] and [b1,b2] share a line. */
export function rangesOverlap(a1: number, a2: number, b1: number, b2: number): boolean {
  return a1 <= b2 && b1 <= a2;
}

/** A finding is a candidate for a truth entry when the file is the same, lines overlap and the CWE is compatible. */
export function isCandidate(f: BenchFinding, t: TruthEntry): boolean {
  return f.file === t.file && rangesOverlap(f.startLine, f.endLine, t.startLine, t.endLine) && findingMatchesCwe(f.cwes, t.cwe);
}

/** Result of {@link matchTruth}. */
export interface MatchResult {
  /** Truth id → index (into the findings array) of the one finding credited with finding it. */
  credited: Map<string, number>;
  /** Per finding (same order as the input): the truth ids it is a candidate for. */
  candidates: string[][];
}

/**
 * Matches findings to truth entries. Recall is one-to-one: each truth entry is credited to at most one
 * finding and each finding credits at most one entry (greedy, entries with the fewest candidates first,
 * then the candidate nearest the entry's first line), so one broad finding cannot "find" five
 * vulnerabilities. Precision is many-to-one: every finding that is a candidate of some entry is true.
 */
export function matchTruth(truth: readonly TruthEntry[], findings: readonly BenchFinding[]): MatchResult {
  const candidates: string[][] = findings.map(() => []);
  const byTruth = new Map<string, number[]>();
  const byFile = new Map<string, number[]>();
  findings.forEach((f, i) => {
    const list = byFile.get(f.file) ?? [];
    list.push(i);
    byFile.set(f.file, list);
  });
  for (const t of truth) {
    const c = (byFile.get(t.file) ?? []).filter((i) => isCandidate(findings[i]!, t));
    byTruth.set(t.id, c);
    for (const i of c) candidates[i]!.push(t.id);
  }
  const order = [...truth].sort((a, b) => byTruth.get(a.id)!.length - byTruth.get(b.id)!.length || a.id.localeCompare(b.id));
  const used = new Set<number>();
  const credited = new Map<string, number>();
  for (const t of order) {
    const free = byTruth.get(t.id)!.filter((i) => !used.has(i));
    if (!free.length) continue;
    free.sort((a, b) => Math.abs(findings[a]!.startLine - t.startLine) - Math.abs(findings[b]!.startLine - t.startLine) || a - b);
    used.add(free[0]!);
    credited.set(t.id, free[0]!);
  }
  return { credited, candidates };
}

/** Collapses whitespace runs to one space and trims; the form quotes are compared in. */
export function normaliseQuote(quote: string): string {
  return quote.replace(/\s+/g, ' ').trim();
}

/** Longest normalised quote kept in a label key: long quotes (whole functions) are compared on their start. */
export const LABEL_QUOTE_CHARS = 160;

/**
 * The key a label is found by: rule id, file and the normalised quote (first {@link LABEL_QUOTE_CHARS}
 * characters). It survives message rewording and line shifts; it changes when the rule quotes other code.
 */
export function labelKey(rule: string, file: string, quote: string): string {
  return `${rule}\u0000${file}\u0000${normaliseQuote(quote).slice(0, LABEL_QUOTE_CHARS)}`;
}

/** Options of {@link judge}. */
export interface JudgeOptions {
  /**
   * Findings for which the corpus's truth is complete: an unmatched, unlabeled finding for which this
   * returns true is judged `false` (securibench's handlers: every vulnerable line is marked).
   */
  truthIsComplete?: (f: BenchFinding) => boolean;
}

/**
 * True when a label's `file` is a pattern: it holds `*`, which matches any run of characters other than
 * `/` (`testcode/BenchmarkTest*.py`). One such label judges the same finding (same rule and quote) in every
 * file of a generated corpus whose files share a boilerplate.
 */
function isFilePattern(file: string): boolean {
  return file.includes('*');
}

function filePatternRegExp(file: string): RegExp {
  return new RegExp(`^${file.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

/**
 * Judges every finding: a candidate of a truth entry is `true`; otherwise its label decides (a label for its
 * exact file first, then one whose file is a pattern, see {@link isFilePattern}); otherwise it is `false`
 * where the truth is complete, else `unlabeled`.
 */
export function judge(findings: readonly BenchFinding[], truth: readonly TruthEntry[], labels: readonly Label[], options: JudgeOptions = {}): { judged: Judged[]; match: MatchResult } {
  const match = matchTruth(truth, findings);
  const byKey = new Map<string, Label>();
  const patterns: Array<{ label: Label; file: RegExp }> = [];
  for (const l of labels) {
    if (isFilePattern(l.file)) patterns.push({ label: l, file: filePatternRegExp(l.file) });
    else byKey.set(labelKey(l.rule, l.file, l.quote), l);
  }
  const byPattern = (finding: BenchFinding) =>
    patterns.find((p) => p.label.rule === finding.ruleId && p.file.test(finding.file) && labelKey('', '', p.label.quote) === labelKey('', '', finding.quote))?.label;
  const judged = findings.map((finding, i): Judged => {
    const truthIds = match.candidates[i]!;
    if (truthIds.length) return { finding, verdict: 'true', by: 'truth', truthIds };
    const label = byKey.get(labelKey(finding.ruleId, finding.file, finding.quote)) ?? byPattern(finding);
    if (label) return { finding, verdict: label.verdict, by: 'label', truthIds, reason: label.reason };
    if (options.truthIsComplete?.(finding)) return { finding, verdict: 'false', by: 'unmatched', truthIds, reason: 'not a known vulnerability of a corpus whose truth is complete' };
    return { finding, verdict: 'unlabeled', by: 'none', truthIds };
  });
  return { judged, match };
}

/** Counts of judged findings for one row of a table. */
export interface PrecisionRow {
  findings: number;
  true: number;
  debatable: number;
  false: number;
  unlabeled: number;
  /** true / (true + debatable + false); undefined when nothing is judged. */
  precision?: number;
  /** (true + debatable) / judged. */
  lenientPrecision?: number;
}

/** Sums judged findings into a {@link PrecisionRow}. */
export function precisionRow(judged: readonly Judged[]): PrecisionRow {
  const row: PrecisionRow = { findings: judged.length, true: 0, debatable: 0, false: 0, unlabeled: 0 };
  for (const j of judged) row[j.verdict]++;
  const n = row.true + row.debatable + row.false;
  if (n) {
    row.precision = row.true / n;
    row.lenientPrecision = (row.true + row.debatable) / n;
  }
  return row;
}

/** Groups judged findings by a key (rule, persona, tool); a finding with several personas counts once under each. */
export function groupJudged(judged: readonly Judged[], keyOf: (f: BenchFinding) => string | string[]): Map<string, Judged[]> {
  const out = new Map<string, Judged[]>();
  for (const j of judged) {
    const keys = keyOf(j.finding);
    for (const k of Array.isArray(keys) ? keys : [keys]) {
      const list = out.get(k) ?? [];
      list.push(j);
      out.set(k, list);
    }
  }
  return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

/** Recall of one group of truth entries. */
export interface RecallRow {
  group: string;
  total: number;
  found: number;
  recall: number;
}

/** Recall per truth group (and an `all` row last), from a {@link MatchResult}. */
export function recallByGroup(truth: readonly TruthEntry[], match: MatchResult): RecallRow[] {
  const groups = new Map<string, { total: number; found: number }>();
  const all = { total: 0, found: 0 };
  for (const t of truth) {
    const g = groups.get(t.group) ?? { total: 0, found: 0 };
    g.total++;
    all.total++;
    if (match.credited.has(t.id)) {
      g.found++;
      all.found++;
    }
    groups.set(t.group, g);
  }
  const rows = [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([group, g]) => ({ group, ...g, recall: g.total ? g.found / g.total : 0 }));
  rows.push({ group: 'all', ...all, recall: all.total ? all.found / all.total : 0 });
  return rows;
}

/** Default truth group of an entry: its CWE family name. */
export function defaultGroup(cwe: number): string {
  return familyOf(cwe).name;
}

/** One OWASP Benchmark test case (a row of expectedresults-*.csv). */
export interface OwaspCase {
  /** `BenchmarkTest00001`. */
  name: string;
  /** Corpus-relative path of the test case's source file. */
  file: string;
  /** OWASP Benchmark category (`sqli`, `xss`, `pathtraver`, ...). */
  category: string;
  /** True when the test case is a real vulnerability. */
  real: boolean;
  cwe: number;
}

/** The OWASP Benchmark's confusion matrix and score for one category. */
export interface OwaspRow {
  category: string;
  cwe: number;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  /** TP / (TP + FN). */
  tpr: number;
  /** FP / (FP + TN). */
  fpr: number;
  /** TPR − FPR: the OWASP Benchmark score (Youden's index), −1..1. */
  score: number;
}

/**
 * Parses an OWASP Benchmark expected-results CSV (`# header`, then `BenchmarkTest00001,pathtraver,true,22`).
 * `fileOf` maps a test name to its corpus-relative source path. Throws on a malformed data line, naming it.
 */
export function parseOwaspExpected(csv: string, fileOf: (name: string) => string): OwaspCase[] {
  const out: OwaspCase[] = [];
  csv.split(/\r?\n/).forEach((line, i) => {
    const s = line.trim();
    if (!s || s.startsWith('#')) return;
    const [name, category, real, cwe] = s.split(',').map((x) => x.trim());
    if (!name || !category || (real !== 'true' && real !== 'false') || !cwe || !/^\d+$/.test(cwe)) {
      throw new Error(`expected results line ${i + 1}: "${s}" is not "name,category,true|false,cwe"`);
    }
    out.push({ name, file: fileOf(name), category, real: real === 'true', cwe: Number(cwe) });
  });
  return out;
}

/**
 * Scores findings against OWASP Benchmark test cases, as the Benchmark's own scorer does: a test case is
 * flagged when the tool reports, in that test case's file, a finding whose CWE matches the case's CWE (here:
 * is in the same CWE family); lines do not matter. Returns one row per category (sorted) and an `average` row
 * (the Benchmark's overall score: the mean of the category scores).
 */
export function owaspScore(cases: readonly OwaspCase[], findings: readonly BenchFinding[]): OwaspRow[] {
  const byFile = new Map<string, BenchFinding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const rows = new Map<string, OwaspRow>();
  for (const c of cases) {
    const row = rows.get(c.category) ?? { category: c.category, cwe: c.cwe, tp: 0, fn: 0, fp: 0, tn: 0, tpr: 0, fpr: 0, score: 0 };
    const flagged = (byFile.get(c.file) ?? []).some((f) => findingMatchesCwe(f.cwes, c.cwe));
    if (c.real) row[flagged ? 'tp' : 'fn']++;
    else row[flagged ? 'fp' : 'tn']++;
    rows.set(c.category, row);
  }
  const out = [...rows.values()].sort((a, b) => a.category.localeCompare(b.category));
  for (const r of out) {
    r.tpr = r.tp + r.fn ? r.tp / (r.tp + r.fn) : 0;
    r.fpr = r.fp + r.tn ? r.fp / (r.fp + r.tn) : 0;
    r.score = r.tpr - r.fpr;
  }
  if (out.length) {
    const avg = (k: 'tpr' | 'fpr' | 'score') => out.reduce((s, r) => s + r[k], 0) / out.length;
    const sum = (k: 'tp' | 'fn' | 'fp' | 'tn') => out.reduce((s, r) => s + r[k], 0);
    out.push({ category: 'average', cwe: 0, tp: sum('tp'), fn: sum('fn'), fp: sum('fp'), tn: sum('tn'), tpr: avg('tpr'), fpr: avg('fpr'), score: avg('score') });
  }
  return out;
}

/**
 * Truth entries from `// BAD` / `/* BAD *\/` markers (securibench-micro.js): one entry per marked line, in
 * group `group` (the test's category folder). The CWE comes from the sink called on the marked line, which
 * is how Securibench Micro itself classes its cases: a SQL `query(` call → 89, a redirect → 601, an `fs.`
 * call → 22, anything else (`res.send`, `res.write`, `writer.write`) → 79 (reflected XSS).
 */
export function markerTruth(file: string, text: string, group: string): TruthEntry[] {
  const out: TruthEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!/(\/\/\s*BAD\b|\/\*\s*BAD\s*\*\/)/.test(line)) return;
    const code = line.replace(/\/\/.*$|\/\*.*?\*\//g, '');
    const cwe = /\.query\s*\(/.test(code) ? 89 : /[rR]edirect\s*\(/.test(code) ? 601 : /\bfs\.\w+\s*\(/.test(code) ? 22 : 79;
    out.push({ id: `${file}:${i + 1}`, file, startLine: i + 1, endLine: i + 1, cwe, group, reason: `marked BAD in the corpus (${code.trim()})`, documented: 'the BAD marker on the line' });
  });
  return out;
}

/**
 * The securibench-micro.js category of a corpus-relative file: its folder (`test-cases/aliasing/3.js` →
 * `aliasing`), the grouping of the corpus's own test suite. Used both for the truth entries' group and for
 * grouping findings when precision is printed per category, so the two always agree.
 */
export function markerGroup(file: string): string {
  return file.split('/').slice(-2, -1)[0] ?? '.';
}

/**
 * Precision rows per securibench category: the findings grouped by {@link markerGroup} of their file, with
 * an `all` row last (every finding, including those in folders without marked lines).
 */
export function precisionByMarkerGroup(judged: readonly Judged[]): Array<{ group: string } & PrecisionRow> {
  const rows = [...groupJudged(judged, (f) => markerGroup(f.file))].sort((a, b) => a[0].localeCompare(b[0])).map(([group, j]) => ({ group, ...precisionRow(j) }));
  rows.push({ group: 'all', ...precisionRow(judged) });
  return rows;
}

/**
 * Removes the truth markers (`// BAD`, `/* BAD *\/`, `// OK`, `/* OK *\/`) from source text, keeping every
 * line in place, so that no provider (a model above all) is shown the answer.
 */
export function stripMarkers(text: string): string {
  return text.replace(/[ \t]*(\/\/[ \t]*(BAD|OK)\b[^\n]*|\/\*[ \t]*(BAD|OK)[ \t]*\*\/)/g, '');
}

/** Formats a ratio as 0.00, or `–` when undefined. */
export function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || Number.isNaN(x)) return '–';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // no "-0.00"

}
