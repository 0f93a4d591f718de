/**
 * Offline rules of the Senior Engineer (`engineer`), Code Reviewer (`reviewer`), Documentation
 * (`documentation`) and Specification (`specification`) personas: long, deeply nested and complex
 * functions, vague names, undocumented public API, and public signatures without types. Seed 000 ranks
 * code quality Medium and style/documentation Low.
 */
import type { FileRule, OfflineRule, ParsedFile, ProjectHit, ProjectIndex, ProjectRule, RuleHit } from '../rule';
import type { ParsedLanguage, SyntaxNode } from '../syntax';
import { ancestor, walk } from '../syntax';
import { functionName, LANG } from '../lang';
import { exportedDeclarations, isDocumented, isGenerated, isInternalModule, isTestPath, spanLines, walkOwn } from './design-util';

const ALL_LANGS = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'] as const;

/** A one-line range on the first line of `n`: a short, stable quote for findings about a whole function. */
function firstLine(n: SyntaxNode): RuleHit['range'] {
  const line = n.startPosition.row + 1;
  return { startLine: line, endLine: line };
}

/** The header line of a function: the line of its name (after annotations/decorators), else its first line. */
function headerLine(fn: SyntaxNode): RuleHit['range'] {
  return firstLine(fn.childForFieldName('name') ?? fn);
}

/** Function-like nodes that own a body worth measuring (no lambdas with expression bodies). */
function functionsOf(file: ParsedFile): SyntaxNode[] {
  return file.root.descendantsOfType([...LANG[file.language].func]).filter((n): n is SyntaxNode => n !== null && n.childForFieldName('body') !== null);
}

/** A readable name for a function node: its own name, the variable/property it is assigned to, or `anonymous function`. */
function nameOf(fn: SyntaxNode): string {
  const n = functionName(fn);
  if (n) return n;
  const p = fn.parent;
  if (p?.type === 'public_field_definition' || p?.type === 'field_definition') return p.childForFieldName('name')?.text ?? p.childForFieldName('property')?.text ?? 'anonymous function';
  return 'anonymous function';
}

function describe(fn: SyntaxNode): string {
  const n = nameOf(fn);
  return n === 'anonymous function' ? `This anonymous function (line ${fn.startPosition.row + 1})` : `\`${n}\``;
}

/**
 * Rows (0-based) of `fn` holding its own code: not blank, not comment-only, not inside a nested
 * function. The header row counts.
 */
function ownCodeRows(fn: SyntaxNode, file: ParsedFile): Set<number> {
  const rows = new Set<number>();
  for (let r = fn.startPosition.row; r <= fn.endPosition.row; r++) if ((file.lines[r] ?? '').trim() !== '') rows.add(r);
  const comments = LANG[file.language].comment;
  const funcs = LANG[file.language].func;
  walk(fn, (n) => {
    if (n !== fn && funcs.includes(n.type)) {
      // A nested function's own rows belong to it; the row where it starts stays with the parent.
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    if (LANG[file.language].string.includes(n.type) && n.endPosition.row > n.startPosition.row) {
      // A multi-line literal (embedded script, SQL, docstring) is data, not steps of the function.
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    if (comments.includes(n.type)) {
      const before = (file.lines[n.startPosition.row] ?? '').slice(0, n.startPosition.column).trim();
      const after = (file.lines[n.endPosition.row] ?? '').slice(n.endPosition.column).trim();
      if (before === '' && after === '') for (let r = n.startPosition.row; r <= n.endPosition.row; r++) rows.delete(r);
      return false;
    }
    return true;
  });
  return rows;
}

const LONG_FUNCTION_LINES = 80;

const STATEMENT_LABEL: Record<string, string> = {
  if_statement: '`if` block',
  for_statement: 'loop',
  for_in_statement: 'loop',
  enhanced_for_statement: 'loop',
  while_statement: 'loop',
  do_statement: 'loop',
  switch_statement: '`switch`',
  expression_switch_statement: '`switch`',
  type_switch_statement: 'type `switch`',
  switch_expression: '`switch`',
  select_statement: '`select`',
  try_statement: '`try` block',
  try_with_resources_statement: '`try` block',
  with_statement: '`with` block',
  match_statement: '`match`',
};

/** The largest top-level blocks of a body (≥ 12 lines), as extraction candidates. */
function extractionCandidates(fn: SyntaxNode): string {
  let body = fn.childForFieldName('body');
  if (body?.namedChildCount === 1 && body.namedChildren[0]?.type === 'statement_list') body = body.namedChildren[0];
  if (!body) return '';
  const blocks = body.namedChildren
    .filter((c): c is SyntaxNode => c !== null && spanLines(c) >= 12)
    .sort((a, b) => spanLines(b) - spanLines(a))
    .slice(0, 3)
    .sort((a, b) => a.startPosition.row - b.startPosition.row);
  if (blocks.length === 0) return '';
  const parts = blocks.map((b) => `the ${STATEMENT_LABEL[b.type] ?? 'statements'} at lines ${b.startPosition.row + 1}–${b.endPosition.row + 1}`);
  return ` Candidates to extract into named helpers: ${parts.join(', ')}.`;
}

const longFunction: FileRule = {
  kind: 'file',
  id: 'quality/long-function',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'function-length',
  title: 'Function too long',
  description:
    `Reports a function with more than ${LONG_FUNCTION_LINES} lines of its own code (blank lines, comment lines and nested functions not counted). ` +
    'A function that long usually does several things, is hard to read in one sitting and hard to test in parts. Split it into well-named helpers.',
  references: [],
  confidence: 0.8,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      const own = ownCodeRows(fn, file).size;
      if (own <= LONG_FUNCTION_LINES) continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has ${own} lines of its own code (limit ${LONG_FUNCTION_LINES}). A function this long usually mixes several steps, so a reader has to hold all of them in mind and a test cannot exercise one step alone.${extractionCandidates(fn)}`,
        suggestion: { description: 'Split the function into a short coordinator that calls a few well-named helpers, one per step.' },
      });
    }
    return hits;
  },
};

const NESTING: Record<ParsedLanguage, readonly string[]> = {
  javascript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  typescript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  tsx: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  python: ['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement'],
  go: ['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'],
  java: ['if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement'],
};

/** True for the `if` of an `else if`, which continues a chain instead of nesting deeper. */
function isElseIf(n: SyntaxNode): boolean {
  if (n.type !== 'if_statement' || !n.parent) return false;
  if (n.parent.type === 'else_clause') return true;
  return n.parent.type === 'if_statement' && n.parent.childForFieldName('alternative')?.id === n.id;
}

const MAX_NESTING = 4;

const deepNesting: FileRule = {
  kind: 'file',
  id: 'quality/deep-nesting',
  personas: ['engineer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'nesting',
  title: 'Deeply nested code',
  description:
    `Reports the most deeply nested statement of a function whose control blocks (if, loops, switch, try, with) nest more than ${MAX_NESTING} deep; \`else if\` chains do not add depth and nested functions are measured on their own. ` +
    'Each level is another condition the reader must keep in mind. Flatten with guard clauses (early return/continue) or extract the inner part into a function.',
  references: [],
  confidence: 0.8,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const types = NESTING[file.language];
    for (const fn of functionsOf(file)) {
      let deepest: { node: SyntaxNode; depth: number } | undefined;
      const visit = (n: SyntaxNode, depth: number) => {
        for (const c of n.namedChildren) {
          if (!c || LANG[file.language].func.includes(c.type)) continue;
          const counts = types.includes(c.type) && !isElseIf(c);
          const d = counts ? depth + 1 : depth;
          if (counts && d > MAX_NESTING && (!deepest || d > deepest.depth)) deepest = { node: c, depth: d };
          visit(c, d);
        }
      };
      visit(fn, 0);
      if (!deepest) continue;
      const chain: string[] = [];
      for (let p: SyntaxNode | null = deepest.node; p && p.id !== fn.id; p = p.parent) {
        if (types.includes(p.type) && !isElseIf(p)) chain.unshift(STATEMENT_LABEL[p.type]?.replace(/`/g, '') ?? p.type);
      }
      hits.push({
        range: firstLine(deepest.node),
        message: `This ${STATEMENT_LABEL[deepest.node.type] ?? 'block'} in ${describe(fn)} is nested ${deepest.depth} levels deep (${chain.join(' › ')}; limit ${MAX_NESTING}). Every level is one more condition a reader must hold in mind to know when this line runs.`,
        suggestion: { description: 'Invert the outer conditions into guard clauses (`return`/`continue` early), or move the inner loop or block into a function with a name that says what it does.' },
      });
    }
    return hits;
  },
};

/**
 * Decision points of one node for the modified cyclomatic complexity (McCabe 1976, decisions + 1, with
 * a whole `switch`/`match`/`select` counted once, as Lizard's `--modified` CCN does, since a flat dispatch over
 * one value is read as one decision). A chain of the same boolean operator counts once (as in SonarSource's
 * Cognitive Complexity); `??` and optional chaining are not counted.
 */
function decisions(n: SyntaxNode): number {
  switch (n.type) {
    case 'if_statement':
    case 'elif_clause':
    case 'for_statement':
    case 'for_in_statement':
    case 'enhanced_for_statement':
    case 'while_statement':
    case 'do_statement':
    case 'catch_clause':
    case 'except_clause':
    case 'ternary_expression':
    case 'conditional_expression':
    case 'switch_statement':
    case 'switch_expression':
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement':
    case 'match_statement':
    case 'if_clause':
    case 'for_in_clause':
      return 1;
    case 'boolean_operator':
    case 'binary_expression': {
      const op = logicalOp(n);
      // A chain of the same operator (`a && b && c`) is one compound condition.
      return op && logicalOp(n.parent) !== op ? 1 : 0;
    }
    default:
      return 0;
  }
}

/** `&&`/`||`/`and`/`or` of a binary node, or undefined. */
function logicalOp(n: SyntaxNode | null): string | undefined {
  if (!n || (n.type !== 'binary_expression' && n.type !== 'boolean_operator')) return undefined;
  const op = n.childForFieldName('operator')?.type ?? n.children.find((c) => c && !c.isNamed)?.type;
  return op === '&&' || op === '||' || op === 'and' || op === 'or' ? op : undefined;
}

const MAX_COMPLEXITY = 20;

const complexFunction: FileRule = {
  kind: 'file',
  id: 'quality/complex-function',
  personas: ['engineer', 'reviewer'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'complexity',
  title: 'Function with high cyclomatic complexity',
  description:
    `Reports a function whose cyclomatic complexity (McCabe: 1 + branches, loops, catches, ternaries and \`&&\`/\`||\` chains; a whole \`switch\` counts once) exceeds ${MAX_COMPLEXITY}; nested functions are measured on their own. ` +
    'Each independent path needs its own test, and this many paths are rarely all tested. Split the decision logic or replace branches with a lookup table or polymorphism.',
  references: [],
  confidence: 0.75,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const fn of functionsOf(file)) {
      let cc = 1;
      walkOwn(fn, file.language, (n) => {
        cc += decisions(n);
      });
      if (cc <= MAX_COMPLEXITY) continue;
      hits.push({
        range: headerLine(fn),
        message: `${describe(fn)} has a cyclomatic complexity of ${cc} (limit ${MAX_COMPLEXITY}): that many independent paths each need a test, and a change to one branch is easy to get wrong in another.`,
        suggestion: { description: 'Extract groups of related branches into helpers, turn long if/else or switch chains over a value into a lookup table, and return early for the simple cases.' },
      });
    }
    return hits;
  },
};

// Names that say nothing about what a function does (seed 000's own example is `process_data()`).
const VAGUE_WORDS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'thing', 'things', 'dostuff', 'dosomething', 'dothing', 'doit', 'dowork', 'temp', 'tmp', 'blah', 'asdf', 'whatever', 'misc', 'func', 'fn1', 'test1', 'mything', 'mystuff', 'handlethings', 'processdata', 'processinfo', 'processstuff', 'processthings', 'handledata', 'handleinfo', 'dodata', 'managedata', 'managestuff', 'dataprocess', 'getstuff', 'getthing', 'obj', 'val', 'helper', 'util', 'utils']);
// Parameter names that say nothing about the value (plain `data`, `value`, `item` are often fine for parameters).
const VAGUE_PARAMS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'blah', 'asdf', 'whatever', 'tmp', 'xxx']);
// Verb + vague noun names are the author's choice for free functions, but for methods they are often
// fixed by a framework (`HTMLParser.handle_data`), so methods are held only to the placeholder words.
const PLACEHOLDER_WORDS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'thing', 'things', 'dostuff', 'dosomething', 'dothing', 'doit', 'blah', 'asdf', 'whatever', 'mything', 'mystuff']);

function normaliseName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** Parameter name nodes of a function (identifiers only; destructuring patterns are skipped). */
function parameterNames(fn: SyntaxNode): SyntaxNode[] {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return [];
  if (params.type === 'identifier') return [params];
  const out: SyntaxNode[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p);
    else {
      const nm = p.childForFieldName('pattern') ?? p.childForFieldName('name') ?? (p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? p.namedChildren[0] : null);
      if (nm?.type === 'identifier') out.push(nm);
    }
  }
  return out;
}

/** True for a method that overrides or implements another (its name is not the author's choice). */
function isOverride(fn: SyntaxNode): boolean {
  const mods = fn.namedChildren.find((c) => c?.type === 'modifiers');
  if (mods?.text.includes('@Override')) return true;
  return fn.children.some((c) => c?.type === 'override_modifier');
}

const vagueName: FileRule = {
  kind: 'file',
  id: 'quality/vague-name',
  personas: ['reviewer'],
  languages: ALL_LANGS,
  severity: 'low',
  category: 'naming',
  title: 'Vague name',
  description:
    'Reports functions named with placeholder or catch-all words (`foo`, `doStuff`, `processData`, `handleData`, `helper`; methods only for placeholders such as `foo`/`doStuff`, since frameworks fix many method names; nested closures are skipped) and parameters named `foo`, `tmp`, `stuff` and the like. ' +
    'A name that says nothing about the job forces every reader to open the body. Rename after what it computes or does.',
  references: [],
  confidence: 0.7,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    for (const fn of file.root.descendantsOfType([...LANG[file.language].func])) {
      if (!fn) continue;
      const nameNode = fn.childForFieldName('name');
      // Closures inside another function (decorator wrappers, local helpers) are out of scope.
      const nested = ancestor(fn, LANG[file.language].func) !== null;
      const isMethod = ['method_definition', 'method_declaration'].includes(fn.type) || (fn.type === 'function_definition' && ancestor(fn, ['class_definition']) !== null);
      const words = isMethod ? PLACEHOLDER_WORDS : VAGUE_WORDS;
      if (nameNode && !nested && words.has(normaliseName(nameNode.text)) && !isOverride(fn)) {
        hits.push({
          node: nameNode,
          message: `The function name \`${nameNode.text}\` does not say what it does: a reader has to open the body to find out, and a caller cannot tell whether it is the right function to call.`,
          suggestion: { description: `Rename \`${nameNode.text}\` after the result it produces or the effect it has (for example \`parseInvoice\`, \`normaliseAddress\`, \`sendWelcomeEmail\`).` },
        });
      }
      for (const p of parameterNames(fn)) {
        if (!VAGUE_PARAMS.has(normaliseName(p.text))) continue;
        hits.push({
          node: p,
          message: `The parameter \`${p.text}\` of ${describe(fn)} is a placeholder name: it does not tell the caller what to pass or the reader what the value means.`,
          suggestion: { description: `Rename \`${p.text}\` after what the value is (\`invoice\`, \`retryCount\`, \`userId\`).` },
        });
      }
    }
    return hits;
  },
};

const MAX_UNDOCUMENTED_PER_FILE = 10;
const MIN_DOC_LINES = 5;

const undocumentedExport: FileRule = {
  kind: 'file',
  id: 'quality/undocumented-export',
  personas: ['reviewer', 'documentation'],
  languages: ALL_LANGS,
  severity: 'low',
  category: 'documentation',
  title: 'Public API without documentation',
  description:
    `Reports exported functions and classes of ${MIN_DOC_LINES} lines or more with no doc comment or docstring: JS/TS \`export\`s and CommonJS exports, Python public top-level definitions (or \`__all__\`), Go exported identifiers (Effective Go: every exported name should have a doc comment), Java public classes and methods (Javadoc). ` +
    `At most ${MAX_UNDOCUMENTED_PER_FILE} per file. Say what it does, its inputs and outputs, and what it throws.`,
  references: [],
  confidence: 0.7,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    const p = file.file.path;
    if (isTestPath(p) || p.endsWith('.d.ts') || isGenerated(file) || isInternalModule(p, file.language)) return [];
    // Compiled JavaScript with a declaration file beside it: the documentation lives in the .d.ts.
    const stem = p.replace(/\.[cm]?js$/, '');
    if (stem !== p && project.files.some((f) => f.path === `${stem}.d.ts` || f.path === `${stem}.d.mts` || f.path === `${stem}.d.cts`)) return [];
    const missing = exportedDeclarations(file).filter((d) => spanLines(d.node) >= MIN_DOC_LINES && !isDocumented(d, file.language));
    const style = { python: 'a docstring', go: `a \`// Name …\` doc comment`, java: 'a Javadoc comment', javascript: 'a JSDoc comment', typescript: 'a TSDoc comment', tsx: 'a TSDoc comment' }[file.language];
    return missing.slice(0, MAX_UNDOCUMENTED_PER_FILE).map((d, i) => {
      const more = i === MAX_UNDOCUMENTED_PER_FILE - 1 && missing.length > MAX_UNDOCUMENTED_PER_FILE ? ` (${missing.length - MAX_UNDOCUMENTED_PER_FILE} more undocumented exports in this file are not listed.)` : '';
      const what = d.kind === 'class' ? 'class' : d.kind === 'method' ? 'method' : 'function';
      return {
        node: d.nameNode,
        message: `The public ${what} \`${d.name}\` has no documentation. Callers see only its name and signature: say in ${style} what it does, what it expects and returns, and which errors it raises.${more}`,
        suggestion: { description: `Add ${style} above \`${d.name}\` describing its purpose, parameters, return value and errors.` },
      };
    });
  },
};

// Type constructs that keep `any` the type of the value itself (`any`, `any[]`, `Promise<any>`, `X | any`).
// Inside function or constructor types (`(reason: any) => void`, `new (...args: any[]) => T`) `any` is the
// idiomatic way to accept every callback or class, so those are not reported.
const DIRECT_TYPE_WRAPPERS = new Set(['type_annotation', 'array_type', 'generic_type', 'type_arguments', 'union_type', 'parenthesized_type', 'readonly_type', 'predefined_type']);

function directAny(n: SyntaxNode, found: (n: SyntaxNode) => void): void {
  if (n.type === 'predefined_type') {
    if (n.text === 'any') found(n);
    return;
  }
  if (!DIRECT_TYPE_WRAPPERS.has(n.type)) return;
  for (const c of n.namedChildren) if (c) directAny(c, found);
}

/** The `any` type nodes of a TS function's parameter annotations and return type (not inside its body). */
function anyTypes(fn: SyntaxNode): Array<{ node: SyntaxNode; where: string }> {
  const out: Array<{ node: SyntaxNode; where: string }> = [];
  const params = fn.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    const ann = p?.childForFieldName('type');
    if (!p || !ann) continue;
    const pname = p.childForFieldName('pattern')?.text ?? 'a parameter';
    directAny(ann, (n) => out.push({ node: n, where: `parameter \`${pname}\`` }));
  }
  const ret = fn.childForFieldName('return_type');
  if (ret) directAny(ret, (n) => out.push({ node: n, where: 'return type' }));
  return out;
}

const anyTypedApi: FileRule = {
  kind: 'file',
  id: 'quality/any-typed-api',
  personas: ['specification'],
  languages: ['typescript', 'tsx'],
  severity: 'low',
  category: 'type-safety',
  title: 'Exported function typed with `any`',
  description:
    'Reports exported TypeScript functions (and public methods of exported classes) whose parameters or return type are `any` (also `any[]`, `Promise<any>`, unions); `any` inside callback and constructor types is left alone. ' +
    '`any` switches type checking off at the module boundary, so callers get no help and mistakes surface at run time. Use a precise type, a generic, or `unknown` with narrowing.',
  references: [],
  confidence: 0.85,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    const check = (fn: SyntaxNode, label: string) => {
      const found = anyTypes(fn);
      const first = found[0];
      if (!first) return;
      const list = [...new Set(found.map((f) => f.where))].join(', ');
      hits.push({
        node: first.node,
        message: `The exported ${label} types its ${list} as \`any\`. That switches type checking off for every caller: wrong arguments compile, and whatever comes back can be used as anything.`,
        suggestion: { description: 'Replace `any` with the real type, a generic type parameter, or `unknown` plus a type guard where the value is truly unknown.' },
      });
    };
    for (const d of exportedDeclarations(file)) {
      if (d.fn) check(d.fn, `function \`${d.name}\``);
      else if (d.kind === 'class') {
        const body = (d.node.type === 'variable_declarator' ? d.node.childForFieldName('value') : d.node)?.childForFieldName('body');
        for (const m of body?.namedChildren ?? []) {
          if (m?.type !== 'method_definition') continue;
          const access = m.namedChildren.find((c) => c?.type === 'accessibility_modifier')?.text;
          const mname = m.childForFieldName('name')?.text ?? '';
          if (access === 'private' || access === 'protected' || mname.startsWith('#')) continue;
          check(m, `method \`${d.name}.${mname}\``);
        }
      }
    }
    return hits;
  },
};

/** True when any parameter (other than self/cls) or the return of a Python function is annotated. */
function pythonAnnotated(fn: SyntaxNode): { any: boolean; params: number } {
  let any = fn.childForFieldName('return_type') !== null;
  let params = 0;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier' && (p.text === 'self' || p.text === 'cls')) continue;
    if (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') any = true;
    if (p.type !== 'keyword_separator' && p.type !== 'positional_separator') params++;
  }
  return { any, params };
}

interface UntypedFn {
  fn: SyntaxNode;
  name: string;
}

/** Public functions of one Python module: those without any hint, and whether any function has hints. */
function pythonHintUse(file: ParsedFile): { untyped: UntypedFn[]; typed: number } {
  const untyped: UntypedFn[] = [];
  let typed = 0;
  for (const d of exportedDeclarations(file)) {
    const fns: UntypedFn[] = [];
    if (d.fn) fns.push({ fn: d.fn, name: d.name });
    else {
      for (const m of d.node.childForFieldName('body')?.namedChildren ?? []) {
        const def = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
        const mname = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
        if (def && mname && !mname.startsWith('_')) fns.push({ fn: def, name: `${d.name}.${mname}` });
      }
    }
    for (const f of fns) {
      const a = pythonAnnotated(f.fn);
      if (a.any) typed++;
      else if (a.params > 0 && spanLines(f.fn) >= 3) untyped.push(f);
    }
  }
  return { untyped, typed };
}

function listNames(fns: UntypedFn[], max = 6): string {
  return fns.slice(0, max).map((c) => `\`${c.name}\``).join(', ') + (fns.length > max ? ', …' : '');
}

const untypedPythonApi: ProjectRule = {
  kind: 'project',
  id: 'quality/untyped-python-api',
  personas: ['specification'],
  severity: 'low',
  category: 'type-safety',
  title: 'Public Python function without type hints',
  description:
    'Reports public Python functions and methods (three lines or more, with parameters) that have no type hints at all (PEP 484). ' +
    'In a project (top-level folder) that mostly uses hints, each gap is reported (one finding for a module without any); a project that mostly does without them gets one finding in all. ' +
    'Hints document the contract and let mypy or pyright check every caller.',
  references: [],
  confidence: 0.7,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const modules = project.parsed
      .filter((f) => f.language === 'python' && !isTestPath(f.file.path) && !isInternalModule(f.file.path, 'python') && !isGenerated(f))
      .map((f) => ({ file: f, ...pythonHintUse(f) }))
      .filter((m) => m.untyped.length > 0 || m.typed > 0);
    // Top-level directories are treated as separate projects (a folder of installed packages, a monorepo).
    const groups = new Map<string, typeof modules>();
    for (const m of modules) {
      const p = m.file.file.path;
      const key = p.includes('/') ? p.slice(0, p.indexOf('/')) : '';
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    return [...groups.values()].flatMap((g) => untypedInGroup(g));
  },
};

type HintModule = ReturnType<typeof pythonHintUse> & { file: ParsedFile };

/** Findings for one group of Python modules (one project): see the rule description. */
function untypedInGroup(modules: HintModule[]): ProjectHit[] {
  const untypedModules = modules.filter((m) => m.untyped.length > 0);
  if (untypedModules.length === 0) return [];
  const at = (m: HintModule, f: UntypedFn) => ({ file: m.file.file.path, node: f.fn.childForFieldName('name') ?? f.fn });
  const typed = modules.reduce((n, m) => n + m.typed, 0);
  const total = untypedModules.reduce((n, m) => n + m.untyped.length, 0);
  if (typed < total) {
    // The project mostly does without hints: one finding, on the module with the most public functions.
    const main = [...untypedModules].sort((x, y) => y.untyped.length - x.untyped.length)[0]!;
    const share = typed === 0 ? `None of the ${total} public functions` : `${total} of the ${total + typed} public functions`;
    return [
      {
        ...at(main, main.untyped[0]!),
        message: `${share} in the ${modules.length} reviewed Python module(s) ${typed === 0 ? 'has' : 'have no'} type hints (in this module: ${listNames(main.untyped)}). Their contracts are written nowhere a tool can check, and callers' type checkers treat every value as \`Any\`.`,
        suggestion: { description: 'Adopt PEP 484 hints for the public API, starting with the functions other modules call, and run mypy or pyright in CI.' },
      },
    ];
  }
  const hits: ProjectHit[] = [];
  for (const m of untypedModules) {
    if (m.typed === 0) {
      hits.push({
        ...at(m, m.untyped[0]!),
        message: `None of the ${m.untyped.length} public functions of this module has type hints (${listNames(m.untyped)}), while other modules of the project use them. Callers' type checkers treat these functions as \`Any\`.`,
        suggestion: { description: 'Annotate the public functions of this module (PEP 484) as the rest of the project does.' },
      });
      continue;
    }
    for (const f of m.untyped) {
      hits.push({
        ...at(m, f),
        message: `\`${f.name}\` has no type hints while the rest of this module uses them. Its contract (what it accepts and returns) is unchecked, and callers' type checkers treat it as \`Any\`.`,
        suggestion: { description: `Annotate the parameters and return type of \`${f.name}\` (PEP 484), as the other functions of this module are.` },
      });
    }
  }
  return hits;
}

/** The rules of this pack. */
export const rules: OfflineRule[] = [longFunction, deepNesting, complexFunction, vagueName, undocumentedExport, anyTypedApi, untypedPythonApi];
