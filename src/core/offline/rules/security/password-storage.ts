/**
 * Rule family: plaintext password storage (CWE-256, CWE-916; OWASP A04:2021, A02:2021): a password
 * taken from the request stored on a record (`user.password = req.body.password`, an object or
 * keyword argument `password=...` passed to a database write or model constructor, `setPassword(...)`)
 * without passing through a password hash (`bcrypt`, `argon2`, `scrypt`, `pbkdf2`,
 * `make_password`, an encoder). Weak (MD5/SHA-1) password hashing is the `security/weak-crypto` rule's.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { flowsOf } from '../../taint';
import { isTaintedFor } from '../../taint/value';
import { describePath, fam, lastName, requestFlows } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Store only a slow, salted hash: `await bcrypt.hash(password, 12)` or `argon2.hash(password)`, and compare with `bcrypt.compare`.',
  python: 'Store only a slow, salted hash: Django `make_password`/`set_password`, Werkzeug `generate_password_hash`, or `bcrypt.hashpw`/`argon2-cffi`.',
  go: 'Store only a slow, salted hash: `bcrypt.GenerateFromPassword` (golang.org/x/crypto/bcrypt) or argon2.',
  java: 'Store only a slow, salted hash: Spring Security `PasswordEncoder` (BCrypt/Argon2) or another adaptive hash.',
};

/** The `security/plaintext-password` rule (see its `description`). */
export const plaintextPassword: FileRule = {
  kind: 'file',
  id: 'security/plaintext-password',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'plaintext-password',
  title: 'Password stored without hashing',
  description:
    'Follows a password from the request to a stored record (`user.password = ...`, a `password` field passed to an insert/create/save or to an ORM model\'s constructor, a record put into a module-level store, `setPassword(...)`) and reports it when no password hash (`bcrypt`, `argon2`, `scrypt`, `pbkdf2`, `make_password`, a `PasswordEncoder`) was applied on the way; also a password compared as is with a stored `password` field (`user.password === password`), and a fixed password set on a record. Anyone who reads the database (a backup, an injection, an insider) gets every user\'s password, which users reuse elsewhere.',
  references: ['CWE-256', 'CWE-916', 'OWASP A04:2021'],
  confidence: 0.75,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'password-store', project)) {
      // Only values that came from a password input: the source or a step names a password.
      const story = [f.taint!.source.label, ...f.taint!.path.map((s) => s.text)].join(' ');
      if (!/pass(word)?|pwd/i.test(story) && !/pass(word)?|pwd/i.test(String(f.info?.field ?? ''))) continue;
      hits.push({ node: f.node, message: `The ${code(String(f.info?.field ?? 'password'))} field is set from ${describePath(f.taint!)} without a password hash. Anyone who can read the stored records reads every password. ${fix}`, suggestion: { description: fix } });
    }
    // A function that receives a password and stores it as is (`addUser(name, password)` → `insertOne({ password })`).
    for (const f of flowsOf(file, 'password-store')) {
      if (f.info?.constant) {
        hits.push({ node: f.node, confidence: 0.7, message: `A fixed password is stored in plain text in the record's ${code(String(f.info.field ?? 'password'))} field: whoever reads the source or the database can log in with it, and the application evidently keeps passwords unhashed. Create such accounts with a random password hashed on the way in, and have the owner set their own. ${fix}`, suggestion: { description: fix } });
        continue;
      }
      if (f.taint || !f.value.param || !/pass(word)?|pwd/i.test(f.value.param) || f.value.escaped) continue;
      hits.push({ node: f.node, confidence: 0.65, message: `The ${code(String(f.info?.field ?? 'password'))} field is stored straight from the parameter \`${f.value.param}\`, with no password hash on the way. Anyone who can read the stored records reads every password. ${fix}`, suggestion: { description: fix } });
    }
    // A password compared as is with a stored one (`user.password === password`): the stored password is plain text.
    const compares = [...requestFlows(file, 'compare', project), ...flowsOf(file, 'compare').filter((f) => !f.taint && f.value.param)];
    const seen = new Set<number>();
    for (const f of compares) {
      const stored = String(f.info?.otherSecret ?? '');
      if (!/^(password|passwd|pwd|pass|user_?password|userPassword)$/i.test(stored) || seen.has(f.node.id)) continue;
      // Hashed on the way (`hash(password) == user.password`): a hash comparison, not plain text.
      if (f.taint && !isTaintedFor(f.taint, 'password-store')) continue;
      const name = f.taint ? lastName(f.taint) : f.value.param!;
      if (!/pass(word)?|pwd/i.test(name)) continue;
      seen.add(f.node.id);
      const from = f.taint ? describePath(f.taint) : `the parameter \`${f.value.param}\``;
      hits.push({
        node: f.node,
        confidence: f.taint ? 0.75 : 0.65,
        message: `The password is compared as plain text with the stored ${code(stored)} (${code(String(f.info?.other ?? stored))}): ${from} is compared as is. So passwords are stored unhashed: anyone who reads the database reads every password (and \`==\` leaks timing). Store a slow salted hash and verify with the library's compare (\`bcrypt.compare\`, \`check_password_hash\`, \`check_password\`). ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};
