import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorQuote, normaliseQuote, overlaps } from '../../src/core/anchor';

const text = ['function a() {', '  return eval(input);', '}', '', 'function b() {', '  return eval(input);', '}'].join('\n');

test('an exact quote is placed at its real line, not the reported one', () => {
  const a = anchorQuote(text, 'return eval(input);', 40);
  assert.ok(a);
  assert.equal(a.startLine, 6, 'nearest occurrence to the hint (40) is line 6');
  assert.equal(a.startColumn, 3);
  assert.equal(a.endColumn, 3 + 'return eval(input);'.length);
  assert.equal(a.match, 'exact');
});

test('the hint chooses between identical occurrences', () => {
  assert.equal(anchorQuote(text, 'return eval(input);', 1)?.startLine, 2);
  assert.equal(anchorQuote(text, 'return eval(input);')?.startLine, 2, 'no hint: first occurrence');
});

test('a quote with different indentation still anchors, on whole lines', () => {
  const a = anchorQuote(text, 'function b() {\nreturn eval(input);\n}', 5);
  assert.ok(a);
  assert.deepEqual([a.startLine, a.endLine, a.match], [5, 7, 'lines']);
  assert.equal(a.quote, 'function b() {\n  return eval(input);\n}');
});

test('line-number prefixes copied from the numbered context are stripped', () => {
  assert.equal(normaliseQuote('5 | function b() {\n6 |   return eval(input);'), 'function b() {\n  return eval(input);');
  assert.equal(anchorQuote(text, '6 |   return eval(input);')?.startLine, 2);
});

test('a quote that is nowhere in the file is not placed', () => {
  assert.equal(anchorQuote(text, 'exec(cmd)', 2), undefined);
  assert.equal(anchorQuote(text, '   \n  '), undefined);
});

test('multi-line exact quotes span the right lines', () => {
  const a = anchorQuote(text, '{\n  return eval(input);\n}', 5);
  assert.deepEqual([a?.startLine, a?.endLine], [5, 7]);
});

test('overlaps is inclusive', () => {
  assert.ok(overlaps({ startLine: 1, endLine: 3 }, { startLine: 3, endLine: 9 }));
  assert.ok(!overlaps({ startLine: 1, endLine: 2 }, { startLine: 3, endLine: 9 }));
});

// Issue 9: a multi-line quote that starts mid-line and contains a line ending in a space was dropped as
// quote-not-found (normaliseQuote strips the quote's trailing space; the line-wise match wanted whole lines).
const trailing = ['function load(url) {', '  const res = request(url, ', '    { retries: 3 });', '  return res;', '}'].join('\n');

test('a multi-line quote starting mid-line with a line ending in a space is placed to the column', () => {
  const a = anchorQuote(trailing, 'request(url, \n    { retries: 3 })', 2);
  assert.ok(a, 'placed, not dropped');
  assert.deepEqual([a.startLine, a.startColumn, a.endLine, a.endColumn, a.match], [2, 15, 3, 20, 'exact']);
  assert.equal(a.quote, 'request(url, \n    { retries: 3 })', "the file's own text, trailing space included");
});

test('a mid-line multi-line quote with other indentation is placed on whole lines', () => {
  const a = anchorQuote(trailing, 'request(url,\n{ retries: 3 });', 9);
  assert.ok(a);
  assert.deepEqual([a.startLine, a.endLine, a.match], [2, 3, 'lines']);
  assert.equal(anchorQuote(trailing, 'request(url,\n{ retries: 4 });'), undefined, 'a different last line still does not match');
});
