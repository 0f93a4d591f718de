/** Token usage arithmetic, kept apart from cost and prompt code so renderers can use it cheaply. */
import type { Usage } from './types';

/** Totals of several usages, in tokens (missing cache fields count as 0). */
export function sumUsage(usages: Iterable<Usage>): Required<Usage> {
  const out: Required<Usage> = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
  for (const u of usages) {
    out.inputTokens += u.inputTokens;
    out.outputTokens += u.outputTokens;
    out.cacheCreationInputTokens += u.cacheCreationInputTokens ?? 0;
    out.cacheReadInputTokens += u.cacheReadInputTokens ?? 0;
  }
  return out;
}
