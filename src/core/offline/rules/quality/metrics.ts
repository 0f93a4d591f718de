/**
 * How hard a function is to follow, measured once per function and shared by the quality rules: its own
 * lines of code, its cognitive complexity, and its deepest nesting of control blocks. Nested functions
 * are measured on their own.
 *
 * Cognitive complexity follows SonarSource's definition (G. Ann Campbell, "Cognitive Complexity: a new
 * way of measuring understandability", 2017): +1 for each `if`, `else if`, `else`, conditional
 * expression, `switch`/`match`/`select` (once, whatever its number of cases), loop, comprehension clause,
 * `catch`/`except`, and each run of like boolean operators (`a && b && c` is one); `if`, conditional
 * expressions, switches, loops and catches nested in one another add their nesting level as well. One
 * Deviations, documented in the rule, for code that is long but read one line at a time: a guard clause
 * (an `if` with no `else` whose body only returns, throws, breaks or continues) adds nothing at the top
 * of the body and +1 elsewhere (no nesting or operator increments); a run of `if` statements of one shape
 * (`if (bits & 1) …`, `if (bits & 2) …`) counts once; and an `if`/`else if` chain of three or more
 * conditions of one shape (`x === 'Mon'`, `x === 'Tue'`, …) counts as one dispatch, as a `switch` does.
 */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import type { ParsedFile } from '../../rule';
import { LANG } from '../../lang';
import { STATEMENT_LABEL } from './util';

/** Measures of one function. */
export interface FunctionMetrics {
  /** Lines holding its own code: not blank, not comment-only, not inside a nested function or a multi-line literal. */
  ownLines: number;
  /** Cognitive complexity (see the module comment). */
  cognitive: number;
  /** The most deeply nested control block and its depth (`else if` does not add depth), when any. */
  deepest?: { node: SyntaxNode; depth: number; chain: string[] };
  /**
   * True when the function transcribes a published algorithm step by step: five or more comments that
   * number its steps (`// 1. Let request be …`, `// 4.2. If …`, `# Step 3:`). Its shape mirrors the
   * algorithm on purpose, so splitting it would break the correspondence a reader checks it against.
   */
  transcribesSteps: boolean;
}

/** A comment numbering a step of an algorithm: `1.`, `4.2.`, `Step 3`. */
const STEP_COMMENT = /^(\/\/+|#+|\/\*+|\*)\s*(\d+(\.\d+)*\.\s+\S|step\s+\d+\b)/i;

/** Number of comments of `fn` (nested functions included) that number an algorithm step. */
function stepComments(fn: SyntaxNode, lang: ParsedLanguage): number {
  let n = 0;
  for (const c of fn.descendantsOfType([...LANG[lang].comment])) if (c && STEP_COMMENT.test(c.text.trim())) n++;
  return n;
}

/** Control blocks that add a nesting level, per language (for the deepest-nesting measure). */
const NESTING: Record<ParsedLanguage, readonly string[]> = {
  javascript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  typescript: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  tsx: ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'],
  python: ['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement'],
  go: ['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'],
  java: ['if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement'],
};

/** Structures that add +1 and their nesting level, and nest what is inside them. */
const NESTED_INCREMENT = new Set([
  'if_statement', 'for_statement', 'for_in_statement', 'enhanced_for_statement', 'while_statement', 'do_statement',
  'switch_statement', 'switch_expression', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'match_statement',
  'catch_clause', 'except_clause', 'ternary_expression', 'conditional_expression',
]);

/** True for the `if` of an `else if`, which continues a chain instead of nesting deeper. */
export function isElseIf(n: SyntaxNode): boolean {
  if (n.type !== 'if_statement' || !n.parent) return false;
  if (n.parent.type === 'else_clause') return n.parent.namedChildren.filter((c) => c?.type !== 'comment').length === 1;
  return n.parent.type === 'if_statement' && n.parent.childForFieldName('alternative')?.id === n.id;
}

/** `&&`/`||`/`and`/`or` of a binary node, or undefined. */
function logicalOp(n: SyntaxNode | null): string | undefined {
  if (!n || (n.type !== 'binary_expression' && n.type !== 'boolean_operator')) return undefined;
  const op = n.childForFieldName('operator')?.type ?? n.children.find((c) => c && !c.isNamed)?.type;
  return op === '&&' || op === '||' || op === 'and' || op === 'or' ? op : undefined;
}

const EXITS = new Set(['return_statement', 'throw_statement', 'raise_statement', 'break_statement', 'continue_statement']);

/** An `if` with no else whose body is one return/throw/break/continue: a guard clause. */
function isGuard(n: SyntaxNode, lang: ParsedLanguage): boolean {
  if (n.type !== 'if_statement' || n.childForFieldName('alternative') || n.namedChildren.some((c) => c?.type === 'elif_clause' || c?.type === 'else_clause')) return false;
  let body = n.childForFieldName('consequence');
  if (body?.namedChildCount === 1 && body.namedChildren[0]?.type === 'statement_list') body = body.namedChildren[0];
  if (!body) return false;
  if (EXITS.has(body.type)) return true;
  const stmts = body.namedChildren.filter((c): c is SyntaxNode => c !== null && !LANG[lang].comment.includes(c.type));
  return stmts.length === 1 && EXITS.has(stmts[0]!.type);
}

/** The structure of a node without its text (node types and fields): equal for `x[0] === 'S'` and `x[1] === 'u'`. */
function shape(n: SyntaxNode | null | undefined): string {
  return n ? n.toString() : '';
}

/** The conditions of an `if`/`else if`/`elif` chain starting at `n`, in order. */
function chainConditions(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let cur: SyntaxNode | null = n; cur; ) {
    const cond = cur.childForFieldName('condition');
    if (cond) out.push(cond);
    for (const c of cur.namedChildren) if (c?.type === 'elif_clause' && c.childForFieldName('condition')) out.push(c.childForFieldName('condition')!);
    let alt = cur.childForFieldName('alternative');
    if (alt?.type === 'else_clause') alt = alt.namedChildren.find((c) => c?.type === 'if_statement') ?? null;
    cur = alt?.type === 'if_statement' ? alt : null;
  }
  return out;
}

/**
 * Cognitive complexity of `fn`'s own code (see the module comment). `trace`, when given, is called with
 * each node that adds to it and by how much (for tests and for explaining a figure).
 */
export function cognitiveComplexity(fn: SyntaxNode, lang: ParsedLanguage, trace?: (n: SyntaxNode, add: number) => void): number {
  const funcs = LANG[lang].func;
  let sum = 0;
  const add = (n: SyntaxNode, k: number) => {
    sum += k;
    trace?.(n, k);
  };
  const body = fn.childForFieldName('body');
  const topLevel = new Set<number>();
  if (body) {
    const list = body.namedChildCount === 1 && body.namedChildren[0]?.type === 'statement_list' ? body.namedChildren[0] : body;
    for (const c of list.namedChildren) if (c) topLevel.add(c.id);
  }
  // `else if`/`elif` branches of a chain whose conditions all have one shape (`x === 'Mon'`, `x === 'Tue'`, …):
  // read as one dispatch over a value, like a switch, so they add nothing beyond the chain's first `if`.
  const dispatch = new Set<number>();
  const markDispatch = (c: SyntaxNode) => {
    const alt = c.childForFieldName('alternative');
    if (!alt && !c.namedChildren.some((x) => x?.type === 'elif_clause')) return; // no chain
    const conds = chainConditions(c);
    if (conds.length < 3) return;
    const first = shape(conds[0]);
    if (!conds.every((x) => x.descendantCount === conds[0]!.descendantCount && shape(x) === first)) return;
    for (const e of c.namedChildren) if (e?.type === 'elif_clause') dispatch.add(e.id);
    for (let alt = c.childForFieldName('alternative'); alt; ) {
      const inner: SyntaxNode | null | undefined = alt.type === 'if_statement' ? alt : alt.type === 'else_clause' ? alt.namedChildren.find((x) => x?.type === 'if_statement') : null;
      if (!inner) break;
      dispatch.add(inner.id);
      alt = inner.childForFieldName('alternative');
    }
  };
  const visitAll = (children: ReadonlyArray<SyntaxNode | null>, nesting: number) => {
    let previous: SyntaxNode | null = null;
    let previousShape = '';
    for (const c of children) {
      if (!c || funcs.includes(c.type)) continue;
      // A run of statements of one shape (`if (bits & 1) …`, `if (bits & 2) …`) is one decision repeated: counted
      // once. Shapes are compared only between neighbouring `if`s of the same size class (cheap checks first).
      let repeat = false;
      if (c.type === 'if_statement' && previous?.type === 'if_statement' && c.namedChildCount === previous.namedChildCount && c.descendantCount === previous.descendantCount) {
        previousShape ||= shape(previous);
        const s = shape(c);
        repeat = s === previousShape;
        previousShape = s;
      } else previousShape = '';
      previous = c;
      if (repeat) continue;
      if (c.type === 'if_statement' && isGuard(c, lang)) {
        // A guard clause: nothing at the top of the body; deeper, +1 without nesting or operator increments.
        if (!topLevel.has(c.id)) add(c, 1);
        continue;
      }
      if (dispatch.has(c.id)) {
        // A branch of a dispatch: its condition was counted with the chain; only what it does counts.
        visitAll([c.childForFieldName('consequence'), c.childForFieldName('alternative'), ...c.namedChildren.filter((x) => x?.type === 'block')], nesting);
        continue;
      }
      if (c.type === 'if_statement' && isElseIf(c)) {
        add(c, 1); // `else if`: +1, no nesting increment, same level as its chain
        visitAll(c.namedChildren, nesting);
        continue;
      }
      if (c.type === 'if_statement') markDispatch(c);
      if (NESTED_INCREMENT.has(c.type)) {
        add(c, 1 + nesting);
        visitAll(c.namedChildren, nesting + 1);
        continue;
      }
      if (c.type === 'elif_clause' || (c.type === 'else_clause' && !(c.namedChildren.length === 1 && c.namedChildren[0]?.type === 'if_statement'))) {
        add(c, 1);
        visitAll(c.namedChildren, nesting);
        continue;
      }
      if (c.type === 'for_in_clause' || c.type === 'if_clause') add(c, 1);
      const op = logicalOp(c);
      if (op && logicalOp(c.parent) !== op) add(c, 1);
      visitAll(c.namedChildren, nesting);
    }
  };
  visitAll(fn.namedChildren, 0);
  return sum;
}

/**
 * Rows (0-based) of `fn` holding its own code: not blank, not comment-only, not inside a nested
 * function or a multi-line literal. The header row counts.
 */
function ownCodeRows(fn: SyntaxNode, file: ParsedFile): number {
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
  return rows.size;
}

/** The deepest control block of `fn` (nested functions excluded), with the chain of blocks above it. */
function deepestBlock(fn: SyntaxNode, file: ParsedFile): FunctionMetrics['deepest'] {
  const types = NESTING[file.language];
  const funcs = LANG[file.language].func;
  let deepest: { node: SyntaxNode; depth: number } | undefined;
  const visit = (n: SyntaxNode, depth: number) => {
    for (const c of n.namedChildren) {
      if (!c || funcs.includes(c.type)) continue;
      const counts = types.includes(c.type) && !isElseIf(c);
      const d = counts ? depth + 1 : depth;
      if (counts && (!deepest || d > deepest.depth)) deepest = { node: c, depth: d };
      visit(c, d);
    }
  };
  visit(fn, 0);
  if (!deepest) return undefined;
  const chain: string[] = [];
  for (let p: SyntaxNode | null = deepest.node; p && p.id !== fn.id; p = p.parent) {
    if (types.includes(p.type) && !isElseIf(p)) chain.unshift(STATEMENT_LABEL[p.type]?.replace(/`/g, '') ?? p.type);
  }
  return { ...deepest, chain };
}

const cache = new WeakMap<SyntaxNode, Map<number, FunctionMetrics | null>>();

/** Node types that can add to cognitive complexity (for a cheap upper bound). */
const DECISION_TYPES = [...NESTED_INCREMENT, 'else_clause', 'elif_clause', 'for_in_clause', 'if_clause', 'binary_expression', 'boolean_operator'];

/**
 * The measures of function `fn` of `file`, computed once per tree; null for a function that cannot be hard
 * to follow: with D nodes that may add to cognitive complexity, it is at most D × (D + 1) / 2 + D (each
 * adds 1 plus at most its nesting among them), so a function with few such nodes is never measured in full.
 */
export function measure(fn: SyntaxNode, file: ParsedFile): FunctionMetrics | null {
  let m = cache.get(file.root);
  if (!m) cache.set(file.root, (m = new Map()));
  const hit = m.get(fn.id);
  if (hit !== undefined) return hit;
  const d = fn.descendantsOfType(DECISION_TYPES).length;
  if ((d * (d + 1)) / 2 + d <= SONAR_COGNITIVE_LIMIT) {
    m.set(fn.id, null);
    return null;
  }
  const r: FunctionMetrics = { ownLines: ownCodeRows(fn, file), cognitive: cognitiveComplexity(fn, file.language), deepest: deepestBlock(fn, file), transcribesSteps: stepComments(fn, file.language) >= 5 };
  m.set(fn.id, r);
  return r;
}

/** SonarSource's default limit for cognitive complexity (rule S3776): below it a function is never reported here. */
export const SONAR_COGNITIVE_LIMIT = 15;
/**
 * Cognitive complexity above which a function is reported whatever its length: far past SonarSource's 15,
 * because offline findings should be ones a reviewer acts on; a model-backed review weighs the rest.
 */
export const COGNITIVE_LIMIT = 40;
/** Own lines of code above which a non-trivial function is reported as too long (Checkstyle's MethodLength default, 150). */
export const LONG_FUNCTION_LINES = 150;
/** Nesting depth of control blocks above which a non-trivial function is reported (one more than ESLint's `max-depth` default of 4). */
export const MAX_NESTING = 5;

/**
 * Which of the three quality measures, if any, reports function `fn`: one finding per function, for its
 * strongest reason: `complex` (cognitive complexity over {@link COGNITIVE_LIMIT}), else, for a function
 * past SonarSource's limit of 15, `long` (over {@link LONG_FUNCTION_LINES} own lines) or `nested` (control
 * blocks deeper than {@link MAX_NESTING}). A long or deep function with little logic is read line by line
 * and is not reported, nor is one that transcribes a published algorithm step by step.
 */
export function hardToFollow(m: FunctionMetrics | null): 'complex' | 'long' | 'nested' | undefined {
  if (!m || m.transcribesSteps) return undefined;
  if (m.cognitive > COGNITIVE_LIMIT) return 'complex';
  if (m.cognitive <= SONAR_COGNITIVE_LIMIT) return undefined;
  if (m.ownLines > LONG_FUNCTION_LINES) return 'long';
  if ((m.deepest?.depth ?? 0) > MAX_NESTING) return 'nested';
  return undefined;
}

/** The other measures of a function, for a message: `, 210 lines of code and blocks nested 7 deep`. */
export function alsoMeasured(m: FunctionMetrics, skip: 'complex' | 'long' | 'nested'): string {
  const parts: string[] = [];
  if (skip !== 'complex') parts.push(`a cognitive complexity of ${m.cognitive}`);
  if (skip !== 'long') parts.push(`${m.ownLines} lines of its own code`);
  if (skip !== 'nested' && m.deepest) parts.push(`control blocks nested ${m.deepest.depth} deep`);
  return parts.join(', ').replace(/, ([^,]*)$/, ' and $1');
}
