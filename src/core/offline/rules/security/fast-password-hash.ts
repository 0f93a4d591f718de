/**
 * Rule family: a password hashed with a fast general-purpose hash (CWE-916 password hash with
 * insufficient computational effort, CWE-759 without a salt; OWASP A02:2021). SHA-256, SHA-512, SHA-3
 * and BLAKE2 are collision-resistant but built to be fast: one GPU tries billions of candidate passwords
 * per second against a stolen SHA-256 digest, and without a salt one precomputed table cracks every user
 * at once (OWASP Password Storage Cheat Sheet). MD5 and SHA-1 on passwords are `security/weak-crypto`'s.
 *
 * Reported when the data hashed names a password (`password`, `passwd`, `pwd`, `passphrase`: an argument
 * of the hash call or of an `update` chained on it) and the hash is one of:
 * - Python `hashlib.sha224`, `sha256`, `sha384`, `sha512`, `sha3_256` (and the other SHA-3 sizes), `blake2b`, `blake2s` or `hashlib.new("sha256", ...)`;
 * - JavaScript/TypeScript `crypto.createHash("sha256" | "sha512" | "sha3-256" | ...).update(password)`;
 * - Go `sha256.Sum256`, `sha512.Sum512`, `sha256.New().Write(...)`-style `Sum` calls on a password.
 * Key derivation functions (`pbkdf2_hmac`, `scrypt`, bcrypt, Argon2) and HMACs are not hashes here.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments, isJs } from '../../lang';
import { callsOf, stringValue } from '../../nodes';
import { resolvedCallee } from '../../bindings';
import { argumentWords, chainArgumentWords } from './common';

const FAST = /^(sha-?224|sha-?256|sha-?384|sha-?512(-?\d+)?|sha3[-_]\d+|blake2[bs](512|256)?|shake[-_]?\d+|ripemd-?160|whirlpool)$/i;
const PASSWORD_WORD = /^(password|passwd|pwd|passphrase|passcode)$/;
/** Words that say the password is only an input to something else (a key check, an HMAC, a fingerprint of a hash). */
const NOT_STORAGE = /^(hmac|pbkdf2|scrypt|bcrypt|argon2|hashed|hash|digest|salted)$/;

const FIX: Record<'js' | 'python' | 'go', string> = {
  python: 'Hash passwords with a slow, salted password hash: `argon2-cffi` (`PasswordHasher().hash(password)`), bcrypt, `hashlib.scrypt`, or Django\'s `make_password`.',
  js: 'Hash passwords with a slow, salted password hash: `crypto.scrypt` with a random salt, bcrypt, or argon2.',
  go: 'Hash passwords with `golang.org/x/crypto/bcrypt` (`bcrypt.GenerateFromPassword`) or `argon2.IDKey` with a random salt.',
};

function fastAlgorithm(call: SyntaxNode, file: ParsedFile): string | undefined {
  const name = resolvedCallee(call, file);
  const lang = file.language;
  if (lang === 'python') {
    const m = /^hashlib\.(sha224|sha256|sha384|sha512|sha3_\d+|blake2b|blake2s)$/.exec(name);
    if (m) return m[1];
    if (name === 'hashlib.new') {
      const algo = stringValue(callArguments(call)[0], lang);
      return algo && FAST.test(algo) ? algo : undefined;
    }
    return undefined;
  }
  if (isJs(lang)) {
    if (name !== 'crypto.createHash') return undefined;
    const algo = stringValue(callArguments(call)[0], lang);
    return algo && FAST.test(algo) ? algo : undefined;
  }
  if (lang === 'go') {
    const m = /^crypto\/(sha256|sha512|sha3)\.(Sum256|Sum512|Sum224|Sum384|Sum512_256)$/.exec(name) ?? /^(sha256|sha512|sha3)\.(Sum256|Sum512|Sum224|Sum384|Sum512_256)$/.exec(name);
    return m ? `${m[1]}.${m[2]}` : undefined;
  }
  return undefined;
}

function check(file: ParsedFile): RuleHit[] {
  const hits: RuleHit[] = [];
  const lang = file.language;
  const fam = lang === 'python' ? 'python' : lang === 'go' ? 'go' : 'js';
  for (const call of callsOf(file)) {
    const algo = fastAlgorithm(call, file);
    if (!algo) continue;
    // Python and Go pass the data to the call; JS to the `update` chained on `createHash`.
    const data = isJs(lang) ? chainArgumentWords(call, lang) : argumentWords(call, lang);
    if (!data.some((w) => PASSWORD_WORD.test(w)) || data.some((w) => NOT_STORAGE.test(w))) continue;
    hits.push({
      node: call,
      message: `The password is hashed with ${algo}, a fast general-purpose hash${lang === 'python' || lang === 'go' ? ' without a salt' : ''}: from a stolen digest an attacker tries billions of candidate passwords per second on one GPU, and equal passwords give equal digests. ${FIX[fam]}`,
      suggestion: { description: FIX[fam] },
    });
  }
  return hits;
}

/** The `security/fast-password-hash` rule (see its `description`). */
export const fastPasswordHash: FileRule = {
  kind: 'file',
  id: 'security/fast-password-hash',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go'],
  severity: 'high',
  category: 'weak-password-hash',
  title: 'Password hashed with a fast hash',
  description:
    'Flags a password hashed with a fast general-purpose hash (SHA-2, SHA-3, BLAKE2: `hashlib.sha256(password)`, `crypto.createHash("sha256").update(password)`, Go `sha256.Sum256([]byte(password))`). Stolen digests are then cracked at billions of guesses per second, and unsalted ones all at once. Use Argon2, bcrypt or scrypt with a per-user salt. (MD5 and SHA-1 are reported by `security/weak-crypto`.)',
  references: ['CWE-916', 'CWE-759', 'OWASP A02:2021'],
  confidence: 0.8,
  check,
};
