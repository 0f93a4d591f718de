/**
 * Rule family: predictable random values for secrets (CWE-330, CWE-338).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, calleeName, enclosingFunction, functionName, isJs } from '../../lang';
import { callsOf, words } from '../../nodes';
import { resolvedCallee } from '../../bindings';

import { contextNames } from './common';
import { flowsOf } from '../../taint';
import { code } from '../../nodes';
import { capitalise, describePath } from './flows';

// ---------------------------------------------------------------------------------------------
// Insecure randomness

/** True when a name is about a secret value that must be unpredictable. */
function isSecretPurpose(ws: string[]): boolean {
  return ws.some((w, i) => {
    if (/^(token|tokens|secret|password|passwd|pwd|passphrase|salt|nonce|otp|totp|csrf|xsrf|session|sessionid|sid|apikey|iv)$/.test(w)) return true;
    const prev = ws[i - 1] ?? '';
    if (w === 'key' && /^(api|secret|private|encryption|signing|access|session)$/.test(prev)) return true;
    // A code that proves something or is worth something when presented: a verification code, a ticket or voucher code.
    if (/^(code|pin)$/.test(w) && /^(verification|verify|reset|auth|otp|confirm|confirmation|invite|invitation|login|activation|security|ticket|voucher|coupon|promo|gift|redeem|redemption|access)$/.test(prev)) return true;
    return false;
  });
}

/** Context words that say a random value is not a secret even if another name mentions one (`_make_boundary` → `token`). */
const NOT_SECRET_RANDOM = /^(boundary|jitter|backoff|delay|retry|sample|shuffle|colou?r|port|temp|tmp|filename|mock|fake|demo|placeholder)$/;

function insecureRandom(call: SyntaxNode, file: ParsedFile): string | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  if (isJs(lang)) return /^Math\.random$/.test(name) ? 'Math.random()' : undefined;
  if (lang === 'python') return /^random\.(random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle)$/.test(name) ? `${name}()` : undefined;
  if (lang === 'go') {
    if (/^math\/rand(\/v2)?\.\w+$/.test(name)) return `${name.replace(/^math\//, '')}()`;
    if (/^rand\.(Intn|Int31|Int63|Int31n|Int63n|Float64|Float32|Perm|Shuffle|Uint32|Uint64|IntN|N)$/.test(name)) return `${name}()`;
    return undefined;
  }
  if (/^new (java\.util\.)?Random$/.test(name)) return 'java.util.Random';
  if (/^(Math\.random|ThreadLocalRandom\.current\(\)\.\w+|RandomStringUtils\.random\w*)$/.test(name)) return name;
  return undefined;
}

/**
 * When `call` is what a named function returns (`def gen(): return ''.join(random.choices(...))`), the
 * names its callers in the same file give the result (`ticket_code = gen()`): a helper's purpose is named
 * where it is used. Empty otherwise.
 */
function callerNames(call: SyntaxNode, file: ParsedFile): string[] {
  const lang = file.language;
  let ret: SyntaxNode | null = call.parent;
  while (ret && /^(parenthesized_expression|call|call_expression|member_expression|attribute|argument_list|arguments|binary_expression|binary_operator)$/.test(ret.type)) ret = ret.parent;
  if (ret?.type !== 'return_statement') return [];
  const fn = enclosingFunction(call, lang);
  const name = fn ? functionName(fn) : '';
  if (!name) return [];
  const out: string[] = [];
  for (const c of callsOf(file)) {
    const callee = calleeName(c, lang);
    if (callee !== name && callee !== `self.${name}` && callee !== `this.${name}`) continue;
    out.push(...contextNames(c, lang).filter((n) => n !== name));
  }
  return out;
}

/** The `security/insecure-random` rule (see its `description`). */
export const insecureRandomRule: FileRule = {
  kind: 'file',
  id: 'security/insecure-random',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'insecure-randomness',
  title: 'Predictable random value for a secret',
  description:
    'Flags non-cryptographic random generators (`Math.random`, Python `random`, Go `math/rand`, `java.util.Random`) used where the surrounding variable, property or function name says the value is a token, password, salt, nonce, session id, API key or verification code, or whose value (followed by the taint engine) is stored as a cookie value, a session entry or into a container named like a session or token store. Their output can be predicted from a few samples. Use a CSPRNG: `crypto.randomBytes`/`crypto.randomUUID`, Python `secrets`, Go `crypto/rand`, Java `SecureRandom`.',
  references: ['CWE-330', 'CWE-338', 'OWASP A02:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const fix =
      lang === 'python'
        ? 'Use the `secrets` module: `secrets.token_urlsafe(32)`, `secrets.choice(...)`, `secrets.randbelow(n)`.'
        : lang === 'go'
          ? 'Use `crypto/rand` (`rand.Read` into a byte slice, then encode) instead of `math/rand`.'
          : lang === 'java'
            ? 'Use `java.security.SecureRandom` (e.g. fill a byte array and Base64-encode it).'
            : 'Use `crypto.randomBytes(32).toString("base64url")`, `crypto.randomUUID()` or `crypto.getRandomValues` instead of `Math.random()`.';
    const reported = new Set<number>();
    for (const call of callsOf(file)) {
      const api = insecureRandom(call, file);
      if (!api) continue;
      const names = [...contextNames(call, lang), ...callerNames(call, file)];
      const purpose = names.find((n) => isSecretPurpose(words(n)));
      if (!purpose || names.some((n) => words(n).some((w) => NOT_SECRET_RANDOM.test(w)))) continue;
      reported.add(call.startIndex);
      hits.push({
        node: call,
        message: `\`${api}\` produces \`${purpose}\`, which must be unpredictable, but this generator is not cryptographically secure: its output can be reconstructed from a few observed values. ${fix}`,
        suggestion: { description: fix },
      });
    }
    // A random value that becomes a cookie's value or a session entry is a credential, whatever its name.
    for (const f of [...flowsOf(file, 'cookie'), ...flowsOf(file, 'trust-boundary')]) {
      const t = f.taint;
      if (t?.source.kind !== 'random' || reported.has(t.source.node.startIndex)) continue;
      reported.add(t.source.node.startIndex);
      hits.push({
        node: f.node,
        message: `${capitalise(describePath(t))} is stored by ${code(f.api)}, where it serves as a credential (a session key, a remember-me or reset token), but this generator is not cryptographically secure: its output can be reconstructed from a few observed values, and then the credential guessed. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits.sort((a, b) => (a.node?.startIndex ?? 0) - (b.node?.startIndex ?? 0));
  },
};

