/**
 * Issue 10, point 2: dropped findings never appear in a persona's section, and each notice appears once.
 * A selection review of lines 14-18 of the fixture server (the `exec` call) with the Security Engineer: the
 * SQL injection on line 9 is outside the lines, so it is neither a finding nor mentioned in the persona's
 * review text, and the markdown report says nothing twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { review } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { builtinPersonaDir, loadPersonas } from '../../src/core/personas';
import { renderMarkdown } from '../../src/core/render/markdown';

const repo = path.resolve(__dirname, '../..');

test('a selection review: findings outside the lines are in no persona section and no notice; each notice once', async () => {
  const { personas } = await loadPersonas([builtinPersonaDir()]);
  const security = personas.find((p) => p.id === 'security')!;
  const file = 'test/fixtures/app/server.js';
  const r = await review({ kind: 'paths', root: repo, paths: [file], range: { path: file, startLine: 14, endLine: 18 } }, { provider: new OfflineProvider(), personas: [security] });
  assert.ok(r.findings.some((f) => f.category === 'command-injection' || /exec/.test(f.quote)), `the exec call in the selection is found (got ${r.findings.map((f) => f.category).join(', ')})`);
  assert.ok(!r.findings.some((f) => f.range.startLine < 14 || f.range.startLine > 18), 'no finding outside the selection');
  assert.ok(!/server\.js:9\b/.test(r.reviews.security ?? '') && /server\.js:15\b/.test(r.reviews.security ?? ''), `the persona's review text lists line 15, not the SQL injection on line 9:\n${r.reviews.security}`);
  assert.equal(r.dropped.length, 0, 'nothing was proposed outside the lines, so nothing was dropped');
  const md = renderMarkdown(r, { toolVersion: 'test' });
  const notices = md.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(new Set(notices).size, notices.length, `no notice twice:\n${notices.join('\n')}`);
  assert.ok(!/server\.js:9\b/.test(md), 'line 9 is named nowhere in the report');
});
