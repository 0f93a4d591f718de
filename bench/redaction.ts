/**
 * Over-redaction on real code: how many values the redaction step (src/core/redact.ts) replaces in
 * code that holds no real secrets, per rule, and what each one was, so a person can judge them.
 * Figures, not assertions.
 *
 *   node --import tsx bench/redaction.ts [--list] [--baseline <redact module>] [folder ...]
 *
 * Folders default to the README's main-job folders (node_modules/ajv/lib, node_modules/@anthropic-ai/sdk/src)
 * and, when /work/corpora (or $CORPORA) exists, the well-reviewed libraries of the quality benchmark
 * (fastify, koa, undici, httpx, click, rich, chi, mux, cobra, gson, jsoup, javapoet; repositories and
 * commits in that folder's SOURCES.tsv). Files are collected as a folder review collects them
 * (src/core/files.ts: .gitignore respected, sensitive files never read, configuration files included).
 * `--baseline` takes another module exporting `redactSecrets` (for example `git show
 * <old>:src/core/redact.ts > /tmp/redact-old.ts`) and prints its figures beside. `--list` prints every
 * redaction: file:line, rule, and the line as it would be sent.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { collectFiles } from '../src/core/files';
import { redactSecrets, type RedactionResult } from '../src/core/redact';

type Redact = (text: string, filePath: string) => Promise<RedactionResult>;

const repo = path.resolve(__dirname, '..');
const corpora = process.env.CORPORA ?? '/work/corpora';
const LIBRARIES = ['fastify', 'koa', 'undici', 'httpx', 'click', 'rich', 'chi', 'mux', 'cobra', 'gson', 'jsoup', 'javapoet'];

interface Tally {
  files: number;
  bytes: number;
  count: number;
  filesWithRedactions: number;
  byRule: Map<string, number>;
  ms: number;
  listed: string[];
}

async function tally(folder: string, redact: Redact, list: boolean): Promise<Tally> {
  const root = path.isAbsolute(folder) ? folder : repo;
  const rel = path.isAbsolute(folder) ? '.' : folder;
  const { files } = await collectFiles(root, [rel], { maxFiles: 20_000 });
  const t: Tally = { files: 0, bytes: 0, count: 0, filesWithRedactions: 0, byRule: new Map(), ms: 0, listed: [] };
  for (const f of files) {
    const text = await readFile(f.absPath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    t.files++;
    t.bytes += Buffer.byteLength(text);
    const t0 = performance.now();
    const r = await redact(text, f.path);
    t.ms += performance.now() - t0;
    if (r.count === 0) continue;
    t.count += r.count;
    t.filesWithRedactions++;
    const lines = r.text.split('\n');
    for (const [i, line] of lines.entries()) {
      for (const m of line.matchAll(/\[REDACTED:([a-z0-9*-]+)\]/g)) {
        t.byRule.set(m[1]!, (t.byRule.get(m[1]!) ?? 0) + 1);
        if (list) t.listed.push(`  ${f.path}:${i + 1} [${m[1]}] ${line.trim().slice(0, 160)}`);
      }
    }
  }
  return t;
}

function rules(t: Tally): string {
  return [...t.byRule].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ') || '-';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const bi = args.indexOf('--baseline');
  const baselinePath = bi >= 0 ? args[bi + 1] : undefined;
  const folders = args.filter((a, i) => !a.startsWith('--') && (bi < 0 || i !== bi + 1));
  const targets = folders.length
    ? folders
    : ['node_modules/ajv/lib', 'node_modules/@anthropic-ai/sdk/src', ...LIBRARIES.map((l) => path.join(corpora, l)).filter((p) => existsSync(p))];
  const baseline: Redact | undefined = baselinePath ? ((await import(path.resolve(baselinePath))) as { redactSecrets: Redact }).redactSecrets : undefined;

  console.log(`redaction on real code (node ${process.version})${baseline ? `; baseline ${baselinePath}` : ''}`);
  console.log(`target | files | KB | redactions | files with one | per rule | ms${baseline ? ' | baseline redactions | baseline per rule' : ''}`);
  const total = { files: 0, bytes: 0, count: 0, base: 0 };
  for (const folder of targets) {
    const t = await tally(folder, redactSecrets, list);
    const b = baseline ? await tally(folder, baseline, false) : undefined;
    total.files += t.files;
    total.bytes += t.bytes;
    total.count += t.count;
    total.base += b?.count ?? 0;
    const name = path.isAbsolute(folder) ? path.basename(folder) : folder;
    console.log(`${name} | ${t.files} | ${(t.bytes / 1024).toFixed(0)} | ${t.count} | ${t.filesWithRedactions} | ${rules(t)} | ${t.ms.toFixed(0)}${b ? ` | ${b.count} | ${rules(b)}` : ''}`);
    for (const l of t.listed) console.log(l);
  }
  const mb = total.bytes / (1024 * 1024);
  console.log(`total: ${total.files} files, ${mb.toFixed(1)} MiB, ${total.count} redactions (${(total.count / mb).toFixed(1)} per MiB)${baseline ? `; baseline ${total.base}` : ''}`);
}

void main();
