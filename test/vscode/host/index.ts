/**
 * The extension-host test entry (VS Code's `extensionTestsPath`): VS Code calls `run()` inside the real
 * extension host once the extension under development is loaded, and ends the session with exit code 0
 * when the returned promise resolves, 1 when it rejects. The same built file serves code-server
 * (test/vscode/runner.ts) and @vscode/test-electron (test/vscode/electron.ts), so it assumes nothing about
 * the host that runs it.
 *
 * It loads every suite built beside it (`../suite/*.js`, bundled from test/vscode/suite/*.ts), each exporting
 * `tests: Array<{ name: string; run: () => Promise<void> }>`, runs the tests one at a time in file order and
 * prints one line per test and then exactly `N passed, N failed` (the line CI reads).
 *
 * Environment (set by the runners through `extensionEnvironment`):
 * - `PERSONA_REVIEW_RESTRICTED=1`: this session runs in Restricted Mode; only tests named `[restricted] ...`
 *   run. Without it those tests are skipped and all others run.
 * - `PERSONA_REVIEW_LM=1`: this session has the test language model provider (test/vscode/chat-model-ext)
 *   loaded; only tests named `[lm] ...` run. Without it those tests are skipped.
 * - `PERSONA_REVIEW_TEST_FILTER`: run only tests whose name contains this text.
 * - `PERSONA_REVIEW_TEST_TIMEOUT_MS`: per-test deadline in ms (default 60000).
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as vscode from 'vscode';

/** One extension-host test, as the suites export them. */
export interface HostTest {
  name: string;
  run: () => Promise<void>;
}

/** Prefix of the tests that run only in the Restricted Mode session. */
export const RESTRICTED_PREFIX = '[restricted]';
/** Prefix of the tests that run only in the session with the test language model provider. */
export const LM_PREFIX = '[lm]';

function describe(err: unknown): string {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/**
 * Runs the suites. Resolves when every selected test passed.
 * @throws Error naming how many tests failed, or that no test was selected outside Restricted Mode,
 *   or that a suite could not be loaded (that counts as a failed test named after the file).
 */
export async function run(): Promise<void> {
  process.setSourceMapsEnabled(true);
  const restricted = process.env.PERSONA_REVIEW_RESTRICTED === '1';
  const lm = process.env.PERSONA_REVIEW_LM === '1';
  const filter = process.env.PERSONA_REVIEW_TEST_FILTER ?? '';
  const timeoutMs = Number(process.env.PERSONA_REVIEW_TEST_TIMEOUT_MS ?? '') || 60_000;
  const suiteDir = path.resolve(__dirname, '..', 'suite');
  const load = createRequire(__filename);

  const selected: Array<HostTest & { suite: string }> = [];
  let passed = 0;
  let failed = 0;
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.js')).sort()) {
    const suite = file.replace(/\.js$/, '');
    try {
      const mod = load(path.join(suiteDir, file)) as { tests?: unknown };
      if (!Array.isArray(mod.tests)) throw new Error(`${suite} does not export \`tests: Array<{ name, run }>\``);
      for (const t of mod.tests as HostTest[]) {
        if (t.name.startsWith(RESTRICTED_PREFIX) !== restricted || t.name.startsWith(LM_PREFIX) !== lm) continue;
        if (filter && !t.name.includes(filter)) continue;
        selected.push({ ...t, suite });
      }
    } catch (err) {
      failed++;
      console.log(`FAIL ${suite}: could not load the suite\n${describe(err)}`);
    }
  }

  console.log(
    `# ${selected.length} tests; VS Code ${vscode.version}; workspace trusted: ${vscode.workspace.isTrusted}; ` +
      `session: ${restricted ? 'Restricted Mode' : lm ? 'trusted, with the test language model' : 'trusted'}${filter ? `; filter: ${filter}` : ''}`,
  );
  for (const t of selected) {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        t.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms (PERSONA_REVIEW_TEST_TIMEOUT_MS)`)), timeoutMs);
        }),
      ]);
      passed++;
      console.log(`ok   ${t.suite}: ${t.name} (${Math.round(performance.now() - t0)} ms)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${t.suite}: ${t.name} (${Math.round(performance.now() - t0)} ms)\n${describe(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
  if (selected.length === 0 && !restricted && !lm) throw new Error(`no test selected in ${suiteDir}${filter ? ` (filter: ${filter})` : ''}`);
}
