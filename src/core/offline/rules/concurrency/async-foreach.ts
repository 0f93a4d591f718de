/** `concurrency/async-foreach`: async callbacks passed to `forEach`. */
import { type SyntaxNode, walk } from '../../syntax';
import { callArguments, JS_LANGS, LANG, nodesOfType } from '../../lang';
import { isAsyncFunction, same } from '../../flow';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
// ---------------------------------------------------------------------------------------------------

function containsAwait(fn: SyntaxNode): boolean {
  let found = false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  walk(body, (n) => {
    if (found || (LANG.javascript.func.includes(n.type) && !same(n, body))) return false;
    if (n.type === 'await_expression' || (n.type === 'for_in_statement' && n.children.some((c) => c?.type === 'await'))) found = true;
    return !found;
  });
  return found;
}

export const asyncForEach: FileRule = {
  kind: 'file',
  id: 'concurrency/async-foreach',
  personas: ['concurrency'],
  severity: 'high',
  category: 'unawaited-promise',
  title: 'Async callback whose promises are dropped',
  description:
    '`array.forEach(async (x) => { await … })` (or `array.map(async …)` whose result is discarded) starts every callback at once and waits for none of them: code after the loop runs before they finish and their errors are unhandled. Use `for…of` with `await`, or `await Promise.all(array.map(async …))`.',
  // An unawaited rejection surfaces as an uncaught exception (Node.js exits on it by default).
  references: ['CWE-248'],
  confidence: 0.9,
  languages: [...JS_LANGS],
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(file.root, ['call_expression'])) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'member_expression') continue;
      const method = fn.childForFieldName('property')?.text ?? '';
      const discarded = call.parent?.type === 'expression_statement';
      if (method !== 'forEach' && !(discarded && (method === 'map' || method === 'flatMap'))) continue;
      const cb = callArguments(call)[0];
      if (!cb || (cb.type !== 'arrow_function' && cb.type !== 'function_expression') || !isAsyncFunction(cb) || !containsAwait(cb)) continue;
      const recv = fn.childForFieldName('object')?.text ?? 'items';
      const short = recv.length <= 30 ? recv : 'items';
      const bodyStart = cb.childForFieldName('body') ?? cb;
      hits.push({
        range: { startLine: call.startPosition.row + 1, endLine: bodyStart.startPosition.row + 1 },
        message:
          method === 'forEach'
            ? `\`${short}.forEach(async …)\` ignores the promises its callback returns: all callbacks start at once, nothing waits for them, and the code after this line (line ${call.endPosition.row + 2}) runs before they finish. A rejection inside is unhandled.`
            : `The array of promises returned by \`${short}.${method}(async …)\` is thrown away: nothing waits for the callbacks to finish and their rejections are unhandled.`,
        suggestion: {
          description:
            `Either \`for (const x of ${short}) { await … }\` (one at a time, in order) or \`await Promise.all(${short}.map(async (x) => { … }))\` (concurrently; bound it with a limiter for long arrays).`,
        },
      });
    }
    return hits;
  },
};
