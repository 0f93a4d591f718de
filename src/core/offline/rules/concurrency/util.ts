/** Helpers shared by the concurrency rules. */
import { type SyntaxNode, walk } from '../../syntax';
import { functionName } from '../../lang';

/** Text of `node` without a leading `this.` / `self.`, whitespace removed: the identity of a lock or a cache. */
export function key(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, '').replace(/^(this|self)\./, '');
}

/** Unwraps parentheses (and Python's `not` is left alone). */
export function unparen(n: SyntaxNode | null | undefined): SyntaxNode | null {
  let cur = n ?? null;
  while (cur && (cur.type === 'parenthesized_expression' || cur.type === 'parenthesized_list_splat') && cur.namedChildren[0]) cur = cur.namedChildren[0];
  return cur;
}

/** A short description of where a function is, for messages: `` `name` (line N)``. */
export function where(fn: SyntaxNode | null): string {
  if (!fn) return 'top-level code';
  const name = functionName(fn);
  return `${name ? `\`${name}\`` : 'the anonymous function'} (line ${fn.startPosition.row + 1})`;
}

export function closestAncestor(node: SyntaxNode, types: string[]): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}

/** True for an expression whose name says it is a lock (`mu`, `lock`, `self._cache_lock`, `mutex`, `sem`, `cond`). */
export function isLockish(text: string | undefined): boolean {
  return !!text && /lock|mutex|mtx|sem(aphore)?\b|cond(ition)?\b|guard|(^|[._])mu$/i.test(text);
}

export function declaresLocal(fn: SyntaxNode, name: string): boolean {
  let found = false;
  const params = fn.childForFieldName('parameters');
  if (params && params.descendantsOfType('identifier').some((i) => i?.text === name)) return true;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type === 'short_var_declaration' && (n.childForFieldName('left')?.namedChildren ?? []).some((c) => c?.text === name)) found = true;
    if (n.type === 'var_spec' && n.namedChildren.some((c) => c?.type === 'identifier' && c.text === name)) found = true;
    if (n.type === 'range_clause' && (n.childForFieldName('left')?.namedChildren ?? []).some((c) => c?.text === name)) found = true;
    return !found;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------
// concurrency/check-then-act
// ---------------------------------------------------------------------------------------------------

/** The statements of an `if` consequence (a block or a single statement). */
export function consequence(ifNode: SyntaxNode): SyntaxNode | null {
  return ifNode.childForFieldName('consequence');
}
