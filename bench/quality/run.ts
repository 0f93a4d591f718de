/**
 * The review-quality benchmark (a benchmark, not a test: it prints figures and never asserts them).
 *
 *   npm run bench:quality -- --corpora <folder> [--provider offline|anthropic] [--only a,b]
 *       [--persona ids] [--offline-depth precise|thorough] [--no-anchors] [--no-speed] [--unlabeled] [--stubs todo.yaml] [--json out.json] [--yes]
 *
 * For every corpus found in <folder> (names and pinned commits in bench/quality/corpora.tsv; how to get
 * them in bench/quality/README.md) it reviews the corpus with the chosen provider, runs the anchors
 * (ESLint + eslint-plugin-security + eslint-plugin-sonarjs on JavaScript/TypeScript, bandit on Python) on
 * the same files, matches every tool's findings against the corpus's truth and labels, and prints recall,
 * precision and findings per 1,000 lines per rule and per persona; the OWASP Benchmark score per category;
 * and the offline reviewer's wall time relative to ESLint + eslint-plugin-security on the README's main job.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildContext } from '../../src/core/context';
import { reviewContext } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { OFFLINE_DEPTHS, type OfflineDepth } from '../../src/core/offline/rule';
import { AnthropicProvider, anthropicKeyFromEnv } from '../../src/core/providers/anthropic';
import { builtinPersonaDir, loadPersonas, resolvePersonaIds } from '../../src/core/personas';
import type { Finding, ReviewProvider } from '../../src/core/types';
import type { ParsedLanguage } from '../../src/core/offline/syntax';
import { banditAvailable, eslintBin, ESLINT_SECURITY_ONLY_CONFIG, runBandit, runEslint, timeCommand } from './anchors';
import { loadCorpora, type CorpusDef } from './corpora';
import { compatibleCwe, findingCwes } from './cwe';
import {
  fmt,
  groupJudged,
  judge,
  markerGroup,
  markerTruth,
  owaspScore,
  parseOwaspExpected,
  precisionByMarkerGroup,
  precisionRow,
  recallByGroup,
  stripMarkers,
  type BenchFinding,
  type Judged,
  type OwaspCase,
  type OwaspRow,
  type RecallRow,
  type TruthEntry,
} from './score';
import { labelStubs, readLabels, readTruth } from './truthFiles';

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_PERSONAS = ['security', 'sre', 'architect', 'engineer', 'qa'];
const JS_EXT = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;
const PY_EXT = /\.py$/;

/** One tool's judged findings on one corpus. */
interface ToolResult {
  tool: string;
  findings: BenchFinding[];
  judged: Judged[];
  recall: RecallRow[];
  owasp?: OwaspRow[];
  ms: number;
  note?: string;
}

/** Everything measured on one corpus. */
interface CorpusResult {
  corpus: CorpusDef;
  files: number;
  lines: number;
  truth: number;
  truthEntries: TruthEntry[];
  cases?: OwaspCase[];
  labels: number;
  tools: ToolResult[];
  problems: string[];
}

function usage(msg?: string): never {
  if (msg) console.error(`bench:quality: ${msg}`);
  console.error('usage: npm run bench:quality -- --corpora <folder> [--provider offline|anthropic] [--only a,b] [--persona ids] [--offline-depth precise|thorough] [--no-anchors] [--no-speed] [--unlabeled] [--stubs file] [--json file] [--yes]');
  process.exit(2);
}

/** The anchor tools' own sub-tools: eslint findings split by plugin. */
function anchorViews(t: ToolResult): Array<{ name: string; keep: (f: BenchFinding) => boolean }> {
  if (t.tool === 'eslint')
    return [
      { name: 'eslint+security', keep: (f) => f.ruleId.startsWith('eslint/security/') },
      { name: 'eslint+security+sonarjs', keep: () => true },
    ];
  return [{ name: t.tool, keep: () => true }];
}

const isSecurity = (f: BenchFinding) => f.personaIds.includes('security');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpora: { type: 'string' },
      provider: { type: 'string', default: 'offline' },
      model: { type: 'string' },
      only: { type: 'string' },
      persona: { type: 'string' },
      'no-anchors': { type: 'boolean', default: false },
      'no-speed': { type: 'boolean', default: false },
      speed: { type: 'boolean', default: false },
      unlabeled: { type: 'boolean', default: false },
      stubs: { type: 'string' },
      json: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'default-caps': { type: 'boolean', default: false },
      'offline-depth': { type: 'string', default: 'precise' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) usage();
  const corporaDir = values.corpora ?? process.env['PERSONA_REVIEW_CORPORA'];
  if (!corporaDir) usage('name the folder holding the corpora with --corpora <folder> (see bench/quality/README.md for how to get them)');
  if (!fs.existsSync(corporaDir)) usage(`${corporaDir}: no such folder`);

  const all = loadCorpora();
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of only ?? []) if (!all.some((c) => c.name === o)) usage(`unknown corpus "${o}"; known: ${all.map((c) => c.name).join(', ')}`);
  const selected = all.filter((c) => !only || only.includes(c.name));

  const { personas: loaded } = await loadPersonas([builtinPersonaDir()]);
  const { selected: personas, unknown } = resolvePersonaIds(values.persona ? values.persona.split(',') : DEFAULT_PERSONAS, loaded);
  if (unknown.length) usage(`unknown persona(s): ${unknown.join(', ')}`);

  let provider: ReviewProvider;
  if (values.provider === 'offline') {
    // The per-review caps (25 per persona, 5 per rule) are a display limit for one review; a corpus of
    // 2,740 test cases is thousands of reviews' worth of code, so the benchmark lifts them by default.
    const depth = values['offline-depth'] as OfflineDepth;
    if (!OFFLINE_DEPTHS.includes(depth)) usage(`--offline-depth must be ${OFFLINE_DEPTHS.join(' or ')}`);
    provider = values['default-caps'] ? new OfflineProvider({ depth }) : new OfflineProvider({ maxFindingsPerPersona: Infinity, maxFindingsPerRule: Infinity, depth });
  } else if (values.provider === 'anthropic') {
    const apiKey = anthropicKeyFromEnv();
    if (!apiKey) usage('--provider anthropic needs ANTHROPIC_API_KEY in the environment');
    provider = new AnthropicProvider({ apiKey, baseURL: process.env['ANTHROPIC_BASE_URL'], model: values.model });
  } else usage(`unknown provider "${values.provider}" (offline or anthropic)`);

  const haveBandit = await banditAvailable();
  const results: CorpusResult[] = [];
  const stubs: string[] = [];
  for (const corpus of selected) {
    const dir = path.join(corporaDir, corpus.name);
    if (!fs.existsSync(dir)) {
      console.error(`skip ${corpus.name}: ${dir} not found (get it with bench/quality/fetch-corpora.sh)`);
      continue;
    }
    console.error(`${corpus.name}: preparing`);
    const r = await runCorpus(corpus, dir, provider, personas, { anchors: !values['no-anchors'], haveBandit, yes: values.yes });
    if (!r) continue;
    results.push(r);
    if (values.unlabeled || values.stubs) {
      const mine = r.tools[0]!.judged.filter((j) => j.verdict === 'unlabeled').map((j) => j.finding);
      if (mine.length) stubs.push(`# ${corpus.name}: ${mine.length} unlabeled finding(s) of ${r.tools[0]!.tool}; paste under labels: in bench/quality/labels/${corpus.name}.yaml\n${labelStubs(mine)}`);
    }
  }

  const stubText = stubs.join('\n') || '# every finding is labeled or matched by truth';
  if (values.unlabeled) {
    console.log(stubText);
    return;
  }
  if (values.stubs) {
    fs.writeFileSync(values.stubs, `${stubText}\n`);
    console.error(`wrote ${values.stubs} (${stubs.length} corpora with unlabeled findings)`);
  }
  const out: string[] = [];
  printReport(results, provider.id, personas.map((p) => p.id), out, provider instanceof OfflineProvider ? `; depth ${provider.depth}` : '');
  console.log(out.join('\n'));
  const runSpeed = values.speed || (!values['no-speed'] && !only && provider.id === 'offline');
  if (values.json) {
    fs.writeFileSync(values.json, JSON.stringify(results.map((r) => ({ ...r, truthEntries: undefined, cases: undefined, corpus: { ...r.corpus, caseFile: undefined }, tools: r.tools.map((t) => ({ ...t, findings: undefined, judged: t.judged.map((j) => ({ ...j, finding: undefined, ruleId: j.finding.ruleId, file: j.finding.file, line: j.finding.startLine, personaIds: j.finding.personaIds, quote: j.finding.quote.slice(0, 160), message: j.finding.message })) })) })), null, 1));
    console.error(`wrote ${values.json}`);
  }
  if (runSpeed) {
    try {
      console.log((await speed()).join('\n'));
    } catch (e) {
      console.log(`\n## Speed: failed (${(e as Error).message.split('\n')[0]})`);
    }
  }
}

/** Temporary corpus copies still on disk, removed on Ctrl+C as well as at the end of each corpus. */
const tempDirs = new Set<string>();
process.once('SIGINT', () => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  console.error('bench:quality: interrupted');
  process.exit(130);
});

/** Copies the reviewed files to a temporary folder with the answers removed (markers, category names in URLs). */
function neutralisedCopy(corpus: CorpusDef, dir: string, files: string[], categories: string[]): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `persona-review-bench-${corpus.name}-`));
  tempDirs.add(tmp);
  // `/sqli-00/BenchmarkTest00001` in a route or template path names the test's category: a model would read it.
  const catRe = categories.length ? new RegExp(`(["'/])(?:${categories.join('|')})-(\\d+)/`, 'g') : undefined;
  for (const rel of files) {
    let text = fs.readFileSync(path.join(dir, rel), 'utf8');
    if (corpus.kind === 'markers') text = stripMarkers(text);
    if (catRe) text = text.replace(catRe, '$1case-$2/');
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  }
  // The project's Java resource files (`src/<set>/resources/**/*.properties`), unreviewed and unchanged: a
  // reviewer of the real repository can read the configuration the code loads (the crypto rules resolve
  // `Properties.getProperty` through it). They hold no truth markers or category names.
  for (const rel of resourceFiles(dir)) {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.copyFileSync(path.join(dir, rel), path.join(tmp, rel));
  }
  return tmp;
}

/** Workspace-relative paths of `*.properties` files under `src/<set>/resources/` folders of `dir` (at most 200). */
function resourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 12 || out.length >= 200) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r, depth + 1);
      else if (e.isFile() && e.name.endsWith('.properties') && /(^|\/)src\/[^/]+\/resources\//.test(r)) out.push(r);
    }
  };
  walk('', 0);
  return out;
}

async function runCorpus(
  corpus: CorpusDef,
  dir: string,
  provider: ReviewProvider,
  personas: Awaited<ReturnType<typeof loadPersonas>>['personas'],
  opts: { anchors: boolean; haveBandit: boolean; yes: boolean },
): Promise<CorpusResult | undefined> {
  const problems: string[] = [];
  // Truth (from the original files), and the OWASP categories to hide.
  let truth: TruthEntry[] = [];
  let cases: OwaspCase[] | undefined;
  const { collectFiles } = await import('../../src/core/files');
  const collected = await collectFiles(dir, corpus.paths, { exclude: corpus.exclude, maxFiles: 20_000 });
  const rels = collected.files.map((f) => f.path);
  if (corpus.kind === 'owasp') {
    cases = parseOwaspExpected(fs.readFileSync(path.join(dir, corpus.expected!), 'utf8'), corpus.caseFile!);
    // Per-finding judgement on OWASP: in a test case's file, a finding of the case's CWE is true when the case
    // is real and false when it is not (the complete-truth rule below).
    truth = cases.filter((c) => c.real).map((c) => ({ id: c.name, file: c.file, startLine: 1, endLine: 1e9, cwe: c.cwe, group: c.category }));
  } else if (corpus.kind === 'markers') {
    for (const rel of rels) truth.push(...markerTruth(rel, fs.readFileSync(path.join(dir, rel), 'utf8'), markerGroup(rel)));
  } else if (corpus.kind === 'app') {
    const t = readTruth(corpus.name);
    truth = t.items;
    problems.push(...t.problems);
    if (t.commit && t.commit !== corpus.commit) problems.push(`truth file is for commit ${t.commit.slice(0, 7)}, corpus pinned at ${corpus.commit.slice(0, 7)}`);
    if (!t.items.length && !t.problems.length) problems.push('no truth file yet: recall not measured');
    const unreviewed = truth.filter((e) => !rels.includes(e.file));
    if (unreviewed.length) problems.push(`${unreviewed.length} truth entr${unreviewed.length === 1 ? 'y is' : 'ies are'} in files the benchmark does not review (templates): missed by every tool here (${unreviewed.map((e) => e.id).join(', ')})`);
  }
  const labels = readLabels(corpus.name);
  problems.push(...labels.problems);

  const root = corpus.kind === 'owasp' || corpus.kind === 'markers' ? neutralisedCopy(corpus, dir, rels, [...new Set((cases ?? []).map((c) => c.category))]) : dir;
  try {
    const context = await buildContext({ kind: 'paths', root, paths: corpus.paths }, { exclude: corpus.exclude, unlimited: provider.local === true, maxFiles: 20_000 });
    const lines = context.files.reduce((n, f) => n + f.lineCount, 0);
    if (provider.id !== 'offline' && !opts.yes) {
      console.error(`${corpus.name}: ${context.files.length} files, about ${context.totalTokens.toLocaleString('en')} input tokens per persona (${personas.length} personas); add --yes to send them to the model`);
      return undefined;
    }
    console.error(`${corpus.name}: reviewing ${context.files.length} files (${lines.toLocaleString('en')} lines) with ${provider.id}, personas ${personas.map((p) => p.id).join(',')}`);
    const t0 = performance.now();
    let lastProgress = 0;
    const result = await reviewContext(context, {
      provider,
      personas,
      concurrency: 4,
      onEvent: (e) => {
        if (e.type === 'progress' && performance.now() - lastProgress > 5000) {
          lastProgress = performance.now();
          console.error(`  ${e.filesDone}/${e.filesTotal} files, ${e.findings} findings`);
        }
      },
    });
    const ms = performance.now() - t0;
    for (const e of result.errors) problems.push(`${e.personaId}: ${e.error.kind}: ${e.error.message}`);
    const ours = result.findings.map((f) => toBench(f, provider.id));

    const complete = completeTruth(corpus, cases);
    const tools: ToolResult[] = [score(provider.id, ours, truth, labels.items, complete, cases, ms)];
    if (opts.anchors) {
      const files = context.files.map((f) => f.path);
      const js = files.filter((f) => JS_EXT.test(f));
      const py = files.filter((f) => PY_EXT.test(f));
      if (js.length) {
        console.error(`${corpus.name}: eslint on ${js.length} files`);
        try {
          const e = await runEslint(root, js);
          tools.push({ ...score('eslint', e.findings, truth, labels.items, complete, cases, e.ms), note: e.parseErrors ? `${e.parseErrors} file(s) eslint could not parse` : undefined });
        } catch (err) {
          problems.push(`eslint anchor failed, left out: ${(err as Error).message.split('\n')[0]}`);
        }
      }
      if (py.length && opts.haveBandit) {
        console.error(`${corpus.name}: bandit on ${py.length} files`);
        try {
          const b = await runBandit(root, py);
          tools.push({ ...score('bandit', b.findings, truth, labels.items, complete, cases, b.ms), note: b.parseErrors ? `${b.parseErrors} file(s) bandit could not parse` : undefined });
        } catch (err) {
          problems.push(`bandit anchor failed, left out: ${(err as Error).message.split('\n')[0]}`);
        }
      } else if (py.length) problems.push('bandit not found (apt-get install python3-bandit): no Python anchor');
    }
    return { corpus, files: context.files.length, lines, truth: corpus.kind === 'owasp' ? cases!.length : truth.length, truthEntries: truth, cases, labels: labels.items.length, tools, problems };
  } finally {
    if (root !== dir) {
      fs.rmSync(root, { recursive: true, force: true });
      tempDirs.delete(root);
    }
  }
}

/** CWE numbers cited by the offline Security rules that run on a corpus language. */
function securityRuleCwes(language: CorpusDef['language']): number[] {
  const langs: Record<CorpusDef['language'], ParsedLanguage[]> = { js: ['javascript', 'typescript', 'tsx'], py: ['python'], go: ['go'], java: ['java'] };
  return OfflineProvider.rules.filter((r) => r.personas.includes('security') && (!('languages' in r) || r.languages.some((l) => langs[language].includes(l)))).flatMap((r) => findingCwes(r.references, r.category));
}

/** Where an unmatched, unlabeled finding is known to be false: securibench's handlers (every vulnerable line is marked) and OWASP test cases (a finding of the case's CWE in a case that is not real). */
function completeTruth(corpus: CorpusDef, cases: OwaspCase[] | undefined): ((f: BenchFinding) => boolean) | undefined {
  if (corpus.kind === 'markers') return (f) => f.cwes.length > 0;
  if (corpus.kind === 'owasp') {
    const byFile = new Map(cases!.map((c) => [c.file, c]));
    return (f) => {
      const c = byFile.get(f.file);
      return !!c && !c.real && f.cwes.length > 0 && owaspScore([c], [f])[0]!.fp === 1;
    };
  }
  return undefined;
}

function toBench(f: Finding, tool: string): BenchFinding {
  return { tool, ruleId: f.ruleId ?? `${f.personaIds[0]}/${f.category}`, personaIds: f.personaIds, file: f.file, startLine: f.range.startLine, endLine: f.range.endLine, cwes: findingCwes(f.references, f.category), quote: f.quote, severity: f.severity, message: f.message };
}

function score(tool: string, findings: BenchFinding[], truth: TruthEntry[], labels: Parameters<typeof judge>[2], complete: ((f: BenchFinding) => boolean) | undefined, cases: OwaspCase[] | undefined, ms: number): ToolResult {
  const { judged } = judge(findings, truth, labels, { truthIsComplete: complete });
  // Recall counts only what the Security persona (or an anchor's security rules) reported.
  const { match } = judge(findings.filter(isSecurity), truth, [], {});
  return { tool, findings, judged, recall: recallByGroup(truth, match), owasp: cases ? owaspScore(cases, findings.filter(isSecurity)) : undefined, ms };
}

// ---------------------------------------------------------------------------------------------- report

function table(head: string[], rows: Array<Array<string | number>>): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

const perK = (n: number, lines: number) => (lines ? ((n * 1000) / lines).toFixed(2) : '–');
const pr = (j: Judged[]) => {
  const r = precisionRow(j);
  return [r.findings, r.true, r.debatable, r.false, r.unlabeled, fmt(r.precision)];
};

/** The tools of a corpus result as printed columns: ours, then each anchor view, restricted to the security persona for recall. */
function views(r: CorpusResult): Array<{ name: string; t: ToolResult; keep: (f: BenchFinding) => boolean }> {
  return r.tools.flatMap((t, i) => (i === 0 ? [{ name: t.tool, t, keep: () => true }] : anchorViews(t).map((v) => ({ ...v, t }))));
}

function viewRecall(r: CorpusResult, v: { t: ToolResult; keep: (f: BenchFinding) => boolean }, truth: TruthEntry[]): RecallRow[] {
  const { match } = judge(v.t.findings.filter((f) => isSecurity(f) && v.keep(f)), truth, [], {});
  return recallByGroup(truth, match);
}

function printReport(results: CorpusResult[], providerId: string, personaIds: string[], out: string[], depth = ''): void {
  out.push(`# Review-quality benchmark (provider ${providerId}${depth}; personas ${personaIds.join(', ')}; node ${process.version})`, '');
  // Summary.
  out.push('## Summary', '');
  const sumRows: Array<Array<string | number>> = [];
  for (const r of results) {
    const ours = r.tools[0]!;
    const sec = ours.judged.filter((j) => isSecurity(j.finding));
    const recallCell = (t: ToolResult | undefined, keep: (f: BenchFinding) => boolean) => {
      if (!t || r.corpus.kind === 'library') return '–';
      if (r.corpus.kind === 'owasp') {
        const avg = owaspScore(casesOf(r), t.findings.filter((f) => isSecurity(f) && keep(f))).at(-1);
        return avg ? `score ${fmt(avg.score)}` : '–';
      }
      const all = t.recall.at(-1)!;
      if (!all.total) return '–';
      const v = keep === allF ? all : recallByGroup(truthOf(r), judge(t.findings.filter((f) => isSecurity(f) && keep(f)), truthOf(r), [], {}).match).at(-1)!;
      return `${fmt(v.recall)} (${v.found}/${v.total})`;
    };
    const eslint = r.tools.find((t) => t.tool === 'eslint');
    const bandit = r.tools.find((t) => t.tool === 'bandit');
    sumRows.push([
      r.corpus.name,
      r.corpus.kind,
      r.lines.toLocaleString('en'),
      r.truth || '–',
      recallCell(ours, allF),
      recallCell(eslint, (f) => f.ruleId.startsWith('eslint/security/')),
      recallCell(eslint, allF),
      recallCell(bandit, allF),
      fmt(precisionRow(sec).precision),
      fmt(precisionRow(ours.judged).precision),
      precisionRow(ours.judged).unlabeled,
      perK(ours.findings.length, r.lines),
    ]);
  }
  out.push(...table(['corpus', 'kind', 'lines', 'truth', `${providerId} security recall`, 'eslint+security', 'eslint+security+sonarjs', 'bandit', `${providerId} security precision`, `${providerId} all-persona precision`, 'unlabeled', 'findings/kLOC'], sumRows), '');
  out.push('Recall: truth entries found by security findings (OWASP: the Benchmark score, TPR − FPR, averaged over categories). Precision: true / (true + debatable + false); unlabeled findings are not counted (see the per-corpus tables).', '');
  out.push(...aggregates(results, providerId), '');

  for (const r of results) {
    out.push(`## ${r.corpus.name} (${r.corpus.repo} @ ${r.corpus.commit.slice(0, 10)}; ${r.corpus.kind}; ${r.files} files, ${r.lines.toLocaleString('en')} lines; ${r.truth} truth entries, ${r.labels} labels)`, '');
    for (const p of r.problems) out.push(`- note: ${p}`);
    if (r.problems.length) out.push('');
    const vs = views(r);
    if (r.corpus.kind === 'owasp') {
      const cats = owaspScore(casesOf(r), []).map((x) => x.category);
      const scores = vs.map((v) => owaspScore(casesOf(r), v.t.findings.filter((f) => isSecurity(f) && v.keep(f))));
      out.push(...table(['category (CWE)', ...vs.map((v) => `${v.name} TPR / FPR / score`)], cats.map((c, i) => [`${c}${scores[0]![i]!.cwe ? ` (${scores[0]![i]!.cwe})` : ''}`, ...scores.map((s) => `${fmt(s[i]!.tpr)} / ${fmt(s[i]!.fpr)} / **${fmt(s[i]!.score)}**`)])), '');
    } else if (r.truth) {
      const rec = vs.map((v) => viewRecall(r, v, truthOf(r)));
      // securibench: every line of a handler that is vulnerable is marked, so precision per category is known too
      // (a category is the test's folder, as in markerTruth).
      const precCols = r.corpus.kind === 'markers' ? vs.map((v) => ({ name: v.name, rows: precisionByMarkerGroup(v.t.judged.filter((j) => isSecurity(j.finding) && v.keep(j.finding))) })) : [];
      const precCell = (rows: ReturnType<typeof precisionByMarkerGroup>, group: string) => {
        const row = rows.find((x) => x.group === group);
        return row ? `${fmt(row.precision)} (${row.true}/${row.true + row.debatable + row.false})` : '– (0/0)';
      };
      out.push(
        ...table(
          ['group', 'truth', ...vs.map((v) => `${v.name} recall`), ...precCols.map((c) => `${c.name} security precision`)],
          rec[0]!.map((row, i) => [row.group, row.total, ...rec.map((x) => `${fmt(x[i]!.recall)} (${x[i]!.found})`), ...precCols.map((c) => precCell(c.rows, row.group))]),
        ),
        '',
      );
    }
    if (r.corpus.kind === 'app') {
      // What is still missed, by id, so the gaps can be read (and explained) without opening the truth file.
      const { match } = judge(r.tools[0]!.findings.filter(isSecurity), truthOf(r), [], {});
      const missed = truthOf(r).filter((e) => !match.credited.has(e.id));
      if (missed.length) out.push(`Missed by ${r.tools[0]!.tool} (${missed.length} of ${truthOf(r).length}): ${missed.map((e) => `${e.id} (CWE-${e.cwe})`).join(', ')}`, '');
    }
    out.push(...table(['tool', 'findings', 'per kLOC', 'true', 'debatable', 'false', 'unlabeled', 'precision', 'wall s'], r.tools.map((t) => [t.tool, ...withK(pr(t.judged), r.lines), (t.ms / 1000).toFixed(1)])));
    for (const t of r.tools) if (t.note) out.push(`- ${t.tool}: ${t.note}`);
    out.push('');
    const ours = r.tools[0]!;
    out.push(`Per persona (${ours.tool}):`, '');
    out.push(...table(['persona', 'findings', 'per kLOC', 'true', 'debatable', 'false', 'unlabeled', 'precision'], [...groupJudged(ours.judged, (f) => f.personaIds)].map(([k, j]) => [k, ...withK(pr(j), r.lines)])), '');
    out.push(`Per rule (${ours.tool}):`, '');
    out.push(...table(['rule', 'findings', 'per kLOC', 'true', 'debatable', 'false', 'unlabeled', 'precision'], [...groupJudged(ours.judged, (f) => f.ruleId)].map(([k, j]) => [k, ...withK(pr(j), r.lines)])), '');
    const anchorRules = r.tools.slice(1).flatMap((t) => [...groupJudged(t.judged.filter((j) => j.finding.cwes.length), (f) => f.ruleId)]);
    if (anchorRules.length) {
      out.push('Per rule (anchors, security rules only):', '');
      out.push(...table(['rule', 'findings', 'per kLOC', 'true', 'debatable', 'false', 'unlabeled', 'precision'], anchorRules.map(([k, j]) => [k, ...withK(pr(j), r.lines)])), '');
    }
  }
}

const allF = () => true;

function withK(row: Array<string | number>, lines: number): Array<string | number> {
  return [row[0]!, perK(Number(row[0]), lines), ...row.slice(1)];
}

function casesOf(r: CorpusResult): OwaspCase[] {
  return r.cases ?? [];
}
function truthOf(r: CorpusResult): TruthEntry[] {
  return r.truthEntries;
}

/** The issue's targets, computed over groups of corpora. */
function aggregates(results: CorpusResult[], providerId: string): string[] {
  const out: string[] = ['## Against the issue\'s targets', ''];
  const recallOver = (names: string[], view: (r: CorpusResult) => BenchFinding[] | undefined) => {
    let found = 0;
    let total = 0;
    for (const r of results.filter((x) => names.includes(x.corpus.name))) {
      const f = view(r);
      if (!f) continue;
      const rows = recallByGroup(truthOf(r), judge(f.filter(isSecurity), truthOf(r), [], {}).match);
      found += rows.at(-1)!.found;
      total += rows.at(-1)!.total;
    }
    return { found, total, recall: total ? found / total : undefined };
  };
  const node = ['securibench-micro.js', 'dvna', 'NodeGoat'];
  const py = ['pygoat', 'dvpwa', 'Vulnerable-Flask-App'];
  const ours = (r: CorpusResult) => r.tools[0]!.findings;
  const eslintSec = (r: CorpusResult) => r.tools.find((t) => t.tool === 'eslint')?.findings.filter((f) => f.ruleId.startsWith('eslint/security/'));
  const eslintAll = (r: CorpusResult) => r.tools.find((t) => t.tool === 'eslint')?.findings;
  const bandit = (r: CorpusResult) => r.tools.find((t) => t.tool === 'bandit')?.findings;
  const n1 = recallOver(node, ours);
  const n2 = recallOver(node, eslintSec);
  const n3 = recallOver(node, eslintAll);
  const p1 = recallOver(py, ours);
  const p2 = recallOver(py, bandit);
  const lib = results.filter((r) => r.corpus.kind === 'library');
  const libSec = precisionRow(lib.flatMap((r) => r.tools[0]!.judged.filter((j) => isSecurity(j.finding))));
  const libAll = precisionRow(lib.flatMap((r) => r.tools[0]!.judged.filter((j) => j.finding.personaIds.some((p) => DEFAULT_PERSONAS.includes(p)))));
  const sb = results.find((r) => r.corpus.name === 'securibench-micro.js');
  const sbRecall = sb?.tools[0]!.recall.at(-1);
  const sbPrec = sb ? precisionRow(sb.tools[0]!.judged.filter((j) => isSecurity(j.finding))) : undefined;
  // A category is supported when a Security rule of the reviewer cites a CWE of its family for the corpus's
  // language (for a model provider: every category).
  const supported = (r: CorpusResult, cwe: number) => providerId !== 'offline' || securityRuleCwes(r.corpus.language).some((c) => compatibleCwe(c, cwe));
  const owaspMin = results
    .filter((r) => r.corpus.kind === 'owasp')
    .map((r) => {
      const rows = r.tools[0]!.owasp!.filter((x) => x.category !== 'average');
      const sup = rows.filter((x) => supported(r, x.cwe));
      const unsup = rows.filter((x) => !supported(r, x.cwe)).map((x) => x.category);
      return `${r.corpus.name}: ${sup.map((x) => `${x.category} ${fmt(x.score)}`).join(', ') || 'none'}${unsup.length ? ` (no rule: ${unsup.join(', ')})` : ''}`;
    });
  const rows: Array<Array<string | number>> = [
    ['Node corpora (securibench, dvna, NodeGoat): security recall', `${fmt(n1.recall)} (${n1.found}/${n1.total})`, `eslint+security ${fmt(n2.recall)} (${n2.found}), +sonarjs ${fmt(n3.recall)} (${n3.found})`, '≥ 2× eslint+security'],
    ['Python apps (pygoat, dvpwa, Vulnerable-Flask-App): security recall', `${fmt(p1.recall)} (${p1.found}/${p1.total})`, `bandit ${fmt(p2.recall)} (${p2.found})`, '≥ bandit'],
    ['OWASP Benchmark score per supported category', owaspMin.join('; ') || '–', '', '> 0 in every supported category'],
    ['securibench-micro.js recall / security precision', `${fmt(sbRecall?.recall)} / ${fmt(sbPrec?.precision)}`, '', '≥ 0.7 / ≥ 0.8'],
    ['libraries: security precision', `${fmt(libSec.precision)} (${libSec.true}/${libSec.true + libSec.debatable + libSec.false}; ${libSec.unlabeled} unlabeled)`, '', '≥ 0.9'],
    ...DEFAULT_PERSONAS.filter((p) => p !== 'security').map((p): Array<string | number> => {
      const row = precisionRow(lib.flatMap((r) => r.tools[0]!.judged.filter((j) => j.finding.personaIds.includes(p))));
      return [`libraries: ${p} precision (true only)`, `${fmt(row.precision)} (${row.true}/${row.true + row.debatable + row.false}; ${row.unlabeled} unlabeled)`, '', '≥ 0.6'];
    }),
    ['libraries: findings per 1,000 lines (default personas)', perK(lib.reduce((n, r) => n + r.tools[0]!.findings.length, 0), lib.reduce((n, r) => n + r.lines, 0)), '', ''],
    ['libraries: default personas precision (true only)', `${fmt(libAll.precision)} (${libAll.true}/${libAll.true + libAll.debatable + libAll.false}; ${libAll.unlabeled} unlabeled)`, '', '≥ 0.6'],
  ];
  out.push(...table(['measure', providerId, 'anchors', 'target'], rows));
  return out;
}

/** Wall time of the offline CLI (one persona: security) relative to ESLint + eslint-plugin-security on the README's main-job folders. */
async function speed(): Promise<string[]> {
  const targets = ['node_modules/ajv/lib', 'node_modules/@anthropic-ai/sdk/src'];
  if (!targets.every((t) => fs.existsSync(path.join(ROOT, t)))) return ['', `## Speed: skipped (${targets.join(', ')} not installed; run npm ci)`];
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return ['', '## Speed: skipped (dist/cli.js missing; run npm run build)'];
  console.error('speed: offline review vs eslint+security on the main-job folders (3 runs each)');
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 3; i++) {
    ours.push(await timeCommand(process.execPath, [cli, 'review', '-q', '--provider', 'offline', '-p', 'security', '-f', 'json', '-o', os.devNull, ...targets], ROOT));
    theirs.push(await timeCommand(process.execPath, [eslintBin(), '--no-config-lookup', '-c', ESLINT_SECURITY_ONLY_CONFIG, '--no-inline-config', '-f', 'json', '-o', os.devNull, ...targets], ROOT));
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  return [
    '',
    '## Speed (README main job: node_modules/ajv/lib + node_modules/@anthropic-ai/sdk/src, persona security)',
    '',
    ...table(['tool', 'median wall s (3 runs)', 'ratio'], [
      ['offline reviewer (CLI)', (med(ours) / 1000).toFixed(2), `${(med(ours) / med(theirs)).toFixed(2)}x`],
      ['ESLint + eslint-plugin-security', (med(theirs) / 1000).toFixed(2), '1.00x'],
    ]),
  ];
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
});
