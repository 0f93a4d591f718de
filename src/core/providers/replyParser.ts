/**
 * Incremental parser of a model's streamed review reply (the format that {@link buildSystemPrompt} in
 * `./prompt` asks for): readable markdown, plus one fenced block with info string `finding` per concrete
 * issue, holding one JSON finding draft (or a JSON array of them).
 *
 * Fences follow CommonMark 0.31 §4.5 ("Fenced code blocks"): an opening fence is a run of at least three
 * backticks or tildes followed by the info string; the closing fence uses the same character, is at least
 * as long as the opening one and carries no info string. Models bend that form, and every bent form either
 * yields its findings or is reported as `malformed` with the reason (nothing is lost silently):
 * - the fence may follow any indentation (spaces, tabs, a BOM, NBSP or other Unicode spaces), blockquote
 *   markers (`> `) and list markers (`- `, `1. `); the body's lines lose the same quote markers and indent;
 * - full-width backticks and tildes (U+FF40, U+FF5E) count as fence characters;
 * - lines may end with LF, CRLF, CR alone, U+2028, U+2029 or U+0085;
 * - a block with info string `json` (`jsonc`, `json5`) is a finding block when its JSON looks like a
 *   finding (two or more of file, quote, severity, category, title); otherwise it is ordinary text;
 * - a whole block on one line (```` ```finding {...}``` ````, also ```` ```finding json {...}``` ````), a
 *   closing fence glued to the last line of the body (`}```), and JSON starting on the opener line;
 * - an opener inside an open block ends that block as malformed (missing closing fence) and starts anew;
 * - JSON nested deeper than {@link MAX_JSON_DEPTH} is rejected before parsing (no stack overflow).
 * A finding opener is recognised at the start of any line outside a finding block, even inside another
 * code block: a model that forgets to close a ```ts block should not lose its next finding, and a finding
 * block quoted as an example inside a code block is far rarer than that slip.
 *
 * The parser is independent of any provider, so the same format works for models without tool use.
 */
import { parseFindingDraft } from '../findingSchema';
import type { ProviderEvent } from '../types';

/** Detail of the `malformed` event for a reply that ends inside an open finding block. */
export const CUT_OFF_DETAIL = 'reply ended inside a finding block (cut off?)';
/** Deepest nesting of arrays/objects accepted in a finding block (a finding needs 3). */
export const MAX_JSON_DEPTH = 32;
/** `raw` of a malformed event is cut to this many characters. */
export const MAX_RAW_CHARS = 4_000;

type FenceKind = '`' | '~';
/** What a block is: a `finding` block, or a `json` block that is a finding block only if its JSON looks like one. */
type BlockKind = 'finding' | 'json';

interface Fence {
  char: FenceKind;
  length: number;
}

/** The markers and indentation in front of a fence: how many `>` and how many characters after the last. */
interface Prefix {
  quotes: number;
  indent: number;
}

/** Zero-width and other invisible characters models put at a line start, beyond what `\s` covers. */
const INVISIBLE = '\\uFEFF\\u200B-\\u200D\\u2060';
/** Indentation, blockquote and list markers in front of a fence. `\s` covers tabs, NBSP, U+2000-U+200A, U+3000, BOM. */
const PREFIX_RE = new RegExp(`^(?:[\\s${INVISIBLE}>]|[-*+](?=\\s)|\\d{1,9}[.)](?=\\s))*`, 'u');
const SPACE_RE = new RegExp(`[\\s${INVISIBLE}]`, 'u');
/** A fence run: ASCII or full-width backticks, or ASCII or full-width tildes. */
const FENCE_RE = /^([`\uFF40]{3,}|[~\uFF5E]{3,})/;
/** Info words that open a finding block (`finding`) or a candidate one (`json`). */
const FINDING_WORDS = ['finding', 'findings'];
const JSON_WORDS = ['json', 'jsonc', 'json5'];
const OPENER_WORDS = [...FINDING_WORDS, ...JSON_WORDS];
/** Line breaks: LF, CR (alone or before LF), LINE SEPARATOR, PARAGRAPH SEPARATOR, NEXT LINE. */
const BREAK_RE = /[\n\r\u2028\u2029\u0085]/g;
/** Keys of a finding; a `json` block whose object has two of them is taken as a finding block. */
const FINDING_KEYS = ['file', 'quote', 'severity', 'category', 'title'];

function fenceKind(c: string | undefined): FenceKind | undefined {
  return c === '`' || c === '\uFF40' ? '`' : c === '~' || c === '\uFF5E' ? '~' : undefined;
}

/** Splits a line into its prefix (see {@link PREFIX_RE}) and the rest. */
function splitPrefix(line: string): { prefix: Prefix; rest: string } {
  const p = PREFIX_RE.exec(line)?.[0] ?? '';
  const lastQuote = p.lastIndexOf('>');
  return { prefix: { quotes: [...p].filter((c) => c === '>').length, indent: p.length - lastQuote - 1 }, rest: line.slice(p.length) };
}

/** A fence run at the start of `rest`: its kind, length (in characters) and what follows it. */
function fenceAt(rest: string): { fence: Fence; after: string } | undefined {
  const m = FENCE_RE.exec(rest);
  const kind = fenceKind(m?.[1]?.[0]);
  if (!m?.[1] || !kind) return undefined;
  return { fence: { char: kind, length: m[1].length }, after: rest.slice(m[1].length) };
}

/** Length of the fence run of `kind` that `text` ends with (after trailing white space), else 0. */
function trailingFence(text: string, kind: FenceKind): { length: number; before: string } {
  const t = text.replace(/\s+$/u, '');
  let i = t.length;
  while (i > 0 && fenceKind(t[i - 1]) === kind) i--;
  return { length: t.length - i, before: t.slice(0, i) };
}

/** An opener line, analysed. `inline`: JSON that starts on the opener line; `closedInline`: the block also ended there. */
interface Opener {
  kind: BlockKind;
  fence: Fence;
  prefix: Prefix;
  inline?: string;
  closedInline?: boolean;
}

/**
 * Reads a complete line as a finding or json opener: ```` ```finding ````, `~~~findings`, ```` ```finding json ````,
 * ```` ```json ````, ```` ```finding {...}``` ```` (one line), ```` ```{...}``` ```` (one line, no info string).
 */
function openerOf(line: string): Opener | undefined {
  const { prefix, rest } = splitPrefix(line);
  const f = fenceAt(rest);
  if (!f) return undefined;
  const info = f.after.replace(/^\s+/u, '');
  const word = (/^[^\s{[]*/u.exec(info)?.[0] ?? '').toLowerCase();
  let after = info.slice(word.length).replace(/^\s+/u, '');
  // A second info word naming the language (```finding json {...}```) before JSON on the same line.
  const second = (/^[^\s{[]*/u.exec(after)?.[0] ?? '').toLowerCase();
  if (FINDING_WORDS.includes(word) && JSON_WORDS.includes(second) && /^\s*[{[]/u.test(after.slice(second.length))) after = after.slice(second.length).replace(/^\s+/u, '');
  let kind: BlockKind;
  if (FINDING_WORDS.includes(word)) kind = 'finding';
  else if (JSON_WORDS.includes(word) || (word === '' && /^[{[]/.test(after))) kind = 'json';
  else return undefined;
  if (/^[{[]/.test(after)) {
    const t = trailingFence(after, f.fence.char);
    if (t.length >= f.fence.length && t.before.trim() !== '') return { kind, fence: f.fence, prefix, inline: t.before, closedInline: true };
    return { kind, fence: f.fence, prefix, inline: after };
  }
  if (word === '') return undefined;
  // Backtick info strings cannot contain backticks (CommonMark §4.5): ```finding` is inline code, not a fence.
  if (f.fence.char === '`' && /[`\uFF40]/.test(after)) return undefined;
  return { kind, fence: f.fence, prefix };
}

/** True when `line` closes a block opened with `fence` (any prefix, then a long enough fence run, then nothing). */
function closes(line: string, fence: Fence): boolean {
  const f = fenceAt(splitPrefix(line).rest);
  return !!f && f.fence.char === fence.char && f.fence.length >= fence.length && f.after.trim() === '';
}

/** Removes from a body line the quote markers and indentation its opener had. */
function stripBodyPrefix(line: string, prefix: Prefix): string {
  let i = 0;
  for (let q = 0; q < prefix.quotes; q++) {
    let j = i;
    while (j < line.length && SPACE_RE.test(line[j]!)) j++;
    if (line[j] !== '>') break;
    i = j + 1;
    if (line[i] === ' ') i++;
  }
  let n = 0;
  while (n < prefix.indent && i < line.length && SPACE_RE.test(line[i]!)) {
    i++;
    n++;
  }
  return line.slice(i);
}

/**
 * True while `partial` (the start of a line, no line break yet) could still grow into an opener line (see
 * {@link openerOf}). Prefix-closed: once false for a line, it stays false for every longer text of that
 * line, which is what lets the parser stream ordinary text without holding it back.
 */
function couldBecomeOpener(partial: string): boolean {
  const s = partial;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '>' || SPACE_RE.test(c)) {
      i++;
      continue;
    }
    if (c === '-' || c === '*' || c === '+') {
      if (i + 1 === s.length) return true;
      if (!SPACE_RE.test(s[i + 1]!)) return false;
      i += 2;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < s.length && j - i < 9 && s[j]! >= '0' && s[j]! <= '9') j++;
      if (j === s.length) return true;
      if (s[j] !== '.' && s[j] !== ')') return false;
      if (j + 1 === s.length) return true;
      if (!SPACE_RE.test(s[j + 1]!)) return false;
      i = j + 2;
      continue;
    }
    break;
  }
  const rest = s.slice(i);
  if (rest === '') return true;
  const kind = fenceKind(rest[0]);
  if (!kind) return false;
  let n = 0;
  while (n < rest.length && fenceKind(rest[n]) === kind) n++;
  const after = rest.slice(n);
  if (n < 3) return after === '';
  const info = after.replace(/^\s+/u, '');
  if (info === '' || /^[{[]/.test(info)) return true;
  const word = (/^[^\s{[]*/u.exec(info)?.[0] ?? '').toLowerCase();
  if (word.length < info.length) return OPENER_WORDS.includes(word);
  return OPENER_WORDS.some((w) => w.startsWith(word));
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

/** Deepest nesting of `[`/`{` outside JSON strings (a linear scan, no recursion). */
export function jsonDepth(src: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth--;
  }
  return max;
}

function cutRaw(s: string): string {
  return s.length > MAX_RAW_CHARS ? `${s.slice(0, MAX_RAW_CHARS)}…` : s;
}

function describe(value: unknown): string {
  if (value && typeof value === 'object' && 'title' in value && typeof value.title === 'string') {
    return ` "${value.title.slice(0, 80)}"`;
  }
  return '';
}

/** Parses a block body as JSON (repairing raw line breaks in strings); a reason when it cannot. */
function parseJson(src: string): { value: unknown } | { error: string } {
  const depth = jsonDepth(src);
  if (depth > MAX_JSON_DEPTH) return { error: `finding block nests ${depth} levels deep (at most ${MAX_JSON_DEPTH}): not a finding` };
  try {
    return { value: JSON.parse(src) };
  } catch (first) {
    try {
      return { value: JSON.parse(escapeControlCharsInStrings(src)) };
    } catch {
      return { error: `finding block is not valid JSON: ${first instanceof Error ? first.message : String(first)}` };
    }
  }
}

/** True when a parsed value (object or array of objects) has two or more finding keys in some object. */
function looksLikeFinding(value: unknown): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.some((o) => o && typeof o === 'object' && !Array.isArray(o) && FINDING_KEYS.filter((k) => k in o).length >= 2);
}

/** For a `json` block whose JSON does not parse: does its text name finding keys? */
function textLooksLikeFinding(src: string): boolean {
  return FINDING_KEYS.filter((k) => src.includes(`"${k}"`)).length >= 2;
}

/**
 * Turns the body of one closed finding block into events: one `finding` per valid draft (with a `notes`
 * list of repaired hints, see `parseFindingDraft`), one `malformed` per unusable part (too deep, invalid
 * JSON, or an element that fails validation). `body` is the text between the fences; it is also the `raw`
 * (cut to {@link MAX_RAW_CHARS}) of a malformed event for the whole block. Never throws.
 */
export function parseFindingBlock(body: string): ProviderEvent[] {
  return parseBlock(body).events;
}

/** {@link parseFindingBlock} plus the repair notes of the findings it kept. */
function parseBlock(body: string): { events: ProviderEvent[]; notes: string[] } {
  const src = body.trim();
  if (src === '') return { events: [{ type: 'malformed', detail: 'empty finding block: expected one JSON object', raw: body }], notes: [] };
  const parsed = parseJson(src);
  if ('error' in parsed) return { events: [{ type: 'malformed', detail: parsed.error, raw: cutRaw(body) }], notes: [] };
  const value = parsed.value;
  const items = Array.isArray(value) ? value : [value];
  const events: ProviderEvent[] = [];
  const notes: string[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(value) ? `finding ${i + 1} of ${items.length} in the block` : 'finding';
    const raw = () => (Array.isArray(value) ? cutRaw(JSON.stringify(item) ?? String(item)) : cutRaw(body));
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      events.push({ type: 'malformed', detail: `${where}: expected a JSON object`, raw: raw() });
      return;
    }
    const r = parseFindingDraft(item);
    if (r.ok) {
      events.push({ type: 'finding', finding: r.draft });
      notes.push(...r.notes);
    } else events.push({ type: 'malformed', detail: `${where}${describe(item)}: ${r.error}`, raw: raw() });
  });
  return { events, notes };
}

/** An open block: its opener, the body lines (prefix removed) and the raw text seen (to give back a `json` block as text). */
interface OpenBlock {
  opener: Opener;
  lines: string[];
  raw: string;
}

/** At most this many distinct repair notes are listed in the notice at the end of a reply. */
const MAX_NOTES_LISTED = 6;

/**
 * Streaming parser of one reply. Feed text deltas in order with {@link ReplyParser.push}, then call
 * {@link ReplyParser.end} once. Both return the events that became known:
 * - `text`: markdown outside finding blocks, streamed as soon as possible. Only the start of a line that
 *   could still become an opener (markers and indentation, then backticks/tildes, then `finding`/`json`)
 *   is held back until its line break, and a `json` block until it closes; at most one `text` event per call.
 * - `finding`: a validated draft, as soon as its block's closing fence line is complete.
 * - `malformed`: a block with invalid or too deeply nested JSON, an invalid draft (with the validation
 *   reason), a block left open when a new one starts, or a reply that ends inside a block ({@link CUT_OFF_DETAIL}).
 * - `notice` (from {@link ReplyParser.end} only): the optional hints that were repaired or dropped from
 *   kept findings (`severity "moderate" read as medium (2×)`), once per reply.
 * The result does not depend on how the reply is split into deltas. Text is given back with its own line
 * breaks (CR, CRLF, U+2028 ... as the reply had them).
 */
export class ReplyParser {
  /** The current line so far (without its line break). */
  private line = '';
  /** How much of `line` was already emitted as text (outside blocks only). */
  private emitted = 0;
  /** Open block, if any. */
  private block: OpenBlock | undefined;
  /** The last line ended with CR and a following LF belongs to it: `text` if that line was text. */
  private afterCr: 'text' | 'other' | undefined;
  private ended = false;
  /** Events of the current call, and text not yet turned into an event (merged into one). */
  private out: ProviderEvent[] = [];
  private text = '';
  /** Repair notes of kept findings, with how often each occurred. */
  private notes = new Map<string, number>();

  /** Feeds the next piece of the reply. Throws only if called after {@link end} (a programming error). */
  push(delta: string): ProviderEvent[] {
    if (this.ended) throw new Error('ReplyParser.push called after end()');
    let start = 0;
    if (this.afterCr !== undefined && delta !== '') {
      if (delta[0] === '\n') {
        if (this.afterCr === 'text') this.text += '\n';
        else if (this.block) this.block.raw += '\n';
        start = 1;
      }
      this.afterCr = undefined;
    }
    BREAK_RE.lastIndex = start;
    for (let m = BREAK_RE.exec(delta); m; m = BREAK_RE.exec(delta)) {
      let brk = m[0];
      let next = m.index + 1;
      if (brk === '\r') {
        if (delta[next] === '\n') {
          brk = '\r\n';
          next++;
        }
      }
      this.line += delta.slice(start, m.index);
      const kind = this.completeLine(brk);
      if (brk === '\r' && next === delta.length) this.afterCr = kind;
      start = next;
      BREAK_RE.lastIndex = next;
    }
    this.line += delta.slice(start);
    if (!this.block && this.emitted < this.line.length && (this.emitted > 0 || !couldBecomeOpener(this.line))) {
      this.text += this.line.slice(this.emitted);
      this.emitted = this.line.length;
    }
    return this.drain();
  }

  /** Ends the reply: flushes held-back text and reports a block left open. Later calls return []. */
  end(): ProviderEvent[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.line !== '' || this.emitted > 0) this.completeLine('');
    if (this.block) this.abandon(this.block, CUT_OFF_DETAIL);
    if (this.notes.size > 0) {
      const entries = [...this.notes.entries()];
      const listed = entries.slice(0, MAX_NOTES_LISTED).map(([n, c]) => (c > 1 ? `${n} (${c}×)` : n));
      const more = entries.length - listed.length;
      this.event({
        type: 'notice',
        message: `repaired hints in kept findings: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      });
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

  /** Parses a closed block's body and queues its events; a `json` block that is not a finding goes back as text. */
  private closeBlock(block: OpenBlock, closingRaw: string): 'text' | 'other' {
    const body = block.lines.join('\n');
    if (block.opener.kind === 'json') {
      const parsed = parseJson(body.trim());
      const finding = 'value' in parsed ? looksLikeFinding(parsed.value) : textLooksLikeFinding(body);
      if (!finding) {
        this.text += block.raw + closingRaw;
        return 'text';
      }
    }
    let result: { events: ProviderEvent[]; notes: string[] };
    try {
      result = parseBlock(body);
    } catch (e) {
      // A bug here must not cost the rest of the reply.
      result = { events: [{ type: 'malformed', detail: `finding block could not be read: ${(e as Error).message}`, raw: cutRaw(body) }], notes: [] };
    }
    for (const e of result.events) this.event(e);
    for (const n of result.notes) this.notes.set(n, (this.notes.get(n) ?? 0) + 1);
    return 'other';
  }

  /** A block that ends without its closing fence: malformed when it was (or looks like) a finding, else text. */
  private abandon(block: OpenBlock, detail: string): void {
    const body = block.lines.join('\n');
    if (block.opener.kind === 'json') {
      const parsed = parseJson(body.trim());
      if (!('value' in parsed ? looksLikeFinding(parsed.value) : textLooksLikeFinding(body))) {
        this.text += block.raw;
        return;
      }
    }
    this.event({ type: 'malformed', detail, raw: cutRaw(body) });
  }

  /**
   * Handles the complete current line; `brk` is its line break ('' at the end of the reply). Returns
   * whether the line went out as text (for a LF that may follow a CR in the next delta).
   */
  private completeLine(brk: string): 'text' | 'other' {
    const line = this.line;
    const emitted = this.emitted;
    this.line = '';
    this.emitted = 0;
    if (this.block) {
      const block = this.block;
      if (closes(line, block.opener.fence)) {
        this.block = undefined;
        return this.closeBlock(block, line + brk);
      }
      const opener = openerOf(line);
      if (opener) {
        this.abandon(block, 'a new finding block started before this one was closed (missing closing fence)');
        this.open(opener, line + brk);
        return 'other';
      }
      const body = stripBodyPrefix(line, block.opener.prefix);
      const glued = trailingFence(body, block.opener.fence.char);
      if (glued.length >= block.opener.fence.length && glued.before.trim() !== '') {
        block.lines.push(glued.before);
        block.raw += line + brk;
        this.block = undefined;
        return this.closeBlock(block, '');
      }
      block.lines.push(body);
      block.raw += line + brk;
      return 'other';
    }
    if (emitted === 0) {
      const opener = openerOf(line);
      if (opener) return this.open(opener, line + brk);
    }
    this.text += line.slice(emitted) + brk;
    return 'text';
  }

  private open(opener: Opener, raw: string): 'text' | 'other' {
    const block: OpenBlock = { opener, lines: opener.inline !== undefined ? [opener.inline] : [], raw };
    if (opener.closedInline) return this.closeBlock(block, '');
    this.block = block;
    return 'other';
  }
}
