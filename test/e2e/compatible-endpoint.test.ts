/**
 * Any server that speaks the Anthropic Messages API (Ollama, LiteLLM, vLLM): the CLI against the fake in its
 * `noCache` mode (cache_control ignored, no cache fields in usage) with a model name no price table knows.
 * The review works; the report and the usage line show no cache figures and cost "unknown"; a server that
 * answers without streaming gets a clear error, not a broken-stream message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');
let fake: FakeAnthropic;
let dir: string;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ANTHROPIC_API_KEY: 'ollama', ANTHROPIC_BASE_URL: fake.url };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: dir, env }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

before(async () => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo });
  fake = await startFakeAnthropic({ noCache: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-compat-'));
  fs.writeFileSync(path.join(dir, 'db.js'), 'exports.find = (db, id) => db.query("SELECT * FROM t WHERE id = " + id);\n');
});
after(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a local model behind the Messages API: any model name, no cache figures, cost unknown', async () => {
  const quote = 'db.query("SELECT * FROM t WHERE id = " + id)';
  fake.script({ reply: '### Overall Assessment: one issue\n\n```finding\n' + JSON.stringify({ file: 'db.js', line: 1, quote, severity: 'critical', category: 'sql-injection', title: 'SQL from input', message: 'x', confidence: 0.9 }) + '\n```\n' });
  const r = await run(['review', '-p', 'security', '--model', 'qwen2.5-coder:7b', '--yes', 'db.js']);
  assert.equal(r.code, 0, r.stderr);
  const sent = fake.requests.at(-1)!.body;
  assert.equal(sent.model, 'qwen2.5-coder:7b', 'the model name is passed through as given');
  assert.equal(sent.stream, true);
  assert.match(r.stdout, /SQL from input/);
  assert.doesNotMatch(r.stdout, /cache writes|Prompt cache:/, 'no cache figures where the server reports none');
  assert.match(r.stdout, /The server reported no prompt-cache figures\./);
  assert.match(r.stderr, /usage: 100 input, \d+ output tokens; cost unknown \(no price for model "qwen2\.5-coder:7b"\)/);
  assert.match(r.stderr, /cannot be checked without a price for "qwen2\.5-coder:7b"/);
  const json = await (async () => {
    fake.script({ reply: '### Overall Assessment: nothing\n' });
    const j = await run(['review', '-p', 'security', '--model', 'llama3.1', '--format', 'json', 'db.js']);
    return JSON.parse(j.stdout) as { usage: Record<string, Record<string, number>>; team: { usage: Record<string, unknown> } };
  })();
  assert.deepEqual(Object.keys(json.usage['security']!).sort(), ['inputTokens', 'outputTokens'], 'per-persona usage has no invented cache fields');
  assert.equal(json.team.usage['noCacheFigures'], true);
});

test('a server that answers without streaming gets a clear error', async () => {
  fake.script({ nonStreaming: 'A whole reply at once.' });
  const r = await run(['review', '-p', 'security', '--model', 'llama3.1', 'db.js']);
  assert.equal(r.code, 2, 'the only persona failed before producing anything');
  assert.match(r.stderr, /answered without streaming \(content-type application\/json\), but Persona Review needs a Messages API endpoint that streams server-sent events/);
  assert.doesNotMatch(r.stderr, /broke off midway/);
});
