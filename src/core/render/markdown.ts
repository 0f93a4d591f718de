/**
 * The markdown report: what a person reads in a terminal (`persona-review review --format md`) or in a
 * pull-request comment. Plain CommonMark/GFM with no HTML and no collapsed sections, so it reads the
 * same raw and rendered.
 *
 * Layout: title; one summary line; the team (per persona: findings by severity and one line of its
 * assessment; token usage with prompt-cache writes and reads); notices (cut content, redactions, dropped
 * findings, persona errors); findings grouped by severity (most severe first) then by file, each naming
 * the personas that agree ("Security Engineer + Concurrency Expert") and any severity disagreement; the
 * suppressed findings with their reasons (those the change under review added first) and the baseline
 * comparison, when there are any; each persona's own review text.
 */
import { SEVERITIES, type DroppedFinding, type Finding, type ReviewResult, type Severity, type SuppressedFinding } from '../types';
import { describeReference, referenceUrl } from '../references';
import { codeSpan, longestRun, sanitizeMarkdown } from '../../shared/markdownSafety';
import { missingParts } from '../completeness';
import type { RenderOptions } from './index';
import { TOOL_NAME, countBySeverity, personaName } from './json';
import { formatUsageLine, teamSummary } from './team';

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

const DROP_REASON_LABEL: Record<DroppedFinding['reason'], string> = {
  'quote-not-found': 'quote not found in the file',
  'unknown-file': 'file not among the reviewed files',
  invalid: 'not a valid finding',
  'outside-changes': 'outside the changed or selected lines',
};

/** How many dropped findings are listed one by one before the rest are summarised. */
const MAX_DROPPED_LISTED = 20;

/** File extension (lower case, no dot) or special base name → info-string language tag (GitHub Linguist names). */
const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'jsx',
  py: 'python', pyi: 'python', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala',
  rs: 'rust', rb: 'ruby', php: 'php', cs: 'csharp', fs: 'fsharp', swift: 'swift',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', m: 'objectivec',
  sh: 'bash', bash: 'bash', zsh: 'bash', ps1: 'powershell',
  json: 'json', jsonc: 'jsonc', yml: 'yaml', yaml: 'yaml', toml: 'toml', xml: 'xml', ini: 'ini',
  html: 'html', htm: 'html', css: 'css', scss: 'scss', less: 'less', vue: 'vue', svelte: 'svelte',
  md: 'markdown', sql: 'sql', graphql: 'graphql', gql: 'graphql', proto: 'protobuf', tf: 'hcl', hcl: 'hcl',
  lua: 'lua', r: 'r', dart: 'dart', ex: 'elixir', exs: 'elixir', erl: 'erlang', clj: 'clojure', hs: 'haskell',
  dockerfile: 'dockerfile', makefile: 'makefile',
};

/**
 * The info-string language tag for a fenced block of code from `file` (`src/a.ts` → `typescript`);
 * the bare extension when it is not in the table, `text` when there is none.
 */
export function languageTag(file: string): string {
  const base = file.split('/').pop() ?? file;
  const lower = base.toLowerCase();
  if (LANGUAGE_BY_EXTENSION[lower]) return LANGUAGE_BY_EXTENSION[lower];
  const dot = lower.lastIndexOf('.');
  const ext = dot > 0 ? lower.slice(dot + 1) : '';
  if (ext && LANGUAGE_BY_EXTENSION[ext]) return LANGUAGE_BY_EXTENSION[ext];
  return /^[a-z0-9+-]{1,15}$/.test(ext) ? ext : 'text';
}

/**
 * A fenced code block whose backtick fence is longer than any backtick run inside `code` (CommonMark
 * 0.31, "Fenced code blocks": the closing fence must be at least as long as the opening one), so quoted
 * code containing ``` can never close the block early.
 */
export function fencedBlock(code: string, lang: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  const body = code.endsWith('\n') ? code : `${code}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

/** An inline code span that survives backticks inside `text` (CommonMark "Code spans"). */
export function inlineCode(text: string): string {
  return codeSpan(text.replace(/\r?\n/g, ' '));
}

/**
 * Escapes text taken from model output (titles, persona names, details) so it renders literally inside a
 * line: newlines become spaces; markdown punctuation that could start emphasis, links, code, HTML, tables
 * or strike-through is backslash-escaped (CommonMark "Backslash escapes"). For text that starts a line or
 * a list item use {@link escapeLineStart}.
 */
export function escapeInline(text: string): string {
  return text
    .replace(/\r?\n+/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '&amp;');
}

/**
 * {@link escapeInline}, and also escapes a leading block marker (`#`, `+`, `-`, `=`, `1.`, `1)`) that
 * would turn the start of a line or list item into a heading or a list.
 */
export function escapeLineStart(text: string): string {
  return escapeInline(text).replace(/^(\s*)([#+\-=]|\d+[.)])/, (_m, ws: string, mark: string) =>
    mark.length > 1 ? `${ws}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${ws}\\${mark}`,
  );
}

/** `file:line` or `file:start-end`, 1-based lines. */
export function formatLocation(f: Pick<Finding, 'file' | 'range'>): string {
  const { startLine, endLine } = f.range;
  return endLine > startLine ? `${f.file}:${startLine}-${endLine}` : `${f.file}:${startLine}`;
}

/** Milliseconds as `850 ms`, `12.3 s` or `2 min 5 s`. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms - min * 60_000) / 1000)} s`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A markdown link URL with the characters that would end or break `[text](url)` percent-encoded. */
function linkTarget(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A reference as a link when its page is known, else as escaped text. */
function referenceMarkdown(ref: string): string {
  const url = referenceUrl(ref);
  const label = escapeInline(describeReference(ref));
  return url ? `[${label}](${linkTarget(url)})` : label;
}

/**
 * Prepares markdown from a model (a review text, a finding message) for embedding in the report, through
 * the one sanitiser (`../markdownSafety`): no images (their alt text instead), no HTML, only http(s) links;
 * headings shifted so the shallowest becomes level `top` (at most 6; `top` undefined leaves them), and a
 * fenced block left open (a reply cut mid-stream) is closed, so it cannot swallow the rest of the report.
 */
export function embedMarkdown(md: string, top?: number): string {
  return sanitizeMarkdown(md, top === undefined ? {} : { headingTop: top });
}

function summaryLine(result: ReviewResult): string {
  const counts = countBySeverity(result.findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const head = `**${plural(result.findings.length, 'finding')}**${parts.length ? `: ${parts.join(', ')}` : ''}`;
  const personas = result.personas.map((p) => escapeInline(p.name)).join(', ') || 'none';
  const provider = result.model ? `${escapeInline(result.provider)} (${escapeInline(result.model)})` : escapeInline(result.provider);
  return [
    head,
    `personas: ${personas}`,
    `provider: ${provider}`,
    `${plural(result.filesReviewed, 'file')} reviewed`,
    formatDuration(result.durationMs),
  ].join(' · ');
}

/** The "Team" section: a line per persona and the token totals; empty when no persona took part. */
function teamSection(result: ReviewResult): string[] {
  const team = teamSummary(result);
  if (team.personas.length === 0) return [];
  const lines = team.personas.map((p) => {
    const counts = SEVERITIES.filter((s) => p.bySeverity[s] > 0).map((s) => `${p.bySeverity[s]} ${s}`);
    const found = counts.length ? counts.join(', ') : 'no findings';
    const said = p.assessment ? `: ${escapeInline(p.assessment)}` : '';
    const failed = p.failed ? ' (did not finish; see the notices)' : '';
    const usage = p.usage ? ` · ${formatUsageLine(p.usage)}` : '';
    return `- **${escapeInline(p.name)}**: ${found}${failed}${said}${usage}`;
  });
  const out = ['## Team', lines.join('\n')];
  if (Object.keys(result.usage).length) {
    const u = team.usage;
    const cache = !u.noCacheFigures
      ? ` Prompt cache: ${(u.cacheCreationInputTokens ?? 0).toLocaleString('en-US')} tokens written, ${(u.cacheReadInputTokens ?? 0).toLocaleString('en-US')} read.`
      : ' The server reported no prompt-cache figures.';
    out.push(`**Tokens:** ${formatUsageLine(u)}.${cache}`);
  }
  return out;
}

function droppedNotices(result: ReviewResult): string[] {
  const dropped = result.dropped;
  if (dropped.length === 0) return [];
  const byReason = new Map<DroppedFinding['reason'], number>();
  for (const d of dropped) byReason.set(d.reason, (byReason.get(d.reason) ?? 0) + 1);
  const reasons = [...byReason].map(([r, n]) => `${n} ${DROP_REASON_LABEL[r]}`).join(', ');
  const lines = [`- ${plural(dropped.length, 'proposed finding was', 'proposed findings were')} dropped: ${reasons}.`];
  for (const d of dropped.slice(0, MAX_DROPPED_LISTED)) {
    const where = d.draft?.file ? ` (${inlineCode(d.draft.line ? `${d.draft.file}:${d.draft.line}` : d.draft.file)})` : '';
    const title = d.draft?.title ? ` "${escapeInline(d.draft.title)}"` : '';
    lines.push(`  - ${escapeLineStart(personaName(result, d.personaId))}${title}${where}: ${escapeInline(d.detail)}`);
  }
  if (dropped.length > MAX_DROPPED_LISTED) lines.push(`  - … and ${dropped.length - MAX_DROPPED_LISTED} more.`);
  return lines;
}

function errorNotices(result: ReviewResult): string[] {
  return result.errors.map(({ personaId, error, partial }) => {
    const who = escapeInline(personaName(result, personaId));
    const status = error.status !== undefined ? `, HTTP ${error.status}` : '';
    const kept = result.findings.filter((f) => f.personaIds.includes(personaId)).length;
    const hasText = (result.reviews[personaId] ?? '').trim().length > 0;
    const arrived = partial
      ? ` The review stopped after output had started, so it is incomplete; what arrived is kept: ${plural(kept, 'finding')}${hasText ? ' and the review text below' : ''}.`
      : ' Nothing arrived from this persona.';
    const retry = error.retryable ? ' Running the review again may succeed.' : '';
    return `- **Error** from ${who} (${error.kind}${status}): ${escapeInline(error.message)}${arrived}${retry}`;
  });
}

function findingMarkdown(result: ReviewResult, f: Finding): string {
  const out: string[] = [];
  out.push(`##### ${escapeInline(f.id)}. ${escapeInline(f.title)}`);
  const personas = f.personaIds.map((id) => escapeInline(personaName(result, id))).join(' + ');
  const meta = [inlineCode(formatLocation(f)), personas, inlineCode(f.category), `confidence ${Math.round(f.confidence * 100)}%`];
  if (f.ruleId) meta.push(`rule ${inlineCode(f.ruleId)}`);
  out.push(meta.join(' · '));
  const sbp = f.severityByPersona;
  if (sbp && new Set(Object.values(sbp)).size > 1) {
    const views = Object.entries(sbp).map(([id, s]) => `${escapeInline(personaName(result, id))} says **${s}**`);
    out.push(`Severity disagreement: ${views.join(', ')}; reported as **${f.severity}**.`);
  }
  if (f.message.trim()) out.push(embedMarkdown(f.message.trim(), 6));
  const lang = languageTag(f.file);
  out.push(fencedBlock(f.quote, lang));
  if (f.suggestion) {
    const desc = f.suggestion.description.trim();
    if (f.suggestion.replacement !== undefined) {
      out.push(desc ? `**Suggestion:** ${embedMarkdown(desc)}` : '**Suggested replacement:**');
      out.push(fencedBlock(f.suggestion.replacement, lang));
    } else if (desc) {
      out.push(`**Suggestion:** ${embedMarkdown(desc)}`);
    }
  }
  if (f.references.length) out.push(`**References:** ${f.references.map(referenceMarkdown).join(' · ')}`);
  return out.join('\n\n');
}

/** The "Suppressed" section: one line per suppressed finding with its reason; those the change added first. */
function suppressedSection(result: ReviewResult): string[] {
  const list = result.suppressed ?? [];
  if (!list.length) return [];
  const added = list.filter((s) => s.suppression.addedByChange);
  const line = (s: SuppressedFinding) => {
    const sup = s.suppression;
    const how = sup.kind === 'inSource' ? `inline comment at ${inlineCode(`${sup.location.file}:${sup.location.line}`)}` : `${inlineCode(`${sup.location.file}:${sup.location.line}`)}${sup.author ? ` by ${escapeInline(sup.author)}` : ''}${sup.date ? ` on ${escapeInline(sup.date)}` : ''}${sup.expires ? `, expires ${escapeInline(sup.expires)}` : ''}`;
    return `- ${escapeInline(s.id)}. **${escapeInline(s.title)}** (${s.severity}, ${inlineCode(s.ruleId ?? s.category)}) at ${inlineCode(formatLocation(s))}: "${escapeInline(sup.justification)}" (${how})`;
  };
  const out = [`## Suppressed (${list.length})`];
  if (added.length) {
    out.push(`**Added by this change (${added.length}), for the reviewer to accept or refuse:**`);
    out.push(added.map(line).join('\n'));
  }
  const rest = list.filter((s) => !s.suppression.addedByChange);
  if (rest.length) {
    if (added.length) out.push('**Accepted earlier:**');
    out.push(rest.map(line).join('\n'));
  }
  return out;
}

/** The "Baseline" section: counts, and the fixed findings by location. */
function baselineSection(result: ReviewResult): string[] {
  const b = result.baseline;
  if (!b) return [];
  const out = ['## Baseline', `Compared with ${inlineCode(b.file)}: ${plural(b.newCount, 'new finding')} (listed above), ${b.unchanged.length} baselined still present (not listed), ${b.absent.length} fixed since the baseline${b.notRechecked ? `, ${b.notRechecked} not re-checked by this review` : ''}.`];
  if (b.absent.length) {
    const shown = b.absent.slice(0, MAX_DROPPED_LISTED).map((e) => `- Fixed: ${escapeInline(e.title || e.rule)} (${e.severity}, ${inlineCode(e.rule)}) at ${inlineCode(`${e.file}:${e.line}`)}`);
    if (b.absent.length > MAX_DROPPED_LISTED) shown.push(`- … and ${b.absent.length - MAX_DROPPED_LISTED} more.`);
    out.push(shown.join('\n'));
  }
  return out;
}

/**
 * Renders the markdown report (see the module comment for layout). Findings are listed in the order
 * severity → file (first appearance) → start line. Persona review texts follow under one `###` heading
 * per persona, their own headings nested below it. A result without findings says "No findings."
 * Output ends with a newline. Never throws.
 */
export function renderMarkdown(result: ReviewResult, opts: RenderOptions): string {
  const out: string[] = [];
  out.push(`# ${TOOL_NAME} report`);
  out.push(summaryLine(result));
  const missing = missingParts(result);
  if (missing.length) {
    const parts = missing.map((m) => `${escapeInline(personaName(result, m.personaId))} (${m.reason})`).join(', ');
    out.push(`> **Incomplete review.** Missing: ${parts}. What arrived is below; run the review again for the rest.`);
  }
  out.push(...teamSection(result));

  const notices = [...result.notices.map((n) => `- ${escapeLineStart(n)}`), ...droppedNotices(result), ...errorNotices(result)];
  if (notices.length) {
    out.push('## Notices');
    out.push(notices.join('\n'));
  }

  out.push('## Findings');
  if (result.findings.length === 0) {
    out.push(missing.length ? 'No findings. Some personas did not finish; see the notices above.' : 'No findings.');
  }
  for (const severity of SEVERITIES) {
    const ofSeverity = result.findings.filter((f) => f.severity === severity);
    if (ofSeverity.length === 0) continue;
    out.push(`### ${SEVERITY_LABEL[severity]} (${ofSeverity.length})`);
    const files = [...new Set(ofSeverity.map((f) => f.file))];
    for (const file of files) {
      out.push(`#### ${inlineCode(file)}`);
      const inFile = ofSeverity.filter((f) => f.file === file).sort((a, b) => a.range.startLine - b.range.startLine || a.range.endLine - b.range.endLine);
      for (const f of inFile) out.push(findingMarkdown(result, f));
    }
  }

  out.push(...suppressedSection(result), ...baselineSection(result));

  const reviewIds = Object.keys(result.reviews).filter((id) => (result.reviews[id] ?? '').trim());
  const order = new Map(result.personas.map((p, i) => [p.id, i] as const));
  reviewIds.sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || (a < b ? -1 : a > b ? 1 : 0));
  if (reviewIds.length) {
    out.push('## Reviews');
    for (const id of reviewIds) {
      out.push(`### ${escapeInline(personaName(result, id))}`);
      out.push(embedMarkdown((result.reviews[id] ?? '').trim(), 4));
    }
  }

  out.push(`---\n_${TOOL_NAME} ${escapeInline(opts.toolVersion)}_`);
  return `${out.join('\n\n')}\n`;
}
