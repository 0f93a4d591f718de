/**
 * The team part of a report: one short summary per persona (findings by severity, one line of its own
 * assessment, its token usage) and the review's token totals with Anthropic prompt-cache writes and reads.
 * Shared by the markdown and JSON renderers.
 */
import { sumUsage } from '../usage';
import { SEVERITIES, type ReviewResult, type Severity, type Usage } from '../types';

/** One persona's part in a team review. */
export interface PersonaSummary {
  personaId: string;
  name: string;
  /** Findings this persona reported (alone or agreeing with others), by the severity it gave them itself (not the merged severity). */
  bySeverity: Record<Severity, number>;
  /** One line of the persona's own assessment (its "Overall Assessment", else the first sentence of its review); '' when it wrote nothing. At most 200 characters. */
  assessment: string;
  /** Tokens this persona used, as the provider reported them; undefined for providers that report none. */
  usage?: Usage;
  /** True when the persona's review did not complete (an error, or its reply stopped at the output limit). */
  failed: boolean;
}

/** The team section of a report. Token counts are as the API reported them. */
export interface TeamSummary {
  personas: PersonaSummary[];
  /** Sums over personas; cache fields are 0 when the provider reported none. */
  usage: Required<Usage> & { noCacheFigures?: true };
}

const MAX_ASSESSMENT = 200;

/** Strips markdown decoration from one line (headings, emphasis, list markers, emoji-free). */
function plain(line: string): string {
  return line
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(/[*_`]+/g, '')
    .trim();
}

/**
 * One line that sums up a review text: the text after "Overall Assessment" when the persona's template
 * has one (seed 000 output templates do), else the first prose line outside code blocks and headings.
 * Cut at 200 characters with an ellipsis.
 */
export function assessmentLine(review: string): string {
  const lines = review.split('\n');
  let fenced = false;
  let firstProse = '';
  for (const line of lines) {
    if (/^\s{0,3}(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const m = /overall assessment\s*[:\-–]?\s*(.*)$/i.exec(plain(line));
    if (m?.[1]?.trim()) return cut(m[1].trim());
    if (!firstProse && line.trim() && !/^\s{0,3}#/.test(line)) firstProse = plain(line);
  }
  return cut(firstProse);
}

function cut(s: string): string {
  return s.length > MAX_ASSESSMENT ? `${s.slice(0, MAX_ASSESSMENT - 1)}…` : s;
}


/** Builds the {@link TeamSummary} of a result (personas in run order). Never throws. */
export function teamSummary(result: ReviewResult): TeamSummary {
  const personas = result.personas.map((p): PersonaSummary => {
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const f of result.findings) if (f.personaIds.includes(p.id)) bySeverity[f.severityByPersona?.[p.id] ?? f.severity]++;
    const usage = result.usage[p.id];
    return {
      personaId: p.id,
      name: p.name,
      bySeverity,
      assessment: assessmentLine(result.reviews[p.id] ?? ''),
      ...(usage ? { usage: { ...usage } } : {}),
      failed: result.errors.some((e) => e.personaId === p.id) || (result.outputLimited ?? []).some((o) => o.personaId === p.id),
    };
  });
  return { personas, usage: sumUsage(Object.values(result.usage)) };
}

/** "12,345 input, 10,000 cache writes, 40,000 cache reads, 2,100 output tokens". */
export function formatUsageLine(u: Usage & { noCacheFigures?: true }): string {
  const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US');
  // A server that reports no cache figures (no prompt caching) gets none shown, not zeros.
  if (u.noCacheFigures || (u.cacheCreationInputTokens === undefined && u.cacheReadInputTokens === undefined)) return `${n(u.inputTokens)} input, ${n(u.outputTokens)} output tokens`;
  return `${n(u.inputTokens)} input, ${n(u.cacheCreationInputTokens)} cache writes, ${n(u.cacheReadInputTokens)} cache reads, ${n(u.outputTokens)} output tokens`;
}
