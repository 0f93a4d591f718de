/**
 * The `offline` provider: the embedded default. No network, no key, deterministic. Each reviewing
 * persona runs its rule pack (src/core/offline/rules) over tree-sitter syntax trees of the reviewed
 * files, and writes a short markdown review in the shape of the persona's OUTPUT TEMPLATE.
 *
 * Files are parsed once per review context and shared by every persona of a team review; the
 * engine calls {@link OfflineProvider.dispose} at the end to free the WebAssembly trees.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEVERITIES, severityRank, type FindingDraft, type LineRange, type Persona, type ProviderEvent, type ProviderRequest, type ReviewContext, type ReviewProvider, type Severity } from '../types';
import { isParsedLanguage, parse, type SyntaxTree } from './syntax';
import { isTestPath } from './paths';
import type { OfflineDepth, OfflineRule, ParsedFile, ProjectIndex, RuleHit } from './rule';
import { rulesForPersona, ALL_RULES } from './rules';

/** Options of the offline provider. */
export interface OfflineOptions {
  /** At most this many findings per persona per review, most severe first (default 25): few, true findings. */
  maxFindingsPerPersona?: number;
  /** At most this many findings per rule per review (default 5), so one noisy pattern cannot crowd out the rest. */
  maxFindingsPerRule?: number;
  /**
   * `precise` (default): only the rules and findings that are true on well-reviewed code; `thorough`: also
   * size/complexity/coupling measures and the softer cases of each rule (see {@link OfflineDepth}).
   */
  depth?: OfflineDepth;
}

interface ParsedContext {
  project: ProjectIndex;
  trees: SyntaxTree[];
}


/** The deepest common folder of workspace-relative paths, with a trailing slash ('' when none). */
export function commonDir(paths: string[]): string {
  if (!paths.length) return '';
  let parts = paths[0]!.split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const q = p.split('/').slice(0, -1);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.length ? parts.join('/') + '/' : '';
}

/** Folders never searched for tests. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'target', 'vendor', '.venv', 'venv', '__pycache__']);

/** Files that mark a package root (npm, Go modules, Python packaging, Maven, Gradle, Cargo). */
const MANIFESTS = ['package.json', 'go.mod', 'pyproject.toml', 'setup.py', 'setup.cfg', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'Cargo.toml'];

/**
 * The folders around the reviewed files where their tests may live: the nearest package root (an
 * ancestor of the reviewed files' common folder with a manifest) and the git top level (the nearest
 * ancestor holding `.git`), looked up at most 12 levels up; the workspace root when neither exists.
 */
function projectRootsOf(context: ReviewContext): { packageRoot: string; gitRoot?: string } {
  if (!context.files.length) return { packageRoot: context.root };
  const dirs = context.files.map((f) => path.dirname(f.absPath));
  let start = dirs[0]!;
  for (const d of dirs) while (start !== path.dirname(start) && path.relative(start, d).startsWith('..')) start = path.dirname(start);
  let packageRoot: string | undefined;
  let gitRoot: string | undefined;
  for (let dir = start, i = 0; i < 12; dir = path.dirname(dir), i++) {
    if (!packageRoot && MANIFESTS.some((m) => fs.existsSync(path.join(dir, m)))) packageRoot = dir;
    if (fs.existsSync(path.join(dir, '.git'))) {
      gitRoot = dir;
      break;
    }
    if (dir === path.dirname(dir)) break;
  }
  return { packageRoot: packageRoot ?? gitRoot ?? context.root, gitRoot };
}

/** Test files of the project: those of the package root, or of the git top level when the package has none. Workspace-relative. */
function projectTestFiles(context: ReviewContext): string[] {
  const { packageRoot, gitRoot } = projectRootsOf(context);
  const found = walkFiles(packageRoot, context.root, (rel) => isTestPath(rel)).paths;
  if (found.length || !gitRoot || gitRoot === packageRoot || path.relative(gitRoot, packageRoot).startsWith('..')) return found;
  return walkFiles(gitRoot, context.root, (rel) => isTestPath(rel)).paths;
}

/** Most directory entries one walk of the project looks at. */
const WALK_BUDGET = 20_000;

/**
 * Files under `dir` (skipping {@link SKIP_DIRS} and dot-folders) whose `dir`-relative path passes `accept`,
 * as sorted `root`-relative paths; `complete` is false when the walk stopped at {@link WALK_BUDGET} entries.
 */
function walkFiles(dir: string, root: string, accept: (rel: string) => boolean): { paths: string[]; complete: boolean } {
  const out: string[] = [];
  let budget = WALK_BUDGET;
  const stack = [dir];
  while (stack.length && budget > 0) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (--budget <= 0) break;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
      } else if (accept(path.relative(dir, p).split(path.sep).join('/'))) {
        out.push(path.relative(root, p).split(path.sep).join('/'));
      }
    }
  }
  return { paths: out.sort(), complete: budget > 0 };
}

/** The offline provider. One instance can serve many reviews. */
export class OfflineProvider implements ReviewProvider {
  readonly id = 'offline';
  readonly local = true;
  private readonly parsed = new WeakMap<ReviewContext, Promise<ParsedContext>>();
  private readonly maxPerPersona: number;
  private readonly maxPerRule: number;
  /** How much this provider reports (see {@link OfflineDepth}). */
  readonly depth: OfflineDepth;

  /** @throws Error when `options.depth` is not `precise` or `thorough`. */
  constructor(options: OfflineOptions = {}) {
    this.maxPerPersona = options.maxFindingsPerPersona ?? 25;
    this.maxPerRule = options.maxFindingsPerRule ?? 5;
    this.depth = options.depth ?? 'precise';
    if (this.depth !== 'precise' && this.depth !== 'thorough') throw new Error(`Unknown offline depth "${String(this.depth)}": use precise or thorough.`);
  }

  /** The rules the offline provider runs, for SARIF rule descriptors and the docs. */
  static get rules(): readonly OfflineRule[] {
    return ALL_RULES;
  }

  private parseContext(context: ReviewContext): Promise<ParsedContext> {
    let p = this.parsed.get(context);
    if (!p) {
      p = (async () => {
        const trees: SyntaxTree[] = [];
        const parsed: ParsedFile[] = [];
        for (const file of context.files) {
          if (!isParsedLanguage(file.language)) continue;
          const tree = await parse(file.text, file.language);
          trees.push(tree);
          parsed.push({ file, language: file.language, root: tree.rootNode, lines: file.text.split('\n') });
        }
        const base = commonDir(context.files.map((f) => f.path));
        const relativeToReview = (p: string) => (base && p.startsWith(base) ? p.slice(base.length) : p);
        const reviewed = new Set(context.files.map((f) => f.path));
        let testFiles: string[] | undefined;
        let projectFiles: { paths: string[]; complete: boolean } | undefined;
        const testCache = new Map<string, string | undefined>();
        const project: ProjectIndex = {
          root: context.root,
          parsed,
          files: context.files,
          get testFiles() {
            // A reviewed file is a test only if it looks like one within the review (see relativeToReview).
            testFiles ??= projectTestFiles(context).filter((p) => !reviewed.has(p) || isTestPath(relativeToReview(p)));
            return testFiles;
          },
          relativeToReview,
          projectFiles() {
            if (!projectFiles) {
              const walked = walkFiles(projectRootsOf(context).packageRoot, context.root, () => true);
              projectFiles = { paths: [...new Set([...walked.paths, ...reviewed])].sort(), complete: walked.complete };
            }
            return projectFiles;
          },
          readTestFile(rel) {
            return this.readProjectFile(rel);
          },
          readProjectFile(rel) {
            if (!testCache.has(rel)) {
              try {
                const abs = path.join(context.root, rel);
                // Only files (a directory or a huge file is never a test or a helper worth scanning).
                testCache.set(rel, fs.statSync(abs).size <= 2_000_000 ? fs.readFileSync(abs, 'utf8') : undefined);
              } catch {
                testCache.set(rel, undefined);
              }
            }
            return testCache.get(rel);
          },
        };
        return { project, trees };
      })();
      this.parsed.set(context, p);
    }
    return p;
  }

  /** Frees the syntax trees parsed for `context`. */
  dispose(context: ReviewContext): void {
    const p = this.parsed.get(context);
    this.parsed.delete(context);
    void p?.then(
      (c) => c.trees.forEach((t) => t.delete()),
      () => undefined, // the review already reported the parse failure
    );
  }

  async *review(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const { persona, context } = request;
    if (!persona.reviews) {
      yield { type: 'text', text: `## ${persona.name}\n\n${persona.name} does not review code on its own: it runs phase-gated workflows of other personas.\n` };
      return;
    }
    // An imported persona may run the rule packs of built-in personas (front-matter `offlineRules`).
    const all = [...new Set((persona.offlineRules ?? [persona.id]).flatMap((id) => rulesForPersona(id)))];
    const thorough = this.depth === 'thorough';
    const rules = thorough ? all : all.filter((r) => r.depth !== 'thorough');
    const heldBack = all.filter((r) => !rules.includes(r));
    const { project } = await this.parseContext(context);
    const total = project.parsed.length;
    const drafts: Array<FindingDraft & { rank: number }> = [];
    const perRule = new Map<string, number>();
    const ruleErrors: string[] = [];
    const take = (rule: OfflineRule, file: LinedFile, hit: RuleHit) => {
      if (hit.depth === 'thorough' && !thorough) return;
      const d = toDraft(rule, file, hit);
      // A change or selection review reports only on its lines: a hit elsewhere is not proposed (nor listed in the review text).
      if (d && inTarget(d, file.file)) drafts.push({ ...d, rank: severityRank(d.severity) });
    };

    for (let i = 0; i < project.parsed.length; i++) {
      if (signal.aborted) {
        yield { type: 'error', error: { kind: 'cancelled', message: 'Review cancelled.', retryable: true }, partial: drafts.length > 0 };
        return;
      }
      const file = project.parsed[i]!;
      for (const rule of rules) {
        if (rule.kind !== 'file' || !rule.languages.includes(file.language)) continue;
        try {
          for (const hit of rule.check(file, project)) take(rule, file, hit);
        } catch (e) {
          ruleErrors.push(`${rule.id} failed on ${file.file.path}: ${(e as Error).message}`);
        }
      }
      if (i % 25 === 24 || i === total - 1) {
        yield { type: 'progress', done: i + 1, total };
        await new Promise((r) => setImmediate(r)); // let cancellation and other personas in
      }
    }
    for (const rule of rules) {
      if (rule.kind !== 'project') continue;
      try {
        for (const hit of rule.checkProject(project)) {
          // Project rules may report on files without a grammar (configuration), by line range.
          const parsed = project.parsed.find((p) => p.file.path === hit.file);
          const source = parsed ? undefined : project.files.find((f) => f.path === hit.file);
          const file = parsed ?? (source && hit.range ? { file: source, lines: source.text.split('\n') } : undefined);
          if (file) take(rule, file, hit);
        }
      } catch (e) {
        ruleErrors.push(`${rule.id} failed: ${(e as Error).message}`);
      }
    }

    // Few, true findings: most severe first, at most maxPerRule per rule and maxPerPersona in all.
    drafts.sort((a, b) => b.rank - a.rank || (b.confidence ?? 0) - (a.confidence ?? 0) || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    const kept: FindingDraft[] = [];
    // Suppressed and baselined findings skip the limits and the written review; the engine keeps them aside.
    const accounted: FindingDraft[] = [];
    let omitted = 0;
    for (const { rank: _rank, ...d } of drafts) {
      if (request.triage?.isAccounted(d)) {
        accounted.push(d);
        continue;
      }
      const n = perRule.get(d.ruleId!) ?? 0;
      if (n >= this.maxPerRule || kept.length >= this.maxPerPersona) {
        omitted++;
        continue;
      }
      perRule.set(d.ruleId!, n + 1);
      kept.push(d);
    }
    kept.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    for (const d of [...kept, ...accounted]) yield { type: 'finding', finding: d };
    for (const e of ruleErrors) yield { type: 'notice', message: `Offline rule error (the other rules ran): ${e}` };
    if (omitted) yield { type: 'notice', message: `${persona.name}: ${omitted} lower-ranked offline finding(s) not shown (limits: ${this.maxPerRule} per rule, ${this.maxPerPersona} per persona).` };
    yield { type: 'text', text: writeReview(persona, rules, kept, context, omitted, heldBack) };
  }
}

/** What {@link toDraft} needs of a file: a parsed file, or a file without a grammar and its lines. */
type LinedFile = Pick<ParsedFile, 'file' | 'lines'>;

/** True when a draft's lines meet the lines a change or selection review reports on (always for a whole-file review). */
function inTarget(d: FindingDraft, file: { changedLines?: LineRange[]; focus?: LineRange }): boolean {
  const limits = file.changedLines ?? (file.focus ? [file.focus] : undefined);
  if (!limits) return true;
  const start = d.line ?? 1;
  const end = d.endLine ?? start;
  return limits.some((r) => start <= r.endLine && end >= r.startLine);
}

/** Turns a rule hit into a finding draft with an exact quote and line hint; undefined for an empty range. */
function toDraft(rule: OfflineRule, file: LinedFile, hit: RuleHit): FindingDraft | undefined {
  let startLine: number;
  let endLine: number;
  let quote: string;
  if (hit.node) {
    startLine = hit.node.startPosition.row + 1;
    endLine = hit.node.endPosition.row + 1;
    quote = hit.node.text;
  } else if (hit.range) {
    startLine = hit.range.startLine;
    endLine = hit.range.endLine;
    quote = file.lines.slice(startLine - 1, endLine).join('\n');
  } else return undefined;
  // A replacement is written for whole lines (RuleHit docs): quote the whole lines so the anchored
  // range, and so the quick fix, covers exactly them.
  if (hit.suggestion?.replacement !== undefined) quote = file.lines.slice(startLine - 1, endLine).join('\n');
  // Very long nodes are quoted by their first line: anchoring stays exact and reports stay readable.
  else if (endLine - startLine >= 12) {
    quote = quote.split('\n')[0]!;
    endLine = startLine;
  }
  if (!quote.trim()) return undefined;
  // Rules often end the message with the fix; the report shows the fix once, as the suggestion.
  const fix = hit.suggestion?.description.trim();
  const message = fix && hit.message.includes(fix) && hit.message.trim() !== fix ? hit.message.replace(fix, '').replace(/\s+$/, '') : hit.message;
  return {
    file: file.file.path,
    line: startLine,
    endLine,
    quote,
    severity: hit.severity ?? rule.severity,
    category: rule.category,
    ruleId: rule.id,
    title: hit.title ?? rule.title,
    message,
    suggestion: hit.suggestion,
    references: rule.references,
    confidence: hit.confidence ?? rule.confidence,
  };
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/** The heading of the persona's OUTPUT TEMPLATE (first `#`/`##` line inside it), with its placeholder filled. */
function templateHeading(persona: Persona, subject: string): string {
  const section = persona.prompt.split(/^## OUTPUT TEMPLATE\s*$/m)[1] ?? '';
  const heading = section.split('\n').find((l) => /^#{1,3} \S/.test(l.trim()));
  if (!heading) return `## ${persona.name} Review: ${subject}`;
  const h = heading.trim().replace(/^#+/, '##');
  return /\[[^\]]*\]|<[^>]*>|\{[^}]*\}/.test(h) ? h.replace(/\[[^\]]*\]|<[^>]*>|\{[^}]*\}/, subject) : `${h}: ${subject}`;
}

/** A short markdown review in the persona's template shape, from the kept findings. */
function writeReview(persona: Persona, rules: OfflineRule[], findings: FindingDraft[], context: ReviewContext, omitted: number, heldBack: OfflineRule[]): string {
  const files = context.files.length;
  const subject = files === 1 ? context.files[0]!.path : `${files} files`;
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const);
  const worst = counts.find(([, n]) => n > 0)?.[0];
  const assessment =
    worst === 'critical' ? '🚨 Blockers found' : worst === 'high' ? '⚠️ Needs revision' : worst ? '✅ Good, with improvements' : '✅ No issues found by the offline rules';
  const out = [templateHeading(persona, subject), '', `### Overall Assessment: ${assessment}`, ''];
  out.push(`Offline review (deterministic rules over syntax trees, nothing left this machine): ${files} file(s), ${rules.length} rule(s) for ${persona.name}.`, '');
  for (const [sev, n] of counts) {
    if (!n) continue;
    out.push(`### ${SEVERITY_LABEL[sev]} (${n})`, '');
    findings
      .filter((f) => f.severity === sev)
      .forEach((f, i) => {
        out.push(`${i + 1}. **${f.title}** — \`${f.file}:${f.line}\``);
        const first = f.message.split('\n')[0];
        if (first) out.push(`   - ${first}`);
        if (f.suggestion?.description) out.push(`   - Recommendation: ${f.suggestion.description}`);
      });
    out.push('');
  }
  if (omitted) out.push(`_${omitted} lower-ranked finding(s) omitted to keep this review short._`, '');
  const checked = rules.map((r) => r.title).slice(0, 12);
  if (checked.length) out.push('### What was checked', '', ...checked.map((t) => `- ${t}`), '');
  if (heldBack.length)
    out.push(
      `_Not run at the default offline depth (measures and opinions that well-reviewed code often fails without a defect): ${heldBack.map((r) => r.title.toLowerCase()).join('; ')}. Run them at depth \`thorough\`: \`--offline-depth thorough\` (CLI), the \`personaReview.offline.depth\` setting (editor), \`offlineDepth\` (MCP tools)._`,
      '',
    );
  out.push('_A model-backed review (provider `anthropic`) also weighs design and intent that rules cannot see._', '');
  return out.join('\n');
}
