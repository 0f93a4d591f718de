/**
 * The custom part of the protocol between the extension (client, vscode-languageclient) and the
 * language server (src/server). One namespace per message, the method string written once, and a
 * comment saying which way it travels (after vscode-eslint `$shared/customMessages.ts` and
 * rust-analyzer `lsp_ext.ts`). Everything else is plain LSP: `textDocument/publishDiagnostics` (with
 * `version`), `textDocument/codeAction`, `$/cancelRequest` and `$/progress`.
 *
 * Lines in these messages are 1-based, as in the core Finding schema; LSP positions (0-based) appear
 * only in standard LSP messages.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { CostEstimate } from '../core/cost';
import type { Finding, PersonaCategory, ReviewEvent, Severity } from '../core/types';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** Absolute path of the workspace folder findings are relative to. */
  workspaceRoot: string;
  /** Extra persona folders (absolute), after the built-in ones; empty in Restricted Mode. */
  personaDirs: string[];
  /** Folder of the built-in personas (absolute), shipped in the extension. */
  builtinPersonaDir: string;
}

/** What a review looks at. */
export type ReviewTargetParams =
  /** One document (open or on disk), optionally a selection of it (1-based inclusive lines). */
  | { kind: 'document'; uri: string; range?: { startLine: number; endLine: number } }
  /** Files or folders. */
  | { kind: 'paths'; uris: string[] }
  /** Git changes of the workspace: working tree vs HEAD, staged, or branch vs merge-base with `base`. */
  | { kind: 'git'; mode: 'working' | 'staged' | 'base'; base?: string };

/** Parameters of {@link ReviewRequest}. */
export interface ReviewParams {
  /** Chosen by the client; every {@link ReviewEventNotification} of this review carries it. */
  reviewId: string;
  /** Persona ids. */
  personas: string[];
  target: ReviewTargetParams;
  provider: 'offline' | 'anthropic';
  /** Only with provider `anthropic`. Held in memory for the request; never logged or echoed. */
  apiKey?: string;
  model?: string;
  /** A task for the model after the persona prompt (a chat slash command's task); ignored offline. */
  task?: string;
  /** Output tokens per request. */
  maxOutputTokens?: number;
  baseURL?: string;
  /** Gitignore-style globs relative to the workspace root. */
  include?: string[];
  exclude?: string[];
}

/** Result of {@link ReviewRequest}: the summary; findings themselves arrive as Diagnostics and events. */
export interface ReviewSummary {
  reviewId: string;
  findings: number;
  bySeverity: Record<Severity, number>;
  dropped: number;
  errors: Array<{ personaId: string; message: string; partial: boolean }>;
  notices: string[];
  durationMs: number;
  /** The full markdown report (the same renderer as the CLI). */
  markdown: string;
  /** True when the review was cancelled (by the client or by a newer review of the same target). */
  cancelled: boolean;
}

/** Client → server request: run a review. Cancellable with `$/cancelRequest`; a new review of the same
 * target cancels the running one. */
export namespace ReviewRequest {
  export const method = 'personaReview/review';
  export const type = new RequestType<ReviewParams, ReviewSummary, void>(method);
}

/**
 * Client → server request: what a review with these parameters would cost on Claude, before anything is
 * sent (the context is built and redacted locally, tokens estimated). `reviewId` and `apiKey` are not
 * needed. Rejects like {@link ReviewRequest} for bad parameters or an empty target.
 */
export namespace EstimateRequest {
  export const method = 'personaReview/estimate';
  export const type = new RequestType<Omit<ReviewParams, 'apiKey'>, CostEstimate, void>(method);
}

/** Server → client notification: one event of a running review (text delta, finding, progress, error …). */
export namespace ReviewEventNotification {
  export const method = 'personaReview/reviewEvent';
  export const type = new NotificationType<{ reviewId: string; event: ReviewEvent }>(method);
}

/** A persona as the UI needs it (no prompt). */
export interface PersonaInfo {
  id: string;
  name: string;
  shortName: string;
  description: string;
  category: PersonaCategory;
  icon: string;
  chat: string;
  commands: Array<{ name: string; description: string }>;
  questions: string[];
  reviews: boolean;
}

/** Client → server request: the loaded personas, and the load errors (file, field, message). */
export namespace PersonasRequest {
  export const method = 'personaReview/personas';
  export const type = new RequestType0<{ personas: PersonaInfo[]; errors: Array<{ file: string; field?: string; message: string }> }, void>(method);
}

/** A finding as it stands now in a document (ranges moved with edits). */
export interface LiveFinding extends Finding {
  /** Document URI. */
  uri: string;
  /** Set when the quoted code was edited: the finding may be fixed. */
  possiblyFixed?: boolean;
}

/** Server → client notification: the current findings of one document changed (for the findings tree). */
export namespace FindingsChangedNotification {
  export const method = 'personaReview/findingsChanged';
  export const type = new NotificationType<{ uri: string; findings: LiveFinding[] }>(method);
}

/** Client → server notification: the user dismissed a finding; it is not shown again for this fingerprint. */
export namespace DismissFindingNotification {
  export const method = 'personaReview/dismissFinding';
  export const type = new NotificationType<{ uri: string; fingerprint: string }>(method);
}

/** Client → server notification: remove every finding (the "Clear Findings" command). */
export namespace ClearFindingsNotification {
  export const method = 'personaReview/clearFindings';
  export const type = new NotificationType<Record<string, never>>(method);
}

/** What `Diagnostic.data` holds for a finding, so code actions can find it. */
export interface DiagnosticData {
  fingerprint: string;
  findingId: string;
  /** Present when the finding has a suggested replacement for its range. */
  hasFix: boolean;
}

/** The command id the "Explain in review panel" code action runs (registered by the extension). */
export const EXPLAIN_FINDING_COMMAND = 'personaReview.explainFinding';
/** The command id the "Dismiss finding" code action runs (registered by the extension, which notifies the server). */
export const DISMISS_FINDING_COMMAND = 'personaReview.dismissFinding';
