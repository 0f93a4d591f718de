/**
 * The `persona-review` CLI as users run it: the built bundle (dist/cli.js) in a child process, on real
 * third-party code under node_modules, on fixtures, on a temporary git repository, and against the fake
 * Anthropic Messages API through ANTHROPIC_BASE_URL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';
import { validateSarif } from '../support/sarifSchema';
import { complexPlanJs } from '../support/complexSample';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; the environment has no API key unless `env` gives one. */
function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env?.ANTHROPIC_API_KEY) delete env.ANTHROPIC_API_KEY;
  if (!opts.env?.ANTHROPIC_BASE_URL) delete env.ANTHROPIC_BASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: opts.cwd ?? repo, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

before(() => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo });
});

test("the README's main job: real third-party code under node_modules, offline, findings from three or more personas", async () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const main = /npm ci && npm run review -- (.+)/.exec(readme);
  assert.ok(main, 'README names the main-job command');
  const r = await run(['review', ...main[1]!.trim().split(/\s+/), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /no ANTHROPIC_API_KEY set: using the offline provider/);
  const report = JSON.parse(r.stdout);
  assert.ok(report.summary.filesReviewed >= 1);
  assert.ok(report.findings.length > 0, 'expected findings on real code');
  const personas = new Set(report.findings.flatMap((f: { personaIds: string[] }) => f.personaIds));
  assert.ok(personas.size >= 3, `findings from three or more personas, got ${[...personas].join(',')}`);
  for (const f of report.findings) {
    const lines = fs.readFileSync(path.join(repo, f.file), 'utf8').split('\n');
    const at = lines.slice(f.range.startLine - 1, f.range.endLine).join('\n');
    assert.ok(at.includes(f.quote.split('\n')[0]), `${f.id} quote is at its range in ${f.file}:${f.range.startLine}`);
  }
});

test('SARIF output validates against the SARIF 2.1.0 schema', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-sarif-')), 'review.sarif');
  const r = await run(['review', '-p', 'security,sre,performance', '--format', 'sarif', '--out', out, 'test/fixtures/app']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(validateSarif(log), []);
  const results = log.runs[0].results;
  assert.ok(results.length >= 3);
  for (const res of results) assert.match(res.partialFingerprints['personaReview/v1'], /^[0-9a-f]{32}$/);
  assert.equal(log.runs[0].tool.driver.version, JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
});

test('markdown report names personas, locations and code; same input gives the same report', async () => {
  const a = await run(['review', '-q', '-p', 'security,sre', 'test/fixtures/app']);
  const b = await run(['review', '-q', '-p', 'security,sre', 'test/fixtures/app']);
  assert.equal(a.code, 0);
  assert.match(a.stdout, /test\/fixtures\/app\/server\.js:\d+/);
  assert.match(a.stdout, /Security Engineer/);
  assert.match(a.stdout, /SQL injection/i);
  const strip = (s: string) => s.replace(/\d+ ms|\d+(\.\d+)? s\b/g, 'T');
  assert.equal(strip(a.stdout), strip(b.stdout), 'offline provider is deterministic');
});

test('exit codes: 1 at or above --fail-on, 0 below it, 2 for bad usage or input', async () => {
  assert.equal((await run(['review', '-q', '-p', 'security', '--fail-on', 'critical', 'test/fixtures/app'])).code, 1);
  assert.equal((await run(['review', '-q', '-p', 'security', '--fail-on', 'critical', 'test/fixtures/app/db.js'])).code, 0);
  const unknown = await run(['review', '-p', 'wizard', 'test/fixtures/app']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown persona\(s\): wizard/);
  const missing = await run(['review', 'no/such/dir']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/dir/);
  const noKey = await run(['review', '--provider', 'anthropic', 'test/fixtures/app']);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /ANTHROPIC_API_KEY/);
  assert.equal((await run(['review', '--format', 'xml', 'test/fixtures/app'])).code, 2);
  assert.equal((await run(['review', '--fail-on', 'severe', 'test/fixtures/app'])).code, 2);
});

test('personas lists the whole catalog', async () => {
  const r = await run(['personas', '--json']);
  assert.equal(r.code, 0);
  const ids = JSON.parse(r.stdout).map((p: { id: string }) => p.id).sort();
  assert.deepEqual(ids, ['architect', 'concurrency', 'data', 'devops', 'documentation', 'engineer', 'ml', 'performance', 'qa', 'reviewer', 'security', 'specification', 'sre', 'workflow-executor']);
});

test('--diff reports only findings on changed lines', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-diff-'));
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir });
  git('init', '-q', '-b', 'main');
  const old = 'const { exec } = require("child_process");\nfunction a(req) {\n  exec("ls " + req.query.dir);\n}\nmodule.exports = { a };\n';
  fs.writeFileSync(path.join(dir, 'app.js'), old);
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  fs.writeFileSync(path.join(dir, 'app.js'), old + 'function b(req) {\n  return eval(req.body.code);\n}\nmodule.exports.b = b;\n');
  const r = await run(['review', '-q', '-p', 'security', '--diff', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const lines = report.findings.map((f: { range: { startLine: number } }) => f.range.startLine);
  assert.ok(lines.includes(7), `eval on the added line 7 is reported (got ${lines})`);
  assert.ok(!lines.includes(3), 'the unchanged exec on line 3 is not reported');
  const full = JSON.parse((await run(['review', '-q', '-p', 'security', '--format', 'json', '.'], { cwd: dir })).stdout);
  assert.ok(full.findings.some((f: { range: { startLine: number } }) => f.range.startLine === 3), 'a full review does report line 3');
});

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
});

const FIXTURE_QUOTE = 'const rows = await db.query(sql);';
const reply = (quote: string) => `## Security Review: server.js\n\nThe users route builds SQL from input.\n\n\`\`\`finding\n${JSON.stringify({
  file: 'test/fixtures/app/server.js',
  line: 3,
  quote,
  severity: 'critical',
  category: 'sql-injection',
  title: 'SQL built from req.query',
  message: 'Use bind parameters.',
  references: ['CWE-89'],
})}\n\`\`\`\n`;

test('with a key, the CLI reviews through Claude (fake Messages API) and never sends the secret', async () => {
  fake.requests.length = 0;
  fake.script({ reply: reply(FIXTURE_QUOTE) });
  const r = await run(['review', '-p', 'security', '--format', 'json', 'test/fixtures/app/server.js'], {
    env: { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: fake.url },
  });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.provider, 'anthropic');
  assert.equal(report.findings.length, 1);
  assert.equal(report.findings[0].range.startLine, 10, 'anchored on the quote, not the reported line 3');
  assert.equal(fake.requests.length, 1);
  const body = JSON.stringify(fake.requests[0]!.body);
  assert.ok(body.includes('db.query(sql)'), 'the code was sent');
  assert.ok(!body.includes('hunter2-prod-password'), 'the hard-coded password was redacted before sending');
  assert.ok(!r.stderr.includes('sk-ant-test-key') && !r.stdout.includes('sk-ant-test-key'), 'the key is never printed');
});

test('a malformed or cut reply keeps the valid findings and says what was dropped', async () => {
  fake.script({ reply: reply(FIXTURE_QUOTE) + '\n```finding\n{"file": "x", not json}\n```\n' + reply('this code is not in the file') });
  const r = await run(['review', '-p', 'security', 'test/fixtures/app/server.js'], { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SQL built from req\.query/);
  assert.match(r.stderr, /2 dropped/);
  assert.match(r.stdout, /2 proposed findings were dropped: 1 not a valid finding, 1 quote not found in the file/);
  assert.equal(r.stdout.match(/dropped/gi)?.length, 1, 'the drop notice is printed once');

  const full = reply(FIXTURE_QUOTE) + 'More text that never arrives because the connection is cut here and there.';
  fake.script({ cutAfterChars: full.length - 20, reply: full });
  const cut = await run(['review', '-p', 'security', 'test/fixtures/app/server.js'], { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url } });
  assert.match(cut.stdout, /SQL built from req\.query/, 'the finding that streamed before the cut is kept');
  assert.match(cut.stderr, /kept what arrived/);
});

test('--offline-depth: the default (precise) leaves size/complexity measures out and says how to get them; thorough reports them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-depth-'));
  fs.writeFileSync(path.join(dir, 'plan.js'), complexPlanJs());
  const precise = await run(['review', '-q', '-p', 'engineer', '-f', 'json', dir]);
  assert.equal(precise.code, 0, precise.stderr);
  const a = JSON.parse(precise.stdout);
  assert.deepEqual(a.findings, [], 'no complexity finding at the default depth');
  assert.match(JSON.stringify(a), /--offline-depth thorough/, 'the review says how to run the measures');
  const thorough = await run(['review', '-q', '-p', 'engineer', '-f', 'json', '--offline-depth', 'thorough', dir]);
  assert.equal(thorough.code, 0, thorough.stderr);
  assert.ok(JSON.parse(thorough.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'quality/complex-function'), 'thorough reports the complex function');
  const bad = await run(['review', '--offline-depth', 'deep', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--offline-depth must be precise or thorough, got "deep"/);
  const withModel = await run(['review', '--provider', 'anthropic', '--offline-depth', 'thorough', dir], { env: { ANTHROPIC_API_KEY: 'sk-ant-test-not-real' } });
  assert.equal(withModel.code, 2);
  assert.match(withModel.stderr, /--offline-depth applies to the offline provider only/);
});
