/** `data/select-star`: `SELECT *` in queries. */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isTestPath } from '../../paths';
import { LANG } from '../../lang';

/** The text inside a string literal node (quotes and Python prefixes removed; interpolations kept as written). */
function literalText(n: SyntaxNode): string {
  return n.text.replace(/^[a-zA-Z]*("""|'''|["'`])/, '').replace(/("""|'''|["'`])$/, '');
}

// `SELECT *` reading a table; `EXISTS (SELECT * …)` and `COUNT(*)` are idiomatic and not matched.
const SELECT_STAR = /(^|[^\w])select\s+\*\s*from\b/i;
// The literal must be SQL text itself (starting with a statement keyword), not prose quoting a query.
const SQL_START = /^\s*\(?\s*(select|with|insert|create|replace|union)\b/i;
const IN_EXISTS = /exists\s*\(\s*$/i;

export const selectStar: FileRule = {
  kind: 'file',
  id: 'data/select-star',
  personas: ['data'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'low',
  category: 'sql-select-star',
  title: '`SELECT *` in a query',
  description:
    'Reports SQL string literals that read a table with `SELECT *` (not inside `EXISTS (…)`). ' +
    'The query fetches every column, including large or sensitive ones the code never uses, cannot be served from a covering index, and silently changes shape when a column is added, dropped or reordered. List the columns the code needs.',
  references: [],
  confidence: 0.85,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    const types = LANG[file.language].string.filter((t) => t !== 'concatenated_string');
    for (const lit of file.root.descendantsOfType([...types])) {
      if (!lit) continue;
      // A Python docstring or a bare string statement is documentation, not a query.
      if (lit.parent?.type === 'expression_statement') continue;
      const text = literalText(lit);
      if (!SQL_START.test(text)) continue;
      const m = SELECT_STAR.exec(text);
      if (!m) continue;
      if (IN_EXISTS.test(text.slice(0, m.index + m[1]!.length))) continue;
      const table = /from\s+["`[]?([\w.]+)/i.exec(text.slice(m.index))?.[1];
      hits.push({
        node: lit,
        message: `This query reads ${table ? `\`${table}\`` : 'the table'} with \`SELECT *\`: it transfers every column (including ones the code never uses, which may be large or sensitive), rules out index-only scans, and its result changes shape whenever the table's columns change.`,
        suggestion: { description: 'Select the columns the code actually uses, e.g. `SELECT id, name, created_at FROM …`.' },
      });
    }
    return hits;
  },
};
