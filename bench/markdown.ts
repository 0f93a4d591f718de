// Markdown sanitiser benchmark (src/shared/markdownSafety.ts): CPU time of sanitising one line of `[a](`
// repeated, the adversarial input of issue 11, from 1 KB to 64 KB (64 KB fits in 16,384 output tokens), and
// of streaming a 64 KB reply through SafeMarkdownStream in 20-character deltas. Also `![x](` and `[`
// repeated. Prints CPU ms (process.cpuUsage, median of 3) and the growth ratio from one size to the next
// (2 for linear work when the size doubles, 4 for quadratic, 8 for cubic).
// Where the regex sanitiser it replaces still exists (src/extension/chatPrompts.ts `sanitizeMarkdown`), its
// figures are printed too, up to 4 KB (it is cubic: minutes at 32 KB).
// Run: npm run bench:markdown
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SafeMarkdownStream, sanitizeMarkdown } from '../src/shared/markdownSafety';

function cpuMs(fn: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function series(name: string, unit: string, sizes: number[], sanitize: (s: string) => string): void {
  let prev: number | undefined;
  for (const kb of sizes) {
    const input = unit.repeat(Math.ceil((kb * 1024) / unit.length)).slice(0, kb * 1024);
    const ms = cpuMs(() => void sanitize(input), kb >= 16 ? 1 : 3);
    const growth = prev !== undefined && prev > 0 ? `  ×${(ms / prev).toFixed(1)} for ×2 size` : '';
    console.log(`${name.padEnd(22)} ${String(kb).padStart(3)} KB: ${ms.toFixed(1).padStart(9)} ms CPU${growth}`);
    prev = ms;
  }
}

async function main(): Promise<void> {
  const sizes = [1, 2, 4, 8, 16, 32, 64];
  series('markdownSafety [a](', '[a](', sizes, sanitizeMarkdown);
  series('markdownSafety ![x](', '![x](', sizes, sanitizeMarkdown);
  series('markdownSafety [', '[', sizes, sanitizeMarkdown);
  const reply = ('## Finding\n\nThe `id` reaches **the query**; see [CWE-89](https://cwe.mitre.org/data/definitions/89.html) and ![x](https://evil.example/p.png).\n\n- one\n- two\n\n```ts\nconst a = 1;\n```\n\n').repeat(400).slice(0, 64 * 1024);
  const streamMs = cpuMs(() => {
    const s = new SafeMarkdownStream();
    for (let i = 0; i < reply.length; i += 20) s.push(reply.slice(i, i + 20));
    s.end();
  });
  console.log(`SafeMarkdownStream, a 64 KB reply in 20-character deltas: ${streamMs.toFixed(1)} ms CPU (whole text at once: ${cpuMs(() => void sanitizeMarkdown(reply)).toFixed(1)} ms)`);
  const old = path.resolve(__dirname, '../src/extension/chatPrompts.ts');
  if (fs.existsSync(old) && /export function sanitizeMarkdown/.test(fs.readFileSync(old, 'utf8'))) {
    const mod = (await import(old)) as { sanitizeMarkdown: (s: string) => string };
    series('old regex [a](', '[a](', [1, 2, 4], mod.sanitizeMarkdown);
  }
}

void main();
