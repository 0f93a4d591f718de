/**
 * `persona-review`: the engine headless, for terminals and CI.
 *
 *   persona-review review [options] <paths...>
 *   persona-review personas [--json]
 *   persona-review workflow list | run <name> | show <runId>   (see ./workflow.ts)
 *   persona-review doc readiness|slo|incident|report|... [paths]  (see ./doc.ts)
 *   persona-review baseline [options] [paths...] [-o file]     (same options as review)
 *   persona-review suppressions list | add | prune             (see ./suppressions.ts)
 *   persona-review audit init | verify | coverage | report     (see ./audit.ts)
 *
 * Exit codes: 0 complete, no findings at or above --fail-on (or no --fail-on given); 1 complete, findings at or
 * above --fail-on; 2 bad usage or input (unknown option or persona, missing path, nothing reviewable, no API
 * key for --provider anthropic, every persona refused before producing anything: a rejected key, a bad
 * request); 3 incomplete review (cancelled, a cut stream, a persona failed, a reply stopped at the output
 * limit: see core/completeness.ts), whatever --fail-on says.
 */
import { offlineDepthOption, splitDiffOption } from './args';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import pkg from '../../package.json';
import { reviewContext } from '../core/engine';
import { buildContext } from '../core/context';
import { attachProjectContext } from '../core/projectContext';
import { appendMemoryEntry, memoryPath } from '../core/memory';
import { currentUser } from '../core/workflowRun';
import { BudgetError, checkCost, parseBudget, routePersonas, usageSummary } from './team';
import { workflowCommand } from './workflow';
import { runMcpServer } from '../mcp/server';
import { DocUsageError, docCommand } from './doc';
import { InputError } from '../core/files';
import { OfflineProvider } from '../core/offline/provider';
import type { OfflineDepth } from '../core/offline/rule';
import { AnthropicProvider, anthropicKeyFromEnv, DEFAULT_MODEL } from '../core/providers/anthropic';
import { resolvePersonaIds, type LoadedPersona } from '../core/personas';
import { type PersonaOrigin } from '../core/workspacePersonas';
import { importExportCommand } from './importExport';
import { describeWorkspaceFiles, loadDefinitions, type ChangeUnderReview, type WorkspaceDefinitions } from '../core/trust';
import { renderReport } from '../core/render';
import { missingParts } from '../core/completeness';
import { resolveReviewRoot } from '../core/reviewRoot';
import { ruleDescriptors } from '../core/offline/descriptors';
import { SEVERITIES, atLeast, type ReviewContext, type ReviewEvent, type ReviewProvider, type ReviewResult, type ReviewTarget, type Severity } from '../core/types';
import { BaselineError, createBaseline, readBaseline, writeBaseline } from '../core/baseline';
import { reviewData } from '../core/ledger';
import { TEAM_DIR, baselinePath, ensureTeamDir, formatIdentity, gitIdentity, headCommit } from '../core/teamFiles';
import { auditCommand } from './audit';
import { recordEvent, resolveLedger } from './ledger';
import { suppressionsCommand } from './suppressions';

const USAGE = `persona-review ${pkg.version}: code review by a team of personas

Usage:
  persona-review review [options] <paths...>   review files or folders (folders respect .gitignore)
  persona-review personas [--json]             list the personas
  persona-review workflow list|run|show ...    phase-gated team workflows (persona-review workflow --help)
  persona-review import <file-or-folder>       import personas of Claude Code, VS Code, Roo Code, BMAD (import --help)
  persona-review export --to <format>          write personas for claude-agent | vscode-agent | roo (export --help)
  persona-review memory show|add <persona> ...  the team memory of a persona (.personas/memory/<id>.md)
  persona-review mcp [options]                 the personas as an MCP server over stdio (persona-review mcp --help)
  persona-review doc <document> [paths...]     offline documents: readiness, slo, incident, report, threat-model, ...
                                               (persona-review doc --help)
  persona-review baseline [options] [paths...] record today's findings (default -o .persona-review/baseline.json)
  persona-review suppressions list|add|prune   the team's accepted findings (persona-review suppressions --help)
  persona-review audit init|verify|coverage|report   the audit ledger (persona-review audit --help)
  persona-review --version | --help

Review options:
  -p, --persona <ids>      comma-separated persona ids or names (default: security,sre,architect,engineer,qa)
                           'all' runs every reviewing persona; 'auto' picks them from what the code
                           contains and prints why on stderr
  --provider <name>        offline | anthropic (default: anthropic when ANTHROPIC_API_KEY is set, else offline)
  --model <id>             Claude model (default ${DEFAULT_MODEL}); ANTHROPIC_BASE_URL sets the endpoint
  --max-tokens <n>         maximum output tokens per request (default 8192)
  --offline-depth <d>      offline provider: precise (default: rules that are true on well-reviewed code)
                           | thorough (also size/complexity/coupling measures and softer cases)
  -f, --format <fmt>       md | json | sarif (default md)
  -o, --out <file>         write the report to a file instead of stdout
  --sarif-output <file>    also write the report as SARIF to this file (the same review; for code scanning)
  --json-output <file>     also write the report as JSON to this file
  --diff [base]            review git changes only: working tree vs HEAD, or the branch vs its
                           merge-base with <base>; findings only on changed lines
  --staged                 review staged changes only
  --lines <a-b>            with one file: review only lines a..b (1-based)
  --fail-on <severity>     exit 1 when a finding is at or above: critical | high | medium | low
  --concurrency <n>        personas reviewed at once (default 4)
  --token-budget <n>       most estimated input tokens sent per persona (default 150000)
  --include <glob>         only files matching (gitignore syntax; repeatable)
  --exclude <glob>         skip files matching (repeatable)
  --root <dir>             folder findings' paths are relative to (default: the git top level of the
                           paths given, else their common folder)
  --personas-dir <dir>     extra persona files (default: .personas/ in the current folder, if any)
  --no-project-context     send neither the project's guidance files (AGENTS.md, CLAUDE.md,
                           .github/copilot-instructions.md, CONTRIBUTING.md) nor the team memory
                           (.personas/memory/<persona>.md) with the review
  --headers-timeout <s>    with Claude: seconds to wait for response headers before retrying (default 60)
  --stall-timeout <s>      with Claude: seconds of silence on a started reply before it counts as cut (default 120)
  --max-retry-wait <s>     with Claude: longest wait a rate limit may ask for before a retry (default 60)
  --budget <usd>           with --provider anthropic: runs estimated above this need --yes (default 1)
  -y, --yes                run even when the estimated cost is above --budget
  -q, --quiet              no progress on stderr
  --baseline <file>        report only findings not in this baseline (persona-review baseline); says how
                           many baselined findings still exist and how many were fixed
  --suppressions <file>    suppressions file (default .persona-review/suppressions.yaml)
  --no-suppressions        ignore inline persona-review-ignore comments and the suppressions file
  --ignore-new-suppressions  with --diff/--staged: suppressions the change itself adds silence nothing
  --ledger <file>          append this review to the audit ledger (default .persona-review/ledger.jsonl
                           when it exists, or PERSONA_REVIEW_LEDGER)
  --no-ledger              do not write the audit ledger

Exit codes: 0 = complete, nothing at or above --fail-on; 1 = complete, findings at or above --fail-on;
2 = bad usage or input; 3 = incomplete review (cancelled, cut, a persona failed), even with --fail-on.
`;

class UsageError extends Error {}

/** Entry point; returns the exit code. Never throws. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    if (!['workflow', 'mcp', 'import', 'export', 'doc', 'suppressions', 'audit'].includes(command) && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command === 'personas') return await personasCommand(rest);
    if (command === 'review') return await reviewCommand(rest, env);
    if (command === 'workflow') return await workflowCommand(rest, env);
    if (command === 'mcp') return await mcpCommand(rest, env);
    if (command === 'memory') return await memoryCommand(rest, env);
    if (command === 'import' || command === 'export') return await importExportCommand(command, rest);
    if (command === 'doc') return await docCommand(rest);
    if (command === 'baseline') return await reviewCommand(rest, env, 'baseline');
    if (command === 'suppressions') return await suppressionsCommand(rest, env);
    if (command === 'audit') return await auditCommand(rest, env);
    throw new UsageError(`unknown command "${command}"; expected "review", "personas", "workflow", "baseline", "suppressions", "audit", "memory", "mcp", "import", "export" or "doc"`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof DocUsageError || e instanceof InputError || e instanceof BudgetError || e instanceof BaselineError) {
      process.stderr.write(`persona-review: ${e.message}\nRun "persona-review --help" for usage.\n`);
      return 2;
    }
    process.stderr.write(`persona-review: unexpected error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/**
 * The personas (and workflows) in effect for a command run in the current folder: the built-ins, the
 * workspace's `.personas/` (or `--personas-dir`) and other tools' personas found in the repository. Says on
 * stderr (through `log`) which files come from the workspace and what they add or override; in a change
 * review (`change`), the workspace's files are read from the change's base (src/core/trust.ts). Bad files
 * are reported and skipped.
 */
async function loadCliDefinitions(opts: { personasDir?: string; change?: ChangeUnderReview; log?: (s: string) => void } = {}): Promise<WorkspaceDefinitions> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const defs = await loadDefinitions(process.cwd(), { ...(opts.personasDir ? { personasDir: opts.personasDir } : {}), ...(opts.change ? { change: opts.change } : {}) });
  for (const err of defs.personaErrors) process.stderr.write(`persona-review: skipped persona file ${err.file}: ${err.message}\n`);
  for (const line of describeWorkspaceFiles(defs)) log(`persona-review: ${line}`);
  lastOrigins = defs.origin;
  return defs;
}

/** Built-in, `.personas/` and discovered personas of the current folder; load errors go to stderr. */
async function loadAllPersonas(extraDir?: string): Promise<LoadedPersona[]> {
  return (await loadCliDefinitions({ ...(extraDir ? { personasDir: extraDir } : {}) })).personas;
}
let lastOrigins = new Map<string, PersonaOrigin>();

const MCP_USAGE = `persona-review mcp: the personas as an MCP server over stdio

Usage:
  persona-review mcp [--model <id>] [--personas-dir <dir>] [--no-project-context]

Tools: review, invoke_<persona> (one per reviewing persona), list_personas, explain_finding, run_workflow.
Prompts: one per persona (its system prompt, with the code as the "code" argument).
Reviews run offline unless ANTHROPIC_API_KEY is set in the server's environment. Files are read only
inside the roots the client gives, or the folder the server was started in when it gives none.
`;

async function mcpCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(MCP_USAGE);
    return 0;
  }
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { model: { type: 'string' }, 'personas-dir': { type: 'string' }, 'no-project-context': { type: 'boolean' } } }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return runMcpServer({
    cwd: process.cwd(),
    env,
    version: pkg.version,
    ...(values.model ? { model: values.model } : {}),
    ...(values['personas-dir'] ? { personasDir: values['personas-dir'] } : {}),
    projectContext: !values['no-project-context'],
  });
}

/** `persona-review memory show|add <persona> ...`: the team memory of a persona in the current folder. */
async function memoryCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, who, ...rest] = args;
  if (sub !== 'show' && sub !== 'add') throw new UsageError('usage: persona-review memory show <persona> | memory add <persona> "<decision>" [--about <rule or category>] [--as <name>]');
  const all = await loadAllPersonas();
  const { selected } = resolvePersonaIds([who ?? ''], all);
  const persona = selected[0];
  if (!persona) throw new UsageError(`name a persona: ${all.map((p) => p.id).join(', ')}`);
  const rel = memoryPath(persona.id);
  if (sub === 'show') {
    const file = path.resolve(rel);
    if (!fs.existsSync(file)) {
      process.stderr.write(`persona-review: ${rel} does not exist yet; add a decision with: persona-review memory add ${persona.id} "..."\n`);
      return 0;
    }
    process.stdout.write(fs.readFileSync(file, 'utf8'));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { about: { type: 'string' }, as: { type: 'string' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const text = parsed.positionals.join(' ').trim();
  if (!text) throw new UsageError(`give the decision to remember, e.g. persona-review memory add ${persona.id} "We use parameterised queries through knex."`);
  const file = await appendMemoryEntry(process.cwd(), persona, { text, by: parsed.values.as ?? currentUser(env), ...(parsed.values.about ? { about: parsed.values.about } : {}) });
  process.stderr.write(`persona-review: added to ${path.relative(process.cwd(), file)}; it goes with every ${persona.name} review as the team's guidance\n`);
  return 0;
}

async function personasCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'personas-dir': { type: 'string' } }, strict: true });
  const personas = await loadAllPersonas(values['personas-dir']);
  if (values.json) {
    process.stdout.write(JSON.stringify(personas.map(({ prompt: _p, source, ...rest }) => ({ ...rest, origin: lastOrigins.get(rest.id) ?? 'workspace', file: path.relative(process.cwd(), source) || source })), null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...personas.map((p) => p.id.length));
  for (const p of personas) {
    const from = lastOrigins.get(p.id) === 'repository' ? `  [from this repository: ${path.relative(process.cwd(), p.source) || p.source}]` : '';
    process.stdout.write(`${p.id.padEnd(w)}  @${p.chat.padEnd(12)} ${p.name}: ${p.description}${from}\n`);
  }
  return 0;
}


/** A duration option in seconds (decimals allowed), returned in ms; `min` seconds is the smallest allowed. */
function secondsOption(name: string, v: string | undefined, min = 0.001): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} expects a number of seconds${min > 0 ? ' above 0' : ''}, got "${v}"`);
  return Math.round(n * 1000);
}

function intOption(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects a whole number >= ${min}, got "${v}"`);
  return n;
}

/**
 * `review`, and `baseline` (the same review, written as a baseline file instead of a report; suppressed
 * findings and any earlier baseline are not recorded again).
 */
async function reviewCommand(rawArgs: string[], env: NodeJS.ProcessEnv, mode: 'review' | 'baseline' = 'review'): Promise<number> {
  const pre = splitDiffOption(rawArgs);
  let parsed;
  try {
    parsed = parseArgs({
      args: pre.args,
      allowPositionals: true,
      strict: true,
      options: {
        persona: { type: 'string', short: 'p', multiple: true },
        provider: { type: 'string' },
        model: { type: 'string' },
        'max-tokens': { type: 'string' },
        'offline-depth': { type: 'string' },
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
        'sarif-output': { type: 'string' },
        'json-output': { type: 'string' },
        staged: { type: 'boolean' },
        lines: { type: 'string' },
        'fail-on': { type: 'string' },
        concurrency: { type: 'string' },
        'token-budget': { type: 'string' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'personas-dir': { type: 'string' },
        root: { type: 'string' },
        'headers-timeout': { type: 'string' },
        'stall-timeout': { type: 'string' },
        'max-retry-wait': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        budget: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        'no-project-context': { type: 'boolean' },
        baseline: { type: 'string' },
        suppressions: { type: 'string' },
        'no-suppressions': { type: 'boolean' },
        'ignore-new-suppressions': { type: 'boolean' },
        ledger: { type: 'string' },
        'no-ledger': { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const format = (values.format ?? 'md') as 'md' | 'json' | 'sarif';
  if (!['md', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be md, json or sarif, got "${values.format}"`);
  const failOn = values['fail-on'] as Severity | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, got "${failOn}"`);
  const maxTokens = intOption('max-tokens', values['max-tokens'], 256);
  let offlineDepth: OfflineDepth;
  try {
    offlineDepth = offlineDepthOption(values['offline-depth']);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const concurrency = intOption('concurrency', values.concurrency, 1);
  const tokenBudget = intOption('token-budget', values['token-budget'], 1000);
  const headersTimeout = secondsOption('headers-timeout', values['headers-timeout']);
  const stallTimeout = secondsOption('stall-timeout', values['stall-timeout']);
  const maxRetryWait = secondsOption('max-retry-wait', values['max-retry-wait'], 0);
  let budgetUsd: number;
  try {
    budgetUsd = parseBudget(values.budget);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const quiet = values.quiet ?? false;
  const log = (s: string) => {
    if (!quiet) process.stderr.write(s + '\n');
  };

  // Personas: in a change review, the workspace's persona files are read from the change's base.
  const change: ChangeUnderReview | undefined = pre.diff || values.staged ? { mode: values.staged ? 'staged' : pre.diff?.base ? 'base' : 'working', ...(pre.diff?.base ? { base: pre.diff.base } : {}) } : undefined;
  const defs = await loadCliDefinitions({ ...(values['personas-dir'] ? { personasDir: values['personas-dir'] } : {}), ...(change ? { change } : {}), log });
  const all = defs.personas;
  const requested = (values.persona ?? ['security,sre,architect,engineer,qa']).flatMap((p) => p.split(',')).map((s) => s.trim()).filter(Boolean);
  let personas: LoadedPersona[];
  const auto = requested.includes('auto');
  if (auto && requested.length > 1) throw new UsageError('--persona auto picks the personas itself: give it alone');
  if (auto) personas = [];
  // `all`: every reviewing persona except those discovered in the repository (name them to use them).
  else if (requested.includes('all')) personas = all.filter((p) => p.reviews && lastOrigins.get(p.id) !== 'repository');
  else {
    const { selected, unknown } = resolvePersonaIds(requested, all);
    if (unknown.length) throw new UsageError(`unknown persona(s): ${unknown.join(', ')}. Known: ${all.map((p) => p.id).join(', ')}`);
    personas = selected;
  }

  // Provider: an explicit choice is honoured; otherwise the key decides.
  const apiKey = anthropicKeyFromEnv(env);
  const providerName = values.provider ?? (apiKey ? 'anthropic' : 'offline');
  let provider: ReviewProvider;
  const model = values.model ?? DEFAULT_MODEL;
  if (providerName === 'offline') {
    if (!values.provider) log('persona-review: no ANTHROPIC_API_KEY set: using the offline provider (rules over syntax trees; no network).');
    provider = new OfflineProvider({ depth: offlineDepth });
  } else if (providerName === 'anthropic') {
    if (values['offline-depth']) throw new UsageError('--offline-depth applies to the offline provider only; drop it or add --provider offline');
    if (!apiKey) throw new UsageError('--provider anthropic needs an API key: set ANTHROPIC_API_KEY (never pass keys as arguments), or use --provider offline');
    provider = new AnthropicProvider({
      apiKey,
      baseURL: env.ANTHROPIC_BASE_URL,
      model: values.model,
      maxOutputTokens: maxTokens,
      headersTimeoutMs: headersTimeout,
      streamIdleMs: stallTimeout,
      maxRetryAfterMs: maxRetryWait,
    });
  } else throw new UsageError(`--provider must be offline or anthropic, got "${providerName}"`);

  // Target: any paths; the root is --root, else the git top level of the paths, else their common folder.
  const resolved = await resolveReviewRoot(positionals, process.cwd(), values.root);
  const root = resolved.root;
  if (resolved.source !== 'cwd' && path.resolve(root) !== path.resolve(process.cwd())) {
    log(`persona-review: root ${root} (${resolved.source === 'git' ? 'git top level of the paths' : resolved.source === 'common' ? 'common folder of the paths' : '--root'}); paths in findings are relative to it`);
  }
  if (mode === 'baseline' && values.baseline) throw new UsageError('baseline records every finding: --baseline does not apply (give the output file with -o)');
  // Files named on the command line are relative to the current folder; messages show them relative to the root.
  const shown = (abs: string) => (path.relative(root, abs).startsWith('..') ? abs : path.relative(root, abs));
  const baselineIn = values.baseline ? { file: shown(path.resolve(values.baseline)), ...readBaseline(path.resolve(values.baseline)) } : undefined;
  for (const e of baselineIn?.errors ?? []) log(`persona-review: baseline entry skipped: ${e}`);
  const ledgerFile = resolveLedger(root, { ledger: values.ledger ? path.resolve(values.ledger) : undefined, noLedger: values['no-ledger'] }, env);
  let target: ReviewTarget;
  if (pre.diff || values.staged) {
    const mode = values.staged ? 'staged' : pre.diff?.base ? 'base' : 'working';
    target = { kind: 'git', root, mode, base: pre.diff?.base, paths: resolved.paths.length ? resolved.paths.map((p) => path.relative(root, p) || '.') : undefined };
  } else {
    if (!positionals.length && mode === 'review') throw new UsageError('name at least one file or folder to review (or use --diff)');
    target = { kind: 'paths', root, paths: resolved.paths };
    if (values.lines) {
      const m = /^(\d+)-(\d+)$/.exec(values.lines);
      if (!m || positionals.length !== 1) throw new UsageError('--lines takes a-b (1-based, inclusive) with exactly one file');
      target.range = { path: resolved.paths[0]!, startLine: Number(m[1]), endLine: Number(m[2]) };
    }
  }

  // Review, with progress on stderr for runs longer than a second.
  const controller = new AbortController();
  const onSignal = () => {
    log('persona-review: cancelling (press Ctrl+C again to quit at once)…');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  const started = Date.now();
  let lastProgress = 0;
  const onEvent = (ev: ReviewEvent) => {
    if (ev.type === 'context') log(`persona-review: ${ev.files} file(s), ~${ev.tokens.toLocaleString('en-US')} tokens, ${personas.length} persona(s) [${personas.map((p) => p.id).join(', ')}], provider ${provider.id}`);
    else if (ev.type === 'progress' && Date.now() - lastProgress > 1000 && Date.now() - started > 1000) {
      lastProgress = Date.now();
      log(`persona-review: ${ev.filesDone}/${ev.filesTotal} file reviews done, ${ev.findings} finding(s) so far`);
    } else if (ev.type === 'retry') log(`persona-review: ${ev.message}`);
    else if (ev.type === 'error') log(`persona-review: ${ev.personaId}: ${ev.error.message}${ev.partial ? ' (kept what arrived before the error)' : ''}`);
  };
  // One context build, shared by routing, the cost estimate and every persona.
  let context;
  try {
    context = await buildContext(target, {
      tokenBudget,
      include: values.include,
      exclude: values.exclude,
      signal: controller.signal,
      unlimited: provider.local === true,
    });
  } catch (e) {
    process.removeListener('SIGINT', onSignal);
    if (!controller.signal.aborted) throw e;
    process.stderr.write('persona-review: INCOMPLETE review, exit code 3: cancelled before any persona started; nothing was reviewed.\n');
    return 3;
  }
  context.notices.push(...defs.notices);
  if (auto) personas = await routePersonas(context, all, (s) => process.stderr.write(s + '\n'));
  await attachProjectContext(context, target, personas, { enabled: !values['no-project-context'] });
  try {
    checkCost(context, personas, provider, model, { budgetUsd, yes: values.yes ?? false, log });
  } catch (e) {
    process.removeListener('SIGINT', onSignal);
    throw e;
  }
  const result = await reviewContext(context, {
    provider,
    personas,
    providerOptions: { model: values.model, maxOutputTokens: maxTokens },
    concurrency,
    signal: controller.signal,
    onEvent,
    triage: values['no-suppressions'] && !baselineIn
      ? false
      : {
          target,
          inline: !values['no-suppressions'],
          suppressionsFile: values['no-suppressions'] ? false : values.suppressions ? path.resolve(values.suppressions) : undefined,
          ...(baselineIn ? { baseline: { file: baselineIn.file, baseline: baselineIn.baseline } } : {}),
          ignoreAddedSuppressions: values['ignore-new-suppressions'] ?? false,
        },
  }, started);
  process.removeListener('SIGINT', onSignal);

  if (mode === 'baseline') {
    // A baseline from an incomplete review lacks findings that exist today; they would block later
    // reviews as new ones. Write none and exit 3 like an incomplete review.
    const missing = missingParts(result);
    if (missing.length) {
      const what = missing.map((m) => `${m.personaId} (${m.reason}${m.partial ? ', partly' : ''})`).join(', ');
      process.stderr.write(`persona-review: INCOMPLETE review, exit code 3: missing ${what}. No baseline was written; run it again.\n`);
      return 3;
    }
    return writeBaselineFile(result, context, { root, out: values.out, log, ledgerFile });
  }
  await recordEvent(
    ledgerFile,
    root,
    { event: 'review', data: await reviewData({ root, result, files: context.files.map((f) => f.path), target, via: 'cli' }) },
    log,
  );

  const report = renderReport(result, format, { toolVersion: pkg.version, rules: ruleDescriptors(), root });
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, report);
    log(`persona-review: wrote ${format} report to ${values.out}`);
  } else process.stdout.write(report.endsWith('\n') ? report : report + '\n');
  // Extra copies in other formats from the same review (CI wants SARIF for code scanning and markdown for people).
  for (const [extra, file] of [['sarif', values['sarif-output']], ['json', values['json-output']]] as const) {
    if (!file) continue;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, renderReport(result, extra, { toolVersion: pkg.version, rules: ruleDescriptors(), root }));
    log(`persona-review: wrote ${extra} report to ${file}`);
  }

  const counts = SEVERITIES.map((s) => `${result.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  log(`persona-review: ${result.findings.length} finding(s) (${counts}) from ${result.filesReviewed} file(s) in ${(result.durationMs / 1000).toFixed(1)} s${result.dropped.length ? `; ${result.dropped.length} dropped` : ''}`);
  for (const n of result.notices) log(`persona-review: note: ${n}`);
  const usageLine = usageSummary(result, model);
  if (usageLine) log(usageLine);

  const reviewing = personas.filter((p) => p.reviews);
  // Every persona refused before producing anything (a rejected key, a bad request): a usage problem.
  const refused = (id: string) => result.errors.some((e) => e.personaId === id && !e.partial && !e.error.retryable && e.error.kind !== 'cancelled');
  if (reviewing.length > 0 && reviewing.every((p) => refused(p.id)) && result.findings.length === 0) return 2;
  const missing = missingParts(result);
  if (missing.length) {
    const what = missing.map((m) => `${m.personaId} (${m.reason}${m.partial ? ', partly' : ''})`).join(', ');
    process.stderr.write(`persona-review: INCOMPLETE review, exit code 3: missing ${what}. The report holds what arrived; run the review again for the rest.\n`);
    return 3;
  }
  if (failOn && result.findings.some((f) => atLeast(f.severity, failOn))) return 1;
  return 0;
}

/** `baseline`: writes the review's findings as a baseline file (default .persona-review/baseline.json). */
async function writeBaselineFile(
  result: ReviewResult,
  context: ReviewContext,
  opts: { root: string; out?: string; log: (s: string) => void; ledgerFile?: string },
): Promise<number> {
  const out = opts.out ? path.resolve(opts.out) : baselinePath(opts.root);
  if (path.dirname(out) === path.join(opts.root, TEAM_DIR)) ensureTeamDir(opts.root);
  const [who, commit] = await Promise.all([gitIdentity(opts.root), headCommit(opts.root)]);
  const baseline = createBaseline(result.findings, {
    tool: { name: 'Persona Review', version: pkg.version },
    createdAt: new Date().toISOString(),
    createdBy: formatIdentity(who),
    commit: commit ?? null,
    provider: result.provider,
    model: result.model ?? null,
    personas: result.personas.filter((p) => p.reviews).map((p) => p.id),
  });
  writeBaseline(out, baseline);
  const counts = SEVERITIES.map((s) => `${baseline.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  process.stdout.write(
    `Baseline written to ${path.relative(opts.root, out) || out}: ${baseline.findings.length} finding(s) (${counts}) from ${context.files.length} file(s)` +
      `${result.suppressed?.length ? `; ${result.suppressed.length} suppressed finding(s) not recorded` : ''}.\n` +
      `Commit it, then review with --baseline ${path.relative(opts.root, out) || out} to report only new findings.\n`,
  );
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
