/**
 * Where the CLI writes the audit ledger, and the one call every command makes to record an event.
 *
 * The ledger is opt-in per repository: it is written when `<root>/.persona-review/ledger.jsonl` exists
 * (create it with `persona-review audit init` and commit it), when `--ledger <file>` is given, or when
 * `PERSONA_REVIEW_LEDGER` names a file. `--no-ledger` or `PERSONA_REVIEW_LEDGER=off` turn it off.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendLedger, LedgerError, type LedgerEvent } from '../core/ledger';
import { gitIdentity, headCommit, ledgerPath } from '../core/teamFiles';

/** Where the ledger goes for a command in `root`, or undefined when it is off. Relative paths resolve against `root`. */
export function resolveLedger(root: string, opts: { ledger?: string; noLedger?: boolean }, env: NodeJS.ProcessEnv): string | undefined {
  if (opts.noLedger) return undefined;
  if (opts.ledger) return path.resolve(root, opts.ledger);
  const fromEnv = env.PERSONA_REVIEW_LEDGER?.trim();
  if (fromEnv) return /^(off|false|0|no)$/i.test(fromEnv) ? undefined : path.resolve(root, fromEnv);
  const dflt = ledgerPath(root);
  return fs.existsSync(dflt) ? dflt : undefined;
}

/**
 * Appends one event to `file` as the current git user at the current HEAD; a failure is written to
 * stderr (the command's own result stands) and returned as false.
 */
export async function recordEvent(file: string | undefined, root: string, event: LedgerEvent, log: (s: string) => void): Promise<boolean> {
  if (!file) return false;
  try {
    const [who, commit] = await Promise.all([gitIdentity(root), headCommit(root)]);
    const e = await appendLedger(file, event, { who, commit: commit ?? null });
    log(`persona-review: ledger: recorded ${event.event} as entry ${e.seq} in ${path.relative(root, file) || file}`);
    return true;
  } catch (e) {
    process.stderr.write(`persona-review: ledger: ${e instanceof LedgerError ? e.message : (e as Error).message}\n`);
    return false;
  }
}
