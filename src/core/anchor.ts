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
  /** `exact`: the quote occurs verbatim; `lines`: it matches line by line ignoring indentation and trailing space. */
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
 * Finds `quote` in `text` and returns its place, or undefined when the quote is nowhere in the file
 * (the caller drops such a finding and counts it).
 *
 * Order of attempts: the verbatim quote; then a line-by-line match ignoring leading/trailing white space.
 * Among several occurrences the one nearest `hintLine` (1-based) wins; without a hint, the first.
 * Runs in O(text length × occurrences).
 */
export function anchorQuote(text: string, rawQuote: string, hintLine?: number): Anchor | undefined {
  const quote = normaliseQuote(rawQuote);
  if (!quote.trim()) return undefined;
  const starts = lineStarts(text);
  const pick = <T extends { startLine: number }>(cands: T[]): T | undefined =>
    hintLine === undefined ? cands[0] : cands.reduce<T | undefined>((best, c) => (!best || Math.abs(c.startLine - hintLine) < Math.abs(best.startLine - hintLine) ? c : best), undefined);

  const exact: Anchor[] = [];
  for (let at = text.indexOf(quote); at >= 0 && exact.length < 1000; at = text.indexOf(quote, at + 1)) {
    const startLine = lineOf(starts, at);
    const endOffset = at + quote.length;
    const endLine = lineOf(starts, endOffset - 1);
    exact.push({
      startLine,
      endLine,
      startColumn: at - starts[startLine - 1]! + 1,
      endColumn: endOffset - starts[endLine - 1]! + 1,
      quote,
      match: 'exact',
    });
  }
  const e = pick(exact);
  if (e) return e;

  const want = quote.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (!want.length) return undefined;
  const lines = text.split('\n');
  const found: Anchor[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== want[0]) continue;
    let j = i;
    let k = 0;
    while (j < lines.length && k < want.length) {
      const t = lines[j]!.trim();
      if (t === '') { j++; continue; }
      if (t !== want[k]) break;
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
