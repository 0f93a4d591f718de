/**
 * The severity scale both sides agree on (DESIGN.md, Finding schema; seed 000's "Severity Classification":
 * Critical: security holes, data loss, crashes; High: performance, poor architecture, missing tests;
 * Medium: code quality; Low: style, docs). Defined once here, where the extension, the webview, the
 * server and core can all read it without the extension importing the engine; core re-exports it
 * (src/core/types.ts).
 *
 * Mapping to LSP `DiagnosticSeverity` (LSP 3.17 §Diagnostic: 1 Error, 2 Warning, 3 Information, 4 Hint),
 * which VS Code's own enum renumbers from 0 (the extension converts at its boundary): critical and high →
 * Error, medium → Warning, low → Information.
 */

/** The levels, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** Rank for sorting and thresholds: critical = 3 … low = 0. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

/** True when `s` is at least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

/** True when `x` is one of {@link SEVERITIES}. */
export function isSeverity(x: unknown): x is Severity {
  return typeof x === 'string' && (SEVERITIES as readonly string[]).includes(x);
}

/** LSP DiagnosticSeverity for a finding severity. */
export const LSP_DIAGNOSTIC_SEVERITY: Record<Severity, 1 | 2 | 3> = { critical: 1, high: 1, medium: 2, low: 3 };
