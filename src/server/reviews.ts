/**
 * Running reviews: `personaReview/review` (src/shared/protocol.ts `ReviewRequest`), the review commands of
 * `workspace/executeCommand`, reviews on save and each phase of a workflow all come here, so every review is
 * run, published and reported one way.
 *
 * One review: build the context (an open document's text as it is now, unsaved edits included, through core
 * `assembleContext`; files on disk and git changes through core `buildContext`), run core `reviewContext`
 * with the offline provider, Claude (core AnthropicProvider) or a VS Code chat model (core ChatModelProvider
 * over ./languageModel: the client runs the model and streams its reply back), announce it
 * (`personaReview/reviewStarted`), stream every core `ReviewEvent` (`personaReview/reviewEvent`), report
 * work-done progress (the client's `workDoneToken`, or a server-created `window/workDoneProgress` for
 * reviews a plain LSP client started), place the findings in the documents as they are when the review ends
 * (re-anchoring them when the text changed meanwhile, see ./placement) and publish them through the finding
 * store, then announce the end (`personaReview/reviewFinished`) and answer with a {@link ReviewSummary}.
 *
 * Cancellation: `$/cancelRequest` aborts the review (an AbortController handed to the engine); so does a new
 * review of the same target. A cancelled review publishes nothing: the findings shown stay those of the last
 * review that finished. A review whose every persona failed is `failed` and publishes nothing either; one
 * where some personas failed is `partial`, and publishes what the others found.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type ProgressToken,
  type TextDocuments,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import pkg from '../../package.json';
import { assembleContext, buildContext } from '../core/context';
import { estimateCost, type CostEstimate } from '../core/cost';
import { contextFiles, renderCommandDocument } from '../core/documents';
import { reviewContext } from '../core/engine';
import { InputError, isSensitivePath } from '../core/files';
import { attachProjectContext } from '../core/projectContext';
import { ruleDescriptors } from '../core/offline/descriptors';
import { OfflineProvider } from '../core/offline/provider';
import type { OfflineDepth } from '../core/offline/rule';
import { COMMON_COMMAND_NAMES, resolvePersonaIds, type LoadedPersona } from '../core/personas';
import { AnthropicProvider, DEFAULT_MODEL } from '../core/providers/anthropic';
import { ChatModelProvider } from '../core/providers/chatModel';
import { taskPrompt } from '../core/providers/tasks';
import { renderReport } from '../core/render';
import { countLine, findingMarkdown, sortFindings } from '../core/render/chat';
import { SafeMarkdownStream, sanitizeInline } from '../shared/markdownSafety';
import { SEVERITIES, type Finding, type ReviewContext, type ReviewEvent, type ReviewProvider, type ReviewResult, type ReviewTarget, type Severity, type SuppressedFinding } from '../core/types';
import { BaselineError, readBaseline, type Baseline } from '../core/baseline';
import { INLINE_MARKER } from '../core/suppressions/inline';
import { suppressionsPath } from '../core/teamFiles';
import type { TriageOptions } from '../core/triage';
import {
  ReviewEventNotification,
  ReviewFinishedNotification,
  ReviewStartedNotification,
  type ProviderId,
  type ReviewParams,
  type ReviewStatus,
  type ReviewSummary,
  type ReviewTargetParams,
  type ServerClientSettings,
  type SuppressionInfo,
} from '../shared/protocol';
import { relatedFromMessage, type RelatedFile } from './diagnostics';
import { documentKey, scopeLines, type FindingStore, type SuppressedTracked, type TrackedFinding } from './findings';
import { LspChatModelTransport } from './languageModel';
import type { ServerLog } from './log';
import { loadServerPersonas, type PersonaSources } from './personas';
import { placeFindings, type ReviewedText } from './placement';
import { sendNotification } from './rpc';
import { TextBatcher } from './textBatch';

/** What the server was told at `initialize` (src/shared/protocol.ts `InitializationOptions`), resolved. */
export interface ServerSettings extends PersonaSources {
  workspaceRoot: string;
}

/** What {@link ReviewRunner} needs from the server. */
export interface ReviewDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  store: FindingStore;
  log: ServerLog;
  settings: () => ServerSettings;
  /** The client's settings now (`projectContext`: send the project guidance and team memory; default on). */
  clientSettings: () => ServerClientSettings;
}

/** How a review reports progress: the client's `workDoneToken`, or (`create`) a progress the server creates. */
export interface ProgressOptions {
  workDoneToken?: ProgressToken;
  /** Create a `window/workDoneProgress` when the client sent no token (reviews a plain LSP client started). */
  create?: boolean;
}

/** How often a file's findings are placed again when the document keeps changing while they are placed. */
const PLACE_ATTEMPTS = 3;

/** One file of a review: where its Diagnostics go and what the review saw of it. */
interface ReviewedFile {
  uri: string;
  absPath: string;
  reviewed: ReviewedText;
}

/** An open document's text and version, taken when the request arrived. */
interface Snapshot {
  uri: string;
  text: string;
  version: number;
}

/** A finished review: what the client gets, and what the engine produced (for the Workflow Executor). */
export interface ReviewRun {
  summary: ReviewSummary;
  result?: ReviewResult;
}

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });

/** The key under which a review of `target` supersedes an earlier review of the same target. */
export function targetKey(target: ReviewTargetParams): string {
  switch (target.kind) {
    case 'document':
      return `document\u0000${documentKey(target.uri)}\u0000${target.range ? `${target.range.startLine}-${target.range.endLine}` : ''}`;
    case 'paths':
      return `paths\u0000${[...new Set(target.uris.map(documentKey))].sort().join('\u0000')}`;
    case 'git':
      return `git\u0000${target.mode}\u0000${target.base ?? ''}`;
  }
}

/** A short description of a target ("src/app.ts:10-20", "uncommitted changes"), paths relative to `root`. */
export function describeTarget(target: ReviewTargetParams, root: string): string {
  const rel = (uri: string) => {
    const p = fsPath(uri);
    return p ? path.relative(root, p).split(path.sep).join('/') || '.' : uri;
  };
  switch (target.kind) {
    case 'document':
      return `${rel(target.uri)}${target.range ? `:${target.range.startLine}-${target.range.endLine}` : ''}`;
    case 'paths':
      return target.uris.length <= 3 ? target.uris.map(rel).join(', ') : `${target.uris.length} files and folders`;
    case 'git':
      return target.mode === 'staged' ? 'staged changes' : target.mode === 'base' ? `changes since ${target.base}` : 'uncommitted changes';
  }
}

/**
 * The core target whose workspace files (personas from the repository, project guidance, team memory) a
 * review of `target` reads: the change's base commit for git changes, else the working tree under `root`.
 */
export function workspaceTargetOf(target: ReviewTargetParams, root: string): ReviewTarget {
  return target.kind === 'git' ? { kind: 'git', root, mode: target.mode, ...(target.base ? { base: target.base } : {}) } : { kind: 'paths', root, paths: [] };
}

/** The file system path of a `file:` URI, else undefined. */
export function fsPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Workspace-relative path with forward slashes; the absolute path (forward slashes) when outside the root. */
function relPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

/** A ResponseError for bad parameters. */
export function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

const PROVIDERS: readonly ProviderId[] = ['offline', 'anthropic', 'vscode-lm'];

/** Checks the parts of the params that are not plain strings typed by the compiler on the other side. */
export function validate(params: ReviewParams): void {
  if (!params || typeof params !== 'object') throw invalid('expected review parameters: { personas, target, provider }');
  if (params.reviewId !== undefined && (typeof params.reviewId !== 'string' || params.reviewId === '')) throw invalid('reviewId: expected a non-empty string chosen by the client, or none');
  if (!Array.isArray(params.personas) || params.personas.length === 0 || params.personas.some((p) => typeof p !== 'string')) throw invalid('personas: expected at least one persona id');
  if (!PROVIDERS.includes(params.provider)) throw invalid(`provider: expected "offline", "anthropic" or "vscode-lm", got ${JSON.stringify(params.provider)}`);
  const t = params.target;
  if (!t || !['document', 'paths', 'git'].includes(t.kind)) throw invalid('target.kind: expected "document", "paths" or "git"');
  if (t.kind === 'document' && typeof t.uri !== 'string') throw invalid('target.uri: expected the document URI');
  if (t.kind === 'paths' && (!Array.isArray(t.uris) || t.uris.length === 0)) throw invalid('target.uris: expected at least one file or folder URI');
  if (t.kind === 'git' && !['working', 'staged', 'base'].includes(t.mode)) throw invalid('target.mode: expected "working", "staged" or "base"');
  if (t.kind === 'git' && t.mode === 'base' && !t.base) throw invalid('target.base: mode "base" needs the base branch or ref');
  if (params.provider === 'anthropic' && !params.apiKey) {
    throw invalid('provider "anthropic" needs an API key: store one with "Persona Review: Set Anthropic API Key", or review with the offline provider');
  }
}

/** True for a command that is a plain review (no task of its own). */
function isPlainReview(command: string | undefined): boolean {
  return !command || (COMMON_COMMAND_NAMES as readonly string[]).includes(command);
}

/** How a finished review ended, from its result. */
function statusOf(result: ReviewResult, cancelled: boolean): { status: ReviewStatus; incomplete: string[]; failure?: string } {
  if (cancelled) return { status: 'cancelled', incomplete: [] };
  const reviewing = result.personas.filter((p) => p.reviews);
  const incomplete = [...new Set(result.errors.filter((e) => e.error.kind !== 'cancelled' || !cancelled).map((e) => e.personaId))];
  if (incomplete.length === 0) return { status: 'done', incomplete };
  const nothing = reviewing.length > 0 && reviewing.every((p) => result.errors.some((e) => e.personaId === p.id && !e.partial)) && result.findings.length === 0;
  if (nothing) {
    const first = result.errors[0]!;
    return { status: 'failed', incomplete, failure: first.error.message };
  }
  return { status: 'partial', incomplete };
}

/** How the Findings view describes a suppression the review honoured (core `AppliedSuppression`). */
export function suppressionInfo(f: SuppressedFinding): SuppressionInfo {
  const s = f.suppression;
  return {
    scope: s.kind === 'inSource' ? 'inline' : 'team',
    reason: s.justification,
    ...(s.author ? { author: s.author } : {}),
    ...(s.date ? { date: s.date } : {}),
    ...(s.expires ? { expires: s.expires } : {}),
    location: { file: s.location.file, line: s.location.line },
  };
}

/** Runs reviews; one instance per server. */
export class ReviewRunner {
  private readonly running = new Map<string, { controller: AbortController; reviewId: string }>();
  /** One offline provider per depth (each caches the parsed files of the review it runs). */
  private readonly offlineByDepth = new Map<OfflineDepth, OfflineProvider>();

  constructor(private readonly deps: ReviewDeps) {}

  /** The open document for `uri` in any spelling of it, if open. */
  documentFor(uri: string): TextDocument | undefined {
    const direct = this.deps.documents.get(uri);
    if (direct) return direct;
    const key = documentKey(uri);
    return this.deps.documents.all().find((d) => documentKey(d.uri) === key);
  }

  /** Handles one `personaReview/review` request: {@link run}, answering with the summary. */
  async review(params: ReviewParams, token: CancellationToken, progress: ProgressOptions = {}): Promise<ReviewSummary> {
    return (await this.run(params, token, progress)).summary;
  }

  /**
   * Runs one review. Resolves with the summary (also when cancelled or when every persona failed) and the
   * engine's result; rejects with a ResponseError (InvalidParams) for bad parameters, unknown personas or a
   * target with nothing to review, and (InternalError) for anything unexpected.
   */
  async run(params: ReviewParams, token: CancellationToken, progressOptions: ProgressOptions = {}): Promise<ReviewRun> {
    const started = Date.now();
    const { connection, log } = this.deps;
    const release = log.holdSecret(params?.apiKey);
    try {
      validate(params);
    } catch (e) {
      release();
      throw e;
    }
    const reviewId = params.reviewId ?? randomUUID();
    const settings = this.deps.settings();
    const root = settings.workspaceRoot;
    // Taken before anything is awaited: the findings are computed for this version of the document.
    const snapshot = this.snapshot(params.target);

    const key = targetKey(params.target);
    const previous = this.running.get(key);
    if (previous) {
      log.info(`review ${previous.reviewId}: cancelled, superseded by review ${reviewId} of the same target`);
      previous.controller.abort();
    }
    const controller = new AbortController();
    const entry = { controller, reviewId };
    this.running.set(key, entry);
    const onCancel = token.onCancellationRequested(() => {
      log.info(`review ${reviewId}: cancelled by the client`);
      controller.abort();
    });
    if (token.isCancellationRequested) controller.abort();
    const what = params.targetLabel ?? describeTarget(params.target, root);
    const progress = progressOptions.workDoneToken !== undefined || !progressOptions.create
      ? connection.window.attachWorkDoneProgress(progressOptions.workDoneToken)
      : await connection.window.createWorkDoneProgress().catch(() => connection.window.attachWorkDoneProgress(undefined));
    progress.begin('Persona Review', 0, `Preparing the review of ${what}`, false);
    let announced = false;
    let textBatch: TextBatcher | undefined;

    try {
      const { personas: all, errors: personaErrors } = await loadServerPersonas(settings, workspaceTargetOf(params.target, root));
      for (const e of personaErrors) log.warn(`persona file skipped: ${e.message}`);
      const { selected, unknown } = resolvePersonaIds(params.personas, all);
      if (unknown.length > 0) throw invalid(`unknown persona(s): ${unknown.join(', ')}; known: ${all.map((p) => p.id).join(', ')}`);
      const provider = this.provider(params);
      const model = params.provider === 'anthropic' ? (params.model ?? DEFAULT_MODEL) : params.provider === 'vscode-lm' ? params.model || undefined : undefined;
      const who = selected.length <= 3 ? selected.map((p) => p.name).join(', ') : `a team of ${selected.length}`;
      log.info(`review ${reviewId}: ${selected.map((p) => p.id).join(', ')} on ${what} (provider ${provider.id}${model ? `, model ${model}` : ''}${params.command ? `, /${params.command}` : ''})`);
      sendNotification(connection, ReviewStartedNotification.type, {
        reviewId,
        title: `${who} · ${what}`,
        targetLabel: what,
        personas: selected.map((p) => ({ id: p.id, name: p.name, icon: p.icon })),
        provider: params.provider,
        ...(model ? { model } : {}),
        origin: params.origin ?? 'lsp',
      });
      announced = true;
      progress.report(0, `Reviewing ${what} as ${selected.map((p) => p.shortName).join(', ')}`);

      const built = await this.buildContext(params, snapshot, root, provider, controller.signal);
      await this.attachProjectContext(built.context, params.target, selected, provider);
      const sanitizers = new Map<string, SafeMarkdownStream>();
      const texts: Record<string, string> = {};
      const safe = (personaId: string, text: string | undefined): string | undefined => {
        let s = sanitizers.get(personaId);
        if (!s) sanitizers.set(personaId, (s = new SafeMarkdownStream()));
        const out = text === undefined ? s.end() : s.push(text);
        if (out) texts[personaId] = (texts[personaId] ?? '') + out;
        return out || undefined;
      };
      const emit = (event: ReviewEvent, safeText: string | undefined) =>
        sendNotification(connection, ReviewEventNotification.type, log.scrub({ reviewId, event, ...(safeText ? { safeText } : {}) }));
      // Text deltas merged per frame (src/server/textBatch.ts says why); any other event flushes them first.
      textBatch = new TextBatcher((b) => emit({ type: 'text', personaId: b.personaId, text: b.text }, b.safeText));
      const batch = textBatch;
      const onEvent = (event: ReviewEvent) => {
        if (event.type === 'text') {
          batch.push(event.personaId, event.text, safe(event.personaId, event.text));
          return;
        }
        batch.flush();
        let safeText: string | undefined;
        if (event.type === 'persona-end' || event.type === 'error') safeText = safe(event.personaId, undefined);
        emit(event, safeText);
        this.reportProgress(progress, event, selected);
        if (event.type === 'error') log.warn(`review ${reviewId}: ${event.personaId}: ${event.error.message}`);
        else if (event.type === 'dropped') log.debug(`review ${reviewId}: dropped a finding of ${event.dropped.personaId}: ${event.dropped.detail}`);
      };
      const personaCommand = !isPlainReview(params.command);
      const task = personaCommand && params.provider === 'anthropic' ? taskPrompt(params.command!, selected[0]!.name) : undefined;
      const baseline = this.baseline(root);
      const triage = this.triage(root, built.context, baseline.option);
      const result = await reviewContext(
        built.context,
        {
          provider,
          personas: selected,
          ...(triage.options ? { triage: triage.options } : {}),
          providerOptions: { model: params.provider === 'anthropic' ? model : undefined, maxOutputTokens: params.maxOutputTokens, ...(task ? { task } : {}) },
          signal: controller.signal,
          onEvent,
        },
        started,
      );
      batch.flush();
      const modelUsed = provider instanceof ChatModelProvider ? (provider.modelUsed?.name ?? model) : model;

      const cancelled = controller.signal.aborted;
      const state = statusOf(result, cancelled);
      let placeDropped = 0;
      const notices = [...new Set([...baseline.notices, ...triage.notices, ...result.notices])];
      if (state.status === 'done' || state.status === 'partial') {
        placeDropped = await this.publish(result, built.files, selected, params, reviewId, controller.signal);
        if (placeDropped > 0) notices.push(`${placeDropped} finding(s) were left out: their code changed while the review ran.`);
      }
      const markdown = renderReport(result, 'md', { toolVersion: pkg.version, rules: ruleDescriptors(), root });
      const document =
        personaCommand && params.provider === 'offline' && state.status !== 'cancelled' && state.status !== 'failed'
          ? renderCommandDocument({
              command: params.command!,
              personaId: selected[0]!.id,
              personaName: selected[0]!.name,
              questions: selected[0]!.questions,
              targetLabel: what,
              findings: result.findings,
              files: contextFiles(built.context),
            })
          : undefined;
      const bySeverity = emptyCounts();
      for (const f of result.findings) bySeverity[f.severity]++;
      const summary: ReviewSummary = {
        reviewId,
        status: state.status,
        findings: result.findings.length,
        findingList: result.findings,
        bySeverity,
        dropped: result.dropped.length + placeDropped,
        errors: result.errors.filter((e) => !(cancelled && e.error.kind === 'cancelled')).map((e) => ({ personaId: e.personaId, message: e.error.message, partial: e.partial })),
        incomplete: state.incomplete,
        ...(state.failure ? { failure: state.failure } : {}),
        notices,
        durationMs: Date.now() - started,
        markdown,
        cancelled,
        provider: params.provider,
        ...(modelUsed ? { model: modelUsed } : {}),
        texts,
        ...(document ? { document } : {}),
        ...(params.chat ? { chat: this.chatRendering(result.findings, params.chat, all) } : {}),
      };
      log.info(
        `review ${reviewId}: ${state.status} in ${summary.durationMs} ms: ${summary.findings} finding(s) (${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')})${summary.errors.length ? `, ${summary.errors.length} error(s)` : ''}`,
      );
      const scrubbed = log.scrub(summary);
      this.finished(scrubbed);
      return { summary: scrubbed, result };
    } catch (e) {
      textBatch?.flush(); // what streamed reaches the client before the review's end
      if (controller.signal.aborted && !(e instanceof ResponseError)) {
        log.info(`review ${reviewId}: cancelled before the personas ran`);
        const summary = this.emptySummary(reviewId, started, params.provider, 'cancelled');
        if (announced) this.finished(summary);
        return { summary };
      }
      let error: ResponseError<void>;
      if (e instanceof ResponseError) {
        log.warn(`review ${reviewId}: ${e.message}`);
        error = new ResponseError(e.code, log.scrubText(e.message));
      } else if (e instanceof InputError) {
        log.warn(`review ${reviewId}: ${e.message}`);
        error = invalid(log.scrubText(e.message));
      } else {
        log.error(`review ${reviewId} failed: ${(e as Error)?.stack ?? String(e)}`);
        error = new ResponseError(ErrorCodes.InternalError, log.scrubText(`The review failed unexpectedly: ${(e as Error)?.message ?? String(e)}. The language server log has the details.`));
      }
      if (announced) this.finished({ ...this.emptySummary(reviewId, started, params.provider, 'failed'), failure: error.message });
      throw error;
    } finally {
      textBatch?.flush();
      onCancel.dispose();
      progress.done();
      if (this.running.get(key) === entry) this.running.delete(key);
      release();
    }
  }

  /**
   * Reviews a core target for the Workflow Executor (one phase): a review like any other (announced,
   * streamed, published), resolving with the engine's result. Rejects when the review could not run or was
   * cancelled, with the reason.
   */
  async reviewTarget(personas: string[], target: ReviewTarget, base: Pick<ReviewParams, 'provider' | 'apiKey' | 'model' | 'maxOutputTokens' | 'baseURL' | 'include' | 'exclude'>, label: string, token: CancellationToken): Promise<ReviewResult> {
    const root = target.root;
    const toUri = (p: string) => pathToFileURL(path.resolve(root, p)).href;
    const params: ReviewParams = {
      ...base,
      personas,
      target: target.kind === 'git' ? { kind: 'git', mode: target.mode, ...(target.base ? { base: target.base } : {}) } : { kind: 'paths', uris: target.paths.map(toUri) },
      origin: 'workflow',
      targetLabel: label,
    };
    const { summary, result } = await this.run(params, token);
    if (summary.status === 'cancelled' || !result) throw new Error(`the review of ${label} was cancelled`);
    return result;
  }

  /**
   * Handles `personaReview/estimate`: builds the context as {@link review} would for Claude (same files,
   * redaction and token budget) and estimates its cost with core `estimateCost`. Sends nothing anywhere.
   * Rejects with InvalidParams for bad parameters, unknown personas or an empty target.
   */
  async estimate(params: Omit<ReviewParams, 'apiKey'>, token: CancellationToken): Promise<CostEstimate> {
    try {
      validate({ ...params, reviewId: undefined, provider: 'offline' });
      const settings = this.deps.settings();
      const { personas: all } = await loadServerPersonas(settings, workspaceTargetOf(params.target, settings.workspaceRoot));
      const { selected, unknown } = resolvePersonaIds(params.personas, all);
      if (unknown.length > 0) throw invalid(`unknown persona(s): ${unknown.join(', ')}; known: ${all.map((p) => p.id).join(', ')}`);
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort());
      try {
        const remote = { id: 'estimate', local: false } as ReviewProvider; // only `local` is read: hold the context to the token budget
        const built = await this.buildContext(params as ReviewParams, this.snapshot(params.target), settings.workspaceRoot, remote, controller.signal);
        await this.attachProjectContext(built.context, params.target, selected, remote);
        return estimateCost(built.context, selected, params.model ?? DEFAULT_MODEL);
      } finally {
        onCancel.dispose();
      }
    } catch (e) {
      if (e instanceof InputError) throw invalid(e.message);
      throw e;
    }
  }

  /** Builds the context of `target` as a review would (for routing: nothing leaves the machine, no budget). */
  async contextFor(target: ReviewTargetParams, signal: AbortSignal): Promise<ReviewContext> {
    const params = { personas: ['reviewer'], target, provider: 'offline' } as ReviewParams;
    validate(params);
    try {
      return (await this.buildContext(params, this.snapshot(target), this.deps.settings().workspaceRoot, this.offline, signal)).context;
    } catch (e) {
      if (e instanceof InputError) throw invalid(e.message);
      throw e;
    }
  }

  /**
   * Adds the project guidance and the team memory of `personas` to a context that a model will read (core
   * `attachProjectContext`: redacted, cut to budget, named in the notices). Not for the offline provider,
   * whose rules read neither, and not when the client's `projectContext` setting is off; in an untrusted
   * workspace nothing is read and a notice says so.
   */
  private async attachProjectContext(context: ReviewContext, target: ReviewTargetParams, personas: LoadedPersona[], provider: ReviewProvider): Promise<void> {
    if (provider.local === true) return;
    const settings = this.deps.settings();
    const enabled = this.deps.clientSettings().projectContext !== false;
    await attachProjectContext(context, workspaceTargetOf(target, settings.workspaceRoot), personas, { enabled, trusted: settings.trusted !== false });
    if (!enabled) this.deps.log.debug('project context off (personaReview.projectContext): no guidance files or team memory sent');
  }

  /**
   * The baseline the client's `baseline` setting names (ServerClientSettings), read for each review so an
   * updated file applies at once; never in an untrusted workspace. A file that cannot be used becomes a
   * notice (the review then reports every finding), as do entries it had to skip.
   */
  private baseline(root: string): { option?: { file: string; baseline: Baseline }; notices: string[] } {
    const setting = this.deps.clientSettings().baseline?.trim();
    if (!setting) return { notices: [] };
    if (this.deps.settings().trusted === false) {
      this.deps.log.debug(`baseline ${setting} not used: the workspace is not trusted`);
      return { notices: [] };
    }
    const abs = path.resolve(root, setting);
    try {
      const { baseline, errors } = readBaseline(abs);
      return { option: { file: setting, baseline }, notices: errors.map((e) => `Baseline entry skipped: ${e}`) };
    } catch (e) {
      const message = e instanceof BaselineError ? e.message : (e as Error).message;
      this.deps.log.warn(`baseline: ${message}`);
      return { notices: [`The baseline (setting personaReview.baseline) was not used, so every finding is reported: ${message}`] };
    }
  }

  /**
   * The triage options of an editor review: the baseline (when set and usable), and in an untrusted workspace
   * (Restricted Mode) no suppressions from the workspace at all, neither `persona-review-ignore` comments nor
   * `.persona-review/suppressions.yaml`: files of a repository the user has not trusted must not hide findings
   * from them (the project's rule that the reviewed repository never weakens its own review). When the reviewed
   * files or the folder carry suppressions, a notice says they were not applied and how to apply them.
   * `options` undefined means the engine's default (inline comments and the suppressions file honoured).
   */
  private triage(root: string, context: ReviewContext, baseline: TriageOptions['baseline']): { options?: TriageOptions; notices: string[] } {
    const options: TriageOptions = baseline ? { baseline } : {};
    const notices: string[] = [];
    if (this.deps.settings().trusted === false) {
      options.inline = false;
      options.suppressionsFile = false;
      const inline = context.files.filter((f) => f.text.includes(INLINE_MARKER)).length;
      const file = existsSync(suppressionsPath(root));
      if (inline > 0 || file) {
        const where = [file ? '.persona-review/suppressions.yaml' : '', inline > 0 ? `persona-review-ignore comments in ${inline} file(s)` : ''].filter(Boolean).join(' and ');
        notices.push(`Restricted Mode: the workspace's suppressions (${where}) were not applied, so every finding is reported. Trust the workspace to apply them.`);
      }
    }
    return { ...(Object.keys(options).length > 0 ? { options } : {}), notices };
  }

  private finished(summary: ReviewSummary): void {
    const { markdown: _m, chat: _c, texts: _t, ...rest } = summary;
    sendNotification(this.deps.connection, ReviewFinishedNotification.type, rest);
  }

  private chatRendering(findings: Finding[], opts: { firstId: number; full: boolean }, personas: LoadedPersona[]): ReviewSummary['chat'] {
    const names = (id: string) => personas.find((p) => p.id === id)?.name ?? id;
    const sorted = sortFindings(findings).map((f, i) => ({ ...f, id: `F${opts.firstId + i}` }));
    return {
      countLine: countLine(sorted),
      items: sorted.map((f) => ({ finding: f, markdown: opts.full ? findingMarkdown(f, names) : sanitizeInline(f.title) })),
    };
  }

  private snapshot(target: ReviewTargetParams): Snapshot | undefined {
    if (target.kind !== 'document') return undefined;
    const doc = this.documentFor(target.uri);
    return doc ? { uri: target.uri, text: doc.getText(), version: doc.version } : undefined;
  }

  /** The offline provider at the depth of the client's `personaReview.offline.depth` setting now (default `precise`). */
  private get offline(): OfflineProvider {
    const depth = this.deps.clientSettings().offline?.depth ?? 'precise';
    let provider = this.offlineByDepth.get(depth);
    if (!provider) this.offlineByDepth.set(depth, (provider = new OfflineProvider({ depth })));
    return provider;
  }

  private provider(params: ReviewParams): ReviewProvider {
    if (params.provider === 'offline') return this.offline;
    if (params.provider === 'vscode-lm') {
      return new ChatModelProvider(new LspChatModelTransport(this.deps.connection, params.model || undefined), {
        command: params.command ?? '',
        userPrompt: params.userPrompt ?? '',
        previousFindings: Array.isArray(params.previousFindings) ? params.previousFindings : [],
      });
    }
    // The key comes from the request only (never from the server's environment) and stays in this object.
    return new AnthropicProvider({ apiKey: params.apiKey, baseURL: params.baseURL || undefined, model: params.model, maxOutputTokens: params.maxOutputTokens });
  }

  private reportProgress(progress: WorkDoneProgressReporter, event: ReviewEvent, personas: LoadedPersona[]): void {
    if (event.type === 'progress' && event.filesTotal > 0) {
      progress.report(Math.min(100, Math.round((100 * event.filesDone) / event.filesTotal)), `${event.findings} finding(s) so far`);
    } else if (event.type === 'persona-start') {
      const p = personas.find((x) => x.id === event.personaId);
      progress.report(`${p?.shortName ?? event.personaId} is reviewing…`);
    }
  }

  /** Builds the context and records, per reviewed file, its URI and what the review saw. */
  private async buildContext(
    params: ReviewParams,
    snapshot: Snapshot | undefined,
    root: string,
    provider: ReviewProvider,
    signal: AbortSignal,
  ): Promise<{ context: ReviewContext; files: Map<string, ReviewedFile> }> {
    const target = params.target;
    const unlimited = provider.local === true;
    const files = new Map<string, ReviewedFile>();
    let context: ReviewContext;

    if (target.kind === 'document' && snapshot) {
      const abs = fsPath(target.uri);
      const rel = abs ? relPath(root, abs) : decodeURIComponent(target.uri.replace(/^[^:]*:/, '').replace(/^.*\//, '')) || 'untitled';
      const sensitive = isSensitivePath(rel);
      if (sensitive) throw new InputError(`${rel} is a ${sensitive}: its text is not sent for review`);
      const lineCount = snapshot.text === '' ? 0 : snapshot.text.replace(/\n$/, '').split('\n').length;
      let focus: { startLine: number; endLine: number } | undefined;
      if (target.range) {
        const { startLine, endLine } = target.range;
        if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
          throw new InputError(`lines ${startLine}-${endLine} of ${rel}: give 1-based line numbers with start <= end`);
        }
        if (startLine > lineCount) throw new InputError(`lines ${startLine}-${endLine} of ${rel}: the document has only ${lineCount} lines`);
        focus = { startLine, endLine: Math.min(endLine, lineCount) };
      }
      context = await assembleContext(root, [{ path: rel, absPath: abs ?? path.join(root, rel), text: snapshot.text, focus }], { signal, unlimited });
      const file = context.files[0];
      if (!file) throw new InputError(`${rel} is empty: there is nothing to review`);
      files.set(file.path, { uri: snapshot.uri, absPath: file.absPath, reviewed: { path: file.path, redacted: file.text, original: snapshot.text } });
      return { context, files };
    }

    if (target.kind === 'git') {
      context = await buildContext({ kind: 'git', root, mode: target.mode, base: target.base }, { signal, unlimited, include: params.include, exclude: params.exclude });
    } else {
      const uris = target.kind === 'document' ? [target.uri] : target.uris;
      const paths = uris.map((u) => {
        const p = fsPath(u);
        if (!p) throw new InputError(`${u} is neither an open document nor a file on disk; open it or save it first`);
        return p;
      });
      const range = target.kind === 'document' && target.range ? { path: paths[0]!, ...target.range } : undefined;
      context = await buildContext({ kind: 'paths', root, paths, range }, { signal, unlimited, include: params.include, exclude: params.exclude });
    }
    for (const f of context.files) {
      const open = this.documentFor(pathToFileURL(f.absPath).href);
      files.set(f.path, { uri: open?.uri ?? pathToFileURL(f.absPath).href, absPath: f.absPath, reviewed: { path: f.path, redacted: f.text } });
    }
    return { context, files };
  }

  /**
   * Places each file's findings in the document as it is now and publishes them (replacing the earlier
   * findings of the same personas). Returns how many findings were left out because their quote is no
   * longer in the document.
   */
  private async publish(result: ReviewResult, files: Map<string, ReviewedFile>, personas: LoadedPersona[], params: ReviewParams, reviewId: string, signal: AbortSignal): Promise<number> {
    const { store, log } = this.deps;
    const names = new Map(personas.map((p) => [p.id, p.name]));
    const scope = { personaIds: new Set(personas.map((p) => p.id)), lines: params.target.kind === 'document' ? scopeLines(params.target.range) : undefined };
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    // Suppressed findings are placed too, so the Findings view can show them on demand and un-suppress them.
    const suppressedByFile = new Map<string, SuppressedFinding[]>();
    for (const f of result.suppressed ?? []) suppressedByFile.set(f.file, [...(suppressedByFile.get(f.file) ?? []), f]);
    const why = new Map<Finding, SuppressionInfo>();
    for (const f of result.suppressed ?? []) why.set(f, suppressionInfo(f));
    const related = new Map<string, RelatedFile>([...files].map(([p, f]) => [p, { uri: f.uri, text: f.reviewed.redacted }]));
    let dropped = 0;

    await Promise.all(
      [...files.entries()].map(async ([filePath, file]) => {
        const findings = [...(byFile.get(filePath) ?? []), ...(suppressedByFile.get(filePath) ?? [])];
        if (findings.length === 0) {
          if (store.findings(file.uri).length > 0 || store.suppressed(file.uri).length > 0) store.replace(this.documentFor(file.uri)?.uri ?? file.uri, [], scope, this.documentFor(file.uri)?.version);
          return;
        }
        for (let attempt = 1; ; attempt++) {
          const doc = this.documentFor(file.uri);
          const current = doc ? doc.getText() : ((await readFile(file.absPath, 'utf8').catch(() => undefined)) ?? file.reviewed.original ?? file.reviewed.redacted);
          const placed = await placeFindings(findings, file.reviewed, current);
          const now = this.documentFor(file.uri);
          if (now?.version !== doc?.version || now?.uri !== doc?.uri) {
            if (attempt < PLACE_ATTEMPTS) continue;
            log.warn(`${filePath}: the document kept changing while findings were placed; ${findings.length} finding(s) not shown, review again`);
            dropped += findings.filter((f) => !why.has(f)).length;
            return;
          }
          if (signal.aborted) return;
          for (const f of placed.dropped) log.debug(`${filePath}: finding "${f.title}" dropped: its code changed while the review ran`);
          dropped += placed.dropped.filter((f) => !why.has(f)).length;
          const reanchored = placed.placed.filter((p) => p.reanchored).length;
          if (reanchored > 0) log.debug(`${filePath}: ${reanchored} finding(s) re-anchored on their quote in the edited document`);
          const tracked: TrackedFinding[] = [];
          const hidden: SuppressedTracked[] = [];
          for (const p of placed.placed) {
            const t: TrackedFinding = {
              finding: p.finding,
              range: p.range,
              docQuote: p.docQuote,
              personaNames: p.finding.personaIds.map((id) => names.get(id) ?? id),
              related: relatedFromMessage(p.finding, related),
              reviewId,
            };
            const suppression = why.get(p.finding);
            if (suppression) {
              const { suppression: _s, baselineState: _b, ...finding } = p.finding as SuppressedFinding;
              hidden.push({ ...t, finding, suppression });
            } else tracked.push(t);
          }
          store.replace(now?.uri ?? file.uri, tracked, scope, now?.version, hidden);
          return;
        }
      }),
    );
    return dropped;
  }

  private emptySummary(reviewId: string, started: number, provider: ProviderId, status: ReviewStatus): ReviewSummary {
    return {
      reviewId,
      status,
      findings: 0,
      findingList: [],
      bySeverity: emptyCounts(),
      dropped: 0,
      errors: [],
      incomplete: [],
      notices: [],
      durationMs: Date.now() - started,
      markdown: status === 'cancelled' ? '# Review cancelled\n\nThe review was cancelled before any persona reported.\n' : '# Review failed\n',
      cancelled: status === 'cancelled',
      provider,
      texts: {},
    };
  }
}
