/**
 * Any LSP editor (issue 10, point 4), over a real LSP connection (stdio, test/support/lspClient.ts) from a
 * client that sends no Persona Review options at all, only `rootUri`, as Neovim or Helix would:
 * `workspace/executeCommand` reviews a document, a selection and the git changes, dismisses and clears;
 * progress comes as server-created `window/workDoneProgress`; every code action offered names only what this
 * client can run (the server's own commands, never the VS Code panel's); the opt-in review on save, turned on
 * in `initializationOptions.settings` and off through `workspace/didChangeConfiguration`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, DidChangeConfigurationNotification, ExecuteCommandRequest, type CodeAction } from 'vscode-languageserver-protocol';
import { ServerCommands, type DiagnosticData } from '../../src/shared/protocol';
import { progressKinds, startLspClient, type LspClient } from '../support/lspClient';

const PRICES = [
  'export async function loadPrices(url) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
  'export async function loadRates(url) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
].join('\n');

let ws: string;
let lsp: LspClient;
const uriOf = (rel: string) => pathToFileURL(path.join(ws, rel)).href;

before(async () => {
  ws = mkdtempSync(path.join(tmpdir(), 'pr-lsp-editor-'));
  writeFileSync(path.join(ws, 'prices.js'), PRICES);
  writeFileSync(path.join(ws, 'saved.js'), PRICES);
  execFileSync('git', ['init', '-q'], { cwd: ws });
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '.'], { cwd: ws });
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'base'], { cwd: ws });
  lsp = await startLspClient({ rootUri: pathToFileURL(ws).href, cwd: ws, initializationOptions: { settings: { reviewOnSave: ['sre'] } } });
});

after(async () => {
  await lsp?.stop();
  rmSync(ws, { recursive: true, force: true });
});

const run = (command: string, args: unknown[]) => lsp.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });

test('executeCommand reviewDocument: Diagnostics with only LSP, progress the server creates, a summary back', async () => {
  const uri = uriOf('prices.js');
  await lsp.open(uri, PRICES);
  const before = lsp.createdProgress.length;
  const summary = (await run(ServerCommands.reviewDocument, [uri, ['sre']])) as { status: string; findings: number; markdown?: string };
  assert.equal(summary.status, 'done');
  assert.equal(summary.findings, 2, `the two fetches without a timeout (got ${summary.findings})`);
  assert.equal(summary.markdown, undefined, 'the summary leaves out the report (a plain client does not need it)');
  const published = await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'sre/missing-timeout'), 'the timeout finding');
  assert.deepEqual(published.diagnostics.find((d) => d.code === 'sre/missing-timeout')!.range.start, { line: 1, character: 0 }, 'the whole line the fix replaces');
  const token = lsp.createdProgress[before];
  assert.ok(token !== undefined, 'the server asked to create a work-done progress (window/workDoneProgress/create)');
  await lsp.waitFor('the progress to end', () => progressKinds(lsp.progress.get(String(token))).includes('end'));
  assert.deepEqual(progressKinds(lsp.progress.get(String(token))).filter((k) => k !== 'report'), ['begin', 'end']);
});

test('code actions for a plain client: the quick fix edit, Dismiss and Explain as server commands; Explain shows a message', async () => {
  const uri = uriOf('prices.js');
  const d = lsp.latestDiagnostics(uri)!.diagnostics.find((x) => x.code === 'sre/missing-timeout')!;
  const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const titles = actions.map((a) => a.title);
  assert.ok(actions.some((a) => a.isPreferred && a.edit), `a quick fix with an edit (got ${titles.join(' | ')})`);
  const commands = actions.flatMap((a) => (a.command ? [a.command.command] : []));
  assert.deepEqual(commands.sort(), [ServerCommands.dismissFinding, ServerCommands.explainFinding].sort(), 'only commands this server runs');
  const explain = actions.find((a) => a.title === 'Explain finding')!;
  const res = (await run(explain.command!.command, explain.command!.arguments!)) as { markdown: string };
  assert.match(res.markdown, /No timeout|timeout/i);
  const shown = await lsp.waitFor('window/showMessage with the explanation', () => lsp.messages.find((m) => /timeout/i.test(m.message)));
  assert.match(shown.message, /line 2\b/);
  const dismiss = actions.find((a) => a.title === 'Dismiss finding')!;
  await run(dismiss.command!.command, dismiss.command!.arguments!);
  await lsp.waitForDiagnostics(uri, (p) => !p.diagnostics.some((x) => (x.data as DiagnosticData).fingerprint === (d.data as DiagnosticData).fingerprint), 'the dismissed finding gone');
});

test('executeCommand reviewSelection (an LSP range), reviewChanges, clearFindings; bad arguments say what was expected', async () => {
  const uri = uriOf('prices.js');
  // Lines 6-9 (0-based 5..9, the range ending at column 0 of line 10): the second fetch, not the first on line 2.
  const sel = (await run(ServerCommands.reviewSelection, [uri, { start: { line: 5, character: 0 }, end: { line: 9, character: 0 } }, ['sre']])) as { findingList: Array<{ range: { startLine: number } }> };
  assert.deepEqual(sel.findingList.map((f) => f.range.startLine), [7], 'only the fetch inside the selection');
  writeFileSync(path.join(ws, 'prices.js'), `${PRICES}export const retry = () => fetch('https://example.com/ping');\n`);
  const changes = (await run(ServerCommands.reviewChanges, [{ mode: 'working', personas: ['sre'] }])) as { status: string; findingList: Array<{ range: { startLine: number } }> };
  assert.equal(changes.status, 'done');
  const added = PRICES.split('\n').length; // the appended line's 1-based number
  assert.ok(changes.findingList.length > 0 && changes.findingList.every((f) => f.range.startLine === added), `only the changed line ${added} (got ${JSON.stringify(changes.findingList.map((f) => f.range.startLine))})`);
  await run(ServerCommands.clearFindings, []);
  await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared');
  await assert.rejects(run(ServerCommands.reviewSelection, [uri, 'lines 1-3']), /expected \[uri, range \(LSP, 0-based\), personas\?\]/);
  await assert.rejects(run(ServerCommands.reviewDocument, [uri, ['wizard']]), /unknown persona\(s\): wizard/);
  await assert.rejects(run('personaReview.server.nope', []), /unknown command/);
});

test('review on save (opt-in): a save publishes offline Diagnostics; turned off through didChangeConfiguration, a save does not', async () => {
  const uri = uriOf('saved.js');
  await lsp.open(uri, PRICES);
  await lsp.save(uri);
  await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'sre/missing-timeout'), 'the review on save');
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { reviewOnSave: false } } });
  await run(ServerCommands.clearFindings, []);
  await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared');
  const created = lsp.createdProgress.length;
  await lsp.save(uri);
  await lsp.roundTrip();
  // A review would have created a progress first; none did, and nothing was published.
  await lsp.roundTrip();
  assert.equal(lsp.createdProgress.length, created, 'no review started');
  assert.equal(lsp.latestDiagnostics(uri)!.diagnostics.length, 0);
});
