/**
 * Incremental parser of a model's streamed review reply (the format that {@link buildSystemPrompt} in
 * `./prompt` asks for): readable markdown, plus one fenced block with info string `finding` per concrete
 * issue, holding one JSON finding draft (or a JSON array of them).
 *
 * Fences follow CommonMark 0.31 §4.5 ("Fenced code blocks"): an opening fence is at least three backticks
 * or tildes indented by at most three spaces, followed by the info string; the closing fence uses the same
 * character, is at least as long as the opening one and carries no info string. A finding opener is
 * recognised at the start of any line outside a finding block, even inside another code block: a model
 * that forgets to close a ```ts block should not lose its next finding, and a finding block quoted as an
 * example inside a code block is far rarer than that slip.
 *
 * The parser is independent of any provider, so the same format works for models without tool use.
 */
import { parseFindingDraft } from '../findingSchema';
import type { ProviderEvent } from '../types';

/** Detail of the `malformed` event for a reply that ends inside an open finding block. */
export const CUT_OFF_DETAIL = 'reply ended inside a finding block (cut off?)';

interface Fence {
  char: '`' | '~';
  length: number;
}

/** A complete finding opener line (without its line break): ```finding, ~~~findings, ```finding json. */
const OPENER_RE = /^ {0,3}(`{3,}|~{3,})[ \t]*(findings?)(?:[ \t]+[^`]*)?[ \t]*$/i;
/** A fence line without info string (candidate closing fence). */
const CLOSER_RE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * True while `partial` (the start of a line, no line break yet) could still grow into a finding opener.
 * Prefix-closed: once false for a line, it stays false for every longer text of that line, which is what
 * lets the parser stream ordinary text without holding it back.
 */
function couldBecomeOpener(partial: string): boolean {
  const s = partial.endsWith('\r') ? partial.slice(0, -1) : partial;
  let i = 0;
  while (i < 3 && s[i] === ' ') i++;
  const rest = s.slice(i);
  if (rest === '') return true;
  const c = rest[0];
  if (c !== '`' && c !== '~') return false;
  let n = 0;
  while (rest[n] === c) n++;
  const after = rest.slice(n);
  if (n < 3) return after === '';
  const info = after.replace(/^[ \t]+/, '');
  if (c === '`' && info.includes('`')) return false;
  const word = (/^\S*/.exec(info)?.[0] ?? '').toLowerCase();
  if (word.length < info.length) return word === 'finding' || word === 'findings';
  return 'findings'.startsWith(word);
}

function openerFence(line: string): Fence | undefined {
  const m = OPENER_RE.exec(stripCr(line));
  if (!m?.[1]) return undefined;
  return { char: m[1][0] as Fence['char'], length: m[1].length };
}

function closes(line: string, fence: Fence): boolean {
  const m = CLOSER_RE.exec(stripCr(line));
  return !!m?.[1] && m[1][0] === fence.char && m[1].length >= fence.length;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Escapes raw control characters (line breaks, tabs) that appear inside JSON string literals, the most
 * common way a model breaks JSON when it copies multi-line code into `quote` or `replacement`. Text outside
 * strings is left alone, so valid JSON is never changed and invalid JSON of another kind stays invalid.
 */
function escapeControlCharsInStrings(src: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (inString) {
      if (ch === '\\') {
        out += ch + (src[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') inString = false;
      else if (ch === '\n') {
        out += '\\n';
        continue;
      } else if (ch === '\r') {
        out += '\\r';
        continue;
      } else if (ch === '\t') {
        out += '\\t';
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

function describe(value: unknown): string {
  if (value && typeof value === 'object' && 'title' in value && typeof value.title === 'string') {
    return ` "${value.title.slice(0, 80)}"`;
  }
  return '';
}

/**
 * Turns the body of one closed finding block into events: one `finding` per valid draft, one `malformed`
 * per unusable part (invalid JSON, or an element that fails {@link parseFindingDraft}).
 * `body` is the text between the fences; it is also the `raw` of a malformed event for the whole block.
 */
export function parseFindingBlock(body: string): ProviderEvent[] {
  const src = body.trim();
  if (src === '') return [{ type: 'malformed', detail: 'empty finding block: expected one JSON object', raw: body }];
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (first) {
    try {
      value = JSON.parse(escapeControlCharsInStrings(src));
    } catch {
      const reason = first instanceof Error ? first.message : String(first);
      return [{ type: 'malformed', detail: `finding block is not valid JSON: ${reason}`, raw: body }];
    }
  }
  const items = Array.isArray(value) ? value : [value];
  const events: ProviderEvent[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(value) ? `finding ${i + 1} of ${items.length} in the block` : 'finding';
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      events.push({ type: 'malformed', detail: `${where}: expected a JSON object`, raw: Array.isArray(value) ? JSON.stringify(item) : body });
      return;
    }
    const r = parseFindingDraft(item);
    if (r.ok) events.push({ type: 'finding', finding: r.draft });
    else events.push({ type: 'malformed', detail: `${where}${describe(item)}: ${r.error}`, raw: Array.isArray(value) ? JSON.stringify(item) : body });
  });
  return events;
}

/**
 * Streaming parser of one reply. Feed text deltas in order with {@link ReplyParser.push}, then call
 * {@link ReplyParser.end} once. Both return the events that became known:
 * - `text`: markdown outside finding blocks, streamed as soon as possible. Only the start of a line that
 *   could still become a finding opener (up to three spaces, then backticks/tildes, then `finding`) is held
 *   back until its line break; at most one `text` event per call.
 * - `finding`: a validated draft, as soon as its block's closing fence line is complete.
 * - `malformed`: a block with invalid JSON, an invalid draft (with the validation reason), a block left
 *   open when a new one starts, or a reply that ends inside a block ({@link CUT_OFF_DETAIL}).
 * The result does not depend on how the reply is split into deltas.
 */
export class ReplyParser {
  /** The current line so far (without its line break). */
  private line = '';
  /** How much of `line` was already emitted as text (outside finding blocks only). */
  private emitted = 0;
  /** Open finding block, if any: its fence and the lines of its body. */
  private block: { fence: Fence; lines: string[] } | undefined;
  private ended = false;
  /** Events of the current call, and text not yet turned into an event (merged into one). */
  private out: ProviderEvent[] = [];
  private text = '';

  /** Feeds the next piece of the reply. Throws only if called after {@link end} (a programming error). */
  push(delta: string): ProviderEvent[] {
    if (this.ended) throw new Error('ReplyParser.push called after end()');
    let start = 0;
    for (;;) {
      const nl = delta.indexOf('\n', start);
      if (nl === -1) break;
      this.line += delta.slice(start, nl);
      this.completeLine(true);
      start = nl + 1;
    }
    this.line += delta.slice(start);
    if (!this.block && this.emitted < this.line.length && (this.emitted > 0 || !couldBecomeOpener(this.line))) {
      this.text += this.line.slice(this.emitted);
      this.emitted = this.line.length;
    }
    return this.drain();
  }

  /** Ends the reply: flushes held-back text and reports a finding block left open. Later calls return []. */
  end(): ProviderEvent[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.line !== '' || this.emitted > 0) this.completeLine(false);
    if (this.block) {
      this.event({ type: 'malformed', detail: CUT_OFF_DETAIL, raw: this.block.lines.join('\n') });
      this.block = undefined;
    }
    return this.drain();
  }

  /** Queues a non-text event after any text queued before it, so events keep the reply's order. */
  private event(e: ProviderEvent): void {
    if (this.text) this.out.push({ type: 'text', text: this.text });
    this.text = '';
    this.out.push(e);
  }

  private drain(): ProviderEvent[] {
    if (this.text) this.out.push({ type: 'text', text: this.text });
    this.text = '';
    const events = this.out;
    this.out = [];
    return events;
  }

  /** Handles the complete current line (`hadBreak`: it ended with a line break, not with the reply). */
  private completeLine(hadBreak: boolean): void {
    const line = this.line;
    const emitted = this.emitted;
    this.line = '';
    this.emitted = 0;
    if (this.block) {
      const block = this.block;
      if (closes(line, block.fence)) {
        this.block = undefined;
        for (const e of parseFindingBlock(block.lines.join('\n'))) this.event(e);
        return;
      }
      const fence = openerFence(line);
      if (fence) {
        this.event({
          type: 'malformed',
          detail: 'a new finding block started before this one was closed (missing closing fence)',
          raw: block.lines.join('\n'),
        });
        this.block = { fence, lines: [] };
        return;
      }
      block.lines.push(stripCr(line));
      return;
    }
    if (emitted === 0) {
      const fence = openerFence(line);
      if (fence) {
        this.block = { fence, lines: [] };
        return;
      }
    }
    this.text += line.slice(emitted) + (hadBreak ? '\n' : '');
  }
}
