/** `quality/undocumented-export`: public API without documentation. */
import { ALL_LANGS } from '../../lang';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isTestPath } from '../../paths';
import { exportedDeclarations, isDocumented, isGenerated, isInternalModule } from '../../declarations';
import { spanLines } from '../../nodes';

const MAX_UNDOCUMENTED_PER_FILE = 10;
const MIN_DOC_LINES = 5;

export const undocumentedExport: FileRule = {
  kind: 'file',
  id: 'quality/undocumented-export',
  personas: ['reviewer', 'documentation'],
  languages: ALL_LANGS,
  severity: 'low',
  category: 'documentation',
  title: 'Public API without documentation',
  description:
    `Reports exported functions and classes of ${MIN_DOC_LINES} lines or more with no doc comment or docstring: JS/TS \`export\`s and CommonJS exports, Python public top-level definitions (or \`__all__\`), Go exported identifiers (Effective Go: every exported name should have a doc comment), Java public classes and methods (Javadoc). ` +
    `At most ${MAX_UNDOCUMENTED_PER_FILE} per file. Say what it does, its inputs and outputs, and what it throws.`,
  references: [],
  confidence: 0.7,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    const p = file.file.path;
    if (isTestPath(p) || p.endsWith('.d.ts') || isGenerated(file) || isInternalModule(p, file.language)) return [];
    // Compiled JavaScript with a declaration file beside it: the documentation lives in the .d.ts.
    const stem = p.replace(/\.[cm]?js$/, '');
    if (stem !== p && project.files.some((f) => f.path === `${stem}.d.ts` || f.path === `${stem}.d.mts` || f.path === `${stem}.d.cts`)) return [];
    const missing = exportedDeclarations(file).filter((d) => spanLines(d.node) >= MIN_DOC_LINES && !isDocumented(d, file.language));
    const style = { python: 'a docstring', go: `a \`// Name …\` doc comment`, java: 'a Javadoc comment', javascript: 'a JSDoc comment', typescript: 'a TSDoc comment', tsx: 'a TSDoc comment' }[file.language];
    return missing.slice(0, MAX_UNDOCUMENTED_PER_FILE).map((d, i) => {
      const more = i === MAX_UNDOCUMENTED_PER_FILE - 1 && missing.length > MAX_UNDOCUMENTED_PER_FILE ? ` (${missing.length - MAX_UNDOCUMENTED_PER_FILE} more undocumented exports in this file are not listed.)` : '';
      const what = d.kind === 'class' ? 'class' : d.kind === 'method' ? 'method' : 'function';
      return {
        node: d.nameNode,
        message: `The public ${what} \`${d.name}\` has no documentation. Callers see only its name and signature: say in ${style} what it does, what it expects and returns, and which errors it raises.${more}`,
        suggestion: { description: `Add ${style} above \`${d.name}\` describing its purpose, parameters, return value and errors.` },
      };
    });
  },
};
