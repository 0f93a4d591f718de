/**
 * Baselines: the findings a codebase had when the team adopted the tool, recorded by fingerprint, so a
 * review reports only what is new (`persona-review baseline`, then `review --baseline <file>`).
 *
 * File format (JSON, `.persona-review/baseline.json` by default; entries sorted by file, line, rule so a
 * regenerated baseline diffs cleanly):
 * ```json
 * {
 *   "version": 1,
 *   "tool": { "name": "Persona Review", "version": "0.1.0" },
 *   "createdAt": "2025-01-10T09:30:00.000Z",
 *   "createdBy": "Jane Doe <jane@example.com>",
 *   "commit": "3f1e…" | null,
 *   "provider": "offline",
 *   "model": null,
 *   "personas": ["security", "sre"],
 *   "findings": [
 *     { "fingerprint": "9f1c…", "rule": "security/sql-injection", "category": "sql-injection",
 *       "severity": "high", "file": "src/db.js", "line": 12, "title": "…", "quote": "…",
 *       "personas": ["security"] }
 *   ]
 * }
 * ```
 * Fingerprints (core/merge.ts) hash the file path, category and whitespace-normalised quote with its
 * occurrence index, never the line, so a baseline survives line shifts and edits elsewhere in the file;
 * `line` is informational.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { SEVERITIES, type BaselineEntry, type Finding, type Severity } from './types';

/** Version of the baseline format. */
export const BASELINE_VERSION = 1 as const;

const entrySchema: z.ZodType<BaselineEntry, unknown> = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/, 'expected a finding fingerprint (hex)'),
  rule: z.string().min(1),
  category: z.string().min(1),
  severity: z.enum(SEVERITIES),
  file: z.string().min(1),
  line: z.number().int().positive(),
  title: z.string().default(''),
  quote: z.string().default(''),
  personas: z.array(z.string()).default([]),
});

export type { BaselineEntry };

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION, { message: `expected "version": ${BASELINE_VERSION}` }),
  tool: z.object({ name: z.string(), version: z.string() }).optional(),
  createdAt: z.string().optional(),
  createdBy: z.string().optional(),
  commit: z.string().nullable().optional(),
  provider: z.string().optional(),
  model: z.string().nullable().optional(),
  personas: z.array(z.string()).default([]),
  findings: z.array(z.unknown()),
});

/** A baseline as read or built. */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool?: { name: string; version: string };
  createdAt?: string;
  createdBy?: string;
  commit?: string | null;
  provider?: string;
  model?: string | null;
  personas: string[];
  findings: BaselineEntry[];
}

/** Thrown when a baseline file cannot be used at all (unreadable, not JSON, wrong shape); the message says what to do. */
export class BaselineError extends Error {}

/** A baseline entry for a finding. */
export function baselineEntry(f: Finding): BaselineEntry {
  return {
    fingerprint: f.fingerprint,
    rule: f.ruleId ?? f.category,
    category: f.category,
    severity: f.severity as Severity,
    file: f.file,
    line: f.range.startLine,
    title: f.title,
    quote: f.quote,
    personas: [...f.personaIds],
  };
}

/**
 * Builds a baseline from findings (active, suppressed and baselined alike: everything that exists now).
 * Duplicated fingerprints are kept once. Entries are sorted by file, line, rule.
 */
export function createBaseline(findings: readonly Finding[], meta: Omit<Baseline, 'version' | 'findings'>): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push(baselineEntry(f));
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  return { version: BASELINE_VERSION, ...meta, findings: entries };
}

/** The baseline as text: two-space indented JSON with a trailing newline. */
export function serializeBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

/**
 * Parses baseline text. Invalid entries are skipped and listed in `errors` (`findings[3].severity: ...`);
 * throws {@link BaselineError} when the text is not JSON or not a baseline at all.
 */
export function parseBaseline(text: string, file: string): { baseline: Baseline; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file} is not valid JSON (${(e as Error).message}); regenerate it with \`persona-review baseline -o ${file}\``);
  }
  const top = baselineSchema.safeParse(raw);
  if (!top.success) {
    const why = top.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BaselineError(`${file} is not a Persona Review baseline (${why}); regenerate it with \`persona-review baseline -o ${file}\``);
  }
  const errors: string[] = [];
  const findings: BaselineEntry[] = [];
  top.data.findings.forEach((f, i) => {
    const r = entrySchema.safeParse(f);
    if (r.success) findings.push(r.data);
    else errors.push(`${file}: findings[${i}]: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  });
  const { findings: _raw, ...meta } = top.data;
  return { baseline: { ...meta, version: BASELINE_VERSION, findings }, errors };
}

/** Reads a baseline file (absolute or relative to the process). Throws {@link BaselineError} when it is missing or unusable. */
export function readBaseline(file: string): { baseline: Baseline; errors: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(
      code === 'ENOENT'
        ? `no baseline at ${file}; create one with \`persona-review baseline -o ${file}\``
        : `cannot read the baseline ${file} (${code ?? (e as Error).message})`,
    );
  }
  return parseBaseline(text, file);
}

/** Writes a baseline atomically (temporary file + rename), creating the folder. Throws the file system's error. */
export function writeBaseline(file: string, b: Baseline): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, serializeBaseline(b));
  fs.renameSync(tmp, file);
}
