/**
 * Workflows in VS Code: the Workflows view (built-in and workspace workflows with their phases and gates,
 * and the recent runs with each phase's gates and evidence), "Run Workflow..." and "Show Workflow Run".
 *
 * The Workflow Executor runs in the language server (`personaReview/runWorkflow`; core
 * `src/core/workflowRun.ts`, the same as the CLI's), and each phase's review is a review like any other (its
 * findings become Diagnostics and it streams into the panel). Run logs are the same files
 * (`.persona-review/runs/<runId>.json`), so a run started in the terminal can be resumed here and back.
 */
import * as vscode from 'vscode';
import type { GateResult, PhaseRecord, RunLog, RunTarget } from '../core/workflowRun';
import type { Gate } from '../core/workflows';
import { RunWorkflowRequest, WorkflowRunRequest, WorkflowRunsRequest, WorkflowsRequest, type RunWorkflowParams, type WorkflowInfo } from '../shared/protocol';
import { Disposable, errorMessage, type Ctx } from './ctx';
import type { PersonaStore } from './personaTree';
import type { Reviews } from './review';
import { registerRouting } from './workflowsRouting';

/** Id of the Workflows view (package.json `contributes.views`). */
export const WORKFLOWS_VIEW = 'personaReview.workflows';

/** Arguments of `personaReview.runWorkflow` for callers that skip the pickers (tests, chat). */
export interface RunWorkflowArgs {
  /** Workflow id (or name). */
  workflow: string;
  /** Workspace-relative files or folders; default: ask (or the whole workspace when quiet). */
  paths?: string[];
  /** Review git changes instead of paths. */
  changes?: { mode: 'working' | 'staged' | 'base'; base?: string };
  /** Resume this run instead of starting one. */
  resume?: string;
  /** Gate id → reason. */
  overrides?: Record<string, string>;
  signOffs?: string[];
  /** No pickers, pop-ups or panel focus. */
  quiet?: boolean;
}

type Node =
  | { kind: 'workflow'; workflow: WorkflowInfo }
  | { kind: 'phase'; phase: WorkflowInfo['phases'][number]; index: number }
  | { kind: 'gate'; gate: Gate; describe?: string }
  | { kind: 'runs' }
  | { kind: 'run'; runId: string; log?: RunLog }
  | { kind: 'runPhase'; runId: string; record: PhaseRecord; index: number }
  | { kind: 'line'; id: string; label: string; icon: string; description?: string; tooltip?: string };

/** Loads workflows and runs them; owns the Workflows view. */
export class Workflows extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly emitter = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private list: WorkflowInfo[] = [];
  private errors: string[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly reviews: Reviews,
    private readonly personas: PersonaStore,
  ) {
    super();
    this._register(vscode.window.createTreeView(WORKFLOWS_VIEW, { treeDataProvider: this }));
    this._register(vscode.commands.registerCommand('personaReview.runWorkflow', (arg?: unknown) => this.runCommand(arg)));
    this._register(vscode.commands.registerCommand('personaReview.showWorkflowRun', (arg?: unknown) => this.showRun(arg)));
    this._register(vscode.commands.registerCommand('personaReview.refreshWorkflows', () => this.refresh()));
  }

  /** Reloads the workflow files (in the server); problems go to the log. */
  async refresh(): Promise<WorkflowInfo[]> {
    const client = await this.ctx.ensureClient();
    const { workflows, errors } = await client.sendRequest(WorkflowsRequest.type, {});
    this.list = workflows;
    this.errors = errors;
    for (const e of this.errors) this.ctx.log.warn(`Workflow file: ${e}`);
    this.emitter.fire(undefined);
    return workflows;
  }

  private async ensureLoaded(): Promise<WorkflowInfo[]> {
    return this.list.length ? this.list : this.refresh();
  }

  private async runCommand(arg: unknown): Promise<RunLog | undefined> {
    try {
      const args = await this.resolveArgs(arg);
      if (!args) return undefined;
      const choice = await this.reviews.chooseProvider();
      const params: RunWorkflowParams = {
        provider: choice.provider,
        ...(choice.apiKey ? { apiKey: choice.apiKey } : {}),
        ...(choice.model ? { model: choice.model } : {}),
        ...(choice.provider === 'anthropic' ? { maxOutputTokens: this.ctx.config.maxOutputTokens, ...(this.ctx.config.baseURL ? { baseURL: this.ctx.config.baseURL } : {}) } : {}),
        include: this.ctx.config.include,
        exclude: this.ctx.config.exclude,
        overrides: args.overrides,
        signOffs: args.signOffs,
      };
      if (args.resume) params.resume = args.resume;
      else {
        params.workflow = args.workflow;
        const target: RunTarget = args.changes
          ? { kind: 'changes', mode: args.changes.mode, ...(args.changes.base ? { base: args.changes.base } : {}) }
          : { kind: 'paths', paths: args.paths ?? ['.'] };
        params.target = target;
      }
      const client = await this.ctx.ensureClient();
      const send = (token?: vscode.CancellationToken) => client.sendRequest(RunWorkflowRequest.type, params, token);
      const { log, failedGates } = args.quiet
        ? await send()
        : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Persona Review: workflow {0}', args.workflow || args.resume || ''), cancellable: true }, (_p, token) => send(token));
      choice.pin?.dispose();
      this.emitter.fire(undefined);
      this.ctx.log.info(`Workflow run ${log.runId}: ${log.status}`);
      if (!args.quiet) void this.afterRun(log, failedGates);
      return log;
    } catch (e) {
      this.emitter.fire(undefined);
      const message = vscode.l10n.t('Persona Review: the workflow could not run: {0}', errorMessage(e));
      this.ctx.log.error(message);
      if (!(arg && typeof arg === 'object' && (arg as RunWorkflowArgs).quiet)) void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  /** Tells how a run ended and offers the next step: override a failed gate, sign off, resume, show the log. */
  private async afterRun(log: RunLog, failed: GateResult[]): Promise<void> {
    if (log.status !== 'failed') {
      const show = vscode.l10n.t('Show Run');
      const text =
        log.status === 'passed'
          ? vscode.l10n.t('Persona Review: workflow "{0}" passed every gate.', log.workflow.name)
          : vscode.l10n.t('Persona Review: workflow "{0}" passed, with overrides.', log.workflow.name);
      void vscode.window.showInformationMessage(text, show).then((p) => p && this.showRun(log.runId));
      return;
    }
    const signOff = log.workflow.phases.flatMap((p) => p.gates).find((g) => g.kind === 'sign-off' && failed.some((f) => f.gateId === g.id));
    const [show, resume, override] = [vscode.l10n.t('Show Run'), vscode.l10n.t('Resume'), vscode.l10n.t('Override...')];
    const actions = [show, resume, override, ...(signOff && signOff.kind === 'sign-off' ? [vscode.l10n.t('Sign Off as {0}', signOff.role)] : [])];
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Persona Review: workflow "{0}" stopped at {1}. Fix the code and resume, or override with a reason.',
        log.workflow.name,
        failed.map((g) => g.gateId).join(', ') || vscode.l10n.t('a failed phase'),
      ),
      ...actions,
    );
    if (pick === show) await this.showRun(log.runId);
    else if (pick === resume) await this.runCommand({ workflow: log.workflow.id, resume: log.runId });
    else if (pick === override) {
      const gate = failed.length === 1 ? failed[0]!.gateId : (await vscode.window.showQuickPick(failed.map((g) => ({ label: g.gateId, description: g.detail }))))?.label;
      if (!gate) return;
      const reason = await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Why may "{0}" be overridden? The reason is recorded in the run log.', gate),
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A reason is required.')),
      });
      if (reason) await this.runCommand({ workflow: log.workflow.id, resume: log.runId, overrides: { [gate]: reason.trim() } });
    } else if (pick && signOff && signOff.kind === 'sign-off') await this.runCommand({ workflow: log.workflow.id, resume: log.runId, signOffs: [signOff.role] });
  }

  private async resolveArgs(arg: unknown): Promise<RunWorkflowArgs | undefined> {
    if (arg && typeof arg === 'object' && 'workflow' in arg && typeof (arg as RunWorkflowArgs).workflow === 'string' && !('kind' in arg)) return arg as RunWorkflowArgs;
    let workflowId: string | undefined;
    if (typeof arg === 'string') workflowId = arg;
    else if (arg && typeof arg === 'object' && (arg as Node).kind === 'workflow') workflowId = (arg as Extract<Node, { kind: 'workflow' }>).workflow.id;
    if (!workflowId) {
      const list = await this.ensureLoaded();
      const pick = await vscode.window.showQuickPick(
        list.map((w) => ({ label: w.name, description: w.id, detail: `${w.description} · ${w.phases.map((p) => p.name).join(' → ')}`, id: w.id })),
        { title: vscode.l10n.t('Run Workflow'), placeHolder: vscode.l10n.t('Which workflow?') },
      );
      if (!pick) return undefined;
      workflowId = pick.id;
    }
    const editor = vscode.window.activeTextEditor;
    const file = editor && editor.document.uri.scheme === 'file' ? vscode.workspace.asRelativePath(editor.document.uri, false) : undefined;
    const targets = [
      { label: vscode.l10n.t('Uncommitted changes'), detail: vscode.l10n.t('working tree and untracked files vs HEAD; findings only on changed lines'), args: { changes: { mode: 'working' as const } } },
      { label: vscode.l10n.t('Staged changes'), detail: vscode.l10n.t('the index vs HEAD'), args: { changes: { mode: 'staged' as const } } },
      ...(file ? [{ label: vscode.l10n.t('Current file: {0}', file), detail: vscode.l10n.t('the whole file'), args: { paths: [file] } }] : []),
      { label: vscode.l10n.t('Whole workspace'), detail: vscode.l10n.t('every reviewable file (respecting .gitignore)'), args: { paths: ['.'] } },
    ];
    const target = await vscode.window.showQuickPick(targets, { title: vscode.l10n.t('Run Workflow: what to review') });
    return target ? { workflow: workflowId, ...target.args } : undefined;
  }

  /** Opens a run's markdown export in the markdown preview. Resolves with the markdown (for tests). */
  private async showRun(arg: unknown): Promise<string | undefined> {
    const client = await this.ctx.ensureClient();
    let runId = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && (arg as Node).kind === 'run' ? (arg as Extract<Node, { kind: 'run' }>).runId : undefined;
    if (!runId) {
      const runs = (await client.sendRequest(WorkflowRunsRequest.type, {})).runs.map((r) => r.runId);
      if (!runs.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: no workflow runs in this workspace yet. Run one with "Run Workflow...".'));
        return undefined;
      }
      runId = (await vscode.window.showQuickPick(runs, { title: vscode.l10n.t('Show Workflow Run') })) ?? undefined;
      if (!runId) return undefined;
    }
    try {
      const { markdown: md } = await client.sendRequest(WorkflowRunRequest.type, { runId });
      const doc = await vscode.workspace.openTextDocument({ content: md, language: 'markdown' });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
      return md;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: {0}', errorMessage(e)));
      return undefined;
    }
  }

  // Tree --------------------------------------------------------------------------------------------

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const list = await this.ensureLoaded().catch(() => [] as WorkflowInfo[]);
      return [...list.map((workflow): Node => ({ kind: 'workflow', workflow })), { kind: 'runs' }];
    }
    switch (node.kind) {
      case 'workflow':
        return node.workflow.phases.map((phase, index) => ({ kind: 'phase', phase, index }));
      case 'phase':
        return node.phase.gates.map((gate) => ({ kind: 'gate', gate, describe: node.phase.gateDescriptions[gate.id] }));
      case 'runs': {
        const client = await this.ctx.ensureClient();
        const { runs } = await client.sendRequest(WorkflowRunsRequest.type, { limit: 20 });
        return runs.map((r): Node => (r.log ? { kind: 'run', runId: r.runId, log: r.log } : { kind: 'run', runId: r.runId }));
      }
      case 'run':
        return node.log ? node.log.phases.map((record, index): Node => ({ kind: 'runPhase', runId: node.runId, record, index })) : [];
      case 'runPhase': {
        const a = node.record.attempts[node.record.attempts.length - 1];
        if (!a) return [{ kind: 'line', id: `${node.runId}/${node.index}/none`, label: vscode.l10n.t('not run yet'), icon: 'circle-outline' }];
        const id = `${node.runId}/${node.index}`;
        const counts = `${a.countsBySeverity.critical} critical, ${a.countsBySeverity.high} high, ${a.countsBySeverity.medium} medium, ${a.countsBySeverity.low} low`;
        return [
          ...a.gates.map((g): Node => {
            const o = a.overrides.find((x) => x.gateId === g.gateId);
            return {
              kind: 'line',
              id: `${id}/gate/${g.gateId}`,
              label: g.gateId,
              icon: g.passed ? 'pass' : o ? 'warning' : 'error',
              description: g.passed ? vscode.l10n.t('passed') : o ? vscode.l10n.t('overridden: {0}', o.reason) : vscode.l10n.t('failed'),
              tooltip: `${g.description}\n${g.detail}${o ? `\n${vscode.l10n.t('Overridden by {0} at {1}: {2}', o.by, o.at, o.reason)}` : ''}`,
            };
          }),
          { kind: 'line', id: `${id}/who`, label: `${a.by}, ${a.startedAt}`, icon: 'account', description: vscode.l10n.t('attempt {0}', node.record.attempts.length) },
          { kind: 'line', id: `${id}/personas`, label: a.personas.join(', '), icon: 'organization', description: a.target },
          { kind: 'line', id: `${id}/findings`, label: vscode.l10n.t('{0} findings', a.findings.length), icon: 'list-flat', description: counts },
        ];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const { Collapsed, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'workflow': {
        const w = node.workflow;
        const item = new vscode.TreeItem(w.name, Collapsed);
        item.id = `workflow:${w.id}`;
        item.description = w.builtin ? w.id : vscode.l10n.t('{0} (workspace)', w.id);
        item.tooltip = w.description;
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.contextValue = 'workflow';
        return item;
      }
      case 'phase': {
        const item = new vscode.TreeItem(`${node.index + 1}. ${node.phase.name}`, node.phase.gates.length ? Collapsed : None);
        item.description = node.phase.personas.join(', ');
        item.iconPath = new vscode.ThemeIcon('debug-step-over');
        return item;
      }
      case 'gate': {
        const item = new vscode.TreeItem(node.gate.id, None);
        item.description = node.gate.description;
        item.tooltip = node.describe;
        item.iconPath = new vscode.ThemeIcon(node.gate.kind === 'sign-off' ? 'verified' : 'shield');
        return item;
      }
      case 'runs': {
        const item = new vscode.TreeItem(vscode.l10n.t('Runs'), Collapsed);
        item.id = 'workflow-runs';
        item.iconPath = new vscode.ThemeIcon('history');
        item.tooltip = this.errors.length ? `${vscode.l10n.t('Workflow file problems:')}\n${this.errors.join('\n')}` : undefined;
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(node.runId, node.log ? Collapsed : None);
        item.id = `run:${node.runId}`;
        item.description = node.log ? `${node.log.status} · ${node.log.updatedAt}` : vscode.l10n.t('unreadable log');
        item.iconPath = new vscode.ThemeIcon(node.log?.status === 'passed' ? 'pass' : node.log?.status === 'failed' ? 'error' : node.log?.status === 'running' ? 'sync' : 'warning');
        item.contextValue = 'workflowRun';
        item.command = { command: 'personaReview.showWorkflowRun', title: vscode.l10n.t('Show Workflow Run'), arguments: [node.runId] };
        return item;
      }
      case 'runPhase': {
        const item = new vscode.TreeItem(`${node.index + 1}. ${node.record.name}`, Collapsed);
        item.id = `run:${node.runId}/${node.index}`;
        item.description = node.record.status;
        const icon: Record<PhaseRecord['status'], string> = { pending: 'circle-outline', running: 'sync', passed: 'pass', overridden: 'warning', failed: 'error', error: 'error' };
        item.iconPath = new vscode.ThemeIcon(icon[node.record.status]);
        return item;
      }
      case 'line': {
        const item = new vscode.TreeItem(node.label, None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.description) item.description = node.description;
        if (node.tooltip) item.tooltip = node.tooltip;
        return item;
      }
    }
  }
}

/**
 * Creates the Workflows view and its commands, and "Review with Proposed Personas..." (./workflowsRouting);
 * their lifetime is the extension's.
 */
export function registerWorkflows(ctx: Ctx, reviews: Reviews, personas: PersonaStore): Workflows {
  const w = new Workflows(ctx, reviews, personas);
  ctx.pushExtCleanup(w);
  ctx.pushExtCleanup(registerRouting(ctx, reviews, personas));
  return w;
}
