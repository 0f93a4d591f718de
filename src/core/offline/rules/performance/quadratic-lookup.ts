/** `performance/quadratic-lookup`: linear scans of a growing collection inside a loop. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { enclosingLoops, identifiersIn, isCollectionLoop, iterationNames, nearestFunction, parameterNames, snippet, within } from '../../flow';
import { callArguments, calleeName, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
import { type ArrayKind, declsIn, grows, jsArrayKind, returnedExpressions, scopes } from './arrays';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { loopLabel } from './util';
// ---------------------------------------------------------------------------------------------------

const JS_SCAN = new Set(['includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'filter']);
const JS_ITERATE = new Set(['map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap', 'sort']);
const JAVA_LIST_TYPE = /^(List|ArrayList|LinkedList|Vector|CopyOnWriteArrayList|AbstractList)$/;
const JAVA_STREAM_ITERATE = new Set(['filter', 'map', 'forEach', 'anyMatch', 'allMatch', 'noneMatch', 'removeIf', 'flatMap', 'takeWhile', 'dropWhile', 'peek', 'sorted', 'sort', 'mapToInt', 'mapToObj']);

/** Literal leaves: an array/list of these is a small constant table, not data. */
const LITERAL = /^(string|number|true|false|null|undefined|integer|float|none|string_literal|decimal_integer_literal|interpreted_string_literal|raw_string_literal|int_literal|character_literal|template_string|concatenated_string)$/;

function allLiteral(nodes: Array<SyntaxNode | null>): boolean {
  return nodes.every((n) => !n || n.type.includes('comment') || LITERAL.test(n.type) || n.type === 'literal_element' && allLiteral(n.namedChildren));
}

/** The callback function `node` is passed to, when that callback is the argument of an iterating call (`xs.filter(x => …)`). */
function iteratingCallback(node: SyntaxNode, lang: ParsedLanguage, methods: Set<string>): SyntaxNode | null {
  const fn = nearestFunction(node, lang);
  if (!fn) return null;
  const args = fn.parent;
  const call = args?.parent;
  if (!args || !call || !LANG[lang].call.includes(call.type)) return null;
  const name = calleeName(call, lang);
  const method = name.slice(name.lastIndexOf('.') + 1);
  return methods.has(method) ? fn : null;
}

/**
 * For a callback `(x) => <a> === <b>` where exactly one side uses `x`: the other side (the value looked
 * up, so the scan is a keyed lookup in disguise); null for any other callback.
 */
function equalityProbe(cb: SyntaxNode | undefined): SyntaxNode | null {
  if (!cb || (cb.type !== 'arrow_function' && cb.type !== 'function_expression')) return null;
  const param = parameterNames(cb)[0];
  const ret = returnedExpressions(cb, 'javascript');
  if (!param || ret.length !== 1) return null;
  const e = ret[0]!;
  if (e.type !== 'binary_expression' || !/^[!=]==?$/.test(e.childForFieldName('operator')?.text ?? '')) return null;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  if (!l || !r) return null;
  const usesL = identifiersIn(l).has(param);
  const usesR = identifiersIn(r).has(param);
  return usesL === usesR ? null : usesL ? r : l;
}

/** What a Python name refers to (assignments in the function or module, or an annotated parameter). */
function pyListKind(name: string, at: SyntaxNode): { kind: ArrayKind; decl?: SyntaxNode } {
  for (const scope of scopes(at, 'python')) {
    if (scope.type === 'function_definition') {
      for (const p of scope.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!p || (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter')) continue;
        const pname = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
        if (pname?.text !== name) continue;
        const type = p.childForFieldName('type')?.text ?? '';
        return { kind: /^(list|List|Sequence|MutableSequence)\b/.test(type) ? 'dynamic' : 'unknown', decl: p };
      }
    }
    const assigns = declsIn(scope, 'python', (n) => n.type === 'assignment' && n.childForFieldName('left')?.text === name);
    if (!assigns.length) continue;
    let kind: ArrayKind = 'dynamic';
    for (const a of assigns) {
      const v = a.childForFieldName('right');
      if (!v) return { kind: 'unknown' };
      if (v.type === 'list') {
        // A literal (even `[]` filled by a few appends) is a bounded table unless it grows in a loop.
        if (!grows(name, scope, 'python')) kind = kind === 'dynamic' ? 'constant' : kind;
        continue;
      }
      if (v.type === 'list_comprehension') continue;
      if (v.type === 'call') {
        const fn = v.childForFieldName('function');
        const callee = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
        if (/^(list|sorted|split|rsplit|splitlines|readlines|findall)$/.test(callee)) continue;
      }
      return { kind: 'unknown' };
    }
    return { kind, decl: assigns[0] };
  }
  return { kind: 'unknown' };
}

/** Whether a Java name is declared (field, local or parameter) with a List type and not as a small literal list. */
function javaListKind(name: string, at: SyntaxNode): { kind: ArrayKind; decl?: SyntaxNode } {
  for (const scope of scopes(at, 'java')) {
    const decls = declsIn(scope, 'java', (n) => {
      if (n.type === 'formal_parameter') return n.childForFieldName('name')?.text === name;
      if (n.type === 'local_variable_declaration' || n.type === 'field_declaration') {
        return n.namedChildren.some((d) => d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === name);
      }
      return false;
    });
    const decl = decls[0];
    if (!decl) continue;
    const type = decl.childForFieldName('type');
    const base = type?.type === 'generic_type' ? type.namedChildren[0]?.text ?? '' : type?.text ?? '';
    const declarator = decl.namedChildren.find((d) => d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === name);
    const value = declarator?.childForFieldName('value');
    let list = JAVA_LIST_TYPE.test(base);
    if (base === 'var' && value?.type === 'object_creation_expression') list = /^(ArrayList|LinkedList|Vector)\b/.test(value.childForFieldName('type')?.text ?? '');
    if (!list) return { kind: 'unknown', decl };
    if (value?.type === 'method_invocation' && /^(List\.of|Arrays\.asList)$/.test(calleeName(value, 'java')) && allLiteral(callArguments(value))) return { kind: 'constant', decl };
    return { kind: 'dynamic', decl };
  }
  return { kind: 'unknown' };
}

/** A Go slice declared as a literal of constants (`[]string{"a", "b"}`) is a small table. */
function goSliceKind(name: string, at: SyntaxNode): { kind: ArrayKind; decl?: SyntaxNode } {
  for (const scope of scopes(at, 'go')) {
    const decls = declsIn(scope, 'go', (n) => (n.type === 'short_var_declaration' || n.type === 'var_spec' || n.type === 'assignment_statement') && (n.childForFieldName('left') ?? n.childForFieldName('name'))?.text === name);
    const decl = decls[0];
    if (!decl) continue;
    const value = (decl.childForFieldName('right') ?? decl.childForFieldName('value'))?.namedChildren[0];
    if (value?.type === 'composite_literal') {
      const body = value.childForFieldName('body');
      if (body && body.namedChildCount > 0 && !grows(name, scope, 'go')) return { kind: 'constant', decl };
    }
    return { kind: 'dynamic', decl };
  }
  return { kind: 'dynamic' };
}

function setAdvice(lang: ParsedLanguage, name: string, method: string): string {
  const keyed = /^(find|findIndex|findLast|findLastIndex|filter|some|every)$/.test(method);
  switch (lang) {
    case 'python':
      return `Build a set (or a dict keyed by the lookup field) from \`${name}\` once before the loop and test membership against it: O(1) per lookup instead of O(len(${name})).`;
    case 'java':
      return `Copy \`${name}\` into a \`HashSet\` (or a \`HashMap\` keyed by the lookup field) once before the loop and use \`contains\`/\`get\` on it.`;
    case 'go':
      return `Build a \`map[T]struct{}\` (or \`map[K]V\`) from \`${name}\` once before the loop and look items up in it.`;
    default:
      return keyed
        ? `Index \`${name}\` once before the loop (\`new Map(${name}.map((x) => [x.id, x]))\` keyed by the field you match on) and use \`.get\`/\`.has\`.`
        : `Build \`new Set(${name})\` once before the loop and use \`.has(...)\` instead of \`.${method}(...)\`.`;
  }
}

export const quadraticLookup: FileRule = {
  kind: 'file',
  id: 'performance/quadratic-lookup',
  personas: ['performance'],
  severity: 'medium',
  category: 'algorithmic-complexity',
  title: 'Linear search inside a loop (quadratic time)',
  description:
    'A whole array or list is scanned (`includes`, `indexOf`, `find`, `x in list`, `List.contains`, `slices.Contains`) once per item of another collection, which is O(n×m). Build a Set or Map once before the loop and look items up in it.',
  references: ['CWE-407'],
  confidence: 0.7,
  languages: [...JS_LANGS, 'python', 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    // `probe` is the value looked up; it must change per iteration (a loop-invariant lookup is a hoisting matter).
    const report = (node: SyntaxNode, name: string, method: string, decl: SyntaxNode | undefined, probe: SyntaxNode | null | undefined) => {
      if (!probe) return;
      const loops = enclosingLoops(node, lang).filter((l) => isCollectionLoop(l, lang));
      const cb = isJs(lang) ? iteratingCallback(node, lang, JS_ITERATE) : lang === 'java' ? iteratingCallback(node, lang, JAVA_STREAM_ITERATE) : null;
      const iteration = loops[0] ?? cb;
      if (!iteration) return;
      // A list built inside the loop body is per-item data, not a second collection.
      if (decl && within(decl, iteration)) return;
      const names = iterationNames(loops, lang);
      if (cb && !loops.length) for (const p of parameterNames(cb)) names.add(p);
      if (![...identifiersIn(probe)].some((n) => names.has(n))) return;
      const where = loops[0] ? loopLabel(loops[0], lang) : `the \`${calleeName(cb!.parent!.parent!, lang)}\` callback on line ${cb!.startPosition.row + 1}`;
      hits.push({
        node,
        message: `\`${snippet(node)}\` scans all of \`${name}\` on every iteration of ${where}, so the work grows as O(n×m) and becomes quadratic when both collections grow.`,
        suggestion: { description: setAdvice(lang, name, method) },
      });
    };

    // Cheap test first: only scans inside an iteration need their receiver resolved.
    const iterating = (node: SyntaxNode) =>
      enclosingLoops(node, lang).some((l) => isCollectionLoop(l, lang)) ||
      (isJs(lang) && !!iteratingCallback(node, lang, JS_ITERATE)) ||
      (lang === 'java' && !!iteratingCallback(node, lang, JAVA_STREAM_ITERATE));

    if (isJs(lang)) {
      for (const call of nodesOfType(root, ['call_expression'])) {
        const fn = call.childForFieldName('function');
        if (fn?.type !== 'member_expression') continue;
        const method = fn.childForFieldName('property')?.text ?? '';
        const obj = fn.childForFieldName('object');
        if (!JS_SCAN.has(method) || obj?.type !== 'identifier') continue;
        // A predicate scan can be replaced by a lookup only when it matches on equality (`x => x.id === id`).
        const probe = /^(includes|indexOf|lastIndexOf)$/.test(method) ? callArguments(call)[0] : equalityProbe(callArguments(call)[0]);
        if (!probe || !iterating(call)) continue;
        const { kind, decl } = jsArrayKind(obj.text, call, lang);
        if (kind === 'dynamic') report(call, obj.text, method, decl, probe);
      }
    } else if (lang === 'python') {
      for (const cmp of nodesOfType(root, ['comparison_operator'])) {
        const ops = cmp.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
        if (ops.length !== 1 || (ops[0] !== 'in' && ops[0] !== 'not in')) continue;
        const right = cmp.namedChildren[1];
        if (right?.type !== 'identifier' || !iterating(cmp)) continue;
        const { kind, decl } = pyListKind(right.text, cmp);
        if (kind === 'dynamic') report(cmp, right.text, ops[0], decl, cmp.namedChildren[0]);
      }
      for (const call of nodesOfType(root, ['call'])) {
        const fn = call.childForFieldName('function');
        const obj = fn?.childForFieldName('object');
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
        if (!/^(index|count)$/.test(method) || obj?.type !== 'identifier' || !iterating(call)) continue;
        const { kind, decl } = pyListKind(obj.text, call);
        if (kind === 'dynamic') report(call, obj.text, method, decl, callArguments(call)[0]);
      }
    } else if (lang === 'java') {
      for (const call of nodesOfType(root, ['method_invocation'])) {
        const method = call.childForFieldName('name')?.text ?? '';
        const obj = call.childForFieldName('object');
        if (!/^(contains|indexOf|lastIndexOf)$/.test(method) || obj?.type !== 'identifier' || !iterating(call)) continue;
        const { kind, decl } = javaListKind(obj.text, call);
        if (kind === 'dynamic') report(call, obj.text, method, decl, callArguments(call)[0]);
      }
    } else if (lang === 'go') {
      for (const call of nodesOfType(root, ['call_expression'])) {
        const name = calleeName(call, lang);
        if (!/^slices\.(Contains|Index|ContainsFunc|IndexFunc)$/.test(name)) continue;
        const first = callArguments(call)[0];
        if (first?.type !== 'identifier' || !iterating(call)) continue;
        const { kind, decl } = goSliceKind(first.text, call);
        if (kind === 'dynamic') report(call, first.text, name, decl, callArguments(call)[1]);
      }
    }
    return hits;
  },
};
