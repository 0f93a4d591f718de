/**
 * Rule family: weak cryptographic algorithms (CWE-327, CWE-328).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, calleeMethod, enclosingFunction, isJs } from '../../lang';
import { callsOf, stringValue, words } from '../../nodes';
import { resolvedCallee } from '../../bindings';

import { unwrapArg, keywordArg, contextNames, chainArgumentWords } from './common';
import { code } from '../../nodes';
import { capitalise, describePath, fam, requestFlows } from './flows';

// ---------------------------------------------------------------------------------------------
// Weak cryptography

const PASSWORD_WORDS = /^(password|passwd|pwd|passphrase|credential|credentials|pass)$/;
/** Words that put a hash to a security use: signing, verification, authentication, secrets. */
const HASH_SECURITY_WORDS = /^(secret|secrets|token|tokens|sign|signs|signature|signatures|signed|signing|verify|verification|auth|authenticate|authentication|hmac|salt|salted|apikey|session|cert|certificate|certificates|license|otp)$/;
const NON_SECURITY_WORDS = /^(identifier|boundary|etag|cache|cached|checksum|checksums|fingerprint|dedupe|dedup|shard|bucket|filename|file|files|content|gravatar|avatar|color|colour|partition|uuid|legacy|git|object|blob)$/;

function weakAlgorithm(call: SyntaxNode, file: ParsedFile): { kind: 'hash' | 'cipher'; algo: string; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  const lit = (i: number) => stringValue(args[i], lang) ?? '';
  const WEAK_HASH = /^(md2|md4|md5|sha1|sha-1|sha)$/i;
  const WEAK_CIPHER = /^(des|des-ede|des-ede3|des3|desede|tripledes|rc2|rc4|arcfour|bf|blowfish)(\b|-|\/|$)|-ecb$|\/ecb\//i;
  if (isJs(lang)) {
    if (/(^|\.)createHash$/.test(name) && WEAK_HASH.test(lit(0))) return { kind: 'hash', algo: lit(0).toUpperCase(), api: name };
    if (/(^|\.)(createCipheriv|createDecipheriv)$/.test(name) && WEAK_CIPHER.test(lit(0))) return { kind: 'cipher', algo: lit(0), api: name };
    return undefined;
  }
  if (lang === 'python') {
    if (/^hashlib\.(md5|sha1|md4)$/.test(name)) {
      const ufs = keywordArg(call, 'usedforsecurity');
      if (ufs?.type === 'false') return undefined;
      return { kind: 'hash', algo: calleeMethod(name).toUpperCase(), api: name };
    }
    if (name === 'hashlib.new' && WEAK_HASH.test(lit(0)) && keywordArg(call, 'usedforsecurity')?.type !== 'false') return { kind: 'hash', algo: lit(0).toUpperCase(), api: name };
    if (/(^|\.)(DES|DES3|ARC2|ARC4|Blowfish)\.new$/.test(name)) return { kind: 'cipher', algo: name.split('.').slice(-2)[0] ?? 'DES', api: name };
    if (/\.new$/.test(name) && args.some((a) => /(^|\.)MODE_ECB$/.test(a.text))) return { kind: 'cipher', algo: 'ECB mode', api: name };
    if (/(^|\.)modes\.ECB$/.test(name) || /(^|\.)algorithms\.(TripleDES|ARC4|Blowfish|CAST5|IDEA|SEED)$/.test(name)) return { kind: 'cipher', algo: calleeMethod(name), api: name };
    return undefined;
  }
  if (lang === 'go') {
    if (/^(crypto\/)?(md5|sha1)\.(New|Sum)$/.test(name)) return { kind: 'hash', algo: (name.match(/(md5|sha1)/)?.[1] ?? '').toUpperCase(), api: name.replace(/^crypto\//, '') };
    if (/^(crypto\/)?(des\.(NewCipher|NewTripleDESCipher)|rc4\.NewCipher)$/.test(name)) return { kind: 'cipher', algo: /rc4/.test(name) ? 'RC4' : 'DES', api: name.replace(/^crypto\//, '') };
    return undefined;
  }
  // Java
  if (/(^|\.)MessageDigest\.getInstance$/.test(name) && WEAK_HASH.test(lit(0))) return { kind: 'hash', algo: lit(0), api: 'MessageDigest.getInstance' };
  if (/(^|\.)DigestUtils\.(md5|md5Hex|sha1|sha1Hex|sha|shaHex)$/.test(name)) return { kind: 'hash', algo: /md5/i.test(name) ? 'MD5' : 'SHA-1', api: name };
  if (/(^|\.)Cipher\.getInstance$/.test(name)) {
    const t = lit(0);
    if (WEAK_CIPHER.test(t) || /^(AES|DES|DESede|Blowfish)$/i.test(t)) return { kind: 'cipher', algo: t, api: 'Cipher.getInstance' };
  }
  return undefined;
}

/** The `security/weak-crypto` rule (see its `description`). */
export const weakCrypto: FileRule = {
  kind: 'file',
  id: 'security/weak-crypto',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'weak-cryptography',
  title: 'Weak cryptographic algorithm',
  description:
    'Flags broken ciphers and modes (DES, 3DES, RC4, Blowfish, ECB, Java\'s default `Cipher.getInstance("AES")`), and MD5/SHA-1 hashing (`crypto.createHash`, `hashlib.md5`, `MessageDigest.getInstance`, `md5.New`) where the surrounding names or arguments show a security use (passwords, secrets, tokens, signatures, verification) or where the hashed data comes from the request (followed by the taint engine). Collisions make MD5/SHA-1 unfit for signatures; fast hashes make stored passwords easy to crack; ECB leaks patterns. Use SHA-256+, bcrypt/scrypt/Argon2 for passwords, AES-GCM for encryption. High for password hashing.',
  references: ['CWE-327', 'CWE-328', 'OWASP A02:2021'],
  confidence: 0.6,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const w = weakAlgorithm(call, file);
      if (!w) continue;
      const names = contextNames(call, lang).flatMap(words);
      const all = [...names, ...chainArgumentWords(call, lang)];
      const password = all.some((x) => PASSWORD_WORDS.test(x));
      // MD5/SHA-1 as checksums, cache keys and protocol digests are common and harmless: only hashes
      // whose surroundings name a security use are reported.
      if (w.kind === 'hash' && !password && (!all.some((x) => HASH_SECURITY_WORDS.test(x)) || all.some((x) => NON_SECURITY_WORDS.test(x)))) continue;
      const fix =
        w.kind === 'hash'
          ? password
            ? lang === 'python'
              ? 'Hash passwords with a slow, salted algorithm: `bcrypt`, `argon2-cffi` or `hashlib.scrypt`.'
              : lang === 'go'
                ? 'Hash passwords with `golang.org/x/crypto/bcrypt` or `argon2`.'
                : lang === 'java'
                  ? 'Hash passwords with a slow, salted algorithm (BCrypt, SCrypt or Argon2 via Spring Security or Bouncy Castle).'
                  : 'Hash passwords with a slow, salted algorithm: `crypto.scrypt`, bcrypt or Argon2.'
            : 'Use SHA-256 or stronger for integrity and signatures; if this hash is only a checksum or cache key, say so in its name or a comment.'
          : lang === 'java' && /^AES$/i.test(w.algo)
            ? 'Name the mode explicitly: `Cipher.getInstance("AES/GCM/NoPadding")` with a fresh random IV per message.'
            : 'Use AES-GCM (or ChaCha20-Poly1305) with a fresh random IV/nonce per message.';
      const what =
        w.kind === 'hash'
          ? `${w.algo} is broken for collision resistance${password ? ', and a fast unsalted hash lets stolen password hashes be cracked at billions of guesses per second' : ' and unfit for signatures, integrity checks or secrets'}.`
          : lang === 'java' && /^AES$/i.test(w.algo)
            ? '`"AES"` without a mode defaults to ECB, which encrypts equal blocks to equal ciphertext and leaks patterns.'
            : `\`${w.algo}\` is a broken cipher or mode (short keys, biased keystream, or ECB's pattern leakage).`;
      hits.push({
        node: call,
        severity: password ? 'high' : 'medium',
        title: w.kind === 'hash' ? `Weak hash: ${w.algo}${password ? ' for passwords' : ''}` : `Weak cipher: ${w.algo}`,
        message: `\`${w.api}\` uses ${w.kind === 'hash' ? w.algo : `\`${w.algo}\``}: ${what} ${fix}`,
        suggestion: { description: fix },
      });
    }
    // Data from the request hashed with MD5/SHA-1 (a password, a token, a value stored for later
    // comparison): the taint engine follows it into the hash object's `update`/constructor.
    // One finding per function: a hash already reported there for its context is not reported again.
    const fnOf = (n: SyntaxNode) => enclosingFunction(n, lang)?.startIndex ?? -1;
    const done = new Set(hits.map((x) => fnOf(x.node!)));
    for (const f of requestFlows(file, 'weak-hash')) {
      if (done.has(fnOf(f.node))) continue;
      done.add(fnOf(f.node));
      const algo = String(f.info?.algo ?? 'MD5');
      const password = /pass(word)?|pwd|credential|secret|token/i.test([f.taint!.source.label, ...f.taint!.path.map((s) => s.text)].join(' '));
      const fix = FIX_HASH[fam(lang)];
      hits.push({
        node: f.node,
        severity: password ? 'high' : 'medium',
        title: `Weak hash of request data: ${algo}`,
        message: `${capitalise(describePath(f.taint!))} is hashed with ${algo} by ${code(f.api)}. ${algo} is broken for collision resistance, and a fast unsalted hash of a user-supplied secret (a password, a token) can be reversed by brute force at billions of guesses per second. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits.sort((a, b) => (a.node?.startIndex ?? 0) - (b.node?.startIndex ?? 0));
  },
};

const FIX_HASH: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'For passwords use `crypto.scrypt`, bcrypt or Argon2; for anything else use SHA-256 or stronger (`crypto.createHash(\'sha256\')`).',
  python: 'For passwords use `hashlib.scrypt`, bcrypt or argon2-cffi; for anything else use `hashlib.sha256` or stronger.',
  go: 'For passwords use `golang.org/x/crypto/bcrypt` or argon2; for anything else use `crypto/sha256`.',
  java: 'For passwords use BCrypt, SCrypt or Argon2 (Spring Security `PasswordEncoder`); for anything else `MessageDigest.getInstance("SHA-256")`.',
};

