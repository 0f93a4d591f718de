import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { findGenericSecrets, isCredentialName, isSecretValue, redactSecrets, valueRange } from '../../src/core/redact';
import { secretCorpus } from '../support/secretCorpus';

// Secret-looking values are assembled at run time so that no scanner flags this file.
const AWS_KEY_ID = 'AKIA' + 'Z7Q4N2XW5RT3HB6K';
const AWS_SECRET = 'k9Xf2Lq8Rt4Vw1Zy7Bn3' + 'Mc6Hd0Gs5Pj2Ua8Ee4Oi';
const GITHUB_TOKEN = 'ghp_' + 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx';
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/' + 'T024BE7LD/B024BE7LD/abcdefghijklmnopqrstuvwx';
const BASIC_AUTH_URL = 'https://deploy:' + 's3cr3tPa55@registry.example.com/v2/';
const GOOGLE_KEY = 'AIza' + 'SyD3x8Q1vR7mN2pK5tL9wE4zB6cH0jF8gUa';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0' + '.Hj3kL9mN2pQ5rS8tV1wX4yZ7aB0cD3eF6gH9iJ2kL5m';
const AZURE_KEY = ('Xk9m2PqR7sT4vW1yZ3bC6dF8gH0jK5lN2pQ4rS7tV9wX1yZ3aB6cD8eF0gH2jK4lM6nP8qR0sT2uV4wX6yZ8aB0cD2e' + 'Fg7h').slice(0, 86) + '==';

function privateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return privateKey.trimEnd();
}

const lineCount = (s: string): number => s.split('\n').length;

void test('AWS keys, a GitHub token, a Slack webhook and a basic-auth URL are redacted, value only, and counted', async () => {
  const text = [
    "import { S3 } from 'aws-sdk';",
    `const accessKeyId = "${AWS_KEY_ID}";`,
    `const aws_secret_access_key = "${AWS_SECRET}";`,
    `const gh = '${GITHUB_TOKEN}';`,
    `const hook = "${SLACK_WEBHOOK}";`,
    `const registry = "${BASIC_AUTH_URL}";`,
    'export const client = new S3({ accessKeyId });',
    '',
  ].join('\n');
  const r = await redactSecrets(text, 'src/config.ts');
  for (const secret of [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, SLACK_WEBHOOK, 's3cr3tPa55']) {
    assert.ok(!r.text.includes(secret), `${secret.slice(0, 8)}… must be gone`);
  }
  assert.equal(r.count, 5);
  assert.deepEqual(r.rules, ['aws', 'basicauth', 'github', 'slack']);
  const lines = r.text.split('\n');
  assert.equal(lines.length, lineCount(text));
  assert.equal(lines[0], "import { S3 } from 'aws-sdk';");
  assert.equal(lines[1], 'const accessKeyId = "[REDACTED:aws]";');
  assert.equal(lines[2], 'const aws_secret_access_key = "[REDACTED:aws]";', 'the name, quotes and semicolon stay');
  assert.equal(lines[3], "const gh = '[REDACTED:github]';");
  assert.equal(lines[4], 'const hook = "[REDACTED:slack]";');
  assert.equal(lines[5], 'const registry = "https://deploy:[REDACTED:basicauth]@registry.example.com/v2/";', 'user and host stay');
  assert.equal(lines[6], 'export const client = new S3({ accessKeyId });');
});

void test('the AWS secret is redacted whole even though secretlint reports it from the name and stops short (issue 11)', async () => {
  const text = `const AWS_SECRET_ACCESS_KEY = "${AWS_SECRET}";\n`;
  const r = await redactSecrets(text, 'src/aws.js');
  assert.equal(r.text, 'const AWS_SECRET_ACCESS_KEY = "[REDACTED:aws]";\n');
  // valueRange on the range secretlint reports: from the name to 16 characters before the key's end.
  const start = text.indexOf('AWS_SECRET');
  const end = text.indexOf(AWS_SECRET) + AWS_SECRET.length - 16;
  const [s, e] = valueRange(text, start, end, 'aws');
  assert.equal(text.slice(s, e), AWS_SECRET);
});

void test('a private key block keeps its BEGIN and END lines; its body becomes one marker and every line keeps its number', async () => {
  const pem = privateKeyPem();
  assert.ok(pem.split('\n').length > 10, 'the key spans many lines');
  const text = ['const before = 1;', 'const key = `', pem, '`;', 'function after() {', '  return before;', '}', ''].join('\n');
  const r = await redactSecrets(text, 'src/keys.js');
  assert.equal(r.count, 1);
  assert.deepEqual(r.rules, ['privatekey']);
  const body = pem.split('\n').slice(1, -1);
  for (const line of body) assert.ok(!r.text.includes(line), 'no line of key material is left');
  const before = text.split('\n');
  const after = r.text.split('\n');
  assert.equal(after.length, before.length);
  assert.equal(after[2], '-----BEGIN RSA PRIVATE KEY-----');
  assert.equal(after[3], '[REDACTED:privatekey]');
  for (let i = 4; i < 3 + body.length; i++) assert.equal(after[i], '', `line ${i + 1}`);
  assert.equal(after[3 + body.length], '-----END RSA PRIVATE KEY-----');
  assert.equal(after.indexOf('function after() {'), before.indexOf('function after() {'));
});

void test('a one-line PEM key inside a string keeps its escaped line breaks and headers', async () => {
  const body = privateKeyPem().split('\n').slice(1, -1).join('\\n');
  const text = `const key = "-----BEGIN RSA PRIVATE KEY-----\\n${body}\\n-----END RSA PRIVATE KEY-----\\n";\n`;
  const r = await redactSecrets(text, 'src/sign.ts');
  assert.equal(r.text, 'const key = "-----BEGIN RSA PRIVATE KEY-----\\n[REDACTED:privatekey]\\n-----END RSA PRIVATE KEY-----\\n";\n');
});

void test('CRLF line breaks inside a redacted secret are kept as they were', async () => {
  const pem = privateKeyPem().replace(/\n/g, '\r\n');
  const text = `a\r\n${pem}\r\nb\r\n`;
  const r = await redactSecrets(text, 'k.txt');
  assert.equal(r.count, 1);
  const bodyLines = pem.split('\r\n').length - 2;
  assert.equal(r.text, `a\r\n-----BEGIN RSA PRIVATE KEY-----\r\n[REDACTED:privatekey]${'\r\n'.repeat(bodyLines - 1)}\r\n-----END RSA PRIVATE KEY-----\r\nb\r\n`);
});

void test('every case of issue 11 is redacted, and only its value', async () => {
  // [file, line as written, line as sent, secret]
  const cases: Array<[string, string, string, string]> = [
    ['maps.py', `GOOGLE_MAPS_KEY = "${GOOGLE_KEY}"`, 'GOOGLE_MAPS_KEY = "[REDACTED:google-api-key]"', GOOGLE_KEY],
    ['fixtures/session.json', `{ "sample": "${JWT}" }`, '{ "sample": "[REDACTED:jwt]" }', JWT],
    [
      'appsettings.json',
      `{ "Storage": "DefaultEndpointsProtocol=https;AccountName=app;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net" }`,
      '{ "Storage": "DefaultEndpointsProtocol=https;AccountName=app;AccountKey=[REDACTED:azure-storage-key];EndpointSuffix=core.windows.net" }',
      AZURE_KEY,
    ],
    ['src/main/resources/application.properties', 'db.password=Tr0ub4dor&3x', 'db.password=[REDACTED:generic-secret]', 'Tr0ub4dor&3x'],
    ['.env.example', 'DB_PASSWORD=pg_9f8e7d6c5b', 'DB_PASSWORD=[REDACTED:generic-secret]', 'pg_9f8e7d6c5b'],
    ['mysite/settings.py', "SECRET_KEY = 'django-insecure-7x!k2m9q4w8e1r5t3y6u0i'", "SECRET_KEY = '[REDACTED:generic-secret]'", 'django-insecure-7x!k2m9q4w8e1r5t3y6u0i'],
    ['infra/main.tf', '  secret_key = "wJalrXUtnFEMI4K7MDENGbPxRfiCY9q2z8"', '  secret_key = "[REDACTED:generic-secret]"', 'wJalrXUtnFEMI4K7MDENGbPxRfiCY9q2z8'],
    ['src/api.ts', `const headers = { Authorization: "Bearer ${JWT}" };`, 'const headers = { Authorization: "Bearer [REDACTED:jwt]" };', JWT],
    ['config/db.yml', '  password: s3cure-Pa55w0rd', '  password: [REDACTED:generic-secret]', 's3cure-Pa55w0rd'],
    ['deploy.sh', 'export PGPASSWORD=Qz8vW2nL5kR1', 'export PGPASSWORD=[REDACTED:generic-secret]', 'Qz8vW2nL5kR1'],
    ['deploy.sh', 'DB_PASS=Xy7pQ3mN8wK2 ./migrate', 'DB_PASS=[REDACTED:generic-secret] ./migrate', 'Xy7pQ3mN8wK2'],
    ['src/admin.ts', 'await client.login("admin", "Adm1n!2024pw");', 'await client.login("admin", "[REDACTED:generic-secret]");', 'Adm1n!2024pw'],
    [
      'Db.cs',
      'var cs = "Server=tcp:db.example.net;Database=app;User Id=sa;Password=Str0ngP4ssw0rd!;";',
      'var cs = "Server=tcp:db.example.net;Database=app;User Id=sa;Password=[REDACTED:generic-secret];";',
      'Str0ngP4ssw0rd!',
    ],
  ];
  for (const [file, line, sent, secret] of cases) {
    const r = await redactSecrets(`${line}\n`, file);
    assert.ok(!r.text.includes(secret), `${file}: ${line} leaks its secret`);
    assert.equal(r.text, `${sent}\n`, file);
    assert.equal(r.count, 1, `${file}: one redaction`);
  }
});

void test('the whole corpus: every planted secret is redacted and the names and syntax around it stay', async () => {
  const { files, secrets } = secretCorpus();
  assert.ok(secrets.length >= 40, `at least 40 secrets, got ${secrets.length}`);
  const sent: Record<string, string> = {};
  for (const [p, text] of Object.entries(files)) {
    const r = await redactSecrets(text, p);
    assert.equal(lineCount(r.text), lineCount(text), `${p} keeps its line count`);
    sent[p] = r.text;
  }
  for (const s of secrets) {
    assert.ok(!sent[s.file]!.includes(s.secret), `${s.kind} in ${s.format} (${s.file}) was sent`);
    if (s.kept) assert.ok(sent[s.file]!.includes(s.kept), `${s.kind} in ${s.format}: "${s.kept}" is kept`);
  }
});

void test('ordinary code is returned untouched', async () => {
  const text = [
    "import crypto from 'node:crypto';",
    'const password = process.env.DB_PASSWORD;',
    'const token = await getToken(user);',
    "const headerName = 'x-api-key';",
    "const apiKey = req.headers['x-api-key'];",
    "if (typeof token === 'function') token();",
    'const hash = crypto.createHash("sha256").update(password).digest("hex");',
    'const url = "https://example.com/api/v1/users?page=2";',
    "const placeholder = { password: '<your-password>', secret: '${SECRET}' };",
    "type Field = { kind: 'username' | 'password'; token?: 'header' | 'query' };",
    "export type Credential = { token: 'username' | 'passphrase' };",
    "const init = { credentials: 'include', mode: 'same-origin' };",
    'const nextPageToken = "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA";',
    'const auth = `Bearer ${token}`;',
    '',
  ].join('\n');
  const r = await redactSecrets(text, 'src/auth.ts');
  assert.deepEqual(r, { text, count: 0, rules: [] });
  const py = [
    '        password = Prompt.ask("Please enter a password", password=True)',
    '        kwargs = dict(username=username, password=password)',
    '        print(f"password={password!r}")',
    '        password = quote(kwargs.pop("password", "") or "", safe=PASSWORD_SAFE)',
    '',
  ].join('\n');
  assert.deepEqual(await redactSecrets(py, 'pkg/prompt.py'), { text: py, count: 0, rules: [] });
  const yaml = ['permissions:', '  contents: read', '  id-token: write', 'env:', '  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}', '  password: ${DB_PASSWORD}', ''].join('\n');
  assert.deepEqual(await redactSecrets(yaml, '.github/workflows/ci.yml'), { text: yaml, count: 0, rules: [] });
  const props = ['spring.datasource.password=${DB_PASSWORD}', 'app.token.header=X-Auth-Token', 'password.min-length=12', ''].join('\n');
  assert.deepEqual(await redactSecrets(props, 'application.properties'), { text: props, count: 0, rules: [] });
  const sh = ['export DB_PASSWORD="$1"', 'TOKEN=$(cat /run/secrets/token)', 'PASSWORD_FILE=/run/secrets/db', ''].join('\n');
  assert.deepEqual(await redactSecrets(sh, 'scripts/run.sh'), { text: sh, count: 0, rules: [] });
});

void test('hard-coded values of password/secret/token-like names are masked, the name stays visible', async () => {
  const text = [
    'DB_PASSWORD = "hunter2hunter2"',
    "const config = { clientSecret: 'q8Zr5Lm2Nx7Vb4', apiKey: \"9f8e7d6c5b4a3f2e1d0c\" };",
    '{ "auth_token": "tok_59d1b2c3e4f5a6b7" }',
    'password = os.environ["DB_PASSWORD"]',
  ].join('\n');
  const r = await redactSecrets(text, 'settings.py');
  assert.equal(r.count, 4);
  assert.deepEqual(r.rules, ['generic-secret']);
  assert.equal(
    r.text,
    [
      'DB_PASSWORD = "[REDACTED:generic-secret]"',
      "const config = { clientSecret: '[REDACTED:generic-secret]', apiKey: \"[REDACTED:generic-secret]\" };",
      '{ "auth_token": "[REDACTED:generic-secret]" }',
      'password = os.environ["DB_PASSWORD"]',
    ].join('\n'),
  );
});

void test('findGenericSecrets ignores placeholders, labels, paths and names that only contain a keyword', () => {
  const none = [
    'password = "changeme"',
    'token = "xxxxxxxxxxxx"',
    'secret = "/run/secrets/db-password"',
    'tokenType = "bearer-token-v2"',
    'secretary = "Jane Doe Smith"',
    'api_key = "YOUR_API_KEY"',
    'password = "********"',
    'password: "short"',
    'token = "GITHUB_TOKEN"',
    'password = "%(db_password)s"',
    'password: "{{ vault_db_password }}"',
    'PASSWORD_RESET_PATH = "/reset/a8f3k2"',
    'pad_token = "P4dT0k3nX"',
  ];
  for (const line of none) assert.deepEqual(findGenericSecrets(line), [], line);
  const text = 'const token = "a1b2c3d4e5f6";';
  const [[start, end]] = findGenericSecrets(text) as [[number, number]];
  assert.equal(text.slice(start, end), 'a1b2c3d4e5f6');
});

void test('isCredentialName and isSecretValue', () => {
  for (const n of ['password', 'DB_PASSWORD', 'clientSecret', 'api_key', 'x-api-key', 'SECRET_KEY', 'secret_key_base', 'jwtKey', 'db.password', 'smtpPass', 'AUTH_TOKEN', 'accessKey', 'privateKey2', 'PGPASSWORD', 'SECRETKEY', 'AUTHTOKEN'])
    assert.ok(isCredentialName(n), n);
  for (const n of ['passwordField', 'PASSWORD_RESET_PATH', 'tokenCount', 'secretName', 'nextPageToken', 'pad_token', 'keyboard', 'passenger', 'key', 'tokenizer', 'bypass', 'nextpagetoken'])
    assert.ok(!isCredentialName(n), n);
  for (const v of ['hunter2hunter2', 'Tr0ub4dor&3x', 'a1b2c3d4e5f6', 'wJalrXUtnFEMI4K7MDENG']) assert.ok(isSecretValue(v), v);
  for (const v of ['password', 'changeme', '${DB_PASSWORD}', 'x-api-key', 'GITHUB_TOKEN', 'Enter your password', '/etc/secret', 'https://example.com/token', '8080', '^[a-z]+$'])
    assert.ok(!isSecretValue(v), v);
});

void test('overlapping reports of two rules are one redaction, named after the specific rule', async () => {
  // A GitHub token that is also the value of a `token = "..."` assignment.
  const r = await redactSecrets(`token = "${GITHUB_TOKEN}"\n`, 'a.py');
  assert.equal(r.count, 1);
  assert.equal(r.text, 'token = "[REDACTED:github]"\n');
});

void test("secretlint's disable comments apply to the project's credential rule too", async () => {
  const text = 'const password = "fixture-Pa55word"; // secretlint-disable-line\nconst token = "q8Zr5Lm2Nx7Vb4Kp";\n';
  const r = await redactSecrets(text, 'src/a.ts');
  assert.equal(r.text, 'const password = "fixture-Pa55word"; // secretlint-disable-line\nconst token = "[REDACTED:generic-secret]";\n');
});
