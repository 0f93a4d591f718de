/**
 * Findings as chat markdown (VS Code Chat, and any client that shows markdown), the offline explanation
 * of a finding, and which earlier finding a follow-up question means. Pure: the language server renders
 * these for the extension, the CLI and tests call them directly.
 *
 * Conventions: lines are 1-based (as in the Finding schema); every string that came from a model or from
 * reviewed code passes through {@link sanitizeMarkdown} or the markdown escapers before it is shown.
 */
import { describeReference, referenceUrl } from '../references';
import { severityRank, type Finding, type Severity } from '../types';
import { escapeInline, fencedBlock, formatLocation, inlineCode, languageTag } from './markdown';
import { sanitizeInline, sanitizeMarkdown } from '../../shared/markdownSafety';

const SEVERITY_ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

/** `Critical`, `High`, ... */
export function severityLabel(s: Severity): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** References as markdown: a link for CWE/OWASP ids with a known page, else escaped text. */
export function referencesMarkdown(refs: readonly string[]): string {
  return refs
    .map((r) => {
      const url = referenceUrl(r);
      const label = escapeInline(describeReference(r));
      return url && /^https:\/\//.test(url) ? `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})` : label;
    })
    .join(', ');
}

/**
 * One finding as chat markdown: a heading line with severity, title and location, the (sanitised) message,
 * the quoted code, the suggested fix and references. `personaName` maps persona ids to display names.
 */
export function findingMarkdown(f: Finding, personaName: (id: string) => string = (id) => id): string {
  const who = f.personaIds.map(personaName).join(' + ');
  const lines = [
    `### ${SEVERITY_ICON[f.severity]} ${severityLabel(f.severity)}: ${escapeInline(f.title)}`,
    `${inlineCode(formatLocation(f))} · ${escapeInline(who)} · ${inlineCode(f.ruleId ?? f.category)}`,
    '',
    sanitizeMarkdown(f.message.trim()),
    '',
    fencedBlock(f.quote, languageTag(f.file)),
  ];
  if (f.suggestion) {
    lines.push('', `**Suggested fix:** ${sanitizeInline(f.suggestion.description.trim())}`);
    if (f.suggestion.replacement !== undefined) lines.push('', fencedBlock(f.suggestion.replacement, languageTag(f.file)));
  }
  if (f.references.length > 0) lines.push('', `**References:** ${referencesMarkdown(f.references)}`);
  return lines.join('\n');
}

/** Findings counted by severity as `2 critical, 1 high` (only non-zero counts; `no findings` when empty). */
export function countLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const by: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) by[f.severity]++;
  const parts = (Object.keys(by) as Severity[]).filter((s) => by[s] > 0).map((s) => `${by[s]} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** Most severe first, then file and line. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine);
}

// ---------------------------------------------------------------------------------------------------------
// History: which finding a follow-up means

/**
 * The finding a follow-up question is about, from the findings of earlier turns (`findings`, oldest turn
 * first, each turn's findings in the order shown). Resolution, first match wins:
 * 1. an id the chat showed (`F2`, `#2`, `finding 2`) in the latest turn that has it;
 * 2. a `file:line` or `line N` that falls inside a finding's range;
 * 3. a category or rule id mentioned in the prompt (`the sql-injection`, `missing timeout`);
 * 4. "this", "it", "that", "the finding", "the last one" or an empty prompt: the last finding shown;
 * 5. otherwise the finding under the cursor (`cursor`, 1-based line) when given, else the last finding.
 * Undefined only when there are no findings at all.
 */
export function resolveFinding(prompt: string, findings: readonly Finding[], cursor?: { file: string; line: number }): Finding | undefined {
  if (findings.length === 0) return undefined;
  const p = prompt.trim().toLowerCase();
  const latestFirst = [...findings].reverse();
  const idMatch = /(?:\bf|#|finding\s+)(\d+)\b/i.exec(prompt);
  if (idMatch) {
    const id = `F${idMatch[1]}`;
    const hit = latestFirst.find((f) => f.id === id);
    if (hit) return hit;
  }
  const loc = /([\w./-]+\.[a-z0-9]+):(\d+)/i.exec(prompt);
  if (loc) {
    const line = Number(loc[2]);
    const hit = latestFirst.find((f) => (f.file === loc[1] || f.file.endsWith(`/${loc[1]}`)) && f.range.startLine <= line && line <= f.range.endLine);
    if (hit) return hit;
  }
  const lineOnly = /\bline\s+(\d+)\b/i.exec(prompt);
  if (lineOnly) {
    const line = Number(lineOnly[1]);
    const hit = latestFirst.find((f) => f.range.startLine <= line && line <= f.range.endLine);
    if (hit) return hit;
  }
  const words = p.replace(/[-_/]/g, ' ');
  const byTopic = latestFirst.find((f) => {
    const cat = f.category.replace(/-/g, ' ').toLowerCase();
    const rule = (f.ruleId ?? '').split('/').pop()?.replace(/-/g, ' ').toLowerCase() ?? '';
    return (cat.length > 2 && words.includes(cat)) || (rule.length > 2 && words.includes(rule));
  });
  if (byTopic) return byTopic;
  if (p === '' || /\b(this|it|that|the finding|the last one|the issue|last finding)\b/.test(p)) return latestFirst[0];
  if (cursor) {
    const hit = latestFirst.find((f) => f.file === cursor.file && f.range.startLine <= cursor.line && cursor.line <= f.range.endLine);
    if (hit) return hit;
  }
  return latestFirst[0];
}

/** What the help of the rule behind a finding says (core RuleDescriptor's title and description). */
export interface RuleHelp {
  title: string;
  description: string;
}

/**
 * The offline explanation of a finding: what was found and where, the finding's message, the rule's help
 * text (when the finding came from an offline rule), the fix and the references with links.
 */
export function explainFinding(f: Finding, help?: RuleHelp, personaName: (id: string) => string = (id) => id): string {
  const out = [
    `## ${escapeInline(f.title)}`,
    '',
    `${SEVERITY_ICON[f.severity]} **${severityLabel(f.severity)}** at ${inlineCode(formatLocation(f))}, reported by ${escapeInline(f.personaIds.map(personaName).join(' + '))}.`,
    '',
    fencedBlock(f.quote, languageTag(f.file)),
    '',
    '### What is wrong',
    '',
    sanitizeMarkdown(f.message.trim()),
  ];
  if (help) out.push('', `### About the rule ${inlineCode(f.ruleId ?? f.category)}: ${escapeInline(help.title)}`, '', sanitizeMarkdown(help.description.trim()));
  out.push('', '### What to do', '');
  if (f.suggestion) {
    out.push(sanitizeMarkdown(f.suggestion.description.trim()));
    if (f.suggestion.replacement !== undefined) out.push('', fencedBlock(f.suggestion.replacement, languageTag(f.file)));
  } else out.push('No automatic fix: change the quoted code as described above, then review again to confirm.');
  if (f.references.length > 0) out.push('', '### References', '', ...f.references.map((r) => `- ${referencesMarkdown([r])}`));
  return out.join('\n');
}
