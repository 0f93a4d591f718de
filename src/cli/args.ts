/** Argument handling shared by the CLI's commands. */
import * as fs from 'node:fs';
import { OFFLINE_DEPTHS, type OfflineDepth } from '../core/offline/rule';

/**
 * Splits `--diff [base]` out of `args`: the token after `--diff` is the base ref when it is not an
 * option and not an existing path (`--diff main src/` → base `main`; `--diff src/` → no base).
 * `--diff=<base>` is always a base. Returns the other arguments unchanged, in order.
 */
export function splitDiffOption(args: string[]): { args: string[]; diff?: { base?: string } } {
  const out: string[] = [];
  let diff: { base?: string } | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--diff') {
      const next = args[i + 1];
      diff = {};
      if (next !== undefined && !next.startsWith('-') && !fs.existsSync(next)) {
        diff.base = next;
        i++;
      }
    } else if (a.startsWith('--diff=')) diff = { base: a.slice(7) };
    else out.push(a);
  }
  return { args: out, diff };
}

/**
 * The value of `--offline-depth` (absent: `precise`, the default). Throws Error, with a message naming the
 * option and the valid values, for anything else; callers wrap it in their command's usage error (exit 2).
 */
export function offlineDepthOption(value: string | undefined): OfflineDepth {
  const depth = (value ?? 'precise') as OfflineDepth;
  if (!OFFLINE_DEPTHS.includes(depth)) throw new Error(`--offline-depth must be ${OFFLINE_DEPTHS.join(' or ')}, got "${value}"`);
  return depth;
}
