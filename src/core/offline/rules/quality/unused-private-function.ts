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
 * How references are searched for: ./unused.ts.
 */
import type { ParsedLanguage } from '../../syntax';
import type { ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { byLanguage, findUnused, isModule, REACH, searchedNote, type UnusedCandidate } from './unused';

/** Java methods the serialization runtime calls by name (Java Object Serialization Specification §2.3–2.5, §3.2–3.4). */
const SERIALIZATION_HOOKS = new Set(['writeObject', 'readObject', 'readObjectNoData', 'writeReplace', 'readResolve']);

type Candidate = UnusedCandidate;

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
  return byLanguage(file, { go: goCandidates, python: pythonCandidates, java: javaCandidates, js: jsCandidates });
}

const KIND: Record<ParsedLanguage, string> = {
  go: 'unexported function',
  python: 'private module function',
  java: 'private method',
  javascript: 'module-local function',
  typescript: 'module-local function',
  tsx: 'module-local function',
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
    return findUnused(project, ALL_LANGS, (file) => ({ candidates: candidatesOf(file) })).map(({ file, candidate: c, searched }) => {
      const line = c.nameNode.startPosition.row + 1;
      return {
        file: file.file.path,
        range: { startLine: line, endLine: line },
        message: `The ${KIND[file.language]} \`${c.name}\` is never called or referenced in ${REACH[file.language]}${searchedNote(file, searched)}. Only its own ${file.language === 'go' ? 'package' : file.language === 'java' ? 'class' : 'module'} can reach it, so it is dead code: it is read, reviewed and kept compiling for nothing, and a reader may believe it runs.`,
        suggestion: { description: `Remove \`${c.name}\`, or call it where it was meant to be used (the history may say why it was left).` },
      };
    });
  },
};
