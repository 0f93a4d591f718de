/**
 * Resolves the string an argument certainly holds when it is not written as a literal at the call: a
 * local constant (`String alg = "MD5"; MessageDigest.getInstance(alg)`), a `static final` field, or a
 * Java `Properties` lookup whose file the code loads from the classpath
 * (`props.load(getClass().getClassLoader().getResourceAsStream("app.properties"))` …
 * `props.getProperty("hashAlg1", "SHA512")`), read from the project's resource folder. The crypto
 * rules use it to judge an algorithm by the value the program runs with (CWE-327, CWE-328), not by
 * the name of the variable that carries it.
 *
 * Certain means: one assignment that every use sees, or the property file's value (its default only
 * when the file is found and has no such key). Anything else is undefined (unknown), and the rules
 * stay quiet. Properties files are parsed with `dot-properties` (the `java.util.Properties.load`
 * format: `key=value`, `key: value`, `#`/`!` comments, line continuations).
 */
import { parse as parseProperties } from 'dot-properties';
import type { SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectIndex } from '../../rule';
import { enclosingFunction } from '../../lang';
import { stringValue } from '../../nodes';

/** Where a resolved value came from, for messages: `"MD5"`, `alg = "MD5"` or `hashAlg1=MD5 in src/main/resources/benchmark.properties`. */
export interface ResolvedValue {
  value: string;
  /** Empty for a literal at the call; otherwise how the value was found, in words. */
  via: string;
}

/**
 * The string `node` certainly evaluates to (see the module comment), or undefined. `project` gives
 * access to the project's resource files; without it only literals and constants resolve. `depth`
 * bounds the chain of constants followed (at most 4).
 */
export function resolveString(node: SyntaxNode | undefined, file: ParsedFile, project?: ProjectIndex, depth = 0): ResolvedValue | undefined {
  if (!node || depth > 4) return undefined;
  const lang = file.language;
  const lit = stringValue(node, lang);
  if (lit !== undefined) return { value: lit, via: '' };
  if (node.type === 'parenthesized_expression') return resolveString(node.namedChildren[0] ?? undefined, file, project, depth + 1);
  if (node.type === 'identifier') return resolveName(node, file, project, depth);
  if (lang === 'java' && node.type === 'method_invocation' && project) return resolveProperty(node, file, project, depth);
  return undefined;
}

/** A local (or, in Java, a field of the class) written exactly once, with a value that resolves. */
function resolveName(id: SyntaxNode, file: ParsedFile, project: ProjectIndex | undefined, depth: number): ResolvedValue | undefined {
  const lang = file.language;
  const name = id.text;
  const fn = enclosingFunction(id, lang);
  const scopes: SyntaxNode[] = fn ? [fn] : [];
  if (lang === 'java') {
    for (let p = id.parent; p; p = p.parent) if (p.type === 'class_body') scopes.push(p);
  } else if (!fn) scopes.push(file.root);
  for (const scope of scopes) {
    const writes = assignmentsTo(scope, name, lang, scope !== fn);
    if (writes.length === 0) continue;
    if (writes.length > 1) return undefined;
    const w = writes[0]!;
    // A write after the use (in the same function) does not decide the use.
    if (scope === fn && w.startIndex > id.startIndex) return undefined;
    const r = resolveString(w.value, file, project, depth + 1);
    return r ? { value: r.value, via: r.via || `${name} = ${JSON.stringify(r.value)}` } : undefined;
  }
  return undefined;
}

/** Declarations and assignments of `name` inside `scope` (for a class body: its field declarations only). */
function assignmentsTo(scope: SyntaxNode, name: string, lang: ParsedFile['language'], fieldsOnly: boolean): Array<{ value: SyntaxNode | undefined; startIndex: number }> {
  const out: Array<{ value: SyntaxNode | undefined; startIndex: number }> = [];
  if (lang === 'java') {
    if (fieldsOnly) {
      for (const f of scope.namedChildren) {
        if (f?.type !== 'field_declaration') continue;
        const final = /\bfinal\b/.test(f.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '');
        for (const d of f.namedChildren) {
          if (d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === name) {
            // A non-final field can be reassigned by any method: not certain.
            out.push({ value: final ? d.childForFieldName('value') ?? undefined : undefined, startIndex: d.startIndex });
          }
        }
      }
      return out;
    }
    for (const d of scope.descendantsOfType('variable_declarator')) {
      if (d?.childForFieldName('name')?.text === name) out.push({ value: d.childForFieldName('value') ?? undefined, startIndex: d.startIndex });
    }
    for (const a of scope.descendantsOfType('assignment_expression')) {
      if (a?.childForFieldName('left')?.text === name) out.push({ value: a.childForFieldName('right') ?? undefined, startIndex: a.startIndex });
    }
    return out;
  }
  const types = lang === 'python' ? ['assignment', 'augmented_assignment'] : ['variable_declarator', 'assignment_expression', 'augmented_assignment_expression'];
  for (const a of scope.descendantsOfType(types)) {
    if (!a) continue;
    const left = a.childForFieldName('left') ?? a.childForFieldName('name');
    if (left?.text !== name) continue;
    const augmented = /augmented/.test(a.type);
    out.push({ value: augmented ? undefined : a.childForFieldName('right') ?? a.childForFieldName('value') ?? undefined, startIndex: a.startIndex });
  }
  return out;
}

/**
 * `props.getProperty("key"[, "default"])` where `props` is loaded from a classpath resource in the same
 * method or class: the key's value in that file (Maven/Gradle layout: `<module>/src/main/resources/`),
 * else the default when the file is found without the key.
 */
function resolveProperty(call: SyntaxNode, file: ParsedFile, project: ProjectIndex, depth: number): ResolvedValue | undefined {
  if (call.childForFieldName('name')?.text !== 'getProperty') return undefined;
  const recv = call.childForFieldName('object');
  if (recv?.type !== 'identifier') return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.includes('comment')) ?? [];
  const key = resolveString(args[0], file, project, depth + 1)?.value;
  if (key === undefined) return undefined;
  const resource = loadedResource(call, recv.text);
  if (!resource) return undefined;
  const path = resourcePath(file.file.path, resource);
  const text = path ? project.readProjectFile(path) : undefined;
  if (text === undefined || !path) return undefined;
  let props: Record<string, string>;
  try {
    props = parseProperties(text) as Record<string, string>;
  } catch {
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(props, key)) return { value: props[key]!, via: `${key}=${props[key]} in ${path}` };
  const def = args[1] ? resolveString(args[1], file, project, depth + 1) : undefined;
  return def ? { value: def.value, via: `the default of ${key}, which ${path} does not set` } : undefined;
}

/** The resource name `props` is loaded from (`props.load(...getResourceAsStream("x.properties"))`) in the method or class around `at`. */
function loadedResource(at: SyntaxNode, props: string): string | undefined {
  const scopes: SyntaxNode[] = [];
  const fn = enclosingFunction(at, 'java');
  if (fn) scopes.push(fn);
  for (let p = at.parent; p; p = p.parent) if (p.type === 'class_body') scopes.push(p);
  for (const scope of scopes) {
    for (const inv of scope.descendantsOfType('method_invocation')) {
      if (!inv || inv.childForFieldName('name')?.text !== 'load' || inv.childForFieldName('object')?.text !== props) continue;
      const m = /getResourceAsStream\s*\(\s*"([^"]+)"\s*\)/.exec(inv.childForFieldName('arguments')?.text ?? '');
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * The workspace-relative path of classpath resource `name` for the Java file at `javaPath`: the source
 * root's sibling `resources` folder (`a/src/main/java/x/Y.java` + `app.properties` →
 * `a/src/main/resources/app.properties`; `src/test/java` → `src/test/resources`); a leading `/` is the
 * classpath root either way. Undefined
 * outside a `src/<set>/java/` layout.
 */
export function resourcePath(javaPath: string, name: string): string | undefined {
  const m = /^(.*?)(^|\/)src\/(main|test)\/java\//.exec(javaPath);
  if (!m) return undefined;
  const module = m[1] ? `${m[1]}/` : '';
  return `${module}src/${m[3]}/resources/${name.replace(/^\/+/, '')}`;
}
