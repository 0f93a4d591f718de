/**
 * Offline rules of the security pack about secrets written into code and configuration (persona
 * `security`):
 * - `security/hardcoded-secret`: credential-named variables, fields, keys and keyword arguments given a
 *   constant string, and credentials compared with a constant;
 * - `security/hardcoded-signing-secret`: a string literal, placeholder-looking or not, used as a session,
 *   cookie or JWT signing secret or as a crypto key, in a configuration object or an API call
 *   (`session({ secret: 'keyboard cat' })`, `cookieSecret: '…'`, `jwt.sign(p, 'secret')`,
 *   `app.secret_key = '…'`, `sessions.NewCookieStore([]byte("…"))`, `Algorithm.HMAC256("…")`);
 * - `security/private-key-in-source`: a PEM private key in a string literal;
 * - `security/secret-in-source` and `security/secret-in-config`: the secrets the redaction step found and
 *   replaced by `[REDACTED:<rule>]` markers (src/core/redact.ts), reported on the secret's own line, in
 *   code and in configuration files (`.properties`, `.env.example`, YAML, JSON, TOML, Terraform, ...).
 *
 * None of them reports a TypeScript type (`'username' | 'password'`), an enum member, a JSDoc or
 * docstring example, or a test, fixture or example file.
 *
 * CWE-798 (Use of Hard-coded Credentials), CWE-259 (Use of Hard-coded Password), CWE-321 (Use of
 * Hard-coded Cryptographic Key); OWASP Top 10 2021 A07:2021 (Identification and Authentication Failures),
 * the category CWE-798 and CWE-259 are mapped to.
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { FileRule, OfflineRule, ParsedFile, ProjectHit, ProjectRule, RuleHit } from '../../rule';
import { LANG, callArguments, calleeName, calleeMethod, isJs } from '../../lang';
import { ALL_LANGS } from '../../lang';
import { eachOfType, stringValue } from '../../nodes';
import { isNonProductionPath as isTestLikePath } from '../../paths';
import { productionOnly } from './common';
import { identifierWords, isCredentialName } from '../../../redact';

// ---------------------------------------------------------------------------------------------
// Shared: values, names, sites

/** True when a literal looks like a real secret rather than a placeholder, label, key name or empty value. */
export function looksLikeSecretValue(v: string): boolean {
  if (v.length < 6 || /\n/.test(v)) return false;
  if ((v.match(/\s/g) ?? []).length >= 2 || /^[A-Za-z][A-Za-z ,.'!?:-]*$/.test(v)) return false; // prose: a label or message
  if (/^(x+|\*+|\.+|-+|_+|#+|0+)$/i.test(v)) return false;
  if (/change.?me|changeit|your[_-]?|example|placeholder|dummy|sample|fake|redacted|todo|fixme|^<.*>$|\$\{|\{\{|^%.*%$|^\$[A-Z_]+$|xxx|test|insert|replace|enter|default|secret_key_here|^none$|^null$|^undefined$/i.test(v)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(v)) return false; // an environment variable name
  if (/^[A-Za-z]+([._:/-][A-Za-z]+)*$/.test(v)) return false; // words: a key name, header or label
  if (/^(https?:)?\/\//.test(v) && !/:[^/@]+@/.test(v)) return false;
  if (/^\.?\.?\//.test(v)) return false; // a path
  if (/%[sdv]|\{\}/.test(v)) return false; // a format string
  if (/^#[0-9a-f]{3,8}$/i.test(v)) return false; // a colour
  if (/\\[dwsbDWSB]|^\^|\[\^|\(\?|\$$/.test(v)) return false; // a regular expression
  return true;
}

/** Trailing words that qualify a name without changing what it is (`SECRET_KEY_BASE`, `jwtSecretProd`). */
const QUALIFIERS = new Set(['hmac', 'prod', 'production', 'live', 'dev', 'staging', 'value', 'str', 'string', 'b64', 'base64', 'hex', 'raw', 'bytes', 'base', 'main', 'primary']);
/** `<x> secret` is a signing secret for these `x`. */
const SECRET_OWNERS = new Set(['cookie', 'cookies', 'session', 'sessions', 'jwt', 'jws', 'token', 'signing', 'sign', 'hmac', 'app', 'csrf', 'xsrf', 'auth', 'nextauth', 'encryption', 'flask', 'django', 'express', 'refresh', 'access']);
/** `<x> key` is a signing or encryption key for these `x`. */
const KEY_OWNERS = new Set(['secret', 'signing', 'sign', 'encryption', 'encrypt', 'crypto', 'cipher', 'hmac', 'jwt', 'session', 'cookie', 'aes', 'master', 'symmetric']);

/**
 * True when `name` names a session, cookie or JWT signing secret or a crypto key: `secret`, `cookieSecret`,
 * `SESSION_SECRET`, `jwtSecret`, `secretKey`/`SECRET_KEY` (Django, Flask), `secret_key_base`, `signingKey`,
 * `encryptionKey`, `secretOrKey`/`secretOrPrivateKey` (passport-jwt, jsonwebtoken), `JWT_SECRET_KEY`.
 * `apiSecret`, `clientSecret` and `password` are credentials, not signing secrets (see `hardcoded-secret`).
 */
export function isSigningSecretName(name: string): boolean {
  const w = identifierWords(name);
  if (w.join(' ') === 'secret or key' || w.join(' ') === 'secret or private key') return true;
  while (w.length > 1 && (/^\d+$/.test(w[w.length - 1]!) || QUALIFIERS.has(w[w.length - 1]!))) w.pop();
  const last = w[w.length - 1] ?? '';
  const prev = w[w.length - 2] ?? '';
  if (last === 'secret') return w.length === 1 || SECRET_OWNERS.has(prev);
  if (last === 'key') return KEY_OWNERS.has(prev);
  return false;
}

/** The name text of a name node: the identifier, or the value of a string used as a key. */
function nameText(nameNode: SyntaxNode, lang: ParsedLanguage): string {
  return LANG[lang].string.includes(nameNode.type) ? (stringValue(nameNode, lang) ?? '') : nameNode.text;
}

/** The name node of an assignment target: identifier, member/attribute/selector/field, or a string subscript. */
function nameOfTarget(t: SyntaxNode | null, lang: ParsedLanguage): SyntaxNode | null {
  if (!t) return null;
  // `config['API_KEY'] = ...`, `app.config["SECRET_KEY"] = ...`: the string index is the name.
  if (t.type === 'subscript' || t.type === 'subscript_expression') {
    const idx = t.childForFieldName('subscript') ?? t.childForFieldName('index');
    return idx && LANG[lang].string.includes(idx.type) ? idx : null;
  }
  if (t.type === 'identifier' || t.type === 'property_identifier' || t.type === 'field_identifier') return t;
  if (t.type === 'member_expression') return t.childForFieldName('property');
  if (t.type === 'attribute') return t.childForFieldName('attribute');
  if (t.type === 'selector_expression') return t.childForFieldName('field');
  if (t.type === 'field_access') return t.childForFieldName('field');
  return null;
}

/** A named value: a variable, field, object key, keyword argument, map entry or struct field and what it is given. */
interface Site {
  nameNode: SyntaxNode;
  value: SyntaxNode;
}

/** The site `n` is (a declaration, assignment, pair, keyword argument, Go spec or keyed element), if any. */
function siteOf(n: SyntaxNode, lang: ParsedLanguage): Site | undefined {
  let nameNode: SyntaxNode | null = null;
  let value: SyntaxNode | null = null;
  switch (n.type) {
    case 'variable_declarator':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value');
      break;
    case 'public_field_definition':
    case 'field_definition':
      nameNode = n.childForFieldName('name') ?? n.childForFieldName('property');
      value = n.childForFieldName('value');
      break;
    case 'assignment_expression':
    case 'assignment':
      nameNode = nameOfTarget(n.childForFieldName('left'), lang);
      value = n.childForFieldName('right');
      break;
    case 'pair': {
      const k = n.childForFieldName('key');
      // A Python dict key that is an identifier is a variable, not a name (`{Token: '#fff'}`).
      if (lang === 'python' && k?.type !== 'string') return undefined;
      nameNode = k;
      value = n.childForFieldName('value');
      break;
    }
    case 'keyword_argument':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value');
      break;
    case 'const_spec':
    case 'var_spec':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value')?.namedChildren[0] ?? null;
      break;
    case 'short_var_declaration':
    case 'assignment_statement': {
      const l = n.childForFieldName('left')?.namedChildren ?? [];
      const r = n.childForFieldName('right')?.namedChildren ?? [];
      if (l.length === 1 && r.length === 1) {
        nameNode = nameOfTarget(l[0] ?? null, lang);
        value = r[0] ?? null;
      }
      break;
    }
    case 'keyed_element': {
      const k = n.childForFieldName('key') ?? n.namedChildren[0] ?? null;
      const v = n.childForFieldName('value') ?? n.namedChildren[1] ?? null;
      nameNode = k?.namedChildren[0] ?? k;
      value = v?.namedChildren[0] ?? v;
      break;
    }
    default:
      return undefined;
  }
  return nameNode && value ? { nameNode, value } : undefined;
}

const SITES = [
  'variable_declarator', 'public_field_definition', 'field_definition', 'assignment_expression', 'assignment', 'pair',
  'keyword_argument', 'const_spec', 'var_spec', 'short_var_declaration', 'assignment_statement', 'keyed_element',
];

/** Ancestor types that put a string in a type rather than a value (TypeScript literal types, type aliases, signatures). */
const TYPE_CONTEXT = new Set([
  'literal_type', 'union_type', 'intersection_type', 'type_annotation', 'type_alias_declaration', 'interface_declaration', 'property_signature',
  'type_arguments', 'template_literal_type', 'index_signature', 'object_type', 'tuple_type', 'conditional_type', 'lookup_type', 'generic_type',
]);

/** True when `n` is part of a type (TypeScript `'username' | 'password'`, `type T = { token: 'a' }`), not a value. */
function inTypePosition(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (TYPE_CONTEXT.has(p.type)) return true;
    if (/statement$|^program$|^class_body$|^function/.test(p.type)) return false;
  }
  return false;
}

const PY_ENUM_BASE = /\b(Enum|IntEnum|StrEnum|Flag|IntFlag|TextChoices|IntegerChoices|Choices)\b/;

/** True when `n` is an enum member's value (TypeScript/Java `enum`, a Python `Enum` or Django `TextChoices` class). */
function inEnum(n: SyntaxNode, lang: ParsedLanguage): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'enum_body' || p.type === 'enum_declaration' || p.type === 'enum_assignment' || p.type === 'enum_constant') return true;
    if (lang === 'python' && p.type === 'class_definition') {
      const bases = p.childForFieldName('superclasses');
      return bases !== null && PY_ENUM_BASE.test(bases.text);
    }
    if (LANG[lang].func.includes(p.type)) return false;
  }
  return false;
}

/** True for a Python docstring or other bare string statement: documentation, not a value. */
function isDocString(n: SyntaxNode, lang: ParsedLanguage): boolean {
  return lang === 'python' && n.parent?.type === 'expression_statement' && n.parent.namedChildCount === 1;
}

/**
 * True when offset `at` of a comment or docstring's text is inside an example: after a JSDoc `@example`
 * tag, inside a fenced code block, on a doctest line (`>>>`), or after "e.g." / "for example" / "Example:".
 */
function inExample(text: string, at: number): boolean {
  const before = text.slice(0, at);
  if (/@example\b/.test(before)) return true;
  if (((before.match(/```/g) ?? []).length & 1) === 1) return true;
  const line = before.slice(before.lastIndexOf('\n') + 1);
  if (/^\s*(?:\*\s*|#\s*|\/\/\s*)?(?:>>>|\.\.\.)\s/.test(line)) return true;
  return /\b(?:e\.g\.|for example|for instance|example:|examples:|usage:)/i.test(before.slice(-400));
}

/** The fix, in the file's language. */
function envFix(lang: ParsedLanguage): string {
  return lang === 'python'
    ? 'Read it from the environment (`os.environ["NAME"]`) or a secret manager, and rotate the value that was committed.'
    : lang === 'go'
      ? 'Read it from the environment (`os.Getenv("NAME")`) or a secret manager, and rotate the value that was committed.'
      : lang === 'java'
        ? 'Read it from the environment (`System.getenv("NAME")`), configuration outside the code, or a secret manager, and rotate the value that was committed.'
        : 'Read it from the environment (`process.env.NAME`) or a secret manager, and rotate the value that was committed.';
}

// ---------------------------------------------------------------------------------------------
// Signing secrets and crypto keys in configuration objects and API calls

/** A literal used as a signing secret or key: the string node(s) holding it and how it is given. */
interface SigningLiteral {
  strings: SyntaxNode[];
  /** `fallback` when the literal is only the default after an environment lookup (`process.env.X || 'lit'`). */
  how: 'literal' | 'fallback';
}

/** True for an environment lookup: `process.env.X`, `os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`, `os.Getenv`, `System.getenv`. */
function isEnvLookup(n: SyntaxNode): boolean {
  return /^(process\.env\b|import\.meta\.env\b|os\.environ\b|os\.getenv\(|os\.Getenv\(|System\.getenv\(|environ\.get\(|getenv\()/.test(n.text.replace(/\s+/g, ''));
}

/** A non-empty constant string literal node inside `n` as written for a key: `'x'`, `b'x'`, `[]byte("x")`, `"x".getBytes()`, `Buffer.from('x')`. */
function literalNode(n: SyntaxNode, lang: ParsedLanguage): SyntaxNode | undefined {
  if (LANG[lang].string.includes(n.type)) {
    const v = stringValue(n, lang);
    return v !== undefined && v.trim() !== '' ? n : undefined;
  }
  if (n.type === 'parenthesized_expression') return n.namedChildren[0] ? literalNode(n.namedChildren[0], lang) : undefined;
  // Go `[]byte("x")`.
  if (n.type === 'type_conversion_expression') {
    const inner = n.namedChildren[n.namedChildCount - 1];
    return inner ? literalNode(inner, lang) : undefined;
  }
  // Java `"x".getBytes(...)`, JS `Buffer.from('x')` / `new TextEncoder().encode('x')`, Python `'x'.encode()`.
  if (LANG[lang].call.includes(n.type)) {
    const callee = calleeName(n, lang);
    if (lang === 'java' && n.childForFieldName('name')?.text === 'getBytes') {
      const obj = n.childForFieldName('object');
      return obj ? literalNode(obj, lang) : undefined;
    }
    if (lang === 'python' && /\.encode$/.test(callee)) {
      const obj = n.childForFieldName('function')?.childForFieldName('object');
      return obj ? literalNode(obj, lang) : undefined;
    }
    if (isJs(lang) && /^(Buffer\.from|new TextEncoder\(\)\.encode|\w+\.encode)$/.test(callee)) {
      const a0 = callArguments(n)[0];
      return a0 ? literalNode(a0, lang) : undefined;
    }
  }
  return undefined;
}

/** How `value` gives a signing secret: a literal, an array of literals (`keys: ['a', 'b']`), or a literal fallback after an environment lookup. */
function signingLiteral(value: SyntaxNode, lang: ParsedLanguage): SigningLiteral | undefined {
  const lit = literalNode(value, lang);
  if (lit) return { strings: [lit], how: 'literal' };
  if ((value.type === 'array' || value.type === 'list') && value.namedChildCount > 0) {
    const items = value.namedChildren.filter((c): c is SyntaxNode => c !== null);
    const lits = items.map((c) => literalNode(c, lang));
    if (lits.every((l) => l !== undefined)) return { strings: lits as SyntaxNode[], how: 'literal' };
    return undefined;
  }
  // `process.env.SECRET || 'dev-secret'`, `os.environ.get('SECRET') or 'dev'`.
  if ((value.type === 'binary_expression' || value.type === 'boolean_operator') && /^(\|\||\?\?|or)$/.test(value.childForFieldName('operator')?.text ?? '')) {
    const left = value.childForFieldName('left');
    const right = value.childForFieldName('right');
    const lit = right ? literalNode(right, lang) : undefined;
    if (left && lit && isEnvLookup(left)) return { strings: [lit], how: 'fallback' };
  }
  // `os.environ.get('SECRET', 'dev')`, `os.getenv('SECRET', 'dev')`, `System.getenv().getOrDefault("SECRET", "dev")`.
  if (LANG[lang].call.includes(value.type)) {
    const callee = calleeName(value, lang);
    const args = callArguments(value);
    if (/^(os\.environ\.get|os\.getenv|environ\.get|getenv|System\.getenv\(\)\.getOrDefault)$/.test(callee) && args[1]) {
      const lit = literalNode(args[1], lang);
      if (lit) return { strings: [lit], how: 'fallback' };
    }
  }
  return undefined;
}

/** Calls that take a signing secret or key as an argument: callee pattern and the argument's index. */
const SIGNING_CALLS: Array<{ langs: readonly ParsedLanguage[]; callee: RegExp; arg: number; what: string }> = [
  { langs: ['javascript', 'typescript', 'tsx'], callee: /^(cookieParser|cookie_parser|cookieSignature\.sign)$/, arg: 0, what: 'cookie signing secret' },
  { langs: ['javascript', 'typescript', 'tsx'], callee: /^(jwt|jsonwebtoken|jws|JWT)\.(sign|verify)$/, arg: 1, what: 'JWT signing secret' },
  { langs: ['javascript', 'typescript', 'tsx'], callee: /^(crypto\.)?createHmac$/, arg: 1, what: 'HMAC key' },
  { langs: ['javascript', 'typescript', 'tsx'], callee: /^(crypto\.)?(createCipheriv|createDecipheriv)$/, arg: 1, what: 'encryption key' },
  { langs: ['javascript', 'typescript', 'tsx'], callee: /^(crypto\.)?createSecretKey$/, arg: 0, what: 'secret key' },
  { langs: ['python'], callee: /^(jwt\.encode|jwt\.decode)$/, arg: 1, what: 'JWT signing secret' },
  { langs: ['python'], callee: /^hmac\.(new|digest)$/, arg: 0, what: 'HMAC key' },
  { langs: ['python'], callee: /^(Fernet|AES\.new|ChaCha20_Poly1305\.new|itsdangerous\.\w+Serializer|URLSafeTimedSerializer|URLSafeSerializer|TimestampSigner|Signer)$/, arg: 0, what: 'encryption or signing key' },
  { langs: ['go'], callee: /^(sessions\.NewCookieStore|cookie\.NewStore|sessions\.NewFilesystemStore|securecookie\.New)$/, arg: 0, what: 'session cookie key' },
  { langs: ['go'], callee: /\.SignedString$/, arg: 0, what: 'JWT signing secret' },
  { langs: ['go'], callee: /^hmac\.New$/, arg: 1, what: 'HMAC key' },
  { langs: ['go'], callee: /^(aes\.NewCipher|chacha20poly1305\.New)$/, arg: 0, what: 'encryption key' },
  { langs: ['java'], callee: /\.(signWith|setSigningKey)$/, arg: -1, what: 'JWT signing secret' },
  { langs: ['java'], callee: /^Algorithm\.HMAC(256|384|512)$/, arg: 0, what: 'JWT signing secret' },
  { langs: ['java'], callee: /^new SecretKeySpec$/, arg: 0, what: 'secret key' },
  { langs: ['java'], callee: /^Keys\.hmacShaKeyFor$/, arg: 0, what: 'JWT signing key' },
];

/** Calls whose object argument configures sessions or cookies: a `secret`/`keys` key inside is a signing secret. */
const SESSION_CONFIG_CALL = /^(session|expressSession|cookieSession|koaSession|fastifySession|fastifyCookie|fastifySecureSession|jwt|expressJwt|NextAuth|passport\.use|new \w*Strategy)$|session|cookie/i;

/** Keys that mark an object or dict as session, cookie, JWT or server configuration. */
const CONFIG_KEYS = /^(resave|saveUninitialized|cookie|store|name|maxAge|rolling|proxy|algorithm|algorithms|expiresIn|issuer|audience|signed|httpOnly|secure|sameSite|domain|path|overwrite|key|keys|port|host|database|session|jwtFromRequest|ignoreExpiration|credentialsRequired|providers)$/;
/** Names of variables, properties and exports that hold configuration. */
const CONFIG_NAME = /config|conf$|settings|options|opts|session|cookie|auth|jwt|passport|strategy|secrets?$/i;

/**
 * True when the site `n` (a pair, keyword argument, keyed element or assignment) is configuration: a
 * keyword argument or Go struct field; an object or dict that is a call's argument, holds a configuration
 * key (`resave`, `cookie`, `expiresIn`, `algorithms`, ...), or is given to a configuration-named variable,
 * property or export (`config`, `sessionOptions`, `module.exports`). An assignment to a member (`app.secret = …`)
 * is configuration too. Emoji tables and other data dictionaries are not.
 */
function inConfiguration(n: SyntaxNode, lang: ParsedLanguage): boolean {
  if (n.type === 'keyword_argument' || n.type === 'keyed_element') return true;
  if (n.type === 'assignment_expression' || n.type === 'assignment') return /member_expression|attribute|subscript/.test(n.childForFieldName('left')?.type ?? '');
  if (n.type !== 'pair') return false;
  const obj = n.parent;
  if (!obj) return false;
  // Configuration objects are small; a table of thousands of entries is data, whatever its keys.
  if (obj.namedChildCount <= 40) for (const sib of obj.namedChildren) {
    if (sib?.type !== 'pair' || sib.id === n.id) continue;
    const k = sib.childForFieldName('key');
    if (k && CONFIG_KEYS.test(nameText(k, lang))) return true;
  }
  const holder = obj.parent;
  if (!holder) return false;
  if (holder.type === 'arguments' || holder.type === 'argument_list') return true;
  if (holder.type === 'export_statement') return true;
  const site = siteOf(holder, lang);
  if (site) return CONFIG_NAME.test(nameText(site.nameNode, lang)) || /^module\.exports$|^exports$/.test(holder.childForFieldName('left')?.text ?? '');
  return false;
}

/** One signing-secret site found in a file. */
interface SigningHit {
  at: SyntaxNode;
  name: string;
  what: string;
  literal: SigningLiteral;
}

const signingCache = new WeakMap<SyntaxNode, SigningHit[]>();

/** Every literal used as a signing secret or crypto key in `file` (cached per tree). */
function signingHits(file: ParsedFile): SigningHit[] {
  const cached = signingCache.get(file.root);
  if (cached) return cached;
  const lang = file.language;
  const hits: SigningHit[] = [];
  eachOfType(file.root, [...SITES, ...LANG[lang].call], (n) => {
    if (LANG[lang].call.includes(n.type)) {
      const callee = calleeName(n, lang);
      const args = callArguments(n);
      for (const c of SIGNING_CALLS) {
        if (!c.langs.includes(lang) || !c.callee.test(callee)) continue;
        const arg = c.arg < 0 ? args[args.length - 1] : args[c.arg];
        const lit = arg ? signingLiteral(arg, lang) : undefined;
        if (arg && lit) hits.push({ at: arg, name: `\`${calleeMethod(callee)}\``, what: c.what, literal: lit });
      }
      return true;
    }
    const site = siteOf(n, lang);
    if (!site) return true;
    const name = nameText(site.nameNode, lang);
    let signing = isSigningSecretName(name);
    // `keys: ['…']` in a session or cookie configuration, `app.keys = ['…']` (Koa's cookie signing keys).
    if (!signing && name === 'keys' && isJs(lang)) {
      const call = n.parent?.parent;
      const target = n.type === 'assignment_expression' ? n.childForFieldName('left')?.text ?? '' : '';
      signing = /^app\.keys$/.test(target) || (call !== null && call !== undefined && LANG[lang].call.includes(call.type) && SESSION_CONFIG_CALL.test(calleeName(call, lang)));
    }
    // A bare `secret`/`keys` is a signing secret only in configuration: a call's options, a settings object.
    if (signing && /^(secret|keys)$/i.test(name) && !inConfiguration(n, lang)) signing = false;
    if (!signing) return true;
    const lit = signingLiteral(site.value, lang);
    if (lit) hits.push({ at: site.nameNode, name: `\`${name}\``, what: /key/i.test(name) && !/secret/i.test(name) ? 'crypto key' : 'signing secret', literal: lit });
    return true;
  });
  signingCache.set(file.root, hits);
  return hits;
}

const hardcodedSigningSecret: FileRule = {
  kind: 'file',
  id: 'security/hardcoded-signing-secret',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Hard-coded session, cookie or JWT secret',
  description:
    'Flags a string literal (placeholder-looking or not) used as a session, cookie or JWT signing secret or a crypto key: `secret`/`cookieSecret`/`jwtSecret`/`SECRET_KEY` in configuration objects, settings and keyword arguments, and the key argument of `cookieParser`, `jwt.sign`/`verify`, `createHmac`, `sessions.NewCookieStore`, `Algorithm.HMAC256`, `SecretKeySpec` and the like. Anyone who reads the source can forge sessions and tokens or decrypt data. A literal kept as the default after an environment lookup is reported at Medium. Read the secret from the environment or a secret manager, with no default.',
  references: ['CWE-798', 'CWE-321', 'OWASP A07:2021'],
  confidence: 0.85,
  check(file) {
    const fix = envFix(file.language);
    return signingHits(file).map((h): RuleHit => {
      const value = stringValue(h.literal.strings[0], file.language) ?? '';
      const shown = /\[REDACTED:/.test(value) ? 'a hard-coded value (redacted before this review)' : `the hard-coded string \`${value.length > 24 ? `${value.slice(0, 8)}…` : value}\``;
      const impact = /JWT/.test(h.what) || /jwt/i.test(h.name)
        ? 'anyone who has the source can sign tokens that pass verification'
        : /key/.test(h.what) && !/signing|cookie/.test(h.what)
          ? 'anyone who has the source can decrypt or forge what it protects'
          : 'anyone who has the source can sign session cookies and log in as any user';
      if (h.literal.how === 'fallback') {
        return {
          node: h.literal.strings[0],
          severity: 'medium',
          title: 'Hard-coded fallback for a signing secret',
          message: `${h.name} falls back to ${shown} when the environment variable is not set, so a deployment that forgets it runs with a secret that is in the source: ${impact}. Fail at start-up when the variable is missing instead of falling back.`,
          suggestion: { description: 'Remove the fallback and fail at start-up when the variable is missing.' },
          confidence: 0.7,
        };
      }
      return {
        node: h.literal.strings[0],
        message: `${h.name} is given ${shown} as its ${h.what}: ${impact}. ${fix}`,
        suggestion: { description: fix },
      };
    });
  },
};

// ---------------------------------------------------------------------------------------------
// PEM private keys inside strings

const PEM_PRIVATE = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/;
/** Key material after the header: 40+ base64 characters (escaped `\n` allowed between lines), or a redaction marker. */
const PEM_BODY = /^(?:\s|\\[nr])*(?:\[REDACTED:[a-z0-9-]+\]|(?:[A-Za-z0-9+/=]|\\[nr]|\s|[A-Za-z-]+: [^\n]*\n){40,})/;

const pemCache = new WeakMap<SyntaxNode, SyntaxNode[]>();

/** String literals of `file` that hold a PEM private key with its material (not a lone header used as a delimiter). */
function pemStrings(file: ParsedFile): SyntaxNode[] {
  const cached = pemCache.get(file.root);
  if (cached) return cached;
  const out: SyntaxNode[] = [];
  eachOfType(file.root, LANG[file.language].string, (n) => {
    const m = PEM_PRIVATE.exec(n.text);
    if (m && PEM_BODY.test(n.text.slice(m.index + m[0].length))) out.push(n);
    return false;
  });
  pemCache.set(file.root, out);
  return out;
}

const privateKeyInSource: FileRule = {
  kind: 'file',
  id: 'security/private-key-in-source',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'hardcoded-secret',
  title: 'Private key in source code',
  description:
    'Flags a PEM private key (`-----BEGIN … PRIVATE KEY-----` followed by key material) inside a string literal, including one-line keys with `\\n` escapes. Anyone with the source or a build can impersonate the key\'s owner, sign tokens or decrypt traffic. Rotate the key, then load it from a file outside the repository, the environment or a secret manager. A lone header used to parse PEM text is not reported.',
  references: ['CWE-798', 'CWE-321', 'OWASP A07:2021'],
  confidence: 0.95,
  check(file) {
    return pemStrings(file).map((n) => {
      const kind = PEM_PRIVATE.exec(n.text)![0].replace(/^-+BEGIN |-+$/g, '');
      const line = n.startPosition.row + n.text.slice(0, PEM_PRIVATE.exec(n.text)!.index).split('\n').length;
      const fix = 'Rotate this key (it is in version control), then load it from a file outside the repository, the environment or a secret manager.';
      return {
        range: { startLine: line, endLine: line },
        message: `A ${kind} is written into this string. Its material was redacted before this review, but anyone with the source or a build has the key and can sign, decrypt or impersonate with it. ${fix}`,
        suggestion: { description: fix },
      };
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Credential-named variables given a constant

const hardcodedSecret: FileRule = {
  kind: 'file',
  id: 'security/hardcoded-secret',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Hard-coded credential',
  description:
    'Flags variables, fields, object keys and keyword arguments named like a credential (`password`, `token`, `apiKey`, `private_key`, `client_secret`, ...) that are given a constant string literal, and comparisons of such names with a literal. Secrets in source end up in version control, builds and logs, and cannot be rotated without a release. Read them from the environment or a secret manager. Placeholders, empty values, key names, types, enum members and test files are ignored; signing secrets are `hardcoded-signing-secret`.',
  references: ['CWE-798', 'CWE-259', 'OWASP A07:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const fix = envFix(lang);
    const signing = new Set(signingHits(file).flatMap((h) => h.literal.strings.map((s) => s.id)));
    eachOfType(file.root, [...SITES, 'binary_expression', 'comparison_operator', 'method_invocation'], (n) => {
      const site = siteOf(n, lang);
      if (site) {
        if (!LANG[lang].string.includes(site.value.type) || signing.has(site.value.id)) return true;
        const name = nameText(site.nameNode, lang);
        const val = stringValue(site.value, lang);
        if (val === undefined || !isCredentialName(name) || !looksLikeSecretValue(val)) return true;
        if (inTypePosition(site.value) || inEnum(site.value, lang)) return true;
        hits.push({
          node: site.nameNode,
          message: `\`${name}\` is set to a hard-coded string literal. Anyone with access to the source, a build or a stack dump has this credential, and it cannot be rotated without a release. ${fix}`,
          suggestion: { description: fix },
        });
        return true;
      }
      // `password === "..."`, `password.equals("...")`: a credential check against a constant.
      let pairs: Array<[SyntaxNode | null | undefined, SyntaxNode | null | undefined]> = [];
      if ((n.type === 'binary_expression' || n.type === 'comparison_operator') && /^(===|==|!=|!==)$/.test(n.children.find((c) => c && !c.isNamed)?.text ?? '')) {
        const [a, b] = [n.namedChildren[0], n.namedChildren[1]];
        const nameOf = (id: SyntaxNode | null | undefined) =>
          id?.type === 'member_expression' ? id.childForFieldName('property') : id?.type === 'attribute' ? id.childForFieldName('attribute') : id?.type === 'selector_expression' ? id.childForFieldName('field') : id;
        pairs = [[nameOf(a), b], [nameOf(b), a]];
      } else if (lang === 'java' && n.type === 'method_invocation' && n.childForFieldName('name')?.text === 'equals') {
        const obj = n.childForFieldName('object');
        const arg = callArguments(n)[0];
        pairs = [[obj, arg], [arg, obj]];
      }
      for (const [id, lit] of pairs) {
        const val = lit ? stringValue(lit, lang) : undefined;
        if (id && /identifier$/.test(id.type) && val !== undefined && isCredentialName(id.text) && looksLikeSecretValue(val)) {
          hits.push({ node: id, title: 'Credential compared with a hard-coded value', message: `\`${id.text}\` is checked against a hard-coded string literal: a built-in credential that every copy of this code accepts. ${fix}`, suggestion: { description: fix } });
          break;
        }
      }
      return true;
    });
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Secrets found by redaction

/** The marker the redaction step writes for a secret (src/core/redact.ts). */
const REDACTION_MARKER = /\[REDACTED:([a-z0-9-]+)\]/g;
/** Marker kinds from the project's name-based rule; every other kind is a vendor format (AWS, GitHub, JWT, ...). */
const NAME_BASED = 'generic-secret';

/** A redaction marker on a line of the reviewed text: 1-based line, 1-based UTF-16 columns, the rule. */
interface MarkerAt {
  line: number;
  startColumn: number;
  endColumn: number;
  rule: string;
}

/** The markers inside `n`, each placed on its own line (a comment or template can span many lines). */
function markersIn(n: SyntaxNode, lines: string[]): Array<MarkerAt & { offset: number }> {
  const out: Array<MarkerAt & { offset: number }> = [];
  const seenOnLine = new Map<number, number>();
  for (const m of n.text.matchAll(REDACTION_MARKER)) {
    const row = n.startPosition.row + (n.text.slice(0, m.index).match(/\n/g)?.length ?? 0);
    const text = lines[row] ?? '';
    const from = seenOnLine.get(row) ?? 0;
    const col = text.indexOf(m[0], from);
    seenOnLine.set(row, col < 0 ? from : col + m[0].length);
    out.push({ line: row + 1, startColumn: (col < 0 ? 0 : col) + 1, endColumn: (col < 0 ? text.length : col + m[0].length) + 1, rule: m[1]!, offset: m.index });
  }
  return out;
}

function markerMessage(rule: string, where: string): string {
  const kind = rule === NAME_BASED ? 'A credential' : `A secret (\`${rule}\`)`;
  return `${kind} is written ${where}. Its value was redacted before this review, so it was not sent anywhere, but anyone with the source or a build has it.`;
}

const MARKER_FIX = 'Rotate this secret (it is in version control), then load it from the environment or a secret manager.';

const redactedSecret: FileRule = {
  kind: 'file',
  id: 'security/secret-in-source',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Secret in source code',
  description:
    "Reports secrets that the redaction step found, on the secret's own line: secretlint's recommended rules (cloud and API keys, tokens, private keys, credentials in URLs and connection strings), vendor formats (Google API keys, JWTs, Azure keys, bearer tokens) and credential-named assignments. The value is replaced before review, so it is never shown or sent. Not reported: types, enum members, documentation examples, test and fixture files, and name-based matches inside comments. A committed secret must be rotated; then read it from the environment or a secret manager.",
  references: ['CWE-798', 'OWASP A07:2021'],
  confidence: 0.9,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    // Literals the more specific rules report: not twice.
    const covered = new Set<number>();
    for (const h of signingHits(file)) for (const s of h.literal.strings) covered.add(s.id);
    for (const s of pemStrings(file)) covered.add(s.id);
    eachOfType(file.root, [...LANG[lang].string, ...LANG[lang].comment], (n) => {
      if (!n.text.includes('[REDACTED:') || covered.has(n.id)) return false;
      const comment = LANG[lang].comment.includes(n.type);
      const doc = comment || isDocString(n, lang);
      if (!comment && (inTypePosition(n) || inEnum(n, lang))) return false;
      const oneLine = n.startPosition.row === n.endPosition.row;
      for (const m of markersIn(n, file.lines)) {
        // In comments and docstrings only vendor formats count, and never inside an example.
        if (doc && (m.rule === NAME_BASED || inExample(n.text, m.offset))) continue;
        // A one-line literal or comment is quoted whole; in a longer one, the secret's own line is.
        hits.push({
          ...(oneLine ? { node: n } : { range: { startLine: m.line, endLine: m.line, startColumn: m.startColumn, endColumn: m.endColumn } }),
          message: markerMessage(m.rule, doc ? 'in this comment' : 'here'),
          suggestion: { description: MARKER_FIX },
        });
        if (oneLine) break;
      }
      return false;
    });
    return hits;
  },
};

/** Configuration files the offline rules have no grammar for, by what their name says they are. */
function isConfigPath(p: string): boolean {
  const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  return (
    /\.(ya?ml|json|jsonc|toml|tf|tfvars|hcl|properties|ini|cfg|conf|cnf|xml|config|env\.[a-z]+|sh|bash|zsh)$/.test(base) ||
    /^\.env\.[a-z]+$/.test(base) ||
    base === 'dockerfile' ||
    base.endsWith('.dockerfile')
  );
}

const secretInConfig: ProjectRule = {
  kind: 'project',
  id: 'security/secret-in-config',
  personas: ['security'],
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Secret in a configuration file',
  description:
    'Reports secrets that the redaction step found in configuration and deployment files (`.properties`, `.env.example` and other environment templates, YAML, JSON, TOML, Terraform, INI, XML, Dockerfiles, shell scripts), on their own lines. The value is never shown or sent. Configuration is committed and copied into images and CI logs; keep secrets in the environment or a secret manager and reference them (`${DB_PASSWORD}`).',
  references: ['CWE-798', 'CWE-260', 'OWASP A07:2021'],
  confidence: 0.85,
  checkProject(project) {
    const hits: ProjectHit[] = [];
    const parsed = new Set(project.parsed.map((p) => p.file.path));
    for (const f of project.files) {
      if (parsed.has(f.path) || f.redactions === 0 || !isConfigPath(f.path) || isTestLikePath(project.relativeToReview(f.path))) continue;
      const template = /(^|\/)(\.env\.|[^/]*\.env\.)(example|sample|template|dist|defaults)$/i.test(f.path);
      const lines = f.text.split('\n');
      lines.forEach((text, i) => {
        for (const m of text.matchAll(REDACTION_MARKER)) {
          if (/^\s*(#|;|\/\/)/.test(text)) continue; // a commented-out line documents, it configures nothing
          const fix = template
            ? 'A template should hold a placeholder (`DB_PASSWORD=`); rotate this value, which is now public, and keep the real one in the untracked `.env` or a secret manager.'
            : 'Rotate this secret, then reference it from the environment or a secret manager (`${DB_PASSWORD}`, `secretKeyRef`, a CI secret) instead of writing it here.';
          hits.push({
            file: f.path,
            range: { startLine: i + 1, endLine: i + 1, startColumn: m.index + 1, endColumn: m.index + m[0].length + 1 },
            message: `${markerMessage(m[1]!, 'in this configuration file')} ${fix}`,
            suggestion: { description: fix },
          });
        }
      });
    }
    return hits;
  },
};

/** The rules of this family. */
export const rules: OfflineRule[] = [
  ...[hardcodedSecret, hardcodedSigningSecret, privateKeyInSource, redactedSecret].map(productionOnly),
  secretInConfig,
];
