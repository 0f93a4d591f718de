/**
 * Lifetime: a {@link Disposable} base class with `_register` (after vscode-pull-request-github
 * `src/common/lifecycle.ts`), and {@link Ctx}, the one owner object pushed into `context.subscriptions`,
 * which keeps extension-lifetime cleanups apart from language-client-lifetime ones (after rust-analyzer's
 * `Ctx.pushExtCleanup` / `pushClientCleanup`): a server restart disposes only the latter and runs the
 * {@link Ctx.onClient} hooks again for the new client.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DISMISS_FOR_TEAM_COMMAND, EXPLAIN_FINDING_COMMAND, type InitializationOptions } from '../shared/protocol';
import type { Severity } from '../shared/severity';
import { createClient, DiagnosticFilter } from './client';
import { Config } from './config';

/** Base for objects that own disposables: everything passed to {@link _register} is disposed with it. */
export abstract class Disposable implements vscode.Disposable {
  private _disposed = false;
  private readonly _disposables: vscode.Disposable[] = [];

  /** True once {@link dispose} ran. */
  protected get isDisposed(): boolean {
    return this._disposed;
  }

  /** Takes ownership of `d` (disposed with this object; at once if this object is already disposed). */
  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this._disposed) d.dispose();
    else this._disposables.push(d);
    return d;
  }

  /** Disposes everything registered, newest first; one failing dispose does not stop the others. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    disposeAll(this._disposables.splice(0));
  }
}

/** Disposes `items` newest first, swallowing errors so each one gets its turn. */
export function disposeAll(items: vscode.Disposable[]): void {
  for (const d of items.reverse()) {
    try {
      d.dispose();
    } catch {
      // A dispose that throws must not keep the rest alive.
    }
  }
}

/** State of the language server, also set as the context key `personaReview.serverState` for views. */
export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

/** Runs for each (re)started client; what it returns is disposed when that client stops. */
export type ClientHook = (client: LanguageClient) => vscode.Disposable[];

/** The extension's owner object: settings, log, language client and both kinds of cleanups. */
export class Ctx extends Disposable {
  readonly config = new Config();
  /** Finding severity by fingerprint, from review events and the server's findings lists. */
  readonly severities = new Map<string, Severity>();
  /** Hides Diagnostics below `personaReview.minimumSeverity` (client-side middleware). */
  readonly diagnosticFilter = new DiagnosticFilter(
    () => this.config.minimumSeverity,
    (fp) => this.severities.get(fp),
  );
  /** The "Persona Review" log (LogOutputChannel: levels, timestamps). */
  readonly log: vscode.LogOutputChannel;
  /** The language server's own output and LSP trace ("Persona Review Language Server"). */
  readonly serverChannel: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly clientCleanups: vscode.Disposable[] = [];
  private readonly hooks: ClientHook[] = [];
  private _serverState: ServerState = 'stopped';
  private _root: string | undefined;
  private readonly stateEmitter = this._register(new vscode.EventEmitter<ServerState>());
  /** Fires when the server state changes. */
  readonly onDidChangeServerState = this.stateEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    super();
    this.log = this._register(vscode.window.createOutputChannel('Persona Review', { log: true }));
    this.serverChannel = this._register(vscode.window.createOutputChannel('Persona Review Language Server', { log: true }));
    this._register({ dispose: () => disposeAll(this.clientCleanups.splice(0)) });
  }

  /** Registers an extension-lifetime cleanup. */
  pushExtCleanup(d: vscode.Disposable): void {
    this._register(d);
  }

  /** Registers a cleanup for the current client's lifetime (disposed when it stops or restarts). */
  pushClientCleanup(d: vscode.Disposable): void {
    this.clientCleanups.push(d);
  }

  /** Runs `hook` for the running client (if any) and every client started later. */
  onClient(hook: ClientHook): void {
    this.hooks.push(hook);
    if (this.client && this._serverState === 'running') for (const d of hook(this.client)) this.pushClientCleanup(d);
  }

  get serverState(): ServerState {
    return this._serverState;
  }

  /** True when the workspace is trusted (not in Restricted Mode). */
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /**
   * The folder findings are relative to, fixed for a client's lifetime: the first workspace folder, else
   * the active file's folder, else the home folder (a window with no folder open).
   */
  get workspaceRoot(): string {
    return this._root ?? computeRoot();
  }

  /** The running client, starting it first if needed. Rejects with a message fit to show when it cannot start. */
  async ensureClient(): Promise<LanguageClient> {
    if (this.client && this._serverState === 'running') return this.client;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops the client (if any) and starts a new one (new settings, trust granted). */
  async restart(): Promise<void> {
    await this.stop();
    await this.ensureClient();
  }

  /** Stops the client and disposes its cleanups. */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    disposeAll(this.clientCleanups.splice(0));
    this.diagnosticFilter.clear();
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(2000);
      } catch (e) {
        this.log.warn(`The language server did not stop cleanly: ${errorMessage(e)}`);
      }
    }
    this.setState('stopped');
  }

  private async start(): Promise<LanguageClient> {
    this.setState('starting');
    const root = computeRoot();
    this._root = root;
    const init: InitializationOptions = {
      workspaceRoot: root,
      personaDirs: this.trusted ? this.config.personaFolders(root) : [],
      trusted: this.trusted,
      builtinPersonaDir: this.extension.asAbsolutePath('personas'),
      clientCommands: [EXPLAIN_FINDING_COMMAND, DISMISS_FOR_TEAM_COMMAND],
      dismissed: dismissedForMe(this.extension.workspaceState).map(({ uri, fingerprint, reason }) => ({ uri, fingerprint, ...(reason ? { reason } : {}) })),
      settings: {
        reviewOnSave: this.config.reviewOnSave,
        include: this.config.include,
        exclude: this.config.exclude,
        projectContext: this.config.projectContext,
        offline: { depth: this.config.offlineDepth },
        baseline: this.config.baseline,
      },
    };
    const client = createClient(this, init, this.diagnosticFilter);
    try {
      await client.start();
    } catch (e) {
      this.setState('failed');
      this.log.error(`The language server did not start: ${errorMessage(e)}`);
      try {
        await client.dispose(1000);
      } catch {
        // Already failed; nothing more to clean.
      }
      throw new Error(`The Persona Review language server did not start (${errorMessage(e)}). See the "Persona Review Language Server" output.`);
    }
    this.client = client;
    this.log.info(`Language server started for ${root}${this.trusted ? '' : ' (Restricted Mode: built-in personas only, offline reviews)'}`);
    this.setState('running');
    for (const hook of this.hooks) for (const d of hook(client)) this.pushClientCleanup(d);
    return client;
  }

  private setState(s: ServerState): void {
    if (s === this._serverState) return;
    this._serverState = s;
    void vscode.commands.executeCommand('setContext', 'personaReview.serverState', s);
    this.stateEmitter.fire(s);
  }

  override dispose(): void {
    const client = this.client;
    this.client = undefined;
    // deactivate() awaits the stop; here only make sure nothing is left running.
    if (client) void client.stop(2000).catch(() => undefined);
    super.dispose();
  }

  /** Stops the client; VS Code awaits this from deactivate(). */
  async deactivate(): Promise<void> {
    await this.stop();
  }
}

/** Workspace-state key of the findings dismissed "for me" (the server gets them at `initialize`). */
export const DISMISSED_KEY = 'personaReview.dismissed';

/** A finding dismissed "for me", as the workspace state keeps it. `date`: ISO 8601. */
export interface DismissedForMe {
  uri: string;
  fingerprint: string;
  reason?: string;
  title?: string;
  date: string;
}

/** The findings dismissed "for me" in this workspace, oldest first. */
export function dismissedForMe(state: vscode.Memento): DismissedForMe[] {
  const v = state.get<unknown>(DISMISSED_KEY);
  return Array.isArray(v) ? v.filter((x): x is DismissedForMe => typeof x?.uri === 'string' && typeof x.fingerprint === 'string') : [];
}

function computeRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && folder.uri.scheme === 'file') return folder.uri.fsPath;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return path.dirname(doc.uri.fsPath);
  return os.homedir();
}

/** The message of an error, first line only (never a stack trace), for logs and user messages. */
export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return (m ?? 'unknown error').split('\n')[0]!.trim() || 'unknown error';
}
