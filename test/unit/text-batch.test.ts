/**
 * The server's merging of streamed text (src/server/textBatch.ts), on a fake clock: a persona's first
 * delta goes out at once; deltas inside the window are merged, in order, with their sanitised parts; no
 * text is lost, duplicated or reordered within a persona; flush sends what is pending (before any other
 * event, so a finding never overtakes its text).
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { TextBatcher, type TextBatch } from '../../src/server/textBatch';

function harness(windowMs = 16) {
  mock.timers.enable({ apis: ['setTimeout'] });
  let now = 10_000;
  const sent: Array<TextBatch & { at: number }> = [];
  const batcher = new TextBatcher((b) => sent.push({ ...b, at: now }), windowMs, () => now);
  return {
    batcher,
    sent,
    tick(ms: number) {
      now += ms;
      mock.timers.tick(ms);
    },
  };
}

test('the first delta goes out at once; the next ones wait for the window and go merged', (t) => {
  t.after(() => mock.timers.reset());
  const h = harness();
  h.batcher.push('sre', 'Hello', undefined);
  assert.deepEqual(h.sent.map((b) => b.text), ['Hello'], 'the first text is not held back');
  h.batcher.push('sre', ', wor', undefined);
  h.tick(5);
  h.batcher.push('sre', 'ld', 'Hello, world\n\n');
  assert.equal(h.sent.length, 1, 'deltas inside the window wait');
  h.tick(11);
  assert.equal(h.sent.length, 2, 'the window closed 16 ms after the first send');
  assert.deepEqual(h.sent[1], { personaId: 'sre', text: ', world', safeText: 'Hello, world\n\n', at: 10_016 });
});

test('after a quiet spell a delta goes out at once again', (t) => {
  t.after(() => mock.timers.reset());
  const h = harness();
  h.batcher.push('qa', 'a', undefined);
  h.tick(100);
  h.batcher.push('qa', 'b', undefined);
  assert.deepEqual(h.sent.map((b) => b.text), ['a', 'b']);
});

test('a flood of deltas becomes one message per window, with every character in order', (t) => {
  t.after(() => mock.timers.reset());
  const h = harness();
  let expected = '';
  for (let i = 0; i < 1000; i++) {
    const piece = `${i},`;
    expected += piece;
    h.batcher.push('security', piece, undefined);
    h.tick(1);
  }
  h.batcher.flush();
  assert.equal(h.sent.map((b) => b.text).join(''), expected, 'nothing lost, doubled or reordered');
  assert.ok(h.sent.length <= 1000 / 16 + 2, `about one message per 16 ms (got ${h.sent.length} for 1,000 deltas over 1 s)`);
});

test('personas are merged apart, and flush sends everything pending before another event', (t) => {
  t.after(() => mock.timers.reset());
  const h = harness();
  h.batcher.push('sre', 'S1', undefined);
  h.batcher.push('qa', 'Q1', 'Q1');
  h.batcher.push('sre', 'S2', undefined);
  h.batcher.push('qa', 'Q2', undefined);
  h.batcher.flush();
  assert.deepEqual(
    h.sent.map((b) => [b.personaId, b.text, b.safeText]),
    [
      ['sre', 'S1', undefined],
      ['qa', 'Q1Q2', 'Q1'],
      ['sre', 'S2', undefined],
    ],
    'the first text at once; then each persona once, in the order their text arrived',
  );
  h.tick(100);
  assert.equal(h.sent.length, 3, 'the flushed window sends nothing more');
});

test('a window of 0 ms sends every delta as it comes', (t) => {
  t.after(() => mock.timers.reset());
  const h = harness(0);
  for (const s of ['a', 'b', 'c']) h.batcher.push('sre', s, undefined);
  assert.deepEqual(h.sent.map((b) => b.text), ['a', 'b', 'c']);
});
