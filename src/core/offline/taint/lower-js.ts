/**
 * Lowering of JavaScript, TypeScript and TSX syntax trees (tree-sitter-javascript / -typescript node
 * types) into the taint IR.
 */
import type { SyntaxNode } from '../syntax';
import { stringValue } from '../nodes';
import type { Call, Expr, IrFunction, Param, Pattern, Stmt, Target } from './ir';
import { Lowerer, numberLiteral, unescape } from './lower';

const FUNCTION_TYPES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'generator_function', 'method_definition']);
const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);
const SKIP_STATEMENTS = new Set(['import_statement', 'empty_statement', 'comment', 'debugger_statement', 'interface_declaration', 'type_alias_declaration', 'enum_declaration', 'ambient_declaration', 'module', 'internal_module', 'function_signature', 'abstract_method_signature', 'hash_bang_line']);

/** Lowers a JS/TS/TSX file. */
export class JsLowerer extends Lowerer {
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
    if (n.type === 'statement_block') return this.stmts(n.namedChildren);
    const out: Stmt[] = [];
    this.stmt(n, out);
    return out;
  }

  private stmt(n: SyntaxNode, out: Stmt[]): void {
    switch (n.type) {
      case 'expression_statement': {
        const e = n.namedChildren[0];
        if (!e) return;
        if (e.type === 'assignment_expression' || e.type === 'augmented_assignment_expression') {
          const a = this.expr(e);
          if (a.k === 'assign') out.push({ k: 'assign', target: a.target, value: a.value, op: a.op, node: e });
          return;
        }
        out.push({ k: 'expr', e: this.expr(e), node: n });
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of n.namedChildren) {
          if (d?.type !== 'variable_declarator') continue;
          const name = d.childForFieldName('name');
          const value = d.childForFieldName('value');
          if (!name) continue;
          const type = d.childForFieldName('type')?.text.replace(/^:\s*/, '');
          const target = this.target(name, type);
          out.push({ k: 'assign', target, value: value ? this.expr(value, name.type === 'identifier' ? name.text : '') : { k: 'lit', v: undefined, node: d }, node: d });
        }
        return;
      case 'statement_block':
        out.push({ k: 'block', body: this.stmts(n.namedChildren), node: n });
        return;
      case 'if_statement': {
        const alt = n.childForFieldName('alternative');
        out.push({
          k: 'if',
          test: this.expr(n.childForFieldName('condition')!),
          then: this.block(n.childForFieldName('consequence')),
          else: alt ? this.block(alt.type === 'else_clause' ? alt.namedChildren[0] : alt) : [],
          node: n,
        });
        return;
      }
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        const initStmts: Stmt[] = [];
        if (init && init.type !== 'empty_statement') this.stmt(init.type.endsWith('declaration') || init.type === 'expression_statement' ? init : init, initStmts);
        const conds = n.childrenForFieldName('condition').filter((c): c is SyntaxNode => !!c && c.isNamed && c.type !== 'empty_statement');
        const cond = conds[0]?.type === 'expression_statement' ? conds[0].namedChildren[0] : conds[0];
        const inc = n.childForFieldName('increment');
        const update: Stmt[] = [];
        if (inc) update.push({ k: 'expr', e: this.expr(inc), node: inc });
        out.push(...initStmts);
        out.push({ k: 'loop', test: cond ? this.expr(cond) : undefined, body: this.block(n.childForFieldName('body')), update, node: n });
        return;
      }
      case 'for_in_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const of = n.childForFieldName('operator')?.text === 'of';
        if (!left || !right) return;
        out.push({ k: 'loop', body: this.block(n.childForFieldName('body')), update: [], each: { target: this.target(left), iter: this.expr(right), of: of ? 'values' : 'keys' }, node: n });
        return;
      }
      case 'while_statement':
        out.push({ k: 'loop', test: this.expr(n.childForFieldName('condition')!), body: this.block(n.childForFieldName('body')), update: [], node: n });
        return;
      case 'do_statement':
        out.push({ k: 'loop', test: this.expr(n.childForFieldName('condition')!), body: this.block(n.childForFieldName('body')), update: [], node: n, doWhile: true });
        return;
      case 'switch_statement': {
        const body = n.childForFieldName('body');
        const cases: Array<{ tests: Expr[]; body: Stmt[] }> = [];
        for (const c of body?.namedChildren ?? []) {
          if (c?.type === 'switch_case') {
            const v = c.childForFieldName('value');
            cases.push({ tests: v ? [this.expr(v)] : [], body: this.stmts(c.childrenForFieldName('body')) });
          } else if (c?.type === 'switch_default') cases.push({ tests: [], body: this.stmts(c.childrenForFieldName('body')) });
        }
        out.push({ k: 'switch', disc: this.expr(n.childForFieldName('value')!), cases, fallthrough: true, node: n });
        return;
      }
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
        out.push({ k: 'break', node: n });
        return;
      case 'continue_statement':
        out.push({ k: 'continue', node: n });
        return;
      case 'try_statement': {
        const handler = n.childForFieldName('handler');
        const fin = n.childForFieldName('finalizer');
        const param = handler?.childForFieldName('parameter');
        out.push({
          k: 'try',
          body: this.block(n.childForFieldName('body')),
          handlers: handler ? [{ param: param?.type === 'identifier' ? param.text : undefined, body: this.block(handler.childForFieldName('body')) }] : [],
          finally: fin ? this.block(fin.childForFieldName('body')) : [],
          node: n,
        });
        return;
      }
      case 'labeled_statement': {
        const b = n.childForFieldName('body');
        if (b) this.stmt(b, out);
        return;
      }
      case 'export_statement': {
        const d = n.childForFieldName('declaration') ?? n.namedChildren.find((c) => c && !/^(export_clause|string|comment)$/.test(c.type));
        if (!d) return;
        if (d.type.endsWith('declaration') || FUNCTION_TYPES.has(d.type) || CLASS_TYPES.has(d.type)) this.stmt(d, out);
        else out.push({ k: 'expr', e: this.expr(d), node: n });
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration': {
        const fn = this.fn(n, 'function', n.childForFieldName('name')?.text ?? '');
        if (this.current === 0) this.globals.set(fn.name, fn.id);
        out.push({ k: 'decl', name: fn.name, fn: fn.id, node: n });
        return;
      }
      case 'class_declaration':
      case 'abstract_class_declaration': {
        const { methods, statics } = this.clsDecl(n);
        // Methods close over the variables in scope here; static blocks run now.
        for (const id of methods) out.push({ k: 'decl', name: '', fn: id, node: n });
        out.push(...statics);
        return;
      }
      default:
        if (SKIP_STATEMENTS.has(n.type)) return;
        if (n.type.endsWith('_statement') || n.type.endsWith('declaration')) {
          // Unmodelled statements: evaluate their expression children for side effects and sinks.
          for (const c of n.namedChildren) if (c && !c.type.endsWith('comment')) out.push({ k: 'expr', e: this.expr(c), node: c });
          return;
        }
        out.push({ k: 'expr', e: this.expr(n), node: n });
    }
  }

  private cls(n: SyntaxNode): string {
    return this.clsDecl(n).name;
  }

  private clsDecl(n: SyntaxNode): { name: string; methods: number[]; statics: Stmt[] } {
    const methods: number[] = [];
    const statics: Stmt[] = [];
    const name = n.childForFieldName('name')?.text ?? `class@${n.startPosition.row + 1}`;
    const supers: string[] = [];
    for (const h of n.namedChildren) {
      if (h?.type !== 'class_heritage') continue;
      for (const c of h.namedChildren) {
        const v = c?.childForFieldName('value') ?? c?.namedChildren[0];
        if (v) supers.push(v.text);
      }
    }
    const rec = this.classRecord(name, n, supers);
    this.withClass(name, () => {
      for (const m of n.childForFieldName('body')?.namedChildren ?? []) {
        if (!m) continue;
        if (m.type === 'method_definition') {
          const fn = this.fn(m, 'method', m.childForFieldName('name')?.text ?? '');
          if (!rec.methods.has(fn.name)) rec.methods.set(fn.name, fn.id);
          methods.push(fn.id);
        } else if (m.type === 'class_static_block') {
          statics.push(...this.block(m.childForFieldName('body')));
        } else if (m.type === 'public_field_definition' || m.type === 'field_definition') {
          const fname = (m.childForFieldName('name') ?? m.childForFieldName('property'))?.text;
          const value = m.childForFieldName('value');
          const isStatic = m.children.some((c) => c?.type === 'static');
          if (fname) rec.fields.push({ name: fname, value: value ? this.expr(value, fname) : undefined, isStatic });
        }
      }
    });
    return { name, methods, statics };
  }

  /** Registers and lowers a function-like node. */
  private fn(n: SyntaxNode, kind: IrFunction['kind'], name: string): IrFunction {
    const decorators: string[] = [];
    for (const c of n.children) if (c?.type === 'decorator') decorators.push(c.text);
    if (n.parent?.type === 'class_body' || n.parent?.type === 'export_statement') {
      for (let p = n.previousNamedSibling; p?.type === 'decorator'; p = p.previousNamedSibling) decorators.push(p.text);
    }
    const fn = this.register(n, kind, name, this.currentClass, decorators);
    this.defer(fn, () => {
      fn.params = this.params(n);
      const body = n.childForFieldName('body');
      if (!body) return;
      if (body.type === 'statement_block') fn.body = this.stmts(body.namedChildren);
      else {
        fn.expressionBody = true;
        fn.body = [{ k: 'return', e: this.expr(body), node: body }];
      }
    });
    return fn;
  }

  private params(n: SyntaxNode): Param[] {
    const single = n.childForFieldName('parameter');
    if (single) return [{ name: single.text, node: single, annotations: [] }];
    const ps = n.childForFieldName('parameters');
    const out: Param[] = [];
    for (const p of ps?.namedChildren ?? []) {
      if (!p || p.type === 'comment') continue;
      const annotations: string[] = [];
      let pat: SyntaxNode | null = p;
      let type: string | undefined;
      let def: SyntaxNode | null = null;
      if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
        for (const c of p.children) {
          if (c?.type !== 'decorator') continue;
          const inner = c.namedChildren[0];
          annotations.push((inner?.type === 'call_expression' ? inner.childForFieldName('function')?.text : inner?.text) ?? '');
        }
        pat = p.childForFieldName('pattern');
        type = p.childForFieldName('type')?.text.replace(/^:\s*/, '').replace(/\s+/g, '');
        def = p.childForFieldName('value');
      } else if (p.type === 'assignment_pattern') {
        pat = p.childForFieldName('left');
        def = p.childForFieldName('right');
      }
      if (!pat) continue;
      let rest = false;
      if (pat.type === 'rest_pattern') {
        rest = true;
        pat = pat.namedChildren[0] ?? pat;
      }
      const param: Param = { name: pat.type === 'identifier' ? pat.text : '', node: p, annotations, type, rest };
      if (def) param.defaultValue = this.expr(def);
      if (pat.type === 'object_pattern' || pat.type === 'array_pattern') param.pattern = this.pattern(pat);
      else if (pat.type !== 'identifier' && pat.type !== 'this') continue;
      out.push(param);
    }
    return out;
  }

  private target(n: SyntaxNode, declared?: string): Target {
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
        return { k: 'var', name: n.text, node: n, declared };
      case 'member_expression': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName('property');
        if (!obj || !prop) return { k: 'none', node: n };
        return { k: 'member', obj: this.expr(obj), prop: prop.text, node: n };
      }
      case 'subscript_expression': {
        const obj = n.childForFieldName('object');
        const idx = n.childForFieldName('index');
        if (!obj || !idx) return { k: 'none', node: n };
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'object_pattern':
      case 'array_pattern':
        return { k: 'pattern', pattern: this.pattern(n), node: n };
      case 'parenthesized_expression':
      case 'non_null_expression':
        return n.namedChildren[0] ? this.target(n.namedChildren[0]) : { k: 'none', node: n };
      default:
        return { k: 'none', node: n };
    }
  }

  private pattern(n: SyntaxNode): Pattern {
    if (n.type === 'object_pattern') {
      const props: Array<{ key: string; pat: Pattern }> = [];
      let rest: string | undefined;
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'shorthand_property_identifier_pattern') props.push({ key: c.text, pat: { k: 'bind', target: { k: 'var', name: c.text, node: c } } });
        else if (c.type === 'object_assignment_pattern') {
          const l = c.childForFieldName('left');
          const r = c.childForFieldName('right');
          if (l) props.push({ key: l.text, pat: { k: 'bind', target: { k: 'var', name: l.text, node: l }, default: r ? this.expr(r) : undefined } });
        } else if (c.type === 'pair_pattern') {
          const k = c.childForFieldName('key');
          const v = c.childForFieldName('value');
          const key = k ? (k.type === 'string' ? stringValue(k, 'javascript') ?? k.text : k.text) : '';
          if (v) props.push({ key, pat: this.subPattern(v) });
        } else if (c.type === 'rest_pattern') rest = c.namedChildren[0]?.text;
      }
      return { k: 'obj', props, rest };
    }
    const elems: Array<Pattern | null> = [];
    let rest: string | undefined;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'rest_pattern') rest = c.namedChildren[0]?.text;
      else elems.push(this.subPattern(c));
    }
    return { k: 'arr', elems, rest };
  }

  private subPattern(v: SyntaxNode): Pattern {
    if (v.type === 'assignment_pattern') {
      const l = v.childForFieldName('left');
      const r = v.childForFieldName('right');
      const inner = l ? this.subPattern(l) : { k: 'bind' as const, target: { k: 'none' as const, node: v } };
      return inner.k === 'bind' && r ? { ...inner, default: this.expr(r) } : inner;
    }
    if (v.type === 'object_pattern' || v.type === 'array_pattern') return this.pattern(v);
    return { k: 'bind', target: this.target(v) };
  }

  /** Lowers an expression; `name` is the variable or property it is assigned to (names anonymous functions). */
  expr(n: SyntaxNode, name = ''): Expr {
    switch (n.type) {
      case 'identifier':
        if (n.text === 'undefined') return { k: 'lit', v: undefined, node: n };
        return { k: 'var', name: n.text, node: n };
      case 'this':
        return { k: 'this', node: n };
      case 'string':
        return { k: 'lit', v: unescape(stringValue(n, 'javascript') ?? ''), node: n };
      case 'number':
        return { k: 'lit', v: numberLiteral(n.text) ?? null, node: n };
      case 'true':
        return { k: 'lit', v: true, node: n };
      case 'false':
        return { k: 'lit', v: false, node: n };
      case 'null':
        return { k: 'lit', v: null, node: n };
      case 'undefined':
        return { k: 'lit', v: undefined, node: n };
      case 'regex':
        return { k: 'lit', v: n.childForFieldName('pattern')?.text ?? '', node: n };
      case 'template_string': {
        const parts: Expr[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_fragment' || c.type === 'escape_sequence') parts.push({ k: 'lit', v: unescape(c.text), node: c });
          else if (c.type === 'template_substitution' && c.namedChildren[0]) parts.push(this.expr(c.namedChildren[0]));
        }
        if (!n.namedChildren.some((c) => c?.type === 'template_substitution')) return { k: 'lit', v: parts.map((p) => (p.k === 'lit' ? String(p.v) : '')).join(''), node: n };
        return { k: 'concat', parts, node: n, how: 'template' };
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.filter((c) => c && c.type !== 'comment');
        const last = inner[inner.length - 1];
        if (!last) return this.unknown(n);
        if (inner.length === 1) return this.expr(last, name);
        return this.unknown(n, inner.map((c) => this.expr(c!)));
      }
      case 'sequence_expression':
        return this.unknown(n, n.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => this.expr(c)));
      case 'member_expression': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName('property');
        if (!obj || !prop) return this.unknown(n);
        return { k: 'member', obj: this.expr(obj), prop: prop.text, node: n };
      }
      case 'subscript_expression': {
        const obj = n.childForFieldName('object');
        const idx = n.childForFieldName('index');
        if (!obj || !idx) return this.unknown(n);
        return { k: 'index', obj: this.expr(obj), index: this.expr(idx), node: n };
      }
      case 'call_expression': {
        const fnNode = n.childForFieldName('function');
        const argsNode = n.childForFieldName('arguments');
        if (!fnNode) return this.unknown(n);
        if (fnNode.type === 'import') return this.unknown(n);
        const callee = fnNode.type === 'super' ? ({ k: 'var', name: 'super', node: fnNode } as Expr) : this.expr(fnNode);
        const args = argsNode?.type === 'template_string' ? [{ e: this.expr(argsNode) }] : this.args(argsNode);
        return this.makeCall(n, callee, args);
      }
      case 'new_expression': {
        const ctor = n.childForFieldName('constructor');
        if (!ctor) return this.unknown(n);
        return this.makeCall(n, this.expr(ctor), this.args(n.childForFieldName('arguments')), new Map(), true);
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
          if (operands.some((o) => ['string', 'template_string'].includes(o.type))) return { k: 'concat', parts: operands.map((o) => this.expr(o)), node: n, how: 'concat' };
        }
        if (op === '&&' || op === '||' || op === '??') return { k: 'logic', op, l: this.expr(l), r: this.expr(r), node: n };
        if (op === 'instanceof') return { k: 'instanceof', x: this.expr(l), type: r.text, node: n };
        return { k: 'bin', op, l: this.expr(l), r: this.expr(r), node: n };
      }
      case 'unary_expression': {
        const x = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '';
        return x ? { k: 'unary', op, x: this.expr(x), node: n } : this.unknown(n);
      }
      case 'update_expression': {
        const x = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '++';
        if (!x) return this.unknown(n);
        return { k: 'assign', target: this.target(x), value: { k: 'lit', v: 1, node: n }, op: op === '++' ? '+=' : '-=', node: n };
      }
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (!l || !r) return this.unknown(n);
        const nm = l.type === 'identifier' ? l.text : l.type === 'member_expression' ? l.childForFieldName('property')?.text ?? '' : '';
        return { k: 'assign', target: this.target(l), value: this.expr(r, nm), node: n };
      }
      case 'augmented_assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '+=';
        if (!l || !r) return this.unknown(n);
        return { k: 'assign', target: this.target(l), value: this.expr(r), op, node: n };
      }
      case 'ternary_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const e = n.childForFieldName('alternative');
        if (!c || !t || !e) return this.unknown(n);
        return { k: 'cond', test: this.expr(c), then: this.expr(t), else: this.expr(e), node: n };
      }
      case 'array':
        return {
          k: 'array',
          elems: n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((c) => (c.type === 'spread_element' ? { e: this.expr(c.namedChildren[0] ?? c), spread: true } : { e: this.expr(c) })),
          node: n,
        };
      case 'object': {
        const props: Array<{ key: string | null; keyExpr?: Expr; value: Expr }> = [];
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          if (c.type === 'pair') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (!k || !v) continue;
            if (k.type === 'computed_property_name') props.push({ key: null, keyExpr: this.expr(k.namedChildren[0] ?? k), value: this.expr(v) });
            else {
              const key = k.type === 'string' ? stringValue(k, 'javascript') ?? k.text : k.text;
              props.push({ key, value: this.expr(v, key) });
            }
          } else if (c.type === 'shorthand_property_identifier') props.push({ key: c.text, value: { k: 'var', name: c.text, node: c } });
          else if (c.type === 'spread_element') props.push({ key: null, value: this.expr(c.namedChildren[0] ?? c) });
          else if (c.type === 'method_definition') {
            const fn = this.fn(c, 'lambda', c.childForFieldName('name')?.text ?? '');
            props.push({ key: fn.name, value: { k: 'fn', id: fn.id, node: c } });
          }
        }
        return { k: 'object', props, node: n };
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function': {
        const fn = this.fn(n, 'lambda', n.childForFieldName('name')?.text ?? name);
        return { k: 'fn', id: fn.id, node: n };
      }
      case 'class': {
        const cname = this.cls(n);
        return { k: 'var', name: cname, node: n };
      }
      case 'await_expression':
      case 'non_null_expression':
      case 'satisfies_expression': {
        const x = n.namedChildren[0];
        return x ? this.expr(x, name) : this.unknown(n);
      }
      case 'as_expression':
      case 'type_assertion': {
        const x = n.namedChildren[n.type === 'type_assertion' ? 1 : 0];
        const t = n.namedChildren[n.type === 'type_assertion' ? 0 : 1];
        return x ? { k: 'cast', x: this.expr(x, name), type: (t?.text ?? '').replace(/^<|>$/g, ''), node: n } : this.unknown(n);
      }
      case 'jsx_element':
      case 'jsx_self_closing_element':
      case 'jsx_fragment':
        return this.jsx(n);
      default:
        return this.unknown(n, n.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.includes('comment') && !c.type.includes('type')).map((c) => this.expr(c)));
    }
  }

  /** JSX: children expressions flow into the element; `dangerouslySetInnerHTML` becomes a call the model sees. */
  private jsx(n: SyntaxNode): Expr {
    const parts: Expr[] = [];
    const visit = (x: SyntaxNode) => {
      for (const c of x.namedChildren) {
        if (!c) continue;
        if (c.type === 'jsx_expression') {
          const inner = c.namedChildren[0];
          if (inner) parts.push(this.expr(inner));
        } else if (c.type === 'jsx_attribute') {
          const attr = c.namedChildren[0]?.text ?? '';
          const val = c.namedChildren[1];
          const inner = val?.type === 'jsx_expression' ? val.namedChildren[0] : null;
          if (!inner) continue;
          if (attr === 'dangerouslySetInnerHTML' || attr === 'href' || attr === 'src') {
            const call: Call = { k: 'call', node: c, callee: { k: 'var', name: `jsx:${attr}`, node: c }, args: [{ e: this.expr(inner) }], kwargs: new Map(), isNew: false, name: `jsx:${attr}`, method: `jsx:${attr}` };
            parts.push(call);
          } else parts.push(this.expr(inner));
        } else if (/^jsx_(element|self_closing_element|fragment|opening_element)$/.test(c.type)) visit(c);
      }
    };
    visit(n);
    return this.unknown(n, parts);
  }

  private args(n: SyntaxNode | null): Call['args'] {
    if (!n) return [];
    return n.namedChildren
      .filter((c): c is SyntaxNode => !!c && c.type !== 'comment')
      .map((c) => (c.type === 'spread_element' ? { e: this.expr(c.namedChildren[0] ?? c), spread: true } : { e: this.expr(c) }));
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
