/**
 * Shared search of the dead-code rules (`quality/unused-private-function`, `quality/unused-private-variable`):
 * declarations that only their own module (Go: package; Java: class) can reach, and that nothing references.
 *
 * "References" is textual and conservative: the name as a whole word anywhere outside the declaration's own
 * text, in code, strings (`getattr(m, "_f")`, `__all__`, reflection) or, in other files, comments
 * (`//go:linkname`). Comments of the declaration's own file do not count, except Go directives (`//go:`,
 * `//export`). When the project's file listing is incomplete, Go and Python declarations are not judged.
 *
 * Declarations in one run (consecutive lines of one declaration block, no blank line between) form a group, and
 * one used member marks the whole group used: staticcheck's `unused` check does this for Go constant groups,
 * because unused members of a group usually exist for the sake of completeness (an enumeration, a table of escape
 * codes). Functions are never grouped.
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectIndex } from '../../rule';
import { isTestPath } from '../../paths';
import { isGenerated } from '../../declarations';
import { commentsOf } from '../../nodes';
import { dirname } from '../../imports';

/** A private declaration that may be unused. */
export interface UnusedCandidate {
  name: string;
  nameNode: SyntaxNode;
  /** The declaration's own text (its name and any recursion are not references). */
  node: SyntaxNode;
  /** Candidates with the same group are judged together (see the module comment); `undefined`: alone. */
  group?: number;
}

/** What a language's scan of one file gives: candidates, and groups already used by a member that is not a candidate (a public name). */
export interface FileCandidates {
  candidates: UnusedCandidate[];
  usedGroups?: ReadonlySet<number>;
}

/** An unused candidate, with the number of files searched (the file itself included). */
export interface Unused {
  file: ParsedFile;
  candidate: UnusedCandidate;
  searched: number;
}

/** Files searched for a Python private name besides Python sources: packaging entry points may name it. */
const PYTHON_SEARCH = /\.(py|pyi|pyx|cfg|toml|ini)$/;

/** Files of a Go package folder that may name a Go declaration: Go, assembly and cgo sources. */
const GO_SEARCH = /\.(go|s|c|h)$/;

/**
 * The file's own text as searched for references: its comments replaced by spaces (line breaks kept, so
 * offsets stay those of the tree; web-tree-sitter indexes are UTF-16 offsets into `file.text`), Go
 * directives (`//go:linkname`, `//export`) kept.
 */
function ownSearchText(file: ParsedFile): string {
  const text = file.file.text;
  const parts: string[] = [];
  let at = 0;
  for (const c of commentsOf(file)) {
    if (c.startIndex < at || (file.language === 'go' && /^\/\/(go:|export\s)/.test(c.text))) continue;
    parts.push(text.slice(at, c.startIndex), text.slice(c.startIndex, c.endIndex).replace(/[^\n]/g, ' '));
    at = c.endIndex;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Names per search pattern: an alternation of a few hundred identifiers stays fast. */
const NAMES_PER_PATTERN = 300;

/**
 * Patterns that find any of `names` as a whole word (`$` counts as a word character, as JavaScript allows).
 * One pass of these over a file replaces splitting the file into words: on a 2,000-file Python project
 * that is the difference between tens and hundreds of milliseconds per review.
 */
function namePatterns(names: Iterable<string>): RegExp[] {
  const list = [...names];
  const out: RegExp[] = [];
  for (let i = 0; i < list.length; i += NAMES_PER_PATTERN) {
    const alt = list.slice(i, i + NAMES_PER_PATTERN).map((n) => n.replace(/\$/g, '\\$')).join('|');
    out.push(new RegExp(`(?<![A-Za-z0-9_$])(?:${alt})(?![A-Za-z0-9_$])`, 'g'));
  }
  return out;
}

/** Each match of `patterns` in `text`: the name and its UTF-16 offset. */
function occurrences(text: string, patterns: RegExp[]): Array<{ name: string; at: number }> {
  const out: Array<{ name: string; at: number }> = [];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push({ name: m[0], at: m.index });
  return out;
}

/**
 * The files that may reference a private declaration of `file`, itself included: its package folder's Go,
 * assembly and cgo files (Go), every Python file and packaging configuration of the project (Python); only
 * the file (JS/TS, Java, whose private names are file-scoped); `undefined` when the listing is incomplete.
 * Scopes are shared: one per Go folder and one for Python, computed once per call of {@link findUnused}.
 */
function searchScope(file: ParsedFile, project: ProjectIndex, memo: Map<string, ReadonlySet<string>>): ReadonlySet<string> | undefined {
  const self = file.file.path;
  if (file.language !== 'go' && file.language !== 'python') return new Set([self]);
  const listing = project.projectFiles();
  if (!listing.complete) return undefined;
  const key = file.language === 'go' ? `go:${dirname(self)}` : 'python';
  let scope = memo.get(key);
  if (!scope) {
    const dir = dirname(self);
    scope = new Set([self, ...listing.paths.filter((p) => (file.language === 'go' ? dirname(p) === dir && GO_SEARCH.test(p) : PYTHON_SEARCH.test(p)))]);
    memo.set(key, scope);
  }
  return scope;
}

/** True when a JS/TS file is a module (ES imports/exports, or CommonJS), so its top-level declarations are not globals. */
export function isModule(file: ParsedFile): boolean {
  if (file.root.namedChildren.some((n) => n?.type === 'import_statement' || n?.type === 'export_statement')) return true;
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(file.file.text);
}

/** True when a blank (whitespace-only) line lies strictly between 0-based rows `after` and `before`. */
export function blankLineBetween(file: ParsedFile, after: number, before: number): boolean {
  for (let r = after + 1; r < before; r++) if (!(file.lines[r] ?? '').trim()) return true;
  return false;
}

/**
 * The candidates of every reviewed, non-test, hand-written file (`scan` gives them per file) that nothing
 * references, group by group. Each searched file is read and split into words once per call.
 */
export function findUnused(project: ProjectIndex, languages: readonly ParsedLanguage[], scan: (file: ParsedFile) => FileCandidates): Unused[] {
  const reviewed = new Map(project.files.map((f) => [f.path, f.text]));
  const scopes = new Map<string, ReadonlySet<string>>();
  const jobs: Array<{ file: ParsedFile; candidates: UnusedCandidate[]; usedGroups: ReadonlySet<number>; scope: ReadonlySet<string> }> = [];
  for (const file of project.parsed) {
    if (!languages.includes(file.language)) continue;
    if (isTestPath(project.relativeToReview(file.file.path)) || file.file.path.endsWith('.d.ts') || isGenerated(file)) continue;
    const { candidates, usedGroups } = scan(file);
    if (!candidates.length) continue;
    const scope = searchScope(file, project, scopes);
    if (!scope) continue; // the project listing is incomplete: "unused" cannot be known
    jobs.push({ file, candidates, usedGroups: usedGroups ?? new Set(), scope });
  }
  // Every file of every scope is read and searched once, for every name any reviewed file asks about; the
  // result says, per name, which files hold it.
  const asked = namePatterns(new Set(jobs.filter((j) => j.scope.size > 1).flatMap((j) => j.candidates.map((c) => c.name))));
  const filesWith = new Map<string, string[]>();
  const searched = new Set<string>();
  for (const { file, scope } of jobs) {
    for (const p of scope) {
      if (p === file.file.path || searched.has(p)) continue;
      searched.add(p);
      for (const name of new Set(occurrences(reviewed.get(p) ?? project.readProjectFile(p) ?? '', asked).map((o) => o.name))) {
        const list = filesWith.get(name);
        if (list) list.push(p);
        else filesWith.set(name, [p]);
      }
    }
  }
  const out: Unused[] = [];
  for (const { file, candidates, usedGroups, scope } of jobs) {
    const self = file.file.path;
    const own = occurrences(ownSearchText(file), namePatterns(new Set(candidates.map((c) => c.name))));
    // A use in the file is an occurrence outside the declaration's own text (its name and any recursion are inside it).
    const isUsed = (c: UnusedCandidate) =>
      own.some((o) => o.name === c.name && (o.at < c.node.startIndex || o.at >= c.node.endIndex)) || (filesWith.get(c.name) ?? []).some((p) => p !== self && scope.has(p));
    const used = new Set(usedGroups);
    const unused: UnusedCandidate[] = [];
    for (const c of candidates) {
      if (c.group !== undefined && used.has(c.group)) continue;
      if (!isUsed(c)) unused.push(c);
      else if (c.group !== undefined) used.add(c.group);
    }
    for (const c of unused) if (c.group === undefined || !used.has(c.group)) out.push({ file, candidate: c, searched: scope.size });
  }
  return out;
}

/** One scanner per language family of a dead-code rule (JavaScript, TypeScript and TSX share `js`). */
export interface LanguageScanners<T> {
  go(file: ParsedFile): T;
  python(file: ParsedFile): T;
  java(file: ParsedFile): T;
  js(file: ParsedFile): T;
}

/** Runs the scanner of `file`'s language. */
export function byLanguage<T>(file: ParsedFile, scanners: LanguageScanners<T>): T {
  switch (file.language) {
    case 'go':
      return scanners.go(file);
    case 'python':
      return scanners.python(file);
    case 'java':
      return scanners.java(file);
    default:
      return scanners.js(file);
  }
}

/** Where a private declaration can be referenced from, by language, as the findings' messages say it. */
export const REACH: Readonly<Record<ParsedLanguage, string>> = {
  go: 'any file of its package',
  python: 'its module or any other module of the project',
  java: 'its class',
  javascript: 'its module, which does not export it',
  typescript: 'its module, which does not export it',
  tsx: 'its module, which does not export it',
};

/** ` (N files searched)` for the languages searched beyond the file itself (Go, Python); '' otherwise. */
export function searchedNote(file: ParsedFile, searched: number): string {
  return file.language === 'go' || file.language === 'python' ? ` (${searched} files searched)` : '';
}
