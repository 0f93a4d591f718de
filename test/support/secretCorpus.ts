/**
 * A corpus of realistic, fake secrets placed the way real projects write them: in code (TypeScript,
 * Python, Go, Java), configuration (JSON, YAML, TOML, Terraform, `.properties`, `.env.example`, XML,
 * INI) and scripts (shell, Dockerfile, docker-compose). Every value is generated at run time from a seeded
 * generator in the vendor's documented format, so no secret-looking literal sits in this repository and
 * the corpus is the same on every run.
 *
 * Used by the redaction unit tests and by the end-to-end test that checks what reaches the fake Messages API.
 */
import { generateKeyPairSync } from 'node:crypto';

/** One planted secret. */
export interface PlantedSecret {
  /** What the secret is (`aws-secret-key`, `jwt`, `password`, ...). */
  kind: string;
  /** How it is written (`typescript`, `properties`, `env`, `yaml`, ...). */
  format: string;
  /** The workspace-relative file it is in. */
  file: string;
  /** The secret value, which must never be sent. */
  secret: string;
  /** Text around the secret that must still be sent as it is (the name and syntax), when checked. */
  kept?: string;
}

/** A deterministic generator (mulberry32), so the corpus is the same on every run. */
function generator(seed: number): (n: number, alphabet?: string) => string {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  };
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** The corpus: files (path → text) and the secrets planted in them. */
export function secretCorpus(): { files: Record<string, string>; secrets: PlantedSecret[] } {
  const g = generator(20_240_611);
  const secrets: PlantedSecret[] = [];
  const plant = (kind: string, format: string, file: string, secret: string, kept?: string): string => {
    secrets.push({ kind, format, file, secret, ...(kept ? { kept } : {}) });
    return secret;
  };
  const jwt = (): string =>
    `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${g(8, HEX)}","name":"svc-billing","iat":${1_700_000_000 + Number(g(6, '0123456789'))}}`)}.${g(43, B64URL)}`;
  const password = (): string => `${g(4)}${g(1, '!#%&*+=?@^')}${g(6)}${g(2, '0123456789')}${g(3)}`;
  const pem = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey as string;
  const pemBody = pem.trim().split('\n').slice(1, -1).join('\n');
  const files: Record<string, string> = {};

  // TypeScript: SDK keys and tokens in a config module.
  const ts = 'src/config.ts';
  files[ts] = [
    "import session from 'express-session';",
    `export const awsAccessKeyId = "${plant('aws-access-key-id', 'typescript', ts, `AKIA${g(16, UPPER_DIGITS)}`)}";`,
    `const AWS_SECRET_ACCESS_KEY = "${plant('aws-secret-key', 'typescript', ts, g(40, B64.replace('+', '')), 'const AWS_SECRET_ACCESS_KEY = "[REDACTED:')}";`,
    `const githubToken = '${plant('github-token', 'typescript', ts, `ghp_${g(36)}`)}';`,
    `const slackBot = "${plant('slack-token', 'typescript', ts, `xoxb-${g(12, '0123456789')}-${g(13, '0123456789')}-${g(24)}`)}";`,
    `const stripe = "${plant('stripe-key', 'typescript', ts, `sk_live_${g(32)}`)}";`,
    `const anthropic = "${plant('anthropic-key', 'typescript', ts, `sk-ant-api03-${g(93, B64URL)}AA`)}";`,
    `const npmPublish = "${plant('npm-token', 'typescript', ts, `npm_${g(36)}`)}";`,
    `const gitlab = "${plant('gitlab-token', 'typescript', ts, `glpat-${g(20, B64URL)}`)}";`,
    `export const GOOGLE_MAPS_KEY = "${plant('google-api-key', 'typescript', ts, `AIza${g(35, B64URL)}`)}";`,
    `export const headers = { Authorization: "Bearer ${plant('jwt', 'typescript', ts, jwt(), 'Authorization: "Bearer [REDACTED:')}" };`,
    `export const app = { cookieSecret: "${plant('session-secret', 'typescript', ts, g(32, HEX), 'cookieSecret: "[REDACTED:')}" };`,
    `export const sess = session({ secret: '${plant('session-secret', 'typescript', ts, g(24))}', resave: false });`,
    `export const twilioKey = "${plant('twilio-key', 'typescript', ts, `SK${g(32, HEX)}`)}";`,
    `export const googleClient = { clientSecret: "${plant('google-oauth-secret', 'typescript', ts, `GOCSPX-${g(28, B64URL)}`)}" };`,
    `export const basic = { Authorization: 'Basic ${plant('basic-auth-header', 'typescript', ts, Buffer.from(`deploy:${password()}`).toString('base64'))}' };`,
    `export async function connect(api: { login(u: string, p: string): Promise<void> }) { await api.login("admin", "${plant('login-password', 'typescript', ts, password(), 'api.login("admin", "[REDACTED:')}"); }`,
    `export const signingKey = "-----BEGIN RSA PRIVATE KEY-----\\n${plant('private-key', 'typescript', ts, pemBody.replace(/\n/g, '\\n'))}\\n-----END RSA PRIVATE KEY-----\\n";`,
    '',
  ].join('\n');

  // Python: Django settings.
  const py = 'app/settings.py';
  files[py] = [
    'import os',
    'import requests',
    'import smtplib',
    `SECRET_KEY = 'django-insecure-${plant('django-secret-key', 'python', py, `${g(20, 'abcdefghijklmnopqrstuvwxyz0123456789')}${g(1, '!@#^&*-_=+')}${g(20, 'abcdefghijklmnopqrstuvwxyz0123456789')}`)}'`,
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'USER': 'app',",
    `                         'PASSWORD': '${plant('db-password', 'python', py, password())}'}}`,
    `SENDGRID_API_KEY = "${plant('sendgrid-key', 'python', py, `SG.${g(22, B64URL)}.${g(43, B64URL)}`)}"`,
    'def fetch(url):',
    `    return requests.get(url, auth=("admin", "${plant('basic-auth-password', 'python', py, password())}"))`,
    'def mail(msg):',
    '    s = smtplib.SMTP("smtp.example.com", 587)',
    `    s.login("alerts@example.com", "${plant('smtp-password', 'python', py, password())}")`,
    '',
  ].join('\n');

  // Go.
  const go = 'cmd/server/main.go';
  files[go] = [
    'package main',
    '',
    'import (',
    '\t"database/sql"',
    '\t"net/http"',
    '\t"net/smtp"',
    ')',
    '',
    `var jwtKey = []byte("${plant('jwt-signing-key', 'go', go, g(32))}")`,
    '',
    'func open() (*sql.DB, error) {',
    `\treturn sql.Open("postgres", "postgres://app:${plant('db-url-password', 'go', go, password().replace(/[@#%&?/]/g, 'x'))}@db.internal:5432/app?sslmode=require")`,
    '}',
    '',
    'func auth(req *http.Request) smtp.Auth {',
    `\treq.SetBasicAuth("deploy", "${plant('basic-auth-password', 'go', go, password())}")`,
    `\treturn smtp.PlainAuth("", "alerts@example.com", "${plant('smtp-password', 'go', go, password())}", "smtp.example.com")`,
    '}',
    '',
  ].join('\n');

  // Java.
  const java = 'src/main/java/com/acme/billing/Db.java';
  files[java] = [
    'package com.acme.billing;',
    '',
    'public class Db {',
    `    private static final String DB_PASSWORD = "${plant('db-password', 'java', java, password(), 'private static final String DB_PASSWORD = "[REDACTED:')}";`,
    `    static final String URL = "jdbc:sqlserver://db.internal:1433;databaseName=app;user=sa;password=${plant('connection-string-password', 'java', java, password().replace(/[;&"]/g, 'x'))};encrypt=true";`,
    '    Object creds() {',
    `        return new UsernamePasswordCredentials("svc-reports", "${plant('login-password', 'java', java, password())}");`,
    '    }',
    '}',
    '',
  ].join('\n');

  // JSON (.NET appsettings).
  const json = 'appsettings.json';
  const azureKey = `${g(86, B64)}==`;
  files[json] = `${JSON.stringify(
    {
      ConnectionStrings: {
        Db: `Server=tcp:db.example.net,1433;Database=app;User Id=sa;Password=${plant('connection-string-password', 'json', json, password().replace(/[;"\\]/g, 'x'))};`,
        Storage: `DefaultEndpointsProtocol=https;AccountName=appstore;AccountKey=${plant('azure-storage-key', 'json', json, azureKey)};EndpointSuffix=core.windows.net`,
      },
      Auth: { SampleToken: plant('jwt', 'json', json, jwt()), ApiKey: plant('api-key', 'json', json, g(32, HEX)) },
    },
    null,
    2,
  )}\n`;

  // .properties (Spring).
  const props = 'src/main/resources/application.properties';
  files[props] = [
    'spring.datasource.url=jdbc:postgresql://db.internal:5432/app',
    'spring.datasource.username=app',
    `db.password=${plant('db-password', 'properties', props, password(), 'db.password=[REDACTED:')}`,
    `spring.mail.password = ${plant('smtp-password', 'properties', props, password())}`,
    `jwt.secret=${plant('jwt-signing-key', 'properties', props, g(48))}`,
    '',
  ].join('\n');

  // .env.example.
  const env = '.env.example';
  files[env] = [
    'NODE_ENV=development',
    `DB_PASSWORD=${plant('db-password', 'env', env, password(), 'DB_PASSWORD=[REDACTED:')}`,
    `STRIPE_SECRET_KEY=${plant('stripe-key', 'env', env, `sk_live_${g(32)}`)}`,
    `SESSION_SECRET=${plant('session-secret', 'env', env, g(40, HEX))}`,
    'PORT=3000',
    '',
  ].join('\n');

  // YAML.
  const yaml = 'config/app.yaml';
  files[yaml] = [
    'database:',
    '  host: db.internal',
    `  password: ${plant('db-password', 'yaml', yaml, password().replace(/[#:]/g, 'x'), '  password: [REDACTED:')}`,
    `  api_token: "${plant('api-token', 'yaml', yaml, g(40))}"`,
    `redis_url: redis://:${plant('url-password', 'yaml', yaml, g(24))}@cache.internal:6379/0`,
    `secret_key_base: ${plant('rails-secret-key-base', 'yaml', yaml, g(128, HEX))}`,
    '',
  ].join('\n');

  // docker-compose.
  const compose = 'docker-compose.yml';
  files[compose] = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    environment:',
    `      - POSTGRES_PASSWORD=${plant('db-password', 'docker-compose', compose, password().replace(/[#:]/g, 'x'))}`,
    '',
  ].join('\n');

  // Terraform.
  const tf = 'infra/main.tf';
  files[tf] = [
    'provider "aws" {',
    '  region     = "eu-west-1"',
    `  secret_key = "${plant('aws-secret-key', 'terraform', tf, g(40, B64.replace('+', '')), 'secret_key = "[REDACTED:')}"`,
    '}',
    'resource "aws_db_instance" "main" {',
    '  username = "app"',
    `  password = "${plant('db-password', 'terraform', tf, password())}"`,
    '}',
    '',
  ].join('\n');

  // TOML.
  const toml = 'config.toml';
  files[toml] = ['[database]', `password = "${plant('db-password', 'toml', toml, password())}"`, '[github]', `token = "${plant('github-token', 'toml', toml, `ghp_${g(36)}`)}"`, ''].join('\n');

  // INI (MySQL client).
  const ini = 'deploy/my.cnf';
  files[ini] = ['[client]', 'user = backup', `password = ${plant('db-password', 'ini', ini, password().replace(/[#;]/g, 'x'))}`, ''].join('\n');

  // Shell.
  const sh = 'scripts/deploy.sh';
  files[sh] = [
    '#!/bin/sh',
    'set -eu',
    `export DB_PASSWORD=${plant('db-password', 'shell', sh, g(20), 'export DB_PASSWORD=[REDACTED:')}`,
    `curl -fsS -H "Authorization: Bearer ${plant('bearer-token', 'shell', sh, g(40, B64URL))}" https://api.example.com/deploy`,
    `mysql -u root --password=${plant('db-password', 'shell', sh, g(18))} app < schema.sql`,
    '',
  ].join('\n');

  // Dockerfile.
  const docker = 'Dockerfile';
  files[docker] = ['FROM node:20-slim', `ENV API_TOKEN=${plant('api-token', 'dockerfile', docker, g(32))}`, 'CMD ["node", "server.js"]', ''].join('\n');

  // Maven settings.xml.
  const xml = 'settings.xml';
  files[xml] = [
    '<settings>',
    '  <servers>',
    '    <server>',
    '      <id>releases</id>',
    '      <username>deploy</username>',
    `      <password>${plant('db-password', 'xml', xml, password().replace(/[<&]/g, 'x'))}</password>`,
    '    </server>',
    '  </servers>',
    '</settings>',
    '',
  ].join('\n');

  return { files, secrets };
}
