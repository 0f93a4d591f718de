/**
 * Flow control of the host's posts to the review panel (src/shared/panelOutbox.ts), with a fake clock and
 * a webview whose posts settle when the test says: a review's first text goes at once and alone; the rest
 * waits while a post is in flight and then goes in one batch, deltas merged, in order; nothing is lost or
 * sent twice; a post that never settles does not freeze the panel; and the webview's side reads batches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelOutbox } from '../../src/shared/panelOutbox';
import { hostPostMessages, isBatchMessage, type HostToWebviewMessage, type HostToWebviewPost } from '../../src/shared/webview';

/** An outbox whose posts are recorded and settle on `settle(i)`; time moves on `tick(ms)`. */
function harness(options: { maxInFlight?: number; minIntervalMs?: number; staleMs?: number } = {}) {
  let now = 1000;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const posts: Array<{ post: HostToWebviewPost; settle: () => void }> = [];
  const outbox = new PanelOutbox(
    (post) =>
      new Promise<boolean>((resolve) => {
        posts.push({ post, settle: () => resolve(true) });
      }),
    {
      ...options,
      now: () => now,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return t;
      },
      clearTimer: (h) => {
        (h as { live: boolean }).live = false;
      },
    },
  );
  const flush = () => new Promise<void>((r) => setImmediate(r));
  return {
    outbox,
    posts,
    /** Settles post `i` and lets its promise callbacks run. */
    settle: async (i: number) => {
      posts[i]!.settle();
      await flush();
    },
    /** Moves the clock on by `ms`, running the timers that fall due. */
    tick: (ms: number) => {
      now += ms;
      for (const t of timers) if (t.live && t.at <= now) {
        t.live = false;
        t.fn();
      }
    },
    /** Every message the webview got, in order. */
    delivered: () => posts.flatMap((p) => hostPostMessages(p.post) ?? []),
  };
}

const text = (t: string, personaId = 'security', reviewId = 'r1'): HostToWebviewMessage => ({ type: 'text', reviewId, personaId, text: t });
const status = (state: 'running' | 'done', personaId = 'security'): HostToWebviewMessage => ({ type: 'personaStatus', reviewId: 'r1', personaId, state });

test("a review's first text is posted at once and alone, even with a post in flight", () => {
  const h = harness();
  h.outbox.post(status('running'));
  assert.equal(h.posts.length, 1, 'the first message goes at once when nothing is in flight');
  h.outbox.post(text('Hello'));
  assert.equal(h.posts.length, 2, 'the first text does not wait for the post in flight');
  assert.deepEqual(h.posts[1]!.post, text('Hello'));
  assert.equal(h.outbox.inFlight, 2);
});

test('later text waits while a post is in flight, then goes as one merged message', async () => {
  const h = harness();
  h.outbox.post(text('a'));
  for (const t of ['b', 'c', 'd']) h.outbox.post(text(t));
  assert.equal(h.posts.length, 1, 'nothing more is posted while the first text is in flight');
  await h.settle(0);
  h.tick(16);
  assert.equal(h.posts.length, 2);
  assert.deepEqual(h.posts[1]!.post, text('bcd'), 'consecutive deltas of one persona are merged');
});

test('messages queued while a post is in flight go in one batch, in order, text of different personas kept apart', async () => {
  const h = harness();
  h.outbox.post(text('a'));
  h.outbox.post(text('b'));
  h.outbox.post(status('done'));
  h.outbox.post(text('x', 'sre'));
  h.outbox.post(text('y', 'sre'));
  await h.settle(0);
  h.tick(16);
  assert.equal(h.posts.length, 2);
  const batch = h.posts[1]!.post;
  assert.ok(isBatchMessage(batch), 'several waiting messages travel as a batch');
  assert.deepEqual(batch.messages, [text('b'), status('done'), text('xy', 'sre')]);
  assert.deepEqual(
    h.delivered().map((m) => (m.type === 'text' ? m.text : m.type)),
    ['a', 'b', 'personaStatus', 'xy'],
    'the webview gets every message once, in the order posted',
  );
});

test('posts are at least minIntervalMs apart even when the webview settles at once', async () => {
  const h = harness({ minIntervalMs: 16 });
  h.outbox.post(text('a'));
  await h.settle(0);
  h.outbox.post(text('b'));
  assert.equal(h.posts.length, 1, 'the next post waits for the interval');
  h.tick(15);
  assert.equal(h.posts.length, 1);
  h.tick(1);
  assert.equal(h.posts.length, 2);
});

test('a post that never settles stops holding the others back after staleMs', () => {
  const h = harness({ staleMs: 3000 });
  h.outbox.post(text('a'));
  h.outbox.post(text('b'));
  h.tick(2999);
  assert.equal(h.posts.length, 1);
  h.tick(1);
  assert.equal(h.posts.length, 2, 'the waiting text is posted once the lost post is stale');
  assert.deepEqual(h.posts[1]!.post, text('b'));
});

test('reset drops what waits and forgets the old page\'s posts in flight', async () => {
  const h = harness();
  h.outbox.post(text('a'));
  h.outbox.post(text('b'));
  h.outbox.reset();
  assert.equal(h.outbox.queued, 0);
  assert.equal(h.outbox.inFlight, 0);
  h.outbox.postAlone({ type: 'state', state: { restricted: false } });
  assert.equal(h.posts.length, 2);
  h.outbox.post(status('done'));
  await h.settle(0); // the old page's post settling must not release the queue early
  assert.equal(h.posts.length, 2, 'still waiting for the state post of the new page');
  await h.settle(1);
  h.tick(16);
  assert.equal(h.posts.length, 3);
  assert.deepEqual(h.posts[2]!.post, status('done'));
});

test("a second review's first text goes at once as well", async () => {
  const h = harness();
  h.outbox.post(text('a'));
  await h.settle(0);
  h.tick(16);
  h.outbox.post({ type: 'reviewFinished', reviewId: 'r1', status: 'done', summary: { findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, dropped: 0, errors: [], notices: [], durationMs: 1 } });
  h.outbox.post(text('new', 'security', 'r2'));
  assert.equal(h.posts.length, 3, 'reviewFinished went, then the new review\'s first text at once');
  assert.deepEqual(h.posts[2]!.post, text('new', 'security', 'r2'));
});

test('the webview reads a message, a batch, and nothing else', () => {
  assert.deepEqual(hostPostMessages(text('a')), [text('a')]);
  assert.deepEqual(hostPostMessages({ type: 'batch', messages: [text('a'), status('done')] }), [text('a'), status('done')]);
  assert.equal(hostPostMessages({ type: 'batch', messages: [text('a'), { type: 'bogus' }] }), undefined, 'a batch with a malformed message is ignored whole');
  assert.equal(hostPostMessages({ type: 'batch', messages: [{ type: 'batch', messages: [] }] }), undefined, 'batches do not nest');
  assert.equal(hostPostMessages({ type: 'batch' }), undefined);
});
