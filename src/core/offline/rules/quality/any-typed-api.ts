/** `quality/any-typed-api`: `any` in exported TypeScript signatures. */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isTestPath } from '../../paths';
import { exportedDeclarations } from '../../declarations';

// Type constructs that keep `any` the type of the value itself (`any`, `any[]`, `Promise<any>`, `X | any`).
// Inside function or constructor types (`(reason: any) => void`, `new (...args: any[]) => T`) `any` is the
// idiomatic way to accept every callback or class, so those are not reported.
const DIRECT_TYPE_WRAPPERS = new Set(['type_annotation', 'array_type', 'generic_type', 'type_arguments', 'union_type', 'parenthesized_type', 'readonly_type', 'predefined_type']);

function directAny(n: SyntaxNode, found: (n: SyntaxNode) => void): void {
  if (n.type === 'predefined_type') {
    if (n.text === 'any') found(n);
    return;
  }
  if (!DIRECT_TYPE_WRAPPERS.has(n.type)) return;
  for (const c of n.namedChildren) if (c) directAny(c, found);
}

/** The `any` type nodes of a TS function's parameter annotations and return type (not inside its body). */
function anyTypes(fn: SyntaxNode): Array<{ node: SyntaxNode; where: string }> {
  const out: Array<{ node: SyntaxNode; where: string }> = [];
  const params = fn.childForFieldName('parameters');
  for (const p of params?.namedChildren ?? []) {
    const ann = p?.childForFieldName('type');
    if (!p || !ann) continue;
    const pname = p.childForFieldName('pattern')?.text ?? 'a parameter';
    directAny(ann, (n) => out.push({ node: n, where: `parameter \`${pname}\`` }));
  }
  const ret = fn.childForFieldName('return_type');
  if (ret) directAny(ret, (n) => out.push({ node: n, where: 'return type' }));
  return out;
}

export const anyTypedApi: FileRule = {
  kind: 'file',
  id: 'quality/any-typed-api',
  personas: ['specification'],
  languages: ['typescript', 'tsx'],
  severity: 'low',
  category: 'type-safety',
  title: 'Exported function typed with `any`',
  description:
    'Reports exported TypeScript functions (and public methods of exported classes) whose parameters or return type are `any` (also `any[]`, `Promise<any>`, unions); `any` inside callback and constructor types is left alone. ' +
    '`any` switches type checking off at the module boundary, so callers get no help and mistakes surface at run time. Use a precise type, a generic, or `unknown` with narrowing.',
  references: [],
  confidence: 0.85,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    const check = (fn: SyntaxNode, label: string) => {
      const found = anyTypes(fn);
      const first = found[0];
      if (!first) return;
      const list = [...new Set(found.map((f) => f.where))].join(', ');
      hits.push({
        node: first.node,
        message: `The exported ${label} types its ${list} as \`any\`. That switches type checking off for every caller: wrong arguments compile, and whatever comes back can be used as anything.`,
        suggestion: { description: 'Replace `any` with the real type, a generic type parameter, or `unknown` plus a type guard where the value is truly unknown.' },
      });
    };
    for (const d of exportedDeclarations(file)) {
      if (d.fn) check(d.fn, `function \`${d.name}\``);
      else if (d.kind === 'class') {
        const body = (d.node.type === 'variable_declarator' ? d.node.childForFieldName('value') : d.node)?.childForFieldName('body');
        for (const m of body?.namedChildren ?? []) {
          if (m?.type !== 'method_definition') continue;
          const access = m.namedChildren.find((c) => c?.type === 'accessibility_modifier')?.text;
          const mname = m.childForFieldName('name')?.text ?? '';
          if (access === 'private' || access === 'protected' || mname.startsWith('#')) continue;
          check(m, `method \`${d.name}.${mname}\``);
        }
      }
    }
    return hits;
  },
};
