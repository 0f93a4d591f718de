/**
 * Flow control of the messages the extension posts to the review panel's webview (used by
 * src/extension/panel.ts; pure, so it is unit-tested under Node: test/unit/panel-outbox.test.ts).
 *
 * Why: in VS Code for the Web and code-server the extension host is remote, and every
 * `webview.postMessage` travels in its own WebSocket frame to the workbench's main thread, which reads the
 * frames one at a time (VS Code's browser socket reads each frame's Blob with one FileReader) before it
 * hands each message to the webview. The panel's page runs on that same main thread. On a loaded machine a
 * frame costs tens of ms there, so a model streaming hundreds of deltas a second, posted every 16 ms,
 * queued 100+ messages and seconds of lag between host and panel (measured by bench/extension.ts with a
 * trace of the page: the first text waited behind frames posted after it, reviewFinished behind
 * the whole backlog).
 *
 * The rules:
 * - A review's first `text` is posted at once and alone, whatever is in flight: first text to first
 *   paint is what the user waits for.
 * - Otherwise at most {@link OutboxOptions.maxInFlight} posts are in flight (posted, their promise not yet
 *   settled, i.e. the workbench has not yet handed them to the webview). Messages posted meanwhile wait
 *   in order; consecutive `text` deltas of one review and persona are merged into one.
 * - When a post settles, everything waiting goes in the next post: one message as itself, several as a
 *   {@link BatchMessage}; posts are at least {@link OutboxOptions.minIntervalMs} apart (one frame at
 *   60 Hz), so a fast webview gets at most about 60 posts a second and a slow one as many as it takes.
 * - A post that has not settled after {@link OutboxOptions.staleMs} no longer holds the others back (a
 *   webview that went away without settling it must not freeze the panel).
 */
import type { BatchMessage, HostToWebviewMessage, HostToWebviewPost } from './webview';

/** Tunables of {@link PanelOutbox}; times in ms. */
export interface OutboxOptions {
  /** Posts in flight at most (besides a review's first text). */
  maxInFlight: number;
  /** Least time between two posts, ms. */
  minIntervalMs: number;
  /** A post unsettled for this long stops counting as in flight, ms. */
  staleMs: number;
  /** The clock (ms) and a one-shot timer; injectable for tests. */
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

/** The defaults: one post in flight, 16 ms apart, a post stale after 3 s. */
export const OUTBOX_DEFAULTS: OutboxOptions = {
  maxInFlight: 1,
  minIntervalMs: 16,
  staleMs: 3000,
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What {@link PanelOutbox} hands to its sender: one post, and its messages in order. */
export type PostSender = (post: HostToWebviewPost, messages: readonly HostToWebviewMessage[]) => PromiseLike<unknown>;

/** The host's outgoing queue to one webview page (see the module comment). */
export class PanelOutbox {
  private readonly o: OutboxOptions;
  private waiting: HostToWebviewMessage[] = [];
  /** Start times (ms) of the posts in flight, by post number. */
  private readonly inFlightSince = new Map<number, number>();
  private seq = 0;
  /** Page generation: posts of an earlier page (before {@link reset}) settle into nothing. */
  private generation = 0;
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  /** The review whose first text was posted. */
  private firstTextOf: string | undefined;
  /** Posts made (postMessage calls), and the most in flight at once since the last {@link resetPeak}. */
  posts = 0;
  peakInFlight = 0;

  constructor(
    private readonly send: PostSender,
    options: Partial<OutboxOptions> = {},
  ) {
    this.o = { ...OUTBOX_DEFAULTS, ...options };
  }

  /** Posts not yet settled (stale ones are forgotten). */
  get inFlight(): number {
    const now = this.o.now();
    for (const [id, since] of this.inFlightSince) if (now - since >= this.o.staleMs) this.inFlightSince.delete(id);
    return this.inFlightSince.size;
  }

  /** Messages waiting for a post. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Queues `m` (or posts it at once: a review's first text) and posts what it can. */
  post(m: HostToWebviewMessage): void {
    if (m.type === 'text' && this.firstTextOf !== m.reviewId) {
      this.firstTextOf = m.reviewId;
      // Anything waiting goes first, in the same post, so order is kept.
      const messages = [...this.waiting, m];
      this.waiting = [];
      this.postNow(messages);
      return;
    }
    const last = this.waiting[this.waiting.length - 1];
    if (m.type === 'text' && last?.type === 'text' && last.reviewId === m.reviewId && last.personaId === m.personaId) {
      this.waiting[this.waiting.length - 1] = { ...last, text: last.text + m.text };
    } else this.waiting.push(m);
    this.pump();
  }

  /**
   * Forgets what waits and what is in flight (a new page: the host sends it the whole state instead).
   * Posts still in flight from the old page no longer count.
   */
  reset(): void {
    this.waiting = [];
    this.inFlightSince.clear();
    this.generation++;
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Posts `m` now, ahead of anything waiting (the whole state after `ready`). */
  postAlone(m: HostToWebviewMessage): void {
    this.postNow([m]);
  }

  /** Starts a new peak of {@link peakInFlight}. */
  resetPeak(): void {
    this.peakInFlight = this.inFlight;
  }

  /** Drops the timer; nothing more is posted until the next {@link post}. */
  dispose(): void {
    this.reset();
  }

  private pump(): void {
    if (this.waiting.length === 0 || this.timer !== undefined) return;
    if (this.inFlight >= this.o.maxInFlight) {
      // Re-check when the oldest post would go stale (a settle usually comes first and pumps).
      const oldest = Math.min(...this.inFlightSince.values());
      this.schedule(oldest + this.o.staleMs - this.o.now());
      return;
    }
    const wait = this.lastPostAt + this.o.minIntervalMs - this.o.now();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const messages = this.waiting;
    this.waiting = [];
    this.postNow(messages);
  }

  private schedule(ms: number): void {
    this.timer = this.o.setTimer(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, ms));
  }

  private postNow(messages: HostToWebviewMessage[]): void {
    const id = ++this.seq;
    const generation = this.generation;
    const now = this.o.now();
    this.lastPostAt = now;
    this.inFlightSince.set(id, now);
    this.posts++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const post: HostToWebviewPost = messages.length === 1 ? messages[0]! : ({ type: 'batch', messages } satisfies BatchMessage);
    const settled = () => {
      if (generation !== this.generation) return;
      this.inFlightSince.delete(id);
      if (this.timer !== undefined) {
        this.o.clearTimer(this.timer);
        this.timer = undefined;
      }
      this.pump();
    };
    let sent: PromiseLike<unknown>;
    try {
      sent = this.send(post, messages);
    } catch {
      settled();
      return;
    }
    sent.then(settled, settled);
  }
}
