/**
 * Lowering of Python syntax trees (tree-sitter-python node types) into the taint IR. Every
 * assignment in a function declares a local (Python scoping) unless the name is declared `global`;
 * the first parameter of a method (`self`) becomes `this`; comprehensions become a synthetic
 * function run over the elements of their iterable.
 */
import type { SyntaxNode } from '../syntax';
import { stringValue } from '../nodes';
import type { Call, Expr, IrFunction, Param, Pattern, Stmt, Target } from './ir';
import { Lowerer, numberLiteral, unescape } from './lower';

/** Lowers a Python file. */
export class PythonLowerer extends Lowerer {
  /** Name of `self` in the method being lowered ('' outside methods). */
  private selfName = '';
  /** Names declared `global` / `nonlocal` in the function being lowered. */
  private outerNames = new Set<string>();

  protected moduleBody(root: SyntaxNode): Stmt[] {
    return this.stmts(root.namedChildren);
  }

  private stmts(nodes: Array<SyntaxNode | null>): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) if (n) this.stmt(n, out);
    return out;
  }

  private block(n: SyntaxNode | null | undefined): Stmt[] {
    if (!n) return [];
    if (n.type === 'block') return this.stmts(n.namedChildren);
    const out: Stmt[] = [];
    this.stmt(n, out);
    return out;
  }

  private stmt(n: SyntaxNode, out: Stmt[], decorators: string[] = []): void {
    switch (n.type) {
      case 'expression_statement': {
        for (const e of n.namedChildren) {
          if (!e) continue;
          if (e.type === 'assignment' || e.type === 'augmented_assignment') this.assignment(e, out);
          else out.push({ k: 'expr', e: this.expr(e), node: n });
        }
        return;
      }
      case 'if_statement': {
        out.push(this.ifChain(n.childForFieldName('condition'), n.childForFieldName('consequence'), n.childrenForFieldName('alternative').filter((c): c is SyntaxNode => !!c), n));
        return;
      }
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (!left || !right) return;
        out.push({ k: 'loop', body: this.block(n.childForFieldName('body')), update: [], each: { target: this.target(left), iter: this.expr(right), of: 'values' }, node: n });
        const alt = n.childForFieldName('alternative');
        if (alt) out.push(...this.block(alt.childForFieldName('body')));
        return;
      }
      case 'while_statement': {
        out.push({ k: 'loop', test: this.expr(n.childForFieldName('condition')!), body: this.block(n.childForFieldName('body')), update: [], node: n });
        const alt = n.childForFieldName('alternative');
        if (alt) out.push(...this.block(alt.childForFieldName('body')));
        return;
      }
      case 'with_statement': {
        for (const clause of n.namedChildren) {
          if (clause?.type !== 'with_clause') continue;
          for (const item of clause.namedChildren) {
            const v = item?.childForFieldName('value');
            if (!v) continue;
            if (v.type === 'as_pattern') {
              const value = v.namedChildren[0];
              const alias = v.childForFieldName('alias')?.namedChildren[0];
              if (value && alias) out.push({ k: 'assign', target: this.target(alias), value: this.expr(value), node: item! });
              else if (value) out.push({ k: 'expr', e: this.expr(value), node: item! });
            } else out.push({ k: 'expr', e: this.expr(v), node: item! });
          }
        }
        out.push(...this.block(n.childForFieldName('body')));
        return;
      }
      case 'try_statement': {
        const handlers: Array<{ param?: string; body: Stmt[] }> = [];
        const body = this.block(n.childForFieldName('body'));
        let fin: Stmt[] = [];
        for (const c of n.namedChildren) {
          if (c?.type === 'except_clause' || c?.type === 'except_group_clause') {
            const v = c.childForFieldName('value');
            const alias = v?.type === 'as_pattern' ? v.childForFieldName('alias')?.text : undefined;
            const blk = c.namedChildren.find((x) => x?.type === 'block');
            handlers.push({ param: alias, body: this.block(blk) });
          } else if (c?.type === 'else_clause') body.push(...this.block(c.childForFieldName('body')));
          else if (c?.type === 'finally_clause') fin = this.block(c.namedChildren.find((x) => x?.type === 'block'));
        }
        out.push({ k: 'try', body, handlers, finally: fin, node: n });
        return;
      }
      case 'match_statement': {
        const cases: Array<{ tests: Expr[]; body: Stmt[] }> = [];
        for (const c of n.childForFieldName('body')?.namedChildren ?? []) {
          if (c?.type !== 'case_clause') continue;
          const pats = c.namedChildren.filter((x): x is SyntaxNode => x?.type === 'case_pattern');
          const tests: Expr[] = [];
          let isDefault = false;
          for (const p of pats) {
            const lit = p.namedChildren[0];
            if (!lit || p.text === '_' || lit.type === 'identifier') isDefault = true;
            else tests.push(this.expr(lit));
          }
          cases.push({ tests: isDefault ? [] : tests, body: this.block(c.childForFieldName('consequence')) });
        }
        out.push({ k: 'switch', disc: this.expr(n.childForFieldName('subject')!), cases, fallthrough: false, node: n });
        return;
      }
      case 'return_statement': {
        const e = n.namedChildren[0];
        out.push({ k: 'return', e: e ? this.expr(e) : undefined, node: n });
        return;
      }
      case 'raise_statement': {
        const e = n.namedChildren[0];
        out.push({ k: 'throw', e: e ? this.expr(e) : undefined, node: n });
        return;
      }
      case 'break_statement':
        out.push({ k: 'break', node: n });
        return;
      case 'continue_statement':
        out.push({ k: 'continue', node: n });
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') this.outerNames.add(c.text);
        return;
      case 'decorated_definition': {
        const decs = n.namedChildren.filter((c): c is SyntaxNode => c?.type === 'decorator').map((d) => d.text);
        const def = n.childForFieldName('definition');
        if (def) this.stmt(def, out, decs);
        return;
      }
      case 'function_definition': {
        const fn = this.fn(n, this.currentClass ? 'method' : 'function', n.childForFieldName('name')?.text ?? '', decorators);
        if (this.current === 0 && !this.currentClass) this.globals.set(fn.name, fn.id);
        out.push({ k: 'decl', name: fn.name, fn: fn.id, node: n });
        return;
      }
      case 'class_definition': {
        const ids = this.cls(n);
        for (const id of ids) out.push({ k: 'decl', name: '', fn: id, node: n });
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
      case 'pass_statement':
      case 'comment':
      case 'type_alias_statement':
        return;
      case 'block':
        out.push(...this.block(n));
        return;
      default:
        for (const c of n.namedChildren) if (c && c.type !== 'comment' && c.type !== 'block') out.push({ k: 'expr', e: this.expr(c), node: c });
    }
  }

  private ifChain(cond: SyntaxNode | null, cons: SyntaxNode | null, alts: SyntaxNode[], node: SyntaxNode): Stmt {
    const [first, ...rest] = alts;
    let elseBody: Stmt[] = [];
    if (first?.type === 'elif_clause') elseBody = [this.ifChain(first.childForFieldName('condition'), first.childForFieldName('consequence'), rest, first)];
    else if (first?.type === 'else_clause') elseBody = this.block(first.childForFieldName('body'));
    return { k: 'if', test: cond ? this.expr(cond) : { k: 'lit', v: true, node }, then: this.block(cons), else: elseBody, node };
  }

  private assignment(e: SyntaxNode, out: Stmt[]): void {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left) return;
    if (!right) return; // an annotation without a value
    const type = e.childForFieldName('type')?.text.replace(/\s+/g, '');
    if (e.type === 'augmented_assignment') {
      out.push({ k: 'assign', target: this.target(left), value: this.expr(right), op: e.childForFieldName('operator')?.text ?? '+=', node: e });
      return;
    }
    // `a = b = value`: the right side is itself an assignment.
    if (right.type === 'assignment') {
      this.assignment(right, out);
      const inner = right.childForFieldName('left');
      if (inner) out.push({ k: 'assign', target: this.target(left, type), value: this.expr(inner), node: e });
      return;
    }
    out.push({ k: 'assign', target: this.target(left, type), value: this.expr(right, left.type === 'identifier' ? left.text : ''), node: e });
  }

  private cls(n: SyntaxNode): number[] {
    const name = n.childForFieldName('name')?.text ?? `class@${n.startPosition.row + 1}`;
    const supers = (n.childForFieldName('superclasses')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && c.type !== 'keyword_argument').map((c) => c.text);
    const rec = this.classRecord(name, n, supers);
    const ids: number[] = [];
    this.withClass(name, () => {
      for (const m of n.childForFieldName('body')?.namedChildren ?? []) {
        if (!m) continue;
        let def = m;
        let decs: string[] = [];
        if (m.type === 'decorated_definition') {
          decs = m.namedChildren.filter((c): c is SyntaxNode => c?.type === 'decorator').map((d) => d.text);
          def = m.childForFieldName('definition') ?? m;
        }
        if (def.type === 'function_definition') {
          const fn = this.fn(def, 'method', def.childForFieldName('name')?.text ?? '', decs);
          if (!rec.methods.has(fn.name)) rec.methods.set(fn.name, fn.id);
          ids.push(fn.id);
        } else if (def.type === 'expression_statement') {
          const a = def.namedChildren[0];
          if (a?.type === 'assignment') {
            const l = a.childForFieldName('left');
            const r = a.childForFieldName('right');
            if (l?.type === 'identifier' && r) rec.fields.push({ name: l.text, value: this.expr(r), isStatic: true });
          }
        }
      }
    });
    return ids;
  }

  private fn(n: SyntaxNode, kind: IrFunction['kind'], name: string, decorators: string[]): IrFunction {
    const fn = this.register(n, kind, name, kind === 'method' ? this.currentClass : '', decorators);
    // A lambda sees the `self` of the method it is written in.
    const selfAtDecl = this.selfName;
    this.defer(fn, () => {
      const saveSelf = this.selfName;
      const saveOuter = this.outerNames;
      this.outerNames = new Set();
      this.selfName = selfAtDecl;
      let params = this.params(n.childForFieldName('parameters'));
      const isStatic = decorators.some((d) => /staticmethod/.test(d));
      if (kind === 'method' && !isStatic && params[0]) {
        this.selfName = params[0].name;
        params = params.slice(1);
      } else if (kind !== 'lambda') this.selfName = '';
      fn.params = params;
      const body = n.childForFieldName('body');
      if (body) {
        if (n.type === 'lambda') {
          fn.expressionBody = true;
          fn.body = [{ k: 'return', e: this.expr(body), node: body }];
        } else fn.body = this.block(body);
      }
      this.selfName = saveSelf;
      this.outerNames = saveOuter;
    });
    return fn;
  }

  private params(ps: SyntaxNode | null): Param[] {
    const out: Param[] = [];
    for (const p of ps?.namedChildren ?? []) {
      if (!p) continue;
      switch (p.type) {
        case 'identifier':
          out.push({ name: p.text, node: p, annotations: [] });
          break;
        case 'typed_parameter': {
          const id = p.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'list_splat_pattern' || c?.type === 'dictionary_splat_pattern');
          const t = p.childForFieldName('type')?.text.replace(/\s+/g, '');
          if (id) out.push({ name: id.type === 'identifier' ? id.text : id.namedChildren[0]?.text ?? '', node: p, type: t, annotations: [], rest: id.type !== 'identifier' });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const nm = p.childForFieldName('name');
          const v = p.childForFieldName('value');
          const t = p.childForFieldName('type')?.text.replace(/\s+/g, '');
          if (nm) out.push({ name: nm.text, node: p, type: t, annotations: v && /^(Query|Path|Body|Form|Header|Cookie|File)\(/.test(v.text) ? [v.text.slice(0, v.text.indexOf('('))] : [], defaultValue: v ? this.expr(v) : undefined });
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern': {
          const id = p.namedChildren[0];
          if (id) out.push({ name: id.text, node: p, annotations: [], rest: true });
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  private target(n: SyntaxNode, declared?: string): Target {
    switch (n.type) {
      case 'identifier':
        if (n.text === this.selfName) return { k: 'none', node: n };
        return { k: 'var', name: n.text, node: n, declared, decl: !this.outerNames.has(n.text) };
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return { k: 'none', node: n };
        return { k: 'member', obj: this.expr(obj), prop: attr.text, node: n };
      }
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const idx = n.childForFieldName('subscript');
        if (!obj || !idx) return { k: 'none', node: n };
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
        return { k: 'pattern', pattern: this.pattern(n), node: n };
      case 'parenthesized_expression':
        return n.namedChildren[0] ? this.target(n.namedChildren[0]) : { k: 'none', node: n };
      default:
        return { k: 'none', node: n };
    }
  }

  private pattern(n: SyntaxNode): Pattern {
    const elems: Array<Pattern | null> = [];
    let rest: string | undefined;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'list_splat_pattern' || c.type === 'list_splat') rest = c.namedChildren[0]?.text;
      else if (/^(pattern_list|tuple_pattern|list_pattern|tuple|list)$/.test(c.type)) elems.push(this.pattern(c));
      else elems.push({ k: 'bind', target: this.target(c) });
    }
    return { k: 'arr', elems, rest };
  }

  /** Lowers an expression. */
  expr(n: SyntaxNode, name = ''): Expr {
    switch (n.type) {
      case 'identifier':
        if (this.selfName && n.text === this.selfName) return { k: 'this', node: n };
        return { k: 'var', name: n.text, node: n };
      case 'true':
        return { k: 'lit', v: true, node: n };
      case 'false':
        return { k: 'lit', v: false, node: n };
      case 'none':
        return { k: 'lit', v: null, node: n };
      case 'integer':
      case 'float':
        return { k: 'lit', v: numberLiteral(n.text) ?? null, node: n };
      case 'string': {
        const interp = n.namedChildren.some((c) => c?.type === 'interpolation');
        const raw = /^[a-zA-Z]*[rR]/.test(n.text);
        if (!interp) return { k: 'lit', v: raw ? stringValue(n, 'python') ?? '' : unescape(stringValue(n, 'python') ?? ''), node: n };
        const parts: Expr[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_content' || c.type === 'escape_sequence') parts.push({ k: 'lit', v: raw ? c.text : unescape(c.text), node: c });
          else if (c.type === 'interpolation') {
            const e = c.childForFieldName('expression') ?? c.namedChildren[0];
            if (e) parts.push(this.expr(e));
          }
        }
        return { k: 'concat', parts, node: n, how: 'template' };
      }
      case 'concatenated_string': {
        const parts = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((c) => this.expr(c));
        if (parts.every((p) => p.k === 'lit')) return { k: 'lit', v: parts.map((p) => (p.k === 'lit' ? String(p.v ?? '') : '')).join(''), node: n };
        return { k: 'concat', parts, node: n, how: 'template' };
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
        return inner ? this.expr(inner, name) : this.unknown(n);
      }
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return this.unknown(n);
        return { k: 'member', obj: this.expr(obj), prop: attr.text, node: n };
      }
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const idx = n.childForFieldName('subscript');
        if (!obj || !idx) return this.unknown(n);
        if (idx.type === 'slice') return { k: 'call', node: n, callee: { k: 'member', obj: this.expr(obj), prop: '__getslice__', node: n }, args: idx.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => ({ e: this.expr(c) })), kwargs: new Map(), isNew: false, name: '__getslice__', method: '__getslice__' };
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'call': {
        const fnNode = n.childForFieldName('function');
        const argsNode = n.childForFieldName('arguments');
        if (!fnNode) return this.unknown(n);
        const args: Call['args'] = [];
        const kwargs = new Map<string, Expr>();
        if (argsNode?.type === 'generator_expression') args.push({ e: this.expr(argsNode) });
        else {
          for (const a of argsNode?.namedChildren ?? []) {
            if (!a || a.type === 'comment') continue;
            if (a.type === 'keyword_argument') {
              const k = a.childForFieldName('name')?.text;
              const v = a.childForFieldName('value');
              if (k && v) kwargs.set(k, this.expr(v));
            } else if (a.type === 'list_splat') args.push({ e: this.expr(a.namedChildren[0] ?? a), spread: true });
            else if (a.type === 'dictionary_splat') kwargs.set('**', this.expr(a.namedChildren[0] ?? a));
            else args.push({ e: this.expr(a) });
          }
        }
        return this.makeCall(n, this.expr(fnNode), args, kwargs);
      }
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '';
        if (!l || !r) return this.unknown(n);
        if (op === '%') {
          // `"..." % args` formats a string; with a non-literal left side it may be arithmetic.
          const args = r.type === 'tuple' ? r.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => this.expr(c)) : [this.expr(r)];
          if (l.type === 'string' || l.type === 'concatenated_string') return { k: 'concat', parts: [this.expr(l), ...args], node: n, how: 'format' };
          return { k: 'bin', op: '%s', l: this.expr(l), r: this.expr(r), node: n };
        }
        return { k: 'bin', op: op === '/' ? '/p' : op, l: this.expr(l), r: this.expr(r), node: n };
      }
      case 'boolean_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text === 'and' ? '&&' : '||';
        if (!l || !r) return this.unknown(n);
        return { k: 'logic', op, l: this.expr(l), r: this.expr(r), node: n };
      }
      case 'not_operator': {
        const x = n.childForFieldName('argument');
        return x ? { k: 'unary', op: 'not', x: this.expr(x), node: n } : this.unknown(n);
      }
      case 'unary_operator': {
        const x = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '-';
        return x ? { k: 'unary', op, x: this.expr(x), node: n } : this.unknown(n);
      }
      case 'comparison_operator': {
        const operands = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        const ops = n.childrenForFieldName('operators').map((c) => c?.text ?? '');
        let op = ops.join(' ');
        if (ops.length > 2) op = ops[0] ?? '==';
        if (op === 'not in') op = 'not in';
        const l = operands[0];
        const r = operands[1];
        if (!l || !r) return this.unknown(n);
        const e: Expr = { k: 'bin', op: op === '==' ? '==' : op, l: this.expr(l), r: this.expr(r), node: n };
        return e;
      }
      case 'conditional_expression': {
        const [a, c, b] = n.namedChildren;
        if (!a || !c || !b) return this.unknown(n);
        return { k: 'cond', test: this.expr(c), then: this.expr(a), else: this.expr(b), node: n };
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return {
          k: 'array',
          elems: n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((c) => (c.type === 'list_splat' ? { e: this.expr(c.namedChildren[0] ?? c), spread: true } : { e: this.expr(c) })),
          node: n,
        };
      case 'dictionary': {
        const props: Array<{ key: string | null; keyExpr?: Expr; value: Expr }> = [];
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          if (c.type === 'pair') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (!k || !v) continue;
            const ks = k.type === 'string' ? stringValue(k, 'python') : undefined;
            if (ks !== undefined) props.push({ key: ks, value: this.expr(v, ks) });
            else props.push({ key: null, keyExpr: this.expr(k), value: this.expr(v) });
          } else if (c.type === 'dictionary_splat') props.push({ key: null, value: this.expr(c.namedChildren[0] ?? c) });
        }
        return { k: 'object', props, node: n };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(n);
      case 'lambda': {
        const fn = this.fn(n, 'lambda', name, []);
        return { k: 'fn', id: fn.id, node: n };
      }
      case 'await':
        return n.namedChildren[0] ? this.expr(n.namedChildren[0], name) : this.unknown(n);
      case 'named_expression': {
        const nm = n.childForFieldName('name');
        const v = n.childForFieldName('value');
        if (!nm || !v) return this.unknown(n);
        return { k: 'assign', target: this.target(nm), value: this.expr(v), node: n };
      }
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        return v ? this.expr(v) : this.unknown(n);
      }
      case 'list_splat':
      case 'dictionary_splat':
        return n.namedChildren[0] ? this.expr(n.namedChildren[0]) : this.unknown(n);
      default:
        return this.unknown(n, n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((c) => this.expr(c)));
    }
  }

  /** `[body for x in it if cond]`: a synthetic function of the loop targets, run by the model over the elements. */
  private comprehension(n: SyntaxNode): Expr {
    const clauses = n.namedChildren.filter((c): c is SyntaxNode => c?.type === 'for_in_clause');
    const body = n.childForFieldName('body');
    const first = clauses[0];
    if (!first || !body) return this.unknown(n);
    const fn = this.register(n, 'lambda', '', '', []);
    let iter: Expr = this.unknown(n);
    this.withFunction(fn, () => {
      const left = first.childForFieldName('left');
      const right = first.childForFieldName('right');
      if (right) iter = this.expr(right);
      const p: Param = { name: left?.type === 'identifier' ? left.text : '', node: left ?? n, annotations: [] };
      if (left && left.type !== 'identifier') p.pattern = this.pattern(left);
      fn.params = [p];
      fn.expressionBody = true;
      const value = body.type === 'pair' ? body.childForFieldName('value') ?? body : body;
      const ret: Stmt = { k: 'return', e: this.expr(value), node: value };
      // Filters narrow what the body sees (`if x in ALLOWED`).
      const ifs = n.namedChildren.filter((c): c is SyntaxNode => c?.type === 'if_clause').map((c) => c.namedChildren[0]).filter((c): c is SyntaxNode => !!c);
      fn.body = ifs.length ? [{ k: 'if', test: ifs.map((c) => this.expr(c)).reduce((a, b) => ({ k: 'logic', op: '&&', l: a, r: b, node: n })), then: [ret], else: [], node: n }] : [ret];
    });
    const call: Call = { k: 'call', node: n, callee: { k: 'var', name: '<comprehension>', node: n }, args: [{ e: iter }, { e: { k: 'fn', id: fn.id, node: n } }], kwargs: new Map(), isNew: false, name: '<comprehension>', method: '<comprehension>' };
    return call;
  }
}
