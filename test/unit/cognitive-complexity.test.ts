/**
 * The cognitive complexity measure behind quality/complex-function (src/core/offline/rules/quality/metrics.ts):
 * SonarSource's increments and nesting, with the documented deviations for code read one line at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ParsedLanguage } from '../../src/core/offline/syntax';
import { LANG } from '../../src/core/offline/lang';
import { cognitiveComplexity } from '../../src/core/offline/rules/quality/metrics';

async function cc(language: ParsedLanguage, code: string): Promise<number> {
  const tree = await parse(code, language);
  try {
    const fn = tree.rootNode.descendantsOfType([...LANG[language].func])[0]!;
    return cognitiveComplexity(fn, language);
  } finally {
    tree.delete();
  }
}

test('SonarSource increments: a switch once, nesting adds its level, else and else-if +1, operator runs once', async () => {
  // Campbell 2017, "getWords": a switch is one decision however many cases it has.
  assert.equal(await cc('java', 'class A { String getWords(int n) { switch (n) { case 1: return "one"; case 2: return "a couple"; default: return "lots"; } } }'), 1);
  // for +1, nested if +2 (&& +1), else +1, nested for +2, if in it +3, a || b || c +1, ternary nested 3 deep +4.
  const js = `function f(xs, a, b, c) {
    let n = 0;
    for (const x of xs) {
      if (x && a) { n++; } else { n--; }
      for (const y of x) {
        if (a || b || c) { n = y ? n : 0; }
      }
    }
    return n;
  }`;
  assert.equal(await cc('javascript', js), 1 + 2 + 1 + 1 + 2 + 3 + 1 + 4);
  assert.equal(await cc('python', 'def f(x):\n    if x > 1:\n        return 1\n    elif x > 0:\n        y = 2\n    else:\n        y = 3\n    return [i for i in range(y) if i]\n'), 1 + 1 + 1 + 2, 'if (not a guard: it has an elif), elif, else, comprehension for and if');
});

test('deviations: guard clauses, runs of one shape and dispatch chains are read line by line', async () => {
  const guards = 'function f(o) {\n' + Array.from({ length: 20 }, (_, i) => `  if (o.a${i} == null || o.b${i}) throw new Error('${i}');`).join('\n') + '\n  return o;\n}';
  assert.equal(await cc('javascript', guards), 0, 'guards at the top of the body add nothing');
  assert.equal(await cc('javascript', 'function f(xs) {\n  for (const x of xs) {\n    if (!x) continue;\n    use(x);\n  }\n}'), 2, 'a nested guard: +1 only');
  const run = 'def f(bits, out):\n' + Array.from({ length: 10 }, (_, i) => `    if bits & (1 << ${i}):\n        out.append(${i})`).join('\n') + '\n';
  assert.equal(await cc('python', run), 1, 'ten ifs of one shape count once');
  const chain = 'function f(d) {\n  if (d === "a") { return 1; }\n' + Array.from({ length: 10 }, (_, i) => `  else if (d === "${i}") { return ${i}; }`).join('\n') + '\n  else { return 0; }\n}';
  assert.equal(await cc('javascript', chain), 2, 'a dispatch over one value: the chain +1, its else +1');
});
