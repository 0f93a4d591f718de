/**
 * What a language model tells the interpreter: which reads are sources, which calls sanitise,
 * propagate or sink, and which parameters of an entry point carry request data. One model per
 * language family (./models/*.ts); the interpreter (./interp.ts) asks it at every member read, call,
 * assignment to a member, and function entry.
 */
import type { ParsedFile } from '../rule';
import type { SyntaxNode } from '../syntax';
import type { Call, IrClass, IrFile, IrFunction, Param } from './ir';
import type { Obj, SinkKind, Source, Taint, Value } from './value';

/** A sink use: `value` (an argument, usually) reaches a sink of `kind` at `node`. */
export interface SinkUse {
  kind: SinkKind;
  /** Display name of the sink API: `child_process.exec`, `res.send`, `Statement.executeQuery`. */
  api: string;
  value: Value;
  /** The expression node that carries the value (an argument). */
  arg: SyntaxNode;
  /** The node a finding quotes: the call, or the assignment for property sinks. Defaults to the call. */
  node?: SyntaxNode;
  /** Facts a rule may need (e.g. `{ literalSql: 'SELECT ...' }`, `{ option: 'noent' }`). */
  info?: Record<string, string | number | boolean>;
}

/** What the interpreter offers a model while it evaluates one call or member read. */
export interface Helpers {
  file: ParsedFile;
  ir: IrFile;
  /** 1-based line of a node. */
  line(node: SyntaxNode): number;
  /** Taint of a value or of anything reachable from it (fields, elements; two levels deep). */
  deepTaint(v: Value): Taint | undefined;
  /** A new tainted value whose source is `label` read at `node` (`kind` defaults to `request`). */
  source(label: string, node: SyntaxNode, str?: boolean, kind?: Source['kind']): Value;
  /** The heap objects a value points to. */
  objects(v: Value): Obj[];
  /** Allocates (or re-uses, per allocation site) a heap object and returns a value pointing to it. */
  alloc(site: SyntaxNode | number, kind: Obj['kind'], init?: Partial<Obj>): Value;
  /** Replaces a heap object (objects are immutable; writes go through this). */
  update(v: Value, change: (o: Obj) => Obj): void;
  /** Joined value of every element / field / unknown-key value of the objects `v` points to. */
  contents(v: Value): Value;
  /** The constant string or number of a value, if known. */
  constOf(v: Value): string | number | boolean | null | undefined;
  /** Runs a function value (a callback) with the given argument values; returns its return value. */
  invoke(fn: Value, args: Value[], at: SyntaxNode): Value;
  /** Module binding of a local name (`cp` → `child_process`), if any. */
  binding(name: string): string | undefined;
  /** Writes `v` under `key` (a field name or a constant index) of the objects `obj` points to. */
  write(obj: Value, key: string | number, v: Value): void;
}

/** The evaluated pieces of one call. */
export interface CallInfo {
  call: Call;
  /** The receiver's value (method calls), undefined for plain function calls. */
  recv?: Value;
  /** The receiver expression's text, whitespace compacted ('' for plain calls). */
  recvText: string;
  args: Value[];
  kwargs: Map<string, Value>;
}

/** What a model decides about a call. */
export interface CallResult {
  /** The call's value; when undefined the interpreter applies its default (propagate receiver and argument taint). */
  value?: Value;
  sinks?: SinkUse[];
  /** Function values among the arguments to run as callbacks, each with the values of its parameters. */
  callbacks?: Array<{ fn: Value; args: Value[] }>;
}

/** A language family's knowledge of sources, sanitisers, propagators and sinks. */
export interface LanguageModel {
  /**
   * The value of a parameter when its function is analysed as an entry point (not called from
   * this file): a request object, an annotated request parameter, or undefined (unknown, clean).
   */
  param(fn: IrFunction, p: Param, index: number, h: Helpers): Value | undefined;
  /** The value of a name that is not a local variable, function or class of the file (Flask's `request`). */
  global(name: string, node: SyntaxNode, h: Helpers): Value | undefined;
  /** A member read `obj.prop` (sources such as `req.query`); undefined for the default. */
  member(obj: Value, prop: string, node: SyntaxNode, h: Helpers): Value | undefined;
  /** A call: sources, sanitisers, propagators, sinks. */
  call(ci: CallInfo, h: Helpers): CallResult | undefined;
  /** An assignment to `obj.prop` or `obj[key]` (property sinks: `innerHTML`, Koa `ctx.body`, `session[k]`). */
  assignMember?(obj: Value, prop: string | undefined, key: Value | undefined, value: Value, node: SyntaxNode, valueNode: SyntaxNode, h: Helpers): SinkUse[];
  /**
   * Text that a function must contain to be analysed as an entry point (a source or a sink name);
   * other functions are analysed only when a caller passes them something that matters. Undefined:
   * every function is an entry point.
   */
  rootHint?: RegExp;
  /**
   * A class of this file instantiated (`Customer(name, password)`): sinks of the record it creates, for
   * classes whose constructor the interpreter cannot run (an ORM model's generated one).
   */
  construct?(ci: CallInfo, cls: IrClass, h: Helpers): SinkUse[];
  /** The value returned by a function analysed as an entry point (Flask/Django handlers return the response body). */
  returned?(fn: IrFunction, value: Value, node: SyntaxNode, valueNode: SyntaxNode, h: Helpers): SinkUse[];
}

/** Creates the source label for a member read on a request object: `req` + `query` → `req.query`. */
export function memberLabel(objText: string, prop: string): string {
  return `${objText}.${prop}`;
}

/** Re-exported for models. */
export type { Source };
