// Scoring and matching of the review-quality benchmark (bench/quality), on small synthetic inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatibleCwe, findingCwes } from '../../bench/quality/cwe';
import {
  judge,
  labelKey,
  markerGroup,
  markerTruth,
  matchTruth,
  owaspScore,
  parseOwaspExpected,
  precisionByMarkerGroup,
  precisionRow,
  recallByGroup,
  stripMarkers,
  type BenchFinding,
  type TruthEntry,
} from '../../bench/quality/score';
import { parseLabels, parseTruth } from '../../bench/quality/truthFiles';
import { parseCorporaTsv } from '../../bench/quality/corpora';

const f = (o: Partial<BenchFinding>): BenchFinding => ({ tool: 'offline', ruleId: 'security/xss', personaIds: ['security'], file: 'a.js', startLine: 10, endLine: 10, cwes: [79], quote: 'res.send(x)', ...o });
const t = (o: Partial<TruthEntry>): TruthEntry => ({ id: 'T1', file: 'a.js', startLine: 8, endLine: 12, cwe: 79, group: 'xss', ...o });

test('a finding matches a truth entry only with the same file, overlapping lines and a compatible CWE', () => {
  const truth = [t({})];
  assert.equal(matchTruth(truth, [f({})]).credited.get('T1'), 0);
  assert.equal(matchTruth(truth, [f({ file: 'b.js' })]).credited.size, 0, 'other file');
  assert.equal(matchTruth(truth, [f({ startLine: 13, endLine: 20 })]).credited.size, 0, 'lines after the range');
  assert.equal(matchTruth(truth, [f({ startLine: 1, endLine: 8 })]).credited.size, 1, 'a multi-line finding ending on the first truth line overlaps');
  assert.equal(matchTruth(truth, [f({ cwes: [89] })]).credited.size, 0, 'SQL injection does not find an XSS');
  assert.equal(matchTruth(truth, [f({ cwes: [] })]).credited.size, 0, 'a finding without CWE matches nothing');
});

test('CWE families: a child or sibling CWE is compatible, an unrelated one is not', () => {
  assert.ok(compatibleCwe(1336, 94), 'template injection is code injection');
  assert.ok(compatibleCwe(338, 330));
  assert.ok(compatibleCwe(916, 328), 'weak password hash is a weak hash');
  assert.ok(!compatibleCwe(327, 328), 'a weak cipher is not a weak hash (OWASP crypto vs hash)');
  assert.ok(!compatibleCwe(89, 943));
  assert.ok(compatibleCwe(4242, 4242), 'a CWE in no family matches itself');
});

test('a finding stands for the CWEs in its references, else its category', () => {
  assert.deepEqual(findingCwes(['CWE-95', 'CWE-94', 'OWASP A03:2021'], 'code-injection'), [95, 94]);
  assert.deepEqual(findingCwes(['OWASP A03:2021'], 'sql-injection'), [89]);
  assert.deepEqual(findingCwes([], 'long-function'), []);
});

test('recall is one-to-one: one finding cannot find two vulnerabilities; precision counts every candidate as true', () => {
  const truth = [t({ id: 'A', startLine: 10, endLine: 10 }), t({ id: 'B', startLine: 11, endLine: 11 })];
  const broad = f({ startLine: 9, endLine: 12 });
  const m = matchTruth(truth, [broad]);
  assert.equal(m.credited.size, 1);
  assert.deepEqual(recallByGroup(truth, m).at(-1), { group: 'all', total: 2, found: 1, recall: 0.5 });
  // Two findings on the same entry: both true, the entry found once.
  const { judged, match } = judge([f({}), f({ ruleId: 'security/other', startLine: 11, endLine: 11 })], [t({})], []);
  assert.deepEqual(judged.map((j) => j.verdict), ['true', 'true']);
  assert.equal(match.credited.size, 1);
});

test('greedy matching gives each entry a finding when a one-to-one assignment exists', () => {
  // Finding 0 overlaps A and B, finding 1 only A: A must take finding 1 so B can take finding 0.
  const truth = [t({ id: 'A', startLine: 10, endLine: 11 }), t({ id: 'B', startLine: 12, endLine: 12 })];
  const m = matchTruth(truth, [f({ startLine: 10, endLine: 12 }), f({ startLine: 10, endLine: 10 })]);
  assert.equal(m.credited.size, 2);
});

test('labels decide unmatched findings, keyed by rule, file and normalised quote, surviving line shifts and rewording', () => {
  const labels = parseLabels(
    `corpus: x
labels:
  - rule: security/secret-in-source
    file: lib/a.js
    line: 3
    quote: "password:   'x'"
    verdict: false
    reason: a test fixture
  - rule: qa/untested-module
    file: lib/b.js
    quote: module.exports = b
    verdict: debatable
    reason: tested indirectly
  - rule: broken
    verdict: maybe
`,
    'labels/x.yaml',
  );
  assert.equal(labels.items.length, 2);
  assert.match(labels.problems[0]!, /labels\/x\.yaml: labels\[2\]/);
  const findings = [
    f({ ruleId: 'security/secret-in-source', file: 'lib/a.js', startLine: 40, endLine: 40, quote: "password: 'x'", cwes: [798] }),
    f({ ruleId: 'qa/untested-module', file: 'lib/b.js', quote: 'module.exports =\n  b', personaIds: ['qa'], cwes: [] }),
    f({ ruleId: 'qa/untested-module', file: 'lib/c.js', quote: 'module.exports = c', personaIds: ['qa'], cwes: [] }),
  ];
  const { judged } = judge(findings, [], labels.items);
  assert.deepEqual(judged.map((j) => j.verdict), ['false', 'debatable', 'unlabeled']);
  assert.equal(labelKey('r', 'f', '  a\n\tb '), labelKey('r', 'f', 'a b'));
  const row = precisionRow(judged);
  assert.equal(row.precision, 0, 'true / (true + debatable + false), unlabeled left out');
  assert.equal(row.unlabeled, 1);
});

test('a label whose file is a pattern judges the same finding in every matching file, and only there', () => {
  const labels = parseLabels(
    `corpus: x
labels:
  - rule: quality/unused-import
    file: testcode/BenchmarkTest*.py
    quote: from flask import redirect, url_for
    verdict: 'true'
    reason: generator boilerplate
  - rule: quality/unused-import
    file: testcode/BenchmarkTest00002.py
    quote: from flask import redirect, url_for
    verdict: debatable
    reason: an exact label wins over a pattern
`,
    'labels/x.yaml',
  );
  const finding = (file: string, quote = 'from flask import redirect, url_for') => f({ ruleId: 'quality/unused-import', file, quote, personaIds: ['engineer'], cwes: [] });
  const { judged } = judge(
    [finding('testcode/BenchmarkTest00001.py'), finding('testcode/BenchmarkTest00002.py'), finding('testcode/sub/BenchmarkTest00003.py'), finding('testcode/BenchmarkTest00004.py', 'import os'), finding('testcode/BenchmarkTest00005.pyc')],
    [],
    labels.items,
  );
  assert.deepEqual(judged.map((j) => j.verdict), ['true', 'debatable', 'unlabeled', 'unlabeled', 'unlabeled']);
});

test('where the truth is complete an unmatched security finding is false, other findings stay unlabeled', () => {
  const { judged } = judge([f({ startLine: 50, endLine: 50 }), f({ ruleId: 'quality/long-function', cwes: [], personaIds: ['engineer'] })], [t({})], [], { truthIsComplete: (x) => x.cwes.length > 0 });
  assert.deepEqual(judged.map((j) => j.verdict), ['false', 'unlabeled']);
});

test('OWASP Benchmark score: TPR − FPR per category from the expected results, lines ignored', () => {
  const cases = parseOwaspExpected('# test name, category, real vulnerability, cwe\nT1,sqli,true,89\nT2,sqli,false,89\nT3,sqli,true,89\nT4,hash,false,328\n', (n) => `tc/${n}.java`);
  assert.equal(cases.length, 4);
  const rows = owaspScore(cases, [f({ file: 'tc/T1.java', cwes: [89] }), f({ file: 'tc/T2.java', cwes: [89] }), f({ file: 'tc/T4.java', cwes: [79] })]);
  const sqli = rows.find((r) => r.category === 'sqli')!;
  assert.deepEqual([sqli.tp, sqli.fn, sqli.fp, sqli.tn], [1, 1, 1, 0]);
  assert.equal(sqli.score, 0.5 - 1);
  const hash = rows.find((r) => r.category === 'hash')!;
  assert.deepEqual([hash.fp, hash.tn, hash.score], [0, 1, 0], 'an XSS finding does not flag a hash case');
  assert.equal(rows.at(-1)!.category, 'average');
  assert.throws(() => parseOwaspExpected('T1,sqli,yes,89', String), /line 1/);
});

test('BAD markers become truth entries with the sink’s CWE, and are stripped before review without moving lines', () => {
  const src = "let a = req.query.a;\nres.send(a); // BAD\nres.redirect('/u/' + a); /* BAD */\ndb.query(`x${a}`); // BAD\nres.send('ok'); // OK\n";
  const truth = markerTruth('basic/1.js', src, 'basic');
  assert.deepEqual(truth.map((x) => [x.startLine, x.cwe, x.group]), [[2, 79, 'basic'], [3, 601, 'basic'], [4, 89, 'basic']]);
  const stripped = stripMarkers(src);
  assert.doesNotMatch(stripped, /BAD|OK/);
  assert.equal(stripped.split('\n').length, src.split('\n').length);
  assert.equal(stripped.split('\n')[1], 'res.send(a);');
});

test('securibench precision per category: findings are grouped by their test folder, like the truth, with an all row', () => {
  assert.equal(markerGroup('test-cases/aliasing/3.js'), 'aliasing');
  const truth = [t({ id: 'B1', file: 'test-cases/basic/1.js', startLine: 2, endLine: 2 })];
  const { judged } = judge(
    [f({ file: 'test-cases/basic/1.js', startLine: 2, endLine: 2 }), f({ file: 'test-cases/basic/1.js', startLine: 5, endLine: 5 }), f({ file: 'test-cases/session/2.js', startLine: 3, endLine: 3 })],
    truth,
    [],
    { truthIsComplete: (x) => x.cwes.length > 0 },
  );
  const rows = precisionByMarkerGroup(judged);
  assert.deepEqual(rows.map((r) => [r.group, r.true, r.false]), [['basic', 1, 1], ['session', 0, 1], ['all', 1, 2]]);
  assert.equal(rows.find((r) => r.group === 'basic')!.precision, 0.5);
});

test('truth files: entries are validated one by one and a bad entry names the file and index', () => {
  const r = parseTruth(
    `corpus: app
commit: ${'a'.repeat(40)}
entries:
  - { id: sqli-1, file: app.js, lines: [3, 5], cwe: 89, reason: login concatenated into SQL, documented: docs/a1.md }
  - { id: one-line, file: app.js, lines: 9, cwe: 601, reason: redirect, documented: docs/a10.md }
  - { id: bad, file: app.js, lines: [5, 3], cwe: 79, reason: x, documented: y }
  - { id: nocwe, file: app.js, lines: 1, reason: x, documented: y }
`,
    'truth/app.yaml',
  );
  assert.deepEqual(r.items.map((e) => [e.id, e.startLine, e.endLine, e.group]), [['sqli-1', 3, 5, 'sql-injection'], ['one-line', 9, 9, 'open-redirect']]);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[1]!, /truth\/app\.yaml: entries\[3\]: cwe/);
});

test('corpora.tsv pins every corpus to a full commit', () => {
  assert.equal(parseCorporaTsv(`name\trepo\tcommit\ndvna\tappsecco/dvna\t${'b'.repeat(40)}\n`).get('dvna')?.repo, 'appsecco/dvna');
  assert.throws(() => parseCorporaTsv('name\trepo\tcommit\ndvna\tappsecco/dvna\tmain\n'), /line 2/);
});

test('every committed truth and labels file is valid, with unique ids and a reason for every entry', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { QUALITY_DIR } = await import('../../bench/quality/corpora');
  const { readLabels, readTruth } = await import('../../bench/quality/truthFiles');
  const names = (dir: string) => (fs.existsSync(path.join(QUALITY_DIR, dir)) ? fs.readdirSync(path.join(QUALITY_DIR, dir)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)) : []);
  const truths = names('truth');
  assert.ok(truths.length >= 5, 'truth files of the five vulnerable apps');
  for (const n of truths) {
    const t = readTruth(n);
    assert.deepEqual(t.problems, [], n);
    assert.ok(t.items.length > 0, n);
  }
  for (const n of names('labels')) assert.deepEqual(readLabels(n).problems, [], n);
});
