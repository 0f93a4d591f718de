/**
 * The SARIF 2.1.0 report (OASIS Static Analysis Results Interchange Format, Version 2.1.0), shaped for
 * GitHub code scanning's SARIF upload as well.
 *
 * Mapping (section numbers are of the OASIS SARIF 2.1.0 specification):
 * - One `run` (§3.14) whose `tool.driver` (§3.19) lists one `reportingDescriptor` (§3.49) per rule id
 *   used by a finding: `Finding.ruleId` when a rule produced it (descriptor from `RenderOptions.rules`),
 *   else the finding's category (descriptor synthesised from the findings of that category).
 * - Each finding → one `result` (§3.27): `ruleId` + `ruleIndex`, `level` critical/high → `error`,
 *   medium → `warning`, low → `note` (§3.27.10), one physical location relative to `%SRCROOT%`
 *   (§3.4.4, §3.14.14) whose region (§3.30) carries the quoted code as `snippet`,
 *   `partialFingerprints["personaReview/v1"]` = `Finding.fingerprint` (§3.27.17), and `fixes` (§3.55)
 *   when the finding has a replacement.
 * - Suppressed findings (core/triage.ts) are results too, with `suppressions` (§3.35): `kind` `inSource`
 *   (an inline comment, whose place is the suppression's `location`) or `external` (an entry of the
 *   suppressions file), `status` `accepted` or, when the change under review added the suppression,
 *   `underReview` (§3.35.3: not yet settled, so code scanning keeps the alert open), and the reason as
 *   `justification`. A result with only accepted suppressions is suppressed (§3.27.23).
 * - With a baseline every result has `baselineState` (§3.27.24): `new` (reported findings), `unchanged`
 *   (baselined findings still present, also listed), `absent` (baselined findings gone: fixed).
 * - Columns are 1-based UTF-16 code units (`run.columnKind = "utf16CodeUnits"`, §3.14.28); `endColumn`
 *   is passed through as given, which SARIF reads as one past the region's last character (§3.30.6).
 *   A region without columns covers its lines whole, excluding the final line break (§3.30.2).
 * - GitHub code scanning properties on rules: `tags` (must include `security` for GitHub to treat the
 *   rule as a security rule), `precision`, and `security-severity` (a score string; GitHub reads
 *   ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low), per GitHub Docs "SARIF support for code
 *   scanning", reportingDescriptor object.
 */
import { missingParts } from '../completeness';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { severityRank, type AppliedSuppression, type BaselineEntry, type DroppedFinding, type Finding, type ReviewResult, type Severity } from '../types';
import { describeReference, parseReference, referenceUrl } from '../references';
import type { RenderOptions, RuleDescriptor } from './index';
import { TOOL_NAME, personaName } from './json';

/** `$schema` of the log: the SARIF 2.1.0 JSON schema as published on SchemaStore. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Default `tool.driver.informationUri`: the project's repository address from package.json
 * (`repository.url` without `.git`). Override with `RenderOptions.informationUri`.
 */
export const PERSONA_REVIEW_INFORMATION_URI = 'https://example.invalid/persona-review/persona-review';

/** Key of the finding fingerprint in `result.partialFingerprints` (versioned, per SARIF §3.27.17). */
export const FINGERPRINT_KEY = 'personaReview/v1';

/** SARIF `level` of a severity: critical/high → error, medium → warning, low → note. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub `security-severity` score for a severity: critical 9.0, high 7.5, medium 5.0, low 2.0. */
export function securitySeverityScore(s: Severity): string {
  return { critical: '9.0', high: '7.5', medium: '5.0', low: '2.0' }[s];
}

/** GitHub `precision` from a mean confidence in 0..1: ≥ 0.9 very-high, ≥ 0.75 high, ≥ 0.5 medium, else low. */
export function precisionOf(confidence: number): 'very-high' | 'high' | 'medium' | 'low' {
  return confidence >= 0.9 ? 'very-high' : confidence >= 0.75 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}

/** `security/sql-injection` → `SecuritySqlInjection` (SARIF `reportingDescriptor.name`, §3.49.7). */
export function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return name || 'Finding';
}

/** Markdown to readable plain text: links become `text (url)`, emphasis, code marks and fences go. */
export function plainText(md: string): string {
  return md
    .replace(/^ {0,3}(`{3,}|~{3,}).*$/gm, '')
    .replace(/!?\[([^\]]*)\]\(<?([^)>\s]+)>?\)/g, (_m, text: string, url: string) => (text && text !== url ? `${text} (${url})` : url))
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(\S(?:.*?\S)?)\*(?!\w)/g, '$1$2')
    .replace(/(`+)(.+?)\1/g, '$2')
    .replace(/^ {0,3}#{1,6}\s+/gm, '')
    .replace(/^ {0,3}>\s?/gm, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A workspace-relative path as a relative URI reference (RFC 3986): segments percent-encoded, `@` and sub-delims kept readable. */
export function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%(40|2B|24|26|2C|3B|3D)/g, (m) => decodeURIComponent(m)))
    .join('/');
}

/** The file URI of a directory, with the trailing slash SARIF §3.14.14 requires of a base URI. */
function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

interface RuleEntry {
  descriptor: RuleDescriptor;
  findings: Finding[];
}

function ruleIdOf(f: Finding): string {
  return f.ruleId || f.category || 'finding';
}

function mostSevere(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((s, f) => (severityRank(f.severity) > severityRank(s) ? f.severity : s), 'low');
}

function unique<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** A baseline entry whose finding is gone, as a finding for the `absent` result. */
function absentFinding(e: BaselineEntry, i: number): Finding {
  return {
    id: `A${i + 1}`,
    personaIds: e.personas.length ? [...e.personas] : ['baseline'],
    file: e.file,
    range: { startLine: e.line, endLine: e.line },
    quote: e.quote,
    severity: e.severity,
    category: e.category,
    ...(e.rule !== e.category ? { ruleId: e.rule } : {}),
    title: e.title || e.rule,
    message: 'Recorded in the baseline and no longer found: fixed.',
    references: [],
    confidence: 1,
    fingerprint: e.fingerprint,
  };
}

/** Every finding a SARIF log lists: reported, suppressed, baselined and (as findings) baseline entries now absent. */
function allFindings(result: ReviewResult): Finding[] {
  return [...result.findings, ...(result.suppressed ?? []), ...(result.baseline?.unchanged ?? []), ...(result.baseline?.absent ?? []).map(absentFinding)];
}

/** One entry per rule id in order of first use; descriptors from `opts.rules`, or synthesised. */
function collectRules(result: ReviewResult, opts: RenderOptions): RuleEntry[] {
  const known = new Map((opts.rules ?? []).map((r) => [r.id, r] as const));
  const groups = new Map<string, Finding[]>();
  for (const f of allFindings(result)) {
    const id = ruleIdOf(f);
    const group = groups.get(id);
    if (group) group.push(f);
    else groups.set(id, [f]);
  }
  return [...groups].map(([id, findings]): RuleEntry => {
    const findingRefs = findings.flatMap((f) => f.references);
    const findingPersonas = findings.flatMap((f) => f.personaIds);
    const d = known.get(id);
    if (d) {
      const descriptor = {
        ...d,
        references: unique([...d.references, ...findingRefs]),
        personas: unique([...d.personas, ...findingPersonas]),
      };
      return { descriptor, findings };
    }
    const first = findings[0] as Finding;
    const personas = unique(findingPersonas);
    const who = personas.map((p) => personaName(result, p)).join(', ');
    const descriptor: RuleDescriptor = {
      id,
      title: first.title || id,
      description:
        `Findings of the category "${id}" reported by ${who}. This rule is not predefined: it groups what ` +
        `the reviewers reported in this category, and each result's message gives the specifics.`,
      severity: mostSevere(findings),
      references: unique(findingRefs),
      personas,
    };
    return { descriptor, findings };
  });
}

/** A rule is a security rule when a security persona owns it, or it cites OWASP, or its id is under `security/`. */
function isSecurityRule(result: ReviewResult, d: RuleDescriptor): boolean {
  const securityPersonas = new Set(result.personas.filter((p) => p.category === 'security').map((p) => p.id));
  securityPersonas.add('security');
  return (
    d.personas.some((p) => securityPersonas.has(p)) ||
    d.id.startsWith('security/') ||
    d.references.some((r) => parseReference(r)?.kind === 'owasp')
  );
}

function reportingDescriptor(result: ReviewResult, entry: RuleEntry): Sarif.ReportingDescriptor {
  const d = entry.descriptor;
  const links = d.references.map((r) => ({ ref: r, label: describeReference(r), url: referenceUrl(r) }));
  const personaNames = d.personas.map((p) => personaName(result, p));
  const description = d.description.trim() || d.title;

  const textParts = [plainText(description)];
  if (links.length) textParts.push(`References:\n${links.map((l) => `- ${l.label}${l.url && l.url !== l.label ? `: ${l.url}` : ''}`).join('\n')}`);
  if (personaNames.length) textParts.push(`Reported by: ${personaNames.join(', ')}.`);

  const mdParts = [description];
  if (links.length) mdParts.push(`**References**\n\n${links.map((l) => (l.url ? `- [${l.label}](${l.url})` : `- ${l.label}`)).join('\n')}`);
  if (personaNames.length) mdParts.push(`Reported by: ${personaNames.join(', ')}.`);

  const security = isSecurityRule(result, d);
  const meanConfidence = entry.findings.reduce((sum, f) => sum + f.confidence, 0) / entry.findings.length;
  const properties: Sarif.PropertyBag = {
    tags: unique([...(security ? ['security'] : []), ...d.personas, ...d.references]),
    precision: precisionOf(meanConfidence),
    ...(security ? { 'security-severity': securitySeverityScore(d.severity) } : {}),
  };
  const helpUri = links.find((l) => l.url)?.url;
  return {
    id: d.id,
    name: pascalCase(d.id),
    shortDescription: { text: d.title },
    fullDescription: { text: plainText(description) || d.title },
    help: { text: textParts.join('\n\n'), markdown: mdParts.join('\n\n') },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(d.severity) },
    properties,
  };
}

function regionOf(f: Finding): Sarif.Region {
  return {
    startLine: f.range.startLine,
    endLine: f.range.endLine,
    ...(f.range.startColumn !== undefined ? { startColumn: f.range.startColumn } : {}),
    ...(f.range.endColumn !== undefined ? { endColumn: f.range.endColumn } : {}),
  };
}

function resultOf(f: Finding, ruleIndex: number): Sarif.Result {
  const artifactLocation: Sarif.ArtifactLocation = { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' };
  const title = f.title.trim() || f.category;
  const body = plainText(f.message);
  const text = body ? `${title}${/[.!?:]$/.test(title) ? '' : '.'} ${body}` : title;
  const res: Sarif.Result = {
    ruleId: ruleIdOf(f),
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text, ...(f.message.trim() ? { markdown: `**${title}**\n\n${f.message.trim()}` } : {}) },
    locations: [{ physicalLocation: { artifactLocation, region: { ...regionOf(f), snippet: { text: f.quote } } } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      findingId: f.id,
      personas: [...f.personaIds],
      severity: f.severity,
      confidence: f.confidence,
      category: f.category,
      ...(f.severityByPersona ? { severityByPersona: { ...f.severityByPersona } } : {}),
    },
  };
  if (f.suggestion?.replacement !== undefined) {
    res.fixes = [
      {
        description: { text: f.suggestion.description.trim() || `Replace with the suggested code.` },
        artifactChanges: [
          {
            artifactLocation,
            replacements: [{ deletedRegion: regionOf(f), insertedContent: { text: f.suggestion.replacement } }],
          },
        ],
      },
    ];
  }
  return res;
}

/** The SARIF `suppression` object (§3.35) of an applied suppression. */
function suppressionOf(s: AppliedSuppression): Sarif.Suppression {
  const region: Sarif.Region = {
    startLine: s.location.line,
    ...(s.location.startColumn !== undefined ? { startColumn: s.location.startColumn } : {}),
    ...(s.location.endColumn !== undefined ? { endColumn: s.location.endColumn } : {}),
  };
  return {
    kind: s.kind,
    status: s.status,
    justification: s.justification,
    location: { physicalLocation: { artifactLocation: { uri: relativeUri(s.location.file), uriBaseId: '%SRCROOT%' }, region } },
    properties: {
      rules: [...s.rules],
      addedByChange: s.addedByChange,
      ...(s.author ? { author: s.author } : {}),
      ...(s.date ? { date: s.date } : {}),
      ...(s.expires ? { expires: s.expires } : {}),
    },
  };
}

function notifications(result: ReviewResult): Sarif.Notification[] {
  const out: Sarif.Notification[] = [];
  for (const { personaId, error, partial } of result.errors) {
    const who = personaName(result, personaId);
    const tail = partial ? ' Output had started; what arrived is included, but this persona\'s review is incomplete.' : ' No output arrived from this persona.';
    out.push({
      level: 'error',
      message: { text: `${who} (${error.kind}${error.status !== undefined ? `, HTTP ${error.status}` : ''}): ${error.message}${tail}` },
      properties: { personaId, kind: error.kind, retryable: error.retryable, partial, ...(error.status !== undefined ? { status: error.status } : {}) },
    });
  }
  for (const n of result.notices) out.push({ level: 'note', message: { text: n } });
  if (result.dropped.length) {
    const byReason: Partial<Record<DroppedFinding['reason'], number>> = {};
    for (const d of result.dropped) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
    const reasons = Object.entries(byReason).map(([r, n]) => `${n} ${r}`).join(', ');
    out.push({
      level: 'warning',
      message: { text: `${result.dropped.length} proposed finding(s) were dropped and are not reported as results: ${reasons}.` },
      properties: { dropped: byReason },
    });
  }
  return out;
}

/**
 * Builds the SARIF 2.1.0 log object (see the module comment for the mapping). Rules are listed in order
 * of first use by `result.findings`; `ruleIndex` points into that list. `invocations[0].executionSuccessful`
 * is false when the review is incomplete (`../completeness`: an error, a cancellation, a cut stream or a reply
 * stopped at the output limit); `run.properties.complete` and `missing` say the same for scripts. Never throws.
 */
export function toSarifLog(result: ReviewResult, opts: RenderOptions): Sarif.Log {
  const entries = collectRules(result, opts);
  const rules = entries.map((e) => reportingDescriptor(result, e));
  const indexOf = new Map(rules.map((r, i) => [r.id, i] as const));
  const index = (f: Finding) => indexOf.get(ruleIdOf(f)) ?? -1;
  const withBaseline = result.baseline !== undefined;
  const results = result.findings.map((f) => ({ ...resultOf(f, index(f)), ...(withBaseline ? { baselineState: 'new' as const } : {}) }));
  for (const f of result.suppressed ?? []) {
    results.push({ ...resultOf(f, index(f)), suppressions: [suppressionOf(f.suppression)], ...(withBaseline ? { baselineState: f.baselineState ?? 'new' } : {}) });
  }
  for (const f of result.baseline?.unchanged ?? []) results.push({ ...resultOf(f, index(f)), baselineState: 'unchanged' });
  (result.baseline?.absent ?? []).forEach((e, i) => {
    const f = absentFinding(e, i);
    results.push({ ...resultOf(f, index(f)), baselineState: 'absent' });
  });
  const notes = notifications(result);
  const missing = missingParts(result);
  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(opts.toolVersion);

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: opts.toolVersion,
        ...(semver ? { semanticVersion: opts.toolVersion } : {}),
        informationUri: opts.informationUri ?? PERSONA_REVIEW_INFORMATION_URI,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: missing.length === 0,
        ...(notes.length ? { toolExecutionNotifications: notes } : {}),
      },
    ],
    ...(opts.root ? { originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(opts.root) } } } : {}),
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      provider: result.provider,
      ...(result.model ? { model: result.model } : {}),
      personas: result.personas.map((p) => ({ id: p.id, name: p.name })),
      filesReviewed: result.filesReviewed,
      durationMs: result.durationMs,
      complete: missing.length === 0,
      missing,
      suppressed: result.suppressed?.length ?? 0,
      ...(result.baseline
        ? { baseline: { file: result.baseline.file, new: result.baseline.newCount, unchanged: result.baseline.unchanged.length, absent: result.baseline.absent.length, notRechecked: result.baseline.notRechecked } }
        : {}),
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** The SARIF log as text: {@link toSarifLog}, two-space indented, with a trailing newline. */
export function renderSarif(result: ReviewResult, opts: RenderOptions): string {
  return `${JSON.stringify(toSarifLog(result, opts), null, 2)}\n`;
}
