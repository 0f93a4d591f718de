/**
 * Helpers shared by the performance and concurrency rule packs: loops and what they bind, call chains
 * (`db.users.find(...).first()`), async functions, identifiers and simple local declarations. Node type
 * and field names are those of the tree-sitter grammars in `@vscode/tree-sitter-wasm`.
 */
import { type ParsedLanguage, type SyntaxNode, walk } from './syntax';
import { LANG } from './lang';

/** True when `a` and `b` are the same syntax node (web-tree-sitter hands out a new wrapper object per access). */
export function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** True when `inner` lies within `outer` (same node included), by byte offsets. */
export function within(inner: SyntaxNode, outer: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** True for JS/TS functions and methods marked `async` and Python `async def`. */
export function isAsyncFunction(fn: SyntaxNode): boolean {
  return fn.children.some((c) => c?.type === 'async');
}

/** Nearest enclosing function-like node of `node` (excluding `node` itself), or null at top level. */
export function nearestFunction(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode | null {
  const func = LANG[lang].func;
  for (let p = node.parent; p; p = p.parent) if (func.includes(p.type)) return p;
  return null;
}

/**
 * The parts of a loop that run once per iteration: the body (and for Python comprehensions the element
 * expression and `if` filters). The iterable of a for-of / range / comprehension, evaluated once, is not one.
 */
export function perIterationParts(loop: SyntaxNode): SyntaxNode[] {
  if (/comprehension$|^generator_expression$/.test(loop.type)) {
    return loop.namedChildren.filter((c): c is SyntaxNode => c !== null && (c.type === 'if_clause' || same(c, loop.childForFieldName('body'))));
  }
  const body = loop.childForFieldName('body');
  return body ? [body] : [];
}

/**
 * Loops (innermost first) whose per-iteration part contains `node`, up to the nearest function boundary.
 * A call in a loop's header (`for (const x of await load())`) runs once and is not "in" that loop.
 */
export function enclosingLoops(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const t = LANG[lang];
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (t.func.includes(p.type)) break;
    if (t.loop.includes(p.type) && perIterationParts(p).some((b) => within(node, b))) out.push(p);
  }
  return out;
}

/** Identifier names bound by a pattern (`x`, `[k, v]`, `{ id, name: n }`, `(i, (k, v))`). */
export function boundNames(pattern: SyntaxNode | null): string[] {
  if (!pattern) return [];
  const out: string[] = [];
  walk(pattern, (n) => {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') out.push(n.text);
    // In `{ key: value }` patterns only the value side binds a name.
    if (n.type === 'pair_pattern') {
      out.push(...boundNames(n.childForFieldName('value')));
      return false;
    }
    // Default values (`x = 1`) bind only the left side.
    if (n.type === 'assignment_pattern' || n.type === 'object_assignment_pattern') {
      out.push(...boundNames(n.childForFieldName('left')));
      return false;
    }
    return true;
  });
  return out.filter((n) => n !== '_');
}

/** Names a loop binds per iteration: the for-of / for-in / range / comprehension variables, or a counted loop's counter. */
export function loopVariables(loop: SyntaxNode, lang: ParsedLanguage): string[] {
  switch (lang) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      if (loop.type === 'for_in_statement') return boundNames(loop.childForFieldName('left'));
      if (loop.type === 'for_statement') return declaredNames(loop.childForFieldName('initializer'));
      return [];
    case 'python':
      if (loop.type === 'for_statement') return boundNames(loop.childForFieldName('left'));
      if (/comprehension$|^generator_expression$/.test(loop.type)) {
        return loop.namedChildren
          .filter((c): c is SyntaxNode => c?.type === 'for_in_clause')
          .flatMap((c) => boundNames(c.childForFieldName('left')));
      }
      return [];
    case 'go': {
      const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
      if (range) return boundNames(range.childForFieldName('left'));
      const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
      return clause ? boundNames(clause.childForFieldName('initializer')?.childForFieldName('left') ?? null) : [];
    }
    case 'java':
      if (loop.type === 'enhanced_for_statement') return boundNames(loop.childForFieldName('name'));
      if (loop.type === 'for_statement') return declaredNames(loop.childForFieldName('init'));
      return [];
  }
}

function declaredNames(decl: SyntaxNode | null): string[] {
  if (!decl) return [];
  return decl.namedChildren
    .filter((c): c is SyntaxNode => c?.type === 'variable_declarator')
    .flatMap((d) => boundNames(d.childForFieldName('name')));
}

/** True for a numeric literal or an ALL_CAPS constant: the bound of a fixed-count loop (`i < 3`, `i < MAX_RETRIES`). */
function isFixedBound(n: SyntaxNode): boolean {
  // Constant expressions too: `2 ** 8`, `MAX_TRIES * 2`.
  let fixed = true;
  walk(n, (c) => {
    if (!fixed) return false;
    if (/^(number|integer|int_literal|decimal_integer_literal|hex_integer_literal)$/.test(c.type)) return false;
    if (c.type === 'identifier') fixed = /^[A-Z][A-Z0-9_]*$/.test(c.text);
    else if (!/^(binary_expression|binary_operator|parenthesized_expression|unary_expression|unary_operator)$/.test(c.type)) fixed = false;
    return fixed;
  });
  return fixed;
}

/**
 * True when a loop walks a collection: for-of / for-in, Python `for` and comprehensions, Go `range`,
 * Java enhanced `for`, or a counted loop whose bound is not a literal or ALL_CAPS constant
 * (`i < items.length`, `i < len(xs)`, `i < n`). `while`/`do` and bare Go `for {}` loops are not:
 * they usually poll, paginate, retry or read a stream, where one call per turn is the design.
 */
export function isCollectionLoop(loop: SyntaxNode, lang: ParsedLanguage): boolean {
  // `for (const k of ['a', 'b'])` runs a fixed, small number of times.
  const iterable = loop.childForFieldName('right') ?? loop.childForFieldName('value');
  if (iterable && isLiteralTable(iterable)) return false;
  if (loop.type === 'for_in_statement' || loop.type === 'enhanced_for_statement') return true;
  if (/comprehension$|^generator_expression$/.test(loop.type)) return true;
  if (lang === 'python' && loop.type === 'for_statement') {
    // `for _ in range(3)` is a retry/repeat loop, not a walk over data.
    const right = loop.childForFieldName('right');
    if (right?.type === 'call' && right.childForFieldName('function')?.text === 'range') {
      const args = right.childForFieldName('arguments')?.namedChildren ?? [];
      return !args.every((a) => a !== null && isFixedBound(a));
    }
    return true;
  }
  if (lang === 'go' && loop.type === 'for_statement') {
    const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
    if (range) {
      const right = range.childForFieldName('right');
      // Ranging over a channel handles messages as they arrive: not a collection to batch.
      return !!right && !isFixedBound(right) && !isGoChannel(right, loop);
    }
    const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
    return !!clause && isCountedToData(clause.childForFieldName('condition'));
  }
  if (loop.type === 'for_statement') return isCountedToData(loop.childForFieldName('condition'));
  return false;
}

/** True when a Go range expression is a channel: declared `chan`/`make(chan …)` in the function, or named like one (`ch`, `jobs`, `s.Receiver`). */
function isGoChannel(expr: SyntaxNode, loop: SyntaxNode): boolean {
  const name = expr.type === 'selector_expression' ? expr.childForFieldName('field')?.text ?? '' : expr.text;
  if (/(^|[a-z])(ch|chan|channel)$|^(ch|c|in|done|events|jobs|tasks|messages|msgs|updates)$|receiver$|queue$/i.test(name)) return true;
  if (expr.type !== 'identifier') return false;
  let fn: SyntaxNode | null = loop.parent;
  while (fn && !LANG.go.func.includes(fn.type)) fn = fn.parent;
  if (!fn) return false;
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  if (params.some((p) => p?.namedChildren.some((c) => c?.type === 'identifier' && c.text === expr.text) && /chan\b/.test(p.childForFieldName('type')?.text ?? ''))) return true;
  return fn.descendantsOfType('short_var_declaration').some((d) => d?.childForFieldName('left')?.text === expr.text && /^make\(\s*(<-)?chan\b/.test(d.childForFieldName('right')?.text ?? ''));
}

/** An array/list/tuple/slice literal whose elements are all literals. */
function isLiteralTable(n: SyntaxNode): boolean {
  let items: Array<SyntaxNode | null>;
  if (n.type === 'array' || n.type === 'list' || n.type === 'tuple' || n.type === 'array_initializer') items = n.namedChildren;
  else if (n.type === 'composite_literal') items = n.childForFieldName('body')?.namedChildren ?? [];
  else if (n.type === 'array_creation_expression') items = n.namedChildren.find((c) => c?.type === 'array_initializer')?.namedChildren ?? [];
  else return false;
  return items.every((c) => !c || /string|number|integer|float|literal|true|false|null|none|comment/.test(c.type) && c.namedChildren.every((g) => !g || !/identifier|call|expression/.test(g.type)));
}

function isCountedToData(cond: SyntaxNode | null): boolean {
  if (!cond || cond.type !== 'binary_expression') return false;
  const op = cond.childForFieldName('operator')?.text ?? cond.children.find((c) => c && !c.isNamed)?.text;
  if (!op || !['<', '<=', '>', '>='].includes(op)) return false;
  const left = cond.childForFieldName('left');
  const right = cond.childForFieldName('right');
  return !!left && !!right && !isFixedBound(left) && !isFixedBound(right);
}

/** Every identifier name used inside `node` (including JS shorthand properties `{ id }`). */
export function identifiersIn(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  walk(node, (n) => {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier') out.add(n.text);
  });
  return out;
}

/**
 * Names that vary per iteration of `loops`: their loop variables plus locals declared in their bodies
 * from those (`const id = item.id`, `id := row.ID`), followed transitively in document order.
 */
export function iterationNames(loops: SyntaxNode[], lang: ParsedLanguage): Set<string> {
  const names = new Set<string>(loops.flatMap((l) => loopVariables(l, lang)));
  for (const loop of loops) {
    for (const part of perIterationParts(loop)) {
      walk(part, (n) => {
        if (LANG[lang].func.includes(n.type)) return false;
        const bind = binding(n);
        if (bind && [...identifiersIn(bind.value)].some((v) => names.has(v))) for (const b of boundNames(bind.target)) names.add(b);
        return true;
      });
    }
  }
  return names;
}

/** The target and value of a local declaration or plain assignment node, or null. */
function binding(n: SyntaxNode): { target: SyntaxNode; value: SyntaxNode } | null {
  let target: SyntaxNode | null = null;
  let value: SyntaxNode | null = null;
  switch (n.type) {
    case 'variable_declarator': // JS/TS, Java
      target = n.childForFieldName('name');
      value = n.childForFieldName('value');
      break;
    case 'assignment': // Python
    case 'assignment_expression': // JS/TS, Java
    case 'short_var_declaration': // Go
    case 'assignment_statement': // Go
      target = n.childForFieldName('left');
      value = n.childForFieldName('right');
      break;
  }
  return target && value ? { target, value } : null;
}

/** A call chain read from the outermost call inwards: `db.users.find(q).first()`. */
export interface CallChain {
  /** Leftmost name (`db`, `this`, `self`, `knex` for `knex('t')...`), '' when it is not a name. */
  root: string;
  /** Every member name along the chain, left to right (`users`, `find`, `first`). */
  members: string[];
  /** The member names that are called, left to right (`find`, `first`); a bare call contributes its name. */
  methods: string[];
  /** The call nodes of the chain, outermost first. */
  calls: SyntaxNode[];
}

/** Reads the call chain of a call expression (any of the five grammars); null when `node` is not a call. */
export function callChain(node: SyntaxNode, lang: ParsedLanguage): CallChain | null {
  if (!LANG[lang].call.includes(node.type)) return null;
  const chain: CallChain = { root: '', members: [], methods: [], calls: [] };
  let cur: SyntaxNode | null = node;
  const members: string[] = [];
  const methods: string[] = [];
  while (cur) {
    if (LANG[lang].call.includes(cur.type)) {
      chain.calls.push(cur);
      if (lang === 'java' && cur.type === 'method_invocation') {
        const name = cur.childForFieldName('name')?.text ?? '';
        methods.unshift(name);
        members.unshift(name);
        cur = cur.childForFieldName('object');
        if (!cur) break;
        continue;
      }
      const fn: SyntaxNode | null = cur.childForFieldName('function') ?? cur.childForFieldName('constructor');
      if (!fn) break;
      const last = memberName(fn);
      if (last !== null) methods.unshift(last);
      else if (fn.type === 'identifier') methods.unshift(fn.text);
      cur = fn;
      continue;
    }
    const name = memberName(cur);
    if (name !== null) {
      members.unshift(name);
      cur = memberObject(cur);
      continue;
    }
    if (cur.type === 'parenthesized_expression' || cur.type === 'non_null_expression' || cur.type === 'await_expression' || cur.type === 'await') {
      cur = cur.namedChildren.find((c) => c !== null) ?? null;
      continue;
    }
    if (cur.type === 'subscript_expression' || cur.type === 'subscript' || cur.type === 'index_expression' || cur.type === 'array_access') {
      cur = cur.childForFieldName('object') ?? cur.childForFieldName('value') ?? cur.childForFieldName('operand') ?? cur.childForFieldName('array');
      continue;
    }
    if (cur.type === 'identifier' || cur.type === 'this' || cur.type === 'self') chain.root = cur.text;
    break;
  }
  chain.members = members;
  chain.methods = methods;
  return chain;
}

/** The member name of `a.b` (JS member, Python attribute, Go selector, Java field access), else null. */
function memberName(n: SyntaxNode): string | null {
  switch (n.type) {
    case 'member_expression':
      return n.childForFieldName('property')?.text ?? null;
    case 'attribute':
      return n.childForFieldName('attribute')?.text ?? null;
    case 'selector_expression':
      return n.childForFieldName('field')?.text ?? null;
    case 'field_access':
      return n.childForFieldName('field')?.text ?? null;
  }
  return null;
}

function memberObject(n: SyntaxNode): SyntaxNode | null {
  return n.childForFieldName('object') ?? n.childForFieldName('operand');
}

/** Lower-cased name without `_`: `find_one`, `FindOne` and `findOne` all read `findone`. */
export function norm(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** Names of the parameters of a function-like node, in order (any of the five grammars). */
export function parameterNames(fn: SyntaxNode): string[] {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  const out: string[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p.text);
    else {
      const name = p.childForFieldName('pattern') ?? p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      if (name) out.push(...boundNames(name).slice(0, 1));
    }
  }
  return out;
}

/**
 * True when a loop body always leaves on its first pass: its last statement is `return`/`break`/`throw`,
 * or an `if` whose every branch ends that way. Such a "loop" runs its body once.
 */
export function alwaysExits(body: SyntaxNode): boolean {
  const block = body.type === 'statement_list' || body.namedChildren[0]?.type === 'statement_list' ? (body.type === 'statement_list' ? body : body.namedChildren[0]!) : body;
  const stmts = block.namedChildren.filter((c): c is SyntaxNode => !!c && !/comment/.test(c.type));
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (/^(return_statement|break_statement|throw_statement|raise_statement)$/.test(last.type)) return true;
  if (last.type === 'if_statement') {
    const cons = last.childForFieldName('consequence');
    const alt = last.childForFieldName('alternative');
    if (!cons || !alt) return false;
    const altBody = alt.type === 'else_clause' ? alt.childForFieldName('body') ?? alt.namedChildren[0] ?? null : alt;
    return alwaysExits(cons) && !!altBody && alwaysExits(altBody);
  }
  if (last.type === 'block' || last.type === 'statement_block') return alwaysExits(last);
  return false;
}

/** True when statements under `body` (outside nested functions) include `return` or `break`: a search loop that stops early. */
export function exitsEarly(body: SyntaxNode, lang: ParsedLanguage): boolean {
  let found = false;
  walk(body, (n) => {
    if (found || (!same(n, body) && LANG[lang].func.includes(n.type))) return false;
    if (n.type === 'return_statement' || n.type === 'break_statement') found = true;
    return !found;
  });
  return found;
}

/** First line of a node's text, trimmed and shortened to `max` characters, for messages. */
export function snippet(node: SyntaxNode, max = 60): string {
  const line = node.text.split('\n')[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
