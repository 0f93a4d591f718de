/**
 * Team reviews through the real SDK against the fake Messages API with its prompt-cache simulation:
 * the shared prefix carries cache_control and is identical for every persona, the first persona writes
 * the cache and the others read it (the engine starts them once the first reply began), the report shows
 * the cache figures, and two personas reporting the same issue become one finding carrying both.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { review } from '../../src/core/engine';
import { AnthropicProvider } from '../../src/core/providers/anthropic';
import { renderJson, renderMarkdown } from '../../src/core/render';
import { billedInputTokens, sumUsage } from '../../src/core/cost';
import type { Persona } from '../../src/core/types';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const KEY = 'sk-ant-test-' + 'team'.repeat(6);

function persona(id: string, name: string): Persona {
  return {
    id, name, description: `${name} for tests`, category: 'security', icon: 'shield', chat: id, commands: [],
    questions: [], reviews: true, prompt: `## IDENTITY\nYou are the ${name}.\n\n## OUTPUT TEMPLATE\n### Overall Assessment: <one line>`, source: `/p/${id}.md`,
  };
}
const TEAM = [persona('security', 'Security Engineer'), persona('reviewer', 'Code Reviewer'), persona('sre', 'Site Reliability Engineer')];

const QUOTE = '  return db.query("SELECT * FROM users WHERE id = " + id);';
const finding = (severity: string) =>
  '```finding\n' +
  JSON.stringify({ file: 'src/users.js', line: 3, quote: QUOTE.trim(), severity, category: 'sql-injection', title: 'SQL built from input', message: 'Concatenated.', confidence: 0.9 }) +
  '\n```\n';

let fake: FakeAnthropic;
let dir: string;
before(async () => {
  fake = await startFakeAnthropic({ simulateCache: true });
  dir = await mkdtemp(path.join(tmpdir(), 'pr-team-'));
  const filler = Array.from({ length: 60 }, (_, i) => `function helper${i}(value) {\n  return value * ${i} + Math.floor(value / ${i + 1});\n}`).join('\n');
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src/users.js'), `const db = require('./db');\nfunction find(id) {\n${QUOTE}\n}\n${filler}\nmodule.exports = { find };\n`);
});
after(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

test('a team review caches the shared prefix once, reads it for the other personas, merges agreeing findings and reports the cache figures', async () => {
  fake.script(
    { reply: `### Overall Assessment: Blocked by one injection\n\n${finding('critical')}`, stallMs: 50, delayMs: 5 },
    { reply: `### Overall Assessment: Mostly fine\n\n${finding('high')}`, delayMs: 5 },
    { reply: '### Overall Assessment: Nothing operational to report\n', delayMs: 5 },
  );
  const result = await review(
    { kind: 'paths', root: dir, paths: ['src'] },
    { provider: new AnthropicProvider({ apiKey: KEY, baseURL: fake.url, model: 'claude-sonnet-4-5' }), personas: TEAM, providerOptions: { model: 'claude-sonnet-4-5' } },
  );
  assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
  assert.equal(fake.requests.length, 3);

  // The shared prefix: identical system prompt and code block, marked cache_control, first in the user message.
  const bodies = fake.requests.map((r) => r.body);
  for (const b of bodies) {
    assert.deepEqual(b.messages[0].content[0].cache_control, { type: 'ephemeral' });
    assert.equal(b.messages[0].content[0].text, bodies[0].messages[0].content[0].text);
    assert.equal(JSON.stringify(b.system), JSON.stringify(bodies[0].system));
    assert.equal(b.messages[0].content[1].cache_control, undefined, 'the persona block is after the breakpoint');
  }
  assert.notEqual(bodies[0].messages[0].content[1].text, bodies[1].messages[0].content[1].text, 'persona instructions differ');

  // One persona wrote the cache, the other two read it.
  const usages = TEAM.map((p) => result.usage[p.id]!);
  const writers = usages.filter((u) => (u.cacheCreationInputTokens ?? 0) > 0);
  const readers = usages.filter((u) => (u.cacheReadInputTokens ?? 0) > 0);
  assert.equal(writers.length, 1, JSON.stringify(usages));
  assert.equal(readers.length, 2, JSON.stringify(usages));
  const total = sumUsage(usages);
  const { billed, uncached } = billedInputTokens(total);
  assert.ok(billed < uncached * 0.7, `caching bills less (${billed} vs ${uncached})`);

  // Two personas reported the same issue: one finding carrying both, with the severity disagreement.
  assert.equal(result.findings.length, 1);
  const f = result.findings[0]!;
  assert.deepEqual([...f.personaIds].sort(), ['reviewer', 'security']);
  assert.equal(f.severity, 'critical');
  assert.deepEqual(f.severityByPersona, f.personaIds[0] === 'security' ? { security: 'critical', reviewer: 'high' } : { reviewer: 'high', security: 'critical' });

  const md = renderMarkdown(result, { toolVersion: 'test' });
  assert.match(md, /## Team/);
  assert.match(md, /\*\*Security Engineer\*\*: 1 critical: Blocked by one injection/);
  assert.match(md, /\*\*Site Reliability Engineer\*\*: no findings: Nothing operational to report/);
  assert.match(md, new RegExp(`Prompt cache: ${total.cacheCreationInputTokens.toLocaleString('en-US')} tokens written, ${total.cacheReadInputTokens.toLocaleString('en-US')} read`));
  assert.match(md, /(Security Engineer \+ Code Reviewer|Code Reviewer \+ Security Engineer)/);
  assert.match(md, /Severity disagreement/);
  const json = JSON.parse(renderJson(result, { toolVersion: 'test' }));
  assert.equal(json.team.usage.cacheCreationInputTokens, total.cacheCreationInputTokens);
  assert.equal(json.team.usage.cacheReadInputTokens, total.cacheReadInputTokens);
  assert.equal(json.team.personas.find((p: { personaId: string }) => p.personaId === 'reviewer').assessment, 'Mostly fine');
});
