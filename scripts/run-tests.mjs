// Runs every test/**/*.test.ts with Node's own test runner (node --test), TypeScript loaded through tsx.
// Node 20's --test does not expand globs, so the file list is built here. Extra args are file filters.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    // test/vscode runs inside a real VS Code extension host (it imports `vscode`): npm run test:vscode.
    if (p === path.join('test', 'vscode')) continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.ts') && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
  }
})('test');
files.sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
