/**
 * Where the project's seed files (`shared/seeds/NNN_<hash>.txt`: 000 the persona catalog, 001 and 003 the
 * personas issue 13 imports) are, for the tests that import them. They are never copied into the repository,
 * so a checkout finds them, in this order:
 *   1. `PERSONA_REVIEW_SEEDS`: the seeds folder. Set but not a folder: an Error (a typo must not turn into a
 *      silent skip).
 *   2. `shared/seeds` in the checkout's folder or any parent (the project's own layout: /work/main,
 *      /work/wt/<name>).
 *   3. The same walk from the folder of a local `origin` remote (a clone made elsewhere with
 *      `git clone /work/main /tmp/x`).
 * When none holds them, {@link seedsSkip} is the reason the tests print as they skip, naming where it looked
 * and how to point at the seeds.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

/** Where {@link findSeeds} looked, in order (absolute `shared/seeds` candidates, or the env variable). */
export interface SeedsSearch {
  /** The seeds folder, when found. */
  dir?: string;
  /** Every place looked at, in order. */
  looked: string[];
}

/** `shared/seeds` in `from` or its nearest parent that has one. */
function walkUp(from: string, looked: string[]): string | undefined {
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    const s = path.join(d, 'shared', 'seeds');
    looked.push(s);
    if (fs.statSync(s, { throwIfNoEntry: false })?.isDirectory()) return s;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The folder of the checkout's `origin` remote when it is a local path (or file: URL), else undefined. */
function localOrigin(repo: string): string | undefined {
  let url: string;
  try {
    url = execFileSync('git', ['-C', repo, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
  const p = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (!path.isAbsolute(p) && !p.startsWith('.')) return undefined; // ssh or https: not on this machine
  const abs = path.resolve(repo, p);
  return fs.existsSync(abs) ? abs : undefined;
}

/**
 * Finds the seeds folder (see the module comment for the order).
 * @throws Error when `PERSONA_REVIEW_SEEDS` is set but is not a folder.
 */
export function findSeeds(repo = REPO): SeedsSearch {
  const env = process.env.PERSONA_REVIEW_SEEDS;
  if (env) {
    const dir = path.resolve(env);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`PERSONA_REVIEW_SEEDS=${env} is not a folder: point it at the project's shared/seeds folder, or unset it`);
    }
    return { dir, looked: [`PERSONA_REVIEW_SEEDS=${env}`] };
  }
  const looked: string[] = [];
  const near = walkUp(repo, looked);
  if (near) return { dir: near, looked };
  const origin = localOrigin(repo);
  const far = origin ? walkUp(origin, looked) : undefined;
  return far ? { dir: far, looked } : { looked };
}

const search = findSeeds();

/** The seed whose file name starts with `prefix` (`'003_'`): its path and text; undefined when absent. */
export function seed(prefix: string): { file: string; text: string } | undefined {
  if (!search.dir) return undefined;
  const name = fs.readdirSync(search.dir).find((n) => n.startsWith(prefix));
  return name ? { file: path.join(search.dir, name), text: fs.readFileSync(path.join(search.dir, name), 'utf8') } : undefined;
}

/**
 * The `skip` option for a test that needs the seeds with these prefixes: false when they are all there,
 * else the reason node:test prints (which seeds, where it looked, how to point at them).
 */
export function seedsSkip(...prefixes: string[]): false | string {
  const missing = prefixes.filter((p) => !seed(p));
  if (missing.length === 0) return false;
  const where = search.dir
    ? `${search.dir} has no ${missing.map((p) => `${p}*`).join(', ')}`
    : `no shared/seeds folder in ${path.dirname(path.dirname(search.looked[0] ?? REPO))} or its parents${search.looked.length > 0 && localOrigin(REPO) ? ` nor beside the origin remote ${localOrigin(REPO)}` : ''}`;
  return `needs the project seeds ${missing.join(', ')} (not copied into the repository): ${where}; set PERSONA_REVIEW_SEEDS=/path/to/shared/seeds to run it`;
}
