/**
 * The CLI's team features as users run them (dist/cli.js in a child process): `workflow list|run|show`
 * with its exit codes, `review --persona auto`, and the cost estimate and budget against the fake
 * Messages API.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleCli, removeCliBundle, runCli } from '../support/cliBundle';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';
import { FIXED, VULNERABLE } from '../support/sqlFixture';

let cli: string;

function run(args: string[], cwd: string, env: Record<string, string> = {}): ReturnType<typeof runCli> {
  return runCli(cli, args, cwd, env);
}

let ws: string;
let fake: FakeAnthropic;
before(async () => {
  cli = await bundleCli('e2e-workflow-cli');
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-wfcli-'));
  fake = await startFakeAnthropic({ simulateCache: true });
});
after(async () => {
  await fake.close();
  fs.rmSync(ws, { recursive: true, force: true });
  removeCliBundle(cli);
});

function workspace(name: string): string {
  const dir = path.join(ws, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'app.js'), VULNERABLE);
  return dir;
}

test('workflow list shows the built-ins; a bad workspace file is reported by file and field, exit 2, the rest still listed', async () => {
  const dir = workspace('list');
  const ok = await run(['workflow', 'list'], dir);
  assert.equal(ok.code, 0, ok.stderr);
  for (const id of ['pre-merge', 'production-readiness', 'security-audit', 'design-review']) assert.match(ok.stdout, new RegExp(`^${id} `, 'm'));
  fs.mkdirSync(path.join(dir, '.personas/workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.personas/workflows/ours.yaml'), 'name: Ours\nphases:\n  - id: one\n    personas: [sre]\n    gates:\n      - id: x\n        maxFindings: -1\n');
  const bad = await run(['workflow', 'list'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\.personas\/workflows\/ours\.yaml: phases\[0\]\.gates\[0\]\.maxFindings: /);
  assert.match(bad.stdout, /^pre-merge /m);
});

test('workflow run: exit 1 at a failed gate, 0 after the fix on resume, and show exports the log', async () => {
  const dir = workspace('run');
  const failed = await run(['workflow', 'run', 'pre-merge', 'app.js'], dir);
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stdout, /\*\*Status:\*\* failed/);
  assert.match(failed.stderr, /FAIL {2}no-critical-or-high: 1 matching finding/);
  const runId = /--resume (pre-merge-[a-z0-9-]+)/.exec(failed.stderr)?.[1];
  assert.ok(runId, failed.stderr);
  fs.writeFileSync(path.join(dir, 'app.js'), FIXED);
  const passed = await run(['workflow', 'run', 'pre-merge', '--resume', runId, '--as', 'reviewer-bot', '--format', 'json'], dir);
  assert.equal(passed.code, 0, passed.stderr);
  const log = JSON.parse(passed.stdout);
  assert.equal(log.status, 'passed');
  assert.equal(log.phases[0].attempts.length, 2);
  assert.equal(log.phases[0].attempts[1].by, 'reviewer-bot');
  const shown = await run(['workflow', 'show', runId], dir);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /# Workflow run: Pre-merge review/);
});

test('workflow run records an override and exits 0', async () => {
  const dir = workspace('override');
  const r = await run(['workflow', 'run', 'pre-merge', 'app.js', '--override', 'no-critical-or-high=known issue, ticket SEC-12', '-f', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.equal(log.status, 'passed-with-overrides');
  assert.equal(log.phases[0].attempts[0].overrides[0].reason, 'known issue, ticket SEC-12');
});

test('workflow run exits 2 on bad input', async () => {
  const dir = workspace('bad');
  const cases: Array<[string[], RegExp]> = [
    [['workflow', 'run', 'no-such-flow', 'app.js'], /unknown workflow "no-such-flow"/],
    [['workflow', 'run', 'pre-merge', 'app.js', '--override', 'no-reason'], /--override expects <gate>=<reason>/],
    [['workflow', 'run', 'pre-merge', 'app.js', '--format', 'xml'], /--format must be md or json/],
    [['workflow', 'run', 'pre-merge', 'app.js', '--offline-depth', 'deep'], /--offline-depth must be precise or thorough, got "deep"/],
    [['workflow', 'run', 'pre-merge'], /name the files or folders/],
    [['workflow', 'run', 'pre-merge', 'missing.js'], /missing\.js/],
    [['workflow', 'run', 'pre-merge', '--resume', 'pre-merge-nope', 'app.js'], /no run log/],
    [['workflow', 'frobnicate'], /unknown workflow command/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('review --persona auto prints the proposed personas and why on stderr, then runs them', async () => {
  const dir = workspace('auto');
  const r = await run(['review', '--persona', 'auto', 'app.js', '-f', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /--persona auto proposes/);
  assert.match(r.stderr, /security +Security Engineer: .*1 SQL query built in app\.js/);
  assert.match(r.stderr, /sre +Site Reliability Engineer: .*server or listener/);
  const report = JSON.parse(r.stdout);
  assert.ok(report.personas.some((p: { id: string }) => p.id === 'security'));
  assert.ok(report.personas.some((p: { id: string }) => p.id === 'reviewer'));
});

test('review with Claude shows the cost estimate, needs --yes above --budget, and reports cache writes and reads', async () => {
  const dir = workspace('budget');
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-' + 'b'.repeat(24), ANTHROPIC_BASE_URL: fake.url };
  const refused = await run(['review', '-p', 'security,sre', '--budget', '0', 'app.js'], dir, env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /estimated cost before running/);
  assert.match(refused.stderr, /Security Engineer +~[\d,]+ input tokens/);
  assert.match(refused.stderr, /above the budget of \$0\.0000: add --yes/);
  assert.equal(fake.requests.length, 0, 'nothing was sent');

  fake.script({ reply: '### Overall Assessment: fine\n' }, { reply: '### Overall Assessment: fine too\n' });
  const ok = await run(['review', '-p', 'security,sre', '--budget', '0', '--yes', 'app.js', '--model', 'claude-sonnet-4-6'], dir, env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /usage: [\d,]+ input, [1-9][\d,]* cache writes, [1-9][\d,]* cache reads, [\d,]+ output tokens; cost ~\$/);
  assert.match(ok.stdout, /Prompt cache: [1-9][\d,]* tokens written, [1-9][\d,]* read/);
});
