/**
 * Rule family: a password rule that accepts passwords shorter than 8 characters (CWE-521 weak password
 * requirements; OWASP A07:2021). NIST SP 800-63B §5.1.1.2 asks for at least 8 characters (OWASP ASVS
 * 4.0 V2.1.1: at least 12); a rule that lets `a` or `1234` through leaves accounts to the first guesses
 * of an online attack.
 *
 * Reported in JavaScript/TypeScript and Python:
 * - a regular expression anchored at both ends (`^...$`) that is named for a password (`PASS_RE`,
 *   `passwordPattern`, `PASSWORD_REGEX`) or is matched against a value named for one
 *   (`re.fullmatch(r"...", password)`, `/^...$/.test(password)`), whose shortest accepted string (computed
 *   on the pattern's syntax tree from `@eslint-community/regexpp`, lookaheads included) is under 8
 *   characters;
 * - a length check of a value named for a password against a constant that lets shorter ones through
 *   (`len(password) < 6`, `password.length >= 4`); a presence check (`password.length > 0`) is not a length rule.
 * Only checks inside a function named for choosing or validating passwords (sign-up, registration, change,
 * reset, validate, policy) are judged: a password being confirmed, compared or hashed is not a rule, nor is
 * a prompt in a script's demo block.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { LANG, callArguments, enclosingFunction, functionName, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue, words } from '../../nodes';
import { resolvedCallee } from '../../bindings';
import { contextNames } from './common';

/** The least length NIST SP 800-63B accepts for a memorised secret chosen by the user. */
export const MIN_PASSWORD_LENGTH = 8;

const FIX = 'Require at least 8 characters (NIST SP 800-63B; 12 or more is better), allow long passphrases (64+ characters), and check new passwords against a list of breached or common ones instead of composition rules.';

/** True when an identifier names a password (`password`, `newPassword`, `PASS_RE`, `pwd`). */
export function namesPassword(name: string): boolean {
  const ws = words(name);
  if (ws.some((w) => /^(password|passwd|pwd|passphrase|passcode)$/.test(w))) return true;
  // `PASS_RE`, `passPattern`: "pass" only beside a word that says it is a rule.
  return ws.includes('pass') && ws.every((w) => /^(pass|re|regex|regexp|pattern|rule|policy|format|valid|validation|validator|min|len|length)$/.test(w));
}

/** Words of a name that are about confirming or comparing a password rather than choosing one. */
function notAPolicy(name: string): boolean {
  return words(name).some((w) => /^(hash|hashed|digest|salt|old|current|reset|token|mask|masked)$/.test(w));
}

const parser = new RegExpParser({ ecmaVersion: 2024 });

function minOfAlternatives(alts: readonly AST.Alternative[]): number {
  return alts.length ? Math.min(...alts.map(minOfAlternative)) : 0;
}

/** The shortest length an alternative matches, counting positive lookaheads as length constraints from where they stand. */
function minOfAlternative(alt: AST.Alternative): number {
  let sum = 0;
  let least = 0;
  for (const e of alt.elements) {
    if (e.type === 'Assertion') {
      if (e.kind === 'lookahead' && !e.negate) least = Math.max(least, sum + minOfAlternatives(e.alternatives));
      continue;
    }
    sum += minOfElement(e);
  }
  return Math.max(sum, least);
}

function minOfElement(e: AST.Element): number {
  switch (e.type) {
    case 'Character':
    case 'CharacterSet':
    case 'CharacterClass':
    case 'ExpressionCharacterClass':
      return 1;
    case 'Group':
    case 'CapturingGroup':
      return minOfAlternatives(e.alternatives);
    case 'Quantifier':
      return e.min === 0 ? 0 : e.min * minOfElement(e.element);
    default:
      return 0;
  }
}

/**
 * The shortest string a whole-value pattern (`^...$` in every alternative) accepts, or undefined when
 * the pattern is not anchored at both ends (a partial check such as "has a digit") or does not parse.
 */
export function shortestAccepted(source: string, flags = ''): number | undefined {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  } catch {
    return undefined;
  }
  const anchored = pattern.alternatives.every((a) => {
    const first = a.elements[0];
    const last = a.elements[a.elements.length - 1];
    return first?.type === 'Assertion' && first.kind === 'start' && last?.type === 'Assertion' && last.kind === 'end';
  });
  return anchored ? minOfAlternatives(pattern.alternatives) : undefined;
}

/** The names a value is given (the variable or property it is assigned to), without the enclosing function's name: a pattern inside `validatePassword` may check the user name. */
function ownNames(node: SyntaxNode, file: ParsedFile): string[] {
  const fn = enclosingFunction(node, file.language);
  const fname = fn ? functionName(fn) : undefined;
  return contextNames(node, file.language).filter((n) => n !== fname);
}

function intValue(n: SyntaxNode | null | undefined): number | undefined {
  if (!n || !/^(number|integer)$/.test(n.type)) return undefined;
  const v = Number(n.text);
  return Number.isInteger(v) ? v : undefined;
}

/** The value whose length `n` measures (`len(x)` / `x.length`), as text, or undefined. */
function lengthOf(n: SyntaxNode | null | undefined, file: ParsedFile): string | undefined {
  if (!n) return undefined;
  if (file.language === 'python' && n.type === 'call' && n.childForFieldName('function')?.text === 'len') return callArguments(n)[0]?.text;
  if (isJs(file.language) && n.type === 'member_expression' && n.childForFieldName('property')?.text === 'length') return n.childForFieldName('object')?.text;
  return undefined;
}

/** The least length a comparison `length OP n` lets through (`len(p) < 6` → 6, `p.length > 3` → 4), or undefined when it bounds from above. */
function impliedMinimum(op: string, n: number, lengthOnLeft: boolean): number | undefined {
  const o = lengthOnLeft ? op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op];
  if (o === '<' || o === '>=') return n; // rejects below n, or accepts from n
  if (o === '<=' || o === '>') return n + 1;
  return undefined;
}

/** Words of a function name that say passwords are chosen there: sign-up, registration, a password change or reset, a validator. */
const CHOOSING = /^(register|registration|signup|enroll|enrol|create|change|reset|update|set|new|validate|validation|validator|valid|check|policy|strength|strong|complexity|rules?)$/;

/** True when `node` sits in a function whose name (or an enclosing one's) says passwords are chosen or validated there; a prompt in a module's demo block is not an account's password rule. */
function whereChosen(node: SyntaxNode, file: ParsedFile): boolean {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (!LANG[file.language].func.includes(p.type)) continue;
    const ws = words(functionName(p));
    if (ws.some((w) => CHOOSING.test(w)) || ws.join('').includes('signup')) return true;
  }
  return false;
}

function check(file: ParsedFile): RuleHit[] {
  const lang = file.language;
  const hits: RuleHit[] = [];
  const reportPattern = (node: SyntaxNode, min: number, subject: string) =>
    whereChosen(node, file) &&
    hits.push({ node, message: `The password rule ${subject} accepts passwords of ${min} character${min === 1 ? '' : 's'}: the first guesses of an online attack (\`123456\`, \`password\`, a name) pass it. ${FIX}`, suggestion: { description: FIX } });
  const judge = (node: SyntaxNode, source: string, flags: string, names: string[]) => {
    if (!names.some(namesPassword) || names.some(notAPolicy)) return;
    const min = shortestAccepted(source, flags);
    if (min !== undefined && min < MIN_PASSWORD_LENGTH) reportPattern(node, min, `\`/${source}/\``);
  };
  if (isJs(lang)) {
    eachOfType(file.root, ['regex'], (n) => {
      const source = n.childForFieldName('pattern')?.text ?? '';
      const flags = n.childForFieldName('flags')?.text ?? '';
      const names = ownNames(n, file);
      // `/^...$/.test(password)`
      const member = n.parent?.type === 'member_expression' ? n.parent : undefined;
      const call = member?.parent?.type === 'call_expression' ? member.parent : undefined;
      if (call && member?.childForFieldName('property')?.text === 'test') names.push(...callArguments(call).map((a) => a.text));
      judge(n, source, flags, names);
      return true;
    });
  } else if (lang === 'python') {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      if (!/^re\.(compile|match|fullmatch|search)$/.test(name)) continue;
      const args = callArguments(call);
      const source = stringValue(args[0], lang);
      if (source === undefined) continue;
      const names = [...ownNames(call, file), ...(args[1] ? [args[1].text] : [])];
      judge(call, source, '', names);
    }
  }
  // Length checks: `len(password) < 6`, `password.length >= 4`.
  eachOfType(file.root, ['binary_expression', 'comparison_operator'], (n) => {
    const [a, b] = [n.namedChildren[0], n.namedChildren[n.namedChildren.length - 1]];
    const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed && /^[<>]=?$/.test(c.text))?.text ?? '';
    if (!/^[<>]=?$/.test(op) || n.namedChildren.length !== 2) return true;
    const leftLen = lengthOf(a, file);
    const subject = leftLen ?? lengthOf(b, file);
    const bound = leftLen !== undefined ? intValue(b) : intValue(a);
    if (subject === undefined || bound === undefined || !namesPassword(subject) || notAPolicy(subject)) return true;
    const min = impliedMinimum(op, bound, leftLen !== undefined);
    // `password.length > 0` asks whether a password was given at all, not how long it must be.
    if (min !== undefined && min > 1 && min < MIN_PASSWORD_LENGTH) reportPattern(n, min, `\`${n.text}\``);
    return true;
  });
  return hits;
}

/** The `security/weak-password-policy` rule (see its `description`). */
export const weakPasswordPolicy: FileRule = {
  kind: 'file',
  id: 'security/weak-password-policy',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'medium',
  category: 'weak-password-policy',
  title: 'Password rule accepts short passwords',
  description:
    'Flags password rules that accept fewer than 8 characters (NIST SP 800-63B), in a function that registers, changes, resets or validates passwords: a whole-value regular expression named for or applied to a password whose shortest match is shorter (`/^.{1,20}$/`; computed on the parsed pattern, lookaheads included), and length checks such as `len(password) < 6`. Such accounts fall to the first guesses of an online attack. Require 8+ characters (12+ better), allow long passphrases, and reject breached passwords.',
  references: ['CWE-521', 'OWASP A07:2021'],
  confidence: 0.75,
  check,
};
