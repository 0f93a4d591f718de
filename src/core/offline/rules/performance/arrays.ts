/** What the performance rules know about arrays: which names hold growing arrays, lists or slices. */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { callChain, enclosingLoops, nearestFunction, same } from '../../flow';
import { callArguments, calleeName, LANG } from '../../lang';

const JS_ARRAY_PRODUCER = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'split', 'from', 'toSorted', 'toReversed', 'sort']);

/**
 * True when the list called `name` grows somewhere under `scope` (`push`, `unshift`, `splice`, `append`,
 * `extend`, `insert`, `+=`, Go `x = append(x, …)`): a literal that grows is data, not a fixed table.
 */
export function grows(name: string, scope: SyntaxNode, lang: ParsedLanguage): boolean {
  let found = false;
  // Growth is unbounded only when it repeats (in a loop or a callback) or adds a whole other collection.
  const unbounded = (n: SyntaxNode, added: SyntaxNode | undefined) =>
    enclosingLoops(n, lang).length > 0 || !same(nearestFunction(n, lang) ?? scope, scope) || (!!added && !/^(array|list|tuple|composite_literal)$/.test(added.type) && !LANG[lang].string.includes(added.type));
  walk(scope, (n) => {
    if (found) return false;
    if (LANG[lang].call.includes(n.type)) {
      const c = calleeName(n, lang);
      const dot = c.lastIndexOf('.');
      const method = c.slice(dot + 1);
      if (dot > 0 && c.slice(0, dot) === name && /^(push|unshift|splice|append|extend|insert)$/.test(method)) {
        found = unbounded(n, /^(extend)$/.test(method) ? callArguments(n)[0] : undefined);
      }
      if (lang === 'go' && c === 'append' && callArguments(n)[0]?.text === name) found = unbounded(n, undefined);
    } else if ((n.type === 'augmented_assignment' || n.type === 'augmented_assignment_expression') && n.childForFieldName('left')?.text === name) {
      found = unbounded(n, n.childForFieldName('right') ?? undefined);
    }
    return !found;
  });
  return found;
}

/** Scopes to search for the declaration of a name used at `node`: enclosing functions, innermost first, then the file. */
export function scopes(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) if (LANG[lang].func.includes(p.type) || LANG[lang].classDecl.includes(p.type) || !p.parent) out.push(p);
  return out;
}

/** Nodes declared directly in `scope` (not in a nested function) that satisfy `pick`. */
export function declsIn(scope: SyntaxNode, lang: ParsedLanguage, pick: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  walk(scope, (n) => {
    if (!same(n, scope) && LANG[lang].func.includes(n.type)) return false;
    if (pick(n)) out.push(n);
    return true;
  });
  return out;
}

export type ArrayKind = 'dynamic' | 'constant' | 'unknown';

/** What a JS/TS name refers to: a data-sized array, a small literal table, or something else. */
export function jsArrayKind(name: string, at: SyntaxNode, lang: ParsedLanguage): { kind: ArrayKind; decl?: SyntaxNode } {
  for (const scope of scopes(at, lang)) {
    if (LANG[lang].func.includes(scope.type)) {
      const params = scope.childForFieldName('parameters');
      for (const p of params?.namedChildren ?? []) {
        if (!p || (p.childForFieldName('pattern') ?? p)?.text !== name) continue;
        const type = p.childForFieldName('type')?.namedChildren[0];
        return { kind: type && isJsArrayType(type) ? 'dynamic' : 'unknown', decl: p };
      }
    }
    const decls = declsIn(scope, lang, (n) => n.type === 'variable_declarator' && n.childForFieldName('name')?.text === name);
    const decl = decls[0];
    if (!decl) continue;
    const value = decl.childForFieldName('value');
    const type = decl.childForFieldName('type')?.namedChildren[0];
    // A literal is a table whose size is fixed in the source, unless the code grows it in a loop.
    if (value?.type === 'array') return { kind: grows(name, scope, lang) ? 'dynamic' : 'constant', decl };
    if (value && (value.type === 'call_expression' || value.type === 'await_expression')) {
      const chain = callChain(value.type === 'await_expression' ? value.namedChildren[0]! : value, lang);
      const last = chain?.methods[chain.methods.length - 1] ?? '';
      if (chain && JS_ARRAY_PRODUCER.has(last) && !(last === 'from' && chain.root !== 'Array')) return { kind: 'dynamic', decl };
      if (chain?.root === 'Object' && /^(keys|values|entries)$/.test(last)) return { kind: 'dynamic', decl };
    }
    // An annotation alone says "array", not how big: `const KEYS: string[] = ALLOWED_KEYS` is a small table.
    if (type && isJsArrayType(type) && !value) return { kind: 'dynamic', decl };
    return { kind: 'unknown', decl };
  }
  return { kind: 'unknown' };
}

function isJsArrayType(t: SyntaxNode): boolean {
  if (t.type === 'array_type') return true;
  if (t.type === 'readonly_type') return t.namedChildren.some((c) => c?.type === 'array_type');
  if (t.type === 'generic_type') return /^(Array|ReadonlyArray)$/.test(t.childForFieldName('name')?.text ?? '');
  return false;
}

// ---------------------------------------------------------------------------------------------------
// performance/spread-accumulator
// ---------------------------------------------------------------------------------------------------

/** The expressions a callback returns: its expression body, or the arguments of its own return statements. */
export function returnedExpressions(fn: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  if (body.type !== 'statement_block') return [unwrap(body)];
  const out: SyntaxNode[] = [];
  walk(body, (n) => {
    if (!same(n, body) && LANG[lang].func.includes(n.type)) return false;
    if (n.type === 'return_statement') {
      const v = n.namedChildren[0];
      if (v) out.push(unwrap(v));
    }
    return true;
  });
  return out;
}

export function unwrap(n: SyntaxNode): SyntaxNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildren[0]) cur = cur.namedChildren[0];
  return cur;
}
