// Every bent form of a finding block that models produce (issue 11, "Replies parsed wrongly") either
// yields its findings or is reported as malformed with a reason; and whatever the split into deltas, the
// result is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, ReplyParser, parseFindingBlock } from '../../src/core/providers/replyParser';
import { parseFindingDraft, slugCategory } from '../../src/core/findingSchema';
import type { ProviderEvent } from '../../src/core/types';

const F = {
  file: 'src/db.ts',
  line: 12,
  quote: 'db.query("SELECT * FROM t WHERE id=" + id)',
  severity: 'critical',
  category: 'sql-injection',
  title: 'SQL built by concatenation',
  message: 'The id is concatenated into the query.',
};
const one = (over: Record<string, unknown> = {}) => JSON.stringify({ ...F, ...over });
/** The same finding pretty-printed over several lines (so prefixes on body lines matter). */
const pretty = (over: Record<string, unknown> = {}) => JSON.stringify({ ...F, ...over }, null, 2);

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

function run(pieces: string[]): ProviderEvent[] {
  const p = new ReplyParser();
  const out: ProviderEvent[] = [];
  for (const piece of pieces) out.push(...p.push(piece));
  out.push(...p.end());
  return out;
}

function normalise(events: ProviderEvent[]): ProviderEvent[] {
  const out: ProviderEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + e.text };
    else out.push(e);
  }
  return out;
}

/** Runs a reply whole, one character at a time and in 30 random splits; asserts all agree; returns the events. */
function parseEverySplit(reply: string): ProviderEvent[] {
  const whole = normalise(run([reply]));
  assert.deepEqual(normalise(run([...reply])), whole, 'one character at a time');
  for (let seed = 1; seed <= 30; seed++) {
    const r = rng(seed);
    const pieces: string[] = [];
    for (let i = 0; i < reply.length; ) {
      const n = 1 + Math.floor(r() * 9);
      pieces.push(reply.slice(i, i + n));
      i += n;
    }
    assert.deepEqual(normalise(run(pieces)), whole, `random split, seed ${seed}`);
  }
  return whole;
}

const findingsOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'finding' ? [e.finding] : []));
const malformedOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'malformed' ? [e] : []));
const textOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
const noticesOf = (events: ProviderEvent[]) => events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));

const forms: Array<[string, string]> = [
  ['a fence indented by 4 spaces in a list item', `1. The query is built from input:\n\n    \`\`\`finding\n${pretty().replace(/^/gm, '    ')}\n    \`\`\`\n2. Next point.\n`],
  ['a list item whose first line is the fence', `- \`\`\`finding\n${pretty().replace(/^/gm, '  ')}\n  \`\`\`\n`],
  ['a fence inside a blockquote', `> Quoted:\n> \`\`\`finding\n${pretty().replace(/^/gm, '> ')}\n> \`\`\`\n`],
  ['a fence inside a nested blockquote without spaces', `>>\`\`\`finding\n>>${one()}\n>>\`\`\`\n`],
  ['a tab-indented fence', `\t\`\`\`finding\n\t${one()}\n\t\`\`\`\n`],
  ['the info string json', `Here:\n\`\`\`json\n${pretty()}\n\`\`\`\n`],
  ['the info string JSON with an array', `\`\`\`JSON\n[${one()}]\n\`\`\`\n`],
  ['a one-line fence', `Text.\n\`\`\`finding ${one()} \`\`\`\nMore.\n`],
  ['a one-line fence without space and without info string', `\`\`\`${one()}\`\`\`\n`],
  ['a one-line fence with the info string "finding json"', `~~~finding json ${one()} ~~~\n`],
  ['JSON starting on the opener line', `\`\`\`finding {\n${pretty().slice(1)}\n\`\`\`\n`],
  ['a closing fence glued to the JSON', `\`\`\`finding\n${one()}\`\`\`\n`],
  ['a fence after a BOM', `\uFEFF\`\`\`finding\n${one()}\n\`\`\`\n`],
  ['a fence after an NBSP', `\u00A0\`\`\`finding\n${one()}\n\u00A0\`\`\`\n`],
  ['a fence after an ideographic space and a zero-width space', `\u3000\u200B\`\`\`finding\n${one()}\n\`\`\`\n`],
  ['full-width backticks', `\uFF40\uFF40\uFF40finding\n${one()}\n\uFF40\uFF40\uFF40\n`],
  ['full-width tildes', `\uFF5E\uFF5E\uFF5Efinding\n${one()}\n\uFF5E\uFF5E\uFF5E\n`],
  ['CR-only line endings', `Intro.\r\r\`\`\`finding\r${pretty().replace(/\n/g, '\r')}\r\`\`\`\rOutro.\r`],
  ['CRLF line endings', `Intro.\r\n\`\`\`finding\r\n${pretty().replace(/\n/g, '\r\n')}\r\n\`\`\`\r\n`],
  ['U+2028 line endings', `Intro.\u2028\`\`\`finding\u2028${one()}\u2028\`\`\`\u2028Outro.`],
  ['U+2029 and U+0085 line endings', `Intro.\u2029\`\`\`finding\u0085${one()}\u0085\`\`\`\u2029`],
];

for (const [name, reply] of forms) {
  void test(`finding block form: ${name} yields its finding`, () => {
    const events = parseEverySplit(reply);
    assert.deepEqual(malformedOf(events), [], 'nothing malformed');
    const found = findingsOf(events);
    assert.equal(found.length, 1, `one finding from ${JSON.stringify(reply.slice(0, 60))}`);
    assert.equal(found[0]!.title, F.title);
    assert.equal(found[0]!.quote, F.quote);
    assert.doesNotMatch(textOf(events), /"quote"/, 'the finding JSON does not leak into the text');
  });
}

void test('a truncated block whose fence is glued to it ends there, and the next block (even ```json) is its own', () => {
  const truncated = one().slice(0, 60);
  const events = parseEverySplit(`\`\`\`\`finding\n${truncated}\`\`\`\`\n\nText.\n\n>> \`\`\`json\n>> ${one({ title: 'Next' })}\n>> \`\`\`\n`);
  assert.deepEqual(findingsOf(events).map((f) => f.title), ['Next']);
  const bad = malformedOf(events);
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.detail, /not valid JSON/);
  assert.match(textOf(events), /^\nText\.\n\n$/);
  // An opener inside a block that never closed: the first is malformed, the second parsed.
  const nested = parseEverySplit(`\`\`\`finding\n${truncated}\n\`\`\`json\n${one({ title: 'Inner' })}\n\`\`\`\n`);
  assert.deepEqual(findingsOf(nested).map((f) => f.title), ['Inner']);
  assert.match(malformedOf(nested)[0]!.detail, /before this one was closed/);
});

void test('line breaks of the text are given back as the reply had them', () => {
  const events = parseEverySplit('a\rb\r\nc\u2028d\n');
  assert.equal(textOf(events), 'a\rb\r\nc\u2028d\n');
});

void test('a json block that is not a finding stays text, in order, and is not counted', () => {
  const reply = 'Config:\n```json\n{"name": "x", "version": "1.0.0"}\n```\nThen:\n```finding\n' + one() + '\n```\n';
  const events = parseEverySplit(reply);
  assert.equal(findingsOf(events).length, 1);
  assert.deepEqual(malformedOf(events), []);
  assert.match(textOf(events), /^Config:\n```json\n\{"name": "x", "version": "1.0.0"\}\n```\nThen:\n$/);
  const unclosed = parseEverySplit('```json\n{"a": 1}\n');
  assert.equal(textOf(unclosed), '```json\n{"a": 1}\n', 'an unclosed json block that is not a finding is given back as text');
});

void test('a json block that looks like a finding but is invalid is counted as malformed', () => {
  const events = parseEverySplit('```json\n{"file": "a.ts", "quote": "x", "severity": "catastrophic", "category": "c", "title": "t"}\n```\n```json\n{"file": "a.ts", "quote": "x", broken\n```\n');
  assert.equal(findingsOf(events).length, 0);
  const bad = malformedOf(events);
  assert.equal(bad.length, 2);
  assert.match(bad[0]!.detail, /severity/);
  assert.match(bad[1]!.detail, /not valid JSON/);
});

void test('5,000 nested arrays are rejected as too deep, without a stack overflow, and the rest of the reply is kept', () => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const reply = `Before.\n\`\`\`finding\n${deep}\n\`\`\`\nMiddle.\n\`\`\`finding\n${one({ title: 'After the deep one' })}\n\`\`\`\nEnd.\n`;
  const events = normalise(run([reply]));
  const bad = malformedOf(events);
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.detail, new RegExp(`nests 5000 levels deep \\(at most ${MAX_JSON_DEPTH}\\)`));
  assert.ok(bad[0]!.raw.length <= 4001, 'raw is cut');
  assert.deepEqual(findingsOf(events).map((f) => f.title), ['After the deep one']);
  assert.match(textOf(events), /Before\.\nMiddle\.\nEnd\.\n$/);
  // Deep nesting inside an array of findings, and inside one field, is caught the same way.
  assert.match(malformedOf(parseFindingBlock(`[${one()}, ${deep}]`))[0]!.detail, /levels deep/);
  assert.match(malformedOf(parseFindingBlock(`{"file":"a","quote":${'['.repeat(100_000)}`))[0]!.detail, /levels deep/);
});

void test('wrong optional hints are dropped from the finding (or read the one way they can mean), not the finding', () => {
  const cases: Array<[Record<string, unknown>, (f: NonNullable<ReturnType<typeof findingsOf>[number]>) => void]> = [
    [{ line: 0 }, (f) => assert.equal(f.line, undefined)],
    [{ line: -3 }, (f) => assert.equal(f.line, undefined)],
    [{ line: 9.5 }, (f) => assert.equal(f.line, undefined)],
    [{ line: 1e20 }, (f) => assert.equal(f.line, undefined)],
    [{ line: '9-10' }, (f) => assert.deepEqual([f.line, f.endLine], [9, 10])],
    [{ line: '12' }, (f) => assert.equal(f.line, 12)],
    [{ line: 'twelve', endLine: 'x' }, (f) => assert.deepEqual([f.line, f.endLine], [undefined, undefined])],
    [{ line: 10, endLine: 4 }, (f) => assert.deepEqual([f.line, f.endLine], [10, undefined])],
    [{ confidence: 90 }, (f) => assert.equal(f.confidence, 0.9)],
    [{ confidence: '75%' }, (f) => assert.equal(f.confidence, 0.75)],
    [{ confidence: 'high' }, (f) => assert.equal(f.confidence, undefined)],
    [{ confidence: 1000 }, (f) => assert.equal(f.confidence, undefined)],
    [{ references: 'CWE-89, OWASP A03:2021' }, (f) => assert.deepEqual(f.references, ['CWE-89', 'OWASP A03:2021'])],
    [{ references: ['CWE-89', 42, null] }, (f) => assert.deepEqual(f.references, ['CWE-89'])],
    [{ references: { a: 1 } }, (f) => assert.deepEqual(f.references, [])],
    [{ suggestion: 'Use a parameter.' }, (f) => assert.deepEqual(f.suggestion, { description: 'Use a parameter.' })],
    [{ suggestion: 42 }, (f) => assert.equal(f.suggestion, undefined)],
    [{ suggestion: { description: 'd', replacement: 7 } }, (f) => assert.deepEqual(f.suggestion, { description: 'd' })],
    [{ message: { text: 'm' } }, (f) => assert.equal(f.message, '')],
    [{ severity: 'moderate' }, (f) => assert.equal(f.severity, 'medium')],
    [{ severity: 'Warning' }, (f) => assert.equal(f.severity, 'medium')],
    [{ severity: 'error' }, (f) => assert.equal(f.severity, 'high')],
    [{ severity: 'blocker' }, (f) => assert.equal(f.severity, 'critical')],
    [{ severity: 'info' }, (f) => assert.equal(f.severity, 'low')],
  ];
  for (const [over, check] of cases) {
    const events = parseEverySplit('```finding\n' + one(over) + '\n```\n');
    const found = findingsOf(events);
    assert.equal(found.length, 1, `kept with ${JSON.stringify(over)}`);
    check(found[0]!);
  }
});

void test('repairs are announced once per reply, with counts', () => {
  const reply = ['moderate', 'moderate', 'warning'].map((s, i) => '```finding\n' + one({ severity: s, line: i === 0 ? 0 : 5 }) + '\n```\n').join('');
  const events = parseEverySplit(reply);
  const notices = noticesOf(events);
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /severity "moderate" read as medium \(2×\)/);
  assert.match(notices[0]!, /severity "warning" read as medium/);
  assert.match(notices[0]!, /line 0 ignored/);
  assert.equal(events[events.length - 1]?.type, 'notice', 'the notice comes at the end of the reply');
  assert.deepEqual(noticesOf(parseEverySplit('```finding\n' + one() + '\n```\n')), [], 'no notice for a clean reply');
});

void test('wrong required fields still reject the finding, with the reason', () => {
  for (const [over, field] of [
    [{ severity: 'catastrophic' }, 'severity'],
    [{ quote: '' }, 'quote'],
    [{ file: 7 }, 'file'],
    [{ title: '   ' }, 'title'],
  ] as const) {
    const bad = malformedOf(parseEverySplit('```finding\n' + one(over) + '\n```\n'));
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.detail, new RegExp(field));
  }
});

void test('categories are slugged from any script, and a parsed draft parses again unchanged', () => {
  assert.equal(slugCategory('SQL Injection'), 'sql-injection');
  assert.equal(slugCategory('  Injection SQL (CWE-89) '), 'injection-sql-cwe-89');
  assert.equal(slugCategory('セキュリティ・注入'), 'セキュリティ-注入');
  assert.equal(slugCategory('Инъекция SQL'), 'инъекция-sql');
  assert.equal(slugCategory('حقن SQL'), 'حقن-sql');
  assert.equal(slugCategory('ＳＱＬ'), 'sql', 'full-width letters are folded (NFKC)');
  assert.equal(slugCategory('!!!'), '');
  for (const category of ['セキュリティ', 'Инъекция SQL', '!!!']) {
    const first = parseFindingDraft({ ...F, category });
    assert.ok(first.ok);
    assert.notEqual(first.draft.category, '');
    const again = parseFindingDraft(first.draft);
    assert.ok(again.ok);
    assert.deepEqual(again.draft, first.draft);
    assert.deepEqual(again.notes, []);
  }
});

void test('the text around held-back lines still streams promptly: a list item and a blockquote line go out once decided', () => {
  const p = new ReplyParser();
  assert.deepEqual(p.push('- item'), [{ type: 'text', text: '- item' }]);
  assert.deepEqual(p.push('\n> quote'), [{ type: 'text', text: '\n> quote' }]);
  assert.deepEqual(p.push('\n12'), [{ type: 'text', text: '\n' }], '"12" could still become "12. ```finding"');
  assert.deepEqual(p.push('3 apples'), [{ type: 'text', text: '123 apples' }]);
  assert.deepEqual(p.push('\n```js'), [{ type: 'text', text: '\n' }], '"```js" could still become "```json"');
  assert.deepEqual(p.push('x'), [{ type: 'text', text: '```jsx' }]);
});
