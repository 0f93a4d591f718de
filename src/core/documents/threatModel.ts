/**
 * A threat model (`/threat-model`): assets, entry points, attackers and the attack vectors found, by STRIDE.
 */
import { severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';
import { codeSignals, has } from './signals';

const STRIDE: Array<[RegExp, string]> = [
  [/injection|xss|deserialization|traversal|eval/, 'Tampering / Elevation of privilege'],
  [/secret|crypto|random|tls|exposure|leak/, 'Information disclosure'],
  [/auth|session|csrf|spoof/, 'Spoofing'],
  [/rate|dos|timeout|regex|redos|unbounded/, 'Denial of service'],
  [/log|audit/, 'Repudiation'],
];

function strideOf(category: string): string {
  return STRIDE.find(([re]) => re.test(category))?.[1] ?? 'Tampering';
}

export function renderThreatModel(input: CommandInput): string {
  const s = codeSignals(input.files);
  const out = [`## Threat model: ${escapeInline(input.targetLabel)}`, '', '### Assets', ''];
  const assets: string[] = [];
  if (s.dependencies.includes('a database')) assets.push('Data in the database (integrity and confidentiality)');
  if (has(input.files, /password|token|secret|api[_-]?key/i)) assets.push('Credentials and tokens the code handles');
  if (s.endpoints.length > 0) assets.push('Availability of the service');
  assets.push('The host the code runs on (no code execution by attackers)');
  out.push(...assets.map((a) => `- ${a}`), '', '### Entry points and trust boundaries', '');
  if (s.endpoints.length === 0) out.push('- No HTTP endpoints found; list the inputs (CLI args, files, messages) by hand.');
  for (const e of s.endpoints) out.push(`- ${inlineCode(`${e.method} ${e.path}`)} at ${inlineCode(`${e.file}:${e.line}`)}: untrusted input crosses here`);
  if (s.dependencies.length > 0) out.push(`- Outbound: ${s.dependencies.join(', ')} (what they return is also input)`);
  out.push('', '### Attackers', '', '- Anonymous internet users (if any endpoint is public)', '- Authenticated users reaching for other users\' data', '- A compromised dependency or a malicious insider');
  out.push('', '### Attack vectors found (STRIDE)', '');
  const sec = sortFindings(input.findings);
  if (sec.length === 0) out.push('- None found by the offline rules in this code.');
  else {
    out.push('| Threat | STRIDE | Where | Severity | Mitigation |', '|---|---|---|---|---|');
    for (const f of sec) {
      out.push(`| ${escapeInline(f.title).replace(/\|/g, '\\|')} | ${strideOf(f.category)} | ${inlineCode(formatLocation(f))} | ${severityLabel(f.severity)} | ${escapeInline(f.suggestion?.description ?? 'see finding').replace(/\|/g, '\\|')} |`);
    }
  }
  out.push(
    '',
    '### To verify',
    '',
    '- Authentication and authorisation on every entry point (who may call it, on whose data).',
    `- Rate limiting and input size limits${s.rateLimiting ? ' (a limiter was found)' : ' (none found)'}.`,
    '- Secrets come from a secret store, not from source or plain environment files.',
    '- Dependencies are pinned and scanned.',
  );
  return out.join('\n');
}
