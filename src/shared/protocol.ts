/**
 * The custom part of the protocol between the language server (src/server) and its clients: the VS Code
 * extension (vscode-languageclient) and, for what is marked so, any LSP client. One namespace per message,
 * the method string written once, and a comment saying which way it travels (after vscode-eslint
 * `$shared/customMessages.ts` and rust-analyzer `lsp_ext.ts`).
 *
 * Everything else is plain LSP: `textDocument/publishDiagnostics` (with `version`), `textDocument/codeAction`,
 * `workspace/executeCommand` (the {@link ServerCommands}, for editors without this extension),
 * `window/workDoneProgress`, `$/progress` and `$/cancelRequest`.
 *
 * Lines in these messages are 1-based, as in the core Finding schema; LSP positions (0-based) appear only in
 * standard LSP messages and where a field says so.
 */
import { NotificationType, ProgressType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { CostEstimate } from '../core/cost';
import type { RoutedPersona } from '../core/routing';
import type { Finding, PersonaCategory, ReviewEvent } from '../core/types';
import type { MemoryStatus } from '../core/memory';
import type { OfflineDepth } from '../core/offline/rule';
import type { GateResult, RunLog, RunTarget } from '../core/workflowRun';
import type { Workflow } from '../core/workflows';
import type { PersonaOrigin } from '../core/workspacePersonas';
import type { Severity } from './severity';

/** Sent by the client in `initializationOptions`; every field is optional (a plain LSP client sends none). */
export interface InitializationOptions {
  /** Absolute path of the workspace folder findings are relative to (default: the first workspace folder, `rootUri`, the cwd). */
  workspaceRoot?: string;
  /** Extra persona folders (absolute), after the built-in ones; empty in Restricted Mode. Default: `<root>/.personas`. */
  personaDirs?: string[];
  /**
   * False when the workspace is not trusted (VS Code Restricted Mode): the server reads none of the
   * workspace's own files that steer a review (persona folders, other tools' persona files, project guidance,
   * team memory) and writes no team memory. Default true: a plain LSP client has no Restricted Mode.
   */
  trusted?: boolean;
  /** Folder of the built-in personas (absolute), shipped with the extension; default: beside the server bundle. */
  builtinPersonaDir?: string;
  /**
   * Commands the client runs itself, which code actions may name (the VS Code extension: its
   * {@link EXPLAIN_FINDING_COMMAND}). Code actions for other clients name only {@link ServerCommands}.
   */
  clientCommands?: string[];
  /**
   * Findings the user dismissed "for me" in earlier sessions (the VS Code extension keeps them in its
   * workspace state): the server's store hides them from the start, listed as suppressed `me`.
   */
  dismissed?: DismissFindingParams[];
  /** The settings below, also accepted later through `workspace/didChangeConfiguration` (`{ personaReview: {...} }`). */
  settings?: ServerClientSettings;
}

/** Settings the server reads from the client: `initializationOptions.settings` or `workspace/didChangeConfiguration` (`settings.personaReview`). */
export interface ServerClientSettings {
  /**
   * Review a document with the offline provider when it is saved (opt-in; default off). `true` reviews as
   * {@link DEFAULT_SAVE_PERSONAS}; a list names the personas.
   */
  reviewOnSave?: boolean | string[];
  /** Gitignore-style globs (workspace-relative) that reviews are limited to / skip. */
  include?: string[];
  exclude?: string[];
  /**
   * Send the project guidance files (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, CONTRIBUTING.md)
   * and each persona's team memory (.personas/memory/<id>.md) with reviews on a model, as the team's
   * guidance (core src/core/projectContext.ts). Default true; false sends neither. Never in Restricted Mode.
   */
  projectContext?: boolean;
  /**
   * The offline provider's settings (`personaReview.offline.*`). `depth`: `precise` (default) reports what holds
   * up on well-reviewed code; `thorough` adds size, complexity and coupling measures and the softer cases of the
   * rules (src/core/offline/rule.ts `OfflineDepth`). Applies to reviews on the offline provider only, from the
   * next review on (reviews on save included).
   */
  offline?: { depth?: OfflineDepth };
  /**
   * A baseline file (`persona-review baseline -o <file>`), workspace-relative or absolute: editor reviews
   * report only findings not in it, and their notices say how many baselined findings still exist and how
   * many were fixed (core src/core/triage.ts). Empty or absent: no baseline. Ignored in an untrusted workspace.
   */
  baseline?: string;
}

/** The personas a review on save uses when the setting says `true`. */
export const DEFAULT_SAVE_PERSONAS = ['security', 'sre', 'engineer'] as const;

/** What a review looks at. */
export type ReviewTargetParams =
  /** One document (open or on disk), optionally a selection of it (1-based inclusive lines). */
  | { kind: 'document'; uri: string; range?: { startLine: number; endLine: number } }
  /** Files or folders. */
  | { kind: 'paths'; uris: string[] }
  /** Git changes of the workspace: working tree vs HEAD, staged, or branch vs merge-base with `base`. */
  | { kind: 'git'; mode: 'working' | 'staged' | 'base'; base?: string };

/** A review backend. `vscode-lm`: a VS Code chat model, run by the client for the server ({@link LanguageModelRequest}). */
export type ProviderId = 'offline' | 'anthropic' | 'vscode-lm';

/** Where a review was started, for titles and logs. */
export type ReviewOrigin = 'command' | 'chat' | 'tool' | 'workflow' | 'save' | 'lsp';

/** Parameters of {@link ReviewRequest}. */
export interface ReviewParams {
  /** Chosen by the client (every event of this review carries it); the server picks one when absent. */
  reviewId?: string;
  /** Persona ids. */
  personas: string[];
  target: ReviewTargetParams;
  provider: ProviderId;
  /** Only with provider `anthropic`. Held in memory for the request; never logged or echoed. */
  apiKey?: string;
  /** Claude model id (`anthropic`), or the chat model id to ask the client for (`vscode-lm`; empty: the client's choice). */
  model?: string;
  /**
   * A persona command (`readiness`, `slo`, `threat-model` …; a chat slash command). With a model, its task
   * is sent after the persona prompt; offline, the summary carries the command's document
   * ({@link ReviewSummary.document}). `review`, `changes` and empty mean a plain review.
   */
  command?: string;
  /** The user's own words (a chat prompt), sent to a chat model after everything else; ignored by other providers. */
  userPrompt?: string;
  /** Findings of earlier chat turns, so a chat model can refer to them (`F2`). */
  previousFindings?: Finding[];
  /** Output tokens per request. */
  maxOutputTokens?: number;
  baseURL?: string;
  /** Gitignore-style globs relative to the workspace root. */
  include?: string[];
  exclude?: string[];
  origin?: ReviewOrigin;
  /** A short description of the target for titles ("src/app.ts:10-20"); the server writes one when absent. */
  targetLabel?: string;
  /** Render the findings as chat markdown in {@link ReviewSummary.chat}, numbered from `firstId` (`F<firstId>`). */
  chat?: { firstId: number; full: boolean };
}

/** How a review ended. `partial`: some personas did not finish (named in `incomplete`); `failed`: none produced anything. */
export type ReviewStatus = 'done' | 'partial' | 'failed' | 'cancelled';

/** Findings rendered as chat markdown (core src/core/render/chat.ts), sanitised. */
export interface ChatRendering {
  /** "3 findings (1 high, 2 medium)". */
  countLine: string;
  /** One entry per finding, most severe first, numbered `F<firstId>`…; `markdown` is the full entry or its title. */
  items: Array<{ finding: Finding; markdown: string }>;
}

/** Result of {@link ReviewRequest}. Findings are also Diagnostics, the store's findings and review events. */
export interface ReviewSummary {
  reviewId: string;
  status: ReviewStatus;
  /** Number of findings kept (after merging), as published. */
  findings: number;
  /** The findings kept, merged, in the reviewed text's coordinates (1-based). */
  findingList: Finding[];
  bySeverity: Record<Severity, number>;
  dropped: number;
  errors: Array<{ personaId: string; message: string; partial: boolean }>;
  /** Personas that did not finish (failed or cut); empty when every persona completed. */
  incomplete: string[];
  /** Set when the whole review failed: the reason, safe to show. */
  failure?: string;
  /** Each notice once (budget cuts, redactions, dropped findings, rule errors). */
  notices: string[];
  durationMs: number;
  /** The full markdown report (the same renderer as the CLI). */
  markdown: string;
  /** True when the review was cancelled (by the client or by a newer review of the same target). */
  cancelled: boolean;
  /** The provider that ran it. */
  provider: ProviderId;
  /** The model that answered (Claude model id, or the chat model's name), when a model did. */
  model?: string;
  /** Per persona id: the review text as streamed (sanitised markdown). */
  texts: Record<string, string>;
  /** With a persona command reviewed offline: the command's document (core src/core/documents), markdown. */
  document?: string;
  /** When asked for with `ReviewParams.chat`. */
  chat?: ChatRendering;
}

/** Client → server request: run a review. Cancellable with `$/cancelRequest`; a new review of the same
 * target cancels the running one. Rejects (InvalidParams) for bad parameters, unknown personas or an empty
 * target; provider failures are in the summary (`status`, `errors`), never a rejection. */
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

/** A persona as a review's header shows it. `icon` is a codicon id without `$()`. */
export interface ReviewPersona {
  id: string;
  name: string;
  icon: string;
}

/** Parameters of {@link ReviewStartedNotification}. */
export interface ReviewStartedParams {
  reviewId: string;
  /** "Security Engineer · src/app.ts". */
  title: string;
  targetLabel: string;
  personas: ReviewPersona[];
  provider: ProviderId;
  /** The model asked (Claude model id; for a chat model the id or handle asked for; its name comes at the end). */
  model?: string;
  origin: ReviewOrigin;
}

/** Server → client notification: a review started (from any client request, a command, a workflow phase or a save). */
export namespace ReviewStartedNotification {
  export const method = 'personaReview/reviewStarted';
  export const type = new NotificationType<ReviewStartedParams>(method);
}

/**
 * Server → client notification: one event of a running review (text delta, finding, progress, error …).
 * `event.text` is the model's text as it streamed (the review panel renders it with HTML, images and
 * non-http links off); `safeText` is the same text sanitised (src/shared/markdownSafety.ts
 * `SafeMarkdownStream`), in whole blocks, for surfaces that show markdown as it is (chat): it comes with
 * `text` events once a block is complete, and with a persona's `persona-end` or `error` event for the rest.
 * A persona's text deltas are merged for at most 16 ms (src/server/textBatch.ts; its first delta is sent at
 * once), and every other event is sent after the text that preceded it.
 */
export namespace ReviewEventNotification {
  export const method = 'personaReview/reviewEvent';
  export const type = new NotificationType<{ reviewId: string; event: ReviewEvent; safeText?: string }>(method);
}

/** Parameters of {@link ReviewFinishedNotification}: the summary without the report, texts and chat rendering. */
export type ReviewFinishedParams = Omit<ReviewSummary, 'markdown' | 'chat' | 'texts'>;

/** Server → client notification: a review ended; its findings are in the store by now. */
export namespace ReviewFinishedNotification {
  export const method = 'personaReview/reviewFinished';
  export const type = new NotificationType<ReviewFinishedParams>(method);
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
  /**
   * Where it comes from: `built-in` (shipped), `workspace` (the workspace's persona folders) or `repository`
   * (another tool's persona file found in the repository: Claude Code, VS Code agents and chat modes, Roo,
   * BMAD; core src/core/personaImport.ts). Absent from servers that do not say.
   */
  origin?: PersonaOrigin;
  /** For `workspace` and `repository` personas: the file it was read from, workspace-relative (forward slashes). */
  source?: string;
  /** For `repository` personas: the format it was imported from and the import report, one line each (kept, mapped, dropped). */
  imported?: { format: string; report: string[] };
  /** Its team memory file (reviewing personas, trusted workspaces only). */
  memory?: MemoryStatus;
}

/** Client → server request: the loaded personas, the categories in display order, and the load errors (file, field, message). */
export namespace PersonasRequest {
  export const method = 'personaReview/personas';
  export const type = new RequestType0<
    { personas: PersonaInfo[]; categories: PersonaCategory[]; errors: Array<{ file: string; field?: string; message: string }> },
    void
  >(method);
}

/** A finding as it stands now in a document (ranges moved with edits). */
export interface LiveFinding extends Finding {
  /** Document URI. */
  uri: string;
  /** Display names of the personas that reported it. */
  personaNames: string[];
  /** References with the page each links to, where one is known (CWE, OWASP). */
  referenceLinks: Array<{ label: string; href?: string }>;
  /** True when the suggested replacement can be applied as a quick fix. */
  hasFix: boolean;
  /** The review that placed it. */
  reviewId?: string;
}

/**
 * Why a finding is not shown: `me` (dismissed "for me": this user's editor only), `team` (an entry of the
 * workspace folder's `.persona-review/suppressions.yaml`) or `inline` (a `persona-review-ignore` comment).
 */
export interface SuppressionInfo {
  scope: 'me' | 'team' | 'inline';
  /** The written reason (required for `team` and `inline`; optional for `me`). */
  reason?: string;
  /** `team`: who accepted it (`Name <email>`), the day (`YYYY-MM-DD`) and the optional last day it holds. */
  author?: string;
  date?: string;
  expires?: string;
  /** Where it is written: the suppressions file or the commented file (workspace-relative) and its 1-based line. */
  location?: { file: string; line: number };
}

/** A finding the store holds but does not show (no Diagnostic, not in the counts), with why. */
export interface SuppressedLiveFinding extends LiveFinding {
  suppression: SuppressionInfo;
}

/**
 * Server → client notification: the current findings of one document changed (every view updates from it).
 * `suppressed`: the document's suppressed findings (the Findings view shows them on demand); absent from
 * servers that do not send them.
 */
export namespace FindingsChangedNotification {
  export const method = 'personaReview/findingsChanged';
  export const type = new NotificationType<{ uri: string; findings: LiveFinding[]; suppressed?: SuppressedLiveFinding[] }>(method);
}

/** Client → server request: every current finding, and every suppressed one (a client that (re)started fills its views from it). */
export namespace FindingsRequest {
  export const method = 'personaReview/findings';
  export const type = new RequestType0<{ findings: LiveFinding[]; suppressed?: SuppressedLiveFinding[] }, void>(method);
}

/** Parameters of {@link DismissFindingNotification} and of `ServerCommands.dismissFinding`. */
export interface DismissFindingParams {
  uri: string;
  fingerprint: string;
  /** Why (optional for a dismissal for me); recorded in the audit ledger when the workspace has one. */
  reason?: string;
}

/** Client → server notification: the user dismissed a finding for themself; it is not shown again for this fingerprint. */
export namespace DismissFindingNotification {
  export const method = 'personaReview/dismissFinding';
  export const type = new NotificationType<DismissFindingParams>(method);
}

/** Arguments of `ServerCommands.suppressFinding` (one object). */
export interface SuppressFindingArgs {
  uri: string;
  fingerprint: string;
  /** Why the team accepts the finding (required, non-empty). */
  reason: string;
  /** Last day the suppression holds (`YYYY-MM-DD`); from the day after, the finding comes back. */
  expires?: string;
  /**
   * The workspace folder (absolute path) whose `.persona-review/suppressions.yaml` gets the entry: the
   * finding's folder in a multi-root workspace. Default: the server's workspace root. Must contain the file.
   */
  root?: string;
}

/** What `ServerCommands.suppressFinding` answers. */
export interface SuppressFindingResult {
  /** Absolute path of the suppressions file written. */
  file: string;
  /** The entry as written. */
  entry: { fingerprint: string; rule: string; file: string; quote: string; reason: string; author: string; date: string; expires?: string };
  /** The audit ledger entry's `seq`, when the workspace keeps a ledger. */
  ledgerSeq?: number;
  /** Problems that did not stop the write (invalid entries left as they were, a ledger that could not be appended to), one line each. */
  warnings: string[];
}

/** Arguments of `ServerCommands.unsuppressFinding`: a suppressed finding by document and fingerprint. */
export interface UnsuppressFindingArgs {
  uri: string;
  fingerprint: string;
}

/** What `ServerCommands.unsuppressFinding` answers: the scope it was suppressed in, and the file changed (`team`). */
export interface UnsuppressFindingResult {
  scope: 'me' | 'team';
  file?: string;
  ledgerSeq?: number;
  warnings: string[];
}

/**
 * Client → server request: make sure a persona's team memory file (`.personas/memory/<id>.md`) exists,
 * creating it from the template when it does not, and answer with its absolute path, so the client can open
 * it. Rejects (InvalidRequest) in an untrusted workspace and (InvalidParams) for an unknown persona.
 */
export namespace TeamMemoryFileRequest {
  export const method = 'personaReview/teamMemoryFile';
  export const type = new RequestType<{ personaId: string }, { path: string; created: boolean }, void>(method);
}

/** Parameters of {@link AddMemoryEntryRequest}. */
export interface AddMemoryEntryParams {
  personaId: string;
  /** The decision or reason, a sentence or more (line breaks become spaces). */
  text: string;
  /** What it is about: a finding's category or rule (`security/sql-injection`). */
  about?: string;
  /** Who adds it (the git user name, when the client knows it). */
  by?: string;
}

/**
 * Client → server request: add one dated entry to a persona's team memory (core `appendMemoryEntry`), e.g.
 * the reason a finding was dismissed; answers with the file's absolute path and its entries now. Rejects
 * (InvalidRequest) in an untrusted workspace and (InvalidParams) for an unknown persona or an empty text.
 */
export namespace AddMemoryEntryRequest {
  export const method = 'personaReview/addMemoryEntry';
  export const type = new RequestType<AddMemoryEntryParams, { path: string; entries: number }, void>(method);
}

/** Client → server notification: remove every finding (the "Clear Findings" command). */
export namespace ClearFindingsNotification {
  export const method = 'personaReview/clearFindings';
  export const type = new NotificationType<Record<string, never>>(method);
}

/** Parameters of {@link ExplainFindingRequest}. */
export interface ExplainParams {
  /** The finding to explain; or leave it out and give `candidates`. */
  finding?: Finding;
  /**
   * Findings a follow-up question may be about (earlier chat turns, oldest first, then those under the
   * cursor); the server picks the one `userPrompt` means (core `resolveFinding`: an id like `F2`, a
   * `file:line`, a category, "this" = the last one, else the one under `cursor`).
   */
  candidates?: Finding[];
  /** The user's question. */
  userPrompt?: string;
  /** Where the cursor is (workspace-relative file, 1-based line). */
  cursor?: { file: string; line: number };
  /** `offline`: the finding, the rule's help, the fix and references; `vscode-lm`: a chat model explains it (streamed). */
  provider: 'offline' | 'vscode-lm';
  /** With `vscode-lm`: the id to stream the explanation under (as `text` {@link ReviewEventNotification}s with `safeText`), and the model. */
  requestId?: string;
  model?: string;
}

/**
 * Client → server request: explain a finding as markdown (sanitised); answers with the finding explained.
 * Rejects with InvalidParams when there is no finding to explain, and with a message safe to show when the
 * chat model fails.
 */
export namespace ExplainFindingRequest {
  export const method = 'personaReview/explainFinding';
  export const type = new RequestType<ExplainParams, { finding: Finding; markdown: string; model?: string }, void>(method);
}

/** Client → server request: the personas proposed for a target, with their reasons (core routing); nothing is sent anywhere. */
export namespace ProposePersonasRequest {
  export const method = 'personaReview/proposePersonas';
  export const type = new RequestType<{ target: ReviewTargetParams }, { personas: RoutedPersona[] }, void>(method);
}

/** A workflow as the UI shows it: the definition, and each gate described in a sentence. */
export interface WorkflowInfo extends Omit<Workflow, 'phases'> {
  phases: Array<Workflow['phases'][number] & { gateDescriptions: Record<string, string> }>;
}

/** Client → server request: the workflows (built-in, then the workspace's), load problems, and the list as chat markdown (or one workflow's, by `id`). */
export namespace WorkflowsRequest {
  export const method = 'personaReview/workflows';
  export const type = new RequestType<{ id?: string }, { workflows: WorkflowInfo[]; errors: string[]; markdown: string }, void>(method);
}

/** Parameters of {@link RunWorkflowRequest}: start `workflow` on `target`, or resume a run. Provider fields as in {@link ReviewParams}. */
export interface RunWorkflowParams extends Pick<ReviewParams, 'provider' | 'apiKey' | 'model' | 'maxOutputTokens' | 'baseURL' | 'include' | 'exclude'> {
  workflow?: string;
  target?: RunTarget;
  resume?: string;
  /** Gate id → reason. */
  overrides?: Record<string, string>;
  signOffs?: string[];
}

/** A run log as the clients get it: the log, its markdown export and the gates that stopped it (empty when it did not stop). */
export interface RunResult {
  log: RunLog;
  markdown: string;
  failedGates: GateResult[];
}

/** Client → server request: run a workflow with the Workflow Executor (each phase is a review like any other). Rejects with a clear message for an unknown workflow or run. */
export namespace RunWorkflowRequest {
  export const method = 'personaReview/runWorkflow';
  export const type = new RequestType<RunWorkflowParams, RunResult, void>(method);
}

/** Client → server request: the recent workflow runs of the workspace, newest first (at most `limit`, default 20). */
export namespace WorkflowRunsRequest {
  export const method = 'personaReview/workflowRuns';
  export const type = new RequestType<{ limit?: number }, { runs: Array<{ runId: string; log?: RunLog; error?: string }> }, void>(method);
}

/** Client → server request: one run log and its markdown export; the newest run when `runId` is absent. Rejects when there is none. */
export namespace WorkflowRunRequest {
  export const method = 'personaReview/workflowRun';
  export const type = new RequestType<{ runId?: string }, RunResult, void>(method);
}

/** Parameters of {@link LanguageModelRequest}. */
export interface LanguageModelParams {
  /** The chat model id to use; absent: the one the client's settings or the user picked. */
  model?: string;
  /** One user message (chat models have no system role). */
  prompt: string;
  /** Shown by the editor when it asks the user to allow the model ("Security Engineer reviews src/a.ts"). */
  justification: string;
  /** The reply's text deltas come back as `$/progress` with this token and {@link LanguageModelTextProgress}. */
  partialResultToken: string;
}

/** A text delta of a model reply (`$/progress` value). */
export const LanguageModelTextProgress = new ProgressType<{ text: string }>();

/**
 * Server → client request: run a chat model for the server (VS Code: `vscode.lm`) and stream its reply back
 * as partial results; resolves with the model that answered once the reply is complete. The server cancels
 * it with `$/cancelRequest`. Rejects with a message safe to show (and `data.kind`: `auth` for no permission,
 * `unavailable` for no model, `rate-limit` for a quota) when no model can answer.
 */
export namespace LanguageModelRequest {
  export const method = 'personaReview/languageModel';
  export const type = new RequestType<LanguageModelParams, { id: string; name: string; vendor?: string }, void>(method);
}

/** What `Diagnostic.data` holds for a finding, so code actions can find it. */
export interface DiagnosticData {
  fingerprint: string;
  findingId: string;
  /** Present when the finding has a suggested replacement for its range. */
  hasFix: boolean;
}

/**
 * Commands the server runs through `workspace/executeCommand` (advertised in `executeCommandProvider`), so an
 * editor with nothing but LSP can review, dismiss and clear. Arguments are JSON; lines in ranges are LSP
 * 0-based positions. Each review command resolves with a {@link ReviewSummary} (without `markdown`).
 */
export const ServerCommands = {
  /** `[uri, personas?]`: review the document as these persona ids (default {@link DEFAULT_SAVE_PERSONAS}). */
  reviewDocument: 'personaReview.server.reviewDocument',
  /** `[uri, range, personas?]`: review the selected lines (LSP Range) as these personas. */
  reviewSelection: 'personaReview.server.reviewSelection',
  /** `[{ mode?: 'working'|'staged'|'base', base?, personas? }?]`: review the git changes. */
  reviewChanges: 'personaReview.server.reviewChanges',
  /** `[{ uri, fingerprint, reason? }]`: dismiss a finding for me (the code action "Dismiss finding"). */
  dismissFinding: 'personaReview.server.dismissFinding',
  /**
   * `[SuppressFindingArgs]`: dismiss a finding for the team: add an entry to `.persona-review/suppressions.yaml`
   * (core src/core/suppressions/file.ts; comments and other entries kept) with the git user as author, hide it,
   * and record it in the audit ledger when there is one. Resolves with {@link SuppressFindingResult}. Rejects
   * (InvalidRequest) in an untrusted workspace, (InvalidParams) for a finding that is gone or a missing reason,
   * and with a message naming the line and field when the existing file is malformed (it is left unchanged).
   */
  suppressFinding: 'personaReview.server.suppressFinding',
  /**
   * `[UnsuppressFindingArgs]`: un-suppress a finding dismissed for me or for the team (its suppressions-file
   * entry is removed); it is shown again at once. Resolves with {@link UnsuppressFindingResult}. An inline
   * suppression is refused with where its comment is.
   */
  unsuppressFinding: 'personaReview.server.unsuppressFinding',
  /** `[]`: remove every finding. */
  clearFindings: 'personaReview.server.clearFindings',
  /** `[{ uri, fingerprint }]`: show the finding's explanation (`window/showMessage`) and return it as markdown. */
  explainFinding: 'personaReview.server.explainFinding',
} as const;

/** The command id the "Explain in review panel" code action runs in VS Code (registered by the extension). */
export const EXPLAIN_FINDING_COMMAND = 'personaReview.explainFinding';

/**
 * The command id of the "Dismiss for the team..." code action, offered only to a client that runs it itself
 * (the VS Code extension asks for the reason, then calls `ServerCommands.suppressFinding`). Arguments `[{ uri, fingerprint }]`.
 */
export const DISMISS_FOR_TEAM_COMMAND = 'personaReview.dismissFindingForTeam';
