/**
 * Prompt-cache warm-up for the personas of one review: before a request for chunk `i` of the shared context,
 * a provider asks the gate; the first persona to ask for a chunk sends at once (it writes the cache entry),
 * the others wait until that reply has begun (its response headers arrived), because Anthropic makes a
 * cache entry readable only once the response that writes it has begun (prompt caching docs, "Concurrent
 * requests": "a cache entry only becomes available after the first response begins"). Per chunk, so the
 * second chunk of a multi-chunk team review is written once, too. Nobody waits longer than `maxWaitMs`
 * (a slow or failed first reply must not hold the team back), and a waiter whose signal aborts stops waiting.
 */

/** Default longest wait for another persona's reply to begin, ms: team members start after at most this. */
export const DEFAULT_CACHE_WAIT_MS = 3_000;

/** What the personas of one review share, as a provider needs to know it (see {@link PromptCacheGate}). */
export interface SharedContext {
  /** How many personas send requests with this context (1: nothing would read a cache entry). */
  personas: number;
  /** Warm-up coordination; absent for providers that cache nothing. */
  gate?: PromptCacheGate;
}

interface ChunkState {
  release: () => void;
  released: Promise<void>;
}

/** See the module comment. One gate per review; chunk indexes are 0-based. */
export class PromptCacheGate {
  private readonly chunks = new Map<number, ChunkState>();

  /** @param maxWaitMs longest wait in {@link enter}, ms (default {@link DEFAULT_CACHE_WAIT_MS}). */
  constructor(readonly maxWaitMs = DEFAULT_CACHE_WAIT_MS) {}

  /**
   * Called before sending chunk `chunk`. Resolves `true` at once for the first caller of a chunk (the
   * writer, which must later call {@link release} for it: when its reply began, or when it failed), else
   * `false` once the writer released it, `maxWaitMs` passed, or `signal` aborted. Never rejects.
   */
  async enter(chunk: number, signal?: AbortSignal): Promise<boolean> {
    const state = this.chunks.get(chunk);
    if (!state) {
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      this.chunks.set(chunk, { release, released });
      return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    await Promise.race([
      state.released,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.maxWaitMs);
      }),
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        onAbort = resolve;
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    return false;
  }

  /** The writer's reply for `chunk` began (or failed): waiters go. Idempotent. */
  release(chunk: number): void {
    this.chunks.get(chunk)?.release();
  }
}
