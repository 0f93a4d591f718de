/**
 * `quality/unused-import`: imports whose names the file never uses (Java, Python, JavaScript/TypeScript; Go
 * refuses to compile an unused import). The judgement of SonarQube's S1128, Pyflakes' F401 and ESLint's
 * `no-unused-vars` on import bindings, kept to what holds without a type checker:
 * - a use is the imported name as a whole word anywhere in the file outside its import statements, in code,
 *   strings (string annotations, `__all__`) or comments (Javadoc `{@link Name}` and type comments use it);
 * - Java: single-type and static imports (on-demand `*` imports are left out);
 * - Python: not in `__init__.py` (its imports re-export the package's API), not `from __future__`, not an
 *   explicit re-export (`import x as x`), not inside a `try` that handles `ImportError` (a probe for an optional
 *   dependency), not on a line marked `# noqa` or `# pylint: disable=unused-import`;
 * - JavaScript/TypeScript: bindings of `import` statements (`import 'x'` binds nothing and runs the module
 *   on purpose); a default or namespace import named `React` or `h` in a file with JSX is used by the
 *   classic JSX transform.
 * One finding per file, on the first unused import, naming all of them. Test files and generated files are left out.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isTestPath } from '../../paths';
import { isGenerated } from '../../declarations';

/** An import binding: the name the file would use, and the statement that binds it. */
interface Binding {
  name: string;
  statement: SyntaxNode;
}

function javaBindings(file: ParsedFile): Binding[] {
  const out: Binding[] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'import_declaration' || n.namedChildren.some((c) => c?.type === 'asterisk')) continue;
    const path = n.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
    const last = path?.type === 'scoped_identifier' ? path.childForFieldName('name') : path;
    if (last) out.push({ name: last.text, statement: n });
  }
  return out;
}

/** True when `n` sits in a `try` block whose handlers catch `ImportError` or `ModuleNotFoundError`. */
function inImportProbe(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
    if (p.type === 'try_statement' && p.namedChildren.some((c) => c?.type === 'except_clause' && /\b(ImportError|ModuleNotFoundError|Exception)\b|^except\s*:/.test(c.text))) return true;
  }
  return false;
}

function pythonBindings(file: ParsedFile): Binding[] {
  const p = file.file.path;
  if (p.endsWith('__init__.py') || p.endsWith('.pyi')) return [];
  const out: Binding[] = [];
  for (const n of file.root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!n || inImportProbe(n)) continue;
    const line = file.lines[n.startPosition.row] ?? '';
    if (/#\s*(noqa|pylint:\s*disable=[\w-]*unused-import)/.test(line)) continue;
    if (n.type === 'import_from_statement' && n.childForFieldName('module_name')?.text === '__future__') continue;
    for (const item of n.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const alias = item.childForFieldName('alias')?.text;
        const orig = item.childForFieldName('name')?.text;
        if (alias && alias !== orig) out.push({ name: alias, statement: n });
        continue; // `import x as x`: an explicit re-export
      }
      // `import a.b` binds `a`; `from m import x` binds `x`.
      const name = n.type === 'import_statement' ? item.text.split('.')[0]! : item.text;
      out.push({ name, statement: n });
    }
  }
  return out;
}

function jsBindings(file: ParsedFile): Binding[] {
  const hasJsx = file.root.descendantsOfType(['jsx_element', 'jsx_self_closing_element', 'jsx_fragment']).length > 0 || /@jsx\s/.test(file.file.text);
  const out: Binding[] = [];
  for (const n of file.root.namedChildren) {
    if (n?.type !== 'import_statement') continue;
    const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
    if (!clause) continue;
    for (const c of clause.namedChildren) {
      if (!c) continue;
      if (c.type === 'identifier' || c.type === 'namespace_import') {
        const id = c.type === 'identifier' ? c : c.namedChildren.find((x) => x?.type === 'identifier');
        if (id && !(hasJsx && (id.text === 'React' || id.text === 'h'))) out.push({ name: id.text, statement: n });
      } else if (c.type === 'named_imports') {
        for (const s of c.namedChildren) {
          if (s?.type !== 'import_specifier') continue;
          const id = s.childForFieldName('alias') ?? s.childForFieldName('name');
          if (id) out.push({ name: id.text, statement: n });
        }
      }
    }
  }
  return out;
}

function bindingsOf(file: ParsedFile): Binding[] {
  switch (file.language) {
    case 'java':
      return javaBindings(file);
    case 'python':
      return pythonBindings(file);
    default:
      return jsBindings(file);
  }
}

/** The file's text with its import statements blanked (line breaks kept), split into counted words. */
function wordsOutsideImports(file: ParsedFile, statements: SyntaxNode[]): Set<string> {
  const text = file.file.text;
  const sorted = [...new Map(statements.map((s) => [s.startIndex, s])).values()].sort((a, b) => a.startIndex - b.startIndex);
  const parts: string[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.startIndex < at) continue;
    parts.push(text.slice(at, s.startIndex), text.slice(s.startIndex, s.endIndex).replace(/[^\n]/g, ' '));
    at = s.endIndex;
  }
  parts.push(text.slice(at));
  return new Set(parts.join('').match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []);
}

export const unusedImport: FileRule = {
  kind: 'file',
  id: 'quality/unused-import',
  personas: ['engineer', 'reviewer'],
  languages: ['java', 'python', 'javascript', 'typescript', 'tsx'],
  // Seed 000 ranks maintainability findings that do not change behaviour Low.
  severity: 'low',
  category: 'dead-code',
  title: 'Unused import',
  description:
    'Reports imports whose names the file never uses: Java single-type and static imports, Python imports (not in `__init__.py`, not optional-dependency probes in `try`/`except ImportError`, not `# noqa`), JS/TS import bindings. A name used only in a comment such as Javadoc `{@link}` or in a string annotation counts as used. ' +
    'An unused import misleads readers about what the file depends on and adds a dependency edge that is not there. Remove it.',
  references: ['CWE-1164'],
  confidence: 0.85,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    // Tests are left out, as by the other quality rules: they are not shipped code.
    if (isGenerated(file) || isTestPath(project.relativeToReview(file.file.path))) return [];
    const bindings = bindingsOf(file);
    if (!bindings.length) return [];
    const statementsOf = (types: string[]) => file.root.descendantsOfType(types).filter((n): n is SyntaxNode => n !== null);
    const allImports = statementsOf(file.language === 'java' ? ['import_declaration'] : file.language === 'python' ? ['import_statement', 'import_from_statement'] : ['import_statement']);
    const words = wordsOutsideImports(file, allImports);
    const unused = bindings.filter((b) => !words.has(b.name));
    if (!unused.length) return [];
    const first = unused[0]!.statement;
    const names = unused.map((b) => `\`${b.name}\``);
    const list = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
    return [
      {
        range: { startLine: first.startPosition.row + 1, endLine: first.startPosition.row + 1 },
        message: `${unused.length === 1 ? 'This import is' : `${unused.length} imports are`} never used in this file: ${list}. An unused import tells a reader the file depends on something it does not, and keeps a dependency edge that is not there.`,
        suggestion: { description: `Remove the unused import${unused.length === 1 ? '' : 's'} (${list}).` },
      },
    ];
  },
};
