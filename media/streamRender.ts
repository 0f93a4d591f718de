/**
 * Incremental rendering of streamed markdown for the review panel, as pure logic (no DOM) so it runs and
 * is tested under Node (test/unit/webview-render.test.ts).
 *
 * The approach, and why total work stays linear in the review's length N (characters) however finely
 * the text is split and however often {@link StreamingMarkdown.flush} runs:
 * - Append-only blocks. The text is cut at block boundaries — a blank line outside a code fence that is
 *   followed by a line starting at column 0 (so list-item continuations and indented code stay whole).
 *   Everything before the last boundary is rendered once, appended to the DOM, and never touched again:
 *   each character is rendered once as part of a completed block (≤ N in all).
 * - A re-rendered tail, paid for by credit. Only the text after the last boundary (the block still being
 *   written) is re-rendered as markdown. Each appended character earns {@link TAIL_CREDIT} characters of
 *   render credit (plus {@link START_CREDIT} at the start), and a tail re-render of T characters is done
 *   only when T credit is available, so all tail renders together cost at most TAIL_CREDIT·N +
 *   START_CREDIT. A short tail is therefore re-rendered on every flush; a long one (a big code block)
 *   every T/TAIL_CREDIT new characters, never O(T) per delta.
 * - Nothing waits for a re-render: characters that arrived since the tail was last rendered are returned
 *   as `raw` text, which the panel appends as a text node at the end of the rendered tail (O(delta)), so
 *   the reader sees every character at once and its formatting at the next re-render.
 * - Throttling. {@link FrameThrottle} coalesces deltas so flushes run at most once per animation frame.
 * So the work is at most (1 + TAIL_CREDIT)·N + START_CREDIT characters rendered, plus O(N) for scanning
 * and raw text.
 */

/** Render credit each appended character earns, in characters (see the module comment). */
export const TAIL_CREDIT = 8;
/** Render credit at the start, in characters: a review's first few thousand characters never wait. */
export const START_CREDIT = 4096;

/** What one flush produced: HTML to append after what is already shown, and the new HTML of the tail. */
export interface FlushResult {
  /** HTML of blocks completed since the last flush (append to the completed part); '' when none. */
  append: string;
  /** HTML of the tail (replace the tail part with it); undefined when the tail was not re-rendered. */
  tail?: string;
  /** When the tail was not re-rendered: the characters that arrived since the last flush, as plain text to
   * add at the end of the shown tail (they are in the next re-rendered tail). */
  raw?: string;
}

/** Renders a markdown source to HTML (markdown-it's `render`, or a stub in tests). */
export type RenderFn = (markdown: string) => string;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The streamed markdown of one persona. Call {@link append} for each delta and {@link flush} once per
 * frame; {@link finish} when the stream ended (the tail then becomes a completed block).
 *
 * The text is never kept as one growing string: JavaScript engines flatten a concatenated string when it
 * is searched, which would copy the whole review on every delta. Each delta is scanned once, on arrival,
 * and the uncommitted text is kept as a list of pieces, joined only to render it.
 */
export class StreamingMarkdown {
  /** Uncommitted text (from index `committed` on), as received. */
  private pieces: string[] = [];
  /** Deltas since the last flush (returned as raw text when the tail is not re-rendered). */
  private sinceFlush: string[] = [];
  /** Total characters received. */
  private length = 0;
  /** Index up to which text was rendered as completed blocks. */
  private committed = 0;
  /** The last confirmed block boundary (an index), or `committed` when none is pending. */
  private boundary = 0;
  /** The current line's text so far (joined once, when the line ends). */
  private line: string[] = [];
  /** True when no character of the current line has arrived yet. */
  private atLineStart = true;
  /** The open fence (its marker character and length), or undefined outside code fences. */
  private fence: { char: string; length: number } | undefined;
  /** Index just after the blank line(s) of a candidate boundary, awaiting the next line's first character. */
  private pendingBoundary: number | undefined;
  /** Tail length at the last tail render, or -1 when the tail must be rendered on the next flush. */
  private renderedTail = -1;
  /** Render credit for tail re-renders, in characters. */
  private credit = START_CREDIT;
  private finished = false;
  /** Characters passed to the render function so far (for the linear-work test and the benchmark). */
  renderedChars = 0;

  constructor(private readonly render: RenderFn) {}

  /** Adds a delta. */
  append(delta: string): void {
    if (delta.length === 0 || this.finished) return;
    this.scan(delta, this.length);
    this.pieces.push(delta);
    this.sinceFlush.push(delta);
    this.length += delta.length;
    this.credit += TAIL_CREDIT * delta.length;
  }

  /** Marks the end of the stream: the next flush renders the tail as a completed block. */
  finish(): void {
    this.finished = true;
  }

  /**
   * Renders what changed since the last flush: newly completed blocks (appended HTML), and the tail when
   * it is due (always right after a block completed, otherwise when credit allows), else the new
   * characters as raw text. After {@link finish}, renders everything left as a completed block and
   * returns tail ''.
   */
  flush(): FlushResult {
    const boundary = this.finished ? this.length : this.boundary;
    let append = '';
    if (boundary > this.committed) {
      const text = this.pieces.join('');
      const cut = boundary - this.committed;
      append = this.renderPart(text.slice(0, cut));
      this.pieces = cut < text.length ? [text.slice(cut)] : [];
      this.committed = boundary;
      this.renderedTail = -1;
    }
    const raw = this.sinceFlush.join('');
    this.sinceFlush = [];
    const tailLength = this.length - this.committed;
    if (this.finished) {
      this.renderedTail = 0;
      return { append, tail: '' };
    }
    // Right after a commit the old tail is stale and must go; the new tail holds only text that arrived
    // since the last flush, which its own credit covers.
    const due = this.renderedTail < 0 || (tailLength !== this.renderedTail && tailLength <= this.credit);
    if (due) {
      this.credit -= tailLength;
      this.renderedTail = tailLength;
      if (tailLength === 0) return { append, tail: '' };
      const tail = this.pieces.join('');
      this.pieces = [tail];
      return { append, tail: this.renderPart(tail) };
    }
    return raw ? { append, raw } : { append };
  }

  private renderPart(markdown: string): string {
    this.renderedChars += markdown.length;
    return this.render(markdown);
  }

  /** Scans one delta that starts at index `offset`: line by line, tracking fences and block boundaries. */
  private scan(delta: string, offset: number): void {
    let i = 0;
    while (i < delta.length) {
      if (this.atLineStart) {
        // A pending boundary is confirmed by the first character of the next line: one at column 0.
        this.atLineStart = false;
        if (this.pendingBoundary !== undefined) {
          const first = delta[i];
          if (first !== '\n' && first !== '\r') {
            if (first !== ' ' && first !== '\t') this.boundary = this.pendingBoundary;
            this.pendingBoundary = undefined;
          }
        }
      }
      const nl = delta.indexOf('\n', i);
      if (nl < 0) {
        this.line.push(delta.slice(i));
        return;
      }
      this.line.push(delta.slice(i, nl));
      const line = this.line.join('');
      this.line = [];
      this.atLineStart = true;
      i = nl + 1;
      this.endLine(line, offset + i);
    }
  }

  /** Handles one complete line; `next` is the index just after its newline. */
  private endLine(line: string, next: number): void {
    const m = FENCE.exec(line);
    if (this.fence) {
      if (m && m[1]![0] === this.fence.char && m[1]!.length >= this.fence.length && line.slice(m[0].length).trim() === '') this.fence = undefined;
    } else if (m && !(m[1]![0] === '`' && line.slice(m[0].length).includes('`'))) {
      this.fence = { char: m[1]![0]!, length: m[1]!.length };
      this.pendingBoundary = undefined;
    } else if (line.trim() === '') {
      this.pendingBoundary = next;
    } else {
      this.pendingBoundary = undefined;
    }
  }
}

/** Schedules a callback for the next frame (`requestAnimationFrame` in the webview, a stub in tests). */
export type FrameScheduler = (callback: () => void) => void;

/**
 * Coalesces many {@link request} calls into one run of `work` per frame. A request made while `work` runs
 * schedules another frame; requests in between frames cost nothing.
 */
export class FrameThrottle {
  private scheduled = false;
  /** Frames run so far. */
  frames = 0;

  constructor(
    private readonly schedule: FrameScheduler,
    private readonly work: () => void,
  ) {}

  /** Asks for `work` to run on the next frame (once, however often this is called before it). */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      if (!this.scheduled) return;
      this.scheduled = false;
      this.frames++;
      this.work();
    });
  }

  /**
   * Runs `work` now, in place of the frame already asked for (that frame then does nothing). For the first
   * text of a review: waiting for the next frame would add up to one frame (about 16 ms) before it shows.
   */
  now(): void {
    this.scheduled = false;
    this.frames++;
    this.work();
  }
}
