import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUT_OFF_DETAIL, ReplyParser, parseFindingBlock } from '../../src/core/providers/replyParser';
import type { ProviderEvent } from '../../src/core/types';

const finding = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    file: 'src/db.ts',
    line: 12,
    endLine: 12,
    quote: 'db.query("SELECT * FROM t WHERE id=" + id)',
    severity: 'critical',
    category: 'sql-injection',
    title: 'SQL built by concatenation',
    message: 'The id is concatenated into the query.',
    suggestion: { replacement: 'db.query("SELECT * FROM t WHERE id=$1", [id])', description: 'Use a parameter.' },
    references: ['CWE-89', 'OWASP A03:2021'],
    confidence: 0.8,
    ...over,
  });

/** Runs a whole reply through a parser in the given pieces. */
function run(pieces: string[]): ProviderEvent[] {
  const p = new ReplyParser();
  const out: ProviderEvent[] = [];
  for (const piece of pieces) out.push(...p.push(piece));
  out.push(...p.end());
  return out;
}

/** Merges adjacent text events, so results of different splits compare equal. */
function normalise(events: ProviderEvent[]): ProviderEvent[] {
  const out: ProviderEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + e.text };
    else out.push(e);
  }
  return out;
}

const textOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
const findingsOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'finding' ? [e.finding] : []));
const malformedOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'malformed' ? [e] : []));

/** A deterministic PRNG (mulberry32), so a failing split can be reproduced from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSplit(s: string, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const n = 1 + Math.floor(r() * 12);
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out;
}

// A reply with the awkward cases: other code fences, backticks at line starts, a tilde fence, CRLF lines,
// an indented fence, a four-space-indented opener never closed (a model's list item; reported as malformed
// when the next opener comes), an array block, a malformed block,
// a longer fence, and a closing fence at the very end without a line break.
const TRICKY = [
  '## Security review',
  '',
  '`id` reaches the query unchecked:',
  '```ts',
  'const x = 1;',
  '```',
  '',
  '```finding',
  finding(),
  '```',
  'Between blocks, with ``inline`` code and a ``` in the middle of a line.',
  '  ~~~finding',
  finding({ line: 20, title: 'Tilde fence', quote: 'eval(input)' }),
  '  ~~~',
  '    ```finding',
  '    (not JSON, and never closed)',
  '``` findings',
  JSON.stringify([JSON.parse(finding({ title: 'First of array' })), JSON.parse(finding({ title: 'Second of array', severity: 'low' }))]),
  '```',
  '```finding\r',
  '{"file": "src/a.ts", "quote": "x", "severity": "high", "category": "c", "title": "CRLF block"}\r',
  '```\r',
  '```finding',
  '{ this is not json }',
  '```',
  '````finding',
  finding({ title: 'Four backticks', message: 'Inner ``` stays inside the string.' }),
  '````',
  'Closing words.',
  '```finding',
  finding({ title: 'Last, no trailing newline' }),
  '```',
].join('\n');

void test('markdown outside finding blocks becomes text; each closed block becomes a validated finding', () => {
  const reply = `Intro line.\n\n\`\`\`finding\n${finding()}\n\`\`\`\n\nOutro.\n`;
  const events = normalise(run([reply]));
  assert.deepEqual(
    events.map((e) => e.type),
    ['text', 'finding', 'text'],
  );
  assert.equal(textOf(events), 'Intro line.\n\n\nOutro.\n');
  const [f] = findingsOf(events);
  assert.equal(f?.file, 'src/db.ts');
  assert.equal(f?.severity, 'critical');
  assert.equal(f?.category, 'sql-injection');
  assert.equal(f?.quote, 'db.query("SELECT * FROM t WHERE id=" + id)');
  assert.deepEqual(f?.references, ['CWE-89', 'OWASP A03:2021']);
  assert.equal(f?.suggestion?.replacement, 'db.query("SELECT * FROM t WHERE id=$1", [id])');
});

void test('the tricky reply gives the expected findings, malformed blocks and text', () => {
  const events = normalise(run([TRICKY]));
  assert.deepEqual(
    findingsOf(events).map((f) => f.title),
    ['SQL built by concatenation', 'Tilde fence', 'First of array', 'Second of array', 'CRLF block', 'Four backticks', 'Last, no trailing newline'],
  );
  assert.equal(findingsOf(events)[5]?.message, 'Inner ``` stays inside the string.');
  const bad = malformedOf(events);
  assert.equal(bad.length, 2);
  assert.match(bad[0]!.detail, /before this one was closed/);
  assert.equal(bad[0]!.raw, '(not JSON, and never closed)', 'the indent of the opener is removed from its body');
  assert.match(bad[1]!.detail, /not valid JSON/);
  assert.equal(bad[1]!.raw, '{ this is not json }');
  const text = textOf(events);
  assert.match(text, /```ts\nconst x = 1;\n```\n/);
  assert.match(text, /a ``` in the middle of a line/);
  assert.doesNotMatch(text, /never closed/);
  assert.match(text, /Closing words\.\n$/);
  assert.doesNotMatch(text, /"quote"/, 'no finding JSON leaks into the text');
  assert.doesNotMatch(text, /~~~/);
});

void test('any split of the reply into deltas gives the same events: one character at a time and random splits', () => {
  const whole = normalise(run([TRICKY]));
  assert.deepEqual(normalise(run([...TRICKY])), whole);
  for (let seed = 1; seed <= 200; seed++) {
    assert.deepEqual(normalise(run(randomSplit(TRICKY, seed))), whole, `random split with seed ${seed}`);
  }
});

void test('ordinary text streams at once; only a line start that could open a finding block waits for its line end', () => {
  const p = new ReplyParser();
  assert.deepEqual(p.push('Hello wor'), [{ type: 'text', text: 'Hello wor' }]);
  assert.deepEqual(p.push('ld\n``'), [{ type: 'text', text: 'ld\n' }]);
  assert.deepEqual(p.push('`ts'), [{ type: 'text', text: '```ts' }], 'a fence with another info string is plain text');
  assert.deepEqual(p.push('\n`code` here'), [{ type: 'text', text: '\n`code` here' }]);
  assert.deepEqual(p.push('\n```fin'), [{ type: 'text', text: '\n' }]);
  assert.deepEqual(p.push('dings'), [], 'still possibly a finding opener');
  assert.deepEqual(p.push('x\n'), [{ type: 'text', text: '```findingsx\n' }], '"findingsx" is another info string');
  assert.deepEqual(p.push('```finding\n{"file":"a.ts","quote":"q","severity":"low","category":"style","title":"t"}\n'), []);
  const closed = p.push('```\n');
  assert.equal(closed.length, 1);
  assert.equal(closed[0]?.type, 'finding');
  assert.deepEqual(p.end(), []);
});

void test('events keep the order of the reply within one delta', () => {
  const events = run([`before\n\`\`\`finding\n${finding()}\n\`\`\`\nafter\n`]);
  assert.deepEqual(
    events.map((e) => e.type),
    ['text', 'finding', 'text'],
  );
});

void test('an invalid finding is reported with the fields that were wrong, and later findings still arrive', () => {
  const reply = [
    '```finding',
    finding({ severity: 'catastrophic', quote: '' }),
    '```',
    '```finding',
    finding({ title: 'Good one' }),
    '```',
  ].join('\n');
  const events = run([reply]);
  const [bad] = malformedOf(events);
  assert.ok(bad);
  assert.match(bad.detail, /SQL built by concatenation/);
  assert.match(bad.detail, /severity/);
  assert.match(bad.detail, /quote/);
  assert.match(bad.raw, /catastrophic/);
  assert.deepEqual(
    findingsOf(events).map((f) => f.title),
    ['Good one'],
  );
});

void test('a block holding a JSON array gives one finding per valid element and one malformed per bad element', () => {
  const events = parseFindingBlock(JSON.stringify([JSON.parse(finding({ title: 'A' })), { file: 'x.ts' }, 42, JSON.parse(finding({ title: 'B' }))]));
  assert.deepEqual(
    findingsOf(events).map((f) => f.title),
    ['A', 'B'],
  );
  const bad = malformedOf(events);
  assert.equal(bad.length, 2);
  assert.match(bad[0]!.detail, /finding 2 of 4/);
  assert.equal(bad[0]!.raw, '{"file":"x.ts"}');
  assert.match(bad[1]!.detail, /finding 3 of 4 in the block: expected a JSON object/);
  assert.deepEqual(parseFindingBlock('[]'), [], 'an empty array means no findings');
  assert.match(malformedOf(parseFindingBlock('  \n'))[0]!.detail, /empty finding block/);
});

void test('raw line breaks inside JSON strings (a multi-line quote) are accepted', () => {
  const body = '{"file":"a.py","quote":"def f():\n    return eval(x)","severity":"critical","category":"code-injection","title":"eval"}';
  const [e] = parseFindingBlock(body);
  assert.equal(e?.type, 'finding');
  assert.equal(e?.type === 'finding' && e.finding.quote, 'def f():\n    return eval(x)');
});

void test('a reply that ends inside a finding block keeps the earlier findings and reports the cut block', () => {
  const reply = `Text.\n\`\`\`finding\n${finding({ title: 'Complete' })}\n\`\`\`\n\`\`\`finding\n{"file": "src/db.ts", "quo`;
  for (const pieces of [[reply], [...reply], randomSplit(reply, 7)]) {
    const events = normalise(run(pieces));
    assert.deepEqual(
      findingsOf(events).map((f) => f.title),
      ['Complete'],
    );
    const bad = malformedOf(events);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.detail, CUT_OFF_DETAIL);
    assert.equal(bad[0]!.raw, '{"file": "src/db.ts", "quo');
    assert.equal(events[events.length - 1]?.type, 'malformed');
  }
});

void test('a fence closes a finding block only when it is at least as long as the opening fence', () => {
  const events = run(['````finding\n', finding({ title: 'Long' }), '\n```\n````\n']);
  assert.deepEqual(findingsOf(events), []);
  assert.match(malformedOf(events)[0]!.detail, /not valid JSON/);
  assert.match(malformedOf(events)[0]!.raw, /\n```$/, 'the shorter fence line is part of the block body');
});

void test('a finding block opened before the previous one closed: the unclosed one is malformed, the next one parsed', () => {
  const reply = ['```finding', '{"file": "a.ts", "quote": "x"', '```finding', finding({ title: 'Next' }), '```'].join('\n');
  const events = run([reply]);
  assert.match(malformedOf(events)[0]!.detail, /before this one was closed/);
  assert.deepEqual(
    findingsOf(events).map((f) => f.title),
    ['Next'],
  );
});

void test('a finding block inside an unclosed code block is still taken (a model that forgot to close its fence)', () => {
  const events = run(['```ts\nconst a = 1;\n\n```finding\n', finding({ title: 'Inside' }), '\n```\n']);
  assert.deepEqual(
    findingsOf(events).map((f) => f.title),
    ['Inside'],
  );
  assert.equal(textOf(events), '```ts\nconst a = 1;\n\n');
});

void test('held-back text at the end of the reply is flushed by end()', () => {
  const p = new ReplyParser();
  assert.deepEqual(p.push('Done.\n``'), [{ type: 'text', text: 'Done.\n' }]);
  assert.deepEqual(p.end(), [{ type: 'text', text: '``' }]);
  assert.deepEqual(p.end(), [], 'end() twice gives nothing more');
  assert.throws(() => p.push('x'), /after end/);
});
