/**
 * Git changes as review targets (DESIGN.md "Data flow of one review", step 1: "the git changes ...
 * findings only on changed lines"). Runs the `git` executable with argument arrays (never a shell),
 * with `cwd` = the review root, and reads its plumbing-stable output formats.
 */
import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, isSensitivePath, looksBinary } from './files';
import type { LineRange } from './types';

/** Which changes a git review looks at; see {@link changedFiles}. */
export type DiffMode = 'working' | 'staged' | 'base';

/** One changed file: root-relative path (forward slashes), its changed lines on the new side, its status. */
export interface ChangedFile {
  path: string;
  /** 1-based inclusive ranges of added or modified lines in the new version; empty for pure renames,
   * mode changes, binary files and deletion-only edits. */
  changedLines: LineRange[];
  /** `added` covers new tracked files and (mode `working`) untracked ones. Type changes count as `modified`,
   * copies as `added`. */
  status: 'added' | 'modified' | 'renamed';
}

/** Git's well-known id of the empty tree, the base of a repository without commits. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
/** Untracked files larger than this are not read to count their lines (the context build skips them anyway). */
const MAX_UNTRACKED_BYTES = 1024 * 1024;

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs `git <args>` in `cwd`. Resolves with the exit code (never rejects for a non-zero exit);
 * throws InputError when git itself cannot be started.
 */
export function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      {
        cwd,
        maxBuffer: 512 * 1024 * 1024,
        windowsHide: true,
        // No prompts, no pager, English messages we can recognise.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', LANGUAGE: 'C' },
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          const code = (err as NodeJS.ErrnoException).code;
          // The caller has checked that cwd exists, so ENOENT means the git executable is missing.
          reject(
            code === 'ENOENT'
              ? new InputError('git was not found on PATH; install git, or review files and folders instead of git changes')
              : new InputError(`git could not run in ${cwd} (${code ?? err.message})`),
          );
          return;
        }
        resolve({ stdout, stderr, code: err ? (err.code as unknown as number) : 0 });
      },
    );
  });
}

/** Undoes git's C-style quoting of unusual path names (`"sp\303\244ce.ts"`, `"a\"b"`). */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"') || p.length < 2) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const oct = body.slice(i + 1, i + 4);
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Adds a range, merging it with the previous one when they touch or overlap. Ranges arrive in order. */
function pushRange(ranges: LineRange[], startLine: number, endLine: number): void {
  const last = ranges[ranges.length - 1];
  if (last && startLine <= last.endLine + 1) last.endLine = Math.max(last.endLine, endLine);
  else ranges.push({ startLine, endLine });
}

/**
 * Changed lines per file from unified-diff text (as `git diff --unified=0` prints it, any context size
 * works): a map from the new-side path (the `+++ b/...` header without its `b/` prefix, unquoted) to the
 * 1-based inclusive ranges of lines added or modified on the new side, merged and in order. Context lines
 * are not counted as changed. Deleted files (`+++ /dev/null`) are left out; a file whose hunks only delete
 * lines maps to `[]`. Hunk bodies are consumed by their line counts, so an added line that happens to read
 * `++ b/x` is never mistaken for a header. Never throws: text it does not understand is skipped.
 */
export function parseUnifiedDiff(diff: string): Map<string, LineRange[]> {
  const out = new Map<string, LineRange[]>();
  const lines = diff.split('\n');
  let current: LineRange[] | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (oldLeft > 0 || newLeft > 0) {
      // Inside a hunk body.
      const tag = line[0];
      if (tag === '+') {
        if (current) pushRange(current, newLine, newLine);
        newLine++;
        newLeft--;
      } else if (tag === '-') {
        oldLeft--;
      } else if (tag === ' ' || line === '') {
        newLine++;
        newLeft--;
        oldLeft--;
      }
      // `\ No newline at end of file` counts for neither side.
      continue;
    }
    if (line.startsWith('+++ ')) {
      const target = line.slice(4).replace(/\t.*$/, '');
      if (target === '/dev/null') {
        current = undefined;
        continue;
      }
      const unquoted = unquoteGitPath(target);
      const name = unquoted.startsWith('b/') ? unquoted.slice(2) : unquoted;
      current = out.get(name) ?? [];
      out.set(name, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLine = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
      continue;
    }
    if (line.startsWith('diff --git ')) current = undefined;
  }
  return out;
}

/** Counts the lines of a text file (a final line without newline counts; an empty file has none). */
async function countLines(absPath: string): Promise<number | undefined> {
  const st = await stat(absPath);
  if (!st.isFile() || st.size > MAX_UNTRACKED_BYTES) return undefined;
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(st.size);
    await fh.read(buf, 0, st.size, 0);
    if (looksBinary(buf.subarray(0, 8192))) return undefined;
    if (buf.length === 0) return 0;
    let n = 0;
    for (const b of buf) if (b === 10) n++;
    return buf[buf.length - 1] === 10 ? n : n + 1;
  } finally {
    await fh.close();
  }
}

/** `git diff` options shared by both calls: changed paths relative to cwd, renames detected, no drivers. */
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--relative', '-M'];

/**
 * The files changed in the git repository containing `root`, with their changed lines.
 *
 * - `working`: the working tree against HEAD (staged and unstaged edits together, `git diff HEAD`), plus
 *   untracked files that are not ignored (`git ls-files --others --exclude-standard`), each with all its
 *   lines changed. In a repository without commits every tracked and untracked file counts as added.
 * - `staged`: the index against HEAD (`git diff --cached`): what the next commit would contain. Line
 *   numbers refer to the staged version of each file, which may differ from the file on disk.
 * - `base`: the working tree against the merge-base of `base` and HEAD (`git diff $(git merge-base <base>
 *   HEAD)`), so line numbers match the files on disk and uncommitted edits on the branch are included;
 *   untracked files are not.
 *
 * Paths are relative to `root` (forward slashes); changes outside `root` are left out (`--relative`).
 * Deleted files are left out. Results are sorted by path.
 *
 * Throws {@link InputError} when `root` is not inside a git repository, git is missing, `base` is
 * missing for mode `base` or names no commit, or the repository has no commits (mode `base`).
 */
export async function changedFiles(root: string, mode: DiffMode, base?: string): Promise<ChangedFile[]> {
  const cwd = path.resolve(root);
  const rootStat = await stat(cwd).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new InputError(`${cwd}: no such folder; give the folder of a git repository`);
  const top = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) {
    throw new InputError(`${cwd} is not inside a git repository, so there are no git changes to review; run \`git init\` there, or review files and folders instead`);
  }
  const hasHead = (await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).code === 0;

  let diffArgs: string[];
  if (mode === 'staged') {
    diffArgs = ['--cached'];
  } else if (mode === 'working') {
    diffArgs = [hasHead ? 'HEAD' : EMPTY_TREE];
  } else {
    if (!base) throw new InputError('comparing with a base branch needs the base ref (for example `main`); none was given');
    const ref = await git(cwd, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
    if (ref.code !== 0) {
      throw new InputError(`no such ref '${base}' in ${cwd} to compare with; run \`git branch -a\` to list refs`);
    }
    if (!hasHead) throw new InputError(`the repository in ${cwd} has no commits yet, so there is no merge-base with '${base}'; commit first, or review the working tree changes`);
    const mb = await git(cwd, ['merge-base', base, 'HEAD']);
    if (mb.code !== 0) {
      throw new InputError(`'${base}' and HEAD have no common ancestor in ${cwd}; compare with a branch that shares history with HEAD`);
    }
    diffArgs = [mb.stdout.trim()];
  }

  const [status, patch] = await Promise.all([
    git(cwd, ['diff', ...DIFF_FLAGS, '--name-status', '-z', ...diffArgs, '--']),
    git(cwd, ['diff', ...DIFF_FLAGS, '--unified=0', '--src-prefix=a/', '--dst-prefix=b/', ...diffArgs, '--']),
  ]);
  for (const r of [status, patch]) {
    if (r.code !== 0) throw new InputError(`git diff failed in ${cwd}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  }
  const lines = parseUnifiedDiff(patch.stdout);

  const result = new Map<string, ChangedFile>();
  const fields = status.stdout.split('\0');
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++] ?? '';
    if (code === '') continue;
    const letter = code[0]!;
    let file: string;
    if (letter === 'R' || letter === 'C') {
      i++; // the old path
      file = fields[i++] ?? '';
    } else {
      file = fields[i++] ?? '';
    }
    if (!file || letter === 'D') continue;
    const st: ChangedFile['status'] = letter === 'A' || letter === 'C' ? 'added' : letter === 'R' ? 'renamed' : 'modified';
    result.set(file, { path: file, changedLines: lines.get(file) ?? [], status: st });
  }

  if (mode === 'working') {
    const others = await git(cwd, ['ls-files', '--others', '--exclude-standard', '-z']);
    if (others.code !== 0) throw new InputError(`git ls-files failed in ${cwd}: ${others.stderr.trim()}`);
    for (const file of others.stdout.split('\0')) {
      if (!file || result.has(file)) continue;
      let n: number | undefined;
      // Never open a sensitive file, even only to count its lines.
      if (!isSensitivePath(file)) n = await countLines(path.join(cwd, file)).catch(() => undefined);
      result.set(file, { path: file, changedLines: n ? [{ startLine: 1, endLine: n }] : [], status: 'added' });
    }
  }
  return [...result.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The staged (index) version of `file` (root-relative), as `git show :<file>` prints it, or `undefined`
 * when the file is not in the index. Used by `staged` reviews so line numbers match the staged diff.
 */
export async function readStaged(root: string, file: string): Promise<string | undefined> {
  const r = await git(path.resolve(root), ['show', `:./${file}`]);
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * The commit a change review compares against, as a full object id: `HEAD` for modes `working` and
 * `staged`, the merge-base of `base` and HEAD for mode `base`. `undefined` when there is none (no commits
 * yet, not a repository, an unknown ref): the caller then has no base version to read.
 */
export async function baseCommitOf(root: string, mode: DiffMode, base?: string): Promise<string | undefined> {
  const cwd = path.resolve(root);
  const r = mode === 'base' && base ? await git(cwd, ['merge-base', base, 'HEAD']) : await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const id = r.stdout.trim();
  return r.code === 0 && /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
}

/**
 * `file` (root-relative, forward slashes) as committed in `commit` (`git show <commit>:./<file>`), or
 * `undefined` when the file does not exist there. Used so that files of the reviewed repository that steer
 * a review (team memory, project guidance) are read as they were before the change under review.
 */
export async function readAtCommit(root: string, commit: string, file: string): Promise<string | undefined> {
  const r = await git(path.resolve(root), ['show', `${commit}:./${file}`]);
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * Names of the files directly in folder `dir` (root-relative, forward slashes; `.` for the root) as committed
 * in `commit` (`git ls-tree --name-only`), or [] when the folder does not exist there.
 */
export async function listAtCommit(root: string, commit: string, dir: string): Promise<string[]> {
  const spec = dir === '.' || dir === '' ? `${commit}:` : `${commit}:./${dir}`;
  const r = await git(path.resolve(root), ['ls-tree', '--name-only', '-z', spec]);
  return r.code === 0 ? r.stdout.split('\0').filter(Boolean) : [];
}

/**
 * The top-level folder of the git work tree containing `dir` (absolute, as git prints it: symlinks
 * resolved), or undefined when `dir` is not in a work tree or git is missing. Never throws.
 */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    const r = await git(path.resolve(dir), ['rev-parse', '--show-toplevel']);
    const top = r.stdout.trim();
    return r.code === 0 && top ? path.resolve(top) : undefined;
  } catch {
    return undefined;
  }
}
