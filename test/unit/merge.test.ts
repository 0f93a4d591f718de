import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint, mergeFindings } from '../../src/core/merge';
import type { Finding } from '../../src/core/types';

function finding(over: Partial<Finding>): Finding {
  return {
    id: '',
    personaIds: ['security'],
    file: 'src/db.ts',
    range: { startLine: 10, endLine: 10 },
    quote: 'db.query("SELECT * FROM u WHERE id=" + id)',
    severity: 'high',
    category: 'sql-injection',
    title: 'SQL built from input',
    message: 'm',
    references: ['CWE-89'],
    confidence: 0.8,
    fingerprint: 'x',
    ...over,
  };
}

test('fingerprints ignore line shifts and re-indentation but not the file, category or code', () => {
  const base = fingerprint('a.ts', 'sql-injection', 'db.query(x)');
  assert.equal(fingerprint('a.ts', 'sql-injection', '   db.query(x)  '), base);
  assert.notEqual(fingerprint('b.ts', 'sql-injection', 'db.query(x)'), base);
  assert.notEqual(fingerprint('a.ts', 'n-plus-one', 'db.query(x)'), base);
  assert.notEqual(fingerprint('a.ts', 'sql-injection', 'db.query(y)'), base);
  // Same code moved down by three lines: same fingerprint.
  const before = 'a\nb\ndb.query(x)\n';
  const after = 'new1\nnew2\nnew3\na\nb\ndb.query(x)\n';
  assert.equal(fingerprint('a.ts', 'c', 'db.query(x)', before, 3), fingerprint('a.ts', 'c', 'db.query(x)', after, 6));
  // Two identical lines in one file: different fingerprints.
  const twice = 'db.query(x)\nother\ndb.query(x)\n';
  assert.notEqual(fingerprint('a.ts', 'c', 'db.query(x)', twice, 1), fingerprint('a.ts', 'c', 'db.query(x)', twice, 3));
});

test('two personas reporting the same issue merge into one finding carrying both', () => {
  const merged = mergeFindings([
    finding({ personaIds: ['security'], severity: 'critical', fingerprint: 'a' }),
    finding({ personaIds: ['reviewer'], severity: 'medium', fingerprint: 'b', range: { startLine: 10, endLine: 12 }, references: ['OWASP A03:2021'] }),
  ]);
  assert.equal(merged.length, 1);
  assert.deepEqual(merged[0]!.personaIds, ['security', 'reviewer']);
  assert.equal(merged[0]!.severity, 'critical');
  assert.deepEqual(merged[0]!.severityByPersona, { security: 'critical', reviewer: 'medium' });
  assert.deepEqual(merged[0]!.references, ['CWE-89', 'OWASP A03:2021']);
});

test('different categories or distant lines stay separate, sorted by severity and numbered', () => {
  const merged = mergeFindings([
    finding({ severity: 'low', category: 'naming', fingerprint: '1' }),
    finding({ severity: 'high', fingerprint: '2', range: { startLine: 50, endLine: 50 } }),
    finding({ severity: 'critical', fingerprint: '3' }),
  ]);
  assert.deepEqual(merged.map((f) => [f.id, f.severity]), [['F1', 'critical'], ['F2', 'high'], ['F3', 'low']]);
  assert.equal(merged[0]!.severityByPersona, undefined, 'no disagreement recorded for a single persona');
});
