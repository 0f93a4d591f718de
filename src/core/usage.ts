/** Token usage arithmetic, kept apart from cost and prompt code so renderers can use it cheaply. */
import type { Usage } from './types';

/**
 * Totals of several usages, in tokens (missing cache fields count as 0). When none of them reports cache
 * fields (a server without prompt caching: Ollama, LiteLLM, vLLM behind the Messages API), the total says so
 * with `noCacheFigures: true`, so renderers show no cache figures instead of made-up zeros.
 */
export function sumUsage(usages: Iterable<Usage>): Required<Usage> & { noCacheFigures?: true } {
  const out: Required<Usage> & { noCacheFigures?: true } = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
  let reported = false;
  let any = false;
  for (const u of usages) {
    any = true;
    reported ||= u.cacheCreationInputTokens !== undefined || u.cacheReadInputTokens !== undefined;
    out.inputTokens += u.inputTokens;
    out.outputTokens += u.outputTokens;
    out.cacheCreationInputTokens += u.cacheCreationInputTokens ?? 0;
    out.cacheReadInputTokens += u.cacheReadInputTokens ?? 0;
  }
  if (any && !reported) out.noCacheFigures = true;
  return out;
}
