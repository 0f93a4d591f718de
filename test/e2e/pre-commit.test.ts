/**
 * The pre-commit hook (.pre-commit-hooks.yaml, id persona-review) installed with Debian's `pre-commit`
 * into a temporary project: a commit that stages a command injection is blocked with the finding shown;
 * a suppression without a reason blocks it still (the finding stands and the bad suppression is
 * reported); with a reason it goes through; a commit of only a binary file passes.
 *
 * pre-commit clones the hook repository. Here that is a local git repository holding this repository's
 * .pre-commit-hooks.yaml and scripts/pre-commit-hook.sh as they are, with the CLI already built in dist/
 * (a fresh clone would run `npm ci`, which needs the npm registry and a minute): no network is used.
 * Needs the `pre-commit` command (apt-get install pre-commit); without it the tests are skipped and say so.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleCli, removeCliBundle } from '../support/cliBundle';

const repo = path.resolve(__dirname, '../..');
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const skip = preCommit.status === 0 ? false : 'the pre-commit command is not installed (apt-get install -y pre-commit)';

const who = { GIT_AUTHOR_NAME: 'Dana Dev', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana Dev', GIT_COMMITTER_EMAIL: 'dana@example.com' };
let dir: string;
let cli: string | undefined;
let env: NodeJS.ProcessEnv;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
/** `git commit` as a person runs it (the installed pre-commit hook runs first); never throws. */
function commit(cwd: string, message: string): { code: number; out: string } {
  const r = spawnSync('git', ['commit', '-m', message], { cwd, encoding: 'utf8', env });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-precommit-'));
  env = { ...process.env, ...who, PRE_COMMIT_HOME: path.join(dir, 'cache'), HOME: path.join(dir, 'home'), NO_COLOR: '1' };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  fs.mkdirSync(env.HOME!, { recursive: true });

  // The hook repository: this repository's hook files, the CLI built into dist/ with its WebAssembly
  // assets (as scripts/build.mjs lays them out) and the built-in personas.
  const hooks = path.join(dir, 'persona-review-hooks');
  fs.mkdirSync(path.join(hooks, 'scripts'), { recursive: true });
  fs.copyFileSync(path.join(repo, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
  fs.copyFileSync(path.join(repo, 'scripts/pre-commit-hook.sh'), path.join(hooks, 'scripts/pre-commit-hook.sh'));
  fs.chmodSync(path.join(hooks, 'scripts/pre-commit-hook.sh'), 0o755);
  cli = await bundleCli('pre-commit');
  fs.mkdirSync(path.join(hooks, 'dist/grammars'), { recursive: true });
  fs.copyFileSync(cli, path.join(hooks, 'dist/cli.js'));
  const wasmDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-javascript.wasm'));
  for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDir, f), path.join(hooks, 'dist/grammars', f));
  fs.copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(hooks, 'dist/web-tree-sitter.wasm'));
  fs.cpSync(path.join(repo, 'personas'), path.join(hooks, 'personas'), { recursive: true });
  git(hooks, 'init', '-q', '-b', 'main');
  git(hooks, 'add', '-A');
  git(hooks, 'commit', '-qm', 'hooks');
});
after(() => {
  if (cli) removeCliBundle(cli);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const APP = ["const { exec } = require('child_process');", '', 'function archive(req, res) {', "  exec('tar czf /tmp/out.tgz ' + req.query.dir, () => res.send('ok'));", '}', '', 'module.exports = { archive };', ''].join('\n');

test('pre-commit: a commit with a command injection is blocked; with an inline suppression and a reason it goes through', { skip }, () => {
  const hooks = path.join(dir, 'persona-review-hooks');
  const project = path.join(dir, 'shop');
  fs.mkdirSync(project);
  git(project, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(project, 'README.md'), '# shop\n');
  fs.writeFileSync(
    path.join(project, '.pre-commit-config.yaml'),
    ['repos:', `  - repo: ${hooks}`, `    rev: ${git(hooks, 'rev-parse', 'HEAD')}`, '    hooks:', '      - id: persona-review', '        verbose: true', ''].join('\n'),
  );
  git(project, 'add', '-A');
  git(project, 'commit', '-qm', 'start', '--no-verify');
  const install = spawnSync('pre-commit', ['install'], { cwd: project, encoding: 'utf8', env });
  assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);

  // A command injection is staged: the commit is refused and the finding shown.
  fs.writeFileSync(path.join(project, 'archive.js'), APP);
  git(project, 'add', 'archive.js');
  const blocked = commit(project, 'archive endpoint');
  assert.notEqual(blocked.code, 0, blocked.out);
  assert.match(blocked.out, /Persona Review \(staged changes, offline\)\.+Failed/);
  assert.match(blocked.out, /OS command injection from request input/);
  assert.match(blocked.out, /`archive\.js:4`/);
  assert.throws(() => git(project, 'rev-parse', '--verify', 'HEAD~1'), 'nothing was committed');

  // A suppression without a reason silences nothing, and is itself reported.
  fs.writeFileSync(path.join(project, 'archive.js'), APP.replace("  exec('tar", "  // persona-review-ignore security/command-injection\n  exec('tar"));
  git(project, 'add', 'archive.js');
  const noReason = commit(project, 'archive endpoint');
  assert.notEqual(noReason.code, 0, noReason.out);
  assert.match(noReason.out, /OS command injection from request input/);
  assert.match(noReason.out, /Suppression without a reason/i);

  // With a reason the commit goes through, and the log has it.
  fs.writeFileSync(path.join(project, 'archive.js'), APP.replace("  exec('tar", "  // persona-review-ignore security/command-injection -- dir is one of the names in ARCHIVABLE, checked by the router\n  exec('tar"));
  git(project, 'add', 'archive.js');
  const allowed = commit(project, 'archive endpoint');
  assert.equal(allowed.code, 0, allowed.out);
  assert.match(allowed.out, /Persona Review \(staged changes, offline\)\.+Passed/);
  assert.equal(git(project, 'log', '-1', '--format=%s'), 'archive endpoint');
  assert.equal(git(project, 'status', '--porcelain'), '', 'the hook leaves no files behind (no ledger, no report)');

  // A commit with nothing the reviewer reads (a binary image) passes.
  fs.writeFileSync(path.join(project, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
  git(project, 'add', 'logo.png');
  const binaryOnly = commit(project, 'logo');
  assert.equal(binaryOnly.code, 0, binaryOnly.out);
  assert.match(binaryOnly.out, /nothing reviewable in this commit; passing/);
});
