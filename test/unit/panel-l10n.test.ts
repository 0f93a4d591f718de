/**
 * The review panel can be translated (issue 13, First run): its page and script (media/panel.ts) show only
 * text from the string table the host translates with `vscode.l10n.t` (src/extension/panelStrings.ts).
 *
 * The page the extension serves (src/extension/panelPage.ts) is loaded with the real webview script (bundled
 * here with esbuild as scripts/build.mjs does) in happy-dom, with a pseudo-translation that writes every letter
 * of the table accented ("Stop" → "Şŧǿƥ") and review data written in accented letters too. The panel is driven
 * through every state a user can see (empty, Restricted Mode, running, each way a review ends, an explained
 * finding, each provider); an ASCII letter left in its visible text, tooltips or accessible names is English
 * that did not go through the table.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { Window } from 'happy-dom';
import { panelStrings } from '../../src/extension/panelStrings';
import { panelPage } from '../../src/extension/panelPage';
import { format, plural } from '../../src/shared/panelStrings';
import type { HostToWebviewMessage, PanelFinding, PanelReview, WebviewToHostMessage } from '../../src/shared/webview';

const repo = path.resolve(__dirname, '../..');

const FROM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TO = [...'ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ'];
/** A pseudo-translation: every ASCII letter accented, `{n}` placeholders kept (as @vscode/l10n-dev generate-pseudo does). */
const pseudo = (s: string): string => s.replace(/\{\d+\}|[A-Za-z]/g, (m) => (m.length > 1 ? m : TO[FROM.indexOf(m)]!));

/** `vscode.l10n.t` and `vscode.env.language` as VS Code gives them, with `translate` as the bundle. */
const api = (language: string, translate: (s: string) => string) => ({
  env: { language },
  l10n: { t: ((message: string, ...args: Array<string | number | boolean>) => format(translate(message), ...args.map(String))) as never },
});

// esbuild's service process would keep the test file alive for seconds after its last test.
after(() => esbuild.stop());

let script: string | undefined;
/** The webview bundle (media/panel.ts), built as scripts/build.mjs builds dist/webview.js. */
async function webviewScript(): Promise<string> {
  script ??= (
    await esbuild.build({ entryPoints: [path.join(repo, 'media/panel.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' })
  ).outputFiles[0]!.text.replace(/<\/(script)/gi, '<\\/$1');
  return script;
}

/** The panel as the user sees it: the served page with its script running, and what it posted to the host. */
async function openPanel(language: string, translate: (s: string) => string) {
  const window = new Window({ url: 'https://webview.invalid/index.html', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true, timer: { maxIntervalIterations: 2 } } });
  // A running review's header rewrites its elapsed time every second; happyDOM.waitUntilComplete() waits for
  // every timer, so the clock may tick twice and then stops (in a real webview it runs until the review ends).
  const posted: WebviewToHostMessage[] = [];
  Object.assign(window, { acquireVsCodeApi: () => ({ postMessage: (m: WebviewToHostMessage) => posted.push(m), setState: () => undefined }) });
  const html = panelPage({ nonce: 'bm9uY2U=', cspSource: 'https://webview.invalid', codiconsHref: 'codicon.css', cssHref: 'panel.css', script: await webviewScript(), strings: panelStrings(api(language, translate)) });
  window.document.write(html);
  await window.happyDOM.waitUntilComplete();
  const document = window.document;
  return {
    window,
    document,
    posted,
    async send(m: HostToWebviewMessage) {
      window.dispatchEvent(new window.MessageEvent('message', { data: m }));
      await window.happyDOM.waitUntilComplete();
      await new Promise((r) => setTimeout(r, 5));
      await window.happyDOM.waitUntilComplete();
    },
    /** Visible text (script and style aside), hidden parts included: they show in another state. */
    text(selector = 'body'): string {
      const parts: string[] = [];
      const walk = (n: { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<unknown> }) => {
        if (n.nodeName === 'SCRIPT' || n.nodeName === 'STYLE') return;
        if (n.nodeType === 3) parts.push(n.textContent ?? '');
        for (const c of Array.from(n.childNodes)) walk(c as typeof n);
      };
      walk(document.querySelector(selector) as never);
      return parts.join('').replace(/\s+/g, ' ').trim();
    },
    /** Tooltips and accessible names, and the page title. */
    attributes(): string[] {
      const out = [document.title];
      for (const e of Array.from(document.querySelectorAll('*'))) for (const a of ['title', 'aria-label', 'alt', 'placeholder']) if (e.getAttribute(a)) out.push(e.getAttribute(a)!);
      return out;
    },
  };
}

// Review data (persona names, files, titles, the model's text) is not translated: it is written in accented
// letters here so that any ASCII letter on the page is the panel's own English.
const finding = (n: number, severity: PanelFinding['severity'], extra: Partial<PanelFinding> = {}): PanelFinding => ({
  fingerprint: `fp${n}`,
  severity,
  title: `ŞɊĿ īƞĵḗƈŧīǿƞ ${n}`,
  category: 'ƈẇḗ-89',
  message: 'Ŭşḗ **ƥȧřȧḿḗŧḗřş**; şḗḗ [ǾẆȦŞƤ](https://owasp.org/).',
  personas: ['Şḗƈŭřīŧẏ', 'ŞŘḖ'],
  file: 'şřƈ/ḓƀ.ĵş',
  startLine: 12,
  endLine: 14,
  references: [{ label: 'ƇẆḖ-89', href: 'https://cwe.mitre.org/data/definitions/89.html' }, { label: 'ǾẆȦŞƤ-Ȧ03' }],
  hasFix: true,
  ...extra,
});

const review = (over: Partial<PanelReview> = {}): PanelReview => ({
  reviewId: 'r1',
  title: 'Şḗƈŭřīŧẏ · şřƈ/ḓƀ.ĵş',
  provider: 'anthropic',
  model: 'ƈŀȧŭḓḗ-ŧḗşŧ',
  providerNote: 'ƞǿ ķḗẏ şḗŧ',
  personas: [
    { id: 'security', name: 'Şḗƈŭřīŧẏ', icon: 'shield' },
    { id: 'sre', name: 'ŞŘḖ', icon: 'pulse' },
    { id: 'qa', name: 'ɊȦ', icon: 'beaker' },
  ],
  texts: { security: '## Ƒīƞḓīƞɠş\n\nŦħḗ ɋŭḗřẏ **ƈǿƞƈȧŧḗƞȧŧḗş** īƞƥŭŧ.\n', sre: 'Ȧŀŀ ɠǿǿḓ.\n' },
  personaStatus: { security: { state: 'done', findings: 1 }, sre: { state: 'done', findings: 2 }, qa: { state: 'running' } },
  findings: [finding(1, 'critical'), finding(2, 'high', { possiblyFixed: true, hasFix: false }), finding(3, 'low')],
  status: 'running',
  progress: { filesDone: 1, filesTotal: 3, findings: 3 },
  notices: ['ƞǿŧīƈḗ ƒřǿḿ ŧħḗ şḗřṽḗř'],
  ...over,
});

const summary = (over: Partial<NonNullable<PanelReview['summary']>> = {}): NonNullable<PanelReview['summary']> => ({
  findings: 5,
  bySeverity: { critical: 1, high: 1, medium: 0, low: 1 },
  dropped: 2,
  errors: [
    { persona: 'ɊȦ', message: 'ŧīḿḗḓ ǿŭŧ', partial: true },
    { persona: 'ŞŘḖ', message: 'řȧŧḗ ŀīḿīŧḗḓ', partial: false },
  ],
  notices: ['ŧẇǿ ƒīŀḗş şķīƥƥḗḓ'],
  durationMs: 1234,
  ...over,
});

/** Every state of the panel a user can meet, as the messages that lead there. */
const STATES: Array<[string, HostToWebviewMessage[]]> = [
  ['empty, Restricted Mode', [{ type: 'state', state: { restricted: true } }]],
  ['running, Claude with a note, one persona still reviewing', [{ type: 'state', state: { restricted: true, review: review() } }]],
  ['running, one file of one, one finding', [{ type: 'state', state: { restricted: false, review: review({ progress: { filesDone: 1, filesTotal: 1, findings: 1 }, provider: 'vscode-lm' }) } }]],
  ['starting, chat model without a name', [{ type: 'state', state: { restricted: false, review: review({ progress: undefined, provider: 'vscode-lm', model: undefined, providerNote: undefined, personaStatus: { security: { state: 'failed' }, sre: { state: 'failed', error: 'řȧŧḗ ŀīḿīŧḗḓ' } } }) } }]],
  ['done, offline, findings gone since', [{ type: 'state', state: { restricted: false, review: review({ provider: 'offline', status: 'done', summary: summary(), reported: 5 }) } }]],
  ['done, one finding, one dropped', [{ type: 'state', state: { restricted: false, review: review({ provider: 'anthropic', model: undefined, status: 'done', findings: [finding(1, 'medium')], summary: summary({ findings: 2, dropped: 1, errors: [] }) }) } }]],
  ['partial', [{ type: 'state', state: { restricted: false, review: review({ status: 'partial', summary: summary({ incomplete: ['ɊȦ', 'ŞŘḖ'] }) }) } }]],
  ['partial, nobody named', [{ type: 'state', state: { restricted: false, review: review({ status: 'partial', summary: summary() }) } }]],
  ['stopped', [{ type: 'state', state: { restricted: false, review: review({ status: 'cancelled' }) } }]],
  ['failed with a reason', [{ type: 'state', state: { restricted: false, review: review({ status: 'failed', findings: [], summary: summary({ failure: 'ŧħḗ şḗřṽḗř şŧǿƥƥḗḓ', findings: 0 }) }) } }]],
  ['failed', [{ type: 'state', state: { restricted: false, review: review({ status: 'failed', findings: [] }) } }]],
  [
    'streamed: started, text, a finding, progress, a notice, finished; then a finding explained',
    [
      { type: 'state', state: { restricted: false } },
      { type: 'reviewStarted', review: review({ texts: {}, findings: [], personaStatus: {}, progress: undefined, notices: [] }) },
      { type: 'text', reviewId: 'r1', personaId: 'security', text: 'Ŧħḗ ɋŭḗřẏ ' },
      { type: 'finding', reviewId: 'r1', finding: finding(4, 'medium') },
      { type: 'progress', reviewId: 'r1', filesDone: 2, filesTotal: 2, findings: 1 },
      { type: 'personaStatus', reviewId: 'r1', personaId: 'security', state: 'done', findings: 1 },
      { type: 'notice', reviewId: 'r1', message: 'ƞǿŧīƈḗ' },
      { type: 'reviewFinished', reviewId: 'r1', status: 'done', summary: summary({ findings: 1, dropped: 0, errors: [] }) },
      { type: 'explain', finding: finding(5, 'high', { suggestion: 'Ŭşḗ `?` ƥŀȧƈḗħǿŀḓḗřş.' }) },
      { type: 'trust', restricted: false },
    ],
  ],
];

test('with a pseudo-translation, no English is left in the panel: visible text, tooltips and accessible names in every state', async () => {
  const panel = await openPanel('qps-ploc', pseudo);
  assert.equal(panel.document.documentElement.getAttribute('lang'), 'qps-ploc');
  assert.deepEqual(panel.posted.map((m) => m.type), ['ready'], 'the script ran and said ready');
  for (const [name, messages] of STATES) {
    for (const m of messages) await panel.send(m);
    const shown = [panel.text(), ...panel.attributes()];
    // The one literal the panel shows as is: the folder name in the Restricted Mode banner.
    const english = shown.flatMap((s) => s.replaceAll('.personas/', '').match(/[^\s]*[A-Za-z][^\s]*/g) ?? []);
    assert.deepEqual(english, [], `${name}: words that did not go through the string table`);
    assert.ok(panel.text().length > 40, `${name}: the panel shows something (${panel.text()})`);
  }
  // The states above did show the table's text (a render that showed nothing would pass the check too).
  const t = panelStrings(api('qps-ploc', pseudo));
  const body = panel.text();
  for (const s of [t.restrictedTitle, t.findingsHeading, t.stop, t.done, t.revealCode, t.suggestedFix, t.severity.high]) assert.ok(body.includes(s), `shows ${s}`);
  await panel.window.happyDOM.close();
});

test('in English the panel reads as before, with the right plural forms, counts in the badge label and the language in <html lang>', async () => {
  const panel = await openPanel('en', (s) => s);
  assert.equal(panel.document.documentElement.getAttribute('lang'), 'en');
  assert.match(panel.text('#empty'), /^No review yet\. Run Persona Review: Review as\.\.\. from the Command Palette/);
  assert.equal(panel.document.querySelector('#empty strong')?.textContent, 'Persona Review: Review as...');
  assert.equal(panel.document.querySelector('#restricted code')?.textContent, '.personas/');

  await panel.send({ type: 'state', state: { restricted: false, review: review() } });
  assert.match(panel.text('#status'), /^1\/3 files · 3 findings so far · \d+ s$/, 'progress, then the seconds the review has run');
  assert.equal(panel.text('#provider'), 'Claude (ƈŀȧŭḓḗ-ŧḗşŧ) — ƞǿ ķḗẏ şḗŧ');
  assert.deepEqual(Array.from(panel.document.querySelectorAll('.persona-status')).map((e) => e.textContent?.trim()), ['1 finding', '2 findings', 'reviewing…']);
  assert.equal(panel.document.getElementById('findings-count')?.getAttribute('aria-label'), '3 findings in this review');
  assert.equal(panel.document.querySelector('.finding')?.getAttribute('title'), 'Reveal şřƈ/ḓƀ.ĵş:12');
  assert.equal(panel.document.querySelector('.finding .badge')?.textContent, 'critical');

  await panel.send({ type: 'state', state: { restricted: false, review: review({ progress: { filesDone: 0, filesTotal: 1, findings: 1 } }) } });
  assert.match(panel.text('#status'), /^0\/1 file · 1 finding so far · \d+ s$/);

  await panel.send({ type: 'state', state: { restricted: false, review: review({ provider: 'offline', status: 'done', summary: summary() }) } });
  assert.equal(panel.text('#status'), 'done');
  const lines = Array.from(panel.document.querySelectorAll('#summary p')).map((p) => p.textContent);
  assert.deepEqual(lines, [
    '3 findings (1 critical · 1 high · 0 medium · 1 low) · reviewed in 1.2 s · 2 of the 5 reported are gone since (fixed, dismissed or cleared)',
    '2 proposed findings were dropped (quote not in the file, outside the target, or invalid).',
    'ɊȦ: ŧīḿḗḓ ǿŭŧ (the review was cut short; what arrived is kept)',
    'ŞŘḖ: řȧŧḗ ŀīḿīŧḗḓ',
    'ŧẇǿ ƒīŀḗş şķīƥƥḗḓ',
  ]);

  await panel.send({ type: 'state', state: { restricted: false, review: review({ status: 'partial', findings: [finding(1, 'low')], summary: summary({ findings: 2, dropped: 1, errors: [], notices: [], incomplete: ['ɊȦ'] }) }) } });
  assert.equal(panel.text('#status'), 'partial: ɊȦ did not finish');
  assert.deepEqual(Array.from(panel.document.querySelectorAll('#summary p')).map((p) => p.textContent), [
    '1 finding (0 critical · 0 high · 0 medium · 1 low) · reviewed in 1.2 s · 1 of the 2 reported is gone since (fixed, dismissed or cleared)',
    '1 proposed finding was dropped (quote not in the file, outside the target, or invalid).',
  ]);

  await panel.send({ type: 'explain', finding: finding(5, 'high', { suggestion: 'Ŭşḗ ƥŀȧƈḗħǿŀḓḗřş.' }) });
  assert.equal(panel.text('#explain .suggestion'), 'Suggested fix: Ŭşḗ ƥŀȧƈḗħǿŀḓḗřş.');
  assert.equal(panel.document.querySelector('#explain .suggestion strong')?.textContent, 'Suggested fix:');
  assert.equal(panel.document.querySelector('#explain button')?.textContent, 'Reveal code');
  await panel.window.happyDOM.close();
});

test("plural forms follow the display language's rules (CLDR through Intl.PluralRules): French 0 takes the one form, English 0 the other", () => {
  assert.equal(plural('en', 0, '{0} one', '{0} other'), '0 other');
  assert.equal(plural('en', 1, '{0} one', '{0} other'), '1 one');
  assert.equal(plural('fr', 0, '{0} un', '{0} autres'), '0 un');
  assert.equal(plural('fr', 1, '{0} un', '{0} autres'), '1 un');
  assert.equal(plural('fr', 2, '{0} un', '{0} autres'), '2 autres');
  assert.equal(plural('not a tag!', 1, '{0} one', '{0} other'), '1 one', 'an invalid tag falls back to English rules');
  assert.equal(plural('en', 2, '{0} of {1}', '{0} of {1}', 5), '2 of 5');
});

test('a translation cannot break out of the page: the table is a JSON data block and the static text is escaped', async () => {
  const hostile = (s: string) => (s === 'Restricted Mode.' ? '<b>Mode</b></script><script>window.pwned=1</script>' : s === 'Stop' ? '"><img src=x onerror=alert(1)>' : s);
  const panel = await openPanel('en', hostile);
  assert.equal(panel.document.querySelectorAll('script').length, 2, 'the string table and the webview script, nothing more');
  assert.equal(panel.document.querySelectorAll('img, b').length, 0);
  assert.equal((panel.window as unknown as { pwned?: number }).pwned, undefined);
  assert.equal(panel.document.querySelector('#restricted strong')?.textContent, '<b>Mode</b></script><script>window.pwned=1</script>');
  assert.equal(panel.text('#stop'), '"><img src=x onerror=alert(1)>');
  assert.deepEqual(panel.posted.map((m) => m.type), ['ready'], 'the script still ran, with the table read back intact');
  const html = panelPage({ nonce: 'n', cspSource: 'c', codiconsHref: 'a', cssHref: 'b', script: '', strings: panelStrings(api('en', hostile)) });
  assert.match(html, /script-src 'nonce-n'/);
  assert.doesNotMatch(html.slice(html.indexOf('id="panel-strings"')), /<\/script><script>window/);
  await panel.window.happyDOM.close();
});

test('every string of the panel is in l10n/bundle.l10n.json, so a bundle.l10n.<locale>.json translates the panel', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(repo, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
  const english = panelStrings(api('en', (s) => s));
  const { language: _language, severity, ...templates } = english;
  const all = [...Object.values(templates), ...Object.values(severity)];
  assert.ok(all.length >= 50, `the table holds the panel's strings (${all.length})`);
  assert.deepEqual(all.filter((s) => !(s in bundle)), []);
  // Each key of the table is filled from its own vscode.l10n.t call, not from another key's text.
  const seen = new Map<string, string>();
  const { language: _l, severity: sev, ...pseudoTemplates } = panelStrings(api('qps-ploc', pseudo));
  for (const [k, v] of Object.entries({ ...pseudoTemplates, ...sev })) seen.set(k, v);
  for (const [k, v] of Object.entries({ ...templates, ...severity })) assert.equal(seen.get(k), pseudo(v), k);
});
