/** `concurrency/lock-order`: locks taken in opposite orders (CWE-833). */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { callArguments, calleeName, LANG, nodesOfType } from '../../lang';
import { closestAncestor, key, unparen, where } from './util';
import { same } from '../../flow';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
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

export const lockOrder: FileRule = {
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
