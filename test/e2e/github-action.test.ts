/**
 * The GitHub Action (action.yml at the repository root): validated with @action-validator/cli (so is the
 * workflow file the README shows), and its shell steps run, in order, in a simulated GitHub Actions
 * environment: the GITHUB_* variables, a pull request checked out shallowly from a local "origin" with
 * a base and a head commit, step output files and a job summary file. Steps that `uses:` another action
 * (actions/setup-node, github/codeql-action/upload-sarif) cannot run here: the test checks that their
 * condition holds and what they would be given. Expressions (`${{ ... }}`) are evaluated by a small
 * evaluator that knows only the forms the action uses and fails on any other, so a new expression in
 * action.yml cannot pass untested.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Log } from 'sarif';
import { parse as parseYaml } from 'yaml';
import { bundleCli, removeCliBundle } from '../support/cliBundle';
import { validateSarif } from '../support/sarifSchema';

const repo = path.resolve(__dirname, '../..');
const validator = path.join(repo, 'node_modules/.bin/action-validator');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

let cli: string;
let dir: string;
let actionDir: string;
before(async () => {
  cli = await bundleCli('github-action');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-action-'));
  // The action's own folder ($GITHUB_ACTION_PATH) as the runner checks it out, with dist/cli.js already
  // built (the install step then only prints the version). It sits under the repository so the bundle
  // finds personas/ and the grammars in node_modules/ as dist/cli.js does.
  actionDir = path.join(repo, '.tmp', `action-${process.pid}`);
  fs.mkdirSync(path.join(actionDir, 'dist'), { recursive: true });
  fs.copyFileSync(cli, path.join(actionDir, 'dist/cli.js'));
  fs.copyFileSync(path.join(repo, 'action.yml'), path.join(actionDir, 'action.yml'));
});
after(() => {
  removeCliBundle(cli);
  fs.rmSync(actionDir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

function validate(file: string): { code: number; out: string } {
  const r = spawnSync(validator, [file], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

test('action.yml and the README workflow validate with action-validator; a broken action does not', () => {
  const action = validate(path.join(repo, 'action.yml'));
  assert.equal(action.code, 0, action.out);

  // The complete workflow file the README shows, as a user would save it.
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const m = /```yaml\n(# \.github\/workflows\/persona-review\.yml\n[\s\S]*?)```/.exec(readme);
  assert.ok(m, 'the README shows .github/workflows/persona-review.yml');
  const wf = path.join(dir, 'wf', '.github/workflows/persona-review.yml');
  fs.mkdirSync(path.dirname(wf), { recursive: true });
  fs.writeFileSync(wf, m[1]!);
  const workflow = validate(wf);
  assert.equal(workflow.code, 0, workflow.out);
  const parsed = parseYaml(m[1]!) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  assert.equal(parsed.permissions['security-events'], 'write', 'code scanning upload needs security-events: write');
  const steps = Object.values(parsed.jobs)[0]!.steps;
  assert.equal(steps[0]!.uses?.split('@')[0], 'actions/checkout');
  assert.equal(String(steps[0]!.with?.['fetch-depth']), '0', 'the merge-base with the base branch needs history');
  assert.ok(steps.some((s) => s.with?.['anthropic-api-key'] === '${{ secrets.ANTHROPIC_API_KEY }}'), 'the key comes from a secret');

  // The validator is not a rubber stamp: a composite action without steps, or with an unknown key, fails.
  const broken = path.join(dir, 'broken-action.yml');
  fs.writeFileSync(broken, fs.readFileSync(path.join(repo, 'action.yml'), 'utf8').replace('using: composite', 'using: composite\n  entrypoint: nope.sh'));
  assert.equal(validate(broken).code, 1);
});

/** Evaluates the `${{ }}` expression forms action.yml uses; throws on anything else. */
function evaluate(expr: string, ctx: { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; github: Record<string, string> }): string | boolean {
  const tokens = expr.match(/'[^']*'|&&|\|\||==|!=|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*/g) ?? [];
  const rest = expr.replace(/'[^']*'|&&|\|\||==|!=|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*|\s+/g, '');
  if (rest) throw new Error(`expression not understood by this test: ${expr}`);
  let i = 0;
  const value = (): string | boolean => {
    const t = tokens[i++]!;
    if (t === 'always()') return true;
    if (t === 'success()') return true;
    if (t.startsWith("'")) return t.slice(1, -1);
    const [head, ...names] = t.split('.');
    if (head === 'inputs' && names.length === 1) return ctx.inputs[names[0]!] ?? '';
    if (head === 'github' && names.length === 1) return ctx.github[names[0]!] ?? '';
    if (head === 'steps' && names.length === 3 && names[1] === 'outputs') return ctx.steps[names[0]!]?.[names[2]!] ?? '';
    throw new Error(`expression not understood by this test: ${t} in ${expr}`);
  };
  const comparison = (): string | boolean => {
    const left = value();
    if (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const right = value();
      return op === '==' ? left === right : left !== right;
    }
    return left;
  };
  let result = comparison();
  while (i < tokens.length) {
    const op = tokens[i++];
    const right = comparison();
    if (op === '&&') result = Boolean(result) && Boolean(right);
    else if (op === '||') result = Boolean(result) || Boolean(right);
    else throw new Error(`expression not understood by this test: ${expr}`);
  }
  return result;
}

function substitute(text: string, ctx: Parameters<typeof evaluate>[1]): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx)));
}

/** Reads a GITHUB_OUTPUT file (`name=value` lines and `name<<DELIM` blocks). */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else {
      const eq = lines[i]!.indexOf('=');
      if (eq > 0) out[lines[i]!.slice(0, eq)] = lines[i]!.slice(eq + 1);
    }
  }
  return out;
}

interface ActionRun {
  /** The exit code of the job: the first failing step's, else 0. */
  code: number;
  outputs: Record<string, string>;
  summary: string;
  log: string;
  /** The `uses:` steps whose condition held, with their `with:` after substitution. */
  used: Array<{ uses: string; with: Record<string, string> }>;
}

/** Runs action.yml's steps as the runner would for one job, in `workspace`, with `env` as the GITHUB_* environment. */
function runAction(workspace: string, inputs: Record<string, string>, env: Record<string, string>): ActionRun {
  const action = parseYaml(fs.readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as ActionFile;
  assert.equal(action.runs.using, 'composite');
  const given: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) given[name] = inputs[name] ?? spec.default ?? '';
  for (const name of Object.keys(inputs)) assert.ok(name in action.inputs, `the action has an input "${name}"`);
  const runnerTemp = fs.mkdtempSync(path.join(dir, 'runner-temp-'));
  const summary = path.join(runnerTemp, 'step-summary.md');
  fs.writeFileSync(summary, '');
  const ctx = { inputs: given, steps: {} as Record<string, Record<string, string>>, github: { action_path: actionDir, workspace } };
  let failed = 0;
  let log = '';
  const used: ActionRun['used'] = [];
  for (const [n, step] of action.runs.steps.entries()) {
    const condition = step.if ? evaluate(step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, ''), ctx) : !failed;
    if (!condition) continue;
    if (step.uses) {
      used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)])) });
      continue;
    }
    assert.equal(step.shell, 'bash', `step ${step.name}: a shell step says its shell`);
    const output = path.join(runnerTemp, `output-${n}`);
    fs.writeFileSync(output, '');
    const script = path.join(runnerTemp, `step-${n}.sh`);
    fs.writeFileSync(script, substitute(step.run!, ctx));
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = substitute(String(v), ctx);
    const full: NodeJS.ProcessEnv = { ...process.env, ...env, GITHUB_ACTION_PATH: actionDir, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, CI: 'true', GITHUB_ACTIONS: 'true', ...stepEnv };
    // No key or endpoint of this machine reaches the steps; a step's own `env:` sets them (to '' when unset, as GitHub does).
    delete full.ANTHROPIC_BASE_URL;
    if (!('ANTHROPIC_API_KEY' in stepEnv)) delete full.ANTHROPIC_API_KEY;
    // GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
    const cwd = step['working-directory'] ? path.resolve(workspace, substitute(step['working-directory'], ctx)) : workspace;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env: full, encoding: 'utf8' });
    log += `## ${step.name}\n${r.stdout}${r.stderr}`;
    if (step.id) ctx.steps[step.id] = readOutputs(output);
    if (r.status !== 0 && !failed) failed = r.status ?? 1;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, substitute(v.value, ctx)]));
  return { code: failed, outputs, summary: fs.readFileSync(summary, 'utf8'), log, used };
}

const who = { GIT_AUTHOR_NAME: 'Dana Dev', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana Dev', GIT_COMMITTER_EMAIL: 'dana@example.com' };
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...who }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const APP = [
  "const express = require('express');",
  "const { exec } = require('child_process');",
  'const app = express();',
  '',
  "app.post('/convert', (req, res) => {",
  "  exec('convert ' + req.body.file + ' out.png', () => res.send('ok'));",
  '});',
  '',
  'module.exports = app;',
  '',
].join('\n');
const ORDERS = ["app.get('/orders', async (req, res) => {", '  res.json(await db.query("SELECT * FROM orders WHERE customer = " + req.query.customer));', '});', ''].join('\n');

test('the action run on a pull request: reviews only its changes against the base branch, fails on the new finding, leaves SARIF and the job summary; passes once it is suppressed', async () => {
  // origin: main with an old finding (baselined), then a pull request branch adding a SQL injection.
  const origin = path.join(dir, 'origin');
  fs.mkdirSync(origin);
  git(origin, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(origin, 'app.js'), APP);
  git(origin, 'add', '-A');
  git(origin, 'commit', '-qm', 'app');
  const baseline = spawnSync(process.execPath, [cli, 'baseline', '-p', 'security', '--provider', 'offline', '--no-ledger'], { cwd: origin, encoding: 'utf8' });
  assert.equal(baseline.status, 0, baseline.stderr);
  git(origin, 'add', '-A');
  git(origin, 'commit', '-qm', 'baseline');
  const baseSha = git(origin, 'rev-parse', 'HEAD');
  git(origin, 'checkout', '-q', '-b', 'orders');
  fs.writeFileSync(path.join(origin, 'app.js'), APP.replace('module.exports', `${ORDERS}module.exports`));
  git(origin, 'commit', '-qam', 'orders endpoint');
  const headSha = git(origin, 'rev-parse', 'HEAD');

  // actions/checkout of a pull request: a shallow clone of the head, no base branch ref.
  const workspace = path.join(dir, 'workspace');
  git(dir, 'clone', '-q', '--depth', '1', '--branch', 'orders', `file://${origin}`, workspace);
  assert.throws(() => git(workspace, 'rev-parse', '--verify', 'refs/remotes/origin/main'), 'the checkout has no base branch yet');
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ number: 7, pull_request: { number: 7, base: { ref: 'main', sha: baseSha }, head: { ref: 'orders', sha: headSha } } }));
  const env = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_BASE_REF: 'main',
    GITHUB_HEAD_REF: 'orders',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_SHA: headSha,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  const inputs = { personas: 'security', provider: 'offline', 'fail-on': 'high' };

  const first = runAction(workspace, inputs, env);
  assert.equal(first.code, 1, `the job fails on the new high finding\n${first.log}`);
  assert.equal(first.outputs['exit-code'], '1');
  assert.equal(first.outputs.findings, '1', first.log);
  assert.match(first.log, /## Install Persona Review\n\d+\.\d+\.\d+\n/, 'the install step ran and printed the version');
  assert.match(first.log, /--diff=origin\/main/, 'the base branch was fetched and used');
  const sarifFile = path.join(workspace, first.outputs['sarif-file']!);
  const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as Log;
  assert.deepEqual(validateSarif(log), []);
  const results = log.runs[0]!.results!;
  assert.deepEqual(results.map((r) => [r.ruleId, r.locations![0]!.physicalLocation!.region!.startLine, r.baselineState]), [['security/sql-injection', 10, 'new']], 'only the change is reviewed; the old finding is neither reported nor re-checked');
  assert.equal((log.runs[0]!.properties as { baseline?: { file: string } }).baseline?.file, '.persona-review/baseline.json', 'the committed baseline is used by default');
  assert.match(first.summary, /^\*\*Persona Review failed\*\*: findings at or above the fail-on severity\n\nChanges since `origin\/main`\./);
  assert.match(first.summary, /SQL injection from request input/);
  assert.match(first.summary, /`app\.js:10`/);
  assert.deepEqual(first.used.map((u) => u.uses.split('@')[0]), ['actions/setup-node', 'github/codeql-action/upload-sarif']);
  assert.deepEqual(first.used[1]!.with, { sarif_file: 'persona-review.sarif', category: 'persona-review' });
  assert.deepEqual(first.used[0]!.with, { 'node-version': '20' });

  // The author accepts the finding inline with a reason; the next push to the pull request passes.
  git(origin, 'checkout', '-q', 'orders');
  fs.writeFileSync(
    path.join(origin, 'app.js'),
    fs.readFileSync(path.join(origin, 'app.js'), 'utf8').replace('  res.json(await db.query', '  // persona-review-ignore sql-injection -- customer is a UUID checked by the router\n  res.json(await db.query'),
  );
  git(origin, 'commit', '-qam', 'accept');
  const workspace2 = path.join(dir, 'workspace2');
  git(dir, 'clone', '-q', '--depth', '1', '--branch', 'orders', `file://${origin}`, workspace2);
  const second = runAction(workspace2, { ...inputs, 'upload-sarif': 'false' }, { ...env, GITHUB_SHA: git(origin, 'rev-parse', 'HEAD') });
  assert.equal(second.code, 0, second.log);
  assert.equal(second.outputs['exit-code'], '0');
  assert.equal(second.outputs.findings, '0');
  assert.match(second.summary, /^\*\*Persona Review passed\*\*/);
  assert.match(second.summary, /## Suppressed \(1\)\n\n\*\*Added by this change \(1\), for the reviewer to accept or refuse:\*\*/, 'the summary shows the reviewer what the change accepted');
  assert.match(second.summary, /customer is a UUID checked by the router/);
  const log2 = JSON.parse(fs.readFileSync(path.join(workspace2, 'persona-review.sarif'), 'utf8')) as Log;
  assert.deepEqual(validateSarif(log2), []);
  assert.equal(log2.runs[0]!.results![0]!.suppressions![0]!.status, 'underReview', 'code scanning keeps the alert open for the reviewer');
  assert.deepEqual(second.used.map((u) => u.uses.split('@')[0]), ['actions/setup-node'], 'upload-sarif: false skips the upload');
});

test('the action on a push reviews the pushed commits (event.before), and an unusable input fails the job with exit code 2', () => {
  const workspace = path.join(dir, 'push');
  fs.mkdirSync(workspace);
  git(workspace, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(workspace, 'app.js'), APP);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'app');
  const before = git(workspace, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(workspace, 'money.js'), 'module.exports.cents = (amount) => Math.round(amount * 100);\n');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'money');
  const event = path.join(dir, 'push-event.json');
  fs.writeFileSync(event, JSON.stringify({ before, after: git(workspace, 'rev-parse', 'HEAD'), ref: 'refs/heads/main' }));
  const env = { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/shop' };

  // The push added money.js only: the old command injection in app.js is not reviewed again.
  const push = runAction(workspace, { personas: 'security', provider: 'offline' }, env);
  assert.equal(push.code, 0, push.log);
  assert.equal(push.outputs.findings, '0');
  assert.ok(push.log.includes(`--diff=${before}`), push.log);
  assert.match(push.summary, new RegExp(`Changes since \`${before}\``));

  const bad = runAction(workspace, { personas: 'security', provider: 'offline', 'fail-on': 'severe' }, env);
  assert.equal(bad.code, 2, bad.log);
  assert.match(bad.log, /--fail-on must be one of critical, high, medium, low, got "severe"/);
  assert.match(bad.summary, /^\*\*Persona Review could not run\*\* \(exit code 2\)/);
});
