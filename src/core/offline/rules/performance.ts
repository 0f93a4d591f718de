/**
 * Offline rules of the performance pack (persona `performance`): work per loop iteration that should be
 * done once (queries and awaited I/O, linear scans, string rebuilding, regex compilation, accumulator
 * copies) and blocking calls on request paths. Each rule reads tree-sitter syntax trees; see `../rule.ts`.
 *
 * References cited: CWE-1050 (Excessive Platform Resource Consumption within a Loop), CWE-1073 (Non-SQL
 * Invokable Control Element with Excessive Number of Data Resource Accesses), CWE-407 (Inefficient
 * Algorithmic Complexity), CWE-1046 (Creation of Immutable Text Using String Concatenation), CWE-1176
 * (Inefficient CPU Computation).
 */
import type { FileRule, OfflineRule, ParsedFile, RuleHit } from '../rule';
import { walk, type ParsedLanguage, type SyntaxNode } from '../syntax';
import { LANG, callArguments, calleeName, isConstantString, nodesOfType } from '../lang';
import {
  alwaysExits,
  callChain,
  enclosingLoops,
  exitsEarly,
  identifiersIn,
  isAsyncFunction,
  isCollectionLoop,
  iterationNames,
  nearestFunction,
  norm,
  parameterNames,
  perIterationParts,
  same,
  snippet,
  within,
  type CallChain,
} from './perf-util';

const JS_LANGS = ['javascript', 'typescript', 'tsx'] as const;
const isJs = (l: ParsedLanguage) => l === 'javascript' || l === 'typescript' || l === 'tsx';

/** A short label for a loop in messages: what it iterates, or its line. */
function loopLabel(loop: SyntaxNode, lang: ParsedLanguage): string {
  let it: SyntaxNode | null = null;
  if (loop.type === 'for_in_statement' || (lang === 'python' && loop.type === 'for_statement')) it = loop.childForFieldName('right');
  else if (loop.type === 'enhanced_for_statement') it = loop.childForFieldName('value');
  else if (lang === 'go') it = loop.namedChildren.find((c) => c?.type === 'range_clause')?.childForFieldName('right') ?? null;
  else if (/comprehension$|^generator_expression$/.test(loop.type)) {
    it = loop.namedChildren.find((c) => c?.type === 'for_in_clause')?.childForFieldName('right') ?? null;
  }
  const line = loop.startPosition.row + 1;
  return it && it.text.length <= 40 ? `the loop over \`${it.text}\` (line ${line})` : `the loop on line ${line}`;
}

// ---------------------------------------------------------------------------------------------------
// performance/n-plus-one
// ---------------------------------------------------------------------------------------------------

/** Receivers that are databases, ORMs or data clients (normalised names, see `norm`). */
const DB_RECEIVER =
  /^(db|database|conn|connection|pool|cursor|cur|session|tx|txn|trx|transaction|prisma|knex|sequelize|mongoose|model|repo|repository|dao|em|entitymanager|redis|collection|table|stmt|statement|ps|pstmt|preparedstatement|jdbctemplate|jdbc|orm|queryrunner|datasource|objects|mongo|dynamo|dynamodb|firestore|supabase|drizzle|sql)$|(repo|repository|dao|db|collection|model|session|connection|conn|cursor|mapper|pgclient|sqlclient|dbclient|mysqlclient|mongoclient|redisclient|postgresclient)$/;
/** For synchronous code (Python without await, Go, Java) a narrower set: `cache.get` or `model.get` there is usually in memory. */
const SYNC_DB_RECEIVER =
  /^(db|database|conn|connection|cursor|cur|session|tx|txn|em|entitymanager|jdbctemplate|jdbc|stmt|statement|ps|pstmt|preparedstatement|orm|sqlx|gorm)$|(repo|repository|dao|db|conn|connection|cursor|session|mapper|jdbctemplate)$/;
/** Methods that run a query or a data-store round trip (normalised, prefix match for the long ones). */
const DB_METHOD = /^(query|find|select|exec|get|insert|update|upsert|delete|destroy|remove|save|create|count|aggregate|load|fetch|put|scan|bulk)|^(first|one|oneornone|scalar|raw|filter|exists|merge|persist|refresh)$/;
/** For synchronous code, only unmistakable query methods (`stmt.remove()` or `conn.putheader()` are not queries). */
const SYNC_DB_METHOD = /^(query|exec|find|select|insert|update|upsert|delete|save|count|aggregate)|^(get|getone|getbyid|first|one|scalar|filter|create|persist|merge|refresh)$/;
/** Names of awaited calls that look like I/O (normalised, prefix match). */
const IO_METHOD = /^(fetch|get|load|read|request|query|find|select|exec|save|insert|update|upsert|delete|remove|create|put|post|patch|send|download|upload|lookup|search|list|invoke|scan|head|retrieve)/;
/** Bare HTTP client calls. */
const HTTP_FUNCTION = /^(fetch|axios|got|ky|request|superagent|urlopen)$/;

interface IoCall {
  node: SyntaxNode;
  /** The call chain (outermost call first). */
  chain: CallChain;
  db: boolean;
}

function receiverNames(chain: CallChain): string[] {
  const called = new Set(chain.methods);
  return [chain.root, ...chain.members.filter((m) => !called.has(m))].filter(Boolean).map(norm);
}

/** Classifies an awaited expression (JS/TS or Python `await`): DB round trip, other I/O, or null. */
function awaitedIo(expr: SyntaxNode, lang: ParsedLanguage): IoCall | null {
  const chain = callChain(expr, lang);
  if (!chain) return null;
  const recv = receiverNames(chain);
  // `fn.call(this, x)` says nothing about what `fn` does.
  const methods = chain.methods.filter((m) => !/^(call|apply|bind|then|catch|finally)$/.test(m)).map(norm);
  if (recv.some((r) => DB_RECEIVER.test(r)) && methods.some((m) => DB_METHOD.test(m))) return { node: expr, chain, db: true };
  if (!chain.members.length && HTTP_FUNCTION.test(chain.root || chain.methods[0] || '')) return { node: expr, chain, db: false };
  if (methods.some((m) => IO_METHOD.test(m))) return { node: expr, chain, db: false };
  return null;
}

/** Classifies a synchronous call (Python, Go, Java) that is clearly a query or an HTTP request. */
function syncIo(call: SyntaxNode, lang: ParsedLanguage): IoCall | null {
  const chain = callChain(call, lang);
  if (!chain || !chain.methods.length) return null;
  const recv = receiverNames(chain);
  const methods = chain.methods.map(norm);
  const last = methods[methods.length - 1]!;
  // Django: `Model.objects.get(...)` (a manager reached from a class name, not a local called `objects`).
  const django = lang === 'python' && /^[A-Z]/.test(chain.root) && chain.members[0] === 'objects';
  if ((django || recv.some((r) => SYNC_DB_RECEIVER.test(r))) && methods.some((m) => SYNC_DB_METHOD.test(m))) {
    // Python sessions also serve HTTP (`requests.Session().get`): still one round trip per item.
    return { node: call, chain, db: true };
  }
  const root = norm(chain.root);
  if (lang === 'python' && ((root === 'requests' || root === 'httpx') && /^(get|post|put|patch|delete|head|request)$/.test(last))) return { node: call, chain, db: false };
  if (lang === 'python' && last === 'urlopen') return { node: call, chain, db: false };
  if (lang === 'go' && root === 'http' && /^(get|post|postform|head)$/.test(last)) return { node: call, chain, db: false };
  if (lang === 'go' && last === 'do' && /client$/.test(recv[recv.length - 1] ?? '')) return { node: call, chain, db: false };
  if (lang === 'java' && recv.some((r) => /resttemplate$|webclient$/.test(r))) return { node: call, chain, db: false };
  if (lang === 'java' && last === 'send' && recv.some((r) => /httpclient$/.test(r))) return { node: call, chain, db: false };
  return null;
}

function batchAdvice(lang: ParsedLanguage, io: IoCall): string {
  const m = norm(io.chain.methods[io.chain.methods.length - 1] ?? '');
  if (!io.db) {
    if (isJs(lang)) return 'If the iterations are independent, run them concurrently with `await Promise.all(items.map(...))` (bounded with a limiter such as `p-limit` for long lists), or use a batch endpoint.';
    if (lang === 'python') return 'If the iterations are independent, run them concurrently (`asyncio.gather`, or a thread pool for synchronous clients) with a bound on concurrency, or use a batch endpoint.';
    return 'If the iterations are independent, issue the requests concurrently with a bounded worker pool, or use a batch endpoint.';
  }
  switch (lang) {
    case 'python':
      return m === 'execute'
        ? 'Fetch or write all rows in one statement (`WHERE id IN (...)`, `cursor.executemany(...)`), or eager-load with a JOIN (`select_related`/`prefetch_related`, `selectinload`).'
        : 'Load all rows in one query (`filter(id__in=ids)`, `WHERE id IN (...)`) or eager-load the relation (`select_related`/`prefetch_related`, `selectinload`) and look them up in a dict.';
    case 'go':
      return 'Load all rows with one query (`WHERE id = ANY($1)` / `IN (...)`) and index them in a map, or batch the writes in one transaction with a prepared statement.';
    case 'java':
      return 'Load all rows in one call (`findAllById(ids)`, `WHERE id IN (:ids)`, a JOIN FETCH) or batch the writes (`saveAll`, JDBC `addBatch()`/`executeBatch()`).';
    default:
      return 'Load all rows in one query before the loop (`WHERE id IN (...)`, `findMany({ where: { id: { in: ids } } })`) and look them up in a `Map`, or batch the writes (`insertMany`, `createMany`).';
  }
}

const nPlusOne: FileRule = {
  kind: 'file',
  id: 'performance/n-plus-one',
  personas: ['performance'],
  severity: 'high',
  category: 'n-plus-one',
  title: 'Query or awaited I/O inside a loop (N+1)',
  description:
    'A database query or awaited network/file call runs once per item of a collection, so N items cost N round trips. Load the data in one batched query (IN list, eager loading) or run independent calls concurrently.',
  references: ['CWE-1073', 'CWE-1050'],
  confidence: 0.75,
  languages: [...JS_LANGS, 'python', 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    const candidates: IoCall[] = [];
    const awaitType = isJs(lang) ? 'await_expression' : lang === 'python' ? 'await' : '';
    if (awaitType) {
      for (const aw of nodesOfType(root, [awaitType])) {
        const expr = aw.namedChildren.find((c) => c !== null) ?? null;
        const io = expr && awaitedIo(expr, lang);
        if (io) {
          candidates.push({ ...io, node: aw });
          for (const c of io.chain.calls) seen.add(c.id);
        }
      }
    }
    if (!isJs(lang)) {
      walk(root, (n) => {
        if (!LANG[lang].call.includes(n.type) || seen.has(n.id)) return true;
        const io = syncIo(n, lang);
        if (!io) return true;
        candidates.push(io);
        return false; // one finding per chain
      });
    }
    // One finding per loop (its first round trip), counting the others: several queries in one loop are one problem.
    const byLoop = new Map<number, { io: IoCall; inner: SyntaxNode; more: number }>();
    for (const io of candidates) {
      const loops = enclosingLoops(io.node, lang).filter((l) => isCollectionLoop(l, lang));
      if (!loops.length) continue;
      const inner = loops[0]!;
      // A generic I/O call in a loop that stops early is usually a search ("try each mirror until one answers").
      if (!io.db && perIterationParts(inner).some((p) => exitsEarly(p, lang))) continue;
      const names = iterationNames(loops, lang);
      // A loop over batches or pages (`const batch = rows.slice(i, i + size)`) is already the fix for N+1.
      if (/batch|chunk|page/i.test(`${[...names].join(' ')} ${loopLabel(inner, lang)}`)) continue;
      // A body that always returns or breaks runs once.
      if (perIterationParts(inner).some((p) => alwaysExits(p))) continue;
      // `for await` consumes a stream whose items arrive one by one anyway.
      if (!io.db && inner.children.some((c) => c?.type === 'await')) continue;
      if (!dependsOnIteration(io, names, inner, lang) || runsDistinctStatements(io, names, lang)) continue;
      const seen = byLoop.get(inner.id);
      if (seen) {
        seen.more++;
        if (io.db && !seen.io.db) seen.io = io;
      } else byLoop.set(inner.id, { io, inner, more: 0 });
    }
    for (const { io, inner, more } of [...byLoop.values()].sort((a, b) => a.io.node.startIndex - b.io.node.startIndex)) {
      const callText = snippet(io.chain.calls[0] ?? io.node, 70);
      const what = io.db ? 'a database round trip' : 'an I/O round trip';
      hits.push({
        node: io.node,
        severity: io.db ? 'high' : 'medium',
        title: io.db ? 'Query inside a loop (N+1)' : 'Awaited I/O inside a loop',
        message:
          `\`${callText}\` runs once per iteration of ${loopLabel(inner, lang)}: ${what} per item, so latency and load grow with the collection (the N+1 pattern).` +
          (more ? ` The same loop makes ${more} more such call${more > 1 ? 's' : ''} per item.` : '') +
          (io.node.type.startsWith('await') ? ' Each iteration also waits for the previous one to finish.' : ''),
        suggestion: { description: batchAdvice(lang, io) },
      });
    }
    return hits;
  },
};

/**
 * True when each iteration runs a different SQL statement rather than the same query with new values:
 * the statement is the loop item (`for _, s := range migrations { db.Exec(s) }`) or the table name is
 * spliced in (`fmt.Sprintf("DELETE FROM %s", table)`). Batching does not apply there.
 */
function runsDistinctStatements(io: IoCall, names: Set<string>, lang: ParsedLanguage): boolean {
  const call = io.chain.calls[0];
  if (!call || !/^(exec|execute|query|queryrow|execcontext|querycontext|queryrowcontext|executescript|raw)$/.test(norm(io.chain.methods[io.chain.methods.length - 1] ?? ''))) return false;
  const sql = callArguments(call).find((a) => !/^(ctx|context|c)$/.test(a.text));
  if (!sql) return false;
  if (sql.type === 'identifier') return names.has(sql.text);
  if (![...identifiersIn(sql)].some((n) => names.has(n)) || (LANG[lang].string.includes(sql.type) && isConstantString(sql, lang))) return false;
  // Schema statements, or an item spliced in where a table name goes.
  return /^\W*(CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|VACUUM|ANALYZE|REINDEX)\b/i.test(sql.text) || /\b(FROM|INTO|UPDATE|TABLE|JOIN)\s+["'`]?\s*(%s|%v|\{|\$\{|["'`]\s*\+)/i.test(sql.text);
}

/** True when the call uses a per-iteration name, directly or through a call on the same receiver (`ps.setString(1, id); ps.executeUpdate()`). */
function dependsOnIteration(io: IoCall, names: Set<string>, loop: SyntaxNode, lang: ParsedLanguage): boolean {
  const used = identifiersIn(io.chain.calls[0] ?? io.node);
  if ([...used].some((n) => names.has(n))) return true;
  if (!io.db || !io.chain.root) return false;
  let found = false;
  for (const part of perIterationParts(loop)) {
    walk(part, (n) => {
      if (found) return false;
      if (LANG[lang].call.includes(n.type) && n.id !== io.chain.calls[0]?.id) {
        const c = callChain(n, lang);
        if (c?.root === io.chain.root && callArguments(n).some((a) => [...identifiersIn(a)].some((x) => names.has(x)))) found = true;
      }
      return !found;
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------
// performance/quadratic-lookup
// ---------------------------------------------------------------------------------------------------

const JS_SCAN = new Set(['includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'filter']);
const JS_ITERATE = new Set(['map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap', 'sort']);
const JS_ARRAY_PRODUCER = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'split', 'from', 'toSorted', 'toReversed', 'sort']);
const JAVA_LIST_TYPE = /^(List|ArrayList|LinkedList|Vector|CopyOnWriteArrayList|AbstractList)$/;
const JAVA_STREAM_ITERATE = new Set(['filter', 'map', 'forEach', 'anyMatch', 'allMatch', 'noneMatch', 'removeIf', 'flatMap', 'takeWhile', 'dropWhile', 'peek', 'sorted', 'sort', 'mapToInt', 'mapToObj']);

/** Literal leaves: an array/list of these is a small constant table, not data. */
const LITERAL = /^(string|number|true|false|null|undefined|integer|float|none|string_literal|decimal_integer_literal|interpreted_string_literal|raw_string_literal|int_literal|character_literal|template_string|concatenated_string)$/;

/**
 * True when the list called `name` grows somewhere under `scope` (`push`, `unshift`, `splice`, `append`,
 * `extend`, `insert`, `+=`, Go `x = append(x, …)`): a literal that grows is data, not a fixed table.
 */
function grows(name: string, scope: SyntaxNode, lang: ParsedLanguage): boolean {
  let found = false;
  // Growth is unbounded only when it repeats (in a loop or a callback) or adds a whole other collection.
  const unbounded = (n: SyntaxNode, added: SyntaxNode | undefined) =>
    enclosingLoops(n, lang).length > 0 || !same(nearestFunction(n, lang) ?? scope, scope) || (!!added && !/^(array|list|tuple|composite_literal)$/.test(added.type) && !LANG[lang].string.includes(added.type));
  walk(scope, (n) => {
    if (found) return false;
    if (LANG[lang].call.includes(n.type)) {
      const c = calleeName(n, lang);
      const dot = c.lastIndexOf('.');
      const method = c.slice(dot + 1);
      if (dot > 0 && c.slice(0, dot) === name && /^(push|unshift|splice|append|extend|insert)$/.test(method)) {
        found = unbounded(n, /^(extend)$/.test(method) ? callArguments(n)[0] : undefined);
      }
      if (lang === 'go' && c === 'append' && callArguments(n)[0]?.text === name) found = unbounded(n, undefined);
    } else if ((n.type === 'augmented_assignment' || n.type === 'augmented_assignment_expression') && n.childForFieldName('left')?.text === name) {
      found = unbounded(n, n.childForFieldName('right') ?? undefined);
    }
    return !found;
  });
  return found;
}

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

/** Scopes to search for the declaration of a name used at `node`: enclosing functions, innermost first, then the file. */
function scopes(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) if (LANG[lang].func.includes(p.type) || LANG[lang].classDecl.includes(p.type) || !p.parent) out.push(p);
  return out;
}

/** Nodes declared directly in `scope` (not in a nested function) that satisfy `pick`. */
function declsIn(scope: SyntaxNode, lang: ParsedLanguage, pick: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  walk(scope, (n) => {
    if (!same(n, scope) && LANG[lang].func.includes(n.type)) return false;
    if (pick(n)) out.push(n);
    return true;
  });
  return out;
}

type ArrayKind = 'dynamic' | 'constant' | 'unknown';

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

/** What a JS/TS name refers to: a data-sized array, a small literal table, or something else. */
function jsArrayKind(name: string, at: SyntaxNode, lang: ParsedLanguage): { kind: ArrayKind; decl?: SyntaxNode } {
  for (const scope of scopes(at, lang)) {
    if (LANG[lang].func.includes(scope.type)) {
      const params = scope.childForFieldName('parameters');
      for (const p of params?.namedChildren ?? []) {
        if (!p || (p.childForFieldName('pattern') ?? p)?.text !== name) continue;
        const type = p.childForFieldName('type')?.namedChildren[0];
        return { kind: type && isJsArrayType(type) ? 'dynamic' : 'unknown', decl: p };
      }
    }
    const decls = declsIn(scope, lang, (n) => n.type === 'variable_declarator' && n.childForFieldName('name')?.text === name);
    const decl = decls[0];
    if (!decl) continue;
    const value = decl.childForFieldName('value');
    const type = decl.childForFieldName('type')?.namedChildren[0];
    // A literal is a table whose size is fixed in the source, unless the code grows it in a loop.
    if (value?.type === 'array') return { kind: grows(name, scope, lang) ? 'dynamic' : 'constant', decl };
    if (value && (value.type === 'call_expression' || value.type === 'await_expression')) {
      const chain = callChain(value.type === 'await_expression' ? value.namedChildren[0]! : value, lang);
      const last = chain?.methods[chain.methods.length - 1] ?? '';
      if (chain && JS_ARRAY_PRODUCER.has(last) && !(last === 'from' && chain.root !== 'Array')) return { kind: 'dynamic', decl };
      if (chain?.root === 'Object' && /^(keys|values|entries)$/.test(last)) return { kind: 'dynamic', decl };
    }
    // An annotation alone says "array", not how big: `const KEYS: string[] = ALLOWED_KEYS` is a small table.
    if (type && isJsArrayType(type) && !value) return { kind: 'dynamic', decl };
    return { kind: 'unknown', decl };
  }
  return { kind: 'unknown' };
}

function isJsArrayType(t: SyntaxNode): boolean {
  if (t.type === 'array_type') return true;
  if (t.type === 'readonly_type') return t.namedChildren.some((c) => c?.type === 'array_type');
  if (t.type === 'generic_type') return /^(Array|ReadonlyArray)$/.test(t.childForFieldName('name')?.text ?? '');
  return false;
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

const quadraticLookup: FileRule = {
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

// ---------------------------------------------------------------------------------------------------
// performance/string-concat-in-loop
// ---------------------------------------------------------------------------------------------------

/** The local a Java/Go assignment appends to (`s += x`, `s = s + x`), or null. */
function appendedName(assign: SyntaxNode, lang: ParsedLanguage): string | null {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  const target = lang === 'go' ? (left?.namedChildCount === 1 ? left.namedChildren[0] : null) : left;
  if (target?.type !== 'identifier' || !right) return null;
  const op = assign.childForFieldName('operator')?.text ?? assign.children.find((c) => c && !c.isNamed)?.text;
  if (op === '+=') return target.text;
  if (op === '=') {
    let r: SyntaxNode | null | undefined = lang === 'go' ? right.namedChildren[0] : right;
    while (r?.type === 'binary_expression') r = r.childForFieldName('left');
    if (r?.type === 'identifier' && r.text === target.text) return target.text;
  }
  return null;
}

/** Where a Java/Go local string is declared (node), when it is one; null otherwise. */
function stringDecl(name: string, at: SyntaxNode, lang: ParsedLanguage): SyntaxNode | null {
  const fn = nearestFunction(at, lang);
  if (!fn) return null;
  let found: SyntaxNode | null = null;
  walk(fn, (n) => {
    if (found) return false;
    if (lang === 'java' && n.type === 'local_variable_declaration') {
      const d = n.namedChildren.find((c) => c?.type === 'variable_declarator' && c.childForFieldName('name')?.text === name);
      if (!d) return true;
      const type = n.childForFieldName('type')?.text;
      const value = d.childForFieldName('value');
      if (type === 'String' || (type === 'var' && value?.type === 'string_literal')) found = n;
      return false;
    }
    if (lang === 'java' && n.type === 'formal_parameter' && n.childForFieldName('name')?.text === name) {
      if (n.childForFieldName('type')?.text === 'String') found = n;
      return false;
    }
    if (lang === 'go' && (n.type === 'var_spec' || n.type === 'short_var_declaration' || n.type === 'parameter_declaration')) {
      const names = n.type === 'short_var_declaration' ? n.childForFieldName('left')?.namedChildren ?? [] : n.namedChildren.filter((c) => c?.type === 'identifier');
      const idx = names.findIndex((c) => c?.text === name);
      if (idx < 0) return true;
      const type = n.childForFieldName('type')?.text;
      const value = (n.childForFieldName('right') ?? n.childForFieldName('value'))?.namedChildren[idx];
      if (type === 'string' || (value && (LANG.go.string.includes(value.type) || /^fmt\.Sprint/.test(value.type === 'call_expression' ? calleeName(value, 'go') : '')))) found = n;
      return false;
    }
    return true;
  });
  return found;
}

const stringConcatInLoop: FileRule = {
  kind: 'file',
  id: 'performance/string-concat-in-loop',
  personas: ['performance'],
  severity: 'medium',
  category: 'string-building',
  title: 'String built with += inside a loop',
  description:
    'Java and Go strings are immutable: `s += x` in a loop copies the whole string every iteration, which is O(n²) in the final length. Append to a `StringBuilder` (Java) or `strings.Builder` (Go) and convert once.',
  references: ['CWE-1046'],
  confidence: 0.8,
  languages: ['java', 'go'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    const done = new Set<string>();
    const type = lang === 'java' ? 'assignment_expression' : 'assignment_statement';
    for (const assign of nodesOfType(root, [type])) {
      const name = appendedName(assign, lang);
      if (!name) continue;
      const loop = enclosingLoops(assign, lang)[0];
      if (!loop) continue;
      const decl = stringDecl(name, assign, lang);
      if (!decl || within(decl, loop)) continue;
      const key = `${loop.id}:${name}`;
      if (done.has(key)) continue;
      done.add(key);
      const builder = lang === 'java' ? '`StringBuilder`' : '`strings.Builder`';
      hits.push({
        node: assign.parent?.type === 'expression_statement' ? assign.parent : assign,
        message: `\`${snippet(assign)}\` copies all of \`${name}\` on every iteration of ${loopLabel(loop, lang)}: strings are immutable, so building one this way costs O(n²) in its final length and churns the garbage collector.`,
        suggestion: {
          description:
            lang === 'java'
              ? `Declare \`StringBuilder sb = new StringBuilder()\` before the loop, call \`sb.append(...)\` inside it, and use \`sb.toString()\` after it (or \`String.join\` / \`Collectors.joining\`).`
              : `Declare \`var b strings.Builder\` before the loop, call \`b.WriteString(...)\` inside it, and use \`b.String()\` after it (or \`strings.Join\`).`,
        },
        title: `String built with += inside a loop (use ${builder.replace(/`/g, '')})`,
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// performance/spread-accumulator
// ---------------------------------------------------------------------------------------------------

/** The expressions a callback returns: its expression body, or the arguments of its own return statements. */
function returnedExpressions(fn: SyntaxNode, lang: ParsedLanguage): SyntaxNode[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  if (body.type !== 'statement_block') return [unwrap(body)];
  const out: SyntaxNode[] = [];
  walk(body, (n) => {
    if (!same(n, body) && LANG[lang].func.includes(n.type)) return false;
    if (n.type === 'return_statement') {
      const v = n.namedChildren[0];
      if (v) out.push(unwrap(v));
    }
    return true;
  });
  return out;
}

function unwrap(n: SyntaxNode): SyntaxNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildren[0]) cur = cur.namedChildren[0];
  return cur;
}

/** True when `expr` copies all of `name` into a new array/object (`[...acc, x]`, `{ ...acc, k: v }`, `acc.concat(x)`). */
function copiesAll(expr: SyntaxNode, name: string): boolean {
  if (expr.type === 'array' || expr.type === 'object') {
    // `{ ...x }` alone is a clone of x, not an accumulation.
    if (expr.namedChildren.filter((c) => c && !c.type.includes('comment')).length < 2) return false;
    return expr.namedChildren.some((c) => c?.type === 'spread_element' && c.namedChildren[0]?.type === 'identifier' && c.namedChildren[0].text === name);
  }
  if (expr.type === 'call_expression') {
    const fn = expr.childForFieldName('function');
    return fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'concat' && fn.childForFieldName('object')?.text === name;
  }
  return false;
}

const spreadAccumulator: FileRule = {
  kind: 'file',
  id: 'performance/spread-accumulator',
  personas: ['performance'],
  severity: 'medium',
  category: 'algorithmic-complexity',
  title: 'Accumulator copied on every iteration',
  description:
    'Returning `[...acc, x]`, `{ ...acc, [k]: v }` or `acc.concat(x)` from a `reduce` callback (or reassigning `arr = [...arr, x]` in a loop) copies everything gathered so far on each step: O(n²) time and garbage. Mutate the accumulator (`acc.push(x); return acc`) or build the result with `map`/`Object.fromEntries`.',
  references: ['CWE-407'],
  // True by construction, but often over small collections (form fields, config keys): ranked below the rest.
  confidence: 0.6,
  languages: [...JS_LANGS],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(root, ['call_expression'])) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'member_expression' || !/^reduce(Right)?$/.test(fn.childForFieldName('property')?.text ?? '')) continue;
      const cb = callArguments(call)[0];
      if (!cb || (cb.type !== 'arrow_function' && cb.type !== 'function_expression')) continue;
      const acc = parameterNames(cb)[0];
      if (!acc) continue;
      for (const expr of returnedExpressions(cb, lang)) {
        if (!copiesAll(expr, acc)) continue;
        const isObject = expr.type === 'object';
        hits.push({
          node: expr,
          message: `\`${snippet(expr)}\` copies the whole accumulator \`${acc}\` on every step of this \`reduce\`, so reducing n items costs O(n²) time and allocates n intermediate ${isObject ? 'objects' : 'arrays'}.`,
          suggestion: {
            description: isObject
              ? `Assign into the accumulator and return it (\`${acc}[key] = value; return ${acc};\`), or build the object in one pass with \`Object.fromEntries(items.map(...))\`.`
              : `Push into the accumulator and return it (\`${acc}.push(x); return ${acc};\`), or use \`map\`/\`flatMap\`/\`filter\` instead of \`reduce\`.`,
          },
        });
      }
    }
    for (const assign of nodesOfType(root, ['assignment_expression'])) {
      const left = assign.childForFieldName('left');
      const right = assign.childForFieldName('right');
      if (left?.type !== 'identifier' || !right || !copiesAll(unwrap(right), left.text)) continue;
      const loop = enclosingLoops(assign, lang)[0];
      // A for-of over a literal list runs a fixed handful of times.
      if (!loop || (loop.type === 'for_in_statement' && !isCollectionLoop(loop, lang))) continue;
      // Declared inside the loop: a fresh value per iteration, nothing accumulates across iterations.
      const decl = jsArrayKind(left.text, assign, lang).decl;
      if (decl && within(decl, loop)) continue;
      // `x = x.concat(y); break;` runs once.
      const stmt = assign.parent?.type === 'expression_statement' ? assign.parent : assign;
      if (/^(break_statement|return_statement)$/.test(stmt.nextNamedSibling?.type ?? '')) continue;
      hits.push({
        node: assign,
        message: `\`${snippet(assign)}\` copies all of \`${left.text}\` on every iteration of ${loopLabel(loop, lang)}: O(n²) time and n throw-away copies.`,
        suggestion: { description: `Append in place (\`${left.text}.push(...)\`, \`Object.assign\`/property assignment for objects) and keep one array/object.` },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// performance/blocking-io-in-request-path
// ---------------------------------------------------------------------------------------------------

const JS_SYNC_CALL = new Set([
  'readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'statSync', 'lstatSync', 'fstatSync', 'readdirSync', 'mkdirSync',
  'rmSync', 'rmdirSync', 'unlinkSync', 'copyFileSync', 'cpSync', 'renameSync', 'accessSync', 'openSync', 'readSync', 'writeSync', 'closeSync',
  'realpathSync', 'readlinkSync', 'symlinkSync', 'truncateSync', 'chmodSync', 'chownSync', 'utimesSync', 'mkdtempSync', 'opendirSync',
  'execSync', 'execFileSync', 'spawnSync', 'pbkdf2Sync', 'scryptSync', 'gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync',
  'brotliCompressSync', 'brotliDecompressSync', 'unzipSync',
]);
const ROUTER_RECEIVER = /^(app|router|server|api|routes?|r|fastify|express|koa|hono|srv|web)$|(app|router|server|routes)$/i;
const ROUTE_METHOD = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'handle']);
const HANDLER_PARAMS: Array<[string, string]> = [['req', 'res'], ['request', 'response'], ['request', 'reply'], ['req', 'reply'], ['req', 'resp'], ['ctx', 'next']];
const HTTP_VERB_FUNCTION = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;
const NEST_ROUTE_DECORATOR = /^@(Get|Post|Put|Patch|Delete|All|Head|Options)\b/;

/** Functions of a JS/TS file that serve HTTP requests: route callbacks, functions registered by name, `(req, res)` handlers, Next.js verb exports, NestJS route methods. */
function requestHandlers(root: SyntaxNode, lang: ParsedLanguage): Set<number> {
  const handlers = new Set<number>();
  const byName = new Set<string>();
  for (const call of nodesOfType(root, ['call_expression'])) {
    const chain = callChain(call, lang);
    if (!chain) continue;
    const name = calleeName(call, lang);
    const method = chain.methods[chain.methods.length - 1] ?? '';
    const route = (ROUTER_RECEIVER.test(chain.root) && ROUTE_METHOD.has(method)) || /(^|\.)createServer$/.test(name);
    if (!route) continue;
    for (const a of callArguments(call)) {
      if (LANG[lang].func.includes(a.type)) handlers.add(a.id);
      else if (a.type === 'identifier') byName.add(a.text);
    }
  }
  for (const fn of nodesOfType(root, LANG[lang].func)) {
    const params = parameterNames(fn);
    const name = fnName(fn);
    if (HANDLER_PARAMS.some(([a, b]) => params[0] === a && params[1] === b)) handlers.add(fn.id);
    else if (name && byName.has(name)) handlers.add(fn.id);
    else if (HTTP_VERB_FUNCTION.test(name)) handlers.add(fn.id);
    else if (fn.type === 'method_definition') {
      const prev = fn.previousNamedSibling;
      if (prev?.type === 'decorator' && NEST_ROUTE_DECORATOR.test(prev.text)) handlers.add(fn.id);
    }
  }
  return handlers;
}

function fnName(fn: SyntaxNode): string {
  const n = fn.childForFieldName('name');
  if (n) return n.text;
  if (fn.parent?.type === 'variable_declarator') return fn.parent.childForFieldName('name')?.text ?? '';
  return '';
}

/** A Python call that blocks the thread it runs on (sleep, synchronous HTTP, subprocess), with the async alternative. */
function pyBlocking(call: SyntaxNode): { what: string; instead: string } | null {
  const chain = callChain(call, 'python');
  if (!chain) return null;
  const root = chain.root;
  const last = chain.methods[chain.methods.length - 1] ?? '';
  const depth = chain.members.length;
  if (root === 'time' && last === 'sleep' && depth === 1) return { what: 'sleeps the whole event loop', instead: '`await asyncio.sleep(...)`' };
  if ((root === 'requests' || root === 'httpx') && depth === 1 && /^(get|post|put|patch|delete|head|options|request)$/.test(last)) {
    return { what: 'performs a synchronous HTTP request on the event loop', instead: 'an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`' };
  }
  if (last === 'urlopen' && (depth === 0 || root === 'urllib' || root === 'request')) {
    return { what: 'performs a synchronous HTTP request on the event loop', instead: 'an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`' };
  }
  if (root === 'subprocess' && depth === 1 && /^(run|call|check_call|check_output)$/.test(last)) {
    return { what: 'waits for a child process on the event loop', instead: '`await asyncio.create_subprocess_exec(...)`' };
  }
  if (root === 'os' && depth === 1 && last === 'system') return { what: 'waits for a shell command on the event loop', instead: '`await asyncio.create_subprocess_shell(...)`' };
  return null;
}

const blockingIo: FileRule = {
  kind: 'file',
  id: 'performance/blocking-io-in-request-path',
  personas: ['performance'],
  severity: 'high',
  category: 'blocking-io',
  title: 'Blocking call on a request path',
  description:
    'A synchronous file, process or network call inside an HTTP request handler (Node.js `*Sync` APIs) or an `async def` (Python `time.sleep`, `requests`, `subprocess`) blocks the event loop, so every concurrent request waits. Use the asynchronous API or move the work off the loop.',
  references: [],
  confidence: 0.8,
  languages: [...JS_LANGS, 'python'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    if (lang === 'python') {
      for (const call of nodesOfType(root, ['call'])) {
        const fn = nearestFunction(call, lang);
        if (!fn || fn.type !== 'function_definition' || !isAsyncFunction(fn)) continue;
        const b = pyBlocking(call);
        if (!b) continue;
        const name = fn.childForFieldName('name')?.text ?? '';
        hits.push({
          node: call,
          message: `\`${snippet(call)}\` ${b.what} inside \`async def ${name}\`: while it runs, no other coroutine (no other request) makes progress.`,
          suggestion: { description: `Use ${b.instead}.` },
        });
      }
      return hits;
    }
    const handlers = requestHandlers(root, lang);
    if (!handlers.size) return hits;
    for (const call of nodesOfType(root, ['call_expression'])) {
      const name = calleeName(call, lang);
      const method = name.slice(name.lastIndexOf('.') + 1);
      if (!JS_SYNC_CALL.has(method)) continue;
      let handler: SyntaxNode | null = null;
      for (let p = nearestFunction(call, lang); p; p = nearestFunction(p, lang)) {
        if (handlers.has(p.id)) {
          handler = p;
          break;
        }
      }
      if (!handler) continue;
      const asyncName = method.replace(/Sync$/, '');
      const alt = /^(exec|execFile|spawn)$/.test(asyncName)
        ? `\`child_process.${asyncName}\` (promisified) or \`spawn\``
        : /^(pbkdf2|scrypt)$/.test(asyncName)
          ? `the callback/promisified \`crypto.${asyncName}\` (runs on the libuv thread pool)`
          : /^(gzip|gunzip|deflate|inflate|brotliCompress|brotliDecompress|unzip)$/.test(asyncName)
            ? `the asynchronous \`zlib.${asyncName}\` or a stream`
            : asyncName === 'exists'
              ? '`await fs.promises.access(...)` or, better, just attempting the operation and handling `ENOENT`'
              : `\`await fs.promises.${asyncName}(...)\``;
      hits.push({
        node: call,
        message: `\`${snippet(call)}\` blocks the Node.js event loop inside the request handler on line ${handler.startPosition.row + 1}: while it runs, the server cannot serve any other request.`,
        suggestion: { description: `Use ${alt}, or do the work once at startup and cache the result.` },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// performance/regex-compile-in-loop
// ---------------------------------------------------------------------------------------------------

/** A regex compilation with a constant pattern, and the hoisting advice for it. */
function regexCompile(call: SyntaxNode, lang: ParsedLanguage): { pattern: SyntaxNode; advice: string } | null {
  const name = calleeName(call, lang);
  const args = callArguments(call);
  const first = args[0];
  if (!first || !isConstantString(first, lang)) return null;
  if (lang === 'go' && /^regexp\.(MustCompile|Compile|MustCompilePOSIX|CompilePOSIX|MatchString|Match)$/.test(name)) {
    return { pattern: first, advice: 'Compile it once into a package-level `var re = regexp.MustCompile(...)` and reuse it inside the loop.' };
  }
  if (lang === 'java') {
    if (/^Pattern\.(compile|matches)$/.test(name)) return { pattern: first, advice: 'Compile it once into a `private static final Pattern` and reuse it (`PATTERN.matcher(s).matches()`).' };
    const method = name.slice(name.lastIndexOf('.') + 1);
    // String.matches/replaceAll/replaceFirst compile their pattern on every call.
    if (name.includes('.') && ((method === 'matches' && args.length === 1) || (/^replace(All|First)$/.test(method) && args.length === 2))) {
      return { pattern: first, advice: `\`String.${method}\` compiles its regex on every call: hoist a \`private static final Pattern\` and use \`PATTERN.matcher(s).${method === 'matches' ? 'matches()' : `${method}(...)`}\`.` };
    }
  }
  if (isJs(lang) && call.type === 'new_expression' && name === 'new RegExp' && (args.length === 1 || (args.length === 2 && isConstantString(args[1]!, lang)))) {
    return { pattern: first, advice: 'Create the RegExp once before the loop (or use a regex literal) and reuse it; reset `lastIndex` if it has the `g` or `y` flag.' };
  }
  return null;
}

const regexInLoop: FileRule = {
  kind: 'file',
  id: 'performance/regex-compile-in-loop',
  personas: ['performance'],
  severity: 'medium',
  category: 'regex-compilation',
  title: 'Constant regular expression compiled inside a loop',
  description:
    'A regular expression with a constant pattern is compiled on every iteration (Go `regexp.MustCompile`/`MatchString`, Java `Pattern.compile`/`String.matches`/`replaceAll`, JS `new RegExp("…")`). Compile it once outside the loop and reuse it.',
  references: ['CWE-1176'],
  confidence: 0.85,
  languages: [...JS_LANGS, 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(root, LANG[lang].call)) {
      const rc = regexCompile(call, lang);
      if (!rc) continue;
      const loop = enclosingLoops(call, lang)[0];
      if (!loop) continue;
      hits.push({
        node: call,
        // V8 caches compiled regexps, so in JS the cost is an allocation per turn, not a compilation.
        severity: isJs(lang) ? 'low' : 'medium',
        message: isJs(lang)
          ? `\`${snippet(call)}\` builds a new RegExp object from a constant pattern on every iteration of ${loopLabel(loop, lang)}.`
          : `\`${snippet(call)}\` compiles the constant pattern ${snippet(rc.pattern, 40)} on every iteration of ${loopLabel(loop, lang)}; regex compilation costs far more than matching a short string.`,
        suggestion: { description: rc.advice },
      });
    }
    return hits;
  },
};

/** The rules of this pack. */
export const rules: OfflineRule[] = [nPlusOne, quadraticLookup, stringConcatInLoop, spreadAccumulator, blockingIo, regexInLoop];
