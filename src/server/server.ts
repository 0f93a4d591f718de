/**
 * The language server: connection, `initialize`, capabilities, and the wiring between open documents,
 * the finding store, reviews, Diagnostics and code actions.
 *
 * Capabilities: incremental text document sync (open/close and ranged changes, so findings can follow
 * edits), code actions of kind `quickfix`. Custom messages: src/shared/protocol.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import pkg from '../../package.json';
import {
  ClearFindingsNotification,
  DismissFindingNotification,
  FindingsChangedNotification,
  PersonasRequest,
  EstimateRequest,
  ReviewRequest,
  type InitializationOptions,
} from '../shared/protocol';
import { codeActions } from './codeActions';
import { toDiagnostic, toLiveFinding } from './diagnostics';
import { FindingStore, type DocState } from './findings';
import { ServerLog } from './log';
import { loadServerPersonas, toPersonaInfo } from './personas';
import { ReviewRunner, type ServerSettings } from './reviews';
import { onNotification, onRequest, onRequest0, sendNotification } from './rpc';

/** The workspace root from the initialization options, else the first workspace folder, else `rootUri`, else the cwd. */
function workspaceRootOf(params: InitializeParams, opts: Partial<InitializationOptions>): string {
  if (typeof opts.workspaceRoot === 'string' && opts.workspaceRoot) return opts.workspaceRoot;
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (uri?.startsWith('file:')) return fileURLToPath(uri);
  return process.cwd();
}

/**
 * Sets up every handler on `connection` and starts listening. Returns nothing: the server runs until the
 * client sends `shutdown`/`exit` or the connection closes.
 */
export function startServer(connection: Connection): void {
  const log = new ServerLog(connection.console);
  let settings: ServerSettings = { workspaceRoot: process.cwd(), personaDirs: [] };
  let documentChanges = false;

  const publish = (state: Readonly<DocState>): void => {
    const diagnostics = state.findings.map(toDiagnostic);
    connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics }).catch(() => {});
    sendNotification(connection, FindingsChangedNotification.type, { uri: state.uri, findings: state.findings.map((t) => toLiveFinding(state.uri, t)) });
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
  const reviews = new ReviewRunner({ connection, documents, store, log, settings: () => settings });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    settings = {
      workspaceRoot: workspaceRootOf(params, opts),
      builtinPersonaDir: typeof opts.builtinPersonaDir === 'string' ? opts.builtinPersonaDir : undefined,
      personaDirs: Array.isArray(opts.personaDirs) ? opts.personaDirs.filter((d): d is string => typeof d === 'string') : [],
    };
    documentChanges = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'persona-review', version: pkg.version },
    };
  });
  connection.onInitialized(() => {
    log.info(`Persona Review language server ${pkg.version} ready; workspace ${settings.workspaceRoot}; ${settings.personaDirs.length} extra persona folder(s)`);
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

  connection.onCodeAction((params) => codeActions(params, reviews.documentFor(params.textDocument.uri), store, documentChanges));

  onRequest(connection, ReviewRequest.type, (params, token) => reviews.review(params, token));
  onRequest(connection, EstimateRequest.type, (params, token) => reviews.estimate(params, token));
  onRequest0(connection, PersonasRequest.type, async () => {
    const { personas, errors } = await loadServerPersonas(settings);
    for (const e of errors) log.warn(`persona file skipped: ${e.message}`);
    return { personas: personas.map(toPersonaInfo), errors: errors.map((e) => ({ file: e.file, field: e.field, message: e.message })) };
  });
  onNotification(connection, DismissFindingNotification.type, (params) => {
    if (typeof params?.uri !== 'string' || typeof params.fingerprint !== 'string') return;
    log.debug(`finding ${params.fingerprint} dismissed in ${params.uri}`);
    store.dismiss(params.uri, params.fingerprint);
  });
  onNotification(connection, ClearFindingsNotification.type, () => {
    log.debug('all findings cleared');
    store.clear();
  });

  documents.listen(connection);
  connection.listen();
}
