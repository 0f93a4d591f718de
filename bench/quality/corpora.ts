/**
 * The corpora of the review-quality benchmark: which public repository at which pinned commit
 * (bench/quality/corpora.tsv), what part of it is reviewed, and where its truth comes from.
 * No corpus code is ever committed here; the runner reads them from a folder the user names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a corpus's truth is known. */
export type CorpusKind =
  /** OWASP Benchmark: expectedresults-*.csv, one test case per file, scored TPR − FPR per category. */
  | 'owasp'
  /** `// BAD` markers on the vulnerable lines (securibench-micro.js); the markers are removed before review. */
  | 'markers'
  /** A deliberately vulnerable app with a truth file written here (bench/quality/truth/<name>.yaml). */
  | 'app'
  /** A well-reviewed library: precision only, from a labels file (bench/quality/labels/<name>.yaml). */
  | 'library';

/** One corpus. */
export interface CorpusDef {
  /** Folder name under the corpora folder, and the name printed. */
  name: string;
  /** `owner/name` on GitHub. */
  repo: string;
  /** Pinned commit (40 hex). */
  commit: string;
  kind: CorpusKind;
  /** Main language, for the anchors: `js` runs ESLint, `py` runs bandit; `go` and `java` have no anchor here. */
  language: 'js' | 'py' | 'go' | 'java';
  /** What is reviewed, relative to the corpus root. */
  paths: string[];
  /** Gitignore-style globs left out of the review (vendored assets, tests of a library, metadata). */
  exclude?: string[];
  /** OWASP: the expected-results CSV (corpus-relative) and the path of a test case's source from its name. */
  expected?: string;
  caseFile?: (name: string) => string;
}

/** Vendored and generated front-end code the apps ship; no truth is about it and no reviewer is asked to read it. */
const APP_ASSETS = ['**/vendor/**', '**/*.min.js', '**/static/**', '**/assets/**', '**/public/**/*.js', '**/node_modules/**', '**/migrations/**'];
/** Tests and examples of a library: the benchmark reviews the library's shipped source. */
const GO_TESTS = ['**/*_test.go', '_examples/**', 'testdata/**', 'site/**'];

/** Corpus definitions without repo/commit (those come from corpora.tsv). */
const SHAPES: Array<Omit<CorpusDef, 'repo' | 'commit'>> = [
  {
    name: 'BenchmarkJava',
    kind: 'owasp',
    language: 'java',
    paths: ['src/main/java/org/owasp/benchmark/testcode'],
    expected: 'expectedresults-1.2.csv',
    caseFile: (n) => `src/main/java/org/owasp/benchmark/testcode/${n}.java`,
  },
  {
    name: 'BenchmarkPython',
    kind: 'owasp',
    language: 'py',
    paths: ['testcode'],
    // The .xml beside each test case states its category and whether it is vulnerable: never reviewed.
    exclude: ['**/*.xml'],
    expected: 'expectedresults-0.1.csv',
    caseFile: (n) => `testcode/${n}.py`,
  },
  { name: 'securibench-micro.js', kind: 'markers', language: 'js', paths: ['test-cases'] },
  { name: 'dvna', kind: 'app', language: 'js', paths: ['.'], exclude: APP_ASSETS },
  { name: 'NodeGoat', kind: 'app', language: 'js', paths: ['.'], exclude: [...APP_ASSETS, 'test/**', 'cypress/**', 'Gruntfile.js'] },
  { name: 'pygoat', kind: 'app', language: 'py', paths: ['.'], exclude: [...APP_ASSETS, '**/templates/**'] },
  { name: 'dvpwa', kind: 'app', language: 'py', paths: ['.'], exclude: APP_ASSETS },
  { name: 'Vulnerable-Flask-App', kind: 'app', language: 'py', paths: ['.'], exclude: [...APP_ASSETS, 'tests/**', 'old-workflows/**'] },
  { name: 'fastify', kind: 'library', language: 'js', paths: ['fastify.js', 'lib'] },
  { name: 'koa', kind: 'library', language: 'js', paths: ['lib'] },
  { name: 'undici', kind: 'library', language: 'js', paths: ['index.js', 'lib'] },
  { name: 'httpx', kind: 'library', language: 'py', paths: ['httpx'] },
  { name: 'click', kind: 'library', language: 'py', paths: ['src/click'] },
  { name: 'rich', kind: 'library', language: 'py', paths: ['rich'] },
  { name: 'chi', kind: 'library', language: 'go', paths: ['.'], exclude: GO_TESTS },
  { name: 'mux', kind: 'library', language: 'go', paths: ['.'], exclude: GO_TESTS },
  { name: 'cobra', kind: 'library', language: 'go', paths: ['.'], exclude: GO_TESTS },
  { name: 'gson', kind: 'library', language: 'java', paths: ['gson/src/main/java'] },
  { name: 'jsoup', kind: 'library', language: 'java', paths: ['src/main/java'] },
  { name: 'javapoet', kind: 'library', language: 'java', paths: ['src/main/java'] },
];

/** Folder of this module (bench/quality). */
export const QUALITY_DIR = __dirname;

/**
 * Parses corpora.tsv (`name<TAB>repo<TAB>commit`, a header line first). Throws with the line number on a
 * malformed line.
 */
export function parseCorporaTsv(text: string): Map<string, { repo: string; commit: string }> {
  const out = new Map<string, { repo: string; commit: string }>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (i === 0 || !line.trim()) return;
    const [name, repo, commit] = line.split('\t');
    if (!name || !repo || !commit || !/^[0-9a-f]{40}$/.test(commit)) throw new Error(`corpora.tsv line ${i + 1}: expected "name<TAB>owner/repo<TAB>40-hex commit", got "${line}"`);
    out.set(name, { repo, commit });
  });
  return out;
}

/** Every corpus, in the order printed. Throws when corpora.tsv lacks one. */
export function loadCorpora(): CorpusDef[] {
  const pins = parseCorporaTsv(fs.readFileSync(path.join(QUALITY_DIR, 'corpora.tsv'), 'utf8'));
  return SHAPES.map((s) => {
    const pin = pins.get(s.name);
    if (!pin) throw new Error(`bench/quality/corpora.tsv has no line for corpus ${s.name}`);
    return { ...s, ...pin };
  });
}
