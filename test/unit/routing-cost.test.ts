/**
 * Automatic routing (which personas a target needs, and why) and the cost estimate before a run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildContext } from '../../src/core/context';
import { proposePersonas } from '../../src/core/routing';
import { billedInputTokens, estimateCost, formatCostEstimate, priceFor, usageCostUsd } from '../../src/core/cost';
import { builtinPersonaDir, loadPersonas } from '../../src/core/personas';

let dir: string;
const files: Record<string, string> = {
  'src/db.ts': [
    "import { Pool } from 'pg';",
    'export async function find(id: string) {',
    '  const a = await pool.query(`SELECT * FROM users WHERE id = ${id}`);',
    "  const b = await pool.query('SELECT name FROM teams WHERE owner = ' + id);",
    "  await pool.query('DELETE FROM sessions WHERE user_id = ' + id);",
    '  return [a, b];',
    '}',
  ].join('\n'),
  'src/worker.py': ['import threading', 'lock = threading.Lock()', 'def run():', '    t = threading.Thread(target=work)', '    t.start()'].join('\n'),
  'src/client.go': [
    'package client',
    'import "net/http"',
    'func Get(urls []string) {',
    '  for _, u := range urls {',
    '    resp, _ := http.Get(u)',
    '    _ = resp',
    '  }',
    '}',
  ].join('\n'),
  'src/loop.js': ['async function all(ids) {', '  for (const id of ids) {', '    await db.query("SELECT 1 WHERE x = $1", [id]);', '  }', '}'].join('\n'),
  'test/db.test.ts': ["import { test } from 'node:test';", "test('finds', () => {});"].join('\n'),
  'src/plain.txt.ts': 'export const x = 1;\n',
};

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pr-route-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
});
after(async () => rm(dir, { recursive: true, force: true }));

const ctx = (paths: string[]) => buildContext({ kind: 'paths', root: dir, paths }, { unlimited: true });

test('routing proposes the expected personas on fixture files and says why', async () => {
  const proposal = await proposePersonas(await ctx(['src', 'test']));
  const by = new Map(proposal.personas.map((p) => [p.personaId, p.reasons.join('; ')]));
  assert.match(by.get('security') ?? '', /3 SQL queries built in src\/db\.ts/);
  assert.match(by.get('concurrency') ?? '', /locks or mutexes in src\/worker\.py|lock or mutex in src\/worker\.py/);
  assert.match(by.get('concurrency') ?? '', /threads or goroutines/);
  assert.match(by.get('sre') ?? '', /network call in src\/client\.go/);
  assert.match(by.get('performance') ?? '', /I\/O or query calls? inside (a )?loops? in 2 files/);
  assert.match(by.get('qa') ?? '', /1 test file: test\/db\.test\.ts/);
  assert.match(by.get('reviewer') ?? '', /default/);
  assert.equal(by.has('architect'), false, 'no new modules and few imports: no architect');
});

test('routing on plain code proposes only the default persona, and respects the available set', async () => {
  const plain = await proposePersonas(await ctx(['src/plain.txt.ts']));
  assert.deepEqual(plain.personas.map((p) => p.personaId), ['reviewer']);
  const limited = await proposePersonas(await ctx(['src/db.ts']), ['security']);
  assert.deepEqual(limited.personas.map((p) => p.personaId), ['security']);
});

test('routing counts only changed lines, and a wholly new file proposes the architect', async () => {
  const context = await ctx(['src/db.ts']);
  const file = context.files[0]!;
  file.changedLines = [{ startLine: 6, endLine: 6 }];
  assert.equal((await proposePersonas(context)).personas.some((p) => p.personaId === 'security'), false);
  file.changedLines = [{ startLine: 1, endLine: file.lineCount }];
  const whole = await proposePersonas(context);
  assert.match(whole.personas.find((p) => p.personaId === 'architect')?.reasons[0] ?? '', /1 new module: src\/db\.ts/);
});

test('prices: listed models priced (snapshots too), unknown models get tokens only', () => {
  assert.deepEqual(priceFor('claude-sonnet-4-5-20250929')?.price, { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 });
  assert.equal(priceFor('claude-sonnet-4-6')?.key, 'claude-sonnet-4-6');
  assert.equal(priceFor('claude-haiku-4-5')?.price.input, 1);
  assert.equal(priceFor('claude-fable-5-1')?.price.cacheRead, 0.25, 'the 5.1 models read the cache at 0.025x');
  assert.equal(priceFor('gpt-4o'), undefined);
  assert.equal(priceFor('claude-sonnet-9'), undefined, 'no guessed family price');
  assert.equal(usageCostUsd({ inputTokens: 1, outputTokens: 1 }, 'llama'), undefined);
  // 1M input at $3, 1M cache writes at 1.25x, 1M reads at 0.1x, 1M output at $15.
  const usd = usageCostUsd({ inputTokens: 1e6, cacheCreationInputTokens: 1e6, cacheReadInputTokens: 1e6, outputTokens: 1e6 }, 'claude-sonnet-4-5');
  assert.ok(Math.abs(usd! - (3 + 3.75 + 0.3 + 15)) < 1e-9);
  assert.deepEqual(billedInputTokens({ inputTokens: 100, outputTokens: 0, cacheCreationInputTokens: 1000, cacheReadInputTokens: 2000 }), { billed: 1550, uncached: 3100 });
});

test('the estimate counts context and persona prompt tokens per persona and prices them with caching', async () => {
  const { personas } = await loadPersonas([builtinPersonaDir()]);
  const team = personas.filter((p) => ['security', 'sre', 'qa'].includes(p.id));
  const context = await ctx(['src']);
  const est = estimateCost(context, team, 'claude-sonnet-4-5');
  assert.equal(est.perPersona.length, 3);
  for (const p of est.perPersona) {
    assert.ok(p.sharedTokens > context.totalTokens, 'shared prefix = system prompt + code');
    assert.ok(p.personaTokens > 100, 'the persona prompt counts');
    assert.equal(p.inputTokens, p.sharedTokens + p.personaTokens);
    assert.ok((p.costUsd ?? 0) > 0);
  }
  assert.ok(est.billedInputTokens < est.uncachedInputTokens, 'caching makes the estimate cheaper');
  assert.ok((est.totalUsd ?? 0) > 0);
  const lines = formatCostEstimate(est).join('\n');
  assert.match(lines, /Security Engineer/);
  assert.match(lines, /total: ~[\d,]+ input tokens/);
  const unknown = estimateCost(context, team, 'some-local-model');
  assert.equal(unknown.totalUsd, undefined);
  assert.match(formatCostEstimate(unknown).join('\n'), /no price known for model "some-local-model": tokens only/);
});
