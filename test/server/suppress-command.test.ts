/**
 * Dismiss for me / for the team and Un-suppress through the language server (issue 12), over a real LSP
 * connection: `personaReview.server.suppressFinding` writes an entry to `.persona-review/suppressions.yaml`
 * with the git user as author, keeping the file's comments and other entries; the finding leaves the
 * Diagnostics and is listed as suppressed; the audit ledger records it; `unsuppressFinding` removes the
 * entry and the finding comes back. A malformed existing file is refused with its line and field and left
 * byte for byte as it was; an invalid entry in it is kept and reported. Restricted Mode writes nothing.
 * The `personaReview.baseline` setting keeps baselined findings out and says how many still exist.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeConfigurationNotification, ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { createBaseline, writeBaseline } from '../../src/core/baseline';
import { verifyLedger } from '../../src/core/ledger';
import { parseSuppressionsFile } from '../../src/core/suppressions/file';
import type { Finding } from '../../src/core/types';
import { ServerCommands, type DiagnosticData, type SuppressedLiveFinding, type SuppressFindingResult, type UnsuppressFindingResult } from '../../src/shared/protocol';
import { startLspClient, type LspClient } from '../support/lspClient';

const PRICES = [
  'export async function loadPrices(url) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
  'export async function loadRates(url) {',
  '  const rates = await fetch(url);',
  '  return rates.json();',
  '}',
  '',
].join('\n');

const EXISTING = [
  '# Accepted by the platform team; ask #platform before removing one.',
  'version: 1',
  'suppressions:',
  '  # the health check',
  '  - fingerprint: 0123456789abcdef0123456789abcdef',
  '    rule: sre/missing-timeout',
  '    file: health.js',
  '    quote: await fetch(HEALTH)',
  '    reason: the health check has its own deadline',
  '    author: Lee Lead <lee@example.com>',
  '    date: 2025-01-10',
  '',
].join('\n');

interface Ws {
  dir: string;
  lsp: LspClient;
  uri: string;
  yaml: string;
}

const workspaces: Ws[] = [];

function makeRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pr-lsp-suppress-'));
  writeFileSync(path.join(dir, 'prices.js'), PRICES);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['config', 'user.name', 'Dana Dev'], { cwd: dir });
  execFileSync('git', ['config', 'user.email', 'dana@example.com'], { cwd: dir });
  return dir;
}

async function start(opts: { trusted?: boolean; dismissed?: Array<{ uri: string; fingerprint: string }>; text?: string } = {}, dir = makeRepo()): Promise<Ws> {
  if (opts.text !== undefined) writeFileSync(path.join(dir, 'prices.js'), opts.text);
  const lsp = await startLspClient({
    rootUri: pathToFileURL(dir).href,
    cwd: dir,
    initializationOptions: { ...(opts.trusted === false ? { trusted: false } : {}), ...(opts.dismissed ? { dismissed: opts.dismissed } : {}) },
  });
  const ws = { dir, lsp, uri: pathToFileURL(path.join(dir, 'prices.js')).href, yaml: path.join(dir, '.persona-review/suppressions.yaml') };
  workspaces.push(ws);
  await lsp.open(ws.uri, opts.text ?? PRICES);
  return ws;
}

const run = <T>(ws: Ws, command: string, args: unknown[]) => ws.lsp.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<T>;

/** Reviews prices.js as the SRE and returns the two timeout Diagnostics' fingerprints by 1-based line. */
async function review(ws: Ws): Promise<{ summary: { notices: string[]; findingList: Finding[] }; byLine: Map<number, string> }> {
  const seq = ws.lsp.seq();
  const summary = await run<{ status: string; notices: string[]; findingList: Finding[] }>(ws, ServerCommands.reviewDocument, [ws.uri, ['sre']]);
  assert.equal(summary.status, 'done');
  await ws.lsp.waitFor('the review published', () => ws.lsp.seq() > seq && ws.lsp.latestDiagnostics(ws.uri));
  const published = ws.lsp.latestDiagnostics(ws.uri)!;
  const byLine = new Map(published.diagnostics.filter((d) => d.code === 'sre/missing-timeout').map((d) => [d.range.start.line + 1, (d.data as DiagnosticData).fingerprint]));
  return { summary, byLine };
}

const shown = (ws: Ws) => (ws.lsp.latestDiagnostics(ws.uri)?.diagnostics ?? []).map((d) => (d.data as DiagnosticData).fingerprint);
const suppressedNow = (ws: Ws) => ((ws.lsp.findingsChanged.filter((c) => c.uri === ws.uri).at(-1) as { suppressed?: SuppressedLiveFinding[] } | undefined)?.suppressed ?? []);

after(async () => {
  for (const ws of workspaces) {
    await ws.lsp.stop();
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('Dismiss for the team writes the entry (git user, quote, reason, expiry) keeping comments and entries; the finding is suppressed, ledgered, and comes back when un-suppressed', async () => {
  const ws = await start();
  mkdirSync(path.dirname(ws.yaml), { recursive: true });
  writeFileSync(ws.yaml, EXISTING);
  writeFileSync(path.join(ws.dir, '.persona-review/ledger.jsonl'), ''); // `persona-review audit init`
  const { byLine } = await review(ws);
  const rates = byLine.get(7)!;
  assert.ok(rates && byLine.get(2), `both fetches reported (got lines ${[...byLine.keys()].join(', ')})`);

  const r = await run<SuppressFindingResult>(ws, ServerCommands.suppressFinding, [{ uri: ws.uri, fingerprint: rates, reason: 'rates come from a sidecar on localhost', expires: '2099-12-31' }]);
  assert.equal(r.file, ws.yaml);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.ledgerSeq, 1, 'the ledger recorded it as its first entry');
  const text = readFileSync(ws.yaml, 'utf8');
  assert.ok(text.startsWith(EXISTING.trimEnd().split('\n').slice(0, 4).join('\n')), `the header comment and the entry's comment stay (got\n${text})`);
  const parsed = parseSuppressionsFile(text, ws.yaml);
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.entries.length, 2, 'the existing entry is kept');
  const e = parsed.entries[1]!;
  assert.deepEqual(
    { fingerprint: e.fingerprint, rule: e.rule, file: e.file, quote: e.quote, reason: e.reason, author: e.author, expires: e.expires },
    { fingerprint: rates, rule: 'sre/missing-timeout', file: 'prices.js', quote: r.entry.quote, reason: 'rates come from a sidecar on localhost', author: 'Dana Dev <dana@example.com>', expires: '2099-12-31' },
  );
  assert.match(r.entry.quote, /fetch\(url\)/);
  assert.equal(e.date, new Date().toISOString().slice(0, 10));

  await ws.lsp.waitForDiagnostics(ws.uri, (p) => !p.diagnostics.some((d) => (d.data as DiagnosticData).fingerprint === rates), 'the finding gone from the Diagnostics');
  assert.ok(shown(ws).includes(byLine.get(2)!), 'the other finding stays');
  const listed = suppressedNow(ws).find((f) => f.fingerprint === rates);
  assert.equal(listed?.suppression.scope, 'team');
  assert.equal(listed?.suppression.reason, 'rates come from a sidecar on localhost');
  assert.deepEqual(listed?.suppression.location, { file: '.persona-review/suppressions.yaml', line: e.line });

  const ledger = readFileSync(path.join(ws.dir, '.persona-review/ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; who: { name: string }; data: Record<string, unknown> });
  assert.equal(ledger.length, 1);
  assert.equal(ledger[0]!.event, 'suppression');
  assert.equal(ledger[0]!.who.name, 'Dana Dev');
  assert.deepEqual(ledger[0]!.data, { action: 'add', scope: 'team', fingerprint: rates, rule: 'sre/missing-timeout', file: 'prices.js', severity: 'medium', reason: 'rates come from a sidecar on localhost', expires: '2099-12-31' });

  // A new review honours the file (core triage) and still lists the finding as suppressed for the team.
  await review(ws);
  assert.ok(!shown(ws).includes(rates), 'a later review keeps it out');
  assert.equal(suppressedNow(ws).find((f) => f.fingerprint === rates)?.suppression.scope, 'team');

  const u = await run<UnsuppressFindingResult>(ws, ServerCommands.unsuppressFinding, [{ uri: ws.uri, fingerprint: rates }]);
  assert.equal(u.scope, 'team');
  assert.equal(u.ledgerSeq, 2);
  await ws.lsp.waitForDiagnostics(ws.uri, (p) => p.diagnostics.some((d) => (d.data as DiagnosticData).fingerprint === rates), 'the finding back in the Diagnostics');
  const afterText = readFileSync(ws.yaml, 'utf8');
  assert.deepEqual(parseSuppressionsFile(afterText, ws.yaml).entries.map((x) => x.fingerprint), ['0123456789abcdef0123456789abcdef'], 'only its entry was removed');
  assert.match(afterText, /# Accepted by the platform team/);
  assert.match(afterText, /# the health check/);
  assert.ok(!suppressedNow(ws).some((f) => f.fingerprint === rates));
  const verified = await verifyLedger(path.join(ws.dir, '.persona-review/ledger.jsonl'));
  assert.deepEqual([verified.entries, verified.problems], [2, []], 'the ledger chain verifies');
});

test('a malformed suppressions file is refused with its line and field and left unchanged; an invalid entry is kept and reported', async () => {
  const ws = await start();
  mkdirSync(path.dirname(ws.yaml), { recursive: true });
  const { byLine } = await review(ws);
  const rates = byLine.get(7)!;
  const suppress = () => run<SuppressFindingResult>(ws, ServerCommands.suppressFinding, [{ uri: ws.uri, fingerprint: rates, reason: 'rates come from a sidecar' }]);

  const syntax = 'version: 1\nsuppressions:\n  - fingerprint: 0123456789abcdef0123456789abcdef\n    reason: "unterminated\n';
  writeFileSync(ws.yaml, syntax);
  await assert.rejects(suppress(), (e: Error) => /suppressions\.yaml:\d+: /.test(e.message) && /not written/.test(e.message));
  assert.equal(readFileSync(ws.yaml, 'utf8'), syntax, 'nothing lost: the file is as it was');

  const notAList = '# ours\nversion: 1\nsuppressions:\n  fingerprint: 0123456789abcdef0123456789abcdef\n  reason: a mapping, not a list\n';
  writeFileSync(ws.yaml, notAList);
  await assert.rejects(suppress(), (e: Error) => /suppressions\.yaml:4: suppressions: expected a list/.test(e.message));
  assert.equal(readFileSync(ws.yaml, 'utf8'), notAList, 'nothing lost: the mapping was not replaced by a list');
  assert.ok(shown(ws).includes(rates), 'the finding is still shown after a refused write');

  const invalidEntry = 'version: 1\nsuppressions:\n  - fingerprint: 0123456789abcdef0123456789abcdef\n    rule: sre/missing-timeout\n    file: health.js\n    author: Lee Lead\n    date: 2025-01-10\n';
  writeFileSync(ws.yaml, invalidEntry);
  const r = await suppress();
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /suppressions\.yaml:3: suppressions\[0\]\.reason: missing/);
  const parsed = parseSuppressionsFile(readFileSync(ws.yaml, 'utf8'), ws.yaml);
  assert.deepEqual(parsed.entries.map((x) => x.fingerprint), [rates]);
  assert.equal(parsed.errors.length, 1, 'the invalid entry is still there for the team to fix');
  assert.match(readFileSync(ws.yaml, 'utf8'), /file: health\.js/);

  await assert.rejects(run(ws, ServerCommands.suppressFinding, [{ uri: ws.uri, fingerprint: byLine.get(2), reason: '  ' }]), /reason: a suppression for the team needs the reason/);
  await assert.rejects(run(ws, ServerCommands.suppressFinding, [{ uri: ws.uri, fingerprint: byLine.get(2), reason: 'x', expires: '31/12/2099' }]), /expires: expected a date such as/);
});

test('Dismiss for me: remembered from initializationOptions.dismissed, listed as suppressed for me, ledgered; un-suppress brings it back', async () => {
  const dir = makeRepo();
  const uri = pathToFileURL(path.join(dir, 'prices.js')).href;
  const first = await start({}, dir);
  const { byLine } = await review(first);
  const prices = byLine.get(2)!;
  await first.lsp.stop();
  workspaces.splice(workspaces.indexOf(first), 1);

  const ws = await start({ dismissed: [{ uri, fingerprint: prices }] }, dir);
  mkdirSync(path.join(dir, '.persona-review'), { recursive: true });
  writeFileSync(path.join(dir, '.persona-review/ledger.jsonl'), '');
  await review(ws);
  assert.ok(!shown(ws).includes(prices), 'dismissed in an earlier session: not shown');
  assert.equal(suppressedNow(ws).find((f) => f.fingerprint === prices)?.suppression.scope, 'me');
  const u = await run<UnsuppressFindingResult>(ws, ServerCommands.unsuppressFinding, [{ uri, fingerprint: prices }]);
  assert.equal(u.scope, 'me');
  await ws.lsp.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => (d.data as DiagnosticData).fingerprint === prices), 'the finding back');

  await run(ws, ServerCommands.dismissFinding, [{ uri, fingerprint: prices, reason: 'a test double' }]);
  await ws.lsp.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => (d.data as DiagnosticData).fingerprint === prices), 'dismissed again');
  const ledger = readFileSync(path.join(dir, '.persona-review/ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: { action: string; scope: string; reason?: string } });
  assert.deepEqual(ledger.map((l) => [l.event, l.data.action, l.data.scope, l.data.reason]), [
    ['dismissal', 'remove', 'me', undefined],
    ['dismissal', 'add', 'me', 'a test double'],
  ]);
  assert.ok(!existsSync(ws.yaml), 'a dismissal for me writes no suppressions file');
});

test('Restricted Mode: Dismiss for the team is refused and writes nothing; the baseline setting is ignored', async () => {
  const ws = await start({ trusted: false });
  const { byLine } = await review(ws);
  const rates = byLine.get(7)!;
  await assert.rejects(run(ws, ServerCommands.suppressFinding, [{ uri: ws.uri, fingerprint: rates, reason: 'sidecar' }]), /Restricted Mode does not allow: trust the workspace first, or dismiss the finding for yourself/);
  assert.ok(!existsSync(path.join(ws.dir, '.persona-review')), 'no team folder written');
  assert.ok(shown(ws).includes(rates));
  const { summary } = await review(ws);
  writeBaseline(path.join(ws.dir, 'baseline.json'), createBaseline(summary.findingList, { personas: ['sre'] }));
  await ws.lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { baseline: 'baseline.json' } } });
  const again = await review(ws);
  assert.equal(again.summary.findingList.length, 2, 'the baseline is not applied in Restricted Mode');
});

test("Restricted Mode: the workspace's own suppressions (an inline comment, the suppressions file) hide nothing, and a notice says so; trusted, they apply", async () => {
  const commented = PRICES.replace('  const response = await fetch(url);', '  // persona-review-ignore sre/missing-timeout -- the caller passes a deadline\n  const response = await fetch(url);');
  const trusted = await start({ text: commented });
  const honoured = await review(trusted);
  assert.deepEqual([...honoured.byLine.keys()], [8], 'trusted: the commented fetch (line 3) is suppressed, loadRates (line 8) reported');
  assert.ok(!honoured.summary.notices.some((n) => /Restricted Mode/.test(n)));

  const untrusted = await start({ trusted: false, text: commented });
  mkdirSync(path.dirname(untrusted.yaml), { recursive: true });
  writeFileSync(untrusted.yaml, EXISTING);
  const { summary, byLine } = await review(untrusted);
  assert.deepEqual([...byLine.keys()].sort(), [3, 8], 'Restricted Mode: both timeouts are reported despite the comment');
  assert.deepEqual(suppressedNow(untrusted), [], 'nothing is listed as suppressed');
  const notice = summary.notices.find((n) => /^Restricted Mode: the workspace's suppressions/.test(n));
  assert.ok(notice, `a notice (got ${summary.notices.join(' | ')})`);
  assert.match(notice, /\.persona-review\/suppressions\.yaml and persona-review-ignore comments in 1 file\(s\)\) were not applied.*Trust the workspace/);
});

test('the baseline setting: baselined findings are not reported, and the notice says how many still exist and how many were fixed', async () => {
  const ws = await start();
  const { summary } = await review(ws);
  assert.equal(summary.findingList.length, 2);
  writeBaseline(path.join(ws.dir, '.persona-review/baseline.json'), createBaseline(summary.findingList, { personas: ['sre'] }));
  await ws.lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { baseline: '.persona-review/baseline.json' } } });
  const second = await review(ws);
  assert.equal(second.summary.findingList.length, 0, 'both findings are in the baseline');
  assert.ok(second.summary.notices.some((n) => /Baseline \.persona-review\/baseline\.json: 2 baselined finding\(s\) still exist \(not reported\), 0 fixed since the baseline, 0 new/.test(n)), `the notice (got ${second.summary.notices.join(' | ')})`);
  // Fix one: the other is still baselined, one is counted as fixed.
  const fixed = PRICES.replace('await fetch(url);\n  return response', 'await fetch(url, { signal: AbortSignal.timeout(5000) });\n  return response');
  writeFileSync(path.join(ws.dir, 'prices.js'), fixed);
  await ws.lsp.change(ws.uri, 2, [{ text: fixed }]);
  const third = await review(ws);
  assert.ok(third.summary.notices.some((n) => /1 baselined finding\(s\) still exist \(not reported\), 1 fixed since the baseline/.test(n)), `the notice after a fix (got ${third.summary.notices.join(' | ')})`);
  await ws.lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { personaReview: { baseline: 'missing.json' } } });
  const fourth = await review(ws);
  assert.equal(fourth.summary.findingList.length, 1, 'a missing baseline reports every finding');
  assert.ok(fourth.summary.notices.some((n) => /baseline \(setting personaReview\.baseline\) was not used.*no baseline at/.test(n)), `says why (got ${fourth.summary.notices.join(' | ')})`);
});
