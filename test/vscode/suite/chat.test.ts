/**
 * Extension-host tests of the chat participants and the persona_review tool (src/extension/chat.ts), in the
 * real extension host. vscode.chat has no API to list participants or to send a message to one, so the
 * handlers are called through the extension's test API with a ChatResponseStream-shaped recorder and
 * ChatRequest/ChatContext objects built here; the tool goes through the real vscode.lm.invokeTool.
 *
 * This file runs before extension.test.ts (file order): it leaves src/db.js as it found it (the "Apply fix"
 * test works on its own file, src/chat-api.js, deleted at the end).
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ChatTurnMetadata } from '../../../src/extension/chat';
import { check, diagnosticsFrom, extensionApi, fakeApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';

/** One recorded stream part. */
type Part =
  | { kind: 'markdown'; value: vscode.MarkdownString }
  | { kind: 'progress'; value: string }
  | { kind: 'reference'; value: vscode.Uri | vscode.Location }
  | { kind: 'anchor'; value: vscode.Uri | vscode.Location; title?: string }
  | { kind: 'button'; value: vscode.Command }
  | { kind: 'other'; value: unknown };

/** A ChatResponseStream that records what the handler streams. */
function recorder(): { stream: vscode.ChatResponseStream; parts: Part[]; text: () => string } {
  const parts: Part[] = [];
  const stream = {
    markdown: (v: string | vscode.MarkdownString) => void parts.push({ kind: 'markdown', value: typeof v === 'string' ? new vscode.MarkdownString(v) : v }),
    progress: (v: string) => void parts.push({ kind: 'progress', value: v }),
    reference: (v: vscode.Uri | vscode.Location) => void parts.push({ kind: 'reference', value: v }),
    anchor: (v: vscode.Uri | vscode.Location, title?: string) => void parts.push({ kind: 'anchor', value: v, ...(title ? { title } : {}) }),
    button: (v: vscode.Command) => void parts.push({ kind: 'button', value: v }),
    filetree: (v: unknown) => void parts.push({ kind: 'other', value: v }),
    push: (v: unknown) => void parts.push({ kind: 'other', value: v }),
  } as unknown as vscode.ChatResponseStream;
  const text = () =>
    parts
      .filter((p): p is Extract<Part, { kind: 'markdown' }> => p.kind === 'markdown')
      .map((p) => p.value.value)
      .join('');
  return { stream, parts, text };
}

/** A fake chat model: replies with `reply` in small deltas, or throws `error`. */
function fakeModel(reply: string, error?: Error): vscode.LanguageModelChat & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    id: 'test-model',
    name: 'Test Model',
    vendor: 'persona-review-test',
    family: 'test',
    version: '1',
    maxInputTokens: 100_000,
    prompts,
    countTokens: async () => 1,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      prompts.push(messages.map((m) => m.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join('')).join('\n'));
      if (error) throw error;
      async function* deltas() {
        for (let i = 0; i < reply.length; i += 7) yield reply.slice(i, i + 7);
      }
      return { text: deltas(), stream: deltas() } as unknown as vscode.LanguageModelChatResponse;
    },
  } as unknown as vscode.LanguageModelChat & { prompts: string[] };
}

/** A chat request; `model` is the Chat view's model (none: as when no chat model is installed). */
function request(prompt: string, command?: string, model?: vscode.LanguageModelChat): vscode.ChatRequest {
  return { prompt, command, references: [], toolReferences: [], toolInvocationToken: undefined, ...(model ? { model } : {}) } as unknown as vscode.ChatRequest;
}

const noHistory: vscode.ChatContext = { history: [] };

/** A context whose history holds one earlier answer with these metadata. */
function historyWith(meta: ChatTurnMetadata): vscode.ChatContext {
  const turn = { participant: meta.participant, command: meta.command, response: [], result: { metadata: meta } };
  return { history: [turn as unknown as vscode.ChatResponseTurn] };
}

function token(): vscode.CancellationToken {
  return new vscode.CancellationTokenSource().token;
}

async function chat() {
  const { api, extension } = await extensionApi();
  check(api.chat, 'the test API exposes the chat participants');
  return { chat: api.chat, api, extension };
}

/** Every markdown part is untrusted and without HTML, and no part shows a stack trace. */
function checkSafe(parts: Part[]): void {
  for (const p of parts) {
    if (p.kind !== 'markdown') continue;
    check(p.value.isTrusted !== true && p.value.supportHtml !== true, `markdown is untrusted without HTML: ${p.value.value.slice(0, 80)}`);
    check(!/\n\s+at .+:\d+:\d+/.test(p.value.value), `no stack trace: ${p.value.value.slice(0, 200)}`);
  }
}

const API_FILE = 'src/chat-api.js';
const API_TEXT = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/orders/:id', async (req, res) => {",
  '  const response = await fetch(`http://inventory/items/${req.params.id}`);',
  '  res.json(await response.json());',
  '});',
  "app.post('/orders', (req, res) => res.sendStatus(201));",
  'app.listen(3000);',
  '',
].join('\n');

let lastSreMeta: ChatTurnMetadata | undefined;

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'chat: every declared participant is created with its commands, and every created one is declared; the tool is registered',
    run: async () => {
      const { chat: c, extension } = await chat();
      const declared = (extension.packageJSON as { contributes: { chatParticipants: Array<{ id: string; commands: Array<{ name: string }> }> } }).contributes.chatParticipants;
      const created = c.participants();
      for (const d of declared) {
        const p = created.find((x) => x.id === d.id);
        check(p, `participant ${d.id} is created`);
        const missing = d.commands.map((x) => x.name).filter((n) => !p.commands.includes(n));
        check(missing.length === 0, `${d.id} handles every declared command (missing: ${missing.join(', ')})`);
      }
      for (const p of created) check(declared.some((d) => d.id === p.id), `${p.id} is declared in package.json`);
      for (const name of ['architect', 'engineer', 'qa', 'reviewer', 'security', 'perf', 'concurrency', 'sre', 'team', 'workflow']) {
        check(created.some((p) => p.name === name), `@${name} exists`);
      }
      check(c.toolRegistered, 'vscode.lm.registerTool accepted persona_review');
      check(vscode.lm.tools.some((t) => t.name === 'persona_review'), `persona_review is in vscode.lm.tools (got ${vscode.lm.tools.map((t) => t.name).join(', ')})`);
    },
  },
  {
    name: 'chat: @sre /review (offline) streams progress, a reference, the findings with anchors, Apply-fix and panel buttons, and publishes Diagnostics',
    run: async () => {
      const { chat: c, api } = await chat();
      await api.setApiKeyForTesting(undefined);
      await openFile('src/db.js');
      const r = recorder();
      const result = await c.handle('personaReview.sre', request('', 'review'), noHistory, r.stream, token());
      const meta = result.metadata as ChatTurnMetadata;
      check(!meta.failure, `no failure (got ${meta.failure})`);
      check(meta.provider === 'offline', `offline provider (got ${meta.provider})`);
      check(r.parts.some((p) => p.kind === 'progress'), 'a progress message');
      const ref = r.parts.find((p) => p.kind === 'reference');
      check(ref && ref.value instanceof vscode.Uri && ref.value.path.endsWith('/src/db.js'), 'a reference to src/db.js');
      check(/Network call without a timeout/.test(r.text()), `the finding is in the markdown:\n${r.text().slice(0, 600)}`);
      const anchor = r.parts.find((p) => p.kind === 'anchor' && p.value instanceof vscode.Location && p.value.range.start.line === 14);
      check(anchor, `an anchor at line 15 (the fetch) (got ${r.parts.filter((p) => p.kind === 'anchor').map((p) => (p.value as vscode.Location).range.start.line + 1).join(', ')})`);
      const buttons = r.parts.filter((p): p is Extract<Part, { kind: 'button' }> => p.kind === 'button').map((p) => p.value);
      check(buttons.some((b) => b.command === 'personaReview.applyFindingFix' && /Apply fix/.test(b.title)), 'an "Apply fix" button');
      check(buttons.some((b) => b.command === 'personaReview.showPanel' && b.title === 'Open in review panel'), 'an "Open in review panel" button');
      checkSafe(r.parts);
      await waitFor('SRE Diagnostics on src/db.js', () => diagnosticsFrom(workspaceUri('src/db.js'), 'Site Reliability Engineer').length > 0);
      lastSreMeta = meta;
    },
  },
  {
    name: 'chat: followups offer "Ask @security about this", an explanation and "Run the pre-merge workflow"',
    run: async () => {
      const { chat: c } = await chat();
      check(lastSreMeta, 'the previous test left a result');
      const f = c.followups('personaReview.sre', { metadata: lastSreMeta }, noHistory);
      check(f.some((x) => x.label === 'Ask @security about this' && x.participant === 'personaReview.security'), `Ask @security (got ${f.map((x) => x.label).join(' | ')})`);
      check(f.some((x) => x.label === 'Run the pre-merge workflow' && x.participant === 'personaReview.workflow'), 'Run the pre-merge workflow');
      check(f.some((x) => x.command === 'explain'), 'an explain followup');
      check(c.followups('personaReview.sre', { metadata: { ...lastSreMeta, failure: 'x' } }, noHistory).length === 0, 'no followups after a failure');
    },
  },
  {
    name: 'chat: a follow-up question about "this" (history) explains the last finding offline, with the rule help',
    run: async () => {
      const { chat: c } = await chat();
      check(lastSreMeta && lastSreMeta.findings.length > 0, 'the review test left findings');
      const r = recorder();
      const result = await c.handle('personaReview.sre', request('why is this a problem?'), historyWith(lastSreMeta), r.stream, token());
      const meta = result.metadata as ChatTurnMetadata;
      check(!meta.failure && meta.findings.length === 1, `one finding explained (got ${meta.failure ?? meta.findings.length})`);
      const text = r.text();
      check(/What is wrong/.test(text) && /What to do/.test(text), `an explanation:\n${text.slice(0, 400)}`);
      check(/About the rule/.test(text), 'the rule help text is included');
      check(r.parts.some((p) => p.kind === 'anchor'), 'an anchor to the finding');
      checkSafe(r.parts);
    },
  },
  {
    name: 'chat: @sre /readiness and /slo (offline) render the checklist and the SLO table for a file with endpoints',
    run: async () => {
      const { chat: c } = await chat();
      await fs.writeFile(workspaceUri(API_FILE).fsPath, API_TEXT);
      await openFile(API_FILE);
      const r = recorder();
      await c.handle('personaReview.sre', request('', 'readiness'), noHistory, r.stream, token());
      const text = r.text();
      for (const s of ['Production Readiness Review', '### Deployment', '### Reliability', '### Observability', '### Operations', '### Scalability']) check(text.includes(s), `readiness has "${s}":\n${text.slice(0, 800)}`);
      check(/❌ Timeouts on every outgoing call \(BLOCKER\)/.test(text), 'the missing timeout fails the checklist');
      check(/to verify: Rollback/.test(text), 'what code cannot show is listed to verify');
      const s = recorder();
      await c.handle('personaReview.sre', request('', 'slo'), noHistory, s.stream, token());
      check(/`GET \/orders\/:id`/.test(s.text()) && /`POST \/orders`/.test(s.text()), `one SLO row per endpoint:\n${s.text().slice(0, 800)}`);
      check(/43\.2 min/.test(s.text()), 'the error budget of 99.9% over 30 days');
      checkSafe([...r.parts, ...s.parts]);
    },
  },
  {
    name: 'chat: the "Apply fix" button replaces the range only while it still equals the quote',
    run: async () => {
      const { chat: c } = await chat();
      const editor = await openFile(API_FILE);
      const r = recorder();
      await c.handle('personaReview.sre', request('', 'review'), noHistory, r.stream, token());
      const button = r.parts.find((p): p is Extract<Part, { kind: 'button' }> => p.kind === 'button' && p.value.command === 'personaReview.applyFindingFix');
      check(button, `an Apply fix button for ${API_FILE}`);
      const ok = await vscode.commands.executeCommand<boolean>(button.value.command, ...(button.value.arguments ?? []));
      check(ok === true, 'the fix was applied');
      const line = editor.document.lineAt(3).text;
      check(/signal|timeout/i.test(line), `line 4 now has a timeout: ${line}`);
      const again = await vscode.commands.executeCommand<boolean>(button.value.command, ...(button.value.arguments ?? []));
      check(again === false, 'a second press does nothing: the code no longer equals the quote');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    },
  },
  {
    name: 'chat: @security /review with Claude (fake Messages API) streams the reply and its finding; an API error is a chat message',
    run: async () => {
      const { chat: c, api } = await chat();
      const fake = await fakeApi();
      await fake.reset();
      const finding = { file: 'src/db.js', line: 9, quote: 'const id = req.query.id;', severity: 'medium', category: 'input-validation', title: 'Unvalidated id (chat test)', message: 'Check `id`. [click](command:workbench.action.reloadWindow)', references: ['CWE-20'], confidence: 0.8 };
      await fake.script({ reply: `## Security review\n\nStreamed from the fake API.\n\n\`\`\`finding\n${JSON.stringify(finding)}\n\`\`\`\n`, chunkSize: 9 });
      await api.setApiKeyForTesting('sk-ant-chat-0123456789');
      try {
        await openFile('src/db.js');
        const r = recorder();
        const result = await c.handle('personaReview.security', request('', 'review'), noHistory, r.stream, token());
        const meta = result.metadata as ChatTurnMetadata;
        check(meta.provider === 'anthropic', `anthropic provider (got ${meta.provider}, ${meta.failure ?? ''})`);
        check(r.text().includes('Streamed from the fake API.'), `the reply streamed into the chat:\n${r.text().slice(0, 400)}`);
        check(meta.findings.some((f) => f.title === 'Unvalidated id (chat test)'), 'the finding from Claude is in the result');
        check(!/(?<!\\)\]\(command:/.test(r.text()), 'the command link from the model is inert text');
        check((await fake.requests()).length === 1, 'one request reached the fake API');
        checkSafe(r.parts);

        await fake.reset();
        await fake.script({ status: 401 });
        const e = recorder();
        await c.handle('personaReview.security', request('', 'review'), noHistory, e.stream, token());
        check(/⚠️|could not answer/.test(e.text()), `the error is a chat message:\n${e.text().slice(0, 400)}`);
        check(!e.text().includes('sk-ant-chat'), 'the key is not shown');
        checkSafe(e.parts);
      } finally {
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
  {
    name: 'chat: @sre /readiness with Claude (fake Messages API) sends the readiness task and shows Claude\'s answer',
    run: async () => {
      const { chat: c, api } = await chat();
      const fake = await fakeApi();
      await fake.reset();
      await fake.script({ reply: '## Production Readiness Review: src/db.js\n\n### Deployment\n- ⚠️ Rollback: to verify\n\nWritten by the fake model.\n', chunkSize: 11 });
      await api.setApiKeyForTesting('sk-ant-chat-0123456789');
      try {
        await openFile('src/db.js');
        const r = recorder();
        const result = await c.handle('personaReview.sre', request('', 'readiness'), noHistory, r.stream, token());
        const meta = result.metadata as ChatTurnMetadata;
        check(meta.provider === 'anthropic', `anthropic provider (got ${meta.provider}, ${meta.failure ?? ''})`);
        const requests = await fake.requests();
        check(requests.length === 1, 'one request reached the fake API');
        check(/production readiness review/i.test(JSON.stringify(requests[0])), 'the request carries the /readiness task');
        check(r.text().includes('Written by the fake model.'), `Claude's readiness review is shown:\n${r.text().slice(0, 400)}`);
        checkSafe(r.parts);
      } finally {
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
  {
    name: 'chat: with provider "vscode-lm", the Chat view model (request.model) answers through the language server; findings are anchored Diagnostics with quick fixes; its errors are plain messages',
    run: async () => {
      const { chat: c } = await chat();
      const config = vscode.workspace.getConfiguration('personaReview');
      await config.update('provider', 'vscode-lm', vscode.ConfigurationTarget.Workspace);
      try {
        await openFile('src/db.js');
        const draft = { file: 'src/db.js', line: 15, quote: 'const response = await fetch(url);', severity: 'high', category: 'missing-timeout', title: 'No timeout (chat model)', message: 'Hangs forever. ![x](https://evil.example/x.png)', suggestion: { description: 'Add a timeout.', replacement: 'const response = await fetch(url, { signal: AbortSignal.timeout(5000) });' }, references: ['CWE-400'], confidence: 0.9 };
        const model = fakeModel(`## Readiness\n\nFrom the chat model <script>x</script>.\n\n\`\`\`finding\n${JSON.stringify(draft)}\n\`\`\`\n`);
        const r = recorder();
        const result = await c.handle('personaReview.sre', request('is it ready?', 'readiness', model), noHistory, r.stream, token());
        const meta = result.metadata as ChatTurnMetadata;
        check(meta.provider === 'vscode-lm' && !meta.failure, `answered by the chat model (got ${meta.provider}, ${meta.failure ?? ''})`);
        check(meta.model === 'Test Model', `the model that answered is named (got ${meta.model})`);
        check(model.prompts.length === 1, 'one request to the model');
        const prompt = model.prompts[0]!;
        check(prompt.includes('<code_under_review') && prompt.includes('fetch(url)'), 'the delimited code was sent');
        check(/production readiness review/i.test(prompt), 'with the /readiness task');
        check(prompt.indexOf('<code_under_review') < prompt.indexOf('is it ready?'), 'the user text comes after the code');
        check(r.text().includes('From the chat model'), 'the reply streamed');
        check(!/<script>/.test(r.text()) && !r.text().includes('![x]'), 'HTML and images were removed');
        const f = meta.findings.find((x) => x.title === 'No timeout (chat model)');
        check(f && f.range.startLine === 15, `the finding is anchored on line 15 (got ${f?.range.startLine})`);
        check(r.parts.some((p) => p.kind === 'anchor' && p.value instanceof vscode.Location && p.value.range.start.line === 14), 'an anchor to it');
        const diag = await waitFor('a Diagnostic for it', () => vscode.languages.getDiagnostics(workspaceUri('src/db.js')).find((d) => d.message.startsWith('No timeout (chat model)')));
        // The same code actions as a palette review's: the server's quick fix, Dismiss and Explain.
        const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', workspaceUri('src/db.js'), diag.range);
        const titles = actions.map((a) => a.title);
        check(actions.some((a) => 'edit' in a && a.edit !== undefined && /^Apply suggested fix/.test(a.title)), `the chat model's finding has the quick fix (got ${titles.join(' | ')})`);
        check(titles.includes('Dismiss finding') && titles.includes('Explain in review panel'), `and Dismiss and Explain (got ${titles.join(' | ')})`);

        const blocked = fakeModel('', new vscode.LanguageModelError('quota exceeded'));
        const e = recorder();
        await c.handle('personaReview.sre', request('', 'review', blocked), noHistory, e.stream, token());
        check(/could not answer/.test(e.text()) && /chat model/.test(e.text()), `the model error is a chat message:\n${e.text()}`);
        checkSafe([...r.parts, ...e.parts]);
        await vscode.commands.executeCommand('personaReview.clearFindings');
        await waitFor('Clear Findings removes the chat model\'s Diagnostics too', () => !vscode.languages.getDiagnostics(workspaceUri('src/db.js')).some((d) => d.message.startsWith('No timeout (chat model)')));
      } finally {
        await config.update('provider', undefined, vscode.ConfigurationTarget.Workspace);
      }
    },
  },
  {
    name: 'chat: the persona_review tool (vscode.lm.invokeTool) returns the findings as text; prepareInvocation says offline or asks to confirm',
    run: async () => {
      const { chat: c, api } = await chat();
      await api.setApiKeyForTesting(undefined);
      const input = { personas: ['sre'], files: ['src/db.js'] };
      const prep = await c.tool.prepareInvocation!({ input }, token());
      check(prep && /offline/.test(String(prep.invocationMessage)) && !prep.confirmationMessages, `offline: no confirmation, says offline (got ${JSON.stringify(prep)})`);
      const result = await vscode.lm.invokeTool('persona_review', { input, toolInvocationToken: undefined }, token());
      const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      check(/Persona Review \(offline\)/.test(text) && /missing-timeout/.test(text) && /src\/db\.js:15/.test(text), `findings as text:\n${text.slice(0, 600)}`);
      const ranged = await vscode.lm.invokeTool('persona_review', { input: { personas: ['security'], ranges: [{ file: 'src/db.js', startLine: 14, endLine: 17 }] }, toolInvocationToken: undefined }, token());
      const rangedText = ranged.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      check(!/sql-injection/.test(rangedText), `a range limits the findings (line 10 is outside 14-17):\n${rangedText.slice(0, 400)}`);
      const bad = await vscode.lm.invokeTool('persona_review', { input: { personas: ['nobody'], files: ['src/db.js'] }, toolInvocationToken: undefined }, token());
      check(/unknown persona nobody/.test((bad.content[0] as vscode.LanguageModelTextPart).value), 'an unknown persona is a clear message');
      await api.setApiKeyForTesting('sk-ant-tool-0123');
      try {
        const confirm = await c.tool.prepareInvocation!({ input }, token());
        check(confirm?.confirmationMessages && /Claude/.test(confirm.confirmationMessages.title), 'with a key: a confirmation before code is sent');
      } finally {
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
  {
    name: 'chat: @team reviews with several personas; @workflow lists the workflows, /run runs one through the Workflow Executor and /status shows it',
    run: async () => {
      const { chat: c } = await chat();
      await openFile('src/db.js');
      const r = recorder();
      const result = await c.handle('personaReview.team', request('', 'review'), noHistory, r.stream, token());
      const meta = result.metadata as ChatTurnMetadata;
      check(meta.personaIds.length >= 4, `a team of personas (got ${meta.personaIds.join(', ')})`);
      check(meta.findings.some((f) => f.personaIds.includes('security')) && meta.findings.some((f) => f.personaIds.includes('sre')), 'findings of several personas');
      const w = recorder();
      await c.handle('personaReview.workflow', request(''), noHistory, w.stream, token());
      check(/pre-merge/.test(w.text()) && /Gate/.test(w.text()), `workflows with their gates:\n${w.text().slice(0, 400)}`);
      const run = recorder();
      const runResult = await c.handle('personaReview.workflow', request('pre-merge', 'run'), noHistory, run.stream, token());
      check(!(runResult.metadata as ChatTurnMetadata).failure, `the run started (got ${(runResult.metadata as ChatTurnMetadata).failure})`);
      check(/Workflow run: Pre-merge review/.test(run.text()) && /\*\*Status:\*\* (passed|failed|passed-with-overrides)/.test(run.text()), `the run log is shown:\n${run.text().slice(0, 500)}`);
      check(run.parts.some((p) => p.kind === 'button' && p.value.command === 'personaReview.showWorkflowRun'), 'a "Show run" button');
      const status = recorder();
      await c.handle('personaReview.workflow', request('', 'status'), noHistory, status.stream, token());
      check(/Workflow run: Pre-merge review/.test(status.text()), `/status shows the latest run:\n${status.text().slice(0, 300)}`);
      const noName = recorder();
      await c.handle('personaReview.workflow', request('', 'run'), noHistory, noName.stream, token());
      check(/say which workflow to run/.test(noName.text()), 'a run without a workflow name asks for one');
      checkSafe([...r.parts, ...w.parts, ...run.parts, ...status.parts, ...noName.parts]);
      // The run log is not this suite's to keep (workflows.test.ts runs its own).
      await fs.rm(workspaceUri('.persona-review').fsPath, { recursive: true, force: true });
    },
  },
  {
    name: 'chat: no open editor and a cancelled request are reported as chat messages',
    run: async () => {
      const { chat: c } = await chat();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const r = recorder();
      const result = await c.handle('personaReview.qa', request('', 'review'), noHistory, r.stream, token());
      check((result.metadata as ChatTurnMetadata).failure && /open a file/.test(r.text()), `asks to open a file:\n${r.text()}`);
      await openFile('src/db.js');
      const cts = new vscode.CancellationTokenSource();
      cts.cancel();
      const s = recorder();
      await c.handle('personaReview.perf', request('', 'review'), noHistory, s.stream, cts.token);
      check(/Stopped|could not answer/.test(s.text()), `a cancelled request says so:\n${s.text()}`);
      checkSafe([...r.parts, ...s.parts]);
      await fs.rm(workspaceUri(API_FILE).fsPath, { force: true });
    },
  },
  {
    name: '[restricted] chat: @sre runs offline even with a key stored and provider "vscode-lm"',
    run: async () => {
      const { chat: c, api } = await chat();
      const fake = await fakeApi();
      await fake.reset();
      await api.setApiKeyForTesting('sk-ant-restricted-chat');
      const config = vscode.workspace.getConfiguration('personaReview');
      await config.update('provider', 'vscode-lm', vscode.ConfigurationTarget.Global);
      const model = fakeModel('must not be asked');
      try {
        await openFile('src/db.js');
        const r = recorder();
        const result = await c.handle('personaReview.sre', request('', 'review', model), noHistory, r.stream, token());
        const meta = result.metadata as ChatTurnMetadata;
        check(meta.provider === 'offline', `offline (got ${meta.provider})`);
        check(/Restricted Mode/.test(r.text()), 'the chat says why');
        check(model.prompts.length === 0 && (await fake.requests()).length === 0, 'no model was asked');
      } finally {
        await config.update('provider', undefined, vscode.ConfigurationTarget.Global);
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
];
