/**
 * Taint tracking for the offline security rules: lowers a parsed file into the IR (./ir.ts) with the
 * lowering of its grammar, interprets it with its language's model (./models), and returns every
 * value that reaches a sink ({@link Flow}). The result is cached per syntax tree, so all security
 * rules of all personas share one analysis of a file.
 *
 * Supported: JavaScript, TypeScript, TSX, Python, Go, Java (the grammars of src/core/offline/syntax.ts).
 */
import type { ParsedFile } from '../rule';
import type { SyntaxNode } from '../syntax';
import { interpret, type CallOut, type Flow } from './interp';
import type { IrFile } from './ir';
import type { LanguageModel } from './model';
import { JsLowerer } from './lower-js';
import { jsModel } from './models/js';
import { PythonLowerer } from './lower-python';
import { pythonModel } from './models/python';
import { JavaLowerer } from './lower-java';
import { javaModel } from './models/java';
import { GoLowerer } from './lower-go';
import { goModel } from './models/go';
import type { SinkKind } from './value';

export type { CallOut, Flow } from './interp';
export type { SinkKind, Taint, Source, Step, Value } from './value';

const cache = new WeakMap<SyntaxNode, { flows: Flow[]; callOuts: CallOut[] }>();

function lowerAndModel(file: ParsedFile): { ir: IrFile; model: LanguageModel } | undefined {
  switch (file.language) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return { ir: new JsLowerer(file).lower(), model: jsModel };
    case 'python':
      return { ir: new PythonLowerer(file).lower(), model: pythonModel };
    case 'java':
      return { ir: new JavaLowerer(file).lower(), model: javaModel };
    case 'go':
      return { ir: new GoLowerer(file).lower(), model: goModel };
  }
}

/**
 * Every flow of the file into a sink, tainted or not, computed once per syntax tree. Throws only on
 * internal errors (the provider reports those as rule errors and runs the other rules).
 */
export function taintFlows(file: ParsedFile): Flow[] {
  return analysis(file).flows;
}

/** The calls of the file into other modules of the project that pass client input (JavaScript/TypeScript), computed with {@link taintFlows}. */
export function taintCallOuts(file: ParsedFile): CallOut[] {
  return analysis(file).callOuts;
}

const calleeCache = new WeakMap<SyntaxNode, Map<string, { flows: Flow[]; callOuts: CallOut[] }>>();

/**
 * Every flow of the file into a sink when the functions named in `names` (last segment of their
 * declared or assigned name: `find` for `exports.find = function`) are analysed as entry points too,
 * although they mention no source or sink name (other modules call them; ./modules.ts). Computed once
 * per syntax tree and set of names; the file's own {@link taintFlows} are unchanged.
 */
export function calleeFlows(file: ParsedFile, names: ReadonlySet<string>): Flow[] {
  return calleeAnalysis(file, names).flows;
}

/**
 * The flows and the call-outs of the file when the functions named in `names` are entry points too (see
 * {@link calleeFlows}): its call-outs then include calls that pass those functions' parameters on to
 * another module ({@link CallOut.params}), which ./modules.ts follows to a third module and beyond.
 */
export function calleeAnalysis(file: ParsedFile, names: ReadonlySet<string>): { flows: Flow[]; callOuts: CallOut[] } {
  const key = [...names].sort().join(',');
  let byNames = calleeCache.get(file.root);
  if (!byNames) calleeCache.set(file.root, (byNames = new Map()));
  const hit = byNames.get(key);
  if (hit) return hit;
  const lm = lowerAndModel(file);
  // A function that encloses one of them (`function Dao(db) { this.find = (id) => ... }`) runs too, so that
  // the inner one is lowered and found.
  const words = [...names].filter((n) => /^[\w$]+$/.test(n));
  const mentions = words.length ? new RegExp(`\\b(${words.map((w) => w.replace(/\$/g, '\\$')).join('|')})\\b`) : undefined;
  const out = lm ? interpret(file, lm.ir, lm.model, (fn) => names.has(fn.name.slice(fn.name.lastIndexOf('.') + 1)) || (!!mentions && fn.kind !== 'module' && mentions.test(fn.node.text))) : { flows: [], callOuts: [] };
  byNames.set(key, out);
  return out;
}

function analysis(file: ParsedFile): { flows: Flow[]; callOuts: CallOut[] } {
  const hit = cache.get(file.root);
  if (hit) return hit;
  const lm = lowerAndModel(file);
  const out = lm ? interpret(file, lm.ir, lm.model) : { flows: [], callOuts: [] };
  out.flows.sort((a, b) => a.node.startIndex - b.node.startIndex);
  cache.set(file.root, out);
  return out;
}

/** The flows of one sink kind. */
export function flowsOf(file: ParsedFile, kind: SinkKind): Flow[] {
  return taintFlows(file).filter((f) => f.kind === kind);
}
