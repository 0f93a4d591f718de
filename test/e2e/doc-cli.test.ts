/**
 * `persona-review doc`: the persona commands' offline documents from the CLI (the built bundle in a child
 * process), the same documents `@sre /readiness` and its siblings write in VS Code Chat.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: repo, env }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

before(() => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo });
});

const SERVER = 'test/fixtures/app/server.js';

test('doc readiness: the five-section checklist, with the missing timeouts as a blocker at their lines', async () => {
  const r = await run(['doc', 'readiness', SERVER]);
  assert.equal(r.code, 0, r.stderr);
  for (const s of ['## Production Readiness Review', '### Deployment', '### Reliability', '### Observability', '### Operations', '### Scalability']) assert.ok(r.stdout.includes(s), `has ${s}`);
  assert.match(r.stdout, /❌ Timeouts on every outgoing call \(BLOCKER\) — calls without a timeout at `test\/fixtures\/app\/server\.js:\d+`/);
  assert.match(r.stdout, /to verify: Rollback/);
  assert.match(r.stderr, /Site Reliability Engineer reviews 1 file\(s\) offline/);
});

test('doc slo, incident and report: their own shapes; -o writes the file', async () => {
  const slo = await run(['doc', 'slo', SERVER]);
  assert.equal(slo.code, 0, slo.stderr);
  assert.match(slo.stdout, /## SLIs, SLOs and error budget/);
  assert.match(slo.stdout, /43\.2 min of full outage/, 'the 30-day error budget of 99.9%');
  const incident = await run(['doc', 'incident', SERVER]);
  assert.match(incident.stdout, /### Triage \(first 15 minutes\)/);
  assert.match(incident.stdout, /### Postmortem \(blameless\)/);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-doc-')), 'report.md');
  const report = await run(['doc', 'report', SERVER, '-o', out, '-q']);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(report.stdout, '', 'nothing on stdout with -o');
  assert.match(fs.readFileSync(out, 'utf8'), /^# SRE Report - Week of \d{4}-\d{2}-\d{2}/);
});

test('doc: an unknown document, no paths, or an unknown persona exit 2 with what to do', async () => {
  const unknown = await run(['doc', 'roadmap', SERVER]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown document "roadmap"; expected one of readiness, slo, incident, report/);
  const none = await run(['doc', 'readiness']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /name at least one file or folder/);
  const persona = await run(['doc', 'readiness', '--persona', 'wizard', SERVER]);
  assert.equal(persona.code, 2);
  assert.match(persona.stderr, /unknown persona "wizard"/);
  const depth = await run(['doc', 'readiness', '--offline-depth', 'deep', SERVER]);
  assert.equal(depth.code, 2);
  assert.match(depth.stderr, /--offline-depth must be precise or thorough, got "deep"/);
  const help = await run(['doc', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: persona-review doc <document>/);
});
