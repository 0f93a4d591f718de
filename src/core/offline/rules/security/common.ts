/**
 * Helpers shared by the security rule families: arguments and the words around a call (for the rules
 * that judge a call by its context), and the production-code filter every family uses.
 */
import { walk, type ParsedLanguage, type SyntaxNode } from '../../syntax';
import type { FileRule, RuleHit } from '../../rule';
import { LANG, callArguments, functionName } from '../../lang';
import { isGeneratedOrMinified, words } from '../../nodes';
import { isNonProductionPath as isTestLikePath } from '../../paths';

/** The value of a Python keyword argument node (`x=1` → `1`); any other argument node itself. */
export function unwrapArg(a: SyntaxNode): SyntaxNode {
  if (a.type === 'keyword_argument') return a.childForFieldName('value') ?? a;
  return a;
}

/** The value of Python keyword argument `name` of a call, or undefined. */
export function keywordArg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/**
 * Words of the identifiers in the arguments of a call and of the calls chained on it
 * (`createHash('md5').update(password).digest()` → `password`).
 */
export function chainArgumentWords(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const out = argumentWords(call, lang);
  let cur: SyntaxNode = call;
  for (let i = 0; i < 4; i++) {
    const member = cur.parent;
    if (!member || !/^(member_expression|attribute|selector_expression)$/.test(member.type) && !(lang === 'java' && member.type === 'method_invocation')) break;
    const next = lang === 'java' && member.type === 'method_invocation' ? member : member.parent;
    if (!next || !LANG[lang].call.includes(next.type)) break;
    out.push(...argumentWords(next, lang));
    cur = next;
  }
  return out;
}

/** Words of the identifiers inside a call's arguments (bounded: at most 200 nodes visited). */
export function argumentWords(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const out: string[] = [];
  let budget = 200;
  for (const a of callArguments(call)) {
    walk(a, (n) => {
      if (--budget < 0) return false;
      if (LANG[lang].func.includes(n.type)) return false;
      if (/identifier$/.test(n.type)) out.push(...words(n.text));
      return true;
    });
  }
  return out;
}

/** Names around a call: the variable or property it is assigned to and the enclosing function's name. */
export function contextNames(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const names: string[] = [];
  for (let p = call.parent; p; p = p.parent) {
    if (LANG[lang].func.includes(p.type)) {
      names.push(functionName(p));
      break;
    }
    const t = p.type;
    if (t === 'variable_declarator' || t === 'public_field_definition') names.push(p.childForFieldName('name')?.text ?? '');
    else if (t === 'assignment_expression' || t === 'assignment' || t === 'augmented_assignment') names.push(p.childForFieldName('left')?.text ?? '');
    else if (t === 'short_var_declaration' || t === 'assignment_statement') names.push(p.childForFieldName('left')?.text ?? '');
    else if (t === 'pair') names.push(p.childForFieldName('key')?.text ?? '');
    else if (t === 'keyword_argument') names.push(p.childForFieldName('name')?.text ?? '');
    else if (t === 'keyed_element') names.push(p.namedChildren[0]?.text ?? '');
    if (/statement$|^expression_statement$|declaration$/.test(t) && t !== 'short_var_declaration') {
      // keep climbing to the function for its name, but stop collecting assignment names
      for (let q = p.parent; q; q = q.parent) {
        if (LANG[lang].func.includes(q.type)) {
          names.push(functionName(q));
          break;
        }
      }
      break;
    }
  }
  return names.filter(Boolean);
}

/** Single words that name logging a user in. */
const LOGIN_WORD = /^(login|logon|signin|authenticate|authentication|auth)$/;

/**
 * True when an identifier or callee names logging a user in, judged on its words (see `words`:
 * `validateLogin`, `log_in`, `signIn`, `users.authenticate`): `login`, `logon`, `signin`, `authenticate`,
 * `auth`, or the pairs log+in, log+on, sign+in. Whole words only, so `catalogInfo` or `dialogInit` is no login.
 */
export function namesLogin(name: string): boolean {
  const ws = words(name);
  return ws.some((w, i) => LOGIN_WORD.test(w) || ((w === 'log' || w === 'sign') && (ws[i + 1] === 'in' || (w === 'log' && ws[i + 1] === 'on'))));
}

/**
 * Skips test, fixture and example files (disabled TLS checks, fixed credentials, shell helpers and
 * throwaway hashes there are not shipped to production; paths by {@link isTestLikePath} or listed in
 * `ProjectIndex.testFiles`) and minified or generated files, which nobody fixes by hand.
 */
export function productionOnly(rule: FileRule): FileRule {
  return {
    ...rule,
    check(file, project) {
      const p = file.file.path;
      if (isTestLikePath(project.relativeToReview(p)) || project.testFiles.includes(p) || isGeneratedOrMinified(file)) return [];
      // In source order, so the first hit is the first finding a reader meets.
      const line = (h: RuleHit) => (h.node ? h.node.startPosition.row + 1 : h.range?.startLine ?? 0);
      return rule.check(file, project).sort((a, b) => line(a) - line(b));
    },
  };
}
