/**
 * The taint interpreter: an abstract interpreter over the IR of one file (./ir.ts). It runs every
 * function of the file once as an entry point (parameters from the language model: request objects,
 * annotated request parameters) and runs same-file callees inline with the caller's argument values,
 * up to {@link MAX_DEPTH} calls deep, so taint follows values into helper functions and back.
 *
 * It is flow-sensitive (a later assignment replaces a value: strong updates), folds constants (dead
 * branches, constant `switch` targets and constant conditions are skipped), refines values on branch
 * conditions (allow-list membership, equality with a constant, restrictive regex checks, a root-prefix
 * check of a normalised path), and models heap objects per allocation site with fields and ordered
 * elements (so `list.add("safe"); list.add(x); list.get(0)` is clean). Loops run until their state is
 * stable or three passes. Cost is linear in the size of the file times the loop passes and inlined
 * calls, with a work budget per file ({@link WORK_BUDGET}) after which callees are no longer inlined.
 *
 * Findings are collected as {@link Flow}s: a value reaching a sink, tainted or merely non-constant.
 */
import type { ParsedFile } from '../rule';
import type { SyntaxNode } from '../syntax';
import { moduleBindings } from '../bindings';
import { isJs } from '../lang';
import type { Call, Constant, Expr, IrFile, IrFunction, Pattern, Stmt, Target } from './ir';
import type { CallInfo, Helpers, LanguageModel, SinkUse } from './model';
import {
  ALL_SAFE,
  SOURCE_RANK,
  CLEAN,
  asString,
  constant,
  isTaintedFor,
  join,
  joinTaint,
  kindBit,
  sameValue,
  sanitise,
  step,
  withTaint,
  SECRET_FIELD,
  type Obj,
  numericFrom,
  type SinkKind,
  type Taint,
  type Value,
} from './value';

/** How many same-file calls deep values are followed. */
export const MAX_DEPTH = 8;
/** Statements and expressions evaluated per file before callees stop being inlined. */
export const WORK_BUDGET = 400_000;
const MAX_LOOP_PASSES = 3;
/** Sinks whose errors quote the input they were given: SQL/NoSQL/XPath/LDAP syntax errors, file and command errors. */
const RAISES_WITH_INPUT = new Set<SinkKind>(['sql', 'nosql', 'xpath', 'ldap', 'path', 'command']);
/** Operators reported as `compare` flows: equality and membership tests. */
const COMPARISON = new Set(['==', '===', '!=', '!==', 'is', 'is not', 'in', 'not in']);
/** Sink kinds a value cannot break out of when it sits inside a string literal of the built text. */
const QUOTED_SAFE = kindBit('sql') | kindBit('xpath') | kindBit('ldap') | kindBit('code') | kindBit('command') | kindBit('nosql');

/** A value reaching a sink. */
export interface Flow {
  kind: SinkKind;
  api: string;
  /** The node a finding quotes (the sink call, assignment or return). */
  node: SyntaxNode;
  /** The expression carrying the value into the sink. */
  arg: SyntaxNode;
  /** Attacker data reaching the sink (not sanitised for `kind`), if any. */
  taint?: Taint;
  /** The value at the sink (constant? built from strings? numeric?). */
  value: Value;
  info?: Record<string, string | number | boolean>;
}

/**
 * A call from this file into a function of another module of the project (`const db = require('./db');
 * db.find(id)`, `import { find } from './db'`, `new Dao(db).find(id)` for `Dao` imported), recorded
 * when an argument carries client input, so that the callee's module can report where that input
 * reaches a sink (./modules.ts). JavaScript, TypeScript and Python (`from app.dao.student import
 * Student` … `Student.create(conn, name)`).
 */
export interface CallOut {
  /** The module as bound: a relative JS specifier (`./db`, `../data/user-dao`), or a dotted Python module, possibly ending in a class (`sqli.dao.student.Student`, `.dao`). */
  module: string;
  /** The called function's exported name (`find`), or `default` for a module that is itself a function. */
  name: string;
  /** The call node (in this file). */
  node: SyntaxNode;
  /** Each positional argument's taint (deep: fields and elements count), undefined when clean. */
  args: Array<Taint | undefined>;
  /**
   * For each untainted positional argument that is a parameter of the calling function (or built from
   * one): that parameter's name. A module that is itself called with client input passes it on this way
   * (./modules.ts follows such chains across modules).
   */
  params?: Array<string | undefined>;
  /** True when the call is a method call on an instance (Python `dao.find(x)` for `dao = Dao(conn)`): the callee's `self` is not among the arguments. */
  instance?: boolean;
}

class State {
  constructor(
    public vars: Map<string, Value> = new Map(),
    public heap: Map<number, Obj> = new Map(),
  ) {}
  copy(): State {
    return new State(new Map(this.vars), new Map(this.heap));
  }
}

function joinObj(a: Obj, b: Obj): Obj {
  if (a === b) return a;
  const fields = new Map(a.fields);
  for (const [k, v] of b.fields) fields.set(k, join(fields.get(k), v));
  let elems: Value[] | undefined;
  let any = a.any || b.any ? join(a.any, b.any) : undefined;
  if (a.elems && b.elems && a.elems.length === b.elems.length) elems = a.elems.map((v, i) => join(v, b.elems![i]));
  else if (a.elems || b.elems) {
    // Lists of different shapes: keep nothing positional, everything as "some element".
    for (const v of [...(a.elems ?? []), ...(b.elems ?? [])]) any = join(any, v);
  }
  return { ...a, fields, elems, any };
}

function joinStates(a: State | null, b: State | null): State | null {
  if (!a) return b;
  if (!b) return a;
  if (a === b) return a;
  const out = new State(new Map(a.vars), new Map(a.heap));
  for (const [k, v] of b.vars) {
    const o = out.vars.get(k);
    out.vars.set(k, o === undefined ? v : join(o, v));
  }
  for (const [k, o] of b.heap) {
    const x = out.heap.get(k);
    out.heap.set(k, x ? joinObj(x, o) : o);
  }
  return out;
}

function sameState(a: State, b: State): boolean {
  if (a.vars.size !== b.vars.size) return false;
  for (const [k, v] of a.vars) if (!sameValue(v, b.vars.get(k))) return false;
  if (a.heap.size !== b.heap.size) return false;
  for (const [k, o] of a.heap) {
    const p = b.heap.get(k);
    if (!p || p.fields.size !== o.fields.size || (p.elems?.length ?? -1) !== (o.elems?.length ?? -1) || !sameValue(p.any, o.any)) return false;
    for (const [f, v] of o.fields) if (!sameValue(v, p.fields.get(f))) return false;
    if (o.elems) for (let i = 0; i < o.elems.length; i++) if (!sameValue(o.elems[i], p.elems![i])) return false;
  }
  return true;
}

interface Frame {
  fn: IrFunction;
  depth: number;
  ret?: Value;
  retState: State | null;
  breaks: Array<State | null>;
  conts: Array<State | null>;
  /** Variables of enclosing functions (closure), innermost first. */
  closure: Array<Map<string, Value>>;
  thisVal?: Value;
  cls: string;
  /** True when the function runs as an entry point (not inlined into a caller). */
  root: boolean;
  /** Names declared in this function (parameters, `let`/`const`/`var`, nested declarations). */
  locals: Set<string>;
}

const PREDICATE_METHODS = /^(equals|equalsIgnoreCase|contains|containsKey|containsValue|startsWith|endsWith|startswith|endswith|includes|has|hasOwnProperty|isEmpty|isBlank|matches|test|exists|length|size|len|count|indexOf|lastIndexOf|compareTo|compare|hashCode|isdigit|isnumeric|isalnum|isalpha|isdecimal|isValid|HasPrefix|HasSuffix|Contains|EqualFold|Count|Index|Compare|hasMoreElements|hasNext|isArray|isInteger|isNaN|isFinite|some|every|findIndex|localeCompare)$/;
const LOOKUP_METHODS = /^(xpath|evaluate|search|search_s|findall|findtext|iterfind|selectNodes|selectSingleNode|fetchAll|get|getOrDefault|find|findOne|findById|findByPk|findAll|findOneAndUpdate|findByIdAndUpdate|filter|query|fetch|fetchone|fetchall|fetchmany|select|lookup|load|read|readFile|readFileSync|exists|first|execute|executeQuery|count|countDocuments|distinct|aggregate|getAttribute|getProperty|getenv|Getenv|cursor|render|send|json|status|write|writeHead|sendFile|redirect|cookie|setHeader|set|header|append|push|insert|add|put|remove|delete|update|save|create|emit|on|once|then|catch|finally|call|apply|bind|log|info|warn|error|debug|trace|print|println|printf|format)$/;

/** Runs the taint analysis of one file. */
export class Interpreter {
  readonly flows = new Map<string, Flow>();
  /** Calls into other modules of the project with client input among the arguments ({@link CallOut}). */
  readonly callOuts: CallOut[] = [];
  /** Per enclosing `try` being run: request input given to a sink in it whose error would quote it ({@link RAISES_WITH_INPUT}). */
  private readonly raising: Array<Taint | undefined> = [];
  private work = 0;
  private readonly analysed = new Set<number>();
  private readonly closures = new Map<number, Array<Map<string, Value>>>();
  private globals = new Map<string, Value>();
  private readonly stack: number[] = [];
  private readonly h: Helpers;
  private state = new State();
  private frame!: Frame;
  private readonly bindings: Map<string, string>;
  private readonly staticFields = new Map<string, Map<string, Value>>();

  constructor(
    private readonly file: ParsedFile,
    private readonly ir: IrFile,
    private readonly model: LanguageModel,
    /** Functions to analyse as entry points even when they mention no source or sink name of the model's `rootHint` (functions other modules call). */
    private readonly extraRoot?: (fn: IrFunction) => boolean,
  ) {
    this.bindings = moduleBindings(file);
    this.h = {
      file,
      ir,
      line: (n) => n.startPosition.row + 1,
      deepTaint: (v) => this.deepTaint(v, 2),
      source: (label, node, str = false, kind = 'request') => ({ taint: { source: { label, node, line: node.startPosition.row + 1, kind }, path: [], safe: 0, str } }),
      objects: (v) => this.objects(v),
      alloc: (site, kind, init) => this.alloc(site, kind, init),
      update: (v, change) => this.updateObjs(v, change),
      contents: (v) => this.contents(v),
      constOf: (v) => v.c?.v,
      invoke: (fn, args, at) => this.invoke(fn, args, at),
      binding: (name) => this.bindings.get(name),
      write: (obj, key, v) => (typeof key === 'number' ? this.writeKey(obj, key, v) : this.writeField(obj, key, v)),
    };
  }

  /** Analyses every function of the file: the module body first (its constants become globals), then the rest. */
  run(): void {
    const mod = this.ir.functions[this.ir.module];
    if (mod) {
      this.runRoot(mod);
      this.globals = new Map(this.state.vars);
      this.moduleHeap = this.state.heap;
    }
    for (const cls of this.ir.classes.values()) {
      const statics = new Map<string, Value>();
      for (const f of cls.fields) {
        if (!f.isStatic || !f.value) continue;
        this.frame = this.newFrame(mod ?? this.ir.functions[0]!, 0, true, cls.name);
        this.state = new State();
        statics.set(f.name, this.eval(f.value));
      }
      this.staticFields.set(cls.name, statics);
    }
    // Functions are discovered as bodies are lowered, so the list grows while it is walked.
    for (let i = 0; i < this.ir.functions.length; i++) {
      const fn = this.ir.functions[i]!;
      if (fn.id === this.ir.module || this.analysed.has(fn.id)) continue;
      // Only functions that mention a source or a sink can start a flow; the others run when called.
      if (this.model.rootHint && !this.model.rootHint.test(fn.node.text) && !this.model.rootHint.test(fn.decorators.join(' ')) && !this.extraRoot?.(fn)) continue;
      this.runRoot(fn);
    }
  }

  private newFrame(fn: IrFunction, depth: number, root: boolean, cls = fn.className): Frame {
    const locals = new Set<string>();
    for (const p of fn.params) if (p.name) locals.add(p.name);
    return { fn, depth, retState: null, breaks: [], conts: [], closure: this.closures.get(fn.id) ?? [], cls, root, locals };
  }

  private moduleHeap = new Map<number, Obj>();

  private runRoot(fn: IrFunction): void {
    this.analysed.add(fn.id);
    this.ir.ensure(fn.id);
    this.state = new State(new Map(), new Map(this.moduleHeap));
    this.frame = this.newFrame(fn, 0, true);
    if (fn.className) {
      const self = this.instance(fn.node, fn.className);
      this.frame.thisVal = self;
      if (this.ir.classes.has(fn.className)) this.initFields(self, fn.className);
    }
    fn.params.forEach((p, i) => {
      const name = p.name || p.node.text;
      const v = this.model.param(fn, p, i, this.h) ?? (p.defaultValue ? join(this.eval(p.defaultValue), { param: name }) : { param: name });
      this.bindParam(p, v);
    });
    this.stack.push(fn.id);
    this.execBlock(fn.body, this.state);
    this.stack.pop();
  }

  private bindParam(p: IrFunction['params'][number], v: Value): void {
    if (p.pattern) this.destructure(p.pattern, v, p.node);
    else this.state.vars.set(p.name, v);
  }

  // ------------------------------------------------------------------------------------------
  // Heap

  private objects(v: Value): Obj[] {
    if (!v.refs) return [];
    const out: Obj[] = [];
    for (const r of v.refs) {
      const o = this.state.heap.get(r);
      if (o) out.push(o);
    }
    return out;
  }

  private alloc(site: SyntaxNode | number, kind: Obj['kind'], init?: Partial<Obj>): Value {
    const id = typeof site === 'number' ? site : site.id;
    this.state.heap.set(id, { kind, fields: new Map(), ...init });
    return { refs: [id] };
  }

  private updateObjs(v: Value, change: (o: Obj) => Obj): void {
    if (!v.refs) return;
    const weak = v.refs.length > 1;
    for (const r of v.refs) {
      const o = this.state.heap.get(r);
      if (!o) continue;
      const n = change(o);
      this.state.heap.set(r, weak ? joinObj(o, n) : n);
    }
  }

  private contents(v: Value): Value {
    let out: Value | undefined;
    for (const o of this.objects(v)) {
      for (const f of o.fields.values()) out = join(out, f);
      for (const e of o.elems ?? []) out = join(out, e);
      if (o.any) out = join(out, o.any);
    }
    if (v.taint) out = join(out, { taint: v.taint });
    return out ?? CLEAN;
  }

  private deepTaint(v: Value, depth: number, seen: Set<number> = new Set()): Taint | undefined {
    let t = v.taint;
    if (depth <= 0 || !v.refs) return t;
    for (const r of v.refs) {
      if (seen.has(r)) continue;
      seen.add(r);
      const o = this.state.heap.get(r);
      if (!o) continue;
      const visit = (x: Value | undefined) => {
        if (x) t = joinTaint(t, this.deepTaint(x, depth - 1, seen));
      };
      o.fields.forEach(visit);
      o.elems?.forEach(visit);
      visit(o.any);
    }
    return t;
  }

  private instance(site: SyntaxNode, cls: string): Value {
    const v = this.alloc(site, 'instance', { cls });
    return { ...v, cls };
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  /** Runs `stmts` from `st`; returns the state after them, or null when every path left (return/break/throw). */
  private execBlock(stmts: Stmt[], st: State | null): State | null {
    let cur = st;
    for (const s of stmts) {
      if (!cur) return null;
      cur = this.exec(s, cur);
    }
    return cur;
  }

  private exec(s: Stmt, st: State): State | null {
    this.work++;
    this.state = st;
    switch (s.k) {
      case 'expr':
        this.eval(s.e);
        return this.state;
      case 'assign': {
        let v = this.eval(s.value);
        if (s.op && s.op !== '=') v = this.compound(s.op, s.target, v, s.node);
        this.assign(s.target, v, s.value.node);
        return this.state;
      }
      case 'block':
        return this.execBlock(s.body, st);
      case 'decl':
        if (s.name) {
          this.state.vars.set(s.name, { fn: s.fn });
          this.frame.locals.add(s.name);
        }
        this.closures.set(s.fn, [this.state.vars, ...this.frame.closure]);
        return this.state;
      case 'if': {
        const c = this.truth(this.eval(s.test));
        const base = this.state;
        let a: State | null = null;
        let b: State | null = null;
        if (c !== false) {
          const t = base.copy();
          this.state = t;
          this.refine(s.test, true);
          a = this.execBlock(s.then, this.state);
        }
        if (c !== true) {
          const e = c === false ? base : base.copy();
          this.state = e;
          this.refine(s.test, false);
          b = this.execBlock(s.else, this.state);
        }
        const out = joinStates(a, b);
        if (out) this.state = out;
        return out;
      }
      case 'loop':
        return this.loop(s, st);
      case 'switch':
        return this.switchStmt(s, st);
      case 'return': {
        const v = s.e ? this.eval(s.e) : CLEAN;
        if (s.e && this.frame.root && this.model.returned) this.sinks(this.model.returned(this.frame.fn, v, s.node, s.e.node, this.h));
        this.frame.ret = join(this.frame.ret, v);
        this.frame.retState = joinStates(this.frame.retState, this.state);
        return null;
      }
      case 'throw':
        if (s.e) this.eval(s.e);
        return null;
      case 'break':
        this.frame.breaks.push(this.state);
        return null;
      case 'continue':
        this.frame.conts.push(this.state);
        return null;
      case 'try': {
        const entry = st.copy();
        this.raising.push(undefined);
        const body = this.execBlock(s.body, st);
        const raised = this.raising.pop();
        let out = body;
        for (const hd of s.handlers) {
          const hs = (joinStates(entry, body) ?? entry).copy();
          // The error a query, path or command sink raises quotes the input it was given (a database's
          // syntax error names the text near the fault; `FileNotFoundError` names the path). It is followed
          // only into template sources and code evaluation, where that fragment runs as code; an error echoed
          // into a page or a log repeats the injection already reported where the input went in.
          if (hd.param) hs.vars.set(hd.param, raised ? { taint: { ...step(asString(raised)!, `the error \`${hd.param}\` raised in the \`try\``, s.node.startPosition.row + 1), safe: ALL_SAFE & ~(kindBit('template') | kindBit('code')) } } : CLEAN);
          out = joinStates(out, this.execBlock(hd.body, hs));
        }
        if (s.finally.length) {
          const fin = this.execBlock(s.finally, out ? out : entry.copy());
          return out ? fin : null;
        }
        if (out) this.state = out;
        return out;
      }
    }
  }

  private loop(s: Extract<Stmt, { k: 'loop' }>, st: State): State | null {
    const saveBreaks = this.frame.breaks;
    const saveConts = this.frame.conts;
    this.frame.breaks = [];
    let exits: State | null = null;
    let element: Value | undefined;
    let keyVal: Value | undefined;
    this.state = st;
    if (s.each) {
      const iter = this.eval(s.each.iter);
      element = this.elementOf(iter);
      keyVal = s.each.of === 'keys' || s.each.of === 'entries' ? this.keyOf(iter) : undefined;
    }
    let cur: State = this.state;
    const passes = this.loopDepth >= 2 ? 1 : MAX_LOOP_PASSES;
    this.loopDepth++;
    let converged = false;
    for (let pass = 0; pass < passes; pass++) {
      this.state = cur.copy();
      if (s.test && !(s.doWhile && pass === 0)) {
        const c = this.truth(this.eval(s.test));
        if (c === false) {
          exits = joinStates(exits, this.state);
          converged = true;
          break;
        }
        if (c === undefined) exits = joinStates(exits, this.state.copy());
        this.refine(s.test, true);
      } else if (s.each) {
        exits = joinStates(exits, this.state.copy());
      }
      if (s.each) {
        if (s.each.of === 'entries') {
          this.assign(s.each.target, keyVal ?? CLEAN, s.each.iter.node);
          if (s.each.value) this.assign(s.each.value, element ?? CLEAN, s.each.iter.node);
        } else this.assign(s.each.target, (s.each.of === 'keys' ? keyVal : element) ?? CLEAN, s.each.iter.node);
      }
      this.frame.conts = [];
      let out = this.execBlock(s.body, this.state);
      for (const c of this.frame.conts) out = joinStates(out, c);
      if (out) out = this.execBlock(s.update, out);
      if (!out) {
        converged = true;
        break;
      }
      const next = joinStates(cur.copy(), out)!;
      if (sameState(next, cur)) {
        converged = true;
        break;
      }
      cur = next;
    }
    if (!converged) exits = joinStates(exits, cur.copy());
    this.loopDepth--;
    for (const b of this.frame.breaks) exits = joinStates(exits, b);
    this.frame.breaks = saveBreaks;
    this.frame.conts = saveConts;
    if (exits) this.state = exits;
    return exits;
  }

  private loopDepth = 0;

  private switchStmt(s: Extract<Stmt, { k: 'switch' }>, st: State): State | null {
    const d = this.eval(s.disc);
    const entry = this.state;
    const saveBreaks = this.frame.breaks;
    this.frame.breaks = [];
    const known = d.c !== undefined;
    // Which case matches a constant discriminant (default when none does).
    let start = -1;
    if (known) {
      for (let i = 0; i < s.cases.length && start < 0; i++) {
        for (const t of s.cases[i]!.tests) {
          const tv = this.eval(t);
          if (tv.c !== undefined && looseEq(tv.c.v, d.c!.v)) start = i;
        }
      }
      if (start < 0) start = s.cases.findIndex((c) => c.tests.length === 0);
    }
    let out: State | null = null;
    if (known) {
      if (start >= 0) {
        let cur: State | null = entry.copy();
        for (let i = start; i < s.cases.length && cur; i++) {
          cur = this.execBlock(s.cases[i]!.body, cur);
          if (!s.fallthrough) break;
        }
        out = cur;
      } else out = entry;
    } else {
      let fall: State | null = null;
      for (const c of s.cases) {
        const inState: State | null = s.fallthrough ? joinStates(entry.copy(), fall) : entry.copy();
        fall = this.execBlock(c.body, inState);
        if (!s.fallthrough) out = joinStates(out, fall);
      }
      if (s.fallthrough) out = joinStates(out, fall);
      if (!s.cases.some((c) => c.tests.length === 0)) out = joinStates(out, entry);
    }
    for (const b of this.frame.breaks) out = joinStates(out, b);
    this.frame.breaks = saveBreaks;
    if (out) this.state = out;
    void st;
    return out;
  }

  private compound(op: string, target: Target, v: Value, node: SyntaxNode): Value {
    const old = this.readTarget(target);
    const bare = op.replace(/=$/, '');
    if (bare === '+' || bare === '.') return this.plus(old, v, node);
    if (bare === '??' || bare === '||') return join(old, v);
    if (bare === '&&') return v;
    return this.binary(bare, old, v, node);
  }

  private readTarget(t: Target): Value {
    switch (t.k) {
      case 'var':
        return this.lookup(t.name, t.node);
      case 'member':
        return this.member(this.eval(t.obj), t.prop, t.node, t.obj);
      case 'index':
        return this.indexRead(this.eval(t.obj), this.eval(t.index), t.node);
      default:
        return CLEAN;
    }
  }

  /** Writes `v` to a target; `valueNode` is the expression it came from (for property sinks). */
  private assign(t: Target, v: Value, valueNode: SyntaxNode): void {
    switch (t.k) {
      case 'var': {
        let val = v;
        if (v.taint) val = withTaint(v, step(v.taint, `\`${t.name}\``, t.node.startPosition.row + 1));
        if (t.declared && /^(int|long|short|byte|double|float|boolean|Integer|Long|Double|Float|Boolean|bool|int64|int32|uint|uint64|float64|number)$/.test(t.declared)) {
          val = { ...numericFrom(val), c: v.c };
        } else if (t.declared && !val.type) val = { ...val, type: t.declared };
        if (t.decl || this.module()) this.frame.locals.add(t.name);
        else if (!this.frame.locals.has(t.name) && !this.state.vars.has(t.name)) this.writeOuter(t.name, val);
        else if (!this.frame.locals.has(t.name)) this.writeOuter(t.name, val);
        this.state.vars.set(t.name, val);
        return;
      }
      case 'member': {
        const obj = this.eval(t.obj);
        if (this.model.assignMember) this.sinks(this.model.assignMember(obj, t.prop, undefined, v, t.node.parent ?? t.node, valueNode, this.h));
        this.writeField(obj, t.prop, v);
        return;
      }
      case 'index': {
        const obj = this.eval(t.obj);
        const key = this.eval(t.index);
        if (this.model.assignMember) this.sinks(this.model.assignMember(obj, undefined, key, v, t.node.parent ?? t.node, valueNode, this.h));
        const k = key.c?.v;
        if (k !== undefined && k !== null && typeof k !== 'boolean') this.writeKey(obj, k, v);
        else this.updateObjs(obj, (o) => ({ ...o, any: join(o.any, v) }));
        return;
      }
      case 'pattern':
        this.destructure(t.pattern, v, t.node);
        return;
      default:
        return;
    }
  }

  private module(): boolean {
    return this.frame.fn.kind === 'module';
  }

  /**
   * An assignment to a name this function does not declare: a field of `this` (Java), a variable of an
   * enclosing function (a closure writes it: weakly joined), or a module-level variable shared by every
   * request handler (writes are remembered flow-insensitively: another request may read them).
   */
  private writeOuter(name: string, v: Value): void {
    const self = this.frame.thisVal;
    const cls = this.frame.cls ? this.ir.classes.get(this.frame.cls) : undefined;
    if (self && cls?.fields.some((f) => f.name === name && !f.isStatic)) {
      this.writeField(self, name, v);
      return;
    }
    for (const scope of this.frame.closure) {
      if (scope.has(name)) {
        scope.set(name, join(scope.get(name), v));
        if (scope === this.globals || this.frame.closure[this.frame.closure.length - 1] === scope) this.shared.set(name, join(this.shared.get(name), v));
        return;
      }
    }
    if (this.globals.has(name)) this.shared.set(name, join(this.shared.get(name), v));
  }

  private readonly shared = new Map<string, Value>();

  private writeField(obj: Value, prop: string, v: Value): void {
    if (obj.refs) this.updateObjs(obj, (o) => ({ ...o, fields: new Map(o.fields).set(prop, v) }));
  }

  private writeKey(obj: Value, k: string | number, v: Value): void {
    this.updateObjs(obj, (o) => {
      if (typeof k === 'number' && o.elems && Number.isInteger(k) && k >= 0 && k <= o.elems.length && k < 1000) {
        const elems = [...o.elems];
        elems[k] = v;
        return { ...o, elems };
      }
      if (typeof k === 'number' && o.kind === 'array') return { ...o, elems: undefined, any: join(join(o.any, v), o.elems ? this.joinAll(o.elems) : undefined) };
      return { ...o, fields: new Map(o.fields).set(String(k), v) };
    });
  }

  private joinAll(vs: Value[]): Value {
    let out: Value | undefined;
    for (const v of vs) out = join(out, v);
    return out ?? CLEAN;
  }

  private destructure(p: Pattern, v: Value, node: SyntaxNode): void {
    switch (p.k) {
      case 'bind': {
        let val = v;
        if (p.default && (v.c?.v === undefined || (!v.taint && !v.refs && v.c === undefined))) val = v.c?.v === undefined && v.c ? this.eval(p.default) : join(v, this.eval(p.default));
        this.assign(p.target, val, node);
        return;
      }
      case 'obj':
        for (const { key, pat } of p.props) this.destructure(pat, this.member(v, key, node), node);
        if (p.rest) this.state.vars.set(p.rest, v);
        return;
      case 'arr':
        p.elems.forEach((e, i) => {
          if (e) this.destructure(e, this.indexRead(v, constant(i), node), node);
        });
        if (p.rest) this.state.vars.set(p.rest, v);
        return;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Branch refinement

  /** Truthiness of a value when known. */
  private truth(v: Value): boolean | undefined {
    if (!v.c) return undefined;
    const x = v.c.v;
    if (x === undefined || x === null) return false;
    return Boolean(x);
  }

  /** Narrows variables on the `branch` side of `test`: allow-lists, equality with constants, validation. */
  private refine(test: Expr, branch: boolean): void {
    if (test.k === 'unary' && (test.op === '!' || test.op === 'not')) return this.refine(test.x, !branch);
    if (test.k === 'logic') {
      this.refineQuotedLiteral(test, branch);
      if (test.op === '&&' && branch) {
        this.refine(test.l, true);
        this.refine(test.r, true);
      } else if (test.op === '||' && !branch) {
        this.refine(test.l, false);
        this.refine(test.r, false);
      } else if ((test.op === '||' && branch) || (test.op === '&&' && !branch)) {
        // One of the sides holds: a variable is narrowed only if every side narrows it.
        const base = this.state;
        let out: State | null = null;
        for (const side of [test.l, test.r]) {
          this.state = base.copy();
          this.refine(side, branch);
          out = joinStates(out, this.state);
        }
        this.state = out ?? base;
      }
      return;
    }
    if (test.k === 'bin') {
      const op = test.op;
      const eq = op === '===' || op === '==' || op === 'is';
      const ne = op === '!==' || op === '!=' || op === 'is not';
      if ((eq && branch) || (ne && !branch)) {
        const lv = this.quietEval(test.l);
        const rv = this.quietEval(test.r);
        if (test.l.k === 'var' && rv.c !== undefined && !rv.taint) this.setVar(test.l.name, rv);
        else if (test.r.k === 'var' && lv.c !== undefined && !lv.taint) this.setVar(test.r.name, lv);
      }
      // `'..' in x` false: the value cannot climb out of the directory it is appended to.
      if (((op === 'in' && !branch) || (op === 'not in' && branch)) && test.r.k === 'var') {
        const needle = this.quietEval(test.l).c?.v;
        if (typeof needle === 'string' && /^\.\.[/\\]?$/.test(needle)) this.sanitiseVar(test.r.name, kindBit('path'));
        if (typeof needle === 'string' && /^['"]$/.test(needle)) this.markNoQuote(test.r.name, needle);
      }
      // `x in ALLOWED` (Python) / `x not in ALLOWED`.
      if ((op === 'in' && branch) || (op === 'not in' && !branch)) {
        if (test.l.k === 'var' && this.isAllowList(this.quietEval(test.r), test.r)) this.sanitiseVar(test.l.name, ALL_SAFE);
        else if (this.isAllowList(this.quietEval(test.r), test.r)) this.refineHost(test.l);
      }
      if ((eq && branch) || (ne && !branch)) {
        const other = test.l.k === 'lit' ? test.r : test.r.k === 'lit' ? test.l : undefined;
        if (other) this.refineHost(other);
      }
      // `ALLOWED.indexOf(x) !== -1`, `>= 0`
      if (test.l.k === 'call' && test.l.method === 'indexOf') {
        const rv = this.quietEval(test.r);
        const found = ((op === '!==' || op === '!=') && rv.c?.v === -1) || ((op === '>=' || op === '>') && typeof rv.c?.v === 'number' && (rv.c.v as number) >= (op === '>' ? -1 : 0));
        if (found === branch) this.refineMembership(test.l);
      }
      return;
    }
    if (test.k === 'call') {
      // `x.includes('..')` / `x.contains("..")` false: no parent-directory step.
      if (!branch && /^(includes|contains|__contains__|Contains)$/.test(test.method)) {
        const subject = test.method === 'Contains' ? test.args[0]?.e : test.callee.k === 'member' ? test.callee.obj : undefined;
        const needle = this.quietEval(test.method === 'Contains' ? test.args[1]?.e : test.args[0]?.e).c?.v;
        if (subject?.k === 'var' && typeof needle === 'string' && /^\.\.[/\\]?$/.test(needle)) this.sanitiseVar(subject.name, kindBit('path'));
        if (subject?.k === 'var' && typeof needle === 'string' && /^['"]$/.test(needle)) this.markNoQuote(subject.name, needle);
      }
      if (branch) this.refineMembership(test);
      if (branch) this.refineValidation(test);
      if (branch) this.refinePrefix(test);
    }
  }

  /**
   * `p.startsWith(root)` / `str(p).startswith(base)` / `strings.HasPrefix(p, base)` on a normalised path
   * (resolved, canonical, cleaned): in the true branch `p` stays under the root, so it is safe for
   * path sinks. Without normalisation `root/../x` passes the check, so nothing is narrowed.
   */
  private refinePrefix(c: Call): void {
    let subject: Expr | undefined;
    if (/^(startsWith|startswith)$/.test(c.method) && c.callee.k === 'member') subject = c.callee.obj;
    else if (c.method === 'HasPrefix' && c.args.length === 2) subject = c.args[0]!.e;
    if (!subject) return;
    let normalisedHere = false;
    // Unwrap conversions and normalisations around the variable.
    for (let i = 0; i < 3 && subject.k === 'call'; i++) {
      const inner: Call = subject;
      if (/^(getCanonicalPath|toRealPath|normalize|realpath|abspath|normpath|Clean|Abs|resolve|getCanonicalFile)$/.test(inner.method)) normalisedHere = true;
      else if (!/^(str|String|toString|getPath|getAbsolutePath|toAbsolutePath|toFile|toPath|fspath)$/.test(inner.method)) return;
      subject = inner.callee.k === 'member' && inner.args.length === 0 ? inner.callee.obj : inner.args[0]?.e;
      if (!subject) return;
    }
    if (subject.k !== 'var') return;
    const v = this.state.vars.get(subject.name);
    if (!v?.taint || !(v.taint.norm || normalisedHere)) return;
    this.sanitiseVar(subject.name, kindBit('path'));
  }

  /** `ALLOWED.includes(x)`, `SET.has(x)`, `list.contains(x)`, `slices.Contains(L, x)`, `ALLOWED.indexOf(x)`. */
  private refineMembership(c: Call): void {
    if (!/^(includes|has|contains|containsKey|indexOf|Contains|__contains__)$/.test(c.method)) return;
    const arg = c.args[c.method === 'Contains' && c.args.length === 2 ? 1 : 0]?.e;
    const coll = c.method === 'Contains' && c.args.length === 2 ? c.args[0]!.e : c.callee.k === 'member' ? c.callee.obj : undefined;
    if (!arg || !coll) return;
    if (!this.isAllowList(this.quietEval(coll), coll)) return;
    if (arg.k === 'var') this.sanitiseVar(arg.name, ALL_SAFE);
    else this.refineHost(arg);
  }

  /**
   * The host of a parsed URL was checked (`url.netloc in ALLOWED`, `u.hostname === 'example.com'`,
   * `url.getHost().equals(...)`): the URL and the variable it was parsed from are safe to redirect to
   * and to request.
   */
  private refineHost(e: Expr): void {
    let obj: Expr | undefined;
    if (e.k === 'member' && /^(netloc|hostname|host|origin)$/.test(e.prop)) obj = e.obj;
    else if (e.k === 'call' && /^(getHost|Hostname|host)$/.test(e.method) && e.callee.k === 'member') obj = e.callee.obj;
    if (obj?.k !== 'var') return;
    const v = this.state.vars.get(obj.name);
    const mask = kindBit('redirect') | kindBit('ssrf');
    this.sanitiseVar(obj.name, mask);
    if (v?.parsedFrom) this.sanitiseVar(v.parsedFrom, mask);
  }

  /** A collection of constants (a literal, or a module-level / static constant collection). */
  private isAllowList(v: Value, e: Expr): boolean {
    if (v.taint) return false;
    const objs = this.objects(v);
    if (objs.length) {
      return objs.every((o) => !this.deepTaint({ refs: v.refs }, 2) && (o.elems?.every((x) => x.c !== undefined) ?? true) && [...o.fields.values()].every((x) => !x.taint));
    }
    // A constant collection defined elsewhere (SCREAMING_CASE name, or a literal string: `x in "abc"`).
    const text = e.node.text;
    return /^([\w$]+\.)*[A-Z][A-Z0-9_]*$/.test(text) || (v.c !== undefined && typeof v.c.v === 'string');
  }

  /** `re.test(x)` / `re.fullmatch(p, x)` / `x.matches(p)` / `MatchString(x)` with a restrictive, anchored pattern. */
  private refineValidation(c: Call): void {
    const name = c.method;
    let pattern: string | undefined;
    let subject: Expr | undefined;
    if (name === 'test' && c.callee.k === 'member') {
      const re = c.callee.obj;
      if (re.k === 'lit' && typeof re.v === 'string' && re.node.type === 'regex') pattern = re.v;
      subject = c.args[0]?.e;
    } else if (/^(fullmatch|match)$/.test(name) && /(^|\.)re\.(fullmatch|match)$/.test(c.name)) {
      pattern = constString(this.quietEval(c.args[0]?.e));
      subject = c.args[1]?.e;
      if (name === 'match' && pattern && !pattern.endsWith('$')) pattern = undefined;
    } else if (name === 'matches' && c.callee.k === 'member') {
      pattern = constString(this.quietEval(c.args[0]?.e));
      subject = c.callee.obj;
      if (pattern) pattern = `^(?:${pattern})$`;
    } else if (name === 'MatchString' && c.args.length === 2) {
      pattern = constString(this.quietEval(c.args[0]?.e));
      subject = c.args[1]?.e;
    } else if (/^(isdigit|isnumeric|isdecimal|isalnum|isalpha|isidentifier)$/.test(name) && c.callee.k === 'member') {
      if (c.callee.obj.k === 'var') this.sanitiseVar(c.callee.obj.name, ALL_SAFE);
      return;
    } else if (/^(isNumeric|isDigits|isAlphanumeric|isAlpha|isUUID|isInt|isNumber|isEmail|isMongoId|isUuid|isLetter|isDigit|isLetterOrDigit|isAlphabetic|isJavaIdentifierPart|IsLetter|IsDigit|IsNumber)$/.test(name)) {
      subject = c.args[0]?.e;
      if (subject?.k === 'var') this.sanitiseVar(subject.name, ALL_SAFE);
      return;
    }
    if (pattern === undefined || !subject || subject.k !== 'var') return;
    if (isRestrictivePattern(pattern)) this.sanitiseVar(subject.name, ALL_SAFE);
  }

  /** The conditions that all hold on the `branch` side of `test` (the conjuncts of `a && b`, the negated disjuncts of `a || b`). */
  private conjuncts(test: Expr, branch: boolean, out: Array<{ e: Expr; holds: boolean }>): void {
    if (test.k === 'unary' && (test.op === '!' || test.op === 'not')) return this.conjuncts(test.x, !branch, out);
    if (test.k === 'logic' && ((test.op === '&&' && branch) || (test.op === '||' && !branch))) {
      this.conjuncts(test.l, branch, out);
      this.conjuncts(test.r, branch, out);
      return;
    }
    out.push({ e: test, holds: branch });
  }

  /**
   * A value checked to be one quoted string literal: it starts and ends with the same quote and has
   * no such quote in between (`s.startswith("'") and s.endswith("'") and "'" not in s[1:-1]`,
   * `s.startsWith("'") && s.endsWith("'") && s.indexOf("'", 1) === s.length - 1`). Evaluated as code it
   * can only yield that string, so it is safe for `code` sinks (`eval`, `ScriptEngine.eval`).
   */
  private refineQuotedLiteral(test: Expr, branch: boolean): void {
    const facts: Array<{ e: Expr; holds: boolean }> = [];
    this.conjuncts(test, branch, facts);
    if (facts.length < 3) return;
    const starts = new Set<string>();
    const ends = new Set<string>();
    const inner = new Set<string>();
    const quoteArg = (c: Call) => {
      const q = this.quietEval(c.args[0]?.e).c?.v;
      return typeof q === 'string' && /^['"`]$/.test(q) ? q : undefined;
    };
    for (const { e, holds } of facts) {
      if (e.k === 'call' && holds && e.callee.k === 'member' && e.callee.obj.k === 'var' && /^(startswith|startsWith|endswith|endsWith)$/.test(e.method)) {
        const q = quoteArg(e);
        if (q) (/^start/.test(e.method) ? starts : ends).add(`${e.callee.obj.name}\u0000${q}`);
      }
      // `q not in s[1:-1]` / `!s.slice(1, -1).includes(q)` / `!s.substring(1, s.length - 1).contains(q)`
      let subject: Expr | undefined;
      let needle: Expr | undefined;
      if (e.k === 'bin' && ((e.op === 'in' && !holds) || (e.op === 'not in' && holds))) {
        subject = e.r;
        needle = e.l;
      } else if (e.k === 'call' && !holds && /^(includes|contains|__contains__)$/.test(e.method) && e.callee.k === 'member') {
        subject = e.callee.obj;
        needle = e.args[0]?.e;
      }
      const q = this.quietEval(needle).c?.v;
      if (subject?.k === 'call' && /^(__getslice__|slice|substring)$/.test(subject.method) && subject.callee.k === 'member' && subject.callee.obj.k === 'var' && typeof q === 'string' && /^['"`]$/.test(q)) {
        const from = this.quietEval(subject.args[0]?.e).c?.v;
        const to = subject.args[1]?.e;
        const toV = this.quietEval(to).c?.v;
        // The end is `-1` or `len(s) - 1` / `s.length - 1`: everything but the last character.
        const butLast = toV === -1 || (to?.k === 'bin' && to.op === '-' && this.quietEval(to.r).c?.v === 1 && /\b(len|length)\b/.test(to.l.node.text));
        if (from === 1 && butLast) inner.add(`${subject.callee.obj.name}\u0000${q}`);
      }
    }
    for (const key of inner) {
      if (starts.has(key) && ends.has(key)) this.sanitiseVar(key.split('\u0000')[0]!, kindBit('code'));
    }
  }

  private markNoQuote(name: string, quote: string): void {
    const v = this.state.vars.get(name);
    if (!v?.taint) return;
    this.state.vars.set(name, withTaint(v, { ...v.taint, noQuote: (v.taint.noQuote ?? '') + quote }));
  }

  private setVar(name: string, v: Value): void {
    if (this.state.vars.has(name)) this.state.vars.set(name, v);
  }

  private sanitiseVar(name: string, mask: number): void {
    const v = this.state.vars.get(name);
    if (!v?.taint) return;
    this.state.vars.set(name, withTaint(v, sanitise(v.taint, mask)));
  }

  /** Evaluates an expression used only for a refinement decision (no sink reports twice: flows are keyed). */
  private quietEval(e: Expr | undefined): Value {
    return e ? this.eval(e) : CLEAN;
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  private lookup(name: string, node: SyntaxNode): Value {
    const v = this.state.vars.get(name);
    const shared = this.frame.locals.has(name) ? undefined : this.shared.get(name);
    if (v !== undefined) return shared ? join(v, shared) : v;
    if (shared) return join(shared, this.lookupOuter(name, node));
    return this.lookupOuter(name, node);
  }

  private lookupOuter(name: string, node: SyntaxNode): Value {
    for (const scope of this.frame.closure) {
      const c = scope.get(name);
      if (c !== undefined) return c;
    }
    const g = this.globals.get(name);
    if (g !== undefined) return g;
    const fnId = this.ir.globals.get(name);
    if (fnId !== undefined) return { fn: fnId };
    if (this.ir.classes.has(name)) return { cls: name, tag: 'class' };
    if (this.frame.cls) {
      const statics = this.staticFields.get(this.frame.cls);
      const s = statics?.get(name);
      if (s) return s;
      // A field of the current class read without `this.`.
      const self = this.frame.thisVal;
      if (self) {
        for (const o of this.objects(self)) {
          const f = o.fields.get(name);
          if (f) return f;
        }
      }
    }
    return this.model.global(name, node, this.h) ?? CLEAN;
  }

  eval(e: Expr): Value {
    this.work++;
    switch (e.k) {
      case 'lit':
        return constant(e.v);
      case 'var':
        return this.lookup(e.name, e.node);
      case 'this':
        return this.frame.thisVal ?? CLEAN;
      case 'concat':
        return this.concat(e.parts.map((p) => this.eval(p)), e.node, e.how);
      case 'member':
        return this.storedSecret(this.member(this.eval(e.obj), e.prop, e.node, e.obj), e.prop);
      case 'index': {
        const key = this.eval(e.index);
        return this.storedSecret(this.indexRead(this.eval(e.obj), key, e.node), key.c?.v);
      }
      case 'call':
        return this.call(e);
      case 'bin': {
        const l = this.eval(e.l);
        const r = this.eval(e.r);
        if (COMPARISON.has(e.op)) this.comparison(e, l, r);
        return this.binary(e.op, l, r, e.node);
      }
      case 'logic': {
        const l = this.eval(e.l);
        const lt = this.truth(l);
        if (e.op === '&&') {
          if (lt === false) return l;
          const r = this.eval(e.r);
          return lt === true ? r : join(l, r);
        }
        if (e.op === '||') {
          if (lt === true) return l;
          const r = this.eval(e.r);
          return lt === false ? r : join(l, r);
        }
        if (l.c && (l.c.v === null || l.c.v === undefined)) return this.eval(e.r);
        if (l.c) return l;
        return join(l, this.eval(e.r));
      }
      case 'unary': {
        const x = this.eval(e.x);
        if (e.op === '!' || e.op === 'not') {
          const t = this.truth(x);
          return t === undefined ? { numeric: true } : constant(!t);
        }
        if (e.op === '-' && typeof x.c?.v === 'number') return constant(-x.c.v);
        if (e.op === 'typeof' || e.op === 'void' || e.op === 'delete') return e.op === 'void' ? constant(undefined) : CLEAN;
        if (/^(-|\+|~|\+\+|--)$/.test(e.op)) return numericFrom(x);
        return x;
      }
      case 'cond': {
        const c = this.truth(this.eval(e.test));
        if (c === true) return this.eval(e.then);
        if (c === false) return this.eval(e.else);
        return join(this.eval(e.then), this.eval(e.else));
      }
      case 'array': {
        const elems: Value[] = [];
        let any: Value | undefined;
        let precise = true;
        for (const el of e.elems) {
          const v = this.eval(el.e);
          if (el.spread) {
            precise = false;
            any = join(any, this.elementOf(v));
          } else elems.push(v);
        }
        return this.alloc(e.node, 'array', precise ? { elems } : { any: this.joinAll([...elems, ...(any ? [any] : [])]) });
      }
      case 'object': {
        const fields = new Map<string, Value>();
        let any: Value | undefined;
        for (const p of e.props) {
          const v = this.eval(p.value);
          if (p.key !== null) fields.set(p.key, v);
          else if (p.keyExpr) {
            const k = this.eval(p.keyExpr);
            if (k.c !== undefined && k.c.v !== null && k.c.v !== undefined) fields.set(String(k.c.v), v);
            else any = join(any, v);
          } else {
            // spread: copy what is known
            for (const o of this.objects(v)) {
              for (const [k, fv] of o.fields) fields.set(k, fv);
              if (o.any) any = join(any, o.any);
            }
            if (v.taint) any = join(any, { taint: v.taint });
          }
        }
        return this.alloc(e.node, 'object', { fields, any, node: e.node });
      }
      case 'fn':
        this.closures.set(e.id, [this.state.vars, ...this.frame.closure]);
        return { fn: e.id };
      case 'assign': {
        let v = this.eval(e.value);
        if (e.op && e.op !== '=') v = this.compound(e.op, e.target, v, e.node);
        this.assign(e.target, v, e.value.node);
        return v;
      }
      case 'cast': {
        const x = this.eval(e.x);
        if (/^(int|long|short|byte|double|float|boolean|char|Integer|Long|Double|Float|number|bool|int64|int32|uint|float64)$/.test(e.type)) return { ...numericFrom(x), c: x.c };
        return x.type ? x : { ...x, type: e.type };
      }
      case 'instanceof':
        this.eval(e.x);
        return { numeric: true };
      case 'unknown': {
        let out: Value = CLEAN;
        for (const p of e.parts) {
          const v = this.eval(p);
          if (v.taint) out = join(out, { taint: v.taint });
        }
        return out;
      }
    }
  }

  private concat(parts: Value[], node: SyntaxNode, how: 'template' | 'concat' | 'format'): Value {
    let taint: Taint | undefined;
    let allConst = how !== 'format';
    let text = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      let t = p.taint ?? (p.refs ? this.deepTaint(p, 2) : undefined);
      // A value checked to contain no `'` placed between two `'` stays inside that string literal.
      if (t?.noQuote && how !== 'format') {
        const before = parts[i - 1]?.c?.v;
        const after = parts[i + 1]?.c?.v;
        const q = typeof before === 'string' ? before.slice(-1) : '';
        if (q && t.noQuote.includes(q) && typeof after === 'string' && after.startsWith(q)) t = sanitise(t, QUOTED_SAFE);
      }
      if (t) taint = joinTaint(taint, t);
      if (p.c && allConst) text += p.c.v === null ? 'null' : p.c.v === undefined ? 'undefined' : String(p.c.v);
      else allConst = false;
    }
    if (allConst) return { c: { v: text } };
    const out: Value = { built: { node, how } };
    const param = parts.find((p) => p.param && p.c === undefined && !p.numeric)?.param;
    if (param) out.param = param;
    if (how !== 'format') {
      let prefix = '';
      for (const p of parts) {
        if (p.c !== undefined) prefix += p.c.v === null || p.c.v === undefined ? '' : String(p.c.v);
        else {
          prefix += p.prefix ?? '';
          break;
        }
      }
      out.prefix = prefix;
    }
    // Parts that are numbers or escaped do not make the string suspicious; the result is escaped for
    // what every such part is escaped for.
    let escaped = ALL_SAFE;
    let dynamic = false;
    for (const p of parts) {
      if (p.c !== undefined) continue;
      if (p.numeric) continue;
      if (p.escaped) escaped &= p.escaped;
      else dynamic = true;
    }
    if (!dynamic) {
      delete out.built;
      if (escaped !== ALL_SAFE) out.escaped = escaped;
    }
    if (taint) out.taint = asString(taint);
    return out;
  }

  private plus(l: Value, r: Value, node: SyntaxNode): Value {
    if (l.numeric && r.numeric) {
      if (typeof l.c?.v === 'number' && typeof r.c?.v === 'number') return constant(l.c.v + r.c.v);
      return numericFrom(l, r);
    }
    return this.concat([l, r], node, 'concat');
  }

  private binary(op: string, l: Value, r: Value, node: SyntaxNode): Value {
    if (op === '+') return this.plus(l, r, node);
    // Python `x % y` with a non-literal left side: formatting unless both sides are numbers.
    if (op === '%s') return l.numeric && r.numeric ? { numeric: true } : this.concat([l, r], node, 'format');
    // Python `a / b` joins paths when either side is not a number.
    if (op === '/p') return l.numeric && r.numeric ? this.binary('/', l, r, node) : join({ taint: l.taint ?? r.taint }, {});
    const a = l.c?.v;
    const b = r.c?.v;
    const both = l.c !== undefined && r.c !== undefined;
    switch (op) {
      case '===':
      case '==':
      case 'is':
        return both ? constant(op === '===' || op === 'is' ? a === b : looseEq(a, b)) : { numeric: true };
      case '!==':
      case '!=':
      case 'is not':
        return both ? constant(op === '!==' || op === 'is not' ? a !== b : !looseEq(a, b)) : { numeric: true };
      case '<':
      case '>':
      case '<=':
      case '>=':
        if (both && typeof a === 'number' && typeof b === 'number') return constant(op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b);
        return { numeric: true };
      case 'in':
      case 'not in':
        // Substring tests of two known strings fold (`'should' not in "This should never happen"`).
        if (both && typeof a === 'string' && typeof b === 'string') return constant(op === 'in' ? b.includes(a) : !b.includes(a));
        return { numeric: true };
      case '%':
        // Python `"..." % x` is lowered to a concat; here it is arithmetic.
        if (both && typeof a === 'number' && typeof b === 'number' && b !== 0) return constant(((a % b) + b) % b === a % b ? a % b : a % b);
        return numericFrom(l, r);
      case '-':
      case '*':
      case '/':
      case '//':
      case '**':
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>':
      case '>>>': {
        if (both && typeof a === 'number' && typeof b === 'number') {
          const v = op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '//' ? Math.floor(a / b) : op === '**' ? a ** b : op === '&' ? a & b : op === '|' ? a | b : op === '^' ? a ^ b : op === '<<' ? a << b : op === '>>' ? a >> b : a >>> b;
          if (Number.isFinite(v)) return constant(v);
        }
        if (op === '*' && (typeof a === 'string' || typeof b === 'string')) return join(l, r); // Python 'x' * n
        return numericFrom(l, r);
      }
      default:
        return join(l, r);
    }
  }

  private member(obj: Value, prop: string, node: SyntaxNode, objExpr?: Expr): Value {
    const m = this.model.member(obj, prop, node, this.h);
    if (m) return m;
    if (prop === 'length' && !obj.refs) return obj.c && typeof obj.c.v === 'string' ? constant(obj.c.v.length) : { numeric: true };
    if (obj.tag === 'class' && obj.cls) {
      const s = this.staticFields.get(obj.cls)?.get(prop);
      if (s) return s;
      const cls = this.ir.classes.get(obj.cls);
      const mid = cls?.methods.get(prop);
      if (mid !== undefined) return { fn: mid };
    }
    if (obj.refs) {
      let out: Value | undefined;
      let found = false;
      for (const o of this.objects(obj)) {
        const f = o.fields.get(prop);
        if (f) {
          out = join(out, f);
          found = true;
        } else if (o.any) {
          out = join(out, o.any);
          found = true;
        }
        if (!f && o.cls) {
          const mid = this.methodOf(o.cls, prop);
          if (mid !== undefined) {
            out = join(out, { fn: mid });
            found = true;
          }
        }
      }
      if (prop === 'length' || prop === 'size') return { numeric: true };
      if (found) return obj.taint ? join(out, { taint: obj.taint }) : out!;
    }
    if (obj.taint) {
      const t = obj.taint;
      // A field of a source read extends its label: `req.query` → `req.query.id`.
      if (t.path.length === 0 && objExpr && t.source.node.id === objExpr.node.id) {
        return { taint: { ...t, source: { ...t.source, label: `${t.source.label}.${prop}`, node } } };
      }
      return { taint: t };
    }
    if (obj.cls && !obj.refs) {
      const mid = this.methodOf(obj.cls, prop);
      if (mid !== undefined) return { fn: mid };
    }
    // A field of a parameter is decided by the caller too.
    if (obj.param && !obj.refs && !obj.tag) return { param: obj.param };
    return CLEAN;
  }

  /** A value read from a credential-named field (`user.password`) of something that is not request input: marked with {@link Value.secretField}. */
  private storedSecret(v: Value, key: Constant | undefined): Value {
    if (typeof key !== 'string' || !SECRET_FIELD.test(key) || v.taint || v.refs || v.fn !== undefined || v.tag || v.numeric) return v;
    return { ...v, secretField: key };
  }

  /**
   * Records an equality or membership test with a tainted or parameter-derived operand as a `compare`
   * flow (the node is the comparison; `arg` the operand that carries the value). Its info says the
   * operator, which side it is (`l`/`r`), the other side's text, string constant and
   * {@link Value.secretField}, so rules can tell `cookie == "admin"` from `password == user.password`.
   */
  private comparison(e: Extract<Expr, { k: 'bin' }>, l: Value, r: Value): void {
    // The operand that carries input: a tainted one first, then one from a parameter; on a tie, not a stored secret.
    const pick = (v: Value) => (v.taint ? 4 : v.param ? 2 : 0) + (v.secretField ? 0 : 1);
    const side = pick(l) >= pick(r) ? 'l' : 'r';
    const v = side === 'l' ? l : r;
    if (!v.taint && !v.param) return;
    const other = side === 'l' ? r : l;
    const otherExpr = side === 'l' ? e.r : e.l;
    const info: Record<string, string | number | boolean> = { op: e.op, side, other: otherExpr.node.text.replace(/\s+/g, ' ').slice(0, 80) };
    if (typeof other.c?.v === 'string') info.otherConst = other.c.v;
    // `x in ('a', 'b')`: the constants of a literal list / tuple / set.
    else if (otherExpr.k === 'array') {
      const cs = otherExpr.elems.map((el) => this.quietEval(el.e).c?.v);
      if (cs.length && cs.every((c) => typeof c === 'string')) info.otherConst = cs.join('|');
    }
    if (other.secretField) info.otherSecret = other.secretField;
    if (other.taint || other.param) info.otherTainted = true;
    this.sinks([{ kind: 'compare', api: e.op, value: v, arg: (side === 'l' ? e.l : e.r).node, node: e.node, info }]);
  }

  private methodOf(cls: string, name: string): number | undefined {
    for (let c: string | undefined = cls, i = 0; c && i < 5; i++) {
      const k = this.ir.classes.get(c);
      if (!k) return undefined;
      const m = k.methods.get(name);
      if (m !== undefined) return m;
      c = k.supers.find((s) => this.ir.classes.has(s));
    }
    return undefined;
  }

  private indexRead(obj: Value, key: Value, node: SyntaxNode): Value {
    const k = key.c?.v;
    if (obj.refs) {
      let out: Value | undefined;
      for (const o of this.objects(obj)) {
        if (k !== undefined && k !== null && typeof k !== 'boolean') {
          if (typeof k === 'number' && o.elems) {
            const idx = k < 0 ? o.elems.length + k : k;
            out = join(out, o.elems[idx] ?? o.any ?? (o.kind === 'array' ? CLEAN : undefined));
            continue;
          }
          const f = o.fields.get(String(k));
          if (f) {
            out = join(out, f);
            continue;
          }
          const mid = o.cls && typeof k === 'string' ? this.methodOf(o.cls, k) : undefined;
          if (mid !== undefined) {
            out = join(out, { fn: mid });
            continue;
          }
          out = join(out, o.any ?? CLEAN);
          continue;
        }
        out = join(out, this.contents({ refs: [...(obj.refs ?? [])] }));
      }
      if (obj.taint) out = join(out, { taint: obj.taint });
      return out ?? CLEAN;
    }
    if (obj.taint) {
      const t = obj.taint;
      if (t.path.length === 0 && k !== undefined && typeof k === 'string') {
        return { taint: { ...t, source: { ...t.source, label: `${t.source.label}[${JSON.stringify(k)}]`, node } } };
      }
      return { taint: t };
    }
    if (typeof obj.c?.v === 'string' && typeof k === 'number') return constant(obj.c.v.charAt(k));
    return CLEAN;
  }

  /** The value of one element when iterating `v` (a list's elements, a tainted value's parts). */
  private elementOf(v: Value): Value {
    const c = this.contents(v);
    if (v.taint && !c.taint) return join(c, { taint: v.taint });
    if (v.c && typeof v.c.v === 'string') return CLEAN; // characters of a constant
    return c;
  }

  private keyOf(v: Value): Value {
    // Keys of a request map (`for k in request.GET`) are attacker-chosen; keys of literals are constants.
    if (v.taint) return { taint: v.taint };
    for (const o of this.objects(v)) if (o.any?.taint) return { taint: o.any.taint };
    return CLEAN;
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(c: Call): Value {
    let recv: Value | undefined;
    let calleeVal: Value | undefined;
    let recvText = '';
    if (c.callee.k === 'member') {
      recv = this.eval(c.callee.obj);
      recvText = c.callee.obj.node.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');
      if (recv.tag === 'class' || recv.refs || recv.cls) calleeVal = this.member(recv, c.callee.prop, c.callee.node, c.callee.obj);
    } else if (c.callee.k === 'var' || c.callee.k === 'fn') {
      calleeVal = this.eval(c.callee);
    } else {
      recv = this.eval(c.callee);
    }
    const args = c.args.map((a) => this.eval(a.e));
    const kwargs = new Map<string, Value>();
    for (const [k, e] of c.kwargs) kwargs.set(k, this.eval(e));
    const ci: CallInfo = { call: c, recv, recvText, args, kwargs };

    // A Go struct literal of a type of this file: its methods resolve on the value.
    if (c.name === '<struct>') {
      const cls = args[1]?.c?.v;
      return typeof cls === 'string' ? { ...(args[0] ?? CLEAN), cls } : args[0] ?? CLEAN;
    }

    // Constant folding of string methods on constants (`"ABC".charAt(2)`, `"a,b".split(",")`).
    if (recv?.c && typeof recv.c.v === 'string') {
      const folded = foldStringMethod(recv.c.v, c.method, args);
      if (folded !== undefined) return folded;
    }

    // A function of this file: run it with these arguments (judged by what the name resolves to).
    const target = this.resolve(c, calleeVal, recv);
    if (target !== undefined) {
      const fn = this.ir.functions[target]!;
      let thisVal = c.callee.k === 'member' ? recv : this.frame.thisVal;
      if (c.isNew || (fn.kind === 'function' && this.ir.classes.has(c.method) && fn.className === c.method)) thisVal = this.instance(c.node, fn.className);
      const r = this.invokeFn(fn, args, c.node, thisVal, kwargs);
      return c.isNew ? thisVal ?? r : r;
    }
    if (c.isNew || (calleeVal?.tag === 'class' && calleeVal.cls)) {
      const clsName = calleeVal?.cls ?? c.method;
      if (this.ir.classes.has(clsName)) {
        if (this.model.construct) this.sinks(this.model.construct(ci, this.ir.classes.get(clsName)!, this.h));
        return this.construct(clsName, args, c.node, kwargs);
      }
    }
    if (c.name === 'Reflect.construct' && args[0]?.cls && this.ir.classes.has(args[0].cls)) return this.construct(args[0].cls, [], c.node);

    // A function of another module of the project: remember the call when it passes client input.
    const imported = isJs(this.file.language) ? this.importedCallee(c, recv) : this.file.language === 'python' ? this.importedPythonCallee(c, recv) : undefined;
    // Python has no `new`: a call of an imported class (a capitalised name, PEP 8) creates an instance.
    const pyClass = this.file.language === 'python' && imported && c.callee.k === 'var' && /^[A-Z]/.test(imported.name) && !/^[A-Z0-9_]+$/.test(imported.name);
    // Classes the model knows (`HttpResponse`, `Template`, a model taking a password) keep their meaning.
    if (imported && pyClass && !this.model.call(ci, this.h)) {
      // The instance carries its arguments' taint, as an unknown call's value does.
      let t: Taint | undefined;
      for (const a of [...args, ...kwargs.values()]) t = t ?? a.taint ?? (a.refs ? this.deepTaint(a, 2) : undefined);
      this.runUnhandledCallbacks(ci, undefined);
      return t ? { taint: t, tag: `import:${imported.module}.${imported.name}` } : { tag: `import:${imported.module}.${imported.name}` };
    }
    if (imported && c.isNew) {
      // An instance of a class of that module: its methods are the module's functions.
      const res = this.model.call(ci, this.h);
      if (res?.sinks) this.sinks(res.sinks);
      return { ...(res?.value ?? CLEAN), tag: `import:${imported.module}` };
    }
    if (imported) {
      const taints = args.map((a) => a.taint ?? (a.refs ? this.deepTaint(a, 2) : undefined));
      const params = args.map((a, i) => (taints[i] ? undefined : a.param));
      const instance = c.callee.k === 'member' && !!recv?.tag?.startsWith('import:') && this.file.language === 'python';
      if (taints.some((t) => t && (t.source.kind ?? 'request') === 'request') || params.some(Boolean)) this.callOuts.push({ ...imported, node: c.node, args: taints, params, instance });
    }

    const res = this.model.call(ci, this.h);
    if (res?.sinks) this.sinks(res.sinks);
    if (res?.callbacks) for (const cb of res.callbacks) this.invoke(cb.fn, cb.args, c.node);
    if (res?.value) {
      if (!res.callbacks) this.runUnhandledCallbacks(ci, undefined);
      return res.value;
    }
    if (!res?.callbacks) this.runUnhandledCallbacks(ci, res);

    // An opaque builder (`sb.append(x)`, `buf.write(x)`) takes the taint of what is written into it.
    if (recv && !recv.refs && c.callee.k === 'member' && /^(append|add|push|put|insert|write|writeln|print|println|update|concat|extend|addAll|putAll|set|setValue|setData|appendChild)$/.test(c.method)) {
      let t: Taint | undefined;
      for (const a of args) t = joinTaint(t, a.taint ?? (a.refs ? this.deepTaint(a, 2) : undefined));
      const obj = c.callee.obj;
      if (t && !recv.tag && (obj.k === 'var' || obj.k === 'this')) {
        if (obj.k === 'var') this.state.vars.set(obj.name, join(recv, { taint: t }));
      }
    }

    // A method call on a source read names the source more precisely: `request.args` → `request.args.get("id")`.
    if (recv?.taint && recv.taint.path.length === 0 && c.callee.k === 'member' && recv.taint.source.node.id === c.callee.obj.node.id && !PREDICATE_METHODS.test(c.method)) {
      const label = c.node.text.replace(/\s*\.\s*/g, '.').replace(/\s+/g, ' ');
      if (label.length <= 80) return { taint: { ...recv.taint, source: { ...recv.taint.source, label, node: c.node } } };
    }

    // Default: the result carries the receiver's and the arguments' taint, except for predicates
    // (booleans, sizes) and lookups (a key's value comes from the container, not the key).
    if (PREDICATE_METHODS.test(c.method)) return { numeric: true };
    let t: Taint | undefined;
    if (recv?.taint) t = recv.taint;
    else if (recv?.refs && /^(toString|join|get|pop|shift|poll|peek|next|nextElement|getValue|getKey|valueOf|stream|iterator|toArray|values|keys|entries|items|copy|clone|slice|substring|trim|strip|concat|build)$/.test(c.method)) t = this.deepTaint(recv, 2);
    if (!LOOKUP_METHODS.test(c.method) || c.callee.k !== 'member') {
      for (const a of args) {
        const at = a.taint ?? (a.refs ? this.deepTaint(a, 2) : undefined);
        if (at) t = joinTaint(t, at);
      }
      for (const a of kwargs.values()) if (a.taint) t = joinTaint(t, a.taint);
    }
    return t ? { taint: t } : CLEAN;
  }

  /** Lambdas passed to calls nobody models (route registrations, event handlers) still run, as entry points. */
  private runUnhandledCallbacks(ci: CallInfo, _res: unknown): void {
    for (const a of ci.args) {
      if (a.fn === undefined || this.analysed.has(a.fn)) continue;
      const fn = this.ir.functions[a.fn]!;
      if (fn.kind !== 'lambda' && fn.kind !== 'function') continue;
      const saveState = this.state;
      const saveFrame = this.frame;
      this.analysed.add(fn.id);
      this.ir.ensure(fn.id);
      this.state = new State(new Map(), this.state.heap);
      this.frame = { ...this.newFrame(fn, saveFrame.depth, true), thisVal: saveFrame.thisVal, cls: saveFrame.cls };
      fn.params.forEach((p, i) => this.bindParam(p, this.model.param(fn, p, i, this.h) ?? CLEAN));
      this.stack.push(fn.id);
      this.execBlock(fn.body, this.state);
      this.stack.pop();
      const heap = this.state.heap;
      this.state = saveState;
      this.state.heap = heap;
      this.frame = saveFrame;
    }
  }

  /**
   * The relative module and exported name a call goes to: `db.find()` with `db` bound to `./db`,
   * `find()` imported from `./db`, a method called on an instance of a class imported from a relative
   * module (`import:<module>` tag, set by `new`), or undefined.
   */
  private importedCallee(c: Call, recv: Value | undefined): { module: string; name: string } | undefined {
    const relative = (m: string | undefined) => (m && /^\.\.?\//.test(m) ? m : undefined);
    if (c.callee.k === 'member') {
      if (recv?.tag?.startsWith('import:')) return { module: recv.tag.slice(7), name: c.callee.prop };
      if (c.callee.obj.k === 'var') {
        const m = relative(this.bindings.get(c.callee.obj.name));
        return m ? splitExport(m, c.callee.prop) : undefined;
      }
      return undefined;
    }
    if (c.callee.k === 'var') {
      const m = relative(this.bindings.get(c.callee.name));
      return m ? splitExport(m) : undefined;
    }
    return undefined;
  }

  /**
   * Python: the imported module (dotted, as bound: `sqli.dao.student.Student`, `.dao.student`) and the
   * function called on it (`Student.create(...)` → `create`; `create_student(...)` imported from
   * `app.dao` → module `app.dao`, `create_student`). Whether the module is a reviewed file is decided
   * when call-outs are matched (./modules.ts); a method called on an instance of an imported class
   * (`dao = StudentDao(conn)` … `dao.find(x)`) goes to that class's module.
   */
  private importedPythonCallee(c: Call, recv: Value | undefined): { module: string; name: string } | undefined {
    // A method of an instance of an imported class: the module path ends in the class (`app.dao.StudentDao`).
    if (c.callee.k === 'member' && recv?.tag?.startsWith('import:')) return { module: recv.tag.slice(7), name: c.callee.prop };
    if (c.callee.k === 'member' && c.callee.obj.k === 'var') {
      const m = this.bindings.get(c.callee.obj.name);
      return m ? { module: m, name: c.callee.prop } : undefined;
    }
    if (c.callee.k === 'var') {
      const m = this.bindings.get(c.callee.name);
      const dot = m?.lastIndexOf('.') ?? -1;
      return m && dot > 0 && !m.endsWith('.') ? { module: m.slice(0, dot), name: m.slice(dot + 1) } : undefined;
    }
    return undefined;
  }

  private resolve(c: Call, calleeVal: Value | undefined, recv: Value | undefined): number | undefined {
    if (calleeVal?.fn !== undefined) return calleeVal.fn;
    if (c.callee.k === 'member') {
      if (c.callee.obj.k === 'this' && this.frame.cls) return this.methodOf(this.frame.cls, c.callee.prop);
      if (recv?.cls) return this.methodOf(recv.cls, c.callee.prop);
      return undefined;
    }
    if (c.callee.k === 'var' && (c.callee.name === 'super' || c.callee.name === 'super.__init__') && this.frame.cls) {
      const sup = this.ir.classes.get(this.frame.cls)?.supers.find((x) => this.ir.classes.has(x));
      if (sup) return this.methodOf(sup, 'constructor') ?? this.methodOf(sup, '__init__') ?? this.methodOf(sup, sup);
      return undefined;
    }
    if (c.callee.k === 'var') {
      // Java: an unqualified call is a method of this class (or an enclosing one).
      if (this.frame.cls) {
        const m = this.methodOf(this.frame.cls, c.callee.name);
        if (m !== undefined) return m;
      }
    }
    return undefined;
  }

  private construct(cls: string, args: Value[], at: SyntaxNode, kwargs?: Map<string, Value>): Value {
    const inst = this.instance(at, cls);
    const k = this.ir.classes.get(cls)!;
    this.initFields(inst, cls);
    const ctor = k.methods.get('constructor') ?? k.methods.get('__init__') ?? k.methods.get(cls);
    if (ctor !== undefined) this.invokeFn(this.ir.functions[ctor]!, args, at, inst, kwargs, true);
    return inst;
  }

  /** The constant a tiny function returns (`getSafeValue() { return "bar"; }`), for constant folding; otherwise {@link CLEAN}. */
  private quickReturn(fn: IrFunction): Value {
    if (fn.node.text.length > 400) return CLEAN;
    this.ir.ensure(fn.id);
    const ret = fn.body.find((s) => s.k === 'return');
    if (fn.body.length === 1 && ret?.k === 'return' && ret.e?.k === 'lit') return constant(ret.e.v);
    return CLEAN;
  }

  /** Runs the instance field initialisers of `cls` on `inst`. */
  private initFields(inst: Value, cls: string): void {
    const k = this.ir.classes.get(cls);
    if (!k) return;
    for (const f of k.fields) {
      if (f.isStatic || !f.value) continue;
      const saveFrame = this.frame;
      this.frame = { ...this.frame, thisVal: inst, cls };
      const v = this.eval(f.value);
      this.frame = saveFrame;
      this.writeField(inst, f.name, v);
    }
  }

  /** Runs a function value with argument values (callbacks of modelled higher-order calls). */
  private invoke(fnVal: Value, args: Value[], at: SyntaxNode): Value {
    if (fnVal.fn === undefined) return CLEAN;
    const fn = this.ir.functions[fnVal.fn]!;
    this.analysed.add(fn.id);
    return this.invokeFn(fn, args, at, this.frame.thisVal, undefined, true);
  }

  private invokeFn(fn: IrFunction, args: Value[], at: SyntaxNode, thisVal: Value | undefined, kwargs?: Map<string, Value>, force = false): Value {
    const line = at.startPosition.row + 1;
    // A call that passes nothing the analysis cares about (no taint, no framework object, no function)
    // cannot create a flow the callee's own run as an entry point does not find: skip it. This keeps
    // the analysis linear-ish on files whose methods call each other a lot.
    // Callbacks, constructors and closures (which may read the caller's variables) always run.
    const interesting = (v: Value | undefined) => !!v && (v.taint !== undefined || v.tag !== undefined || v.fn !== undefined || v.refs !== undefined);
    const closure = fn.parent > 0 && this.ir.functions[fn.parent]?.kind !== 'module';
    if (!force && !closure && !args.some(interesting) && !(kwargs && [...kwargs.values()].some(interesting)) && !(thisVal && thisVal.refs && this.deepTaint(thisVal, 2))) {
      return this.quickReturn(fn);
    }
    if (this.stack.includes(fn.id) || this.frame.depth >= MAX_DEPTH || this.work > WORK_BUDGET) {
      // Not followed: the result carries the arguments' taint.
      let t: Taint | undefined;
      for (const a of args) t = joinTaint(t, a.taint ?? this.deepTaint(a, 1));
      return t ? { taint: t } : CLEAN;
    }
    this.ir.ensure(fn.id);
    const saveState = this.state;
    const saveFrame = this.frame;
    const callee = new State(new Map(), this.state.heap);
    this.state = callee;
    this.frame = { ...this.newFrame(fn, saveFrame.depth + 1, false), thisVal: thisVal ?? saveFrame.thisVal };
    const fname = fn.name || 'callback';
    const params = fn.params;
    const recursive = this.isRecursive(fn);
    params.forEach((p, i) => {
      let v = p.rest ? this.alloc(at, 'array', { elems: args.slice(i) }) : args[i];
      // A recursive function's constant arguments change from call to call: do not fold on them.
      if (recursive && v?.c !== undefined) v = v.numeric ? { numeric: true } : { ...v, c: undefined };
      if (v === undefined && kwargs?.has(p.name)) v = kwargs.get(p.name);
      if (v === undefined) v = p.defaultValue ? this.eval(p.defaultValue) : constant(undefined);
      if (v.taint) v = withTaint(v, step(v.taint, `passed to \`${fname}()\` as \`${p.name}\``, line));
      this.bindParam(p, v);
    });
    this.stack.push(fn.id);
    const end = this.execBlock(fn.body, this.state);
    this.stack.pop();
    let ret = this.frame.ret ?? (fn.expressionBody ? undefined : constant(undefined));
    const after = joinStates(end, this.frame.retState);
    this.frame = saveFrame;
    this.state = saveState;
    if (after) this.state.heap = after.heap;
    ret ??= CLEAN;
    if (ret.taint) ret = withTaint(ret, step(ret.taint, `returned by \`${fname}()\``, line));
    return ret;
  }

  private readonly recursiveCache = new Map<number, boolean>();

  /** True when a function calls itself by name (directly). */
  private isRecursive(fn: IrFunction): boolean {
    let r = this.recursiveCache.get(fn.id);
    if (r === undefined) {
      r = false;
      if (fn.name) {
        const name = fn.name;
        const text = fn.node.text;
        // Cheap pre-check on the source text, then an exact check on the call nodes.
        if (text.indexOf(name + '(', text.indexOf(name) + name.length) >= 0) {
          r = fn.node.descendantsOfType(['call_expression', 'call', 'method_invocation']).some((c) => {
            const f = c?.childForFieldName('function') ?? c?.childForFieldName('name');
            return !!f && (f.text === name || f.text === `this.${name}` || f.text === `self.${name}`);
          });
        }
      }
      this.recursiveCache.set(fn.id, r);
    }
    return r;
  }

  // ------------------------------------------------------------------------------------------
  // Sinks

  private sinks(uses: SinkUse[] | undefined): void {
    if (!uses) return;
    for (const u of uses) {
      const node = u.node ?? u.arg;
      const t = this.deepTaint(u.value, 2);
      const key = `${node.id}:${u.kind}`;
      const old = this.flows.get(key);
      const tainted = isTaintedFor(t, u.kind) ? t : undefined;
      if (tainted && RAISES_WITH_INPUT.has(u.kind) && this.raising.length && (tainted.source.kind ?? 'request') === 'request') {
        this.raising[this.raising.length - 1] = joinTaint(this.raising[this.raising.length - 1], tainted);
      }
      if (old?.taint && !tainted) continue;
      if (old && old.taint && tainted) {
        const ro = SOURCE_RANK[old.taint.source.kind ?? 'request'];
        const rn = SOURCE_RANK[tainted.source.kind ?? 'request'];
        if (ro > rn || (ro === rn && old.taint.path.length <= tainted.path.length)) continue;
      }
      if (!tainted && old) {
        // Keep a "dynamic" record only when every run saw a non-constant value.
        if (u.value.c !== undefined) this.flows.delete(key);
        continue;
      }
      this.flows.set(key, { kind: u.kind, api: u.api, node, arg: u.arg, taint: tainted, value: u.value, info: u.info });
    }
  }
}

/**
 * Splits a binding of a relative module (`./db`, `./db.find`, `../lib/x.js.find`) into the module
 * specifier and the member called: a binding's member part follows the last `.` after the last `/`
 * (unless that is a file extension); `member` is the property called on it, when any.
 */
function splitExport(binding: string, member?: string): { module: string; name: string } {
  const slash = binding.lastIndexOf('/');
  const rest = binding.slice(slash + 1);
  const parts = rest.split('.');
  // `./db` (no member), `./db.js` (an extension), `./db.find` (a member), `./db.js.find`.
  let module = binding;
  let inner: string | undefined;
  if (parts.length > 1 && !/^(js|ts|mjs|cjs|jsx|tsx)$/.test(parts[parts.length - 1]!)) {
    inner = parts[parts.length - 1];
    module = binding.slice(0, binding.length - inner!.length - 1);
  }
  if (inner === 'default') inner = undefined;
  return { module, name: member ?? inner ?? 'default' };
}

function looseEq(a: unknown, b: unknown): boolean {
  return a == b;
}

function constString(v: Value): string | undefined {
  return typeof v.c?.v === 'string' ? v.c.v : undefined;
}

/**
 * True for a validation pattern that only admits harmless characters: anchored at both ends, and
 * without `.`, negated classes, `\S`/`\W`, or classes that admit quotes, slashes, `<`, `;`, spaces.
 */
export function isRestrictivePattern(p: string): boolean {
  const src = p.replace(/^\(\?[a-z]+\)/, '');
  if (!/^\^|^\\A/.test(src) || !/(\$|\\z|\\Z)\)?$/.test(src)) return false;
  // Unescaped `.` outside a class, negated classes and broad escapes admit anything.
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const nx = src[i + 1] ?? '';
      if (/[SWDsbB]/.test(nx) && nx !== 'b' && nx !== 'B' && nx !== 'd' && nx !== 's') return false;
      if (nx === 's' || nx === 'S') return false;
      i++;
      continue;
    }
    if (ch === '[') {
      if (src[i + 1] === '^') return false;
      inClass = true;
      continue;
    }
    if (ch === ']') inClass = false;
    if (!inClass && ch === '.') return false;
    if (inClass && /['"<>;&|`$\\/ %(){}]/.test(ch)) return false;
  }
  return true;
}

/** Folds a string method called on a constant receiver with constant arguments; undefined when not foldable. */
function foldStringMethod(s: string, method: string, args: Value[]): Value | undefined {
  const a = args.map((x) => x.c?.v);
  if (args.some((x) => x.c === undefined)) {
    if (/^(equals|equalsIgnoreCase|startsWith|endsWith|contains)$/.test(method)) return { numeric: true };
    return undefined;
  }
  const n = (i: number) => (typeof a[i] === 'number' ? (a[i] as number) : undefined);
  const str = (i: number) => (typeof a[i] === 'string' ? (a[i] as string) : undefined);
  switch (method) {
    case 'charAt':
      return n(0) !== undefined ? constant(s.charAt(n(0)!)) : undefined;
    case 'length':
      return constant(s.length);
    case 'substring':
    case 'substr':
    case 'slice':
      return n(0) !== undefined ? constant(method === 'substr' ? s.substr(n(0)!, n(1)) : s[method === 'slice' ? 'slice' : 'substring'](n(0)!, n(1))) : undefined;
    case 'toUpperCase':
    case 'upper':
      return constant(s.toUpperCase());
    case 'toLowerCase':
    case 'lower':
      return constant(s.toLowerCase());
    case 'trim':
    case 'strip':
      return constant(s.trim());
    case 'equals':
      return constant(s === a[0]);
    case 'equalsIgnoreCase':
      return constant(typeof a[0] === 'string' && s.toLowerCase() === a[0].toLowerCase());
    case 'startsWith':
    case 'startswith':
      return str(0) !== undefined ? constant(s.startsWith(str(0)!)) : undefined;
    case 'endsWith':
    case 'endswith':
      return str(0) !== undefined ? constant(s.endsWith(str(0)!)) : undefined;
    case 'contains':
    case 'includes':
      return str(0) !== undefined ? constant(s.includes(str(0)!)) : undefined;
    case 'indexOf':
    case 'find':
      return str(0) !== undefined ? constant(s.indexOf(str(0)!)) : undefined;
    case 'toString':
    case 'valueOf':
    case 'intern':
      return constant(s);
    default:
      return undefined;
  }
}

/** Analyses a lowered file with a language model: its flows (keyed by sink node and kind) and its calls into other modules. */
export function interpret(file: ParsedFile, ir: IrFile, model: LanguageModel, extraRoot?: (fn: IrFunction) => boolean): { flows: Flow[]; callOuts: CallOut[] } {
  const it = new Interpreter(file, ir, model, extraRoot);
  it.run();
  return { flows: [...it.flows.values()], callOuts: it.callOuts };
}

export { kindBit };
