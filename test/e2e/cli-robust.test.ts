/**
 * The CLI's honest exit codes, time limits and roots, as users run it (dist/cli.js in a child process,
 * Claude through the fake Messages API): an incomplete review (Ctrl+C mid-stream, a cut stream, a failed
 * persona) exits 3 with `complete: false` in JSON and SARIF, whatever --fail-on says; retries are announced
 * on stderr; any path can be reviewed from anywhere, with the root being its git top level, its common
 * folder or --root; the JSON report names the model used.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!extra.ANTHROPIC_API_KEY) delete e.ANTHROPIC_API_KEY;
  if (!extra.ANTHROPIC_BASE_URL) delete e.ANTHROPIC_BASE_URL;
  return e;
}

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: opts.cwd ?? repo, env: env(opts.env), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let fake: FakeAnthropic;
let dir: string;
before(async () => {
  fake = await startFakeAnthropic();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-robust-'));
});
after(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const APP = 'const { exec } = require("child_process");\nfunction run(req) {\n  exec("ls " + req.query.dir);\n}\nmodule.exports = { run };\n';
const QUOTE = 'exec("ls " + req.query.dir);';
const finding = (file: string, severity = 'critical') =>
  '```finding\n' + JSON.stringify({ file, line: 3, quote: QUOTE, severity, category: 'command-injection', title: 'Shell command from input' }) + '\n```\n';

/** A git repository outside the current folder with one file, `src/app.js`. */
function gitRepo(name: string): string {
  const root = path.join(dir, name);
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/app.js'), APP);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  return root;
}

const claude = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test-robust', ANTHROPIC_BASE_URL: fake.url });

test('Ctrl+C mid-stream: the report keeps what arrived, says complete: false, and the exit code is 3 even with --fail-on', { timeout: 60_000 }, async () => {
  const root = gitRepo('sigint');
  fake.requests.length = 0;
  // The finding streams at once; then a long, slow tail that Ctrl+C interrupts.
  fake.script({ reply: finding('src/app.js') + 'And more to say. '.repeat(400), chunkSize: 40, delayMs: 40 });
  const child = spawn(process.execPath, [cli, 'review', '-p', 'security', '--fail-on', 'critical', '--format', 'json', path.join(root, 'src/app.js')], { cwd: repo, env: env(claude()) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 600)); // the finding block is out; the tail is still streaming
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 3, stderr);
  assert.match(stderr, /cancelling/);
  assert.match(stderr, /INCOMPLETE review, exit code 3: missing security \(cancelled, partly\)/);
  const report = JSON.parse(stdout);
  assert.equal(report.complete, false);
  assert.deepEqual(report.missing.map((m: { personaId: string; reason: string }) => [m.personaId, m.reason]), [['security', 'cancelled']]);
  assert.equal(report.findings.length, 1, 'the finding that arrived before Ctrl+C is in the report');
  assert.equal(report.findings[0].file, 'src/app.js');
});

test('a cut stream and a failed persona exit 3; SARIF says executionSuccessful: false; --fail-on never makes it a pass', { timeout: 60_000 }, async () => {
  const root = gitRepo('cut');
  const target = path.join(root, 'src/app.js');
  const full = finding('src/app.js', 'low') + 'More text that never arrives because the connection is cut.';
  fake.script({ cutAfterChars: full.length - 10, reply: full });
  const cut = await run(['review', '-p', 'security', '--fail-on', 'critical', '--format', 'sarif', target], { env: claude() });
  assert.equal(cut.code, 3, 'a low finding and --fail-on critical would have been a pass; the cut makes it 3');
  const sarif = JSON.parse(cut.stdout);
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.equal(sarif.runs[0].properties.complete, false);
  assert.equal(sarif.runs[0].properties.missing[0].reason, 'stream-cut');
  assert.equal(sarif.runs[0].results.length, 1);

  // Two personas; one fails on every attempt (500), the other completes.
  fake.script({ reply: 'Nothing to report.' }, { status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 });
  const failed = await run(['review', '-p', 'security,sre', '--concurrency', '1', '--format', 'json', target], { env: claude() });
  assert.equal(failed.code, 3, failed.stderr);
  const report = JSON.parse(failed.stdout);
  assert.equal(report.complete, false);
  assert.deepEqual(report.missing.map((m: { personaId: string; reason: string; partial: boolean }) => [m.personaId, m.reason, m.partial]), [['sre', 'failed', false]]);
  assert.match(failed.stderr, /Anthropic answered 500; retrying in 1 ms \(retry 1 of 2\)/, 'retries are announced on stderr');
});

test('a rejected key for every persona is exit 2 (a usage problem), not 3', { timeout: 60_000 }, async () => {
  const root = gitRepo('auth');
  fake.script({ status: 401 });
  const r = await run(['review', '-p', 'security', path.join(root, 'src/app.js')], { env: claude() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /rejected the API key/);
});

test('a rate limit asking for an hour is capped by --max-retry-wait and announced; the review then completes with exit 0', { timeout: 60_000 }, async () => {
  const root = gitRepo('ratelimit');
  fake.script({ status: 429, retryAfter: 3600 }, { reply: 'Nothing to report.' });
  const r = await run(['review', '-p', 'security', '--max-retry-wait', '0.05', '--format', 'json', path.join(root, 'src/app.js')], { env: claude() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /rate limited \(429\); the API asked to wait 3600 s; retrying in 50 ms \(retry 1 of 2\)/);
  assert.equal(JSON.parse(r.stdout).complete, true);
});

test('response headers that never come: --headers-timeout retries, then exit 3 with a clear message', { timeout: 60_000 }, async () => {
  const root = gitRepo('hang');
  fake.script({ stallMs: 30_000 }, { stallMs: 30_000 }, { stallMs: 30_000 });
  const r = await run(['review', '-p', 'security', '--headers-timeout', '0.3', path.join(root, 'src/app.js')], { env: claude() });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /no response headers within 300 ms; retrying in/);
  assert.match(r.stderr, /No response headers from the Anthropic API within 300 ms, 3 attempts/);
});

test('any path from anywhere: the root is the git top level of the paths, their common folder, or --root', { timeout: 60_000 }, async () => {
  const root = gitRepo('anypath');
  // From this repository, a file in another repository: root = that repository's top level.
  const inGit = await run(['review', '-q', '-p', 'security', '--format', 'json', path.join(root, 'src/app.js')]);
  assert.equal(inGit.code, 0, inGit.stderr);
  const a = JSON.parse(inGit.stdout);
  assert.deepEqual(a.findings.map((f: { file: string }) => f.file), ['src/app.js']);
  assert.equal(a.model, null, 'offline: no model');

  // Two folders outside any git repository: their common folder.
  const plain = path.join(dir, 'plain');
  for (const sub of ['one', 'two']) {
    fs.mkdirSync(path.join(plain, sub), { recursive: true });
    fs.writeFileSync(path.join(plain, sub, 'app.js'), APP);
  }
  const common = await run(['review', '-p', 'security', '--format', 'json', path.join(plain, 'one'), path.join(plain, 'two/app.js')]);
  assert.equal(common.code, 0, common.stderr);
  assert.deepEqual(JSON.parse(common.stdout).findings.map((f: { file: string }) => f.file).sort(), ['one/app.js', 'two/app.js']);
  assert.match(common.stderr, /root .*plain \(common folder of the paths\)/);
  // Outside git, from a folder that holds the paths: that folder stays the root.
  const here = await run(['review', '-q', '-p', 'security', '--format', 'json', 'one'], { cwd: plain });
  assert.deepEqual(JSON.parse(here.stdout).findings.map((f: { file: string }) => f.file), ['one/app.js']);

  // --root overrides; a path outside it is a usage error.
  const explicit = await run(['review', '-q', '-p', 'security', '--format', 'json', '--root', plain, path.join(plain, 'one/app.js')], { cwd: os.tmpdir() });
  assert.deepEqual(JSON.parse(explicit.stdout).findings.map((f: { file: string }) => f.file), ['one/app.js']);
  const outside = await run(['review', '-q', '-p', 'security', '--root', path.join(plain, 'one'), path.join(plain, 'two/app.js')]);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /outside/);
  const noRoot = await run(['review', '-q', '--root', path.join(dir, 'nope'), path.join(plain, 'one')]);
  assert.equal(noRoot.code, 2);
  assert.match(noRoot.stderr, /--root .*nope: not a folder/);
});

test('the JSON report names the model actually used: the default, or --model', { timeout: 60_000 }, async () => {
  const root = gitRepo('model');
  fake.script({ reply: 'Nothing.' }, { reply: 'Nothing.' });
  const byDefault = JSON.parse((await run(['review', '-p', 'security', '--format', 'json', path.join(root, 'src/app.js')], { env: claude() })).stdout);
  assert.equal(byDefault.model, 'claude-sonnet-4-6');
  const chosen = JSON.parse((await run(['review', '-p', 'security', '--model', 'claude-opus-4-1', '--yes', '--format', 'json', path.join(root, 'src/app.js')], { env: claude() })).stdout);
  assert.equal(chosen.model, 'claude-opus-4-1');
  assert.equal(fake.requests[fake.requests.length - 1]!.body.model, 'claude-opus-4-1');
});
