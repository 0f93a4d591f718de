/**
 * The language client: starts dist/server.js (src/server) over Node IPC and connects it to VS Code.
 * Diagnostics, code actions and document sync are plain LSP and handled by vscode-languageclient; the
 * custom messages are in src/shared/protocol.ts. The server's own log and the LSP trace
 * (`personaReview.trace.server`) go to their own channel, "Persona Review Language Server".
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../shared/protocol';
import { atLeast, type Severity } from '../shared/severity';
import type { Ctx } from './ctx';

/** Client id: also the prefix of the `personaReview.trace.server` setting vscode-languageclient reads. */
export const CLIENT_ID = 'personaReview';
/** Name of the server's output channel. */
export const SERVER_CHANNEL_NAME = 'Persona Review Language Server';

/** Creates (does not start) the client for `init`. */
export function createClient(ctx: Ctx, init: InitializationOptions, filter: DiagnosticFilter): LanguageClient {
  const module = ctx.extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // `--inspect` lets a debugger attach to the server when the extension runs in debug mode (F5).
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every file can be reviewed; untitled documents too (reviewed from their open text).
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    outputChannel: ctx.serverChannel,
    traceOutputChannel: ctx.serverChannel,
    initializationOptions: init,
    // The server reads `personaReview.reviewOnSave`, `include`, `exclude`, `projectContext` and `offline.depth` from here (didChangeConfiguration).
    synchronize: { configurationSection: 'personaReview' },
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => filter.handle(uri, diagnostics, next),
    },
  };
  return new LanguageClient(CLIENT_ID, SERVER_CHANNEL_NAME, serverOptions, clientOptions);
}

type Next = (uri: vscode.Uri, diagnostics: vscode.Diagnostic[]) => void;

/**
 * Hides Diagnostics below `personaReview.minimumSeverity` on the client side, so the setting applies at
 * once without a new review. A Diagnostic's finding severity is looked up by the fingerprint in its
 * `data` (src/shared/protocol.ts `DiagnosticData`); when unknown it is inferred from the Diagnostic
 * severity (Error → high, Warning → medium, else low), since critical and high both map to Error.
 */
export class DiagnosticFilter {
  private readonly last = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[]; next: Next }>();

  constructor(
    private readonly minimum: () => Severity,
    private readonly severityOf: (fingerprint: string) => Severity | undefined,
  ) {}

  /** The middleware: remembers what the server sent, passes on what is at or above the minimum. */
  handle(uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: Next): void {
    if (diagnostics.length === 0) this.last.delete(uri.toString());
    else this.last.set(uri.toString(), { uri, diagnostics, next });
    next(uri, this.filter(diagnostics));
  }

  /** Applies the current minimum again to everything the server sent (after a setting or severity change). */
  refresh(uri?: string): void {
    for (const [key, e] of this.last) if (!uri || key === uri) e.next(e.uri, this.filter(e.diagnostics));
  }

  /** Forgets everything (the client stopped; its diagnostics are gone). */
  clear(): void {
    this.last.clear();
  }

  private filter(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
    const min = this.minimum();
    if (min === 'low') return diagnostics;
    return diagnostics.filter((d) => atLeast(this.severity(d), min));
  }

  private severity(d: vscode.Diagnostic): Severity {
    const data = (d as { data?: unknown }).data;
    const fp = typeof data === 'object' && data !== null && typeof (data as { fingerprint?: unknown }).fingerprint === 'string' ? (data as { fingerprint: string }).fingerprint : undefined;
    const known = fp ? this.severityOf(fp) : undefined;
    if (known) return known;
    if (d.severity === vscode.DiagnosticSeverity.Error) return 'high';
    if (d.severity === vscode.DiagnosticSeverity.Warning) return 'medium';
    return 'low';
  }
}
