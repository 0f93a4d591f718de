/** `quality/long-function`: functions too long to read at once. */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { spanLines } from '../../nodes';
import { describe, functionsOf, headerLine, skipQuality, STATEMENT_LABEL } from './util';
import { alsoMeasured, hardToFollow, LONG_FUNCTION_LINES, measure, SONAR_COGNITIVE_LIMIT } from './metrics';

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

/** The rule. */
export const longFunction: FileRule = {
  kind: 'file',
  id: 'quality/long-function',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'function-length',
  title: 'Function too long',
  description:
    `Reports a function with more than ${LONG_FUNCTION_LINES} lines of its own code (Checkstyle's MethodLength default; blank lines, comment lines, multi-line literals and nested functions not counted) that also carries real logic (a cognitive complexity above SonarSource's ${SONAR_COGNITIVE_LIMIT}); a long function that is read line by line (set-up, a table of assignments) is not reported, nor is one already reported as too complex. ` +
    'A function that long usually does several things, is hard to read in one sitting and hard to test in parts. Split it into well-named helpers.',
  references: [],
  confidence: 0.8,
  // A measure, not a defect (see complex-function): reported at depth `thorough` only.
  depth: 'thorough',
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (skipQuality(file, project)) return [];
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      const m = measure(fn, file);
      if (!m || hardToFollow(m) !== 'long') continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has ${m.ownLines} lines of its own code (limit ${LONG_FUNCTION_LINES}) and ${alsoMeasured(m, 'long')}. A function this long mixes several steps, so a reader has to hold all of them in mind and a test cannot exercise one step alone.${extractionCandidates(fn)}`,
        suggestion: { description: 'Split the function into a short coordinator that calls a few well-named helpers, one per step.' },
      });
    }
    return hits;
  },
};
