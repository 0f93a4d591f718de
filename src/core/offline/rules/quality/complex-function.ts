/** `quality/complex-function`: functions too complex to follow. */
import { ALL_LANGS } from '../../lang';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { describe, functionsOf, headerLine, skipQuality } from './util';
import { alsoMeasured, COGNITIVE_LIMIT, hardToFollow, measure } from './metrics';

/** The rule. */
export const complexFunction: FileRule = {
  kind: 'file',
  id: 'quality/complex-function',
  personas: ['engineer', 'reviewer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'complexity',
  title: 'Function too complex to follow',
  description:
    `Reports a function whose cognitive complexity (SonarSource, G. Ann Campbell 2017: +1 per \`if\`, \`else\`, loop, \`catch\`, conditional expression, \`switch\` and run of \`&&\`/\`||\`, plus the nesting level for nested ones) exceeds ${COGNITIVE_LIMIT}. ` +
    'Code read one line at a time is not counted against it: guard clauses at the top of the body add nothing (elsewhere +1), a run of `if`s of one shape counts once, and an `if`/`else if` chain over one value counts once, as a `switch` does. Nested functions are measured on their own; generated code, tests and functions that transcribe a published algorithm step by step (five or more comments numbering its steps, `// 1. Let …`) are skipped. ' +
    'One finding per function: a function reported here is not also reported as long or deeply nested. Split it into helpers named after what each part decides, and flatten with early returns.',
  references: [],
  confidence: 0.75,
  // A measure, not a defect: on twelve well-reviewed libraries 12 of 41 findings were ones a reviewer would act on (bench/quality).
  depth: 'thorough',
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (skipQuality(file, project)) return [];
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      const m = measure(fn, file);
      if (!m || hardToFollow(m) !== 'complex') continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has a cognitive complexity of ${m.cognitive} (limit ${COGNITIVE_LIMIT}), with ${alsoMeasured(m, 'complex')}: a reader has to hold that many branches and their nesting in mind at once, and a change to one is easy to get wrong in another.`,
        suggestion: { description: 'Extract the parts that decide one thing each into well-named helpers, return early for the simple cases, and turn long if/else chains over one value into a lookup table.' },
      });
    }
    return hits;
  },
};
