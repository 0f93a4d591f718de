/**
 * The audit ledger (seed 004, governance: "Which stories lack security review?", complete audit trails):
 * one JSON line per review, dismissal, suppression and workflow sign-off, appended to
 * `<root>/.persona-review/ledger.jsonl` (or a configured path), each line chained to the one before it.
 *
 * Line format (JSON, keys in this order; `hash` last):
 * ```json
 * {"v":1,"seq":12,"when":"2025-01-10T09:30:00.000Z","who":{"name":"Jane Doe","email":"jane@example.com"},
 *  "event":"review","commit":"3f1e…","data":{…},"prev":"<sha-256 of line 11>","hash":"<sha-256 of this line without hash>"}
 * ```
 * - `seq` counts lines from 1 with no gap; `prev` is the sha-256 (hex) of the previous line's exact text
 *   (null on line 1); `hash` is the sha-256 of the line's JSON without its `hash` key. A line edited in
 *   place breaks its own `hash` (or, when that was recomputed, the next line's `prev`); a deleted line
 *   leaves a gap in `seq`; the committed version (git HEAD) must be a prefix of the file, which catches
 *   edits and deletions of the last lines too. {@link verifyLedger} names the first bad line.
 * - `data` by event: `review` ({@link ReviewData}), `dismissal` and `suppression` ({@link DecisionData}),
 *   `sign-off` ({@link SignOffData}).
 * - Appends are serialised by a lock (teamFiles.ts `withFileLock`) around read-last-line + one `appendFile`
 *   (O_APPEND), so parallel writers (two reviews finishing at once, several processes) lose no line and
 *   keep the chain intact.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitIdentity, headCommit, ledgerPath, readAtRef, withFileLock, type GitIdentity } from './teamFiles';
import type { ReviewResult, Severity } from './types';

/** Version of the line format. */
export const LEDGER_VERSION = 1 as const;

/** What a review entry records. Paths are relative to the review root, with the sha-256 (hex) of the content reviewed. */
export interface ReviewData {
  /** `paths` (files and folders), `changes` (git: `working`, `staged` or `base`), `selection` (some lines of one file), `document` (an editor buffer). */
  scope: 'paths' | 'changes' | 'selection' | 'document';
  mode?: 'working' | 'staged' | 'base';
  base?: string;
  paths: Array<{ path: string; sha256: string }>;
  personas: string[];
  provider: string;
  model: string | null;
  findings: { bySeverity: Record<Severity, number>; fingerprints: string[] };
  suppressed: number;
  baselined: number;
  /** False when a persona did not finish (its review is incomplete). */
  complete: boolean;
  /** What ran it: `cli`, `language-server`, `workflow:<runId>`, ... */
  via?: string;
}

/** A dismissal (for me, or for the team) or a change to the suppressions file. */
export interface DecisionData {
  /** `add` / `remove` a suppression or dismissal; `prune` an entry whose finding is gone. */
  action: 'add' | 'remove' | 'prune';
  /** `me`: kept in one person's editor only; `team`: written to the suppressions file. */
  scope: 'me' | 'team';
  fingerprint: string;
  rule: string;
  file: string;
  severity?: Severity;
  reason?: string;
  expires?: string;
}

/** A workflow sign-off (core/workflowRun.ts). */
export interface SignOffData {
  runId: string;
  workflow: string;
  role: string;
  /** The run's status after the sign-off. */
  status?: string;
}

/** The events and their data. */
export type LedgerEvent =
  | { event: 'review'; data: ReviewData }
  | { event: 'dismissal'; data: DecisionData }
  | { event: 'suppression'; data: DecisionData }
  | { event: 'sign-off'; data: SignOffData };

/** One line of the ledger. `when` is ISO 8601 UTC; `commit` is git HEAD at the time (null outside git). */
export type LedgerEntry = {
  v: typeof LEDGER_VERSION;
  seq: number;
  when: string;
  who: GitIdentity;
  commit: string | null;
} & LedgerEvent & { prev: string | null; hash: string };

/** Thrown when the ledger cannot be appended to (damaged last line, unwritable file); the message says what to do. */
export class LedgerError extends Error {}

/** sha-256 hex of a string (UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The last non-empty line of `file`, read backwards in 64 KiB chunks; undefined for a missing or empty file. */
function lastLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    let end = size;
    let tail = Buffer.alloc(0);
    const chunk = 64 * 1024;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      tail = Buffer.concat([buf, tail]);
      end = start;
      const text = tail.toString('utf8').replace(/\n+$/, '');
      const nl = text.lastIndexOf('\n');
      if (nl >= 0 || end === 0) return text.slice(nl + 1) || undefined;
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Options of {@link appendLedger}. */
export interface AppendOptions {
  who: GitIdentity;
  commit?: string | null;
  /** Clock, for tests; default now. */
  now?: Date;
}

/**
 * Appends one entry to the ledger at `file` (created with its folder when missing), chained to the last
 * line, under the file lock. Returns the entry written. Throws {@link LedgerError} when the last line is
 * not a ledger line (damaged: run `persona-review audit verify`), or the lock or write fails.
 */
export async function appendLedger(file: string, event: LedgerEvent, opts: AppendOptions): Promise<LedgerEntry> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    return await withFileLock(file, () => {
      const last = lastLine(file);
      let seq = 1;
      let prev: string | null = null;
      if (last !== undefined) {
        let parsed: { seq?: unknown };
        try {
          parsed = JSON.parse(last) as { seq?: unknown };
        } catch {
          throw new LedgerError(`the last line of ${file} is not a ledger entry (a torn or edited write); run \`persona-review audit verify\` and repair it from version control`);
        }
        if (typeof parsed.seq !== 'number') throw new LedgerError(`the last line of ${file} has no sequence number; run \`persona-review audit verify\``);
        seq = parsed.seq + 1;
        prev = sha256(last);
      }
      const body = { v: LEDGER_VERSION, seq, when: (opts.now ?? new Date()).toISOString(), who: opts.who, commit: opts.commit ?? null, event: event.event, data: event.data, prev };
      const json = JSON.stringify(body);
      const entry = { ...body, hash: sha256(json) } as LedgerEntry;
      const line = `${JSON.stringify(entry)}\n`;
      // A file whose last line lacks its newline (written by hand) gets one first, so lines never merge.
      const needsNewline = last !== undefined && !fs.readFileSync(file, 'utf8').endsWith('\n');
      fs.appendFileSync(file, needsNewline ? `\n${line}` : line);
      return entry;
    });
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(`cannot append to the ledger ${file}: ${(e as Error).message}`);
  }
}

/**
 * Where the ledger of `root` is written, or undefined when it is off. The ledger is opt-in per repository:
 * `opts.ledger` (a `--ledger <file>` option), else `env.PERSONA_REVIEW_LEDGER` (`off`, `false`, `0` or `no`
 * turn it off), else `<root>/.persona-review/ledger.jsonl` when that file exists (`persona-review audit init`
 * creates it). `opts.noLedger` turns it off. Relative paths resolve against `root`. Never throws.
 */
export function resolveLedger(root: string, opts: { ledger?: string; noLedger?: boolean }, env: NodeJS.ProcessEnv): string | undefined {
  if (opts.noLedger) return undefined;
  if (opts.ledger) return path.resolve(root, opts.ledger);
  const fromEnv = env.PERSONA_REVIEW_LEDGER?.trim();
  if (fromEnv) return /^(off|false|0|no)$/i.test(fromEnv) ? undefined : path.resolve(root, fromEnv);
  const dflt = ledgerPath(root);
  return fs.existsSync(dflt) ? dflt : undefined;
}

/**
 * Appends `event` to the ledger `file` as the git user of `root` (core/teamFiles.ts `gitIdentity`) at its
 * current HEAD commit (null outside git). Returns the entry written. Throws {@link LedgerError} as
 * {@link appendLedger} does.
 */
export async function recordLedgerEvent(file: string, root: string, event: LedgerEvent): Promise<LedgerEntry> {
  const [who, commit] = await Promise.all([gitIdentity(root), headCommit(root)]);
  return appendLedger(file, event, { who, commit: commit ?? null });
}

/** A problem found by {@link verifyLedger}: the 1-based line and what is wrong. */
export interface LedgerProblem {
  line: number;
  message: string;
}

/** Result of {@link verifyLedger}: entries read, and problems in line order (the first is the first bad line). */
export interface LedgerVerification {
  file: string;
  entries: number;
  problems: LedgerProblem[];
  /** True when the committed version (git HEAD) was compared with. */
  comparedWithHead: boolean;
}

/**
 * Checks the chain of the ledger text: every line parses, carries the next `seq`, its own `hash` matches,
 * and its `prev` matches the line before. With `committed` (the file at git HEAD) also checks that the
 * committed lines are unchanged at the start of the file. Problems are sorted by line; the first names
 * the first bad line. Never throws.
 */
export function verifyLedgerText(text: string, file: string, committed?: string): LedgerVerification {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const problems: LedgerProblem[] = [];
  let expected = 1;
  let prevLine: string | undefined;
  lines.forEach((line, i) => {
    const n = i + 1;
    let e: Partial<LedgerEntry> & Record<string, unknown>;
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      problems.push({ line: n, message: 'not valid JSON: the line was edited or cut' });
      prevLine = line;
      expected++;
      return;
    }
    const { hash, ...rest } = e;
    if (typeof hash !== 'string' || sha256(JSON.stringify(rest)) !== hash) {
      problems.push({ line: n, message: 'edited after it was written: its content no longer matches its own sha-256' });
    } else if (typeof e.seq !== 'number') {
      problems.push({ line: n, message: 'has no sequence number' });
    } else if (e.seq > expected) {
      problems.push({ line: n, message: `entry ${expected}${e.seq - 1 > expected ? ` to ${e.seq - 1}` : ''} missing before this line: deleted` });
    } else if (e.seq < expected) {
      problems.push({ line: n, message: `sequence number ${e.seq} repeats or goes back (expected ${expected}): a line was copied or moved` });
    } else if (n === 1 ? e.prev !== null : e.prev !== sha256(prevLine ?? '')) {
      problems.push(
        n === 1
          ? { line: n, message: 'the first entry must have prev = null: earlier lines were deleted' }
          : { line: n - 1, message: `changed after it was written: line ${n} records a different sha-256 for it` },
      );
    }
    expected = (typeof e.seq === 'number' ? e.seq : expected) + 1;
    prevLine = line;
  });
  let comparedWithHead = false;
  if (committed !== undefined) {
    comparedWithHead = true;
    const old = committed.split('\n');
    if (old[old.length - 1] === '') old.pop();
    for (let i = 0; i < old.length; i++) {
      if (lines[i] === old[i]) continue;
      problems.push({
        line: i + 1,
        message: lines[i] === undefined ? `deleted: the committed ledger (git HEAD) has ${old.length} lines, the file ${lines.length}` : 'differs from the committed ledger (git HEAD): edited or deleted since the last commit',
      });
      break;
    }
  }
  problems.sort((a, b) => a.line - b.line);
  const seen = new Set<number>();
  return { file, entries: lines.length, problems: problems.filter((p) => (seen.has(p.line) ? false : (seen.add(p.line), true))), comparedWithHead };
}

/**
 * Verifies the ledger file at `file` (see {@link verifyLedgerText}); when `root` is in a git repository
 * and the ledger is committed there, compares with the HEAD version too. A missing file is one problem.
 * Never throws.
 */
export async function verifyLedger(file: string, root?: string): Promise<LedgerVerification> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { file, entries: 0, problems: [{ line: 0, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }], comparedWithHead: false };
  }
  let committed: string | undefined;
  if (root) {
    const rel = path.relative(root, path.resolve(file));
    if (!rel.startsWith('..')) committed = await readAtRef(root, 'HEAD', rel.split(path.sep).join('/'));
  }
  return verifyLedgerText(text, file, committed);
}

/**
 * Reads every parseable entry of the ledger (unparseable lines are skipped; {@link verifyLedger} reports
 * them). A missing file gives no entries. Never throws.
 */
export function readLedger(file: string): LedgerEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if (e && typeof e === 'object' && typeof e.event === 'string') out.push(e);
    } catch {
      /* reported by verify */
    }
  }
  return out;
}

/**
 * The sha-256 (hex) of each file's content: the file on disk, or (with `staged`) the staged version
 * (`git show :path`). Paths are relative to `root`; unreadable files are left out. Never throws.
 */
export async function contentHashes(root: string, paths: readonly string[], staged = false): Promise<Array<{ path: string; sha256: string }>> {
  const out: Array<{ path: string; sha256: string }> = [];
  for (const p of paths) {
    try {
      if (staged) {
        const text = await readAtRef(root, ':', p);
        if (text !== undefined) out.push({ path: p, sha256: sha256(text) });
      } else out.push({ path: p, sha256: sha256(fs.readFileSync(path.join(root, p))) });
    } catch {
      /* a file deleted since the review: nothing to hash */
    }
  }
  return out;
}

/**
 * The `review` entry data for a finished review: the reviewed files (paths relative to `root`) with the
 * sha-256 of their content (staged content for a staged review), personas, provider, model, findings by
 * severity with their fingerprints, and how many were suppressed or baselined. `target` says what was
 * reviewed (paths, git changes, a selection). Never throws.
 */
export async function reviewData(args: {
  root: string;
  result: ReviewResultLike;
  files: readonly string[];
  target: { kind: 'paths'; range?: unknown } | { kind: 'git'; mode: 'working' | 'staged' | 'base'; base?: string } | { kind: 'document' };
  via?: string;
}): Promise<ReviewData> {
  const { root, result, target } = args;
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>;
  for (const f of result.findings) bySeverity[f.severity]++;
  const staged = target.kind === 'git' && target.mode === 'staged';
  return {
    scope: target.kind === 'git' ? 'changes' : target.kind === 'document' ? 'document' : target.range ? 'selection' : 'paths',
    ...(target.kind === 'git' ? { mode: target.mode, ...(target.base ? { base: target.base } : {}) } : {}),
    paths: await contentHashes(root, args.files, staged),
    personas: result.personas.filter((p) => p.reviews !== false).map((p) => p.id),
    provider: result.provider,
    model: result.model ?? null,
    findings: { bySeverity, fingerprints: result.findings.map((f) => f.fingerprint) },
    suppressed: result.suppressed?.length ?? 0,
    baselined: result.baseline?.unchanged.length ?? 0,
    complete: result.errors.length === 0,
    ...(args.via ? { via: args.via } : {}),
  };
}

/** The parts of a ReviewResult the ledger records. */
export type ReviewResultLike = Pick<ReviewResult, 'findings' | 'personas' | 'provider' | 'model' | 'suppressed' | 'baseline' | 'errors'>;
