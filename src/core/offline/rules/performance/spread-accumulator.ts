/** `performance/spread-accumulator`: accumulators copied on every iteration. */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { loopLabel } from './util';
import { callArguments, JS_LANGS, nodesOfType } from '../../lang';
import { enclosingLoops, isCollectionLoop, parameterNames, snippet, within } from '../../flow';
import { jsArrayKind, returnedExpressions, unwrap } from './arrays';

/** True when `expr` copies all of `name` into a new array/object (`[...acc, x]`, `{ ...acc, k: v }`, `acc.concat(x)`). */
function copiesAll(expr: SyntaxNode, name: string): boolean {
  if (expr.type === 'array' || expr.type === 'object') {
    // `{ ...x }` alone is a clone of x, not an accumulation.
    if (expr.namedChildren.filter((c) => c && !c.type.includes('comment')).length < 2) return false;
    return expr.namedChildren.some((c) => c?.type === 'spread_element' && c.namedChildren[0]?.type === 'identifier' && c.namedChildren[0].text === name);
  }
  if (expr.type === 'call_expression') {
    const fn = expr.childForFieldName('function');
    return fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'concat' && fn.childForFieldName('object')?.text === name;
  }
  return false;
}

export const spreadAccumulator: FileRule = {
  kind: 'file',
  id: 'performance/spread-accumulator',
  personas: ['performance'],
  severity: 'medium',
  category: 'algorithmic-complexity',
  title: 'Accumulator copied on every iteration',
  description:
    'Returning `[...acc, x]`, `{ ...acc, [k]: v }` or `acc.concat(x)` from a `reduce` callback (or reassigning `arr = [...arr, x]` in a loop) copies everything gathered so far on each step: O(n²) time and garbage. Mutate the accumulator (`acc.push(x); return acc`) or build the result with `map`/`Object.fromEntries`.',
  references: ['CWE-407'],
  // True by construction, but often over small collections (form fields, config keys): ranked below the rest.
  confidence: 0.6,
  languages: [...JS_LANGS],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(root, ['call_expression'])) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'member_expression' || !/^reduce(Right)?$/.test(fn.childForFieldName('property')?.text ?? '')) continue;
      const cb = callArguments(call)[0];
      if (!cb || (cb.type !== 'arrow_function' && cb.type !== 'function_expression')) continue;
      // Reducing a literal list (`['a', 'b'].reduce`, `Object.entries({ … }).reduce`) runs a fixed handful of times.
      const subject = unwrap(fn.childForFieldName('object')!);
      const inner = subject.type === 'call_expression' && /^Object\.(keys|values|entries)$/.test(subject.childForFieldName('function')?.text ?? '') ? callArguments(subject)[0] : subject;
      if (inner?.type === 'array' || inner?.type === 'object') continue;
      const acc = parameterNames(cb)[0];
      if (!acc) continue;
      for (const expr of returnedExpressions(cb, lang)) {
        if (!copiesAll(expr, acc)) continue;
        const isObject = expr.type === 'object';
        hits.push({
          node: expr,
          message: `\`${snippet(expr)}\` copies the whole accumulator \`${acc}\` on every step of this \`reduce\`, so reducing n items costs O(n²) time and allocates n intermediate ${isObject ? 'objects' : 'arrays'}.`,
          suggestion: {
            description: isObject
              ? `Assign into the accumulator and return it (\`${acc}[key] = value; return ${acc};\`), or build the object in one pass with \`Object.fromEntries(items.map(...))\`.`
              : `Push into the accumulator and return it (\`${acc}.push(x); return ${acc};\`), or use \`map\`/\`flatMap\`/\`filter\` instead of \`reduce\`.`,
          },
        });
      }
    }
    for (const assign of nodesOfType(root, ['assignment_expression'])) {
      const left = assign.childForFieldName('left');
      const right = assign.childForFieldName('right');
      if (left?.type !== 'identifier' || !right || !copiesAll(unwrap(right), left.text)) continue;
      const loop = enclosingLoops(assign, lang)[0];
      // A for-of over a literal list runs a fixed handful of times.
      if (!loop || (loop.type === 'for_in_statement' && !isCollectionLoop(loop, lang))) continue;
      // Declared inside the loop: a fresh value per iteration, nothing accumulates across iterations.
      const decl = jsArrayKind(left.text, assign, lang).decl;
      if (decl && within(decl, loop)) continue;
      // `x = x.concat(y); break;` runs once.
      const stmt = assign.parent?.type === 'expression_statement' ? assign.parent : assign;
      if (/^(break_statement|return_statement)$/.test(stmt.nextNamedSibling?.type ?? '')) continue;
      hits.push({
        node: assign,
        message: `\`${snippet(assign)}\` copies all of \`${left.text}\` on every iteration of ${loopLabel(loop, lang)}: O(n²) time and n throw-away copies.`,
        suggestion: { description: `Append in place (\`${left.text}.push(...)\`, \`Object.assign\`/property assignment for objects) and keep one array/object.` },
      });
    }
    return hits;
  },
};
