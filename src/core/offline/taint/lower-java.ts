/**
 * Lowering of Java syntax trees (tree-sitter-java node types) into the taint IR. Classes (top-level,
 * inner, local and anonymous) become class records with their methods, constructors and field
 * initialisers; local variable declarations declare typed locals (a primitive type makes a value
 * numeric); `switch` keeps its fall-through.
 */
import type { SyntaxNode } from '../syntax';
import { stringValue } from '../nodes';
import type { Call, Expr, IrFunction, Param, Stmt, Target } from './ir';
import { Lowerer, numberLiteral, unescape } from './lower';

const METHOD_TYPES = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);
const CLASS_TYPES = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);

/** Short type name without package or generics: `java.util.List<String>` → `List`. */
function shortType(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const noGen = t.replace(/<.*>/s, '').replace(/\s+/g, '');
  const arr = noGen.endsWith('[]') ? '[]' : '';
  const base = noGen.replace(/\[\]/g, '');
  return base.slice(base.lastIndexOf('.') + 1) + arr;
}

/** Lowers a Java file. */
export class JavaLowerer extends Lowerer {
  private anon = 0;

  protected moduleBody(root: SyntaxNode): Stmt[] {
    for (const c of root.namedChildren) if (c && CLASS_TYPES.has(c.type)) this.cls(c);
    return [];
  }

  private cls(n: SyntaxNode, name = n.childForFieldName('name')?.text ?? `Anon${++this.anon}`, bodyNode = n.childForFieldName('body')): number[] {
    const supers: string[] = [];
    const sup = n.childForFieldName('superclass');
    if (sup) supers.push(shortType(sup.namedChildren[0]?.text) ?? '');
    for (const t of n.childForFieldName('interfaces')?.namedChildren[0]?.namedChildren ?? []) if (t) supers.push(shortType(t.text) ?? '');
    const rec = this.classRecord(name, n, supers);
    const ids: number[] = [];
    this.withClass(name, () => {
      for (const m of bodyNode?.namedChildren ?? []) {
        if (!m) continue;
        if (METHOD_TYPES.has(m.type)) {
          const mname = m.type === 'method_declaration' ? m.childForFieldName('name')?.text ?? '' : name;
          const fn = this.fn(m, mname);
          if (!rec.methods.has(mname)) rec.methods.set(mname, fn.id);
          ids.push(fn.id);
        } else if (m.type === 'field_declaration' || m.type === 'constant_declaration') {
          const isStatic = /\bstatic\b/.test(m.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '') || m.type === 'constant_declaration';
          const type = shortType(m.childForFieldName('type')?.text);
          for (const d of m.childrenForFieldName('declarator')) {
            const fname = d?.childForFieldName('name')?.text;
            const v = d?.childForFieldName('value');
            if (!fname) continue;
            let value = v ? this.expr(v) : undefined;
            if (value && type && /^(int|long|short|byte|double|float|boolean|char)$/.test(type)) value = { k: 'cast', x: value, type, node: v! };
            rec.fields.push({ name: fname, value, isStatic });
          }
        } else if (CLASS_TYPES.has(m.type)) {
          this.cls(m);
        } else if (m.type === 'static_initializer' || m.type === 'block') {
          const fn = this.register(m, 'method', '<clinit>', name, []);
          this.withFunction(fn, () => {
            fn.body = this.block(m.namedChildren.find((c) => c?.type === 'block') ?? m);
          });
          ids.push(fn.id);
        }
      }
    });
    return ids;
  }

  private fn(n: SyntaxNode, name: string): IrFunction {
    const decorators: string[] = [];
    const mods = n.namedChildren.find((c) => c?.type === 'modifiers');
    for (const a of mods?.namedChildren ?? []) if (a && /annotation$/.test(a.type)) decorators.push(a.text);
    const fn = this.register(n, n.type === 'lambda_expression' ? 'lambda' : 'method', name, this.currentClass, decorators);
    this.defer(fn, () => {
      fn.params = this.params(n.childForFieldName('parameters'));
      const body = n.childForFieldName('body');
      if (!body) return;
      if (body.type === 'block' || body.type === 'constructor_body') fn.body = this.block(body);
      else {
        fn.expressionBody = true;
        fn.body = [{ k: 'return', e: this.expr(body), node: body }];
      }
    });
    return fn;
  }

  private params(ps: SyntaxNode | null): Param[] {
    const out: Param[] = [];
    if (ps?.type === 'identifier') return [{ name: ps.text, node: ps, annotations: [] }];
    for (const p of ps?.namedChildren ?? []) {
      if (!p) continue;
      if (p.type === 'identifier') {
        out.push({ name: p.text, node: p, annotations: [] });
        continue;
      }
      if (p.type !== 'formal_parameter' && p.type !== 'spread_parameter') continue;
      const mods = p.namedChildren.find((c) => c?.type === 'modifiers');
      const annotations = (mods?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a && /annotation$/.test(a.type)).map((a) => a.childForFieldName('name')?.text ?? '');
      const nameNode = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('name') ?? p.namedChildren.filter((c) => c?.type === 'identifier').pop();
      const type = p.childForFieldName('type') ?? p.namedChildren.find((c) => c && /type/.test(c.type));
      if (nameNode) out.push({ name: nameNode.text, node: p, type: shortType(type?.text), annotations, rest: p.type === 'spread_parameter' });
    }
    return out;
  }

  private block(n: SyntaxNode | null | undefined): Stmt[] {
    if (!n) return [];
    if (n.type === 'block' || n.type === 'constructor_body') return this.stmts(n.namedChildren);
    const out: Stmt[] = [];
    this.stmt(n, out);
    return out;
  }

  private stmts(nodes: Array<SyntaxNode | null>): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) if (n) this.stmt(n, out);
    return out;
  }

  private stmt(n: SyntaxNode, out: Stmt[]): void {
    switch (n.type) {
      case 'local_variable_declaration': {
        const type = shortType(n.childForFieldName('type')?.text);
        for (const d of n.childrenForFieldName('declarator')) {
          const nm = d?.childForFieldName('name');
          const v = d?.childForFieldName('value');
          if (!nm) continue;
          out.push({ k: 'assign', target: { k: 'var', name: nm.text, node: nm, declared: type === 'var' ? undefined : type, decl: true }, value: v ? this.expr(v) : { k: 'lit', v: null, node: d! }, node: d! });
        }
        return;
      }
      case 'expression_statement': {
        const e = n.namedChildren[0];
        if (!e) return;
        if (e.type === 'assignment_expression') {
          const a = this.expr(e);
          if (a.k === 'assign') out.push({ k: 'assign', target: a.target, value: a.value, op: a.op, node: e });
          return;
        }
        out.push({ k: 'expr', e: this.expr(e), node: n });
        return;
      }
      case 'block':
        out.push({ k: 'block', body: this.stmts(n.namedChildren), node: n });
        return;
      case 'if_statement': {
        const alt = n.childForFieldName('alternative');
        out.push({ k: 'if', test: this.expr(n.childForFieldName('condition')!), then: this.block(n.childForFieldName('consequence')), else: alt ? this.block(alt) : [], node: n });
        return;
      }
      case 'while_statement':
        out.push({ k: 'loop', test: this.expr(n.childForFieldName('condition')!), body: this.block(n.childForFieldName('body')), update: [], node: n });
        return;
      case 'do_statement':
        out.push({ k: 'loop', test: this.expr(n.childForFieldName('condition')!), body: this.block(n.childForFieldName('body')), update: [], node: n, doWhile: true });
        return;
      case 'for_statement': {
        for (const i of n.childrenForFieldName('init')) {
          if (!i) continue;
          if (i.type === 'local_variable_declaration') this.stmt(i, out);
          else out.push({ k: 'expr', e: this.expr(i), node: i });
        }
        const cond = n.childForFieldName('condition');
        const update = n.childrenForFieldName('update').filter((u): u is SyntaxNode => !!u).map((u): Stmt => ({ k: 'expr', e: this.expr(u), node: u }));
        out.push({ k: 'loop', test: cond ? this.expr(cond) : undefined, body: this.block(n.childForFieldName('body')), update, node: n });
        return;
      }
      case 'enhanced_for_statement': {
        const nm = n.childForFieldName('name');
        const v = n.childForFieldName('value');
        if (!nm || !v) return;
        const type = shortType(n.childForFieldName('type')?.text);
        out.push({ k: 'loop', body: this.block(n.childForFieldName('body')), update: [], each: { target: { k: 'var', name: nm.text, node: nm, declared: type, decl: true }, iter: this.expr(v), of: 'values' }, node: n });
        return;
      }
      case 'switch_expression':
      case 'switch_statement':
        out.push(this.switchStmt(n));
        return;
      case 'return_statement': {
        const e = n.namedChildren[0];
        out.push({ k: 'return', e: e ? this.expr(e) : undefined, node: n });
        return;
      }
      case 'throw_statement': {
        const e = n.namedChildren[0];
        out.push({ k: 'throw', e: e ? this.expr(e) : undefined, node: n });
        return;
      }
      case 'break_statement':
      case 'yield_statement':
        if (n.type === 'yield_statement' && n.namedChildren[0]) out.push({ k: 'expr', e: this.expr(n.namedChildren[0]), node: n });
        out.push({ k: 'break', node: n });
        return;
      case 'continue_statement':
        out.push({ k: 'continue', node: n });
        return;
      case 'try_statement':
      case 'try_with_resources_statement': {
        const body: Stmt[] = [];
        const res = n.childForFieldName('resources');
        for (const r of res?.namedChildren ?? []) {
          if (r?.type !== 'resource') continue;
          const nm = r.childForFieldName('name');
          const v = r.childForFieldName('value');
          if (nm && v) body.push({ k: 'assign', target: { k: 'var', name: nm.text, node: nm, declared: shortType(r.childForFieldName('type')?.text), decl: true }, value: this.expr(v), node: r });
          else if (v) body.push({ k: 'expr', e: this.expr(v), node: r });
        }
        body.push(...this.block(n.childForFieldName('body')));
        const handlers: Array<{ param?: string; body: Stmt[] }> = [];
        let fin: Stmt[] = [];
        for (const c of n.namedChildren) {
          if (c?.type === 'catch_clause') {
            const p = c.namedChildren.find((x) => x?.type === 'catch_formal_parameter');
            handlers.push({ param: p?.childForFieldName('name')?.text, body: this.block(c.childForFieldName('body')) });
          } else if (c?.type === 'finally_clause') fin = this.block(c.namedChildren.find((x) => x?.type === 'block'));
        }
        out.push({ k: 'try', body, handlers, finally: fin, node: n });
        return;
      }
      case 'labeled_statement':
      case 'synchronized_statement': {
        const b = n.namedChildren.find((c) => c?.type === 'block' || (c && c.type.endsWith('statement')));
        if (b) this.stmt(b, out);
        return;
      }
      case 'explicit_constructor_invocation': {
        const ctor = n.childForFieldName('constructor');
        const call: Call = this.makeCall(n, { k: 'var', name: ctor?.type === 'super' ? 'super' : 'this', node: ctor ?? n }, this.args(n.childForFieldName('arguments')));
        out.push({ k: 'expr', e: call, node: n });
        return;
      }
      case 'local_class_declaration':
      case 'class_declaration':
      case 'record_declaration':
      case 'enum_declaration':
      case 'interface_declaration': {
        const decl = n.type === 'local_class_declaration' ? n.namedChildren.find((c) => c && CLASS_TYPES.has(c.type)) ?? n : n;
        for (const id of this.cls(decl)) out.push({ k: 'decl', name: '', fn: id, node: n });
        return;
      }
      case 'assert_statement':
      case 'empty_statement':
      case 'line_comment':
      case 'block_comment':
        return;
      default:
        for (const c of n.namedChildren) if (c && !c.type.endsWith('comment')) out.push({ k: 'expr', e: this.expr(c), node: c });
    }
  }

  private switchStmt(n: SyntaxNode): Stmt {
    const cases: Array<{ tests: Expr[]; body: Stmt[] }> = [];
    const body = n.childForFieldName('body');
    let arrow = false;
    for (const g of body?.namedChildren ?? []) {
      if (!g) continue;
      if (g.type === 'switch_block_statement_group' || g.type === 'switch_rule') {
        if (g.type === 'switch_rule') arrow = true;
        const tests: Expr[] = [];
        let isDefault = false;
        const stmts: Stmt[] = [];
        for (const c of g.namedChildren) {
          if (!c) continue;
          if (c.type === 'switch_label') {
            if (/^default\b/.test(c.text)) isDefault = true;
            for (const v of c.namedChildren) if (v) tests.push(this.expr(v));
          } else if (g.type === 'switch_rule' && c.type === 'expression_statement') stmts.push(...this.block(c));
          else if (g.type === 'switch_rule' && !c.type.endsWith('statement') && c.type !== 'block') stmts.push({ k: 'expr', e: this.expr(c), node: c });
          else this.stmt(c, stmts);
        }
        cases.push({ tests: isDefault ? [] : tests, body: stmts });
      }
    }
    return { k: 'switch', disc: this.expr(n.childForFieldName('condition')!), cases, fallthrough: !arrow, node: n };
  }

  private args(n: SyntaxNode | null): Call['args'] {
    return (n?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment')).map((c) => ({ e: this.expr(c) }));
  }

  private target(n: SyntaxNode): Target {
    switch (n.type) {
      case 'identifier':
        return { k: 'var', name: n.text, node: n };
      case 'field_access': {
        const obj = n.childForFieldName('object');
        const f = n.childForFieldName('field');
        if (!obj || !f) return { k: 'none', node: n };
        return { k: 'member', obj: this.expr(obj), prop: f.text, node: n };
      }
      case 'array_access': {
        const a = n.childForFieldName('array');
        const i = n.childForFieldName('index');
        if (!a || !i) return { k: 'none', node: n };
        return { k: 'index', obj: this.expr(a), index: this.expr(i), node: n };
      }
      case 'parenthesized_expression':
        return n.namedChildren[0] ? this.target(n.namedChildren[0]) : { k: 'none', node: n };
      default:
        return { k: 'none', node: n };
    }
  }

  /** Lowers an expression. */
  expr(n: SyntaxNode): Expr {
    switch (n.type) {
      case 'identifier':
        return { k: 'var', name: n.text, node: n };
      case 'this':
        return { k: 'this', node: n };
      case 'string_literal':
      case 'text_block':
        return { k: 'lit', v: unescape(stringValue(n, 'java') ?? ''), node: n };
      case 'character_literal':
        return { k: 'lit', v: unescape(n.text.slice(1, -1)), node: n };
      case 'decimal_integer_literal':
      case 'hex_integer_literal':
      case 'octal_integer_literal':
      case 'binary_integer_literal':
      case 'decimal_floating_point_literal':
      case 'hex_floating_point_literal':
        return { k: 'lit', v: numberLiteral(n.text) ?? null, node: n };
      case 'true':
        return { k: 'lit', v: true, node: n };
      case 'false':
        return { k: 'lit', v: false, node: n };
      case 'null_literal':
        return { k: 'lit', v: null, node: n };
      case 'parenthesized_expression':
        return n.namedChildren[0] ? this.expr(n.namedChildren[0]) : this.unknown(n);
      case 'field_access': {
        const obj = n.childForFieldName('object');
        const f = n.childForFieldName('field');
        if (!obj || !f) return this.unknown(n);
        return { k: 'member', obj: this.expr(obj), prop: f.text, node: n };
      }
      case 'array_access': {
        const a = n.childForFieldName('array');
        const i = n.childForFieldName('index');
        if (!a || !i) return this.unknown(n);
        return { k: 'index', obj: this.expr(a), index: this.expr(i), node: n };
      }
      case 'method_invocation': {
        const obj = n.childForFieldName('object');
        const name = n.childForFieldName('name')?.text ?? '';
        const callee: Expr = obj ? { k: 'member', obj: obj.type === 'super' ? { k: 'var', name: 'super', node: obj } : this.expr(obj), prop: name, node: n } : { k: 'var', name, node: n.childForFieldName('name') ?? n };
        return this.makeCall(n, callee, this.args(n.childForFieldName('arguments')));
      }
      case 'object_creation_expression': {
        const type = n.childForFieldName('type');
        const body = n.namedChildren.find((c) => c?.type === 'class_body');
        const tname = shortType(type?.text) ?? '';
        if (body) {
          // An anonymous class: its methods are lowered as a class of its own.
          const cname = `${tname}$${++this.anon}`;
          this.cls(n, cname, body);
          const rec = this.classes.get(cname);
          if (rec) rec.supers.push(tname);
          const call = this.makeCall(n, { k: 'var', name: cname, node: type ?? n }, this.args(n.childForFieldName('arguments')), new Map(), true);
          return { ...call, name: cname, method: cname };
        }
        const call = this.makeCall(n, { k: 'var', name: tname, node: type ?? n }, this.args(n.childForFieldName('arguments')), new Map(), true);
        return { ...call, method: tname };
      }
      case 'array_creation_expression': {
        const init = n.childForFieldName('value') ?? n.namedChildren.find((c) => c?.type === 'array_initializer');
        if (init) return this.expr(init);
        const dims = n.namedChildren.filter((c) => c?.type === 'dimensions_expr');
        const size = dims[0]?.namedChildren[0];
        return this.makeCall(n, { k: 'var', name: '<newarray>', node: n }, size ? [{ e: this.expr(size) }] : [], new Map(), true);
      }
      case 'array_initializer':
        return { k: 'array', elems: n.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment')).map((c) => ({ e: this.expr(c) })), node: n };
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '';
        if (!l || !r) return this.unknown(n);
        // A `+` chain with a string literal in it is string concatenation: one concat, so a part's
        // neighbours (the quotes around it) are known.
        if (op === '+') {
          const operands = plusOperands(n);
          if (operands.some((o) => ['string_literal', 'text_block', 'character_literal'].includes(o.type))) return { k: 'concat', parts: operands.map((o) => this.expr(o)), node: n, how: 'concat' };
        }
        if (op === '&&' || op === '||') return { k: 'logic', op, l: this.expr(l), r: this.expr(r), node: n };
        if (op === '==' || op === '!=') return { k: 'bin', op: op === '==' ? '===' : '!==', l: this.expr(l), r: this.expr(r), node: n };
        return { k: 'bin', op, l: this.expr(l), r: this.expr(r), node: n };
      }
      case 'unary_expression': {
        const x = n.childForFieldName('operand');
        const op = n.childForFieldName('operator')?.text ?? '';
        return x ? { k: 'unary', op, x: this.expr(x), node: n } : this.unknown(n);
      }
      case 'update_expression': {
        const x = n.namedChildren[0];
        if (!x) return this.unknown(n);
        return { k: 'assign', target: this.target(x), value: { k: 'lit', v: 1, node: n }, op: n.text.includes('++') ? '+=' : '-=', node: n };
      }
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '=';
        if (!l || !r) return this.unknown(n);
        return { k: 'assign', target: this.target(l), value: this.expr(r), op: op === '=' ? undefined : op, node: n };
      }
      case 'ternary_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const e = n.childForFieldName('alternative');
        if (!c || !t || !e) return this.unknown(n);
        return { k: 'cond', test: this.expr(c), then: this.expr(t), else: this.expr(e), node: n };
      }
      case 'cast_expression': {
        const v = n.childForFieldName('value');
        return v ? { k: 'cast', x: this.expr(v), type: shortType(n.childForFieldName('type')?.text) ?? '', node: n } : this.unknown(n);
      }
      case 'instanceof_expression': {
        const l = n.childForFieldName('left');
        return l ? { k: 'instanceof', x: this.expr(l), type: n.childForFieldName('right')?.text ?? '', node: n } : this.unknown(n);
      }
      case 'lambda_expression': {
        const fn = this.fn(n, '');
        return { k: 'fn', id: fn.id, node: n };
      }
      case 'switch_expression': {
        // A switch used as a value: its branches' values are joined.
        const parts: Expr[] = [];
        for (const g of n.childForFieldName('body')?.namedChildren ?? []) for (const c of g?.namedChildren ?? []) if (c && c.type !== 'switch_label') parts.push(this.expr(c));
        return this.unknown(n, parts);
      }
      default:
        return this.unknown(n, n.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment') && !c.type.endsWith('type') && c.type !== 'type_arguments').map((c) => this.expr(c)));
    }
  }
}

/** The operands of a left-nested `a + b + c` chain, in order (parentheses kept as operands). */
function plusOperands(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (x: SyntaxNode) => {
    if (x.type === 'binary_expression' && (x.childForFieldName('operator')?.text ?? '') === '+') {
      const l = x.childForFieldName('left');
      const r = x.childForFieldName('right');
      if (l) visit(l);
      if (r) visit(r);
    } else out.push(x);
  };
  visit(n);
  return out;
}
