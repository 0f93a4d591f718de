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
import { interpret, type Flow } from './interp';
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

export type { Flow } from './interp';
export type { SinkKind, Taint, Source, Step, Value } from './value';

const cache = new WeakMap<SyntaxNode, Flow[]>();

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
  const hit = cache.get(file.root);
  if (hit) return hit;
  const lm = lowerAndModel(file);
  const flows = lm ? interpret(file, lm.ir, lm.model) : [];
  flows.sort((a, b) => a.node.startIndex - b.node.startIndex);
  cache.set(file.root, flows);
  return flows;
}

/** The flows of one sink kind. */
export function flowsOf(file: ParsedFile, kind: SinkKind): Flow[] {
  return taintFlows(file).filter((f) => f.kind === kind);
}
