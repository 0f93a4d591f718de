/**
 * CLI helpers for team reviews, shared by `review` and `workflow run`: persona routing (`--persona auto`),
 * the cost estimate and budget check before a run (`--budget`, `--yes`), and the usage line after it.
 * Everything here writes to stderr only (stdout carries the report).
 */
import { estimateCost, formatCostEstimate, formatUsd, sumUsage, usageCostUsd } from '../core/cost';
import { proposePersonas } from '../core/routing';
import type { LoadedPersona } from '../core/personas';
import type { ReviewContext, ReviewProvider, ReviewResult } from '../core/types';
import { formatUsageLine } from '../core/render/team';

/** Default `--budget`, US dollars: runs estimated above it need `--yes`. */
export const DEFAULT_BUDGET_USD = 1;

/** Thrown when a run needs confirmation it did not get; the CLI exits 2 with the message. */
export class BudgetError extends Error {}

/**
 * `--persona auto`: proposes personas for `context` (see core/routing), prints the proposal and each reason
 * on stderr (`log`), and returns the proposed personas in proposal order (only those in `all`).
 */
export async function routePersonas(context: ReviewContext, all: LoadedPersona[], log: (s: string) => void): Promise<LoadedPersona[]> {
  const reviewing = all.filter((p) => p.reviews);
  const proposal = await proposePersonas(context, reviewing);
  const picked: LoadedPersona[] = [];
  log(`persona-review: --persona auto proposes ${proposal.personas.length} persona(s):`);
  for (const r of proposal.personas) {
    const p = reviewing.find((x) => x.id === r.personaId);
    if (!p) continue;
    picked.push(p);
    log(`  ${p.id.padEnd(12)} ${p.name}: ${r.reasons.join('; ')}`);
  }
  log(`persona-review: to change the set, run again with --persona ${picked.map((p) => p.id).join(',')} (edited)`);
  return picked;
}

/**
 * Before a paid run: prints the estimate (tokens and dollars per persona) and enforces the budget.
 * Only for providers that send code off the machine (not `local`). Throws {@link BudgetError} when the
 * estimate is above `budgetUsd` and `yes` is false. For a model with no known price, prints tokens only
 * and says the budget could not be checked.
 */
export function checkCost(
  context: ReviewContext,
  personas: LoadedPersona[],
  provider: ReviewProvider,
  model: string,
  opts: { budgetUsd: number; yes: boolean; log: (s: string) => void },
): void {
  if (provider.local) return;
  const est = estimateCost(context, personas, model);
  opts.log(`persona-review: estimated cost before running (${est.perPersona.length} persona(s), ${context.chunks.length} request(s) each):`);
  for (const line of formatCostEstimate(est)) opts.log(line);
  if (est.totalUsd === undefined) {
    opts.log(`persona-review: the --budget of ${formatUsd(opts.budgetUsd)} cannot be checked without a price for "${model}".`);
    return;
  }
  if (est.totalUsd > opts.budgetUsd && !opts.yes) {
    throw new BudgetError(
      `the estimated cost ~${formatUsd(est.totalUsd)} is above the budget of ${formatUsd(opts.budgetUsd)}: add --yes to run it anyway, raise --budget, or review fewer files or personas`,
    );
  }
}

/** After a run: one line of token usage (with prompt-cache writes and reads) and its cost when the model is priced. */
export function usageSummary(result: ReviewResult, model: string): string | undefined {
  if (Object.keys(result.usage).length === 0) return undefined;
  const total = sumUsage(Object.values(result.usage));
  const usd = usageCostUsd(total, model);
  return `persona-review: usage: ${formatUsageLine(total)}; cost ${usd !== undefined ? `~${formatUsd(usd)}` : `unknown (no price for model "${model}")`}`;
}

/** Parses `--budget <usd>`: a number ≥ 0 (a leading `$` allowed). Throws Error with a usable message otherwise. */
export function parseBudget(v: string | undefined): number {
  if (v === undefined) return DEFAULT_BUDGET_USD;
  const n = Number(v.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`--budget expects an amount in US dollars such as 0.50, got "${v}"`);
  return n;
}
