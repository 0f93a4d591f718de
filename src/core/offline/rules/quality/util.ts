/** Helpers shared by the quality rules: the functions of a file, their names and header lines. */
import type { SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { functionName, LANG } from '../../lang';
import { isGenerated } from '../../declarations';
import { isTestPath } from '../../paths';

/** True for files the function-size rules skip: tests (judged within the review) and generated or build output. */
export function skipQuality(file: ParsedFile, project: ProjectIndex): boolean {
  return isTestPath(project.relativeToReview(file.file.path)) || isGenerated(file);
}

/** A one-line range on the first line of `n`: a short, stable quote for findings about a whole function. */
export function firstLine(n: SyntaxNode): RuleHit['range'] {
  const line = n.startPosition.row + 1;
  return { startLine: line, endLine: line };
}

/** The header line of a function: the line of its name (after annotations/decorators), else its first line. */
export function headerLine(fn: SyntaxNode): RuleHit['range'] {
  return firstLine(fn.childForFieldName('name') ?? fn);
}

const functionsCache = new WeakMap<SyntaxNode, SyntaxNode[]>();

/** Function-like nodes that own a body worth measuring (no lambdas with expression bodies), cached per tree. */
export function functionsOf(file: ParsedFile): SyntaxNode[] {
  const hit = functionsCache.get(file.root);
  if (hit) return hit;
  const list = file.root.descendantsOfType([...LANG[file.language].func]).filter((n): n is SyntaxNode => n !== null && n.childForFieldName('body') !== null);
  functionsCache.set(file.root, list);
  return list;
}

/** A readable name for a function node: its own name, the variable/property it is assigned to, or `anonymous function`. */
function nameOf(fn: SyntaxNode): string {
  const n = functionName(fn);
  if (n) return n;
  const p = fn.parent;
  if (p?.type === 'public_field_definition' || p?.type === 'field_definition') return p.childForFieldName('name')?.text ?? p.childForFieldName('property')?.text ?? 'anonymous function';
  return 'anonymous function';
}

/** How a message names a function: `` `name` `` or `This anonymous function (line N)`. */
export function describe(fn: SyntaxNode): string {
  const n = nameOf(fn);
  return n === 'anonymous function' ? `This anonymous function (line ${fn.startPosition.row + 1})` : `\`${n}\``;
}

/** How messages name a control block, by node type. */
export const STATEMENT_LABEL: Record<string, string> = {
  if_statement: '`if` block',
  for_statement: 'loop',
  for_in_statement: 'loop',
  enhanced_for_statement: 'loop',
  while_statement: 'loop',
  do_statement: 'loop',
  switch_statement: '`switch`',
  expression_switch_statement: '`switch`',
  type_switch_statement: 'type `switch`',
  switch_expression: '`switch`',
  select_statement: '`select`',
  try_statement: '`try` block',
  try_with_resources_statement: '`try` block',
  with_statement: '`with` block',
  match_statement: '`match`',
};
