/**
 * The anthropic provider end to end: the real @anthropic-ai/sdk against the scripted fake Messages API
 * (test/support/fakeAnthropic.ts) on 127.0.0.1.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AnthropicProvider, DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MODEL, anthropicKeyFromEnv } from '../../src/core/providers/anthropic';
import { DATA_PREAMBLE, buildContext } from '../../src/core/context';
import { buildSystemPrompt, buildUserContent } from '../../src/core/providers/prompt';
import type { Persona, ProviderEvent, ReviewContext } from '../../src/core/types';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';

const KEY = 'sk-ant-test-' + 'k3y'.repeat(8);

function persona(id: string, name: string, prompt: string): Persona {
  return {
    id,
    name,
    description: `${name} persona for tests`,
    category: 'security',
    icon: 'shield',
    chat: id,
    commands: [],
    questions: [`What would a ${name} ask?`],
    reviews: true,
    prompt,
    source: `/personas/${id}.md`,
  };
}

const SECURITY = persona('security', 'Security Engineer', '## IDENTITY\nYou hunt injection bugs.\n\n## OUTPUT TEMPLATE\n### Findings');
const SRE = persona('sre', 'Site Reliability Engineer', '## IDENTITY\nYou care about timeouts and retries.');

const CODE = ['import { db } from "./db";', 'export function find(id: string) {', '  return db.query("SELECT * FROM t WHERE id=" + id);', '}'];
const CHUNK_TEXT = `<code_under_review path="src/find.ts" language="typescript" lines="1-4">\n${CODE.map((l, i) => `${i + 1} | ${l}`).join('\n')}\n</code_under_review>`;

function context(chunks = [CHUNK_TEXT]): ReviewContext {
  return {
    root: '/ws',
    files: [{ path: 'src/find.ts', absPath: '/ws/src/find.ts', language: 'typescript', text: CODE.join('\n'), lineCount: CODE.length, redactions: 0 }],
    chunks: chunks.map((text, index) => ({ index, total: chunks.length, parts: [{ path: 'src/find.ts', startLine: 1, endLine: CODE.length }], text, tokens: 100 })),
    notices: [],
    totalTokens: 100 * chunks.length,
  };
}

const block = (over: Record<string, unknown> = {}) =>
  '```finding\n' +
  JSON.stringify({
    file: 'src/find.ts',
    line: 3,
    quote: 'return db.query("SELECT * FROM t WHERE id=" + id);',
    severity: 'critical',
    category: 'sql-injection',
    title: 'SQL injection',
    message: '`id` is concatenated into SQL.',
    references: ['CWE-89'],
    confidence: 0.9,
    ...over,
  }) +
  '\n```\n';

const REPLY = `## Security review\n\nOne real problem.\n\n${block()}\nAnd a smaller one.\n\n${block({ title: 'Unvalidated id', severity: 'medium', category: 'input-validation' })}\nThat is all.\n`;

async function collect(iter: AsyncIterable<ProviderEvent>, onEvent?: (e: ProviderEvent) => void): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of iter) {
    out.push(e);
    onEvent?.(e);
  }
  return out;
}

const text = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
const titles = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'finding' ? [e.finding.title] : []));
const errorOf = (events: ProviderEvent[]) => {
  const last = events[events.length - 1];
  assert.equal(last?.type, 'error', `the last event is an error (got ${JSON.stringify(events.map((e) => e.type))})`);
  return last as Extract<ProviderEvent, { type: 'error' }>;
};

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

/** A provider on the fake. A model is set so the SDK's deprecation warning for the default model stays out of the log. */
const provider = (over: ConstructorParameters<typeof AnthropicProvider>[0] = {}) =>
  new AnthropicProvider({ apiKey: KEY, baseURL: fake.url, model: 'claude-test-model', ...over });
const review = (p: AnthropicProvider, ctx = context(), who = SECURITY, signal = new AbortController().signal) =>
  collect(p.review({ persona: who, context: ctx, options: {} }, signal));

void test('a streamed review becomes finding drafts, markdown text and one usage event', async () => {
  fake.script({ reply: REPLY, chunkSize: 5, usage: { inputTokens: 1200, outputTokens: 300, cacheCreationInputTokens: 1000, cacheReadInputTokens: 0 } });
  const events = await review(new AnthropicProvider({ apiKey: KEY, baseURL: fake.url }));
  assert.deepEqual(titles(events), ['SQL injection', 'Unvalidated id']);
  const first = events.find((e) => e.type === 'finding');
  assert.equal(first?.type === 'finding' && first.finding.quote, 'return db.query("SELECT * FROM t WHERE id=" + id);');
  assert.equal(first?.type === 'finding' && first.finding.line, 3);
  assert.equal(text(events), '## Security review\n\nOne real problem.\n\n\nAnd a smaller one.\n\n\nThat is all.\n');
  assert.deepEqual(
    events.filter((e) => e.type === 'usage'),
    [{ type: 'usage', usage: { inputTokens: 1200, outputTokens: 300, cacheCreationInputTokens: 1000, cacheReadInputTokens: 0 } }],
  );
  assert.ok(!events.some((e) => e.type === 'error' || e.type === 'malformed'));
  // The finding arrives before the text that follows its block.
  const order = events.map((e) => e.type);
  assert.ok(order.indexOf('finding') < order.lastIndexOf('text'));

  assert.equal(fake.requests.length, 1);
  const [req] = fake.requests;
  assert.equal(req?.path, '/v1/messages');
  assert.equal(req?.body.model, DEFAULT_MODEL);
  assert.equal(req?.body.max_tokens, DEFAULT_MAX_OUTPUT_TOKENS);
  assert.equal(req?.body.stream, true);
});

void test('the request puts the code chunk first with cache_control and the persona after it; system is the same for every persona', async () => {
  fake.script({ reply: 'Nothing.' }, { reply: 'Nothing either.' });
  // Two personas share the context (as the engine tells a provider in a team review).
  const shared = { personas: 2 };
  await collect(provider().review({ persona: SECURITY, context: context(), options: {}, shared }, new AbortController().signal));
  await collect(provider().review({ persona: SRE, context: context(), options: {}, shared }, new AbortController().signal));
  const [a, b] = fake.requests.map((r) => r.body);
  assert.equal(typeof a.system, 'string');
  assert.equal(a.system, b.system, 'system prompt identical across personas (shared cache prefix)');
  assert.equal(a.system, buildSystemPrompt());
  assert.match(a.system, /```finding/);
  assert.ok(a.system.includes(DATA_PREAMBLE), 'the data rules of the context build are in the system prompt');
  assert.doesNotMatch(a.system, /hunt injection|timeouts and retries/, 'no persona text in system');

  for (const [body, who] of [[a, SECURITY], [b, SRE]] as const) {
    assert.equal(body.messages.length, 1);
    assert.equal(body.messages[0].role, 'user');
    const [code, instructions, ...rest] = body.messages[0].content;
    assert.equal(rest.length, 0);
    assert.deepEqual(code, { type: 'text', text: CHUNK_TEXT, cache_control: { type: 'ephemeral' } });
    assert.equal(instructions.type, 'text');
    assert.equal(instructions.cache_control, undefined);
    assert.ok(instructions.text.includes(who.prompt), 'persona prompt in the second block');
    assert.ok(instructions.text.includes(who.questions[0]!));
  }
  assert.deepEqual(a.messages[0].content[0], b.messages[0].content[0], 'the cached block is byte-identical across personas');
  assert.deepEqual(a.messages[0].content, buildUserContent(context(), 0, SECURITY));
  assert.equal(fake.requests[0]?.headers['authorization'], `Bearer ${KEY}`, 'the SDK sends the key as a header');
});

void test('a persona reviewing alone sends no cache_control: nothing would read the cache, and a write costs 1.25x', async () => {
  fake.script({ reply: 'Nothing.' }, { reply: 'One.' }, { reply: 'Two.' });
  await review(provider(), context(), SECURITY);
  await review(provider(), context([CHUNK_TEXT, CHUNK_TEXT.replace('src/find.ts', 'src/other.ts')]), SECURITY);
  assert.equal(fake.requests.length, 3);
  for (const r of fake.requests) {
    assert.doesNotMatch(JSON.stringify(r.body), /cache_control/);
    assert.equal(r.body.messages[0].content[0].text.startsWith('<code_under_review'), true, 'the code still comes first');
  }
});

void test('a change review tells the model which lines it may report on', () => {
  const ctx = context();
  ctx.files[0]!.changedLines = [
    { startLine: 2, endLine: 3 },
    { startLine: 7, endLine: 7 },
  ];
  const [, instructions] = buildUserContent(ctx, 0, SECURITY);
  assert.match(instructions!.text, /src\/find\.ts: only the changed lines 2-3, 7/);
  assert.throws(() => buildUserContent(ctx, 1, SECURITY), /chunk 1 does not exist/);
});

void test('a context in two chunks is reviewed in two requests; findings of both arrive and usage is summed', async () => {
  const second = CHUNK_TEXT.replace('src/find.ts', 'src/other.ts');
  fake.script(
    { reply: `Part one.\n${block({ title: 'From chunk 1' })}`, usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 100 } },
    { reply: `Part two.\n${block({ title: 'From chunk 2' })}`, usage: { inputTokens: 20, outputTokens: 7, cacheCreationInputTokens: 50 } },
  );
  const events = await review(provider(), context([CHUNK_TEXT, second]));
  assert.deepEqual(titles(events), ['From chunk 1', 'From chunk 2']);
  assert.equal(fake.requests.length, 2);
  assert.equal(fake.requests[1]?.body.messages[0].content[0].text, second);
  assert.match(fake.requests[1]?.body.messages[0].content[1].text, /part 2 of 2/);
  assert.deepEqual(
    events.filter((e) => e.type === 'usage'),
    [{ type: 'usage', usage: { inputTokens: 30, outputTokens: 12, cacheCreationInputTokens: 50, cacheReadInputTokens: 100 } }],
  );
});

void test('malformed JSON in one block keeps the other findings and yields a malformed event', async () => {
  fake.script({ reply: `${block({ title: 'Before' })}\`\`\`finding\n{"file": "src/find.ts", oops}\n\`\`\`\n${block({ title: 'After' })}` });
  const events = await review(provider());
  assert.deepEqual(titles(events), ['Before', 'After']);
  const bad = events.filter((e) => e.type === 'malformed');
  assert.equal(bad.length, 1);
  assert.equal(bad[0]?.type === 'malformed' && bad[0].raw, '{"file": "src/find.ts", oops}');
  assert.ok(!events.some((e) => e.type === 'error'));
});

void test('a reply cut by the output limit keeps earlier findings, reports the open block and says why', async () => {
  fake.script({ reply: `${block({ title: 'Kept' })}\`\`\`finding\n{"file": "src/find.ts", "quote": "ret`, stopReason: 'max_tokens' });
  const events = await review(provider({ maxOutputTokens: 300 }));
  assert.deepEqual(titles(events), ['Kept']);
  const bad = events.find((e) => e.type === 'malformed');
  assert.match(bad?.type === 'malformed' ? bad.detail : '', /cut off/);
  const notice = events.find((e) => e.type === 'notice');
  assert.match(notice?.type === 'notice' ? notice.message : '', /output limit of 300 tokens/);
  assert.equal(fake.requests[0]?.body.max_tokens, 300);
});

void test('429 with retry-after: 0, then success: the SDK retries and the review succeeds', async () => {
  fake.script({ status: 429, retryAfter: 0 }, { reply: REPLY });
  const events = await review(provider());
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(titles(events), ['SQL injection', 'Unvalidated id']);
  assert.ok(!events.some((e) => e.type === 'error'));
});

void test('529 overloaded, then success: retried', async () => {
  fake.script({ status: 529, retryAfterMs: 1 }, { reply: REPLY });
  const events = await review(provider());
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(titles(events), ['SQL injection', 'Unvalidated id']);
});

void test('429 on every attempt: a rate-limit error after maxRetries + 1 requests', async () => {
  fake.script({ status: 429, retryAfterMs: 1 }, { status: 429, retryAfterMs: 1 });
  const events = await review(provider({ maxRetries: 1 }));
  assert.equal(fake.requests.length, 2);
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'rate-limit');
  assert.equal(error.status, 429);
  assert.equal(error.retryable, true);
  assert.equal(partial, false);
});

void test('529 and 500 on every attempt map to overloaded and server', async () => {
  fake.script({ status: 529, retryAfterMs: 1 });
  const overloaded = errorOf(await review(provider({ maxRetries: 0 })));
  assert.equal(overloaded.error.kind, 'overloaded');
  assert.equal(overloaded.error.status, 529);
  fake.script({ status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 });
  fake.requests.length = 0;
  const server = errorOf(await review(provider()));
  assert.equal(fake.requests.length, 3, 'default maxRetries is 2');
  assert.equal(server.error.kind, 'server');
  assert.equal(server.error.status, 500);
});

void test('a 400 is a bad request, not retried, and names the API message', async () => {
  fake.script({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large for model' } } });
  const { error } = errorOf(await review(provider()));
  assert.equal(fake.requests.length, 1);
  assert.equal(error.kind, 'bad-request');
  assert.match(error.message, /max_tokens: too large for model/);
  assert.equal(error.retryable, false);
});

void test('a stream cut midway keeps the findings that arrived and ends with stream-cut, partial', async () => {
  const cutAt = REPLY.indexOf('And a smaller one.');
  fake.script({ cutAfterChars: cutAt + 5, reply: REPLY, usage: { inputTokens: 500 } });
  const events = await review(provider());
  assert.equal(fake.requests.length, 1, 'a started stream is not retried');
  assert.deepEqual(titles(events), ['SQL injection']);
  assert.match(text(events), /One real problem\.[\s\S]*And a$/, 'text up to the cut is kept');
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'stream-cut');
  assert.equal(partial, true);
  assert.equal(error.retryable, true);
  assert.match(error.message, /kept/);
  const usage = events.find((e) => e.type === 'usage');
  assert.equal(usage?.type === 'usage' && usage.usage.inputTokens, 500, 'usage known before the cut is reported');
});

void test('a stream that ends without message_stop is a stream-cut, not a complete review', async () => {
  fake.script({ cutAfterChars: REPLY.indexOf('And a smaller'), reply: REPLY, graceful: true });
  const events = await review(provider());
  assert.deepEqual(titles(events), ['SQL injection']);
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'stream-cut');
  assert.match(error.message, /before message_stop/);
  assert.equal(partial, true);
});

void test('an SSE error event mid-stream (overloaded) is a stream-cut that keeps earlier findings', async () => {
  fake.script({ reply: REPLY, afterChars: REPLY.indexOf('And a smaller'), sseError: { type: 'overloaded_error', message: 'Overloaded' } });
  const events = await review(provider());
  assert.deepEqual(titles(events), ['SQL injection']);
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'stream-cut');
  assert.match(error.message, /overloaded_error: Overloaded/);
  assert.equal(partial, true);
});

void test('cancelling during a stall ends the review promptly with cancelled; findings before it are kept', { timeout: 20_000 }, async () => {
  fake.script({ reply: REPLY, afterChars: REPLY.indexOf('And a smaller'), stallMs: 60_000 });
  const ac = new AbortController();
  const events = await collect(provider().review({ persona: SECURITY, context: context(), options: {} }, ac.signal), (e) => {
    if (e.type === 'finding') ac.abort();
  });
  assert.deepEqual(titles(events), ['SQL injection']);
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'cancelled');
  assert.equal(partial, true);
  assert.ok(!events.some((e) => e.type === 'malformed'), 'a cancelled review reports no cut-off block');
});

void test('cancelling before the server answers at all gives cancelled, not partial', { timeout: 20_000 }, async () => {
  fake.script({ stallMs: 60_000 });
  const ac = new AbortController();
  const iter = provider().review({ persona: SECURITY, context: context(), options: {} }, ac.signal);
  const done = collect(iter);
  // Abort once the fake has received the request (poll with a deadline, never a bare sleep).
  const deadline = Date.now() + 10_000;
  while (fake.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  const { error, partial } = errorOf(await done);
  assert.equal(error.kind, 'cancelled');
  assert.equal(partial, false);
});

void test('a signal aborted before the review starts sends nothing', async () => {
  const ac = new AbortController();
  ac.abort();
  const { error } = errorOf(await review(provider(), context(), SECURITY, ac.signal));
  assert.equal(error.kind, 'cancelled');
  assert.equal(fake.requests.length, 0);
});

void test('a stream that goes silent longer than streamIdleMs is reported as cut, keeping what arrived', { timeout: 20_000 }, async () => {
  fake.script({ reply: REPLY, afterChars: REPLY.indexOf('And a smaller'), stallMs: 60_000 });
  const events = await review(provider({ streamIdleMs: 200 }));
  assert.deepEqual(titles(events), ['SQL injection']);
  const { error, partial } = errorOf(events);
  assert.equal(error.kind, 'stream-cut');
  assert.match(error.message, /no data for 200 ms/);
  assert.equal(partial, true);
});

void test('401: an auth error whose message never contains the key, and no retry', async () => {
  fake.script({ status: 401 });
  const { error, partial } = errorOf(await review(provider()));
  assert.equal(fake.requests.length, 1);
  assert.equal(error.kind, 'auth');
  assert.equal(error.status, 401);
  assert.equal(error.retryable, false);
  assert.match(error.message, /Anthropic rejected the API key \(401\)\. Set a valid key/);
  assert.ok(!error.message.includes(KEY));
  assert.ok(!error.message.includes(KEY.slice(0, 16)));
  assert.equal(partial, false);
});

void test('a server that echoes the key in its error text still gives a message without the key', async () => {
  fake.script({ status: 403, body: { type: 'error', error: { type: 'permission_error', message: `key ${KEY} may not use this model` } } });
  const { error } = errorOf(await review(provider()));
  assert.equal(error.kind, 'auth');
  assert.equal(error.status, 403);
  assert.ok(!error.message.includes(KEY), error.message);
  assert.match(error.message, /\[redacted\]/);
});

void test('no API key: an auth error at once, and nothing is sent', async () => {
  const saved = process.env['ANTHROPIC_API_KEY'];
  delete process.env['ANTHROPIC_API_KEY'];
  try {
    const { error } = errorOf(await review(new AnthropicProvider({ baseURL: fake.url })));
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /ANTHROPIC_API_KEY/);
    assert.equal(fake.requests.length, 0);
  } finally {
    if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
  }
});

void test('an unreachable server is a network error', async () => {
  const gone = await startFakeAnthropic();
  const url = gone.url;
  await gone.close();
  const { error } = errorOf(await review(new AnthropicProvider({ apiKey: KEY, baseURL: url, maxRetries: 0 })));
  assert.equal(error.kind, 'network');
  assert.match(error.message, /Could not reach the Anthropic API/);
  assert.equal(error.retryable, true);
});

void test('key and base URL come from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL when not given', async () => {
  assert.equal(anthropicKeyFromEnv({ ANTHROPIC_API_KEY: '  abc  ' }), 'abc');
  assert.equal(anthropicKeyFromEnv({ ANTHROPIC_API_KEY: ' ' }), undefined);
  assert.equal(anthropicKeyFromEnv({}), undefined);
  const saved = { key: process.env['ANTHROPIC_API_KEY'], url: process.env['ANTHROPIC_BASE_URL'] };
  process.env['ANTHROPIC_API_KEY'] = KEY + '-env';
  process.env['ANTHROPIC_BASE_URL'] = fake.url;
  try {
    fake.script({ reply: REPLY });
    const events = await review(new AnthropicProvider());
    assert.deepEqual(titles(events), ['SQL injection', 'Unvalidated id']);
    assert.equal(fake.requests.length, 1, 'the SDK read ANTHROPIC_BASE_URL');
    assert.equal(fake.requests[0]?.headers['authorization'], `Bearer ${KEY}-env`);
  } finally {
    for (const [name, value] of [['ANTHROPIC_API_KEY', saved.key], ['ANTHROPIC_BASE_URL', saved.url]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

void test('request options override the model; a persona may name a claude-* model; otherwise the default', async () => {
  fake.script({ reply: 'a' }, { reply: 'b' }, { reply: 'c' });
  const plain = new AnthropicProvider({ apiKey: KEY, baseURL: fake.url });
  await collect(provider().review({ persona: SECURITY, context: context(), options: { model: 'claude-opus-4-1', maxOutputTokens: 1000 } }, new AbortController().signal));
  await review(plain, context(), { ...SECURITY, model: 'claude-haiku-4-5' });
  await review(plain, context(), { ...SECURITY, model: 'inherit' });
  assert.deepEqual(
    fake.requests.map((r) => [r.body.model, r.body.max_tokens]),
    [
      ['claude-opus-4-1', 1000],
      ['claude-haiku-4-5', DEFAULT_MAX_OUTPUT_TOKENS],
      [DEFAULT_MODEL, DEFAULT_MAX_OUTPUT_TOKENS],
    ],
  );
});

void test('a secret in a reviewed file never reaches the API (context built by buildContext)', async () => {
  // Built at run time so that no secret-looking literal sits in the repository.
  const accessKeyId = 'AKIA' + 'Z7Q4N2XW5RT3HB6K';
  const secretKey = 'k9Xf2Lq8Rt4Vw1Zy7Bn3' + 'Mc6Hd0Gs5Pj2Ua8Ee4Oi';
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-review-anthropic-'));
  try {
    await writeFile(
      path.join(dir, 'config.js'),
      [
        'const AWS = require("aws-sdk");',
        `const accessKeyId = "${accessKeyId}";`,
        `const aws_secret_access_key = "${secretKey}";`,
        'module.exports = new AWS.S3({ accessKeyId, secretAccessKey: aws_secret_access_key });',
        '',
      ].join('\n'),
    );
    const ctx = await buildContext({ kind: 'paths', root: dir, paths: ['config.js'] }, {});
    assert.ok(ctx.chunks.length > 0, 'the file is in the context');
    fake.script(...ctx.chunks.map(() => ({ reply: 'Reviewed.' })));
    const events = await review(provider(), ctx);
    assert.ok(!events.some((e) => e.type === 'error'));
    assert.equal(fake.requests.length, ctx.chunks.length);
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    assert.ok(sent.includes('aws-sdk'), 'the file was sent');
    assert.ok(!sent.includes(accessKeyId), 'the AWS access key id was redacted');
    assert.ok(!sent.includes(secretKey), 'the AWS secret access key was redacted');
    assert.match(sent, /\[REDACTED:/, 'a placeholder stands where the secret was');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
