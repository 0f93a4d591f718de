/**
 * The language server honours the team's files as the CLI does (issue 12): an inline
 * `persona-review-ignore` comment with a reason and an entry of `.persona-review/suppressions.yaml`
 * keep their findings out of the Diagnostics of an editor review; a comment without a reason silences
 * nothing and is itself reported. Driven over a real LSP connection from a plain client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { ServerCommands } from '../../src/shared/protocol';
import { startLspClient, type LspClient } from '../support/lspClient';

const PRICES = [
  'export async function loadPrices(url) {',
  '  // persona-review-ignore sre/missing-timeout -- the prices service answers from the local cache',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
  'export async function loadRates(url) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
  'export async function loadTaxes(url) {',
  '  // persona-review-ignore sre/missing-timeout',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
].join('\n');

let ws: string;
let lsp: LspClient;
const uri = () => pathToFileURL(path.join(ws, 'prices.js')).href;
const run = (command: string, args: unknown[]) => lsp.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });

before(async () => {
  ws = mkdtempSync(path.join(tmpdir(), 'pr-lsp-team-'));
  writeFileSync(path.join(ws, 'prices.js'), PRICES);
  execFileSync('git', ['init', '-q'], { cwd: ws });
  lsp = await startLspClient({ rootUri: pathToFileURL(ws).href, cwd: ws, initializationOptions: {} });
});

after(async () => {
  await lsp?.stop();
  rmSync(ws, { recursive: true, force: true });
});

test('editor reviews honour inline suppressions with a reason and the suppressions file; a suppression without a reason is reported', async () => {
  await lsp.open(uri(), PRICES);
  const first = (await run(ServerCommands.reviewDocument, [uri(), ['sre']])) as { status: string; findings: number };
  assert.equal(first.status, 'done');
  const published = await lsp.waitForDiagnostics(uri(), (p) => p.diagnostics.length > 0, 'the findings');
  const lines = (code: string) => published.diagnostics.filter((d) => d.code === code).map((d) => d.range.start.line + 1).sort((a, b) => a - b);
  assert.deepEqual(lines('sre/missing-timeout'), [8, 14], 'the fetch under a reasoned comment is suppressed; the others are not');
  assert.deepEqual(lines('persona-review/invalid-suppression'), [13], 'the comment without a reason is reported');

  // The team accepts the loadRates fetch in the suppressions file (as `suppressions add` or Dismiss for the team write it).
  const rates = published.diagnostics.find((d) => d.code === 'sre/missing-timeout' && d.range.start.line === 7)!;
  const fingerprint = (rates.data as { fingerprint: string }).fingerprint;
  assert.match(fingerprint, /^[0-9a-f]{16,}$/);
  mkdirSync(path.join(ws, '.persona-review'), { recursive: true });
  writeFileSync(
    path.join(ws, '.persona-review/suppressions.yaml'),
    ['version: 1', 'suppressions:', `  - fingerprint: ${fingerprint}`, '    rule: sre/missing-timeout', '    file: prices.js', '    quote: await fetch(url)', '    reason: rates come from a sidecar on localhost', '    author: Lee Lead <lee@example.com>', '    date: 2025-01-10', ''].join('\n'),
  );
  const second = (await run(ServerCommands.reviewDocument, [uri(), ['sre']])) as { status: string; findings: number };
  assert.equal(second.status, 'done');
  const after = await lsp.waitForDiagnostics(uri(), (p) => !p.diagnostics.some((d) => d.range.start.line === 7 && d.code === 'sre/missing-timeout'), 'the file entry to apply');
  assert.deepEqual(after.diagnostics.filter((d) => d.code === 'sre/missing-timeout').map((d) => d.range.start.line + 1), [14]);
});
