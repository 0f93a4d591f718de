/**
 * `@workflow`, the Workflow Executor in chat: lists the workflows with their phases and gates (or explains
 * one), `/run <workflow>` runs one through "Run Workflow..." (the executor in the language server) on the
 * active file or the uncommitted changes and shows the run log, `/status` shows the latest run. The server
 * renders every listing and log as sanitised markdown.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunLog } from '../../core/workflowRun';
import { WorkflowRunRequest, WorkflowsRequest } from '../../shared/protocol';
import { errorMessage, type Ctx } from '../ctx';
import type { ChatTurnMetadata } from './followups';
import { fail, md, type Stream } from './participants';

/** The Workflow Executor's run command (src/extension/workflows.ts), used by `/run`. */
const RUN_WORKFLOW_COMMAND = 'personaReview.runWorkflow';

/** Handles one request to `@workflow`. */
export async function handleWorkflow(ctx: Ctx, request: vscode.ChatRequest, stream: Stream, meta: ChatTurnMetadata): Promise<vscode.ChatResult> {
  meta.personaIds = ['workflow-executor'];
  const client = await ctx.ensureClient();
  const all = await client.sendRequest(WorkflowsRequest.type, {});
  for (const e of all.errors) ctx.log.warn(`Workflow file: ${e}`);
  const lower = request.prompt.toLowerCase();
  const named = all.workflows.find((w) => lower.includes(w.id) || lower.includes(w.name.toLowerCase()));
  if (meta.command === 'run') {
    if (!named) return fail(stream, meta, `say which workflow to run, e.g. \`@workflow /run pre-merge\` (workflows: ${all.workflows.map((w) => w.id).join(', ')}).`);
    return runWorkflow(client, request, stream, meta, named);
  }
  if (meta.command === 'status') {
    try {
      const { log, markdown } = await client.sendRequest(WorkflowRunRequest.type, {});
      stream.markdown(md(markdown));
      stream.button({ command: 'personaReview.showWorkflowRun', title: vscode.l10n.t('Show run'), arguments: [log.runId] });
      return { metadata: meta };
    } catch (e) {
      return fail(stream, meta, errorMessage(e));
    }
  }
  if (meta.command === 'review' || meta.command === 'changes') {
    stream.markdown(
      md(
        'The Workflow Executor does not review code itself: it runs workflows (`/run <workflow>`). ' +
          `I can list the workflows and explain their phases and gates (\`@workflow\` or \`@workflow /explain ${named?.id ?? 'pre-merge'}\`). ` +
          'Meanwhile, run each phase\'s personas yourself, e.g. `@team /changes`.\n\n',
      ),
    );
    meta.failure = 'no review from the Workflow Executor';
    if (!named) return { metadata: meta };
  }
  if (all.workflows.length === 0) return fail(stream, meta, 'no workflows were found (built-in ones in personas/workflows/, your own in .personas/workflows/).');
  const shown = named ? await client.sendRequest(WorkflowsRequest.type, { id: named.id }) : all;
  stream.markdown(md(shown.markdown));
  return { metadata: meta };
}

/** `/run <id>`: on the uncommitted changes when the prompt says "changes", else on the active file (else the whole workspace). */
async function runWorkflow(
  client: LanguageClient,
  request: vscode.ChatRequest,
  stream: Stream,
  meta: ChatTurnMetadata,
  named: { id: string; name: string },
): Promise<vscode.ChatResult> {
  const editor = vscode.window.activeTextEditor;
  const changes = /\bchange/i.test(request.prompt);
  const paths = editor && editor.document.uri.scheme === 'file' ? [vscode.workspace.asRelativePath(editor.document.uri, false)] : ['.'];
  const args = changes ? { workflow: named.id, changes: { mode: 'working' as const }, quiet: true } : { workflow: named.id, paths, quiet: true };
  stream.progress(vscode.l10n.t('Running workflow {0} on {1}…', named.name, changes ? vscode.l10n.t('your uncommitted changes') : paths.join(', ')));
  const log = await vscode.commands.executeCommand<RunLog | undefined>(RUN_WORKFLOW_COMMAND, args);
  if (!log) return fail(stream, meta, `the workflow "${named.id}" could not run; the "Persona Review" log says why.`);
  const { markdown } = await client.sendRequest(WorkflowRunRequest.type, { runId: log.runId });
  stream.markdown(md(markdown));
  stream.button({ command: 'personaReview.showWorkflowRun', title: vscode.l10n.t('Show run'), arguments: [log.runId] });
  return { metadata: meta };
}
