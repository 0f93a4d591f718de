/**
 * The committed suppressions file, `.persona-review/suppressions.yaml`: findings the team accepted, each
 * keyed by its fingerprint (core/merge.ts `fingerprint`), with a written reason, who accepted it and when.
 *
 * ```yaml
 * version: 1
 * suppressions:
 *   - fingerprint: 9f1c2b7a4e0d3c5b8a6f1e2d3c4b5a69   # Finding.fingerprint (32 hex characters)
 *     rule: security/sql-injection                    # Finding.ruleId, else its category
 *     file: src/db.js                                 # workspace-relative, forward slashes
 *     quote: db.query("SELECT * FROM t WHERE id = " + id)
 *     reason: id is parsed as an integer by the router before it gets here
 *     author: Jane Doe <jane@example.com>             # git user.name <user.email>
 *     date: 2025-01-10                                # when it was accepted (YYYY-MM-DD or ISO 8601)
 *     expires: 2025-06-30                             # optional: from the day after, the finding comes back
 * ```
 *
 * A malformed file never stops a review: {@link parseSuppressionsFile} keeps every valid entry and returns
 * one error per problem naming the 1-based line and the field. Writes go through the YAML document model
 * (`yaml` package), so comments and the order of existing entries survive an added or removed entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML, { isMap, isSeq, LineCounter, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { withFileLock } from '../teamFiles';

/** Version of the file format; a file with a higher version is read as far as it is understood. */
export const SUPPRESSIONS_FILE_VERSION = 1 as const;

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A required text field: a missing one says "missing: <help>", an empty one says <help>. */
function text(help: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `missing: ${help}` : help) })
    .trim()
    .min(1, help);
}

/** Schema of one entry (zod). Unknown keys are kept out of the parsed value but are not errors. */
export const suppressionEntrySchema = z.object({
  fingerprint: text('expected the finding fingerprint: 16 to 64 lower-case hex characters, as in a JSON report').pipe(
    z.string().regex(/^[0-9a-f]{16,64}$/, 'expected the finding fingerprint: 16 to 64 lower-case hex characters, as in a JSON report'),
  ),
  rule: text('expected the rule id or category of the finding (e.g. security/sql-injection)'),
  file: text('expected the workspace-relative path of the file (e.g. src/db.js)'),
  quote: z.string().default(''),
  reason: text('expected a reason: why the team accepts this finding'),
  author: text('expected who accepted it (git user: Name <email>)'),
  date: text('expected a date such as 2025-01-31').pipe(z.string().regex(DATE, 'expected a date such as 2025-01-31')),
  expires: z.string().regex(DATE, 'expected a date such as 2025-12-31').optional(),
});

/** One entry of the suppressions file. Dates are `YYYY-MM-DD` or ISO 8601 strings. */
export type SuppressionEntry = z.infer<typeof suppressionEntrySchema>;

/** A problem in the file: 1-based `line` (0 when unknown), the `field` (`suppressions[2].reason`) and what was expected. */
export interface SuppressionsFileError {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** What {@link parseSuppressionsFile} returns: the valid entries (with their 1-based line) and the errors. */
export interface SuppressionsFile {
  path: string;
  entries: Array<SuppressionEntry & { line: number }>;
  errors: SuppressionsFileError[];
}

/** One error as a line for a terminal or a log: `file:line: field: message`. */
export function formatSuppressionsError(e: SuppressionsFileError): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

function fieldPath(base: Array<string | number>, rest: PropertyKey[]): string {
  let out = '';
  for (const p of [...base, ...rest]) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/**
 * Parses the text of a suppressions file. Never throws: YAML syntax errors, a wrong top-level shape and
 * invalid entries become {@link SuppressionsFileError}s; valid entries are kept. `file` is used in errors only.
 * A date-only `expires` means the suppression holds through that day (UTC).
 */
export function parseSuppressionsFile(text: string, file: string): SuppressionsFile {
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const lineOf = (node: YamlNode | null | undefined): number => (node?.range ? lc.linePos(node.range[0]).line : 0);
  const out: SuppressionsFile = { path: file, entries: [], errors: [] };
  for (const e of doc.errors) out.errors.push({ file, line: e.linePos?.[0]?.line ?? 0, field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` });
  if (doc.errors.length && !doc.contents) return out;
  const root = doc.contents;
  if (root === null || root === undefined) return out; // an empty file: no suppressions
  if (!isMap(root)) {
    out.errors.push({ file, line: lineOf(root as YamlNode), field: '', message: 'expected a mapping with `version: 1` and a `suppressions:` list' });
    return out;
  }
  const version: unknown = root.toJSON().version;
  if (version !== undefined && version !== SUPPRESSIONS_FILE_VERSION) {
    out.errors.push({ file, line: lineOf(root.get('version', true) as YamlNode), field: 'version', message: `expected version ${SUPPRESSIONS_FILE_VERSION}; entries are read as version ${SUPPRESSIONS_FILE_VERSION}` });
  }
  const list = root.get('suppressions', true) as YamlNode | undefined;
  if (list === undefined || list === null || (YAML.isScalar(list) && list.value === null)) return out;
  if (!isSeq(list)) {
    out.errors.push({ file, line: lineOf(list), field: 'suppressions', message: 'expected a list of entries (each starting with "- fingerprint: ...")' });
    return out;
  }
  list.items.forEach((item, i) => {
    const node = item as YamlNode;
    const line = lineOf(node);
    const value = YAML.isNode(node) ? node.toJSON() : node;
    const r = suppressionEntrySchema.safeParse(normaliseScalars(value));
    if (r.success) {
      out.entries.push({ ...r.data, line });
      return;
    }
    for (const issue of r.error.issues) {
      const at = isMap(node) && issue.path.length ? (node.getIn(issue.path as Array<string | number>, true) as YamlNode | undefined) : undefined;
      const key = isMap(node) && issue.path.length ? node.items.find((p) => YAML.isScalar(p.key) && p.key.value === issue.path[0])?.key : undefined;
      out.errors.push({
        file,
        line: lineOf(at) || lineOf(key as YamlNode | undefined) || line,
        field: fieldPath(['suppressions', i], issue.path),
        message: issue.message,
      });
    }
  });
  return out;
}

/** YAML may give numbers or dates for unquoted scalars: read fingerprints and dates as the text they were. */
function normaliseScalars(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = { ...(v as Record<string, unknown>) };
  for (const k of ['fingerprint', 'date', 'expires', 'rule', 'file', 'quote', 'reason', 'author']) {
    const x = o[k];
    if (typeof x === 'number') o[k] = String(x);
    else if (x instanceof Date) o[k] = x.toISOString().slice(0, 10);
  }
  return o;
}

/**
 * Reads and parses the suppressions file at `file` (absolute). A missing file is an empty, valid file.
 * Never throws: an unreadable file is one error.
 */
export function readSuppressionsFile(file: string): SuppressionsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path: file, entries: [], errors: [] };
    return { path: file, entries: [], errors: [{ file, line: 0, field: '', message: `cannot be read (${code ?? (e as Error).message})` }] };
  }
  return parseSuppressionsFile(text, file);
}

/** True when `entry` has expired on `now` (its `expires` day has ended, UTC). */
export function isExpired(entry: Pick<SuppressionEntry, 'expires'>, now: Date = new Date()): boolean {
  if (!entry.expires) return false;
  const day = entry.expires.slice(0, 10);
  const limit = entry.expires.length > 10 ? new Date(entry.expires) : new Date(`${day}T23:59:59.999Z`);
  return Number.isFinite(limit.getTime()) && now.getTime() > limit.getTime();
}

const HEADER =
  '# Persona Review suppressions: findings the team accepted, with the reason (README, "Suppressions").\n' +
  '# Keyed by finding fingerprint. Remove an entry to bring its finding back; `persona-review suppressions prune`\n' +
  '# lists entries whose finding no longer exists.\n';

function loadDocument(file: string): Document {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (!text.trim()) text = `${HEADER}version: ${SUPPRESSIONS_FILE_VERSION}\nsuppressions: []\n`;
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) throw new Error(`${file} has YAML errors; fix them before adding entries: ${formatSuppressionsError({ file, line: doc.errors[0]!.linePos?.[0]?.line ?? 0, field: '', message: doc.errors[0]!.message.split('\n')[0]! })}`);
  const lineOf = (node: unknown): number => {
    const range = (node as YamlNode | null | undefined)?.range;
    return range ? lc.linePos(range[0]).line : 0;
  };
  if (!isMap(doc.contents)) {
    throw new Error(`${formatSuppressionsError({ file, line: lineOf(doc.contents), field: '', message: 'expected a mapping with `version: 1` and a `suppressions:` list' })}; fix it before adding entries (the file was not changed)`);
  }
  const list = doc.get('suppressions', true);
  // Only a missing or empty list is created: anything else is the team's text and is never overwritten.
  if (list === undefined || list === null || (YAML.isScalar(list) && (list.value === null || list.value === ''))) doc.set('suppressions', doc.createNode([]));
  else if (!isSeq(list)) {
    throw new Error(`${formatSuppressionsError({ file, line: lineOf(list), field: 'suppressions', message: 'expected a list of entries (each starting with "- fingerprint: ...")' })}; fix it before adding entries (the file was not changed)`);
  }
  return doc;
}

function writeDocument(file: string, doc: Document): void {
  const list = doc.get('suppressions', true);
  if (isSeq(list)) list.flow = false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, doc.toString({ lineWidth: 0 }));
  fs.renameSync(tmp, file);
}

/**
 * Appends `entries` to the suppressions file at `file` (created with a header when missing), under a
 * lock so two writers cannot lose each other's entries. An entry whose fingerprint is already in the
 * file replaces that entry. Validates each entry first. Throws Error with a message when an entry is
 * invalid, the file has YAML syntax errors, or its top level or its `suppressions` key is not the expected
 * mapping or list (the message names the file, the 1-based line and the field; the file is not rewritten then).
 * Entries of the file that are themselves invalid are kept as they are.
 */
export async function addSuppressions(file: string, entries: SuppressionEntry[]): Promise<void> {
  const valid = entries.map((e) => {
    const r = suppressionEntrySchema.safeParse(e);
    if (!r.success) throw new Error(`invalid suppression for ${e.file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  });
  await withFileLock(file, () => {
    const doc = loadDocument(file);
    const list = doc.get('suppressions', true);
    if (!isSeq(list)) throw new Error(`${file}: expected a \`suppressions:\` list`);
    for (const e of valid) {
      const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined && v !== ''));
      const at = list.items.findIndex((it) => isMap(it) && it.get('fingerprint') === e.fingerprint);
      const node = doc.createNode(clean);
      if (at >= 0) list.items[at] = node;
      else list.items.push(node);
    }
    writeDocument(file, doc);
  });
}

/**
 * Removes the entries with these fingerprints from the suppressions file (under the lock). Returns how
 * many were removed. A missing file removes nothing. Throws Error as {@link addSuppressions} does for a malformed file.
 */
export async function removeSuppressions(file: string, fingerprints: Iterable<string>): Promise<number> {
  const drop = new Set(fingerprints);
  if (!fs.existsSync(file)) return 0;
  return withFileLock(file, () => {
    const doc = loadDocument(file);
    const list = doc.get('suppressions', true);
    if (!isSeq(list)) return 0;
    const before = list.items.length;
    list.items = list.items.filter((it) => !(isMap(it) && drop.has(String(it.get('fingerprint')))));
    const removed = before - list.items.length;
    if (removed) writeDocument(file, doc);
    return removed;
  });
}
