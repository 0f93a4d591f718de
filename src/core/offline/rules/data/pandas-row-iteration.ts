/** `data/pandas-row-iteration`: row-by-row loops over data frames. */
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments } from '../../lang';
import { kwarg } from './util';

export const pandasRowLoop: FileRule = {
  kind: 'file',
  id: 'data/pandas-row-iteration',
  personas: ['data'],
  languages: ['python'],
  severity: 'medium',
  category: 'performance',
  title: 'Row-by-row pandas processing',
  description:
    'Reports `DataFrame.iterrows()` and row-wise `DataFrame.apply(…, axis=1)`. Both run Python code once per row and build a Series for each, which is typically orders of magnitude slower than vectorised column operations (pandas user guide, "Enhancing performance"). ' +
    'Use column arithmetic, `np.where`/`np.select`, `merge`/`map`, or `itertuples()` when a loop is unavoidable.',
  references: [],
  confidence: 0.8,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const call of file.root.descendantsOfType('call')) {
      if (!call) continue;
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute') continue;
      const method = fn.childForFieldName('attribute')?.text;
      const receiver = fn.childForFieldName('object')?.text ?? 'the frame';
      if (method === 'iterrows' && callArguments(call).length === 0) {
        hits.push({
          node: call,
          message: `\`${receiver}.iterrows()\` runs the loop body in Python once per row and builds a new Series for every row (losing column dtypes); on large frames this is typically orders of magnitude slower than the same logic written on whole columns.`,
          suggestion: { description: 'Express the loop body as column operations (`df["total"] = df["price"] * df["qty"]`, `np.where`, `merge`); if a loop is truly needed, `itertuples()` is several times faster.' },
        });
      } else if (method === 'apply') {
        const axis = kwarg(call, 'axis');
        if (axis && (axis.text === '1' || axis.text === "'columns'" || axis.text === '"columns"')) {
          hits.push({
            node: call,
            message: `\`${receiver}.apply(…, axis=${axis.text})\` calls the function once per row with a freshly built Series; that is a Python loop in disguise and usually far slower than operating on whole columns.`,
            suggestion: { description: 'Rewrite the row function with vectorised column expressions (`np.where`, `np.select`, arithmetic on columns, `Series.map`).' },
          });
        }
      }
    }
    return hits;
  },
};
