/**
 * Java field analysis shared by the concurrency rules: which classes run on several threads, their
 * fields, and whether an access to one is synchronized.
 */
import { type SyntaxNode, walk } from '../../syntax';
import { same } from '../../flow';

// Java ---------------------------------------------------------------------------------------------

/** Code that starts threads or hands work to them (a mere `Thread.currentThread()` does not count). */
export const JAVA_THREAD_EVIDENCE = /new\s+Thread\b|extends\s+Thread\b|implements\s+[\w\s,<>]*\b(Runnable|Callable)\b|\bExecutorService\b|\bExecutors\.|\bCompletableFuture\.(run|supply)Async|\bForkJoinPool\b|\.parallelStream\(|@Async\b|@Scheduled\b|\.submit\(|\.execute\(\s*\(?\)?\s*->/;
/** One instance serves every request thread (Spring beans, servlets). */
export const JAVA_SHARED_INSTANCE = /@(RestController|Controller|Service|Component|Repository|WebServlet)\b|extends\s+HttpServlet\b/;

export interface JavaField {
  name: string;
  isStatic: boolean;
  isFinal: boolean;
  isVolatile: boolean;
  type: string;
  /** Initializer text ('' when none): `new ConcurrentHashMap<>()` makes a `Map` field safe. */
  init: string;
  decl: SyntaxNode;
}

export function javaFields(cls: SyntaxNode): Map<string, JavaField> {
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

/** True when `node` runs under a lock inside `method`: a synchronized method, a synchronized block, or after `x.lock()` in the same block. */
export function javaSynchronized(node: SyntaxNode, method: SyntaxNode): boolean {
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
export function javaFieldRef(n: SyntaxNode | null | undefined, cls: SyntaxNode): string | null {
  if (!n) return null;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'field_access') {
    const obj = n.childForFieldName('object')?.text;
    if (obj === 'this' || obj === cls.childForFieldName('name')?.text) return n.childForFieldName('field')?.text ?? null;
  }
  return null;
}

/** True when a local variable or parameter of `method` is called `name` (it shadows the field). */
export function javaShadowed(method: SyntaxNode, name: string): boolean {
  return method.descendantsOfType(['formal_parameter', 'variable_declarator', 'catch_formal_parameter', 'enhanced_for_statement']).some((d) => {
    if (!d || d.parent?.type === 'field_declaration') return false;
    return d.childForFieldName('name')?.text === name;
  });
}
