/**
 * Incident help (`/incident`): failure modes, triage, mitigations, a runbook and a blameless postmortem outline.
 */
import { severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';
import { byCategory, codeSignals } from './signals';

export function renderIncident(input: CommandInput): string {
  const s = codeSignals(input.files);
  const out = [`## Incident help: ${escapeInline(input.targetLabel)}`, '', '### Likely failure modes visible in the code', ''];
  const modes = sortFindings(input.findings);
  if (modes.length === 0) out.push('- None found by the offline rules; start from the symptoms below.');
  for (const f of modes.slice(0, 10)) out.push(`- ${severityLabel(f.severity)}: ${escapeInline(f.title)} at ${inlineCode(formatLocation(f))}`);
  out.push(
    '',
    '### Triage (first 15 minutes)',
    '',
    '1. Declare the incident, name an incident commander and a scribe; open a timeline.',
    '2. What changed? Last deploys, config and feature-flag changes, dependency status pages.',
    `3. Where does it hurt? Error rate and latency by endpoint${s.endpoints.length ? ` (${s.endpoints.slice(0, 5).map((e) => inlineCode(`${e.method} ${e.path}`)).join(', ')})` : ''}.`,
    `4. Dependencies: ${s.dependencies.length ? s.dependencies.join(', ') : 'none found in the code'}; check their latency and errors.`,
    '',
    '### Safe mitigations (mitigate first, find the cause later)',
    '',
    '- Roll back the last deploy or turn off the last feature flag.',
    '- Shed load or scale out if saturated.',
  );
  if (byCategory(input.findings, /missing-timeout/).length > 0) out.push('- A dependency that hangs ties up workers here (calls without timeouts): fail over or cut the dependency off.');
  if (byCategory(input.findings, /retry/).length > 0) out.push('- Retry loops can amplify an outage: disable or cap retries.');
  out.push(
    '',
    '### Runbook (to fill in)',
    '',
    '| Symptom | Check | Action | Escalate to |',
    '|---|---|---|---|',
    '| Error rate above SLO | dashboard by endpoint and status | roll back | owning team |',
    '| Latency above SLO | dependency latency, saturation | shed load, scale out | owning team |',
    '| Service down | health endpoint, process restarts | restart, roll back | on-call lead |',
    '',
    '### Postmortem (blameless)',
    '',
    '- Summary, impact (users, duration, error budget spent)',
    '- Timeline (detection, escalation, mitigation, resolution)',
    '- Root cause and contributing factors (systems and process, never people)',
    '- What went well, what went badly, where we got lucky',
    '- Action items with owners and dates (each prevents, detects or mitigates a recurrence)',
  );
  if (!s.metrics || !s.structuredLogging) out.push('', `Note: the code has ${!s.metrics ? 'no metrics' : ''}${!s.metrics && !s.structuredLogging ? ' and ' : ''}${!s.structuredLogging ? 'no structured logging' : ''}, which makes detection and diagnosis slower.`);
  return out.join('\n');
}
