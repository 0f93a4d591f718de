/**
 * Offline rules of the QA Engineer (`qa`): modules with public logic that no test references, and
 * public functions whose error paths no test exercises. Seed 000 ranks missing tests High.
 *
 * Test files are not parsed (they may be outside the review); their text is searched for import
 * specifiers and names, which is enough to tell whether a module or an error type is mentioned at all.
 */
import type { OfflineRule, ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../rule';
import type { SyntaxNode } from '../syntax';
import { calleeName, callArguments, LANG } from '../lang';
import {
  basename,
  dirname,
  exportedDeclarations,
  importsOf,
  isGenerated,
  isInternalModule,
  isTestPath,
  ModuleResolver,
  spanLines,
  walkOwn,
  type ExportedDecl,
} from './design-util';

/** A reviewed module with public logic, the unit both rules reason about. */
interface Candidate {
  file: ParsedFile;
  exports: ExportedDecl[];
  stem: string;
}

const NOT_UNIT_TESTED = /(^|\/)(examples?|docs?|scripts?|benchmarks?|bench|migrations|fixtures|samples?|demo|\.github)\//;
const ENTRY_FILES = new Set(['__init__.py', '__main__.py', 'setup.py', 'conftest.py', 'manage.py', 'wsgi.py', 'asgi.py', 'main.go', 'doc.go']);

function stemOf(path: string): string {
  return basename(path).replace(/\.d\.[cm]?ts$/, '').replace(/\.[^.]+$/, '');
}

/** True when a public function or class carries real logic: a body of 3 lines or more. */
function hasLogic(d: ExportedDecl): boolean {
  if (d.fn) return spanLines(d.fn) >= 3;
  const body = (d.node.type === 'variable_declarator' ? d.node.childForFieldName('value') : d.node)?.childForFieldName('body');
  return !!body && spanLines(body) >= 3 && body.namedChildren.some((m) => m && /method|function_definition|constructor/.test(m.type) && spanLines(m) >= 3);
}

function candidates(project: ProjectIndex): Candidate[] {
  const tests = new Set(project.testFiles);
  const out: Candidate[] = [];
  for (const f of project.parsed) {
    const p = f.file.path;
    if (tests.has(p) || isTestPath(p) || NOT_UNIT_TESTED.test(p) || ENTRY_FILES.has(basename(p)) || /\.d\.[cm]?ts$/.test(p) || /\.config\.[cm]?[jt]s$/.test(p)) continue;
    // Internal modules (`internal/`, Python `_private.py`) are normally tested through the public API.
    if (isGenerated(f) || isInternalModule(p, f.language)) continue;
    const exports = exportedDeclarations(f).filter(hasLogic);
    if (exports.length === 0) continue;
    out.push({ file: f, exports, stem: stemOf(p) });
  }
  return out;
}

/** Module specifiers a JS/TS test imports or requires (found in its text; test files are not parsed). */
function jsSpecifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+|\bmock\s*\(\s*)(['"`])([^'"`\n]+)\1/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[2]!);
  return out;
}

/** Dotted module names a Python test imports (`from a.b import c` gives `a.b` and `a.b.c`), plus `patch('a.b.c')` targets. */
function pyModules(text: string): string[] {
  const out: string[] = [];
  const fromRe = /^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,*]+)/gm;
  for (let m = fromRe.exec(text); m; m = fromRe.exec(text)) {
    out.push(m[1]!);
    for (const n of m[2]!.split(/[\s,]+/)) if (n && n !== 'as') out.push(`${m[1]}.${n}`);
  }
  const impRe = /^\s*import\s+([\w., ]+)/gm;
  for (let m = impRe.exec(text); m; m = impRe.exec(text)) for (const n of m[1]!.split(',')) out.push(n.trim().split(/\s+/)[0]!);
  const patchRe = /patch(?:\.object)?\(\s*['"]([\w.]+)['"]/g;
  for (let m = patchRe.exec(text); m; m = patchRe.exec(text)) {
    // `patch("pkg.mod.func")` names the module `pkg.mod` and maybe a submodule.
    const parts = m[1]!.split('.');
    for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.'));
  }
  return out;
}

function wordsOf(text: string, into: Set<string>): void {
  for (const w of text.split(/[^\w$]+/)) if (w) into.add(w);
}

const JS_TEST_EXTS = ['js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts'];

/**
 * Everything the QA rules need from the test files, read once: their words, the modules their imports
 * resolve to, Python dotted names, JS path-alias tails and file names. Built in one pass so that large
 * workspaces (thousands of tests and modules) stay fast.
 */
interface TestIndex {
  paths: string[];
  basenames: Map<string, string[]>;
  /** Every word of every test, and of the tests that assert failures. */
  words: Set<string>;
  assertingWords: Set<string>;
  /** All test texts joined, for message fragments. */
  allText: string;
  /** Reviewed files that a relative JS/TS import of some test resolves to. */
  jsResolved: Set<string>;
  /** Path-alias imports (`@/lib/x` → `lib/x`) and root-relative ones (`src/lib/x`), without extension. */
  jsAliasTails: Set<string>;
  pyNames: Set<string>;
  goWordsByDir: Map<string, Set<string>>;
}

function buildTestIndex(project: ProjectIndex, resolver: ModuleResolver): TestIndex {
  const idx: TestIndex = { paths: project.testFiles, basenames: new Map(), words: new Set(), assertingWords: new Set(), allText: '', jsResolved: new Set(), jsAliasTails: new Set(), pyNames: new Set(), goWordsByDir: new Map() };
  const roots = new Set(project.files.map((f) => f.path.split('/')[0]!));
  const texts: string[] = [];
  for (const t of project.testFiles) {
    const text = project.readTestFile(t) ?? '';
    texts.push(text);
    const b = basename(t);
    idx.basenames.set(b, [...(idx.basenames.get(b) ?? []), t]);
    wordsOf(text, idx.words);
    if (ERROR_ASSERTION.test(text)) wordsOf(text, idx.assertingWords);
    if (t.endsWith('.py')) {
      for (const m of pyModules(text)) idx.pyNames.add(m);
    } else if (t.endsWith('.go')) {
      const dir = dirname(t);
      const set = idx.goWordsByDir.get(dir) ?? new Set<string>();
      wordsOf(text, set);
      idx.goWordsByDir.set(dir, set);
    } else if (!t.endsWith('.java')) {
      for (const s of jsSpecifiers(text)) {
        if (s.startsWith('.')) {
          for (const r of resolver.resolve({ path: t, language: 'typescript' }, { specifier: s, names: [] })) idx.jsResolved.add(r);
          continue;
        }
        const bare = s.replace(/\.[cm]?[jt]sx?$/, '');
        const alias = /^(@|~|#)[\w-]*\/(.+)$/.exec(bare);
        if (alias && !bare.startsWith('@types/')) idx.jsAliasTails.add(alias[2]!);
        else if (roots.has(bare.split('/')[0]!) && bare.includes('/')) idx.jsAliasTails.add(bare);
      }
    }
  }
  idx.allText = texts.join('\n');
  return idx;
}

/** True when some test file is named after the module (`x.test.ts`, `test_x.py`, `x_test.go` beside it, `XTest.java`). */
function namedAfter(c: Candidate, idx: TestIndex): boolean {
  const stem = c.stem;
  const names: string[] = [];
  switch (c.file.language) {
    case 'python':
      names.push(`test_${stem}.py`, `${stem}_test.py`, `${stem}_tests.py`);
      break;
    case 'go':
      return (idx.basenames.get(`${stem}_test.go`) ?? []).some((t) => dirname(t) === dirname(c.file.file.path));
    case 'java':
      names.push(`${stem}Test.java`, `${stem}Tests.java`, `${stem}IT.java`);
      break;
    default:
      for (const kind of ['test', 'spec']) for (const e of JS_TEST_EXTS) names.push(`${stem}.${kind}.${e}`);
  }
  return names.some((n) => idx.basenames.has(n));
}

/** True when some test imports the module (or, for Go and Java, names its exports in the same package/anywhere). */
function referenced(f: ParsedFile, exports: ExportedDecl[], idx: TestIndex): boolean {
  const p = f.file.path;
  switch (f.language) {
    case 'python': {
      // The imported dotted name must end with the module's path (`pkg.mod` for `src/pkg/mod.py`).
      const parts = p.replace(/(\/__init__)?\.py$/, '').split('/');
      for (let i = parts.length - 1; i >= 0; i--) if (idx.pyNames.has(parts.slice(i).join('.'))) return true;
      return false;
    }
    case 'go': {
      const words = idx.goWordsByDir.get(dirname(p));
      return !!words && exports.some((e) => words.has(e.name));
    }
    case 'java':
      return idx.words.has(stemOf(p));
    default: {
      if (idx.jsResolved.has(p)) return true;
      const noExt = p.replace(/\.[cm]?[jt]sx?$/, '');
      const segs = (stemOf(p) === 'index' ? noExt.slice(0, -'/index'.length) : noExt).split('/');
      for (let i = 0; i < segs.length; i++) if (idx.jsAliasTails.has(segs.slice(i).join('/'))) return true;
      return false;
    }
  }
}

interface Coverage {
  cands: Candidate[];
  covered: Set<string>;
  tests: TestIndex;
}

const coverageCache = new WeakMap<ProjectIndex, Coverage>();

/**
 * Which reviewed modules some test references: by test file name, by an import that resolves to the
 * module (or a path alias ending with its path), by Python dotted name, by a Go test in the same
 * package naming one of its exports, or by a Java test naming its class. Coverage then flows from a
 * referenced module to the modules it re-exports (barrels, `__init__.py`). Computed once per review.
 */
function coverage(project: ProjectIndex): Coverage {
  const cached = coverageCache.get(project);
  if (cached) return cached;
  const resolver = new ModuleResolver(project.files, project.parsed);
  const cands = candidates(project);
  const tests = buildTestIndex(project, resolver);
  const covered = new Set<string>();
  if (project.testFiles.length) {
    const byPath = new Map(cands.map((c) => [c.file.file.path, c]));
    for (const f of project.parsed) {
      const c = byPath.get(f.file.path);
      if ((c && namedAfter(c, tests)) || referenced(f, c?.exports ?? exportedDeclarations(f), tests)) covered.add(f.file.path);
    }
    const reexports = new Map<string, string[]>();
    for (const f of project.parsed) {
      const isInit = basename(f.file.path) === '__init__.py';
      const targets: string[] = [];
      for (const r of importsOf(f)) {
        if ((!r.reexport && !isInit) || r.deferred) continue;
        targets.push(...resolver.resolve(f.file, r));
      }
      if (targets.length) reexports.set(f.file.path, targets);
    }
    const queue = [...covered];
    while (queue.length) {
      for (const t of reexports.get(queue.pop()!) ?? []) {
        if (covered.has(t)) continue;
        covered.add(t);
        queue.push(t);
      }
    }
  }
  const result = { cands, covered, tests };
  coverageCache.set(project, result);
  return result;
}

function testFileSuggestion(c: Candidate): string {
  const p = c.file.file.path;
  const dir = dirname(p);
  switch (c.file.language) {
    case 'python':
      return `tests/test_${c.stem}.py`;
    case 'go':
      return `${dir ? `${dir}/` : ''}${c.stem}_test.go`;
    case 'java':
      return p.replace('/main/', '/test/').replace(/\.java$/, 'Test.java');
    default:
      return p.replace(/\.([cm]?[jt]sx?)$/, '.test.$1');
  }
}

function firstExportHit(c: Candidate): { file: string; range: { startLine: number; endLine: number } } {
  const line = c.exports[0]!.nameNode.startPosition.row + 1;
  return { file: c.file.file.path, range: { startLine: line, endLine: line } };
}

const untestedModule: ProjectRule = {
  kind: 'project',
  id: 'qa/untested-module',
  personas: ['qa'],
  severity: 'high',
  category: 'missing-tests',
  title: 'Module without tests',
  description:
    'Reports reviewed modules with public functions or classes that no test file references (by conventional test file name, by import, by Go package tests naming its exports, or by Java tests naming its class; coverage flows through re-exporting barrels and `__init__.py`). ' +
    'When none of the modules of a project (a top-level folder) has tests, one finding says so instead of one per module. Untested public logic breaks silently when it changes.',
  references: [],
  confidence: 0.7,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const { cands, covered } = coverage(project);
    if (cands.length === 0) return [];
    // Top-level directories are separate projects (a folder of installed packages, a monorepo): a
    // project none of whose modules is tested gets one finding, not one per module.
    const groups = new Map<string, Candidate[]>();
    for (const c of cands) {
      const p = c.file.file.path;
      const key = project.testFiles.length === 0 || !p.includes('/') ? '' : p.slice(0, p.indexOf('/'));
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const hits: ProjectHit[] = [];
    const untested: Candidate[] = [];
    for (const [key, group] of groups) {
      const missing = group.filter((c) => !covered.has(c.file.file.path));
      if (missing.length < group.length || group.length === 1) {
        untested.push(...missing);
        continue;
      }
      const bySize = [...group].sort((a, b) => b.file.lines.length - a.file.lines.length);
      const largest = bySize[0]!;
      const names = bySize.slice(0, 5).map((c) => `\`${c.file.file.path}\``).join(', ');
      const where = groups.size > 1 && key ? ` under \`${key}/\`` : '';
      const list = `${names}${group.length > 5 ? ', …' : ''}`;
      const what =
        project.testFiles.length === 0
          ? `No test files were found in the project around these files, so none of the ${group.length} reviewed modules with public logic${where} has tests (largest first: ${list}).`
          : `None of the ${project.testFiles.length} test files in the workspace references any of the ${group.length} reviewed modules with public logic${where} (largest first: ${list}).`;
      hits.push({
        ...firstExportHit(largest),
        message: `${what} Any change to them can break callers without anything failing.`,
        suggestion: { description: `Start with the module most others depend on, e.g. a \`${testFileSuggestion(largest)}\` covering the main behaviour, the edge cases and the error paths of \`${largest.exports[0]!.name}\`.` },
      });
    }
    for (const c of untested) {
      const names = c.exports.slice(0, 4).map((e) => `\`${e.name}\``).join(', ');
      hits.push({
        ...firstExportHit(c),
        message: `No test references \`${c.file.file.path}\`, which exposes ${c.exports.length} public function(s)/class(es) with logic (${names}${c.exports.length > 4 ? ', …' : ''}). Nothing checks its behaviour directly, so a regression would surface far from its cause, if at all before release.`,
        suggestion: { description: `Add \`${testFileSuggestion(c)}\` with tests for the normal behaviour, boundary values and error paths of ${names}.` },
      });
    }
    return hits;
  },
};

// Generic error types say nothing about which failure is meant; they are matched only through the function name.
const GENERIC_ERRORS = new Set(['Error', 'Exception', 'BaseException', 'RuntimeException', 'Throwable', 'RuntimeError', 'errors.New', 'fmt.Errorf']);

// Exceptions that signal protocol or control flow (end of iteration, abstract method, exit), not failures to test.
const NOT_ERROR_PATHS = new Set(['StopIteration', 'StopAsyncIteration', 'NotImplementedError', 'GeneratorExit', 'KeyboardInterrupt', 'SystemExit', 'UnsupportedOperationException', 'AssertionError', 'NotImplementedException']);

/** Constant fragments (≥ 10 characters) of the message literal of a throw/raise/return, for finding tests that check the message. */
function messageFragments(n: SyntaxNode, file: ParsedFile): string[] {
  const lit = n.descendantsOfType([...LANG[file.language].string])[0];
  if (!lit) return [];
  const raw = lit.text.replace(/^[a-zA-Z]*("""|'''|["'`])/, '').replace(/("""|'''|["'`])$/, '');
  return raw
    .split(/%[-+# 0-9.]*[a-zA-Z]|\$\{[^}]*\}|\{[^}]*\}|\\./)
    .map((f) => f.replace(/^[\s"'`:,.;-]+|[\s"'`:,.;-]+$/g, ''))
    .filter((f) => f.length >= 10);
}

// Constructs a test uses to assert that something fails (node:test/Jest/Vitest/Mocha/Chai, pytest/unittest, JUnit/AssertJ, Go).
const ERROR_ASSERTION = /\.toThrow|\.rejects\b|assert\.(throws|rejects)|\.to\.throw|\.to\.be\.rejected|expect\(.*\)\.toThrowError|pytest\.raises|assertRaises|assertThrows|assertThatThrownBy|assertThatExceptionOfType|expectThrows|@Test\s*\(\s*expected|err\s*==\s*nil|err\s*!=\s*nil|wantErr|errors\.Is\(|errors\.As\(|require\.Error|assert\.Error/;

/** The error a statement raises, or undefined when it is a re-raise of a variable. */
function thrownType(n: SyntaxNode, file: ParsedFile): string | undefined {
  const lang = file.language;
  if (n.type === 'throw_statement') {
    const v = n.namedChildren.find((c) => c && !c.type.includes('comment'));
    if (v?.type === 'new_expression' || v?.type === 'object_creation_expression') {
      const name = calleeName(v, lang).replace(/^new /, '');
      return name.split('.').pop() || undefined;
    }
    return undefined;
  }
  if (n.type === 'raise_statement') {
    const v = n.namedChildren[0];
    if (!v) return undefined;
    const callee = v.type === 'call' ? v.childForFieldName('function') : v;
    if (!callee) return undefined;
    const name = callee.text.split('.').pop() ?? '';
    // `raise err` re-raises a caught variable; exception classes are CapWords (PEP 8).
    return /^[A-Z]/.test(name) ? name : undefined;
  }
  if (n.type === 'return_statement' && lang === 'go') {
    const list = n.namedChildren[0];
    const last = list?.type === 'expression_list' ? list.namedChildren[list.namedChildCount - 1] : list;
    if (!last) return undefined;
    if (last.type === 'call_expression') {
      const name = calleeName(last, lang);
      // `fmt.Errorf("…: %w", err)` wraps an error from below; only errors made here are this function's own.
      if (name === 'errors.New') return name;
      if (name === 'fmt.Errorf') return callArguments(last)[0]?.text.includes('%w') ? undefined : name;
      return undefined;
    }
    if (last.type === 'identifier' && /^Err[A-Z]/.test(last.text)) return last.text;
    if (last.type === 'selector_expression' && /^Err[A-Z]/.test(last.childForFieldName('field')?.text ?? '')) return last.childForFieldName('field')!.text;
    if (last.type === 'unary_expression' && last.namedChildren[0]?.type === 'composite_literal') {
      const t = last.namedChildren[0].childForFieldName('type')?.text ?? '';
      return /Error$/.test(t) ? t.split('.').pop() : undefined;
    }
  }
  return undefined;
}

const untestedErrorPath: ProjectRule = {
  kind: 'project',
  id: 'qa/untested-error-path',
  personas: ['qa'],
  severity: 'medium',
  category: 'missing-tests',
  title: 'Error path without a test',
  description:
    'In modules that have tests, reports public functions that throw or raise an error (`throw new XError`, `raise ValueError`, Go `return …, ErrX` / `errors.New` / `fmt.Errorf`) when no test file names that error type, quotes its message, or both names the function and asserts a failure (`toThrow`, `rejects`, `pytest.raises`, `assertThrows`, `err != nil`, …). ' +
    'Error paths are where untested code most often hides wrong messages, leaked resources and swallowed failures.',
  references: [],
  confidence: 0.6,
  checkProject(project: ProjectIndex): ProjectHit[] {
    if (project.testFiles.length === 0) return [];
    const { cands, covered, tests } = coverage(project);
    const hits: ProjectHit[] = [];
    for (const c of cands) {
      if (!covered.has(c.file.file.path)) continue; // qa/untested-module covers it
      for (const d of c.exports) {
        const fns: Array<{ fn: SyntaxNode; name: string }> = [];
        if (d.fn) fns.push({ fn: d.fn, name: d.name });
        else if (c.file.language !== 'java') {
          // Java methods are listed as exports of their own.
          const body = (d.node.type === 'variable_declarator' ? d.node.childForFieldName('value') : d.node)?.childForFieldName('body');
          for (const m of body?.namedChildren ?? []) {
            const def = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
            const nm = def?.childForFieldName('name')?.text;
            if (def && nm && /method|function_definition/.test(def.type) && !nm.startsWith('_') && !nm.startsWith('#') && nm !== 'constructor') fns.push({ fn: def, name: nm });
          }
        }
        for (const { fn, name } of fns) {
          let first: { node: SyntaxNode; type: string } | undefined;
          walkOwn(fn, c.file.language, (n) => {
            if (first) return false;
            if (n.type !== 'throw_statement' && n.type !== 'raise_statement' && n.type !== 'return_statement') return true;
            const t = thrownType(n, c.file);
            if (t && !NOT_ERROR_PATHS.has(t)) first = { node: n, type: t };
            return false;
          });
          if (!first) continue;
          const specific = !GENERIC_ERRORS.has(first.type);
          if (specific && tests.words.has(first.type)) continue;
          if (tests.assertingWords.has(name)) continue;
          if (messageFragments(first.node, c.file).some((f) => tests.allText.includes(f))) continue;
          const shown = first.type === 'errors.New' || first.type === 'fmt.Errorf' ? `an error (\`${first.type}\`)` : `\`${first.type}\``;
          hits.push({
            file: c.file.file.path,
            node: first.node,
            message: `\`${name}\` ${c.file.language === 'go' ? 'returns' : 'throws'} ${shown} here, but no test ${specific ? `mentions \`${first.type}\` or ` : ''}asserts that \`${name}\` fails. The error path (its condition, message and clean-up) is unverified, and a regression in it would go unnoticed.`,
            suggestion: { description: `Add a test that drives \`${name}\` into this failure and asserts the ${c.file.language === 'go' ? 'returned error' : 'error type and message'}.` },
          });
        }
      }
    }
    return hits;
  },
};

/** The rules of this pack. */
export const rules: OfflineRule[] = [untestedModule, untestedErrorPath];
