/**
 * Merges a review's streamed `text` events before they cross to the client.
 *
 * A model streams its reply in small deltas (the Messages API sends one `content_block_delta` per few
 * tokens; a fast or local model several hundred a second). Sent one LSP notification each, they cost
 * the server and the client a JSON message apiece, and in a remote workbench (code-server, Codespaces)
 * the extension host and the browser share the machine with the server: the flood delays the one
 * message the user is waiting for, the first text of the review. The batcher sends a persona's first
 * text at once (the leading edge), then merges what follows for at most {@link TEXT_BATCH_MS} ms.
 * Order is kept: the caller flushes before any other event of the review, so a finding never overtakes
 * the text that preceded it.
 */

/** Longest time, in ms, a text delta waits for others to merge with: one frame at 60 Hz. */
export const TEXT_BATCH_MS = 16;

/** One merged text event: the persona, the model's text, and its sanitised blocks (undefined when none completed). */
export interface TextBatch {
  personaId: string;
  text: string;
  safeText: string | undefined;
}

/**
 * Batches text per persona. `send` receives merged batches in the order their personas first had text
 * pending; within a persona, text keeps its order. Timers are `setTimeout` (ms); {@link flush} sends what
 * is pending and stops the timer.
 */
export class TextBatcher {
  private readonly pending = new Map<string, { text: string; safe: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `Date.now()` of the last send, ms. */
  private lastSentAt = Number.NEGATIVE_INFINITY;

  /**
   * @param send called with each batch; it must not throw (it runs from a timer).
   * @param windowMs the merge window in ms (default {@link TEXT_BATCH_MS}); 0 sends every delta at once.
   * @param now the clock, ms (tests pass a fake one).
   */
  constructor(
    private readonly send: (batch: TextBatch) => void,
    private readonly windowMs = TEXT_BATCH_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a delta of `personaId`'s text, and its sanitised part (`undefined` or '' when no block completed). */
  push(personaId: string, text: string, safeText: string | undefined): void {
    const at = this.now();
    if (this.timer === undefined && this.pending.size === 0 && at - this.lastSentAt >= this.windowMs) {
      this.lastSentAt = at;
      this.send({ personaId, text, safeText: safeText || undefined });
      return;
    }
    const p = this.pending.get(personaId);
    if (p) {
      p.text += text;
      p.safe += safeText ?? '';
    } else this.pending.set(personaId, { text, safe: safeText ?? '' });
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.windowMs - (at - this.lastSentAt)));
  }

  /** Sends whatever is pending now (before any other event of the review, and at its end). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batches = [...this.pending].map(([personaId, p]) => ({ personaId, text: p.text, safeText: p.safe || undefined }));
    this.pending.clear();
    this.lastSentAt = this.now();
    for (const b of batches) this.send(b);
  }
}
