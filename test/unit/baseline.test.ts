/**
 * Baselines and the SARIF/JSON views of suppressed and baselined findings, on files on disk reviewed by
 * the offline provider; and the rule that files of the reviewed repository never weaken the review of a
 * change to themselves (suppressions and baseline entries the change adds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBaseline, parseBaseline, readBaseline, serializeBaseline, writeBaseline } from '../../src/core/baseline';
import { review } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { ruleDescriptors } from '../../src/core/offline/descriptors';
import { renderReport, toJsonReport } from '../../src/core/render';
import { toSarifLog } from '../../src/core/render/sarif';
import { addSuppressions } from '../../src/core/suppressions/file';
import type { Persona, ReviewResult } from '../../src/core/types';
import { validateSarif } from '../support/sarifSchema';

const security: Persona = { id: 'security', name: 'Security Engineer', description: '', category: 'security', icon: 'shield', chat: 'security', commands: [], questions: [], reviews: true, prompt: '', source: '' };

const APP = [
  "const express = require('express');",
  "const { exec } = require('child_process');",
  'const app = express();',
  '',
  "app.get('/user', async (req, res) => {",
  '  const rows = await db.query("SELECT * FROM users WHERE id = " + req.query.id);',
  '  res.json(rows);',
  '});',
  '',
  "app.post('/convert', (req, res) => {",
  "  exec('convert ' + req.body.file + ' out.png', () => res.send('ok'));",
  '});',
  '',
].join('\n');

const NEW_VULN = ["app.get('/order', async (req, res) => {", '  res.json(await db.query("SELECT * FROM orders WHERE id = " + req.query.id));', '});', ''].join('\n');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pr-baseline-'));
}

async function offline(root: string, opts: Parameters<typeof review>[1]['triage'] = {}, paths = ['.']): Promise<ReviewResult> {
  return review({ kind: 'paths', root, paths }, { provider: new OfflineProvider(), personas: [security], triage: opts });
}

function baselineOf(r: ReviewResult) {
  return createBaseline(r.findings, { personas: ['security'], provider: r.provider, createdAt: '2025-01-10T00:00:00.000Z' });
}

test('baseline: fingerprints survive line shifts and edits elsewhere in the file; new findings are the only ones reported', async () => {
  const root = tmp();
  try {
    fs.writeFileSync(path.join(root, 'app.js'), APP);
    const first = await offline(root);
    assert.deepEqual(first.findings.map((f) => f.ruleId).sort(), ['security/command-injection', 'security/sql-injection']);
    const baseline = baselineOf(first);

    // 6 lines inserted above, other code edited, indentation changed on a finding's line.
    const shifted = [
      '// Orders and users API.',
      "'use strict';",
      "const helmet = require('helmet');",
      '',
      '/** Health check. */',
      "function health() { return 'ok'; }",
      APP.replace('  res.json(rows);', '  res.json({ rows, count: rows.length });')
        .replace('const app = express();', "const app = express();\napp.disable('x-powered-by');")
        .replace('  const rows = await db.query(', '    const rows = await db.query('),
    ].join('\n');
    fs.writeFileSync(path.join(root, 'app.js'), shifted);
    const second = await offline(root, { baseline: { file: 'baseline.json', baseline } });
    assert.equal(second.findings.length, 0, `nothing new: ${second.findings.map((f) => f.title).join(', ')}`);
    assert.equal(second.baseline?.unchanged.length, 2, 'both baselined findings still exist, at their new lines');
    assert.ok(second.baseline!.unchanged.every((f) => f.range.startLine > 6));
    assert.equal(second.baseline?.absent.length, 0);

    // One new vulnerability: exactly that one is reported.
    fs.writeFileSync(path.join(root, 'app.js'), `${shifted}\n${NEW_VULN}`);
    const third = await offline(root, { baseline: { file: 'baseline.json', baseline } });
    assert.equal(third.findings.length, 1);
    assert.match(third.findings[0]!.quote, /orders/);
    assert.equal(third.baseline?.newCount, 1);
    assert.match(third.notices.join('\n'), /2 baselined finding\(s\) still exist \(not reported\), 0 fixed since the baseline, 1 new/);

    // Fixing one baselined finding shows it as fixed (absent).
    fs.writeFileSync(path.join(root, 'app.js'), shifted.replace("'convert ' + req.body.file + ' out.png'", "'convert in.png out.png'"));
    const fourth = await offline(root, { baseline: { file: 'baseline.json', baseline } });
    assert.deepEqual(fourth.baseline?.absent.map((e) => e.rule), ['security/command-injection']);
    assert.equal(fourth.baseline?.unchanged.length, 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('baseline: a file of two identical findings keeps them apart (occurrence index), so a third copy is new', async () => {
  const root = tmp();
  try {
    const twice = `${APP}\n${NEW_VULN}\n${NEW_VULN}`;
    fs.writeFileSync(path.join(root, 'app.js'), twice);
    const baseline = baselineOf(await offline(root));
    fs.writeFileSync(path.join(root, 'app.js'), `${twice}\n${NEW_VULN}`);
    const r = await offline(root, { baseline: { file: 'b.json', baseline } });
    assert.equal(r.findings.length, 1, 'the third copy is the new finding');
    assert.ok(r.findings[0]!.range.startLine > twice.split('\n').length);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('baseline file: written sorted and read back; a damaged entry is skipped with a message; a non-baseline is an error', () => {
  const root = tmp();
  try {
    const b = createBaseline(
      [
        { id: 'F1', personaIds: ['security'], file: 'z.js', range: { startLine: 9, endLine: 9 }, quote: 'q', severity: 'high', category: 'xss', title: 't', message: '', references: [], confidence: 1, fingerprint: 'f'.repeat(32) },
        { id: 'F2', personaIds: ['security'], file: 'a.js', range: { startLine: 3, endLine: 3 }, quote: 'q', severity: 'low', category: 'style', ruleId: 'quality/style', title: 't', message: '', references: [], confidence: 1, fingerprint: 'e'.repeat(32) },
      ],
      { personas: ['security'] },
    );
    assert.deepEqual(b.findings.map((f) => f.file), ['a.js', 'z.js']);
    const file = path.join(root, 'baseline.json');
    writeBaseline(file, b);
    assert.deepEqual(readBaseline(file).baseline.findings, b.findings);
    const damaged = JSON.parse(serializeBaseline(b)) as { findings: Array<Record<string, unknown>> };
    damaged.findings[1]!.severity = 'urgent';
    const parsed = parseBaseline(JSON.stringify(damaged), 'baseline.json');
    assert.equal(parsed.baseline.findings.length, 1);
    assert.match(parsed.errors[0]!, /baseline\.json: findings\[1\]: severity/);
    assert.throws(() => parseBaseline('{"findings": 3}', 'x.json'), /not a Persona Review baseline/);
    assert.throws(() => parseBaseline('{', 'x.json'), /not valid JSON/);
    assert.throws(() => readBaseline(path.join(root, 'missing.json')), /persona-review baseline -o/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('SARIF and JSON: suppressed and baselined results are kept with suppressions and baselineState, and the log validates', async () => {
  const root = tmp();
  try {
    fs.writeFileSync(path.join(root, 'app.js'), APP);
    const baseline = baselineOf(await offline(root));
    // Fix the command injection (absent), add a suppressed new one and an unsuppressed new one.
    const withChanges = APP.replace("'convert ' + req.body.file + ' out.png'", "'convert in.png out.png'") + NEW_VULN.replace("app.get('/order'", "// persona-review-ignore sql-injection -- orders are public data\napp.get('/order'") + NEW_VULN.replace(/order/g, 'invoice');
    fs.writeFileSync(path.join(root, 'app.js'), withChanges);
    const r = await offline(root, { baseline: { file: '.persona-review/baseline.json', baseline } });
    // The comment above the handler covers the handler's first line, not the query on the next: only a
    // comment on the query's own line or just above it suppresses it.
    assert.equal(r.suppressed, undefined, 'a suppression two lines above does not apply');

    fs.writeFileSync(path.join(root, 'app.js'), withChanges.replace('// persona-review-ignore sql-injection -- orders are public data\n', '').replace('  res.json(await db.query("SELECT * FROM orders', '  // persona-review-ignore sql-injection -- orders are public data\n  res.json(await db.query("SELECT * FROM orders'));
    const r2 = await offline(root, { baseline: { file: '.persona-review/baseline.json', baseline } });
    assert.equal(r2.findings.length, 1, 'the invoice query is new and reported');
    assert.equal(r2.suppressed?.length, 1);

    const log = toSarifLog(r2, { toolVersion: '0.1.0', rules: ruleDescriptors(), root });
    assert.deepEqual(validateSarif(log), []);
    const results = log.runs[0]!.results!;
    const states = results.map((x) => [x.baselineState, x.suppressions?.[0]?.kind ?? null, x.suppressions?.[0]?.status ?? null]);
    assert.deepEqual(states, [
      ['new', null, null],
      ['new', 'inSource', 'accepted'],
      ['unchanged', null, null],
      ['absent', null, null],
    ]);
    const suppressed = results[1]!;
    assert.equal(suppressed.suppressions![0]!.justification, 'orders are public data');
    assert.equal(suppressed.suppressions![0]!.location?.physicalLocation?.region?.startLine, suppressed.locations![0]!.physicalLocation!.region!.startLine! - 1);
    assert.equal(results[3]!.ruleId, 'security/command-injection');
    for (const x of results) assert.ok(x.ruleIndex! >= 0 && log.runs[0]!.tool.driver.rules![x.ruleIndex!]!.id === x.ruleId);

    const json = toJsonReport(r2, { toolVersion: '0.1.0' });
    assert.equal(json.summary.total, 1);
    assert.equal(json.summary.suppressed, 1);
    assert.deepEqual(json.summary.baseline, { new: 1, unchanged: 1, absent: 1, notRechecked: 0 });
    assert.equal(json.suppressed[0]!.suppression.justification, 'orders are public data');
    const md = renderReport(r2, 'md', { toolVersion: '0.1.0' });
    assert.match(md, /## Suppressed \(1\)/);
    assert.match(md, /"orders are public data"/);
    assert.match(md, /## Baseline\n\nCompared with `\.persona-review\/baseline\.json`: 1 new finding .*1 baselined still present.*1 fixed since the baseline/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' } });
}

test('change reviews: suppressions the change adds are visible (underReview, notices); baseline entries it adds are ignored', async () => {
  const root = tmp();
  try {
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, 'app.js'), APP);
    const supp = path.join(root, '.persona-review', 'suppressions.yaml');
    const first = await offline(root);
    const cmd = first.findings.find((f) => f.ruleId === 'security/command-injection')!;
    const sql = first.findings.find((f) => f.ruleId === 'security/sql-injection')!;
    const entry = (fp: string, rule: string) => ({ fingerprint: fp, rule, file: 'app.js', quote: '', reason: `accepted ${rule}`, author: 'T <t@x>', date: '2025-01-10' });
    await addSuppressions(supp, [entry(cmd.fingerprint, cmd.ruleId!)]);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');

    // The change: a new vulnerability with an inline suppression, a file entry for the old SQL injection,
    // and a baseline (written in the same change) that claims the new vulnerability.
    fs.writeFileSync(path.join(root, 'app.js'), `${APP}${NEW_VULN.replace('  res.json(await', '  // persona-review-ignore sql-injection -- trust me\n  res.json(await')}`);
    await addSuppressions(supp, [entry(sql.fingerprint, sql.ruleId!)]);
    const all = await offline(root, { suppressionsFile: false, inline: false });
    const newOne = all.findings.find((f) => /orders/.test(f.quote))!;
    const baseline = createBaseline([newOne], { personas: ['security'] });
    writeBaseline(path.join(root, '.persona-review', 'baseline.json'), baseline);

    const r = await review(
      { kind: 'git', root, mode: 'working' },
      { provider: new OfflineProvider(), personas: [security], triage: { baseline: { file: '.persona-review/baseline.json', baseline } } },
    );
    const s = r.suppressed ?? [];
    assert.equal(s.length, 1, 'in a change review only changed lines are reviewed: the new query');
    assert.equal(s[0]!.suppression.status, 'underReview');
    assert.equal(s[0]!.suppression.addedByChange, true);
    assert.ok(r.notices.some((n) => /Suppression added by this change \(app\.js:\d+\) silences "SQL injection from request input" .* reason: "trust me"/.test(n)), r.notices.join('\n'));
    assert.ok(r.notices.some((n) => /1 baseline entry was added by the change under review and ignored/.test(n)));
    assert.equal(r.baseline?.ignoredAddedByChange, 1);

    // A full (paths) review of the same tree: the old file entry is accepted, the new one under review.
    const full = await review({ kind: 'git', root, mode: 'working' }, { provider: new OfflineProvider(), personas: [security] });
    assert.deepEqual(full.suppressed?.map((x) => x.suppression.status), ['underReview']);
    const paths = await offline(root);
    assert.deepEqual(paths.suppressed?.map((x) => [x.suppression.kind, x.suppression.status]).sort(), [
      ['external', 'accepted'],
      ['external', 'accepted'],
      ['inSource', 'accepted'],
    ]);

    // --ignore-new-suppressions: what the change added counts for nothing.
    const strict = await review({ kind: 'git', root, mode: 'working' }, { provider: new OfflineProvider(), personas: [security], triage: { ignoreAddedSuppressions: true } });
    assert.equal(strict.findings.filter((f) => f.severity === 'critical').length, 1);
    assert.equal(strict.suppressed, undefined);

    // SARIF: the change-added suppression is underReview, which keeps the alert open in code scanning.
    const log = toSarifLog(r, { toolVersion: '0.1.0', root });
    assert.deepEqual(validateSarif(log), []);
    assert.equal(log.runs[0]!.results!.find((x) => x.suppressions)?.suppressions?.[0]?.status, 'underReview');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
