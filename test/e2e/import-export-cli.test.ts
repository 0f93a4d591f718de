/**
 * `persona-review import` and `export` as users run them (dist/cli.js): seed 003 and a real Roo file
 * imported into `.personas/` with the report on stdout, the imported persona reviewing offline, an export
 * written where the other tool looks, refusals to overwrite without --force, and discovered personas listed
 * as coming from the repository.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seed, seedsSkip } from '../support/seeds';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');
const fixtures = path.join(repo, 'test/fixtures/import');


function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

before(() => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo });
});

test('import writes .personas/<id>.md with the report; the imported persona reviews; a second import needs --force', { skip: seedsSkip('003_') }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-import-'));
  try {
    fs.writeFileSync(path.join(dir, 'worker.js'), 'exports.poll = async () => {\n  const r = await fetch("http://upstream/jobs");\n  try { return await r.json(); } catch (e) {}\n};\n');
    const r = await run(['import', seed('003_')!.file, path.join(fixtures, 'roo/.roomodes')], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /claude-command → persona "site-reliability-engineer" \(Site Reliability Engineer, operations\)/);
    assert.match(r.stdout, /dropped 8 shell context line\(s\), never run: `gdate \+%s%N`/);
    assert.match(r.stdout, /roo → persona "test" \(Test, quality\)/);
    assert.match(r.stderr, /wrote \.personas\/site-reliability-engineer\.md, \.personas\/test\.md, \.personas\/issue-investigator\.md/);
    const written = fs.readFileSync(path.join(dir, '.personas/site-reliability-engineer.md'), 'utf8');
    assert.match(written, /^---\nid: site-reliability-engineer\nname: Site Reliability Engineer\n/);
    assert.doesNotMatch(written, /!`/);
    const review = await run(['review', '-p', 'site-reliability-engineer', '--format', 'json', 'worker.js'], dir);
    assert.equal(review.code, 0, review.stderr);
    const report = JSON.parse(review.stdout) as { findings: Array<{ personaIds: string[]; category: string }> };
    assert.ok(report.findings.length > 0 && report.findings.every((f) => f.personaIds.includes('site-reliability-engineer')), 'the imported SRE reviews with the SRE rules');
    const again = await run(['import', path.join(fixtures, 'roo/.roomodes')], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /\.personas\/test\.md exists; add --force/);
    const dry = await run(['import', '--dry-run', '--json', path.join(fixtures, 'bmad')], dir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal((JSON.parse(dry.stdout) as Array<{ id: string }>)[0]!.id, 'qa');
    assert.ok(!fs.existsSync(path.join(dir, '.personas/qa.md')), 'a dry run writes nothing');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('export writes personas where Claude Code, VS Code and Roo look for them; they import back; discovered personas are listed from the repository', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-export-'));
  try {
    for (const to of ['claude-agent', 'vscode-agent', 'roo']) {
      const r = await run(['export', '--to', to, '-p', 'security,sre'], dir);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(fs.existsSync(path.join(dir, '.claude/agents/security.md')));
    assert.ok(fs.existsSync(path.join(dir, '.github/agents/sre.agent.md')));
    assert.match(fs.readFileSync(path.join(dir, '.roomodes'), 'utf8'), /slug: security[\s\S]*slug: sre/);
    const again = await run(['export', '--to', 'claude-agent', '-p', 'security'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; add --force/);
    const list = await run(['personas', '--json'], dir);
    const personas = JSON.parse(list.stdout) as Array<{ id: string; origin: string; file: string }>;
    const fromRepo = personas.filter((p) => p.origin === 'repository').map((p) => p.id).sort();
    assert.deepEqual(fromRepo, ['security-claude', 'security-roo', 'security-vscode', 'sre-claude', 'sre-roo', 'sre-vscode'], 'exports are discovered, never replacing the built-ins');
    assert.equal(personas.find((p) => p.id === 'security')!.origin, 'built-in');
    const bad = await run(['export', '--to', 'cursor'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--to must be one of claude-agent, vscode-agent, roo/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
