/**
 * Lowering of Go syntax trees (tree-sitter-go node types) into the taint IR. Methods belong to the
 * class record of their receiver type; `a, err := f()` gives `a` the call's value; struct, map and
 * slice composite literals become objects and arrays; `switch` does not fall through.
 */
import type { SyntaxNode } from '../syntax';
import { stringValue } from '../nodes';
import type { Call, Expr, IrFunction, Param, Stmt, Target } from './ir';
import { Lowerer, numberLiteral, unescape } from './lower';

function typeName(t: SyntaxNode | null | undefined): string {
  if (!t) return '';
  return t.text.replace(/\s+/g, '');
}

/** Lowers a Go file. */
export class GoLowerer extends Lowerer {
  protected moduleBody(root: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    // Struct types first, so composite literals anywhere in the file know them.
    for (const c of root.namedChildren) {
      if (c?.type !== 'type_declaration') continue;
      for (const spec of c.namedChildren) {
        const nm = spec?.childForFieldName('name')?.text;
        if (nm && spec?.childForFieldName('type')?.type === 'struct_type') this.classRecord(nm, spec, []);
      }
    }
    for (const c of root.namedChildren) {
      if (!c) continue;
      if (c.type === 'function_declaration') {
        const fn = this.fn(c, c.childForFieldName('name')?.text ?? '', '');
        this.globals.set(fn.name, fn.id);
      } else if (c.type === 'method_declaration') {
        const recv = c.childForFieldName('receiver')?.namedChildren.find((p) => p?.type === 'parameter_declaration');
        const rtype = typeName(recv?.childForFieldName('type')).replace(/^\*/, '').replace(/\[.*\]$/, '');
        const rec = this.classRecord(rtype, c, []);
        const fn = this.fn(c, c.childForFieldName('name')?.text ?? '', rtype, recv?.childForFieldName('name')?.text);
        if (!rec.methods.has(fn.name)) rec.methods.set(fn.name, fn.id);
      } else if (c.type === 'var_declaration' || c.type === 'const_declaration') this.stmt(c, out);
    }
    return out;
  }

  /** The receiver name of the method being lowered (lowered as `this`). */
  private recvName = '';

  private fn(n: SyntaxNode, name: string, cls: string, recvName?: string): IrFunction {
    const fn = this.register(n, n.type === 'func_literal' ? 'lambda' : cls ? 'method' : 'function', name, cls, []);
    // A function literal sees the receiver of the method it is written in.
    const recv = n.type === 'func_literal' ? this.recvName : recvName ?? '';
    this.defer(fn, () => {
      const save = this.recvName;
      this.recvName = recv;
      fn.params = this.params(n.childForFieldName('parameters'));
      fn.body = this.block(n.childForFieldName('body'));
      this.recvName = save;
    });
    return fn;
  }

  private params(ps: SyntaxNode | null): Param[] {
    const out: Param[] = [];
    for (const p of ps?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
      const type = typeName(p.childForFieldName('type'));
      const names = p.childrenForFieldName('name').filter((x): x is SyntaxNode => !!x);
      if (!names.length) out.push({ name: '', node: p, type, annotations: [] });
      for (const nm of names) out.push({ name: nm.text, node: p, type, annotations: [], rest: p.type === 'variadic_parameter_declaration' });
    }
    return out;
  }

  private block(n: SyntaxNode | null | undefined): Stmt[] {
    if (!n) return [];
    const out: Stmt[] = [];
    const list = n.type === 'block' ? n.namedChildren.find((c) => c?.type === 'statement_list') ?? n : n;
    if (list.type === 'statement_list' || list.type === 'block') for (const c of list.namedChildren) if (c) this.stmt(c, out);
    else this.stmt(list, out);
    return out;
  }

  private stmt(n: SyntaxNode, out: Stmt[]): void {
    switch (n.type) {
      case 'statement_list':
        for (const c of n.namedChildren) if (c) this.stmt(c, out);
        return;
      case 'block':
        out.push({ k: 'block', body: this.block(n), node: n });
        return;
      case 'expression_statement': {
        const e = n.namedChildren[0];
        if (e) out.push({ k: 'expr', e: this.expr(e), node: n });
        return;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        const left = (n.childForFieldName('left')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
        const right = (n.childForFieldName('right')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
        const op = n.childForFieldName('operator')?.text ?? ':=';
        const decl = n.type === 'short_var_declaration';
        if (right.length === left.length) {
          left.forEach((l, i) => out.push({ k: 'assign', target: this.target(l, decl), value: this.expr(right[i]!), op: op === '=' || op === ':=' ? undefined : op, node: n }));
        } else if (right.length === 1) {
          // `v, err := f()`: the first target gets the value; the rest (errors, ok flags) are unknown.
          const v = this.expr(right[0]!);
          left.forEach((l, i) => out.push({ k: 'assign', target: this.target(l, decl), value: i === 0 ? v : { k: 'unknown', parts: [], node: l }, node: n }));
        }
        return;
      }
      case 'var_declaration':
      case 'const_declaration':
        for (const spec of n.namedChildren) {
          if (!spec || (spec.type !== 'var_spec' && spec.type !== 'const_spec')) continue;
          const names = spec.childrenForFieldName('name').filter((x): x is SyntaxNode => !!x);
          const values = (spec.childForFieldName('value')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
          const type = typeName(spec.childForFieldName('type'));
          names.forEach((nm, i) => {
            const v = values.length === names.length ? values[i] : values[0];
            out.push({ k: 'assign', target: { k: 'var', name: nm.text, node: nm, declared: type || undefined, decl: true }, value: v ? (i > 0 && values.length === 1 ? { k: 'unknown', parts: [], node: nm } : this.expr(v)) : { k: 'lit', v: type === 'string' ? '' : null, node: nm }, node: spec });
          });
        }
        return;
      case 'inc_statement':
      case 'dec_statement': {
        const x = n.namedChildren[0];
        if (x) out.push({ k: 'assign', target: this.target(x, false), value: { k: 'lit', v: 1, node: n }, op: n.type === 'inc_statement' ? '+=' : '-=', node: n });
        return;
      }
      case 'if_statement': {
        const init = n.childForFieldName('initializer');
        if (init) this.stmt(init, out);
        const alt = n.childForFieldName('alternative');
        out.push({ k: 'if', test: this.expr(n.childForFieldName('condition')!), then: this.block(n.childForFieldName('consequence')), else: alt ? (alt.type === 'if_statement' ? (() => { const s: Stmt[] = []; this.stmt(alt, s); return s; })() : this.block(alt)) : [], node: n });
        return;
      }
      case 'for_statement': {
        const body = this.block(n.childForFieldName('body'));
        const clause = n.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause');
        if (clause?.type === 'range_clause') {
          const left = (clause.childForFieldName('left')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
          const right = clause.childForFieldName('right');
          if (!right) return;
          const decl = clause.text.includes(':=');
          const key = left[0] ? this.target(left[0], decl) : ({ k: 'none', node: clause } as Target);
          const value = left[1] ? this.target(left[1], decl) : undefined;
          out.push({ k: 'loop', body, update: [], each: { target: key, value, iter: this.expr(right), of: 'entries' }, node: n });
          return;
        }
        if (clause?.type === 'for_clause') {
          const init = clause.childForFieldName('initializer');
          if (init) this.stmt(init, out);
          const cond = clause.childForFieldName('condition');
          const upd = clause.childForFieldName('update');
          const update: Stmt[] = [];
          if (upd) this.stmt(upd, update);
          out.push({ k: 'loop', test: cond ? this.expr(cond) : undefined, body, update, node: n });
          return;
        }
        const cond = n.namedChildren.find((c) => c && c.type !== 'block' && !c.type.endsWith('comment'));
        out.push({ k: 'loop', test: cond ? this.expr(cond) : undefined, body, update: [], node: n });
        return;
      }
      case 'expression_switch_statement':
      case 'type_switch_statement': {
        const init = n.childForFieldName('initializer');
        if (init) this.stmt(init, out);
        const v = n.childForFieldName('value');
        const cases: Array<{ tests: Expr[]; body: Stmt[] }> = [];
        for (const c of n.namedChildren) {
          if (c?.type === 'expression_case' || c?.type === 'type_case') {
            const tests = c.type === 'expression_case' ? (c.childForFieldName('value')?.namedChildren ?? []).filter((x): x is SyntaxNode => !!x).map((x) => this.expr(x)) : [];
            cases.push({ tests: c.type === 'type_case' ? [{ k: 'unknown', parts: [], node: c }] : tests, body: this.block(c.namedChildren.find((x) => x?.type === 'statement_list') ?? null) });
          } else if (c?.type === 'default_case') cases.push({ tests: [], body: this.block(c.namedChildren.find((x) => x?.type === 'statement_list') ?? null) });
        }
        out.push({ k: 'switch', disc: v ? this.expr(v) : { k: 'lit', v: true, node: n }, cases, fallthrough: false, node: n });
        return;
      }
      case 'return_statement': {
        const list = n.namedChildren[0];
        const first = list?.type === 'expression_list' ? list.namedChildren[0] : list;
        out.push({ k: 'return', e: first ? this.expr(first) : undefined, node: n });
        return;
      }
      case 'break_statement':
        out.push({ k: 'break', node: n });
        return;
      case 'continue_statement':
        out.push({ k: 'continue', node: n });
        return;
      case 'go_statement':
      case 'defer_statement': {
        const e = n.namedChildren[0];
        if (e) out.push({ k: 'expr', e: this.expr(e), node: n });
        return;
      }
      case 'labeled_statement': {
        const b = n.namedChildren.find((c) => c && c.type !== 'label_name');
        if (b) this.stmt(b, out);
        return;
      }
      case 'type_declaration':
      case 'comment':
      case 'empty_statement':
        return;
      default:
        for (const c of n.namedChildren) if (c && !c.type.endsWith('comment')) out.push({ k: 'expr', e: this.expr(c), node: c });
    }
  }

  private target(n: SyntaxNode, decl: boolean): Target {
    switch (n.type) {
      case 'identifier':
        if (n.text === '_') return { k: 'none', node: n };
        return { k: 'var', name: n.text, node: n, decl };
      case 'selector_expression': {
        const obj = n.childForFieldName('operand');
        const f = n.childForFieldName('field');
        if (!obj || !f) return { k: 'none', node: n };
        return { k: 'member', obj: this.expr(obj), prop: f.text, node: n };
      }
      case 'index_expression': {
        const obj = n.childForFieldName('operand');
        const idx = n.childForFieldName('index');
        if (!obj || !idx) return { k: 'none', node: n };
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'unary_expression':
      case 'parenthesized_expression': {
        const x = n.childForFieldName('operand') ?? n.namedChildren[0];
        return x ? this.target(x, decl) : { k: 'none', node: n };
      }
      default:
        return { k: 'none', node: n };
    }
  }

  private args(n: SyntaxNode | null): Call['args'] {
    return (n?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment')).map((c) => ({ e: this.expr(c), spread: c.nextSibling?.type === '...' }));
  }

  /** Lowers an expression. */
  expr(n: SyntaxNode): Expr {
    switch (n.type) {
      case 'identifier':
        if (this.recvName && n.text === this.recvName) return { k: 'this', node: n };
        return { k: 'var', name: n.text, node: n };
      case 'interpreted_string_literal':
        return { k: 'lit', v: unescape(stringValue(n, 'go') ?? ''), node: n };
      case 'raw_string_literal':
        return { k: 'lit', v: stringValue(n, 'go') ?? '', node: n };
      case 'rune_literal':
        return { k: 'lit', v: unescape(n.text.slice(1, -1)), node: n };
      case 'int_literal':
      case 'float_literal':
      case 'imaginary_literal':
        return { k: 'lit', v: numberLiteral(n.text) ?? null, node: n };
      case 'true':
        return { k: 'lit', v: true, node: n };
      case 'false':
        return { k: 'lit', v: false, node: n };
      case 'nil':
        return { k: 'lit', v: null, node: n };
      case 'parenthesized_expression':
        return n.namedChildren[0] ? this.expr(n.namedChildren[0]) : this.unknown(n);
      case 'selector_expression': {
        const obj = n.childForFieldName('operand');
        const f = n.childForFieldName('field');
        if (!obj || !f) return this.unknown(n);
        return { k: 'member', obj: this.expr(obj), prop: f.text, node: n };
      }
      case 'index_expression': {
        const obj = n.childForFieldName('operand');
        const idx = n.childForFieldName('index');
        if (!obj || !idx) return this.unknown(n);
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'slice_expression': {
        const obj = n.childForFieldName('operand');
        return obj ? { k: 'unknown', parts: [this.expr(obj)], node: n } : this.unknown(n);
      }
      case 'call_expression': {
        const fnNode = n.childForFieldName('function');
        if (!fnNode) return this.unknown(n);
        return this.makeCall(n, this.expr(fnNode), this.args(n.childForFieldName('arguments')));
      }
      case 'type_conversion_expression': {
        const x = n.childForFieldName('operand');
        const t = typeName(n.childForFieldName('type'));
        return x ? { k: 'cast', x: this.expr(x), type: t === 'string' || t === '[]byte' || t === '[]rune' ? 'string' : t, node: n } : this.unknown(n);
      }
      case 'type_assertion_expression': {
        const x = n.childForFieldName('operand');
        return x ? { k: 'cast', x: this.expr(x), type: typeName(n.childForFieldName('type')), node: n } : this.unknown(n);
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '';
        if (!l || !r) return this.unknown(n);
        // A `+` chain with a string literal in it is string concatenation: one concat, so a part's
        // neighbours (the quotes around it) are known.
        if (op === '+') {
          const operands = plusOperands(n);
          if (operands.some((o) => ['interpreted_string_literal', 'raw_string_literal'].includes(o.type))) return { k: 'concat', parts: operands.map((o) => this.expr(o)), node: n, how: 'concat' };
        }
        if (op === '&&' || op === '||') return { k: 'logic', op, l: this.expr(l), r: this.expr(r), node: n };
        return { k: 'bin', op: op === '==' ? '===' : op === '!=' ? '!==' : op, l: this.expr(l), r: this.expr(r), node: n };
      }
      case 'unary_expression': {
        const x = n.childForFieldName('operand');
        const op = n.childForFieldName('operator')?.text ?? '';
        if (!x) return this.unknown(n);
        if (op === '&' || op === '*' || op === '<-') return this.expr(x);
        return { k: 'unary', op, x: this.expr(x), node: n };
      }
      case 'composite_literal': {
        const type = n.childForFieldName('type');
        const body = n.childForFieldName('body');
        const keyed = body?.namedChildren.some((c) => c?.type === 'keyed_element');
        if (keyed || /^map\[/.test(type?.type === 'map_type' ? 'map[' : '') || type?.type === 'map_type' || type?.type === 'type_identifier' || type?.type === 'qualified_type') {
          const props: Array<{ key: string | null; keyExpr?: Expr; value: Expr }> = [];
          for (const c of body?.namedChildren ?? []) {
            if (c?.type !== 'keyed_element') continue;
            const k = c.childForFieldName('key') ?? c.namedChildren[0];
            const v = c.childForFieldName('value') ?? c.namedChildren[1];
            const kn = k?.namedChildren[0] ?? k;
            const vn = v?.namedChildren[0] ?? v;
            if (!kn || !vn) continue;
            const ks = kn.type === 'identifier' || kn.type === 'field_identifier' ? kn.text : stringValue(kn, 'go');
            if (ks !== undefined) props.push({ key: ks, value: this.expr(vn) });
            else props.push({ key: null, keyExpr: this.expr(kn), value: this.expr(vn) });
          }
          const obj: Expr = { k: 'object', props, node: n };
          const tname = typeName(type);
          if (this.classes.has(tname)) return this.makeStruct(n, tname, obj);
          return obj;
        }
        return { k: 'array', elems: (body?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment')).map((c) => ({ e: this.expr(c.namedChildren[0] ?? c) })), node: n };
      }
      case 'func_literal': {
        const fn = this.fn(n, '', '');
        return { k: 'fn', id: fn.id, node: n };
      }
      default:
        return this.unknown(n, n.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.endsWith('comment') && !c.type.endsWith('type')).map((c) => this.expr(c)));
    }
  }

  /** A struct literal of a type declared in this file: an object whose methods resolve to that type's. */
  private makeStruct(n: SyntaxNode, type: string, obj: Expr): Expr {
    const call: Call = { k: 'call', node: n, callee: { k: 'var', name: '<struct>', node: n }, args: [{ e: obj }, { e: { k: 'lit', v: type, node: n } }], kwargs: new Map(), isNew: false, name: '<struct>', method: '<struct>' };
    return call;
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
