/**
 * Triage of a review's findings against what the team already decided: inline suppressions
 * (./suppressions/inline.ts), the suppressions file (./suppressions/file.ts) and a baseline
 * (./baseline.ts). The engine (./engine.ts) asks {@link Triage.classify} about every anchored finding of
 * every provider: a suppressed or baselined finding is not reported (not streamed, not counted by
 * `--fail-on`) but kept in the result for SARIF and JSON. The offline provider asks
 * {@link Triage.isAccounted} before its per-rule limits, so accepted findings do not crowd out new ones.
 *
 * Security: files of the reviewed repository never weaken the review of a change to themselves. In a git
 * review (`--diff`, `--staged`), a suppression that the change itself adds (an inline comment on a changed
 * line, or a suppressions-file entry the base version lacks) still silences its finding for `--fail-on`
 * (accepting a finding with a written reason is the author's call, which the humans approving the change
 * then see), but it is never silent: the report's notices name it with its reason, markdown lists it under
 * "added by this change", and SARIF marks it `status: "underReview"` rather than `accepted`, which
 * GitHub code scanning shows as an open alert on the pull request. `ignoreAddedSuppressions` makes such
 * suppressions count for nothing at all. Baseline entries the change adds are ignored outright: a
 * finding the change introduces cannot have existed when the baseline was taken.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchorQuote } from './anchor';
import type { Baseline } from './baseline';
import { git } from './git';
import { fingerprint } from './merge';
import { ALL_RULES } from './offline/rules';
import { directiveCovers, parseInlineDirectives, type InlineDirective } from './suppressions/inline';
import { formatSuppressionsError, isExpired, parseSuppressionsFile, readSuppressionsFile, type SuppressionEntry } from './suppressions/file';
import { readAtRef, suppressionsPath } from './teamFiles';
import type { RuleDescriptor } from './render';
import type {
  AppliedSuppression,
  BaselineComparison,
  DraftTriage,
  Finding,
  FindingDraft,
  LineRange,
  ReviewContext,
  ReviewTarget,
  SourceFile,
  SuppressedFinding,
} from './types';

/** Rule id of the findings about malformed suppressions (Low). */
export const INVALID_SUPPRESSION_RULE = 'persona-review/invalid-suppression';
/** Category of those findings. */
export const INVALID_SUPPRESSION_CATEGORY = 'invalid-suppression';

/** The rule descriptor of {@link INVALID_SUPPRESSION_RULE}, for SARIF `tool.driver.rules` and the docs. */
export const INVALID_SUPPRESSION_DESCRIPTOR: RuleDescriptor = {
  id: INVALID_SUPPRESSION_RULE,
  title: 'Inline suppression without a reason or naming an unknown rule',
  description:
    'A `persona-review-ignore` comment must name the rule ids or categories it accepts and give the reason after ` -- `, so that every accepted finding is explained. A suppression without a reason (or without names) has no effect; a name that is no known rule or category accepts nothing.',
  severity: 'low',
  references: [],
  personas: [],
};

/** Options of {@link prepareTriage}. */
export interface TriageOptions {
  /** Inline `persona-review-ignore` comments are honoured (default true). */
  inline?: boolean;
  /** The suppressions file (absolute path); default `<root>/.persona-review/suppressions.yaml`; false: none. */
  suppressionsFile?: string | false;
  /** Compare with this baseline (`file` is named in messages; absolute or root-relative). */
  baseline?: { file: string; baseline: Baseline };
  /** What was reviewed: for git targets, suppressions and baseline entries the change added are told apart. */
  target?: ReviewTarget;
  /** Suppressions the change under review added do not silence anything (default false: they do, visibly). */
  ignoreAddedSuppressions?: boolean;
  /** Clock for expiry; default now. */
  now?: Date;
}

/** What {@link Triage.classify} says about one finding. */
export interface Classification {
  suppression?: AppliedSuppression;
  baselined: boolean;
}

/** The triage's contribution to a finished review. */
export interface TriageOutcome {
  /** Findings about malformed inline suppressions (Low), already restricted to the reviewed lines. */
  invalid: Finding[];
  suppressed: SuppressedFinding[];
  baseline?: BaselineComparison;
  notices: string[];
}

/** Rule id → category, and every known name (rule ids and categories, lower case). */
const RULE_CATEGORY = new Map(ALL_RULES.map((r) => [r.id.toLowerCase(), r.category] as const));
const KNOWN_NAMES = new Set<string>([...RULE_CATEGORY.keys(), ...ALL_RULES.map((r) => r.category), INVALID_SUPPRESSION_RULE, INVALID_SUPPRESSION_CATEGORY]);

/** True when a suppression name (rule id or category, any case) applies to a finding. */
export function nameMatches(name: string, f: Pick<Finding, 'ruleId' | 'category'>): boolean {
  const n = name.toLowerCase();
  return n === f.ruleId?.toLowerCase() || n === f.category || RULE_CATEGORY.get(n) === f.category;
}

function inRanges(line: number, ranges: readonly LineRange[] | undefined): boolean {
  return !!ranges && ranges.some((r) => line >= r.startLine && line <= r.endLine);
}

/** The base a git review compares with (`HEAD`, or the merge-base with `base`), and where the current team files are read (`:` = the index). */
async function changeRefs(root: string, target: ReviewTarget | undefined): Promise<{ base?: string; current: 'disk' | ':' } | undefined> {
  if (!target || target.kind !== 'git') return undefined;
  const current = target.mode === 'staged' ? ':' : 'disk';
  try {
    if (target.mode === 'base' && target.base) {
      const mb = await git(root, ['merge-base', target.base, 'HEAD']);
      return { base: mb.code === 0 ? mb.stdout.trim() : undefined, current };
    }
    const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return { base: head.code === 0 ? head.stdout.trim() : undefined, current };
  } catch {
    return { current };
  }
}

/** `p` relative to `root` with forward slashes, or undefined when it is outside `root`. */
function inside(root: string, p: string): string | undefined {
  const rel = path.relative(root, path.resolve(root, p));
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/**
 * Loads what the triage needs for `context`: inline directives are parsed lazily per file; the
 * suppressions file is read (its errors become notices naming line and field; valid entries are used);
 * for git targets the base versions of the suppressions file and the baseline are read to tell what the
 * change added. Never throws: problems become notices.
 */
export async function prepareTriage(context: ReviewContext, options: TriageOptions = {}): Promise<Triage> {
  const root = context.root;
  const notices: string[] = [];
  const refs = await changeRefs(root, options.target);
  const entries = new Map<string, SuppressionEntry & { line: number }>();
  let suppressionsRel: string | undefined;
  let addedEntries = new Set<string>();
  if (options.suppressionsFile !== false) {
    const file = options.suppressionsFile ?? suppressionsPath(root);
    suppressionsRel = inside(root, file) ?? file;
    const rel = inside(root, file);
    const staged = refs?.current === ':' && rel ? await readAtRef(root, ':', rel) : undefined;
    const parsed = staged !== undefined ? parseSuppressionsFile(staged, suppressionsRel) : readSuppressionsFile(file);
    for (const e of parsed.errors) notices.push(`Suppressions file error (the valid entries still apply): ${formatSuppressionsError({ ...e, file: suppressionsRel })}`);
    for (const e of parsed.entries) entries.set(e.fingerprint, e);
    if (refs && rel && entries.size) {
      const before = refs.base ? await readAtRef(root, refs.base, rel) : undefined;
      const old = new Set(before ? parseSuppressionsFile(before, rel).entries.map((e) => e.fingerprint) : []);
      addedEntries = new Set([...entries.keys()].filter((fp) => !old.has(fp)));
    }
  }
  let baselineSet: Set<string> | undefined;
  let ignoredBaseline = new Set<string>();
  if (options.baseline) {
    baselineSet = new Set(options.baseline.baseline.findings.map((f) => f.fingerprint));
    const rel = inside(root, options.baseline.file);
    if (refs && rel) {
      const before = refs.base ? await readAtRef(root, refs.base, rel) : undefined;
      let old = new Set<string>();
      if (before) {
        try {
          old = new Set((JSON.parse(before) as { findings?: Array<{ fingerprint?: string }> }).findings?.map((f) => String(f.fingerprint)) ?? []);
        } catch {
          /* an unreadable old version: every entry counts as added */
        }
      }
      ignoredBaseline = new Set([...baselineSet].filter((fp) => !old.has(fp)));
      for (const fp of ignoredBaseline) baselineSet.delete(fp);
    }
  }
  return new Triage(context, options, notices, entries, addedEntries, suppressionsRel, baselineSet, ignoredBaseline);
}

/** See the module comment; build with {@link prepareTriage}. */
export class Triage implements DraftTriage {
  private readonly files: Map<string, SourceFile>;
  private readonly directives = new Map<string, InlineDirective[]>();
  private readonly now: Date;
  private readonly expired = new Map<string, SuppressionEntry & { line: number }>();
  private readonly gitReview: boolean;

  /** @internal use {@link prepareTriage}. */
  constructor(
    private readonly context: ReviewContext,
    private readonly options: TriageOptions,
    private readonly notices: string[],
    private readonly entries: Map<string, SuppressionEntry & { line: number }>,
    private readonly addedEntries: Set<string>,
    private readonly suppressionsRel: string | undefined,
    private readonly baselineSet: Set<string> | undefined,
    private readonly ignoredBaseline: Set<string>,
  ) {
    this.files = new Map(context.files.map((f) => [f.path, f]));
    this.now = options.now ?? new Date();
    this.gitReview = options.target?.kind === 'git';
  }

  /** True when the review is compared with a baseline. */
  get hasBaseline(): boolean {
    return this.baselineSet !== undefined;
  }

  /** The inline directives of a reviewed file (parsed once). */
  directivesOf(file: string): InlineDirective[] {
    let d = this.directives.get(file);
    if (!d) {
      const f = this.files.get(file);
      d = f && this.options.inline !== false ? parseInlineDirectives(f.text, f.language) : [];
      this.directives.set(file, d);
    }
    return d;
  }

  /** The suppression that applies to `f`, if any (inline first, then the file), before `ignoreAddedSuppressions`. */
  private suppressionOf(f: Pick<Finding, 'file' | 'ruleId' | 'category' | 'fingerprint' | 'range'>): AppliedSuppression | undefined {
    const source = this.files.get(f.file);
    for (const d of this.directivesOf(f.file)) {
      if (!d.reason || !directiveCovers(d, f.range.startLine)) continue;
      if (d.kind === 'line' ? !d.names.some((n) => nameMatches(n, f)) : d.names.length > 0 && !d.names.some((n) => nameMatches(n, f))) continue;
      const added = this.gitReview && inRanges(d.line, source?.changedLines);
      return {
        kind: 'inSource',
        status: added ? 'underReview' : 'accepted',
        justification: d.reason,
        location: { file: f.file, line: d.line, startColumn: d.startColumn, endColumn: d.endColumn },
        rules: [...d.names],
        addedByChange: added,
      };
    }
    const e = this.entries.get(f.fingerprint);
    if (!e) return undefined;
    if (isExpired(e, this.now)) {
      this.expired.set(e.fingerprint, e);
      return undefined;
    }
    const added = this.addedEntries.has(e.fingerprint);
    return {
      kind: 'external',
      status: added ? 'underReview' : 'accepted',
      justification: e.reason,
      location: { file: this.suppressionsRel ?? '.persona-review/suppressions.yaml', line: e.line },
      rules: [e.rule],
      author: e.author,
      date: e.date,
      ...(e.expires ? { expires: e.expires } : {}),
      addedByChange: added,
    };
  }

  /** Classifies an anchored finding: suppressed (with how), in the baseline, or neither. Never throws. */
  classify(f: Pick<Finding, 'file' | 'ruleId' | 'category' | 'fingerprint' | 'range'>): Classification {
    let suppression = this.suppressionOf(f);
    if (suppression?.addedByChange && this.options.ignoreAddedSuppressions) suppression = undefined;
    return { suppression, baselined: !!this.baselineSet?.has(f.fingerprint) };
  }

  /** {@link DraftTriage.isAccounted}: anchors the draft in its file the way the engine will, then classifies it. */
  isAccounted(draft: FindingDraft): boolean {
    const file = this.files.get(draft.file);
    if (!file) return false;
    const anchor = anchorQuote(file.text, draft.quote, draft.line);
    if (!anchor) return false;
    const c = this.classify({
      file: file.path,
      ruleId: draft.ruleId,
      category: draft.category,
      range: anchor,
      fingerprint: fingerprint(file.path, draft.category, anchor.quote, file.text, anchor.startLine),
    });
    return !!c.suppression || c.baselined;
  }

  /**
   * After every persona: the findings about malformed suppressions (reported on reviewed lines only,
   * attributed to `personaIds`), the baseline comparison and the notices. `active`, `suppressed` and
   * `baselined` are the review's merged findings in each state; `seen` lists every category and rule id
   * proposed in the review (so a suppression naming a model's category is not called unknown).
   */
  finish(args: { active: Finding[]; suppressed: SuppressedFinding[]; baselined: Finding[]; personaIds: string[]; seen: Iterable<string> }): TriageOutcome {
    const notices = [...this.notices];
    const known = new Set([...KNOWN_NAMES, ...[...args.seen].map((s) => s.toLowerCase())]);
    const invalid: Finding[] = [];
    for (const file of this.context.files) {
      const limits = file.changedLines ?? (file.focus ? [file.focus] : undefined);
      for (const d of this.directivesOf(file.path)) {
        if (limits && !inRanges(d.line, limits)) continue;
        const problems: string[] = [];
        if (!d.reason) problems.push('it gives no reason: write one after ` -- `, for example `persona-review-ignore sql-injection -- id is an integer from the router`');
        if (d.kind === 'line' && d.names.length === 0) problems.push('it names no rule or category: name the rule id (e.g. `security/sql-injection`) or category it accepts');
        const unknown = d.names.filter((n) => !known.has(n.toLowerCase()));
        if (unknown.length) problems.push(`it names ${unknown.map((n) => `\`${n}\``).join(', ')}, which is no known rule id or finding category (a report names each finding's rule, such as security/sql-injection, and its category)`);
        if (!problems.length) continue;
        const quote = d.text;
        const range = { startLine: d.line, endLine: d.line, startColumn: d.startColumn, endColumn: d.startColumn + quote.length };
        invalid.push({
          id: '',
          personaIds: [...args.personaIds],
          file: file.path,
          range,
          quote,
          severity: 'low',
          category: INVALID_SUPPRESSION_CATEGORY,
          ruleId: INVALID_SUPPRESSION_RULE,
          title: !d.reason ? 'Suppression without a reason' : d.kind === 'line' && !d.names.length ? 'Suppression that names no rule' : 'Suppression names an unknown rule',
          message: `This \`${d.kind === 'file' ? 'persona-review-ignore-file' : 'persona-review-ignore'}\` comment ${problems.join('; and ')}.${!d.reason || (d.kind === 'line' && !d.names.length) ? ' It has no effect until then.' : ''}`,
          references: [],
          confidence: 1,
          fingerprint: fingerprint(file.path, INVALID_SUPPRESSION_CATEGORY, quote, file.text, d.line),
        });
      }
    }

    const suppressed = args.suppressed;
    if (suppressed.length) {
      const inline = suppressed.filter((s) => s.suppression.kind === 'inSource').length;
      notices.push(
        `${suppressed.length} finding(s) suppressed and not reported (${inline} by inline comments, ${suppressed.length - inline} by ${this.suppressionsRel ?? 'the suppressions file'}); SARIF and JSON keep them with their reasons.`,
      );
    }
    for (const s of suppressed.filter((x) => x.suppression.addedByChange)) {
      const where = `${s.suppression.location.file}:${s.suppression.location.line}`;
      notices.push(
        `Suppression added by this change (${where}) silences "${s.title}" (${s.severity}, ${s.ruleId ?? s.category}) at ${s.file}:${s.range.startLine}, reason: "${s.suppression.justification}". Reviewers: approve it with the change, or ask for a fix.`,
      );
    }
    if (this.options.ignoreAddedSuppressions && this.gitReview) {
      const ignored = [...args.active].filter((f) => {
        const s = this.suppressionOf(f);
        return s?.addedByChange;
      });
      if (ignored.length) notices.push(`${ignored.length} finding(s) have a suppression added by this change, which is not honoured here (--ignore-new-suppressions): they are reported.`);
    }
    for (const e of this.expired.values()) {
      notices.push(`The suppression of ${e.rule} in ${e.file} (${this.suppressionsRel}:${e.line}) expired on ${e.expires}: the finding is reported again.`);
    }

    let baseline: BaselineComparison | undefined;
    if (this.options.baseline) {
      const { file, baseline: b } = this.options.baseline;
      const existing = new Set([...args.active, ...args.suppressed, ...args.baselined].map((f) => f.fingerprint));
      const personas = new Set(args.personaIds);
      const absent: BaselineComparison['absent'] = [];
      let notRechecked = 0;
      for (const e of b.findings) {
        if (this.ignoredBaseline.has(e.fingerprint) || existing.has(e.fingerprint)) continue;
        const reviewed = this.files.get(e.file);
        const personaRan = e.personas.length === 0 || e.personas.some((p) => personas.has(p));
        const fullyReviewed = reviewed && !reviewed.changedLines && !reviewed.focus;
        const gone = !reviewed && !fs.existsSync(path.resolve(this.context.root, e.file)) && !this.gitReview;
        if (personaRan && (fullyReviewed || gone)) absent.push(e);
        else notRechecked++;
      }
      const newCount = args.active.length + invalid.length;
      baseline = { file, unchanged: args.baselined, absent, newCount, notRechecked, ignoredAddedByChange: this.ignoredBaseline.size };
      notices.push(
        `Baseline ${file}: ${args.baselined.length} baselined finding(s) still exist (not reported), ${absent.length} fixed since the baseline, ${newCount} new${notRechecked ? `; ${notRechecked} not re-checked by this review (other files, lines or personas)` : ''}.`,
      );
      if (this.ignoredBaseline.size) {
        notices.push(`${this.ignoredBaseline.size} baseline entr${this.ignoredBaseline.size === 1 ? 'y was' : 'ies were'} added by the change under review and ignored: a baseline records findings that existed before a change, never those it adds.`);
      }
    }
    return { invalid, suppressed, baseline, notices };
  }
}
