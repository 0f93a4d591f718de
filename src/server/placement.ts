/**
 * From a finding as the engine placed it (1-based lines and columns in the REDACTED text it reviewed) to
 * a range in the document as the user has it now (LSP, 0-based, unredacted), and back to the text there.
 *
 * Two differences between those texts are handled here:
 * - Redaction (core `redact.ts`): every secret became `[REDACTED:<rule>]` with the same line breaks, so
 *   line numbers agree but columns on a line holding a secret do not. {@link toDocumentRange} aligns such
 *   a line with the original one around the markers.
 * - Edits made while the review ran: when the document no longer is the text that was reviewed, each
 *   finding is re-anchored on its (redacted) quote in the redaction of the current text (core
 *   `anchorQuote`, nearest to the line it had), or dropped when the quote is gone.
 */
import type { Position, Range } from 'vscode-languageserver';
import { anchorQuote, lineStarts } from '../core/anchor';
import { redactSecrets } from '../core/redact';
import type { Finding, LineRange } from '../core/types';

/** The placeholder core `redactSecrets` writes for a secret. */
const MARKER = /\[REDACTED:[^\]\s]*\]/g;

/** A stretch of a redacted line and the stretch of the original line it stands for (0-based, end exclusive). */
interface Piece {
  red: [number, number];
  orig: [number, number];
  /** True when both stretches hold the same text; false for a marker and the secret it replaced. */
  same: boolean;
}

/**
 * Aligns one redacted line with its original: the text between markers is copied verbatim, so it is
 * found again in the original, and what lies between those copies is the secret. Returns undefined when
 * the lines cannot be aligned (then columns are used as they are, clamped to the line).
 */
function alignLine(orig: string, red: string): Piece[] | undefined {
  if (orig === red) return [{ red: [0, red.length], orig: [0, orig.length], same: true }];
  const markers = [...red.matchAll(MARKER)];
  if (markers.length === 0) {
    // A line inside or at the end of a multi-line secret (a PEM block): what follows the secret survives.
    if (!orig.endsWith(red)) return undefined;
    const cut = orig.length - red.length;
    return [
      { red: [0, 0], orig: [0, cut], same: false },
      { red: [0, red.length], orig: [cut, orig.length], same: true },
    ];
  }
  const pieces: Piece[] = [];
  let rPos = 0;
  let oPos = 0;
  let marker: [number, number] | undefined;
  for (const m of markers) {
    const seg = red.slice(rPos, m.index);
    if (marker === undefined) {
      if (!orig.startsWith(seg)) return undefined;
    } else {
      // The previous secret (at least one character) ends where this verbatim stretch begins.
      const at = seg === '' ? oPos + 1 : orig.indexOf(seg, oPos + 1);
      if (at < 0) return undefined;
      pieces.push({ red: marker, orig: [oPos, at], same: false });
      oPos = at;
    }
    pieces.push({ red: [rPos, m.index], orig: [oPos, oPos + seg.length], same: true });
    oPos += seg.length;
    rPos = m.index + m[0].length;
    marker = [m.index, rPos];
  }
  const tail = red.slice(rPos);
  const tailStart = orig.length - tail.length;
  if (!orig.endsWith(tail) || tailStart < oPos) return undefined;
  pieces.push({ red: marker!, orig: [oPos, tailStart], same: false });
  pieces.push({ red: [rPos, red.length], orig: [tailStart, orig.length], same: true });
  return pieces;
}

/**
 * The column (0-based UTF-16) on the original line for `col` on the redacted line. A column inside a
 * marker maps to the start of the secret (`bias: 'start'`) or to its end (`'end'`), so a range that
 * covers a marker covers the whole secret.
 */
export function originalColumn(orig: string, red: string, col: number, bias: 'start' | 'end'): number {
  const pieces = alignLine(orig, red);
  if (pieces) {
    for (const p of pieces) if (p.same && col >= p.red[0] && col <= p.red[1]) return p.orig[0] + (col - p.red[0]);
    for (const p of pieces) if (!p.same && col >= p.red[0] && col <= p.red[1]) return bias === 'start' ? p.orig[0] : p.orig[1];
  }
  return Math.max(0, Math.min(col, orig.length));
}

/** Lines of `text` as core counts them (split on `\n`; a `\r` before it stays on the line). */
function splitLines(text: string): string[] {
  return text.split('\n');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * The LSP range (0-based lines and UTF-16 columns, end exclusive) in `original` of a core range
 * (1-based lines, optional 1-based columns with `endColumn` exclusive) given in `redacted`, the
 * redaction of `original` (same line count). A range without columns covers its lines from the first
 * character to the end of the last line (line break excluded). Undefined when the lines are not in the text.
 */
export function toDocumentRange(original: string, redacted: string, r: LineRange & { startColumn?: number; endColumn?: number }): Range | undefined {
  const oLines = splitLines(original);
  const rLines = redacted === original ? oLines : splitLines(redacted);
  const s = r.startLine - 1;
  const e = r.endLine - 1;
  if (s < 0 || e < s || e >= oLines.length || e >= rLines.length) return undefined;
  const oStart = stripCr(oLines[s]!);
  const oEnd = stripCr(oLines[e]!);
  const start: Position = {
    line: s,
    character: r.startColumn === undefined ? 0 : originalColumn(oStart, stripCr(rLines[s]!), r.startColumn - 1, 'start'),
  };
  const end: Position = {
    line: e,
    character: r.endColumn === undefined ? oEnd.length : originalColumn(oEnd, stripCr(rLines[e]!), r.endColumn - 1, 'end'),
  };
  if (end.line === start.line && end.character < start.character) end.character = start.character;
  return { start, end };
}

/** The text of `range` (LSP positions) in `text`; positions past a line's end are clamped to it. */
export function textInRange(text: string, range: Range, starts: number[] = lineStarts(text)): string {
  const offset = (p: Position): number => {
    if (p.line >= starts.length) return text.length;
    const lineStart = starts[p.line]!;
    const next = p.line + 1 < starts.length ? starts[p.line + 1]! - 1 : text.length;
    return Math.min(lineStart + p.character, next);
  };
  return text.slice(offset(range.start), offset(range.end));
}

/** What a review saw of one file. */
export interface ReviewedText {
  /** Workspace-relative path (as in `Finding.file`); also given to the redaction rules. */
  path: string;
  /** The redacted text the engine reviewed and anchored on. */
  redacted: string;
  /** The text before redaction, when the server had it (an open document); else undefined. */
  original?: string;
}

/** A finding placed in the current text. */
export interface Placement {
  finding: Finding;
  /** Where it is now (LSP, 0-based, in the unredacted current text). */
  range: Range;
  /** The current text at `range`, unredacted: what must stay there for the finding to stay true. */
  docQuote: string;
  /** True when the text had changed since the review and the finding was found again by its quote. */
  reanchored: boolean;
}

/** Result of {@link placeFindings}. */
export interface Placed {
  placed: Placement[];
  /** Findings whose quote is no longer in the current text. */
  dropped: Finding[];
}

/**
 * Places `findings` (about one file, in the coordinates of `reviewed.redacted`) in `current`, the file's
 * text now. When `current` redacts to the reviewed text, ranges are taken as they are (columns aligned
 * around redaction markers); otherwise each finding is re-anchored on its quote in the redaction of
 * `current`, nearest its old line, and dropped when the quote is not there. Resolves with both lists;
 * never rejects except on a programming error in the redaction rules.
 */
export async function placeFindings(findings: Finding[], reviewed: ReviewedText, current: string): Promise<Placed> {
  const redactedNow = current === reviewed.original ? reviewed.redacted : (await redactSecrets(current, reviewed.path)).text;
  const unchanged = redactedNow === reviewed.redacted;
  const starts = lineStarts(current);
  const placed: Placement[] = [];
  const dropped: Finding[] = [];
  for (const finding of findings) {
    let at: LineRange & { startColumn?: number; endColumn?: number } = finding.range;
    if (!unchanged) {
      const anchor = anchorQuote(redactedNow, finding.quote, finding.range.startLine);
      if (!anchor) {
        dropped.push(finding);
        continue;
      }
      at = anchor;
    }
    const range = toDocumentRange(current, redactedNow, at);
    if (!range) {
      dropped.push(finding);
      continue;
    }
    placed.push({ finding, range, docQuote: textInRange(current, range, starts), reanchored: !unchanged });
  }
  return { placed, dropped };
}
