/**
 * Reading the benchmark's own data files: truth files of the vulnerable apps (bench/quality/truth/*.yaml)
 * and labels files (bench/quality/labels/*.yaml). Formats are described in bench/quality/README.md.
 * Both are validated with zod; a bad entry is reported with the file and the entry's index and skipped,
 * so one typo does not lose the rest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { defaultGroup, normaliseQuote, type Label, type TruthEntry } from './score';
import { QUALITY_DIR } from './corpora';

const truthEntrySchema = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  /** `[start, end]` 1-based inclusive, or one line number. */
  lines: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]),
  cwe: z.number().int().positive(),
  group: z.string().optional(),
  reason: z.string().min(1),
  documented: z.string().min(1),
});

const truthFileSchema = z.object({
  corpus: z.string(),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  entries: z.array(z.unknown()),
});

const verdictSchema = z.union([z.enum(['true', 'debatable', 'false']), z.boolean()]).transform((v) => String(v) as 'true' | 'debatable' | 'false');

const labelSchema = z.object({
  rule: z.string().min(1),
  file: z.string().min(1),
  quote: z.string().min(1),
  line: z.number().int().positive().optional(),
  verdict: verdictSchema,
  reason: z.string().min(1),
});

const labelsFileSchema = z.object({ corpus: z.string(), labels: z.array(z.unknown()).nullable().default([]) });

/** A loaded data file: what was valid, and one message per entry that was not. */
export interface Loaded<T> {
  items: T[];
  problems: string[];
}

/** Path of a corpus's truth file. */
export function truthPath(corpus: string): string {
  return path.join(QUALITY_DIR, 'truth', `${corpus}.yaml`);
}

/** Path of a corpus's labels file. */
export function labelsPath(corpus: string): string {
  return path.join(QUALITY_DIR, 'labels', `${corpus}.yaml`);
}

/** YAML text to a value; a syntax error becomes a problem naming the file (and the value `undefined`). */
function safeYaml(text: string, file: string, problems: string[]): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    problems.push(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Parses a truth file's text (`file` is only used in messages). Entries' group defaults to the CWE family. */
export function parseTruth(text: string, file: string): Loaded<TruthEntry> & { commit?: string } {
  const problems: string[] = [];
  const doc = truthFileSchema.safeParse(safeYaml(text, file, problems));
  if (!doc.success) return { items: [], problems: problems.length ? problems : [`${file}: ${doc.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`] };
  const items: TruthEntry[] = [];
  const seen = new Set<string>();
  doc.data.entries.forEach((raw, i) => {
    const e = truthEntrySchema.safeParse(raw);
    if (!e.success) {
      problems.push(`${file}: entries[${i}]: ${e.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return;
    }
    const [startLine, endLine] = typeof e.data.lines === 'number' ? [e.data.lines, e.data.lines] : e.data.lines;
    if (endLine < startLine) return void problems.push(`${file}: entries[${i}] (${e.data.id}): lines end before they start`);
    if (seen.has(e.data.id)) return void problems.push(`${file}: entries[${i}]: duplicate id ${e.data.id}`);
    seen.add(e.data.id);
    items.push({ id: e.data.id, file: e.data.file, startLine, endLine, cwe: e.data.cwe, group: e.data.group ?? defaultGroup(e.data.cwe), reason: e.data.reason, documented: e.data.documented });
  });
  return { items, problems, commit: doc.data.commit };
}

/** Parses a labels file's text. Quotes are normalised (whitespace collapsed) on load. */
export function parseLabels(text: string, file: string): Loaded<Label> {
  const problems: string[] = [];
  const doc = labelsFileSchema.safeParse(safeYaml(text, file, problems) ?? {});
  if (!doc.success) return { items: [], problems: problems.length ? problems : [`${file}: ${doc.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`] };
  const items: Label[] = [];
  (doc.data.labels ?? []).forEach((raw, i) => {
    const l = labelSchema.safeParse(raw);
    if (!l.success) return void problems.push(`${file}: labels[${i}]: ${l.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    items.push({ ...l.data, quote: normaliseQuote(l.data.quote) });
  });
  return { items, problems };
}

/** Reads a corpus's truth file; an absent file gives no entries and no problem. */
export function readTruth(corpus: string): Loaded<TruthEntry> & { commit?: string } {
  const p = truthPath(corpus);
  return fs.existsSync(p) ? parseTruth(fs.readFileSync(p, 'utf8'), path.relative(process.cwd(), p)) : { items: [], problems: [] };
}

/** Reads a corpus's labels file; an absent file gives no labels and no problem. */
export function readLabels(corpus: string): Loaded<Label> {
  const p = labelsPath(corpus);
  return fs.existsSync(p) ? parseLabels(fs.readFileSync(p, 'utf8'), path.relative(process.cwd(), p)) : { items: [], problems: [] };
}

/**
 * YAML stubs for unlabeled findings, ready to paste under `labels:` of the corpus's labels file once
 * `verdict` and `reason` are filled in.
 */
export function labelStubs(findings: Array<{ ruleId: string; file: string; startLine: number; quote: string; message?: string }>): string {
  const stubs = findings.map((f) => ({ rule: f.ruleId, file: f.file, line: f.startLine, quote: normaliseQuote(f.quote).slice(0, 160), verdict: 'TODO (true | debatable | false)', reason: `TODO${f.message ? ` (finding: ${normaliseQuote(f.message).slice(0, 200)})` : ''}` }));
  return toYaml(stubs, { lineWidth: 0 });
}
