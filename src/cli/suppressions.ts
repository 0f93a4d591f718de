/**
 * `persona-review suppressions`: the team's suppressions file from the command line.
 *
 *   persona-review suppressions list [--json] [--file <yaml>]
 *   persona-review suppressions add <finding-id|fingerprint> --from <report.json> --reason <text> [--expires YYYY-MM-DD]
 *   persona-review suppressions remove <fingerprint>...
 *   persona-review suppressions prune [--write] [--check]
 *
 * Exit codes: 0 done; 1 `list` found errors in the file, or `prune --check` found stale entries; 2 bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildContext } from '../core/context';
import { reviewContext } from '../core/engine';
import { fingerprint } from '../core/merge';
import { OfflineProvider } from '../core/offline/provider';
import { ALL_RULES } from '../core/offline/rules';
import { builtinPersonaDir, loadPersonas } from '../core/personas';
import {
  addSuppressions,
  formatSuppressionsError,
  isExpired,
  readSuppressionsFile,
  removeSuppressions,
  type SuppressionEntry,
} from '../core/suppressions/file';
import { ensureTeamDir, formatIdentity, gitIdentity, suppressionsPath, TEAM_DIR } from '../core/teamFiles';
import type { Finding } from '../core/types';
import { recordEvent, resolveLedger } from './ledger';

const USAGE = `persona-review suppressions: findings the team accepted (.persona-review/suppressions.yaml)

Usage:
  persona-review suppressions list [--json]
  persona-review suppressions add <finding-id|fingerprint> --from <report.json> --reason <text> [--expires YYYY-MM-DD]
                           accept a finding of a JSON report (persona-review review -f json -o report.json)
  persona-review suppressions remove <fingerprint>...
  persona-review suppressions prune [--write] [--check]
                           list entries whose finding no longer exists (file gone, code gone, rule no
                           longer reports it, or expired); --write removes them; --check exits 1 if any

Options:
  --file <yaml>            the suppressions file (default .persona-review/suppressions.yaml)
  --ledger <file> / --no-ledger   record additions and removals in the audit ledger (see persona-review audit)
`;

class SuppressionsUsageError extends Error {}

/** Entry point of `persona-review suppressions ...`; returns the exit code and never throws. */
export async function suppressionsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help')) {
      process.stdout.write(USAGE);
      return sub ? 0 : 2;
    }
    if (sub === 'list') return listCommand(rest);
    if (sub === 'add') return await addCommand(rest, env);
    if (sub === 'remove') return await removeCommand(rest, env);
    if (sub === 'prune') return await pruneCommand(rest, env);
    throw new SuppressionsUsageError(`unknown subcommand "${sub}"; expected list, add, remove or prune`);
  } catch (e) {
    process.stderr.write(`persona-review: ${(e as Error).message}\n${e instanceof SuppressionsUsageError ? 'Run "persona-review suppressions --help" for usage.\n' : ''}`);
    return 2;
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses a subcommand's options (plus the shared --file, --ledger, --no-ledger, --quiet); a bad option is a usage error. */
function parse(args: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { file: { type: 'string' }, ledger: { type: 'string' }, 'no-ledger': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new SuppressionsUsageError((e as Error).message);
  }
}

function fileOf(root: string, v: unknown): string {
  return typeof v === 'string' ? path.resolve(root, v) : suppressionsPath(root);
}

function listCommand(args: string[]): number {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const root = process.cwd();
  const file = fileOf(root, values.file);
  const parsed = readSuppressionsFile(file);
  for (const e of parsed.errors) process.stderr.write(`persona-review: ${formatSuppressionsError({ ...e, file: path.relative(root, file) })}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ file: path.relative(root, file), entries: parsed.entries.map((e) => ({ ...e, expired: isExpired(e) })), errors: parsed.errors }, null, 2)}\n`);
  else if (!parsed.entries.length) process.stdout.write(`No suppressions in ${path.relative(root, file)}.\n`);
  else {
    for (const e of parsed.entries) {
      process.stdout.write(`${e.fingerprint.slice(0, 12)}  ${e.rule}  ${e.file}  "${e.reason}"  (${e.author}, ${e.date}${e.expires ? `, expires ${e.expires}${isExpired(e) ? ': EXPIRED' : ''}` : ''})\n`);
    }
  }
  return parsed.errors.length ? 1 : 0;
}

/** A finding of a JSON report (reported, suppressed or baselined), by id (`F3`) or fingerprint (or a prefix of at least 8 characters). */
function findInReport(reportFile: string, key: string): Finding {
  let report: { findings?: Finding[]; suppressed?: Finding[]; baseline?: { unchanged?: Finding[] } | null };
  try {
    report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as typeof report;
  } catch (e) {
    throw new SuppressionsUsageError(`--from ${reportFile}: not a readable JSON report (${(e as Error).message}); write one with \`persona-review review -f json -o ${reportFile}\``);
  }
  const all = [...(report.findings ?? []), ...(report.suppressed ?? []), ...(report.baseline?.unchanged ?? [])];
  const hits = all.filter((f) => f.id === key || f.fingerprint === key || (key.length >= 8 && f.fingerprint.startsWith(key)));
  if (hits.length === 0) throw new SuppressionsUsageError(`no finding "${key}" in ${reportFile} (give its id, e.g. F3, or its fingerprint)`);
  if (new Set(hits.map((h) => h.fingerprint)).size > 1) throw new SuppressionsUsageError(`"${key}" matches ${hits.length} findings in ${reportFile}; give the full fingerprint`);
  return hits[0]!;
}

async function addCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parse(args, { from: { type: 'string' }, reason: { type: 'string' }, expires: { type: 'string' } });
  const root = process.cwd();
  if (positionals.length !== 1) throw new SuppressionsUsageError('name one finding: its id in the report (F3) or its fingerprint');
  if (typeof values.from !== 'string') throw new SuppressionsUsageError('--from <report.json> is required: the JSON report the finding comes from');
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (!reason) throw new SuppressionsUsageError('--reason <text> is required: say why the team accepts this finding');
  const expires = typeof values.expires === 'string' ? values.expires : undefined;
  if (expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(expires)) throw new SuppressionsUsageError(`--expires expects a date such as 2025-12-31, got "${expires}"`);
  const f = findInReport(path.resolve(root, values.from), positionals[0]!);
  const file = fileOf(root, values.file);
  if (path.dirname(file) === path.join(root, TEAM_DIR)) ensureTeamDir(root);
  const who = await gitIdentity(root);
  const entry: SuppressionEntry = {
    fingerprint: f.fingerprint,
    rule: f.ruleId ?? f.category,
    file: f.file,
    quote: f.quote,
    reason,
    author: formatIdentity(who),
    date: new Date().toISOString().slice(0, 10),
    ...(expires ? { expires } : {}),
  };
  await addSuppressions(file, [entry]);
  process.stdout.write(`Suppressed ${entry.rule} at ${f.file}:${f.range.startLine} in ${path.relative(root, file)}: "${reason}". Commit the file to share it.\n`);
  const log = (s: string) => !values.quiet && process.stderr.write(`${s}\n`);
  await recordEvent(
    resolveLedger(root, { ledger: values.ledger as string | undefined, noLedger: values['no-ledger'] as boolean | undefined }, env),
    root,
    { event: 'suppression', data: { action: 'add', scope: 'team', fingerprint: f.fingerprint, rule: entry.rule, file: f.file, severity: f.severity, reason, ...(expires ? { expires } : {}) } },
    log,
  );
  return 0;
}

async function removeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parse(args, {});
  const root = process.cwd();
  if (!positionals.length) throw new SuppressionsUsageError('name the fingerprint(s) to remove (see `persona-review suppressions list`)');
  const file = fileOf(root, values.file);
  const entries = readSuppressionsFile(file).entries;
  const chosen = positionals.map((p) => {
    const hits = entries.filter((e) => e.fingerprint === p || (p.length >= 8 && e.fingerprint.startsWith(p)));
    if (hits.length !== 1) throw new SuppressionsUsageError(`"${p}" matches ${hits.length} entries of ${path.relative(root, file)}`);
    return hits[0]!;
  });
  const removed = await removeSuppressions(file, chosen.map((c) => c.fingerprint));
  process.stdout.write(`Removed ${removed} suppression(s) from ${path.relative(root, file)}; their findings are reported again.\n`);
  const ledger = resolveLedger(root, { ledger: values.ledger as string | undefined, noLedger: values['no-ledger'] as boolean | undefined }, env);
  const log = (s: string) => !values.quiet && process.stderr.write(`${s}\n`);
  for (const c of chosen) await recordEvent(ledger, root, { event: 'suppression', data: { action: 'remove', scope: 'team', fingerprint: c.fingerprint, rule: c.rule, file: c.file, reason: c.reason } }, log);
  return 0;
}

/** Why a suppressions entry is stale, or undefined when its finding still exists. */
export type StaleReason = 'expired' | 'file-gone' | 'code-gone' | 'rule-no-longer-reports';

const RULE_CATEGORY = new Map(ALL_RULES.map((r) => [r.id, r.category] as const));

/**
 * For each entry, whether its finding still exists in `root`: the file is there, the quoted code is still
 * there at an occurrence with the same fingerprint, and (for offline rules) the rule still reports it.
 * Entries of model findings are judged by their code alone (a model is not re-run). Expired entries are
 * stale. Returns the stale entries with their reason.
 */
export async function staleSuppressions(root: string, entries: Array<SuppressionEntry & { line: number }>, now = new Date()): Promise<Array<{ entry: SuppressionEntry & { line: number }; reason: StaleReason }>> {
  const stale: Array<{ entry: SuppressionEntry & { line: number }; reason: StaleReason }> = [];
  const live = entries.filter((e) => {
    if (isExpired(e, now)) stale.push({ entry: e, reason: 'expired' });
    else if (!fs.existsSync(path.join(root, e.file))) stale.push({ entry: e, reason: 'file-gone' });
    else return true;
    return false;
  });
  if (!live.length) return stale;
  const context = await buildContext({ kind: 'paths', root, paths: [...new Set(live.map((e) => e.file))] }, { unlimited: true });
  const texts = new Map(context.files.map((f) => [f.path, f.text]));
  const codeThere = live.filter((e) => {
    const text = texts.get(e.file);
    const category = RULE_CATEGORY.get(e.rule) ?? e.rule;
    const first = e.quote.split('\n')[0]?.trim();
    let found = false;
    if (text !== undefined && first) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length && !found; i++) {
        if (!lines[i]!.includes(first)) continue;
        const at = lines.slice(i).join('\n').indexOf(e.quote.trim());
        if (at >= 0 && fingerprint(e.file, category, e.quote, text, i + 1) === e.fingerprint) found = true;
      }
    }
    if (!found) stale.push({ entry: e, reason: 'code-gone' });
    return found;
  });
  const ruled = codeThere.filter((e) => RULE_CATEGORY.has(e.rule));
  if (ruled.length) {
    const ruleIds = new Set(ruled.map((e) => e.rule));
    const personaIds = new Set(ALL_RULES.filter((r) => ruleIds.has(r.id)).flatMap((r) => r.personas));
    const personas = (await loadPersonas([builtinPersonaDir()])).personas.filter((p) => personaIds.has(p.id));
    const ruledContext = await buildContext({ kind: 'paths', root, paths: [...new Set(ruled.map((e) => e.file))] }, { unlimited: true });
    // At depth `thorough` (everything `precise` reports and more): a rule the default depth holds back still reports.
    const result = await reviewContext(ruledContext, { provider: new OfflineProvider({ depth: 'thorough' }), personas });
    const reported = new Set([...result.findings, ...(result.suppressed ?? [])].map((f) => f.fingerprint));
    for (const e of ruled) if (!reported.has(e.fingerprint)) stale.push({ entry: e, reason: 'rule-no-longer-reports' });
  }
  return stale.sort((a, b) => a.entry.line - b.entry.line);
}

const STALE_LABEL: Record<StaleReason, string> = {
  expired: 'expired',
  'file-gone': 'the file no longer exists',
  'code-gone': 'the quoted code is no longer there',
  'rule-no-longer-reports': 'the rule no longer reports it',
};

async function pruneCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parse(args, { write: { type: 'boolean' }, check: { type: 'boolean' } });
  const root = process.cwd();
  const file = fileOf(root, values.file);
  const parsed = readSuppressionsFile(file);
  for (const e of parsed.errors) process.stderr.write(`persona-review: ${formatSuppressionsError({ ...e, file: path.relative(root, file) })}\n`);
  const stale = await staleSuppressions(root, parsed.entries);
  const rel = path.relative(root, file);
  if (!stale.length) {
    process.stdout.write(`All ${parsed.entries.length} suppression(s) in ${rel} still match a finding.\n`);
    return 0;
  }
  for (const { entry: e, reason } of stale) process.stdout.write(`${rel}:${e.line}  ${e.fingerprint.slice(0, 12)}  ${e.rule}  ${e.file}: ${STALE_LABEL[reason]}\n`);
  if (!values.write) {
    process.stdout.write(`${stale.length} of ${parsed.entries.length} suppression(s) no longer match a finding; remove them with --write.\n`);
    return values.check ? 1 : 0;
  }
  const removed = await removeSuppressions(file, stale.map((s) => s.entry.fingerprint));
  process.stdout.write(`Removed ${removed} stale suppression(s) from ${rel}.\n`);
  const ledger = resolveLedger(root, { ledger: values.ledger as string | undefined, noLedger: values['no-ledger'] as boolean | undefined }, env);
  const log = (s: string) => !values.quiet && process.stderr.write(`${s}\n`);
  for (const { entry: e, reason } of stale) {
    await recordEvent(ledger, root, { event: 'suppression', data: { action: 'prune', scope: 'team', fingerprint: e.fingerprint, rule: e.rule, file: e.file, reason: STALE_LABEL[reason] } }, log);
  }
  return 0;
}
