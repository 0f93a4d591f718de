/** `architecture/god-module`: modules and classes that do too much. */
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import type { SyntaxNode } from '../../syntax';
import { LANG } from '../../lang';
import { spanLines } from '../../nodes';
import { headerRange } from './util';
import { basename } from '../../imports';

// Lines and counts chosen so that large but cohesive modules (a parser, a CLI) stay quiet.
const GOD_FILE_LINES = 1000;
const GOD_FILE_DECLS = 40;
const GOD_CLASS_METHODS = 40;
const GOD_CLASS_LINES = 1000;
const GOD_CLASS_METHODS_WHEN_LONG = 25;

function topLevelDecls(file: ParsedFile): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const lang = file.language;
  const fnTypes = LANG[lang].func;
  const classTypes = LANG[lang].classDecl;
  for (const st0 of file.root.namedChildren) {
    if (!st0) continue;
    let st: SyntaxNode = st0;
    if (st.type === 'export_statement') st = st.childForFieldName('declaration') ?? st;
    if (st.type === 'decorated_definition') st = st.childForFieldName('definition') ?? st;
    if (fnTypes.includes(st.type) || classTypes.includes(st.type)) out.push(st);
    else if (st.type === 'lexical_declaration' || st.type === 'variable_declaration') {
      for (const d of st.namedChildren) {
        const v = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
        if (v && (fnTypes.includes(v.type) || classTypes.includes(v.type))) out.push(d!);
      }
    }
  }
  return out;
}

/** True for a method body that does nothing itself: `pass`, `...`, `raise NotImplementedError`, empty, or a single `return`/`throw`. */
function isStub(fn: SyntaxNode): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return true;
  const stmts = body.namedChildren.filter((c) => c && !c.type.includes('comment'));
  if (stmts.length === 0) return true;
  if (stmts.length > 1) return false;
  const s = stmts[0]!;
  if (s.type === 'pass_statement' || s.type === 'raise_statement' || s.type === 'throw_statement') return true;
  if (s.type === 'expression_statement' && (s.namedChildren[0]?.type === 'ellipsis' || s.namedChildren[0]?.type === 'string')) return true;
  return false;
}

/** Methods that carry behaviour: accessors (`get x()`, `@property`) and stubs of abstract interfaces are not counted. */
function classMethods(cls: SyntaxNode, file: ParsedFile): number {
  const body = cls.childForFieldName('body');
  if (!body) return 0;
  let n = 0;
  for (const m of body.namedChildren) {
    let d: SyntaxNode | null = m;
    if (d?.type === 'decorated_definition') {
      if (d.namedChildren.some((c) => c?.type === 'decorator' && /^@(property|\w+\.setter|\w+\.getter|abstractmethod|abc\.abstractmethod|overload|typing\.overload)$/.test(c.text))) continue;
      d = d.childForFieldName('definition');
    }
    if (!d) continue;
    if (['method_definition', 'function_definition', 'method_declaration', 'constructor_declaration'].includes(d.type)) {
      if (d.children.some((c) => c?.type === 'get' || c?.type === 'set')) continue;
      if (isStub(d)) continue;
      n++;
    } else if (file.language !== 'python' && d.type === 'public_field_definition' && LANG[file.language].func.includes(d.childForFieldName('value')?.type ?? '')) n++;
  }
  return n;
}

/** Name of a class node, or of the variable it is assigned to (`var Node = class {…}`). */
function className(cls: SyntaxNode): string | undefined {
  const own = cls.childForFieldName('name')?.text;
  if (own) return own;
  const p = cls.parent;
  if (p?.type === 'variable_declarator' || p?.type === 'assignment_expression') return (p.childForFieldName('name') ?? p.childForFieldName('left'))?.text;
  return undefined;
}

/** Bundler output (esbuild, webpack, rollup helpers) concatenates many modules: not an authored module. */
function isBundle(decls: SyntaxNode[]): boolean {
  return decls.some((d) => /^(__toESM|__commonJS|__export|__webpack_require__|__require|__defProp|_interopRequireDefault)$/.test(d.childForFieldName('name')?.text ?? ''));
}

export const godModule: FileRule = {
  kind: 'file',
  id: 'architecture/god-module',
  personas: ['architect'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'medium',
  category: 'god-module',
  title: 'Module or class with too many responsibilities',
  description:
    `Reports a file of more than ${GOD_FILE_LINES} lines with more than ${GOD_FILE_DECLS} top-level functions and classes, and a class with more than ${GOD_CLASS_METHODS} methods (or more than ${GOD_CLASS_LINES} lines and ${GOD_CLASS_METHODS_WHEN_LONG} methods). ` +
    'Such a unit usually mixes several concerns, so every change touches it and it is hard to test in parts. Split it by responsibility.',
  references: [],
  confidence: 0.7,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const lang = file.language;
    for (const cls of file.root.descendantsOfType([...LANG[lang].classDecl])) {
      if (!cls || (lang === 'go' && cls.type === 'type_declaration')) continue;
      const methods = classMethods(cls, file);
      const lines = spanLines(cls);
      if (methods > GOD_CLASS_METHODS || (lines > GOD_CLASS_LINES && methods > GOD_CLASS_METHODS_WHEN_LONG)) {
        const name = className(cls) ?? 'This class';
        hits.push({
          range: headerRange(cls),
          title: 'God class',
          message: `\`${name}\` has ${methods} methods over ${lines} lines. A class this large usually carries several responsibilities, so unrelated changes collide in it and it cannot be tested in parts.`,
          suggestion: { description: `Group the methods of \`${name}\` by the data they use and move each group into its own class that \`${name}\` delegates to.` },
        });
      }
    }
    if (file.lines.length > GOD_FILE_LINES) {
      const decls = topLevelDecls(file);
      // Go spreads a package over files and Java holds one class per file: count their declarations per file too.
      if (decls.length > GOD_FILE_DECLS && decls[0] && !isBundle(decls)) {
        hits.push({
          range: headerRange(decls[0]),
          title: 'God module',
          message: `\`${basename(file.file.path)}\` has ${file.lines.length} lines and ${decls.length} top-level ${lang === 'go' ? 'functions, methods and types' : 'functions and classes'}. A module this broad is a magnet for unrelated changes and merge conflicts, and its pieces cannot be reused or tested apart.`,
          suggestion: { description: 'Split the module by responsibility (for example parsing, validation, I/O) into smaller modules, and keep this one as a thin entry point that re-exports them if callers need one import.' },
        });
      }
    }
    return hits;
  },
};
