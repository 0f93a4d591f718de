/**
 * What every grammar's lowering (./lower-js.ts, ./lower-python.ts, ./lower-go.ts, ./lower-java.ts)
 * shares: the registry of functions and classes of a file, and small builders for IR nodes.
 */
import type { ParsedFile } from '../rule';
import type { SyntaxNode } from '../syntax';
import { resolvedCallee } from '../bindings';
import type { Call, Expr, IrClass, IrFile, IrFunction, Stmt } from './ir';

/** Base class of the per-grammar lowerings: holds the functions and classes found so far. */
export abstract class Lowerer {
  protected readonly functions: IrFunction[] = [];
  protected readonly globals = new Map<string, number>();
  protected readonly classes = new Map<string, IrClass>();
  /** Id of the function being lowered (parent of nested functions). */
  protected current = -1;
  /** Name of the class whose members are being lowered ('' outside classes). */
  protected currentClass = '';

  constructor(protected readonly file: ParsedFile) {}

  /** Bodies not lowered yet, by function id: a function is lowered when the interpreter first runs it. */
  private readonly pending = new Map<number, () => void>();

  /**
   * Lowers the module body (function 0). Every other function is registered when found and its body
   * lowered on demand ({@link IrFile.ensure}), so functions the analysis never runs cost nothing.
   */
  lower(): IrFile {
    const mod = this.register(this.file.root, 'module', '', '', []);
    this.withFunction(mod, () => {
      mod.body = this.moduleBody(this.file.root);
    });
    return {
      functions: this.functions,
      globals: this.globals,
      classes: this.classes,
      module: mod.id,
      ensure: (id) => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        p();
      },
    };
  }

  /** Defers lowering `fn`'s parameters and body (`body` runs later inside the function, with the class it was declared in). */
  protected defer(fn: IrFunction, body: () => void): void {
    const cls = this.currentClass;
    this.pending.set(fn.id, () => {
      const saveCls = this.currentClass;
      this.currentClass = cls;
      try {
        this.withFunction(fn, body);
      } finally {
        this.currentClass = saveCls;
      }
    });
  }

  /** Statements of the module (top level). */
  protected abstract moduleBody(root: SyntaxNode): Stmt[];

  /** Registers a function (body filled in by the caller) under the current parent. */
  protected register(node: SyntaxNode, kind: IrFunction['kind'], name: string, className: string, decorators: string[]): IrFunction {
    const fn: IrFunction = { id: this.functions.length, kind, node, name, className, params: [], body: [], parent: this.current, decorators };
    this.functions.push(fn);
    return fn;
  }

  protected withFunction<T>(fn: IrFunction, body: () => T): T {
    const save = this.current;
    this.current = fn.id;
    try {
      return body();
    } finally {
      this.current = save;
    }
  }

  protected withClass<T>(name: string, body: () => T): T {
    const save = this.currentClass;
    this.currentClass = name;
    try {
      return body();
    } finally {
      this.currentClass = save;
    }
  }

  /** The class record for `name`, created on first use. */
  protected classRecord(name: string, node: SyntaxNode, supers: string[]): IrClass {
    let c = this.classes.get(name);
    if (!c) {
      c = { name, node, methods: new Map(), fields: [], supers };
      this.classes.set(name, c);
    }
    return c;
  }

  /** A call IR node; the name is the resolved callee (module bindings applied). */
  protected makeCall(node: SyntaxNode, callee: Expr, args: Call['args'], kwargs: Call['kwargs'] = new Map(), isNew = false): Call {
    let name = resolvedCallee(node, this.file);
    if (name.startsWith('new ')) name = name.slice(4);
    name = name.replace(/\s+/g, '');
    const method = calleeMethodOf(callee, name);
    return { k: 'call', node, callee, args, kwargs, isNew, name, method };
  }

  /** An expression whose value is unknown but whose parts' taint flows into it. */
  protected unknown(node: SyntaxNode, parts: Expr[] = []): Expr {
    return { k: 'unknown', parts, node };
  }
}

function calleeMethodOf(callee: Expr, name: string): string {
  if (callee.k === 'member') return callee.prop;
  if (callee.k === 'var') return callee.name;
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

/** Number value of a numeric literal's text (`0x1f`, `1_000`, `10L`, `3.5f`), or undefined. */
export function numberLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, '').replace(/[lLfFdDjJn]$/, '');
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The text of a string literal's body with the common escape sequences decoded (`\\n`, `\\t`, `\\'`,
 * `\\"`, `\\\\`, `\\xHH`, `\\uHHHH`); unknown escapes keep the escaped character.
 */
export function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|[\s\S])/g, (_m, e: string) => {
    if (e[0] === 'x' || (e[0] === 'u' && e.length > 1)) return String.fromCodePoint(parseInt(e.replace(/^[xu]\{?|\}$/g, ''), 16));
    switch (e) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '\n':
        return '';
      default:
        return e;
    }
  });
}
