/** `quality/long-function`: functions too long to read at once. */
import { type SyntaxNode, walk } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { ALL_LANGS, LANG } from '../../lang';
import { spanLines } from '../../nodes';
import { describe, functionsOf, headerLine, STATEMENT_LABEL } from './util';
import { isTestPath } from '../../paths';

/**
 * Rows (0-based) of `fn` holding its own code: not blank, not comment-only, not inside a nested
 * function. The header row counts.
 */
function ownCodeRows(fn: SyntaxNode, file: ParsedFile): Set<number> {
  const rows = new Set<number>();
  for (let r = fn.startPosition.row; r <= fn.endPosition.row; r++) if ((file.lines[r] ?? '').trim() !== '') rows.add(r);
  const comments = LANG[file.language].comment;
  const funcs = LANG[file.language].func;
  walk(fn, (n) => {
    if (n !== fn && funcs.includes(n.type)) {
      // A nested function's own rows belong to it; the row where it starts stays with the parent.
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    if (LANG[file.language].string.includes(n.type) && n.endPosition.row > n.startPosition.row) {
      // A multi-line literal (embedded script, SQL, docstring) is data, not steps of the function.
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    if (comments.includes(n.type)) {
      const before = (file.lines[n.startPosition.row] ?? '').slice(0, n.startPosition.column).trim();
      const after = (file.lines[n.endPosition.row] ?? '').slice(n.endPosition.column).trim();
      if (before === '' && after === '') for (let r = n.startPosition.row; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    return true;
  });
  return rows;
}

const LONG_FUNCTION_LINES = 80;

/** The largest top-level blocks of a body (≥ 12 lines), as extraction candidates. */
function extractionCandidates(fn: SyntaxNode): string {
  let body = fn.childForFieldName('body');
  if (body?.namedChildCount === 1 && body.namedChildren[0]?.type === 'statement_list') body = body.namedChildren[0];
  if (!body) return '';
  const blocks = body.namedChildren
    .filter((c): c is SyntaxNode => c !== null && spanLines(c) >= 12)
    .sort((a, b) => spanLines(b) - spanLines(a))
    .slice(0, 3)
    .sort((a, b) => a.startPosition.row - b.startPosition.row);
  if (blocks.length === 0) return '';
  const parts = blocks.map((b) => `the ${STATEMENT_LABEL[b.type] ?? 'statements'} at lines ${b.startPosition.row + 1}–${b.endPosition.row + 1}`);
  return ` Candidates to extract into named helpers: ${parts.join(', ')}.`;
}

export const longFunction: FileRule = {
  kind: 'file',
  id: 'quality/long-function',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'function-length',
  title: 'Function too long',
  description:
    `Reports a function with more than ${LONG_FUNCTION_LINES} lines of its own code (blank lines, comment lines and nested functions not counted). ` +
    'A function that long usually does several things, is hard to read in one sitting and hard to test in parts. Split it into well-named helpers.',
  references: [],
  confidence: 0.8,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      const own = ownCodeRows(fn, file).size;
      if (own <= LONG_FUNCTION_LINES) continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has ${own} lines of its own code (limit ${LONG_FUNCTION_LINES}). A function this long usually mixes several steps, so a reader has to hold all of them in mind and a test cannot exercise one step alone.${extractionCandidates(fn)}`,
        suggestion: { description: 'Split the function into a short coordinator that calls a few well-named helpers, one per step.' },
      });
    }
    return hits;
  },
};
