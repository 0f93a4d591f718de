/**
 * The review panel's message protocol (src/shared/webview.ts): the type guards the host uses on messages
 * from the webview accept exactly the well-formed ones, the state both sides keep follows the messages,
 * and only safe web links may be opened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyHostMessage,
  isHostToWebviewMessage,
  isLayoutMessage,
  isOpenLinkMessage,
  isPaintedMessage,
  isPongMessage,
  isReadyMessage,
  isRevealFindingMessage,
  isStopMessage,
  isWebviewToHostMessage,
  MAX_PANEL_SHARE,
  MIN_PANEL_COLUMNS,
  safeWebUrl,
  widenedShare,
  type PanelFinding,
  type PanelReview,
  type PanelState,
} from '../../src/shared/webview';

const finding = (fingerprint: string, severity: PanelFinding['severity'] = 'high'): PanelFinding => ({
  fingerprint,
  severity,
  title: 'SQL built from request input',
  category: 'sql-injection',
  message: 'Use a parameterised query.',
  personas: ['Security Engineer'],
  file: 'server.js',
  startLine: 10,
  endLine: 10,
  references: [{ label: 'CWE-89', href: 'https://cwe.mitre.org/data/definitions/89.html' }],
  hasFix: false,
});

const review = (reviewId: string): PanelReview => ({
  reviewId,
  title: 'Security Engineer · server.js',
  provider: 'offline',
  personas: [{ id: 'security', name: 'Security Engineer', icon: 'shield' }],
  texts: {},
  personaStatus: {},
  findings: [],
  status: 'running',
  notices: [],
});

test('messages from the webview: well-formed ones pass their guard, anything else is rejected', () => {
  assert.ok(isReadyMessage({ type: 'ready' }));
  assert.ok(isReadyMessage({ type: 'ready', columns: 58 }));
  assert.ok(isLayoutMessage({ type: 'layout', columns: 71 }));
  assert.ok(isOpenLinkMessage({ type: 'openLink', href: 'https://owasp.org/' }));
  assert.ok(isRevealFindingMessage({ type: 'revealFinding', fingerprint: 'abc' }));
  assert.ok(isStopMessage({ type: 'stop', reviewId: 'r1' }));
  const painted = { type: 'painted', reviewId: 'r1', phase: 'first', chars: 120, renderedChars: 120, messages: 4, receivedAt: 1_699_999_999_990, frames: 2, at: 1_700_000_000_000 };
  assert.ok(isPaintedMessage(painted));
  assert.ok(isWebviewToHostMessage({ ...painted, phase: 'final' }));
  for (const bad of [
    null,
    'ready',
    [],
    { command: 'ready' },
    { type: 'openLink' },
    { type: 'openLink', href: 42 },
    { type: 'openLink', href: 'x'.repeat(9000) },
    { type: 'revealFinding', fingerprint: '' },
    { type: 'stop', reviewId: { toString: () => 'r1' } },
    { type: 'runCommand', command: 'workbench.action.quit' },
    { type: 'ready', columns: -3 },
    { type: 'ready', columns: 12.5 },
    { type: 'layout' },
    { type: 'layout', columns: 1e9 },
    { type: 'painted', reviewId: 'r1', phase: 'first', chars: 1, renderedChars: 1, messages: 1, receivedAt: 1, frames: 1 },
    { type: 'painted', reviewId: 'r1', phase: 'middle', chars: 1, renderedChars: 1, messages: 1, receivedAt: 1, frames: 1, at: 1 },
    { type: 'painted', reviewId: 'r1', phase: 'final', chars: -1, renderedChars: 1, messages: 1, receivedAt: 1, frames: 1, at: 1 },
    { type: 'painted', reviewId: 'r1', phase: 'final', chars: 1, renderedChars: Number.NaN, messages: 1, receivedAt: 1, frames: 1, at: 1 },
    { type: 'painted', reviewId: '', phase: 'final', chars: 1, renderedChars: 1, messages: 1, receivedAt: 1, frames: 1, at: 1 },
  ]) {
    assert.equal(isWebviewToHostMessage(bad), false, JSON.stringify(bad));
  }
});

test('messages from the host: each kind passes the webview guard; unknown kinds do not', () => {
  const ok = [
    { type: 'state', state: { restricted: false } },
    { type: 'reviewStarted', review: review('r1') },
    { type: 'text', reviewId: 'r1', personaId: 'security', text: 'hi' },
    { type: 'personaStatus', reviewId: 'r1', personaId: 'security', state: 'done', findings: 1 },
    { type: 'finding', reviewId: 'r1', finding: finding('f1') },
    { type: 'progress', reviewId: 'r1', filesDone: 1, filesTotal: 2, findings: 1 },
    { type: 'notice', reviewId: 'r1', message: '1 secret redacted' },
    { type: 'reviewFinished', reviewId: 'r1', status: 'done', summary: {} },
    { type: 'explain', finding: finding('f1') },
    { type: 'trust', restricted: true },
  ];
  for (const m of ok) assert.ok(isHostToWebviewMessage(m), m.type);
  assert.equal(isHostToWebviewMessage({ type: 'text', reviewId: 'r1', personaId: 'security' }), false);
  assert.equal(isHostToWebviewMessage({ type: 'eval', code: '1' }), false);
});

test('the kept state follows a whole review, so a reopened panel shows what it showed before', () => {
  let state: PanelState = { restricted: false };
  state = applyHostMessage(state, { type: 'reviewStarted', review: review('r1') });
  state = applyHostMessage(state, { type: 'personaStatus', reviewId: 'r1', personaId: 'security', state: 'running' });
  for (const t of ['## Review', '\n\nThe query ', 'is built from input.']) state = applyHostMessage(state, { type: 'text', reviewId: 'r1', personaId: 'security', text: t });
  state = applyHostMessage(state, { type: 'finding', reviewId: 'r1', finding: finding('f1', 'critical') });
  state = applyHostMessage(state, { type: 'finding', reviewId: 'r1', finding: { ...finding('f1', 'critical'), possiblyFixed: true } });
  state = applyHostMessage(state, { type: 'finding', reviewId: 'r1', finding: finding('f2', 'low') });
  state = applyHostMessage(state, { type: 'notice', reviewId: 'r1', message: 'Secrets redacted: 1' });
  state = applyHostMessage(state, { type: 'progress', reviewId: 'r1', filesDone: 1, filesTotal: 1, findings: 2 });
  // A late message of an older review changes nothing.
  state = applyHostMessage(state, { type: 'text', reviewId: 'r0', personaId: 'security', text: 'stale' });
  state = applyHostMessage(state, {
    type: 'reviewFinished',
    reviewId: 'r1',
    status: 'done',
    summary: { findings: 2, bySeverity: { critical: 1, high: 0, medium: 0, low: 1 }, dropped: 0, errors: [], notices: [], durationMs: 12 },
  });
  const r = state.review!;
  assert.equal(r.texts.security, '## Review\n\nThe query is built from input.');
  assert.deepEqual(
    r.findings.map((f) => [f.fingerprint, f.possiblyFixed ?? false]),
    [
      ['f1', true],
      ['f2', false],
    ],
    'a finding sent again replaces the old one',
  );
  assert.equal(r.status, 'done');
  assert.equal(r.summary?.findings, 2);
  assert.deepEqual(r.notices, ['Secrets redacted: 1']);
  assert.deepEqual(r.progress, { filesDone: 1, filesTotal: 1, findings: 2 });

  // A new review replaces the old one; the state message (sent after `ready`) restores everything at once.
  const copy = JSON.parse(JSON.stringify(state)) as PanelState;
  state = applyHostMessage(state, { type: 'reviewStarted', review: review('r2') });
  assert.equal(state.review?.reviewId, 'r2');
  assert.deepEqual(applyHostMessage(state, { type: 'state', state: copy }), copy);
});

test('only absolute http(s) links without credentials may be opened', () => {
  assert.equal(safeWebUrl('https://owasp.org/Top10/A03_2021-Injection/'), 'https://owasp.org/Top10/A03_2021-Injection/');
  assert.equal(safeWebUrl('  http://cwe.mitre.org/data/definitions/89.html'), 'http://cwe.mitre.org/data/definitions/89.html');
  for (const bad of [
    'javascript:alert(1)',
    'command:workbench.action.terminal.new',
    'file:///etc/passwd',
    'vscode://vscode.git/clone?url=x',
    'data:text/html,<script>1</script>',
    '/relative/path',
    '#anchor',
    'https://user:secret@example.com/',
    'https://' + 'a'.repeat(2100) + '.com',
  ]) {
    assert.equal(safeWebUrl(bad), undefined, bad);
  }
});

test('the panel widens to fit 80 code columns, at most to 60% of the editor area, never narrows', () => {
  // Half the area fits 58 columns: 80 need 0.5 × 80 / 58 ≈ 0.69, capped at 0.6.
  assert.equal(widenedShare(58, 0.5), MAX_PANEL_SHARE);
  // Half fits 70: 0.5 × 80 / 70 ≈ 0.571 is enough.
  assert.ok(Math.abs(widenedShare(70, 0.5) - 0.5 * (MIN_PANEL_COLUMNS / 70)) < 1e-9);
  // Wide enough already, or nothing measured: unchanged.
  assert.equal(widenedShare(80, 0.5), 0.5);
  assert.equal(widenedShare(120, 0.5), 0.5);
  assert.equal(widenedShare(0, 0.5), 0.5);
  // A panel that has more than the cap already keeps it.
  assert.equal(widenedShare(40, 0.7), 0.7);
});

test('a ping passes the webview guard and changes nothing shown; only a well-formed pong is accepted back', () => {
  const ping = { type: 'ping', id: 3 };
  assert.ok(isHostToWebviewMessage(ping));
  assert.ok(!isHostToWebviewMessage({ type: 'ping', id: 'x' }), 'a ping needs a numeric id');
  const state = { restricted: false } as Parameters<typeof applyHostMessage>[0];
  const before = JSON.stringify(state);
  assert.equal(JSON.stringify(applyHostMessage(state, ping as never)), before, 'the state the panel shows is untouched');
  assert.ok(isPongMessage({ type: 'pong', id: 3, receivedAt: 1_700_000_000_000, at: 1_700_000_000_016 }));
  assert.ok(isWebviewToHostMessage({ type: 'pong', id: 3, receivedAt: 1, at: 2 }));
  for (const bad of [{ type: 'pong', id: 3, receivedAt: -1, at: 2 }, { type: 'pong', id: 3, receivedAt: 1 }, { type: 'pong', id: '3', receivedAt: 1, at: 2 }]) {
    assert.ok(!isPongMessage(bad), JSON.stringify(bad));
  }
});
