/**
 * Whether a review is complete, and if not, what is missing: the one definition the CLI's exit code 3, the
 * JSON report's `complete`/`missing`, SARIF's `executionSuccessful` and the markdown report's warning share.
 * A review is incomplete when a persona's review did not finish: it was cancelled (Ctrl+C, Stop), its
 * stream was cut (a dropped connection, a stall, an SSE error), it failed (network, rate limit, auth, a
 * provider bug), or its reply stopped at the output limit (findings after the cut are missing).
 */
import type { ReviewResult } from './types';

/** One persona's missing part of a review. */
export interface MissingPart {
  personaId: string;
  /** `cancelled`, `stream-cut` (started, then broke off), `failed` (any other error), `output-limit` (the reply hit max_tokens). */
  reason: 'cancelled' | 'stream-cut' | 'failed' | 'output-limit';
  /** What happened, one sentence (the provider's message). */
  message: string;
  /** True when some of this persona's output arrived and is in the report. */
  partial: boolean;
}

/** The missing parts of `result`, one per error and per reply cut by the output limit, in run order. Never throws. */
export function missingParts(result: Pick<ReviewResult, 'errors' | 'outputLimited'>): MissingPart[] {
  const out: MissingPart[] = result.errors.map(({ personaId, error, partial }) => ({
    personaId,
    reason: error.kind === 'cancelled' ? 'cancelled' : error.kind === 'stream-cut' ? 'stream-cut' : 'failed',
    message: error.message,
    partial,
  }));
  for (const o of result.outputLimited ?? []) out.push({ personaId: o.personaId, reason: 'output-limit', message: o.message, partial: true });
  return out;
}

/** True when nothing is missing (see {@link missingParts}). */
export function isComplete(result: Pick<ReviewResult, 'errors' | 'outputLimited'>): boolean {
  return missingParts(result).length === 0;
}
