/**
 * The anchors: established open-source checkers run on the same files as our reviewer, so its figures
 * can be read beside theirs. ESLint 9 with eslint-plugin-security and eslint-plugin-sonarjs (their
 * `recommended` configs, through bench/quality/eslint.config.mjs, never the project's own config) on
 * JavaScript/TypeScript; bandit (Debian's python3-bandit) on Python. Go and Java have no anchor here.
 *
 * Their rule ids are mapped to CWE numbers by what the rule detects (tables below, with the rule's own
 * documentation as the source), so their findings are matched against the truth exactly as ours are.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QUALITY_DIR } from './corpora';
import type { BenchFinding } from './score';

/**
 * eslint-plugin-security rules → CWE (rule docs: github.com/eslint-community/eslint-plugin-security/docs/rules).
 * detect-object-injection is "generic object injection sink" (prototype pollution, CWE-1321);
 * detect-non-literal-require loads code by a computed name (CWE-829).
 */
export const ESLINT_SECURITY_CWE: Readonly<Record<string, number>> = {
  'detect-child-process': 78,
  'detect-disable-mustache-escape': 79,
  'detect-eval-with-expression': 95,
  'detect-no-csrf-before-method-override': 352,
  'detect-non-literal-fs-filename': 22,
  'detect-non-literal-regexp': 1333,
  'detect-unsafe-regex': 1333,
  'detect-non-literal-require': 829,
  'detect-object-injection': 1321,
  'detect-possible-timing-attacks': 208,
  'detect-pseudoRandomBytes': 338,
  'detect-buffer-noassert': 119,
  'detect-new-buffer': 119,
  'detect-bidi-characters': 1007,
  'detect-invisible-characters': 1007,
};

/** eslint-plugin-sonarjs security rules → CWE (each rule's RSPEC page lists its CWE). Rules not listed are code-quality rules. */
export const ESLINT_SONARJS_CWE: Readonly<Record<string, number>> = {
  'code-eval': 95,
  'os-command': 78,
  'no-os-command-from-path': 426,
  'sql-queries': 89,
  hashing: 328,
  'encryption-secure-mode': 327,
  'no-weak-cipher': 327,
  'no-weak-keys': 326,
  'weak-ssl': 327,
  'insecure-cookie': 614,
  'cookie-no-httponly': 1004,
  'pseudo-random': 338,
  'no-hardcoded-passwords': 798,
  'no-hardcoded-secrets': 798,
  'hardcoded-secret-signatures': 798,
  'insecure-jwt-token': 347,
  csrf: 352,
  'slow-regex': 1333,
  'unverified-certificate': 295,
  'unverified-hostname': 297,
  'no-clear-text-protocols': 319,
  'disabled-auto-escaping': 79,
  'dynamically-constructed-templates': 1336,
  'x-powered-by': 200,
  'session-regeneration': 384,
  cors: 942,
  'file-uploads': 434,
  'publicly-writable-directories': 377,
  'file-permissions': 732,
  'disabled-resource-integrity': 353,
  'no-unsafe-unzip': 409,
  'xml-parser-xxe': 611,
  'content-security-policy': 693,
  'strict-transport-security': 693,
  'no-referrer-policy': 693,
  'no-mime-sniff': 693,
  'frame-ancestors': 1021,
  'production-debug': 489,
  'confidential-information-logging': 532,
  'link-with-target-blank': 1022,
  'post-message': 345,
  'no-angular-bypass-sanitization': 79,
  'aws-s3-bucket-insecure-http': 319,
};

/**
 * bandit test ids → CWE, by what each test detects (bandit docs, "Test plugins" and "Blacklist calls/imports").
 * Where bandit's own later versions attach a looser CWE, the table follows the finding's meaning:
 * B303/B324 (md5, sha1) are weak hashes (328), B307 `eval` is eval injection (95), B506 `yaml.load` is unsafe
 * deserialization (502), B310 `urlopen` of a variable URL is SSRF (918), the xml parsers are XXE (611).
 */
export const BANDIT_CWE: Readonly<Record<string, number>> = {
  B102: 95, // exec
  B103: 732,
  B104: 605,
  B105: 259,
  B106: 259,
  B107: 259,
  B108: 377,
  B201: 94, // Flask debug=True: the Werkzeug debugger runs code
  B301: 502,
  B302: 502,
  B303: 328,
  B304: 327,
  B305: 327,
  B306: 377,
  B307: 95,
  B308: 79,
  B309: 295,
  B310: 918,
  B311: 330,
  B312: 319,
  B313: 611,
  B314: 611,
  B315: 611,
  B316: 611,
  B317: 611,
  B318: 611,
  B319: 611,
  B320: 611,
  B321: 319,
  B322: 78, // input() on Python 2
  B323: 295,
  B324: 328,
  B401: 319,
  B402: 319,
  B403: 502,
  B404: 78,
  B405: 611,
  B406: 611,
  B407: 611,
  B408: 611,
  B409: 611,
  B410: 611,
  B411: 611,
  B412: 94,
  B413: 327,
  B501: 295,
  B502: 327,
  B503: 327,
  B504: 327,
  B505: 326,
  B506: 502,
  B507: 295,
  B601: 78,
  B602: 78,
  B603: 78,
  B604: 78,
  B605: 78,
  B606: 78,
  B607: 78,
  B608: 89,
  B609: 78,
  B610: 89,
  B611: 89,
  B701: 79,
  B702: 79,
  B703: 79,
};

/** Source lines `start..end` (1-based) of a file, joined; '' when unreadable. */
function quoteOf(lines: string[] | undefined, start: number, end: number): string {
  return lines ? lines.slice(start - 1, end).join('\n') : '';
}

/** Runs a command and collects its stdout; resolves with the exit code (never rejects on a non-zero exit). */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The benchmark's own ESLint config (security + sonarjs recommended), never the project's. */
export const ESLINT_CONFIG = path.join(QUALITY_DIR, 'eslint.config.mjs');
/** The same with eslint-plugin-security only (the speed comparison of the issue). */
export const ESLINT_SECURITY_ONLY_CONFIG = path.join(QUALITY_DIR, 'eslint.security.config.mjs');

/** Path of the eslint CLI of this repository's node_modules. */
export function eslintBin(): string {
  return path.join(QUALITY_DIR, '..', '..', 'node_modules', 'eslint', 'bin', 'eslint.js');
}

/**
 * ESLint findings on `files` (corpus-relative) of `root`. Rule ids become `eslint/security/<rule>` and
 * `eslint/sonarjs/<rule>`; a finding with a CWE is given persona `security`, others `quality`. Parse
 * errors (a file ESLint cannot read) are counted, not reported as findings.
 */
export async function runEslint(root: string, files: string[], config = ESLINT_CONFIG): Promise<{ findings: BenchFinding[]; parseErrors: number; ms: number }> {
  const t0 = performance.now();
  const findings: BenchFinding[] = [];
  let parseErrors = 0;
  // Batches keep the command line short on big corpora.
  for (let i = 0; i < files.length; i += 400) {
    const batch = files.slice(i, i + 400);
    const r = await run(process.execPath, [eslintBin(), '--no-config-lookup', '-c', config, '--no-inline-config', '--no-warn-ignored', '--format', 'json', ...batch], root);
    if (!r.stdout.trim().startsWith('[')) throw new Error(`eslint failed in ${root} (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; endLine?: number; message: string; fatal?: boolean }> }>;
    for (const res of results) {
      const file = path.relative(root, res.filePath).split(path.sep).join('/');
      let lines: string[] | undefined;
      for (const m of res.messages) {
        if (m.fatal || !m.ruleId) {
          parseErrors++;
          continue;
        }
        const [plugin, rule] = m.ruleId.includes('/') ? (m.ruleId.split('/') as [string, string]) : ['core', m.ruleId];
        const cwe = plugin === 'security' ? ESLINT_SECURITY_CWE[rule] : plugin === 'sonarjs' ? ESLINT_SONARJS_CWE[rule] : undefined;
        lines ??= safeLines(res.filePath);
        const endLine = m.endLine ?? m.line;
        findings.push({ tool: 'eslint', ruleId: `eslint/${plugin}/${rule}`, personaIds: [cwe ? 'security' : 'quality'], file, startLine: m.line, endLine, cwes: cwe ? [cwe] : [], quote: quoteOf(lines, m.line, endLine) });
      }
    }
  }
  return { findings, parseErrors, ms: performance.now() - t0 };
}

function safeLines(abs: string): string[] | undefined {
  try {
    return fs.readFileSync(abs, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

/** True when the `bandit` command exists. */
export async function banditAvailable(): Promise<boolean> {
  try {
    return (await run('bandit', ['--version'], process.cwd())).code === 0;
  } catch {
    return false;
  }
}

/**
 * bandit findings on `files` (corpus-relative) of `root`, all severities and confidences (bandit's
 * default). Rule ids become `bandit/<test id>`; persona `security`.
 */
export async function runBandit(root: string, files: string[]): Promise<{ findings: BenchFinding[]; parseErrors: number; ms: number }> {
  const t0 = performance.now();
  const findings: BenchFinding[] = [];
  let parseErrors = 0;
  for (let i = 0; i < files.length; i += 400) {
    const batch = files.slice(i, i + 400);
    const r = await run('bandit', ['-q', '-f', 'json', ...batch], root);
    const start = r.stdout.indexOf('{');
    if (start < 0) throw new Error(`bandit failed in ${root} (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    const out = JSON.parse(r.stdout.slice(start)) as { errors: unknown[]; results: Array<{ test_id: string; filename: string; line_number: number; line_range: number[]; code: string }> };
    parseErrors += out.errors.length;
    for (const x of out.results) {
      const file = path.relative(root, path.resolve(root, x.filename)).split(path.sep).join('/');
      const startLine = x.line_number;
      const endLine = Math.max(startLine, ...x.line_range);
      const cwe = BANDIT_CWE[x.test_id];
      findings.push({ tool: 'bandit', ruleId: `bandit/${x.test_id}`, personaIds: ['security'], file, startLine, endLine, cwes: cwe ? [cwe] : [], quote: quoteOf(safeLines(path.join(root, file)), startLine, endLine) });
    }
  }
  return { findings, parseErrors, ms: performance.now() - t0 };
}

/** Runs a command, for the wall-time comparison; resolves with its wall time in ms (throws on a non-zero exit other than 1). */
export async function timeCommand(cmd: string, args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  const r = await run(cmd, args, cwd);
  if (r.code > 1) throw new Error(`${path.basename(args[0] ?? cmd)} exited ${r.code}: ${r.stderr.slice(0, 300)}`);
  return performance.now() - t0;
}
