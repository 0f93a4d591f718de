/** Helpers shared by the performance rules. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';

/** A short label for a loop in messages: what it iterates, or its line. */
export function loopLabel(loop: SyntaxNode, lang: ParsedLanguage): string {
  let it: SyntaxNode | null = null;
  if (loop.type === 'for_in_statement' || (lang === 'python' && loop.type === 'for_statement')) it = loop.childForFieldName('right');
  else if (loop.type === 'enhanced_for_statement') it = loop.childForFieldName('value');
  else if (lang === 'go') it = loop.namedChildren.find((c) => c?.type === 'range_clause')?.childForFieldName('right') ?? null;
  else if (/comprehension$|^generator_expression$/.test(loop.type)) {
    it = loop.namedChildren.find((c) => c?.type === 'for_in_clause')?.childForFieldName('right') ?? null;
  }
  const line = loop.startPosition.row + 1;
  return it && it.text.length <= 40 ? `the loop over \`${it.text}\` (line ${line})` : `the loop on line ${line}`;
}
