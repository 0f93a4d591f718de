/**
 * Offline provider throughput on real third-party sources installed under node_modules.
 * Prints files/s and KB/s for a 1-persona and an all-persona review of each package, and the ratio
 * between them (how much the shared parse saves). Figures, not assertions: machines here are shared.
 *
 *   node --import tsx bench/offline-throughput.ts [package-dir ...]
 */
import * as path from 'node:path';
import { review } from '../src/core/engine';
import { OfflineProvider } from '../src/core/offline/provider';
import { builtinPersonaDir, loadPersonas } from '../src/core/personas';

const root = path.resolve(__dirname, '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['node_modules/yaml/dist', 'node_modules/ajv/lib', 'node_modules/@anthropic-ai/sdk/src'];

async function main() {
  const { personas } = await loadPersonas([builtinPersonaDir()]);
  const reviewing = personas.filter((p) => p.reviews);
  const security = reviewing.filter((p) => p.id === 'security');
  console.log(`offline provider throughput (node ${process.version}, ${reviewing.length} reviewing personas)`);
  console.log('target | personas | files | KB | ms | files/s | KB/s | findings');
  for (const t of targets) {
    const rows: number[] = [];
    for (const set of [security, reviewing]) {
      // Warm-up once per target so grammar loading is not counted.
      if (set === security) await review({ kind: 'paths', root, paths: [t] }, { provider: new OfflineProvider(), personas: set });
      const t0 = performance.now();
      const r = await review({ kind: 'paths', root, paths: [t] }, { provider: new OfflineProvider(), personas: set, concurrency: 4 });
      const ms = performance.now() - t0;
      // Context is rebuilt inside review(); its size is the sum of reviewed file texts.
      const kb = r.filesReviewed ? (await sizeKb(root, t)) : 0;
      rows.push(ms);
      console.log(`${t} | ${set.length} | ${r.filesReviewed} | ${kb.toFixed(0)} | ${ms.toFixed(0)} | ${(r.filesReviewed / (ms / 1000)).toFixed(1)} | ${(kb / (ms / 1000)).toFixed(0)} | ${r.findings.length}`);
    }
    const { buildContext } = await import('../src/core/context');
    const c0 = performance.now();
    await buildContext({ kind: 'paths', root, paths: [t] }, { unlimited: true });
    const ctxMs = performance.now() - c0;
    console.log(`${t}: all personas took ${(rows[1]! / rows[0]!).toFixed(2)}x the time of one persona; context build (read, redact, number) alone: ${ctxMs.toFixed(0)} ms`);
  }
}

async function sizeKb(rootDir: string, target: string): Promise<number> {
  const { collectFiles } = await import('../src/core/files');
  const fs = await import('node:fs');
  const { files } = await collectFiles(rootDir, [target]);
  return files.reduce((n, f) => n + fs.statSync(f.absPath).size, 0) / 1024;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
