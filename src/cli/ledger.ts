/**
 * Where the CLI writes the audit ledger, and the one call every command makes to record an event.
 *
 * The ledger is opt-in per repository: it is written when `<root>/.persona-review/ledger.jsonl` exists
 * (create it with `persona-review audit init` and commit it), when `--ledger <file>` is given, or when
 * `PERSONA_REVIEW_LEDGER` names a file. `--no-ledger` or `PERSONA_REVIEW_LEDGER=off` turn it off.
 */
import * as path from 'node:path';
import { LedgerError, recordLedgerEvent, resolveLedger, type LedgerEvent } from '../core/ledger';

/** Where the ledger goes for a command in `root` (core/ledger.ts `resolveLedger`, re-exported for the commands). */
export { resolveLedger };

/**
 * Appends one event to `file` as the current git user at the current HEAD; a failure is written to
 * stderr (the command's own result stands) and returned as false.
 */
export async function recordEvent(file: string | undefined, root: string, event: LedgerEvent, log: (s: string) => void): Promise<boolean> {
  if (!file) return false;
  try {
    const e = await recordLedgerEvent(file, root, event);
    log(`persona-review: ledger: recorded ${event.event} as entry ${e.seq} in ${path.relative(root, file) || file}`);
    return true;
  } catch (e) {
    process.stderr.write(`persona-review: ledger: ${e instanceof LedgerError ? e.message : (e as Error).message}\n`);
    return false;
  }
}
