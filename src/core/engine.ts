/**
 * The review engine: context build once, then every persona in parallel (with a concurrency limit)
 * through one provider, each finding validated, anchored on its quote and restricted to the target,
 * then merged across personas. Streams {@link ReviewEvent}s while it works and returns a
 * {@link ReviewResult}. Used by the CLI, the language server and MCP alike.
 */
import pLimit from 'p-limit';
import { anchorQuote, overlaps } from './anchor';
import { buildContext } from './context';
import { parseFindingDraft } from './findingSchema';
import { fingerprint, mergeFindings } from './merge';
import { PromptCacheGate } from './providers/cacheGate';
import { prepareTriage, type TriageOptions } from './triage';
import type {
  DroppedFinding,
  Finding,
  FindingDraft,
  Persona,
  ProviderErrorInfo,
  ProviderOptions,
  ReviewContext,
  ReviewEvent,
  ReviewProvider,
  ReviewResult,
  ReviewTarget,
  SharedContext,
  SourceFile,
  SuppressedFinding,
  Usage,
} from './types';

/** Options of one review. */
export interface ReviewOptions {
  provider: ReviewProvider;
  /** The personas to run; personas with `reviews: false` only contribute a note. */
  personas: Persona[];
  providerOptions?: ProviderOptions;
  /** Personas reviewed at once (default 4). */
  concurrency?: number;
  /**
   * Prompt-cache warm-up: per chunk of the shared context, the first persona's request goes first and the
   * others wait until its reply has begun (at most `cacheWaitMs`), so they read the cache entry it wrote
   * instead of all writing it at once: Anthropic makes a cache entry available only after the first response
   * begins (prompt caching docs, "Concurrent requests"). Default: true for providers that are not `local`,
   * with more than one reviewing persona.
   */
  warmCacheFirst?: boolean;
  /** Longest wait for the first persona's reply to a chunk to begin, ms (default 3,000: team members start after at most this). */
  cacheWaitMs?: number;
  /** Context build limits, in estimated tokens. */
  tokenBudget?: number;
  chunkTokens?: number;
  include?: string[];
  exclude?: string[];
  signal?: AbortSignal;
  /** Receives every event as it happens (text deltas, findings as each is anchored, progress, errors). */
  onEvent?: (event: ReviewEvent) => void;
  /**
   * Suppressions and baseline (core/triage.ts). Default: inline `persona-review-ignore` comments and
   * `<root>/.persona-review/suppressions.yaml` are honoured, no baseline. `false` reports everything.
   * Suppressed and baselined findings are neither streamed nor in `result.findings`; they are kept in
   * `result.suppressed` and `result.baseline`.
   */
  triage?: TriageOptions | false;
}

/**
 * Reviews `target` with every persona in `options.personas`.
 * Throws `InputError` (from ./files) when the target has nothing reviewable or a path does not exist;
 * provider failures never throw: they are recorded in `result.errors` with whatever had streamed.
 */
export async function review(target: ReviewTarget, options: ReviewOptions): Promise<ReviewResult> {
  const started = Date.now();
  const context = await buildContext(target, {
    tokenBudget: options.tokenBudget,
    chunkTokens: options.chunkTokens,
    include: options.include,
    exclude: options.exclude,
    signal: options.signal,
    unlimited: options.provider.local === true,
  });
  const triage = options.triage === false ? false : { target, ...options.triage };
  return reviewContext(context, { ...options, triage }, started);
}

/** Reviews an already built context (the server builds contexts from open documents). */
export async function reviewContext(context: ReviewContext, options: ReviewOptions, started = Date.now()): Promise<ReviewResult> {
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  emit({ type: 'context', files: context.files.length, tokens: context.totalTokens, chunks: context.chunks.length, notices: context.notices });

  const byPath = new Map(context.files.map((f) => [f.path, f]));
  const triage = options.triage === false ? undefined : await prepareTriage(context, options.triage ?? {});
  const suppressedAll: SuppressedFinding[] = [];
  const baselinedAll: Finding[] = [];
  const seen = new Set<string>();
  const all: Finding[] = [];
  const dropped: DroppedFinding[] = [];
  const reviews: Record<string, string> = {};
  const usage: Record<string, Usage> = {};
  const errors: ReviewResult['errors'] = [];
  const outputLimited: NonNullable<ReviewResult['outputLimited']> = [];
  const notices = [...context.notices];
  const progress = new Map<string, number>();
  const totalWork = context.files.length * options.personas.filter((p) => p.reviews).length;

  const drop = (d: DroppedFinding) => {
    dropped.push(d);
    emit({ type: 'dropped', dropped: d });
  };

  const reviewing = options.personas.filter((p) => p.reviews);
  const warm = (options.warmCacheFirst ?? options.provider.local !== true) && reviewing.length > 1;
  const shared: SharedContext = { personas: reviewing.length, gate: warm ? new PromptCacheGate(options.cacheWaitMs) : undefined };
  const runPersona = async (persona: Persona) => {
    emit({ type: 'persona-start', personaId: persona.id });
    reviews[persona.id] = '';
    let count = 0;
    try {
      for await (const ev of options.provider.review({ persona, context, options: options.providerOptions ?? {}, shared, triage }, signal)) {
        switch (ev.type) {
          case 'text':
            reviews[persona.id] += ev.text;
            emit({ type: 'text', personaId: persona.id, text: ev.text });
            break;
          case 'finding': {
            seen.add(ev.finding.category);
            if (ev.finding.ruleId) seen.add(ev.finding.ruleId);
            const f = place(persona.id, ev.finding, byPath, drop);
            const c = f && triage?.classify(f);
            if (f && c?.suppression) suppressedAll.push({ ...f, suppression: c.suppression, ...(triage!.hasBaseline ? { baselineState: c.baselined ? 'unchanged' : 'new' } : {}) });
            else if (f && c?.baselined) baselinedAll.push(f);
            else if (f) {
              all.push(f);
              count++;
              emit({ type: 'finding', personaId: persona.id, finding: f });
            }
            break;
          }
          case 'malformed':
            drop({ personaId: persona.id, reason: 'invalid', detail: ev.detail });
            break;
          case 'usage':
            usage[persona.id] = ev.usage;
            emit({ type: 'usage', personaId: persona.id, usage: ev.usage });
            break;
          case 'notice':
            notices.push(ev.message);
            if (ev.incomplete) outputLimited.push({ personaId: persona.id, message: ev.message });
            emit({ type: 'notice', personaId: persona.id, message: ev.message });
            break;
          case 'retry':
            emit({ ...ev, personaId: persona.id });
            break;
          case 'progress': {
            progress.set(persona.id, Math.min(ev.done, ev.total) * (context.files.length / Math.max(ev.total, 1)));
            const done = Math.round([...progress.values()].reduce((a, b) => a + b, 0));
            emit({ type: 'progress', filesDone: done, filesTotal: totalWork, findings: all.length });
            break;
          }
          case 'error':
            errors.push({ personaId: persona.id, error: ev.error, partial: ev.partial });
            emit({ type: 'error', personaId: persona.id, error: ev.error, partial: ev.partial });
            break;
        }
      }
    } catch (e) {
      // A provider bug must not lose the other personas' work.
      const error: ProviderErrorInfo = { kind: 'unknown', message: `${persona.name} failed: ${(e as Error).message}`, retryable: false };
      errors.push({ personaId: persona.id, error, partial: count > 0 });
      emit({ type: 'error', personaId: persona.id, error, partial: count > 0 });
    }
    emit({ type: 'persona-end', personaId: persona.id, findings: count });
  };

  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  try {
    await Promise.all(options.personas.map((p) => limit(() => runPersona(p))));
  } finally {
    options.provider.dispose?.(context);
  }

  // Dropped findings are reported once, from `dropped`, by each renderer (not also as a notice).
  let findings = mergeFindings(all);
  let suppressed: SuppressedFinding[] | undefined;
  let baseline: ReviewResult['baseline'];
  if (triage) {
    const renumber = <T extends Finding>(xs: T[], prefix: string): T[] => xs.map((x, i) => ({ ...x, id: `${prefix}${i + 1}` }));
    const baselined = renumber(mergeFindings(baselinedAll), 'B');
    suppressed = renumber(mergeFindings(suppressedAll) as SuppressedFinding[], 'S');
    const out = triage.finish({ active: findings, suppressed, baselined, personaIds: options.personas.filter((p) => p.reviews).map((p) => p.id), seen });
    if (out.invalid.length) {
      for (const f of out.invalid) for (const p of f.personaIds.slice(0, 1)) emit({ type: 'finding', personaId: p, finding: f });
      findings = mergeFindings([...findings, ...out.invalid]);
    }
    baseline = out.baseline;
    notices.push(...out.notices);
  }
  return {
    findings,
    ...(suppressed?.length ? { suppressed } : {}),
    ...(baseline ? { baseline } : {}),
    dropped,
    reviews,
    usage,
    errors,
    outputLimited,
    notices,
    personas: options.personas,
    provider: options.provider.id,
    model: modelsUsed(options, context),
    filesReviewed: context.files.length,
    durationMs: Date.now() - started,
  };
}

/** The models the reviewing personas were sent to, joined by ", " (usually one); undefined for providers without models. */
function modelsUsed(options: ReviewOptions, context: ReviewContext): string | undefined {
  const provider = options.provider;
  if (!provider.modelFor) return options.providerOptions?.model;
  const models = new Set(options.personas.filter((p) => p.reviews).map((persona) => provider.modelFor!({ persona, context, options: options.providerOptions ?? {} })));
  return models.size ? [...models].join(', ') : options.providerOptions?.model;
}

/** XML character references a model may copy from the `path` attribute of a `<code_under_review>` tag. */
const ENTITY_RE = /&(?:amp|quot|apos|lt|gt|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi;
const NAMED_ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>' };

/** Decodes the character references of an attribute value (`a&amp;b.ts` → `a&b.ts`); other text unchanged. */
export function decodeAttribute(value: string): string {
  return value.replace(ENTITY_RE, (m, dec: string | undefined, hex: string | undefined) => {
    const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : undefined;
    if (code === undefined) return NAMED_ENTITIES[m.toLowerCase()] ?? m;
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * The reviewed file a draft's `file` names: as written, with backslashes and a leading `./` normalised, or
 * with XML character references decoded (the prompt sends paths escaped in the `path` attribute, so a
 * file named `a&b.ts` is shown as `a&amp;b.ts` and a model may copy either form).
 */
export function resolveFile(name: string, files: Map<string, SourceFile>): SourceFile | undefined {
  const norm = (s: string) => s.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  return files.get(name) ?? files.get(norm(name)) ?? files.get(norm(decodeAttribute(name)));
}

/**
 * Validates and anchors one draft. Returns the finding, or undefined after recording why it was
 * dropped (unknown file, quote not found, outside the changed/selected lines, invalid fields).
 */
export function place(personaId: string, raw: FindingDraft, files: Map<string, SourceFile>, drop: (d: DroppedFinding) => void): Finding | undefined {
  const parsed = parseFindingDraft(raw);
  if (!parsed.ok) {
    drop({ personaId, reason: 'invalid', detail: parsed.error, draft: raw });
    return undefined;
  }
  const d = parsed.draft;
  const file = resolveFile(d.file, files);
  if (!file) {
    drop({ personaId, reason: 'unknown-file', detail: `"${d.file}" was not part of this review`, draft: d });
    return undefined;
  }
  const anchor = anchorQuote(file.text, d.quote, d.line);
  if (!anchor) {
    drop({ personaId, reason: 'quote-not-found', detail: `quote not found in ${file.path}: ${JSON.stringify(d.quote.slice(0, 80))}`, draft: d });
    return undefined;
  }
  const limits = file.changedLines ?? (file.focus ? [file.focus] : undefined);
  if (limits && !limits.some((r) => overlaps(r, anchor))) {
    drop({ personaId, reason: 'outside-changes', detail: `${file.path}:${anchor.startLine} is outside the reviewed lines`, draft: d });
    return undefined;
  }
  return {
    id: '',
    personaIds: [personaId],
    file: file.path,
    range: { startLine: anchor.startLine, endLine: anchor.endLine, startColumn: anchor.startColumn, endColumn: anchor.endColumn },
    quote: anchor.quote,
    severity: d.severity,
    category: d.category,
    ruleId: d.ruleId,
    title: d.title,
    message: d.message,
    suggestion: d.suggestion,
    references: d.references ?? [],
    confidence: d.confidence ?? 0.7,
    fingerprint: fingerprint(file.path, d.category, anchor.quote, file.text, anchor.startLine),
  };
}
