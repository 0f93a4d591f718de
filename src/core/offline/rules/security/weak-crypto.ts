/**
 * Rule family: weak cryptographic algorithms (CWE-327 broken ciphers and modes, CWE-328 weak hashes,
 * CWE-916 fast password hashes; OWASP A02:2021). Algorithm names are resolved through constants and
 * classpath properties files (./config-value.ts).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, calleeMethod, enclosingFunction, isJs } from '../../lang';
import { callsOf, literalText, words } from '../../nodes';
import { resolveString } from './config-value';
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

/**
 * The weak algorithm a call selects, if any: `kind`, the algorithm's name, the API's display name and,
 * when the name is not a literal at the call, how it was resolved (`via`, see {@link resolveString}:
 * a constant, or a `Properties` value read from the project's resource file).
 */
function weakAlgorithm(call: SyntaxNode, file: ParsedFile, project?: ProjectIndex): { kind: 'hash' | 'cipher'; algo: string; api: string; via?: string } | undefined {
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  const vias: string[] = [];
  const lit = (i: number) => {
    const r = resolveString(args[i], file, project);
    if (r?.via) vias.push(r.via);
    return r?.value ?? '';
  };
  const w = weakAlgorithmOf(call, file, name, args, lit);
  return w && vias.length ? { ...w, via: vias[0] } : w;
}

function weakAlgorithmOf(call: SyntaxNode, file: ParsedFile, name: string, args: SyntaxNode[], lit: (i: number) => string): { kind: 'hash' | 'cipher'; algo: string; api: string } | undefined {
  const lang = file.language;
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

/** Calls that open or name a file, stream or record for writing, by callee (Python, JS, Java, Go). */
const STORE_CALL = /^(open|io\.open|codecs\.open|(\w+\.)*(FileWriter|FileOutputStream|PrintWriter|RandomAccessFile|File)|new (java\.io\.)?(FileWriter|FileOutputStream|PrintWriter|RandomAccessFile|File)|(java\.nio\.file\.)?(Paths\.get|Path\.of|Files\.write\w*)|fs\.(writeFile\w*|appendFile\w*|createWriteStream|openSync|open)|(os\.)?(Create|OpenFile|WriteFile))$/;
/** Words of a store's name that make it a credential store. */
const CREDENTIAL_STORE_WORDS = /^(password|passwords|passwd|pwd|credential|credentials|secret|secrets|shadow|htpasswd)$/;

/**
 * The name of a credential store that the function around a hash call writes to (after the call): the
 * constant text of a file path or record name given to `open`, `new File`, `FileWriter`,
 * `fs.writeFile`, `os.Create` and the like, when its words name passwords, credentials or secrets
 * (`passwordFile.txt`, `/etc/shadow`, `secrets.db`). A digest written there is stored for later
 * comparison, which is a security use of the hash (CWE-328, CWE-916), whatever the data's origin.
 */
function credentialStore(call: SyntaxNode, file: ParsedFile): string | undefined {
  const lang = file.language;
  const fn = enclosingFunction(call, lang);
  if (!fn) return undefined;
  for (const c of callsOf(file)) {
    if (c.startIndex < call.endIndex || c.endIndex > fn.endIndex) continue;
    if (!STORE_CALL.test(resolvedCallee(c, file))) continue;
    for (const a of callArguments(c)) {
      const text = literalText(unwrapArg(a), lang);
      if (text && words(text).some((w) => CREDENTIAL_STORE_WORDS.test(w))) return text.trim().split(/\s+/).pop()!;
    }
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
    'Flags broken ciphers and modes (DES, 3DES, RC4, Blowfish, ECB, Java\'s default `Cipher.getInstance("AES")`), and MD5/SHA-1 hashing (`crypto.createHash`, `hashlib.md5`, `MessageDigest.getInstance`, `md5.New`) where the surrounding names or arguments show a security use (passwords, secrets, tokens, signatures, verification), where the function stores the digest in a credential store (a file or record named for passwords or secrets), or where the hashed data comes from the request (followed by the taint engine). An algorithm name held in a constant or read with `Properties.getProperty` from a properties file the code loads from the classpath is judged by its value in the project\'s resource file. Collisions make MD5/SHA-1 unfit for signatures; fast hashes make stored passwords easy to crack; ECB leaks patterns. Use SHA-256+, bcrypt/scrypt/Argon2 for passwords, AES-GCM for encryption. High for password hashing.',
  references: ['CWE-327', 'CWE-328', 'OWASP A02:2021'],
  confidence: 0.6,
  check(file, project) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const w = weakAlgorithm(call, file, project);
      if (!w) continue;
      const names = contextNames(call, lang).flatMap(words);
      const store = w.kind === 'hash' ? credentialStore(call, file) : undefined;
      const all = [...names, ...chainArgumentWords(call, lang), ...(store ? words(store) : [])];
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
        message: `\`${w.api}\` uses ${w.kind === 'hash' ? w.algo : `\`${w.algo}\``}${w.via ? ` (${w.via})` : ''}${store ? `, and the function stores its output in ${code(store)}` : ''}: ${what} ${fix}`,
        suggestion: { description: fix },
      });
    }
    // Data from the request hashed with MD5/SHA-1 (a password, a token, a value stored for later
    // comparison): the taint engine follows it into the hash object's `update`/constructor.
    // One finding per function: a hash already reported there for its context is not reported again.
    const fnOf = (n: SyntaxNode) => enclosingFunction(n, lang)?.startIndex ?? -1;
    const done = new Set(hits.map((x) => fnOf(x.node!)));
    for (const f of requestFlows(file, 'weak-hash', project)) {
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

