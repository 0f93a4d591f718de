/** `performance/regex-in-loop`: regular expressions compiled on every iteration. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { callArguments, calleeName, isConstantString, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
import { loopLabel } from './util';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { enclosingLoops, snippet } from '../../flow';
// ---------------------------------------------------------------------------------------------------

/** A regex compilation with a constant pattern, and the hoisting advice for it. */
function regexCompile(call: SyntaxNode, lang: ParsedLanguage): { pattern: SyntaxNode; advice: string } | null {
  const name = calleeName(call, lang);
  const args = callArguments(call);
  const first = args[0];
  if (!first || !isConstantString(first, lang)) return null;
  if (lang === 'go' && /^regexp\.(MustCompile|Compile|MustCompilePOSIX|CompilePOSIX|MatchString|Match)$/.test(name)) {
    return { pattern: first, advice: 'Compile it once into a package-level `var re = regexp.MustCompile(...)` and reuse it inside the loop.' };
  }
  if (lang === 'java') {
    if (/^Pattern\.(compile|matches)$/.test(name)) return { pattern: first, advice: 'Compile it once into a `private static final Pattern` and reuse it (`PATTERN.matcher(s).matches()`).' };
    const method = name.slice(name.lastIndexOf('.') + 1);
    // String.matches/replaceAll/replaceFirst compile their pattern on every call.
    if (name.includes('.') && ((method === 'matches' && args.length === 1) || (/^replace(All|First)$/.test(method) && args.length === 2))) {
      return { pattern: first, advice: `\`String.${method}\` compiles its regex on every call: hoist a \`private static final Pattern\` and use \`PATTERN.matcher(s).${method === 'matches' ? 'matches()' : `${method}(...)`}\`.` };
    }
  }
  if (isJs(lang) && call.type === 'new_expression' && name === 'new RegExp' && (args.length === 1 || (args.length === 2 && isConstantString(args[1]!, lang)))) {
    return { pattern: first, advice: 'Create the RegExp once before the loop (or use a regex literal) and reuse it; reset `lastIndex` if it has the `g` or `y` flag.' };
  }
  return null;
}

export const regexInLoop: FileRule = {
  kind: 'file',
  id: 'performance/regex-compile-in-loop',
  personas: ['performance'],
  severity: 'medium',
  category: 'regex-compilation',
  title: 'Constant regular expression compiled inside a loop',
  description:
    'A regular expression with a constant pattern is compiled on every iteration (Go `regexp.MustCompile`/`MatchString`, Java `Pattern.compile`/`String.matches`/`replaceAll`, JS `new RegExp("…")`). Compile it once outside the loop and reuse it.',
  references: ['CWE-1176'],
  confidence: 0.85,
  languages: [...JS_LANGS, 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(root, LANG[lang].call)) {
      const rc = regexCompile(call, lang);
      if (!rc) continue;
      const loop = enclosingLoops(call, lang)[0];
      if (!loop) continue;
      hits.push({
        node: call,
        // V8 caches compiled regexps, so in JS the cost is an allocation per turn, not a compilation.
        severity: isJs(lang) ? 'low' : 'medium',
        message: isJs(lang)
          ? `\`${snippet(call)}\` builds a new RegExp object from a constant pattern on every iteration of ${loopLabel(loop, lang)}.`
          : `\`${snippet(call)}\` compiles the constant pattern ${snippet(rc.pattern, 40)} on every iteration of ${loopLabel(loop, lang)}; regex compilation costs far more than matching a short string.`,
        suggestion: { description: rc.advice },
      });
    }
    return hits;
  },
};
