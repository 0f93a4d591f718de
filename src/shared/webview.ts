/**
 * Messages between the review panel's webview (media/panel.ts) and its host (src/extension/panel.ts),
 * typed like a protocol: one discriminated union per direction, a type guard per message, and a `ready`
 * handshake — the webview posts `ready` when its script has loaded, and the host posts nothing before it
 * (after gitkraken/vscode-gitlens IPC types and vscode-pull-request-github's `ready`). The host answers
 * `ready` with the whole {@link PanelState}, so the panel survives being hidden and reopened with
 * `retainContextWhenHidden: false`.
 *
 * Messages from the webview are untrusted input to the host: {@link isWebviewToHostMessage} checks every
 * field's type before the host acts on one.
 *
 * This module imports nothing at run time, so the webview bundle can use it (DESIGN.md, "Module
 * boundaries": webview code imports only src/shared).
 */
import type { Severity } from './severity';

/** A persona as the panel shows it. `icon` is a codicon id without `$()`. */
export interface PanelPersona {
  id: string;
  name: string;
  icon: string;
}

/** A finding as the panel lists it. Lines are 1-based and inclusive, as in the Finding schema. */
export interface PanelFinding {
  /** Identifies the finding to the host (reveal, explain); stable across runs and line shifts. */
  fingerprint: string;
  severity: Severity;
  title: string;
  category: string;
  /** Markdown from the reviewer (a model or a rule): rendered with HTML off. */
  message: string;
  /** Display names of the personas that reported it. */
  personas: string[];
  /** Workspace-relative path. */
  file: string;
  startLine: number;
  endLine: number;
  /** References (e.g. `CWE-89`) with a link when one is known (OWASP and CWE pages). */
  references: Array<{ label: string; href?: string }>;
  /** What the suggested fix does, when there is one. */
  suggestion?: string;
  /** True when a quick fix can replace the code. */
  hasFix: boolean;
  /** Set when the quoted code was edited since the review: the finding may be fixed. */
  possiblyFixed?: boolean;
}

/** How a review ended, or that it still runs. `partial`: some personas did not finish; `failed`: none produced anything. */
export type ReviewStatus = 'running' | 'done' | 'partial' | 'cancelled' | 'failed';

/** The end of a review as the panel shows it. Durations in milliseconds. */
export interface PanelSummary {
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Findings proposed but not kept (quote not in the file, outside the changes, invalid). */
  dropped: number;
  /** Per persona: a message safe to show (never a stack trace); `partial` when some output had arrived. */
  errors: Array<{ persona: string; message: string; partial: boolean }>;
  notices: string[];
  durationMs: number;
  /** Set when the review could not run at all, or every persona failed: a message safe to show. */
  failure?: string;
  /** Display names of the personas that did not finish (a partial review). */
  incomplete?: string[];
}

/** One review shown in the panel. */
export interface PanelReview {
  reviewId: string;
  /** E.g. "Security Engineer · src/app.ts". */
  title: string;
  /** `offline`, `anthropic` or `vscode-lm`. */
  provider: string;
  /** The model that answers (Claude model id, or the chat model's name) once known. */
  model?: string;
  /** Why this provider was used when it is not what the settings ask for (no key, Restricted Mode). */
  providerNote?: string;
  personas: PanelPersona[];
  /** Streamed markdown per persona id, in arrival order. */
  texts: Record<string, string>;
  /** Per persona id: when the persona finished, or its error message. */
  personaStatus: Record<string, { state: 'running' | 'done' | 'failed'; findings?: number; error?: string }>;
  /** While running: the findings as they arrive; once finished: those of them still current in the finding store. */
  findings: PanelFinding[];
  /** How many findings the review reported when it finished (the list above may have shrunk since: fixed, dismissed, cleared). */
  reported?: number;
  status: ReviewStatus;
  progress?: { filesDone: number; filesTotal: number; findings: number };
  notices: string[];
  summary?: PanelSummary;
}

/** Everything the panel shows; the host keeps it and re-sends it after each `ready`. */
export interface PanelState {
  review?: PanelReview;
  /** The finding the user asked to have explained (from a code action or the findings tree). */
  explain?: PanelFinding;
  /** True in Restricted Mode (the panel says reviews run offline and why). */
  restricted: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Host → webview

/** The whole state: sent after every `ready`. */
export interface StateMessage {
  type: 'state';
  state: PanelState;
}
/** A new review started; it replaces the one shown. */
export interface ReviewStartedMessage {
  type: 'reviewStarted';
  review: PanelReview;
}
/** Streamed markdown of one persona (appended to what came before). */
export interface TextMessage {
  type: 'text';
  reviewId: string;
  personaId: string;
  text: string;
}
/** A persona finished or failed. */
export interface PersonaStatusMessage {
  type: 'personaStatus';
  reviewId: string;
  personaId: string;
  state: 'running' | 'done' | 'failed';
  findings?: number;
  error?: string;
}
/** A finding arrived (anchored, validated). */
export interface FindingMessage {
  type: 'finding';
  reviewId: string;
  finding: PanelFinding;
}
/** The review's findings as they stand now in the finding store (after a fix, a dismissal, a clear …); replaces the list. */
export interface FindingsMessage {
  type: 'findings';
  reviewId: string;
  findings: PanelFinding[];
}
/** The model that answers became known (a chat model names itself once it replies). */
export interface ModelMessage {
  type: 'model';
  reviewId: string;
  model: string;
}
/** Work done so far, in files. */
export interface ProgressMessage {
  type: 'progress';
  reviewId: string;
  filesDone: number;
  filesTotal: number;
  findings: number;
}
/** A notice (content cut by the budget, secrets redacted, a file skipped). */
export interface NoticeMessage {
  type: 'notice';
  reviewId: string;
  message: string;
}
/** The review ended. */
export interface ReviewFinishedMessage {
  type: 'reviewFinished';
  reviewId: string;
  status: Exclude<ReviewStatus, 'running'>;
  summary: PanelSummary;
}
/** Show one finding in full at the top of the panel. */
export interface ExplainMessage {
  type: 'explain';
  finding: PanelFinding;
}
/** Workspace Trust changed. */
export interface TrustMessage {
  type: 'trust';
  restricted: boolean;
}

/**
 * A probe of the message path alone (bench:extension measures the transport's floor with it on an idle
 * panel): the panel answers with a {@link PongMessage} and changes nothing it shows.
 */
export interface PingMessage {
  type: 'ping';
  /** Chosen by the host; echoed in the answer. */
  id: number;
}

/** Every message the host posts to the webview. */
export type HostToWebviewMessage =
  | PingMessage
  | StateMessage
  | ReviewStartedMessage
  | TextMessage
  | PersonaStatusMessage
  | FindingMessage
  | FindingsMessage
  | ModelMessage
  | ProgressMessage
  | NoticeMessage
  | ReviewFinishedMessage
  | ExplainMessage
  | TrustMessage;

/**
 * Several host messages in one `postMessage`, applied in order (src/shared/panelOutbox.ts sends what
 * queued while an earlier post was in flight this way). Never nested.
 */
export interface BatchMessage {
  type: 'batch';
  messages: HostToWebviewMessage[];
}

/** What one host `postMessage` carries: a message, or a batch of them. */
export type HostToWebviewPost = HostToWebviewMessage | BatchMessage;

// ---------------------------------------------------------------------------------------------------
// Webview → host

/** The webview's script has loaded and listens: the host may post now (and sends the whole state). */
export interface ReadyMessage {
  type: 'ready';
  /** How many characters of the editor font fit across a code block in the panel now (see {@link LayoutMessage}). */
  columns?: number;
}
/**
 * The panel's width changed (sent at most every 200 ms while it is resized): `columns` characters of the
 * editor font (`--vscode-editor-font-family/-size`, measured on a run of 100 "0"s) fit across a code block.
 * The host uses it to open the panel wide enough ({@link MIN_PANEL_COLUMNS}) and the tests read it.
 */
export interface LayoutMessage {
  type: 'layout';
  columns: number;
}

/**
 * Code columns the review panel should show without wrapping: 80, the customary line limit of most style
 * guides (PEP 8 says 79, Google's Java and JS guides 80 and 100), so that a quoted line of code reads whole.
 */
export const MIN_PANEL_COLUMNS = 80;

/** The largest share (0..1) of the editor area's width the panel takes when it widens itself; the code keeps the rest. */
export const MAX_PANEL_SHARE = 0.6;

/**
 * The share (0..1) of the editor area's width to give a panel that has `share` of it now and fits `columns`
 * code columns (columns scale with width): enough for {@link MIN_PANEL_COLUMNS}, at most
 * {@link MAX_PANEL_SHARE}, never less than `share`; `share` itself when 80 fit already or nothing was measured (0).
 */
export function widenedShare(columns: number, share: number): number {
  if (columns <= 0 || columns >= MIN_PANEL_COLUMNS) return share;
  return Math.max(share, Math.min(MAX_PANEL_SHARE, (share * MIN_PANEL_COLUMNS) / columns));
}
/** The user clicked a link; the host opens it only if it is an http(s) URL. */
export interface OpenLinkMessage {
  type: 'openLink';
  href: string;
}
/** The user clicked a finding: reveal its code. The host looks the finding up; the webview sends no path. */
export interface RevealFindingMessage {
  type: 'revealFinding';
  fingerprint: string;
}
/** The user pressed Stop. */
export interface StopMessage {
  type: 'stop';
  reviewId: string;
}

/**
 * The panel painted streamed text of a review it saw start (not one restored by a `state` message): once
 * after the first paint that showed text (`first`) and once after the paint that followed `reviewFinished`
 * (`final`). For the log and the benchmark (bench/extension.ts) only; the host changes nothing on it.
 * Counts are at the flush that was painted; `at` is the webview's `Date.now()` (ms since the epoch) in a
 * task posted from the next animation-frame callback, i.e. after the frame that painted the flush (at
 * most one frame late, never early). The host and the webview run on
 * the same machine, so `at` compares with the host's `Date.now()`.
 */
export interface PaintedMessage {
  type: 'painted';
  reviewId: string;
  phase: 'first' | 'final';
  /** Characters of streamed text the panel had received for this review (all personas), UTF-16 units. */
  chars: number;
  /** Characters passed to markdown-it for this review so far (media/streamRender.ts `renderedChars`, summed). */
  renderedChars: number;
  /** Messages of this review the panel had received, `reviewStarted` included. */
  messages: number;
  /** Webview `Date.now()` when the last of those messages arrived, ms since the epoch. */
  receivedAt: number;
  /** Throttled render frames run since the page loaded (media/streamRender.ts `FrameThrottle.frames`). */
  frames: number;
  /** Webview `Date.now()` after the paint, ms since the epoch. */
  at: number;
  /**
   * Webview `Date.now()` marks of the page, for the benchmark's split of the first paint: when the panel's
   * script started, when it posted `ready`, and when this review's `reviewStarted` arrived.
   */
  page?: { scriptAt: number; readyAt: number; startedAt: number };
}

/**
 * The answer to a {@link PingMessage}: webview `Date.now()` (ms since the epoch, same clock as the host's)
 * when the ping arrived, and in a task after the next frame (as {@link PaintedMessage}'s `at`).
 */
export interface PongMessage {
  type: 'pong';
  id: number;
  receivedAt: number;
  at: number;
}

/** Every message the webview posts to the host. */
export type WebviewToHostMessage = ReadyMessage | LayoutMessage | OpenLinkMessage | RevealFindingMessage | StopMessage | PaintedMessage | PongMessage;

// ---------------------------------------------------------------------------------------------------
// Type guards

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** Longest string the host accepts in a webview message field (a URL or an id), in UTF-16 units. */
const MAX_FIELD = 8192;
const isField = (x: unknown): x is string => isStr(x) && x.length > 0 && x.length <= MAX_FIELD;

/** A plausible column count: a whole number from 0 to 10 000. */
const isColumns = (x: unknown): x is number => isNum(x) && Number.isInteger(x) && x >= 0 && x <= 10_000;

/** True for {@link ReadyMessage} (its `columns`, when present, a whole number from 0 to 10 000). */
export function isReadyMessage(m: unknown): m is ReadyMessage {
  return isObj(m) && m.type === 'ready' && (m.columns === undefined || isColumns(m.columns));
}
/** True for a well-formed {@link LayoutMessage}. */
export function isLayoutMessage(m: unknown): m is LayoutMessage {
  return isObj(m) && m.type === 'layout' && isColumns(m.columns);
}
/** True for a well-formed {@link OpenLinkMessage} (the href is validated separately by the host). */
export function isOpenLinkMessage(m: unknown): m is OpenLinkMessage {
  return isObj(m) && m.type === 'openLink' && isField(m.href);
}
/** True for a well-formed {@link RevealFindingMessage}. */
export function isRevealFindingMessage(m: unknown): m is RevealFindingMessage {
  return isObj(m) && m.type === 'revealFinding' && isField(m.fingerprint);
}
/** True for a well-formed {@link StopMessage}. */
export function isStopMessage(m: unknown): m is StopMessage {
  return isObj(m) && m.type === 'stop' && isField(m.reviewId);
}
/** True for a well-formed {@link PaintedMessage} (counts are finite numbers ≥ 0). */
export function isPaintedMessage(m: unknown): m is PaintedMessage {
  const count = (x: unknown) => isNum(x) && x >= 0;
  return (
    isObj(m) &&
    m.type === 'painted' &&
    isField(m.reviewId) &&
    (m.phase === 'first' || m.phase === 'final') &&
    count(m.chars) &&
    count(m.renderedChars) &&
    count(m.messages) &&
    count(m.receivedAt) &&
    count(m.frames) &&
    count(m.at) &&
    (m.page === undefined || (isObj(m.page) && count(m.page.scriptAt) && count(m.page.readyAt) && count(m.page.startedAt)))
  );
}
/** True for a well-formed {@link PongMessage}. */
export function isPongMessage(m: unknown): m is PongMessage {
  return isObj(m) && m.type === 'pong' && isNum(m.id) && isNum(m.receivedAt) && m.receivedAt >= 0 && isNum(m.at) && m.at >= 0;
}
/** True for any well-formed {@link WebviewToHostMessage}; the host ignores (and logs) anything else. */
export function isWebviewToHostMessage(m: unknown): m is WebviewToHostMessage {
  return isReadyMessage(m) || isLayoutMessage(m) || isOpenLinkMessage(m) || isRevealFindingMessage(m) || isStopMessage(m) || isPaintedMessage(m) || isPongMessage(m);
}

/** True for {@link StateMessage}. */
export function isStateMessage(m: unknown): m is StateMessage {
  return isObj(m) && m.type === 'state' && isObj(m.state) && typeof m.state.restricted === 'boolean';
}
/** True for {@link ReviewStartedMessage}. */
export function isReviewStartedMessage(m: unknown): m is ReviewStartedMessage {
  return isObj(m) && m.type === 'reviewStarted' && isObj(m.review) && isStr(m.review.reviewId);
}
/** True for {@link TextMessage}. */
export function isTextMessage(m: unknown): m is TextMessage {
  return isObj(m) && m.type === 'text' && isStr(m.reviewId) && isStr(m.personaId) && isStr(m.text);
}
/** True for {@link PersonaStatusMessage}. */
export function isPersonaStatusMessage(m: unknown): m is PersonaStatusMessage {
  return isObj(m) && m.type === 'personaStatus' && isStr(m.reviewId) && isStr(m.personaId) && isStr(m.state);
}
/** True for {@link FindingMessage}. */
export function isFindingMessage(m: unknown): m is FindingMessage {
  return isObj(m) && m.type === 'finding' && isStr(m.reviewId) && isObj(m.finding) && isStr(m.finding.fingerprint);
}
/** True for {@link FindingsMessage}. */
export function isFindingsMessage(m: unknown): m is FindingsMessage {
  return isObj(m) && m.type === 'findings' && isStr(m.reviewId) && Array.isArray(m.findings);
}
/** True for {@link ModelMessage}. */
export function isModelMessage(m: unknown): m is ModelMessage {
  return isObj(m) && m.type === 'model' && isStr(m.reviewId) && isStr(m.model);
}
/** True for {@link ProgressMessage}. */
export function isProgressMessage(m: unknown): m is ProgressMessage {
  return isObj(m) && m.type === 'progress' && isStr(m.reviewId) && isNum(m.filesDone) && isNum(m.filesTotal) && isNum(m.findings);
}
/** True for {@link NoticeMessage}. */
export function isNoticeMessage(m: unknown): m is NoticeMessage {
  return isObj(m) && m.type === 'notice' && isStr(m.reviewId) && isStr(m.message);
}
/** True for {@link ReviewFinishedMessage}. */
export function isReviewFinishedMessage(m: unknown): m is ReviewFinishedMessage {
  return isObj(m) && m.type === 'reviewFinished' && isStr(m.reviewId) && isStr(m.status) && isObj(m.summary);
}
/** True for {@link ExplainMessage}. */
export function isExplainMessage(m: unknown): m is ExplainMessage {
  return isObj(m) && m.type === 'explain' && isObj(m.finding) && isStr(m.finding.fingerprint);
}
/** True for {@link TrustMessage}. */
export function isTrustMessage(m: unknown): m is TrustMessage {
  return isObj(m) && m.type === 'trust' && typeof m.restricted === 'boolean';
}
/** True for any well-formed {@link HostToWebviewMessage}. */
export function isHostToWebviewMessage(m: unknown): m is HostToWebviewMessage {
  return (
    (isObj(m) && m.type === 'ping' && isNum(m.id)) ||
    isStateMessage(m) ||
    isReviewStartedMessage(m) ||
    isTextMessage(m) ||
    isPersonaStatusMessage(m) ||
    isFindingMessage(m) ||
    isFindingsMessage(m) ||
    isModelMessage(m) ||
    isProgressMessage(m) ||
    isNoticeMessage(m) ||
    isReviewFinishedMessage(m) ||
    isExplainMessage(m) ||
    isTrustMessage(m)
  );
}

/** True for a {@link BatchMessage} whose every message is a well-formed {@link HostToWebviewMessage}. */
export function isBatchMessage(m: unknown): m is BatchMessage {
  return isObj(m) && m.type === 'batch' && Array.isArray(m.messages) && m.messages.every(isHostToWebviewMessage);
}

/**
 * The messages of one host post, in order: `[m]` for a message, a batch's messages, or undefined when
 * `m` is neither (the webview ignores it).
 */
export function hostPostMessages(m: unknown): HostToWebviewMessage[] | undefined {
  if (isHostToWebviewMessage(m)) return [m];
  return isBatchMessage(m) ? m.messages : undefined;
}

/**
 * The URL the host may open for an `openLink` message, or undefined when it must not be opened: only an
 * absolute http(s) URL with a host name and without `user:password@`, at most 2,048 characters. Returns
 * the URL normalised by the WHATWG URL parser.
 */
export function safeWebUrl(href: string): string | undefined {
  if (href.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return url.href;
}

// ---------------------------------------------------------------------------------------------------
// State

/**
 * Applies one host message to a panel state and returns it. Both sides use it: the host to keep the state
 * it re-sends after `ready`, the webview to keep its model. Mutates `state` in place (streamed text is
 * appended, never copied) and returns the same object, except for `state` messages, which return the
 * state they carry. Messages for a review other than the one shown are ignored.
 */
export function applyHostMessage(state: PanelState, m: HostToWebviewMessage): PanelState {
  switch (m.type) {
    case 'state':
      return m.state;
    case 'reviewStarted':
      state.review = m.review;
      return state;
    case 'explain':
      state.explain = m.finding;
      return state;
    case 'trust':
      state.restricted = m.restricted;
      return state;
    case 'ping':
      return state;
  }
  const review = state.review;
  if (!review || review.reviewId !== m.reviewId) return state;
  switch (m.type) {
    case 'text':
      review.texts[m.personaId] = (review.texts[m.personaId] ?? '') + m.text;
      break;
    case 'personaStatus':
      review.personaStatus[m.personaId] = {
        state: m.state,
        ...(m.findings !== undefined ? { findings: m.findings } : {}),
        ...(m.error !== undefined ? { error: m.error } : {}),
      };
      break;
    case 'finding': {
      const i = review.findings.findIndex((f) => f.fingerprint === m.finding.fingerprint);
      if (i >= 0) review.findings[i] = m.finding;
      else review.findings.push(m.finding);
      break;
    }
    case 'findings':
      review.findings = m.findings;
      break;
    case 'model':
      review.model = m.model;
      break;
    case 'progress':
      review.progress = { filesDone: m.filesDone, filesTotal: m.filesTotal, findings: m.findings };
      break;
    case 'notice':
      review.notices.push(m.message);
      break;
    case 'reviewFinished':
      review.status = m.status;
      review.summary = m.summary;
      review.reported = m.summary.findings;
      break;
  }
  return state;
}
