/**
 * Rule family: JSON Web Tokens accepted without checking their signature (CWE-347 improper verification
 * of a cryptographic signature, CWE-345; OWASP A02:2021). Whoever sends such a token chooses its claims
 * (subject, roles, expiry): an edited payload, or a header with `"alg": "none"`, passes.
 *
 * - Python (PyJWT, python-jose): `jwt.decode(token, verify=False)` (PyJWT 1.x), `jwt.decode(...,
 *   options={"verify_signature": False})`, `algorithms` listing `"none"`. A result assigned to a name
 *   that says it is unverified (`unverified_claims = jwt.decode(...)`, the PyJWT docs' way to peek at a
 *   token before choosing its key) is not reported.
 * - JavaScript/TypeScript: `jsonwebtoken.verify(token, key, { algorithms: ['none'] })`, and
 *   `jwt-simple`'s `decode(token, key, true)` (its third argument is `noVerify`).
 * - Go (golang-jwt, dgrijalva/jwt-go): `jwt.UnsafeAllowNoneSignatureType`, which makes the `none`
 *   algorithm verify.
 * - Java (jjwt): `parseClaimsJwt`, `parsePlaintextJwt`, `parseUnsecuredClaims`, `parseUnsecuredContent`,
 *   which accept only unsigned tokens.
 *
 * Sources: PyJWT docs ("Reading the Claimset without Validation"), jsonwebtoken README (`algorithms`),
 * jwt-simple README, golang-jwt `none.go`, jjwt `JwtParser` javadoc; RFC 8725 §3.1 and §3.2.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue, words } from '../../nodes';
import { resolvedCallee } from '../../bindings';
import { contextNames, keywordArg } from './common';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  python: 'Verify every token you act on: `jwt.decode(token, key, algorithms=["HS256"])` with the expected algorithm list (never `"none"`) and the signature check left on; read claims unverified only to pick the key, then verify.',
  js: 'Verify with an explicit list of real algorithms: `jwt.verify(token, key, { algorithms: ["HS256"] })`; never list `none` and never skip verification.',
  go: 'Remove `jwt.UnsafeAllowNoneSignatureType`; in the key function check `token.Method` against the algorithm you issue and return the real key.',
  java: 'Parse signed tokens only: `Jwts.parser().verifyWith(key).build().parseSignedClaims(token)` (`parseClaimsJws` before jjwt 0.12).',
};

/** The string values of a list/array literal node (others left out). */
function listStrings(n: SyntaxNode | null | undefined, lang: ParsedFile['language']): string[] {
  if (!n || !/^(list|array|tuple)$/.test(n.type)) return [];
  return n.namedChildren.map((c) => stringValue(c, lang)).filter((s): s is string => s !== undefined);
}

/** The value of key `key` in a Python dict or JS object literal, or undefined. */
function literalKey(obj: SyntaxNode | null | undefined, key: string, lang: ParsedFile['language']): SyntaxNode | undefined {
  if (!obj || !/^(dictionary|object)$/.test(obj.type)) return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const kt = k ? stringValue(k, lang) ?? k.text : '';
    if (kt === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function isFalse(n: SyntaxNode | null | undefined): boolean {
  return n?.type === 'false';
}

function check(file: ParsedFile): RuleHit[] {
  const lang = file.language;
  const hits: RuleHit[] = [];
  const add = (node: SyntaxNode, what: string, fix: string) =>
    hits.push({ node, message: `${what} Whoever sends the token then chooses its claims (user, roles, expiry): an edited payload or a header with \`"alg": "none"\` is accepted. ${fix}`, suggestion: { description: fix } });
  if (lang === 'python') {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      if (!/^(jwt|jose\.jwt|jwt\.api_jwt|jwt\.api_jws)\.(decode|decode_complete)$/.test(name)) continue;
      if (contextNames(call, lang).some((n) => words(n).includes('unverified'))) continue;
      const verify = keywordArg(call, 'verify');
      const sig = literalKey(keywordArg(call, 'options'), 'verify_signature', lang);
      const algs = listStrings(keywordArg(call, 'algorithms'), lang);
      if (isFalse(verify)) add(call, `\`${name}(..., verify=False)\` returns the claims without checking the signature.`, FIX.python);
      else if (isFalse(sig)) add(call, `\`${name}\` with \`options={"verify_signature": False}\` returns the claims without checking the signature.`, FIX.python);
      else if (algs.some((a) => a.toLowerCase() === 'none')) add(call, `\`${name}\` accepts the \`none\` algorithm, i.e. unsigned tokens.`, FIX.python);
    }
  } else if (isJs(lang)) {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      const args = callArguments(call);
      if (/^jsonwebtoken\.verify$/.test(name)) {
        const algs = listStrings(literalKey(args[2], 'algorithms', lang), lang);
        if (algs.some((a) => a.toLowerCase() === 'none')) add(call, '`jwt.verify` is given `algorithms` that include `none`, so unsigned tokens verify.', FIX.js);
      } else if (/^jwt-simple\.decode$/.test(name) && args[2]?.type === 'true') {
        add(call, '`jwt.decode(token, key, true)` of jwt-simple skips the signature check (the third argument is `noVerify`).', FIX.js);
      }
    }
  } else if (lang === 'go') {
    eachOfType(file.root, ['selector_expression'], (n) => {
      if (n.childForFieldName('field')?.text === 'UnsafeAllowNoneSignatureType') add(n, '`jwt.UnsafeAllowNoneSignatureType` makes tokens signed with `none` verify.', FIX.go);
      return true;
    });
  } else if (lang === 'java') {
    for (const call of callsOf(file)) {
      if (call.type !== 'method_invocation') continue;
      const m = call.childForFieldName('name')?.text ?? '';
      if (/^(parseClaimsJwt|parsePlaintextJwt|parseUnsecuredClaims|parseUnsecuredContent)$/.test(m)) add(call, `\`${m}\` parses an unsigned token: its claims carry no signature at all.`, FIX.java);
    }
  }
  return hits;
}

/** The `security/jwt-verification-disabled` rule (see its `description`). */
export const jwtVerificationDisabled: FileRule = {
  kind: 'file',
  id: 'security/jwt-verification-disabled',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'critical',
  category: 'jwt-verification-disabled',
  title: 'JWT signature not verified',
  description:
    'Flags JSON Web Tokens decoded without checking their signature: PyJWT/python-jose `decode(verify=False)` or `options={"verify_signature": False}` (not when the result is named unverified), an `algorithms` list with `none` (PyJWT, jsonwebtoken), jwt-simple `decode(token, key, true)`, Go `jwt.UnsafeAllowNoneSignatureType`, jjwt `parseClaimsJwt`/`parseUnsecuredClaims`. Anyone can then forge a token with the claims they want. Verify with the key and an explicit list of real algorithms.',
  references: ['CWE-347', 'OWASP A02:2021'],
  confidence: 0.85,
  check,
};
