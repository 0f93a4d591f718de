/**
 * `npm run test:vscode`: the extension in a real VS Code (code-server 4.139 + headless Debian chromium,
 * ../shared/TESTING.md), set up by scripts/vscode-test/setup.sh on a fresh machine.
 *
 * Sessions, in order (each with a fresh server, profile and copy of the fixture workspace):
 *   1. `host`: the extension-host suites (test/vscode/suite/*.ts, run by test/vscode/host/index.ts) in a
 *      trusted workspace;
 *   2. `restricted`: the same entry without --disable-workspace-trust, so the folder opens in Restricted
 *      Mode; only tests named `[restricted] ...` run (PERSONA_REVIEW_RESTRICTED=1);
 *   2b. `lm`: trusted, with the test language model provider test/vscode/chat-model-ext (a `vscode.lm` model
 *      that answers without a network) packed with vsce and installed beside the extension; only tests named
 *      `[lm] ...` run (PERSONA_REVIEW_LM=1);
 *   3. `ui`: test/vscode/ui.ts drives the workbench as a person would and saves screenshots;
 *   4. `walkthrough`: test/vscode/walkthrough-ui.ts does the first-run walkthrough's steps in a fresh profile
 *      (skipped with --vsix).
 *
 * The extension host gets `PERSONA_REVIEW_TEST=1`, `FAKE_ANTHROPIC_URL` (a fake Messages API on 127.0.0.1,
 * test/support/fakeAnthropic.ts, also set as the user setting `personaReview.baseURL`) and
 * `FAKE_ANTHROPIC_CONTROL_URL` (script it with `POST /script` and a JSON array of steps, read what was sent
 * with `GET /requests`; see FakeApi in harness.ts).
 *
 * Options: --only host,restricted,lm,ui,walkthrough   --extension <dir> (default: the repository; built with scripts/build.mjs)
 *   --suites <dir> (default test/vscode/suite)   --workspace <dir> (default test/vscode/workspace)
 *   --filter <text> (test names)   --timeout <s> per session (default 420)   --vsix <file> (ui session: install
 *   this package instead of loading the extension from its folder)   --no-build
 * Exit code: 0 when every session passed; 1 otherwise (each failure is named on the last lines).
 */
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import {
  REPO,
  buildExtension,
  buildHostTests,
  cleanupAll,
  extensionHostLine,
  launchBrowser,
  onCleanup,
  packTestModelExtension,
  runDir,
  say,
  setup,
  since,
  startCodeServer,
  startFakeApi,
  tail,
  withTimeout,
  workbenchUrl,
  type FakeApi,
  type Install,
} from './harness';
import { runUi } from './ui';
import { runWalkthroughUi } from './walkthrough-ui';

interface Options {
  only: Set<string>;
  extension: string;
  suites: string;
  workspace: string;
  filter?: string;
  timeoutS: number;
  vsix?: string;
  build: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    only: new Set(['host', 'restricted', 'lm', 'ui', 'walkthrough']),
    extension: REPO,
    suites: path.join(REPO, 'test/vscode/suite'),
    workspace: path.join(REPO, 'test/vscode/workspace'),
    // A deadline, not an expectation: with the load of ~8 engineers on 2 cores the ui session took over 180 s.
    timeoutS: 420,
    build: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--only') o.only = new Set(value().split(','));
    else if (a === '--extension') o.extension = path.resolve(value());
    else if (a === '--suites') o.suites = path.resolve(value());
    else if (a === '--workspace') o.workspace = path.resolve(value());
    else if (a === '--filter') o.filter = value();
    else if (a === '--timeout') o.timeoutS = Number(value());
    else if (a === '--vsix') o.vsix = path.resolve(value());
    else if (a === '--no-build') o.build = false;
    else throw new Error(`unknown option ${a}; see the comment at the top of test/vscode/runner.ts`);
  }
  for (const s of o.only) if (!['host', 'restricted', 'lm', 'ui', 'walkthrough'].includes(s)) throw new Error(`--only takes host, restricted, lm, ui, walkthrough; got ${s}`);
  if (!(o.timeoutS > 0)) throw new Error('--timeout wants seconds > 0');
  return o;
}

/** Result of one session. */
interface SessionResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/**
 * Runs the extension-host suites in one code-server session and returns the exit code the workbench
 * reported through `window.codeAutomationExit`. The run folder is deleted when the session passed and kept
 * (with the page console, the server log and VS Code's own logs) when it failed.
 */
async function hostSession(install: Install, o: Options, fake: FakeApi, hostEntry: string, kind: 'host' | 'restricted' | 'lm'): Promise<SessionResult> {
  const restricted = kind === 'restricted';
  const name = kind;
  const t0 = performance.now();
  const dir = runDir(install, name);
  say(`${name}: starting code-server (${restricted ? 'Restricted Mode' : 'trusted workspace'}), run folder ${dir}`);
  const server = await startCodeServer(install, {
    dir,
    fixture: o.workspace,
    trust: !restricted,
    settings: { 'personaReview.baseURL': fake.url },
    ...(kind === 'lm' ? { install: [packTestModelExtension(dir)] } : {}),
  });
  onCleanup(server.stop);
  const browser = await launchBrowser(install, dir);
  onCleanup(browser.close);
  const hostLines: string[] = [];
  const otherLines: string[] = [];
  const consolePath = path.join(dir, 'console.log');
  const consoleLog = createWriteStream(consolePath);
  let result: SessionResult;
  try {
    const exited = new Promise<number>((resolve) => {
      void browser.context.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    browser.page.on('console', (msg) => {
      consoleLog.write(`${msg.type()}: ${msg.text()}\n`);
      const line = extensionHostLine(msg.text());
      if (line === undefined) return void otherLines.push(`${msg.type()}: ${msg.text()}`);
      hostLines.push(line);
      console.log(`  | ${line.replace(/\n/g, '\n  | ')}`);
    });
    browser.page.on('pageerror', (err) => otherLines.push(`pageerror: ${err.message}`));
    const env: Record<string, string> = {
      PERSONA_REVIEW_TEST: '1',
      FAKE_ANTHROPIC_URL: fake.url,
      FAKE_ANTHROPIC_CONTROL_URL: fake.controlUrl,
      ...(restricted ? { PERSONA_REVIEW_RESTRICTED: '1' } : {}),
      ...(kind === 'lm' ? { PERSONA_REVIEW_LM: '1' } : {}),
      ...(o.filter ? { PERSONA_REVIEW_TEST_FILTER: o.filter } : {}),
    };
    await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: o.extension, extensionTestsPath: hostEntry, extensionEnvironment: env }));
    const code = await withTimeout(
      exited,
      o.timeoutS * 1000,
      () =>
        `${name}: the extension tests did not finish within ${o.timeoutS} s (no window.codeAutomationExit); ` +
        lastProgress(hostLines),
    );
    const summary = [...hostLines].reverse().find((l) => /^\d+ passed, \d+ failed$/.test(l));
    if (code !== 0 && !summary) dumpDiagnostics(otherLines, server.logFile);
    result = { name, ok: code === 0, detail: `exit ${code}, ${summary ?? 'no "N passed, N failed" line from the extension host'}`, ms: since(t0) };
  } catch (err) {
    dumpDiagnostics(otherLines, server.logFile);
    result = { name, ok: false, detail: err instanceof Error ? err.message : String(err), ms: since(t0) };
  } finally {
    await browser.close();
    await server.stop();
    await new Promise<void>((resolve) => consoleLog.end(() => resolve()));
  }
  if (result.ok) rmSync(dir, { recursive: true, force: true });
  else result.detail += `; logs kept: ${consolePath}, ${server.logFile}, ${path.join(server.userDataDir, 'logs')}`;
  return result;
}

/** Where a stuck session got to: the host entry prints `# N tests` first and `ok`/`FAIL` after each test. */
function lastProgress(hostLines: string[]): string {
  const last = [...hostLines].reverse().find((l) => /^(# |ok |FAIL )/.test(l));
  if (!last) return 'the test entry never started (no "# N tests" line): the extension host or the extension did not come up';
  if (last.startsWith('# ')) return 'the first test never finished';
  return `the test after "${last.split('\n')[0]}" never finished`;
}

/** When the session broke (rather than a test failing): the workbench's console errors and the server log's tail. */
function dumpDiagnostics(otherLines: string[], logFile: string): void {
  const errors = otherLines.filter((l) => /^(error|pageerror)/.test(l) && !/Failed to load resource|open-vsx/.test(l)).slice(-15);
  if (errors.length) say(`workbench console errors (last ${errors.length}):\n${errors.map((l) => `  ! ${l.slice(0, 400)}`).join('\n')}`);
  say(`code-server log (${logFile}), last lines:\n${tail(logFile, 15)}`);
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const tAll = performance.now();
  let t = performance.now();
  const install = setup();
  say(`setup: ${since(t)} ms`);
  if (o.build && o.extension === REPO) {
    t = performance.now();
    buildExtension();
    say(`build (scripts/build.mjs): ${since(t)} ms`);
  }
  const results: SessionResult[] = [];
  const needsHost = o.only.has('host') || o.only.has('restricted') || o.only.has('lm');
  let hostEntry = '';
  if (needsHost) {
    t = performance.now();
    hostEntry = await buildHostTests(o.suites, path.join(REPO, 'out/vscode-tests'));
    say(`build extension-host tests (${path.relative(REPO, o.suites) || o.suites}): ${since(t)} ms`);
  }
  const fake = await startFakeApi();
  onCleanup(fake.close);
  say(`fake Anthropic API at ${fake.url} (control ${fake.controlUrl})`);
  try {
    if (o.only.has('host')) results.push(await hostSession(install, o, fake, hostEntry, 'host'));
    if (o.only.has('restricted')) results.push(await hostSession(install, o, fake, hostEntry, 'restricted'));
    if (o.only.has('lm')) results.push(await hostSession(install, o, fake, hostEntry, 'lm'));
    if (o.only.has('ui')) {
      const t0 = performance.now();
      try {
        const detail = await withTimeout(
          runUi(install, { extension: o.vsix ? undefined : o.extension, vsix: o.vsix, fixture: o.workspace, fakeUrl: fake.url }),
          o.timeoutS * 1000,
          `ui: did not finish within ${o.timeoutS} s`,
        );
        results.push({ name: 'ui', ok: true, detail, ms: since(t0) });
      } catch (err) {
        results.push({ name: 'ui', ok: false, detail: err instanceof Error ? err.message : String(err), ms: since(t0) });
      }
    }
    if (o.only.has('walkthrough') && !o.vsix) {
      const t0 = performance.now();
      try {
        const detail = await withTimeout(
          runWalkthroughUi(install, { extension: o.extension, fixture: o.workspace, fakeUrl: fake.url }),
          o.timeoutS * 1000,
          `walkthrough: did not finish within ${o.timeoutS} s`,
        );
        results.push({ name: 'walkthrough', ok: true, detail, ms: since(t0) });
      } catch (err) {
        results.push({ name: 'walkthrough', ok: false, detail: err instanceof Error ? err.message : String(err), ms: since(t0) });
      }
    }
  } finally {
    await cleanupAll();
  }
  console.log('');
  for (const r of results) say(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}: ${r.detail} (${(r.ms / 1000).toFixed(1)} s)`);
  const failed = results.filter((r) => !r.ok).length;
  say(`${results.length - failed} of ${results.length} sessions passed in ${(since(tAll) / 1000).toFixed(1)} s`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(`[vscode-test] ${err instanceof Error ? err.message : String(err)}`);
    await cleanupAll();
    process.exit(1);
  },
);
