/**
 * VS Code entry point. Wires the parts together and hands their lifetime to one owner ({@link Ctx}):
 * the language client (src/server over IPC), the Personas and Findings views, the review panel, the
 * status-bar item and the commands. This folder is the only code that imports `vscode` (DESIGN.md,
 * "Module boundaries"). Activation is lazy (commands and views; package.json `activationEvents`); the
 * language server starts at activation without blocking it.
 */
import * as vscode from 'vscode';
import type { PanelState } from '../shared/webview';
import { registerChat, type ChatTestApi } from './chat';
import { ChatModels } from './chat/chatModel';
import { registerCommands } from './commands';
import { Ctx, errorMessage, type ServerState } from './ctx';
import { FindingsStore, FindingsTreeProvider } from './findingsTree';
import { registerTeamMemory } from './memory';
import { ReviewPanel, type StreamTiming } from './panel';
import { PersonaStore, PersonaTreeProvider } from './personaTree';
import { Reviews, type ReviewOutcome } from './review';
import { Secrets } from './secrets';
import { StatusBar } from './statusBar';
import { registerSuppressions } from './suppressions';
import { registerWalkthrough } from './walkthrough';
import { registerWorkflows } from './workflows';

/**
 * What `activate` returns when the environment variable `PERSONA_REVIEW_TEST` is `1` (the extension-host
 * tests in test/vscode/suite set it); otherwise nothing is exported.
 */
export interface PersonaReviewTestApi {
  /** Stores (or with undefined, deletes) the API key in SecretStorage, as "Set Anthropic API Key" does. */
  setApiKeyForTesting(key: string | undefined): Promise<void>;
  /** How the last finished review went (provider used, summary, failure, streamed text events). */
  lastOutcome(): ReviewOutcome | undefined;
  /** What each view shows now: the status bar's text, the Findings view's findings, the panel's listed findings (fingerprints). */
  views(): {
    statusBar: string;
    /** What the status bar item showed while reviews ran, newest last (at most 20). */
    statusBarWhileRunning: string[];
    tree: Array<{ uri: string; fingerprint: string; severity: string }>;
    /** The suppressed findings the store holds, and whether the Findings view lists them. */
    suppressed: Array<{ uri: string; fingerprint: string; scope: string }>;
    suppressedShown: boolean;
    /** The Findings view's top-level items as VS Code would render them (the Suppressed group with its items). */
    treeChildren: () => Array<vscode.TreeItem & { children: vscode.TreeItem[] }>;
    panel: string[];
    panelStatus?: string;
    panelFailure?: string;
    panelModel?: string;
    notification?: { kind: 'error' | 'warning'; message: string; actions: string[] };
  };
  /** What the review panel shows (the state it re-sends after `ready`). */
  panelState(): Readonly<PanelState>;
  /** True once the panel's webview said `ready` and is visible. */
  panelReady(): boolean;
  /** Code columns (editor font characters) that fit across the panel, as its page last said; undefined before. */
  panelColumns(): number | undefined;
  /** Starts the language server if needed and resolves with its state. */
  serverState(): Promise<ServerState>;
  /** Ids of the personas the server loaded (after loading them if needed). */
  personaIds(): Promise<string[]>;
  /**
   * `performance.now()` differences in ms from the start of `activate()`: to its return (`activateMs`) and
   * to the language client running (`clientReadyMs`, undefined until then or when it failed to start).
   */
  activationTiming(): { activateMs: number; clientReadyMs?: number };
  /** How the latest review's streamed text reached the panel and when the panel painted it. */
  streamTiming(): Readonly<StreamTiming> | undefined;
  /** One ping through the panel's message path (ReviewPanel.ping): send, arrival and after-frame times, ms since the epoch. */
  panelPing(): Promise<{ sentAt: number; receivedAt: number; at: number } | undefined>;
  /** The chat participants, their handlers and the persona_review tool (src/extension/chat.ts). */
  chat: ChatTestApi;
  /** What the Personas view shows: its top-level items (categories and groups) with their children's labels and descriptions. */
  personaTree(): Promise<Array<{ label: string; children: Array<{ label: string; description?: string }> }>>;
}

let ctx: Ctx | undefined;

/** Called by VS Code on the first activation event. */
export function activate(context: vscode.ExtensionContext): PersonaReviewTestApi | undefined {
  const started = performance.now();
  const timing: { activateMs: number; clientReadyMs?: number } = { activateMs: 0 };
  const c = new Ctx(context);
  ctx = c;
  context.subscriptions.push(c);

  const secrets = new Secrets(context.secrets);
  const personas = new PersonaStore(c);
  const findings = new FindingsStore(c);
  c.pushExtCleanup(personas);
  c.pushExtCleanup(findings);
  const personaTree = new PersonaTreeProvider(personas, c);
  c.pushExtCleanup(personaTree);
  const findingsTree = new FindingsTreeProvider(findings, personas, context.workspaceState);
  c.pushExtCleanup(findingsTree);
  const panel = new ReviewPanel(c, findings, personas);
  c.pushExtCleanup(panel);
  const status = new StatusBar(c, findings);
  c.pushExtCleanup(status);
  const chatModels = new ChatModels(c);
  c.pushExtCleanup(chatModels);
  const reviews = new Reviews(c, secrets, personas, panel, status, chatModels);
  c.pushExtCleanup(reviews);
  registerCommands({ ctx: c, secrets, personas, findings, panel, reviews });
  registerWorkflows(c, reviews, personas);
  registerTeamMemory(c, personas, findings);
  registerSuppressions(c, personas, findings, findingsTree);
  registerWalkthrough(c, secrets, reviews, findings);
  const chat = registerChat({ ctx: c, personas, findings, reviews });

  c.pushExtCleanup(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (c.config.affects(e, 'minimumSeverity')) c.diagnosticFilter.refresh();
      if (c.config.needsRestart(e)) {
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Persona Review: the persona folders changed; restart the language server to load them.'), vscode.l10n.t('Restart'))
          .then((pick) => pick && vscode.commands.executeCommand('personaReview.restartServer'));
      }
    }),
  );
  // Trust granted: the workspace's own personas may load now, and reviews may use Claude.
  c.pushExtCleanup(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      c.log.info('Workspace trusted: restarting the language server to load workspace personas.');
      c.restart().catch((e: unknown) => c.log.error(errorMessage(e)));
    }),
  );

  c.ensureClient().then(
    () => {
      timing.clientReadyMs = performance.now() - started;
      c.log.info(`Activated in ${Math.round(timing.activateMs)} ms; language server running after ${Math.round(timing.clientReadyMs)} ms.`);
    },
    (e: unknown) => {
      void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: {0}', errorMessage(e)), vscode.l10n.t('Show Log')).then((pick) => pick && c.serverChannel.show());
    },
  );
  if (!c.trusted) c.log.info('Restricted Mode: reviews run offline, no API key is read, workspace personas are ignored.');

  timing.activateMs = performance.now() - started;
  if (process.env.PERSONA_REVIEW_TEST !== '1') return undefined;
  return {
    setApiKeyForTesting: (key) => secrets.setApiKey(key),
    lastOutcome: () => reviews.lastOutcome,
    views: () => ({
      statusBar: status.text,
      statusBarWhileRunning: [...status.runningTexts],
      tree: findings.all().map((f) => ({ uri: f.uri, fingerprint: f.fingerprint, severity: f.severity })),
      suppressed: findings.suppressed().map((f) => ({ uri: f.uri, fingerprint: f.fingerprint, scope: f.suppression.scope })),
      suppressedShown: findingsTree.showingSuppressed,
      treeChildren: () => findingsTree.getChildren().map((n) => ({ ...findingsTree.getTreeItem(n), children: n.kind === 'suppressedGroup' ? findingsTree.getChildren(n).map((x) => findingsTree.getTreeItem(x)) : [] })),
      panel: panel.listedFingerprints,
      ...(panel.current.review ? { panelStatus: panel.current.review.status } : {}),
      ...(panel.current.review?.summary?.failure ? { panelFailure: panel.current.review.summary.failure } : {}),
      ...(panel.current.review?.model ? { panelModel: panel.current.review.model } : {}),
      ...(reviews.lastNotification ? { notification: reviews.lastNotification } : {}),
    }),
    panelState: () => panel.current,
    panelReady: () => panel.isReady,
    panelColumns: () => panel.columns,
    serverState: async () => {
      await c.ensureClient().catch(() => undefined);
      return c.serverState;
    },
    personaIds: async () => {
      await personas.load();
      return personas.all.map((p) => p.id);
    },
    activationTiming: () => ({ ...timing }),
    streamTiming: () => panel.timing,
    panelPing: () => panel.ping(),
    chat,
    personaTree: () => personaTree.snapshot(),
  };
}

/** Called by VS Code on shutdown: stops the language server; the rest goes with context.subscriptions. */
export async function deactivate(): Promise<void> {
  await ctx?.deactivate();
  ctx = undefined;
}
