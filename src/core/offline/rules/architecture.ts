/**
 * Offline rules of the Software Architect (`architect`): import cycles among the reviewed modules,
 * god modules/classes, and modules that depend on too many others. Seed 000 ranks poor architecture
 * (tight coupling) as High severity.
 */
import type { FileRule, OfflineRule, ParsedFile, ProjectHit, ProjectIndex, ProjectRule, RuleHit } from '../rule';
import type { SyntaxNode } from '../syntax';
import { LANG } from '../lang';
import { basename, importsOf, isTestPath, ModuleResolver, spanLines, type ImportRef } from './design-util';

interface Edge {
  to: string;
  /** File holding the import (for Go the key is a package directory). */
  file: string;
  node: SyntaxNode;
}

function display(key: string): string {
  return key.endsWith('/') ? (key === '/' ? '(root package)' : key.slice(0, -1)) : key;
}

/** Strongly connected components (Tarjan), each as a list of keys; only components with ≥ 2 members. */
function tangles(keys: string[], edges: Map<string, Edge[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  // Iterative Tarjan: a frame is a node and the position in its edge list.
  for (const start of keys) {
    if (idx.has(start)) continue;
    const frames: Array<{ v: string; i: number }> = [{ v: start, i: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const f = frames[frames.length - 1]!;
      const out_ = edges.get(f.v) ?? [];
      if (f.i < out_.length) {
        const w = out_[f.i++]!.to;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          frames.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(f.v, Math.min(low.get(f.v)!, idx.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(f.v)!));
      if (low.get(f.v) === idx.get(f.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== f.v);
        if (comp.length > 1) out.push(comp.sort());
      }
    }
  }
  return out;
}

/** Shortest cycle through `start` inside `comp`: the edges in order, the last one closing it. */
function shortestCycle(start: string, comp: Set<string>, edges: Map<string, Edge[]>): Edge[] | undefined {
  const via = new Map<string, { from: string; edge: Edge }>();
  const queue = [start];
  const seen = new Set([start]);
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    for (const e of edges.get(v) ?? []) {
      if (!comp.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        for (let at = v; at !== start; ) {
          const step = via.get(at)!;
          path.unshift(step.edge);
          at = step.from;
        }
        return path;
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        via.set(e.to, { from: v, edge: e });
        queue.push(e.to);
      }
    }
  }
  return undefined;
}

function usable(ref: ImportRef): boolean {
  return !ref.typeOnly && !ref.deferred;
}

const cyclicImports: ProjectRule = {
  kind: 'project',
  id: 'architecture/cyclic-imports',
  personas: ['architect'],
  severity: 'high',
  category: 'cyclic-dependency',
  title: 'Import cycle between modules',
  description:
    'Reports each group of reviewed modules that import one another in a cycle (JS/TS relative imports and top-level `require`, Python relative and package imports, Go packages, Java class imports). ' +
    'Modules in a cycle cannot be understood, tested or reused apart, and at load time one of them sees the other half-initialised. ' +
    'Type-only imports and imports deferred inside a function are ignored. Break the cycle by moving the shared part into a module both can import, or by inverting one dependency.',
  references: ['CWE-1047'],
  confidence: 0.9,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const resolver = new ModuleResolver(project.files, project.parsed);
    const edges = new Map<string, Edge[]>();
    const keys = new Set<string>();
    for (const f of project.parsed) {
      if (f.language === 'go' && f.file.path.endsWith('_test.go')) continue;
      const from = resolver.keyOf(f.file);
      keys.add(from);
      const list = edges.get(from) ?? [];
      for (const ref of importsOf(f)) {
        if (!usable(ref)) continue;
        for (const to of resolver.resolve(f.file, ref)) {
          if (to === from || list.some((e) => e.to === to)) continue;
          list.push({ to, file: f.file.path, node: ref.node });
        }
      }
      edges.set(from, list);
    }
    const hits: ProjectHit[] = [];
    for (const comp of tangles([...keys].sort(), edges)) {
      const start = comp[0]!;
      const cycle = shortestCycle(start, new Set(comp), edges);
      if (!cycle) continue;
      const closing = cycle[cycle.length - 1]!;
      const chain = [start, ...cycle.map((e) => e.to)].map((k) => `\`${display(k)}\``).join(' → ');
      const lang = project.parsed.find((f) => f.file.path === closing.file)?.language;
      const apart = 'None of these modules can be understood, tested or reused without the others, and a change to one ripples through all of them';
      const extra = comp.length > cycle.length ? ` These modules are part of a larger tangle of ${comp.length} modules that all reach one another: ${comp.map((k) => `\`${display(k)}\``).join(', ')}.` : '';
      const why =
        lang === 'go'
          ? 'Go rejects import cycles between packages (`import cycle not allowed`), so this does not build.'
          : lang === 'python'
            ? `${apart}; at import time one of them runs against a half-initialised copy of the other (\`ImportError: cannot import name … from partially initialized module\`).`
            : lang === 'java'
              ? `${apart}: the packages can only be compiled, versioned and released together.`
              : `${apart}; at load time one of them sees the other's exports still \`undefined\` (or in the temporal dead zone for ES modules).`;
      hits.push({
        file: closing.file,
        node: closing.node,
        message: `Import cycle: ${chain}. This import closes it. ${why}${extra}`,
        suggestion: { description: 'Move what both modules need into a separate module that neither imports back, or invert one dependency (pass a callback or depend on an interface) so the imports point one way.' },
      });
    }
    return hits;
  },
};

// Lines and counts chosen so that large but cohesive modules (a parser, a CLI) stay quiet.
const GOD_FILE_LINES = 1000;
const GOD_FILE_DECLS = 40;
const GOD_CLASS_METHODS = 40;
const GOD_CLASS_LINES = 1000;
const GOD_CLASS_METHODS_WHEN_LONG = 25;

function topLevelDecls(file: ParsedFile): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const lang = file.language;
  const fnTypes = LANG[lang].func;
  const classTypes = LANG[lang].classDecl;
  for (const st0 of file.root.namedChildren) {
    if (!st0) continue;
    let st: SyntaxNode = st0;
    if (st.type === 'export_statement') st = st.childForFieldName('declaration') ?? st;
    if (st.type === 'decorated_definition') st = st.childForFieldName('definition') ?? st;
    if (fnTypes.includes(st.type) || classTypes.includes(st.type)) out.push(st);
    else if (st.type === 'lexical_declaration' || st.type === 'variable_declaration') {
      for (const d of st.namedChildren) {
        const v = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
        if (v && (fnTypes.includes(v.type) || classTypes.includes(v.type))) out.push(d!);
      }
    }
  }
  return out;
}

/** True for a method body that does nothing itself: `pass`, `...`, `raise NotImplementedError`, empty, or a single `return`/`throw`. */
function isStub(fn: SyntaxNode): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return true;
  const stmts = body.namedChildren.filter((c) => c && !c.type.includes('comment'));
  if (stmts.length === 0) return true;
  if (stmts.length > 1) return false;
  const s = stmts[0]!;
  if (s.type === 'pass_statement' || s.type === 'raise_statement' || s.type === 'throw_statement') return true;
  if (s.type === 'expression_statement' && (s.namedChildren[0]?.type === 'ellipsis' || s.namedChildren[0]?.type === 'string')) return true;
  return false;
}

/** Methods that carry behaviour: accessors (`get x()`, `@property`) and stubs of abstract interfaces are not counted. */
function classMethods(cls: SyntaxNode, file: ParsedFile): number {
  const body = cls.childForFieldName('body');
  if (!body) return 0;
  let n = 0;
  for (const m of body.namedChildren) {
    let d: SyntaxNode | null = m;
    if (d?.type === 'decorated_definition') {
      if (d.namedChildren.some((c) => c?.type === 'decorator' && /^@(property|\w+\.setter|\w+\.getter|abstractmethod|abc\.abstractmethod|overload|typing\.overload)$/.test(c.text))) continue;
      d = d.childForFieldName('definition');
    }
    if (!d) continue;
    if (['method_definition', 'function_definition', 'method_declaration', 'constructor_declaration'].includes(d.type)) {
      if (d.children.some((c) => c?.type === 'get' || c?.type === 'set')) continue;
      if (isStub(d)) continue;
      n++;
    } else if (file.language !== 'python' && d.type === 'public_field_definition' && LANG[file.language].func.includes(d.childForFieldName('value')?.type ?? '')) n++;
  }
  return n;
}

/** Name of a class node, or of the variable it is assigned to (`var Node = class {…}`). */
function className(cls: SyntaxNode): string | undefined {
  const own = cls.childForFieldName('name')?.text;
  if (own) return own;
  const p = cls.parent;
  if (p?.type === 'variable_declarator' || p?.type === 'assignment_expression') return (p.childForFieldName('name') ?? p.childForFieldName('left'))?.text;
  return undefined;
}

/** Bundler output (esbuild, webpack, rollup helpers) concatenates many modules: not an authored module. */
function isBundle(decls: SyntaxNode[]): boolean {
  return decls.some((d) => /^(__toESM|__commonJS|__export|__webpack_require__|__require|__defProp|_interopRequireDefault)$/.test(d.childForFieldName('name')?.text ?? ''));
}

function headerRange(n: SyntaxNode): RuleHit['range'] {
  const line = n.startPosition.row + 1;
  return { startLine: line, endLine: line };
}

const godModule: FileRule = {
  kind: 'file',
  id: 'architecture/god-module',
  personas: ['architect'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'medium',
  category: 'god-module',
  title: 'Module or class with too many responsibilities',
  description:
    `Reports a file of more than ${GOD_FILE_LINES} lines with more than ${GOD_FILE_DECLS} top-level functions and classes, and a class with more than ${GOD_CLASS_METHODS} methods (or more than ${GOD_CLASS_LINES} lines and ${GOD_CLASS_METHODS_WHEN_LONG} methods). ` +
    'Such a unit usually mixes several concerns, so every change touches it and it is hard to test in parts. Split it by responsibility.',
  references: [],
  confidence: 0.7,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const lang = file.language;
    for (const cls of file.root.descendantsOfType([...LANG[lang].classDecl])) {
      if (!cls || (lang === 'go' && cls.type === 'type_declaration')) continue;
      const methods = classMethods(cls, file);
      const lines = spanLines(cls);
      if (methods > GOD_CLASS_METHODS || (lines > GOD_CLASS_LINES && methods > GOD_CLASS_METHODS_WHEN_LONG)) {
        const name = className(cls) ?? 'This class';
        hits.push({
          range: headerRange(cls),
          title: 'God class',
          message: `\`${name}\` has ${methods} methods over ${lines} lines. A class this large usually carries several responsibilities, so unrelated changes collide in it and it cannot be tested in parts.`,
          suggestion: { description: `Group the methods of \`${name}\` by the data they use and move each group into its own class that \`${name}\` delegates to.` },
        });
      }
    }
    if (file.lines.length > GOD_FILE_LINES) {
      const decls = topLevelDecls(file);
      // Go spreads a package over files and Java holds one class per file: count their declarations per file too.
      if (decls.length > GOD_FILE_DECLS && decls[0] && !isBundle(decls)) {
        hits.push({
          range: headerRange(decls[0]),
          title: 'God module',
          message: `\`${basename(file.file.path)}\` has ${file.lines.length} lines and ${decls.length} top-level ${lang === 'go' ? 'functions, methods and types' : 'functions and classes'}. A module this broad is a magnet for unrelated changes and merge conflicts, and its pieces cannot be reused or tested apart.`,
          suggestion: { description: 'Split the module by responsibility (for example parsing, validation, I/O) into smaller modules, and keep this one as a thin entry point that re-exports them if callers need one import.' },
        });
      }
    }
    return hits;
  },
};

const FAN_OUT_LIMIT = 20;

const NODE_BUILTINS = new Set(
  'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs fs/promises http http2 https inspector module net os path path/posix path/win32 perf_hooks process punycode querystring readline repl stream stream/promises string_decoder timers tls trace_events tty url util v8 vm wasi worker_threads zlib'.split(' '),
);
const PY_STDLIB = new Set(
  'abc argparse array ast asyncio base64 bisect builtins calendar collections contextlib copy csv dataclasses datetime decimal difflib email enum errno fnmatch functools gc getpass glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json logging math mimetypes multiprocessing numbers operator os pathlib pickle platform pprint queue random re secrets select shlex shutil signal socket sqlite3 ssl stat statistics string struct subprocess sys tempfile textwrap threading time timeit traceback types typing unicodedata unittest urllib uuid warnings weakref xml zipfile zlib __future__'.split(' '),
);

/** The module a reference counts as for fan-out, or undefined for standard-library modules. */
function fanOutKey(ref: ImportRef, file: ParsedFile): string | undefined {
  const s = ref.specifier;
  switch (file.language) {
    case 'python': {
      if (s.startsWith('.')) return s + (ref.names.length && s.replace(/\./g, '') === '' ? `:${ref.names.join(',')}` : '');
      return PY_STDLIB.has(s.split('.')[0]!) ? undefined : s;
    }
    case 'go':
      return s.split('/')[0]!.includes('.') ? s : undefined;
    case 'java': {
      if (/^(java|javax|jdk|sun)\./.test(s)) return undefined;
      // Count packages, not the single classes imported from them.
      const parts = s.replace(/\.\*$/, '').split('.');
      const cls = parts.findIndex((p) => /^[A-Z]/.test(p));
      return (cls > 0 ? parts.slice(0, cls) : parts).join('.');
    }
    default:
      if (s.startsWith('node:') || NODE_BUILTINS.has(s)) return undefined;
      return s;
  }
}

const highFanOut: FileRule = {
  kind: 'file',
  id: 'architecture/high-fan-out',
  personas: ['architect'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'medium',
  category: 'coupling',
  title: 'Module depends on too many others',
  description:
    `Reports a module that imports more than ${FAN_OUT_LIMIT} distinct modules (standard library, type-only imports and re-exports not counted; Java counted by package). ` +
    'High fan-out means the module changes whenever any of them does and is hard to test in isolation; it often coordinates too much itself. Split it or move orchestration behind a narrower interface.',
  references: [],
  confidence: 0.6,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path)) || project.testFiles.includes(file.file.path)) return [];
    const refs = importsOf(file).filter((r) => !r.typeOnly && !r.reexport);
    const distinct = new Map<string, ImportRef>();
    for (const r of refs) {
      const k = fanOutKey(r, file);
      if (k !== undefined && !distinct.has(k)) distinct.set(k, r);
    }
    if (distinct.size <= FAN_OUT_LIMIT) return [];
    const first = refs[0]!;
    const names = [...distinct.keys()];
    const shown = names.slice(0, 8).map((n) => `\`${n}\``).join(', ');
    return [
      {
        range: headerRange(first.node),
        message: `\`${basename(file.file.path)}\` imports ${distinct.size} distinct modules (${shown}, …). A module that depends on this many others changes whenever any of them does, is hard to test without a large set-up, and usually coordinates work that belongs elsewhere.`,
        suggestion: { description: 'Find the groups of imports used together and move each group, with the code that uses it, into its own module; keep this one as a thin coordinator.' },
      },
    ];
  },
};

/** The rules of this pack. */
export const rules: OfflineRule[] = [cyclicImports, godModule, highFanOut];
