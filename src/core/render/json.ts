/**
 * The JSON report: a stable, versioned document for scripts and CI.
 *
 * Shape (schemaVersion 1; keys always present and always in this order, so diffs of two reports are clean):
 * ```
 * {
 *   schemaVersion: 1,
 *   tool: { name: "Persona Review", version },
 *   provider: "anthropic" | "offline" | ...,
 *   model: string | null,
 *   personas: [{ id, name }],                  // every persona that took part, in run order
 *   complete: boolean,                         // false when a persona's review did not finish (core/completeness.ts)
 *   missing: [{ personaId, reason, message, partial }],  // what is missing: cancelled | stream-cut | failed | output-limit
 *   summary: {
 *     bySeverity: { critical, high, medium, low },   // counts of findings
 *     total,                                          // findings.length
 *     dropped,                                        // dropped.length
 *     filesReviewed,
 *     durationMs,                                     // wall-clock milliseconds
 *     suppressed,                                     // suppressed.length (not in total or bySeverity)
 *     baseline: { new, unchanged, absent, notRechecked } | null   // with a baseline
 *   },
 *   findings: Finding[],                       // src/core/types.ts; validates against findingSchema
 *   dropped: DroppedFinding[],                 // proposed findings not kept, with reason and detail
 *   notices: string[],
 *   errors: [{ personaId, error: ProviderErrorInfo, partial }],
 *   usage: { [personaId]: Usage },             // tokens
 *   reviews: { [personaId]: markdown },
 *   team: {                                    // see render/team.ts
 *     personas: [{ personaId, name, bySeverity, assessment, usage?, failed }],
 *     usage: { inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens }  // sums
 *   },
 *   suppressed: SuppressedFinding[],           // Finding + suppression { kind, status, justification, location, rules, author?, date?, expires?, addedByChange } + baselineState?
 *   baseline: { file, unchanged: Finding[], absent: BaselineEntry[], newCount, notRechecked, ignoredAddedByChange } | null
 * }
 * ```
 * A change that removes or renames a key bumps `schemaVersion`; adding a key does not.
 */
import { SEVERITIES, type BaselineComparison, type DroppedFinding, type Finding, type ProviderErrorInfo, type ReviewResult, type Severity, type SuppressedFinding, type Usage } from '../types';
import { missingParts, type MissingPart } from '../completeness';
import type { RenderOptions } from './index';
import { teamSummary, type TeamSummary } from './team';

/** Version of the JSON report shape; see the module comment. */
export const JSON_REPORT_SCHEMA_VERSION = 1 as const;

/** Display name of the tool, used in every report. */
export const TOOL_NAME = 'Persona Review';

/** The JSON report document (see the module comment for meaning and units). */
export interface JsonReport {
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  provider: string;
  model: string | null;
  personas: Array<{ id: string; name: string }>;
  /** False when some persona's review did not finish (added in schemaVersion 1; see `missing`). */
  complete: boolean;
  /** What is missing from an incomplete review, one entry per persona and cause. */
  missing: MissingPart[];
  summary: {
    bySeverity: Record<Severity, number>;
    total: number;
    dropped: number;
    filesReviewed: number;
    durationMs: number;
    /** Findings silenced by suppressions (not counted in `total` or `bySeverity`). */
    suppressed: number;
    /** With a baseline: findings not in it, in it and still present, in it and gone, and not re-checked. */
    baseline: { new: number; unchanged: number; absent: number; notRechecked: number } | null;
  };
  findings: Finding[];
  dropped: DroppedFinding[];
  notices: string[];
  errors: Array<{ personaId: string; error: ProviderErrorInfo; partial: boolean }>;
  usage: Record<string, Usage>;
  reviews: Record<string, string>;
  /** Per-persona summaries and token totals with prompt-cache writes and reads (added in schemaVersion 1). */
  team: TeamSummary;
  /** Suppressed findings with how each was suppressed. */
  suppressed: SuppressedFinding[];
  /** The baseline comparison, or null without a baseline. */
  baseline: BaselineComparison | null;
}

/** Number of findings per severity, every severity present (zeros included). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 } satisfies Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/**
 * Display name of a persona id, from `result.personas`; the id itself when the persona is not listed
 * (a result assembled from several runs may mention personas it does not describe).
 */
export function personaName(result: Pick<ReviewResult, 'personas'>, id: string): string {
  return result.personas.find((p) => p.id === id)?.name ?? id;
}

/** A finding with its keys in schema order and no undefined-valued keys. */
function canonicalFinding(f: Finding): Finding {
  const out: Finding = {
    id: f.id,
    personaIds: [...f.personaIds],
    file: f.file,
    range: {
      startLine: f.range.startLine,
      endLine: f.range.endLine,
      ...(f.range.startColumn !== undefined ? { startColumn: f.range.startColumn } : {}),
      ...(f.range.endColumn !== undefined ? { endColumn: f.range.endColumn } : {}),
    },
    quote: f.quote,
    severity: f.severity,
    category: f.category,
    ...(f.ruleId !== undefined ? { ruleId: f.ruleId } : {}),
    title: f.title,
    message: f.message,
    ...(f.suggestion
      ? {
          suggestion: {
            ...(f.suggestion.replacement !== undefined ? { replacement: f.suggestion.replacement } : {}),
            description: f.suggestion.description,
          },
        }
      : {}),
    references: [...f.references],
    confidence: f.confidence,
    fingerprint: f.fingerprint,
    ...(f.severityByPersona ? { severityByPersona: { ...f.severityByPersona } } : {}),
  };
  return out;
}

/** Record entries ordered by the personas' run order, then unknown ids alphabetically. */
function orderByPersona<T>(result: ReviewResult, rec: Record<string, T>): Record<string, T> {
  const order = new Map(result.personas.map((p, i) => [p.id, i] as const));
  const keys = Object.keys(rec).sort((a, b) => {
    const ia = order.get(a) ?? Number.MAX_SAFE_INTEGER;
    const ib = order.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
  });
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = rec[k] as T;
  return out;
}

/** Builds the {@link JsonReport} object for a result. Copies; never mutates `result`. */
export function toJsonReport(result: ReviewResult, opts: RenderOptions): JsonReport {
  const bySeverity = countBySeverity(result.findings);
  const missing = missingParts(result);
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: opts.toolVersion },
    provider: result.provider,
    model: result.model ?? null,
    personas: result.personas.map((p) => ({ id: p.id, name: p.name })),
    complete: missing.length === 0,
    missing,
    summary: {
      bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, bySeverity[s]])) as Record<Severity, number>,
      total: result.findings.length,
      dropped: result.dropped.length,
      filesReviewed: result.filesReviewed,
      durationMs: result.durationMs,
      suppressed: result.suppressed?.length ?? 0,
      baseline: result.baseline
        ? { new: result.baseline.newCount, unchanged: result.baseline.unchanged.length, absent: result.baseline.absent.length, notRechecked: result.baseline.notRechecked }
        : null,
    },
    findings: result.findings.map(canonicalFinding),
    dropped: result.dropped.map((d) => ({ ...d })),
    notices: [...result.notices],
    errors: result.errors.map((e) => ({ personaId: e.personaId, error: { ...e.error }, partial: e.partial })),
    usage: orderByPersona(result, result.usage),
    reviews: orderByPersona(result, result.reviews),
    team: teamSummary(result),
    suppressed: (result.suppressed ?? []).map((f) => ({
      ...canonicalFinding(f),
      suppression: { ...f.suppression, location: { ...f.suppression.location }, rules: [...f.suppression.rules] },
      ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    })),
    baseline: result.baseline
      ? { ...result.baseline, unchanged: result.baseline.unchanged.map(canonicalFinding), absent: result.baseline.absent.map((e) => ({ ...e, personas: [...e.personas] })) }
      : null,
  };
}

/** The JSON report as text: {@link toJsonReport}, two-space indented, with a trailing newline. */
export function renderJson(result: ReviewResult, opts: RenderOptions): string {
  return `${JSON.stringify(toJsonReport(result, opts), null, 2)}\n`;
}
