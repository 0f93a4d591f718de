/**
 * The small intermediate representation the taint engine interprets. Each supported grammar
 * (tree-sitter-javascript/-typescript, -python, -go, -java) is lowered into it per function by the
 * `lower-*.ts` modules, so one interpreter (./interp.ts) serves every language.
 *
 * The IR keeps a reference to the syntax node of every expression and statement: findings quote the
 * sink's node, and messages name the lines a value went through. Nothing here is evaluated; it only
 * describes what the code does with values: assignments, calls, branches, loops, returns.
 */
import type { SyntaxNode } from '../syntax';

/** A constant the interpreter can fold: string, number, boolean, or null/None/nil. */
export type Constant = string | number | boolean | null;

/** An expression. Every variant carries the node it was lowered from. */
export type Expr =
  | { k: 'lit'; v: Constant | undefined; node: SyntaxNode }
  /** String building: the concatenation of `parts` (template literal, f-string, `+` chain of strings, format call). */
  | { k: 'concat'; parts: Expr[]; node: SyntaxNode; how: 'template' | 'concat' | 'format' }
  | { k: 'var'; name: string; node: SyntaxNode }
  /** `this` / `self` (Python's first method parameter is lowered as a plain variable named `self`). */
  | { k: 'this'; node: SyntaxNode }
  | { k: 'member'; obj: Expr; prop: string; node: SyntaxNode }
  | { k: 'index'; obj: Expr; index: Expr; node: SyntaxNode }
  | Call
  | { k: 'bin'; op: string; l: Expr; r: Expr; node: SyntaxNode }
  /** Short-circuit operators: `&&`, `||`, `??`, Python `and`/`or`. */
  | { k: 'logic'; op: '&&' | '||' | '??'; l: Expr; r: Expr; node: SyntaxNode }
  | { k: 'unary'; op: string; x: Expr; node: SyntaxNode }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; node: SyntaxNode }
  /** Array, list, tuple, slice or set literal (`spread` marks `...x` / `*x` elements). */
  | { k: 'array'; elems: Array<{ e: Expr; spread?: boolean }>; node: SyntaxNode }
  /** Object, dict, map or struct literal; a `null` key is a spread / `**x` / computed key. */
  | { k: 'object'; props: Array<{ key: string | null; keyExpr?: Expr; value: Expr }>; node: SyntaxNode }
  /** A function value (lambda, arrow, function expression, method reference): index into the file's functions. */
  | { k: 'fn'; id: number; node: SyntaxNode }
  /** Assignment used as an expression (JS `a = b` inside an expression, Python walrus). */
  | { k: 'assign'; target: Target; value: Expr; op?: string; node: SyntaxNode }
  /** Type cast / conversion that keeps the value (`(String) x`, `x as T`, `x!`), or a numeric conversion when `numeric`. */
  | { k: 'cast'; x: Expr; type: string; node: SyntaxNode }
  /** `a instanceof T`, `isinstance(a, T)`: a boolean. */
  | { k: 'instanceof'; x: Expr; type: string; node: SyntaxNode }
  /** Anything else: its value is unknown, but taint in `parts` flows into it (conservative). */
  | { k: 'unknown'; parts: Expr[]; node: SyntaxNode };

/** A call or object creation. */
export interface Call {
  k: 'call';
  node: SyntaxNode;
  /** The callee expression (a `member` for method calls, whose `obj` is the receiver). */
  callee: Expr;
  /** Positional arguments (a `spread` flag marks `...x` / `*x`). */
  args: Array<{ e: Expr; spread?: boolean }>;
  /** Keyword arguments (Python `f(x=1)`). */
  kwargs: Map<string, Expr>;
  /** True for `new X(...)` / Java `new X(...)` / Go composite creation via `&X{}` is an object literal instead. */
  isNew: boolean;
  /** The callee as resolved dotted text (module bindings applied): `child_process.exec`, `subprocess.run`, `new java.io.File`. */
  name: string;
  /** The last segment of the callee (`exec`, `run`, `File`). */
  method: string;
}

/** What an assignment writes to. */
export type Target =
  /** `decl`: the assignment declares a local (`let`/`const`/`var`, Go `:=`, Java local declarations, any Python assignment). `declared` is its declared type. */
  | { k: 'var'; name: string; node: SyntaxNode; declared?: string; decl?: boolean }
  | { k: 'member'; obj: Expr; prop: string; node: SyntaxNode }
  | { k: 'index'; obj: Expr; index: Expr; node: SyntaxNode }
  /** Destructuring: object pattern (`{a, b: c, ...rest}`), array/tuple pattern (`[a, b]`, `a, b = ...`). */
  | { k: 'pattern'; pattern: Pattern; node: SyntaxNode }
  /** A target the engine does not model (its write is ignored). */
  | { k: 'none'; node: SyntaxNode };

/** A destructuring pattern. */
export type Pattern =
  | { k: 'bind'; target: Target; default?: Expr }
  | { k: 'obj'; props: Array<{ key: string; pat: Pattern }>; rest?: string }
  | { k: 'arr'; elems: Array<Pattern | null>; rest?: string };

/** A statement. */
export type Stmt =
  | { k: 'assign'; target: Target; value: Expr; op?: string; node: SyntaxNode }
  | { k: 'expr'; e: Expr; node: SyntaxNode }
  | { k: 'if'; test: Expr; then: Stmt[]; else: Stmt[]; node: SyntaxNode }
  /**
   * A loop. `each` is a for-each over `iter` binding `target` (`'values'` = elements, `'keys'` =
   * keys/indices, `'entries'` = Go `k, v := range`); otherwise `test` is checked before each pass.
   */
  | { k: 'loop'; test?: Expr; body: Stmt[]; update: Stmt[]; each?: { target: Target; iter: Expr; of: 'values' | 'keys' | 'entries'; value?: Target }; node: SyntaxNode; doWhile?: boolean }
  /** `cases[i].tests` empty means `default`; `fallthrough` is true for C-style switches (JS, Java). */
  | { k: 'switch'; disc: Expr; cases: Array<{ tests: Expr[]; body: Stmt[] }>; fallthrough: boolean; node: SyntaxNode }
  | { k: 'return'; e?: Expr; node: SyntaxNode }
  | { k: 'break'; node: SyntaxNode }
  | { k: 'continue'; node: SyntaxNode }
  | { k: 'throw'; e?: Expr; node: SyntaxNode }
  | { k: 'try'; body: Stmt[]; handlers: Array<{ param?: string; body: Stmt[] }>; finally: Stmt[]; node: SyntaxNode }
  | { k: 'block'; body: Stmt[]; node: SyntaxNode }
  /** A nested function or class declaration: `fn` is its index in the file's functions (names are bound in scope). */
  | { k: 'decl'; name: string; fn: number; node: SyntaxNode };

/** A function parameter. */
export interface Param {
  name: string;
  /** Destructuring pattern when the parameter is one (`({ query }) => ...`). */
  pattern?: Pattern;
  node: SyntaxNode;
  /** Declared type text (`HttpServletRequest`, `*http.Request`, `Request`), whitespace removed. */
  type?: string;
  /** Annotation / decorator names (`RequestParam`, `PathVariable`, `Query`). */
  annotations: string[];
  defaultValue?: Expr;
  rest?: boolean;
}

/** One function, method, arrow, lambda, or the module body (`kind: 'module'`). */
export interface IrFunction {
  /** Index in {@link IrFile.functions}. */
  id: number;
  kind: 'function' | 'method' | 'lambda' | 'module';
  node: SyntaxNode;
  /** Declared name, or the variable/property it is assigned to; '' when anonymous. */
  name: string;
  /** Enclosing class name for methods ('' otherwise). */
  className: string;
  params: Param[];
  body: Stmt[];
  /** Index of the lexically enclosing function (closures read its variables), or -1. */
  parent: number;
  /** Decorator / annotation texts on the function (`@app.route('/x')`, `@GetMapping`, `@csrf_exempt`). */
  decorators: string[];
  /** Whether the body is an expression (arrow `x => x + 1`): `body` is then one `return`. */
  expressionBody?: boolean;
}

/** A class or struct type of the file: its methods and field initialisers. */
export interface IrClass {
  name: string;
  node: SyntaxNode;
  /** Method name → function id. Several overloads keep the first. */
  methods: Map<string, number>;
  /** Field initialisers (`private String x = "a";`, JS class fields), run when an instance is created. */
  fields: Array<{ name: string; value?: Expr; isStatic: boolean }>;
  /** Superclass / implemented types, as written. */
  supers: string[];
}

/** A lowered file. */
export interface IrFile {
  functions: IrFunction[];
  /** Top-level function names (and module-level `const f = () => ...`) → function id. */
  globals: Map<string, number>;
  classes: Map<string, IrClass>;
  /** The module body (top-level statements) as function 0. */
  module: number;
  /** Lowers function `id`'s parameters and body if that has not happened yet (bodies are lowered on first use). */
  ensure(id: number): void;
}
