// One esbuild script, one entry per bundle (STYLE.md "Build and checks", after vscode-eslint's esbuild.js).
// Flags: --watch rebuilds on change, --production minifies and drops source maps, --quiet prints nothing on success.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const quiet = args.has('--quiet');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const out = path.join(root, 'dist');

/** Bundles that exist in this checkout (the extension and server entries arrive with their issues). */
const entries = [
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  // `persona-review-server --stdio` (package.json bin) runs this file directly.
  { in: 'src/server/main.ts', out: 'server', banner: '#!/usr/bin/env node' },
  { in: 'src/extension/main.ts', out: 'extension', external: ['vscode'] },
  // The review panel's script runs in the webview (a browser), so it is an IIFE, not CommonJS.
  { in: 'media/panel.ts', out: 'webview', platform: 'browser' },
].filter((e) => existsSync(path.join(root, e.in)));

/** The tree-sitter runtime and grammars are WebAssembly files loaded at run time; ship them beside the bundles. */
function copyAssets() {
  const grammars = path.join(out, 'grammars');
  mkdirSync(grammars, { recursive: true });
  const wasmDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-javascript.wasm'));
  for (const lang of ['javascript', 'typescript', 'tsx', 'python', 'go', 'java']) {
    cpSync(path.join(wasmDir, `tree-sitter-${lang}.wasm`), path.join(grammars, `tree-sitter-${lang}.wasm`));
  }
  cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  // The webview may load files from media/ only (localResourceRoots), and node_modules is not shipped:
  // copy the codicon font and its stylesheet there (media/codicons/ is git-ignored, shipped in the .vsix).
  const codicons = path.join(root, 'media', 'codicons');
  mkdirSync(codicons, { recursive: true });
  const codiconDist = path.dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(path.join(codiconDist, f), path.join(codicons, f));
}

const options = (e) => e.platform === 'browser' ? browserOptions(e) : ({
  entryPoints: { [e.out]: path.join(root, e.in) },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: e.external ?? [],
  // ESM dependencies (web-tree-sitter) read import.meta.url, which a CJS bundle lacks: give them this file's URL.
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: `${e.banner ? e.banner + '\n' : ''}const __bundleFileUrl = require('url').pathToFileURL(__filename).href;` },
  logLevel: quiet ? 'error' : 'info',
});

/** The webview bundle: inlined into the panel's page by the host (see src/extension/panel.ts), so no source map. */
const browserOptions = (e) => ({
  entryPoints: { [e.out]: path.join(root, e.in) },
  outdir: out,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: false,
  minify: production,
  logLevel: quiet ? 'error' : 'info',
});

if (!watch) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyAssets();
if (watch) {
  for (const e of entries) await (await esbuild.context(options(e))).watch();
  if (!quiet) console.log('[watch] build started');
} else {
  await Promise.all(entries.map((e) => esbuild.build(options(e))));
}
