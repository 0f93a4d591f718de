/**
 * The language server over a real LSP connection (stdio, test/support/lspClient.ts): review requests,
 * the Diagnostics they publish, streamed events and progress, the findings tree, personas, dismiss and
 * clear. Offline provider throughout (no network).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DidChangeConfigurationNotification, type Diagnostic } from 'vscode-languageserver-protocol';
import { ClearFindingsNotification, DismissFindingNotification, EstimateRequest, PersonasRequest, ServerCommands, type DiagnosticData } from '../../src/shared/protocol';
import { fork } from 'node:child_process';
import { ExitNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest, createProtocolConnection } from 'vscode-languageserver-protocol/node';
import { REPO, SERVER_JS as SERVER_BUNDLE, ensureServerBuilt, progressKinds, startLspClient, type LspClient } from '../support/lspClient';
import { complexPlanJs } from '../support/complexSample';

const FIXTURE = path.join(REPO, 'test/fixtures/app');
const SERVER_JS = readFileSync(path.join(FIXTURE, 'server.js'), 'utf8');

let ws: string;
let lsp: LspClient;

before(async () => {
  ws = mkdtempSync(path.join(tmpdir(), 'pr-lsp-review-'));
  cpSync(FIXTURE, ws, { recursive: true });
  writeFileSync(path.join(ws, 'package.json'), '{"name":"fixture","version":"1.0.0"}\n');
  const personasDir = path.join(ws, '.personas');
  writeFileSync(path.join(ws, 'cycle-a.js'), "const b = require('./cycle-b');\nmodule.exports = { a: () => b.b() };\n");
  writeFileSync(path.join(ws, 'cycle-b.js'), "const a = require('./cycle-a');\nmodule.exports = { b: () => a.a() };\n");
  mkdirSync(personasDir);
  writeFileSync(path.join(personasDir, 'broken.md'), '---\nid: broken\nname: Broken\ncategory: nonsense\n---\nBody.\n');
  lsp = await startLspClient({ initializationOptions: { workspaceRoot: ws, personaDirs: [personasDir], builtinPersonaDir: path.join(REPO, 'personas') } });
});

after(async () => {
  await lsp?.stop();
  rmSync(ws, { recursive: true, force: true });
});

const uriOf = (rel: string) => pathToFileURL(path.join(ws, rel)).href;
const byCode = (ds: Diagnostic[], code: string) => ds.find((d) => d.code === code);
const textAt = (text: string, d: Diagnostic) => TextDocument.create('x:', 'javascript', 1, text).getText(d.range);

test('initialize announces incremental sync with saves, quick-fix code actions and the review commands', () => {
  const caps = lsp.initializeResult.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  assert.deepEqual(caps.executeCommandProvider?.commands, Object.values(ServerCommands));
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
  assert.equal(lsp.initializeResult.serverInfo?.name, 'persona-review');
});

test('--node-ipc, the transport the extension uses, serves the same protocol', async () => {
  ensureServerBuilt();
  // execArgv: [] so the child does not inherit this process's `--import tsx`.
  const child = fork(SERVER_BUNDLE, ['--node-ipc'], { cwd: ws, silent: true, execArgv: [] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const orExit = <T>(p: Promise<T>) =>
    Promise.race([p, exited.then((code) => Promise.reject(new Error(`the server exited (${code}) early: ${stderr}`)))]);
  const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  conn.listen();
  try {
    const init = await orExit(conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { workspaceRoot: ws, personaDirs: [], builtinPersonaDir: path.join(REPO, 'personas') },
      workspaceFolders: null,
    }));
    assert.equal(init.serverInfo?.name, 'persona-review');
    const { personas } = await orExit(conn.sendRequest(PersonasRequest.type));
    assert.ok(personas.some((p) => p.id === 'architect'));
    await orExit(conn.sendRequest(ShutdownRequest.type));
    await conn.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, 'exits cleanly after shutdown and exit');
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
  }
});

test('a Security review of an open document publishes Diagnostics with source, severity, code, link and version', async () => {
  const uri = uriOf('server.js');
  await lsp.open(uri, SERVER_JS, 'javascript', 7);
  const run = lsp.review({
    reviewId: 'sec-1',
    personas: ['security'],
    target: { kind: 'document', uri },
    provider: 'offline',
    workDoneToken: 'progress-sec-1',
  });
  const summary = await run.result;
  const eventsAtResponse = lsp.events.filter((e) => e.reviewId === 'sec-1');

  assert.equal(summary.reviewId, 'sec-1');
  assert.equal(summary.cancelled, false);
  assert.equal(summary.findings, 3);
  assert.deepEqual(summary.bySeverity, { critical: 2, high: 1, medium: 0, low: 0 });
  assert.match(summary.markdown, /SQL injection from request input/);

  // Events streamed before the response: the persona started, wrote text, reported findings, ended.
  const types = eventsAtResponse.map((e) => e.event.type);
  for (const t of ['context', 'persona-start', 'text', 'finding', 'persona-end']) assert.ok(types.includes(t as never), `event ${t} before the response (got ${types.join(',')})`);
  assert.equal(types.filter((t) => t === 'finding').length, 3);
  assert.ok(types.indexOf('persona-start') < types.indexOf('finding') && types.indexOf('finding') < types.indexOf('persona-end'));
  const text = eventsAtResponse.flatMap((e) => (e.event.type === 'text' ? [e.event.text] : [])).join('');
  assert.match(text, /Security/);

  // Work-done progress on the client's token: begin … end, all before the response.
  const kinds = progressKinds(lsp.progress.get('progress-sec-1'));
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds[kinds.length - 1], 'end');

  // Diagnostics are there by the time the response arrives, for the version that was reviewed.
  const published = lsp.latestDiagnostics(uri);
  assert.ok(published, 'Diagnostics published before the response');
  assert.equal(published.version, 7);
  const ds = published.diagnostics;
  assert.equal(ds.length, 3);

  const sql = byCode(ds, 'security/sql-injection');
  assert.ok(sql, `sql-injection Diagnostic in ${JSON.stringify(ds.map((d) => d.code))}`);
  assert.equal(sql.severity, 1, 'critical → Error');
  assert.equal(sql.source, 'Security Engineer');
  assert.deepEqual(sql.codeDescription, { href: 'https://cwe.mitre.org/data/definitions/89.html' });
  assert.deepEqual(sql.range, { start: { line: 9, character: 21 }, end: { line: 9, character: 34 } });
  assert.equal(textAt(SERVER_JS, sql), 'db.query(sql)');
  assert.equal(typeof sql.message, 'string');
  assert.match(sql.message as string, /^SQL injection from request input: /);
  const data = sql.data as DiagnosticData;
  assert.equal(typeof data.fingerprint, 'string');
  assert.equal(data.hasFix, false);
  assert.match(data.findingId, /^F\d+$/);

  const cmd = byCode(ds, 'security/command-injection');
  assert.ok(cmd);
  assert.deepEqual(cmd.codeDescription, { href: 'https://cwe.mitre.org/data/definitions/78.html' });
  assert.equal(textAt(SERVER_JS, cmd), "exec('convert ' + req.body.file + ' out.png', (err) => {\n    res.send(err ? 'failed' : 'ok');\n  })");

  // The secret finding was anchored on redacted text; in the document it covers the real literal.
  const secret = byCode(ds, 'security/secret-in-source');
  assert.ok(secret);
  assert.equal(secret.severity, 1, 'high → Error');
  assert.deepEqual(secret.codeDescription, { href: 'https://cwe.mitre.org/data/definitions/798.html' });
  assert.equal(textAt(SERVER_JS, secret), "'hunter2-prod-password'");
  assert.ok(!JSON.stringify(published).includes('hunter2'), 'the secret value is in no Diagnostic');

  // The findings tree got the same findings, 1-based.
  const tree = lsp.findingsChanged.filter((f) => f.uri === uri).pop();
  assert.ok(tree);
  assert.equal(tree.findings.length, 3);
  const treeSql = tree.findings.find((f) => f.ruleId === 'security/sql-injection');
  assert.deepEqual(treeSql?.range, { startLine: 10, endLine: 10, startColumn: 22, endColumn: 35 });
});

test('severity follows DESIGN.md (high → Error, medium → Warning, low → Information); personas that agree share one source', async () => {
  const uri = uriOf('server.js');
  const team = ['sre', 'devops', 'qa', 'data', 'documentation', 'reviewer'];
  const summary = await lsp.review({ reviewId: 'team-1', personas: team, target: { kind: 'document', uri }, provider: 'offline' }).result;
  assert.equal(summary.cancelled, false);
  const ds = lsp.latestDiagnostics(uri)!.diagnostics;
  assert.ok(byCode(ds, 'security/sql-injection'), 'findings of personas not in this review are kept');
  // high → Error is asserted on the secret finding above; missing tests are at most Medium (issue 9).
  assert.equal(byCode(ds, 'qa/untested-module')?.severity, 2, 'medium → Warning');
  assert.equal(byCode(ds, 'sre/swallowed-error')?.severity, 2, 'medium → Warning');
  assert.equal(byCode(ds, 'data/select-star')?.severity, 3, 'low → Information');
  const health = byCode(ds, 'sre/missing-health-check');
  assert.ok(health);
  assert.deepEqual(health.source!.split(' + ').sort(), ['DevOps Engineer', 'Site Reliability Engineer']);
  const tree = lsp.findingsChanged.filter((f) => f.uri === uri).pop()!;
  const names: Record<string, string> = { sre: 'Site Reliability Engineer', devops: 'DevOps Engineer', qa: 'QA Engineer', data: 'Data Engineer', documentation: 'Documentation Engineer', reviewer: 'Code Reviewer', security: 'Security Engineer' };
  for (const d of ds) {
    const f = tree.findings.find((x) => x.fingerprint === (d.data as DiagnosticData).fingerprint)!;
    assert.equal(d.severity, { critical: 1, high: 1, medium: 2, low: 3 }[f.severity], `${d.code}: ${f.severity}`);
    assert.equal(d.source, f.personaIds.map((id) => names[id]).join(' + '));
  }
});

test('a closed file is reviewed from disk: Diagnostics without a version; an import cycle relates the other file', async () => {
  const a = uriOf('cycle-a.js');
  const b = uriOf('cycle-b.js');
  const summary = await lsp.review({ reviewId: 'arch-1', personas: ['architect'], target: { kind: 'paths', uris: [a, b] }, provider: 'offline' }).result;
  assert.equal(summary.cancelled, false);
  const all = [a, b].flatMap((u) => (lsp.latestDiagnostics(u)?.diagnostics ?? []).map((d) => ({ u, d, version: lsp.latestDiagnostics(u)!.version })));
  const cycle = all.find((x) => x.d.code === 'architecture/cyclic-imports');
  assert.ok(cycle, `cycle finding in ${JSON.stringify(all.map((x) => x.d.code))}`);
  assert.equal(cycle.version, undefined, 'closed files carry no version');
  assert.equal(cycle.d.source, 'Software Architect');
  const other = cycle.u === a ? b : a;
  const related = cycle.d.relatedInformation ?? [];
  assert.equal(related.length, 1, JSON.stringify(related));
  assert.equal(related[0]!.location.uri, other);
  assert.equal(related[0]!.location.range.start.line, 0, 'points at the require line of the other file');
});

test('personaReview.offline.depth: precise leaves the complexity measure out, thorough (sent by didChangeConfiguration) reports it; a bad value is refused in the log and the depth is kept', async () => {
  writeFileSync(path.join(ws, 'plan.js'), complexPlanJs());
  const uri = uriOf('plan.js');
  const codes = async (id: string) => {
    const summary = await lsp.review({ reviewId: id, personas: ['engineer'], target: { kind: 'paths', uris: [uri] }, provider: 'offline' }).result;
    assert.equal(summary.cancelled, false);
    return (lsp.latestDiagnostics(uri)?.diagnostics ?? []).map((d) => d.code);
  };
  const configure = async (offline: unknown) => {
    await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { offline } } });
    await lsp.roundTrip();
  };
  assert.deepEqual(await codes('depth-1'), [], 'the default depth (precise) reports no complexity measure');
  await configure({ depth: 'thorough' });
  assert.ok((await codes('depth-2')).includes('quality/complex-function'), 'thorough reports the complex function');
  const before = lsp.logs.length;
  await configure({ depth: 'deep' });
  assert.match(lsp.logs.slice(before).map((l) => l.message).join('\n'), /personaReview\.offline\.depth must be precise or thorough, got "deep": keeping thorough/);
  assert.ok((await codes('depth-3')).includes('quality/complex-function'), 'a bad value keeps the depth that was set');
  await configure({ depth: 'precise' });
  assert.deepEqual(await codes('depth-4'), [], 'back to precise');
});

test('a selection review reports only on its lines and replaces only the findings there', async () => {
  const uri = uriOf('sel.js');
  await lsp.open(uri, SERVER_JS);
  await lsp.review({ reviewId: 'sel-1', personas: ['security'], target: { kind: 'document', uri, range: { startLine: 9, endLine: 11 } }, provider: 'offline' }).result;
  assert.deepEqual(lsp.latestDiagnostics(uri)!.diagnostics.map((d) => d.code), ['security/sql-injection']);
  await lsp.review({ reviewId: 'sel-2', personas: ['security'], target: { kind: 'document', uri, range: { startLine: 14, endLine: 18 } }, provider: 'offline' }).result;
  assert.deepEqual(lsp.latestDiagnostics(uri)!.diagnostics.map((d) => d.code), ['security/sql-injection', 'security/command-injection'], 'the first selection keeps its finding');
});

test('dismiss removes one finding and keeps it away on the next review; clear removes all', async () => {
  const uri = uriOf('server.js');
  const before = lsp.latestDiagnostics(uri)!.diagnostics;
  const sql = byCode(before, 'security/sql-injection')!;
  const fingerprint = (sql.data as DiagnosticData).fingerprint;
  await lsp.connection.sendNotification(DismissFindingNotification.method, { uri, fingerprint });
  await lsp.waitForDiagnostics(uri, (p) => p.diagnostics.length === before.length - 1, 'one fewer after dismiss');
  assert.equal(byCode(lsp.latestDiagnostics(uri)!.diagnostics, 'security/sql-injection'), undefined);

  await lsp.review({ reviewId: 'sec-2', personas: ['security'], target: { kind: 'document', uri }, provider: 'offline' }).result;
  const after = lsp.latestDiagnostics(uri)!.diagnostics;
  assert.equal(byCode(after, 'security/sql-injection'), undefined, 'a dismissed finding stays dismissed');
  assert.ok(byCode(after, 'security/command-injection'));

  await lsp.connection.sendNotification(ClearFindingsNotification.method, {});
  const uris = [uri, uriOf('cycle-a.js'), uriOf('cycle-b.js')];
  await lsp.waitFor('every document cleared', () => uris.every((u) => (lsp.latestDiagnostics(u)?.diagnostics.length ?? 0) === 0));
  assert.equal(lsp.findingsChanged.filter((f) => f.uri === uri).pop()?.findings.length, 0);
});

test('personas: the built-in ones plus workspace folders, with load errors', async () => {
  const { personas, errors } = await lsp.connection.sendRequest(PersonasRequest.type);
  const security = personas.find((p) => p.id === 'security');
  assert.ok(security);
  assert.equal(security.category, 'security');
  assert.equal(security.name, 'Security Engineer');
  assert.ok(!('prompt' in security), 'no prompt in PersonaInfo');
  assert.ok(personas.some((p) => p.id === 'sre' && p.shortName === 'SRE'));
  const broken = errors.filter((e) => e.file.endsWith('broken.md'));
  assert.ok(broken.some((e) => e.field === 'category' && /nonsense/.test(e.message)), JSON.stringify(errors));
  assert.ok(!personas.some((p) => p.id === 'broken'));
});

test('bad requests fail with a message that says what to do', async () => {
  await assert.rejects(
    lsp.review({ reviewId: 'bad-1', personas: ['nobody'], target: { kind: 'document', uri: uriOf('server.js') }, provider: 'offline' }).result,
    (e: Error & { code?: number }) => e.code === -32602 && /unknown persona\(s\): nobody; known: .*security/.test(e.message),
  );
  await assert.rejects(
    lsp.review({ reviewId: 'bad-2', personas: ['security'], target: { kind: 'paths', uris: [uriOf('missing.js')] }, provider: 'offline' }).result,
    (e: Error & { code?: number }) => e.code === -32602 && /missing\.js/.test(e.message),
  );
  await lsp.open(uriOf('.env'), 'API_TOKEN=abc\n', 'dotenv');
  await assert.rejects(
    lsp.review({ reviewId: 'bad-env', personas: ['security'], target: { kind: 'document', uri: uriOf('.env') }, provider: 'offline' }).result,
    (e: Error & { code?: number }) => e.code === -32602 && /\.env is a sensitive file/.test(e.message),
  );
  await assert.rejects(
    lsp.review({ reviewId: 'bad-3', personas: ['security'], target: { kind: 'document', uri: uriOf('server.js') }, provider: 'anthropic' }).result,
    (e: Error & { code?: number }) => e.code === -32602 && /API key/.test(e.message),
  );
});

test('estimate: the cost of a Claude review is known before anything is sent, from the redacted context', async () => {
  const uri = uriOf('server.js');
  await lsp.open(uri, SERVER_JS, 'javascript', 1);
  const one = await lsp.connection.sendRequest(EstimateRequest.type, { reviewId: '', personas: ['security'], target: { kind: 'document', uri }, provider: 'anthropic', model: 'claude-sonnet-4-6' });
  const three = await lsp.connection.sendRequest(EstimateRequest.type, { reviewId: '', personas: ['security', 'sre', 'architect'], target: { kind: 'document', uri }, provider: 'anthropic', model: 'claude-sonnet-4-6' });
  assert.equal(one.perPersona.length, 1);
  assert.deepEqual(three.perPersona.map((p) => p.personaId), ['security', 'sre', 'architect']);
  assert.ok(one.inputTokens > 200, `the code and the persona prompt are counted (${one.inputTokens} tokens)`);
  assert.ok(three.inputTokens > 2.5 * one.inputTokens, 'each persona sends the context');
  assert.ok(three.billedInputTokens < three.inputTokens, 'prompt caching makes the shared code cheaper for the second and third persona');
  assert.ok(one.totalUsd !== undefined && one.totalUsd > 0, 'a priced model gives dollars');
  const unknown = await lsp.connection.sendRequest(EstimateRequest.type, { reviewId: '', personas: ['security'], target: { kind: 'document', uri }, provider: 'anthropic', model: 'claude-imaginary-9' });
  assert.equal(unknown.totalUsd, undefined, 'an unknown model gives tokens only');
  await assert.rejects(lsp.connection.sendRequest(EstimateRequest.type, { reviewId: '', personas: ['wizard'], target: { kind: 'document', uri }, provider: 'anthropic' }), /unknown persona/);
});
