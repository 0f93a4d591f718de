/**
 * The weekly reliability report (`/report`), in the shape of the SRE report of seed 001.
 */
import { countLine, severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { Severity } from '../types';
import type { CommandInput } from './index';
import { byCategory, codeSignals } from './signals';

/** The Monday of the week `d` falls in, as YYYY-MM-DD (UTC). */
export function weekOf(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

function priority(s: Severity): string {
  return s === 'critical' ? 'P0' : s === 'high' ? 'P1' : s === 'medium' ? 'P2' : 'P3';
}

export function renderWeeklyReport(input: CommandInput): string {
  const s = codeSignals(input.files);
  const sorted = sortFindings(input.findings);
  const out = [
    `# SRE Report - Week of ${weekOf(input.now ?? new Date())}`,
    '',
    '## Reliability Summary',
    `- Scope: ${escapeInline(input.targetLabel)} (${countLine(input.findings)})`,
    '- CI/CD pass rate: not visible from code (to verify in CI)',
    '- Reported incidents: not visible from code (to verify)',
    '- MTTR: not visible from code (to verify)',
    '',
    '## Key Observations',
  ];
  if (sorted.length === 0) out.push('- No reliability issues found by the offline rules in the reviewed code.');
  for (const f of sorted.slice(0, 5)) out.push(`- ${escapeInline(f.title)} (${inlineCode(formatLocation(f))})`);
  out.push('', '## Operational Risks');
  if (sorted.length === 0) out.push('- None found in code.');
  for (const f of sorted.slice(0, 8)) out.push(`- ${severityLabel(f.severity)}: ${escapeInline(f.title)}${f.suggestion ? `; mitigation: ${escapeInline(f.suggestion.description)}` : ''}`);
  out.push('', '## Proposed Backlog Items');
  sorted.slice(0, 8).forEach((f, i) => {
    out.push(
      `${i + 1}. [${priority(f.severity)}] ${escapeInline(f.title)}`,
      `   - Current state: ${inlineCode(formatLocation(f))}`,
      `   - Risk: ${escapeInline(f.category.replace(/-/g, ' '))} (${f.severity})`,
      `   - Mitigation: ${escapeInline(f.suggestion?.description ?? 'see the finding')}`,
    );
  });
  if (sorted.length === 0) out.push('1. [P3] Keep the checks green; nothing urgent in code.');
  out.push('', '## Monitoring Gaps');
  const gaps: string[] = [];
  if (!s.metrics) gaps.push('No metrics: request rates, errors and latency cannot be seen.');
  if (!s.tracing) gaps.push('No tracing: slow dependencies cannot be told apart from slow code.');
  if (!s.structuredLogging) gaps.push('No structured logging: logs cannot be queried by field.');
  if (!s.healthCheck && s.endpoints.length > 0) gaps.push('No health check endpoint.');
  if (byCategory(input.findings, /swallowed-error/).length > 0) gaps.push('Swallowed errors: failures leave no trace.');
  out.push(...(gaps.length ? gaps.map((g) => `- ${g}`) : ['- None visible in code.']));
  return out.join('\n');
}
