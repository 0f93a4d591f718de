/**
 * Runs one offline rule on a code snippet, the way the offline provider does, for the rule tests.
 * A case is positive when `expect` > 0 (at least that many hits) and negative when `expect` is 0.
 */
import { ALL_RULES } from '../../src/core/offline/rules';
import { parse, type ParsedLanguage } from '../../src/core/offline/syntax';
import type { OfflineDepth, ParsedFile, ProjectIndex, RuleHit, ProjectHit } from '../../src/core/offline/rule';
import type { SourceFile } from '../../src/core/types';

/** One test case for a rule. */
export interface RuleCase {
  rule: string;
  language: ParsedLanguage;
  /** The file under test. */
  code: string;
  /** Its workspace-relative path; default `src/sample.<ext>`. */
  path?: string;
  /** 0 = must not fire; N = fires at least N times. */
  expect: number;
  /** When set, the first hit starts on this 1-based line. */
  line?: number;
  /** Other reviewed files (path → code), e.g. for import cycles. Their language comes from the extension. */
  files?: Record<string, string>;
  /** Reviewed files without a grammar (path → text), such as configuration; in `project.files`, not parsed. */
  configFiles?: Record<string, string>;
  /** Test files present in the workspace (path → code), for QA rules. */
  testFiles?: Record<string, string>;
  /** Other files of the project that are neither reviewed nor tests (test helpers, package.json), for QA rules. */
  projectFiles?: Record<string, string>;
  /** When set, the first hit's message must match it (e.g. a count the message states). */
  message?: RegExp;
  /** Short description shown in the test name. */
  name?: string;
  /**
   * The offline depth the hits are counted at (default `thorough`: every hit of the rule). At `precise`, a
   * rule that runs only at `thorough` reports nothing and hits marked `depth: 'thorough'` are left out,
   * as the offline provider does.
   */
  depth?: OfflineDepth;
}

const EXT: Record<ParsedLanguage, string> = { javascript: 'js', typescript: 'ts', tsx: 'tsx', python: 'py', go: 'go', java: 'java' };

function languageOfPath(p: string, fallback: ParsedLanguage): ParsedLanguage {
  const ext = p.slice(p.lastIndexOf('.') + 1);
  const found = (Object.entries(EXT) as Array<[ParsedLanguage, string]>).find(([, e]) => e === ext);
  return found ? found[0] : fallback;
}

function source(path: string, text: string, language: ParsedLanguage): SourceFile {
  return { path, absPath: `/ws/${path}`, language, text, lineCount: text.split('\n').length, redactions: 0 };
}

/** Runs `c.rule` and returns its hits on the file under test (for project rules: hits in any file, with `file`). */
export async function runCase(c: RuleCase): Promise<Array<RuleHit | ProjectHit>> {
  const rule = ALL_RULES.find((r) => r.id === c.rule);
  if (!rule) throw new Error(`no rule ${c.rule}`);
  const mainPath = c.path ?? `src/sample.${EXT[c.language]}`;
  const all: Array<[string, string]> = [[mainPath, c.code], ...Object.entries(c.files ?? {})];
  const parsed: ParsedFile[] = [];
  const trees = [];
  for (const [p, text] of all) {
    const lang = languageOfPath(p, c.language);
    const tree = await parse(text, lang);
    trees.push(tree);
    parsed.push({ file: source(p, text, lang), language: lang, root: tree.rootNode, lines: text.split('\n') });
  }
  const project: ProjectIndex = {
    root: '/ws',
    parsed,
    files: [
      ...parsed.map((p) => p.file),
      ...Object.entries(c.configFiles ?? {}).map(([p, text]) => ({ ...source(p, text, c.language), language: p.slice(p.lastIndexOf('.') + 1), redactions: (text.match(/\[REDACTED:/g) ?? []).length })),
    ],
    testFiles: Object.keys(c.testFiles ?? {}),
    readTestFile: (p) => c.testFiles?.[p],
    readProjectFile: (p) => c.testFiles?.[p] ?? c.projectFiles?.[p] ?? all.find(([q]) => q === p)?.[1],
    relativeToReview: (p) => p,
    projectFiles: () => ({ paths: [...new Set([...all.map(([p]) => p), ...Object.keys(c.testFiles ?? {}), ...Object.keys(c.projectFiles ?? {})])].sort(), complete: true }),
  };
  // Trees are freed below, so node-based hits are turned into line ranges first.
  const settle = (hits: Array<RuleHit | ProjectHit>) =>
    hits.map((h) => ({
      ...h,
      node: undefined,
      range: h.range ?? (h.node ? { startLine: h.node.startPosition.row + 1, endLine: h.node.endPosition.row + 1 } : undefined),
    }));
  const atDepth = (hits: Array<RuleHit | ProjectHit>) => (c.depth === 'precise' ? (rule.depth === 'thorough' ? [] : hits.filter((h) => h.depth !== 'thorough')) : hits);
  try {
    if (rule.kind === 'file') {
      const main = parsed[0]!;
      if (!rule.languages.includes(main.language)) throw new Error(`${rule.id} does not support ${main.language}`);
      return settle(atDepth(rule.check(main, project)));
    }
    return settle(atDepth(rule.checkProject(project)));
  } finally {
    for (const t of trees) t.delete();
  }
}
