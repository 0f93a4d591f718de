/** Helpers shared by the data rules: Python call arguments. */
import type { SyntaxNode } from '../../syntax';
import { callArguments } from '../../lang';

/** The value of keyword argument `name` of a Python call, or undefined. */
export function kwarg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** True when a Python call passes `**kwargs`, which may carry any keyword. */
export function hasKwargsSplat(call: SyntaxNode): boolean {
  return callArguments(call).some((a) => a.type === 'dictionary_splat');
}
