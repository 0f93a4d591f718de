/**
 * `quality/unused-private-function`: a function only its own module can reach that nothing references
 * (dead code, CWE-561). The same judgement as staticcheck's U1000 (Go), vulture (Python), ESLint's
 * `no-unused-vars` for function declarations (JS/TS) and SonarQube's S1144 "unused private methods"
 * (Java), kept to the cases where "only its module can reach it" holds by the language's rules:
 * - Go: a top-level function with an unexported name (not a method: it may satisfy an interface), searched
 *   for in every file of its package's folder (tests and assembly included);
 * - Python: a module-level function whose name starts with one underscore (PEP 8's weak internal use) and
 *   that no decorator registers, searched for in every Python file and packaging configuration of the
 *   project, because other modules may still import it;
 * - JavaScript/TypeScript: a top-level function declaration that is not exported, in a file that is a
 *   module (it imports, exports or uses CommonJS); a classic script's functions are globals other scripts
 *   and HTML may call;
 * - Java: a `private` method without annotations (frameworks call annotated methods by reflection) that is
 *   not a serialization hook (`readObject`, `writeReplace`, …: Java Object Serialization Specification §3.4,
 *   §2.5, called by the runtime).
 *
 * "References" is textual and conservative: the name as a whole word anywhere outside the function's own
 * text, in code, strings (`getattr(m, "_f")`, `__all__`, reflection) or, in other files, comments
 * (`//go:linkname`). Comments of the function's own file do not count, except Go directives (`//go:`,
 * `//export`). When the project's file listing is incomplete the rule stays quiet.
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../../rule';
import { isTestPath } from '../../paths';
import { isGenerated } from '../../declarations';
import { commentsOf } from '../../nodes';
import { dirname } from '../../imports';

/** Java methods the serialization runtime calls by name (Java Object Serialization Specification §2.3–2.5, §3.2–3.4). */
const SERIALIZATION_HOOKS = new Set(['writeObject', 'readObject', 'readObjectNoData', 'writeReplace', 'readResolve']);

/** Files searched for a Python private name besides Python sources: packaging entry points may name it. */
const PYTHON_SEARCH = /\.(py|pyi|pyx|cfg|toml|ini)$/;

/** Files of a Go package folder that may name a Go function: Go, assembly and cgo sources. */
const GO_SEARCH = /\.(go|s|c|h)$/;

/** A candidate: a private function declaration and the node whose text is excluded from the search. */
interface Candidate {
  name: string;
  nameNode: SyntaxNode;
  /** The whole declaration (its own text, recursion included, is not a reference). */
  node: SyntaxNode;
}

function goCandidates(file: ParsedFile): Candidate[] {
  const out: Candidate[] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'function_declaration' || !n.childForFieldName('body')) continue; // bodiless: implemented in assembly
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    if (!nameNode || !/^[a-z]/.test(name) || name === 'init' || name === 'main') continue;
    out.push({ name, nameNode, node: n });
  }
  return out;
}

function pythonCandidates(file: ParsedFile): Candidate[] {
  const out: Candidate[] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'function_definition') continue; // a decorated definition is registered somewhere
    const nameNode = n.childForFieldName('name');
    const name = nameNode?.text ?? '';
    if (!nameNode || !/^_[A-Za-z0-9]/.test(name) || name.startsWith('__')) continue;
    out.push({ name, nameNode, node: n });
  }
  return out;
}

/** True when a JS/TS file is a module (ES imports/exports, or CommonJS), so its top-level functions are not globals. */
function isModule(file: ParsedFile): boolean {
  if (file.root.namedChildren.some((n) => n?.type === 'import_statement' || n?.type === 'export_statement')) return true;
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(file.file.text);
}

function jsCandidates(file: ParsedFile): Candidate[] {
  if (!isModule(file)) return [];
  const out: Candidate[] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'function_declaration' && n?.type !== 'generator_function_declaration') continue;
    const nameNode = n.childForFieldName('name');
    if (!nameNode) continue;
    out.push({ name: nameNode.text, nameNode, node: n });
  }
  return out;
}

function javaCandidates(file: ParsedFile): Candidate[] {
  const out: Candidate[] = [];
  for (const n of file.root.descendantsOfType('method_declaration')) {
    if (!n) continue;
    const mods = n.namedChildren.find((c) => c?.type === 'modifiers');
    if (!mods) continue;
    const words = mods.children.map((c) => c?.text);
    if (!words.includes('private') || words.includes('native')) continue;
    if (mods.namedChildren.some((c) => c?.type === 'annotation' || c?.type === 'marker_annotation')) continue;
    const nameNode = n.childForFieldName('name');
    if (!nameNode || SERIALIZATION_HOOKS.has(nameNode.text)) continue;
    out.push({ name: nameNode.text, nameNode, node: n });
  }
  return out;
}

function candidatesOf(file: ParsedFile): Candidate[] {
  switch (file.language) {
    case 'go':
      return goCandidates(file);
    case 'python':
      return pythonCandidates(file);
    case 'java':
      return javaCandidates(file);
    default:
      return jsCandidates(file);
  }
}

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

/** The other files that may reference a private function of `file`: none for JS/TS and Java (file-scoped). */
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

const KIND: Record<ParsedLanguage, string> = {
  go: 'unexported function',
  python: 'private module function',
  java: 'private method',
  javascript: 'module-local function',
  typescript: 'module-local function',
  tsx: 'module-local function',
};

const WHERE: Record<ParsedLanguage, string> = {
  go: 'any file of its package',
  python: 'its module or any other module of the project',
  java: 'its class',
  javascript: 'its module, which does not export it',
  typescript: 'its module, which does not export it',
  tsx: 'its module, which does not export it',
};

export const unusedPrivateFunction: ProjectRule = {
  kind: 'project',
  id: 'quality/unused-private-function',
  personas: ['engineer', 'reviewer'],
  // Seed 000 ranks maintainability findings that do not change behaviour Low.
  severity: 'low',
  category: 'dead-code',
  title: 'Unused private function',
  description:
    'Reports functions that only their own module can call and that nothing references: Go unexported functions unused in their package, Python `_private` module functions unused in the project, JS/TS functions a module neither exports nor calls, Java private methods unused in their class (annotated methods and serialization hooks excepted). ' +
    'Dead code is read, reviewed and kept compiling for nothing, and it misleads readers about what runs. Remove it, or call it where it was meant to be used.',
  references: ['CWE-561'],
  confidence: 0.8,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const hits: ProjectHit[] = [];
    const reviewed = new Map(project.files.map((f) => [f.path, f.text]));
    // Each searched file is read and split into words once per review, however many candidates ask.
    const words = new Map<string, Map<string, number>>();
    const wordsOf = (p: string) => {
      let w = words.get(p);
      if (!w) words.set(p, (w = wordCounts(reviewed.get(p) ?? project.readProjectFile(p) ?? '')));
      return w;
    };
    for (const file of project.parsed) {
      if (isTestPath(project.relativeToReview(file.file.path)) || file.file.path.endsWith('.d.ts') || isGenerated(file)) continue;
      const cands = candidatesOf(file);
      if (!cands.length) continue;
      const scope = searchScope(file, project);
      if (!scope) continue; // the project listing is incomplete: "unused" cannot be known
      const own = ownSearchText(file);
      const ownWords = wordCounts(own);
      for (const c of cands) {
        // Uses in the file outside the function's own text (its name and any recursion are inside it).
        const inside = wordCounts(own.slice(c.node.startIndex, c.node.endIndex)).get(c.name) ?? 0;
        if ((ownWords.get(c.name) ?? 0) > inside) continue;
        if (scope.some((p) => wordsOf(p).has(c.name))) continue;
        const line = c.nameNode.startPosition.row + 1;
        hits.push({
          file: file.file.path,
          range: { startLine: line, endLine: line },
          message: `The ${KIND[file.language]} \`${c.name}\` is never called or referenced in ${WHERE[file.language]}${
            file.language === 'go' || file.language === 'python' ? ` (${scope.length + 1} files searched)` : ''
          }. Only its own ${file.language === 'go' ? 'package' : file.language === 'java' ? 'class' : 'module'} can reach it, so it is dead code: it is read, reviewed and kept compiling for nothing, and a reader may believe it runs.`,
          suggestion: { description: `Remove \`${c.name}\`, or call it where it was meant to be used (the history may say why it was left).` },
        });
      }
    }
    return hits;
  },
};
