// `npm run package`: builds the .vsix with @vscode/vsce (offline; its vscode:prepublish step type-checks, lints
// and builds the production bundles) and checks what it ships: the bundles, personas and media, and no
// sources, tests or node_modules (.vscodeignore decides; this check makes a mistake there fail CI).
// Usage: node scripts/vscode-test/package.mjs [--out <file.vsix>]   (default .vscode-test/persona-review.vsix)
//        node scripts/vscode-test/package.mjs --check <file.vsix>   (only check an existing package)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const checkOnly = option('--check');
const out = path.resolve(checkOnly ?? option('--out') ?? path.join(repo, '.vscode-test/persona-review.vsix'));

const t0 = Date.now();
if (!checkOnly) {
  mkdirSync(path.dirname(out), { recursive: true });
  const vsce = path.join(repo, 'node_modules/@vscode/vsce/vsce');
  // --no-dependencies: the bundles in dist/ carry their dependencies, so node_modules is not shipped.
  // --no-rewrite-relative-links: the repository is not on GitHub/GitLab, so vsce cannot turn the README's
  // relative image links (media/screenshots/*.png) into absolute ones and would refuse to package; left
  // relative, they resolve inside the installed extension.
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[package] vsce package failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/**
 * Names of the entries of a zip file, read from its central directory (PKWARE APPNOTE 4.3.12 and 4.3.16:
 * end-of-central-directory record 0x06054b50, central file headers 0x02014b50).
 */
function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const names = zipEntries(out);
const problems = [];
// package.nls.json and the l10n bundle hold the text of package.json's %keys% and the extension's messages; the
// walkthrough's step media are markdown files.
for (const must of ['extension/package.json', 'extension/package.nls.json', 'extension/l10n/bundle.l10n.json', 'extension/media/walkthrough/provider.md', 'extension/dist/extension.js', 'extension/dist/server.js']) {
  if (!names.includes(must)) problems.push(`missing ${must}`);
}
for (const dir of ['extension/personas/', 'extension/media/']) {
  if (!names.some((n) => n.startsWith(dir))) problems.push(`nothing under ${dir}`);
}
for (const dir of ['extension/src/', 'extension/test/', 'extension/node_modules/', 'extension/out/', 'extension/.vscode-test/', 'extension/bench/']) {
  const found = names.filter((n) => n.startsWith(dir));
  if (found.length) problems.push(`ships ${found.length} file(s) under ${dir} (e.g. ${found[0]}); exclude them in .vscodeignore`);
}
const kb = Math.round(statSync(out).size / 1024);
const top = [...new Set(names.map((n) => n.split('/').slice(0, 2).join('/')))].sort();
console.log(`[package] ${out}: ${names.length} files, ${kb} KB, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`[package] contents: ${top.join(', ')}`);
if (problems.length) {
  for (const p of problems) console.error(`[package] ${p}`);
  process.exit(1);
}
console.log('[package] ok: bundles, personas and media shipped; no sources, tests or node_modules');
