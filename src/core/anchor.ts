/**
 * Anchoring: a finding is placed where its quoted code actually is, never where a model says it is.
 * Model line numbers are hints used only to choose between several occurrences of the quote
 * (DESIGN.md, "Data flow of one review", step 4).
 */
import type { LineRange } from './types';

/** A placed quote. Lines 1-based inclusive; columns 1-based UTF-16, `endColumn` exclusive (as LSP and SARIF regions). */
export interface Anchor extends LineRange {
  startColumn?: number;
  endColumn?: number;
  /** The file's text at the anchored place (the exact quote, or whole lines for a whitespace-tolerant match). */
  quote: string;
  /**
   * `exact`: the quote occurs at these columns, verbatim or differing only in trailing white space at line
   * ends; `lines`: it matches line by line ignoring indentation and trailing space (whole lines, no columns).
   */
  match: 'exact' | 'lines';
}

const LINE_NUMBER_PREFIX = /^\s*\d+\s?[|:]\+?\s?/;

/**
 * Cleans a quote as models tend to send it: drops surrounding blank lines and trailing spaces, and
 * strips `12 | ` line-number prefixes when every line has one (copied from the numbered context).
 */
export function normaliseQuote(quote: string): string {
  let lines = quote.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length && lines.every((l) => LINE_NUMBER_PREFIX.test(l))) lines = lines.map((l) => l.replace(LINE_NUMBER_PREFIX, ''));
  return lines.join('\n');
}

/** Index of line starts: `starts[i]` is the UTF-16 offset where line i+1 begins. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Occurrences of `quote` in `searched` (at most 1,000), placed in `text`. `searched` is `text` itself or
 * `text` with trailing white space removed from every line: lines and the columns before a line's end
 * are the same in both, so a place found in one is the same place in the other.
 */
function occurrences(text: string, searched: string, quote: string): Anchor[] {
  const starts = lineStarts(text);
  const sStarts = searched === text ? starts : lineStarts(searched);
  const out: Anchor[] = [];
  for (let at = searched.indexOf(quote); at >= 0 && out.length < 1000; at = searched.indexOf(quote, at + 1)) {
    const startLine = lineOf(sStarts, at);
    const endOffset = at + quote.length;
    const endLine = lineOf(sStarts, endOffset - 1);
    const startColumn = at - sStarts[startLine - 1]! + 1;
    const endColumn = endOffset - sStarts[endLine - 1]! + 1;
    out.push({ startLine, endLine, startColumn, endColumn, quote: text.slice(starts[startLine - 1]! + startColumn - 1, starts[endLine - 1]! + endColumn - 1), match: 'exact' });
  }
  return out;
}

/**
 * Finds `quote` in `text` and returns its place, or undefined when the quote is nowhere in the file
 * (the caller drops such a finding and counts it).
 *
 * Order of attempts: the verbatim quote; the quote with the file's trailing white space at line ends
 * ignored (quotes lose theirs in {@link normaliseQuote}, files keep it), still placed to the column; then a
 * line-by-line match ignoring leading/trailing white space, in which a quote of several lines may begin
 * inside its first line and end inside its last (a quote of a sub-expression that starts mid-line).
 * Among several occurrences the one nearest `hintLine` (1-based) wins; without a hint, the first.
 * Runs in O(text length × occurrences).
 */
export function anchorQuote(text: string, rawQuote: string, hintLine?: number): Anchor | undefined {
  const quote = normaliseQuote(rawQuote);
  if (!quote.trim()) return undefined;
  const pick = <T extends { startLine: number }>(cands: T[]): T | undefined =>
    hintLine === undefined ? cands[0] : cands.reduce<T | undefined>((best, c) => (!best || Math.abs(c.startLine - hintLine) < Math.abs(best.startLine - hintLine) ? c : best), undefined);

  const e = pick(occurrences(text, text, quote));
  if (e) return e;
  const stripped = text.replace(/[ \t\r\f\v]+(?=\n|$)/g, '');
  if (stripped !== text) {
    const t = pick(occurrences(text, stripped, quote));
    if (t) return t;
  }

  const want = quote.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (!want.length) return undefined;
  const last = want.length - 1;
  // Several lines: the first may be the tail of a line and the last the head of one.
  const matches = (t: string, k: number) => t === want[k] || (last > 0 && ((k === 0 && t.endsWith(want[0]!)) || (k === last && t.startsWith(want[last]!))));
  const lines = text.split('\n');
  const found: Anchor[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!matches(lines[i]!.trim(), 0)) continue;
    let j = i;
    let k = 0;
    while (j < lines.length && k < want.length) {
      const t = lines[j]!.trim();
      if (t === '') { j++; continue; }
      if (!matches(t, k)) break;
      j++;
      k++;
    }
    if (k === want.length) found.push({ startLine: i + 1, endLine: j, quote: lines.slice(i, j).join('\n'), match: 'lines' });
  }
  return pick(found);
}

/** True when the two 1-based inclusive ranges share at least one line. */
export function overlaps(a: LineRange, b: LineRange): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}
