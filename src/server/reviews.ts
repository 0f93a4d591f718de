/**
 * Running reviews for `personaReview/review` (src/shared/protocol.ts `ReviewRequest`).
 *
 * One review: build the context (an open document's text as it is now, unsaved edits included, through
 * core `assembleContext`; files on disk and git changes through core `buildContext`), run core
 * `reviewContext` with the offline or the Anthropic provider, stream every core `ReviewEvent` as a
 * `personaReview/reviewEvent` notification, report LSP work-done progress when the client sent a
 * `workDoneToken`, place the findings in the documents as they are when the review ends (re-anchoring
 * them when the text changed meanwhile, see ./placement) and publish them, then answer with a
 * {@link ReviewSummary} holding the markdown report (core `renderReport`, the CLI's renderer).
 *
 * Cancellation: `$/cancelRequest` aborts the review (an AbortController handed to the engine); so does a
 * new review of the same target (same document and selection, same set of paths, same git mode and base).
 * A cancelled review answers with `cancelled: true` and publishes nothing: the findings shown stay those
 * of the last review that finished.
 */
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
import { reviewContext } from '../core/engine';
import { InputError, isSensitivePath } from '../core/files';
import { ruleDescriptors } from '../core/offline/descriptors';
import { OfflineProvider } from '../core/offline/provider';
import { resolvePersonaIds, type LoadedPersona } from '../core/personas';
import { AnthropicProvider, DEFAULT_MODEL } from '../core/providers/anthropic';
import { estimateCost, type CostEstimate } from '../core/cost';
import { renderReport } from '../core/render';
import { SEVERITIES, type Finding, type ReviewContext, type ReviewEvent, type ReviewProvider, type ReviewResult, type Severity } from '../core/types';
import { ReviewEventNotification, type ReviewParams, type ReviewSummary, type ReviewTargetParams } from '../shared/protocol';
import { relatedFromMessage, type RelatedFile } from './diagnostics';
import { documentKey, scopeLines, type FindingStore, type TrackedFinding } from './findings';
import type { ServerLog } from './log';
import { loadServerPersonas, type PersonaSources } from './personas';
import { placeFindings, type ReviewedText } from './placement';
import { sendNotification } from './rpc';

/** What the server was told at `initialize` (src/shared/protocol.ts `InitializationOptions`). */
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

function describeTarget(target: ReviewTargetParams, root: string): string {
  const rel = (uri: string) => {
    const p = fsPath(uri);
    return p ? path.relative(root, p) || '.' : uri;
  };
  switch (target.kind) {
    case 'document':
      return `${rel(target.uri)}${target.range ? ` lines ${target.range.startLine}-${target.range.endLine}` : ''}`;
    case 'paths':
      return target.uris.map(rel).join(', ');
    case 'git':
      return `git changes (${target.mode}${target.base ? ` vs ${target.base}` : ''})`;
  }
}

/** The file system path of a `file:` URI, else undefined. */
function fsPath(uri: string): string | undefined {
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

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** Checks the parts of the params that are not plain strings typed by the compiler on the other side. */
function validate(params: ReviewParams): void {
  if (!params || typeof params.reviewId !== 'string' || params.reviewId === '') throw invalid('reviewId: expected a non-empty string chosen by the client');
  if (!Array.isArray(params.personas) || params.personas.length === 0) throw invalid('personas: expected at least one persona id');
  if (params.provider !== 'offline' && params.provider !== 'anthropic') throw invalid(`provider: expected "offline" or "anthropic", got ${JSON.stringify(params.provider)}`);
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

/** Runs reviews; one instance per server. */
export class ReviewRunner {
  private readonly running = new Map<string, { controller: AbortController; reviewId: string }>();
  private readonly offline = new OfflineProvider();

  constructor(private readonly deps: ReviewDeps) {}

  /** The open document for `uri` in any spelling of it, if open. */
  documentFor(uri: string): TextDocument | undefined {
    const direct = this.deps.documents.get(uri);
    if (direct) return direct;
    const key = documentKey(uri);
    return this.deps.documents.all().find((d) => documentKey(d.uri) === key);
  }

  /**
   * Handles one `personaReview/review` request. Resolves with the summary (also when cancelled); rejects
   * with a ResponseError (InvalidParams) for bad parameters, unknown personas or a target with nothing to
   * review, and (InternalError) for anything unexpected. `workDoneToken`, when the client sent one, gets
   * begin/report/end progress.
   */
  async review(params: ReviewParams & { workDoneToken?: ProgressToken }, token: CancellationToken): Promise<ReviewSummary> {
    const started = Date.now();
    const { connection, log } = this.deps;
    const release = log.holdSecret(params?.apiKey);
    try {
      validate(params);
    } catch (e) {
      release();
      throw e;
    }
    const settings = this.deps.settings();
    const root = settings.workspaceRoot;
    // Taken before anything is awaited: the findings are computed for this version of the document.
    const snapshot = this.snapshot(params.target);

    const key = targetKey(params.target);
    const previous = this.running.get(key);
    if (previous) {
      log.info(`review ${previous.reviewId}: cancelled, superseded by review ${params.reviewId} of the same target`);
      previous.controller.abort();
    }
    const controller = new AbortController();
    const entry = { controller, reviewId: params.reviewId };
    this.running.set(key, entry);
    const onCancel = token.onCancellationRequested(() => {
      log.info(`review ${params.reviewId}: cancelled by the client`);
      controller.abort();
    });
    if (token.isCancellationRequested) controller.abort();
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const what = describeTarget(params.target, root);
    progress.begin('Persona Review', 0, `Preparing the review of ${what}`, false);

    try {
      const { personas: all, errors: personaErrors } = await loadServerPersonas(settings);
      for (const e of personaErrors) log.warn(`persona file skipped: ${e.message}`);
      const { selected, unknown } = resolvePersonaIds(params.personas, all);
      if (unknown.length > 0) throw invalid(`unknown persona(s): ${unknown.join(', ')}; known: ${all.map((p) => p.id).join(', ')}`);
      const provider = this.provider(params);
      log.info(`review ${params.reviewId}: ${selected.map((p) => p.id).join(', ')} on ${what} (provider ${provider.id}${params.model ? `, model ${params.model}` : ''})`);
      progress.report(0, `Reviewing ${what} as ${selected.map((p) => p.shortName).join(', ')}`);

      const built = await this.buildContext(params, snapshot, root, provider, controller.signal);
      const onEvent = (event: ReviewEvent) => {
        sendNotification(connection, ReviewEventNotification.type, log.scrub({ reviewId: params.reviewId, event }));
        this.reportProgress(progress, event, selected);
        if (event.type === 'error') log.warn(`review ${params.reviewId}: ${event.personaId}: ${event.error.message}`);
        else if (event.type === 'dropped') log.debug(`review ${params.reviewId}: dropped a finding of ${event.dropped.personaId}: ${event.dropped.detail}`);
      };
      const result = await reviewContext(
        built.context,
        {
          provider,
          personas: selected,
          providerOptions: { model: params.model, maxOutputTokens: params.maxOutputTokens, task: params.task },
          signal: controller.signal,
          onEvent,
        },
        started,
      );

      const cancelled = controller.signal.aborted;
      let placeDropped = 0;
      const notices = [...result.notices];
      if (!cancelled) {
        placeDropped = await this.publish(result, built.files, selected, params, controller.signal);
        if (placeDropped > 0) notices.push(`${placeDropped} finding(s) were left out: their code changed while the review ran.`);
      }
      const markdown = renderReport(result, 'md', { toolVersion: pkg.version, rules: ruleDescriptors(), root });
      const summary = this.summary(params.reviewId, result, started, markdown, cancelled, placeDropped, notices);
      log.info(
        `review ${params.reviewId}: ${cancelled ? 'cancelled after' : 'done in'} ${summary.durationMs} ms: ${summary.findings} finding(s) (${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')})${summary.errors.length ? `, ${summary.errors.length} error(s)` : ''}`,
      );
      return log.scrub(summary);
    } catch (e) {
      if (controller.signal.aborted && !(e instanceof ResponseError)) {
        log.info(`review ${params.reviewId}: cancelled before the personas ran`);
        return this.cancelledSummary(params.reviewId, started);
      }
      if (e instanceof ResponseError) {
        log.warn(`review ${params.reviewId}: ${e.message}`);
        throw new ResponseError(e.code, log.scrubText(e.message));
      }
      if (e instanceof InputError) {
        log.warn(`review ${params.reviewId}: ${e.message}`);
        throw invalid(log.scrubText(e.message));
      }
      log.error(`review ${params.reviewId} failed: ${(e as Error)?.stack ?? String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, log.scrubText(`The review failed unexpectedly: ${(e as Error)?.message ?? String(e)}. The language server log has the details.`));
    } finally {
      onCancel.dispose();
      progress.done();
      if (this.running.get(key) === entry) this.running.delete(key);
      release();
    }
  }

  /**
   * Handles `personaReview/estimate`: builds the context as {@link review} would for Claude (same files,
   * redaction and token budget) and estimates its cost with core `estimateCost`. Sends nothing anywhere.
   * Rejects with InvalidParams for bad parameters, unknown personas or an empty target.
   */
  async estimate(params: Omit<ReviewParams, 'apiKey'>, token: CancellationToken): Promise<CostEstimate> {
    try {
      validate({ ...params, reviewId: params.reviewId || 'estimate', provider: 'offline' });
      const settings = this.deps.settings();
      const { personas: all } = await loadServerPersonas(settings);
      const { selected, unknown } = resolvePersonaIds(params.personas, all);
      if (unknown.length > 0) throw invalid(`unknown persona(s): ${unknown.join(', ')}; known: ${all.map((p) => p.id).join(', ')}`);
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort());
      try {
        const remote = { id: 'estimate', local: false } as ReviewProvider; // only `local` is read: hold the context to the token budget
        const built = await this.buildContext(params as ReviewParams, this.snapshot(params.target), settings.workspaceRoot, remote, controller.signal);
        return estimateCost(built.context, selected, params.model ?? DEFAULT_MODEL);
      } finally {
        onCancel.dispose();
      }
    } catch (e) {
      if (e instanceof InputError) throw invalid(e.message);
      throw e;
    }
  }

  private snapshot(target: ReviewTargetParams): Snapshot | undefined {
    if (target.kind !== 'document') return undefined;
    const doc = this.documentFor(target.uri);
    return doc ? { uri: target.uri, text: doc.getText(), version: doc.version } : undefined;
  }

  private provider(params: ReviewParams): ReviewProvider {
    if (params.provider === 'offline') return this.offline;
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
  private async publish(result: ReviewResult, files: Map<string, ReviewedFile>, personas: LoadedPersona[], params: ReviewParams, signal: AbortSignal): Promise<number> {
    const { store, log } = this.deps;
    const names = new Map(personas.map((p) => [p.id, p.name]));
    const scope = { personaIds: new Set(personas.map((p) => p.id)), lines: params.target.kind === 'document' ? scopeLines(params.target.range) : undefined };
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const related = new Map<string, RelatedFile>([...files].map(([p, f]) => [p, { uri: f.uri, text: f.reviewed.redacted }]));
    let dropped = 0;

    await Promise.all(
      [...files.entries()].map(async ([filePath, file]) => {
        const findings = byFile.get(filePath) ?? [];
        if (findings.length === 0) {
          if (store.findings(file.uri).length > 0) store.replace(this.documentFor(file.uri)?.uri ?? file.uri, [], scope, this.documentFor(file.uri)?.version);
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
            dropped += findings.length;
            return;
          }
          if (signal.aborted) return;
          for (const f of placed.dropped) log.debug(`${filePath}: finding "${f.title}" dropped: its code changed while the review ran`);
          dropped += placed.dropped.length;
          const reanchored = placed.placed.filter((p) => p.reanchored).length;
          if (reanchored > 0) log.debug(`${filePath}: ${reanchored} finding(s) re-anchored on their quote in the edited document`);
          const tracked: TrackedFinding[] = placed.placed.map((p) => ({
            finding: p.finding,
            range: p.range,
            docQuote: p.docQuote,
            personaNames: p.finding.personaIds.map((id) => names.get(id) ?? id),
            related: relatedFromMessage(p.finding, related),
          }));
          store.replace(now?.uri ?? file.uri, tracked, scope, now?.version);
          return;
        }
      }),
    );
    return dropped;
  }

  private summary(reviewId: string, result: ReviewResult, started: number, markdown: string, cancelled: boolean, placeDropped: number, notices: string[]): ReviewSummary {
    const bySeverity = emptyCounts();
    for (const f of result.findings) bySeverity[f.severity]++;
    return {
      reviewId,
      findings: result.findings.length,
      bySeverity,
      dropped: result.dropped.length + placeDropped,
      errors: result.errors.filter((e) => !(cancelled && e.error.kind === 'cancelled')).map((e) => ({ personaId: e.personaId, message: e.error.message, partial: e.partial })),
      notices,
      durationMs: Date.now() - started,
      markdown,
      cancelled,
    };
  }

  private cancelledSummary(reviewId: string, started: number): ReviewSummary {
    return {
      reviewId,
      findings: 0,
      bySeverity: emptyCounts(),
      dropped: 0,
      errors: [],
      notices: [],
      durationMs: Date.now() - started,
      markdown: '# Review cancelled\n\nThe review was cancelled before any persona reported.\n',
      cancelled: true,
    };
  }
}
