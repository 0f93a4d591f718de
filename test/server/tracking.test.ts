/**
 * The server's pure parts, in process: range tracking under edits, redacted → document columns, placing
 * late results, the finding store, Diagnostic wording, key scrubbing and review target keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';
import type { Finding } from '../../src/core/types';
import { diagnosticMessage, relatedFromMessage, toDiagnostic } from '../../src/server/diagnostics';
import { documentKey, FindingStore, moveRange, type DocState, type TrackedFinding } from '../../src/server/findings';
import { ServerLog } from '../../src/server/log';
import { originalColumn, placeFindings, textInRange, toDocumentRange } from '../../src/server/placement';
import { targetKey } from '../../src/server/reviews';

const at = (line: number, character: number) => ({ line, character });
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: at(sl, sc), end: at(el, ec) });

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'F1',
    personaIds: ['security'],
    file: 'app.js',
    range: { startLine: 2, endLine: 2, startColumn: 3, endColumn: 8 },
    quote: 'query',
    severity: 'high',
    category: 'sql-injection',
    title: 'SQL injection',
    message: 'Built from input.',
    references: [],
    confidence: 0.9,
    fingerprint: 'fp1',
    ...over,
  };
}

test('moveRange: edits before move the range, after leave it, inside keep its start, across destroy it', () => {
  const r = range(5, 4, 5, 10);
  assert.deepEqual(moveRange(r, { range: range(0, 0, 0, 0), text: 'a\nb\n' }), { kind: 'moved', range: range(7, 4, 7, 10) });
  assert.deepEqual(moveRange(r, { range: range(1, 0, 3, 0), text: '' }), { kind: 'moved', range: range(3, 4, 3, 10) });
  assert.deepEqual(moveRange(r, { range: range(5, 0, 5, 2), text: 'xyz' }), { kind: 'moved', range: range(5, 5, 5, 11) }, 'same line, before: columns move');
  assert.deepEqual(moveRange(r, { range: range(5, 4, 5, 4), text: '\n  ' }), { kind: 'moved', range: range(6, 2, 6, 8) }, 'an insertion at the start pushes the code');
  assert.deepEqual(moveRange(r, { range: range(3, 2, 5, 1), text: 'q' }), { kind: 'moved', range: range(3, 6, 3, 12) }, 'lines joined above');
  assert.deepEqual(moveRange(r, { range: range(5, 10, 5, 10), text: ';' }), { kind: 'unchanged', range: r }, 'an insertion at the end is after');
  assert.deepEqual(moveRange(r, { range: range(9, 0, 9, 3), text: '' }), { kind: 'unchanged', range: r });
  assert.deepEqual(moveRange(r, { range: range(5, 5, 5, 6), text: 'xx' }), { kind: 'inside', range: range(5, 4, 5, 11) });
  assert.deepEqual(moveRange(r, { range: range(5, 2, 5, 6), text: '' }), { kind: 'destroyed' });
  assert.deepEqual(moveRange(r, { range: range(5, 8, 6, 0), text: '' }), { kind: 'destroyed' });
});

test('redacted columns map to the original line around each marker', async () => {
  const orig = `const a = "ghp_${'A'.repeat(36)}", b = 1;`;
  const red = (await redactSecrets(orig, 'x.js')).text;
  assert.match(red, /\[REDACTED:github\]/);
  const markerStart = red.indexOf('[REDACTED');
  const markerEnd = red.indexOf(']', markerStart) + 1;
  assert.equal(originalColumn(orig, red, 0, 'start'), 0);
  assert.equal(originalColumn(orig, red, markerStart, 'start'), orig.indexOf('ghp_'));
  assert.equal(originalColumn(orig, red, markerEnd, 'end'), orig.indexOf('"', orig.indexOf('ghp_')));
  assert.equal(originalColumn(orig, red, red.length, 'end'), orig.length, 'the text after the secret keeps its place');
  assert.equal(originalColumn(orig, red, markerStart + 3, 'start'), orig.indexOf('ghp_'), 'inside a marker: the secret start');
  assert.equal(originalColumn(orig, red, markerStart + 3, 'end'), orig.indexOf('"', orig.indexOf('ghp_')), 'inside a marker: the secret end');

  // Two secrets on one line.
  const two = 'x("AKIAIOSFODNN7EXAMPLQ", "password123456") // end';
  const twoRed = 'x("[REDACTED:aws]", "[REDACTED:generic-secret]") // end';
  assert.equal(originalColumn(two, twoRed, twoRed.indexOf('", "') + 4, 'start'), two.indexOf('password'));
  assert.equal(originalColumn(two, twoRed, twoRed.indexOf(' // end'), 'start'), two.indexOf(' // end'));

  // Lines of a multi-line secret (a PEM block) keep their numbers; what follows the block stays aligned.
  const pem = 'const k = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----`; use(k);\n';
  const pemRed = 'const k = `[REDACTED:privatekey]\n\n`; use(k);\n';
  const r = toDocumentRange(pem, pemRed, { startLine: 3, endLine: 3, startColumn: 4, endColumn: 10 })!;
  assert.equal(textInRange(pem, r), 'use(k)');
});

test('toDocumentRange: a whole-line range covers the line without its break; lines outside the text give undefined', () => {
  const text = 'a\r\n  bb\r\nc';
  assert.deepEqual(toDocumentRange(text, text, { startLine: 2, endLine: 2 }), range(1, 0, 1, 4));
  assert.equal(toDocumentRange(text, text, { startLine: 4, endLine: 4 }), undefined);
});

test('placeFindings: unchanged text keeps ranges; edited text re-anchors on the redacted quote or drops', async () => {
  const original = `const token = "ghp_${'B'.repeat(36)}";\nfunction q(db, id) {\n  return db.query("SELECT " + id);\n}\n`;
  const redacted = (await redactSecrets(original, 'app.js')).text;
  const secretQuote = redacted.split('\n')[0]!;
  const fs = [
    finding({ range: { startLine: 3, endLine: 3, startColumn: 10, endColumn: 34 }, quote: 'db.query("SELECT " + id)' }),
    finding({ id: 'F2', fingerprint: 'fp2', range: { startLine: 1, endLine: 1, startColumn: 1, endColumn: secretQuote.length + 1 }, quote: secretQuote }),
  ];
  const same = await placeFindings(fs, { path: 'app.js', redacted, original }, original);
  assert.equal(same.placed.length, 2);
  assert.ok(same.placed.every((p) => !p.reanchored));
  assert.equal(same.placed[1]!.docQuote, original.split('\n')[0], 'the redacted quote maps to the real line');

  const edited = '// new first line\n' + original.replace('SELECT " + id', 'SELECT ?", [id]');
  const later = await placeFindings(fs, { path: 'app.js', redacted, original }, edited);
  assert.deepEqual(later.dropped.map((f) => f.id), ['F1'], 'the edited quote is gone');
  assert.equal(later.placed.length, 1);
  assert.equal(later.placed[0]!.reanchored, true);
  assert.deepEqual(later.placed[0]!.range.start, at(1, 0));
  assert.equal(later.placed[0]!.docQuote, original.split('\n')[0]);
});

function tracked(f: Finding, r: ReturnType<typeof range>, docQuote: string): TrackedFinding {
  return { finding: f, range: r, docQuote, personaNames: ['Security Engineer'], related: [] };
}

test('FindingStore: replace keeps other personas, applyChanges moves and drops, dismiss and clear notify', () => {
  const published: DocState[] = [];
  const store = new FindingStore((s) => published.push({ ...s, findings: [...s.findings] }));
  const uri = 'file:///ws/app.js';
  const text = 'x\n  return db.query(a);\n';
  store.replace(uri, [tracked(finding(), range(1, 12, 1, 17), 'query')], { personaIds: new Set(['security']) }, 1);
  store.replace(uri, [tracked(finding({ id: 'F9', personaIds: ['sre'], fingerprint: 'sre1', category: 'x' }), range(1, 2, 1, 8), 'return')], { personaIds: new Set(['sre']) }, 1);
  assert.equal(store.findings(uri).length, 2, 'an SRE review keeps the Security finding');

  const after = '\n' + text;
  store.applyChanges(uri, [{ range: range(0, 0, 0, 0), text: '\n' }], after, 2);
  assert.deepEqual(store.findings(uri).map((t) => t.range.start.line), [2, 2]);
  assert.equal(published.at(-1)!.version, 2);

  const broken = after.replace('query', 'qu_ry');
  store.applyChanges(uri, [{ range: range(2, 14, 2, 15), text: '_' }], broken, 3);
  assert.deepEqual(store.findings(uri).map((t) => t.finding.id), ['F9']);

  const count = published.length;
  store.applyChanges(uri, [{ range: range(3, 0, 3, 0), text: 'tail' }], broken + 'tail', 4);
  assert.equal(published.length, count, 'nothing moved: nothing published');

  store.dismiss(uri, 'sre1');
  assert.equal(store.findings(uri).length, 0);
  store.replace(uri, [tracked(finding({ id: 'F9', personaIds: ['sre'], fingerprint: 'sre1', category: 'x' }), range(2, 2, 2, 8), 'return')], { personaIds: new Set(['sre']) }, 4);
  assert.equal(store.findings(uri).length, 0, 'a dismissed fingerprint stays away');

  store.replace(uri, [tracked(finding(), range(2, 2, 2, 8), 'return')], { personaIds: new Set(['security']) }, 4);
  store.clear();
  assert.equal(published.at(-1)!.findings.length, 0);
  assert.equal(store.findings(uri).length, 0);
});

test('documentKey: one key for the spellings of one file URI', () => {
  assert.equal(documentKey('file:///ws/a%20b.js'), documentKey('file:///ws/a b.js'));
  assert.equal(documentKey('untitled:Untitled-1'), 'untitled:Untitled-1');
});

test('Diagnostic wording: title and first paragraph, shortened; code falls back to the category', () => {
  const long = 'word '.repeat(200);
  assert.equal(diagnosticMessage(finding({ message: 'First part.\n\nSecond part.' })), 'SQL injection: First part.');
  assert.ok(diagnosticMessage(finding({ message: long })).endsWith('…'));
  assert.ok(diagnosticMessage(finding({ message: long })).length <= 'SQL injection: '.length + 300);
  const d = toDiagnostic(tracked(finding({ references: ['OWASP A03:2021', 'CWE-89'] }), range(1, 2, 1, 7), 'query'));
  assert.equal(d.code, 'sql-injection');
  assert.deepEqual(d.codeDescription, { href: 'https://owasp.org/Top10/2021/A03_2021-Injection/' }, 'the first reference with a page');
  assert.equal(toDiagnostic(tracked(finding({ references: ['internal'] }), range(1, 2, 1, 7), 'query')).codeDescription, undefined);
});

test('relatedFromMessage: the other files of an import cycle, at their import line', () => {
  const f = finding({ file: 'a.js', message: 'Import cycle: `a.js` → `lib/b.js` → `a.js`. This import closes it.' });
  const files = new Map([
    ['a.js', { uri: 'file:///ws/a.js', text: "require('./lib/b');\n" }],
    ['lib/b.js', { uri: 'file:///ws/lib/b.js', text: "'use strict';\nconst a = require('../a');\n" }],
  ]);
  const related = relatedFromMessage(f, files);
  assert.equal(related.length, 1);
  assert.equal(related[0]!.location.uri, 'file:///ws/lib/b.js');
  assert.deepEqual(related[0]!.location.range, range(1, 0, 1, 26));
  assert.match(related[0]!.message, /lib\/b\.js imports a\.js/);
  assert.deepEqual(relatedFromMessage(finding({ message: 'Uses `db.query`.' }), files), []);
});

test('ServerLog: a held key is scrubbed from log lines and payloads until released', () => {
  const lines: string[] = [];
  const sink = (m: string) => lines.push(m);
  const log = new ServerLog({ error: sink, warn: sink, info: sink, log: sink });
  const release = log.holdSecret('sk-ant-secret-123');
  log.warn('got 403 for sk-ant-secret-123');
  assert.deepEqual(lines, ['got 403 for [API key]']);
  assert.deepEqual(log.scrub({ a: ['x sk-ant-secret-123 y'] }), { a: ['x [API key] y'] });
  release();
  log.info('sk-ant-secret-123');
  assert.equal(lines[1], 'sk-ant-secret-123', 'released: no longer scrubbed');
});

test('targetKey: same document and selection → same key; other selection, paths order, git base', () => {
  assert.equal(targetKey({ kind: 'document', uri: 'file:///ws/a.js' }), targetKey({ kind: 'document', uri: 'file:///ws/a.js' }));
  assert.notEqual(targetKey({ kind: 'document', uri: 'file:///ws/a.js' }), targetKey({ kind: 'document', uri: 'file:///ws/a.js', range: { startLine: 1, endLine: 2 } }));
  assert.equal(targetKey({ kind: 'paths', uris: ['file:///ws/a', 'file:///ws/b'] }), targetKey({ kind: 'paths', uris: ['file:///ws/b', 'file:///ws/a'] }));
  assert.notEqual(targetKey({ kind: 'git', mode: 'base', base: 'main' }), targetKey({ kind: 'git', mode: 'base', base: 'dev' }));
});
