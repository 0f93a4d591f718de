/**
 * A private bundle of the CLI for end-to-end tests, built as scripts/build.mjs builds dist/cli.js: other
 * test files rebuild dist/ while a test runs. It sits under the repository (`.tmp/<tag>-<pid>/cli.js`) so
 * personas/ and node_modules/ (grammars) are found as they are from dist/.
 */
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');

/** Bundles src/cli/main.ts to `.tmp/<tag>-<pid>/cli.js` and returns its path; remove it with {@link removeCliBundle}. */
export async function bundleCli(tag: string): Promise<string> {
  const cli = path.join(repo, '.tmp', `${tag}-${process.pid}`, 'cli.js');
  await build({
    entryPoints: [path.join(repo, 'src/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('url').pathToFileURL(__filename).href;" },
  });
  return cli;
}

/** Deletes the folder of a bundle made by {@link bundleCli}. */
export function removeCliBundle(cli: string): void {
  fs.rmSync(path.dirname(cli), { recursive: true, force: true });
}

/**
 * Runs the bundled CLI in `cwd` with `args`; resolves with its exit code and output, never rejects. The
 * environment has no API key or endpoint unless `env` gives them.
 */
export function runCli(cli: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.ANTHROPIC_API_KEY) delete full.ANTHROPIC_API_KEY;
  if (!env.ANTHROPIC_BASE_URL) delete full.ANTHROPIC_BASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: full, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
