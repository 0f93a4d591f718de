/** `architecture/high-fan-out`: modules that depend on too many others. */
import { basename, type ImportRef, importsOf } from '../../imports';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import type { SyntaxNode } from '../../syntax';
import { isJs } from '../../lang';
import { isTestPath } from '../../paths';
import { headerRange } from './util';

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

/** True when `n` sits in what a CommonJS or ES module exports: the value of `module.exports`/`exports.x = …`, or an `export` statement. */
function inExport(n: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = n.parent; p; p = p.parent) {
    // Inside a function or class, the name is used by code (which is then exported), not passed on.
    if (/function|arrow|method|class/.test(p.type)) return false;
    if (p.type === 'export_statement') return true;
    if (p.type === 'assignment_expression' && /^(module\.)?exports\b/.test(p.childForFieldName('left')?.text ?? '') && p.childForFieldName('left')?.id !== n.id) return true;
    if (p.type === 'expression_statement' || p.type === 'lexical_declaration' || p.type === 'variable_declaration' || p.type === 'program') return false;
  }
  return false;
}

/** Local names an import binds (`const a = require()`, `const { a, b: c } = require()`, `import a, { b as c } from`). */
function boundNames(ref: ImportRef): string[] {
  const out: string[] = [];
  const n = ref.node;
  if (n.type === 'import_statement') {
    const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
    for (const c of clause?.namedChildren ?? []) {
      if (c?.type === 'identifier') out.push(c.text);
      else if (c?.type === 'namespace_import') out.push(...c.namedChildren.filter((x) => x?.type === 'identifier').map((x) => x!.text));
      else if (c?.type === 'named_imports') {
        for (const spec of c.namedChildren) {
          const local = spec?.childForFieldName('alias') ?? spec?.childForFieldName('name');
          if (local) out.push(local.text);
        }
      }
    }
    return out;
  }
  const decl = n.parent?.type === 'variable_declarator' ? n.parent.childForFieldName('name') : null;
  if (decl?.type === 'identifier') out.push(decl.text);
  else if (decl?.type === 'object_pattern') {
    for (const p of decl.namedChildren) {
      if (p?.type === 'shorthand_property_identifier_pattern') out.push(p.text);
      else if (p?.type === 'pair_pattern' && p.childForFieldName('value')?.type === 'identifier') out.push(p.childForFieldName('value')!.text);
    }
  }
  return out;
}

/**
 * True for an import the module only passes on: a `require` written inside an export, or one whose
 * bindings are used nowhere but in exports (an entry point or barrel re-exporting the public API). The
 * module does not itself depend on what it re-exports, so fan-out does not count it.
 */
function passedOn(ref: ImportRef, file: ParsedFile): boolean {
  if (ref.reexport) return true;
  if (!isJs(file.language)) return false;
  if (ref.node.type === 'call_expression' && inExport(ref.node)) return true;
  const names = boundNames(ref);
  if (!names.length) return false;
  const uses = file.root.descendantsOfType(['identifier', 'shorthand_property_identifier']).filter((u): u is SyntaxNode => u !== null && names.includes(u.text));
  // The declaration itself is one occurrence of each name; every other use must be an export.
  const others = uses.filter((u) => !(u.startIndex >= ref.node.parent!.startIndex && u.endIndex <= ref.node.parent!.endIndex) && !(ref.node.type === 'import_statement' && u.startIndex >= ref.node.startIndex && u.endIndex <= ref.node.endIndex));
  return others.length > 0 && others.every(inExport);
}

export const highFanOut: FileRule = {
  kind: 'file',
  id: 'architecture/high-fan-out',
  personas: ['architect'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'medium',
  category: 'coupling',
  title: 'Module depends on too many others',
  description:
    `Reports a module that imports more than ${FAN_OUT_LIMIT} distinct modules (standard library, type-only imports and re-exports not counted: an entry point or barrel whose imports only feed \`module.exports\`/\`export\` passes them on rather than depending on them; Java counted by package). ` +
    'High fan-out means the module changes whenever any of them does and is hard to test in isolation; it often coordinates too much itself. Split it or move orchestration behind a narrower interface.',
  references: [],
  confidence: 0.6,
  // A coupling count: every finding on the well-reviewed libraries was debatable (a hub module is often meant to be one), so depth `thorough` only.
  depth: 'thorough',
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path)) || project.testFiles.includes(file.file.path)) return [];
    const distinctOf = (refs: ImportRef[]) => {
      const distinct = new Map<string, ImportRef>();
      for (const r of refs) {
        const k = fanOutKey(r, file);
        if (k !== undefined && !distinct.has(k)) distinct.set(k, r);
      }
      return distinct;
    };
    let refs = importsOf(file).filter((r) => !r.typeOnly && !r.reexport);
    if (distinctOf(refs).size <= FAN_OUT_LIMIT) return [];
    // Only a module over the limit is worth the closer look at what it merely passes on.
    refs = refs.filter((r) => !passedOn(r, file));
    const distinct = distinctOf(refs);
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
