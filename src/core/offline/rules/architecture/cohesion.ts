/**
 * Cohesion of a class or a module, for architecture/god-module: which of its members work together.
 * Two methods of a class belong together when they use a common instance field or one calls the other
 * (LCOM4, Hitz & Montazeri 1995: the number of connected components of that graph; 1 means cohesive).
 * Two top-level declarations of a module belong together when one refers to the other. A unit whose
 * members fall into several large groups that share nothing carries several responsibilities; a large
 * unit whose members form one group is big but cohesive (a parser, a facade delegating to itself).
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { walk } from '../../syntax';
import { LANG } from '../../lang';

/** A group of members that work together, by name, largest first. */
export type Groups = string[][];

/** Union-find over `n` items: the connected components as index lists, largest first. */
function components(n: number, edges: Array<[number, number]>): number[][] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const [a, b] of edges) parent[find(a)] = find(b);
  const by = new Map<number, number[]>();
  for (let i = 0; i < n; i++) by.set(find(i), [...(by.get(find(i)) ?? []), i]);
  return [...by.values()].sort((x, y) => y.length - x.length);
}

/** The receiver of instance members in a language: `this` (JS/TS, Java) or `self` (Python). */
function selfName(lang: ParsedLanguage): string {
  return lang === 'python' ? 'self' : 'this';
}

/**
 * Groups of the methods of class `cls` (the behavioural ones given in `methods`, each with its name),
 * linked by the instance fields they use and the methods they call. Java members are also reached by their
 * bare name (`count`, `reset()`), when the class declares a field or method of that name.
 */
export function methodGroups(cls: SyntaxNode, methods: Array<{ name: string; node: SyntaxNode }>, lang: ParsedLanguage): Groups {
  const self = selfName(lang);
  const methodIndex = new Map<string, number[]>();
  methods.forEach((m, i) => methodIndex.set(m.name, [...(methodIndex.get(m.name) ?? []), i]));
  const javaFields = new Set<string>();
  if (lang === 'java') {
    for (const d of cls.childForFieldName('body')?.namedChildren ?? []) {
      if (d?.type !== 'field_declaration') continue;
      for (const v of d.descendantsOfType('variable_declarator')) {
        const n = v?.childForFieldName('name')?.text;
        if (n) javaFields.add(n);
      }
    }
  }
  const fieldUsers = new Map<string, number[]>();
  const edges: Array<[number, number]> = [];
  methods.forEach((m, i) => {
    const fields = new Set<string>();
    const locals = lang === 'java' ? javaLocals(m.node) : new Set<string>();
    walk(m.node, (n) => {
      // The object itself used as a value (`for (Element e : this)`, `visit(this)`), not returned for chaining.
      if ((n.type === 'this' || (n.type === 'identifier' && n.text === self && lang === 'python')) && n.parent?.type !== 'return_statement' && !/^(member_expression|attribute|field_access|parameters|typed_parameter|default_parameter|typed_default_parameter|lambda_parameters)$/.test(n.parent?.type ?? '')) fields.add(`<${self}>`);
      // `this.x` / `self.x`: a field use, or a call of method x.
      if ((n.type === 'member_expression' || n.type === 'attribute' || n.type === 'field_access') && n.namedChildren[0]?.text === self) {
        const prop = n.childForFieldName('property') ?? n.childForFieldName('attribute') ?? n.childForFieldName('field');
        if (prop) fields.add(prop.text);
      }
      if (lang === 'java' && n.type === 'method_invocation' && !n.childForFieldName('object')) fields.add(n.childForFieldName('name')?.text ?? '');
      // Java: an unqualified lower-case name that is not a local is a field, declared here or inherited.
      if (lang === 'java' && n.type === 'identifier' && (javaFields.has(n.text) || (!locals.has(n.text) && /^[a-z_]/.test(n.text) && javaFieldUse(n)))) fields.add(n.text);
      return true;
    });
    for (const f of fields) {
      // A call of another method links the two; a field links every method that uses it.
      for (const j of methodIndex.get(f) ?? []) if (j !== i) edges.push([i, j]);
      fieldUsers.set(f, [...(fieldUsers.get(f) ?? []), i]);
    }
  });
  for (const users of fieldUsers.values()) for (let k = 1; k < users.length; k++) edges.push([users[0]!, users[k]!]);
  return components(methods.length, edges).map((c) => c.map((i) => methods[i]!.name));
}

/** Names a Java method declares: parameters, local variables, loop, catch, resource and lambda variables. */
function javaLocals(method: SyntaxNode): Set<string> {
  const out = new Set<string>();
  walk(method, (n) => {
    if (/^(formal_parameter|spread_parameter|catch_formal_parameter|variable_declarator|resource|enhanced_for_statement|inferred_parameters)$/.test(n.type)) {
      const name = n.childForFieldName('name');
      if (name) out.add(name.text);
      if (n.type === 'inferred_parameters') for (const c of n.namedChildren) if (c) out.add(c.text);
    }
    if (n.type === 'lambda_expression' && n.childForFieldName('parameters')?.type === 'identifier') out.add(n.childForFieldName('parameters')!.text);
    return true;
  });
  return out;
}

/** True when a Java identifier is used as a value: not a declared name, a method name, a qualified member or a label. */
function javaFieldUse(n: SyntaxNode): boolean {
  const p = n.parent;
  if (!p) return false;
  const is = (field: string) => p.childForFieldName(field)?.id === n.id;
  if (p.type === 'method_invocation') return is('object');
  if (p.type === 'field_access') return is('object');
  if (/^(variable_declarator|formal_parameter|catch_formal_parameter|method_declaration|class_declaration|labeled_statement|break_statement|continue_statement|resource)$/.test(p.type)) return false;
  return p.type !== 'scoped_identifier' && p.type !== 'annotation' && p.type !== 'marker_annotation';
}

/**
 * Groups of the top-level declarations of a module (each given with its name and node), linked when one
 * refers to another by name.
 */
export function declarationGroups(decls: Array<{ name: string; node: SyntaxNode }>, lang: ParsedLanguage): Groups {
  const index = new Map<string, number>();
  decls.forEach((d, i) => index.set(d.name, i));
  const edges: Array<[number, number]> = [];
  const ids = new Set(['identifier', 'type_identifier', 'shorthand_property_identifier']);
  decls.forEach((d, i) => {
    walk(d.node, (n) => {
      if (ids.has(n.type)) {
        const j = index.get(n.text);
        if (j !== undefined && j !== i) edges.push([i, j]);
      }
      return !LANG[lang].comment.includes(n.type);
    });
  });
  return components(decls.length, edges).map((c) => c.map((i) => decls[i]!.name));
}
