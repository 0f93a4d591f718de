/**
 * `quality/unused-private-variable`: a module-level variable or constant that only its own module can reach
 * and that nothing reads (dead code, CWE-561), as staticcheck's U1000 (Go), vulture (Python), ESLint's
 * `no-unused-vars` (JS/TS) and SonarQube's S1068 "unused private fields" (Java) report it:
 * - Go: an unexported package-level `var` or `const`, searched for in every file of its package's folder;
 * - Python: a module-level assignment to a name with one leading underscore, searched for in every Python
 *   file and packaging configuration of the project;
 * - JavaScript/TypeScript: a top-level `const`/`let`/`var` a module does not export (classic scripts, whose
 *   top-level names are globals, are left out);
 * - Java: a `private static` field without annotations (instance fields are left out: JSON and ORM mappers
 *   such as Gson, Jackson and JPA read and write them by reflection; they skip static fields), other than the
 *   serialization runtime's `serialVersionUID` and `serialPersistentFields` (Java Object Serialization
 *   Specification §4.6, §1.5).
 *
 * Declarations of one run (one block or consecutive statements, no blank line between) are judged together:
 * one used or public member marks the run used (./unused.ts says why). How references are searched for:
 * ./unused.ts.
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { blankLineBetween, byLanguage, findUnused, isModule, REACH, searchedNote, type FileCandidates, type UnusedCandidate } from './unused';

/** Java fields the serialization runtime reads by name. */
const SERIALIZATION_FIELDS = new Set(['serialVersionUID', 'serialPersistentFields']);

/** One declared name of a run: a candidate when private, else it marks its run used. */
interface Declared {
  candidate?: UnusedCandidate;
  /** 0-based rows of the declaration statement or spec that holds it. */
  startRow: number;
  endRow: number;
}

/**
 * Groups declared names into runs and numbers the runs: `decls` lists statements in order (an empty entry is a
 * statement that declares nothing and ends the run); a blank line between two statements ends it too.
 */
function grouped(file: ParsedFile, decls: Declared[][]): FileCandidates {
  const candidates: UnusedCandidate[] = [];
  const usedGroups = new Set<number>();
  let group = 0;
  let prev: Declared | undefined;
  for (const stmt of decls) {
    const first = stmt[0];
    if (!first) {
      prev = undefined; // another statement or declaration ends the run
      continue;
    }
    if (!prev || blankLineBetween(file, prev.endRow, first.startRow)) group++;
    for (const d of stmt) {
      if (d.candidate) candidates.push({ ...d.candidate, group });
      else usedGroups.add(group);
    }
    prev = stmt[stmt.length - 1];
  }
  return { candidates, usedGroups };
}

function goScan(file: ParsedFile): FileCandidates {
  const decls: Declared[][] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'var_declaration' && n?.type !== 'const_declaration') continue;
    const specType = n.type === 'var_declaration' ? 'var_spec' : 'const_spec';
    const specs = n.descendantsOfType(specType).filter((s): s is SyntaxNode => s !== null && (s.parent?.id === n.id || s.parent?.parent?.id === n.id));
    // Each top-level declaration starts its own run; its specs run on while no blank line separates them.
    decls.push([]);
    for (const spec of specs) {
      const stmt: Declared[] = [];
      for (const id of spec.childrenForFieldName('name')) {
        if (!id || id.text === '_') continue;
        const row = { startRow: spec.startPosition.row, endRow: spec.endPosition.row };
        stmt.push(/^[a-z]/.test(id.text) ? { ...row, candidate: { name: id.text, nameNode: id, node: spec } } : row);
      }
      decls.push(stmt);
    }
  }
  // Two top-level declarations are never one run (the empty entry between them ends it).
  return grouped(file, decls);
}

function pythonScan(file: ParsedFile): FileCandidates {
  const decls: Declared[][] = [];
  for (const n of file.root.namedChildren) {
    const a = n?.type === 'expression_statement' ? n.namedChildren[0] : undefined;
    if (!n || a?.type !== 'assignment') {
      decls.push([]); // any other statement ends a run
      continue;
    }
    const left = a.childForFieldName('left');
    const row = { startRow: n.startPosition.row, endRow: n.endPosition.row };
    const name = left?.type === 'identifier' ? left.text : undefined;
    const isPrivate = name !== undefined && /^_[A-Za-z0-9]/.test(name) && !name.startsWith('__');
    decls.push([isPrivate && left ? { ...row, candidate: { name: name!, nameNode: left, node: a } } : row]);
  }
  return grouped(file, decls);
}

function jsScan(file: ParsedFile): FileCandidates {
  if (!isModule(file)) return { candidates: [] };
  const decls: Declared[][] = [];
  for (const n of file.root.namedChildren) {
    if (!n) continue;
    const exported = n.type === 'export_statement';
    const decl = exported ? n.childForFieldName('declaration') : n;
    if (decl?.type !== 'lexical_declaration' && decl?.type !== 'variable_declaration') {
      decls.push([]);
      continue;
    }
    const stmt: Declared[] = [];
    for (const d of decl.namedChildren) {
      if (d?.type !== 'variable_declarator') continue;
      const id = d.childForFieldName('name');
      const row = { startRow: n.startPosition.row, endRow: n.endPosition.row };
      // Destructuring patterns are left out: their names are judged one by one by ESLint, and a pattern often unpacks a module for its side effects.
      stmt.push(id?.type === 'identifier' && !exported ? { ...row, candidate: { name: id.text, nameNode: id, node: d } } : row);
    }
    decls.push(stmt);
  }
  return grouped(file, decls);
}

function javaScan(file: ParsedFile): FileCandidates {
  const decls: Declared[][] = [];
  for (const body of file.root.descendantsOfType(['class_body', 'enum_body_declarations', 'interface_body'])) {
    decls.push([]); // a new body starts a new run
    for (const n of body?.namedChildren ?? []) {
      if (n?.type !== 'field_declaration') {
        if (n && n.type !== 'line_comment' && n.type !== 'block_comment') decls.push([]);
        continue;
      }
      const mods = n.namedChildren.find((c) => c?.type === 'modifiers');
      const words = mods?.children.map((c) => c?.text) ?? [];
      const annotated = mods?.namedChildren.some((c) => c?.type === 'annotation' || c?.type === 'marker_annotation') ?? false;
      const candidateField = words.includes('private') && words.includes('static') && !annotated;
      const row = { startRow: n.startPosition.row, endRow: n.endPosition.row };
      const stmt: Declared[] = [];
      for (const d of n.childrenForFieldName('declarator')) {
        const id = d?.childForFieldName('name');
        if (!d || !id) continue;
        stmt.push(candidateField && !SERIALIZATION_FIELDS.has(id.text) ? { ...row, candidate: { name: id.text, nameNode: id, node: d } } : row);
      }
      decls.push(stmt);
    }
  }
  return grouped(file, decls);
}

function scan(file: ParsedFile): FileCandidates {
  return byLanguage(file, { go: goScan, python: pythonScan, java: javaScan, js: jsScan });
}

const KIND: Record<ParsedLanguage, string> = {
  go: 'unexported package-level name',
  python: 'private module variable',
  java: 'private static field',
  javascript: 'module-level variable',
  typescript: 'module-level variable',
  tsx: 'module-level variable',
};

export const unusedPrivateVariable: ProjectRule = {
  kind: 'project',
  id: 'quality/unused-private-variable',
  personas: ['engineer', 'reviewer'],
  // Seed 000 ranks maintainability findings that do not change behaviour Low.
  severity: 'low',
  category: 'dead-code',
  title: 'Unused private variable or constant',
  description:
    'Reports module-level variables and constants that only their own module can read and that nothing reads: Go unexported package-level `var`/`const`, Python `_private` module variables unused in the project, JS/TS top-level variables a module neither exports nor uses, Java `private static` fields unused in their class. ' +
    'A declaration among others of the same block (no blank line between) is not reported while one of them is used: unused members of a table or enumeration are usually kept for completeness. Remove the leftover, or use it where it was meant to be used.',
  references: ['CWE-561'],
  confidence: 0.8,
  checkProject(project: ProjectIndex): ProjectHit[] {
    return findUnused(project, ALL_LANGS, scan).map(({ file, candidate: c, searched }) => {
      const line = c.nameNode.startPosition.row + 1;
      return {
        file: file.file.path,
        range: { startLine: line, endLine: line },
        message: `The ${KIND[file.language]} \`${c.name}\` is never read or referenced in ${REACH[file.language]}${searchedNote(file, searched)}, nor is anything declared beside it. It is dead code: a reader has to work out that nothing depends on it, and a value that looks configured is not used.`,
        suggestion: { description: `Remove \`${c.name}\`, or use it where it was meant to be used (the history may say why it was left).` },
      };
    });
  },
};
