/** `qa/untested-module`: modules with public logic that no test references. */
import { type Candidate, coverage } from './coverage';
import { dirname } from '../../imports';
import type { ProjectHit, ProjectIndex, ProjectRule } from '../../rule';

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

/**
 * How the tests were searched for this module, as the message says it: Go tests are per package (a test of
 * the module's folder must name one of its exports), Java tests name the class, JS/TS and Python tests import it.
 */
function howLooked(c: Candidate): string {
  switch (c.file.language) {
    case 'go':
      return `no test of its package in \`${dirname(c.file.file.path) || '.'}/\` names any of its exports`;
    case 'java':
      return `no test names the class \`${c.stem}\``;
    default:
      return 'none imports it or a module that loads it';
  }
}

function firstExportHit(c: Candidate): { file: string; range: { startLine: number; endLine: number } } {
  const line = c.exports[0]!.nameNode.startPosition.row + 1;
  return { file: c.file.file.path, range: { startLine: line, endLine: line } };
}

export const untestedModule: ProjectRule = {
  kind: 'project',
  id: 'qa/untested-module',
  personas: ['qa'],
  // Seed 000 ranks missing tests High for new code; for existing modules of a project the offline rules
  // cannot see intent or risk, so the finding stays at Medium (issue 9).
  severity: 'medium',
  category: 'missing-tests',
  title: 'Module without tests',
  description:
    'Reports reviewed modules with public functions or classes that no test of the project reaches. Tests are looked for anywhere in the package or repository around the reviewed files (`test/`, `tests/`, `__tests__/`, `spec/`, `*.test.ts`, `*.spec.js`, `test_*.py`, `*_test.go`, `*Test.java`, …); a module counts as tested when a test is named after it, imports it (directly, through a test helper, through the package entry point or its own package name), names it (Go tests of its package, Java tests of its class), or when a tested module loads it at run time. ' +
    'When none of the modules of a project (a top-level folder) has tests, one finding says so instead of one per module. Installed packages (`node_modules`, `site-packages`) ship without tests and are not reported. Untested public logic breaks silently when it changes.',
  references: [],
  confidence: 0.7,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const { cands, exercised } = coverage(project);
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
      const missing = group.filter((c) => !exercised.has(c.file.file.path));
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
          : `None of the ${project.testFiles.length} test files of the project reaches any of the ${group.length} reviewed modules with public logic${where} (largest first: ${list}).`;
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
        message: `No test reaches \`${c.file.file.path}\` (${howLooked(c)}), yet it exposes ${c.exports.length} public function(s)/class(es) with logic (${names}${c.exports.length > 4 ? ', …' : ''}). Nothing checks its behaviour directly, so a regression would surface far from its cause, if at all before release.`,
        suggestion: { description: `Add \`${testFileSuggestion(c)}\` with tests for the normal behaviour, boundary values and error paths of ${names}.` },
      });
    }
    return hits;
  },
};
