/**
 * The editor's path for project context and team memory (issue 13): the language server over a real LSP
 * connection (test/support/lspClient.ts) reviewing with the Anthropic provider against the fake Messages API.
 * A team memory entry (`.personas/memory/security.md`) and a guidance file (`AGENTS.md`) reach the recorded
 * request inside the cached prefix and framed as the team's guidance; with the client's
 * `personaReview.projectContext` setting off (workspace/didChangeConfiguration) neither does, nor in an
 * untrusted workspace (initializationOptions.trusted false). The persona list says where each persona comes
 * from (another tool's file in the repository: `repository`, with its import report) and each reviewing
 * persona's memory file; the memory requests create and append to the file, and refuse in Restricted Mode.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { AddMemoryEntryRequest, PersonasRequest, TeamMemoryFileRequest, type ReviewParams } from '../../src/shared/protocol';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';
import { REPO, startLspClient, type LspClient } from '../support/lspClient';

const KEY = 'sk-ant-test-' + 'lsp'.repeat(8);
const MEMORY = 'We use parameterised queries through knex; raw SQL in migrations is reviewed by hand.';
const GUIDANCE = 'All HTTP handlers validate input with zod schemas from src/schemas.';
const CODE = 'const db = require("./db");\nexports.find = (id) => db.query("SELECT * FROM users WHERE id = " + id);\n';
const REPLY = '### Overall Assessment: fine\n';

let fake: FakeAnthropic;
let ws: string;

/** A workspace with a memory entry, a guidance file and a Claude Code subagent in `.claude/agents/`. */
function workspace(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, '.personas/memory'), { recursive: true });
  writeFileSync(path.join(dir, 'src/users.js'), CODE);
  writeFileSync(path.join(dir, '.personas/memory/security.md'), `# Team memory\n\n- 2025-01-10, dana: ${MEMORY}\n`);
  writeFileSync(path.join(dir, 'AGENTS.md'), `# Agents\n\n${GUIDANCE}\n`);
  cpSync(path.join(REPO, 'test/fixtures/import/claude-agent/.claude'), path.join(dir, '.claude'), { recursive: true });
  return dir;
}

function start(dir: string, trusted: boolean): Promise<LspClient> {
  return startLspClient({ initializationOptions: { workspaceRoot: dir, personaDirs: [path.join(dir, '.personas')], builtinPersonaDir: path.join(REPO, 'personas'), trusted } });
}

/** Reviews src/users.js as Security Engineer and SRE on the fake API; returns the Security Engineer's request body. */
async function reviewOnFake(lsp: LspClient, dir: string) {
  fake.script({ reply: REPLY }, { reply: REPLY });
  const from = fake.requests.length;
  const params: ReviewParams = {
    personas: ['security', 'sre'],
    target: { kind: 'document', uri: pathToFileURL(path.join(dir, 'src/users.js')).href },
    provider: 'anthropic',
    apiKey: KEY,
    baseURL: fake.url,
  } as ReviewParams;
  const summary = await lsp.review(params).result;
  assert.notEqual(summary.status, 'failed', JSON.stringify(summary.errors));
  const sent = fake.requests.slice(from);
  const body = sent.find((q) => JSON.stringify(q.body).includes('You review as: Security Engineer'))?.body;
  assert.ok(body, `a request for the Security Engineer (got ${sent.length} requests)`);
  return { body, summary };
}

before(async () => {
  fake = await startFakeAnthropic();
  ws = workspace('pr-lsp-ctx-');
});
after(async () => {
  await fake.close();
  rmSync(ws, { recursive: true, force: true });
});

test('a memory entry and a guidance file reach the request inside the cached prefix, framed as the team guidance; with personaReview.projectContext off, neither does', async () => {
  const lsp = await start(ws, true);
  try {
    const on = await reviewOnFake(lsp, ws);
    const content = on.body.messages[0].content as Array<{ text: string; cache_control?: unknown }>;
    const memoryAt = content.findIndex((b) => b.text.includes(MEMORY));
    const guidanceAt = content.findIndex((b) => b.text.includes(GUIDANCE));
    assert.ok(memoryAt >= 0 && guidanceAt >= 0, 'the memory entry and the guidance file are sent');
    const breakpoint = content.map((b, i) => (b.cache_control ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    assert.ok(memoryAt <= breakpoint && guidanceAt <= breakpoint, `inside the cached prefix (memory ${memoryAt}, guidance ${guidanceAt}, breakpoint ${breakpoint})`);
    assert.match(content[memoryAt]!.text, /team's guidance/);
    assert.match(content[memoryAt]!.text, /<team_memory persona="security" path=".personas\/memory\/security.md">/);
    assert.match(content[memoryAt]!.text, /<guidance_file path="AGENTS.md">/);
    assert.ok(
      on.summary.notices.some((n) => /Team memory sent/.test(n)) && on.summary.notices.some((n) => /AGENTS\.md/.test(n)),
      `the review's notices name what was sent (got ${JSON.stringify(on.summary.notices)})`,
    );

    await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { projectContext: false } } });
    const off = await reviewOnFake(lsp, ws);
    const sent = JSON.stringify(off.body);
    assert.ok(!sent.includes(MEMORY), 'no memory with the setting off');
    assert.ok(!sent.includes(GUIDANCE), 'no guidance with the setting off');
    assert.ok(!sent.includes('team_context'), 'no team context block');
  } finally {
    await lsp.stop();
  }
});

test('in an untrusted workspace neither the memory nor the guidance is sent, no repository persona is listed, and the memory requests refuse', async () => {
  const dir = workspace('pr-lsp-ctx-untrusted-');
  const lsp = await start(dir, false);
  try {
    const { body } = await reviewOnFake(lsp, dir);
    const sent = JSON.stringify(body);
    assert.ok(!sent.includes(MEMORY) && !sent.includes(GUIDANCE), 'nothing of the workspace steers the review');
    const { personas } = await lsp.connection.sendRequest(PersonasRequest.type);
    assert.ok(!personas.some((p) => p.origin === 'repository'), 'no persona from the repository');
    assert.ok(!personas.some((p) => p.memory), 'no memory state');
    await assert.rejects(lsp.connection.sendRequest(AddMemoryEntryRequest.type, { personaId: 'security', text: 'Raw SQL is fine here.' }), /Restricted Mode/);
    await assert.rejects(lsp.connection.sendRequest(TeamMemoryFileRequest.type, { personaId: 'sre' }), /Restricted Mode/);
    assert.ok(!existsSync(path.join(dir, '.personas/memory/sre.md')), 'nothing written');
  } finally {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the persona list names a Claude Code subagent as coming from the repository with its import report, and each reviewing persona its memory file', async () => {
  const lsp = await start(ws, true);
  try {
    const { personas } = await lsp.connection.sendRequest(PersonasRequest.type);
    const found = personas.find((p) => p.origin === 'repository');
    assert.ok(found, `a repository persona (got ${personas.map((p) => `${p.id}:${p.origin}`).join(', ')})`);
    assert.equal(found.id, 'code-reviewer');
    assert.equal(found.source, '.claude/agents/code-reviewer.md');
    assert.equal(found.imported?.format, 'claude-agent');
    assert.ok(found.imported.report.some((l) => /dropped/.test(l) && /tools/.test(l)), `the report says the tools list was dropped (got ${JSON.stringify(found.imported.report)})`);
    assert.equal(personas.find((p) => p.id === 'security')?.origin, 'built-in');
    const memory = personas.find((p) => p.id === 'security')?.memory;
    assert.deepEqual({ path: memory?.path, exists: memory?.exists, entries: memory?.entries }, { path: '.personas/memory/security.md', exists: true, entries: 1 });
    assert.equal(personas.find((p) => p.id === 'sre')?.memory?.exists, false);
  } finally {
    await lsp.stop();
  }
});

test('teamMemoryFile creates the file from the template once; addMemoryEntry appends a dated entry with what it is about', async () => {
  const lsp = await start(ws, true);
  try {
    const created = await lsp.connection.sendRequest(TeamMemoryFileRequest.type, { personaId: 'sre' });
    assert.equal(created.created, true);
    assert.equal(created.path, path.join(ws, '.personas/memory/sre.md'));
    assert.match(readFileSync(created.path, 'utf8'), /^# Team memory: Site Reliability Engineer\n/);
    const again = await lsp.connection.sendRequest(TeamMemoryFileRequest.type, { personaId: 'sre' });
    assert.equal(again.created, false, 'an existing file is left as it is');
    let info = (await lsp.connection.sendRequest(PersonasRequest.type)).personas.find((p) => p.id === 'sre');
    assert.equal(info?.memory?.entries, 0, 'the template alone is no entry');

    const added = await lsp.connection.sendRequest(AddMemoryEntryRequest.type, { personaId: 'sre', text: 'Health checks call fetch without a timeout on purpose:\nthe probe has its own.', about: 'sre/missing-timeout', by: 'dana' });
    assert.equal(added.entries, 1);
    const text = readFileSync(added.path, 'utf8');
    assert.match(text, /^- \d{4}-\d{2}-\d{2}, dana, on sre\/missing-timeout: Health checks call fetch without a timeout on purpose: the probe has its own\.$/m);
    info = (await lsp.connection.sendRequest(PersonasRequest.type)).personas.find((p) => p.id === 'sre');
    assert.equal(info?.memory?.entries, 1);
    await assert.rejects(lsp.connection.sendRequest(AddMemoryEntryRequest.type, { personaId: 'nobody', text: 'x' }), /no reviewing persona "nobody"/);
    await assert.rejects(lsp.connection.sendRequest(AddMemoryEntryRequest.type, { personaId: 'sre', text: '  ' }), /needs the decision or the reason/);
  } finally {
    await lsp.stop();
  }
});
