/**
 * Rule family: password-reset (account recovery) tokens computed from public data (CWE-640 weak password
 * recovery mechanism, CWE-340 predictable identifiers; OWASP A07:2021). A token that is a hash of the
 * account's login or e-mail, optionally with the current time, and nothing secret or random, can be
 * computed by anyone who knows the account: the reset link, and so the account, is theirs.
 *
 * Reported in JavaScript/TypeScript and Python when a hash (`md5(...)`/`sha1(...)` of the npm `md5`,
 * `sha1`, `sha256` packages, `crypto.createHash(...).update(...).digest()`, Python `hashlib.*`) of
 * arguments that name the account (`login`, `email`, `username`, `user`, `id`, ...) and name nothing
 * secret or random (`secret`, `key`, `salt`, `pepper`, `random`, `uuid`, `nonce`, `hmac`, `password`,
 * `config`, `settings`, ...):
 * - is assigned to a name meaning a token or code in a password-reset context (the name or the enclosing
 *   function's name says reset, forgot, recover), or
 * - is compared with a value named like a token or code in such a function (the check of the link).
 *
 * OWASP Forgot Password Cheat Sheet: reset tokens must be random, from a CSPRNG, long enough, single-use.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { LANG, functionName, isJs } from '../../lang';
import { callsOf, code, words } from '../../nodes';
import { resolvedCallee } from '../../bindings';
import { chainArgumentWords, contextNames } from './common';

/** Words in a hash's arguments that name the account it is for. */
const ACCOUNT_WORD = /^(login|email|mail|username|user|uid|userid|id|account|phone|name)$/;
/** Words in a hash's arguments that mean a secret or random part (then the token is not computable from public data). */
const SECRET_WORD = /^(secret|secrets|key|salt|pepper|random|rand|urandom|uuid|uuid4|nonce|hmac|private|password|passwd|pwd|config|settings|env|environ|crypto|bytes|token|tokens)$/;
/** Words that make a context about password reset / account recovery. */
const RESET_WORD = /^(reset|forgot|forgotten|recover|recovery)$/;
/** Words that name a token. */
const TOKEN_WORD = /^(token|code|hash|key|link)$/;

const FIX = {
  js: 'Generate the token with `crypto.randomBytes(32).toString("hex")`, store only its hash with an expiry, compare with `crypto.timingSafeEqual`, and delete it once used.',
  python: 'Generate the token with `secrets.token_urlsafe(32)`, store only its hash with an expiry, compare with `hmac.compare_digest`, and delete it once used (Django: `default_token_generator`).',
};

/** The hash API a call starts, when it is one. */
function hashApi(call: SyntaxNode, file: ParsedFile): string | undefined {
  const name = resolvedCallee(call, file);
  if (isJs(file.language)) {
    if (/^(md5|sha1|sha256|js-sha256|js-sha1|crypto-js\.(MD5|SHA1|SHA256))(\.\w+)?$/.test(name)) return name;
    if (/^crypto\.createHash$/.test(name)) return 'crypto.createHash';
    return undefined;
  }
  return /^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|blake2b|blake2s|sha3_\d+|new)$/.test(name) ? name : undefined;
}

/** The outermost call of a chain started by `call` (`createHash('md5').update(x).digest('hex')`, `md5(x).hexdigest()`). */
function chainTop(call: SyntaxNode, file: ParsedFile): SyntaxNode {
  let cur = call;
  for (let i = 0; i < 4; i++) {
    const member = cur.parent;
    if (!member || !/^(member_expression|attribute)$/.test(member.type)) break;
    const next = member.parent;
    if (!next || !LANG[file.language].call.includes(next.type)) break;
    cur = next;
  }
  return cur;
}

/** Words of the names around `node`: the name it is assigned to and every enclosing function's name (`module.exports.resetPw = function` → reset, pw). */
function contextWords(node: SyntaxNode, file: ParsedFile): string[] {
  const out = contextNames(node, file.language).flatMap((n) => words(n));
  for (let p = node.parent; p; p = p.parent) if (LANG[file.language].func.includes(p.type)) out.push(...words(functionName(p)));
  return out;
}

function check(file: ParsedFile): RuleHit[] {
  const hits: RuleHit[] = [];
  const fix = isJs(file.language) ? FIX.js : FIX.python;
  for (const call of callsOf(file)) {
    const api = hashApi(call, file);
    if (!api) continue;
    const inputs = chainArgumentWords(call, file.language);
    if (!inputs.some((w) => ACCOUNT_WORD.test(w)) || inputs.some((w) => SECRET_WORD.test(w))) continue;
    const top = chainTop(call, file);
    const ctx = contextWords(top, file);
    if (!ctx.some((w) => RESET_WORD.test(w))) continue;
    const parent = top.parent;
    const account = inputs.filter((w) => ACCOUNT_WORD.test(w))[0];
    const timed = inputs.some((w) => /^(now|time|date|datetime|timestamp)$/.test(w));
    const what = `\`${code(top.text)}\` is computed only from the account's ${account}${timed ? ' and the current time' : ''}, with no secret or random part`;
    if (parent && /^(binary_expression|comparison_operator)$/.test(parent.type)) {
      const other = parent.namedChildren.find((c) => c && c.id !== top.id);
      const otherWords = other ? words(other.text.replace(/[^\w.]/g, ' ')) : [];
      if (!otherWords.some((w) => TOKEN_WORD.test(w))) continue;
      hits.push({ node: parent, message: `This password-reset check accepts \`${code(other!.text)}\` when it equals ${what}: anyone who knows the ${account} can compute the token and reset the password, taking over the account. ${fix}`, suggestion: { description: fix } });
    } else {
      const names = contextNames(top, file.language);
      const target = names[0] ?? '';
      if (!words(target).some((w) => TOKEN_WORD.test(w))) continue;
      hits.push({ node: top, message: `The password-reset token \`${target}\`: ${what}. Anyone who knows the ${account}${timed ? ' and roughly when the reset was asked for' : ''} can compute it and reset the password, taking over the account. ${fix}`, suggestion: { description: fix } });
    }
  }
  return hits;
}

/** The `security/predictable-reset-token` rule (see its `description`). */
export const predictableResetToken: FileRule = {
  kind: 'file',
  id: 'security/predictable-reset-token',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'critical',
  category: 'weak-password-recovery',
  title: 'Password-reset token computable from public data',
  description:
    'Flags password-reset tokens that are a hash (md5, sha1, sha256, `crypto.createHash`, `hashlib`) of the account\'s login, e-mail or id, optionally with the time, and nothing secret or random: assigned to a token name in a reset context, or compared with the token a reset link carries. Anyone who knows the account can compute the token and take the account over. Use a random token from a CSPRNG, stored hashed with an expiry and used once.',
  references: ['CWE-640', 'CWE-340', 'OWASP A07:2021'],
  confidence: 0.8,
  check,
};
