/**
 * Taint across modules (JavaScript and TypeScript): client input that one reviewed module passes to a
 * function of another (`const db = require('./db'); db.find(req.query.id)`) and that the other module
 * puts into a sink (`db.js` builds SQL from its parameter). Each module is analysed once on its own
 * (./index.ts); its analysis yields
 * - its *call-outs*: calls into relative modules with the taint of each argument ({@link CallOut}), and
 * - its *summaries*: for each of its functions, which parameter reaches which sink unsanitised (a flow
 *   whose value is the parameter's, untouched by sanitisers, numbers and constants).
 * Joining the two gives flows into this module's sinks whose source is in the caller, reported at the
 * sink (the quote is the sink, as for flows within one file). The index of call-outs by target module is
 * built once per review ({@link ProjectIndex}) and the per-file analyses are the ones the rules share,
 * so the cost is one pass over the project's JavaScript files plus a lookup per sink.
 *
 * Limits: one level (a caller's caller in a third module is not followed); a function is found by its
 * name in the target module (declaration, `exports.x =`, `module.exports = { x }`, `this.x =` in a
 * constructor, class method); a sink value remembers one parameter, the first that went into it.
 */
import path from 'node:path';
import type { ParsedFile, ProjectIndex } from '../rule';
import type { SyntaxNode } from '../syntax';
import { LANG, functionName, isJs } from '../lang';
import { calleeFlows, taintCallOuts, type CallOut, type Flow } from './index';
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

/** Call-outs of every reviewed JavaScript/TypeScript file, by the workspace-relative path of the module they call; once per review. */
function incoming(project: ProjectIndex): Map<string, Incoming[]> {
  const hit = incomingCache.get(project);
  if (hit) return hit;
  const byTarget = new Map<string, Incoming[]>();
  const js = project.parsed.filter((p) => isJs(p.language));
  const reviewed = new Set(js.map((p) => p.file.path));
  for (const from of js) {
    // Only files that import a relative module can call one.
    if (!/(require\s*\(|from|import\s*\()\s*['"]\.\.?\//.test(from.file.text)) continue;
    for (const out of taintCallOuts(from)) {
      const target = resolveModule(from.file.path, out.module, reviewed);
      if (!target || target === from.file.path) continue;
      let list = byTarget.get(target);
      if (!list) byTarget.set(target, (list = []));
      list.push({ from, out });
    }
  }
  incomingCache.set(project, byTarget);
  return byTarget;
}

/** Names of a function node's parameters in order ('' for a destructured or rest parameter). */
function paramNames(fn: SyntaxNode): string[] {
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
function feedingParams(f: Flow, params: string[]): number[] {
  const names = new Set([f.value.param!]);
  const expr = f.value.built?.node ?? f.arg;
  for (const id of expr.descendantsOfType('identifier')) if (id && params.includes(id.text)) names.add(id.text);
  return params.flatMap((p, i) => (p && names.has(p) ? [i] : []));
}

/**
 * Flows into this file's sinks of `kind` whose client input comes from another reviewed module through
 * a call of one of this file's functions (see the module comment). Each is a copy of the local flow
 * with the caller's taint, its source and steps marked with the caller's file, and a step "passed to
 * `name()`". Empty for other languages and when no module calls this one with client input.
 */
export function crossModuleFlows(file: ParsedFile, project: ProjectIndex, kind: SinkKind): Flow[] {
  if (!isJs(file.language)) return [];
  const calls = incoming(project).get(file.file.path);
  if (!calls?.length) return [];
  const out: Flow[] = [];
  for (const f of calleeFlows(file, new Set(calls.map((c) => c.out.name)))) {
    if (f.kind !== kind || f.taint || !f.value.param || f.value.numeric || f.value.c !== undefined) continue;
    if (f.value.escaped !== undefined && (f.value.escaped & kindBit(kind)) !== 0) continue;
    const o = owner(f.node, f.value.param, file);
    if (!o) continue;
    const indices = feedingParams(f, o.params);
    found: for (const { from, out: call } of calls) {
      if (call.name !== o.name && !(call.name === 'default' && o.fn.parent?.type === 'assignment_expression' && /^module\.exports$/.test(o.fn.parent.childForFieldName('left')?.text ?? ''))) continue;
      for (const i of indices) {
        const t = call.args[i];
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
