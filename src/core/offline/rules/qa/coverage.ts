/**
 * Which reviewed modules the tests reference, computed once per review and shared by the QA rules.
 *
 * Test files are not parsed (they may be outside the review); their text is searched for import
 * specifiers and names, which is enough to tell whether a module or an error type is mentioned at all.
 */
import * as path from 'node:path';
import type { ParsedFile, ProjectIndex } from '../../rule';
import { type ExportedDecl, exportedDeclarations, isGenerated, isInternalModule } from '../../declarations';
import { basename, dirname, importsOf, ModuleResolver } from '../../imports';
import { spanLines } from '../../nodes';
import { isInstalledPackagePath, isTestPath } from '../../paths';

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

/**
 * Coverage pragmas of the usual tools: coverage.py `# pragma: no cover`, Istanbul `istanbul ignore`, c8/v8
 * `c8 ignore` / `v8 ignore` (`next`, `file`, `start`).
 */
const COVERAGE_PRAGMA = /pragma:\s*no\s*cover|(istanbul|c8|v8)\s+ignore(\s+(next|file|start|else|if))?/i;

/** True when a declaration carries a coverage pragma on its first line or on the line above it. */
function excludedFromCoverage(d: ExportedDecl, f: ParsedFile): boolean {
  const row = d.outer.startPosition.row;
  return COVERAGE_PRAGMA.test(`${f.lines[row - 1] ?? ''}\n${f.lines[row] ?? ''}\n${f.lines[d.nameNode.startPosition.row] ?? ''}`);
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
    // An installed package (node_modules, site-packages, the Go module cache) ships without its tests.
    if (isInstalledPackagePath(p)) continue;
    // A coverage pragma on the file or on a declaration says the authors chose not to test it.
    if (COVERAGE_PRAGMA.test(f.lines.slice(0, 3).join('\n')) && /file|start/.test(f.lines.slice(0, 3).join('\n').match(COVERAGE_PRAGMA)?.[0] ?? '')) continue;
    const exports = exportedDeclarations(f).filter((d) => hasLogic(d) && !excludedFromCoverage(d, f));
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
  /** Reviewed files that a JS/TS import of some test (or of a helper it imports) resolves to. */
  jsResolved: Set<string>;
  /** Path-alias imports (`@/lib/x` → `lib/x`) and root-relative ones (`src/lib/x`), without extension. */
  jsAliasTails: Set<string>;
  pyNames: Set<string>;
  goWordsByDir: Map<string, Set<string>>;
}

const JS_SOURCE = /\.([cm]?[jt]sx?)$/;
const JS_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.jsx', '.tsx', '.mts', '.cts'];

/**
 * Resolves JS/TS module specifiers on disk, from files of the project (workspace-relative paths with
 * forward slashes, which may start with `../` when the project is wider than the workspace), as Node and
 * TypeScript do (nodejs.org/api/modules.html "All together", nodejs.org/api/packages.html "Package entry
 * points"). Existence is read through {@link ProjectIndex.readProjectFile}, which caches.
 */
class DiskResolver {
  private readonly packages = new Map<string, { name: string; dir: string } | null>();

  constructor(private readonly project: ProjectIndex) {}

  /** `dir/rel` normalised, workspace-relative ('' for the workspace root). */
  join(dir: string, rel: string): string {
    const abs = path.resolve(this.project.root, dir || '.', rel);
    return path.relative(this.project.root, abs).split(path.sep).join('/');
  }

  private exists(p: string): boolean {
    return this.project.readProjectFile(p) !== undefined;
  }

  /**
   * A module path (with or without extension) resolved to a file: the file itself, with an extension
   * added or swapped (`./x.js` written for `x.ts`), else (when `folders`) a folder's package entry.
   */
  file(base: string, folders = true): string | undefined {
    const ext = JS_SOURCE.exec(base)?.[0];
    if (ext && this.exists(base)) return base;
    const stem = ext ? base.slice(0, -ext.length) : base;
    for (const e of JS_EXTENSIONS) if (this.exists(stem + e)) return stem + e;
    return folders ? this.packageEntry(base) : undefined;
  }

  /**
   * The entry file of the package in folder `dir` for `subpath` ('' for the package itself): package.json
   * `exports` (`require`, `node`, `default` or `import` condition) or `main`, else `index.*`.
   */
  packageEntry(dir: string, subpath = ''): string | undefined {
    let manifest: { main?: unknown; exports?: unknown } | undefined;
    try {
      const text = this.project.readProjectFile(this.join(dir, 'package.json'));
      manifest = text === undefined ? undefined : (JSON.parse(text) as { main?: unknown; exports?: unknown });
    } catch {
      manifest = undefined; // a malformed package.json: fall back to index files
    }
    const pick = (v: unknown): string | undefined => {
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        for (const k of ['require', 'node', 'default', 'import']) {
          const r = pick(o[k]);
          if (r) return r;
        }
      }
      return undefined;
    };
    const exp = manifest?.exports;
    const target = typeof exp === 'string' && !subpath ? exp : exp && typeof exp === 'object' ? pick((exp as Record<string, unknown>)[subpath ? `./${subpath}` : '.']) : undefined;
    for (const t of [target, subpath ? undefined : pick(manifest?.main)]) {
      const r = t ? this.file(this.join(dir, t), false) : undefined;
      if (r) return r;
    }
    return this.file(this.join(dir, subpath || 'index'), false);
  }

  /** The nearest package.json at or above `dir` that has a `name`, with its folder. */
  ownPackage(dir: string): { name: string; dir: string } | undefined {
    const hit = this.packages.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: { name: string; dir: string } | null = null;
    const text = this.project.readProjectFile(this.join(dir, 'package.json'));
    if (text !== undefined) {
      try {
        const name = (JSON.parse(text) as { name?: unknown }).name;
        if (typeof name === 'string') found = { name, dir };
      } catch {
        found = null; // malformed: look further up
      }
    }
    const parent = this.join(dir, '..');
    if (!found && parent !== dir && parent.split('/').filter((x) => x === '..').length <= 12) found = this.ownPackage(parent) ?? null;
    this.packages.set(dir, found);
    return found ?? undefined;
  }

  /** What `spec`, imported from `file`, loads: a relative path or the package's own name; undefined for other packages. */
  resolve(file: string, spec: string): string | undefined {
    const dir = this.join(file, '..');
    if (spec.startsWith('.')) return this.file(this.join(dir, spec.split('?')[0]!));
    const own = this.ownPackage(dir);
    if (own && (spec === own.name || spec.startsWith(`${own.name}/`))) return this.packageEntry(own.dir, spec.slice(own.name.length + 1));
    return undefined;
  }
}

/** At most this many test helpers (files the tests import that are neither tests nor reviewed) are followed, up to 3 imports deep. */
const MAX_HELPERS = 2000;

/**
 * Reviewed JS/TS files the tests import, directly or through helpers (a `test/helper.js` that requires
 * `lib/context.js`): relative specifiers and the package's own name (`require('koa')` in koa's tests)
 * are resolved on disk like Node does, so `require('../..')` reaches the package's `main`.
 */
function jsReached(project: ProjectIndex, resolver: ModuleResolver, texts: Map<string, string>): Set<string> {
  const disk = new DiskResolver(project);
  const reached = new Set<string>();
  const seen = new Set<string>(texts.keys());
  let queue: Array<[string, string]> = [...texts];
  let helpers = 0;
  for (let depth = 0; depth < 4 && queue.length; depth++) {
    const next: Array<[string, string]> = [];
    for (const [file, text] of queue) {
      for (const spec of jsSpecifiers(text)) {
        const target = disk.resolve(file, spec);
        if (!target) continue;
        if (resolver.has(target)) reached.add(target);
        else if (!seen.has(target) && !/(^|\/)node_modules\//.test(target) && helpers < MAX_HELPERS && depth < 3) {
          seen.add(target);
          helpers++;
          const t = project.readProjectFile(target);
          if (t !== undefined) next.push([target, t]);
        }
      }
    }
    queue = next;
  }
  return reached;
}

function buildTestIndex(project: ProjectIndex, resolver: ModuleResolver): TestIndex {
  const idx: TestIndex = { paths: project.testFiles, basenames: new Map(), words: new Set(), assertingWords: new Set(), allText: '', jsResolved: new Set(), jsAliasTails: new Set(), pyNames: new Set(), goWordsByDir: new Map() };
  const roots = new Set(project.files.map((f) => f.path.split('/')[0]!));
  const texts: string[] = [];
  const jsTexts = new Map<string, string>();
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
      jsTexts.set(t, text);
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
  for (const r of jsReached(project, resolver, jsTexts)) idx.jsResolved.add(r);
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

/** What the tests reach, per reviewed module (workspace-relative paths). */
export interface Coverage {
  cands: Candidate[];
  /** Modules a test references directly (name, import, dotted name, package words) or through a re-export. */
  covered: Set<string>;
  /** `covered` and every module they load at run time, transitively: code the tests execute. */
  exercised: Set<string>;
  tests: TestIndex;
}

const coverageCache = new WeakMap<ProjectIndex, Coverage>();

/**
 * Which reviewed modules some test references: by test file name, by an import that resolves to the
 * module (or a path alias ending with its path), by Python dotted name, by a Go test in the same
 * package naming one of its exports, or by a Java test naming its class. Coverage then flows from a
 * referenced module to the modules it re-exports (barrels, `__init__.py`), and `exercised` further to
 * every module loaded at run time by one that is covered. Computed once per review.
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
  // A module that a tested module loads at run time runs in those tests too (type-only imports do not load it).
  const exercised = new Set(covered);
  if (exercised.size) {
    const loads = new Map<string, string[]>();
    for (const f of project.parsed) loads.set(resolver.keyOf(f.file), importsOf(f).filter((r) => !r.typeOnly).flatMap((r) => resolver.resolve(f.file, r)));
    const keyToFiles = new Map<string, string[]>();
    for (const f of project.parsed) keyToFiles.set(resolver.keyOf(f.file), [...(keyToFiles.get(resolver.keyOf(f.file)) ?? []), f.file.path]);
    const queue = [...new Set([...exercised].map((p) => resolver.keyOf({ path: p, language: p.endsWith('.go') ? 'go' : '' })))];
    const seen = new Set(queue);
    while (queue.length) {
      for (const k of loads.get(queue.pop()!) ?? []) {
        if (seen.has(k)) continue;
        seen.add(k);
        queue.push(k);
        for (const p of keyToFiles.get(k) ?? []) exercised.add(p);
      }
    }
  }
  const result = { cands, covered, exercised, tests };
  coverageCache.set(project, result);
  return result;
}

// Constructs a test uses to assert that something fails (node:test/Jest/Vitest/Mocha/Chai, pytest/unittest, JUnit/AssertJ, Go).
const ERROR_ASSERTION = /\.toThrow|\.rejects\b|assert\.(throws|rejects)|\.to\.throw|\.to\.be\.rejected|expect\(.*\)\.toThrowError|pytest\.raises|assertRaises|assertThrows|assertThatThrownBy|assertThatExceptionOfType|expectThrows|@Test\s*\(\s*expected|err\s*==\s*nil|err\s*!=\s*nil|wantErr|errors\.Is\(|errors\.As\(|require\.Error|assert\.Error/;
