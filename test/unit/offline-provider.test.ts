import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { review } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { builtinPersonaDir, loadPersonas } from '../../src/core/personas';
import type { ProviderEvent, ReviewTarget } from '../../src/core/types';
import { buildContext } from '../../src/core/context';

const repo = path.resolve(__dirname, '../..');
const target: ReviewTarget = { kind: 'paths', root: repo, paths: ['test/fixtures/app'] };

async function personas(...ids: string[]) {
  const { personas: all } = await loadPersonas([builtinPersonaDir()]);
  return ids.map((id) => all.find((p) => p.id === id)!);
}

test('a team review on the fixture app gets anchored findings from several personas', async () => {
  const r = await review(target, { provider: new OfflineProvider(), personas: await personas('security', 'sre', 'performance', 'concurrency') });
  const by = (p: string) => r.findings.filter((f) => f.personaIds.includes(p));
  assert.ok(by('security').some((f) => f.category === 'sql-injection' && f.file.endsWith('server.js') && f.severity === 'critical'));
  assert.ok(by('security').some((f) => f.file.endsWith('worker.py')));
  assert.ok(by('security').some((f) => f.file.endsWith('main.go')), 'Go is reviewed');
  assert.ok(by('security').some((f) => f.file.endsWith('Report.java')), 'Java is reviewed');
  const secret = r.findings.find((f) => f.ruleId === 'security/secret-in-source');
  assert.ok(secret && secret.file.endsWith('server.js') && secret.range.startLine === 6, 'the redacted password is reported where it is');
  assert.ok(!JSON.stringify(r).includes('hunter2'), 'its value appears nowhere in the result');
  assert.ok(by('sre').length > 0, 'SRE reports something (timeouts, swallowed errors)');
  assert.ok(by('performance').some((f) => f.category === 'n-plus-one'));
  assert.equal(r.dropped.length, 0, 'offline findings always anchor');
  for (const f of r.findings) assert.ok(f.references.length === 0 || f.references.every((x) => /^(CWE-\d+|OWASP A\d\d:20\d\d)$/.test(x)), `${f.ruleId}: ${f.references}`);
});

test('the offline review is written in the persona template and is deterministic', async () => {
  const [sre] = await personas('sre');
  const a = await review(target, { provider: new OfflineProvider(), personas: [sre!] });
  const b = await review(target, { provider: new OfflineProvider(), personas: [sre!] });
  assert.deepEqual(a.findings, b.findings);
  assert.equal(a.reviews.sre, b.reviews.sre);
  assert.match(a.reviews.sre!, /^## .*5 files/m, 'heading from the OUTPUT TEMPLATE with the subject filled in');
  assert.match(a.reviews.sre!, /### Overall Assessment/);
});

test('per-rule and per-persona limits keep reviews short, and say what was left out', async () => {
  const [security] = await personas('security');
  const r = await review(target, { provider: new OfflineProvider({ maxFindingsPerPersona: 2 }), personas: [security!] });
  assert.equal(r.findings.length, 2);
  assert.ok(r.findings.every((f) => f.severity === 'critical'), 'the most severe are kept');
  assert.match(r.notices.join('\n'), /lower-ranked offline finding\(s\) not shown/);
});

test('the Workflow Executor does not review code, and cancellation stops a review', async () => {
  const [wf, security] = await personas('workflow-executor', 'security');
  const r = await review(target, { provider: new OfflineProvider(), personas: [wf!] });
  assert.equal(r.findings.length, 0);
  assert.match(r.reviews['workflow-executor']!, /does not review code/);

  const context = await buildContext(target);
  const controller = new AbortController();
  controller.abort();
  const events: ProviderEvent[] = [];
  for await (const e of new OfflineProvider().review({ persona: security!, context, options: {} }, controller.signal)) events.push(e);
  assert.deepEqual(events.map((e) => e.type), ['error']);
  assert.equal(events[0]!.type === 'error' && events[0]!.error.kind, 'cancelled');
});

test('an offline finding on a call that starts mid-line and spans a line ending in a space is kept (issue 9 anchoring)', async () => {
  const { reviewContext } = await import('../../src/core/engine');
  const [sre] = await personas('sre');
  const text = ['export async function load(url) {', '  const res = await fetch(url, ', "    { method: 'POST' });", '  return res.json();', '}', ''].join('\n');
  const file = { path: 'src/load.js', absPath: '/nonexistent/src/load.js', language: 'javascript', text, lineCount: 6, redactions: 0 };
  const r = await reviewContext({ root: '/nonexistent', files: [file], chunks: [], notices: [], totalTokens: 0 }, { provider: new OfflineProvider(), personas: [sre!] });
  assert.deepEqual(r.dropped, [], 'nothing dropped as quote-not-found');
  const f = r.findings.find((x) => x.ruleId === 'sre/missing-timeout');
  assert.ok(f, 'the missing timeout is reported');
  assert.deepEqual([f.range.startLine, f.range.startColumn, f.range.endLine], [2, 21, 3]);
});

test('QA finds the tests of the repository around a narrower workspace, and never rates a missing test above Medium (issue 9)', async () => {
  const { mkdtemp, mkdir, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const repo = await mkdtemp(path.join(tmpdir(), 'persona-review-qa-'));
  try {
    await mkdir(path.join(repo, '.git'));
    await mkdir(path.join(repo, 'packages/pricing/lib'), { recursive: true });
    await mkdir(path.join(repo, 'test'));
    await writeFile(path.join(repo, 'packages/pricing/package.json'), '{ "name": "pricing", "main": "lib/index.js" }');
    const fn = (name: string) => `exports.${name} = function (qty, unit) {\n  if (qty < 0) throw new RangeError('negative');\n  return qty * unit;\n};\n`;
    await writeFile(path.join(repo, 'packages/pricing/lib/index.js'), `${fn('price')}exports.tax = require('./tax').tax;\n`);
    await writeFile(path.join(repo, 'packages/pricing/lib/tax.js'), fn('tax'));
    await writeFile(path.join(repo, 'packages/pricing/lib/discount.js'), fn('discount'));
    // The package has no tests of its own; the repository's top-level test/ imports it by folder.
    await writeFile(path.join(repo, 'test/pricing.test.js'), "const { price } = require('../packages/pricing');\ntest('price', () => price(1, 2));\n");
    const [qa] = await personas('qa');
    const pkg = path.join(repo, 'packages/pricing');
    const r = await review({ kind: 'paths', root: pkg, paths: ['lib'] }, { provider: new OfflineProvider(), personas: [qa!] });
    const untested = r.findings.filter((f) => f.ruleId === 'qa/untested-module');
    assert.deepEqual(untested.map((f) => f.file), ['lib/discount.js'], 'index.js is imported by the test and loads tax.js; discount.js is reached by nothing');
    assert.ok(r.findings.every((f) => f.severity === 'medium' || f.severity === 'low'), 'missing tests are never above Medium');
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
});

test('offline depth: precise by default, thorough adds the measures, anything else is refused with the choices', async () => {
  assert.equal(new OfflineProvider().depth, 'precise');
  assert.throws(() => new OfflineProvider({ depth: 'deep' as never }), /Unknown offline depth "deep": use precise or thorough/);
  const { reviewContext } = await import('../../src/core/engine');
  const [architect] = await personas('architect');
  const text = ['package com.shop.order;', '', 'import com.shop.billing.Invoice;', '', 'public class Order { Invoice invoice; }', ''].join('\n');
  const other = ['package com.shop.billing;', '', 'import com.shop.order.Order;', '', 'public class Invoice { Order order; }', ''].join('\n');
  const file = (p: string, t: string) => ({ path: p, absPath: `/nonexistent/${p}`, language: 'java', text: t, lineCount: 6, redactions: 0 });
  const context = () => ({ root: '/nonexistent', files: [file('src/main/java/com/shop/order/Order.java', text), file('src/main/java/com/shop/billing/Invoice.java', other)], chunks: [], notices: [], totalTokens: 0 });
  const precise = await reviewContext(context(), { provider: new OfflineProvider(), personas: [architect!] });
  assert.deepEqual(precise.findings.map((f) => f.ruleId), [], 'a Java package cycle is a design judgement, not in the default review');
  assert.match(precise.reviews.architect!, /Not run at the default offline depth[^\n]*module depends on too many others/i, 'the review names what was held back');
  const thorough = await reviewContext(context(), { provider: new OfflineProvider({ depth: 'thorough' }), personas: [architect!] });
  assert.deepEqual(thorough.findings.map((f) => f.ruleId), ['architecture/cyclic-imports']);
  assert.doesNotMatch(thorough.reviews.architect!, /Not run at the default offline depth/);
});
