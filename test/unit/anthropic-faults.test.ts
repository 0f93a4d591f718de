/**
 * Stalls, waits and cache writes of the anthropic provider and the engine, against the fake Messages API
 * with short configured limits (issue 11, "Stalls and waits"). Assertions are about behaviour (what was
 * retried, announced, cut or kept; which request wrote the cache), never about how fast something was.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicProvider } from '../../src/core/providers/anthropic';
import { reviewContext } from '../../src/core/engine';
import type { Persona, ProviderEvent, ReviewContext, ReviewEvent } from '../../src/core/types';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const KEY = 'sk-ant-test-' + 'fault'.repeat(5);

function persona(id: string): Persona {
  return { id, name: id.toUpperCase(), description: '', category: 'security', icon: 'shield', chat: id, commands: [], questions: [], reviews: true, prompt: `You are ${id}.`, source: '' };
}

const CODE = Array.from({ length: 40 }, (_, i) => `export function f${i}(x: number) { return x * ${i}; }`);
function context(chunks = 1): ReviewContext {
  const per = Math.ceil(CODE.length / chunks);
  return {
    root: '/ws',
    files: [{ path: 'src/f.ts', absPath: '/ws/src/f.ts', language: 'typescript', text: CODE.join('\n'), lineCount: CODE.length, redactions: 0 }],
    chunks: Array.from({ length: chunks }, (_, c) => {
      const start = c * per + 1;
      const end = Math.min(CODE.length, (c + 1) * per);
      const text = `<code_under_review path="src/f.ts" language="typescript" lines="${start}-${end}">\n${CODE.slice(start - 1, end).map((l, i) => `${start + i} | ${l}`).join('\n')}\n</code_under_review>`;
      return { index: c, total: chunks, parts: [{ path: 'src/f.ts', startLine: start, endLine: end }], text, tokens: 400 };
    }),
    notices: [],
    totalTokens: 400 * chunks,
  };
}

const FINDING = '```finding\n' + JSON.stringify({ file: 'src/f.ts', line: 3, quote: CODE[2], severity: 'low', category: 'naming', title: 'Name says nothing' }) + '\n```\n';

async function collect(iter: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of iter) out.push(e);
  return out;
}
const of = <T extends ProviderEvent['type']>(events: ProviderEvent[], type: T) => events.filter((e): e is Extract<ProviderEvent, { type: T }> => e.type === type);

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  assert.equal(fake.pending(), 0, 'the previous test used all its scripted steps');
});

const provider = (over: ConstructorParameters<typeof AnthropicProvider>[0] = {}) =>
  new AnthropicProvider({ apiKey: KEY, baseURL: fake.url, model: 'claude-test-model', ...over });
const run = (p: AnthropicProvider, ctx = context(), signal = new AbortController().signal) => collect(p.review({ persona: persona('security'), context: ctx, options: {} }, signal));

void test('a stream that sends only SSE pings for longer than the idle limit is not cut: any byte counts', { timeout: 20_000 }, async () => {
  fake.script({ reply: `Thinking done.\n${FINDING}`, pingOnlyMs: 900, pingEveryMs: 60 });
  const events = await run(provider({ streamIdleMs: 300 }));
  assert.deepEqual(of(events, 'error'), []);
  assert.equal(of(events, 'finding').length, 1);
  // The same silence without pings is a cut.
  fake.script({ reply: `Thinking done.\n${FINDING}`, stallMs: 900, afterChars: 0 });
  const cut = await run(provider({ streamIdleMs: 300 }));
  const [err] = of(cut, 'error');
  assert.equal(err?.error.kind, 'stream-cut');
  assert.match(err!.error.message, /no data for 300 ms/);
});

void test('response headers that never come: retried after the header limit, announced, then a clear error', { timeout: 20_000 }, async () => {
  fake.script({ stallMs: 10_000, reply: 'late' }, { stallMs: 10_000, reply: 'late' });
  const events = await run(provider({ headersTimeoutMs: 250, maxRetries: 1 }));
  assert.equal(fake.requests.length, 2, 'one retry');
  const [retry] = of(events, 'retry');
  assert.equal(retry?.reason, 'timeout');
  assert.match(retry!.message, /^SECURITY: no response headers within 250 ms; retrying in \d+ ms \(retry 1 of 1\)$/);
  const [err] = of(events, 'error');
  assert.equal(err?.error.kind, 'network');
  assert.equal(err?.partial, false);
  assert.match(err!.error.message, /No response headers from the Anthropic API within 250 ms, 2 attempts/);
  assert.match(err!.error.message, /--headers-timeout/);
});

void test('a header hang followed by an answer: the retry gets the review', { timeout: 20_000 }, async () => {
  fake.script({ stallMs: 10_000, reply: 'late' }, { reply: `Fine.\n${FINDING}` });
  const events = await run(provider({ headersTimeoutMs: 250 }));
  assert.equal(of(events, 'retry').length, 1);
  assert.deepEqual(of(events, 'error'), []);
  assert.equal(of(events, 'finding').length, 1);
});

void test('retry-after 3600 is capped and announced, not obeyed silently', { timeout: 20_000 }, async () => {
  fake.script({ status: 429, retryAfter: 3600 }, { reply: `Fine.\n${FINDING}` });
  const events = await run(provider({ maxRetryAfterMs: 150 }));
  assert.equal(fake.requests.length, 2);
  const [retry] = of(events, 'retry');
  assert.equal(retry?.reason, 'rate-limit');
  assert.equal(retry?.delayMs, 150);
  assert.equal(retry?.message, 'SECURITY: rate limited (429); the API asked to wait 3600 s; retrying in 150 ms (retry 1 of 2)');
  assert.equal(of(events, 'finding').length, 1);
});

void test('a short retry-after is obeyed as given and announced; an HTTP-date retry-after is read too', { timeout: 20_000 }, async () => {
  fake.script({ status: 429, retryAfterMs: 40 }, { status: 529, retryAfterMs: 30 }, { reply: 'Fine.' });
  const events = await run(provider());
  assert.deepEqual(
    of(events, 'retry').map((r) => [r.reason, r.delayMs, r.message]),
    [
      ['rate-limit', 40, 'SECURITY: rate limited (429); retrying in 40 ms (retry 1 of 2)'],
      ['overloaded', 30, 'SECURITY: Anthropic overloaded (529); retrying in 30 ms (retry 2 of 2)'],
    ],
  );
  assert.deepEqual(of(events, 'error'), []);
});

void test('the API saying x-should-retry: false is obeyed; a 429 that stays gives the wait it asked for in the error', { timeout: 20_000 }, async () => {
  fake.script({ status: 500, shouldRetry: false });
  const events = await run(provider());
  assert.equal(fake.requests.length, 1);
  assert.equal(of(events, 'retry').length, 0);
  assert.equal(of(events, 'error')[0]?.error.kind, 'server');
  fake.requests.length = 0;
  fake.script({ status: 429, retryAfter: 3600 }, { status: 429, retryAfter: 3600 });
  const limited = await run(provider({ maxRetries: 1, maxRetryAfterMs: 20 }));
  const [err] = of(limited, 'error');
  assert.equal(err?.error.kind, 'rate-limit');
  assert.match(err!.error.message, /2 attempts/);
  assert.match(err!.error.message, /The API asked to wait 3600 s/);
});

void test('cancelling during a retry wait ends the review at once with cancelled', { timeout: 20_000 }, async () => {
  fake.script({ status: 429, retryAfter: 30 });
  const ac = new AbortController();
  const p = run(provider({ maxRetryAfterMs: 60_000 }), context(), ac.signal);
  while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
  setTimeout(() => ac.abort(), 50);
  const events = await p;
  assert.equal(of(events, 'retry').length, 1);
  assert.equal(of(events, 'error')[0]?.error.kind, 'cancelled');
  assert.equal(fake.requests.length, 1, 'no second request after cancelling');
});

void test('a reply nested 5,000 arrays deep is a malformed finding, and the rest of the reply is kept (not a cut)', async () => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  fake.script({ reply: `Start.\n\`\`\`finding\n${deep}\n\`\`\`\n${FINDING}End.\n`, chunkSize: 997 });
  const events = await run(provider());
  assert.deepEqual(of(events, 'error'), []);
  assert.equal(of(events, 'malformed').length, 1);
  assert.match(of(events, 'malformed')[0]!.detail, /levels deep/);
  assert.equal(of(events, 'finding').length, 1);
  assert.match(of(events, 'text').map((e) => e.text).join(''), /End\.\n$/);
});

// --- Team reviews: cache writes per chunk, and nobody waits long for the first reply -----------------

void test('a multi-chunk team review writes each chunk\'s cache once: the personas wait per chunk, not only for chunk 1', { timeout: 30_000 }, async () => {
  const cacheFake = await startFakeAnthropic({ simulateCache: true, minCacheableTokens: 50 });
  try {
    for (let i = 0; i < 6; i++) cacheFake.script({ reply: 'Nothing here.', stallMs: 120, delayMs: 5 });
    const team = [persona('security'), persona('sre'), persona('qa')];
    const result = await reviewContext(context(2), {
      provider: new AnthropicProvider({ apiKey: KEY, baseURL: cacheFake.url, model: 'claude-test-model' }),
      personas: team,
      concurrency: 3,
    });
    assert.deepEqual(result.errors, []);
    assert.equal(cacheFake.requests.length, 6);
    const byChunk = (n: number) => cacheFake.requests.filter((r) => r.body.messages[0].content[1].text.includes(`part ${n} of 2`));
    for (const n of [1, 2]) {
      assert.deepEqual(byChunk(n).map((r) => r.cache).sort(), ['read', 'read', 'write'], `chunk ${n}: one write, two reads`);
      for (const r of byChunk(n)) assert.deepEqual(r.body.messages[0].content[0].cache_control, { type: 'ephemeral' });
    }
  } finally {
    await cacheFake.close();
  }
});

void test('team members start after the wait limit even when the first reply has not begun', { timeout: 30_000 }, async () => {
  const events: ReviewEvent[] = [];
  fake.script({ reply: 'Slow but fine.', stallMs: 1500 }, { reply: 'Quick.' }, { reply: 'Quick too.' });
  const result = await reviewContext(context(), {
    provider: provider(),
    personas: [persona('security'), persona('sre'), persona('qa')],
    concurrency: 3,
    cacheWaitMs: 100,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(result.errors, []);
  const [first, second, third] = fake.requests;
  assert.ok(first?.headersAt !== undefined && second && third);
  assert.ok(second.receivedAt < first.headersAt && third.receivedAt < first.headersAt, 'the others were sent before the first reply began');
});

void test('retry events reach the engine\'s listeners with the persona, and are not report notices', { timeout: 20_000 }, async () => {
  const events: ReviewEvent[] = [];
  fake.script({ status: 429, retryAfterMs: 10 }, { reply: 'Fine.' });
  const result = await reviewContext(context(), { provider: provider(), personas: [persona('security')], onEvent: (e) => events.push(e) });
  const retry = events.find((e) => e.type === 'retry');
  assert.equal(retry?.type === 'retry' && retry.personaId, 'security');
  assert.ok(!result.notices.some((n) => /retrying/.test(n)));
});
