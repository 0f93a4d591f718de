/**
 * The one sanitiser of untrusted markdown (model replies, finding messages, text from reviewed code) for
 * every place that shows it: chat answers, the review panel, markdown reports. Built on markdown-it's token
 * stream, not on regular expressions, so it sees the document as a CommonMark renderer does (reference
 * definitions, fences in list items, nested brackets, multi-line alt text):
 * - no images: an image (inline or reference-style) becomes its alt text, `(image: alt)`, and its URL is
 *   dropped, so nothing loads a remote resource (a tracking pixel, a spoofed badge);
 * - no HTML: raw HTML is text (`html: false`), and any HTML token a plugin produced is turned back into text;
 * - links only to http(s) URLs without credentials ({@link isSafeLinkUrl}); `command:`, `vscode:`, `file:`,
 *   `javascript:`, `data:` and relative targets stay plain text; no autolinking of bare text.
 * Two ways to use it:
 * - {@link safeMarkdownPlugin} for a markdown-it instance that renders HTML (the review panel's webview);
 * - {@link sanitizeMarkdown} / {@link sanitizeInline} / {@link SafeMarkdownStream}, which parse and write
 *   the document back as markdown made only of escaped text, code, emphasis, headings, lists, quotes,
 *   tables and validated links (chat, where VS Code renders the markdown; markdown reports). The output
 *   re-parses to the same safe structure in any CommonMark renderer, because every character that could
 *   start markup in text is backslash-escaped (CommonMark 0.31 §2.4, "Backslash escapes").
 * Time is linear in the input: markdown-it's parser is linear on the inputs we measured (bench/markdown.ts:
 * 64 KB of `[a](` repeated), the writer is one pass over the tokens, and the stream re-parses its pending
 * text only when it has grown by half since the last parse.
 *
 * Pure: imports only markdown-it, so it lives in src/shared and the webview, the server, the engine (src/core),
 * the CLI and tests all use it.
 */
import MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';

/**
 * True for an absolute `http:` or `https:` URL with a host and without user name or password (a link such
 * as `https://trusted.example@evil.example/` is refused: it hides where it goes). Never throws.
 */
export function isSafeLinkUrl(href: string): boolean {
  const s = href.trim();
  if (!/^https?:\/\//i.test(s) || /[\s<>"`]/.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Text that replaces an image: its alt text, marked so a reader knows an image was there. */
export function imagePlaceholder(alt: string): string {
  const a = alt.replace(/\s+/g, ' ').trim();
  return a ? `(image: ${a})` : '(image)';
}

/** The plain text of an image's alt (its children's text, as markdown-it's renderer computes `alt`). */
function altText(t: Token): string {
  const kids = t.children ?? [];
  if (kids.length === 0) return t.content;
  return kids.map((c) => (c.type === 'image' ? altText(c) : c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : c.content)).join('');
}

/** Turns one token into a text token with the given content (keeps its position in the stream). */
function toText(t: Token, content: string): void {
  t.type = 'text';
  t.tag = '';
  t.content = content;
  t.children = null;
  t.attrs = null;
  t.markup = '';
  t.nesting = 0;
}

/** The inline rewrite of {@link safeMarkdownPlugin}: images → text, HTML → text, unsafe links → their text. */
function neutraliseInline(children: Token[]): void {
  const open: boolean[] = [];
  for (const t of children) {
    if (t.type === 'image') toText(t, imagePlaceholder(altText(t)));
    else if (t.type === 'html_inline') toText(t, t.content);
    else if (t.type === 'link_open') {
      const ok = isSafeLinkUrl(t.attrGet('href') ?? '');
      open.push(ok);
      if (!ok) toText(t, '');
    } else if (t.type === 'link_close') {
      if (!(open.pop() ?? false)) toText(t, '');
    }
  }
}

/**
 * A markdown-it plugin that makes an instance safe for untrusted text (see the module comment): sets
 * `html: false`, `linkify: false`, `validateLink` = {@link isSafeLinkUrl}, and adds a core rule that turns
 * images and any HTML token into text and unlinks any link whose target is not a safe URL (defence in
 * depth: `validateLink` already refuses them). Use: `new MarkdownIt().use(safeMarkdownPlugin)`.
 */
export function safeMarkdownPlugin(md: MarkdownIt): void {
  md.set({ html: false, linkify: false });
  md.validateLink = isSafeLinkUrl;
  md.core.ruler.push('persona_review_safety', (state: StateCore) => {
    for (const t of state.tokens) {
      if (t.type === 'inline' && t.children) neutraliseInline(t.children);
      else if (t.type === 'html_block') {
        t.type = 'code_block';
        t.tag = 'code';
      }
    }
  });
}

/** A shared parser: CommonMark plus GFM tables and strike-through (markdown-it's default preset), made safe. */
let parser: MarkdownIt | undefined;
function safeParser(): MarkdownIt {
  parser ??= new MarkdownIt('default', { html: false, linkify: false, typographer: false }).use(safeMarkdownPlugin);
  return parser;
}

// ---------------------------------------------------------------------------------------------------------
// Writing tokens back as markdown

/** Characters escaped anywhere in text: each could start or end markup (emphasis, code, links, HTML, entities, tables). */
const INLINE_SPECIAL = /[\\`*_[\]<>&|~]/g;

/** Escapes text for any position in a line; at a line start also a block marker (`#`, `+`, `-`, `=`, `1.`, `1)`). */
function escapeText(text: string, atLineStart: boolean): string {
  return text
    .split('\n')
    .map((line, i) => {
      const e = line.replace(INLINE_SPECIAL, '\\$&');
      if (!atLineStart && i === 0) return e;
      return e.replace(/^(\s*)([#+\-=])/, '$1\\$2').replace(/^(\s*\d{1,9})([.)])/, '$1\\$2');
    })
    .join('\n');
}

/** Length of the longest run of the character `ch` in `s` (0 when absent), counted in code points. */
export function longestRun(s: string, ch: string): number {
  let best = 0;
  let cur = 0;
  for (const c of s) {
    cur = c === ch ? cur + 1 : 0;
    if (cur > best) best = cur;
  }
  return best;
}

/**
 * A code span holding `content` exactly (CommonMark 0.31 §6.1 "Code spans": a backtick run longer than any
 * inside, padded with one space when the content starts or ends with a backtick or is wrapped in spaces).
 * `content` must be one line.
 */
export function codeSpan(content: string): string {
  const ticks = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/** A link destination as written back: characters that could end or confuse it percent-encoded. */
function linkDestination(href: string): string {
  return href.replace(/[()<>\s"`\\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Writes inline tokens back as markdown (see the module comment for what can come out). */
function writeInline(children: readonly Token[]): string {
  let out = '';
  let atLineStart = true;
  const links: Array<string | undefined> = [];
  const emit = (s: string) => {
    if (s === '') return;
    out += s;
    atLineStart = false;
  };
  for (const t of children) {
    switch (t.type) {
      case 'softbreak':
        out += '\n';
        atLineStart = true;
        break;
      case 'hardbreak':
        out += '\\\n';
        atLineStart = true;
        break;
      case 'code_inline':
        emit(codeSpan(t.content));
        break;
      case 'em_open':
      case 'em_close':
        emit('*');
        break;
      case 'strong_open':
      case 'strong_close':
        emit('**');
        break;
      case 's_open':
      case 's_close':
        emit('~~');
        break;
      case 'link_open': {
        const href = t.attrGet('href') ?? '';
        const ok = isSafeLinkUrl(href);
        links.push(ok ? href : undefined);
        if (ok) emit('[');
        break;
      }
      case 'link_close': {
        const href = links.pop();
        if (href !== undefined) emit(`](${linkDestination(href)})`);
        break;
      }
      case 'image':
        emit(escapeText(imagePlaceholder(altText(t)), atLineStart));
        break;
      default:
        // text, text_special, and anything a plugin adds: its content as escaped text.
        if (t.content) emit(escapeText(t.content, atLineStart));
    }
  }
  return out;
}

/** Options of {@link sanitizeMarkdown}. */
export interface SanitizeOptions {
  /**
   * Shift headings so the shallowest one becomes this level (1..6; deeper ones keep their distance, at most
   * 6): for embedding a model's review under a report's own headings. Default: levels unchanged.
   */
  headingTop?: number;
}

interface WriteContext {
  headingShift: number;
}

/** Index of the token that closes the container opened at `i` (same type family, nesting back to zero). */
function closeOf(tokens: readonly Token[], i: number): number {
  const open = tokens[i]!.type;
  const close = open.replace(/_open$/, '_close');
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!.type;
    if (t === open) depth++;
    else if (t === close && --depth === 0) return j;
  }
  return tokens.length - 1;
}

/** Prefixes the first line with `first` and the others with `rest` (blank lines stay blank). */
function indentLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first + line : line === '' ? line.trimEnd() : rest + line))
    .join('\n');
}

/** A fenced code block holding `content` exactly, with a fence longer than any backtick run in it. */
function fence(content: string, info: string): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  const lang = (/^[A-Za-z0-9_+#.-]{1,32}/.exec(info.trim())?.[0] ?? '');
  const body = content.endsWith('\n') || content === '' ? content : content + '\n';
  return `${ticks}${lang}\n${body}${ticks}`;
}

/** Writes block tokens `[from, to)` back as markdown blocks; `tight`: paragraphs of a tight list item. */
function writeBlocks(tokens: readonly Token[], from: number, to: number, ctx: WriteContext): string[] {
  const blocks: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'paragraph_open': {
        const inline = tokens[i + 1];
        blocks.push(inline?.type === 'inline' ? writeInline(inline.children ?? []) : '');
        i = closeOf(tokens, i);
        break;
      }
      case 'heading_open': {
        const level = Math.min(6, Math.max(1, Number(t.tag.slice(1)) + ctx.headingShift));
        const inline = tokens[i + 1];
        const text = inline?.type === 'inline' ? writeInline(inline.children ?? []).replace(/\n/g, ' ') : '';
        blocks.push(`${'#'.repeat(level)} ${text}`);
        i = closeOf(tokens, i);
        break;
      }
      case 'blockquote_open': {
        const end = closeOf(tokens, i);
        const inner = writeBlocks(tokens, i + 1, end, ctx).join('\n\n');
        blocks.push(inner.split('\n').map((l) => (l === '' ? '>' : `> ${l}`)).join('\n'));
        i = end;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const end = closeOf(tokens, i);
        const ordered = t.type === 'ordered_list_open';
        let n = Number(t.attrGet('start') ?? 1);
        const items: string[] = [];
        let tight = true;
        for (let j = i + 1; j < end; j++) {
          const item = tokens[j]!;
          if (item.type !== 'list_item_open') continue;
          const itemEnd = closeOf(tokens, j);
          for (let k = j + 1; k < itemEnd; k++) if (tokens[k]!.type === 'paragraph_open' && !tokens[k]!.hidden) tight = false;
          const marker = ordered ? `${n++}${item.markup === ')' ? ')' : '.'} ` : '- ';
          const body = writeBlocks(tokens, j + 1, itemEnd, ctx).join(tokens[j + 1]?.hidden ? '\n' : '\n\n');
          items.push(body === '' ? marker.trimEnd() : indentLines(body, marker, ' '.repeat(marker.length)));
          j = itemEnd;
        }
        blocks.push(items.join(tight ? '\n' : '\n\n'));
        i = end;
        break;
      }
      case 'fence':
        blocks.push(fence(t.content, t.info));
        break;
      case 'code_block':
        blocks.push(fence(t.content, ''));
        break;
      case 'hr':
        blocks.push('***');
        break;
      case 'table_open': {
        const end = closeOf(tokens, i);
        const rows: string[][] = [];
        const align: string[] = [];
        let inHead = false;
        for (let j = i + 1; j < end; j++) {
          const c = tokens[j]!;
          if (c.type === 'thead_open') inHead = true;
          else if (c.type === 'thead_close') inHead = false;
          else if (c.type === 'tr_open') rows.push([]);
          else if (c.type === 'th_open' || c.type === 'td_open') {
            if (inHead) {
              const style = c.attrGet('style') ?? '';
              align.push(style.includes('center') ? ':---:' : style.includes('right') ? '---:' : style.includes('left') ? ':---' : '---');
            }
            const inline = tokens[j + 1];
            rows[rows.length - 1]!.push(inline?.type === 'inline' ? writeInline(inline.children ?? []).replace(/\n/g, ' ') : '');
          }
        }
        const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
        const [head, ...body] = rows;
        if (head) blocks.push([line(head), line(align.length ? align : head.map(() => '---')), ...body.map(line)].join('\n'));
        i = end;
        break;
      }
      case 'html_block':
        blocks.push(fence(t.content, ''));
        break;
      case 'inline':
        blocks.push(writeInline(t.children ?? []));
        break;
      default:
        break;
    }
  }
  return blocks.filter((b) => b !== '');
}

/** The heading shift for `headingTop`: how many levels to add so the shallowest heading becomes `top`. */
function headingShift(tokens: readonly Token[], top: number | undefined): number {
  if (top === undefined) return 0;
  let min = 7;
  for (const t of tokens) if (t.type === 'heading_open') min = Math.min(min, Number(t.tag.slice(1)));
  return min <= 6 && min < top ? top - min : 0;
}

/**
 * Untrusted markdown → safe markdown (see the module comment): images become `(image: alt)`, HTML and
 * unsafe link targets become text, every other character that could start markup is escaped, and code
 * blocks are always closed (a reply cut mid-fence cannot swallow what follows). Blocks are separated by one
 * blank line; the result has no trailing line break. Linear time; never throws.
 */
export function sanitizeMarkdown(markdown: string, options: SanitizeOptions = {}): string {
  const tokens = safeParser().parse(markdown, {});
  return writeBlocks(tokens, 0, tokens.length, { headingShift: headingShift(tokens, options.headingTop) }).join('\n\n');
}

/**
 * Untrusted text for use inside a line of markdown (a title, a persona name, an error message): parsed as
 * inline markdown only (no headings, lists or blocks), written back as in {@link sanitizeMarkdown}, with
 * line breaks turned into spaces. Linear time; never throws.
 */
export function sanitizeInline(text: string): string {
  const tokens = safeParser().parseInline(text.replace(/[\r\n\u2028\u2029]+/g, ' '), {});
  return writeInline(tokens[0]?.children ?? []).replace(/\n/g, ' ');
}

/** Pending text up to this size is re-parsed on every line break. */
const STREAM_EVERY_LINE_CHARS = 1024;
/** Up to this size, on a blank line or a fence line; above it, once it grew by half since the last parse. */
const STREAM_BOUNDARY_CHARS = 4096;

/**
 * Sanitises streamed markdown (a model reply arriving in deltas) for an append-only sink such as a chat
 * response. {@link push} returns safe markdown for the top-level blocks that are complete (a block is
 * complete once the next one has started: later text cannot change it), {@link end} the rest. The output
 * is the sanitised blocks one after another, each followed by a blank line. Reference definitions apply
 * within the text parsed together (a reference-style link may then show as text; never as an image).
 * Line breaks are normalised to LF (CR and CRLF, as markdown-it does). Linear time: the pending text is
 * re-parsed on a line break while short, then on a blank or fence line, and above 4,096 characters only
 * after it grew by half since the last parse.
 */
export class SafeMarkdownStream {
  private pending = '';
  private parsedLength = 0;
  private lastCr = false;

  constructor(private readonly options: SanitizeOptions = {}) {}

  /** Adds the next delta; returns safe markdown for the blocks completed so far (often ''). */
  push(delta: string): string {
    if (this.lastCr && delta.startsWith('\n')) delta = delta.slice(1);
    if (delta === '') return '';
    this.lastCr = delta.endsWith('\r');
    delta = delta.replace(/\r\n?/g, '\n');
    this.pending += delta;
    if (!delta.includes('\n') || !this.shouldParse()) return '';
    this.parsedLength = this.pending.length;
    const tokens = safeParser().parse(this.pending, {});
    let lastStart = 0;
    for (const t of tokens) if (t.level === 0 && t.nesting !== -1 && t.map) lastStart = t.map[0];
    if (lastStart <= 0) return '';
    const lines = this.pending.split('\n');
    const done = lines.slice(0, lastStart).join('\n');
    this.pending = lines.slice(lastStart).join('\n');
    this.parsedLength = this.pending.length;
    const out = sanitizeMarkdown(done, this.options);
    return out === '' ? '' : out + '\n\n';
  }

  /** Ends the stream: safe markdown for everything not yet returned. */
  end(): string {
    const out = sanitizeMarkdown(this.pending, this.options);
    this.pending = '';
    this.parsedLength = 0;
    return out === '' ? '' : out + '\n\n';
  }

  private shouldParse(): boolean {
    const n = this.pending.length;
    if (n <= STREAM_EVERY_LINE_CHARS) return true;
    if (n <= STREAM_BOUNDARY_CHARS) {
      const end = this.pending.lastIndexOf('\n');
      const lastLine = this.pending.slice(this.pending.lastIndexOf('\n', end - 1) + 1, end);
      return lastLine.trim() === '' || /^\s*(?:`{3,}|~{3,})/.test(lastLine);
    }
    return (n - this.parsedLength) * 2 >= this.parsedLength;
  }
}
