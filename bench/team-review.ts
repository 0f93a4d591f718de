// Team review benchmark: 1, 5 and 9 personas reviewing the same code through the real engine and the real
// Anthropic SDK against the fake Messages API (test/support/fakeAnthropic.ts) on 127.0.0.1, with realistic
// latency (300 ms to the first byte, then a reply streamed over about 2 s) and the fake's prompt-cache
// SIMULATION (the first request with a cache_control prefix writes it, later identical prefixes read it;
// an entry is readable once the response that wrote it has begun, as Anthropic documents).
//
// Prints, per team size and concurrency: wall time relative to one persona, and billed input tokens
// relative to sending the context uncached to each persona. Billed input = input + 1.25 × cache writes +
// 0.1 × cache reads (Anthropic's prompt caching multipliers), from the usage the fake reported.
// No network beyond 127.0.0.1; no API key is used.
// Run: npm run bench:team  (writes bench/results/team-review.json too)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { review } from '../src/core/engine';
import { AnthropicProvider } from '../src/core/providers/anthropic';
import { builtinPersonaDir, loadPersonas } from '../src/core/personas';
import { billedInputTokens, sumUsage } from '../src/core/cost';
import { startFakeAnthropic } from '../test/support/fakeAnthropic';

const FIRST_BYTE_MS = 300;
const REPLY_CHARS = 1200;
const CHUNK = 24;
const DELAY_MS = 40; // 1,200 / 24 = 50 deltas × 40 ms ≈ 2 s of streaming
const TEAM9 = ['security', 'sre', 'architect', 'engineer', 'qa', 'performance', 'concurrency', 'reviewer', 'data'];
const TEAM5 = TEAM9.slice(0, 5);

const REPLY = (() => {
  const para = '### Overall Assessment: ✅ Good, with improvements\n\nThe handlers validate their input and the queries are parameterised. ';
  let s = para;
  while (s.length < REPLY_CHARS) s += 'Timeouts and error paths look deliberate; nothing here needs a finding block. ';
  return s.slice(0, REPLY_CHARS);
})();

interface Row {
  personas: number;
  concurrency: number;
  wallMs: number;
  wallRelative: number;
  inputTokens: number;
  cacheWrites: number;
  cacheReads: number;
  billedInput: number;
  uncachedInput: number;
  billedRelative: number;
}

async function main(): Promise<number> {
  const { personas: all } = await loadPersonas([builtinPersonaDir()]);
  const pick = (ids: string[]) => ids.map((id) => all.find((p) => p.id === id)!).filter(Boolean);
  const root = path.resolve(__dirname, '../test/fixtures/app');
  const rows: Row[] = [];
  let single = 0;
  for (const [team, concurrency] of [[TEAM9.slice(0, 1), 1], [TEAM5, 4], [TEAM5, 5], [TEAM9, 4], [TEAM9, 9]] as const) {
    // A fresh fake per run: an empty cache, as for a review more than 5 minutes after the last.
    const fake = await startFakeAnthropic({ simulateCache: true });
    try {
      for (let i = 0; i < team.length; i++) fake.script({ reply: REPLY, stallMs: FIRST_BYTE_MS, chunkSize: CHUNK, delayMs: DELAY_MS });
      const personas = pick([...team]);
      const provider = new AnthropicProvider({ apiKey: 'sk-ant-bench-' + 'x'.repeat(20), baseURL: fake.url, model: 'claude-sonnet-4-6' });
      const started = performance.now();
      const result = await review({ kind: 'paths', root, paths: ['.'] }, { provider, personas, concurrency, providerOptions: { model: 'claude-sonnet-4-6' } });
      const wallMs = performance.now() - started;
      if (result.errors.length) throw new Error(`bench run failed: ${JSON.stringify(result.errors)}`);
      if (team.length === 1) single = wallMs;
      const total = sumUsage(Object.values(result.usage));
      const { billed, uncached } = billedInputTokens(total);
      rows.push({
        personas: team.length,
        concurrency,
        wallMs: Math.round(wallMs),
        wallRelative: wallMs / single,
        inputTokens: total.inputTokens,
        cacheWrites: total.cacheCreationInputTokens,
        cacheReads: total.cacheReadInputTokens,
        billedInput: Math.round(billed),
        uncachedInput: uncached,
        billedRelative: billed / uncached,
      });
    } finally {
      await fake.close();
    }
  }

  console.log(`Team review against the fake Messages API (${FIRST_BYTE_MS} ms to first byte, ~${(REPLY_CHARS / CHUNK) * DELAY_MS / 1000} s streamed reply, prompt-cache simulation)`);
  console.log('personas  concurrency  wall ms  × one persona  input  cache writes  cache reads  billed input  × uncached');
  for (const r of rows) {
    console.log(
      `${String(r.personas).padStart(8)}  ${String(r.concurrency).padStart(11)}  ${String(r.wallMs).padStart(7)}  ${r.wallRelative.toFixed(2).padStart(13)}  ${String(r.inputTokens).padStart(5)}  ${String(r.cacheWrites).padStart(12)}  ${String(r.cacheReads).padStart(11)}  ${String(r.billedInput).padStart(12)}  ${r.billedRelative.toFixed(2).padStart(10)}`,
    );
  }
  console.log('billed input = input + 1.25 × cache writes + 0.1 × cache reads; × uncached compares it with every persona sending the whole context uncached.');
  const out = path.resolve(__dirname, 'results/team-review.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ firstByteMs: FIRST_BYTE_MS, streamMs: (REPLY_CHARS / CHUNK) * DELAY_MS, rows }, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
