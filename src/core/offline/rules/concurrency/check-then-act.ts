/** `concurrency/check-then-act`: a check and the act that depends on it, with a gap between them. */
import { type SyntaxNode, walk } from '../../syntax';
import { boundNames, isAsyncFunction, nearestFunction, same, snippet } from '../../flow';
import { closestAncestor, consequence, isLockish, key, unparen, where } from './util';
import { callArguments, calleeName, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { JAVA_SHARED_INSTANCE, JAVA_THREAD_EVIDENCE, javaFieldRef, javaFields, javaShadowed, javaSynchronized } from './java';

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

export const checkThenAct: FileRule = {
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
