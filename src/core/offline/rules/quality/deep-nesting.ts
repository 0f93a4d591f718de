/** `quality/deep-nesting`: control flow nested too deeply. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { describe, firstLine, functionsOf, STATEMENT_LABEL } from './util';
import { ALL_LANGS, LANG } from '../../lang';

const NESTING: Record<ParsedLanguage, readonly string[]> = {
  javascript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  typescript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  tsx: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  python: ['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement'],
  go: ['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'],
  java: ['if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement'],
};

/** True for the `if` of an `else if`, which continues a chain instead of nesting deeper. */
function isElseIf(n: SyntaxNode): boolean {
  if (n.type !== 'if_statement' || !n.parent) return false;
  if (n.parent.type === 'else_clause') return true;
  return n.parent.type === 'if_statement' && n.parent.childForFieldName('alternative')?.id === n.id;
}

const MAX_NESTING = 4;

export const deepNesting: FileRule = {
  kind: 'file',
  id: 'quality/deep-nesting',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'nesting',
  title: 'Deeply nested code',
  description:
    `Reports the most deeply nested statement of a function whose control blocks (if, loops, switch, try, with) nest more than ${MAX_NESTING} deep; \`else if\` chains do not add depth and nested functions are measured on their own. ` +
    'Each level is another condition the reader must keep in mind. Flatten with guard clauses (early return/continue) or extract the inner part into a function.',
  references: [],
  confidence: 0.8,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const types = NESTING[file.language];
    for (const fn of functionsOf(file)) {
      let deepest: { node: SyntaxNode; depth: number } | undefined;
      const visit = (n: SyntaxNode, depth: number) => {
        for (const c of n.namedChildren) {
          if (!c || LANG[file.language].func.includes(c.type)) continue;
          const counts = types.includes(c.type) && !isElseIf(c);
          const d = counts ? depth + 1 : depth;
          if (counts && d > MAX_NESTING && (!deepest || d > deepest.depth)) deepest = { node: c, depth: d };
          visit(c, d);
        }
      };
      visit(fn, 0);
      if (!deepest) continue;
      const chain: string[] = [];
      for (let p: SyntaxNode | null = deepest.node; p && p.id !== fn.id; p = p.parent) {
        if (types.includes(p.type) && !isElseIf(p)) chain.unshift(STATEMENT_LABEL[p.type]?.replace(/`/g, '') ?? p.type);
      }
      hits.push({
        range: firstLine(deepest.node),
        message: `This ${STATEMENT_LABEL[deepest.node.type] ?? 'block'} in ${describe(fn)} is nested ${deepest.depth} levels deep (${chain.join(' › ')}; limit ${MAX_NESTING}). Every level is one more condition a reader must hold in mind to know when this line runs.`,
        suggestion: { description: 'Invert the outer conditions into guard clauses (`return`/`continue` early), or move the inner loop or block into a function with a name that says what it does.' },
      });
    }
    return hits;
  },
};
