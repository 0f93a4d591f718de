/**
 * Secret redaction before any code leaves the machine (DESIGN.md "Data flow of one review", step 2).
 *
 * Everything runs through secretlint (`@secretlint/core` `lintSource`), with three sets of rules:
 * - every rule of `@secretlint/secretlint-rule-preset-recommend` (AWS, GCP, GitHub, GitLab, Slack, npm,
 *   OpenAI, Anthropic, Stripe, private keys, basic-auth URLs, database connection strings, ...), with the
 *   AWS rule's `enableIDScanRule` on so access key ids (`AKIA…`) are redacted too;
 * - `@secretlint/secretlint-rule-pattern` with {@link SECRET_PATTERNS}: vendor formats the preset has no
 *   rule for (Google API keys, JWTs, Azure storage keys and SAS signatures, bearer tokens, ...);
 * - {@link credentialRule}, this project's rule for values of credential-named keys in code, configuration
 *   and property files (`password = "…"`, `db.password=…`, `DB_PASSWORD=…`, `password: …`,
 *   `SECRET_KEY = "…"`, `Password=…;` in connection strings, `login("admin", "…")`, ...), which the preset
 *   does not cover.
 * The preset's filter rule applies to all three: a line marked `// secretlint-disable-line` is left alone.
 *
 * Only the secret's value is replaced, so the code around it stays valid: `const AWS_SECRET = "…";` is
 * sent as `const AWS_SECRET = "[REDACTED:aws]";`, a PEM block keeps its BEGIN and END lines, a URL keeps
 * its user and host. Secretlint's own report ranges are not always the value (the AWS rule's range starts
 * at the variable name and stops short of the key's end), so each is narrowed to the value it points at
 * ({@link valueRange}).
 *
 * Packages are ESM-only; static imports work under tsx (tests) and esbuild turns them into CJS for the
 * bundles. `lintSource` is asynchronous, hence the Promise.
 */
import { lintSource } from '@secretlint/core';
import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintRuleCreator } from '@secretlint/types';

/** What {@link redactSecrets} did to one text. */
export interface RedactionResult {
  /** The text with every secret value replaced by `[REDACTED:<rule>]`; same number of lines as the input. */
  text: string;
  /** How many secrets were replaced (overlapping reports of several rules count once). */
  count: number;
  /** Short ids of the rules that fired (`github`, `aws`, `privatekey`, `jwt`, `generic-secret`), sorted, unique. */
  rules: string[];
}

type LintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';
const PATTERN_ID = '@secretlint/secretlint-rule-pattern';
const RULE_PREFIX = '@secretlint/secretlint-rule-';

/** Short id of the rule {@link findGenericSecrets} reports as. */
export const GENERIC_SECRET_RULE = 'generic-secret';
const CREDENTIAL_RULE_ID = 'persona-review/generic-secret';

/** A vendor secret format for `@secretlint/secretlint-rule-pattern`: its short id, what it is, its regular expressions. */
export interface SecretPattern {
  /** Short id, written in the marker: `[REDACTED:<name>]`. */
  name: string;
  /** What the secret is, for people (README, notices). */
  description: string;
  /** Regular expressions in `/…/flags` form (secretlint adds `ug`). Each matches exactly the value to replace. */
  patterns: string[];
}

/**
 * Vendor formats the recommended preset has no rule for (checked against its 28 rules, 13.0.7). Each
 * regular expression matches the secret itself (look-behind for a fixed prefix such as `AccountKey=`), so
 * the marker replaces only the value. Formats are the vendors' documented ones: Google API keys are `AIza`
 * + 35 characters; JWTs (RFC 7519) are base64url `header.payload.signature` whose header starts `eyJ`
 * (`{"`); Azure storage account keys are 64 bytes in base64 (88 characters ending `==`); Azure SAS tokens
 * carry their signature in `sig=`; bearer tokens follow `Bearer ` (RFC 6750); Twilio API key SIDs are `SK`
 * + 32 hex digits; Mailgun keys `key-` + 32; Square `sq0atp-`/`sq0csp-`; PyPI upload tokens
 * `pypi-AgEIcHlwaS5vcmc…`; DigitalOcean `dop_v1_`/`doo_v1_`/`dor_v1_` + 64 hex; Telegram bot tokens
 * `<bot id>:AA…`; Google OAuth client secrets `GOCSPX-` and access tokens `ya29.`.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'google-api-key', description: 'Google API key (AIza…)', patterns: ['/(?<![0-9A-Za-z_\\-])AIza[0-9A-Za-z_\\-]{35}(?![0-9A-Za-z_\\-])/'] },
  {
    name: 'jwt',
    description: 'JSON Web Token (eyJ….eyJ….…)',
    patterns: ['/(?<![0-9A-Za-z_\\-])eyJ[0-9A-Za-z_\\-]{10,}\\.eyJ[0-9A-Za-z_\\-]{10,}\\.[0-9A-Za-z_\\-]*/'],
  },
  {
    name: 'azure-storage-key',
    description: 'Azure storage account key or Service Bus/Event Hubs shared access key (AccountKey=…, SharedAccessKey=…)',
    patterns: ['/(?<=AccountKey=)[0-9A-Za-z+\\/]{86}==/', '/(?<=SharedAccessKey=)[0-9A-Za-z+\\/]{43}=/'],
  },
  { name: 'azure-sas', description: 'Azure shared access signature (sig=… in a SAS URL or token)', patterns: ['/(?<=[?&]sig=)[0-9A-Za-z%+\\/]{30,}(?:=|%3D){0,2}/'] },
  { name: 'bearer-token', description: 'Bearer token in an Authorization header (Bearer …)', patterns: ['/(?<=\\bBearer[ \\t]+)[0-9A-Za-z\\-._~+\\/]{16,}=*/'] },
  { name: 'google-oauth', description: 'Google OAuth client secret (GOCSPX-…) or access token (ya29.…)', patterns: ['/GOCSPX-[0-9A-Za-z_\\-]{28}/', '/(?<![0-9A-Za-z_\\-])ya29\\.[0-9A-Za-z_\\-]{20,}/'] },
  { name: 'twilio', description: 'Twilio API key SID (SK + 32 hex digits)', patterns: ['/(?<![0-9A-Za-z])SK[0-9a-f]{32}(?![0-9A-Za-z])/'] },
  { name: 'mailgun', description: 'Mailgun API key (key-…)', patterns: ['/(?<![0-9A-Za-z\\-])key-[0-9a-z]{32}(?![0-9A-Za-z])/'] },
  { name: 'square', description: 'Square access token or OAuth secret (sq0atp-…, sq0csp-…)', patterns: ['/sq0(?:atp|csp)-[0-9A-Za-z_\\-]{22,43}/'] },
  { name: 'pypi', description: 'PyPI upload token (pypi-AgEIcHlwaS5vcmc…)', patterns: ['/pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_\\-]{50,}/'] },
  { name: 'digitalocean', description: 'DigitalOcean token (dop_v1_…, doo_v1_…, dor_v1_…)', patterns: ['/do[opr]_v1_[0-9a-f]{64}/'] },
  { name: 'telegram-bot', description: 'Telegram bot token (<id>:AA…)', patterns: ['/(?<![0-9])[0-9]{8,10}:AA[0-9A-Za-z_\\-]{33}(?![0-9A-Za-z_\\-])/'] },
];

// ---------------------------------------------------------------------------------------------
// Credential names

/** Trailing words that qualify a credential name without changing what it is (`SECRET_KEY_BASE`, `apiKeyProd`). */
const QUALIFIERS = new Set(['hmac', 'prod', 'production', 'live', 'dev', 'staging', 'value', 'str', 'string', 'b64', 'base64', 'hex', 'raw', 'bytes', 'old', 'new', 'main', 'primary', 'secondary', 'base', 'plain', 'plaintext']);
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'token', 'apikey', 'credential', 'credentials', 'authorization']);
/** `<x>_pass` is a password for these `x`. */
const PASS_OWNERS = new Set(['db', 'user', 'admin', 'root', 'smtp', 'mail', 'email', 'ftp', 'redis', 'mysql', 'pg', 'postgres', 'database', 'ldap', 'proxy', 'login', 'auth', 'sql', 'mongo', 'rabbit', 'amqp', 'bind', 'sa']);
/** `<x>_key` is a secret key for these `x`. */
const KEY_OWNERS = new Set(['api', 'private', 'secret', 'access', 'signing', 'encryption', 'master', 'client', 'account', 'storage', 'app', 'auth', 'session', 'cookie', 'jwt', 'hmac', 'license', 'subscription', 'consumer', 'shared', 'service', 'crypto', 'cipher', 'aes']);
/** `<x>_token` names a token that is not a credential (pagination, cancellation, tokenizer vocabulary). */
const NON_CREDENTIAL_TOKEN_OWNERS = new Set(['page', 'next', 'continuation', 'cancel', 'cancellation', 'sync', 'resume', 'pad', 'eos', 'bos', 'unk', 'sep', 'cls', 'mask', 'start', 'end', 'special', 'lexer', 'parse', 'parser', 'last', 'first', 'prev', 'previous', 'current']);

/**
 * Splits an identifier into lower-case words on case changes and non-alphanumerics: `AWS_SECRET_ACCESS_KEY`,
 * `clientSecret` → [client, secret], `x-api-key`, `db.password`, `XMLHttpRequest` → [xml, http, request].
 * The one splitter of the engine (the offline rules' `words` is this).
 */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * True when an identifier or key names a credential: its last word (ignoring trailing numbers and
 * qualifiers such as `base`, `prod`, `hmac`) is password/passwd/pwd/passphrase/secret/token/apikey/
 * credential(s)/authorization, or it ends in `<api|private|secret|access|signing|encryption|…> key` or
 * `<db|user|admin|smtp|…> pass`. `PASSWORD_RESET_PATH`, `tokenCount`, `secretName`, `nextPageToken`,
 * `pad_token` are not credentials. Used by redaction and by the offline secret rules.
 */
export function isCredentialName(name: string): boolean {
  const w = identifierWords(name);
  while (w.length > 1 && (/^\d+$/.test(w[w.length - 1]!) || /^v\d+$/.test(w[w.length - 1]!) || QUALIFIERS.has(w[w.length - 1]!))) w.pop();
  const last = (w[w.length - 1] ?? '').replace(/(?<=[a-z])\d+$/, ''); // `key2`, `password1`
  const prev = w[w.length - 2] ?? '';
  if (isCredentialPair(prev, last)) return true;
  // Compounds written as one word: `PGPASSWORD`, `AUTHTOKEN`, `SECRETKEY`, `dbpass`.
  for (const tail of [...CREDENTIAL_WORDS, 'key', 'pass']) {
    if (last.length <= tail.length + 1 || !last.endsWith(tail)) continue;
    const head = last.slice(0, -tail.length);
    if (tail === 'token' && [...NON_CREDENTIAL_TOKEN_OWNERS].some((o) => head.endsWith(o))) continue;
    if (isCredentialPair(head, tail)) return true;
  }
  return false;
}

/** True when the words `prev last` (`prev` may be '') name a credential. */
function isCredentialPair(prev: string, last: string): boolean {
  if (last === 'token' && NON_CREDENTIAL_TOKEN_OWNERS.has(prev)) return false;
  if (CREDENTIAL_WORDS.has(last)) return true;
  if (last === 'pass') return PASS_OWNERS.has(prev);
  if (last === 'key') return KEY_OWNERS.has(prev);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Credential values

/** Values that are placeholders, references or templates rather than secrets. */
const PLACEHOLDER =
  /\$\{|\$\(|\{\{|\}\}|#\{|^\{|^urn:|%\(\w+\)[sdr]|^%[sd]$|^%\w+%$|^<.*>$|^\[.*\]$|example|placeholder|change.?me|changeit|redacted|dummy|xxxx|\*\*\*|\.\.\.|your[_-]|_here$|^\$\w|^@\w|^\/|^\.\.?\/|^~\/|^(?:https?:)?\/\/(?![^/@]*:[^/@]*@)/i;
// Header or field names such as `x-api-key`, `access_token`, `auth.token`: words joined by - _ . or /.
const LABEL = /^[a-z]+(?:[-_./][a-z]+)+$/i;
/** An environment variable or constant name (`GITHUB_TOKEN`): letters and underscores in upper case. */
const ENV_NAME = /^[A-Z][A-Z_]*[A-Z]$/;
/** Single words that are labels, types, schemes or enum values when written after a credential-named key. */
const VOCABULARY = new Set([
  'password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'username', 'user', 'login', 'email', 'bearer', 'basic', 'digest',
  'oauth', 'oauth2', 'apikey', 'hidden', 'string', 'text', 'none', 'null', 'nil', 'undefined', 'true', 'false', 'yes', 'no', 'required', 'optional',
  'header', 'headers', 'query', 'cookie', 'cookies', 'session', 'body', 'form', 'env', 'environment', 'default', 'value', 'masked', 'sensitive',
  'jwt', 'hmac', 'plain', 'plaintext', 'hashed', 'sha1', 'sha256', 'sha512', 'md5', 'bcrypt', 'argon2', 'argon2id', 'scrypt', 'pbkdf2', 'base64',
  'hex', 'utf8', 'ascii', 'binary', 'number', 'object', 'boolean', 'function', 'symbol', 'bigint', 'private', 'public', 'secure', 'insecure',
  'access', 'refresh', 'identity', 'code', 'implicit', 'auto', 'manual', 'disabled', 'enabled', 'off', 'on', 'empty', 'unset', 'missing', 'invalid',
  'expired', 'revoked', 'unknown', 'anonymous', 'guest', 'test', 'testing', 'sample', 'fake', 'mock', 'stub', 'todo', 'fixme', 'tbd', 'notasecret',
  'authorization', 'authentication', 'include', 'omit', 'read', 'write', 'readonly', 'writeonly', 'same-origin', 'prompt', 'input', 'ask',
]);

/**
 * True when `value` (a literal written after a credential-named key) looks like a secret rather than a
 * placeholder (`${DB_PASSWORD}`, `<password>`, `changeme`, `your-api-key`, `xxxx`, `***`), a reference
 * (`$VAR`, `%(pw)s`, `{{ secrets.X }}`, `@Value`), a label (`x-api-key`, `GITHUB_TOKEN`), a word that is a
 * type or enum value (`password`, `bearer`, `string`), a path, a URL without credentials, a regular
 * expression, one repeated character or prose (two or more spaces, or a sentence). `min` is the shortest
 * value taken (6 for quoted literals in code, 4 for unquoted configuration values).
 */
export function isSecretValue(value: string, min = 6): boolean {
  const v = value.trim();
  if (v.length < min || v.length > 500 || /[\r\n]/.test(v)) return false;
  if (/\s/.test(v)) return false; // prose, a label or a message
  if (PLACEHOLDER.test(v) || LABEL.test(v) || ENV_NAME.test(v) || VOCABULARY.has(v.toLowerCase())) return false;
  if (/^(.)\1*$/.test(v)) return false;
  if (/^(?:\d{1,5}|\d+\.\d+(?:\.\d+)*)$/.test(v)) return false; // a port, a count, a version
  if (/\\[dwsbDWSB]|^\^|\[\^|\(\?[:=!<]/.test(v)) return false; // a regular expression
  return true;
}

// ---------------------------------------------------------------------------------------------
// The project's rule: values of credential-named keys

/** How the values of a file are written, from its name. */
type ConfigKind = 'properties' | 'shell' | 'dockerfile' | 'yaml' | undefined;

/** The configuration syntax of `filePath` whose values may be unquoted, or undefined for code and JSON/TOML/HCL. */
function configKind(filePath: string): ConfigKind {
  const base = filePath.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  if (base === 'dockerfile' || base === 'containerfile' || base.endsWith('.dockerfile')) return 'dockerfile';
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env') || /\.env\.[a-z]+$/.test(base) || base === '.envrc') return 'shell';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  if (['properties', 'ini', 'cfg', 'conf', 'cnf'].includes(ext)) return 'properties';
  if (['sh', 'bash', 'zsh', 'ksh', 'envrc'].includes(ext)) return 'shell';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return undefined;
}

type Range = [number, number];

// `<name><quote?><]?> <op> <prefix?><quote><value><quote>`: a quoted literal given to a credential-named
// variable, field, key, keyword argument or map entry in any language or format (JS/TS, Python, Go, Java,
// C#, Ruby, PHP, JSON, YAML, TOML, HCL/Terraform). The value has no spaces and no quote of its kind.
const QUOTED_ASSIGNMENT =
  /(?<![A-Za-z0-9_$])(["']?)([A-Za-z_$][A-Za-z0-9_.$-]{0,100}?)\1\]?[ \t]*(?::=|=>|\?\?=|\|\|=|={1,3}|:|<-|\bis\b)[ \t]*(?:\[\]byte\(|[bBrRuU]{1,2}(?=["']))?(["'`])([^"'`\s\\]{1,500})\3/g;
// A credential URL: `scheme://user:password@host` (amqp, redis, ftp, smtp, ldap, mongodb+srv, ...).
const URL_CREDENTIAL = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'`;?#&]*:([^\s@/"'`;?#&]{3,200})@[A-Za-z0-9[]/gi;
// `Password=…;`, `PWD=…;`, `&password=…`, `AccountKey=…;`: a password or key parameter in a connection or query string.
const CONNECTION_PASSWORD = /(?<=[;?&"'`][ \t]*(?:password|passwd|pwd|pass|accountkey|sharedaccesskey)[ \t]*=[ \t]*)([^;&"'`\s{}]{3,200})(?=$|[;&"'`\s])/gim;
// `login("admin", "…")`, `HTTPBasicAuth('u', '…')`, `new NetworkCredential("u", "…")`, `auth=("u", "…")`.
const CREDENTIAL_CALL =
  /\b(?:login|logIn|logon|signIn|sign_in|authenticate|basicAuth|basic_auth|setBasicAuth|SetBasicAuth|HTTPBasicAuth|HTTPDigestAuth|HttpBasicAuth|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken|PasswordAuthentication|NetworkCredential|BasicAWSCredentials|StaticCredentialsProvider|setCredentials|withCredentials|auth)[ \t]*(?:=[ \t]*)?\([ \t]*(["'])[^"'\n]{0,200}\1[ \t]*,[ \t]*(["'])([^"'\n]{1,200})\2/g;
// `<password>…</password>` (Maven settings.xml, Spring XML) and `key="DbPassword" value="…"` (.NET app settings).
const XML_ELEMENT = /<([A-Za-z_][\w.:-]{0,60})>([^<\s]{1,200})<\/\1>/g;
const XML_KEY_VALUE = /\b(?:key|name)[ \t]*=[ \t]*"([^"\n]{1,100})"[ \t]+value[ \t]*=[ \t]*"([^"\n]{1,200})"/g;
// Go `smtp.PlainAuth("", "user", "…", host)`: the password is the third argument.
const PLAIN_AUTH = /\bPlainAuth\([ \t]*"[^"\n]*"[ \t]*,[ \t]*"[^"\n]*"[ \t]*,[ \t]*"([^"\n]{1,200})"/g;
// `Basic <base64 of user:password>` in an Authorization header.
const BASIC_AUTH_HEADER = /(?<=\bBasic[ \t]+)[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])/g;
// Command-line flags that carry a password: `--password=…`, `--password …`, `-p…` after mysql, `-u user:…` after curl.
const FLAG_PASSWORD = /(?<=(?:^|\s)--?(?:password|passwd|db-password|token|api-key|apikey|secret|client-secret)(?:=|[ \t]+))([^\s"'`$-][^\s"'`]{2,200})/gim;

/** `[start, end)` of group `g` of `m` (needs the `d` flag), or of the whole match. */
function groupRange(m: RegExpExecArray, g: number): Range | undefined {
  const r = m.indices?.[g];
  return r ? [r[0], r[1]] : undefined;
}

function withIndices(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('d') ? re.flags : `${re.flags}d`);
}

/** True when the quoted literal at `[start, end)` (quotes excluded) is one member of a TypeScript union of literal types (`'a' | 'b'`). */
function inLiteralUnion(text: string, start: number, end: number): boolean {
  return /\|\s*$/.test(text.slice(Math.max(0, start - 4), start - 1)) || /^\s*\|(?!\|)/.test(text.slice(end + 1, end + 5));
}

/** True when the name before a quoted value is an optional or typed property signature (`token?: '…'`). */
function isTypeSignature(nameAndOp: string): boolean {
  return /\?[ \t]*:$/.test(nameAndOp.trimEnd());
}

/** Decoded `Basic` credentials look like `user:password` in printable ASCII. */
function isBasicCredential(b64: string): boolean {
  let s: string;
  try {
    s = Buffer.from(b64, 'base64').toString('latin1');
  } catch {
    return false;
  }
  return /^[\x20-\x7e]+:[\x20-\x7e]{3,}$/.test(s);
}

// `- POSTGRES_PASSWORD=…` in a YAML list (docker-compose `environment:`, Kubernetes `args:`).
const YAML_LIST_ENTRY = /^([ \t]*-[ \t]+)(["']?)([A-Za-z_][A-Za-z0-9_.]{0,100})=(?!["'`$])([^\s"'`#]+)\2[ \t]*$/gm;

/** Per-line matches of unquoted `NAME=value` / `NAME: value` in configuration files, value ranges only. */
function unquotedConfigValues(text: string, kind: ConfigKind): Range[] {
  if (!kind) return [];
  const out: Range[] = [];
  const line =
    kind === 'yaml'
      ? /^([ \t]*(?:-[ \t]+)?)(["']?)([A-Za-z_$][A-Za-z0-9_.$-]{0,100})\2[ \t]*:[ \t]+(?![&*!|>{["'`$%])([^\s#][^#\r\n]*?)[ \t]*(?:[ \t]#.*)?$/gm
      : kind === 'dockerfile'
        ? /^([ \t]*(?:ENV|ARG)[ \t]+)()([A-Za-z_][A-Za-z0-9_]{0,100})(?:=|[ \t]+)(?!["'`$])([^\s"'`]+)[ \t]*$/gim
        : kind === 'shell'
          ? /^([ \t]*(?:export[ \t]+|readonly[ \t]+|local[ \t]+|declare[ \t]+(?:-\w+[ \t]+)?)?)()([A-Za-z_][A-Za-z0-9_.]{0,100})=(?!["'`$(])([^\s;#"'`]+)/gm
          : /^([ \t]*(?:export[ \t]+)?)()([A-Za-z_$][A-Za-z0-9_.$\-[\]]{0,100})[ \t]*[=:][ \t]*(?!["'`])([^\s#;][^\r\n]*?)[ \t]*(?:[ \t][#;].*)?$/gm;
  const lists = kind === 'yaml' ? [line, YAML_LIST_ENTRY] : [line];
  for (const re of lists) {
    for (const m of text.matchAll(withIndices(re))) {
      const name = m[3]!;
      const value = m[4]!;
      if (!isCredentialName(name) || !isSecretValue(value, 4)) continue;
      const r = groupRange(m as RegExpExecArray, 4);
      if (r) out.push(r);
    }
  }
  return out;
}

/**
 * Values of credential-named keys and other credentials written in code and configuration, as character
 * ranges (`[start, end)`, UTF-16 offsets) of the values only, so names and syntax stay visible:
 * - a quoted literal given to a credential-named variable, field, key or keyword argument, in any
 *   language or format (`password = "…"`, `"api_key": "…"`, `clientSecret: '…'`, `SECRET_KEY = '…'`,
 *   `secret_key = "…"` in Terraform, `config['SECRET_KEY'] = '…'`, `[]byte("…")` in Go);
 * - unquoted values in configuration files, chosen by `filePath`: `.properties`/`.ini`/`.cfg`/`.conf`
 *   (`db.password=…`), `.env` templates and shell scripts (`DB_PASSWORD=…`, `export API_TOKEN=…`), YAML
 *   (`password: …`), Dockerfiles (`ENV DB_PASSWORD …`);
 * - passwords in URLs (`amqp://user:…@host`), in connection and query strings (`Password=…;`,
 *   `&password=…`), as the password argument of login calls (`login("admin", "…")`, `HTTPBasicAuth`,
 *   `NetworkCredential`, `smtp.PlainAuth`, `auth=("u", "…")`), `Basic` authorization headers whose base64
 *   decodes to `user:password`, and command-line flags (`--password=…`).
 * A value is kept when {@link isSecretValue} says it is a placeholder, reference, label or type; a quoted
 * literal in a TypeScript union of literal types (`token: 'username' | 'password'`) or an optional
 * property signature is a type, not a value. Credential names: {@link isCredentialName}.
 *
 * On the README's main-job folders and the benchmark corpora's well-reviewed libraries the figures are
 * printed by `bench/redaction.ts`. CWE-798 (use of hard-coded credentials) is the weakness these are.
 */
export function findGenericSecrets(text: string, filePath = ''): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(withIndices(QUOTED_ASSIGNMENT))) {
    const name = m[2]!;
    const value = m[4]!;
    const r = groupRange(m as RegExpExecArray, 4);
    if (!r || !isCredentialName(name) || !isSecretValue(value)) continue;
    if (value.toLowerCase() === name.toLowerCase()) continue;
    if (inLiteralUnion(text, r[0], r[1]) || isTypeSignature(text.slice(m.index, r[0] - 1))) continue;
    out.push(r);
  }
  out.push(...unquotedConfigValues(text, configKind(filePath)));
  for (const m of text.matchAll(withIndices(URL_CREDENTIAL))) {
    const r = groupRange(m as RegExpExecArray, 1);
    if (r && isSecretValue(m[1]!, 3)) out.push(r);
  }
  for (const m of text.matchAll(withIndices(CONNECTION_PASSWORD))) {
    const r = groupRange(m as RegExpExecArray, 1);
    if (r && isSecretValue(m[1]!, 3)) out.push(r);
  }
  for (const m of text.matchAll(withIndices(CREDENTIAL_CALL))) {
    const r = groupRange(m as RegExpExecArray, 3);
    if (r && isSecretValue(m[3]!, 4)) out.push(r);
  }
  for (const m of text.matchAll(withIndices(XML_ELEMENT))) {
    const r = groupRange(m as RegExpExecArray, 2);
    if (r && isCredentialName(m[1]!.replace(/^.*:/, '')) && isSecretValue(m[2]!, 4)) out.push(r);
  }
  for (const m of text.matchAll(withIndices(XML_KEY_VALUE))) {
    const r = groupRange(m as RegExpExecArray, 2);
    if (r && isCredentialName(m[1]!) && isSecretValue(m[2]!, 4)) out.push(r);
  }
  for (const m of text.matchAll(withIndices(PLAIN_AUTH))) {
    const r = groupRange(m as RegExpExecArray, 1);
    if (r && isSecretValue(m[1]!, 4)) out.push(r);
  }
  for (const m of text.matchAll(BASIC_AUTH_HEADER)) {
    if (isBasicCredential(m[0])) out.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(withIndices(FLAG_PASSWORD))) {
    const r = groupRange(m as RegExpExecArray, 1);
    if (r && isSecretValue(m[1]!, 4)) out.push(r);
  }
  return out;
}

/**
 * The project's secretlint rule (`persona-review/generic-secret`): reports {@link findGenericSecrets}'s
 * ranges, so secretlint's filter comments (`secretlint-disable-line`) apply to them as to every other rule.
 */
export const credentialRule: SecretLintRuleCreator = {
  messages: { FOUND: { en: (props: { NAME: string }) => `found a credential value: ${props.NAME}` } },
  meta: { id: CREDENTIAL_RULE_ID, recommended: false, type: 'scanner', supportedContentTypes: ['text'] },
  create(context) {
    const t = context.createTranslator(credentialRule.messages);
    return {
      file(source) {
        for (const range of findGenericSecrets(source.content, source.filePath ?? '')) {
          context.report({ message: t('FOUND', { NAME: source.content.slice(range[0], range[1]) }), range });
        }
      },
    };
  },
};

const CONFIG: LintConfig = {
  rules: [
    {
      id: PRESET_ID,
      rule: recommendedPreset,
      // Access key ids are identifiers rather than secrets, so the preset leaves them alone by default;
      // we redact them anyway: an id plus a leaked secret elsewhere is a credential.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
    { id: PATTERN_ID, rule: patternRule, options: { patterns: SECRET_PATTERNS.map((p) => ({ name: p.name, patterns: [...p.patterns] })) } },
    { id: CREDENTIAL_RULE_ID, rule: credentialRule },
  ],
};

// ---------------------------------------------------------------------------------------------
// Narrowing a report to the secret's value

const NAME_PREFIX = /^(["']?)[A-Za-z_$][A-Za-z0-9_.$-]*\1\]?[ \t]*(?::=|=>|={1,3}|:(?!\/))[ \t]*(?:\[\]byte\()?["'`]?/;
const PEM_BEGIN = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----$/;
const VALUE_CHAR = /[^\s"'`,;)}\]]/;

/**
 * The value a secretlint report at `[start, end)` of `text` is about, as a range of `text`:
 * - a private key: the key material between its `-----BEGIN … PRIVATE KEY-----` and `-----END …-----`
 *   lines (escaped `\n` and whitespace at both ends stay outside);
 * - a URL or connection string with credentials: the password in `scheme://user:password@`, else the
 *   value of a `password=` parameter;
 * - anything else: the report without a leading `name = "` or `name: '` (the AWS rule reports from the
 *   variable name), extended to the end of the value when the report stops short of it, and without a
 *   closing quote or `;` it took along.
 * Never returns an empty range: when nothing narrower is found, the report itself is the value.
 */
export function valueRange(text: string, start: number, end: number, rule: string): Range {
  const t = text.slice(start, end);
  if (rule === 'privatekey' || PEM_BEGIN.test(t)) {
    const begin = PEM_BEGIN.exec(t);
    const fin = PEM_END.exec(t);
    if (begin && fin && fin.index > begin[0].length) {
      let s = start + begin[0].length;
      let e = start + fin.index;
      while (s < e && /^(?:\s|\\[nr])/.test(text.slice(s, s + 2))) s += /^\\[nr]/.test(text.slice(s, s + 2)) ? 2 : 1;
      while (e > s && /(?:\s|\\[nr])$/.test(text.slice(e - 2, e))) e -= /\\[nr]$/.test(text.slice(e - 2, e)) ? 2 : 1;
      if (e > s) return [s, e];
    }
    return [start, end];
  }
  if (rule === 'basicauth' || rule === 'database-connection-string') {
    const userinfo = /:\/\/[^\s:/@"'`]*:([^\s@"'`]+)@/d.exec(t);
    if (userinfo?.indices?.[1]) return [start + userinfo.indices[1][0], start + userinfo.indices[1][1]];
    const param = /(?:password|passwd|pwd)=([^&;"'`\s]+)/di.exec(t);
    if (param?.indices?.[1]) return [start + param.indices[1][0], start + param.indices[1][1]];
  }
  let s = start;
  const prefix = NAME_PREFIX.exec(t);
  if (prefix && prefix[0].length < t.length) s = start + prefix[0].length;
  let e = s;
  while (e < text.length && VALUE_CHAR.test(text[e]!)) e++;
  let reported = end;
  while (reported > s && /["'`;,\s]/.test(text[reported - 1]!)) reported--;
  e = Math.max(e, reported);
  return e > s ? [s, e] : [start, end];
}

/** {@link SECRET_PATTERNS} compiled sticky, to tell which one matched at a reported offset. */
const STICKY_PATTERNS = SECRET_PATTERNS.map((p) => ({
  name: p.name,
  res: p.patterns.map((src) => new RegExp(src.slice(1, src.lastIndexOf('/')), 'uy')),
}));

/**
 * Which of {@link SECRET_PATTERNS} reported `[start, end)` of `text`: secretlint masks the pattern's name
 * along with the secret in `maskSecrets` mode, so each pattern is tried again at that offset (look-behinds
 * included).
 */
function patternName(text: string, start: number, end: number): string {
  for (const p of STICKY_PATTERNS) {
    for (const re of p.res) {
      re.lastIndex = start;
      const m = re.exec(text);
      if (m && start + m[0].length === end) return p.name;
    }
  }
  return 'pattern';
}

/**
 * Replaces the value of every secret in `text` with `[REDACTED:<rule>]` (`<rule>` is the short rule id,
 * e.g. `github` for `@secretlint/secretlint-rule-github`, `jwt` for the JWT pattern, `generic-secret` for
 * {@link findGenericSecrets}).
 *
 * `filePath` is the workspace-relative path; rules use it only for its name and extension (the npm rule
 * looks for `.npmrc` and `package.json`, the GCP rule for `.json`, the credential rule for `.properties`,
 * `.env.example`, YAML and shell files, whose values may be unquoted); the file is never read from disk here.
 *
 * Only the value is replaced ({@link valueRange}): names, quotes, `=`/`:`, PEM BEGIN/END lines and URL
 * hosts stay. Line structure is preserved: a secret spanning several lines becomes the marker followed by
 * the same line breaks the secret held, so every line keeps its number and the result has as many lines as
 * the input. Overlapping reports are merged into one replacement (named after the first). Authors can
 * exempt a line with secretlint's `// secretlint-disable-line` comments. Rejects only on programming errors
 * in secretlint itself.
 */
export async function redactSecrets(text: string, filePath: string): Promise<RedactionResult> {
  const dot = filePath.lastIndexOf('.');
  const ext = dot > filePath.lastIndexOf('/') ? filePath.slice(dot) : '';
  const result = await lintSource({
    source: { content: text, filePath, ext, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  const ranges: Array<{ start: number; end: number; rule: string }> = [];
  for (const m of result.messages) {
    const [s, e] = m.range;
    if (m.ruleId === CREDENTIAL_RULE_ID) ranges.push({ start: s, end: e, rule: GENERIC_SECRET_RULE });
    else if (m.ruleId === PATTERN_ID) ranges.push({ start: s, end: e, rule: patternName(text, s, e) });
    else {
      // The preset's rules: their ranges may include the name or stop short of the value.
      const rule = m.ruleId.startsWith(RULE_PREFIX) ? m.ruleId.slice(RULE_PREFIX.length) : m.ruleId;
      const [start, end] = valueRange(text, s, e, rule);
      ranges.push({ start, end, rule });
    }
  }
  if (ranges.length === 0) return { text, count: 0, rules: [] };

  // Vendor rules before the generic one at the same place, so the marker names the most specific kind.
  ranges.sort((a, b) => a.start - b.start || b.end - a.end || Number(a.rule === GENERIC_SECRET_RULE) - Number(b.rule === GENERIC_SECRET_RULE));
  const merged: typeof ranges = [];
  for (const r of ranges) {
    if (r.end <= r.start) continue;
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) {
      if (last.rule === GENERIC_SECRET_RULE && r.rule !== GENERIC_SECRET_RULE && r.start === last.start) last.rule = r.rule;
      last.end = Math.max(last.end, r.end);
    } else merged.push({ ...r });
  }
  let out = '';
  let pos = 0;
  for (const r of merged) {
    const secret = text.slice(r.start, r.end);
    const breaks = secret.match(/\r\n|\r|\n/g) ?? [];
    out += text.slice(pos, r.start) + `[REDACTED:${r.rule}]` + breaks.join('');
    pos = r.end;
  }
  out += text.slice(pos);
  return { text: out, count: merged.length, rules: [...new Set(merged.map((r) => r.rule))].sort() };
}
