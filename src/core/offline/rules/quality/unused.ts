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

/** Identifier-like words of `text` (`$` included, as JavaScript allows), counted. */
function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  return counts;
}

/** The other files that may reference a private declaration of `file`: none for JS/TS and Java (file-scoped); `undefined` when the listing is incomplete. */
function searchScope(file: ParsedFile, project: ProjectIndex): string[] | undefined {
  if (file.language !== 'go' && file.language !== 'python') return [];
  const listing = project.projectFiles();
  if (!listing.complete) return undefined;
  const self = file.file.path;
  if (file.language === 'go') {
    const dir = dirname(self);
    return listing.paths.filter((p) => p !== self && dirname(p) === dir && GO_SEARCH.test(p));
  }
  return listing.paths.filter((p) => p !== self && PYTHON_SEARCH.test(p));
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
  const out: Unused[] = [];
  const reviewed = new Map(project.files.map((f) => [f.path, f.text]));
  const words = new Map<string, Map<string, number>>();
  const wordsOf = (p: string) => {
    let w = words.get(p);
    if (!w) words.set(p, (w = wordCounts(reviewed.get(p) ?? project.readProjectFile(p) ?? '')));
    return w;
  };
  for (const file of project.parsed) {
    if (!languages.includes(file.language)) continue;
    if (isTestPath(project.relativeToReview(file.file.path)) || file.file.path.endsWith('.d.ts') || isGenerated(file)) continue;
    const { candidates, usedGroups } = scan(file);
    if (!candidates.length) continue;
    const scope = searchScope(file, project);
    if (!scope) continue; // the project listing is incomplete: "unused" cannot be known
    const own = ownSearchText(file);
    const ownWords = wordCounts(own);
    const isUsed = (c: UnusedCandidate) => {
      const inside = wordCounts(own.slice(c.node.startIndex, c.node.endIndex)).get(c.name) ?? 0;
      return (ownWords.get(c.name) ?? 0) > inside || scope.some((p) => wordsOf(p).has(c.name));
    };
    const used = new Set(usedGroups ?? []);
    const unused: UnusedCandidate[] = [];
    for (const c of candidates) {
      if (c.group !== undefined && used.has(c.group)) continue;
      if (!isUsed(c)) unused.push(c);
      else if (c.group !== undefined) used.add(c.group);
    }
    for (const c of unused) if (c.group === undefined || !used.has(c.group)) out.push({ file, candidate: c, searched: scope.length + 1 });
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
