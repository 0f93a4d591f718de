/**
 * Taint across modules (JavaScript, TypeScript and Python): client input that one reviewed module passes
 * to a function of another (`const db = require('./db'); db.find(req.query.id)`; Python `from app.dao
 * import Student` … `Student.create(conn, form['name'])`) and that the other module
 * puts into a sink (`db.js` builds SQL from its parameter). Each module is analysed once on its own
 * (./index.ts); its analysis yields
 * - its *call-outs*: calls into relative modules with the taint of each argument ({@link CallOut}), and
 * - its *summaries*: for each of its functions, which parameter reaches which sink unsanitised (a flow
 *   whose value is the parameter's, untouched by sanitisers, numbers and constants).
 * Joining the two gives flows into this module's sinks whose source is in the caller, reported at the
 * sink (the quote is the sink, as for flows within one file). The index of call-outs by target module is
 * built once per review ({@link ProjectIndex}) and the per-file analyses are the ones the rules share,
 * so the cost is one pass over the project's JavaScript and Python files, plus one more analysis of
 * each module that another calls with client input (its called functions as entry points).
 *
 * Chains: a module called with client input that passes the parameter on to a third module (route →
 * service → dao) gives that module an incoming call carrying the first caller's taint, up to three
 * modules past the first callee. Python methods called on instances of imported classes (`dao =
 * StudentDao(conn)` … `dao.find(x)`) are followed, `self` not counted among the arguments.
 *
 * Limits: a function is found by its name in the target module (declaration, `exports.x =`,
 * `module.exports = { x }`, `this.x =` in a constructor, class method); the parameters feeding a sink
 * are the one the engine tracked plus those used directly (not inside a call) in the expression that
 * built the sink's value; a chain passes on a parameter only as a whole argument (`dao.find(id)`, not
 * `dao.find(id.trim())`).
 */
import path from 'node:path';
import type { ParsedFile, ProjectIndex } from '../rule';
import type { SyntaxNode } from '../syntax';
import { LANG, functionName, isJs } from '../lang';
import { calleeAnalysis, calleeFlows, taintCallOuts, type CallOut, type Flow } from './index';
import { isTaintedFor, kindBit, MAX_STEPS, type SinkKind, type Taint } from './value';

/** A call-out and the file it is in. */
interface Incoming {
  from: ParsedFile;
  out: CallOut;
}

const incomingCache = new WeakMap<ProjectIndex, Map<string, Incoming[]>>();

/** Extensions and index files tried for a relative specifier, in Node's and TypeScript's order. */
const CANDIDATES = ['', '.js', '.ts', '.tsx', '.mjs', '.cjs', '.jsx', '/index.js', '/index.ts', '/index.tsx', '/index.mjs'];

/**
 * The workspace-relative path of the reviewed file a relative specifier names from `fromPath`
 * (`routes/a.js` + `../db` → `db.js`), or undefined when no reviewed file matches. TypeScript's
 * `./x.js` for `x.ts` is tried too.
 */
export function resolveModule(fromPath: string, spec: string, reviewed: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), spec));
  for (const ext of CANDIDATES) if (reviewed.has(base + ext)) return base + ext;
  const ts = base.replace(/\.(m|c)?js$/, '');
  if (ts !== base) for (const ext of ['.ts', '.tsx', '.mts', '.cts']) if (reviewed.has(ts + ext)) return ts + ext;
  return undefined;
}

/**
 * The reviewed Python file a dotted module names from `fromPath`: `sqli.dao.student.Student` →
 * `sqli/dao/student.py` (the last parts may be a class or function inside the module), found as the
 * path itself or as a path ending in it (the package root need not be the workspace root); a leading
 * `.` is relative to the caller's package (`..` one level up). Undefined when none matches.
 */
export function resolvePythonModule(fromPath: string, dotted: string, reviewed: ReadonlySet<string>): string | undefined {
  const lead = /^\.*/.exec(dotted)![0].length;
  const parts = dotted.slice(lead).split('.').filter(Boolean);
  let base = '';
  if (lead) {
    base = path.posix.dirname(fromPath);
    for (let i = 1; i < lead; i++) base = path.posix.dirname(base);
    base = base === '.' ? '' : `${base}/`;
  }
  for (let n = parts.length; n >= 1; n--) {
    const rel = parts.slice(0, n).join('/');
    for (const cand of [`${base}${rel}.py`, `${base}${rel}/__init__.py`]) {
      if (reviewed.has(cand)) return cand;
      if (!lead) for (const r of reviewed) if (r.endsWith(`/${cand}`)) return r;
    }
  }
  return undefined;
}

/** Call-outs of every reviewed JavaScript/TypeScript and Python file, by the workspace-relative path of the module they call; once per review. */
function incoming(project: ProjectIndex): Map<string, Incoming[]> {
  const hit = incomingCache.get(project);
  if (hit) return hit;
  const byTarget = new Map<string, Incoming[]>();
  const js = project.parsed.filter((p) => isJs(p.language));
  const py = project.parsed.filter((p) => p.language === 'python');
  const reviewed = new Set(js.map((p) => p.file.path));
  const reviewedPy = new Set(py.map((p) => p.file.path));
  const add = (target: string | undefined, from: ParsedFile, out: CallOut) => {
    if (!target || target === from.file.path) return;
    let list = byTarget.get(target);
    if (!list) byTarget.set(target, (list = []));
    list.push({ from, out });
  };
  for (const from of py) {
    if (!/^\s*(from|import)\s/m.test(from.file.text)) continue;
    for (const out of taintCallOuts(from)) add(resolvePythonModule(from.file.path, out.module, reviewedPy), from, out);
  }
  for (const from of js) {
    // Only files that import a relative module can call one.
    if (!/(require\s*\(|from|import\s*\()\s*['"]\.\.?\//.test(from.file.text)) continue;
    for (const out of taintCallOuts(from)) {
      const target = resolveModule(from.file.path, out.module, reviewed);
      add(target, from, out);
    }
  }
  // Only call-outs that carry client input start a chain (the lists above also hold parameter pass-throughs).
  for (const [target, list] of byTarget) {
    const kept = list.filter((c) => c.out.args.some((t) => t && (t.source.kind ?? 'request') === 'request'));
    if (kept.length) byTarget.set(target, kept);
    else byTarget.delete(target);
  }
  chain(project, byTarget, (from, spec) => (from.language === 'python' ? resolvePythonModule(from.file.path, spec, reviewedPy) : resolveModule(from.file.path, spec, reviewed)), add);
  incomingCache.set(project, byTarget);
  return byTarget;
}

/** How many modules past the first callee a chain of calls is followed (route → service → dao → db helper). */
const MAX_CHAIN = 3;

/**
 * Follows client input past the first callee: a module called with client input (B, from A) that passes
 * the parameter on to a function of a third module (C) gives C an incoming call whose argument carries
 * A's taint, with the steps through B (`passed to dao.find(...)` in A, `parameter id of find()` in B,
 * `passed to db.run(...)` in B). Up to {@link MAX_CHAIN} modules deep; each module is analysed once per
 * set of called names.
 */
function chain(project: ProjectIndex, byTarget: Map<string, Incoming[]>, resolve: (from: ParsedFile, spec: string) => string | undefined, add: (target: string | undefined, from: ParsedFile, out: CallOut) => void): void {
  const byPath = new Map(project.parsed.map((p) => [p.file.path, p]));
  const done = new Set<string>();
  let frontier = [...byTarget.keys()];
  for (let depth = 0; depth < MAX_CHAIN && frontier.length; depth++) {
    const next: string[] = [];
    for (const target of frontier) {
      if (done.has(target)) continue;
      done.add(target);
      const file = byPath.get(target);
      const calls = byTarget.get(target);
      if (!file || !calls?.length) continue;
      for (const out of calleeAnalysis(file, new Set(calls.map((c) => c.out.name))).callOuts) {
        if (!out.params?.some(Boolean)) continue;
        const args: Array<Taint | undefined> = out.args.map(() => undefined);
        out.params.forEach((p, i) => {
          if (!p) return;
          const o = owner(out.node, p, file);
          if (!o) return;
          const pi = o.params.indexOf(p);
          for (const { from, out: inc } of calls) {
            if (inc.name !== o.name) continue;
            const t = inc.args[pi - shiftFor(inc, o.fn)];
            if (!t || (t.source.kind ?? 'request') !== 'request') continue;
            args[i] = across(t, from.file.path, inc, o.name, p, o.fn);
            break;
          }
        });
        if (!args.some(Boolean)) continue;
        const tgt = resolve(file, out.module);
        if (!tgt || tgt === target) continue;
        add(tgt, file, { ...out, args, params: undefined });
        next.push(tgt);
      }
    }
    frontier = next;
  }
}

/** 1 when a call on an instance (`dao.find(x)`) reaches a Python method whose first parameter is `self`; else 0. */
function shiftFor(call: CallOut, fn: SyntaxNode): number {
  if (!call.instance || fn.type !== 'function_definition') return 0;
  const dec = fn.parent?.type === 'decorated_definition' ? fn.parent.text.slice(0, fn.startIndex - fn.parent.startIndex) : '';
  return /@(staticmethod|classmethod)\b/.test(dec) ? 0 : 1;
}

/**
 * Names of a function node's parameters in order, as a caller passes them ('' for a destructured or rest
 * parameter). A Python `@classmethod`'s `cls` is left out (callers do not pass it).
 */
function paramNames(fn: SyntaxNode): string[] {
  if (fn.type === 'function_definition') {
    const names = (fn.childForFieldName('parameters')?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((p) => {
      if (p.type === 'identifier') return p.text;
      const n = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      return /^(typed_parameter|default_parameter|typed_default_parameter)$/.test(p.type) && n?.type === 'identifier' ? n.text : '';
    });
    const inClass = fn.parent?.type === 'block' && fn.parent.parent?.type === 'class_definition' || fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'block' && fn.parent.parent.parent?.type === 'class_definition';
    // Only calls on the class are followed (`Dao.find(...)`): a classmethod gets `cls` implicitly; a plain
    // method called that way is passed its `self` explicitly.
    const isClassMethod = fn.parent?.type === 'decorated_definition' && /@classmethod\b/.test(fn.parent.text.slice(0, fn.startIndex - fn.parent.startIndex));
    return inClass && isClassMethod ? names.slice(1) : names;
  }
  const params = fn.childForFieldName('parameters');
  if (!params) {
    const single = fn.childForFieldName('parameter');
    return single?.type === 'identifier' ? [single.text] : [];
  }
  return params.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.includes('comment')).map((p) => {
    const id = p.type === 'identifier' ? p : p.childForFieldName('pattern') ?? p.childForFieldName('left') ?? p;
    return id.type === 'identifier' ? id.text : '';
  });
}

/** The function around `node` that declares parameter `param`, with its exported name and its parameters' names. */
function owner(node: SyntaxNode, param: string, file: ParsedFile): { name: string; params: string[]; fn: SyntaxNode } | undefined {
  const funcs = LANG[file.language].func;
  for (let p = node.parent; p; p = p.parent) {
    if (!funcs.includes(p.type)) continue;
    const params = paramNames(p);
    if (!params.includes(param)) continue;
    const raw = functionName(p);
    const name = raw.slice(raw.lastIndexOf('.') + 1);
    return name ? { name, params, fn: p } : undefined;
  }
  return undefined;
}

/**
 * Indices of the parameters that go into the sink's value: the one the value remembers, and those named
 * in the expression that built it (`"... " + a + b`, a template with `${a}` and `${b}`), which the value
 * does not list one by one.
 */
function feedingParams(f: Flow, params: string[], file: ParsedFile): number[] {
  const names = new Set(f.value.param ? [f.value.param] : []);
  const expr = f.value.built?.node ?? f.arg;
  const calls = LANG[file.language].call;
  for (const id of expr.descendantsOfType('identifier')) {
    if (!id || !params.includes(id.text)) continue;
    // Only a direct use: an identifier inside a call (`int(x)`, `escape(x)`, `x.strip()`) may be converted or sanitised.
    let direct = true;
    for (let p = id.parent; p && p.id !== expr.id; p = p.parent) if (calls.includes(p.type)) direct = false;
    if (direct) names.add(id.text);
  }
  return params.flatMap((p, i) => (p && names.has(p) ? [i] : []));
}

/** The function that builds the sink's value: the one declaring the parameter the value remembers, else (a value built from a dict or list the engine does not follow) the function around the sink. */
function sinkOwner(f: Flow, file: ParsedFile): { name: string; params: string[]; fn: SyntaxNode } | undefined {
  if (f.value.param) return owner(f.node, f.value.param, file);
  if (!f.value.built) return undefined;
  const funcs = LANG[file.language].func;
  for (let p = f.node.parent; p; p = p.parent) {
    if (!funcs.includes(p.type)) continue;
    const raw = functionName(p);
    const name = raw.slice(raw.lastIndexOf('.') + 1);
    return name ? { name, params: paramNames(p), fn: p } : undefined;
  }
  return undefined;
}

/**
 * Flows into this file's sinks of `kind` whose client input comes from another reviewed module through
 * a call of one of this file's functions (see the module comment). Each is a copy of the local flow
 * with the caller's taint, its source and steps marked with the caller's file, and a step "passed to
 * `name()`". Empty for other languages and when no module calls this one with client input.
 */
export function crossModuleFlows(file: ParsedFile, project: ProjectIndex, kind: SinkKind): Flow[] {
  if (!isJs(file.language) && file.language !== 'python') return [];
  const calls = incoming(project).get(file.file.path);
  if (!calls?.length) return [];
  const out: Flow[] = [];
  for (const f of calleeFlows(file, new Set(calls.map((c) => c.out.name)))) {
    if (f.kind !== kind || f.taint || !(f.value.param || f.value.built) || f.value.numeric || f.value.c !== undefined) continue;
    if (f.value.escaped !== undefined && (f.value.escaped & kindBit(kind)) !== 0) continue;
    const o = sinkOwner(f, file);
    if (!o) continue;
    const indices = feedingParams(f, o.params, file);
    found: for (const { from, out: call } of calls) {
      if (call.name !== o.name && !(call.name === 'default' && o.fn.parent?.type === 'assignment_expression' && /^module\.exports$/.test(o.fn.parent.childForFieldName('left')?.text ?? ''))) continue;
      for (const i of indices) {
        const t = call.args[i - shiftFor(call, o.fn)];
        if (!isTaintedFor(t, kind) || (t.source.kind ?? 'request') !== 'request') continue;
        out.push({ ...f, taint: across(t, from.file.path, call, o.name, o.params[i]!, o.fn) });
        break found;
      }
    }
  }
  return out;
}

/** The caller's taint carried into the callee: its source and steps marked with the caller's file, then the call and the parameter. */
function across(t: Taint, fromPath: string, call: CallOut, name: string, param: string, fn: SyntaxNode): Taint {
  const mark = <T extends { file?: string }>(x: T): T => (x.file ? x : { ...x, file: fromPath });
  const callText = call.node.text.replace(/\s+/g, ' ');
  const steps = [
    ...t.path.map(mark),
    { text: `passed to \`${callText.length > 50 ? `${callText.slice(0, 47)}...` : callText}\``, line: call.node.startPosition.row + 1, file: fromPath },
    { text: `parameter \`${param}\` of \`${name}()\``, line: fn.startPosition.row + 1 },
  ];
  const path = steps.length > MAX_STEPS ? [...steps.slice(0, 2), ...steps.slice(steps.length - MAX_STEPS + 2)] : steps;
  return { ...t, source: mark(t.source), path };
}
