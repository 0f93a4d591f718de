// Completeness of a review (src/core/completeness.ts) as the reports show it, and the team summary counting
// each persona's own severity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewContext } from '../../src/core/engine';
import { isComplete, missingParts } from '../../src/core/completeness';
import { renderReport } from '../../src/core/render';
import { teamSummary } from '../../src/core/render/team';
import type { Persona, ProviderEvent, ReviewContext, ReviewProvider, SourceFile } from '../../src/core/types';

const code = ['const q = "SELECT * FROM users WHERE id = " + req.query.id;', 'db.query(q);', 'log("done");'].join('\n');
const file: SourceFile = { path: 'src/a.js', absPath: '/ws/src/a.js', language: 'javascript', text: code, lineCount: 3, redactions: 0 };
const ctx: ReviewContext = { root: '/ws', files: [file], chunks: [], notices: [], totalTokens: 50 };
const persona = (id: string): Persona => ({ id, name: id.toUpperCase(), description: '', category: 'security', icon: 'shield', chat: id, commands: [], questions: [], reviews: true, prompt: '', source: '' });
const scripted = (scripts: Record<string, ProviderEvent[]>): ReviewProvider => ({
  id: 'scripted',
  async *review(req) {
    for (const ev of scripts[req.persona.id] ?? []) yield ev;
  },
});
const draft = { file: 'src/a.js', quote: 'db.query(q);', severity: 'high' as const, category: 'sql-injection', title: 'SQL from input', message: 'm' };

test('a reply stopped at the output limit makes the review incomplete: JSON, SARIF and markdown say so', async () => {
  const r = await reviewContext(ctx, {
    personas: [persona('security'), persona('qa')],
    provider: scripted({
      security: [{ type: 'finding', finding: draft }, { type: 'notice', message: 'SECURITY: the reply reached the output limit of 8192 tokens and was cut', incomplete: true }],
      qa: [],
    }),
  });
  assert.equal(isComplete(r), false);
  assert.deepEqual(missingParts(r).map((m) => [m.personaId, m.reason, m.partial]), [['security', 'output-limit', true]]);
  const json = JSON.parse(renderReport(r, 'json', { toolVersion: '0' }));
  assert.equal(json.complete, false);
  assert.equal(json.missing[0].reason, 'output-limit');
  const sarif = JSON.parse(renderReport(r, 'sarif', { toolVersion: '0' }));
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.match(renderReport(r, 'md', { toolVersion: '0' }), /> \*\*Incomplete review\.\*\* Missing: SECURITY \(output-limit\)/);
  assert.equal(teamSummary(r).personas.find((p) => p.personaId === 'security')?.failed, true);
});

test('a complete review says complete: true and no missing parts; no banner', async () => {
  const r = await reviewContext(ctx, { personas: [persona('security')], provider: scripted({ security: [{ type: 'finding', finding: draft }] }) });
  assert.equal(isComplete(r), true);
  const json = JSON.parse(renderReport(r, 'json', { toolVersion: '0' }));
  assert.equal(json.complete, true);
  assert.deepEqual(json.missing, []);
  assert.equal(JSON.parse(renderReport(r, 'sarif', { toolVersion: '0' })).runs[0].invocations[0].executionSuccessful, true);
  assert.doesNotMatch(renderReport(r, 'md', { toolVersion: '0' }), /Incomplete review/);
});

test('the team summary counts each persona\'s own severity, not the merged one', async () => {
  const r = await reviewContext(ctx, {
    personas: [persona('security'), persona('reviewer')],
    provider: scripted({
      security: [{ type: 'finding', finding: { ...draft, severity: 'critical' } }],
      reviewer: [{ type: 'finding', finding: { ...draft, severity: 'low' } }],
    }),
  });
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]!.severity, 'critical', 'the merged finding carries the highest severity');
  const team = teamSummary(r);
  assert.deepEqual(team.personas.find((p) => p.personaId === 'security')?.bySeverity, { critical: 1, high: 0, medium: 0, low: 0 });
  assert.deepEqual(team.personas.find((p) => p.personaId === 'reviewer')?.bySeverity, { critical: 0, high: 0, medium: 0, low: 1 });
  assert.match(renderReport(r, 'md', { toolVersion: '0' }), /\*\*REVIEWER\*\*: 1 low/);
});
