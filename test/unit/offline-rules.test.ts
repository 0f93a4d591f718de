/**
 * Every offline rule, run on its positive and negative cases (test/unit/rules/*.cases.ts), and a check
 * that no rule is without both kinds of case.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ALL_RULES } from '../../src/core/offline/rules';
import { runCase, type RuleCase } from '../support/ruleHarness';

const dir = path.join(__dirname, 'rules');
const cases: RuleCase[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.cases.ts')).sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cases.push(...(require(path.join(dir, f)) as { cases: RuleCase[] }).cases);
}

test('rule ids are unique and well-formed', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
  for (const r of ALL_RULES) {
    assert.match(r.id, /^[a-z]+\/[a-z0-9-]+$/, r.id);
    assert.ok(r.personas.length > 0, `${r.id} has no persona`);
    assert.ok(r.description.length > 20, `${r.id} needs help text`);
  }
});

test('every rule has a positive and a negative case', () => {
  for (const r of ALL_RULES) {
    assert.ok(cases.some((c) => c.rule === r.id && c.expect > 0), `${r.id}: no positive case`);
    assert.ok(cases.some((c) => c.rule === r.id && c.expect === 0), `${r.id}: no negative case`);
  }
});

describe('offline rule cases', () => {
  for (const [i, c] of cases.entries()) {
    const kind = c.expect > 0 ? 'fires' : 'stays quiet';
    test(`${c.rule} ${kind} on ${c.language}${c.name ? `: ${c.name}` : ''} (#${i})`, async () => {
      const hits = await runCase(c);
      if (c.expect === 0) assert.equal(hits.length, 0, `unexpected hits: ${hits.map((h) => h.message).join(' | ')}`);
      else assert.ok(hits.length >= c.expect, `expected at least ${c.expect} hit(s), got ${hits.length}`);
      if (c.message && hits[0]) assert.match(hits[0].message, c.message);
      if (c.line !== undefined && hits[0]) {
        const start = hits[0].range?.startLine ?? (hits[0].node ? hits[0].node.startPosition.row + 1 : undefined);
        assert.equal(start, c.line);
      }
    });
  }
});
