/**
 * `persona-review audit`: the audit ledger (core/ledger.ts) from the command line.
 *
 *   persona-review audit init [--ledger <file>]
 *   persona-review audit verify [--ledger <file>]
 *   persona-review audit coverage --since <ref> --persona <id> [--json] [--ledger <file>]
 *   persona-review audit report [--ledger <file>] [-o <file>]
 *
 * Exit codes: 0 fine; 1 `verify` found a bad line, or `coverage` found changed files no review by the
 * persona covered; 2 bad usage or input (no ledger, no git repository, unknown ref).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { auditCoverage, auditReport } from '../core/audit';
import { InputError } from '../core/files';
import { verifyLedger } from '../core/ledger';
import { ensureTeamDir, ledgerPath, TEAM_DIR } from '../core/teamFiles';

const USAGE = `persona-review audit: the audit ledger (.persona-review/ledger.jsonl)

Every review, dismissal, suppression and workflow sign-off appends one JSON line to the ledger once it
exists: who (git user), when, the commit, the files with the sha-256 of their content, personas,
provider, model, findings by severity and fingerprints, chained by the sha-256 of the previous line.

Usage:
  persona-review audit init                    create the ledger (commit it: reviews are then recorded)
  persona-review audit verify                  check the chain; names the first edited or deleted line
  persona-review audit coverage --since <ref> --persona <id> [--json]
                                               changed files whose current content no review by that
                                               persona covered (exit 1 when there are any)
  persona-review audit report [-o <file>]      markdown summary per persona and per week

Options:
  --ledger <file>          the ledger (default .persona-review/ledger.jsonl, or PERSONA_REVIEW_LEDGER)
`;

class AuditUsageError extends Error {}

function ledgerOf(root: string, v: string | undefined, env: NodeJS.ProcessEnv): string {
  if (v) return path.resolve(root, v);
  const fromEnv = env.PERSONA_REVIEW_LEDGER?.trim();
  if (fromEnv && !/^(off|false|0|no)$/i.test(fromEnv)) return path.resolve(root, fromEnv);
  return ledgerPath(root);
}

/** Entry point of `persona-review audit ...`; returns the exit code and never throws. */
export async function auditCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help')) {
      process.stdout.write(USAGE);
      return sub ? 0 : 2;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        strict: true,
        options: { ledger: { type: 'string' }, since: { type: 'string' }, persona: { type: 'string', short: 'p' }, json: { type: 'boolean' }, out: { type: 'string', short: 'o' } },
      });
    } catch (e) {
      throw new AuditUsageError((e as Error).message);
    }
    const { values } = parsed;
    const root = process.cwd();
    const ledger = ledgerOf(root, values.ledger, env);
    const rel = path.relative(root, ledger) || ledger;
    if (sub === 'init') {
      if (path.dirname(ledger) === path.join(root, TEAM_DIR)) ensureTeamDir(root);
      else fs.mkdirSync(path.dirname(ledger), { recursive: true });
      if (fs.existsSync(ledger)) process.stdout.write(`The ledger ${rel} already exists.\n`);
      else {
        fs.writeFileSync(ledger, '');
        process.stdout.write(`Created the ledger ${rel}. Commit it: from now on every review, dismissal, suppression and sign-off is recorded there.\n`);
      }
      return 0;
    }
    if (!fs.existsSync(ledger)) throw new InputError(`no ledger at ${rel}; create one with \`persona-review audit init\` (or give --ledger <file>)`);
    if (sub === 'verify') {
      const v = await verifyLedger(ledger, root);
      if (!v.problems.length) {
        process.stdout.write(`Ledger ${rel}: ${v.entries} entr${v.entries === 1 ? 'y' : 'ies'}, chain intact${v.comparedWithHead ? '; the committed lines (git HEAD) are unchanged' : ''}.\n`);
        return 0;
      }
      const first = v.problems[0]!;
      process.stdout.write(`Ledger ${rel}: first bad line ${first.line}: ${first.message}.\n`);
      for (const p of v.problems.slice(1, 20)) process.stdout.write(`  also line ${p.line}: ${p.message}\n`);
      return 1;
    }
    if (sub === 'coverage') {
      if (!values.since || !values.persona) throw new AuditUsageError('coverage needs --since <ref> (e.g. main, v1.2.0 or a commit) and --persona <id> (e.g. security)');
      const c = await auditCoverage(root, ledger, values.since, values.persona);
      const v = await verifyLedger(ledger, root);
      if (v.problems.length) process.stderr.write(`persona-review: warning: the ledger's chain is broken at line ${v.problems[0]!.line} (${v.problems[0]!.message}); run \`persona-review audit verify\`.\n`);
      if (values.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      else if (!c.files.length) process.stdout.write(`No files changed since ${values.since}.\n`);
      else if (!c.uncovered.length) process.stdout.write(`All ${c.files.length} file(s) changed since ${values.since} had their current content reviewed by ${values.persona}.\n`);
      else {
        process.stdout.write(`${c.uncovered.length} of ${c.files.length} file(s) changed since ${values.since} lack a ${values.persona} review of their current content:\n`);
        for (const f of c.uncovered) process.stdout.write(`${f.path}${f.olderVersionReviewed ? '  (an earlier version was reviewed)' : ''}\n`);
      }
      if (!values.json && c.notReviewable.length) {
        process.stderr.write(`persona-review: ${c.notReviewable.length} changed file(s) no review reads were left out: ${c.notReviewable.map((f) => `${f.path} (${f.reason})`).join(', ')}\n`);
      }
      return c.uncovered.length ? 1 : 0;
    }
    if (sub === 'report') {
      const md = auditReport(ledger, await verifyLedger(ledger, root));
      if (values.out) {
        fs.mkdirSync(path.dirname(path.resolve(root, values.out)), { recursive: true });
        fs.writeFileSync(path.resolve(root, values.out), md);
        process.stderr.write(`persona-review: wrote the audit report to ${values.out}\n`);
      } else process.stdout.write(md);
      return 0;
    }
    throw new AuditUsageError(`unknown subcommand "${sub}"; expected init, verify, coverage or report`);
  } catch (e) {
    const usage = e instanceof AuditUsageError;
    process.stderr.write(`persona-review: ${(e as Error).message}\n${usage ? 'Run "persona-review audit --help" for usage.\n' : ''}`);
    return 2;
  }
}
