/**
 * Reviews through the Anthropic provider against the scripted fake Messages API (test/support/fakeAnthropic.ts,
 * real SDK, real HTTP on 127.0.0.1), over a real LSP connection: the key passed in the request reaches the
 * API and never a log; `$/cancelRequest` and a newer review of the same target cancel a running review.
 * Stalls in the fake are long (30 s) and are ended by the cancellation, never waited out.
 */
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, startLspClient, type LspClient } from '../support/lspClient';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const FIXTURE = path.join(REPO, 'test/fixtures/app');
const SERVER_JS = readFileSync(path.join(FIXTURE, 'server.js'), 'utf8');
const KEY = 'sk-ant-cancel-' + 'q7'.repeat(14);
const STALL_MS = 30_000;

let ws: string;
let lsp: LspClient;
let fake: FakeAnthropic;

before(async () => {
  ws = mkdtempSync(path.join(tmpdir(), 'pr-lsp-cancel-'));
  cpSync(FIXTURE, ws, { recursive: true });
  for (const name of ['a.js', 'b.js', 'c.js', 'd.js']) writeFileSync(path.join(ws, name), SERVER_JS);
  lsp = await startLspClient({ initializationOptions: { workspaceRoot: ws, personaDirs: [], builtinPersonaDir: path.join(REPO, 'personas') } });
});

after(async () => {
  await lsp?.stop();
  rmSync(ws, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

const uriOf = (rel: string) => pathToFileURL(path.join(ws, rel)).href;
const anthropic = { provider: 'anthropic' as const, apiKey: KEY, model: 'claude-test-model' };

/** Polls the fake (not an LSP message, so nothing to wait on) until `n` requests arrived; fails after 10 s. */
async function requestsArrived(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (fake.requests.length < n) {
    if (Date.now() > deadline) throw new Error(`the fake Messages API got ${fake.requests.length} request(s), expected ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const block = (file: string, over: Record<string, unknown> = {}) =>
  '```finding\n' +
  JSON.stringify({ file, line: 10, quote: 'const rows = await db.query(sql);', severity: 'critical', category: 'sql-injection', title: 'SQL injection', message: 'Built from `req.query.name`.', references: ['CWE-89'], confidence: 0.9, ...over }) +
  '\n```\n';

/** Every text the server logged or wrote to stderr. */
const serverOutput = () => [...lsp.logs.map((l) => l.message), lsp.stderr()].join('\n');

test('anthropic: the key from the request reaches the API, findings become Diagnostics, and the key is in no log', async () => {
  const uri = uriOf('a.js');
  await lsp.open(uri, SERVER_JS);
  fake.script({ reply: `## Security review\n\nOne problem.\n\n${block('a.js')}\nThat is all.\n` });
  const summary = await lsp.review({ reviewId: 'key-1', personas: ['security'], target: { kind: 'document', uri }, baseURL: fake.url, command: 'threat-model', ...anthropic }).result;
  const task = 'Build a threat model of the code';
  assert.equal(summary.cancelled, false);
  assert.equal(summary.findings, 1);
  assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${KEY}`);
  assert.equal(fake.requests[0]?.body.model, 'claude-test-model');
  assert.ok(JSON.stringify(fake.requests[0]?.body.messages).includes(task), 'the task of the persona command reaches the model');
  const d = lsp.latestDiagnostics(uri)!.diagnostics[0]!;
  assert.equal(d.source, 'Security Engineer');
  assert.equal(d.code, 'sql-injection', 'the category when there is no rule id');
  assert.deepEqual(d.range, { start: { line: 9, character: 2 }, end: { line: 9, character: 35 } });
  const streamed = lsp.events.filter((e) => e.reviewId === 'key-1' && e.event.type === 'text').map((e) => (e.event as { text: string }).text).join('');
  assert.match(streamed, /One problem/);

  // The API answers 403 and echoes the key in its error message: neither logs nor the answer carry it.
  fake.script({ status: 403, body: { type: 'error', error: { type: 'permission_error', message: `key ${KEY} may not use this model` } } });
  const failed = await lsp.review({ reviewId: 'key-2', personas: ['security'], target: { kind: 'document', uri }, baseURL: fake.url, ...anthropic }).result;
  assert.equal(failed.errors.length, 1);
  assert.match(failed.errors[0]!.message, /403/);
  await lsp.roundTrip();
  assert.ok(lsp.logs.some((l) => l.message.includes('key-2')), 'the review was logged');
  assert.ok(!serverOutput().includes(KEY), 'the key never appears in the server log or stderr');
  assert.ok(!JSON.stringify(failed).includes(KEY), 'nor in the summary');
  assert.ok(!JSON.stringify(lsp.events).includes(KEY), 'nor in any review event');
});

test('$/cancelRequest cancels a running review: cancelled: true, and nothing is published', async () => {
  const uri = uriOf('b.js');
  await lsp.open(uri, SERVER_JS);
  const first = block('b.js');
  fake.script({ reply: `${first}and more to come`, afterChars: first.length, stallMs: STALL_MS });
  const run = lsp.review({ reviewId: 'cancel-1', personas: ['security'], target: { kind: 'document', uri }, baseURL: fake.url, ...anthropic });
  await lsp.waitFor('a finding streamed before the stall', () => lsp.events.some((e) => e.reviewId === 'cancel-1' && e.event.type === 'finding'));
  run.cancel();
  const summary = await run.result;
  assert.equal(summary.cancelled, true);
  assert.equal(summary.errors.length, 0, 'the cancellation itself is not an error');
  assert.equal(lsp.latestDiagnostics(uri), undefined, 'a cancelled review publishes no Diagnostics');
  assert.ok(lsp.logs.some((l) => /cancel-1: cancelled by the client/.test(l.message)));
});

test('a new review of the same target cancels the running one; a review of another target does not', async () => {
  const uri = uriOf('c.js');
  const other = uriOf('d.js');
  await lsp.open(uri, SERVER_JS);
  await lsp.open(other, SERVER_JS);
  fake.script({ stallMs: STALL_MS, reply: block('c.js') });
  const slow = lsp.review({ reviewId: 'old-1', personas: ['security'], target: { kind: 'document', uri }, baseURL: fake.url, ...anthropic });
  await requestsArrived(1);

  // Another target: both run; the slow one is untouched.
  const elsewhere = await lsp.review({ reviewId: 'other-1', personas: ['security'], target: { kind: 'document', uri: other }, provider: 'offline' }).result;
  assert.equal(elsewhere.cancelled, false);
  assert.equal(lsp.events.some((e) => e.reviewId === 'old-1' && e.event.type === 'persona-end'), false, 'the first review still runs');

  // The same target again: the first one is cancelled, the new one completes and publishes.
  const newer = await lsp.review({ reviewId: 'new-1', personas: ['security'], target: { kind: 'document', uri }, provider: 'offline' }).result;
  const old = await slow.result;
  assert.equal(old.cancelled, true);
  assert.equal(newer.cancelled, false);
  assert.equal(newer.findings, 3);
  const ds = lsp.latestDiagnostics(uri)!.diagnostics;
  assert.deepEqual(ds.map((d) => d.code).sort(), ['security/command-injection', 'security/secret-in-source', 'security/sql-injection']);
  assert.ok(lsp.logs.some((l) => /old-1: cancelled, superseded by review new-1/.test(l.message)));
});
