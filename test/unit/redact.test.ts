import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { findGenericSecrets, redactSecrets } from '../../src/core/redact';

// Secret-looking values are assembled at run time so that no scanner flags this file.
const AWS_KEY_ID = 'AKIA' + 'Z7Q4N2XW5RT3HB6K';
const AWS_SECRET = 'k9Xf2Lq8Rt4Vw1Zy7Bn3' + 'Mc6Hd0Gs5Pj2Ua8Ee4Oi';
const GITHUB_TOKEN = 'ghp_' + 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx';
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/' + 'T024BE7LD/B024BE7LD/abcdefghijklmnopqrstuvwx';
const BASIC_AUTH_URL = 'https://deploy:' + 's3cr3tPa55@registry.example.com/v2/';

function privateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return privateKey.trimEnd();
}

const lineCount = (s: string): number => s.split('\n').length;

void test('AWS keys, a GitHub token, a Slack webhook and a basic-auth URL are redacted, and counted', async () => {
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
  assert.equal(lines[3], "const gh = '[REDACTED:github]';");
  assert.equal(lines[4], 'const hook = "[REDACTED:slack]";');
  assert.equal(lines[6], 'export const client = new S3({ accessKeyId });');
});

void test('a private key block becomes one marker and keeps every other line on its line number', async () => {
  const pem = privateKeyPem();
  assert.ok(pem.split('\n').length > 10, 'the key spans many lines');
  const text = ['const before = 1;', 'const key = `', pem, '`;', 'function after() {', '  return before;', '}', ''].join('\n');
  const r = await redactSecrets(text, 'src/keys.js');
  assert.equal(r.count, 1);
  assert.deepEqual(r.rules, ['privatekey']);
  assert.ok(!r.text.includes('PRIVATE KEY'));
  const before = text.split('\n');
  const after = r.text.split('\n');
  assert.equal(after.length, before.length);
  assert.equal(after[2], '[REDACTED:privatekey]');
  // The lines the key occupied are empty now; the code after it is on the same line numbers.
  const keyLines = pem.split('\n').length;
  for (let i = 3; i < 2 + keyLines; i++) assert.equal(after[i], '', `line ${i + 1}`);
  assert.equal(after.indexOf('function after() {'), before.indexOf('function after() {'));
  assert.equal(after.indexOf('  return before;'), before.indexOf('  return before;'));
});

void test('CRLF line breaks inside a redacted secret are kept as they were', async () => {
  const pem = privateKeyPem().replace(/\n/g, '\r\n');
  const text = `a\r\n${pem}\r\nb\r\n`;
  const r = await redactSecrets(text, 'k.txt');
  assert.equal(r.count, 1);
  assert.equal(r.text, `a\r\n[REDACTED:privatekey]${'\r\n'.repeat(pem.split('\r\n').length - 1)}\r\nb\r\n`);
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
    '',
  ].join('\n');
  const r = await redactSecrets(text, 'src/auth.ts');
  assert.deepEqual(r, { text, count: 0, rules: [] });
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
  ];
  for (const line of none) assert.deepEqual(findGenericSecrets(line), [], line);
  const text = 'const token = "a1b2c3d4e5f6";';
  const [[start, end]] = findGenericSecrets(text) as [[number, number]];
  assert.equal(text.slice(start, end), 'a1b2c3d4e5f6');
});

void test('overlapping reports of two rules are one redaction', async () => {
  // A GitHub token that is also the value of a `token = "..."` assignment.
  const r = await redactSecrets(`token = "${GITHUB_TOKEN}"\n`, 'a.py');
  assert.equal(r.count, 1);
  assert.equal(r.text, 'token = "[REDACTED:github]"\n');
});
