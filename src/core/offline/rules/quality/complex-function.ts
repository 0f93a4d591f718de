/** `quality/complex-function`: functions with too many decisions. */
import { ALL_LANGS } from '../../lang';
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { describe, functionsOf, headerLine } from './util';
import { walkOwn } from '../../nodes';

/**
 * Decision points of one node for the modified cyclomatic complexity (McCabe 1976, decisions + 1, with
 * a whole `switch`/`match`/`select` counted once, as Lizard's `--modified` CCN does, since a flat dispatch over
 * one value is read as one decision). A chain of the same boolean operator counts once (as in SonarSource's
 * Cognitive Complexity); `??` and optional chaining are not counted.
 */
function decisions(n: SyntaxNode): number {
  switch (n.type) {
    case 'if_statement':
    case 'elif_clause':
    case 'for_statement':
    case 'for_in_statement':
    case 'enhanced_for_statement':
    case 'while_statement':
    case 'do_statement':
    case 'catch_clause':
    case 'except_clause':
    case 'ternary_expression':
    case 'conditional_expression':
    case 'switch_statement':
    case 'switch_expression':
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement':
    case 'match_statement':
    case 'if_clause':
    case 'for_in_clause':
      return 1;
    case 'boolean_operator':
    case 'binary_expression': {
      const op = logicalOp(n);
      // A chain of the same operator (`a && b && c`) is one compound condition.
      return op && logicalOp(n.parent) !== op ? 1 : 0;
    }
    default:
      return 0;
  }
}

/** `&&`/`||`/`and`/`or` of a binary node, or undefined. */
function logicalOp(n: SyntaxNode | null): string | undefined {
  if (!n || (n.type !== 'binary_expression' && n.type !== 'boolean_operator')) return undefined;
  const op = n.childForFieldName('operator')?.type ?? n.children.find((c) => c && !c.isNamed)?.type;
  return op === '&&' || op === '||' || op === 'and' || op === 'or' ? op : undefined;
}

const MAX_COMPLEXITY = 20;

export const complexFunction: FileRule = {
  kind: 'file',
  id: 'quality/complex-function',
  personas: ['engineer', 'reviewer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'complexity',
  title: 'Function with high cyclomatic complexity',
  description:
    `Reports a function whose cyclomatic complexity (McCabe: 1 + branches, loops, catches, ternaries and \`&&\`/\`||\` chains; a whole \`switch\` counts once) exceeds ${MAX_COMPLEXITY}; nested functions are measured on their own. ` +
    'Each independent path needs its own test, and this many paths are rarely all tested. Split the decision logic or replace branches with a lookup table or polymorphism.',
  references: [],
  confidence: 0.75,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      let cc = 1;
      walkOwn(fn, file.language, (n) => {
        cc += decisions(n);
      });
      if (cc <= MAX_COMPLEXITY) continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has a cyclomatic complexity of ${cc} (limit ${MAX_COMPLEXITY}): that many independent paths each need a test, and a change to one branch is easy to get wrong in another.`,
        suggestion: { description: 'Extract groups of related branches into helpers, turn long if/else or switch chains over a value into a lookup table, and return early for the simple cases.' },
      });
    }
    return hits;
  },
};
