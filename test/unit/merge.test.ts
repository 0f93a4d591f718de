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

/** The definition of the merge, written as directly as possible (quadratic): the reference for the fast one. */
function referenceMerge(findings: Finding[]): Finding[] {
  const merged: Finding[] = [];
  const sev = new Map<Finding, Map<string, Finding['severity']>>();
  const rank = (s: Finding['severity']) => ['low', 'medium', 'high', 'critical'].indexOf(s);
  for (const f of findings) {
    const same = merged.find(
      (m) => m.fingerprint === f.fingerprint || (m.file === f.file && m.category === f.category && m.range.startLine <= f.range.endLine && f.range.startLine <= m.range.endLine),
    );
    if (!same) {
      const copy = { ...f, personaIds: [...f.personaIds], references: [...f.references] };
      merged.push(copy);
      sev.set(copy, new Map(f.personaIds.map((p) => [p, f.severity])));
      continue;
    }
    const s = sev.get(same)!;
    for (const p of f.personaIds) {
      if (!same.personaIds.includes(p)) same.personaIds.push(p);
      if (!s.has(p)) s.set(p, f.severity);
    }
    if (rank(f.severity) > rank(same.severity)) Object.assign(same, { severity: f.severity, title: f.title, message: f.message });
    same.confidence = Math.max(same.confidence, f.confidence);
    for (const r of f.references) if (!same.references.includes(r)) same.references.push(r);
    same.suggestion ??= f.suggestion;
    same.ruleId ??= f.ruleId;
  }
  for (const m of merged) if (new Set(sev.get(m)!.values()).size > 1) m.severityByPersona = Object.fromEntries(sev.get(m)!);
  return merged.sort((a, b) => rank(b.severity) - rank(a.severity) || a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine).map((m, i) => ({ ...m, id: `F${i + 1}` }));
}

test('the O(n log n) merge gives exactly what the direct definition gives, on 300 random finding sets', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const sevs = ['critical', 'high', 'medium', 'low'] as const;
  for (let round = 0; round < 300; round++) {
    const n = 1 + rand(60);
    const input: Finding[] = [];
    for (let i = 0; i < n; i++) {
      const start = 1 + rand(40);
      input.push(
        finding({
          personaIds: [`p${rand(4)}`],
          file: `f${rand(3)}.ts`,
          category: `c${rand(3)}`,
          range: { startLine: start, endLine: start + rand(6) },
          severity: sevs[rand(4)],
          title: `t${i}`,
          references: [`CWE-${rand(5)}`],
          confidence: rand(10) / 10,
          fingerprint: `fp${rand(25)}`,
        }),
      );
    }
    const copy = structuredClone(input);
    assert.deepEqual(mergeFindings(input), referenceMerge(copy), `round ${round}`);
  }
});
