/**
 * Helpers shared by the security rule families: how a sink argument was built and whether request
 * input reaches it, argument and context words, and the production-code filter every family uses.
 */
import { walk, type ParsedLanguage, type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { LANG, callArguments, functionName, isJs } from '../../lang';
import { code, compactText, isGeneratedOrMinified, words } from '../../nodes';

import { isNonProductionPath as isTestLikePath } from '../../paths';
import { builtArgument, requestInput, type BuiltArg } from '../security-util';

// ---------------------------------------------------------------------------------------------
// Shared sink reporting

/** How a string was built, in words, for messages. */
export function buildingKind(expr: SyntaxNode, lang: ParsedLanguage): string {
  if (expr.type === 'template_string') return 'a template literal';
  if (lang === 'python' && expr.type === 'string') return 'an f-string';
  if (LANG[lang].call.includes(expr.type)) {
    const t = compactText(expr.childForFieldName('function')?.text ?? expr.childForFieldName('name')?.text ?? '');
    if (/\.format$/.test(t) || t === 'format') return lang === 'java' ? '`String.format`' : '`.format()`';
    if (/Sprint/.test(t)) return '`fmt.Sprintf`';
    return 'string formatting';
  }
  if (lang === 'python' && expr.childForFieldName('operator')?.text === '%') return '`%` formatting';
  return 'string concatenation';
}

export interface Taint {
  built?: BuiltArg;
  request?: string;
}

/** Built string and/or request input reaching `arg`. */
export function taintOf(arg: SyntaxNode, file: ParsedFile): Taint {
  const built = builtArgument(arg, file);
  const request = requestInput(arg, file) ?? (built ? requestInput(built.expr, file) : undefined);
  return { built, request };
}

/** "built with a template literal (in `sql`, line 4) that includes request input `req.query.id`" */
export function describeTaint(t: Taint, lang: ParsedLanguage): string {
  const parts: string[] = [];
  if (t.built) {
    parts.push(`built with ${buildingKind(t.built.expr, lang)}${t.built.via ? ` (in \`${t.built.via.name}\`, line ${t.built.via.line})` : ''}`);
  }
  if (t.request) parts.push(`${t.built ? 'that includes' : 'taken from'} request input ${code(t.request)}`);
  return parts.join(' ');
}

export function unwrapArg(a: SyntaxNode): SyntaxNode {
  if (a.type === 'keyword_argument') return a.childForFieldName('value') ?? a;
  return a;
}

/** True for a JS call whose arguments are a tagged template (`sql\`...\``): the tag receives the values separately. */
export function isTaggedTemplate(call: SyntaxNode): boolean {
  return call.childForFieldName('arguments')?.type === 'template_string';
}

export function keywordArg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The object literal argument of a JS call that has a property `key`, and that property's value. */
export function objectProperty(obj: SyntaxNode | undefined, key: string): SyntaxNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const kt = k?.type === 'string' ? k.text.slice(1, -1) : k?.text;
    if (kt === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The language family of a parsed language, for per-family fix texts. */
export function family(lang: ParsedLanguage): 'js' | 'python' | 'go' | 'java' {
  return isJs(lang) ? 'js' : (lang as 'python' | 'go' | 'java');
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
