/**
 * Which reviewed modules the tests reference, computed once per review and shared by the QA rules.
 *
 * Test files are not parsed (they may be outside the review); their text is searched for import
 * specifiers and names, which is enough to tell whether a module or an error type is mentioned at all.
 */
import type { ParsedFile, ProjectIndex } from '../../rule';
import { type ExportedDecl, exportedDeclarations, isGenerated, isInternalModule } from '../../declarations';
import { basename, dirname, importsOf, ModuleResolver } from '../../imports';
import { spanLines } from '../../nodes';
import { isTestPath } from '../../paths';

/** A reviewed module with public logic, the unit both rules reason about. */
export interface Candidate {
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
export function coverage(project: ProjectIndex): Coverage {
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

// Constructs a test uses to assert that something fails (node:test/Jest/Vitest/Mocha/Chai, pytest/unittest, JUnit/AssertJ, Go).
const ERROR_ASSERTION = /\.toThrow|\.rejects\b|assert\.(throws|rejects)|\.to\.throw|\.to\.be\.rejected|expect\(.*\)\.toThrowError|pytest\.raises|assertRaises|assertThrows|assertThatThrownBy|assertThatExceptionOfType|expectThrows|@Test\s*\(\s*expected|err\s*==\s*nil|err\s*!=\s*nil|wantErr|errors\.Is\(|errors\.As\(|require\.Error|assert\.Error/;
