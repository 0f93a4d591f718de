/** `performance/string-concat-in-loop`: strings built by repeated concatenation in a loop. */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { enclosingLoops, nearestFunction, snippet, within } from '../../flow';
import { calleeName, LANG, nodesOfType } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { loopLabel } from './util';
// ---------------------------------------------------------------------------------------------------

/** The local a Java/Go assignment appends to (`s += x`, `s = s + x`), or null. */
function appendedName(assign: SyntaxNode, lang: ParsedLanguage): string | null {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  const target = lang === 'go' ? (left?.namedChildCount === 1 ? left.namedChildren[0] : null) : left;
  if (target?.type !== 'identifier' || !right) return null;
  const op = assign.childForFieldName('operator')?.text ?? assign.children.find((c) => c && !c.isNamed)?.text;
  if (op === '+=') return target.text;
  if (op === '=') {
    let r: SyntaxNode | null | undefined = lang === 'go' ? right.namedChildren[0] : right;
    while (r?.type === 'binary_expression') r = r.childForFieldName('left');
    if (r?.type === 'identifier' && r.text === target.text) return target.text;
  }
  return null;
}

/** Where a Java/Go local string is declared (node), when it is one; null otherwise. */
function stringDecl(name: string, at: SyntaxNode, lang: ParsedLanguage): SyntaxNode | null {
  const fn = nearestFunction(at, lang);
  if (!fn) return null;
  let found: SyntaxNode | null = null;
  walk(fn, (n) => {
    if (found) return false;
    if (lang === 'java' && n.type === 'local_variable_declaration') {
      const d = n.namedChildren.find((c) => c?.type === 'variable_declarator' && c.childForFieldName('name')?.text === name);
      if (!d) return true;
      const type = n.childForFieldName('type')?.text;
      const value = d.childForFieldName('value');
      if (type === 'String' || (type === 'var' && value?.type === 'string_literal')) found = n;
      return false;
    }
    if (lang === 'java' && n.type === 'formal_parameter' && n.childForFieldName('name')?.text === name) {
      if (n.childForFieldName('type')?.text === 'String') found = n;
      return false;
    }
    if (lang === 'go' && (n.type === 'var_spec' || n.type === 'short_var_declaration' || n.type === 'parameter_declaration')) {
      const names = n.type === 'short_var_declaration' ? n.childForFieldName('left')?.namedChildren ?? [] : n.namedChildren.filter((c) => c?.type === 'identifier');
      const idx = names.findIndex((c) => c?.text === name);
      if (idx < 0) return true;
      const type = n.childForFieldName('type')?.text;
      const value = (n.childForFieldName('right') ?? n.childForFieldName('value'))?.namedChildren[idx];
      if (type === 'string' || (value && (LANG.go.string.includes(value.type) || /^fmt\.Sprint/.test(value.type === 'call_expression' ? calleeName(value, 'go') : '')))) found = n;
      return false;
    }
    return true;
  });
  return found;
}

export const stringConcatInLoop: FileRule = {
  kind: 'file',
  id: 'performance/string-concat-in-loop',
  personas: ['performance'],
  severity: 'medium',
  category: 'string-building',
  title: 'String built with += inside a loop',
  description:
    'Java and Go strings are immutable: `s += x` in a loop copies the whole string every iteration, which is O(n²) in the final length. Append to a `StringBuilder` (Java) or `strings.Builder` (Go) and convert once.',
  references: ['CWE-1046'],
  confidence: 0.8,
  languages: ['java', 'go'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    const done = new Set<string>();
    const type = lang === 'java' ? 'assignment_expression' : 'assignment_statement';
    for (const assign of nodesOfType(root, [type])) {
      const name = appendedName(assign, lang);
      if (!name) continue;
      const loop = enclosingLoops(assign, lang)[0];
      if (!loop) continue;
      const decl = stringDecl(name, assign, lang);
      if (!decl || within(decl, loop)) continue;
      const key = `${loop.id}:${name}`;
      if (done.has(key)) continue;
      done.add(key);
      const builder = lang === 'java' ? '`StringBuilder`' : '`strings.Builder`';
      hits.push({
        node: assign.parent?.type === 'expression_statement' ? assign.parent : assign,
        message: `\`${snippet(assign)}\` copies all of \`${name}\` on every iteration of ${loopLabel(loop, lang)}: strings are immutable, so building one this way costs O(n²) in its final length and churns the garbage collector.`,
        suggestion: {
          description:
            lang === 'java'
              ? `Declare \`StringBuilder sb = new StringBuilder()\` before the loop, call \`sb.append(...)\` inside it, and use \`sb.toString()\` after it (or \`String.join\` / \`Collectors.joining\`).`
              : `Declare \`var b strings.Builder\` before the loop, call \`b.WriteString(...)\` inside it, and use \`b.String()\` after it (or \`strings.Join\`).`,
        },
        title: `String built with += inside a loop (use ${builder.replace(/`/g, '')})`,
      });
    }
    return hits;
  },
};
