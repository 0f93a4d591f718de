/**
 * Model-written markdown made safe to show in chat and the review panel. One place for it: the language
 * server sanitises every model text it streams (src/server/reviews.ts), so the chat, the panel and any LSP
 * client all show the same safe text; the CLI's reports embed model text through ./markdown.ts.
 *
 * What "safe" means: no HTML (tags become inert text), no images (remote or not: they become their alt
 * text), and only http(s) links (`command:`, `vscode:`, `file:`, `javascript:` ... become plain text).
 * Fenced code is left as it is (it renders as code). Streams are handled by {@link MarkdownStreamSanitizer},
 * which sanitises whole lines only and keeps the fence state across deltas.
 */

/**
 * Makes model-written markdown safe to stream into chat: HTML tags become inert text, images (remote or
 * not) become their alt text, and links whose target is not http(s) (`command:`, `vscode:`, `file:`,
 * `javascript:` ...) become plain text. Fenced code is left as it is (it renders as code anyway).
 * The chat also renders with `isTrusted: false` and `supportHtml: false`; this is the second fence.
 */
export function sanitizeMarkdown(md: string): string {
  return sanitizeMarkdownWithFence(md, undefined).text;
}

/** {@link sanitizeMarkdown} starting inside the fence `open` (undefined: outside any); returns the fence open at the end. */
function sanitizeMarkdownWithFence(md: string, open: string | undefined): { text: string; fence: string | undefined } {
  const out: string[] = [];
  let fence = open;
  for (const line of md.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]!.slice(0, 3);
      else if (line.trim().startsWith(fence)) fence = undefined;
      out.push(line);
      continue;
    }
    if (fence) {
      out.push(line);
      continue;
    }
    out.push(
      line
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, (_m, alt: string) => (alt ? `[image: ${alt}]` : '[image]'))
        .replace(/\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)/g, (m, text: string, url: string) => (/^https?:\/\//i.test(url) ? m : text))
        .replace(/<(\/?[A-Za-z][^>]*)>/g, (_m, inner: string) => `&lt;${inner}&gt;`)
        .replace(/\b(command|vscode|vscode-insiders|javascript):[^\s)]*/gi, (m) => `\`${m.replace(/`/g, '')}\``),
    );
  }
  return { text: out.join('\n'), fence };
}

/**
 * Sanitises a markdown stream that arrives in arbitrary deltas: {@link push} returns the sanitised text of
 * every line completed so far (a line ends with `\n`), {@link end} the rest. Fences opened in one delta and
 * closed in a later one are tracked, so code inside them is passed through and text after them is cleaned.
 * The outputs concatenated equal {@link sanitizeMarkdown} of the whole input.
 */
export class MarkdownStreamSanitizer {
  private pending = '';
  private fence: string | undefined;

  /** Takes a delta; returns the sanitised complete lines it finished (possibly empty). */
  push(delta: string): string {
    this.pending += delta;
    const cut = this.pending.lastIndexOf('\n');
    if (cut < 0) return '';
    const complete = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut + 1);
    return `${this.sanitizeLines(complete)}\n`;
  }

  /** Returns the sanitised rest (a last line without a line break) and resets the sanitiser. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    const out = rest ? this.sanitizeLines(rest) : '';
    this.fence = undefined;
    return out;
  }

  private sanitizeLines(text: string): string {
    const r = sanitizeMarkdownWithFence(text, this.fence);
    this.fence = r.fence;
    return r.text;
  }
}
