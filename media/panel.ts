/**
 * The review panel's script, running inside the webview (bundled by scripts/build.mjs for the browser as
 * an IIFE, dist/webview.js, and inlined by the host with a CSP nonce). It talks to the extension only
 * through the typed messages of src/shared/webview.ts: it posts `ready` once loaded, then renders what the
 * host sends. Streamed markdown goes through {@link StreamingMarkdown} (append-only completed blocks, a
 * re-rendered tail, and raw text for characters not rendered yet) and {@link FrameThrottle} (at most one
 * flush per animation frame); see
 * media/streamRender.ts for why the total work stays linear in the review's length.
 *
 * Untrusted text (model output, file names) enters the DOM only as `textContent` or as markdown-it output
 * with HTML off; links are never followed by the webview itself: a click posts `openLink` and the host
 * decides.
 */
import {
  applyHostMessage,
  hostPostMessages,
  type HostToWebviewMessage,
  type PanelFinding,
  type PanelReview,
  type PanelState,
  type PanelSummary,
  type WebviewToHostMessage,
} from '../src/shared/webview';
import { format, isPanelStrings, plural, pluralForm, type PanelStrings } from '../src/shared/panelStrings';
import { createMarkdown } from './markdown';
import { FrameThrottle, StreamingMarkdown } from './streamRender';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void };

/** When this script started (webview `Date.now()`), for the paint reports. */
const scriptAt = Date.now();
const vscode = acquireVsCodeApi();

/**
 * The panel's text in VS Code's display language: the table the host put into the page (src/extension/panelPage.ts,
 * translated with vscode.l10n in src/extension/panelStrings.ts). This script writes no user-facing words of its own.
 */
const t: PanelStrings = (() => {
  const raw = document.getElementById('panel-strings')?.textContent;
  const parsed: unknown = raw ? JSON.parse(raw) : undefined;
  if (!isPanelStrings(parsed)) throw new Error('panel page lacks its string table (#panel-strings)');
  return parsed;
})();
/** `one` or `other` form for `count` (see src/shared/panelStrings.ts `plural`). */
const count = (n: number, one: string, other: string, ...rest: Array<string | number>): string => plural(t.language, n, one, other, ...rest);
/** Seconds with one decimal, written as the display language writes numbers. */
const seconds = (ms: number): string => {
  try {
    return new Intl.NumberFormat(t.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000);
  } catch {
    return (ms / 1000).toFixed(1);
  }
};
const md = createMarkdown();
const render = (src: string): string => md.render(src);

/** Posts a typed message to the host. */
function post(message: WebviewToHostMessage): void {
  vscode.postMessage(message);
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;
const SEVERITY_ICON: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'info' };

let state: PanelState = { restricted: false };

/** One persona's streamed review: its markdown model and the two DOM parts it renders into. */
interface Section {
  doc: StreamingMarkdown;
  done: HTMLElement;
  tail: HTMLElement;
  status: HTMLElement;
}
const sections = new Map<string, Section>();
const dirty = new Set<string>();

const throttle = new FrameThrottle(
  (cb) => requestAnimationFrame(cb),
  () => {
    for (const id of dirty) {
      const s = sections.get(id);
      if (!s) continue;
      const out = s.doc.flush();
      if (out.append) s.done.insertAdjacentHTML('beforeend', out.append);
      if (out.tail !== undefined) s.tail.innerHTML = out.tail;
      if (out.raw) deepestLast(s.tail).append(document.createTextNode(out.raw));
    }
    dirty.clear();
    reportPaints();
  },
);

/**
 * Paint reports (src/shared/webview.ts `PaintedMessage`, for the log and the benchmark) about the review
 * this page saw start; a review restored by a `state` message is not measured.
 */
let measured: { reviewId: string; chars: number; messages: number; receivedAt: number; startedAt: number; first: boolean; final: boolean } | undefined;
/** When this page posted `ready` (webview `Date.now()`). */
let readyAt = 0;

/** After a flush: report the first paint with text and the paint after `reviewFinished`, once each. */
function reportPaints(): void {
  const m = measured;
  if (!m || state.review?.reviewId !== m.reviewId) return;
  const phases: Array<'first' | 'final'> = [];
  if (!m.first && m.chars > 0) phases.push('first');
  if (!m.final && state.review.status !== 'running') phases.push('final');
  if (phases.length === 0) return;
  m.first ||= phases.includes('first');
  m.final ||= phases.includes('final');
  let renderedChars = 0;
  for (const s of sections.values()) renderedChars += s.doc.renderedChars;
  const counts = { reviewId: m.reviewId, chars: m.chars, renderedChars, messages: m.messages, receivedAt: m.receivedAt, frames: throttle.frames, page: { scriptAt, readyAt, startedAt: m.startedAt } };
  // The DOM changes are rendered at the latest in the frame after the next animation-frame callback (the
  // next one itself, when the flush ran outside a frame); a task posted from that callback runs once that
  // frame's style, layout and paint are done. So `at` is after the paint, never before it.
  requestAnimationFrame(() => afterRender(() => {
    const at = Date.now();
    for (const phase of phases) post({ type: 'painted', phase, ...counts, at });
  }));
}

/** Runs `fn` in a task of its own (a MessageChannel message: not clamped like a timer). */
function afterRender(fn: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(undefined);
}

// ---------------------------------------------------------------------------------------------------
// DOM helpers

const VOID = new Set(['BR', 'HR', 'IMG', 'INPUT', 'WBR']);

/** The innermost last element of `e` (the paragraph, list item or code element text would continue in). */
function deepestLast(e: Element): Element {
  let cur = e;
  while (cur.lastElementChild && !VOID.has(cur.lastElementChild.tagName)) cur = cur.lastElementChild;
  return cur;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A codicon element; the id is reduced to the characters codicon ids use. */
function icon(id: string, extra = ''): HTMLElement {
  const safe = id.replace(/[^a-z0-9-]/g, '') || 'circle-outline';
  const i = el('i', `codicon codicon-${safe}${extra ? ' ' + extra : ''}`);
  // Decorative: the text beside it says the same.
  i.setAttribute('aria-hidden', 'true');
  return i;
}

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`panel markup lacks #${id}`);
  return e;
}

const root = {
  banner: byId('restricted'),
  empty: byId('empty'),
  header: byId('header'),
  title: byId('title'),
  provider: byId('provider'),
  status: byId('status'),
  stop: byId('stop') as HTMLButtonElement,
  explain: byId('explain'),
  findingsSection: byId('findings'),
  findingsCount: byId('findings-count'),
  findings: byId('findings-list'),
  reviews: byId('reviews'),
  notices: byId('notices'),
  summary: byId('summary'),
};

// ---------------------------------------------------------------------------------------------------
// Rendering

function renderAll(): void {
  sections.clear();
  dirty.clear();
  root.banner.hidden = !state.restricted;
  renderExplain(state.explain);
  const review = state.review;
  root.empty.hidden = review !== undefined;
  root.header.hidden = review === undefined;
  root.findingsSection.hidden = review === undefined;
  root.findings.replaceChildren();
  root.reviews.replaceChildren();
  root.notices.replaceChildren();
  root.summary.replaceChildren();
  if (!review) return;
  root.title.textContent = review.title;
  renderProvider(review);
  for (const f of review.findings) addFinding(f);
  updateFindingsCount(review);
  for (const p of review.personas) {
    const section = addSection(p.id, p.name, p.icon);
    const text = review.texts[p.id];
    if (text) section.doc.append(text);
    const st = review.personaStatus[p.id];
    if (st && st.state !== 'running') section.doc.finish();
    if (review.status !== 'running') section.doc.finish();
    updateSectionStatus(p.id, review);
    dirty.add(p.id);
  }
  for (const n of review.notices) root.notices.append(el('li', '', n));
  updateStatus(review);
  if (review.summary) renderSummary(review.summary, review);
  throttle.request();
}

/** Who answers: the offline rules, Claude (its model) or the chat model by name, and why when it is not what the settings ask. */
function renderProvider(review: PanelReview): void {
  const label =
    review.provider === 'anthropic'
      ? review.model
        ? format(t.providerClaudeModel, review.model)
        : t.providerClaude
      : review.provider === 'vscode-lm'
        ? review.model
          ? format(t.providerChatModel, review.model)
          : t.providerChatModelUnnamed
        : t.providerOffline;
  root.provider.textContent = review.providerNote ? format(t.providerWithNote, label, review.providerNote) : label;
  root.provider.title = review.providerNote ?? '';
}

function addSection(id: string, name: string, iconId: string): Section {
  const article = el('article', 'persona');
  const h = el('h2');
  h.append(icon(iconId), el('span', 'name', name));
  const status = el('span', 'persona-status');
  h.append(status);
  const done = el('div', 'md');
  const tail = el('div', 'md tail');
  article.append(h, done, tail);
  root.reviews.append(article);
  const s: Section = { doc: new StreamingMarkdown(render), done, tail, status };
  sections.set(id, s);
  return s;
}

function updateSectionStatus(personaId: string, review: PanelReview): void {
  const s = sections.get(personaId);
  if (!s) return;
  const st = review.personaStatus[personaId];
  s.status.replaceChildren();
  if (!st || st.state === 'running') {
    if (review.status === 'running') s.status.append(icon('watch'), el('span', '', ` ${t.personaReviewing}`));
    return;
  }
  if (st.state === 'failed') {
    s.status.append(icon('error', 'sev-critical'), el('span', '', ` ${st.error ?? t.personaFailed}`));
  } else {
    s.status.append(icon('check'), el('span', '', ` ${count(st.findings ?? 0, t.personaFindingsOne, t.personaFindingsOther)}`));
  }
}

function findingItem(f: PanelFinding): HTMLElement {
  const li = el('li', `finding sev-${f.severity}${f.possiblyFixed ? ' possibly-fixed' : ''}`);
  li.dataset.fingerprint = f.fingerprint;
  li.dataset.severity = f.severity;
  li.tabIndex = 0;
  li.setAttribute('role', 'button');
  li.title = format(t.revealLocation, f.file, f.startLine);
  const head = el('div', 'finding-head');
  head.append(icon(SEVERITY_ICON[f.severity] ?? 'info', `sev-${f.severity}`), el('span', `badge sev-${f.severity}`, t.severity[f.severity]));
  head.append(el('span', 'finding-title', f.title));
  const meta = el('div', 'finding-meta');
  const range = f.endLine > f.startLine ? `${f.startLine}-${f.endLine}` : `${f.startLine}`;
  meta.append(el('span', 'location', `${f.file}:${range}`), el('span', 'personas', f.personas.join(t.listSeparator)));
  if (f.hasFix) meta.append(el('span', 'fix', t.quickFixAvailable));
  if (f.possiblyFixed) meta.append(el('span', 'fix', t.possiblyFixed));
  li.append(head, meta);
  return li;
}

/** Inserts a finding in severity order (most severe first, then arrival), replacing one with the same fingerprint. */
function addFinding(f: PanelFinding): void {
  const item = findingItem(f);
  const existing = root.findings.querySelector(`[data-fingerprint="${CSS.escape(f.fingerprint)}"]`);
  if (existing) {
    existing.replaceWith(item);
    return;
  }
  const rank = SEVERITY_ORDER.indexOf(f.severity);
  for (const child of Array.from(root.findings.children) as HTMLElement[]) {
    const r = SEVERITY_ORDER.indexOf((child.dataset.severity ?? 'low') as (typeof SEVERITY_ORDER)[number]);
    if (r > rank) {
      root.findings.insertBefore(item, child);
      return;
    }
  }
  root.findings.append(item);
}

function updateFindingsCount(review: PanelReview): void {
  root.findingsCount.textContent = String(review.findings.length);
  root.findingsCount.setAttribute('aria-label', count(review.findings.length, t.findingsCountOne, t.findingsCountOther));
}

/** Replaces the list with the findings as they stand now (the finding store after a fix, dismissal or clear). */
function replaceFindings(review: PanelReview): void {
  root.findings.replaceChildren();
  for (const f of review.findings) addFinding(f);
  updateFindingsCount(review);
  if (review.summary) renderSummary(review.summary, review);
}

/**
 * The running review's clock: when this page saw it start (or restored it running), and the timer that
 * rewrites its elapsed time once a second. The panel shows time passing this way rather than with a
 * spinner: a spinner makes the page produce frames continuously (20 a second even with VS Code's stepped
 * `~spin`), each composited in software where there is no GPU, on the cores the review itself needs
 * (bench:extension, first text to first paint: median 42 ms over 10 sessions without it, 60 ms over 20 with
 * it at 20 steps a second; codicon.css's own smooth loading spinner, a frame per display refresh, was worse).
 */
const clock: { reviewId?: string; since: number; timer?: ReturnType<typeof setInterval>; node?: HTMLElement } = { since: 0 };

function elapsedText(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? format(t.elapsedSeconds, s) : format(t.elapsedMinutes, Math.floor(s / 60), s % 60);
}

/** Starts, keeps or stops the clock for `review`; `node` is where its text goes while it runs. */
function tickClock(review: PanelReview, node: HTMLElement | undefined): void {
  if (review.status !== 'running' || !node) {
    if (clock.timer !== undefined) clearInterval(clock.timer);
    clock.timer = undefined;
    clock.node = undefined;
    return;
  }
  if (clock.reviewId !== review.reviewId) {
    clock.reviewId = review.reviewId;
    clock.since = Date.now();
  }
  clock.node = node;
  node.textContent = `${t.separator}${elapsedText(Date.now() - clock.since)}`;
  clock.timer ??= setInterval(() => {
    if (clock.node) clock.node.textContent = `${t.separator}${elapsedText(Date.now() - clock.since)}`;
  }, 1000);
}

function updateStatus(review: PanelReview): void {
  root.stop.hidden = review.status !== 'running';
  root.status.replaceChildren();
  if (review.status === 'running') {
    const p = review.progress;
    const text = p
      ? ` ${format(pluralForm(t.language, p.filesTotal, t.progressFilesOne, t.progressFilesOther), p.filesDone, p.filesTotal)}${t.separator}${count(p.findings, t.progressFindingsOne, t.progressFindingsOther)}`
      : ` ${t.starting}`;
    const elapsed = el('span', 'elapsed', '');
    root.status.append(icon('watch'), el('span', '', text), elapsed);
    tickClock(review, elapsed);
    return;
  }
  tickClock(review, undefined);
  if (review.status === 'cancelled') {
    root.status.append(icon('debug-stop'), el('span', '', ` ${t.stopped}`));
  } else if (review.status === 'failed') {
    const why = review.summary?.failure;
    root.status.append(icon('error', 'sev-critical'), el('span', 'error', ` ${why ? format(t.failedBecause, why) : t.failed}`));
  } else if (review.status === 'partial') {
    const who = review.summary?.incomplete?.join(t.listSeparator);
    root.status.append(icon('warning', 'sev-medium'), el('span', '', ` ${who ? format(t.partialWho, who) : t.partial}`));
  } else {
    root.status.append(icon('pass'), el('span', '', ` ${t.done}`));
  }
}

/** The end of the review; the counts are those of the findings as they stand now (the list above). */
function renderSummary(s: PanelSummary, review: PanelReview): void {
  root.summary.replaceChildren();
  if (s.failure) root.summary.append(el('p', 'error', s.failure));
  const now = review.findings;
  const counts = SEVERITY_ORDER.map((k) => format(t.severityCount, now.filter((f) => f.severity === k).length, t.severity[k])).join(t.separator);
  const gone = s.findings - now.length;
  const parts = [count(now.length, t.summaryFindingsOne, t.summaryFindingsOther, counts), format(t.reviewedIn, seconds(s.durationMs))];
  if (gone > 0) parts.push(count(gone, t.goneOne, t.goneOther, s.findings));
  root.summary.append(el('p', '', parts.join(t.separator)));
  if (s.dropped > 0) root.summary.append(el('p', 'muted', count(s.dropped, t.droppedOne, t.droppedOther)));
  for (const e of s.errors) root.summary.append(el('p', 'error', format(e.partial ? t.personaErrorPartial : t.personaError, e.persona, e.message)));
  for (const n of s.notices) root.summary.append(el('p', 'muted', n));
}

function renderExplain(f: PanelFinding | undefined): void {
  root.explain.replaceChildren();
  root.explain.hidden = !f;
  if (!f) return;
  const card = el('div', `explain-card sev-${f.severity}`);
  const h = el('h2');
  h.append(icon(SEVERITY_ICON[f.severity] ?? 'info', `sev-${f.severity}`), el('span', `badge sev-${f.severity}`, t.severity[f.severity]), el('span', '', f.title));
  const meta = el('p', 'finding-meta');
  meta.append(el('span', 'location', `${f.file}:${f.startLine}`), el('span', 'personas', f.personas.join(t.listSeparator)), el('span', 'muted', f.category));
  const body = el('div', 'md');
  body.innerHTML = render(f.message);
  card.append(h, meta, body);
  if (f.suggestion) {
    const sug = el('div', 'md suggestion');
    // The label is translated text inside markdown: its punctuation is escaped so it stays literal.
    sug.innerHTML = render(`**${t.suggestedFix.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&')}** ${f.suggestion}`);
    card.append(sug);
  }
  if (f.references.length > 0) {
    const refs = el('p', 'refs');
    for (const r of f.references) {
      if (r.href) {
        const a = el('a', '', r.label);
        a.href = r.href;
        refs.append(a, document.createTextNode(' '));
      } else refs.append(el('span', '', r.label + ' '));
    }
    card.append(refs);
  }
  const reveal = el('button', 'secondary', t.revealCode);
  reveal.dataset.reveal = f.fingerprint;
  card.append(reveal);
  root.explain.append(card);
}

// ---------------------------------------------------------------------------------------------------
// Messages

/** The review whose first streamed text has been shown (later text waits for the next frame). */
let textShownFor: string | undefined;

function onMessage(m: HostToWebviewMessage): void {
  if (m.type === 'ping') {
    const receivedAt = Date.now();
    requestAnimationFrame(() => afterRender(() => post({ type: 'pong', id: m.id, receivedAt, at: Date.now() })));
    return;
  }
  state = applyHostMessage(state, m);
  if (m.type === 'reviewStarted') measured = { reviewId: m.review.reviewId, chars: 0, messages: 0, receivedAt: 0, startedAt: Date.now(), first: false, final: false };
  else if (m.type === 'state') measured = undefined;
  if (measured && ('reviewId' in m ? m.reviewId : m.type === 'reviewStarted' ? m.review.reviewId : undefined) === measured.reviewId) {
    measured.messages++;
    measured.receivedAt = Date.now();
    if (m.type === 'text') measured.chars += m.text.length;
  }
  const review = state.review;
  switch (m.type) {
    case 'state':
    case 'reviewStarted':
      renderAll();
      return;
    case 'trust':
      root.banner.hidden = !state.restricted;
      return;
    case 'explain':
      renderExplain(state.explain);
      root.explain.scrollIntoView({ block: 'start' });
      return;
  }
  if (!review || review.reviewId !== m.reviewId) return;
  switch (m.type) {
    case 'text': {
      const s = sections.get(m.personaId) ?? addSection(m.personaId, m.personaId, 'person');
      s.doc.append(m.text);
      dirty.add(m.personaId);
      // A review's first text shows at once; later text at most once a frame.
      if (textShownFor !== review.reviewId) {
        textShownFor = review.reviewId;
        throttle.now();
      } else throttle.request();
      break;
    }
    case 'personaStatus': {
      if (m.state !== 'running') sections.get(m.personaId)?.doc.finish();
      updateSectionStatus(m.personaId, review);
      dirty.add(m.personaId);
      throttle.request();
      break;
    }
    case 'finding':
      addFinding(m.finding);
      updateFindingsCount(review);
      break;
    case 'findings':
      replaceFindings(review);
      break;
    case 'model':
      renderProvider(review);
      break;
    case 'progress':
      updateStatus(review);
      break;
    case 'notice':
      root.notices.append(el('li', '', m.message));
      break;
    case 'reviewFinished':
      for (const [id, s] of sections) {
        s.doc.finish();
        dirty.add(id);
        updateSectionStatus(id, review);
      }
      updateStatus(review);
      renderSummary(m.summary, review);
      throttle.request();
      break;
  }
}

/**
 * Saves the shown state with the webview (`setState`), so VS Code can hand it to the extension's
 * WebviewPanelSerializer after a window reload. Streamed text and findings save at most once a second
 * (each save serialises the whole review on the main thread the workbench shares).
 */
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveState(now: boolean): void {
  if (now) {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    vscode.setState(state);
    return;
  }
  saveTimer ??= setTimeout(() => saveState(true), 1000);
}

/** Messages after which the shown state is saved at once; after the others (streamed text, progress, findings as they stream), within a second. */
const SAVE_AT_ONCE = new Set<HostToWebviewMessage['type']>(['state', 'reviewStarted', 'reviewFinished', 'findings', 'explain', 'trust']);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // One message, or a batch of those that queued while the host waited for an earlier post (src/shared/panelOutbox.ts).
  const messages = hostPostMessages(event.data);
  if (!messages) return;
  for (const m of messages) onMessage(m);
  if (messages.every((m) => m.type === 'ping')) return; // nothing shown changed
  saveState(messages.some((m) => SAVE_AT_ONCE.has(m.type)));
});

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const link = target?.closest('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) post({ type: 'openLink', href });
    return;
  }
  const reveal = target?.closest<HTMLElement>('[data-reveal]');
  if (reveal?.dataset.reveal) {
    post({ type: 'revealFinding', fingerprint: reveal.dataset.reveal });
    return;
  }
  const finding = target?.closest<HTMLElement>('[data-fingerprint]');
  if (finding?.dataset.fingerprint) post({ type: 'revealFinding', fingerprint: finding.dataset.fingerprint });
});

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const finding = (event.target as Element | null)?.closest<HTMLElement>('[data-fingerprint]');
  if (finding?.dataset.fingerprint) {
    event.preventDefault();
    post({ type: 'revealFinding', fingerprint: finding.dataset.fingerprint });
  }
});

root.stop.addEventListener('click', () => {
  const id = state.review?.reviewId;
  if (id && state.review?.status === 'running') post({ type: 'stop', reviewId: id });
});

/**
 * Characters of the editor font that fit across a code block now: the body's content width less a code
 * block's padding (8 px each side, media/panel.css `.md pre`), over the width of one "0" (measured on 100).
 */
function codeColumns(): number {
  const probe = document.createElement('span');
  probe.className = 'measure';
  probe.textContent = '0'.repeat(100);
  document.body.append(probe);
  const charWidth = probe.getBoundingClientRect().width / 100;
  probe.remove();
  const style = getComputedStyle(document.body);
  const width = document.body.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
  return charWidth > 0 ? Math.max(0, Math.floor(width / charWidth)) : 0;
}

// Width changes (the user drags the sash, or the host widens the panel): say so at most every 200 ms.
let lastColumns = codeColumns();
let layoutTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  layoutTimer ??= setTimeout(() => {
    layoutTimer = undefined;
    const columns = codeColumns();
    if (columns !== lastColumns) post({ type: 'layout', columns });
    lastColumns = columns;
  }, 200);
}).observe(document.body);

readyAt = Date.now();
post({ type: 'ready', columns: lastColumns });

// Once the page is idle, run markdown-it over a little of everything a review holds, so that the first
// streamed text does not also pay for compiling the renderer's code paths (measured by bench/extension.ts).
setTimeout(() => void render('## a\n\n**b** *c* `d` [e](https://example.com)\n\n- f\n1. g\n\n```js\nh\n```\n\n| i | j |\n| - | - |\n| k | l |\n\n> m\n'), 0);
