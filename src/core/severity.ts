/**
 * The one severity scale of Persona Review: its levels, their order and what each means. The reply
 * format of the system prompt (`providers/prompt.ts`) states the meanings from {@link SEVERITY_SCALE};
 * persona prompts (`personas/*.md`) refer to that scale and give only examples from their own field.
 *
 * Source: seed 000's "Severity Classification" (Critical: security vulnerabilities, data loss, system
 * crashes; High: performance issues, poor architecture, missing tests; Medium: code quality, minor
 * inefficiencies; Low: style, documentation, nice-to-haves), with security weaknesses that need extra
 * conditions placed at High so that security personas and the rest grade alike. Mapped to LSP
 * DiagnosticSeverity Error / Error / Warning / Information and to SARIF level error / error / warning / note.
 */

/** The levels, their order and the LSP mapping are defined once in src/shared/severity.ts (the extension and the webview read them too, without importing the engine). */
export { SEVERITIES, atLeast, severityRank, type Severity } from '../shared/severity';
import type { Severity } from '../shared/severity';

/** What each level means, one line each; the only definition of the scale given to a model. */
export const SEVERITY_SCALE: Readonly<Record<Severity, string>> = {
  critical: 'exploitable security vulnerabilities, data loss, corruption or leaks, crashes and outages',
  high: 'security weaknesses that need extra conditions to exploit, performance problems, poor architecture, broken public contracts, missing tests for risky code',
  medium: 'code quality, minor inefficiencies, gaps of limited impact',
  low: 'style, documentation, nice-to-haves',
};
