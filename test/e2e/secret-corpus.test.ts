/**
 * The secret corpus end to end: a folder of code and configuration holding more than 40 realistic, fake
 * secrets in every format the tool collects, reviewed by the built CLI (dist/cli.js) through the real
 * Anthropic SDK against the fake Messages API. Asserts on what reached the server: no secret, every file,
 * and the names and syntax around each secret.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { review } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { builtinPersonaDir, loadPersonas } from '../../src/core/personas';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';
import { secretCorpus } from '../support/secretCorpus';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');
let fake: FakeAnthropic;
let dir: string;

before(async () => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo });
  fake = await startFakeAnthropic();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persona-review-secrets-'));
});

after(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every text the requests carried (system prompt and message blocks), as sent. */
function sentTexts(): string {
  const out: string[] = [];
  for (const r of fake.requests) {
    const body = r.body as { system?: unknown; messages?: Array<{ content: unknown }> };
    const add = (x: unknown): void => {
      if (typeof x === 'string') out.push(x);
      else if (Array.isArray(x)) for (const b of x) if (b && typeof b === 'object' && 'text' in b) out.push(String((b as { text: unknown }).text));
    };
    add(body.system);
    for (const m of body.messages ?? []) add(m.content);
  }
  return out.join('\n');
}

test('no secret of the corpus reaches the Messages API; every file and the syntax around each secret do', async (t) => {
  const { files, secrets } = secretCorpus();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  // A real .env beside the template: never read, never sent.
  const realEnvValue = `live-${'9c1e7b'}${'a44f02d8'}`;
  fs.writeFileSync(path.join(dir, '.env'), `DB_PASSWORD=${realEnvValue}\n`);
  fake.script({ reply: 'No concrete issues beyond the hard-coded credentials, which were redacted.\n' });

  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: fake.url };
    execFile(process.execPath, [cli, 'review', '-p', 'security', '--format', 'json', '.'], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fake.requests.length, 1, 'one persona, one chunk');
  const sent = sentTexts();

  for (const rel of Object.keys(files)) assert.ok(sent.includes(`path="${rel}"`), `${rel} was collected and sent`);
  assert.ok(!sent.includes(realEnvValue) && !sent.includes('path=".env"'), '.env is never read');
  assert.match(r.stderr, /Sensitive file skipped, never read: \.env/);

  const table = new Map<string, Map<string, string>>();
  for (const s of secrets) {
    const leaked = sent.includes(s.secret);
    assert.ok(!leaked, `${s.kind} in ${s.format} (${s.file}) reached the API`);
    if (s.kept) assert.ok(sent.includes(s.kept), `${s.kind} in ${s.format}: "${s.kept}" was sent as written`);
    const row = table.get(s.kind) ?? new Map<string, string>();
    row.set(s.format, `${row.has(s.format) ? `${row.get(s.format)}+` : ''}absent`);
    table.set(s.kind, row);
  }
  assert.ok(secrets.length >= 40, `at least 40 secrets, got ${secrets.length}`);
  const formats = [...new Set(secrets.map((s) => s.format))];
  t.diagnostic(`${secrets.length} secrets, ${table.size} kinds x ${formats.length} formats, all absent from the request body`);
  for (const [kind, row] of [...table].sort()) t.diagnostic(`${kind}: ${[...row.keys()].join(', ')}`);
  const report = JSON.parse(r.stdout) as { notices: string[] };
  assert.ok(report.notices.some((n) => /^Redacted \d+ secrets in \d+ files before sending/.test(n)), 'the report says what was redacted');
});

test('offline, every planted secret is a finding on its own line, in code and in configuration files', async () => {
  const { files, secrets } = secretCorpus();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const { personas } = await loadPersonas([builtinPersonaDir()]);
  const security = personas.filter((p) => p.id === 'security');
  // No caps: the point is to see every secret, not the few most severe.
  const provider = new OfflineProvider({ maxFindingsPerRule: 1000, maxFindingsPerPersona: 1000 });
  const result = await review({ kind: 'paths', root: dir, paths: Object.keys(files) }, { provider, personas: security });
  const secretFindings = result.findings.filter((f) => f.category === 'hardcoded-secret');
  for (const s of secrets) {
    const text = files[s.file]!;
    const line = text.slice(0, text.indexOf(s.secret)).split('\n').length;
    const hit = secretFindings.find((f) => f.file === s.file && f.range.startLine <= line && f.range.endLine >= line);
    assert.ok(hit, `${s.kind} in ${s.format} (${s.file}:${line}) has a finding on its line; got ${secretFindings.filter((f) => f.file === s.file).map((f) => `${f.range.startLine} ${f.title}`).join('; ') || 'none in that file'}`);
    assert.ok(!hit.quote.includes(s.secret) && !hit.message.includes(s.secret), 'the finding never shows the secret');
  }
});
