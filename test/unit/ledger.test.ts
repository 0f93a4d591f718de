/**
 * The audit ledger: a chain of JSON lines that `audit verify` checks, that parallel writers append to
 * without losing a line, and that `audit coverage` / `audit report` answer governance questions from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditCoverage, auditReport, isoWeek } from '../../src/core/audit';
import { appendLedger, contentHashes, readLedger, sha256, verifyLedger, verifyLedgerText, type LedgerEvent } from '../../src/core/ledger';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pr-ledger-'));
}

const who = { name: 'Jane Doe', email: 'jane@example.com' };

function reviewEvent(paths: Array<{ path: string; sha256: string }>, personas: string[]): LedgerEvent {
  return {
    event: 'review',
    data: {
      scope: 'paths',
      paths,
      personas,
      provider: 'offline',
      model: null,
      findings: { bySeverity: { critical: 1, high: 0, medium: 2, low: 0 }, fingerprints: ['a'.repeat(32)] },
      suppressed: 0,
      baselined: 0,
      complete: true,
    },
  };
}

async function fiveEntries(file: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await appendLedger(file, reviewEvent([{ path: `f${i}.js`, sha256: sha256(String(i)) }], ['security']), { who, commit: 'c'.repeat(40), now: new Date(Date.UTC(2025, 0, 6 + i * 3)) });
  }
}

test('ledger: entries are chained (seq, prev = sha-256 of the previous line, own hash) and verify passes', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'ledger.jsonl');
    await fiveEntries(file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);
    const entries = lines.map((l) => JSON.parse(l) as { seq: number; prev: string | null; hash: string; who: unknown; when: string });
    assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.equal(entries[0]!.prev, null);
    for (let i = 1; i < 5; i++) assert.equal(entries[i]!.prev, sha256(lines[i - 1]!));
    assert.deepEqual(entries[0]!.who, who);
    assert.equal(entries[2]!.when, '2025-01-12T00:00:00.000Z');
    assert.deepEqual(Object.keys(JSON.parse(lines[0]!)), ['v', 'seq', 'when', 'who', 'commit', 'event', 'data', 'prev', 'hash']);
    assert.deepEqual((await verifyLedger(file)).problems, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ledger verify: names the first bad line when a line is edited (with or without its hash recomputed) or deleted', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'ledger.jsonl');
    await fiveEntries(file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');

    const edited = [...lines];
    edited[2] = edited[2]!.replace('"critical":1', '"critical":0');
    const v1 = verifyLedgerText(edited.join('\n') + '\n', file);
    assert.equal(v1.problems[0]!.line, 3);
    assert.match(v1.problems[0]!.message, /edited after it was written/);

    // A careful forger recomputes the line's own hash: the next line's prev still gives it away.
    const obj = JSON.parse(edited[2]!) as Record<string, unknown>;
    delete obj.hash;
    const forged = [...lines];
    forged[2] = JSON.stringify({ ...obj, hash: sha256(JSON.stringify(obj)) });
    const v2 = verifyLedgerText(forged.join('\n') + '\n', file);
    assert.equal(v2.problems[0]!.line, 3);
    assert.match(v2.problems[0]!.message, /line 4 records a different sha-256/);

    const deleted = lines.filter((_, i) => i !== 2);
    const v3 = verifyLedgerText(deleted.join('\n') + '\n', file);
    assert.equal(v3.problems[0]!.line, 3);
    assert.match(v3.problems[0]!.message, /entry 3 missing before this line: deleted/);

    const firstGone = lines.slice(1);
    assert.match(verifyLedgerText(firstGone.join('\n') + '\n', file).problems[0]!.message, /entry 1 missing/);

    const garbage = [...lines];
    garbage[1] = '{"v":1,"seq":2';
    assert.deepEqual(verifyLedgerText(garbage.join('\n') + '\n', file).problems[0], { line: 2, message: 'not valid JSON: the line was edited or cut' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ledger verify: against the committed version (git HEAD), deleting or editing the last lines is caught too', async () => {
  const dir = tmp();
  try {
    const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' };
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const file = path.join(dir, '.persona-review', 'ledger.jsonl');
    await fiveEntries(file);
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['commit', '-qm', 'ledger'], { cwd: dir, env });
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(file, lines.slice(0, 4).join('\n') + '\n');
    const v = await verifyLedger(file, dir);
    assert.equal(v.comparedWithHead, true);
    assert.equal(v.problems[0]!.line, 5);
    assert.match(v.problems[0]!.message, /deleted: the committed ledger \(git HEAD\) has 5 lines, the file 4/);
    // Appending after the committed lines is fine.
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await appendLedger(file, reviewEvent([], ['sre']), { who });
    assert.deepEqual((await verifyLedger(file, dir)).problems, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ledger: parallel writers in separate processes lose no line and keep the chain', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'ledger.jsonl');
    const writer = path.join(__dirname, '..', 'support', 'ledgerWriter.ts');
    const writers = 5;
    const each = 20;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        new Promise<void>((resolve, reject) =>
          execFile(process.execPath, ['--import', 'tsx', writer, file, String(w), String(each)], (err, _o, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve())),
        ),
      ),
    );
    const entries = readLedger(file);
    assert.equal(entries.length, writers * each, 'every line arrived');
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: writers * each }, (_, i) => i + 1));
    for (let w = 0; w < writers; w++) {
      const mine = entries.filter((e) => e.who.name === `writer-${w}`).map((e) => (e.data as { fingerprint: string }).fingerprint);
      assert.deepEqual(mine, Array.from({ length: each }, (_, i) => `${w}-${i}`), `writer ${w}'s lines are all there, in its order`);
    }
    assert.deepEqual((await verifyLedger(file)).problems, []);
    assert.ok(!fs.existsSync(`${file}.lock`), 'the lock is released');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('audit coverage: lists exactly the changed files whose current content no review by the persona covered', async () => {
  const dir = tmp();
  try {
    const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' };
    const sh = (...args: string[]) => execFileSync('git', args, { cwd: dir, env });
    sh('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'untouched.js'), 'u();\n');
    sh('add', '-A');
    sh('commit', '-qm', 'base');
    sh('checkout', '-qb', 'feature');
    for (const f of ['a.js', 'b.js', 'c.js', 'd.js']) fs.writeFileSync(path.join(dir, f), `${f}();\n`);
    sh('add', '-A');
    sh('commit', '-qm', 'feature');
    const ledger = path.join(dir, '.persona-review', 'ledger.jsonl');
    const hashes = await contentHashes(dir, ['a.js', 'b.js', 'c.js', 'd.js']);
    const h = (p: string) => hashes.find((x) => x.path === p)!;
    await appendLedger(ledger, reviewEvent([h('a.js'), h('b.js')], ['security', 'sre']), { who });
    await appendLedger(ledger, reviewEvent([h('c.js')], ['sre']), { who });
    await appendLedger(ledger, reviewEvent([h('d.js')], ['security']), { who });
    // b.js changes after its review: its current content was not reviewed.
    fs.writeFileSync(path.join(dir, 'b.js'), 'b(); changed();\n');
    // Files no review reads cannot lack a review: the ledger itself (committed, then appended to), a .env file, an image.
    sh('add', '-A');
    sh('commit', '-qm', 'ledger');
    await appendLedger(ledger, reviewEvent([h('d.js')], ['qa']), { who });
    fs.writeFileSync(path.join(dir, '.env'), 'TOKEN=x\n');
    fs.writeFileSync(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    sh('add', '-A');

    const c = await auditCoverage(dir, ledger, 'main', 'security');
    assert.deepEqual(c.files.map((f) => f.path), ['a.js', 'b.js', 'c.js', 'd.js'], 'untouched.js did not change since main');
    assert.deepEqual(c.notReviewable.map((f) => f.path).sort(), ['.env', '.persona-review/ledger.jsonl', 'logo.png']);
    assert.deepEqual(c.uncovered.map((f) => f.path), ['b.js', 'c.js']);
    assert.equal(c.uncovered[0]!.olderVersionReviewed, true);
    assert.equal(c.uncovered[1]!.olderVersionReviewed, false);
    assert.equal(c.files[0]!.coveredBy?.who, 'Jane Doe');
    assert.deepEqual((await auditCoverage(dir, ledger, 'main', 'sre')).uncovered.map((f) => f.path), ['b.js', 'd.js']);
    await assert.rejects(auditCoverage(dir, ledger, 'no-such-ref', 'security'), /no such ref/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('audit report: markdown per persona and per ISO week, with the latest decisions and the chain state', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'ledger.jsonl');
    await fiveEntries(file); // 6, 9, 12, 15, 18 January 2025: weeks 02, 02, 02 (Sunday 12th), 03, 03
    await appendLedger(file, { event: 'suppression', data: { action: 'add', scope: 'team', fingerprint: 'f'.repeat(32), rule: 'security/xss', file: 'a.js', reason: 'escaped by React' } }, { who, now: new Date('2025-01-20T10:00:00Z') });
    await appendLedger(file, { event: 'sign-off', data: { runId: 'pre-merge-1', workflow: 'pre-merge', role: 'sre' } }, { who: { name: 'Sam' }, now: new Date('2025-01-21T10:00:00Z') });
    const md = auditReport(file, await verifyLedger(file));
    assert.match(md, /^# Persona Review audit report/);
    assert.match(md, /7 entries from 2025-01-06 to 2025-01-21\.\nChain intact\./);
    assert.match(md, /\| security \| 5 \| 5 \| 5 \/ 0 \/ 10 \/ 0 \| 0 \| 2025-01-18 by Jane Doe \|/);
    assert.match(md, /\| 2025-W02 \| 3 \| security \| Jane Doe \| 3 \/ 0 \/ 6 \/ 0 \| 0 \| 0 \| 0 \|/);
    assert.match(md, /\| 2025-W04 \| 0 \| — \| Jane Doe, Sam \| 0 \/ 0 \/ 0 \/ 0 \| 0 \| 1 \| 1 \|/);
    assert.match(md, /suppression add \(for the team\) of `security\/xss` in `a\.js`: "escaped by React"/);
    assert.match(md, /signed off run `pre-merge-1` of workflow `pre-merge` as sre/);
    assert.equal(isoWeek(new Date('2021-01-03T12:00:00Z')), '2020-W53');
    assert.equal(isoWeek(new Date('2024-12-30T00:00:00Z')), '2025-W01');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
