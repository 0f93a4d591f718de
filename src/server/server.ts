/**
 * The language server: connection, `initialize`, capabilities, and the wiring between open documents, the
 * finding store, reviews, Diagnostics, code actions and commands.
 *
 * Capabilities (LSP 3.17): incremental text document sync with save notifications (findings follow edits;
 * an opt-in review on save), code actions of kind `quickfix`, and `executeCommandProvider` with the review,
 * dismiss, clear and explain commands of src/shared/protocol.ts `ServerCommands`, so an editor with nothing
 * but LSP can use every feature it can show. Progress goes through `window/workDoneProgress`. Custom
 * messages for the VS Code extension: src/shared/protocol.ts.
 *
 * The server holds the one finding store (./findings.ts): every review from every entry point is published
 * through it, and every view of the client is updated from it (`personaReview/findingsChanged`).
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationToken,
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import pkg from '../../package.json';
import { proposePersonas } from '../core/routing';
import { PERSONA_CATEGORIES } from '../core/types';
import { OFFLINE_DEPTHS, type OfflineDepth } from '../core/offline/rule';
import {
  ClearFindingsNotification,
  DismissFindingNotification,
  EstimateRequest,
  ExplainFindingRequest,
  FindingsChangedNotification,
  FindingsRequest,
  PersonasRequest,
  ProposePersonasRequest,
  ReviewRequest,
  RunWorkflowRequest,
  AddMemoryEntryRequest,
  TeamMemoryFileRequest,
  ServerCommands,
  WorkflowRunRequest,
  WorkflowRunsRequest,
  WorkflowsRequest,
  type InitializationOptions,
  type ServerClientSettings,
} from '../shared/protocol';
import { codeActions } from './codeActions';
import { executeCommand, saveReviewPersonas, suppressionDeps } from './commands';
import { dismissForMe } from './suppressions';
import { toDiagnostic, toLiveFinding } from './diagnostics';
import { explain } from './explain';
import { FindingStore, type DocState } from './findings';
import { addMemoryEntry, teamMemoryFile } from './memory';
import { ServerLog } from './log';
import { loadServerPersonas, personaInfos } from './personas';
import { ReviewRunner, invalid, type ServerSettings } from './reviews';
import { onNotification, onRequest, onRequest0, sendNotification } from './rpc';
import { WorkflowService } from './workflows';

/** The workspace root from the initialization options, else the first workspace folder, else `rootUri`, else the cwd. */
function workspaceRootOf(params: InitializeParams, opts: InitializationOptions): string {
  if (typeof opts.workspaceRoot === 'string' && opts.workspaceRoot) return opts.workspaceRoot;
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (uri?.startsWith('file:')) return fileURLToPath(uri);
  if (params.rootPath) return params.rootPath;
  return process.cwd();
}

const stringList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : undefined);

/**
 * The client settings the server understands, read leniently from whatever the client sent: a value of the
 * wrong type keeps the previous one. `warn` is told about values the server ignores (an unknown offline depth).
 */
export function readClientSettings(raw: unknown, previous: ServerClientSettings, warn: (message: string) => void = () => {}): ServerClientSettings {
  if (!raw || typeof raw !== 'object') return previous;
  const r = raw as Record<string, unknown>;
  const save = r.reviewOnSave;
  // `personaReview.offline.depth` arrives nested (`{ offline: { depth } }`), as VS Code sends a section.
  const depth = r.offline && typeof r.offline === 'object' ? (r.offline as Record<string, unknown>).depth : undefined;
  let offline = previous.offline;
  if (typeof depth === 'string' && (OFFLINE_DEPTHS as readonly string[]).includes(depth)) offline = { depth: depth as OfflineDepth };
  else if (depth !== undefined && depth !== null) warn(`personaReview.offline.depth must be ${OFFLINE_DEPTHS.join(' or ')}, got ${JSON.stringify(depth)}: keeping ${previous.offline?.depth ?? 'precise'}`);
  return {
    reviewOnSave: typeof save === 'boolean' ? save : (stringList(save) ?? previous.reviewOnSave),
    include: stringList(r.include) ?? previous.include,
    exclude: stringList(r.exclude) ?? previous.exclude,
    projectContext: typeof r.projectContext === 'boolean' ? r.projectContext : previous.projectContext,
    ...(offline ? { offline } : {}),
    baseline: typeof r.baseline === 'string' ? r.baseline.trim() : previous.baseline,
  };
}

/**
 * Sets up every handler on `connection` and starts listening. Returns nothing: the server runs until the
 * client sends `shutdown`/`exit` or the connection closes.
 */
export function startServer(connection: Connection): void {
  const log = new ServerLog(connection.console);
  let settings: ServerSettings = { workspaceRoot: process.cwd(), personaDirs: [], trusted: true };
  let clientSettings: ServerClientSettings = {};
  let clientCommands = new Set<string>();
  let documentChanges = false;

  const suppressedOf = (state: Readonly<DocState>) => state.suppressed.map((t) => ({ ...toLiveFinding(state.uri, t), suppression: t.suppression }));
  const publish = (state: Readonly<DocState>): void => {
    const diagnostics = state.findings.map(toDiagnostic);
    connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics }).catch(() => {});
    sendNotification(connection, FindingsChangedNotification.type, { uri: state.uri, findings: state.findings.map((t) => toLiveFinding(state.uri, t)), suppressed: suppressedOf(state) });
  };
  const store = new FindingStore(publish);

  const documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (document, changes, version) => {
      const updated = TextDocument.update(document, changes, version);
      store.applyChanges(updated.uri, changes, updated.getText(), version);
      return updated;
    },
  });
  const reviews = new ReviewRunner({ connection, documents, store, log, settings: () => settings, clientSettings: () => clientSettings });
  const workflows = new WorkflowService(reviews, () => settings, log);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as InitializationOptions;
    const root = workspaceRootOf(params, opts);
    const personaDirs = stringList(opts.personaDirs);
    const defaultDir = path.join(root, '.personas');
    settings = {
      workspaceRoot: root,
      builtinPersonaDir: typeof opts.builtinPersonaDir === 'string' ? opts.builtinPersonaDir : undefined,
      // A plain LSP client names no folders: the workspace's .personas/ when there is one.
      personaDirs: personaDirs ?? (existsSync(defaultDir) ? [defaultDir] : []),
      trusted: opts.trusted !== false,
    };
    clientSettings = readClientSettings(opts.settings, clientSettings, (m) => log.warn(m));
    clientCommands = new Set(stringList(opts.clientCommands) ?? []);
    // Dismissals for me from earlier sessions (the client keeps them): hidden from the first review on.
    for (const x of Array.isArray(opts.dismissed) ? opts.dismissed : []) {
      if (typeof x?.uri === 'string' && typeof x.fingerprint === 'string') store.dismiss(x.uri, x.fingerprint, typeof x.reason === 'string' ? x.reason : undefined);
    }
    documentChanges = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: Object.values(ServerCommands) },
      },
      serverInfo: { name: 'persona-review', version: pkg.version },
    };
  });
  connection.onInitialized(() => {
    log.info(
      `Persona Review language server ${pkg.version} ready; workspace ${settings.workspaceRoot}${settings.trusted ? '' : ' (not trusted: built-in personas only, no project context)'}; ${settings.personaDirs.length} extra persona folder(s); review on save ${clientSettings.reviewOnSave ? 'on' : 'off'}; project context ${clientSettings.projectContext === false ? 'off' : 'on'}; offline depth ${clientSettings.offline?.depth ?? 'precise'}`,
    );
  });
  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { personaReview?: unknown } | undefined)?.personaReview;
    clientSettings = readClientSettings(section, clientSettings, (m) => log.warn(m));
    log.debug(`settings changed: review on save ${clientSettings.reviewOnSave ? 'on' : 'off'}; offline depth ${clientSettings.offline?.depth ?? 'precise'}`);
  });

  documents.onDidOpen((e) => {
    if (store.findings(e.document.uri).length > 0) store.revalidate(e.document.uri, e.document.getText(), e.document.version);
  });
  documents.onDidClose((e) => {
    // Unsaved edits are gone with the document: check the findings against the file on disk.
    const uri = e.document.uri;
    if (store.findings(uri).length === 0 || !uri.startsWith('file:')) return;
    readFile(fileURLToPath(uri), 'utf8').then(
      (text) => {
        if (!reviews.documentFor(uri)) store.revalidate(uri, text, undefined);
      },
      () => {},
    );
  });
  documents.onDidSave((e) => {
    const personas = saveReviewPersonas(clientSettings);
    if (!personas || !e.document.uri.startsWith('file:')) return;
    reviews
      .review(
        { personas, target: { kind: 'document', uri: e.document.uri }, provider: 'offline', origin: 'save', include: clientSettings.include, exclude: clientSettings.exclude },
        CancellationToken.None,
        { create: true },
      )
      .catch((err: unknown) => log.warn(`review on save of ${e.document.uri}: ${(err as Error)?.message ?? String(err)}`));
  });

  connection.onCodeAction((params) => codeActions(params, reviews.documentFor(params.textDocument.uri), store, documentChanges, clientCommands));
  connection.onExecuteCommand((params, token) => executeCommand(params, token, { connection, reviews, store, log, settings: () => settings, clientSettings: () => clientSettings }));

  // A client may send `workDoneToken` with the request (LSP 3.17 §WorkDoneProgressParams).
  onRequest(connection, ReviewRequest.type, (params, token) => reviews.review(params, token, { workDoneToken: (params as { workDoneToken?: string }).workDoneToken }));
  onRequest(connection, EstimateRequest.type, (params, token) => reviews.estimate(params, token));
  onRequest0(connection, PersonasRequest.type, async () => {
    const loaded = await loadServerPersonas(settings);
    for (const e of loaded.errors) log.warn(`persona file skipped: ${e.message}`);
    const errors = loaded.errors;
    return { personas: await personaInfos(loaded, settings), categories: [...PERSONA_CATEGORIES], errors: errors.map((e) => ({ file: e.file, field: e.field, message: e.message })) };
  });
  onRequest0(connection, FindingsRequest.type, () => ({
    findings: store.all().flatMap((d) => d.findings.map((t) => toLiveFinding(d.uri, t))),
    suppressed: store.all().flatMap(suppressedOf),
  }));
  onRequest(connection, ExplainFindingRequest.type, (params, token) => explain(params, connection, settings, token));
  onRequest(connection, ProposePersonasRequest.type, async (params, token) => {
    if (!params?.target) throw invalid('target: expected what to propose personas for');
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const context = await reviews.contextFor(params.target, controller.signal);
      const { personas } = await loadServerPersonas(settings);
      return { personas: (await proposePersonas(context, personas.filter((p) => p.reviews).map((p) => p.id))).personas };
    } finally {
      sub.dispose();
    }
  });
  onRequest(connection, TeamMemoryFileRequest.type, (params) => teamMemoryFile(settings, params, log));
  onRequest(connection, AddMemoryEntryRequest.type, (params) => addMemoryEntry(settings, params, log));
  onRequest(connection, WorkflowsRequest.type, (params) => workflows.list(params?.id));
  onRequest(connection, RunWorkflowRequest.type, (params, token) => workflows.run(params, token));
  onRequest(connection, WorkflowRunsRequest.type, (params) => workflows.runs(params?.limit));
  onRequest(connection, WorkflowRunRequest.type, (params) => workflows.show(params?.runId));
  onNotification(connection, DismissFindingNotification.type, (params) => {
    if (typeof params?.uri !== 'string' || typeof params.fingerprint !== 'string') return;
    dismissForMe(suppressionDeps({ store, log, settings: () => settings, reviews }), params).catch((e: unknown) => log.warn(`dismissal: ${(e as Error)?.message ?? String(e)}`));
  });
  onNotification(connection, ClearFindingsNotification.type, () => {
    log.debug('all findings cleared');
    store.clear();
  });

  documents.listen(connection);
  connection.listen();
}
