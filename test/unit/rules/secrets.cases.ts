/**
 * Cases for the secret rules (src/core/offline/rules/security/secrets.ts). Secret-looking values are
 * written as redaction markers (what the rules see after src/core/redact.ts) or assembled at run time,
 * so no secret-looking literal sits in this file. Each example of issue 9's first section about secrets is
 * a case here (marked "issue 9").
 */
import type { RuleCase } from '../../support/ruleHarness';

/** A fake PEM body: 64 base64 characters per line, built at run time. */
const KEY_LINE = 'MIIC' + 'XwIBAAKBgQC7'.repeat(5);
const PEM_ONE_LINE = `-----BEGIN RSA PRIVATE KEY-----\\n${KEY_LINE}\\n${KEY_LINE}\\n-----END RSA PRIVATE KEY-----\\n`;
const PEM_REDACTED = '-----BEGIN RSA PRIVATE KEY-----\\n[REDACTED:privatekey]\\n-----END RSA PRIVATE KEY-----\\n';

/** A JSDoc block of `n` lines whose line `at` (1-based within the file) holds `text`. */
function longComment(n: number, at: number, text: string): string {
  const lines = ['/**'];
  for (let i = 2; i < n; i++) lines.push(i === at ? ` * ${text}` : ` * Line ${i} of a long description of the options.`);
  lines.push(' */');
  return lines.join('\n');
}

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- hardcoded-secret
  {
    rule: 'security/hardcoded-secret',
    language: 'javascript',
    name: 'object key and variable',
    code: `const config = {
  host: 'db.internal',
  password: 'S3cr3t!2024',
};
const API_KEY = 'ak_live_93jd83jd93kd';`,
    expect: 2,
    line: 3,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'typescript',
    name: 'placeholders, env lookups, labels',
    code: `const password = process.env.DB_PASSWORD || '';
const token = 'changeme';
const apiKey = '<your-api-key>';
const PASSWORD_FIELD = 'password';
const tokenType = 'Bearer';
const secret = 'GITHUB_TOKEN';
const label = { password: 'Enter your password' };`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'typescript',
    name: 'issue 9: literal types and enum members are not values',
    code: `export interface LoginField { kind: 'username' | 'password'; token?: 'a1b2c3d4e5' }
type AuthMode = { password: 'pw_9f8e7d6c5b' };
enum Secrets { ApiToken = 'tok_59d1b2c3e4', Password = 'pw_81723abc' }`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'javascript',
    name: 'test files are skipped',
    path: 'test/db.test.js',
    code: `const password = 'S3cr3t!2024';`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'python',
    name: 'keyword argument and comparison',
    code: `conn = psycopg2.connect(host="db", user="app", password="pg_pw_81723")
if password == "admin1234":
    pass`,
    expect: 2,
    line: 1,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'python',
    name: 'enum members and Django choices are labels',
    code: `class Field(Enum):
    PASSWORD = "pw_field_81723"
class Kind(models.TextChoices):
    TOKEN = "tok_kind_59d1b2", "Token"`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'python',
    name: 'regexes, colours, dict keys that are variables, names that are not credentials',
    code: `jsonnet_token = r'[^\\W\\d]\\w*'
styles = {Token: '#f8f8f2'}
PASSWORD_RESET_PATH = "/account/reset-2"
token_count = "12345678"`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'go',
    name: 'const and struct field',
    code: `package main
const apiKey = "sk_9d8f7g6h5j4k"
var cfg = Config{Password: "hunter2!x"}`,
    expect: 2,
    line: 2,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'go',
    name: 'environment lookups',
    code: `package main
var apiKey = os.Getenv("API_KEY")
var cfg = Config{Password: os.Getenv("DB_PASSWORD")}`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'java',
    name: 'static final field',
    code: `class Db {
  private static final String DB_PASSWORD = "Pr0d!Passw0rd";
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/hardcoded-secret',
    language: 'java',
    name: 'getenv, and enum constants',
    code: `class Db {
  private static final String DB_PASSWORD = System.getenv("DB_PASSWORD");
  enum Field { PASSWORD("pw_field_81723") }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- hardcoded-signing-secret (issue 9)
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'javascript',
    name: "issue 9: express-session's placeholder secret",
    code: `const session = require('express-session');
app.use(session({
  secret: 'keyboard cat',
  resave: false,
}));`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'javascript',
    name: 'issue 9: cookieSecret in a configuration object, redacted',
    code: `module.exports = {
  port: 4000,
  cookieSecret: "[REDACTED:generic-secret]",
};`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'javascript',
    name: 'cookieParser, jwt.sign and Koa app.keys',
    code: `app.use(cookieParser('s3cr3t'));
const t = jwt.sign({ id: user.id }, 'shhhhh', { expiresIn: '1h' });
app.keys = ['im a newer secret', 'i like turtle'];`,
    expect: 3,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'javascript',
    name: 'a fallback after the environment is Medium',
    code: `app.use(session({ secret: process.env.SESSION_SECRET || 'dev-secret' }));`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'javascript',
    name: 'secrets from the environment or configuration',
    code: `app.use(session({ secret: process.env.SESSION_SECRET, resave: false }));
const t = jwt.sign(payload, config.jwtSecret);
app.use(cookieParser(process.env.COOKIE_SECRET));
const keys = ['a', 'b'];
const secretName = 'session';`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'typescript',
    name: 'jwtSecret and secretOrKey',
    code: `export const config = { jwtSecret: 'change-me' };
passport.use(new JwtStrategy({ secretOrKey: 'not-so-secret', jwtFromRequest }, verify));`,
    expect: 2,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'typescript',
    name: 'types are not values',
    code: `type SessionOptions = { secret: 'a' | 'b' };
interface JwtConfig { jwtSecret?: string }`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'tsx',
    name: 'a Next.js auth secret',
    code: `export default NextAuth({ providers, secret: 'dev-nextauth-secret' });`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'python',
    name: 'Flask and Django secret keys, jwt.encode',
    code: `app.secret_key = 'dev'
app.config["SECRET_KEY_HMAC_2"] = "am0r3C0mpl3xK3y"
SECRET_KEY = 'django-insecure-[REDACTED:generic-secret]'
token = jwt.encode(payload, 'secret', algorithm='HS256')`,
    expect: 4,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'python',
    name: 'a data table with a "secret" key is not configuration (rich emoji codes)',
    code: `EMOJI = {"scroll": "📜", "secret": "㊙", "see_no_evil_monkey": "🙈"}`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'python',
    name: 'a session middleware keyword argument',
    code: `app.add_middleware(SessionMiddleware, secret_key="dev-session-key")
app.wsgi_app = Session(app.wsgi_app, secret="static-secret")`,
    expect: 2,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'python',
    name: 'a default in os.environ.get',
    code: `SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-only')`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'python',
    name: 'from the environment or settings',
    code: `SECRET_KEY = os.environ['SECRET_KEY']
token = jwt.encode(payload, settings.SECRET_KEY, algorithm='HS256')
app.secret_key = os.urandom(32)`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'go',
    name: 'cookie store key, JWT key, SignedString',
    code: `package main
var store = sessions.NewCookieStore([]byte("something-very-secret"))
var jwtKey = []byte("my_secret_key")
func sign(t *jwt.Token) (string, error) { return t.SignedString([]byte("secret")) }`,
    expect: 3,
    line: 2,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'go',
    name: 'keys from the environment',
    code: `package main
var store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))
var jwtKey = []byte(os.Getenv("JWT_KEY"))`,
    expect: 0,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'java',
    name: 'HMAC256, signWith, a JWT secret field',
    code: `class Tokens {
  private static final String JWT_SECRET = "mySecret";
  Algorithm a = Algorithm.HMAC256("secret");
  String t = Jwts.builder().setSubject(u).signWith(SignatureAlgorithm.HS256, "secretkey").compact();
  SecretKeySpec k = new SecretKeySpec("0123456789abcdef".getBytes(), "AES");
}`,
    expect: 4,
    line: 2,
  },
  {
    rule: 'security/hardcoded-signing-secret',
    language: 'java',
    name: 'from the environment',
    code: `class Tokens {
  Algorithm a = Algorithm.HMAC256(System.getenv("JWT_SECRET"));
  private final String jwtSecret = props.getProperty("jwt.secret");
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- private-key-in-source (issue 9)
  { rule: 'security/private-key-in-source', language: 'javascript', name: 'issue 9: a one-line PEM key in a string', code: `const key = "${PEM_ONE_LINE}";`, expect: 1, line: 1 },
  { rule: 'security/private-key-in-source', language: 'typescript', name: 'a redacted PEM key', code: `export const signingKey = \`${PEM_REDACTED}\`;`, expect: 1, line: 1 },
  { rule: 'security/private-key-in-source', language: 'python', name: 'a PEM key in a constant', code: `PRIVATE_KEY = "${PEM_ONE_LINE}"`, expect: 1, line: 1 },
  { rule: 'security/private-key-in-source', language: 'go', name: 'a PEM key in a raw string', code: `package main\nconst key = \`-----BEGIN EC PRIVATE KEY-----\n${KEY_LINE}\n${KEY_LINE}\n-----END EC PRIVATE KEY-----\``, expect: 1, line: 2 },
  { rule: 'security/private-key-in-source', language: 'java', name: 'a PEM key in a field', code: `class K { static final String PEM = "${PEM_REDACTED}"; }`, expect: 1, line: 1 },
  {
    rule: 'security/private-key-in-source',
    language: 'javascript',
    name: 'headers used to parse PEM text, public keys and certificates',
    code: `const HEADER = '-----BEGIN PRIVATE KEY-----';
const pub = "-----BEGIN PUBLIC KEY-----\\n${KEY_LINE}\\n-----END PUBLIC KEY-----";
const cert = "-----BEGIN CERTIFICATE-----\\n${KEY_LINE}\\n-----END CERTIFICATE-----";
if (text.startsWith('-----BEGIN RSA PRIVATE KEY-----')) parse(text);`,
    expect: 0,
  },
  { rule: 'security/private-key-in-source', language: 'python', name: 'a header constant', code: `PEM_HEADER = "-----BEGIN PRIVATE KEY-----"`, expect: 0 },
  { rule: 'security/private-key-in-source', language: 'go', name: 'a header in a comparison', code: `package main\nfunc isKey(s string) bool { return strings.HasPrefix(s, "-----BEGIN RSA PRIVATE KEY-----") }`, expect: 0 },
  { rule: 'security/private-key-in-source', language: 'java', name: 'a public key', code: `class K { String p = "-----BEGIN PUBLIC KEY-----\\n${KEY_LINE}\\n-----END PUBLIC KEY-----"; }`, expect: 0 },
  { rule: 'security/private-key-in-source', language: 'typescript', name: 'a test key in a test file', path: 'src/__tests__/sign.test.ts', code: `const key = "${PEM_ONE_LINE}";`, expect: 0 },

  // ---------------------------------------------------------------- secret-in-source: markers left by redaction
  { rule: 'security/secret-in-source', language: 'javascript', code: 'const client = new S3({ accessKeyId: "[REDACTED:aws]" });\n', expect: 1, line: 1, name: 'redacted key in a string' },
  { rule: 'security/secret-in-source', language: 'python', code: 'import os\n# token: [REDACTED:github]\nTOKEN = os.environ["TOKEN"]\n', expect: 1, line: 2, name: 'a vendor token in a comment' },
  { rule: 'security/secret-in-source', language: 'go', code: 'package m\nvar dsn = "postgres://app:[REDACTED:database-connection-string]@db/app"\n', expect: 1, line: 2 },
  { rule: 'security/secret-in-source', language: 'java', code: 'class A { String k = "[REDACTED:aws]"; }\n', expect: 1, line: 1 },
  { rule: 'security/secret-in-source', language: 'typescript', code: 'export const dbPassword = "[REDACTED:generic-secret]";\n', expect: 1, line: 1, name: 'a name-based match in code' },
  { rule: 'security/secret-in-source', language: 'javascript', code: 'const label = "REDACTED"; // shown when a value is hidden\nconst key = process.env.API_KEY;\n', expect: 0, name: 'the word alone is not a marker' },
  {
    rule: 'security/secret-in-source',
    language: 'javascript',
    name: "issue 9: a finding sits on the secret's own line, not on the comment's first line",
    code: `${longComment(90, 82, 'Token used by the nightly job: [REDACTED:github]')}\nmodule.exports = run;\n`,
    expect: 1,
    line: 82,
  },
  {
    rule: 'security/secret-in-source',
    language: 'typescript',
    name: "issue 9: secret: 'passphrase' inside a JSDoc example",
    code: `${longComment(90, 82, "@example cookies({ secret: '[REDACTED:generic-secret]' })")}\nexport function cookies(opts: { secret: string }) { return opts; }\n`,
    expect: 0,
  },
  {
    rule: 'security/secret-in-source',
    language: 'javascript',
    name: 'a vendor-format token inside an @example is an example',
    code: `/**\n * @example\n * const client = new Client({ token: '[REDACTED:github]' });\n */\nexport function Client() {}\n`,
    expect: 0,
  },
  {
    rule: 'security/secret-in-source',
    language: 'typescript',
    name: "issue 9: TypeScript literal types such as 'username' | 'password'",
    code: `export type Credential = { token: '[REDACTED:generic-secret]' | 'password' };\nexport interface Login { kind: 'username' | '[REDACTED:generic-secret]' }\n`,
    expect: 0,
  },
  {
    rule: 'security/secret-in-source',
    language: 'typescript',
    name: 'enum members',
    code: `export enum Tokens { Session = '[REDACTED:generic-secret]' }\n`,
    expect: 0,
  },
  { rule: 'security/secret-in-source', language: 'java', name: 'Java enum constants', code: 'enum Keys { API("[REDACTED:generic-secret]") }\n', expect: 0 },
  {
    rule: 'security/secret-in-source',
    language: 'python',
    name: 'docstring examples and name-based matches in docstrings',
    code: `def connect(url):\n    """Connect.\n\n    >>> connect("https://user:[REDACTED:basicauth]@host")\n    password: [REDACTED:generic-secret]\n    """\n`,
    expect: 0,
  },
  { rule: 'security/secret-in-source', language: 'javascript', name: 'a name-based match in a comment', code: '// password: [REDACTED:generic-secret]\nexport {};\n', expect: 0 },
  { rule: 'security/secret-in-source', language: 'javascript', name: 'issue 9: test fixtures', path: 'test/fixtures/tokens.js', code: 'module.exports = { token: "[REDACTED:github]" };\n', expect: 0 },
  { rule: 'security/secret-in-source', language: 'python', name: 'a test module', path: 'tests/test_auth.py', code: 'auth = ("user", "[REDACTED:generic-secret]")\n', expect: 0 },
  {
    rule: 'security/secret-in-source',
    language: 'javascript',
    name: 'a signing secret is reported once, by hardcoded-signing-secret',
    code: 'app.use(session({ secret: "[REDACTED:generic-secret]" }));\nconst k = "-----BEGIN RSA PRIVATE KEY-----\\n[REDACTED:privatekey]\\n-----END RSA PRIVATE KEY-----";\n',
    expect: 0,
  },
  {
    rule: 'security/secret-in-source',
    language: 'javascript',
    name: 'two secrets on two lines of a template: two findings, each on its line',
    code: 'const env = `\nA=[REDACTED:aws]\nB=[REDACTED:github]\n`;\n',
    expect: 2,
    line: 2,
  },

  // ---------------------------------------------------------------- secret-in-config
  {
    rule: 'security/secret-in-config',
    language: 'javascript',
    name: 'properties, env template, YAML: each on its line',
    code: 'module.exports = {};\n',
    configFiles: {
      'src/main/resources/application.properties': 'spring.datasource.username=app\ndb.password=[REDACTED:generic-secret]\n',
      '.env.example': 'PORT=3000\nDB_PASSWORD=[REDACTED:generic-secret]\n',
      'config/app.yaml': 'database:\n  host: db\n  password: [REDACTED:generic-secret]\n',
    },
    expect: 3,
  },
  {
    rule: 'security/secret-in-config',
    language: 'javascript',
    name: 'test fixtures, commented-out lines, markdown',
    code: 'module.exports = {};\n',
    configFiles: {
      'test/fixtures/app.yaml': 'password: [REDACTED:generic-secret]\n',
      'config/app.yaml': '# password: [REDACTED:generic-secret]\nhost: db\n',
      'docs/setup.md': 'Set `DB_PASSWORD=[REDACTED:generic-secret]`\n',
    },
    expect: 0,
  },
];
