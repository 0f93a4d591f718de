/**
 * Rule family: a login that tells an unknown user apart from a wrong password (CWE-204 observable
 * response discrepancy; OWASP A07:2021). With "Invalid username" for one and "Invalid password" for the
 * other, anyone can test which accounts exist and then guess passwords only for those (OWASP
 * Authentication Cheat Sheet, "Authentication and Error Messages").
 *
 * Reported when one login function (its name, an enclosing function's name or the call it is a callback
 * of says log in, sign in or authenticate), with the callbacks it contains, holds both a message literal that says the user, user name, e-mail or account is unknown or invalid ("Invalid
 * username", "User not found", "No such user", "Email does not exist"; not a format error such as "Invalid e-mail") and one that says the password is
 * wrong ("Invalid password", "Wrong password", "Password is incorrect"). A message that names both ("Invalid
 * username or password") is the fix, and is not reported; nor is a message written to a log. JavaScript/TypeScript and Python.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { LANG, calleeName, enclosingFunction, functionName } from '../../lang';
import { eachOfType, stringValue } from '../../nodes';
import { namesLogin } from './common';

const WHO = String.raw`(?:user\s*name|username|user|login|account)`;
const WHO_OR_EMAIL = String.raw`(?:user\s*name|username|user|login|account|e-?mail(?:\s+address)?)`;
/** A message saying the user is unknown ("Invalid username", "User not found", "No such user"); "Invalid e-mail" is a format error and is not one. */
const UNKNOWN_USER = new RegExp(String.raw`\b(?:invalid|unknown|wrong|incorrect|bad|unregistered)\s+${WHO}\b|\b${WHO_OR_EMAIL}\s+(?:does\s*n[o']?t\s+exist|not\s+found|not\s+registered|is\s+not\s+registered|is\s+unknown|doesn't\s+exist)\b|\bno\s+(?:such\s+)?(?:user|account)\b`, 'i');
/** A message saying the password is wrong. */
const WRONG_PASSWORD = /\b(?:invalid|wrong|incorrect|bad)\s+password\b|\bpassword\s+(?:is\s+)?(?:invalid|wrong|incorrect|does\s*n[o']?t\s+match)\b/i;
/** A message that names both together ("Invalid username or password"). */
const BOTH = /\b(?:user\s*name|username|user|login|e-?mail|account)\b.*\b(?:or|and|\/)\b.*\bpassword\b|\bpassword\b.*\b(?:or|and)\b.*\b(?:user\s*name|username|user|login|e-?mail|account)\b/i;

const FIX = 'Answer an unknown user and a wrong password with the same message, status and timing ("Invalid username or password"), and compare a dummy hash when the user does not exist.';

function messages(fn: SyntaxNode, file: ParsedFile): Array<{ node: SyntaxNode; text: string }> {
  const out: Array<{ node: SyntaxNode; text: string }> = [];
  eachOfType(fn, LANG[file.language].string, (n) => {
    const v = stringValue(n, file.language);
    if (v !== undefined && v.length <= 200 && /\s/.test(v)) out.push({ node: n, text: v });
    return false;
  });
  return out;
}

/** Logging calls: a message written to a log is not an answer to the client. */
const LOG_CALL = /^(console\.\w+|print|logging\.\w+|(\w+\.)*(log|logger|LOG|LOGGER|_log|_logger)\.\w+|\w+\.(debug|info|warn|warning|error|exception|critical)|debug|log)$/;

function inLogCall(n: SyntaxNode, file: ParsedFile): boolean {
  const call = n.parent?.parent;
  return !!call && LANG[file.language].call.includes(call.type) && LOG_CALL.test(calleeName(call, file.language));
}

/** True when `fn` is a login: its name, an enclosing function's name or the callee it is passed to names one ({@link namesLogin}). */
function isLogin(fn: SyntaxNode, file: ParsedFile): boolean {
  for (let p: SyntaxNode | null = fn; p; p = p.parent) {
    if (LANG[file.language].func.includes(p.type) && namesLogin(functionName(p))) return true;
    if (LANG[file.language].call.includes(p.type) && namesLogin(calleeName(p, file.language))) return true;
  }
  return false;
}

function check(file: ParsedFile): RuleHit[] {
  const hits: RuleHit[] = [];
  const reported = new Set<number>();
  eachOfType(file.root, LANG[file.language].string, (n) => {
    const text = stringValue(n, file.language);
    if (text === undefined || !UNKNOWN_USER.test(text) || BOTH.test(text) || WRONG_PASSWORD.test(text)) return false;
    // The function that holds the message, with the callbacks it contains, must be a login and also hold the password message.
    const fn = enclosingFunction(n, file.language);
    if (!fn || inLogCall(n, file) || !isLogin(fn, file)) return false;
    const wrong = messages(fn, file).find((m) => WRONG_PASSWORD.test(m.text) && !BOTH.test(m.text) && !inLogCall(m.node, file));
    if (!wrong || reported.has(n.startIndex)) return false;
    reported.add(n.startIndex);
    // The finding sits on the statement that holds the message (its declaration or the response it is sent in).
    let stmt: SyntaxNode = n;
    while (stmt.parent && !/statement$|declaration$/.test(stmt.type)) stmt = stmt.parent;
    hits.push({
      node: /statement$|declaration$/.test(stmt.type) && stmt.endPosition.row - stmt.startPosition.row <= 2 ? stmt : n,
      message: `This login answers an unknown user with "${text}" and a wrong password with "${wrong.text}" (line ${wrong.node.startPosition.row + 1}): anyone can test which accounts exist, then spend password guesses only on them. ${FIX}`,
      suggestion: { description: FIX },
    });
    return false;
  });
  return hits;
}

/** The `security/user-enumeration` rule (see its `description`). */
export const userEnumeration: FileRule = {
  kind: 'file',
  id: 'security/user-enumeration',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'medium',
  category: 'user-enumeration',
  title: 'Login reveals which users exist',
  description:
    'Flags a login that answers an unknown user ("Invalid username", "User not found") and a wrong password ("Invalid password") with different messages in the same handler, so anyone can test which accounts exist. A combined message ("Invalid username or password") is not reported. Answer both the same way, with the same status and timing.',
  references: ['CWE-204', 'OWASP A07:2021'],
  confidence: 0.75,
  check,
};
