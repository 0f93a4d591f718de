/**
 * Cost before and after a review: estimated input tokens and dollars per persona for a Claude model
 * (before), and billed tokens and dollars from the API's `usage` (after), with Anthropic prompt
 * caching taken into account.
 *
 * Prompt-caching arithmetic (https://docs.claude.com/en/docs/build-with-claude/prompt-caching,
 * "Pricing"): a cache write (5-minute lifetime) costs 1.25× the base input price, a cache read 0.1× on most
 * models (each model's own rates are in {@link MODEL_PRICES}).
 * The API reports them apart from `input_tokens` (`input_tokens` counts only the uncached tokens after
 * the last breakpoint), so the billed input is `input + 1.25 × cacheCreation + 0.1 × cacheRead`.
 */
import { sumUsage } from './usage';
import { buildPersonaInstructions, buildSystemPrompt, buildTeamContextBlock } from './providers/prompt';
import { estimateTokens } from './tokens';
import type { Persona, ReviewContext, Usage } from './types';

/** Prices of one model in US dollars per million tokens. */
export interface ModelPrice {
  /** Base input price, USD per million tokens. */
  input: number;
  /** Output price, USD per million tokens. */
  output: number;
  /** 5-minute cache write, USD per million tokens (1.25× input for every model listed so far). */
  cacheWrite: number;
  /** Cache hit (read or refresh), USD per million tokens (0.1× input for most models; 0.025× for the 5.1 models). */
  cacheRead: number;
}

/** Multiplier of the base input price for a 5-minute cache write (Anthropic prompt caching docs, "Pricing"). */
export const CACHE_WRITE_MULTIPLIER = 1.25;
/** Multiplier of the base input price for a cache read on most models (Anthropic prompt caching docs, "Pricing"). */
export const CACHE_READ_MULTIPLIER = 0.1;

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const p = (input: number, output: number, cacheRead = input * CACHE_READ_MULTIPLIER): ModelPrice => ({
  input,
  output,
  cacheWrite: round(input * CACHE_WRITE_MULTIPLIER),
  cacheRead: round(cacheRead),
});

/**
 * List prices of Claude models on the Anthropic API, USD per million tokens: base input, output, 5-minute
 * cache write and cache hit.
 *
 * Source: Anthropic's pricing page, https://platform.claude.com/docs/en/about-claude/pricing ("Model
 * pricing" table), as read on 2026-11-21. Only models that table lists are here; any other model (a newer
 * one, or one served elsewhere) gets token estimates only, never a guessed price. Keys match by prefix of
 * the model id, longest first, so dated snapshots (`claude-sonnet-4-5-20250929`) match their alias.
 * Update this table when Anthropic changes its prices.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': p(10, 50, 0.25),
  'claude-mythos-5-1': p(10, 50, 0.25),
  'claude-fable-5': p(10, 50),
  'claude-mythos-5': p(10, 50),
  'claude-opus-5': p(5, 25),
  'claude-opus-4-8': p(5, 25),
  'claude-opus-4-7': p(5, 25),
  'claude-opus-4-6': p(5, 25),
  'claude-opus-4-5': p(5, 25),
  'claude-opus-4-1': p(15, 75),
  'claude-opus-4-0': p(15, 75),
  'claude-opus-4-20250514': p(15, 75),
  'claude-sonnet-4-6': p(3, 15),
  'claude-sonnet-4-5': p(3, 15),
  'claude-sonnet-4-0': p(3, 15),
  'claude-sonnet-4-20250514': p(3, 15),
  'claude-3-7-sonnet': p(3, 15),
  'claude-haiku-4-5': p(1, 5),
  'claude-3-5-haiku': p(0.8, 4),
  'claude-3-haiku': p(0.25, 1.25, 0.03),
};

/** Output tokens assumed per request when estimating cost before a run (a typical review reply; the real figure is in the report afterwards). */
export const ASSUMED_OUTPUT_TOKENS_PER_REQUEST = 2000;

/**
 * The price of `model`: the {@link MODEL_PRICES} entry whose key is the id itself or the id without a
 * dated snapshot suffix (`-YYYYMMDD`). Undefined for a model not in the table (then only tokens are shown,
 * never a guessed price).
 */
export function priceFor(model: string): { price: ModelPrice; key: string } | undefined {
  const key = MODEL_PRICES[model] ? model : model.replace(/-\d{8}$/, '');
  const price = MODEL_PRICES[key];
  return price ? { price, key } : undefined;
}

/** Estimated input of one persona over a whole context. Tokens are estimated Claude tokens ({@link estimateTokens}). */
export interface PersonaCostEstimate {
  personaId: string;
  personaName: string;
  /** Requests this persona sends (one per context chunk). */
  requests: number;
  /** System prompt + code, summed over requests: the shared, cacheable prefix. */
  sharedTokens: number;
  /** The persona's own prompt, questions and task, summed over requests (never cached). */
  personaTokens: number;
  /** sharedTokens + personaTokens. */
  inputTokens: number;
  /** Estimated USD with caching (first persona writes the cache, the others read it); undefined for an unpriced model. */
  costUsd?: number;
}

/** Cost estimate of a team review before it runs. */
export interface CostEstimate {
  model: string;
  /** The price table key used; undefined when the model has no price. */
  priceKey?: string;
  perPersona: PersonaCostEstimate[];
  /** Sum of inputTokens over personas. */
  inputTokens: number;
  /** Input tokens billed at the base price if nothing were cached (= inputTokens). */
  uncachedInputTokens: number;
  /** Input tokens in base-price equivalents with caching: first persona's prefix at 1.25×, the others' at 0.1×. */
  billedInputTokens: number;
  /** Output tokens assumed ({@link ASSUMED_OUTPUT_TOKENS_PER_REQUEST} per request). */
  assumedOutputTokens: number;
  /** Estimated total USD (input with caching + assumed output); undefined for an unpriced model. */
  totalUsd?: number;
}

/**
 * Estimates what reviewing `context` with `personas` on `model` will cost, before anything is sent.
 * Personas with `reviews: false` send nothing and are left out. The estimate follows the prompt layout of
 * `./providers/prompt` (system + code chunk shared and cached, persona instructions after the breakpoint)
 * and assumes every persona after the first reads the cache (the engine starts them once the first
 * reply has begun, see `engine.ts`). Chunks under 1,024 tokens are not cacheable (Anthropic's minimum for
 * Sonnet/Opus) and are counted at the base price. Never throws.
 */
export function estimateCost(context: ReviewContext, personas: Persona[], model: string): CostEstimate {
  const team = buildTeamContextBlock(context);
  // The team context (project guidance, team memory) is shared and cached with the code: part of the prefix.
  const systemTokens = estimateTokens(buildSystemPrompt()) + (team ? estimateTokens(team) : 0);
  const priced = priceFor(model);
  const reviewing = personas.filter((p) => p.reviews);
  const perPersona: PersonaCostEstimate[] = [];
  let billed = 0;
  let total = 0;
  reviewing.forEach((persona, index) => {
    let shared = 0;
    let own = 0;
    let billedHere = 0;
    let usd = 0;
    context.chunks.forEach((chunk, i) => {
      const prefix = systemTokens + chunk.tokens;
      const instr = estimateTokens(buildPersonaInstructions(persona, context, i));
      shared += prefix;
      own += instr;
      const cacheable = prefix >= 1024;
      billedHere += instr + (cacheable ? prefix * (index === 0 ? CACHE_WRITE_MULTIPLIER : CACHE_READ_MULTIPLIER) : prefix);
      if (priced) {
        const rate = cacheable ? (index === 0 ? priced.price.cacheWrite : priced.price.cacheRead) : priced.price.input;
        usd += (instr * priced.price.input + prefix * rate) / 1e6;
      }
    });
    billed += billedHere;
    const requests = context.chunks.length;
    const est: PersonaCostEstimate = {
      personaId: persona.id,
      personaName: persona.name,
      requests,
      sharedTokens: shared,
      personaTokens: own,
      inputTokens: shared + own,
    };
    if (priced) {
      est.costUsd = usd + (requests * ASSUMED_OUTPUT_TOKENS_PER_REQUEST * priced.price.output) / 1e6;
      total += est.costUsd;
    }
    perPersona.push(est);
  });
  const inputTokens = perPersona.reduce((a, p) => a + p.inputTokens, 0);
  return {
    model,
    ...(priced ? { priceKey: priced.key } : {}),
    perPersona,
    inputTokens,
    uncachedInputTokens: inputTokens,
    billedInputTokens: Math.round(billed),
    assumedOutputTokens: perPersona.reduce((a, p) => a + p.requests * ASSUMED_OUTPUT_TOKENS_PER_REQUEST, 0),
    ...(priced ? { totalUsd: total } : {}),
  };
}


/**
 * Input tokens of `usage` in base-price equivalents with the standard multipliers:
 * `input + 1.25 × cacheCreation + 0.1 × cacheRead` (prompt caching docs, "Pricing"), and what the same input would have been uncached
 * (`input + cacheCreation + cacheRead`).
 */
export function billedInputTokens(usage: Usage): { billed: number; uncached: number } {
  const w = usage.cacheCreationInputTokens ?? 0;
  const r = usage.cacheReadInputTokens ?? 0;
  return {
    billed: usage.inputTokens + CACHE_WRITE_MULTIPLIER * w + CACHE_READ_MULTIPLIER * r,
    uncached: usage.inputTokens + w + r,
  };
}

/** USD billed for `usage` on `model` (input, cache writes and reads at the model's rates, output); undefined for an unpriced model. */
export function usageCostUsd(usage: Usage, model: string): number | undefined {
  const priced = priceFor(model);
  if (!priced) return undefined;
  const { input, output, cacheWrite, cacheRead } = priced.price;
  return (usage.inputTokens * input + (usage.cacheCreationInputTokens ?? 0) * cacheWrite + (usage.cacheReadInputTokens ?? 0) * cacheRead + usage.outputTokens * output) / 1e6;
}

/** `$0.0123` (4 decimals under a dollar, 2 above). */
export function formatUsd(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/**
 * The estimate as plain-text lines for a terminal: one line per persona (tokens, dollars) and a total
 * line. States when the model has no known price (tokens only) or when a family price was used.
 */
export function formatCostEstimate(est: CostEstimate): string[] {
  const lines: string[] = [];
  const w = Math.max(4, ...est.perPersona.map((p) => p.personaName.length));
  for (const p of est.perPersona) {
    const usd = p.costUsd !== undefined ? `  ~${formatUsd(p.costUsd)}` : '';
    lines.push(`  ${p.personaName.padEnd(w)}  ~${p.inputTokens.toLocaleString('en-US')} input tokens (${p.personaTokens.toLocaleString('en-US')} own prompt)${usd}`);
  }
  const price =
    est.totalUsd !== undefined
      ? `~${formatUsd(est.totalUsd)} on ${est.model}, assuming ${ASSUMED_OUTPUT_TOKENS_PER_REQUEST} output tokens per request`
      : `no price known for model "${est.model}": tokens only`;
  lines.push(
    `  total: ~${est.inputTokens.toLocaleString('en-US')} input tokens, ~${est.billedInputTokens.toLocaleString('en-US')} billed with prompt caching; ${price}`,
  );
  return lines;
}

export { sumUsage };
