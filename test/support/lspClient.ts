/**
 * A real LSP client for the language server tests: spawns `node dist/server.js --stdio` and talks to it
 * with vscode-languageserver-protocol's `createProtocolConnection` over the child's stdin/stdout
 * (StreamMessageReader/Writer), as any LSP editor would.
 *
 * Everything the server sends is recorded (Diagnostics per URI, review events, findings-tree updates, log
 * messages, progress, stderr). Waiting is event driven: {@link LspClient.waitFor} re-checks its condition
 * whenever a message arrives, with a deadline after which it fails naming what it waited for. No sleeps.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CancellationTokenSource,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  createProtocolConnection,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { ApplyWorkspaceEditRequest } from 'vscode-languageserver-protocol';
import {
  FindingsChangedNotification,
  PersonasRequest,
  ReviewEventNotification,
  ReviewRequest,
  type InitializationOptions,
  type LiveFinding,
  type ReviewParams,
  type ReviewSummary,
} from '../../src/shared/protocol';
import type { ReviewEvent } from '../../src/core/types';

/** The repository root. */
export const REPO = path.resolve(__dirname, '../..');
/** The server bundle the tests run. */
export const SERVER_JS = path.join(REPO, 'dist/server.js');

/** Builds the bundles when dist/server.js is missing (the build script builds src/server/main.ts). */
export function ensureServerBuilt(): void {
  if (existsSync(SERVER_JS)) return;
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs'), '--quiet'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(SERVER_JS)) throw new Error(`building dist/server.js failed (exit ${r.status}): ${r.stderr}`);
}

/** One work-done progress value received for a token. */
export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** A running server and the client connection to it. */
export interface LspClient {
  connection: ProtocolConnection;
  child: ChildProcess;
  initializeResult: InitializeResult;
  /** Every publishDiagnostics, in arrival order. */
  diagnostics: PublishDiagnosticsParams[];
  /** Every review event, in arrival order, with the position of the message in the whole stream. */
  events: Array<{ reviewId: string; event: ReviewEvent; seq: number }>;
  /** Every findings-tree update, in arrival order. */
  findingsChanged: Array<{ uri: string; findings: LiveFinding[] }>;
  /** Every window/logMessage. */
  logs: LogMessageParams[];
  /** The server's stderr, as text. */
  stderr: () => string;
  /** `workspace/applyEdit` requests the server sent (it must send none). */
  applyEditRequests: unknown[];
  /** Progress values per token (the client's tokens, and those the server created). */
  progress: Map<string, ProgressValue[]>;
  /** Tokens of the work-done progresses the server created (`window/workDoneProgress/create`), in order. */
  createdProgress: string[];
  /** Every window/showMessage. */
  messages: ShowMessageParams[];
  /** Number of messages received so far (notifications and responses). */
  seq: () => number;
  /** The latest Diagnostics published for `uri`, if any. */
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined;
  /**
   * Resolves with the first truthy value of `check()`, tested now and after every message from the server;
   * rejects after `deadlineMs` (default 10 s) with `what` and `detail()` in the message.
   */
  waitFor<T>(what: string, check: () => T | undefined | false | null, deadlineMs?: number, detail?: () => string): Promise<T>;
  /** Waits for the latest Diagnostics of `uri` to satisfy `predicate`. */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, what: string, deadlineMs?: number): Promise<PublishDiagnosticsParams>;
  /** Sends didOpen. */
  open(uri: string, text: string, languageId?: string, version?: number): Promise<void>;
  /** Sends an incremental didChange. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  /** Sends didSave (no text: the server asked for none). */
  save(uri: string): Promise<void>;
  /** Sends didClose. */
  closeDocument(uri: string): Promise<void>;
  /** Sends a review request; returns the pending result and a source to cancel it with `$/cancelRequest`. */
  review(params: ReviewParams & { workDoneToken?: string }): { result: Promise<ReviewSummary>; cancel: () => void };
  /** Sends a request and waits for its answer: when it resolves, the server has handled every earlier message. */
  roundTrip(): Promise<void>;
  /** Shuts the server down (shutdown + exit) and waits for the process to end. */
  stop(): Promise<void>;
}

/** Options of {@link startLspClient}. */
export interface StartOptions {
  initializationOptions: InitializationOptions;
  /** `rootUri` of `initialize` (a plain client names its root this way). */
  rootUri?: string;
  /** The server's working folder (default: `initializationOptions.workspaceRoot`). */
  cwd?: string;
  /** Extra environment for the server (API keys are removed from the inherited one). */
  env?: Record<string, string>;
  capabilities?: ClientCapabilities;
}

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true },
  workspace: { workspaceEdit: { documentChanges: true }, applyEdit: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
  },
};

/** Spawns the server over stdio and runs `initialize`/`initialized`. */
export async function startLspClient(opts: StartOptions): Promise<LspClient> {
  ensureServerBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env?.ANTHROPIC_API_KEY) delete env.ANTHROPIC_API_KEY;
  if (!opts.env?.ANTHROPIC_BASE_URL) delete env.ANTHROPIC_BASE_URL;
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: opts.cwd ?? opts.initializationOptions.workspaceRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics: PublishDiagnosticsParams[] = [];
  const events: LspClient['events'] = [];
  const findingsChanged: LspClient['findingsChanged'] = [];
  const logs: LogMessageParams[] = [];
  const applyEditRequests: unknown[] = [];
  const progress = new Map<string, ProgressValue[]>();
  const createdProgress: string[] = [];
  const messages: ShowMessageParams[] = [];
  let seq = 0;
  const waiters = new Set<() => void>();
  const tick = () => {
    seq++;
    for (const w of [...waiters]) w();
  };
  let died: Error | undefined;
  const diedEarly = exited.then(() => {
    died = new Error(`the language server exited unexpectedly (exit code ${child.exitCode}); stderr:\n${stderr}`);
    if (!stopping) {
      for (const w of [...waiters]) w();
      // Pending requests fail rather than hang.
      connection.dispose();
    }
    throw died;
  });
  diedEarly.catch(() => {});

  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.push(p);
    tick();
  });
  connection.onNotification(ReviewEventNotification.type, (p) => {
    events.push({ ...p, seq });
    tick();
  });
  connection.onNotification(FindingsChangedNotification.type, (p) => {
    findingsChanged.push(p);
    tick();
  });
  connection.onNotification(LogMessageNotification.type, (p) => {
    logs.push(p);
    tick();
  });
  connection.onRequest(ApplyWorkspaceEditRequest.method, (p: unknown) => {
    applyEditRequests.push(p);
    tick();
    return { applied: false };
  });
  connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
    const token = String(p.token);
    createdProgress.push(token);
    progress.set(token, []);
    connection.onProgress(WorkDoneProgress.type, p.token, (value) => {
      progress.get(token)!.push(value);
      tick();
    });
    tick();
    return null;
  });
  connection.onNotification(ShowMessageNotification.type, (p) => {
    messages.push(p);
    tick();
  });
  connection.onUnhandledNotification(() => tick());
  connection.listen();

  const initializeResult = await Promise.race([
    connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      capabilities: opts.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: opts.initializationOptions,
      workspaceFolders: null,
    }),
    diedEarly,
  ]);
  await connection.sendNotification(InitializedNotification.type, {});

  const client: LspClient = {
    connection,
    child,
    initializeResult,
    diagnostics,
    events,
    findingsChanged,
    logs,
    stderr: () => stderr,
    applyEditRequests,
    progress,
    createdProgress,
    messages,
    seq: () => seq,
    latestDiagnostics(uri) {
      for (let i = diagnostics.length - 1; i >= 0; i--) if (diagnostics[i]!.uri === uri) return diagnostics[i];
      return undefined;
    },
    waitFor(what, check, deadlineMs = 10_000, detail) {
      return new Promise((resolve, reject) => {
        const first = check();
        if (first) return resolve(first);
        const waiter = () => {
          if (died && !stopping) {
            cleanup();
            reject(died);
            return;
          }
          let value;
          try {
            value = check();
          } catch (e) {
            cleanup();
            reject(e as Error);
            return;
          }
          if (value) {
            cleanup();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out after ${deadlineMs} ms waiting for ${what}${detail ? `; ${detail()}` : ''}`));
        }, deadlineMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
      });
    },
    waitForDiagnostics(uri, predicate, what, deadlineMs) {
      return client.waitFor(
        `Diagnostics of ${uri}: ${what}`,
        () => {
          const latest = client.latestDiagnostics(uri);
          return latest && predicate(latest) ? latest : undefined;
        },
        deadlineMs,
        () => `latest: ${JSON.stringify(client.latestDiagnostics(uri)?.diagnostics.map((d) => ({ code: d.code, range: d.range })) ?? null)} (version ${client.latestDiagnostics(uri)?.version})`,
      );
    },
    open(uri, text, languageId = 'javascript', version = 1) {
      return connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    },
    change(uri, version, changes) {
      return connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    },
    save(uri) {
      return connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    },
    closeDocument(uri) {
      return connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    review(params) {
      const source = new CancellationTokenSource();
      const token = params.workDoneToken;
      if (token !== undefined) {
        progress.set(token, []);
        connection.onProgress(WorkDoneProgress.type, token, (value) => {
          progress.get(token)!.push(value);
          tick();
        });
      }
      const result = connection.sendRequest(ReviewRequest.type, params, source.token);
      void result.then(tick, tick);
      return { result, cancel: () => source.cancel() };
    },
    async roundTrip() {
      await connection.sendRequest(PersonasRequest.type);
    },
    async stop() {
      stopping = true;
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      connection.dispose();
    },
  };
  return client;
}

/** The progress values of one token that are `begin`, `report` or `end`. */
export function progressKinds(values: ProgressValue[] | undefined): string[] {
  return (values ?? []).map((v) => v.kind);
}
