/**
 * Suppressions and baselines with Claude (the real SDK against the fake Messages API), through the built
 * CLI: the engine drops a suppressed finding after anchoring, so --fail-on passes and SARIF keeps it; but
 * neither a baseline nor a suppression ever turns an incomplete review into a pass (exit 3), and
 * `baseline` writes nothing from an incomplete review.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleCli, removeCliBundle, runCli } from '../support/cliBundle';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

let fake: FakeAnthropic;
let cli: string;
let dir: string;
before(async () => {
  fake = await startFakeAnthropic();
  cli = await bundleCli('team-incomplete');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-team-incomplete-'));
});
after(async () => {
  await fake.close();
  removeCliBundle(cli);
  fs.rmSync(dir, { recursive: true, force: true });
});

const APP = ['const { exec } = require("child_process");', 'function run(req) {', '  exec("ls " + req.query.dir);', '}', 'module.exports = { run };', ''].join('\n');
const QUOTE = 'exec("ls " + req.query.dir);';
const finding = '```finding\n' + JSON.stringify({ file: 'app.js', line: 3, quote: QUOTE, severity: 'critical', category: 'command-injection', title: 'Shell command from input' }) + '\n```\n';
const claude = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test-team', ANTHROPIC_BASE_URL: fake.url });

function repo(name: string, text = APP): string {
  const root = path.join(dir, name);
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'app.js'), text);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  return root;
}

test('Claude: an inline suppression with a reason drops the finding after anchoring; --fail-on passes and SARIF keeps it', { timeout: 60_000 }, async () => {
  const root = repo('suppressed', APP.replace('  exec(', '  // persona-review-ignore command-injection -- dir is one of three constants\n  exec('));
  // The model reports the line it saw (4) with the quote; anchoring places it, then the comment above suppresses it.
  fake.script({ reply: finding.replace('"line":3', '"line":4') });
  const r = await runCli(cli, ['review', '-p', 'security', '--fail-on', 'high', '--no-ledger', '-f', 'sarif', 'app.js'], root, claude());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 finding\(s\) suppressed and not reported/);
  const results = JSON.parse(r.stdout).runs[0].results as Array<{ suppressions?: Array<{ kind: string; justification: string }>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
  assert.equal(results.length, 1);
  assert.deepEqual(results[0]!.suppressions!.map((s) => [s.kind, s.justification]), [['inSource', 'dir is one of three constants']]);
  assert.equal(results[0]!.locations[0]!.physicalLocation.region.startLine, 4);
});

test('an incomplete review exits 3 even when every finding is baselined; baseline writes nothing from an incomplete review', { timeout: 60_000 }, async () => {
  const root = repo('baselined');
  fake.script({ reply: finding });
  const base = await runCli(cli, ['baseline', '-p', 'security', '--no-ledger', '.'], root, claude());
  assert.equal(base.code, 0, base.stderr);
  const file = path.join(root, '.persona-review/baseline.json');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).findings.length, 1);

  // Complete and baselined: a pass.
  fake.script({ reply: finding });
  const pass = await runCli(cli, ['review', '-p', 'security', '--baseline', file, '--fail-on', 'high', '--no-ledger', '-f', 'json', '.'], root, claude());
  assert.equal(pass.code, 0, pass.stderr);
  assert.equal(JSON.parse(pass.stdout).summary.total, 0);

  // The stream is cut after the (baselined) finding: nothing new is reported, but the review is incomplete.
  const cutReply = finding + 'More text that never arrives because the connection is cut.';
  fake.script({ reply: cutReply, cutAfterChars: cutReply.length - 10 });
  const cut = await runCli(cli, ['review', '-p', 'security', '--baseline', file, '--fail-on', 'high', '--no-ledger', '-f', 'json', '.'], root, claude());
  assert.equal(cut.code, 3, cut.stderr);
  const report = JSON.parse(cut.stdout);
  assert.equal(report.complete, false);
  assert.equal(report.summary.total, 0);
  assert.equal(report.summary.baseline.unchanged, 1);

  // `baseline` from a cut review: exit 3 and the committed baseline is left as it was.
  const before = fs.readFileSync(file, 'utf8');
  fake.script({ reply: cutReply, cutAfterChars: cutReply.length - 10 });
  const again = await runCli(cli, ['baseline', '-p', 'security', '--no-ledger', '.'], root, claude());
  assert.equal(again.code, 3, again.stderr);
  assert.match(again.stderr, /INCOMPLETE review, exit code 3: missing security \(stream-cut, partly\)\. No baseline was written/);
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});
