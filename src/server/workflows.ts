/**
 * Workflows for the clients: the list (`personaReview/workflows`), running one with the Workflow Executor
 * (`personaReview/runWorkflow`, core src/core/workflowRun.ts, the CLI's executor), and the run logs
 * (`personaReview/workflowRuns`, `personaReview/workflowRun`). Each phase's review runs through
 * {@link ReviewRunner} like any other review, so its findings become Diagnostics and it streams to the
 * panel. Run logs are the CLI's files (`.persona-review/runs/<runId>.json`), so a run started in one can be
 * resumed in the other.
 */
import path from 'node:path';
import { ResponseError, ErrorCodes, type CancellationToken } from 'vscode-languageserver';
import { sanitizeInline, sanitizeMarkdown } from '../shared/markdownSafety';
import { WorkflowExecutor, failedGates, renderRunMarkdown, RunLogError, type RunLog } from '../core/workflowRun';
import { describeCountGate, formatWorkflowError, loadWorkflows, type Workflow } from '../core/workflows';
import { builtinPersonaDir } from '../core/personas';
import type { RunResult, RunWorkflowParams, WorkflowInfo } from '../shared/protocol';
import type { ServerLog } from './log';
import { loadServerPersonas } from './personas';
import { invalid, type ReviewRunner, type ServerSettings } from './reviews';

/** Workflow requests of one server. */
export class WorkflowService {
  constructor(
    private readonly reviews: ReviewRunner,
    private readonly settings: () => ServerSettings,
    private readonly log: ServerLog,
  ) {}

  private dirs(): { builtin: string; all: string[] } {
    const s = this.settings();
    const builtin = path.join(s.builtinPersonaDir || builtinPersonaDir(), 'workflows');
    return { builtin, all: [builtin, ...s.personaDirs.map((d) => path.join(d, 'workflows'))] };
  }

  private executor(reviewToken?: CancellationToken, base?: RunWorkflowParams): WorkflowExecutor {
    const root = this.settings().workspaceRoot;
    return new WorkflowExecutor({
      root,
      review: (phase, target) => {
        if (!base || !reviewToken) throw new Error('this executor only reads run logs');
        const provider = base.provider ?? 'offline';
        return this.reviews.reviewTarget(phase.personas, target, { ...base, provider }, `workflow phase ${phase.name}`, reviewToken);
      },
    });
  }

  /** Loads the workflows; problems are logged and returned as sentences naming the file and field. */
  async load(): Promise<{ workflows: Workflow[]; errors: string[] }> {
    const { personas } = await loadServerPersonas(this.settings());
    const known = personas.flatMap((p) => [p.id, p.chat]);
    const { builtin, all } = this.dirs();
    const { workflows, errors } = await loadWorkflows(all, { builtinDir: builtin, ...(known.length ? { knownPersonas: known } : {}) });
    const root = this.settings().workspaceRoot;
    const messages = errors.map((e) => formatWorkflowError(e, root));
    for (const m of messages) this.log.warn(`workflow file: ${m}`);
    return { workflows, errors: messages };
  }

  /** Handles `personaReview/workflows`: every workflow with its gates described, and a markdown listing (of `id` alone when given and known). */
  async list(id?: string): Promise<{ workflows: WorkflowInfo[]; errors: string[]; markdown: string }> {
    const { workflows, errors } = await this.load();
    const { personas } = await loadServerPersonas(this.settings());
    const name = (p: string) => personas.find((x) => x.id === p || x.chat === p)?.name ?? p;
    const infos: WorkflowInfo[] = workflows.map((w) => ({
      ...w,
      phases: w.phases.map((p) => ({ ...p, gateDescriptions: Object.fromEntries(p.gates.map((g) => [g.id, g.kind === 'count' ? describeCountGate(g) : `sign-off by ${g.role}`])) })),
    }));
    const named = id ? infos.find((w) => w.id === id || w.name.toLowerCase() === id.toLowerCase()) : undefined;
    const shown = named ? [named] : infos;
    const out: string[] = [named ? `## Workflow: ${sanitizeInline(named.name)}` : `## ${infos.length} workflows`, ''];
    for (const w of shown) {
      out.push(`### ${sanitizeInline(w.name)} (\`${w.id}\`)`, '', sanitizeMarkdown(w.description), '');
      w.phases.forEach((p, i) => {
        out.push(`${i + 1}. **${sanitizeInline(p.name)}** — ${p.personas.map((x) => sanitizeInline(name(x))).join(', ')}; target: ${p.target}${p.base ? ` vs ${p.base}` : ''}`);
        for (const g of p.gates) out.push(`   - Gate \`${g.id}\`: ${sanitizeInline(p.gateDescriptions[g.id] ?? '')}${g.description ? ` ${sanitizeInline(g.description)}` : ''}`);
      });
      out.push('');
    }
    if (errors.length > 0) out.push(`_${errors.length} workflow file${errors.length === 1 ? '' : 's'} could not be loaded; see the language server log._`);
    return { workflows: infos, errors, markdown: out.join('\n') };
  }

  /** Handles `personaReview/runWorkflow`. Rejects (InvalidParams) for an unknown workflow or run id, a missing target, or a review that could not run. */
  async run(params: RunWorkflowParams, token: CancellationToken): Promise<RunResult> {
    const release = this.log.holdSecret(params.apiKey);
    try {
      const executor = this.executor(token, params);
      const inputs = { overrides: params.overrides, signOffs: params.signOffs };
      let log: RunLog;
      if (params.resume) log = await executor.resume(params.resume, inputs);
      else {
        if (!params.workflow) throw invalid('name the workflow to run (workflow), or a run to resume (resume)');
        const { workflows } = await this.load();
        const wf = workflows.find((w) => w.id === params.workflow || w.name.toLowerCase() === params.workflow!.toLowerCase());
        if (!wf) throw invalid(`unknown workflow "${params.workflow}"; known: ${workflows.map((w) => w.id).join(', ')}`);
        log = await executor.start(wf, params.target ?? { kind: 'paths', paths: ['.'] }, inputs);
      }
      this.log.info(`workflow run ${log.runId}: ${log.status}`);
      return this.log.scrub(result(log));
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      if (e instanceof RunLogError) throw invalid(e.message);
      throw new ResponseError(ErrorCodes.InvalidParams, this.log.scrubText(`the workflow could not run: ${(e as Error)?.message ?? String(e)}`));
    } finally {
      release();
    }
  }

  /** Handles `personaReview/workflowRuns`: the newest runs first. */
  runs(limit = 20): { runs: Array<{ runId: string; log?: RunLog; error?: string }> } {
    const executor = this.executor();
    return {
      runs: executor
        .listRuns()
        .slice(0, Math.max(1, limit))
        .map((runId) => {
          try {
            return { runId, log: executor.readLog(runId) };
          } catch (e) {
            return { runId, error: (e as Error).message };
          }
        }),
    };
  }

  /** Handles `personaReview/workflowRun`: one log (the newest when no id) and its markdown. Rejects (InvalidParams) when there is none. */
  show(runId?: string): RunResult {
    const executor = this.executor();
    const id = runId ?? executor.listRuns()[0];
    if (!id) throw invalid('no workflow has run in this workspace yet; start one with "Run Workflow..." or `@workflow /run pre-merge`');
    try {
      return result(executor.readLog(id));
    } catch (e) {
      throw invalid((e as Error).message);
    }
  }
}

/** A run log with its markdown export and the gates that stopped it. */
function result(log: RunLog): RunResult {
  return { log, markdown: sanitizeMarkdown(renderRunMarkdown(log)), failedGates: failedGates(log) };
}
