/**
 * A separate process appending to a ledger, for the parallel-writers test:
 * `node --import tsx ledgerWriter.ts <ledger> <writerId> <count>`.
 */
import { appendLedger } from '../../src/core/ledger';

const [file, writer, count] = process.argv.slice(2);
void (async () => {
  for (let i = 0; i < Number(count); i++) {
    await appendLedger(
      file!,
      { event: 'dismissal', data: { action: 'add', scope: 'me', fingerprint: `${writer}-${i}`, rule: 'r', file: 'f.js' } },
      { who: { name: `writer-${writer}` }, commit: null },
    );
  }
})();
