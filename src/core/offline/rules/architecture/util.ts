/** Helpers shared by the architecture rules. */
import type { SyntaxNode } from '../../syntax';
import type { RuleHit } from '../../rule';

export function headerRange(n: SyntaxNode): RuleHit['range'] {
  const line = n.startPosition.row + 1;
  return { startLine: line, endLine: line };
}
