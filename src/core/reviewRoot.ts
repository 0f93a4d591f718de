/**
 * The root of a review: the folder findings' paths are relative to and `.gitignore` layers stop at. For
 * paths given on a command line (the CLI, MCP) it is, unless given explicitly, the top level of the git
 * work tree that holds all of them; outside git, the current folder when it holds them all, else the deepest
 * folder that holds all of them. So any path can be reviewed from anywhere, and findings carry
 * repository-relative paths (what SARIF upload expects).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './files';
import { gitTopLevel } from './git';

/** The deepest folder containing every one of `dirs` (absolute paths). */
export function commonFolder(dirs: string[]): string {
  if (dirs.length === 0) throw new RangeError('commonFolder needs at least one folder');
  let common = path.resolve(dirs[0]!);
  for (const d of dirs.slice(1)) {
    const abs = path.resolve(d);
    while (common !== path.dirname(common) && path.relative(common, abs).startsWith('..')) common = path.dirname(common);
    if (path.relative(common, abs).startsWith('..')) common = path.parse(common).root;
  }
  return common;
}

/** What {@link resolveReviewRoot} decided: the root, the given paths made absolute, and why that root. */
export interface ReviewRoot {
  root: string;
  /** The given paths, absolute and with symlinks resolved (so they lie inside `root`). */
  paths: string[];
  /** `explicit` (--root), `git` (work-tree top level), `cwd` (no paths, or outside git and all inside it) or `common` (their common folder). */
  source: 'explicit' | 'git' | 'common' | 'cwd';
}

/**
 * Decides the review root for `paths` (files or folders, absolute or relative to `cwd`).
 * - `explicit` given: that folder (relative to `cwd`); the paths must lie inside it (checked later).
 * - no paths: `cwd` (a change review of the current folder).
 * - else: the git top level when every path is in the same work tree; otherwise `cwd` when it holds every
 *   path, else their common folder.
 * Throws {@link InputError} when a path or the explicit root does not exist, or the root is not a folder.
 */
export async function resolveReviewRoot(paths: string[], cwd: string, explicit?: string): Promise<ReviewRoot> {
  const abs: string[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    try {
      abs.push(await realpath(full));
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
  }
  if (explicit !== undefined) {
    const full = path.resolve(cwd, explicit);
    const st = await stat(full).catch(() => undefined);
    if (!st?.isDirectory()) throw new InputError(`--root ${explicit}: not a folder`);
    return { root: await realpath(full), paths: abs, source: 'explicit' };
  }
  if (abs.length === 0) return { root: cwd, paths: abs, source: 'cwd' };
  const dirs = await Promise.all(abs.map(async (p) => ((await stat(p)).isDirectory() ? p : path.dirname(p))));
  const tops = await Promise.all([...new Set(dirs)].map((d) => gitTopLevel(d)));
  const top = tops[0];
  if (top && tops.every((t) => t === top)) return { root: await realpath(top), paths: abs, source: 'git' };
  const here = await realpath(cwd).catch(() => path.resolve(cwd));
  if (abs.every((p) => !path.relative(here, p).startsWith('..') && !path.isAbsolute(path.relative(here, p)))) return { root: here, paths: abs, source: 'cwd' };
  return { root: commonFolder(dirs), paths: abs, source: 'common' };
}
