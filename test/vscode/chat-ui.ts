/**
 * `node --import tsx test/vscode/chat-ui.ts` (standalone; not one of the runner's sessions): drives the Chat view of a real
 * VS Code (code-server 4.139 + headless chromium, as test/vscode/ui.ts does) as a person would. Loads the
 * extension under test and, next to it, the test-only extension test/vscode/chat-model-ext (a language
 * model provider answering without a network, so the Chat view has a model to offer; Copilot cannot sign
 * in here). Opens src/db.js, opens the Chat view, types "@sre /readiness", presses Enter and waits for the
 * answer of the @sre participant; then asks "@security /review". Screenshots go to test/vscode/screenshots/
 * (chat-*.png). Exit code 0 when both answers appeared; 2 when the workbench's chat setup blocked the
 * request (what code-server 4.139 does here: every Chat view request, @participant ones included, first
 * needs GitHub Copilot set up and signed in, and the model picker offers only "Sign in to use Copilot...",
 * even with the test provider registered); 1 when another step failed (named, with a screenshot
 * `chat-failure.png` and the chat panel's text saved in the run folder).
 *
 * Options: --no-build   --timeout <s> (default 120)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO, buildExtension, cleanupAll, launchBrowser, onCleanup, packTestModelExtension, runDir, say, setup, sleep, startCodeServer, withTimeout } from './harness';

const SCREENSHOTS = path.join(REPO, 'test/vscode/screenshots');

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`chat UI step failed: ${what} (waited ${ms / 1000} s)`);
    await sleep(150);
  }
}

/** The text of the Chat view's list of requests and responses. */
async function chatText(page: Page): Promise<string> {
  const texts = await page.locator('.interactive-session .interactive-list').allInnerTexts().catch(() => [] as string[]);
  return texts.join('\n').replace(/\u00a0/g, ' ');
}

/** Types `message` into the Chat view's input and sends it. */
async function send(page: Page, message: string): Promise<void> {
  const input = page.locator('.interactive-session .interactive-input-part .monaco-editor').first();
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.click();
  await page.keyboard.type(message, { delay: 15 });
  // The participant and command suggestions can hold Enter; close them first.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const timeoutS = Number(args[args.indexOf('--timeout') + 1] || 120) || 120;
  const install = setup();
  if (!args.includes('--no-build')) buildExtension();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = runDir(install, 'chat-ui');
  say(`chat-ui: starting code-server, run folder ${dir}`);
  const server = await startCodeServer(install, {
    dir,
    fixture: path.join(REPO, 'test/vscode/workspace'),
    trust: true,
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'chat.commandCenter.enabled': true },
    // Installed, not a second extensionDevelopmentPath: the payload is read into a Map, which keeps only one.
    install: [packTestModelExtension(dir)],
  });
  onCleanup(server.stop);
  const browser = await launchBrowser(install, dir, { width: 1280, height: 800 });
  onCleanup(browser.close);
  const { page } = browser;
  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
    say(`chat-ui: screenshot test/vscode/screenshots/${name}`);
  };
  const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
  const payload = [['extensionDevelopmentPath', remote(REPO)]];
  const url = `${server.base}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  try {
    return await withTimeout(
      (async () => {
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await until('the Explorer shows the fixture workspace', 30_000, async () => (await page.locator('.explorer-folders-view .monaco-list-row').count()) > 0);
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
        await page.keyboard.type('db.js');
        await until('Quick Open lists db.js', 10_000, async () => (await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText({ timeout: 500 })).includes('db.js'));
        await page.keyboard.press('Enter');
        await until('an editor tab for db.js', 10_000, async () => (await page.locator('.tabs-container .tab[aria-selected="true"]', { hasText: 'db.js' }).count()) > 0);

        await page.keyboard.press('Control+Alt+I');
        await until('the Chat view opens', 20_000, async () => (await page.locator('.interactive-session .interactive-input-part').count()) > 0);
        await sleep(1500);
        await shot('chat-01-open.png');

        // Pick the test model in the model picker when it is offered (Copilot's own models never are here).
        const picker = page.locator('.interactive-session .interactive-input-part .action-item', { hasText: /Models|Test Model|Auto/ }).first();
        if ((await picker.count()) > 0) {
          await picker.click();
          await sleep(800);
          await shot('chat-01b-model-picker.png');
          const item = page.locator('.monaco-list-row, .action-widget .monaco-list-row', { hasText: 'Persona Review Test Model' }).first();
          if ((await item.count()) > 0) await item.click();
          else await page.keyboard.press('Escape');
          await sleep(500);
        }
        // Chat participants are offered in Ask mode (Agent mode has tools instead of @participants).
        const mode = page.locator('.interactive-session .interactive-input-part .action-item', { hasText: /^\s*(Agent|Ask|Edit|Plan)\s*$/ }).first();
        if ((await mode.count()) > 0) {
          await mode.click();
          await sleep(600);
          await shot('chat-01a-mode-picker.png');
          const ask = page.locator('.action-widget .monaco-list-row, .monaco-list-row', { hasText: /^\s*Ask/ }).first();
          if ((await ask.count()) > 0) await ask.click();
          else await page.keyboard.press('Escape');
          await sleep(500);
        }
        await send(page, '@sre /readiness');
        await sleep(3000);
        // The Copilot sign-in dialog of the chat setup may appear; close it and see whether the request goes on.
        if ((await page.locator('.monaco-dialog-box').count()) > 0) {
          await shot('chat-01c-sign-in-dialog.png');
          await page.keyboard.press('Escape');
        }
        const first = await until('@sre answers /readiness', 60_000, async () => {
          const t = await chatText(page);
          if (/Production Readiness Review/.test(t)) return t;
          if (/set up GitHub Copilot|Language model unavailable|could not/i.test(t)) return t;
          return undefined;
        });
        await sleep(1000);
        await shot('chat-02-sre-readiness.png');
        writeFileSync(path.join(dir, 'chat-readiness.txt'), first);
        if (/set up GitHub Copilot/.test(first)) {
          say('chat-ui: BLOCKED: the Chat view sent "@sre /readiness" to the Copilot setup, which answered "You need to set up GitHub Copilot and be signed in to use Chat."; the participant never ran (see chat-01c-sign-in-dialog.png, chat-02-sre-readiness.png)');
          return 2;
        }
        if (!/Production Readiness Review/.test(first)) throw new Error(`the Chat view answered without the participant:\n${first.slice(0, 800)}`);
        say('chat-ui: @sre /readiness answered in the Chat view');

        await send(page, '@security /review');
        await until('@security answers /review', 60_000, async () => /SQL|sql-injection|finding/i.test((await chatText(page)).split('@security').pop() ?? ''));
        await sleep(1000);
        await shot('chat-03-security-review.png');
        say('chat-ui: @security /review answered in the Chat view');
        return 0;
      })(),
      timeoutS * 1000,
      `chat-ui: did not finish within ${timeoutS} s`,
    );
  } catch (err) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-failure.png') }).catch(() => undefined);
    writeFileSync(path.join(dir, 'chat-panel.txt'), await chatText(page).catch(() => ''));
    say(`chat-ui: FAIL ${err instanceof Error ? err.message : String(err)} (screenshot test/vscode/screenshots/chat-failure.png; run folder ${dir})`);
    return 1;
  } finally {
    await cleanupAll();
  }
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(`[chat-ui] ${err instanceof Error ? err.message : String(err)}`);
    await cleanupAll();
    process.exit(1);
  },
);
