/**
 * The UI session of `npm run test:vscode`: the extension driven as a person would, in code-server with
 * headless chromium and no test entry. Opens the fixture workspace, opens `src/orders.js` with Quick Open
 * (Ctrl+P), runs "Persona Review: Review as Architect" from the Command Palette (F1), waits for the review
 * panel (a webview: nested iframes) to show the review, opens the Problems panel (Ctrl+Shift+M) and waits
 * for its entries, then reviews `src/db.js` as SRE and applies the quick fix from the light-bulb menu
 * (Ctrl+.), checking the editor text changed; saves it and runs "Developer: Reload Window", checking that the
 * review panel comes back with the SRE review. No API key is set, so the review runs offline.
 *
 * Screenshots go to test/vscode/screenshots/ (gitignored); with `UPDATE_README_SCREENSHOTS=1` the ones the
 * README shows are also copied to media/screenshots/. Prints the time from pressing Enter on the command to
 * the first review text in the panel.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO, launchBrowser, onCleanup, runDir, say, sleep, startCodeServer, workbenchUrl, type Install } from './harness';

/** Options of {@link runUi}. */
export interface UiOptions {
  /** Load the extension from this folder (extensionDevelopmentPath); or give `vsix`. */
  extension?: string;
  /** Install this .vsix into the server instead (the newcomer's path). */
  vsix?: string;
  /** Fixture workspace folder (copied). */
  fixture: string;
  /** Fake Anthropic URL for the `personaReview.baseURL` setting (no key is set, so it is not used). */
  fakeUrl: string;
}

const SCREENSHOTS = path.join(REPO, 'test/vscode/screenshots');
/** Screenshot file → name under media/screenshots/ for the README. */
const README_SHOTS: Record<string, string> = {
  '03-problems.png': 'review-panel.png',
  '05-quick-fix.png': 'quick-fix.png',
};

/** Every UI deadline is multiplied by this (3 by default; PERSONA_REVIEW_UI_MARGIN overrides). */
export const DEADLINE_MARGIN = Number(process.env.PERSONA_REVIEW_UI_MARGIN) || 3;

/**
 * Polls `probe` every 100 ms until it returns a value other than undefined/false.
 * @throws Error `step: what` with the last probe value when `ms` × DEADLINE_MARGIN passes first.
 */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  // Deadlines, not expectations: on a shared, loaded machine Quick Open's file search alone took over 10 s.
  // A step that is ready returns at once, so the margin costs nothing when things work.
  ms *= DEADLINE_MARGIN;
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`UI step failed: ${what} (waited ${ms / 1000} s)`);
    await sleep(100);
  }
}

/**
 * Text of the webview frames (the review panel lives in `.../webview/.../fake.html` inside an iframe).
 * With `selector`, only the text of that element (the panel's `#reviews` section holds the streamed review).
 */
export async function webviewText(page: Page, selector?: string): Promise<string> {
  const texts: string[] = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame() || !/webview|fake\.html|vscode-cdn/.test(f.url())) continue;
    // A string expression: it runs in the page, and this project's TypeScript has no DOM types.
    const el = selector ? `document.querySelector(${JSON.stringify(selector)})` : 'document.body';
    const t = await f.evaluate<string>(`(${el} || { innerText: '' }).innerText || ''`).catch(() => '');
    if (t.trim()) texts.push(t);
  }
  return texts.join('\n');
}

/** Opens the Command Palette, types `title`, waits until it is the focused entry and runs it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title);
  await until(`"${title}" is offered in the Command Palette`, 10_000, async () => {
    const focused = await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText({ timeout: 500 });
    return focused.includes(title.split(': ').pop()!);
  });
  await page.keyboard.press('Enter');
}

/** Opens `name` with Quick Open and waits for its editor tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(name);
  await until(`Quick Open lists ${name}`, 30_000, async () =>
    (await page.locator('.quick-input-list .monaco-list-row').first().innerText({ timeout: 500 })).includes(name),
  );
  await page.keyboard.press('Enter');
  await until(`an editor tab for ${name}`, 10_000, async () => (await page.locator('.tabs-container .tab[aria-selected="true"]', { hasText: name }).count()) > 0);
}

/** Visible text of the active editor (VS Code renders spaces as U+00A0). */
export async function editorText(page: Page): Promise<string> {
  const t = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText({ timeout: 500 });
  return t.replace(/\u00a0/g, ' ');
}

/** Lines of the Problems panel (opened with Ctrl+Shift+M if needed). */
export async function problems(page: Page): Promise<string[]> {
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/**
 * Runs the UI session and returns a one-line summary.
 * @throws Error naming the step that failed (screenshot `failure.png` is saved first).
 */
export async function runUi(install: Install, o: UiOptions): Promise<string> {
  const dir = runDir(install, 'ui');
  mkdirSync(SCREENSHOTS, { recursive: true });
  say(`ui: starting code-server, run folder ${dir}`);
  const server = await startCodeServer(install, {
    dir,
    fixture: o.fixture,
    trust: true,
    settings: { 'personaReview.baseURL': o.fakeUrl, 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    install: o.vsix ? [o.vsix] : [],
  });
  onCleanup(server.stop);
  const browser = await launchBrowser(install, dir, { width: 1280, height: 800 });
  onCleanup(browser.close);
  const { page } = browser;
  let failed = false;
  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
    say(`ui: screenshot test/vscode/screenshots/${name}`);
  };
  try {
    await page.goto(workbenchUrl(server, o.extension ? { extensionDevelopmentPath: o.extension } : {}));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await until('the Explorer shows the fixture workspace', 30_000, async () => (await page.locator('.explorer-folders-view .monaco-list-row').count()) > 0);

    // 1. Open a file and review it as the Architect from the Command Palette.
    await openFile(page, 'orders.js');
    await until('the editor shows orders.js', 10_000, async () => (await editorText(page)).includes('class OrderService'));
    await shot('01-file-open.png');
    await runCommand(page, 'Persona Review: Review as Architect');
    const t0 = Date.now();
    const shown = await until('the review panel opens', 30_000, async () => (await webviewText(page)) || undefined);
    const shownMs = Date.now() - t0;
    // The streamed review goes to the panel's #reviews section (media/panel.ts); any text counts if it has none.
    const first = await until('the review panel shows review text', 30_000, async () => (await webviewText(page, '#reviews')) || (shown.includes('OrderService') ? shown : undefined));
    const firstMs = Date.now() - t0;
    say(`ui: review panel open ${shownMs} ms after the command; first review text ${firstMs} ms after it (${first.trim().length} characters)`);
    const full = await until('the review panel shows the finding about OrderService', 60_000, async () => {
      const t = await webviewText(page);
      return t.includes('OrderService') ? t : undefined;
    });
    say(`ui: the panel shows the finding ${Date.now() - t0} ms after the command (${full.trim().length} characters)`);
    await shot('02-review-panel.png');

    // 2. The Problems panel lists the finding.
    await page.keyboard.press('Control+Shift+M');
    const rows = await until('the Problems panel lists entries', 30_000, async () => {
      const r = await problems(page);
      return r.some((l) => l.includes('OrderService')) ? r : undefined;
    });
    say(`ui: Problems panel: ${rows.length} rows, e.g. "${rows.find((l) => l.includes('OrderService'))?.replace(/\s+/g, ' ').slice(0, 140)}"`);
    await shot('03-problems.png');

    // 3. The SRE's quick fix, picked from the light-bulb menu (Ctrl+.) on the finding's line.
    await openFile(page, 'db.js');
    await runCommand(page, 'Persona Review: Review as SRE');
    const t1 = Date.now();
    await until('the review panel shows the SRE review of db.js', 30_000, async () => ((await webviewText(page, '#title')).includes('db.js') && /fetch/.test(await webviewText(page, '#reviews'))) || /timeout on .?fetch/i.test(await webviewText(page)));
    const warmMs = Date.now() - t1;
    say(`ui: second review (extension already active): SRE text in the panel ${warmMs} ms after the command`);
    await until('the Problems panel lists the SRE finding on fetch', 30_000, async () => (await problems(page)).some((l) => /fetch/i.test(l) && /timeout/i.test(l)));
    await shot('04-sre-review.png');
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('15:27');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const action = await until('the quick-fix menu offers a fix', 10_000, async () => {
      const items = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
      return items.length ? items : undefined;
    });
    say(`ui: quick-fix menu: ${action.map((a) => a.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    await shot('05-quick-fix.png');
    await page.keyboard.press('Enter');
    await until('the quick fix changed line 15 (AbortSignal.timeout)', 10_000, async () =>
      (await editorText(page)).includes('AbortSignal.timeout'),
    );
    await shot('06-after-fix.png');
    say('ui: the quick fix edited the document');

    // 4. Reload the window: the review panel comes back (WebviewPanelSerializer) with the review it showed.
    // Saved first: a dirty editor could make the page's beforeunload ask, and Playwright dismisses such dialogs.
    await page.keyboard.press('Control+S');
    await until('db.js is saved', 10_000, async () => (await page.locator('.tabs-container .tab.dirty', { hasText: 'db.js' }).count()) === 0);
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const t2 = Date.now();
    await until('the review panel is back after the reload, showing the SRE review of db.js', 60_000, async () =>
      (await webviewText(page, '#title')).includes('db.js') && /fetch/i.test(await webviewText(page, '#reviews')),
    );
    say(`ui: after Reload Window the panel showed the SRE review of db.js again (${Date.now() - t2} ms after the workbench was back)`);
    await shot('07-after-reload.png');

    if (process.env.UPDATE_README_SCREENSHOTS === '1') {
      const media = path.join(REPO, 'media/screenshots');
      mkdirSync(media, { recursive: true });
      for (const [from, to] of Object.entries(README_SHOTS)) copyFileSync(path.join(SCREENSHOTS, from), path.join(media, to));
      say(`ui: copied ${Object.values(README_SHOTS).join(', ')} to media/screenshots/`);
    }
    return `review text in the panel ${firstMs} ms after the first command (activation included), ${warmMs} ms after the second; Problems panel filled; quick fix applied; panel restored after Reload Window; 7 screenshots in test/vscode/screenshots/`;
  } catch (err) {
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failure.png') }).catch(() => undefined);
    const panel = (await webviewText(page).catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
    const msg = err instanceof Error ? err.message : String(err);
    failed = true;
    throw new Error(
      `${msg}; screenshot test/vscode/screenshots/failure.png; panel text: "${panel}"; logs kept: ${server.logFile}, ${path.join(server.userDataDir, 'logs')}`,
    );
  } finally {
    await browser.close();
    await server.stop();
    if (!failed) rmSync(dir, { recursive: true, force: true });
  }
}
