/**
 * Findings stay true while the user edits, over a real LSP connection: ranges follow edits above them,
 * a finding whose quoted code is edited is dropped, results for an older version of a document are
 * re-anchored on their quote (through redaction) or dropped, and the quick fix edits exactly the anchored
 * range and is offered only while that range still holds the quote.
 *
 * The late-result test holds the model's reply in a gated stand-in for the Messages API (below) until
 * the test has edited the document, so the order of events is fixed, not raced.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol';
import { EXPLAIN_FINDING_COMMAND, ServerCommands, type DiagnosticData } from '../../src/shared/protocol';
import { REPO, startLspClient, type LspClient } from '../support/lspClient';

const FIXTURE = path.join(REPO, 'test/fixtures/app');
const SERVER_JS = readFileSync(path.join(FIXTURE, 'server.js'), 'utf8');
const KEY = 'sk-ant-editing-' + 'x9'.repeat(12);

let ws: string;
let lsp: LspClient;

before(async () => {
  ws = mkdtempSync(path.join(tmpdir(), 'pr-lsp-edit-'));
  cpSync(FIXTURE, ws, { recursive: true });
  writeFileSync(path.join(ws, 'package.json'), '{"name":"fixture","version":"1.0.0"}\n');
  for (const name of ['move.js', 'fix.js', 'late.js', 'stale.js']) writeFileSync(path.join(ws, name), SERVER_JS);
  // As the VS Code extension starts it: the extension runs the Explain command itself.
  lsp = await startLspClient({ initializationOptions: { workspaceRoot: ws, personaDirs: [], builtinPersonaDir: path.join(REPO, 'personas'), clientCommands: [EXPLAIN_FINDING_COMMAND] } });
});

after(async () => {
  await lsp?.stop();
  rmSync(ws, { recursive: true, force: true });
});

const uriOf = (rel: string) => pathToFileURL(path.join(ws, rel)).href;
const byCode = (ds: Diagnostic[], code: string) => ds.find((d) => d.code === code);
const at = (line: number, character: number) => ({ line, character });
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: at(sl, sc), end: at(el, ec) });

/** A document the test edits, mirrored locally so expectations can be computed. */
class Doc {
  text: string;
  version: number;
  constructor(
    readonly uri: string,
    text: string,
    version = 1,
  ) {
    this.text = text;
    this.version = version;
  }
  async open(): Promise<void> {
    await lsp.open(this.uri, this.text, 'javascript', this.version);
  }
  /** Replaces `r` with `newText` (one incremental change) and sends it as the next version. */
  async edit(r: ReturnType<typeof range>, newText: string): Promise<number> {
    const doc = TextDocument.create(this.uri, 'javascript', this.version, this.text);
    this.text = TextDocument.applyEdits(doc, [{ range: r, newText }]);
    this.version++;
    await lsp.change(this.uri, this.version, [{ range: r, text: newText }]);
    return this.version;
  }
  textAt(r: Diagnostic['range']): string {
    return TextDocument.create(this.uri, 'javascript', this.version, this.text).getText(r);
  }
}

test('edits above a finding move it; an edit after it leaves it; editing its quoted code drops it', async () => {
  const doc = new Doc(uriOf('move.js'), SERVER_JS);
  await doc.open();
  await lsp.review({ reviewId: 'move-1', personas: ['security'], target: { kind: 'document', uri: doc.uri }, provider: 'offline' }).result;
  const first = lsp.latestDiagnostics(doc.uri)!;
  assert.equal(first.version, 1);
  assert.deepEqual(byCode(first.diagnostics, 'security/sql-injection')?.range, range(9, 21, 9, 34));

  // Two lines inserted at the top: every finding moves down by two.
  let v = await doc.edit(range(0, 0, 0, 0), '// one\n// two\n');
  let p = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v, 'moved down by two lines');
  assert.deepEqual(byCode(p.diagnostics, 'security/sql-injection')?.range, range(11, 21, 11, 34));
  assert.equal(doc.textAt(byCode(p.diagnostics, 'security/sql-injection')!.range), 'db.query(sql)');
  assert.equal(doc.textAt(byCode(p.diagnostics, 'security/secret-in-source')!.range), "'hunter2-prod-password'");
  assert.equal(p.diagnostics.length, 3);

  // Text inserted earlier on the finding's own line: its columns move.
  v = await doc.edit(range(11, 2, 11, 2), '/* c */ ');
  p = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v, 'moved right on its line');
  assert.deepEqual(byCode(p.diagnostics, 'security/sql-injection')?.range, range(11, 29, 11, 42));

  // An edit after every finding changes nothing: nothing is republished.
  const published = lsp.diagnostics.length;
  await doc.edit(range(35, 0, 35, 0), '// trailing comment\n');
  await lsp.roundTrip();
  assert.equal(lsp.diagnostics.length, published, 'no republish for an edit below the findings');

  // The two inserted lines deleted again (a multi-line deletion above).
  v = await doc.edit(range(0, 0, 2, 0), '');
  p = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v, 'moved back up');
  assert.deepEqual(byCode(p.diagnostics, 'security/sql-injection')?.range, range(9, 29, 9, 42));

  // Retyping a character of the quote with the same character keeps it (its text is unchanged)...
  const sql = byCode(p.diagnostics, 'security/sql-injection')!.range;
  v = await doc.edit(range(9, 38, 9, 39), 's');
  await lsp.roundTrip();
  assert.equal(doc.textAt(sql), 'db.query(sql)');
  const still = lsp.latestDiagnostics(doc.uri)!;
  assert.ok(byCode(still.diagnostics, 'security/sql-injection'), 'an edit that leaves the quote as it was keeps the finding');

  // ...but changing the quoted code drops the finding, and only that one.
  v = await doc.edit(range(9, 38, 9, 41), 'query');
  p = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v, 'the edited finding dropped');
  assert.equal(byCode(p.diagnostics, 'security/sql-injection'), undefined);
  assert.equal(p.diagnostics.length, 2);
  assert.ok(byCode(p.diagnostics, 'security/command-injection'));
  await lsp.waitFor('the findings tree dropped it too', () => lsp.findingsChanged.filter((f) => f.uri === doc.uri).pop()?.findings.length === 2);
});

test('the quick fix replaces exactly the anchored range, only when picked, and is not offered once the code changed', async () => {
  const doc = new Doc(uriOf('fix.js'), SERVER_JS);
  await doc.open();
  await lsp.review({ reviewId: 'fix-1', personas: ['sre'], target: { kind: 'document', uri: doc.uri }, provider: 'offline' }).result;
  const ds = lsp.latestDiagnostics(doc.uri)!.diagnostics;
  const timeouts = ds.filter((d) => d.code === 'sre/missing-timeout').sort((a, b) => a.range.start.line - b.range.start.line);
  assert.equal(timeouts.length, 2);
  const d = timeouts[0]!;
  assert.equal((d.data as DiagnosticData).hasFix, true);
  const oldLine = "    await fetch('https://prices.example.com/update/' + id);";
  assert.equal(doc.textAt(d.range), oldLine);

  const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: doc.uri },
    range: d.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title.startsWith('Apply suggested fix: '));
  assert.ok(fix, `a fix among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true);
  assert.deepEqual(fix.diagnostics, [d]);
  const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
  assert.deepEqual(change.textDocument, { uri: doc.uri, version: 1 });
  assert.equal(change.edits.length, 1);
  assert.deepEqual(change.edits[0]!.range, d.range, 'the edit covers exactly the anchored range');
  const newLine = "    await fetch('https://prices.example.com/update/' + id, { signal: AbortSignal.timeout(10_000) });";
  assert.equal((change.edits[0] as { newText: string }).newText, newLine);
  const applied = TextDocument.applyEdits(TextDocument.create(doc.uri, 'javascript', 1, doc.text), change.edits as TextEdit[]);
  assert.equal(applied, SERVER_JS.replace(oldLine, newLine), 'nothing outside the range changes');

  const dismiss = actions.find((a) => a.title === 'Dismiss finding');
  assert.deepEqual(dismiss?.command, { title: 'Dismiss finding', command: ServerCommands.dismissFinding, arguments: [{ uri: doc.uri, fingerprint: (d.data as DiagnosticData).fingerprint }] });
  assert.deepEqual(dismiss?.diagnostics, [d]);
  const explain = actions.find((a) => a.title === 'Explain in review panel');
  assert.equal(explain?.command?.command, EXPLAIN_FINDING_COMMAND);
  assert.deepEqual(explain?.command?.arguments, [{ uri: doc.uri, fingerprint: (d.data as DiagnosticData).fingerprint, findingId: (d.data as DiagnosticData).findingId }]);
  assert.deepEqual(explain?.diagnostics, [d]);
  assert.equal(actions.filter((a) => a.isPreferred).length, 1, 'only the fix is preferred');
  assert.equal(lsp.applyEditRequests.length, 0, 'the server never applies an edit by itself');

  // The second timeout finding's line is edited by hand: asking with its (stale) Diagnostic offers no fix.
  const d2 = timeouts[1]!;
  const v = await doc.edit({ start: { line: d2.range.start.line, character: 17 }, end: { line: d2.range.start.line, character: 22 } }, 'http');
  await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v, 'the edited finding dropped');
  const stale = (await lsp.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: doc.uri },
    range: d2.range,
    context: { diagnostics: [d2] },
  })) as CodeAction[];
  assert.deepEqual(stale.map((a) => a.title), [], 'no fix (and no other action) for a finding whose code changed');

  // The first one still gets its fix, against the current version; `only` filters by kind.
  const again = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  assert.equal(((again.find((a) => a.isPreferred)?.edit?.documentChanges?.[0]) as TextDocumentEdit).textDocument.version, v);
  const refactorOnly = await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: [d], only: ['refactor'] } });
  assert.deepEqual(refactorOnly, []);

  // The user picks the fix: the client applies it as an edit; the finding is gone since its code changed.
  const v3 = await doc.edit(d.range, newLine);
  const p = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === v3, 'fixed finding gone');
  assert.equal(p.diagnostics.filter((x) => x.code === 'sre/missing-timeout').length, 0);
});

test('an open document with unsaved edits: a review of its file from disk is re-anchored; closing it re-checks against disk', async () => {
  const doc = new Doc(uriOf('stale.js'), '// unsaved 1\n// unsaved 2\n' + SERVER_JS, 4);
  await doc.open();
  await lsp.review({ reviewId: 'stale-1', personas: ['security'], target: { kind: 'paths', uris: [doc.uri] }, provider: 'offline' }).result;
  const p = lsp.latestDiagnostics(doc.uri)!;
  assert.equal(p.version, 4, 'published for the open version');
  assert.deepEqual(byCode(p.diagnostics, 'security/sql-injection')?.range, range(11, 21, 11, 34));
  // Re-anchored through redaction: the secret's quote was `'[REDACTED:generic-secret]'`.
  assert.equal(doc.textAt(byCode(p.diagnostics, 'security/secret-in-source')!.range), "'hunter2-prod-password'");

  await lsp.closeDocument(doc.uri);
  const closed = await lsp.waitForDiagnostics(doc.uri, (x) => x.version === undefined, 'checked against the file on disk');
  assert.deepEqual(byCode(closed.diagnostics, 'security/sql-injection')?.range, range(9, 21, 9, 34));
});

/** A stand-in for the Messages API that holds each reply until the test releases it. */
async function startGate() {
  const sockets = new Set<Socket>();
  const arrivals: Array<() => void> = [];
  let arrived = 0;
  const releases: Array<(reply: string) => void> = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      headers.push(req.headers);
      const gate = new Promise<string>((resolve) => releases.push(resolve));
      arrived++;
      arrivals.splice(0).forEach((f) => f());
      void gate.then((reply) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        send('message_start', { type: 'message_start', message: { id: 'msg_gate', type: 'message', role: 'assistant', model: 'claude-test-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } });
        send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
        for (let i = 0; i < reply.length; i += 40) send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.slice(i, i + 40) } });
        send('content_block_stop', { type: 'content_block_stop', index: 0 });
        send('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 50 } });
        send('message_stop', { type: 'message_stop' });
        res.end();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    /** Resolves once `n` requests have arrived. */
    arrived: (n: number) => new Promise<void>((resolve) => (arrived >= n ? resolve() : arrivals.push(() => arrived >= n && resolve()))),
    release: (i: number, reply: string) => releases[i]!(reply),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const findingBlock = (f: Record<string, unknown>) => '```finding\n' + JSON.stringify({ file: 'late.js', severity: 'high', confidence: 0.9, references: ['CWE-89'], ...f }) + '\n```\n';

test('a result for an older document version is re-anchored on its quote (through redaction) or dropped', async () => {
  const gate = await startGate();
  try {
    const doc = new Doc(uriOf('late.js'), SERVER_JS);
    await doc.open();
    const run = lsp.review({
      reviewId: 'late-1',
      personas: ['security'],
      target: { kind: 'document', uri: doc.uri },
      provider: 'anthropic',
      apiKey: KEY,
      baseURL: gate.url,
      model: 'claude-test-model',
    });
    await gate.arrived(1);
    // While the model "thinks", the user inserts two lines at the top and edits one quoted line.
    await doc.edit(range(0, 0, 0, 0), '// added 1\n// added 2\n');
    const v = await doc.edit(range(12, 11, 12, 15), 'result');
    await lsp.roundTrip(); // the server has applied both edits
    gate.release(
      0,
      'Reviewed.\n\n' +
        findingBlock({ line: 10, quote: 'const rows = await db.query(sql);', category: 'sql-injection', title: 'SQL built from input', message: 'Concatenated.' }) +
        findingBlock({ line: 11, quote: 'res.json(rows);', category: 'data-exposure', title: 'Rows returned as they are', message: 'All columns.' }) +
        findingBlock({ line: 6, quote: "const password = '[REDACTED:generic-secret]';", category: 'hardcoded-secret', title: 'Hard-coded password', message: 'Move it out.', references: ['CWE-798'] }),
    );
    const summary = await run.result;
    assert.equal(summary.cancelled, false);
    assert.equal(summary.findings, 3, 'the review itself found three');
    assert.ok(summary.notices.some((n) => /1 finding\(s\) were left out/.test(n)), JSON.stringify(summary.notices));
    assert.equal(gate.headers[0]!.authorization, `Bearer ${KEY}`, 'the key from the request params reached the API');

    const p = lsp.latestDiagnostics(doc.uri)!;
    assert.equal(p.version, v, 'published for the current version, not the reviewed one');
    assert.equal(p.diagnostics.length, 2, JSON.stringify(p.diagnostics.map((d) => d.code)));
    const sql = byCode(p.diagnostics, 'sql-injection')!;
    assert.deepEqual(sql.range.start, at(11, 2), 'moved down by the two inserted lines');
    assert.equal(doc.textAt(sql.range), 'const rows = await db.query(sql);');
    const secret = byCode(p.diagnostics, 'hardcoded-secret')!;
    assert.equal(doc.textAt(secret.range), "const password = 'hunter2-prod-password';", 'the redacted quote found again, covering the real line');
    assert.equal(byCode(p.diagnostics, 'data-exposure'), undefined, 'the finding whose code was edited is dropped');
    assert.ok(!lsp.logs.some((l) => l.message.includes(KEY)), 'the key is in no log message');
  } finally {
    await gate.close();
  }
});
