/**
 * `npm run test:electron`: the same extension-host suites (test/vscode/suite/*.ts through
 * test/vscode/host/index.ts) under @vscode/test-electron, the runner VS Code's own docs use: it downloads a
 * desktop VS Code from update.code.visualstudio.com and starts it with the extension under development.
 *
 * It cannot run on machines without access to Microsoft's download servers (such as the ones this project
 * is built on: see ../shared/TESTING.md); there it stops with a message saying so. `npm run test:vscode`
 * (code-server + chromium) runs the same suites anywhere the npm registry and Debian are reachable.
 *
 * @vscode/test-electron is not a dependency of the project: on first use it is installed with
 * `npm install --no-save` into `<VSCODE_TEST_ROOT>/electron` (default `.vscode-test/electron`), outside the
 * project's node_modules. Desktop VS Code needs a display: on a headless Linux use `xvfb-run -a npm run test:electron`.
 *
 * Environment: VSCODE_TEST_ROOT (default `<repo>/.vscode-test`); VSCODE_TEST_VERSION (`stable`, `insiders` or
 * a version such as `1.95.0`; default `stable`); VSCODE_EXECUTABLE (an installed VS Code to use instead of a
 * download); PERSONA_REVIEW_TEST_FILTER (test names); VSCODE_TEST_EXTENSION and VSCODE_TEST_SUITES (another
 * extension folder and suites folder, as runner.ts's --extension and --suites).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BASE_SETTINGS, REPO, buildExtension, buildHostTests, say, startFakeApi } from './harness';

/** The part of @vscode/test-electron's `runTests` options used here (its README, "Usage"). */
interface RunTestsOptions {
  version?: string;
  vscodeExecutablePath?: string;
  cachePath?: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  extensionTestsEnv?: Record<string, string | undefined>;
  launchArgs?: string[];
}
type RunTests = (o: RunTestsOptions) => Promise<number>;

const ROOT = path.resolve(process.env.VSCODE_TEST_ROOT ?? path.join(REPO, '.vscode-test'));
const PREFIX = path.join(ROOT, 'electron');

/**
 * Loads @vscode/test-electron from `.vscode-test/electron`, installing it there first when missing.
 * @throws Error with what to do when npm cannot install it.
 */
function loadTestElectron(): RunTests {
  const req = createRequire(path.join(PREFIX, 'node_modules', 'noop.js'));
  const resolve = () => {
    try {
      return req.resolve('@vscode/test-electron');
    } catch {
      return undefined;
    }
  };
  if (!resolve()) {
    say(`installing @vscode/test-electron into ${PREFIX} (npm install --no-save; the project's node_modules is not touched)`);
    mkdirSync(PREFIX, { recursive: true });
    const r = spawnSync('npm', ['install', '--prefix', PREFIX, '--no-save', '--no-package-lock', '--loglevel=error', '@vscode/test-electron'], { stdio: 'inherit' });
    if (r.status !== 0 || !resolve()) {
      throw new Error('could not install @vscode/test-electron from the npm registry (see npm output above); run `npm install --no-save @vscode/test-electron` yourself or use `npm run test:vscode`');
    }
  }
  return (req('@vscode/test-electron') as { runTests: RunTests }).runTests;
}

/** Turns a download failure into a message saying what it means. */
function explain(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|update\.code\.visualstudio\.com|Failed to get|download/i.test(text)) {
    return (
      `@vscode/test-electron could not download VS Code (${text.split('\n')[0]}). This machine cannot reach ` +
      'update.code.visualstudio.com, so test:electron cannot run here. Run `npm run test:vscode` (code-server + chromium) ' +
      'instead, or point VSCODE_EXECUTABLE at an installed VS Code.'
    );
  }
  return text;
}

async function main(): Promise<number> {
  const runTests = loadTestElectron();
  const extension = path.resolve(process.env.VSCODE_TEST_EXTENSION ?? REPO);
  if (extension === REPO) buildExtension();
  const hostEntry = await buildHostTests(path.resolve(process.env.VSCODE_TEST_SUITES ?? path.join(REPO, 'test/vscode/suite')), path.join(REPO, 'out/vscode-tests'));
  const fake = await startFakeApi();
  say(`fake Anthropic API at ${fake.url} (control ${fake.controlUrl})`);
  let failed = 0;
  try {
    mkdirSync(path.join(ROOT, 'run'), { recursive: true });
    for (const restricted of [false, true]) {
      const dir = mkdtempSync(path.join(ROOT, 'run', `electron-${restricted ? 'restricted' : 'host'}-`));
      const workspace = path.join(dir, 'workspace');
      cpSync(path.join(REPO, 'test/vscode/workspace'), workspace, { recursive: true });
      mkdirSync(path.join(dir, 'user-data/User'), { recursive: true });
      writeFileSync(path.join(dir, 'user-data/User/settings.json'), JSON.stringify({ ...BASE_SETTINGS, 'personaReview.baseURL': fake.url }, null, 2));
      say(`${restricted ? 'Restricted Mode' : 'trusted'} session in ${dir}`);
      try {
        const code = await runTests({
          ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_TEST_VERSION ?? 'stable' }),
          cachePath: path.join(ROOT, 'electron-cache'),
          extensionDevelopmentPath: extension,
          extensionTestsPath: hostEntry,
          extensionTestsEnv: {
            PERSONA_REVIEW_TEST: '1',
            FAKE_ANTHROPIC_URL: fake.url,
            FAKE_ANTHROPIC_CONTROL_URL: fake.controlUrl,
            ...(restricted ? { PERSONA_REVIEW_RESTRICTED: '1' } : {}),
            ...(process.env.PERSONA_REVIEW_TEST_FILTER ? { PERSONA_REVIEW_TEST_FILTER: process.env.PERSONA_REVIEW_TEST_FILTER } : {}),
          },
          launchArgs: [
            workspace,
            '--user-data-dir', path.join(dir, 'user-data'),
            '--extensions-dir', path.join(dir, 'extensions'),
            '--disable-extensions',
            ...(restricted ? [] : ['--disable-workspace-trust']),
          ],
        });
        if (code !== 0) failed++;
        else rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        // runTests rejects with the exit code (a number) when the tests fail, or an Error when VS Code cannot start.
        if (typeof err === 'number' || /^Test run (failed|terminated)/.test(err instanceof Error ? err.message : String(err))) {
          failed++;
          continue;
        }
        rmSync(dir, { recursive: true, force: true });
        throw new Error(explain(err));
      }
    }
  } finally {
    await fake.close();
  }
  say(failed ? `${failed} of 2 sessions failed` : '2 of 2 sessions passed');
  return failed ? 1 : 0;
}

if (!existsSync(path.join(REPO, 'test/vscode/host/index.ts'))) throw new Error('run from the repository (test/vscode/host/index.ts not found)');
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[vscode-test] test:electron: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
