/** `quality/deep-nesting`: control flow nested too deeply. */
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { describe, firstLine, functionsOf, skipQuality, STATEMENT_LABEL } from './util';
import { ALL_LANGS } from '../../lang';
import { alsoMeasured, hardToFollow, MAX_NESTING, measure, SONAR_COGNITIVE_LIMIT } from './metrics';

/** The rule. */
export const deepNesting: FileRule = {
  kind: 'file',
  id: 'quality/deep-nesting',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'nesting',
  title: 'Deeply nested code',
  description:
    `Reports the most deeply nested statement of a function whose control blocks (if, loops, switch, try, with) nest more than ${MAX_NESTING} deep (one more than ESLint's \`max-depth\` default) and that carries real logic (a cognitive complexity above SonarSource's ${SONAR_COGNITIVE_LIMIT}); \`else if\` chains do not add depth and nested functions are measured on their own. A function already reported as too complex or too long is not reported again. ` +
    'Each level is another condition the reader must keep in mind. Flatten with guard clauses (early return/continue) or extract the inner part into a function.',
  references: [],
  confidence: 0.8,
  // A measure, not a defect (see complex-function): reported at depth `thorough` only.
  depth: 'thorough',
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (skipQuality(file, project)) return [];
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      const m = measure(fn, file);
      if (!m || hardToFollow(m) !== 'nested' || !m.deepest) continue;
      const { node, depth, chain } = m.deepest;
      hits.push({
        range: firstLine(node),
        message: `This ${STATEMENT_LABEL[node.type] ?? 'block'} in ${describe(fn)} is nested ${depth} levels deep (${chain.join(' › ')}; limit ${MAX_NESTING}), in a function with ${alsoMeasured(m, 'nested')}. Every level is one more condition a reader must hold in mind to know when this line runs.`,
        suggestion: { description: 'Invert the outer conditions into guard clauses (`return`/`continue` early), or move the inner loop or block into a function with a name that says what it does.' },
      });
    }
    return hits;
  },
};
