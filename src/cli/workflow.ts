/**
 * `persona-review workflow`: the Workflow Executor from the command line.
 *
 *   persona-review workflow list [--json]
 *   persona-review workflow run <name> [options] [paths...]
 *   persona-review workflow show <runId> [--format md|json]
 *
 * Exit codes of `run`: 0 every gate passed (or each failed gate was overridden with a reason); 1 a gate
 * failed (the run stopped there; resume it with --resume <runId>); 2 bad input (unknown workflow, bad
 * workflow file, bad option, nothing to review, no API key, unreadable run log). `list` exits 2 when a
 * workflow file has errors (the valid workflows are still listed). `show` exits 0 for a run that passed,
 * 1 for one that is failed or unfinished, 2 for an unknown run id.
 */
import { offlineDepthOption, splitDiffOption } from './args';
import type { OfflineDepth } from '../core/offline/rule';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildContext } from '../core/context';
import { attachProjectContext } from '../core/projectContext';
import { reviewContext } from '../core/engine';
import { InputError } from '../core/files';
import { OfflineProvider } from '../core/offline/provider';
import { resolvePersonaIds } from '../core/personas';
import { describeWorkspaceFiles, loadDefinitions, type ChangeUnderReview, type WorkspaceDefinitions } from '../core/trust';
import { AnthropicProvider, anthropicKeyFromEnv, DEFAULT_MODEL } from '../core/providers/anthropic';
import type { ReviewProvider } from '../core/types';
import { RunLogError, WorkflowExecutor, failedGates, renderRunMarkdown, type RunLog, type RunTarget } from '../core/workflowRun';
import { formatWorkflowError, type Workflow } from '../core/workflows';
import { BudgetError, checkCost, parseBudget, usageSummary } from './team';
import { reviewData } from '../core/ledger';
import { recordEvent, resolveLedger } from './ledger';

const USAGE = `persona-review workflow: phase-gated team reviews (the Workflow Executor)

Usage:
  persona-review workflow list [--json]                 list built-in and workspace workflows
  persona-review workflow run <name> [options] [paths...]
  persona-review workflow show <runId> [--format md|json]   export a run log

Run options:
  --provider <name>        offline | anthropic (default: anthropic when ANTHROPIC_API_KEY is set, else offline)
  --model <id>             Claude model (default ${DEFAULT_MODEL})
  --offline-depth <d>      offline provider: precise (default) | thorough (also size/complexity/coupling measures)
  -f, --format <fmt>       md | json: the run log printed at the end (default md)
  --diff [base]            review git changes (vs the merge-base with <base>) instead of paths
  --staged                 review staged changes
  --override <gate>=<why>  let a failed gate through, recording the reason (repeatable)
  --sign-off <role>        record your sign-off as <role> for requiredSignOff gates (repeatable)
  --resume <runId>         continue a stopped run from its first unfinished phase
  --as <name>              who runs it, for the log (default: the OS user)
  --no-project-context     send neither the project guidance files nor the team memory
  --ledger <file> / --no-ledger   record phase reviews and sign-offs in the audit ledger (persona-review audit --help)
  --budget <usd>, -y/--yes as for review: runs estimated above the budget need --yes (per phase)
  -q, --quiet              no progress on stderr

Workflows: personas/workflows/*.yaml (built in) and .personas/workflows/*.yaml (this workspace).
Run logs: .persona-review/runs/<runId>.json.
Exit codes: 0 every gate passed or was overridden, 1 a gate failed, 2 bad input.
`;

class WorkflowUsageError extends Error {}

/**
 * Prints load errors of `defs` and, through `log`, which persona and workflow files come from the
 * workspace and what they add or override (src/core/trust.ts).
 */
function reportDefinitions(defs: WorkspaceDefinitions, root: string, log: (s: string) => void): void {
  for (const err of defs.personaErrors) process.stderr.write(`persona-review: skipped persona file ${err.file}: ${err.message}\n`);
  for (const e of defs.workflowErrors) process.stderr.write(`persona-review: workflow file error: ${formatWorkflowError(e, root)}\n`);
  for (const line of describeWorkspaceFiles(defs)) log(`persona-review: ${line}`);
}

/**
 * The change a run of `workflow` reviews, if any: the run's own `--diff`/`--staged` target, else the first
 * phase whose target is `changes` (vs its `base`, or the working tree).
 */
function changeOfRun(target: RunTarget, workflow: Workflow | undefined): ChangeUnderReview | undefined {
  if (target.kind === 'changes') return { mode: target.mode, ...(target.base ? { base: target.base } : {}) };
  const phase = workflow?.phases.find((p) => p.target === 'changes');
  if (!phase) return undefined;
  return phase.base ? { mode: 'base', base: phase.base } : { mode: 'working' };
}

/** Entry point of `persona-review workflow ...`; returns the exit code and never throws. */
export async function workflowCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(USAGE);
      return sub ? 0 : 2;
    }
    if (sub === 'list') return await listCommand(rest);
    if (sub === 'run') return await runCommand(rest, env);
    if (sub === 'show') return showCommand(rest);
    throw new WorkflowUsageError(`unknown workflow command "${sub}"; expected list, run or show`);
  } catch (e) {
    if (e instanceof WorkflowUsageError || e instanceof InputError || e instanceof BudgetError || e instanceof RunLogError) {
      process.stderr.write(`persona-review: ${e.message}\nRun "persona-review workflow --help" for usage.\n`);
      return 2;
    }
    process.stderr.write(`persona-review: unexpected error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/** Runs `f` (an argument parse), turning its error into a usage error (exit 2). */
function parse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new WorkflowUsageError((e as Error).message);
  }
}

async function listCommand(args: string[]): Promise<number> {
  const { values } = parse(() => parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true }));
  const root = process.cwd();
  const defs = await loadDefinitions(root);
  reportDefinitions(defs, root, (l) => process.stderr.write(`${l}\n`));
  const { workflows } = defs;
  const errorCount = defs.workflowErrors.length;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(workflows.map((w) => ({ ...w, source: path.relative(root, w.source) || w.source })), null, 2)}\n`);
  } else {
    const w = Math.max(4, ...workflows.map((x) => x.id.length));
    for (const wf of workflows) {
      process.stdout.write(`${wf.id.padEnd(w)}  ${wf.name}${wf.builtin ? '' : ' (workspace)'}: ${wf.description}\n`);
      wf.phases.forEach((p, i) => {
        const gates = p.gates.map((g) => g.id).join(', ') || 'no gates';
        process.stdout.write(`${''.padEnd(w)}    ${i + 1}. ${p.name} [${p.personas.join(', ')}] gates: ${gates}\n`);
      });
    }
  }
  return errorCount ? 2 : 0;
}

function showCommand(args: string[]): number {
  const { values, positionals } = parse(() => parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f' } }, strict: true }));
  const runId = positionals[0];
  if (!runId || positionals.length > 1) throw new WorkflowUsageError('workflow show takes one run id');
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new WorkflowUsageError(`--format must be md or json, got "${format}"`);
  const executor = new WorkflowExecutor({ root: process.cwd(), review: () => Promise.reject(new Error('show does not review')) });
  const log = executor.readLog(runId);
  process.stdout.write(format === 'json' ? `${JSON.stringify(log, null, 2)}\n` : renderRunMarkdown(log));
  return log.status === 'passed' || log.status === 'passed-with-overrides' ? 0 : 1;
}

async function runCommand(rawArgs: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const pre = splitDiffOption(rawArgs);
  const { values, positionals } = parse(() => parseArgs({
    args: pre.args,
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: 'string' },
      model: { type: 'string' },
      'offline-depth': { type: 'string' },
      format: { type: 'string', short: 'f' },
      staged: { type: 'boolean' },
      override: { type: 'string', multiple: true },
      'sign-off': { type: 'string', multiple: true },
      resume: { type: 'string' },
      as: { type: 'string' },
      budget: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      quiet: { type: 'boolean', short: 'q' },
      'no-project-context': { type: 'boolean' },
      ledger: { type: 'string' },
      'no-ledger': { type: 'boolean' },
    },
  }));
  const log = (s: string) => {
    if (!values.quiet) process.stderr.write(`${s}\n`);
  };
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new WorkflowUsageError(`--format must be md or json, got "${format}"`);
  let budgetUsd: number;
  try {
    budgetUsd = parseBudget(values.budget);
  } catch (e) {
    throw new WorkflowUsageError((e as Error).message);
  }
  const overrides: Record<string, string> = {};
  for (const o of values.override ?? []) {
    const eq = o.indexOf('=');
    const gate = eq > 0 ? o.slice(0, eq).trim() : '';
    const reason = eq > 0 ? o.slice(eq + 1).trim() : '';
    if (!gate || !reason) throw new WorkflowUsageError(`--override expects <gate>=<reason> with a non-empty reason, got "${o}"`);
    overrides[gate] = reason;
  }
  const signOffs = (values['sign-off'] ?? []).map((s) => s.trim()).filter(Boolean);

  const root = process.cwd();
  const name = positionals[0];
  const paths = positionals.slice(1);
  let target: RunTarget;
  if (pre.diff || values.staged) {
    target = { kind: 'changes', mode: values.staged ? 'staged' : pre.diff?.base ? 'base' : 'working', ...(pre.diff?.base ? { base: pre.diff.base } : {}), ...(paths.length ? { paths } : {}) };
  } else {
    if (!paths.length && !values.resume) throw new WorkflowUsageError('name the files or folders to review (or use --diff)');
    target = { kind: 'paths', paths };
  }
  const find = (ws: Workflow[]) => ws.find((w) => w.id === name || w.name.toLowerCase() === name?.toLowerCase());
  // A run that reviews a change (`--diff`/`--staged`, or a phase with a `changes` target) reads the
  // workspace's personas and workflows from the change's base, so the change cannot steer its own review.
  const runChange = changeOfRun(target, undefined);
  let defs = await loadDefinitions(root, runChange ? { change: runChange } : {});
  const phaseChange = runChange ? undefined : changeOfRun(target, find(defs.workflows));
  if (phaseChange) defs = await loadDefinitions(root, { change: phaseChange });
  reportDefinitions(defs, root, log);
  const { personas, workflows } = defs;
  if (!name) throw new WorkflowUsageError(`name a workflow to run; known: ${workflows.map((w) => w.id).join(', ') || 'none'}`);
  const workflow = find(workflows);
  if (!workflow) {
    const notUsed = defs.workspaceFiles.some((f) => f.kind === 'workflow' && f.effect === 'not-used');
    throw new WorkflowUsageError(
      `unknown workflow "${name}" (or its file has errors, see above${notUsed ? ', or it is new in the change under review and a change review does not use it' : ''}); known: ${workflows.map((w) => w.id).join(', ') || 'none'}`,
    );
  }

  // Provider, as for review.
  const apiKey = anthropicKeyFromEnv(env);
  const providerName = values.provider ?? (apiKey ? 'anthropic' : 'offline');
  let provider: ReviewProvider;
  let offlineDepth: OfflineDepth;
  try {
    offlineDepth = offlineDepthOption(values['offline-depth']);
  } catch (e) {
    throw new WorkflowUsageError((e as Error).message);
  }
  if (providerName === 'offline') provider = new OfflineProvider({ depth: offlineDepth });
  else if (providerName === 'anthropic') {
    if (values['offline-depth']) throw new WorkflowUsageError('--offline-depth applies to the offline provider only; drop it or add --provider offline');
    if (!apiKey) throw new WorkflowUsageError('--provider anthropic needs an API key: set ANTHROPIC_API_KEY, or use --provider offline');
    provider = new AnthropicProvider({ apiKey, baseURL: env.ANTHROPIC_BASE_URL, model: values.model });
  } else throw new WorkflowUsageError(`--provider must be offline or anthropic, got "${providerName}"`);
  const model = values.model ?? DEFAULT_MODEL;

  const ledger = resolveLedger(root, { ledger: values.ledger, noLedger: values['no-ledger'] }, env);
  const executor = new WorkflowExecutor({
    root,
    ...(values.as ? { who: values.as } : {}),
    review: async (phase, phaseTarget) => {
      const { selected, unknown } = resolvePersonaIds(phase.personas, personas);
      if (unknown.length) throw new InputError(`phase "${phase.id}" names unknown persona(s): ${unknown.join(', ')}`);
      const context = await buildContext(phaseTarget, { unlimited: provider.local === true });
      await attachProjectContext(context, phaseTarget, selected, { enabled: !values['no-project-context'] });
      checkCost(context, selected, provider, model, { budgetUsd, yes: values.yes ?? false, log });
      const result = await reviewContext(context, { provider, personas: selected, providerOptions: { model: values.model }, triage: { target: phaseTarget } });
      const usage = usageSummary(result, model);
      if (usage) log(usage);
      await recordEvent(ledger, root, { event: 'review', data: await reviewData({ root, result, files: context.files.map((f) => f.path), target: phaseTarget, via: `workflow:${workflow.id}/${phase.id}` }) }, log);
      return result;
    },
    onEvent: (e) => {
      if (e.type === 'phase-start') log(`persona-review: ${e.runId}: phase "${e.phaseId}" (attempt ${e.attempt}) started`);
      else if (e.type === 'phase-end') {
        log(`persona-review: phase "${e.phaseId}": ${e.status}`);
        for (const g of e.gates) log(`  ${g.passed ? 'pass' : 'FAIL'}  ${g.gateId}: ${g.detail}`);
      } else log(`persona-review: run ${e.runId}: ${e.status}`);
    },
  });

  // Errors a phase's review throws (bad target, budget) are recorded in the log, then reach workflowCommand (exit 2).
  const runLog: RunLog = values.resume
    ? await executor.resume(values.resume, { overrides, signOffs })
    : await executor.start(workflow, target, { overrides, signOffs, notices: defs.notices });
  if (values.resume && runLog.workflow.id !== workflow.id) {
    log(`persona-review: note: run ${values.resume} belongs to workflow "${runLog.workflow.id}"; it was resumed as recorded in its log.`);
  }
  for (const role of signOffs) {
    await recordEvent(ledger, root, { event: 'sign-off', data: { runId: runLog.runId, workflow: runLog.workflow.id, role, status: runLog.status } }, log);
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(runLog, null, 2)}\n` : renderRunMarkdown(runLog));
  log(`persona-review: run log ${path.relative(root, executor.logPath(runLog.runId))}`);
  const failed = failedGates(runLog);
  if (runLog.status === 'failed') {
    if (failed.length) log(`persona-review: stopped at failed gate(s) ${failed.map((g) => g.gateId).join(', ')}; fix and run again with --resume ${runLog.runId}, or --override <gate>=<reason>`);
    return 1;
  }
  return 0;
}
