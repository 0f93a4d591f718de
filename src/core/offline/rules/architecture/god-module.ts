/** `architecture/god-module`: modules and classes that do too much. */
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { LANG } from '../../lang';
import { spanLines } from '../../nodes';
import { headerRange } from './util';
import { basename } from '../../imports';
import { declarationGroups, methodGroups } from './cohesion';

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

/** The name a top-level declaration is referred to by (a Go method by its receiver type's methods: its own name). */
function declName(d: SyntaxNode): string {
  return d.childForFieldName('name')?.text ?? '';
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

/**
 * True for a constructor or destructor: JS/TS `constructor`, Python `__init__`/`__new__`/`__del__`, a Java
 * constructor. LCOM4 leaves them out: a constructor initialises every field, so counting it links every group
 * of methods into one and hides a class's separate responsibilities (Briand, Daly & Wüst, "A Unified Framework
 * for Cohesion Measurement in Object-Oriented Systems", Empirical Software Engineering 3(1), 1998, §4 on
 * constructors; Al Dallal, "The impact of accounting for special methods in the measurement of object-oriented
 * class cohesion", Journal of Systems and Software 85(5), 2012; Axivion's Metric-OO.LCOM4 "does not include
 * constructors and destructors").
 */
function isConstructor(d: SyntaxNode, name: string, lang: ParsedLanguage): boolean {
  if (d.type === 'constructor_declaration' || d.type === 'compact_constructor_declaration') return true;
  if (lang === 'python') return name === '__init__' || name === '__new__' || name === '__del__';
  return d.type === 'method_definition' && name === 'constructor';
}

/**
 * Methods that carry behaviour, with their names: constructors and destructors ({@link isConstructor}),
 * accessors (`get x()`, `@property`) and stubs of abstract interfaces are not counted.
 */
function classMethods(cls: SyntaxNode, file: ParsedFile): Array<{ name: string; node: SyntaxNode }> {
  const body = cls.childForFieldName('body');
  if (!body) return [];
  const out: Array<{ name: string; node: SyntaxNode }> = [];
  for (const m of body.namedChildren) {
    let d: SyntaxNode | null = m;
    if (d?.type === 'decorated_definition') {
      if (d.namedChildren.some((c) => c?.type === 'decorator' && /^@(property|\w+\.setter|\w+\.getter|abstractmethod|abc\.abstractmethod|overload|typing\.overload)$/.test(c.text))) continue;
      d = d.childForFieldName('definition');
    }
    if (!d) continue;
    const name = d.childForFieldName('name')?.text ?? '';
    if (['method_definition', 'function_definition', 'method_declaration', 'constructor_declaration', 'compact_constructor_declaration'].includes(d.type)) {
      if (isConstructor(d, name, file.language)) continue;
      if (d.children.some((c) => c?.type === 'get' || c?.type === 'set')) continue;
      if (isStub(d)) continue;
      out.push({ name, node: d });
    } else if (file.language !== 'python' && d.type === 'public_field_definition' && LANG[file.language].func.includes(d.childForFieldName('value')?.type ?? '')) {
      out.push({ name: d.childForFieldName('name')?.text ?? name, node: d });
    }
  }
  return out;
}

/** Groups of at least this many members count as a responsibility of their own. */
const MIN_CLASS_GROUP = 5;
const MIN_MODULE_GROUP = 8;

/** `a`, `b`, `c` (+ 12 more) for a message. */
function sample(group: string[]): string {
  const shown = group.slice(0, 4).map((n) => `\`${n}\``).join(', ');
  return group.length > 4 ? `${shown} and ${group.length - 4} more` : shown;
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
    `Reports a class with more than ${GOD_CLASS_METHODS} methods (or more than ${GOD_CLASS_LINES} lines and ${GOD_CLASS_METHODS_WHEN_LONG} methods) whose methods fall into two or more groups of ${MIN_CLASS_GROUP} or more that share no instance field and call nothing of each other (LCOM4, Hitz & Montazeri 1995; constructors and destructors left out, as the cohesion literature does, since they touch every field), and a file of more than ${GOD_FILE_LINES} lines with more than ${GOD_FILE_DECLS} top-level functions and classes in two or more groups of ${MIN_MODULE_GROUP} or more that never refer to each other. ` +
    'A large unit whose members work together (a parser, a facade, a protocol implementation) is one responsibility and is not reported. Groups that share nothing are separate concerns kept together: every change touches the unit and it is hard to test in parts. Split it along the groups.',
  references: [],
  confidence: 0.7,
  // Runs at every depth: it reports groups of methods that share nothing (a structural fact, not a size), and
  // on the twelve libraries of bench/quality and the README's main-job folders it reports nothing.
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const lang = file.language;
    for (const cls of file.root.descendantsOfType([...LANG[lang].classDecl])) {
      if (!cls || (lang === 'go' && cls.type === 'type_declaration')) continue;
      const list = classMethods(cls, file);
      const methods = list.length;
      const lines = spanLines(cls);
      if (methods > GOD_CLASS_METHODS || (lines > GOD_CLASS_LINES && methods > GOD_CLASS_METHODS_WHEN_LONG)) {
        // Large but cohesive (its methods share fields or call each other) is one responsibility: not reported.
        const groups = methodGroups(cls, list, lang).filter((g) => g.length >= MIN_CLASS_GROUP);
        if (groups.length < 2) continue;
        const name = className(cls) ?? 'This class';
        hits.push({
          range: headerRange(cls),
          title: 'God class',
          message: `\`${name}\` has ${methods} methods over ${lines} lines, in ${groups.length} groups that share no field and call nothing of each other: ${groups.slice(0, 4).map((g) => `{${sample(g)}}`).join('; ')}. Each group is a responsibility of its own, so unrelated changes collide in this class and it cannot be tested in parts.`,
          suggestion: { description: `Move each group of methods, with the fields it uses, into its own class that \`${name}\` delegates to (or that callers use directly).` },
        });
      }
    }
    if (file.lines.length > GOD_FILE_LINES) {
      const decls = topLevelDecls(file);
      // Go spreads a package over files and Java holds one class per file: count their declarations per file too.
      const groups = decls.length > GOD_FILE_DECLS && decls[0] && !isBundle(decls) ? declarationGroups(decls.map((d) => ({ name: declName(d), node: d })), lang).filter((g) => g.length >= MIN_MODULE_GROUP) : [];
      if (groups.length >= 2 && decls[0]) {
        hits.push({
          range: headerRange(decls[0]),
          title: 'God module',
          message: `\`${basename(file.file.path)}\` has ${file.lines.length} lines and ${decls.length} top-level ${lang === 'go' ? 'functions, methods and types' : 'functions and classes'}, in ${groups.length} groups that never refer to each other: ${groups.slice(0, 4).map((g) => `{${sample(g)}}`).join('; ')}. Each is a module of its own kept in one file: a magnet for unrelated changes and merge conflicts, and its pieces cannot be reused or tested apart.`,
          suggestion: { description: 'Split the module by responsibility (for example parsing, validation, I/O) into smaller modules, and keep this one as a thin entry point that re-exports them if callers need one import.' },
        });
      }
    }
    return hits;
  },
};
