/**
 * Validation of findings with zod: the one Finding schema of DESIGN.md (the {@link Finding} type is derived
 * from it, so the shape is written once), and the draft schema a provider's output is checked against
 * before anchoring.
 *
 * A model's draft is read leniently where that loses nothing: the required fields (`file`, `quote`,
 * `severity`, `category`, `title`) must be usable or the draft is rejected with the reason; optional hints
 * that are wrong (`line` 0 or 9.5, `confidence` "high", ...) are dropped from the draft, or read in the one
 * way they can mean (`"9-10"` as lines 9 to 10, `confidence` 90 as 0.9, `references` as one string, a
 * `suggestion` given as plain text), and each such repair is described in {@link DraftParse.notes}.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from './severity';

/** Highest line number accepted as a hint (a larger one is dropped as implausible: 1e20, 2**53). */
export const MAX_LINE_HINT = 10_000_000;
/** Longest category slug kept, in characters. */
export const MAX_CATEGORY_LENGTH = 64;
/** Category used when a model's category has no letter or digit in any script (e.g. `"!!!"`). */
export const FALLBACK_CATEGORY = 'general';

/**
 * Words models use for a severity that are not one of {@link SEVERITIES}, each mapped to the level of the
 * shared scale it means (mapping announced in a note). `warning` and `moderate` are the SARIF/CVSS-style
 * middle; `error`/`major`/`serious` the upper; `info`/`note`/`nit` the lowest.
 */
export const SEVERITY_SYNONYMS: Readonly<Record<string, Severity>> = {
  blocker: 'critical',
  fatal: 'critical',
  severe: 'high',
  serious: 'high',
  major: 'high',
  important: 'high',
  error: 'high',
  moderate: 'medium',
  medium: 'medium',
  med: 'medium',
  warning: 'medium',
  warn: 'medium',
  minor: 'low',
  trivial: 'low',
  info: 'low',
  informational: 'low',
  information: 'low',
  note: 'low',
  nit: 'low',
  suggestion: 'low',
};

/**
 * A category as a slug in any script: NFKC-normalised, lower-cased, every run of characters that are not
 * letters, digits or combining marks (Unicode `\p{L}`, `\p{N}`, `\p{M}`) turned into one `-`, trimmed to
 * {@link MAX_CATEGORY_LENGTH}. `"SQL Injection"` → `sql-injection`, `"セキュリティ"` → `セキュリティ`,
 * `"Injection SQL (CWE-89)"` → `injection-sql-cwe-89`. Returns `''` when nothing is left.
 */
export function slugCategory(s: string): string {
  const slug = s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return [...slug].slice(0, MAX_CATEGORY_LENGTH).join('').replace(/-+$/, '');
}

/** A line hint in any form a model writes it, or undefined with the reason it cannot be used. */
function readLine(v: unknown): { line?: number; end?: number; bad?: string } {
  if (v === undefined || v === null || v === '') return {};
  let n: number | undefined;
  let end: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^\s*L?(\d+)\s*(?:(?:-|–|\.\.|:|to)\s*L?(\d+))?\s*$/i.exec(v);
    if (m) {
      n = Number(m[1]);
      if (m[2] !== undefined) end = Number(m[2]);
    }
  }
  const ok = (x: number | undefined) => x !== undefined && Number.isSafeInteger(x) && x >= 1 && x <= MAX_LINE_HINT;
  if (!ok(n)) return { bad: JSON.stringify(v)?.slice(0, 40) ?? String(v) };
  return { line: n, end: ok(end) && end! >= n! ? end : undefined };
}

/** A confidence in 0..1 from a number or numeric string (a percentage above 1 and up to 100 is divided by 100). */
function readConfidence(v: unknown): number | undefined {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
    if (m) n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  }
  if (n === undefined || !Number.isFinite(n) || n < 0) return undefined;
  if (n > 1 && n <= 100) n = n / 100;
  return n <= 1 ? n : undefined;
}

/**
 * Reads the optional hints of a raw draft object: returns a copy with each hint repaired or removed, and a
 * note per change. Required fields are left as they are (the schema judges them).
 */
function repairHints(raw: Record<string, unknown>): { value: Record<string, unknown>; notes: string[] } {
  const value: Record<string, unknown> = { ...raw };
  const notes: string[] = [];
  const start = readLine(raw['line']);
  if (start.bad !== undefined) {
    notes.push(`line ${start.bad} ignored (not a line number)`);
    delete value['line'];
  } else if (start.line !== undefined) value['line'] = start.line;
  const end = readLine(raw['endLine']);
  if (end.bad !== undefined) {
    notes.push(`endLine ${end.bad} ignored (not a line number)`);
    delete value['endLine'];
  } else if (end.line !== undefined) value['endLine'] = end.line;
  else if (start.end !== undefined) value['endLine'] = start.end;
  if (typeof value['line'] === 'number' && typeof value['endLine'] === 'number' && value['endLine'] < value['line']) {
    notes.push(`endLine ${value['endLine']} before line ${value['line']} ignored`);
    delete value['endLine'];
  }

  if (raw['confidence'] !== undefined && raw['confidence'] !== null) {
    const c = readConfidence(raw['confidence']);
    if (c === undefined) {
      notes.push(`confidence ${JSON.stringify(raw['confidence'])?.slice(0, 40)} ignored (expected 0 to 1)`);
      delete value['confidence'];
    } else value['confidence'] = c;
  } else delete value['confidence'];

  const refs = raw['references'];
  if (typeof refs === 'string') {
    value['references'] = refs.split(/[,;\n]/).map((r) => r.trim()).filter(Boolean);
  } else if (Array.isArray(refs)) {
    const strings = refs.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim());
    if (strings.length < refs.length) notes.push(`${refs.length - strings.length} reference(s) that were not text ignored`);
    value['references'] = strings;
  } else if (refs !== undefined && refs !== null) {
    notes.push('references ignored (expected a list of identifiers)');
    delete value['references'];
  } else delete value['references'];

  const sug = raw['suggestion'];
  if (typeof sug === 'string') value['suggestion'] = sug.trim() ? { description: sug } : undefined;
  else if (sug && typeof sug === 'object' && !Array.isArray(sug)) {
    const s = sug as Record<string, unknown>;
    const description = typeof s['description'] === 'string' ? s['description'] : '';
    const replacement = typeof s['replacement'] === 'string' ? s['replacement'] : undefined;
    if (s['replacement'] !== undefined && replacement === undefined) notes.push('suggestion.replacement ignored (not text)');
    value['suggestion'] = replacement === undefined && !description ? undefined : { description, ...(replacement !== undefined ? { replacement } : {}) };
  } else if (sug !== undefined && sug !== null) {
    notes.push('suggestion ignored (expected an object with description and replacement)');
    delete value['suggestion'];
  } else delete value['suggestion'];
  if (value['suggestion'] === undefined) delete value['suggestion'];

  if (typeof raw['message'] !== 'string' && raw['message'] !== undefined && raw['message'] !== null) {
    notes.push('message ignored (not text)');
    delete value['message'];
  }
  if (raw['ruleId'] !== undefined && typeof raw['ruleId'] !== 'string') delete value['ruleId'];

  const sev = raw['severity'];
  if (typeof sev === 'string') {
    const s = sev.trim().toLowerCase();
    const mapped = (SEVERITIES as readonly string[]).includes(s) ? s : SEVERITY_SYNONYMS[s];
    if (mapped) {
      if (mapped !== s) notes.push(`severity "${sev.slice(0, 20)}" read as ${mapped}`);
      value['severity'] = mapped;
    }
  }
  if (typeof raw['category'] === 'string') {
    const slug = slugCategory(raw['category']);
    if (slug === '' && raw['category'].trim() !== '') {
      notes.push(`category ${JSON.stringify(raw['category'].slice(0, 40))} has no letter or digit: filed as ${FALLBACK_CATEGORY}`);
    }
    value['category'] = slug || (raw['category'].trim() !== '' ? FALLBACK_CATEGORY : '');
  }
  return { value, notes };
}

/** Schema of a finding draft after its hints were repaired (JSON in a ```finding block for models). */
export const findingDraftSchema = z.object({
  /** Workspace-relative path, as shown to the provider. */
  file: z.string().min(1, 'file is required: the workspace-relative path of the reviewed file'),
  /** 1-based first line (a hint; anchoring searches for `quote`). */
  line: z.number().int().positive().optional(),
  /** 1-based last line (a hint). */
  endLine: z.number().int().positive().optional(),
  quote: z.string().min(1, 'quote is required: the exact code the finding is about'),
  severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join('|')}` }),
  /** Short slug (`sql-injection`, `missing-timeout`, `n-plus-one`), any script. */
  category: z.string().min(1, 'category is required: a short kebab-case label'),
  /** Rule id when a rule produced it (offline provider), e.g. `security/sql-injection`. */
  ruleId: z.string().optional(),
  title: z.string().trim().min(1, 'title is required'),
  /** Markdown. */
  message: z.string().default(''),
  suggestion: z.object({ replacement: z.string().optional(), description: z.string().default('') }).optional(),
  /** E.g. `OWASP A03:2021`, `CWE-89`. */
  references: z.array(z.string()).default([]),
  /** 0..1. */
  confidence: z.number().min(0).max(1).optional(),
});

/**
 * A finding as a provider proposes it, before anchoring: the output of {@link findingDraftSchema}.
 * `line`/`endLine` are 1-based hints; `quote` is what anchoring looks for.
 */
export type FindingDraft = Omit<z.output<typeof findingDraftSchema>, 'references' | 'message'> & {
  references?: string[];
  message: string;
};

/**
 * Result of {@link parseFindingDraft}: the draft with `notes` (one per hint repaired or dropped, e.g.
 * `severity "moderate" read as medium`; empty when the draft was clean), or a one-line reason naming the
 * fields that were wrong.
 */
export type DraftParse = { ok: true; draft: FindingDraft; notes: string[] } | { ok: false; error: string };

/**
 * Validates an unknown value (parsed JSON) as a finding draft, repairing optional hints first (see the
 * module comment). Never throws; on failure returns `error` like `severity: expected one of critical|high|medium|low`.
 * Idempotent: a draft it returned parses again to the same draft with no notes.
 */
export function parseFindingDraft(value: unknown): DraftParse {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: '(root): expected a JSON object' };
  const { value: repaired, notes } = repairHints(value as Record<string, unknown>);
  const r = findingDraftSchema.safeParse(repaired);
  if (r.success) return { ok: true, draft: r.data as FindingDraft, notes };
  const error = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, error };
}

const rangeSchema = z.object({
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  /** 1-based UTF-16 column of the quote's first character; absent for whole lines. */
  startColumn: z.number().int().positive().optional(),
  /** 1-based UTF-16 column one past the quote's last character (exclusive); absent for whole lines. */
  endColumn: z.number().int().positive().optional(),
});

/**
 * Schema of a final Finding (DESIGN.md, "Finding schema"): used to validate JSON output and imported
 * results, and the source of the {@link Finding} type.
 */
export const findingSchema = z.object({
  /** Unique within one review result (`F1`, `F2`, ...). */
  id: z.string(),
  /** Personas that reported it (several when they agree), in the order they reported it. */
  personaIds: z.array(z.string()).min(1),
  /** Workspace-relative, forward slashes. */
  file: z.string(),
  /**
   * 1-based inclusive lines; columns (when the quote is part of a line) are 1-based UTF-16 code units,
   * `endColumn` exclusive (one past the last character), as SARIF regions and LSP ranges. Without columns
   * the range is whole lines. `suggestion.replacement` replaces exactly this range.
   */
  range: rangeSchema,
  /** The exact code the finding is about, as found in the file at `range`. */
  quote: z.string(),
  severity: z.enum(SEVERITIES),
  /** Short slug (`sql-injection`), any script. */
  category: z.string(),
  /** Rule id when a rule produced it (offline provider), e.g. `security/sql-injection`. */
  ruleId: z.string().optional(),
  title: z.string(),
  /** Markdown (untrusted when a model wrote it: render through `markdownSafety`). */
  message: z.string(),
  suggestion: z.object({ replacement: z.string().optional(), description: z.string() }).optional(),
  /** E.g. `OWASP A03:2021`, `CWE-89`. */
  references: z.array(z.string()),
  /** 0..1. */
  confidence: z.number().min(0).max(1),
  /** Stable across runs and line shifts: a hash of file, category and the whitespace-normalised quote. */
  fingerprint: z.string(),
  /** When personas that agree gave different severities: each persona's own severity. */
  severityByPersona: z.record(z.string(), z.enum(SEVERITIES)).optional(),
});

/** The Finding schema of DESIGN.md, after anchoring and merge (derived from {@link findingSchema}). */
export type Finding = z.infer<typeof findingSchema>;
