/**
 * The team's files under `<root>/.persona-review/`: where they live, the folder's `.gitignore`, the git
 * identity recorded in them, and the lock every writer takes.
 *
 * Layout (all committable except `runs/`):
 * - `suppressions.yaml`: accepted findings (./suppressions/file.ts)
 * - `baseline.json`: findings recorded when the team adopted the tool (./baseline.ts)
 * - `ledger.jsonl`: the audit ledger (./ledger.ts)
 * - `runs/`: workflow run logs (./workflowRun.ts), git-ignored by the folder's own `.gitignore`
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import { git } from './git';

/** Name of the team folder under a workspace root. */
export const TEAM_DIR = '.persona-review';

/** `<root>/.persona-review/suppressions.yaml`. */
export function suppressionsPath(root: string): string {
  return path.join(root, TEAM_DIR, 'suppressions.yaml');
}

/** `<root>/.persona-review/baseline.json` (the default of `persona-review baseline -o`). */
export function baselinePath(root: string): string {
  return path.join(root, TEAM_DIR, 'baseline.json');
}

/** `<root>/.persona-review/ledger.jsonl` (the default ledger). */
export function ledgerPath(root: string): string {
  return path.join(root, TEAM_DIR, 'ledger.jsonl');
}

/** Content of the folder's `.gitignore`: run logs and lock folders stay out of commits, the rest is committed. */
export const TEAM_GITIGNORE =
  '# Persona Review: suppressions.yaml, baseline.json and ledger.jsonl are meant to be committed;\n' +
  '# workflow run logs and lock folders are not.\nruns/\n*.lock\n*.tmp\n';

/** What earlier versions wrote (ignore everything); replaced by {@link TEAM_GITIGNORE} when found. */
const OLD_GITIGNORE = '# Persona Review run logs: not committed unless you choose to.\n*\n';

/**
 * Creates `<root>/.persona-review/` when missing and makes sure its `.gitignore` ignores only run logs and
 * locks (an ignore-everything file written by earlier versions is replaced; one the team edited is kept).
 * Returns the folder's absolute path. Throws the file system's error when the folder cannot be created.
 */
export function ensureTeamDir(root: string): string {
  const dir = path.join(root, TEAM_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  let current: string | undefined;
  try {
    current = fs.readFileSync(ignore, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === undefined || current === OLD_GITIGNORE) fs.writeFileSync(ignore, TEAM_GITIGNORE);
  return dir;
}

/**
 * Runs `fn` while holding an exclusive lock on `file` (a `<file>.lock` folder, proper-lockfile: atomic
 * `mkdir`, stale after 10 s without an update, retried for up to about 20 s). Works across processes on
 * one machine and on network file systems. The file itself need not exist. Throws the lock error (code
 * `ELOCKED`) when the lock cannot be had in time, or whatever `fn` throws (the lock is released first).
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 200, randomize: true },
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Who did something, as recorded in the team's files. */
export interface GitIdentity {
  /** `git config user.name`, else the OS user name. */
  name: string;
  /** `git config user.email`, when set. */
  email?: string;
}

/**
 * The git identity in `root` (`user.name`, `user.email` as git resolves them, so GIT_AUTHOR_* and
 * repository config apply), falling back to the OS user name. Never throws.
 */
export async function gitIdentity(root: string): Promise<GitIdentity> {
  const read = async (key: string) => {
    try {
      const r = await git(root, ['config', '--get', key]);
      return r.code === 0 ? r.stdout.trim() || undefined : undefined;
    } catch {
      return undefined;
    }
  };
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username || osUser;
  } catch {
    /* no passwd entry */
  }
  return { name: name ?? process.env.USER ?? osUser, ...(email ? { email } : {}) };
}

/** `Name <email>` (or `Name`), as git prints an identity. */
export function formatIdentity(who: GitIdentity): string {
  return who.email ? `${who.name} <${who.email}>` : who.name;
}

/**
 * The text of `file` (root-relative) at git `ref` (`HEAD`, a commit, or `:` for the index), or undefined
 * when the file is not there, `root` is not in a repository or git is missing. Never throws.
 */
export async function readAtRef(root: string, ref: string, file: string): Promise<string | undefined> {
  try {
    const spec = ref === ':' ? `:./${file}` : `${ref}:./${file}`;
    const r = await git(root, ['show', spec]);
    return r.code === 0 ? r.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** The commit HEAD points at in `root`, or undefined (no repository, no commits). Never throws. */
export async function headCommit(root: string): Promise<string | undefined> {
  try {
    const r = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return r.code === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
