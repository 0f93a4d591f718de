/**
 * A description and critique of the design (`/design`).
 */
import { severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';
import { codeSignals, declarations } from './signals';

export function renderDesign(input: CommandInput): string {
  const s = codeSignals(input.files);
  const out = [`## Design: ${escapeInline(input.targetLabel)}`, '', '### Components', ''];
  for (const f of input.files) {
    const decl = declarations(f);
    const imports = [...f.text.matchAll(/(?:require\(\s*['"]([^'"]+)['"]\s*\)|from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"])/gm)].map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
    out.push(`- ${inlineCode(f.path)}: ${decl.length ? decl.slice(0, 8).map((d) => inlineCode(d.name)).join(', ') : 'no top-level declarations found'}${imports.length ? `; depends on ${[...new Set(imports)].slice(0, 8).map((i) => inlineCode(i)).join(', ')}` : ''}`);
  }
  out.push('', '### Data flow', '');
  if (s.endpoints.length) out.push(`Requests enter at ${s.endpoints.slice(0, 6).map((e) => inlineCode(`${e.method} ${e.path}`)).join(', ')}${s.dependencies.length ? ` and reach ${s.dependencies.join(', ')}` : ''}.`);
  else out.push(s.dependencies.length ? `The code talks to ${s.dependencies.join(', ')}.` : 'No entry points or external dependencies were found in the reviewed code.');
  out.push('', '### Design concerns', '');
  const sorted = sortFindings(input.findings);
  if (sorted.length === 0) out.push('- None found by the offline rules.');
  for (const f of sorted) out.push(`- ${severityLabel(f.severity)}: ${escapeInline(f.title)} at ${inlineCode(formatLocation(f))}${f.suggestion ? `: ${escapeInline(f.suggestion.description)}` : ''}`);
  out.push('', '### Trade-offs and questions to settle', '', ...input.questions.map((q) => `- ${escapeInline(q)}`));
  if (s.endpoints.length && s.dependencies.includes('a database')) out.push('- Handlers reach the database directly? A data-access layer would isolate storage changes and make handlers testable.');
  return out.join('\n');
}
