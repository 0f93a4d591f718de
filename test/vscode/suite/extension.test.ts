/**
 * Extension-host integration tests, TRUSTED session (the runner opens test/vscode/workspace trusted).
 * They run inside a real VS Code with the real `vscode` API and the built extension (dist/), talking to
 * the real language server (dist/server.js); the Restricted Mode tests are in restricted.test.ts.
 *
 * Shape (the runner's contract, test/vscode/host/index.ts): `export const tests: Array<{ name, run }>`,
 * run one at a time in this order; later tests use the state earlier ones leave (an open file, a review
 * shown in the panel). Fixture: src/db.js has SQL built from a request parameter (line 10, Security
 * Engineer, critical) and a fetch without a timeout (line 15, Site Reliability Engineer, with a quick fix).
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ReviewSummary } from '../../../src/shared/protocol';
import { check, diagnosticsFrom, extensionApi, fakeApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';
import { complexPlanJs } from '../../support/complexSample';

const DB = 'src/db.js';
const SECURITY = 'Security Engineer';
const SRE = 'Site Reliability Engineer';

/** Runs a review command with src/db.js active and returns its summary. */
async function reviewDb(command: string): Promise<ReviewSummary> {
  await openFile(DB);
  const summary = await vscode.commands.executeCommand<ReviewSummary | undefined>(command);
  check(summary, `${command} returned no summary (the review did not run; see the "Persona Review" log)`);
  return summary;
}

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'declared and registered commands match both ways',
    run: async () => {
      const { extension } = await extensionApi();
      const pkg = extension.packageJSON as { contributes: { commands: Array<{ command: string }>; views: Record<string, Array<{ id: string }>> } };
      const declared = new Set(pkg.contributes.commands.map((c) => c.command));
      // VS Code itself registers `<viewId>.focus`, `.open`, `.removeView` ... for each contributed view.
      const views = Object.values(pkg.contributes.views).flat().map((v) => `${v.id}.`);
      const all = await vscode.commands.getCommands(true);
      const registered = new Set(all.filter((c) => c.startsWith('personaReview.') && !views.some((v) => c.startsWith(v))));
      const notRegistered = [...declared].filter((c) => !registered.has(c));
      const notDeclared = [...registered].filter((c) => !declared.has(c));
      check(notRegistered.length === 0, `declared but not registered: ${notRegistered.join(', ')}`);
      check(notDeclared.length === 0, `registered but not declared: ${notDeclared.join(', ')}`);
      check(declared.has('personaReview.reviewAs.security') && declared.has('personaReview.reviewAs.architect'), 'per-persona commands are declared');
    },
  },
  {
    name: 'the language server starts and loads the shipped personas and the workspace .personas folder',
    run: async () => {
      const { api } = await extensionApi();
      check((await api.serverState()) === 'running', 'the language server is running');
      const ids = await api.personaIds();
      for (const id of ['architect', 'security', 'sre', 'qa', 'workflow-executor']) check(ids.includes(id), `persona ${id} loaded (got ${ids.join(', ')})`);
      await fs.mkdir(workspaceUri('.personas').fsPath, { recursive: true });
      await fs.writeFile(
        workspaceUri('.personas/team-lead.md').fsPath,
        '---\nid: team-lead\nname: Team Lead\ndescription: Checks the team conventions.\ncategory: process\nicon: organization\nchat: lead\n---\nYou review code against the team conventions.\n',
      );
      await vscode.commands.executeCommand('personaReview.restartServer');
      const after = await api.personaIds();
      check(after.includes('team-lead'), `a trusted workspace's .personas/team-lead.md is loaded (got ${after.join(', ')})`);
    },
  },
  {
    name: 'with no API key, "Review as Security Engineer" runs offline and publishes Error Diagnostics with source "Security Engineer"',
    run: async () => {
      const { api } = await extensionApi();
      await api.setApiKeyForTesting(undefined);
      const fake = await fakeApi();
      await fake.reset();
      const summary = await reviewDb('personaReview.reviewAs.security');
      const outcome = api.lastOutcome();
      check(outcome?.provider === 'offline', `provider offline (got ${outcome?.provider})`);
      check(outcome?.providerNote === 'no API key set', `the panel says why (got ${outcome?.providerNote})`);
      check(summary.findings > 0 && summary.bySeverity.critical > 0, `critical findings reported (got ${JSON.stringify(summary.bySeverity)})`);
      const uri = workspaceUri(DB);
      const diags = await waitFor('Security Engineer Diagnostics on src/db.js', () => {
        const d = diagnosticsFrom(uri, SECURITY);
        return d.length > 0 ? d : undefined;
      });
      const sql = diags.find((d) => d.range.start.line === 9);
      check(sql, `a Diagnostic on line 10, the SQL query (got lines ${diags.map((d) => d.range.start.line + 1).join(', ')})`);
      check(sql.severity === vscode.DiagnosticSeverity.Error, `critical maps to Error (got ${sql.severity})`);
      const code = typeof sql.code === 'object' ? String(sql.code.value) : String(sql.code);
      check(/sql-injection/.test(code), `code names the category (got ${code})`);
      check((await fake.requests()).length === 0, 'nothing was sent to the Messages API');
    },
  },
  {
    name: 'the review panel streamed the review, and shows it again after being hidden and reopened',
    run: async () => {
      const { api } = await extensionApi();
      const review = api.panelState().review;
      check(review && review.status === 'done', `the panel shows the finished review (got ${review?.status})`);
      check((review.texts.security ?? '').length > 0, 'the Security Engineer text streamed into the panel');
      check(review.findings.some((f) => f.severity === 'critical' && f.file === DB), 'the panel lists the critical finding');
      await vscode.commands.executeCommand('personaReview.showPanel');
      await waitFor('the panel webview to say ready', () => api.panelReady());
      // Hide it: open an editor in the panel's group (the active group, since showPanel focused it).
      const doc = await vscode.workspace.openTextDocument({ content: 'covering the panel', language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
      await waitFor('the hidden panel to drop its webview', () => !api.panelReady());
      await vscode.commands.executeCommand('personaReview.showPanel');
      await waitFor('the reopened panel to say ready again (then it gets the whole state)', () => api.panelReady());
      check(api.panelState().review?.reviewId === review.reviewId, 'the same review is shown after reopening');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    },
  },
  {
    name: 'the quick fix for a fetch without a timeout replaces exactly its range',
    run: async () => {
      await reviewDb('personaReview.reviewAs.sre');
      const editor = await openFile(DB);
      const uri = editor.document.uri;
      const before = editor.document.getText().split('\n');
      const diag = await waitFor('an SRE Diagnostic on the fetch (line 15)', () => diagnosticsFrom(uri, SRE).find((d) => d.range.start.line === 14));
      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
      const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined && (a as vscode.CodeAction).isPreferred === true);
      check(fix?.edit, `a preferred quick fix with an edit (got ${actions.map((a) => a.title).join(' | ')})`);
      check(await vscode.workspace.applyEdit(fix.edit), 'the edit applied');
      const afterLines = editor.document.getText().split('\n');
      check(/AbortSignal\.timeout/.test(afterLines[14] ?? ''), `line 15 now has a timeout (got ${afterLines[14]})`);
      check(afterLines.length === before.length, 'no line added or removed');
      for (let i = 0; i < before.length; i++) if (i !== 14) check(afterLines[i] === before[i], `line ${i + 1} unchanged`);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      check(!/AbortSignal/.test(editor.document.getText()), 'reverted for the next tests');
    },
  },
  {
    name: 'personaReview.minimumSeverity hides Diagnostics below it, and Clear Findings removes them all',
    run: async () => {
      await reviewDb('personaReview.reviewAs.sre');
      await reviewDb('personaReview.reviewAs.security');
      const uri = workspaceUri(DB);
      await waitFor('SRE (medium) Diagnostics', () => diagnosticsFrom(uri, SRE).length > 0);
      const config = vscode.workspace.getConfiguration('personaReview');
      await config.update('minimumSeverity', 'critical', vscode.ConfigurationTarget.Workspace);
      try {
        await waitFor('medium Diagnostics hidden', () => diagnosticsFrom(uri, SRE).length === 0);
        check(diagnosticsFrom(uri, SECURITY).length > 0, 'critical Diagnostics stay');
      } finally {
        await config.update('minimumSeverity', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitFor('medium Diagnostics back', () => diagnosticsFrom(uri, SRE).length > 0);
      await vscode.commands.executeCommand('personaReview.clearFindings');
      await waitFor('every Diagnostic cleared', () => diagnosticsFrom(uri, SRE).length + diagnosticsFrom(uri, SECURITY).length === 0);
    },
  },
  {
    name: 'personaReview.offline.depth: thorough (a workspace setting) adds the complexity measure to an offline review; precise, the default, leaves it out',
    run: async () => {
      const rel = 'src/plan-depth.js';
      await fs.writeFile(workspaceUri(rel).fsPath, complexPlanJs());
      const uri = workspaceUri(rel);
      const codes = () => vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      const review = async () => {
        await openFile(rel);
        check(await vscode.commands.executeCommand<ReviewSummary | undefined>('personaReview.reviewAs.engineer'), 'the Senior Engineer review ran');
      };
      const config = vscode.workspace.getConfiguration('personaReview');
      try {
        await review();
        check(!codes().includes('quality/complex-function'), `no complexity measure at the default depth (got ${codes().join(', ')})`);
        await config.update('offline.depth', 'thorough', vscode.ConfigurationTarget.Workspace);
        // The client sends the changed section to the server (workspace/didChangeConfiguration); the next review uses it.
        await waitFor('the thorough review to report the complex function', async () => {
          await review();
          return codes().includes('quality/complex-function');
        });
      } finally {
        await config.update('offline.depth', undefined, vscode.ConfigurationTarget.Workspace);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await fs.rm(uri.fsPath, { force: true });
      }
    },
  },
  {
    name: '"Explain in review panel" and "Dismiss finding" code actions reach the extension',
    run: async () => {
      const { api } = await extensionApi();
      await reviewDb('personaReview.reviewAs.security');
      const uri = workspaceUri(DB);
      const diag = await waitFor('the SQL Diagnostic', () => diagnosticsFrom(uri, SECURITY).find((d) => d.range.start.line === 9));
      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
      const commandOf = (title: string) => {
        const a = actions.find((x) => x.title === title);
        const cmd = a && 'command' in a && typeof a.command === 'object' ? a.command : (a as vscode.Command | undefined);
        check(cmd?.command, `a "${title}" action (got ${actions.map((x) => x.title).join(' | ')})`);
        return cmd;
      };
      const explain = commandOf('Explain in review panel');
      await vscode.commands.executeCommand(explain.command, ...(explain.arguments ?? []));
      const shown = await waitFor('the panel to explain the finding', () => api.panelState().explain);
      check(/sql|query/i.test(shown.title + shown.message), `the explained finding is the SQL one (got ${shown.title})`);
      const dismiss = commandOf('Dismiss finding');
      const count = diagnosticsFrom(uri, SECURITY).length;
      await vscode.commands.executeCommand(dismiss.command, ...(dismiss.arguments ?? []));
      await waitFor('the dismissed Diagnostic to go', () => diagnosticsFrom(uri, SECURITY).length === count - 1 && !diagnosticsFrom(uri, SECURITY).some((d) => d.range.start.line === 9));
    },
  },
  {
    name: 'with a key in SecretStorage, the anthropic provider reaches the (fake) Messages API with it',
    run: async () => {
      const { api } = await extensionApi();
      const fake = await fakeApi();
      await fake.reset();
      // Not the SQL finding: the previous test dismissed that one (by fingerprint), so it stays hidden.
      const finding = {
        file: DB,
        line: 9,
        quote: 'const id = req.query.id;',
        severity: 'medium',
        category: 'input-validation',
        title: 'Unvalidated id from the query string (Claude)',
        message: 'Check that `id` is a well-formed identifier before using it.',
        references: ['CWE-20'],
        confidence: 0.8,
      };
      await fake.script({ reply: `## Security review\n\nStreamed from the fake API.\n\n\`\`\`finding\n${JSON.stringify(finding)}\n\`\`\`\n`, chunkSize: 9 });
      const key = 'sk-ant-test-0123456789';
      await api.setApiKeyForTesting(key);
      try {
        const summary = await reviewDb('personaReview.reviewAs.security');
        const outcome = api.lastOutcome();
        check(outcome?.provider === 'anthropic', `provider anthropic (got ${outcome?.provider}, ${outcome?.providerNote ?? ''})`);
        check(summary.errors.length === 0, `no errors (got ${JSON.stringify(summary.errors)})`);
        const requests = await fake.requests();
        check(requests.length === 1, `one request to the Messages API (got ${requests.length})`);
        const req = requests[0]!;
        // @anthropic-ai/sdk 1.x sends the key as `Authorization: Bearer <key>` (0.x used `x-api-key`).
        const sent = req.headers['authorization'] ?? req.headers['x-api-key'];
        check(sent === `Bearer ${key}` || sent === key, `the key from SecretStorage was sent (got ${typeof sent === 'string' ? `${sent.slice(0, 14)}… (${sent.length} chars)` : JSON.stringify(sent)})`);
        check(JSON.stringify(req.body).includes('SELECT * FROM users'), 'the code of src/db.js was sent');
        check(outcome.textEvents > 1, `the reply streamed in several deltas (got ${outcome.textEvents})`);
        check((api.panelState().review?.texts.security ?? '').includes('Streamed from the fake API.'), 'the streamed text reached the panel');
        const uri = workspaceUri(DB);
        const d = await waitFor("Claude's finding as a Diagnostic", () => diagnosticsFrom(uri, SECURITY).find((x) => x.message.includes('(Claude)')));
        check(d.range.start.line === 8 && d.severity === vscode.DiagnosticSeverity.Warning, `on line 9, medium → Warning (got line ${d.range.start.line + 1}, severity ${d.severity})`);
      } finally {
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
  {
    name: 'an API error is reported as a clear message, never a stack trace',
    run: async () => {
      const { api } = await extensionApi();
      const fake = await fakeApi();
      await fake.reset();
      await fake.script({ status: 401 });
      await api.setApiKeyForTesting('sk-ant-wrong');
      try {
        const summary = await reviewDb('personaReview.reviewAs.security');
        check(summary.errors.length === 1, `one persona error (got ${JSON.stringify(summary.errors)})`);
        const message = summary.errors[0]!.message;
        check(!/\n\s+at /.test(message) && !message.includes('sk-ant-wrong'), `no stack trace or key in the message: ${message}`);
        const panel = api.panelState().review?.summary;
        check(panel?.errors[0]?.message === message, 'the panel shows the same message');
      } finally {
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
];
