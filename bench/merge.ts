// Merge benchmark: mergeFindings (src/core/merge.ts) on 1,000 to 20,000 findings, two shapes:
// - "team": 5 personas over 400 files and 25 categories, each persona reporting about the same places
//   (many merges, a few findings per file and category), as a team review of a large folder gives;
// - "one file": every finding in one file and one category on distinct, non-overlapping lines (nothing
//   merges: the case the old quadratic search was slowest on).
// Deterministic (a fixed-seed PRNG). Prints CPU milliseconds per run (process.cpuUsage, user + system;
// median of 5 runs, 3 for the largest sizes: wall time on a shared machine measures the neighbours too) and
// the growth ratio from one size to the next (about 2.2 for n log n when n doubles, 4 for quadratic work).
// Run: node --import tsx bench/merge.ts
import { mergeFindings } from '../src/core/merge';
import type { Finding, Severity } from '../src/core/types';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEV: Severity[] = ['critical', 'high', 'medium', 'low'];

function base(i: number, file: string, category: string, line: number, persona: string, sev: Severity): Finding {
  return {
    id: '',
    personaIds: [persona],
    file,
    range: { startLine: line, endLine: line + 1 },
    quote: `line ${line}`,
    severity: sev,
    category,
    title: `t${i}`,
    message: 'm',
    references: [`CWE-${i % 50}`],
    confidence: 0.5,
    fingerprint: `${file}:${category}:${line}`,
  };
}

function team(n: number, seed: number): Finding[] {
  const r = rng(seed);
  const out: Finding[] = [];
  const places = Math.ceil(n / 3);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(r() * places);
    const file = `src/f${p % 400}.ts`;
    const category = `c${p % 25}`;
    const line = 1 + ((p * 7) % 5000) + Math.floor(r() * 2);
    out.push(base(i, file, category, line, `p${i % 5}`, SEV[Math.floor(r() * 4)]!));
  }
  return out;
}

function oneFile(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => base(i, 'src/big.ts', 'naming', 1 + i * 3, 'p0', SEV[i % 4]!));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(make: () => Finding[], runs: number): { ms: number; merged: number } {
  const times: number[] = [];
  let merged = 0;
  for (let i = 0; i < runs; i++) {
    const input = make();
    const t = process.cpuUsage();
    merged = mergeFindings(input).length;
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  return { ms: median(times), merged };
}

const sizes = [1_000, 2_000, 5_000, 10_000, 20_000];
for (const [name, make] of [['team', (n: number) => team(n, 42)], ['one file', oneFile]] as const) {
  let prev: { n: number; ms: number } | undefined;
  for (const n of sizes) {
    const { ms, merged } = time(() => make(n), n >= 10_000 ? 3 : 5);
    const growth = prev ? `  ×${(ms / prev.ms).toFixed(1)} for ×${(n / prev.n).toFixed(1)} findings` : '';
    console.log(`${name.padEnd(9)} ${String(n).padStart(6)} findings → ${String(merged).padStart(6)} merged: ${ms.toFixed(1).padStart(8)} ms CPU${growth}`);
    prev = { n, ms };
  }
}
