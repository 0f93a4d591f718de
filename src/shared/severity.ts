/**
 * Severity mapping both sides agree on (DESIGN.md, Finding schema): critical and high → Error,
 * medium → Warning, low → Information. Values are LSP `DiagnosticSeverity` numbers
 * (LSP 3.17 §Diagnostic: 1 Error, 2 Warning, 3 Information, 4 Hint), which VS Code's own enum
 * renumbers from 0; the extension converts at its boundary.
 */
import type { Severity } from '../core/types';

/** LSP DiagnosticSeverity for a finding severity. */
export const LSP_DIAGNOSTIC_SEVERITY: Record<Severity, 1 | 2 | 3> = { critical: 1, high: 1, medium: 2, low: 3 };
