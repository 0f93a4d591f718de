/**
 * The offline provider's rule interface. A rule is a deterministic check over a tree-sitter syntax tree
 * (never regular expressions over raw text as the main mechanism), owned by one or more personas.
 */
import type { LineRange, Severity, SourceFile } from '../types';
import type { ParsedLanguage, SyntaxNode } from './syntax';

/**
 * How much the offline reviewer reports. `precise` (the default) keeps the rules and findings that a senior
 * reviewer calls real defects on well-reviewed code (measured by bench/quality on twelve libraries);
 * `thorough` adds the measures and opinions a reviewer may weigh but a maintainer often closes: size and
 * complexity metrics, coupling and cohesion counts, package-level cycles, naming, and the softer cases of
 * the other rules (an error ignored behind a pre-set default, an `else` that only guards an impossible case).
 */
export type OfflineDepth = 'precise' | 'thorough';

/** The depths, in order: each one reports everything the one before it does. */
export const OFFLINE_DEPTHS: readonly OfflineDepth[] = ['precise', 'thorough'];

/** A file parsed for the rules. `root` is valid only during the check call. */
export interface ParsedFile {
  file: SourceFile;
  language: ParsedLanguage;
  root: SyntaxNode;
  /** `file.text` split on `\n` (index 0 = line 1). */
  lines: string[];
}

/** What every rule sees of the whole review: all parsed files and the project around them. */
export interface ProjectIndex {
  /** Workspace root (absolute). */
  root: string;
  /** Every reviewed file that has a grammar, parsed. */
  parsed: ParsedFile[];
  /** Every reviewed file, parsed or not. */
  files: SourceFile[];
  /**
   * Workspace-relative paths of test files found in the project around the reviewed files (not only the
   * reviewed ones: the nearest package root with a manifest, widened to the git top level when that
   * package has no tests), by
   * naming convention (`*.test.*`, `*.spec.*`, `test_*.py`, `*_test.py`, `*_test.go`, `*Test.java`,
   * files under `test/`, `tests/`, `__tests__/`, `spec/`). Empty when none were found.
   */
  testFiles: string[];
  /** Text of those test files keyed by path, read lazily; undefined when unreadable. */
  readTestFile(path: string): string | undefined;
  /**
   * Text of any file of the project by workspace-relative path (it may start with `../` when the project
   * around the reviewed files is wider than the workspace), read lazily and cached; undefined when it does
   * not exist or cannot be read. The QA rules use it to follow what tests import (helpers, package entry
   * points); its text never goes into a finding.
   */
  readProjectFile(path: string): string | undefined;
  /**
   * Workspace-relative paths of every file of the project around the reviewed files (the folder
   * {@link ProjectIndex.testFiles} are looked for in: the nearest package root with a manifest), reviewed
   * or not, without dependency, build and dot folders (`node_modules`, `vendor`, `dist`, `.git`, …), plus
   * every reviewed file; walked once, on first call. `complete` is false when the walk stopped at its
   * budget of 20,000 directory entries: a rule that concludes "nothing in the project uses X" must then
   * stay quiet. Read a listed file with {@link ProjectIndex.readProjectFile}.
   */
  projectFiles(): { paths: string[]; complete: boolean };
  /**
   * `path` relative to the deepest folder holding every reviewed file. Judge "is this a test, fixture
   * or example?" on this, not on the workspace path: reviewing `test/fixtures/app` on purpose makes
   * `server.js` the code under review, while in a review of `src/`, `src/__tests__/a.test.ts` is a test.
   */
  relativeToReview(path: string): string;
}

/** One problem a rule found. Give `node` (its range is used) or an explicit `range` (1-based lines, 1-based UTF-16 columns). */
export interface RuleHit {
  node?: SyntaxNode;
  range?: LineRange & { startColumn?: number; endColumn?: number };
  /** Markdown explanation specific to this occurrence: what is wrong here and why it matters. */
  message: string;
  /** Overrides the rule's title for this occurrence. */
  title?: string;
  /** Overrides the rule's default severity (e.g. escalate when request input reaches the sink). */
  severity?: Severity;
  /** A fix: `replacement` replaces exactly the hit's lines (whole lines, startLine..endLine) when given. */
  suggestion?: { replacement?: string; description: string };
  /** 0..1; defaults to the rule's confidence. */
  confidence?: number;
  /** `thorough`: report this hit only at that depth (a softer case of the rule; see {@link OfflineDepth}). Default: every depth the rule runs at. */
  depth?: 'thorough';
}

/** A hit from a project-wide rule, which must say which file it is in. */
export interface ProjectHit extends RuleHit {
  file: string;
}

/** Shared metadata of every rule. */
export interface RuleMeta {
  /** `<persona-pack>/<kebab-name>`, e.g. `security/sql-injection`. Stable: used in SARIF and suppressions. */
  id: string;
  /** Persona ids that report this rule (their reviews include it). */
  personas: string[];
  severity: Severity;
  /** Finding category (kebab-case). */
  category: string;
  title: string;
  /** Help text: what the rule checks, why it matters, how to fix. Plain markdown, 1-4 sentences. */
  description: string;
  /** OWASP Top 10 2021 / CWE ids where they apply, e.g. `['CWE-89', 'OWASP A03:2021']`. */
  references: string[];
  /** Default confidence 0..1. */
  confidence: number;
  /** `thorough`: the rule runs only at that depth (a measure or an opinion, see {@link OfflineDepth}). Default: every depth. */
  depth?: 'thorough';
}

/** A rule that checks one file at a time. */
export interface FileRule extends RuleMeta {
  kind: 'file';
  languages: readonly ParsedLanguage[];
  check(file: ParsedFile, project: ProjectIndex): RuleHit[];
}

/** A rule that needs every file at once (import cycles, fan-out, modules without tests). */
export interface ProjectRule extends RuleMeta {
  kind: 'project';
  checkProject(project: ProjectIndex): ProjectHit[];
}

/** Any offline rule. */
export type OfflineRule = FileRule | ProjectRule;
