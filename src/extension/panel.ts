/**
 * Host of the review panel (a WebviewPanel; its script is media/panel.ts).
 *
 * - Security: a strict Content-Security-Policy with a fresh nonce per page (`default-src 'none'`; images,
 *   styles and fonts only from the extension's webview resource origin, scripts only with the nonce);
 *   `localResourceRoots` is `media/` alone. The script bundle (dist/webview.js) is inlined into the page
 *   under the nonce rather than loaded from dist/, so that root can stay `media/` only; the codicon font
 *   is copied from @vscode/codicons into media/codicons/ by scripts/build.mjs (node_modules is not
 *   shipped). No remote images, fonts or frames can load. Links are never followed by the webview: it
 *   posts `openLink`, and the host opens only absolute http(s) URLs without credentials, through
 *   `vscode.env.openExternal` (which asks the user before opening an untrusted domain).
 * - Messages: typed both ways (src/shared/webview.ts), each incoming one checked by a type guard; the host
 *   posts nothing until the webview's `ready`, and then through a flow-controlled outbox
 *   (src/shared/panelOutbox.ts): a review's first text at once, the rest at most one post in flight,
 *   batched.
 * - Lifetime: `retainContextWhenHidden` is off (a hidden panel costs no memory); the host keeps the whole
 *   {@link PanelState} and sends it after every `ready`, so the panel comes back as it was after being
 *   hidden and shown again. After a window reload VS Code restores the panel through a
 *   WebviewPanelSerializer: the webview saves the state it shows (`setState`), the serializer hands it back,
 *   and the host adopts the restored panel with that state.
 * - Width: opened beside a lone editor group, the panel gets an even split; when fewer than
 *   `MIN_PANEL_COLUMNS` (80) characters of code fit across it (its `ready` says how many), the host widens
 *   its group (`vscode.setEditorLayout`) up to 60% of the editor area (`MAX_PANEL_SHARE`), once, so a quoted
 *   line of code reads whole without squeezing the code under review away.
 * - Findings: while a review runs, its findings are listed as they arrive; once it ended, the list is the
 *   review's findings as they stand now in the server's finding store ({@link FindingsStore}), so a fix, a
 *   dismissal or Clear Findings shows here as in Problems, the Findings view and the status bar.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import type { LiveFinding } from '../shared/protocol';
import {
  applyHostMessage,
  isStateMessage,
  isOpenLinkMessage,
  isPaintedMessage,
  isPongMessage,
  isLayoutMessage,
  isReadyMessage,
  widenedShare,
  isRevealFindingMessage,
  isStopMessage,
  safeWebUrl,
  type HostToWebviewMessage,
  type HostToWebviewPost,
  type PaintedMessage,
  type PongMessage,
  type PanelFinding,
  type PanelState,
} from '../shared/webview';
import { PanelOutbox } from '../shared/panelOutbox';
import { Disposable, type Ctx } from './ctx';
import { revealRange, type FindingsStore } from './findingsTree';
import { panelPage } from './panelPage';
import { panelStrings } from './panelStrings';
import type { PersonaStore } from './personaTree';

/** The panel's view type. */
export const PANEL_VIEW_TYPE = 'personaReview.panel';


/** Where a finding shown in the panel is, for reveal: a document URI and a 1-based Finding range. */
interface Location {
  uri: string;
  range: Finding['range'];
}

/**
 * How the latest review's streamed text travelled into the panel, for the log and the benchmark
 * (bench/extension.ts, through the test API). Times are `Date.now()` in ms since the epoch: the extension
 * host and the webview run on the same machine, so they compare with the webview's `painted.at`.
 */
export interface StreamTiming {
  reviewId: string;
  /** When the first and the last `text` event of the review reached the panel's host (the extension). */
  firstTextAt?: number;
  lastTextAt?: number;
  /** `text` messages and their characters (UTF-16 units). */
  textMessages: number;
  textChars: number;
  /** When `reviewFinished` was posted. */
  finishedAt?: number;
  /** Messages of this review posted to the webview (`reviewStarted` included; none while it is not ready). */
  posted: number;
  /** The webview's paint reports for this review, in arrival order. */
  paints: PaintedMessage[];
  /** Hops of the first text (for the benchmark's split of first text → first paint); Date.now() ms. */
  hops: {
    /** When the panel's page was last set (created, restored or reloaded) and when its webview last said `ready`. */
    pageSetAt?: number;
    readyAt?: number;
    /** When `reviewStarted` was handed to the panel (posted, or kept until `ready`). */
    startedAt?: number;
    /** When the first text was handed to `webview.postMessage` (later than `firstTextAt` when it waited for `ready`). */
    firstTextSentAt?: number;
    /** When that `postMessage` call resolved (the workbench took the message). */
    firstTextAckAt?: number;
    /** `postMessage` calls not yet resolved when the first text was sent (messages in flight ahead of it). */
    inFlightAtFirstText?: number;
    /** The most `postMessage` calls in flight at once during the review. */
    maxInFlight: number;
    /** How late a 0 ms timer queued just after the first text was sent fired (the extension host's own backlog). */
    hostLagAtFirstTextMs?: number;
  };
}

/** The review panel's host side. */
export class ReviewPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  /** Flow control of what is posted to the page (see src/shared/panelOutbox.ts). */
  private readonly outbox = new PanelOutbox((post, messages) => this.sendPost(post, messages));
  private state: PanelState;
  private readonly locations = new Map<string, Location>();
  private script: string | undefined;
  private readonly stopEmitter = this._register(new vscode.EventEmitter<string>());
  /** Fires with a review id when the user pressed Stop in the panel. */
  readonly onDidRequestStop = this.stopEmitter.event;
  /** `postMessage` calls made to a ready webview (for tests and the benchmark). */
  posted = 0;
  /** When the page was last set and when the webview last said `ready` (Date.now(); see {@link StreamTiming}). */
  private pageSetAt: number | undefined;
  private readyAt: number | undefined;
  /** The latest review's way into the panel (see {@link StreamTiming}). */
  timing: StreamTiming | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly findings: FindingsStore,
    private readonly personas: PersonaStore,
  ) {
    super();
    this.state = { restricted: !ctx.trusted };
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.post({ type: 'trust', restricted: false })));
    this._register({ dispose: () => this.panel?.dispose() });
    this._register({ dispose: () => this.outbox.dispose() });
    this._register(findings.onDidChange(() => this.syncFindings()));
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, saved: unknown) => this.restore(panel, saved),
      }),
    );
  }

  /** Fingerprints of the shown review's findings (set when it ended), for {@link syncFindings}. */
  private reviewFingerprints: Set<string> | undefined;

  /**
   * The shown review ended with these findings: from now on its list is those of them still in the finding
   * store (ranges as they are now).
   */
  reviewEnded(reviewId: string, fingerprints: readonly string[]): void {
    if (this.state.review?.reviewId !== reviewId) return;
    this.reviewFingerprints = new Set(fingerprints);
    this.syncFindings();
  }

  /** Posts the shown review's current findings when they differ from what the panel lists. */
  private syncFindings(): void {
    const review = this.state.review;
    const fps = this.reviewFingerprints;
    if (!review || !fps || review.status === 'running') return;
    const now = this.findings
      .all()
      .filter((f) => fps.has(f.fingerprint))
      .map((f) => this.toPanelFinding(f));
    const same = now.length === review.findings.length && now.every((f, i) => JSON.stringify(f) === JSON.stringify(review.findings[i]));
    if (!same) this.post({ type: 'findings', reviewId: review.reviewId, findings: now });
  }

  /** The panel's findings as the view shows them (for tests): fingerprints in list order. */
  get listedFingerprints(): string[] {
    return (this.state.review?.findings ?? []).map((f) => f.fingerprint);
  }

  /** Adopts a panel VS Code restored after a reload, with the state its webview had saved. */
  private async restore(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const restored = isStateMessage({ type: 'state', state: saved }) ? (saved as PanelState) : undefined;
    if (restored?.review) {
      // The server restarted with the window: its store is what is current now.
      if (restored.review.status === 'running') restored.review.status = 'cancelled';
      this.state = { ...restored, restricted: !this.ctx.trusted };
      this.reviewFingerprints = new Set([...restored.review.findings.map((f) => f.fingerprint)]);
    }
    this.widenOnReady = false;
    this.adopt(panel);
    this.syncFindings();
    this.ctx.log.info(`Review panel restored after a reload${restored?.review ? ` (${restored.review.title})` : ''}.`);
  }

  /** Set when {@link show} opened the panel beside a lone editor group: widen it on its first `ready`. */
  private widenOnReady = false;
  /** Code columns that fit across the panel, as its page last said (undefined before it did). */
  columns: number | undefined;

  /**
   * After the first `ready` of a panel {@link show} opened beside a lone group: when fewer than
   * `MIN_PANEL_COLUMNS` (80) code columns fit, give its group more of the editor area (see {@link widenedShare}).
   * Leaves any other layout alone (the user arranged it).
   */
  private async widen(panel: vscode.WebviewPanel, columns: number): Promise<void> {
    const groups = vscode.window.tabGroups.all;
    const mine = groups.find((g) => g.viewColumn === panel.viewColumn);
    if (groups.length !== 2 || !mine || mine !== groups[1] || mine.tabs.length !== 1) return;
    const share = widenedShare(columns, 0.5);
    if (share <= 0.5) return;
    try {
      await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 1 - share }, { size: share }] });
      this.ctx.log.info(`Review panel: ${columns} code columns fit; widened to ${Math.round(share * 100)}% of the editor area.`);
    } catch (err) {
      this.ctx.log.warn(`Review panel: could not widen it (${err instanceof Error ? err.message : String(err)}).`);
    }
  }

  /** True when the panel is open (visible or in a background tab). */
  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** True once the webview said `ready` and is visible. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The state the panel shows (read by tests). */
  get current(): Readonly<PanelState> {
    return this.state;
  }

  /** Opens the panel, or brings it forward; a visible panel asked without focus (`preserveFocus`) is left as it is. */
  show(preserveFocus = false): void {
    if (this.panel) {
      // Already on screen and no focus wanted: leave the workbench alone (a reveal re-opens the editor in its
      // group, work the page shares with the panel just as a review's first text travels to it).
      if (!(preserveFocus && this.panel.visible)) this.panel.reveal(undefined, preserveFocus);
      return;
    }
    // Beside a lone group, the panel's group is new: it may widen itself once its page says how much fits.
    this.widenOnReady = vscode.window.tabGroups.all.length === 1;
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('Persona Review'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media')], retainContextWhenHidden: false, enableFindWidget: true, enableCommandUris: false },
    );
    this.adopt(panel);
  }

  /** Makes `panel` (new, or restored by VS Code) the review panel: options, page, message and lifetime wiring. */
  private adopt(panel: vscode.WebviewPanel): void {
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media], enableCommandUris: false };
    panel.iconPath = vscode.Uri.joinPath(media, 'persona-review.svg');
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    this.outbox.reset();
    this.pageSetAt = Date.now();
    panel.webview.html = this.html(panel.webview);
    const subs: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // Hidden, the webview's document is destroyed; it says `ready` again when shown.
        if (!panel.visible) {
          this.ready = false;
          this.outbox.reset();
        }
      }),
    ];
    panel.onDidDispose(() => {
      for (const s of subs) s.dispose();
      this.panel = undefined;
      this.ready = false;
      this.outbox.reset();
    });
  }

  /**
   * Applies `m` to the kept state and, when the webview is ready, hands it to the {@link outbox}: a
   * review's first text is posted at once and alone; everything else waits while a post is in flight and
   * goes in the next one, text deltas merged (src/shared/panelOutbox.ts says why: in a remote workbench
   * every post is a WebSocket frame the workbench's main thread, shared with the panel, reads one at a
   * time).
   */
  post(m: HostToWebviewMessage): void {
    this.state = applyHostMessage(this.state, m);
    this.time(m);
    if (!this.panel || !this.ready) return;
    this.outbox.post(m);
  }

  /** Posts for the outbox; counts them and notes the first text's hops for {@link timing}. */
  private sendPost(post: HostToWebviewPost, messages: readonly HostToWebviewMessage[]): PromiseLike<unknown> {
    this.posted++;
    const panel = this.panel;
    if (!panel) return Promise.resolve(false);
    const t = this.timing;
    const mine = t !== undefined && messages.some((m) => (m.type === 'reviewStarted' ? m.review.reviewId : 'reviewId' in m ? m.reviewId : undefined) === t.reviewId);
    const first = mine && t.hops.firstTextSentAt === undefined && messages.some((m) => m.type === 'text');
    if (mine) {
      t.posted++;
      t.hops.maxInFlight = Math.max(t.hops.maxInFlight, this.outbox.inFlight);
      if (first) {
        const now = Date.now();
        t.hops.firstTextSentAt = now;
        t.hops.inFlightAtFirstText = this.outbox.inFlight - 1;
        setTimeout(() => (t.hops.hostLagAtFirstTextMs = Date.now() - now), 0);
      }
    }
    const sent = panel.webview.postMessage(post);
    if (first) {
      const ack = () => (t.hops.firstTextAckAt = Date.now());
      sent.then(ack, ack);
    }
    return sent;
  }

  /** Updates {@link timing} for `m`; returns it when `m` belongs to the timed review. */
  private time(m: HostToWebviewMessage): StreamTiming | undefined {
    if (m.type === 'reviewStarted') {
      const hops: StreamTiming['hops'] = { startedAt: Date.now(), maxInFlight: 0 };
      if (this.pageSetAt !== undefined) hops.pageSetAt = this.pageSetAt;
      if (this.readyAt !== undefined) hops.readyAt = this.readyAt;
      return (this.timing = { reviewId: m.review.reviewId, textMessages: 0, textChars: 0, posted: 0, paints: [], hops });
    }
    const t = this.timing;
    if (!t || !('reviewId' in m) || m.reviewId !== t.reviewId) return undefined;
    if (m.type === 'text') {
      const now = Date.now();
      t.firstTextAt ??= now;
      t.lastTextAt = now;
      t.textMessages++;
      t.textChars += m.text.length;
    } else if (m.type === 'reviewFinished') t.finishedAt = Date.now();
    return t;
  }

  /** Keeps a paint report of the timed review and logs the figures once the final one arrives. */
  private painted(p: PaintedMessage): void {
    const t = this.timing;
    if (!t || p.reviewId !== t.reviewId) return;
    t.paints.push(p);
    if (p.phase !== 'final') return;
    const first = t.paints.find((x) => x.phase === 'first');
    const ms = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${a - b} ms` : 'n/a');
    this.ctx.log.debug(
      `Review panel: first text painted ${ms(first?.at, t.firstTextAt)} after it reached the extension, last paint ${ms(p.at, t.lastTextAt)} after the last text; ` +
        `${p.renderedChars} characters rendered for ${p.chars} received; ${t.posted} messages posted.`,
    );
  }

  private readonly pongs = new Map<number, (p: PongMessage) => void>();
  private pingId = 0;

  /**
   * Sends a ping through the same path as a review's messages and resolves with the webview's answer:
   * host `Date.now()` at the send, webview `Date.now()` at arrival and after the next frame (ms since the
   * epoch, same machine); undefined when the panel is not ready or does not answer within `timeoutMs`.
   * For bench:extension's floor of the message path; it changes nothing the panel shows.
   */
  async ping(timeoutMs = 5000): Promise<{ sentAt: number; receivedAt: number; at: number } | undefined> {
    if (!this.panel || !this.ready) return undefined;
    const id = ++this.pingId;
    const answer = new Promise<PongMessage | undefined>((resolve) => {
      this.pongs.set(id, resolve);
      setTimeout(() => {
        this.pongs.delete(id);
        resolve(undefined);
      }, timeoutMs);
    });
    const sentAt = Date.now();
    this.outbox.post({ type: 'ping', id });
    const p = await answer;
    return p ? { sentAt, receivedAt: p.receivedAt, at: p.at } : undefined;
  }

  /** Remembers where a finding of the shown review is, for reveal clicks (a finding streamed before it reached the store). */
  remember(fingerprint: string, location: Location): void {
    this.locations.set(fingerprint, location);
  }

  /** Forgets the locations and findings of the previous review (a new one starts). */
  forgetLocations(): void {
    this.locations.clear();
    this.reviewFingerprints = undefined;
  }

  /** Shows one finding in full at the top of the panel ("Explain in review panel"). */
  explain(f: LiveFinding): void {
    this.remember(f.fingerprint, { uri: f.uri, range: f.range });
    this.show(false);
    this.post({ type: 'explain', finding: this.toPanelFinding(f) });
  }

  /** A Finding as the panel shows it; reference links come with the store's findings (a streamed one shows labels). */
  toPanelFinding(f: Finding | LiveFinding): PanelFinding {
    const live = 'referenceLinks' in f ? f : undefined;
    return {
      fingerprint: f.fingerprint,
      severity: f.severity,
      title: f.title,
      category: f.category,
      message: f.message,
      personas: live?.personaNames.length ? live.personaNames : f.personaIds.map((id) => this.personas.displayName(id)),
      file: f.file,
      startLine: f.range.startLine,
      endLine: f.range.endLine,
      references: live ? live.referenceLinks : f.references.map((label) => ({ label })),
      ...(f.suggestion?.description ? { suggestion: f.suggestion.description } : {}),
      hasFix: live ? live.hasFix : f.suggestion?.replacement !== undefined && !f.suggestion.replacement.includes('[REDACTED:'),
    };
  }

  private onMessage(m: unknown): void {
    if (isReadyMessage(m)) {
      this.ready = true;
      this.readyAt = Date.now();
      if (m.columns !== undefined) this.columns = m.columns;
      if (this.widenOnReady && this.panel && m.columns !== undefined) void this.widen(this.panel, m.columns);
      this.widenOnReady = false;
      // The state below already holds anything waiting in the outbox: drop it rather than send it twice.
      this.outbox.reset();
      this.state.restricted = !this.ctx.trusted;
      this.outbox.postAlone({ type: 'state', state: this.state });
    } else if (isLayoutMessage(m)) {
      this.columns = m.columns;
    } else if (isOpenLinkMessage(m)) {
      void this.openLink(m.href);
    } else if (isRevealFindingMessage(m)) {
      void this.reveal(m.fingerprint);
    } else if (isStopMessage(m)) {
      this.stopEmitter.fire(m.reviewId);
    } else if (isPaintedMessage(m)) {
      this.painted(m);
    } else if (isPongMessage(m)) {
      this.pongs.get(m.id)?.(m);
      this.pongs.delete(m.id);
    } else {
      this.ctx.log.warn('The review panel sent a message of unknown shape; ignored.');
    }
  }

  private async openLink(href: string): Promise<void> {
    const url = safeWebUrl(href);
    if (!url) {
      this.ctx.log.warn(`Link not opened (only http and https links open from the review panel): ${href.slice(0, 200)}`);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private async reveal(fingerprint: string): Promise<void> {
    // Prefer the live finding: its range moved with the user's edits.
    const known = this.locations.get(fingerprint);
    const live = this.findings.find(fingerprint, known?.uri) ?? this.findings.find(fingerprint);
    const loc = live ? { uri: live.uri, range: live.range } : known;
    if (!loc) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: that finding is no longer in the workspace (its file changed or the findings were cleared).'));
      return;
    }
    try {
      await revealRange(vscode.Uri.parse(loc.uri), loc.range, false);
    } catch (e) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Persona Review: could not open {0}: {1}', vscode.Uri.parse(loc.uri).fsPath, e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)));
    }
  }

  private html(webview: vscode.Webview): string {
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    return panelPage({
      nonce: crypto.randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      cssHref: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      codiconsHref: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicons', 'codicon.css')).toString(),
      script: this.webviewScript(),
      strings: panelStrings(vscode),
    });
  }

  /** The webview bundle, read once; `</script` is escaped so the inline script cannot end early. */
  private webviewScript(): string {
    if (this.script === undefined) {
      const file = path.join(this.ctx.extension.extensionPath, 'dist', 'webview.js');
      try {
        this.script = fs.readFileSync(file, 'utf8').replace(/<\/(script)/gi, '<\\/$1');
      } catch (e) {
        this.ctx.log.error(`The review panel's script is missing (${file}): run "npm run build". ${e instanceof Error ? e.message : ''}`);
        this.script = '';
      }
    }
    return this.script;
  }
}
