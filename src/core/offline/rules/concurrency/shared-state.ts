/** `concurrency/unsynchronized-shared-state`: state written from several threads or goroutines without a lock. */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { callArguments, calleeName, LANG, nodesOfType } from '../../lang';
import { closestAncestor, declaresLocal, isLockish, where } from './util';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { boundNames, enclosingLoops, nearestFunction, same, snippet } from '../../flow';
import { JAVA_SHARED_INSTANCE, JAVA_THREAD_EVIDENCE, type JavaField, javaFieldRef, javaFields, javaShadowed, javaSynchronized } from './java';
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
const JAVA_UNSAFE_COLLECTION = /^(HashMap|ArrayList|HashSet|LinkedList|TreeMap|TreeSet|LinkedHashMap|LinkedHashSet|Map|List|Set|Collection)$/;
const JAVA_MUTATOR = /^(put|putAll|add|addAll|remove|removeIf|clear|set|merge|compute|computeIfAbsent|computeIfPresent|putIfAbsent|replace|replaceAll)$/;
/** Methods that run before an object is shared, or single-threaded by contract. */
const JAVA_SETUP_METHOD = /^(readObject|readObjectNoData|readResolve|writeObject|clone|finalize|init|setUp|configure|afterPropertiesSet)$|^set[A-Z]/;

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

export const sharedState: FileRule = {
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
