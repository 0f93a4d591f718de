/**
 * Offline rules of the concurrency pack (persona `concurrency`): promises and coroutines nobody waits
 * for, shared state written from goroutines/threads without a lock, check-then-act races (in memory and
 * on the file system), locks taken in opposite orders, and Go loop variables captured by goroutines.
 * Each rule reads tree-sitter syntax trees; see `../rule.ts`.
 *
 * References cited: CWE-362 (Concurrent Execution using Shared Resource with Improper Synchronization),
 * CWE-366 (Race Condition within a Thread), CWE-367 (Time-of-check Time-of-use Race Condition),
 * CWE-667 (Improper Locking), CWE-820 (Missing Synchronization), CWE-833 (Deadlock), CWE-248 (Uncaught
 * Exception: an unawaited promise rejection).
 */
import type { FileRule, OfflineRule, ParsedFile, ProjectIndex, RuleHit } from '../rule';
import { walk, type ParsedLanguage, type SyntaxNode } from '../syntax';
import { LANG, callArguments, calleeName, nodesOfType } from '../lang';
import { boundNames, enclosingLoops, identifiersIn, isAsyncFunction, nearestFunction, same, snippet } from './perf-util';

const JS_LANGS = ['javascript', 'typescript', 'tsx'] as const;
const isJs = (l: ParsedLanguage) => l === 'javascript' || l === 'typescript' || l === 'tsx';

/** Text of `node` without a leading `this.` / `self.`, whitespace removed: the identity of a lock or a cache. */
function key(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, '').replace(/^(this|self)\./, '');
}

/** Unwraps parentheses (and Python's `not` is left alone). */
function unparen(n: SyntaxNode | null | undefined): SyntaxNode | null {
  let cur = n ?? null;
  while (cur && (cur.type === 'parenthesized_expression' || cur.type === 'parenthesized_list_splat') && cur.namedChildren[0]) cur = cur.namedChildren[0];
  return cur;
}

/** Name of a function-like node, '' when anonymous. */
function fnName(fn: SyntaxNode): string {
  const n = fn.childForFieldName('name');
  if (n) return n.text;
  if (fn.parent?.type === 'variable_declarator') return fn.parent.childForFieldName('name')?.text ?? '';
  return '';
}

/** A short description of where a function is, for messages: `` `name` (line N)``. */
function where(fn: SyntaxNode | null): string {
  if (!fn) return 'top-level code';
  const name = fnName(fn);
  return `${name ? `\`${name}\`` : 'the anonymous function'} (line ${fn.startPosition.row + 1})`;
}

/** True when a comment on the statement's line or the line above says the call is deliberately not awaited. */
function markedIntentional(stmt: SyntaxNode, root: SyntaxNode, lang: ParsedLanguage): boolean {
  const row = stmt.startPosition.row;
  return nodesOfType(root, LANG[lang].comment).some(
    (c) => (c.startPosition.row === row || c.endPosition.row === row - 1) && /fire.and.forget|no.?await|don'?t await|not awaited|background|intentional|detached/i.test(c.text),
  );
}

/** A replacement for the single line holding `call`, with `await ` inserted before it; undefined when not exact. */
function insertAwait(call: SyntaxNode, file: ParsedFile): string | undefined {
  if (call.startPosition.row !== call.endPosition.row) return undefined;
  const line = file.lines[call.startPosition.row];
  const col = call.startPosition.column;
  if (line === undefined || line.slice(col, col + call.text.length) !== call.text) return undefined;
  return `${line.slice(0, col)}await ${line.slice(col)}`;
}

// ---------------------------------------------------------------------------------------------------
// concurrency/missing-await
// ---------------------------------------------------------------------------------------------------

const PROMISE_MODULES = new Set(['fs/promises', 'node:fs/promises', 'timers/promises', 'node:timers/promises', 'dns/promises', 'node:dns/promises', 'stream/promises', 'node:stream/promises']);

interface AsyncIndex {
  /** Plain function names declared async in the file (and not also declared sync). */
  fns: Set<string>;
  /** Async method names per class node id. */
  methods: Map<number, Set<string>>;
  /** Names imported from promise-returning modules (`readFile` from `fs/promises`). */
  promiseFns: Set<string>;
  /** Namespaces whose members return promises (`fsp` for `import * as fsp from 'fs/promises'`). */
  promiseNs: Set<string>;
}

function stringValue(n: SyntaxNode | null | undefined): string {
  return n ? n.text.replace(/^['"`]|['"`]$/g, '') : '';
}

/** Indexes the async functions, async methods and promise-module imports of a JS/TS or Python file. */
function asyncIndex(root: SyntaxNode, lang: ParsedLanguage): AsyncIndex {
  const idx: AsyncIndex = { fns: new Set(), methods: new Map(), promiseFns: new Set(), promiseNs: new Set() };
  const sync = new Set<string>();
  const classOf = (fn: SyntaxNode): SyntaxNode | null => {
    const body = fn.parent;
    if (isJs(lang)) return body?.type === 'class_body' ? body.parent : null;
    // Python: function_definition (maybe decorated) directly in a class body block.
    const holder = body?.type === 'decorated_definition' ? body.parent : body;
    return holder?.type === 'block' && holder.parent?.type === 'class_definition' ? holder.parent : null;
  };
  for (const fn of nodesOfType(root, LANG[lang].func)) {
    const name = fnName(fn);
    if (!name) continue;
    // A decorator can turn a coroutine function into something else (`@async_to_sync`, task wrappers).
    if (lang === 'python' && fn.parent?.type === 'decorated_definition') {
      const decorators = fn.parent.namedChildren.filter((d) => d?.type === 'decorator').map((d) => d!.text.replace(/^@/, ''));
      if (decorators.some((d) => !/^(staticmethod|classmethod|abstractmethod|abc\.abstractmethod|override|typing\.override)$/.test(d))) {
        sync.add(name);
        continue;
      }
    }
    const cls = fn.type === 'method_definition' || lang === 'python' ? classOf(fn) : null;
    if (cls) {
      const set = idx.methods.get(cls.id) ?? new Set<string>();
      if (isAsyncFunction(fn)) set.add(name);
      idx.methods.set(cls.id, set);
      continue;
    }
    if (fn.type === 'method_definition') continue; // object literal methods
    (isAsyncFunction(fn) ? idx.fns : sync).add(name);
  }
  for (const s of sync) idx.fns.delete(s);
  if (isJs(lang)) {
    for (const imp of nodesOfType(root, ['import_statement'])) {
      const source = stringValue(imp.childForFieldName('source'));
      const clause = imp.namedChildren.find((c) => c?.type === 'import_clause');
      if (!clause) continue;
      for (const c of clause.namedChildren) {
        if (!c) continue;
        if (PROMISE_MODULES.has(source)) {
          if (c.type === 'namespace_import' || c.type === 'identifier') idx.promiseNs.add(c.namedChildren[0]?.text ?? c.text);
          if (c.type === 'named_imports') {
            for (const s of c.namedChildren) {
              if (s?.type === 'import_specifier') idx.promiseFns.add((s.childForFieldName('alias') ?? s.childForFieldName('name'))!.text);
            }
          }
        } else if (/^(node:)?fs$/.test(source) && c.type === 'named_imports') {
          // import { promises as fsp } from 'fs'
          for (const s of c.namedChildren) {
            if (s?.type === 'import_specifier' && s.childForFieldName('name')?.text === 'promises') idx.promiseNs.add((s.childForFieldName('alias') ?? s.childForFieldName('name'))!.text);
          }
        }
      }
    }
    for (const d of nodesOfType(root, ['variable_declarator'])) {
      const v = d.childForFieldName('value');
      if (v?.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'require') continue;
      if (!PROMISE_MODULES.has(stringValue(callArguments(v)[0]))) continue;
      const target = d.childForFieldName('name');
      if (target?.type === 'identifier') idx.promiseNs.add(target.text);
      else for (const n of boundNames(target)) idx.promiseFns.add(n);
    }
  }
  return idx;
}

/** Why a call returns an unawaited promise/coroutine, or null when it is not known to. */
function asyncCallee(call: SyntaxNode, lang: ParsedLanguage, idx: AsyncIndex): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') {
    if (idx.fns.has(fn.text)) return lang === 'python' ? `\`${fn.text}\` is an \`async def\`` : `\`${fn.text}\` is an async function`;
    if (idx.promiseFns.has(fn.text)) return `\`${fn.text}\` comes from a promise API`;
    if (isJs(lang) && fn.text === 'fetch') return '`fetch` returns a promise';
    return null;
  }
  const obj = fn.childForFieldName('object');
  const prop = (fn.childForFieldName('property') ?? fn.childForFieldName('attribute'))?.text ?? '';
  if (!obj) return null;
  if ((obj.type === 'this' && isJs(lang)) || (lang === 'python' && obj.text === 'self')) {
    const cls = isJs(lang) ? closestAncestor(call, ['class_declaration', 'class', 'abstract_class_declaration']) : closestAncestor(call, ['class_definition']);
    if (cls && idx.methods.get(cls.id)?.has(prop)) return `\`${prop}\` is an async method of this class`;
    return null;
  }
  if (isJs(lang)) {
    if (obj.type === 'identifier' && idx.promiseNs.has(obj.text)) return `\`${obj.text}.${prop}\` comes from a promise API`;
    if (obj.type === 'member_expression' && obj.childForFieldName('property')?.text === 'promises') return `\`${fn.text}\` returns a promise`;
  }
  if (lang === 'python' && obj.text === 'asyncio' && /^(sleep|wait_for|wait|open_connection|create_subprocess_exec|create_subprocess_shell|to_thread)$/.test(prop)) {
    return `\`asyncio.${prop}\` is a coroutine function`;
  }
  return null;
}

function closestAncestor(node: SyntaxNode, types: string[]): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}

const missingAwait: FileRule = {
  kind: 'file',
  id: 'concurrency/missing-await',
  personas: ['concurrency'],
  severity: 'high',
  category: 'missing-await',
  title: 'Async call not awaited',
  description:
    'A call to an async function (declared in the same file, or a promise API such as `fs/promises` or `fetch`) is used as a statement without `await`. In JS the caller races ahead and a rejection goes unhandled; in Python the coroutine never runs at all. Await it, or hand it to a task/`void` on purpose.',
  references: [],
  confidence: 0.85,
  languages: [...JS_LANGS, 'python'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const idx = asyncIndex(root, lang);
    if (!idx.fns.size && !idx.promiseFns.size && !idx.promiseNs.size && ![...idx.methods.values()].some((s) => s.size) && !root.text.includes('fetch(') && !root.text.includes('asyncio.') && !root.text.includes('.promises.')) return [];
    const hits: RuleHit[] = [];
    for (const stmt of nodesOfType(root, ['expression_statement'])) {
      const call = stmt.namedChildren[0];
      if (!call || call.type !== (lang === 'python' ? 'call' : 'call_expression')) continue;
      const fn = nearestFunction(stmt, lang);
      // JS: only inside async functions (a sync caller cannot await; top-level `main()` is its own pattern).
      if (isJs(lang) && (!fn || !isAsyncFunction(fn))) continue;
      const why = asyncCallee(call, lang, idx);
      if (!why || markedIntentional(stmt, root, lang)) continue;
      const inAsync = !!fn && isAsyncFunction(fn);
      const replacement = inAsync ? insertAwait(call, file) : undefined;
      const text = snippet(call);
      if (lang === 'python') {
        hits.push({
          node: call,
          message: `${why}, so \`${text}\` only creates a coroutine object and discards it: the body never runs (Python warns "coroutine ... was never awaited").`,
          suggestion: {
            description: inAsync
              ? `Write \`await ${text}\`, or \`asyncio.create_task(...)\` (keeping a reference to the task) to run it concurrently.`
              : 'Call it from async code with `await`, run it with `asyncio.run(...)` at the top level, or schedule it with `asyncio.create_task(...)` from a running loop.',
            ...(replacement ? { replacement } : {}),
          },
        });
      } else {
        hits.push({
          node: call,
          // In JS the call still runs; the harm is ordering and unhandled rejections, and it is sometimes meant.
          severity: 'medium',
          message: `${why}, but \`${text}\` is neither awaited nor returned: the surrounding async function carries on before it finishes, and if it rejects the error is unhandled (Node.js exits on unhandled rejections by default).`,
          suggestion: {
            description: 'Add `await` (or `return` it). If running it in the background is intended, write `void ` before the call and attach a `.catch(...)` that logs the error.',
            ...(replacement ? { replacement } : {}),
          },
        });
      }
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// concurrency/async-foreach
// ---------------------------------------------------------------------------------------------------

function containsAwait(fn: SyntaxNode): boolean {
  let found = false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  walk(body, (n) => {
    if (found || (LANG.javascript.func.includes(n.type) && !same(n, body))) return false;
    if (n.type === 'await_expression' || (n.type === 'for_in_statement' && n.children.some((c) => c?.type === 'await'))) found = true;
    return !found;
  });
  return found;
}

const asyncForEach: FileRule = {
  kind: 'file',
  id: 'concurrency/async-foreach',
  personas: ['concurrency'],
  severity: 'high',
  category: 'unawaited-promise',
  title: 'Async callback whose promises are dropped',
  description:
    '`array.forEach(async (x) => { await … })` (or `array.map(async …)` whose result is discarded) starts every callback at once and waits for none of them: code after the loop runs before they finish and their errors are unhandled. Use `for…of` with `await`, or `await Promise.all(array.map(async …))`.',
  // An unawaited rejection surfaces as an uncaught exception (Node.js exits on it by default).
  references: ['CWE-248'],
  confidence: 0.9,
  languages: [...JS_LANGS],
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const call of nodesOfType(file.root, ['call_expression'])) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'member_expression') continue;
      const method = fn.childForFieldName('property')?.text ?? '';
      const discarded = call.parent?.type === 'expression_statement';
      if (method !== 'forEach' && !(discarded && (method === 'map' || method === 'flatMap'))) continue;
      const cb = callArguments(call)[0];
      if (!cb || (cb.type !== 'arrow_function' && cb.type !== 'function_expression') || !isAsyncFunction(cb) || !containsAwait(cb)) continue;
      const recv = fn.childForFieldName('object')?.text ?? 'items';
      const short = recv.length <= 30 ? recv : 'items';
      const bodyStart = cb.childForFieldName('body') ?? cb;
      hits.push({
        range: { startLine: call.startPosition.row + 1, endLine: bodyStart.startPosition.row + 1 },
        message:
          method === 'forEach'
            ? `\`${short}.forEach(async …)\` ignores the promises its callback returns: all callbacks start at once, nothing waits for them, and the code after this line (line ${call.endPosition.row + 2}) runs before they finish. A rejection inside is unhandled.`
            : `The array of promises returned by \`${short}.${method}(async …)\` is thrown away: nothing waits for the callbacks to finish and their rejections are unhandled.`,
        suggestion: {
          description:
            `Either \`for (const x of ${short}) { await … }\` (one at a time, in order) or \`await Promise.all(${short}.map(async (x) => { … }))\` (concurrently; bound it with a limiter for long arrays).`,
        },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// concurrency/unsynchronized-shared-state
// ---------------------------------------------------------------------------------------------------

/** Parameter types of request handlers (net/http needs the ResponseWriter: a bare `*http.Request` param is often a test helper). */
const GO_HANDLER_PARAM = /^(http\.ResponseWriter|\*gin\.Context|echo\.Context|\*fiber\.Ctx)$/;

/** Go: the functions that run concurrently, by node id, with why: `go` targets and HTTP handlers. */
function goConcurrentFunctions(root: SyntaxNode): Map<number, string> {
  const out = new Map<number, string>();
  const goNamed = new Map<string, number>();
  for (const g of nodesOfType(root, ['go_statement'])) {
    const call = g.namedChildren[0];
    const fn = call?.childForFieldName('function');
    if (!fn) continue;
    if (fn.type === 'func_literal') out.set(fn.id, `launched with \`go\` on line ${g.startPosition.row + 1}`);
    else {
      const name = fn.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn.text;
      if (name) goNamed.set(name, g.startPosition.row + 1);
    }
  }
  for (const call of nodesOfType(root, ['call_expression'])) {
    const name = calleeName(call, 'go');
    if (!/(^|\.)(HandleFunc|HandlerFunc|Handle|GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete|Any|Group)$/.test(name)) continue;
    for (const a of callArguments(call)) {
      if (a.type === 'func_literal') out.set(a.id, 'an HTTP handler (net/http serves each request on its own goroutine)');
      else if (a.type === 'identifier' || a.type === 'selector_expression') goNamed.set(a.type === 'identifier' ? a.text : a.childForFieldName('field')!.text, -1);
    }
  }
  for (const fn of nodesOfType(root, ['function_declaration', 'method_declaration', 'func_literal'])) {
    const name = fn.childForFieldName('name')?.text;
    if (name && goNamed.has(name)) {
      const line = goNamed.get(name)!;
      out.set(fn.id, line > 0 ? `launched with \`go\` on line ${line}` : 'an HTTP handler (net/http serves each request on its own goroutine)');
      continue;
    }
    const types = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => p?.childForFieldName('type')?.text ?? '');
    if (types.some((t) => GO_HANDLER_PARAM.test(t))) out.set(fn.id, 'an HTTP handler (net/http serves each request on its own goroutine)');
  }
  return out;
}

/** True when a function takes a lock anywhere in its body: `mu.Lock()`, `x.RLock()`, `lock.acquire()`, `with lock:`, `synchronized`. */
function takesLock(fn: SyntaxNode, lang: ParsedLanguage): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (LANG[lang].call.includes(n.type)) {
      const m = calleeName(n, lang).split('.').pop() ?? '';
      if (/^(Lock|RLock|lock|lockInterruptibly|acquire)$/.test(m)) found = true;
    }
    if (n.type === 'with_statement' && n.descendantsOfType('with_item').some((w) => w && isLockish(w.childForFieldName('value')?.text))) found = true;
    if (n.type === 'synchronized_statement') found = true;
    return !found;
  });
  return found;
}

/** True for an expression whose name says it is a lock (`mu`, `lock`, `self._cache_lock`, `mutex`, `sem`, `cond`). */
function isLockish(text: string | undefined): boolean {
  return !!text && /lock|mutex|mtx|sem(aphore)?\b|cond(ition)?\b|guard|(^|[._])mu$/i.test(text);
}

/** Go package-level variables that are plain data (not sync/atomic values, channels or constants-by-convention). */
function goPackageVars(root: SyntaxNode): Map<string, { kind: 'map' | 'other'; decl: SyntaxNode }> {
  const out = new Map<string, { kind: 'map' | 'other'; decl: SyntaxNode }>();
  for (const decl of root.namedChildren) {
    if (decl?.type !== 'var_declaration') continue;
    for (const spec of decl.descendantsOfType('var_spec')) {
      if (!spec) continue;
      const type = spec.childForFieldName('type')?.text ?? '';
      const value = spec.childForFieldName('value')?.text ?? '';
      if (/^\*?(sync|atomic)\.|^chan\b|^<-chan|^\*?(sync|atomic)\./.test(type) || /^(sync|atomic)\.|^make\(\s*chan\b|^errors\.New|^regexp\./.test(value)) continue;
      const kind = /^map\[/.test(type) || /^map\[|^make\(\s*map\[/.test(value) ? 'map' : 'other';
      for (const n of spec.namedChildren) if (n?.type === 'identifier' && n.text !== '_') out.set(n.text, { kind, decl: spec });
    }
  }
  return out;
}

/** Go writes: the variable a statement writes (`x = …`, `x += …`, `x++`, `m[k] = …`, `delete(m, k)`), and whether through an index. */
function goWrites(n: SyntaxNode): Array<{ name: string; indexed: boolean }> {
  const targets: SyntaxNode[] = [];
  if (n.type === 'assignment_statement') targets.push(...(n.childForFieldName('left')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c));
  else if (n.type === 'inc_statement' || n.type === 'dec_statement') {
    const c = n.namedChildren[0];
    if (c) targets.push(c);
  } else if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'delete') {
    const m = callArguments(n)[0];
    if (m?.type === 'identifier') return [{ name: m.text, indexed: true }];
  }
  const out: Array<{ name: string; indexed: boolean }> = [];
  for (const t of targets) {
    if (t.type === 'identifier') out.push({ name: t.text, indexed: false });
    else if (t.type === 'index_expression' && t.childForFieldName('operand')?.type === 'identifier') out.push({ name: t.childForFieldName('operand')!.text, indexed: true });
  }
  return out;
}

function goSharedState(file: ParsedFile): RuleHit[] {
  const { root } = file;
  const vars = goPackageVars(root);
  if (!vars.size) return [];
  const concurrent = goConcurrentFunctions(root);
  const hits: RuleHit[] = [];
  const done = new Set<string>();
  walk(root, (n) => {
    if (!/^(assignment_statement|inc_statement|dec_statement|call_expression)$/.test(n.type)) return true;
    for (const w of goWrites(n)) {
      const v = vars.get(w.name);
      if (!v) continue;
      // Find the concurrent function this write runs in (the nearest enclosing one that is concurrent).
      let ctx: SyntaxNode | null = null;
      let locked = false;
      for (let f = nearestFunction(n, 'go'); f; f = nearestFunction(f, 'go')) {
        if (takesLock(f, 'go')) locked = true;
        // A local declared with the same name shadows the package variable.
        if (declaresLocal(f, w.name)) {
          ctx = null;
          break;
        }
        if (concurrent.has(f.id)) {
          ctx = f;
          break;
        }
      }
      if (!ctx || locked) continue;
      const k = `${ctx.id}:${w.name}`;
      if (done.has(k)) continue;
      done.add(k);
      const isMap = v.kind === 'map' && w.indexed;
      hits.push({
        node: n,
        severity: isMap ? 'critical' : 'high',
        message:
          `\`${snippet(n)}\` writes the package-level \`${w.name}\` from ${where(ctx)}, which is ${concurrent.get(ctx.id)}, and no mutex is held. ` +
          (isMap
            ? 'Concurrent writes to a Go map abort the program ("fatal error: concurrent map writes"); other accesses race.'
            : 'Concurrent read-modify-writes lose updates, and `go test -race` reports a data race.'),
        suggestion: {
          description: isMap
            ? `Guard \`${w.name}\` with a \`sync.Mutex\` (Lock/defer Unlock around every access), or use \`sync.Map\`, or own it in one goroutine fed by a channel.`
            : `Guard \`${w.name}\` with a \`sync.Mutex\`, or use \`sync/atomic\` (\`atomic.Int64\`) for counters.`,
        },
      });
    }
    return true;
  });
  return hits;
}

function declaresLocal(fn: SyntaxNode, name: string): boolean {
  let found = false;
  const params = fn.childForFieldName('parameters');
  if (params && params.descendantsOfType('identifier').some((i) => i?.text === name)) return true;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type === 'short_var_declaration' && (n.childForFieldName('left')?.namedChildren ?? []).some((c) => c?.text === name)) found = true;
    if (n.type === 'var_spec' && n.namedChildren.some((c) => c?.type === 'identifier' && c.text === name)) found = true;
    if (n.type === 'range_clause' && (n.childForFieldName('left')?.namedChildren ?? []).some((c) => c?.text === name)) found = true;
    return !found;
  });
  return found;
}

// Java ---------------------------------------------------------------------------------------------

/** Code that starts threads or hands work to them (a mere `Thread.currentThread()` does not count). */
const JAVA_THREAD_EVIDENCE = /new\s+Thread\b|extends\s+Thread\b|implements\s+[\w\s,<>]*\b(Runnable|Callable)\b|\bExecutorService\b|\bExecutors\.|\bCompletableFuture\.(run|supply)Async|\bForkJoinPool\b|\.parallelStream\(|@Async\b|@Scheduled\b|\.submit\(|\.execute\(\s*\(?\)?\s*->/;
/** One instance serves every request thread (Spring beans, servlets). */
const JAVA_SHARED_INSTANCE = /@(RestController|Controller|Service|Component|Repository|WebServlet)\b|extends\s+HttpServlet\b/;
const JAVA_UNSAFE_COLLECTION = /^(HashMap|ArrayList|HashSet|LinkedList|TreeMap|TreeSet|LinkedHashMap|LinkedHashSet|Map|List|Set|Collection)$/;
const JAVA_MUTATOR = /^(put|putAll|add|addAll|remove|removeIf|clear|set|merge|compute|computeIfAbsent|computeIfPresent|putIfAbsent|replace|replaceAll)$/;
/** Methods that run before an object is shared, or single-threaded by contract. */
const JAVA_SETUP_METHOD = /^(readObject|readObjectNoData|readResolve|writeObject|clone|finalize|init|setUp|configure|afterPropertiesSet)$|^set[A-Z]/;

interface JavaField {
  name: string;
  isStatic: boolean;
  isFinal: boolean;
  isVolatile: boolean;
  type: string;
  /** Initializer text ('' when none): `new ConcurrentHashMap<>()` makes a `Map` field safe. */
  init: string;
  decl: SyntaxNode;
}

function javaFields(cls: SyntaxNode): Map<string, JavaField> {
  const out = new Map<string, JavaField>();
  const body = cls.childForFieldName('body');
  for (const f of body?.namedChildren ?? []) {
    if (f?.type !== 'field_declaration') continue;
    const mods = f.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
    const typeNode = f.childForFieldName('type');
    const type = typeNode?.type === 'generic_type' ? typeNode.namedChildren[0]?.text ?? '' : typeNode?.text ?? '';
    for (const d of f.namedChildren) {
      if (d?.type !== 'variable_declarator') continue;
      const name = d.childForFieldName('name')?.text;
      if (!name) continue;
      out.set(name, { name, isStatic: /\bstatic\b/.test(mods), isFinal: /\bfinal\b/.test(mods), isVolatile: /\bvolatile\b/.test(mods), type, init: d.childForFieldName('value')?.text ?? '', decl: f });
    }
  }
  return out;
}

const SAFE_INIT = /^new\s+(Concurrent|CopyOnWrite|Atomic|LinkedBlocking|ArrayBlocking)|^Collections\.(synchronized|unmodifiable)|^ConcurrentHashMap\.newKeySet/;

/** True for a field whose type or initializer (at the declaration or in a constructor) is already thread-safe. */
function javaThreadSafeField(f: JavaField, cls: SyntaxNode): boolean {
  if (/^(Atomic|Concurrent|LongAdder|DoubleAdder|ThreadLocal|CopyOnWrite|BlockingQueue|LinkedBlockingQueue|ArrayBlockingQueue)/.test(f.type) || SAFE_INIT.test(f.init)) return true;
  return cls.descendantsOfType('constructor_declaration').some((c) =>
    c?.descendantsOfType('assignment_expression').some((a) => !!a && javaFieldRef(a.childForFieldName('left'), cls) === f.name && SAFE_INIT.test(a.childForFieldName('right')?.text ?? '')),
  );
}

/** True when `expr` reads the field `name` of this object (`name`, `this.name`; not `other.name`). */
function readsField(expr: SyntaxNode, name: string, cls: SyntaxNode): boolean {
  let found = false;
  walk(expr, (n) => {
    if (found) return false;
    if (n.type === 'field_access') {
      if (javaFieldRef(n, cls) === name) found = true;
      // `other.name` is another object's field; only its object part can still read ours.
      const obj = n.childForFieldName('object');
      if (obj && !found) found = readsField(obj, name, cls);
      return false;
    }
    if (n.type === 'identifier' && n.text === name) found = true;
    return !found;
  });
  return found;
}

/** Private helpers are usually called with the caller's lock held; methods only called from locked code count as locked. */
function javaCalledLocked(method: SyntaxNode, cls: SyntaxNode, seen = new Set<number>()): boolean {
  const mods = method.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
  if (/\bprivate\b/.test(mods)) return true;
  if (seen.has(method.id)) return false;
  seen.add(method.id);
  const name = method.childForFieldName('name')?.text;
  const calls = cls.descendantsOfType('method_invocation').filter((c) => c && c.childForFieldName('name')?.text === name && (!c.childForFieldName('object') || c.childForFieldName('object')?.text === 'this'));
  if (!calls.length) return false;
  return calls.every((c) => {
    const m = c && closestAncestor(c, ['method_declaration', 'constructor_declaration']);
    if (!m) return false;
    // Calls from a constructor run before the object is shared.
    return m.type === 'constructor_declaration' || javaSynchronized(c!, m) || javaCalledLocked(m, cls, seen);
  });
}

/** True when `node` runs under a lock inside `method`: a synchronized method, a synchronized block, or after `x.lock()` in the same block. */
function javaSynchronized(node: SyntaxNode, method: SyntaxNode): boolean {
  const mods = method.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
  if (/\bsynchronized\b/.test(mods)) return true;
  for (let p = node.parent; p && !same(p, method); p = p.parent) if (p.type === 'synchronized_statement') return true;
  let locked = false;
  walk(method, (n) => {
    if (locked || n.startIndex >= node.startIndex) return false;
    if (n.type === 'method_invocation' && /^(lock|lockInterruptibly)$/.test(n.childForFieldName('name')?.text ?? '')) locked = true;
    return !locked;
  });
  return locked;
}

/** The field a Java expression names: `count`, `this.count`, `Foo.count`. */
function javaFieldRef(n: SyntaxNode | null | undefined, cls: SyntaxNode): string | null {
  if (!n) return null;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'field_access') {
    const obj = n.childForFieldName('object')?.text;
    if (obj === 'this' || obj === cls.childForFieldName('name')?.text) return n.childForFieldName('field')?.text ?? null;
  }
  return null;
}

/** True when a local variable or parameter of `method` is called `name` (it shadows the field). */
function javaShadowed(method: SyntaxNode, name: string): boolean {
  return method.descendantsOfType(['formal_parameter', 'variable_declarator', 'catch_formal_parameter', 'enhanced_for_statement']).some((d) => {
    if (!d || d.parent?.type === 'field_declaration') return false;
    return d.childForFieldName('name')?.text === name;
  });
}

function javaSharedState(file: ParsedFile): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const cls of nodesOfType(file.root, ['class_declaration'])) {
    const text = cls.text;
    const threaded = JAVA_THREAD_EVIDENCE.test(text);
    const sharedInstance = JAVA_SHARED_INSTANCE.test(text) || JAVA_SHARED_INSTANCE.test(cls.previousNamedSibling?.text ?? '');
    if (!threaded && !sharedInstance && !/\bsynchronized\b|\.lock\(\)/.test(text)) continue;
    const fields = javaFields(cls);
    if (!fields.size) continue;
    // Every write to a field of this class in its own methods, with whether it runs under a lock.
    const writes: Array<{ field: JavaField; node: SyntaxNode; method: SyntaxNode; locked: boolean; compound: boolean }> = [];
    for (const method of nodesOfType(cls, ['method_declaration'])) {
      if (!same(closestAncestor(method, ['class_declaration', 'enum_declaration', 'interface_declaration', 'record_declaration', 'object_creation_expression']), cls)) continue;
      if (JAVA_SETUP_METHOD.test(method.childForFieldName('name')?.text ?? '')) continue;
      const calledLocked = javaCalledLocked(method, cls);
      walk(method, (n) => {
        let target: SyntaxNode | null = null;
        let compound = false;
        if (n.type === 'assignment_expression') {
          target = n.childForFieldName('left');
          const op = n.childForFieldName('operator')?.text ?? '=';
          const right = n.childForFieldName('right');
          const fname = javaFieldRef(target, cls);
          compound = op !== '=' || (!!right && !!fname && readsField(right, fname, cls));
        } else if (n.type === 'update_expression') {
          target = n.namedChildren[0] ?? null;
          compound = true;
        } else if (n.type === 'method_invocation' && JAVA_MUTATOR.test(n.childForFieldName('name')?.text ?? '')) {
          target = n.childForFieldName('object');
          compound = true;
        }
        const name = javaFieldRef(target, cls);
        const field = name ? fields.get(name) : undefined;
        if (!field || field.isVolatile || javaThreadSafeField(field, cls)) return true;
        if (n.type === 'method_invocation' && !JAVA_UNSAFE_COLLECTION.test(field.type)) return true;
        if (n.type !== 'method_invocation' && field.isFinal) return true;
        if (javaShadowed(method, field.name)) return true;
        writes.push({ field, node: n, method, locked: calledLocked || javaSynchronized(n, method), compound });
        return true;
      });
    }
    const done = new Set<string>();
    for (const w of writes) {
      if (w.locked || done.has(w.field.name)) continue;
      const same_ = writes.filter((x) => x.field.name === w.field.name);
      const locked = same_.filter((x) => x.locked).length;
      // Inconsistent locking: most writes hold a lock and this one does not (SpotBugs IS2 uses a similar ratio).
      // Only read-modify-writes: a plain store outside the lock is often a deliberate reset or init.
      const inconsistent = w.compound && locked > 0 && locked >= same_.length - locked;
      const staticShared = threaded && w.field.isStatic && w.compound;
      const instanceShared = sharedInstance && !w.field.isStatic && w.compound;
      if (!inconsistent && !staticShared && !instanceShared) continue;
      done.add(w.field.name);
      const mname = w.method.childForFieldName('name')?.text ?? '';
      const why = inconsistent
        ? `other writes to \`${w.field.name}\` in this class hold a lock, but this one in \`${mname}()\` does not`
        : instanceShared
          ? `this class is a shared singleton (one instance serves every request thread), and \`${mname}()\` updates the field without a lock`
          : `\`${w.field.name}\` is a static field shared by the threads this class starts, and \`${mname}()\` updates it without a lock`;
      hits.push({
        node: w.node,
        message: `\`${snippet(w.node)}\`: ${why}. This read-modify-write is not atomic, so concurrent updates are lost and other threads may not see the new value (JLS §17.4).`,
        suggestion: {
          description: /^(Map|HashMap|TreeMap|LinkedHashMap)$/.test(w.field.type)
            ? `Make \`${w.field.name}\` a \`ConcurrentHashMap\` (use \`merge\`/\`computeIfAbsent\` for read-modify-write), or guard every access with the same lock.`
            : /^(List|ArrayList|LinkedList|Set|HashSet|TreeSet|LinkedHashSet|Collection)$/.test(w.field.type)
              ? `Use a concurrent collection (\`CopyOnWriteArrayList\`, \`ConcurrentHashMap.newKeySet()\`) or guard every access with the same lock.`
              : `Use an \`AtomicInteger\`/\`AtomicLong\`/\`LongAdder\`, or hold the same lock as the other accesses (\`synchronized\`).`,
        },
      });
    }
  }
  return hits;
}

// Python -------------------------------------------------------------------------------------------

/**
 * Python functions that several threads run at once: `Thread(target=f)` created in a loop or
 * comprehension, `executor.submit(f, …)` in a loop, `pool.map(f, …)`. Keyed by function name; the value
 * says how, for messages. (A single `Thread(target=f)` races at most with the main thread, and a `run`
 * of a Thread subclass has its own `self`, so neither counts.)
 */
function pyThreadTargets(root: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const call of nodesOfType(root, ['call'])) {
    const name = calleeName(call, 'python');
    const args = callArguments(call);
    const line = call.startPosition.row + 1;
    const repeated = enclosingLoops(call, 'python').length > 0;
    let target: SyntaxNode | undefined;
    if (/(^|\.)Thread$/.test(name) && repeated) target = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'target')?.childForFieldName('value') ?? undefined;
    else if (/(executor|pool|exe|ex)\.submit$/i.test(name) && repeated) target = args[0];
    else if (/(executor|pool|exe|ex)\.(map|imap|imap_unordered)$/i.test(name) && !/multiprocessing|ProcessPool/.test(root.text)) target = args[0];
    if (!target) continue;
    const t = target.text.replace(/^self\./, '');
    if (/^\w+$/.test(t)) out.set(t, `runs on several threads at once (\`${snippet(call, 50)}\`, line ${line})`);
  }
  return out;
}

function pySharedState(file: ParsedFile): RuleHit[] {
  const { root } = file;
  const targets = pyThreadTargets(root);
  if (!targets.size) return [];
  const moduleNames = new Set<string>();
  for (const s of root.namedChildren) {
    const a = s?.type === 'expression_statement' ? s.namedChildren[0] : null;
    if (a?.type === 'assignment') for (const n of boundNames(a.childForFieldName('left'))) moduleNames.add(n);
  }
  const hits: RuleHit[] = [];
  for (const fn of nodesOfType(root, ['function_definition'])) {
    const name = fn.childForFieldName('name')?.text ?? '';
    const why = targets.get(name);
    if (!why || takesLock(fn, 'python')) continue;
    const globals = new Set(fn.descendantsOfType('global_statement').flatMap((g) => (g ? g.namedChildren.map((c) => c?.text ?? '') : [])));
    const done = new Set<string>();
    walk(fn, (n) => {
      if (n.type === 'function_definition' && !same(n, fn)) return false;
      if (n.type !== 'augmented_assignment') return true;
      const left = n.childForFieldName('left');
      if (!left) return true;
      let shared = '';
      if (left.type === 'identifier' && globals.has(left.text)) shared = `the module global \`${left.text}\``;
      else if (left.type === 'subscript' && left.childForFieldName('value')?.type === 'identifier' && moduleNames.has(left.childForFieldName('value')!.text)) shared = `the module-level \`${left.childForFieldName('value')!.text}\``;
      else if (left.type === 'attribute' && left.childForFieldName('object')?.text === 'self') shared = `\`${left.text}\`, shared by the threads running this method`;
      if (!shared || done.has(left.text)) return true;
      done.add(left.text);
      hits.push({
        node: n,
        message: `\`${snippet(n)}\` is a read-modify-write of ${shared} in \`${name}\`, which ${why}. \`+=\` is not atomic even with the GIL (the thread can switch between the read and the write), so concurrent updates are lost.`,
        suggestion: { description: 'Hold a `threading.Lock` around the update (`with lock: ...`), or give each thread its own result and combine them after `join()` (or use a `queue.Queue`).' },
      });
      return true;
    });
  }
  return hits;
}

const sharedState: FileRule = {
  kind: 'file',
  id: 'concurrency/unsynchronized-shared-state',
  personas: ['concurrency'],
  severity: 'high',
  category: 'data-race',
  title: 'Shared state written without synchronisation',
  description:
    'Mutable state shared between threads or goroutines is updated without a lock: a Go package-level variable written from a goroutine or HTTP handler, a Java field updated outside the lock that guards it elsewhere (or a static/singleton field in threaded code), a Python global updated with `+=` in a thread target. Guard it with a mutex or use an atomic/concurrent type.',
  references: ['CWE-362', 'CWE-820', 'CWE-366'],
  confidence: 0.75,
  languages: ['go', 'java', 'python'],
  check(file: ParsedFile): RuleHit[] {
    if (file.language === 'go') return goSharedState(file);
    if (file.language === 'java') return javaSharedState(file);
    if (file.language === 'python') return pySharedState(file);
    return [];
  },
};

// ---------------------------------------------------------------------------------------------------
// concurrency/check-then-act
// ---------------------------------------------------------------------------------------------------

/** The statements of an `if` consequence (a block or a single statement). */
function consequence(ifNode: SyntaxNode): SyntaxNode | null {
  return ifNode.childForFieldName('consequence');
}

/**
 * True when the object an async JS function checks outlives one call: `this`, or a name declared outside
 * the function (module scope or an enclosing closure). A local or parameter (`dataRef.id`) is per call.
 */
function sharedAcrossCalls(subject: SyntaxNode, fn: SyntaxNode): boolean {
  let root: SyntaxNode | null = subject;
  while (root && (root.type === 'member_expression' || root.type === 'subscript_expression')) root = root.childForFieldName('object');
  if (!root) return false;
  if (root.type === 'this') return true;
  if (root.type !== 'identifier') return false;
  const name = root.text;
  if (parameterNamesOf(fn).includes(name)) return false;
  return !fn.descendantsOfType('variable_declarator').some((d) => d?.childForFieldName('name')?.text === name);
}

function parameterNamesOf(fn: SyntaxNode): string[] {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  return params ? boundNames(params) : [];
}

/** JS: `if (!m.has(k))` → {target: 'm', key: 'k'}; `if (!this.client)` / `if (this.x == null)` → {target: 'this.client'}. `subject` is the checked object. */
function jsMissingCheck(cond: SyntaxNode): { target: string; key?: string; node: SyntaxNode; subject: SyntaxNode } | null {
  const c = unparen(cond);
  if (!c) return null;
  if (c.type === 'unary_expression' && c.childForFieldName('operator')?.text === '!') {
    const arg = unparen(c.childForFieldName('argument'));
    if (arg?.type === 'call_expression') {
      const fn = arg.childForFieldName('function');
      if (fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'has') {
        return { target: key(fn.childForFieldName('object')!), key: callArguments(arg)[0]?.text, node: c, subject: fn.childForFieldName('object')! };
      }
      return null;
    }
    if (arg?.type === 'member_expression' || arg?.type === 'subscript_expression') return { target: key(arg), node: c, subject: arg };
    return null;
  }
  if (c.type === 'binary_expression' && /^[!=]==?$/.test(c.childForFieldName('operator')?.text ?? '') && /^={2,3}$/.test(c.childForFieldName('operator')?.text ?? '')) {
    const l = unparen(c.childForFieldName('left'));
    const r = unparen(c.childForFieldName('right'));
    if (l && r && /^(null|undefined)$/.test(r.text) && (l.type === 'member_expression' || l.type === 'subscript_expression')) return { target: key(l), node: c, subject: l };
  }
  return null;
}

/** JS: the first statement in `body` that stores into `target` (`m.set(k, …)`, `this.x = …`, `m[k] = …`), with an await before or inside it. */
function jsActAfterAwait(body: SyntaxNode, target: string): SyntaxNode | null {
  let firstAwait = Infinity;
  let act: SyntaxNode | null = null;
  let stored = false;
  walk(body, (n) => {
    if (stored || LANG.javascript.func.includes(n.type)) return false;
    if (n.type === 'await_expression') firstAwait = Math.min(firstAwait, n.startIndex);
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'set' && key(fn.childForFieldName('object')!) === target) act = n;
    }
    if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      if (left && (key(left) === target || (left.type === 'subscript_expression' && key(left.childForFieldName('object')!) === target))) act = n;
    }
    // Only the first store counts: set before any await (`this.busy = true; await …`) it is the guard itself.
    if (act) {
      stored = true;
      if (!(firstAwait < act.startIndex) && !act.descendantsOfType('await_expression').length) act = null;
    }
    return !stored;
  });
  return act;
}

/** Python: `if k not in cache:` → {target: 'cache', key: 'k'}; `if _inst is None:` → {target: '_inst'}. */
function pyMissingCheck(cond: SyntaxNode): { target: string; raw: string; key?: string; node: SyntaxNode } | null {
  const c = unparen(cond);
  if (c?.type !== 'comparison_operator') return null;
  const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
  const [l, r] = c.namedChildren;
  if (!l || !r || ops.length !== 1) return null;
  if (ops[0] === 'not in' && (r.type === 'identifier' || r.type === 'attribute')) return { target: key(r), raw: r.text, key: l.text, node: c };
  if (ops[0] === 'is' && r.type === 'none' && (l.type === 'identifier' || l.type === 'attribute')) return { target: key(l), raw: l.text, node: c };
  return null;
}

/** True when a Python class creates a lock (`self._lock = threading.Lock()`) or uses `with self._lock:`. */
function classHasLock(cls: SyntaxNode): boolean {
  return (
    cls.descendantsOfType('call').some((c) => !!c && /(^|\.)(Lock|RLock|Condition)$/.test(calleeName(c, 'python'))) ||
    cls.descendantsOfType('with_item').some((w) => !!w && isLockish(w.childForFieldName('value')?.text))
  );
}

function pyAct(body: SyntaxNode, target: string): SyntaxNode | null {
  let act: SyntaxNode | null = null;
  walk(body, (n) => {
    if (act || n.type === 'function_definition') return false;
    if (n.type === 'with_statement' && n.descendantsOfType('with_item').some((w) => w && isLockish(w.childForFieldName('value')?.text))) return false;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      if (left && (key(left) === target || (left.type === 'subscript' && key(left.childForFieldName('value')!) === target))) act = n;
    }
    return !act;
  });
  return act;
}

/** Java: `if (!m.containsKey(k))` or `if (m.get(k) == null)` → the map expression's key. */
function javaMissingCheck(cond: SyntaxNode): { target: string; node: SyntaxNode; field: SyntaxNode } | null {
  const c = unparen(cond);
  if (!c) return null;
  let call: SyntaxNode | null = null;
  if (c.type === 'unary_expression' && c.childForFieldName('operator')?.text === '!') {
    const arg = unparen(c.childForFieldName('operand'));
    if (arg?.type === 'method_invocation' && arg.childForFieldName('name')?.text === 'containsKey') call = arg;
  } else if (c.type === 'binary_expression' && c.childForFieldName('operator')?.text === '==') {
    const l = unparen(c.childForFieldName('left'));
    if (l?.type === 'method_invocation' && l.childForFieldName('name')?.text === 'get' && c.childForFieldName('right')?.text === 'null') call = l;
  }
  const obj = call?.childForFieldName('object');
  return call && obj ? { target: key(obj), node: c, field: obj } : null;
}

function javaAct(body: SyntaxNode, target: string): SyntaxNode | null {
  let act: SyntaxNode | null = null;
  walk(body, (n) => {
    if (act || n.type === 'lambda_expression') return false;
    if (n.type === 'method_invocation' && n.childForFieldName('name')?.text === 'put' && key(n.childForFieldName('object') ?? n) === target) act = n;
    return !act;
  });
  return act;
}

const checkThenAct: FileRule = {
  kind: 'file',
  id: 'concurrency/check-then-act',
  personas: ['concurrency'],
  severity: 'high',
  category: 'race-condition',
  title: 'Check-then-act race on shared state',
  description:
    'Code checks that a key or lazy value is missing and then fills it, with a gap in between where another caller can do the same: an `await` between the check and the store in an async JS function, an unlocked `if key not in cache: cache[key] = …` in threaded Python, or `containsKey`/`put` on a shared Java map. Both callers do the work and one result overwrites the other.',
  references: ['CWE-362'],
  confidence: 0.75,
  languages: [...JS_LANGS, 'python', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    if (isJs(lang)) {
      for (const ifNode of nodesOfType(root, ['if_statement'])) {
        const fn = nearestFunction(ifNode, lang);
        if (!fn || !isAsyncFunction(fn)) continue;
        const check = jsMissingCheck(ifNode.childForFieldName('condition')!);
        const body = consequence(ifNode);
        if (!check || !body || !sharedAcrossCalls(check.subject, fn)) continue;
        const act = jsActAfterAwait(body, check.target);
        if (!act) continue;
        hits.push({
          node: check.node,
          message: `\`${snippet(check.node)}\` finds the value missing, and the store on line ${act.startPosition.row + 1} happens only after an \`await\`. Concurrent calls of ${where(fn)} all pass the check during that await, so the work runs several times and the last store wins.`,
          suggestion: {
            description: check.key
              ? `Store the promise itself before awaiting it (\`let p = ${check.target}.get(${check.key}); if (!p) { p = load(${check.key}); ${check.target}.set(${check.key}, p); } return await p;\`), and delete it again if it rejects.`
              : `Memoise the pending promise (\`this.ready ??= connect(); await this.ready;\`) so concurrent callers share one initialisation.`,
          },
        });
      }
      return hits;
    }
    if (lang === 'python') {
      // Module state is shared only when the module starts threads; instance state only when its class
      // already guards something with a lock (so its instances are meant to be shared).
      const startsThreads = /\b(Thread|Timer|ThreadPoolExecutor)\(|\.submit\(/.test(root.text);
      for (const ifNode of nodesOfType(root, ['if_statement'])) {
        const check = pyMissingCheck(ifNode.childForFieldName('condition')!);
        const body = consequence(ifNode);
        if (!check || !body) continue;
        const fn = nearestFunction(ifNode, lang);
        if (!fn || fn.childForFieldName('name')?.text === '__init__' || takesLockAround(ifNode, fn)) continue;
        let why = '';
        // For instance state only the dict-cache form, and not in `_private` helpers (often called with the lock held).
        if (check.raw.startsWith('self.') && !check.raw.slice(5).includes('.') && check.key !== undefined && !/^_[^_]/.test(fn.childForFieldName('name')?.text ?? '')) {
          const cls = closestAncestor(fn, ['class_definition']);
          if (cls && classHasLock(cls)) why = 'this class guards other state with a lock, so its instances are shared between threads';
        } else if (/^\w+$/.test(check.raw) && startsThreads && isModuleLevel(root, check.raw, fn)) {
          why = 'this module starts threads that share its globals';
        }
        if (!why) continue;
        const act = pyAct(body, check.target);
        if (!act) continue;
        hits.push({
          node: check.node,
          message: `\`${snippet(check.node)}\` and the store \`${snippet(act)}\` on line ${act.startPosition.row + 1} are not atomic, and ${why}: two threads can both see the value missing, both compute it, and overwrite each other.`,
          suggestion: { description: 'Do the check and the store under one `threading.Lock` (`with lock: if key not in cache: cache[key] = compute(key)`), or use `functools.lru_cache`/`dict.setdefault` where computing twice is harmless.' },
        });
      }
      return hits;
    }
    if (lang === 'java') {
      for (const cls of nodesOfType(root, ['class_declaration'])) {
        const fields = javaFields(cls);
        const threaded = JAVA_THREAD_EVIDENCE.test(cls.text) || /\bsynchronized\b/.test(cls.text) || JAVA_SHARED_INSTANCE.test(cls.text) || JAVA_SHARED_INSTANCE.test(cls.previousNamedSibling?.text ?? '');
        for (const ifNode of nodesOfType(cls, ['if_statement'])) {
          if (!same(closestAncestor(ifNode, ['class_declaration']), cls)) continue;
          const check = javaMissingCheck(ifNode.childForFieldName('condition')!);
          const body = consequence(ifNode);
          if (!check || !body) continue;
          const field = fields.get(javaFieldRef(check.field, cls) ?? '');
          if (!field) continue;
          const concurrentMap = /^Concurrent/.test(field.type);
          if (!concurrentMap && !threaded) continue;
          const method = closestAncestor(ifNode, ['method_declaration']);
          if (!method || javaSynchronized(ifNode, method) || javaShadowed(method, field.name)) continue;
          const act = javaAct(body, check.target);
          if (!act) continue;
          hits.push({
            node: check.node,
            message: `\`${snippet(check.node)}\` and \`${snippet(act)}\` (line ${act.startPosition.row + 1}) are two separate operations on \`${field.name}\`${concurrentMap ? ', so even a `ConcurrentHashMap` does not make the pair atomic' : ' in a class used from several threads'}: two threads can both find the key missing and both compute and put a value.`,
            suggestion: { description: `Use \`${field.name}.computeIfAbsent(key, k -> …)\` (or \`putIfAbsent\`) on a \`ConcurrentHashMap\`, which checks and stores atomically.` },
          });
        }
      }
    }
    return hits;
  },
};

/** Python: true when `node` is inside a `with <lock>:` within `fn`, or `fn` calls `.acquire()`. */
function takesLockAround(node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let p = node.parent; p && !same(p, fn); p = p.parent) {
    if (p.type === 'with_statement' && p.descendantsOfType('with_item').some((w) => w && isLockish(w.childForFieldName('value')?.text))) return true;
  }
  return fn.descendantsOfType('call').some((c) => c && /\.acquire$/.test(calleeName(c, 'python')));
}

function isModuleLevel(root: SyntaxNode, name: string, fn: SyntaxNode): boolean {
  const globals = fn.descendantsOfType('global_statement').some((g) => g?.namedChildren.some((c) => c?.text === name));
  if (globals) return true;
  // A local assignment shadows a module-level name (unless declared global, handled above).
  if (fn.descendantsOfType('assignment').some((a) => a && a.childForFieldName('left')?.text === name)) return false;
  return root.namedChildren.some((s) => s?.type === 'expression_statement' && s.namedChildren[0]?.type === 'assignment' && s.namedChildren[0].childForFieldName('left')?.text === name);
}

// ---------------------------------------------------------------------------------------------------
// concurrency/toctou-file
// ---------------------------------------------------------------------------------------------------

interface FileAct {
  call: SyntaxNode;
  kind: 'write' | 'mkdir';
  fix: string;
}

/** The call in an existence check that tests `path` (`fs.existsSync(p)`, `os.path.exists(p)`, `os.Stat(p)`, `Files.exists(p)`). */
function existenceCheck(cond: SyntaxNode, lang: ParsedLanguage, ifNode: SyntaxNode): { call: SyntaxNode; path: string } | null {
  let negated = false;
  let c = unparen(cond);
  if (!c) return null;
  if (isJs(lang) || lang === 'java') {
    if (c.type === 'unary_expression' && (c.childForFieldName('operator')?.text ?? c.child(0)?.text) === '!') {
      negated = true;
      c = unparen(c.childForFieldName('argument') ?? c.childForFieldName('operand'));
    }
  } else if (lang === 'python') {
    if (c.type === 'not_operator') {
      negated = true;
      c = unparen(c.childForFieldName('argument'));
    }
  } else if (lang === 'go') {
    // if _, err := os.Stat(p); os.IsNotExist(err) / errors.Is(err, fs.ErrNotExist)
    const init = ifNode.childForFieldName('initializer');
    const stat = init?.descendantsOfType('call_expression').find((x) => x && /^os\.L?[Ss]tat$/.test(calleeName(x, 'go')));
    const condName = c.type === 'call_expression' ? calleeName(c, 'go') : '';
    const notExist = condName === 'os.IsNotExist' || (condName === 'errors.Is' && /ErrNotExist$/.test(callArguments(c)[1]?.text ?? ''));
    const arg = stat && callArguments(stat)[0];
    return stat && notExist && arg ? { call: stat, path: arg.text } : null;
  }
  if (!negated || !c) return null;
  const name = LANG[lang].call.includes(c.type) ? calleeName(c, lang) : '';
  const args = callArguments(c);
  if (isJs(lang) && /(^|\.)existsSync$/.test(name) && args[0]) return { call: c, path: args[0].text };
  if (lang === 'python') {
    if (/^os\.path\.(exists|isfile|isdir|lexists)$/.test(name) && args[0]) return { call: c, path: args[0].text };
    const m = /^(.+)\.(exists|is_file|is_dir)$/.exec(name);
    if (m && !args.length && !/^os\.path$/.test(m[1]!)) return { call: c, path: m[1]! };
  }
  if (lang === 'java') {
    if (/^Files\.(exists|notExists|isRegularFile|isDirectory)$/.test(name) && args[0]) return { call: c, path: args[0].text };
    const m = /^(.+)\.exists$/.exec(name);
    if (m && !args.length) return { call: c, path: m[1]! };
  }
  return null;
}

/** A call in the `if` body that creates or writes `path` non-exclusively, with the atomic alternative. */
function fileAct(body: SyntaxNode, path: string, lang: ParsedLanguage): FileAct | null {
  let act: FileAct | null = null;
  walk(body, (n) => {
    if (act || LANG[lang].func.includes(n.type)) return false;
    if (!LANG[lang].call.includes(n.type)) return true;
    const name = calleeName(n, lang);
    const args = callArguments(n);
    const arg0 = args[0]?.text;
    const method = name.slice(name.lastIndexOf('.') + 1);
    if (isJs(lang) && arg0 === path) {
      if (/^(writeFileSync|writeFile|createWriteStream|openSync|open)$/.test(method) && !/\bflags?\s*:\s*['"]wx/.test(n.text) && !/['"]wx['"]/.test(args[1]?.text ?? '')) {
        act = { call: n, kind: 'write', fix: "Open with the exclusive flag instead of checking first: `fs.writeFileSync(path, data, { flag: 'wx' })` (or `fs.openSync(path, 'wx')`) fails with `EEXIST` if another process created the file in between." };
      } else if (/^(mkdirSync|mkdir)$/.test(method) && !/recursive\s*:\s*true/.test(args[1]?.text ?? '')) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `fs.mkdirSync(dir, { recursive: true })`, which succeeds whether or not the directory already exists.' };
      }
    } else if (lang === 'python') {
      const mode = args[1] && args[1].type !== 'keyword_argument' ? args[1].text : args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value')?.text;
      const existOk = args.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'exist_ok' && a.childForFieldName('value')?.text === 'True');
      // Only truncating modes: append ('a') does not clobber what another process wrote.
      const flags = mode ? mode.replace(/^[rbuf]*['"]|['"]$/g, '') : '';
      if (name === 'open' && arg0 === path && /w/.test(flags) && !/x/.test(flags)) {
        act = { call: n, kind: 'write', fix: "Open with mode `'x'` (exclusive create), which raises `FileExistsError` if the file appeared in between, instead of checking first." };
      } else if (/^os\.(makedirs|mkdir)$/.test(name) && arg0 === path && !existOk) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `os.makedirs(path, exist_ok=True)`.' };
      } else if (name === `${path}.mkdir` && !existOk) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `path.mkdir(parents=True, exist_ok=True)`.' };
      } else if (name === `${path}.write_text` || name === `${path}.write_bytes`) {
        act = { call: n, kind: 'write', fix: "Open with mode `'x'` (`path.open('x')`) so creation fails if the file appeared in between, instead of checking first." };
      }
    } else if (lang === 'go' && arg0 === path) {
      if (/^os\.(Create|WriteFile)$/.test(name) || (name === 'os.OpenFile' && !/O_EXCL/.test(args[1]?.text ?? ''))) {
        act = { call: n, kind: 'write', fix: 'Create the file atomically with `os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)` and handle `errors.Is(err, fs.ErrExist)`, instead of checking with `os.Stat` first.' };
      } else if (name === 'os.Mkdir') {
        act = { call: n, kind: 'mkdir', fix: 'Call `os.MkdirAll(path, perm)` (no error if it exists) or handle `errors.Is(err, fs.ErrExist)` from `os.Mkdir`, instead of checking first.' };
      }
    } else if (lang === 'java') {
      if (/^Files\.(write|writeString|newOutputStream|newBufferedWriter)$/.test(name) && arg0 === path && !/CREATE_NEW/.test(n.text)) {
        act = { call: n, kind: 'write', fix: 'Pass `StandardOpenOption.CREATE_NEW` (or use `Files.createFile`), which fails atomically with `FileAlreadyExistsException`, instead of checking with `Files.exists` first.' };
      } else if (/^new (FileOutputStream|FileWriter|PrintWriter)$/.test(name) && arg0 === path) {
        act = { call: n, kind: 'write', fix: 'Create the file with `Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)`, which fails atomically if it already exists, instead of checking first.' };
      } else if (name === 'Files.createDirectory' && arg0 === path) {
        act = { call: n, kind: 'mkdir', fix: 'Call `Files.createDirectories(path)` (no error if it exists) instead of checking first.' };
      }
    }
    return !act;
  });
  return act;
}

const toctouFile: FileRule = {
  kind: 'file',
  id: 'concurrency/toctou-file',
  personas: ['concurrency'],
  severity: 'medium',
  category: 'toctou',
  title: 'File existence checked, then created (TOCTOU)',
  description:
    'Checking that a path does not exist and then creating or writing it leaves a window in which another process or request can create it (or plant a symlink there): the write then clobbers it or the create fails. Create atomically instead (exclusive-create flags, `recursive`/`exist_ok` directory creation).',
  references: ['CWE-367'],
  confidence: 0.8,
  languages: [...JS_LANGS, 'python', 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const ifNode of nodesOfType(root, ['if_statement'])) {
      const cond = ifNode.childForFieldName('condition');
      const body = consequence(ifNode);
      if (!cond || !body) continue;
      const check = existenceCheck(cond, lang, ifNode);
      if (!check) continue;
      const act = fileAct(body, check.path, lang);
      if (!act) continue;
      hits.push({
        node: check.call,
        severity: act.kind === 'mkdir' ? 'low' : 'medium',
        message:
          act.kind === 'mkdir'
            ? `\`${snippet(check.call)}\` checks for \`${check.path}\` and \`${snippet(act.call)}\` (line ${act.call.startPosition.row + 1}) creates it: if another process creates it in between, the create fails with "already exists".`
            : `\`${snippet(check.call)}\` checks that \`${check.path}\` is absent and \`${snippet(act.call)}\` (line ${act.call.startPosition.row + 1}) then writes it: another process can create the file, or a symlink to a file elsewhere, in between, and this write overwrites it.`,
        suggestion: { description: act.fix },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// concurrency/lock-order
// ---------------------------------------------------------------------------------------------------

interface LockPair {
  outer: string;
  inner: string;
  node: SyntaxNode;
  fn: SyntaxNode | null;
}

/** Lock names assigned from lock constructors in a Python file (`a = threading.Lock()`). */
function pyLockNames(root: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const a of nodesOfType(root, ['assignment'])) {
    const v = a.childForFieldName('right');
    if (v?.type === 'call' && /(^|\.)(Lock|RLock|Condition)$/.test(calleeName(v, 'python'))) out.add(key(a.childForFieldName('left')!));
  }
  return out;
}

/** Names of mutual-exclusion locks (not semaphores or counters, whose non-nested use is normal). */
function isMutexName(text: string): boolean {
  return /lock|mutex|mtx|(^|[._])mu$/i.test(text) && !/sem|count/i.test(text);
}

/** Python `x.acquire()` that can wait forever (not `acquire(False)`, `blocking=False` or a `timeout`). */
function blocks(call: SyntaxNode): boolean {
  const args = callArguments(call);
  if (args[0] && args[0].type !== 'keyword_argument') return args[0].text !== 'False' && args.length < 2;
  return !args.some((a) => a.type === 'keyword_argument' && (a.childForFieldName('name')?.text === 'timeout' || (a.childForFieldName('name')?.text === 'blocking' && a.childForFieldName('value')?.text === 'False')));
}

/** Every (held lock → newly acquired lock) pair in one function body, in document order. */
function lockPairs(fn: SyntaxNode, lang: ParsedLanguage, pyLocks: Set<string>): LockPair[] {
  const pairs: LockPair[] = [];
  const held: string[] = [];
  const acquire = (lock: string, node: SyntaxNode) => {
    for (const h of held) if (h !== lock) pairs.push({ outer: h, inner: lock, node, fn });
    held.push(lock);
  };
  const release = (lock: string) => {
    const i = held.lastIndexOf(lock);
    if (i >= 0) held.splice(i, 1);
  };
  const visit = (n: SyntaxNode): void => {
    if (!same(n, fn) && LANG[lang].func.includes(n.type)) return;
    if (lang === 'go' && n.type === 'defer_statement') return; // a deferred Unlock releases at return
    if (lang === 'java' && n.type === 'synchronized_statement') {
      const lockExpr = n.namedChildren.find((c) => c?.type === 'parenthesized_expression');
      const lock = lockExpr ? key(unparen(lockExpr)!) : '';
      if (lock) acquire(lock, n);
      const body = n.childForFieldName('body');
      if (body) visit(body);
      if (lock) release(lock);
      return;
    }
    if (lang === 'python' && n.type === 'with_statement') {
      const locks = n.descendantsOfType('with_item')
        .filter((w): w is SyntaxNode => !!w && same(closestAncestor(w, ['with_statement']), n))
        .map((w) => w.childForFieldName('value'))
        .filter((v): v is SyntaxNode => !!v && (pyLocks.has(key(v)) || isMutexName(v.text)) && v.type !== 'call');
      for (const l of locks) acquire(key(l), l);
      const body = n.childForFieldName('body');
      if (body) visit(body);
      for (const l of locks) release(key(l));
      return;
    }
    if (LANG[lang].call.includes(n.type)) {
      const name = calleeName(n, lang);
      const dot = name.lastIndexOf('.');
      const recv = dot > 0 ? name.slice(0, dot).replace(/^(this|self)\./, '') : '';
      const m = name.slice(dot + 1);
      if (recv) {
        if ((lang === 'go' && /^R?Lock$/.test(m)) || (lang === 'java' && /^(lock|lockInterruptibly)$/.test(m) && isMutexName(recv)) || (lang === 'python' && m === 'acquire' && (pyLocks.has(recv) || isMutexName(recv)) && blocks(n))) {
          acquire(recv, n);
        } else if ((lang === 'go' && /^R?Unlock$/.test(m)) || (lang === 'java' && m === 'unlock') || (lang === 'python' && m === 'release')) {
          release(recv);
        }
      }
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(fn.childForFieldName('body') ?? fn);
  return pairs;
}

const lockOrder: FileRule = {
  kind: 'file',
  id: 'concurrency/lock-order',
  personas: ['concurrency'],
  severity: 'critical',
  category: 'deadlock',
  title: 'Locks acquired in inconsistent order',
  description:
    'Two code paths in this file take the same two locks in opposite orders (A then B, and B then A). If they run at the same time, each can hold one lock while waiting forever for the other: a deadlock. Acquire locks in one global order everywhere.',
  references: ['CWE-833', 'CWE-667'],
  confidence: 0.8,
  languages: ['go', 'java', 'python'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const pyLocks = lang === 'python' ? pyLockNames(root) : new Set<string>();
    const all: LockPair[] = [];
    for (const fn of nodesOfType(root, LANG[lang].func)) all.push(...lockPairs(fn, lang, pyLocks));
    const first = new Map<string, LockPair>();
    for (const p of all) if (!first.has(`${p.outer}\u0000${p.inner}`)) first.set(`${p.outer}\u0000${p.inner}`, p);
    const hits: RuleHit[] = [];
    const reported = new Set<string>();
    for (const p of first.values()) {
      const q = first.get(`${p.inner}\u0000${p.outer}`);
      if (!q) continue;
      const pairKey = [p.outer, p.inner].sort().join('\u0000');
      if (reported.has(pairKey)) continue;
      reported.add(pairKey);
      const [earlier, later] = p.node.startIndex < q.node.startIndex ? [p, q] : [q, p];
      // A synchronized block is quoted by its first line; a lock call or `with` item by itself.
      const at = later.node.type === 'synchronized_statement' ? { range: { startLine: later.node.startPosition.row + 1, endLine: later.node.startPosition.row + 1 } } : { node: later.node };
      hits.push({
        ...at,
        message: `${where(later.fn)} takes \`${later.inner}\` while holding \`${later.outer}\`, but ${where(earlier.fn)} takes \`${earlier.inner}\` while holding \`${earlier.outer}\` (line ${earlier.node.startPosition.row + 1}). Run concurrently, each can hold one lock and wait forever for the other.`,
        suggestion: { description: `Pick one order for \`${[p.outer, p.inner].sort().join('` and `')}\` and acquire them in that order everywhere (or merge them into one lock).` },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------------
// concurrency/goroutine-loop-var
// ---------------------------------------------------------------------------------------------------

/** The Go language version from a reviewed go.mod (`go 1.22`), as a minor number; undefined when unknown. */
function goMinorVersion(project: ProjectIndex, filePath: string): number | undefined {
  const mods = project.files.filter((f) => f.path === 'go.mod' || f.path.endsWith('/go.mod'));
  // The nearest go.mod above the file.
  const mod = mods
    .filter((m) => filePath.startsWith(m.path.slice(0, -'go.mod'.length)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const m = mod && /^go\s+1\.(\d+)/m.exec(mod.text);
  return m ? Number(m[1]) : undefined;
}

const goroutineLoopVar: FileRule = {
  kind: 'file',
  id: 'concurrency/goroutine-loop-var',
  personas: ['concurrency'],
  severity: 'low',
  category: 'loop-variable-capture',
  title: 'Goroutine closure captures the loop variable',
  description:
    'Before Go 1.22 a `for` loop reuses one variable for all iterations, so `go func() { use(v) }()` inside the loop usually sees a later value (often the last). From Go 1.22 (the `go` line in go.mod) each iteration has its own variable. Pass the value as an argument or copy it (`v := v`).',
  references: ['CWE-362'],
  confidence: 0.7,
  languages: ['go'],
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    const minor = goMinorVersion(project, file.file.path);
    if (minor !== undefined && minor >= 22) return [];
    const hits: RuleHit[] = [];
    for (const loop of nodesOfType(file.root, ['for_statement'])) {
      const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
      const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
      let vars: string[] = [];
      if (range && range.children.some((c) => c?.type === ':=')) vars = boundNames(range.childForFieldName('left'));
      else if (clause?.childForFieldName('initializer')?.type === 'short_var_declaration') vars = boundNames(clause.childForFieldName('initializer')!.childForFieldName('left'));
      const body = loop.childForFieldName('body');
      if (!vars.length || !body) continue;
      // Copies made in the body (`v := v`) give each iteration its own variable.
      const copied = new Set<string>();
      for (const d of body.descendantsOfType('short_var_declaration')) {
        if (!d || !same(closestAncestor(d, ['for_statement', 'func_literal']), loop)) continue;
        const left = d.childForFieldName('left')?.namedChildren ?? [];
        const right = d.childForFieldName('right')?.namedChildren ?? [];
        left.forEach((l, i) => {
          if (l && right[i]?.text === l.text) copied.add(l.text);
        });
      }
      const live = vars.filter((v) => !copied.has(v));
      if (!live.length) continue;
      for (const lit of body.descendantsOfType('func_literal')) {
        if (!lit) continue;
        const call = lit.parent?.type === 'call_expression' && same(lit.parent.childForFieldName('function'), lit) ? lit.parent : null;
        const launcher = call?.parent?.type === 'go_statement' ? call.parent : lit.parent?.type === 'argument_list' && /\.Go$/.test(calleeName(lit.parent.parent!, 'go')) ? lit.parent.parent : null;
        if (!launcher || !same(closestAncestor(lit, ['for_statement']), loop)) continue;
        const params = new Set((lit.childForFieldName('parameters')?.descendantsOfType('identifier') ?? []).map((i) => i?.text));
        const used = identifiersIn(lit.childForFieldName('body') ?? lit);
        const captured = live.filter((v) => used.has(v) && !params.has(v) && !declaresLocal(lit, v));
        if (!captured.length) continue;
        const names = captured.map((v) => `\`${v}\``).join(', ');
        hits.push({
          range: { startLine: launcher.startPosition.row + 1, endLine: launcher.startPosition.row + 1 },
          severity: minor !== undefined ? 'high' : 'low',
          message:
            minor !== undefined
              ? `This goroutine's closure reads the loop variable ${names}, and go.mod declares Go 1.${minor}: before 1.22 all iterations share one variable, so the goroutines see whatever value it holds when they run (often the last one).`
              : `This goroutine's closure reads the loop variable ${names}. Under Go versions before 1.22 (check the \`go\` line of go.mod) all iterations share one variable, so the goroutines see whatever value it holds when they run, often the last one.`,
          suggestion: { description: `Pass it as an argument (\`go func(${captured[0]} T) { … }(${captured[0]})\`) or copy it at the top of the loop body (\`${captured[0]} := ${captured[0]}\`); or require Go 1.22+ in go.mod.` },
        });
      }
    }
    return hits;
  },
};

/** The rules of this pack. */
export const rules: OfflineRule[] = [missingAwait, asyncForEach, sharedState, checkThenAct, toctouFile, lockOrder, goroutineLoopVar];
