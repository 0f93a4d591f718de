/**
 * The per-document store of findings as they stand now, kept true while the user edits.
 *
 * Rules (issue 3, "Keeps findings true while the user edits"):
 * - An edit entirely before a finding (on earlier lines, or earlier on its first line) moves it: lines by
 *   the number of lines the edit added or removed, and columns too when the edit ends on the finding's
 *   first line.
 * - An edit entirely after a finding leaves it alone.
 * - An edit that touches the quoted code DROPS the finding unless the code still reads exactly as it did
 *   (typing a character and deleting it again). Dropping was chosen over `possiblyFixed` so that a
 *   Diagnostic never sits on code it no longer describes; the next review reports it again if it is
 *   still there. Every finding is checked against its quote after every change, so the invariant is
 *   simply: a finding's range holds its `docQuote`, or the finding is gone.
 * - Dismissed findings (by fingerprint, per document) are not shown again, even by a later review.
 * - Suppressed findings (dismissed for me, for the team, or by a suppression the review honoured) are kept
 *   beside the shown ones, follow edits the same way, and are published separately (no Diagnostic, not
 *   counted), so a view can list them on demand and an un-suppressed finding comes back at once.
 *
 * Documents are keyed by {@link documentKey}, so `file:///c%3A/x.ts` (VS Code) and `file:///C:/x.ts`
 * (Node) are the same document; each entry remembers the URI it is published under.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DiagnosticRelatedInformation, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { anchorQuote, lineStarts } from '../core/anchor';
import type { Finding, LineRange } from '../core/types';
import type { SuppressionInfo } from '../shared/protocol';
import { textInRange } from './placement';

/** A finding placed in a document. */
export interface TrackedFinding {
  /** The finding as the review produced it (its `range` is in the reviewed, redacted text). */
  finding: Finding;
  /** Current place in the document (LSP, 0-based). */
  range: Range;
  /** The unredacted document text at `range` when placed; the finding lives while `range` holds it. */
  docQuote: string;
  /** Display names of the personas that reported it (Diagnostic `source`). */
  personaNames: string[];
  /** Other places the finding is about (files in an import cycle). */
  related: DiagnosticRelatedInformation[];
  /** The review that placed it. */
  reviewId?: string;
}

/** A placed finding that is not shown, with why. */
export interface SuppressedTracked extends TrackedFinding {
  suppression: SuppressionInfo;
}

/** One document's findings, as published. */
export interface DocState {
  /** The URI diagnostics are published under (the client's own spelling when it opened the document). */
  uri: string;
  /** Version of the open document the ranges refer to; undefined for a closed file (text on disk). */
  version: number | undefined;
  findings: TrackedFinding[];
  /** The document's suppressed findings (no Diagnostics). */
  suppressed: SuppressedTracked[];
}

/** What a review replaces in a document: the findings of its personas, within its lines when it had a selection. */
export interface ReplaceScope {
  personaIds: ReadonlySet<string>;
  /** 0-based inclusive line range of a selection review, in current document lines. */
  lines?: { start: number; end: number };
}

/**
 * A stable key for a document URI: for `file:` URIs the file system path re-encoded by Node (so different
 * percent-encodings of one file agree), any other URI as it is.
 */
export function documentKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

function cmp(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** How a range fared under one edit. */
export type Moved =
  /** The edit was after the range. */
  | { kind: 'unchanged'; range: Range }
  /** The edit was before the range, which moved. */
  | { kind: 'moved'; range: Range }
  /** The edit lay inside the range; `range` is where the old text's span now is (check its text). */
  | { kind: 'inside'; range: Range }
  /** The edit overlapped the range's boundary: its text is gone. */
  | { kind: 'destroyed' };

/** Where `p` (at or after the edit's end) is after replacing `c.range` with `c.text`. */
function shift(p: Position, c: { range: Range; text: string }): Position {
  const inserted = c.text.split(/\r\n|\r|\n/);
  const added = inserted.length - 1;
  const lastLength = inserted[added]!.length;
  const endLine = c.range.start.line + added;
  if (p.line === c.range.end.line) {
    const endCharacter = added === 0 ? c.range.start.character + lastLength : lastLength;
    return { line: endLine, character: endCharacter + (p.character - c.range.end.character) };
  }
  return { line: p.line + (endLine - c.range.end.line), character: p.character };
}

/**
 * Applies one incremental edit (LSP `TextDocumentContentChangeEvent` with a range, positions in the text
 * before the edit) to a range. An insertion exactly at the range's start counts as before it (the code
 * moves right); one exactly at its end counts as after it.
 */
export function moveRange(range: Range, change: { range: Range; text: string }): Moved {
  const { start, end } = change.range;
  if (cmp(end, range.start) <= 0) {
    return { kind: 'moved', range: { start: shift(range.start, change), end: shift(range.end, change) } };
  }
  if (cmp(start, range.end) >= 0) return { kind: 'unchanged', range };
  if (cmp(start, range.start) >= 0 && cmp(end, range.end) <= 0) return { kind: 'inside', range: { start: range.start, end: shift(range.end, change) } };
  return { kind: 'destroyed' };
}

/** A related location in the same document follows the edit too (it stays where it was when its text is gone). */
function moveRelated(r: DiagnosticRelatedInformation, change: { range: Range; text: string }): DiagnosticRelatedInformation {
  const moved = moveRange(r.location.range, change);
  return moved.kind === 'destroyed' ? r : { ...r, location: { ...r.location, range: moved.range } };
}

/** The per-document finding store. `onChange(state)` runs after every change to a document's findings: publish it. */
export class FindingStore {
  private readonly docs = new Map<string, DocState>();
  /** Dismissed for me: document key → fingerprint → the reason given, if any. */
  private readonly dismissed = new Map<string, Map<string, string | undefined>>();
  /** Suppressed for the team from this server (document key → fingerprint → why), so later reviews of any root hide them too. */
  private readonly team = new Map<string, Map<string, SuppressionInfo>>();

  constructor(private readonly onChange: (state: Readonly<DocState>) => void) {}

  /** The findings of a document (by URI in any spelling). */
  findings(uri: string): readonly TrackedFinding[] {
    return this.docs.get(documentKey(uri))?.findings ?? [];
  }

  /** The suppressed findings of a document (by URI in any spelling). */
  suppressed(uri: string): readonly SuppressedTracked[] {
    return this.docs.get(documentKey(uri))?.suppressed ?? [];
  }

  /** Every document that has findings or suppressed findings, as published. */
  all(): Array<Readonly<DocState>> {
    return [...this.docs.values()].filter((d) => d.findings.length > 0 || d.suppressed.length > 0);
  }

  /** The finding with `fingerprint` in a document, if it is still there. */
  find(uri: string, fingerprint: string): TrackedFinding | undefined {
    return this.findings(uri).find((t) => t.finding.fingerprint === fingerprint);
  }

  /** The suppressed finding with `fingerprint` in a document, if it is still there. */
  findSuppressed(uri: string, fingerprint: string): SuppressedTracked | undefined {
    return this.suppressed(uri).find((t) => t.finding.fingerprint === fingerprint);
  }

  /** True when the user dismissed this fingerprint in this document. */
  isDismissed(uri: string, fingerprint: string): boolean {
    return this.dismissed.get(documentKey(uri))?.has(fingerprint) ?? false;
  }

  /** Why an incoming finding is hidden by a dismissal or a team suppression made here, if it is. */
  private hiddenBy(key: string, fingerprint: string): SuppressionInfo | undefined {
    const mine = this.dismissed.get(key);
    if (mine?.has(fingerprint)) {
      const reason = mine.get(fingerprint);
      return { scope: 'me', ...(reason ? { reason } : {}) };
    }
    return this.team.get(key)?.get(fingerprint);
  }

  /**
   * Puts a review's findings for one document in place of the earlier findings of the same personas
   * (within `scope.lines` for a selection review). Findings of other personas stay; an incoming finding
   * with the fingerprint of one that stays is left out, a dismissed one goes to the suppressed list.
   * `suppressed`: the findings the review found suppressed in this document (they replace the earlier
   * suppressed findings of the same personas). Notifies once.
   */
  replace(uri: string, incoming: TrackedFinding[], scope: ReplaceScope, version: number | undefined, suppressed: SuppressedTracked[] = []): void {
    const key = documentKey(uri);
    const old = this.docs.get(key);
    const inScope = (t: TrackedFinding): boolean =>
      t.finding.personaIds.some((p) => scope.personaIds.has(p)) &&
      (!scope.lines || (t.range.start.line <= scope.lines.end && t.range.end.line >= scope.lines.start));
    const kept = (old?.findings ?? []).filter((t) => !inScope(t));
    const keptSuppressed = (old?.suppressed ?? []).filter((t) => !inScope(t));
    const fingerprints = new Set([...kept, ...keptSuppressed].map((t) => t.finding.fingerprint));
    const added: TrackedFinding[] = [];
    const hidden: SuppressedTracked[] = [];
    for (const t of incoming) {
      if (fingerprints.has(t.finding.fingerprint)) continue;
      fingerprints.add(t.finding.fingerprint);
      const why = this.hiddenBy(key, t.finding.fingerprint);
      if (why) hidden.push({ ...t, suppression: why });
      else added.push(t);
    }
    for (const t of suppressed) {
      if (fingerprints.has(t.finding.fingerprint)) continue;
      fingerprints.add(t.finding.fingerprint);
      hidden.push(t);
    }
    const byStart = (a: TrackedFinding, b: TrackedFinding) => cmp(a.range.start, b.range.start);
    const state: DocState = { uri, version, findings: [...kept, ...added].sort(byStart), suppressed: [...keptSuppressed, ...hidden].sort(byStart) };
    this.docs.set(key, state);
    this.onChange(state);
  }

  /**
   * Follows the edits of one `textDocument/didChange` (applied in order, each in the coordinates left by
   * the previous one) and then checks every finding (shown and suppressed) against `textAfter`, the
   * document's text after all of them: a finding whose range no longer holds its quote is dropped. Notifies
   * when anything moved or was dropped. A change without a range (full text) moves nothing; the check then
   * keeps only findings whose text is still at the same place.
   */
  applyChanges(uri: string, changes: readonly TextDocumentContentChangeEvent[], textAfter: string, version: number): void {
    const key = documentKey(uri);
    const state = this.docs.get(key);
    if (!state || (state.findings.length === 0 && state.suppressed.length === 0)) {
      if (state) state.version = version;
      return;
    }
    const starts = lineStarts(textAfter);
    const shown = followChanges(state.findings, changes, key, textAfter, starts);
    const hidden = followChanges(state.suppressed, changes, key, textAfter, starts);
    state.version = version;
    if (!shown.changed && !hidden.changed) return;
    state.findings = shown.list;
    state.suppressed = hidden.list;
    this.onChange(state);
  }

  /**
   * Checks a document's findings against `text` (a document just opened, or the file on disk after the
   * document was closed): a finding whose range still holds its quote stays; otherwise its quote is looked
   * for again (nearest its old line) and the finding moves there, or is dropped. Records `version`
   * (undefined for a closed file) and the URI to publish under, and notifies.
   */
  revalidate(uri: string, text: string, version: number | undefined): void {
    const key = documentKey(uri);
    const state = this.docs.get(key);
    if (!state) return;
    const starts = lineStarts(text);
    // Published under another spelling of the URI before: clear that one first.
    if (state.uri !== uri) this.onChange({ uri: state.uri, version: undefined, findings: [], suppressed: [] });
    const next: DocState = { uri, version, findings: reanchor(state.findings, text, starts), suppressed: reanchor(state.suppressed, text, starts) };
    this.docs.set(key, next);
    this.onChange(next);
  }

  /**
   * Dismisses one finding for me: remembers its fingerprint (and reason) for this document and moves the
   * finding, if shown, to the suppressed list. Returns the finding it moved, if any.
   */
  dismiss(uri: string, fingerprint: string, reason?: string): TrackedFinding | undefined {
    const key = documentKey(uri);
    let set = this.dismissed.get(key);
    if (!set) this.dismissed.set(key, (set = new Map()));
    set.set(fingerprint, reason);
    return this.hide(key, fingerprint, { scope: 'me', ...(reason ? { reason } : {}) });
  }

  /**
   * Hides one finding as suppressed for the team (`why.scope` is `team`): it stays hidden from later
   * reviews of this server, and moves to the suppressed list now. Returns the finding it moved, if any.
   */
  suppressForTeam(uri: string, fingerprint: string, why: SuppressionInfo): TrackedFinding | undefined {
    const key = documentKey(uri);
    let map = this.team.get(key);
    if (!map) this.team.set(key, (map = new Map()));
    map.set(fingerprint, why);
    this.dismissed.get(key)?.delete(fingerprint);
    return this.hide(key, fingerprint, why);
  }

  /**
   * Un-suppresses one finding: forgets its dismissal or team suppression in this document and moves it
   * back to the shown findings (and notifies). Returns the suppressed finding as it was, or undefined when
   * the document holds no suppressed finding with that fingerprint (the dismissal is forgotten all the same).
   */
  unsuppress(uri: string, fingerprint: string): SuppressedTracked | undefined {
    const key = documentKey(uri);
    this.dismissed.get(key)?.delete(fingerprint);
    this.team.get(key)?.delete(fingerprint);
    const state = this.docs.get(key);
    const t = state?.suppressed.find((x) => x.finding.fingerprint === fingerprint);
    if (!state || !t) return undefined;
    const { suppression: _why, ...shown } = t;
    state.suppressed = state.suppressed.filter((x) => x !== t);
    state.findings = [...state.findings, shown].sort((a, b) => cmp(a.range.start, b.range.start));
    this.onChange(state);
    return t;
  }

  private hide(key: string, fingerprint: string, why: SuppressionInfo): TrackedFinding | undefined {
    const state = this.docs.get(key);
    if (!state) return undefined;
    const t = state.findings.find((x) => x.finding.fingerprint === fingerprint);
    const already = state.suppressed.find((x) => x.finding.fingerprint === fingerprint);
    if (!t && !already) return undefined;
    if (t) {
      state.findings = state.findings.filter((x) => x !== t);
      state.suppressed = [...state.suppressed, { ...t, suppression: why }].sort((a, b) => cmp(a.range.start, b.range.start));
    } else if (already) {
      state.suppressed = state.suppressed.map((x) => (x === already ? { ...x, suppression: why } : x));
    }
    this.onChange(state);
    return t ?? already;
  }

  /** Removes every finding, shown and suppressed (dismissals stay), notifying each document that had some, then forgets them. */
  clear(): void {
    for (const state of this.docs.values()) {
      if (state.findings.length === 0 && state.suppressed.length === 0) continue;
      state.findings = [];
      state.suppressed = [];
      this.onChange(state);
    }
    this.docs.clear();
  }
}

/** Moves each finding of `list` through `changes` and keeps those whose range still holds their quote in `textAfter`. */
function followChanges<T extends TrackedFinding>(
  list: readonly T[],
  changes: readonly TextDocumentContentChangeEvent[],
  key: string,
  textAfter: string,
  starts: number[],
): { list: T[]; changed: boolean } {
  let changed = false;
  let findings: T[] = list.map((t) => ({ ...t }));
  for (const change of changes) {
    if (!('range' in change) || change.range === undefined) continue;
    const next: T[] = [];
    for (const t of findings) {
      const moved = moveRange(t.range, change);
      if (moved.kind === 'destroyed') {
        changed = true;
        continue;
      }
      if (moved.kind !== 'unchanged') {
        changed = true;
        t.range = moved.range;
      }
      if (t.related.some((r) => documentKey(r.location.uri) === key)) {
        const related = t.related.map((r) => (documentKey(r.location.uri) === key ? moveRelated(r, change) : r));
        if (JSON.stringify(related) !== JSON.stringify(t.related)) changed = true;
        t.related = related;
      }
      next.push(t);
    }
    findings = next;
  }
  const intact = findings.filter((t) => textInRange(textAfter, t.range, starts) === t.docQuote);
  if (intact.length !== findings.length) changed = true;
  return { list: intact, changed };
}

/** Keeps each finding whose range still holds its quote in `text`, moves one whose quote is found again elsewhere (exactly), drops the rest. */
function reanchor<T extends TrackedFinding>(list: readonly T[], text: string, starts: number[]): T[] {
  const out: T[] = [];
  for (const t of list) {
    if (textInRange(text, t.range, starts) === t.docQuote) {
      out.push(t);
      continue;
    }
    const a = anchorQuote(text, t.docQuote, t.range.start.line + 1);
    if (!a || a.match !== 'exact' || a.startColumn === undefined || a.endColumn === undefined) continue;
    out.push({ ...t, range: { start: { line: a.startLine - 1, character: a.startColumn - 1 }, end: { line: a.endLine - 1, character: a.endColumn - 1 } } });
  }
  return out;
}

/** The 0-based inclusive line span of a 1-based selection, for {@link ReplaceScope}. */
export function scopeLines(range: LineRange | undefined): ReplaceScope['lines'] {
  return range ? { start: range.startLine - 1, end: range.endLine - 1 } : undefined;
}
