/**
 * Rule family: sensitive information written to a log (CWE-532, OWASP A09:2021): a password, secret,
 * token, one-time code or payment card number taken from the request, or a whole request body in a
 * handler that reads such a field, passed to a logger or to Python's `print` (standard output is the
 * server's log under runserver, gunicorn and uWSGI). Logs are kept longer, copied wider and read by
 * more people than the database the secret was meant for.
 *
 * A value that went through a hash (`hashlib`, `bcrypt`, `createHash`) is not reported.
 */
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import type { SyntaxNode } from '../../syntax';
import { ALL_LANGS, enclosingFunction } from '../../lang';
import { code } from '../../nodes';
import { kindBit } from '../../taint/value';
import { describePath, lastName, requestFlows } from './flows';

/** Names of secret values: passwords, passphrases, PINs, one-time codes, tokens, API keys, card data, SSNs. */
export const SECRET_NAME = /(^|[^a-z])(pass(word|wd|phrase)?|pwd|pin|otp|secret|token|api_?key|apikey|ccn|cvv|cvc|card_?num(ber)?|credit_?card|ssn)([^a-z]|$)|password|passwd|Password|Passwd|Token|Secret|ApiKey/;
/** A whole request body or form, read without a field (`request.json`, `request.POST`, `req.body`). */
const WHOLE_BODY = /^(request|req|ctx\.request|self\.request)\.(json|form|POST|data|body|values|get_json\(\)|get_data\(\))$/;

/** A field name read in the function that holds a secret (`content['password']`, `req.body.password`, `.get('pass')`). */
function readsSecretField(fn: SyntaxNode): string | undefined {
  const m = /\[\s*['"](\w+)['"]\s*\]|\.get\(\s*['"](\w+)['"]|\.(password|passwd|pwd|pin|otp|secret|token)\b/g;
  for (let x = m.exec(fn.text); x; x = m.exec(fn.text)) {
    const name = x[1] ?? x[2] ?? x[3] ?? '';
    if (SECRET_NAME.test(name)) return name;
  }
  return undefined;
}

function check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
  const hits: RuleHit[] = [];
  const fix = 'Do not log secrets: log the user name or id and the outcome, never the password, token or card number (mask what must be kept: the last four digits). Remove debug `print`s of request data before shipping.';
  for (const f of requestFlows(file, 'log', project)) {
    const t = f.taint!;
    // Hashed on the way (`hashlib.sha256(pw)`, `bcrypt.hash`): no longer the secret itself.
    if (t.safe & kindBit('password-store')) continue;
    // The name the value has when it is logged.
    const last = lastName(t);
    const named = SECRET_NAME.test(last) ? last : undefined;
    let what: string | undefined;
    if (named) what = `a secret (${code(named)})`;
    else if (WHOLE_BODY.test(t.source.label)) {
      const fn = enclosingFunction(f.node, file.language);
      const field = fn && readsSecretField(fn);
      if (field) what = `the whole request body, which carries \`${field}\` in this handler`;
    }
    if (!what) continue;
    hits.push({
      node: f.node,
      message: `${code(f.api)} writes ${what} to the log: ${describePath(t)}. Anyone who reads the logs (operators, a log service, a leaked archive) gets it. ${fix}`,
      suggestion: { description: fix },
    });
  }
  return hits;
}

/** The `security/sensitive-data-logged` rule (see its `description`). */
export const sensitiveDataLogged: FileRule = {
  kind: 'file',
  id: 'security/sensitive-data-logged',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'information-exposure',
  title: 'Secret from the request written to a log',
  description:
    'Follows passwords, tokens, one-time codes, API keys and card numbers taken from the request (and whole request bodies in handlers that read such a field) into log calls and Python `print` (standard output is the server log). Logs are kept long, shipped to other systems and read by many people, so a secret logged is a secret shared. Hashed values are not reported.',
  references: ['CWE-532', 'OWASP A09:2021'],
  confidence: 0.75,
  check,
};
