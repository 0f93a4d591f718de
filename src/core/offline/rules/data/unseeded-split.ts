/** `data/unseeded-split`: random splits without a seed. */
import type { SyntaxNode } from '../../syntax';
import { callArguments, calleeName } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { hasKwargsSplat, kwarg } from './util';

function positional(call: SyntaxNode): SyntaxNode[] {
  return callArguments(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat' && a.type !== 'list_splat');
}

// Calls that seed the global generators sklearn, pandas and torch fall back to.
const GLOBAL_SEED = /(^|\.)(random\.seed|manual_seed|manual_seed_all|seed_everything|set_seed|set_random_seed)$/;

const SPLITTERS = new Map<string, { param: string; needsShuffle?: boolean }>([
  ['train_test_split', { param: 'random_state' }],
  ['ShuffleSplit', { param: 'random_state' }],
  ['StratifiedShuffleSplit', { param: 'random_state' }],
  ['GroupShuffleSplit', { param: 'random_state' }],
  ['KFold', { param: 'random_state', needsShuffle: true }],
  ['StratifiedKFold', { param: 'random_state', needsShuffle: true }],
  ['RepeatedKFold', { param: 'random_state' }],
  ['RepeatedStratifiedKFold', { param: 'random_state' }],
  ['random_split', { param: 'generator' }],
]);

export const unseededSplit: FileRule = {
  kind: 'file',
  id: 'data/unseeded-split',
  personas: ['ml'],
  languages: ['python'],
  severity: 'medium',
  category: 'reproducibility',
  title: 'Random data split without a seed',
  description:
    'Reports random train/test splits and shuffles without a fixed seed: scikit-learn `train_test_split`, `*ShuffleSplit`, `KFold(shuffle=True)` without `random_state`, `torch.utils.data.random_split` without `generator`, pandas `sample(frac=…)` without `random_state`, in files that set no global seed. ' +
    'Each run then trains and evaluates on different rows, so metrics cannot be reproduced or compared between runs.',
  references: [],
  confidence: 0.75,
  check(file: ParsedFile): RuleHit[] {
    const calls = file.root.descendantsOfType('call').filter((c): c is SyntaxNode => c !== null);
    if (calls.some((c) => GLOBAL_SEED.test(calleeName(c, 'python')))) return [];
    const hits: RuleHit[] = [];
    for (const call of calls) {
      const name = calleeName(call, 'python');
      const method = name.slice(name.lastIndexOf('.') + 1);
      if (hasKwargsSplat(call)) continue;
      const spec = SPLITTERS.get(method);
      if (spec) {
        if (kwarg(call, spec.param)) continue;
        if (spec.needsShuffle && kwarg(call, 'shuffle')?.text !== 'True' && !(positional(call).length >= 2 && positional(call)[1]?.text === 'True')) continue;
        if (method === 'train_test_split' && kwarg(call, 'shuffle')?.text === 'False') continue;
        if (spec.needsShuffle && positional(call).length >= 3) continue; // old positional `random_state`
        hits.push({
          node: call,
          message: `\`${name}(…)\` shuffles without \`${spec.param}=\`, so every run puts different rows in training and evaluation: metrics change from run to run and a regression cannot be told apart from noise.`,
          suggestion: { description: spec.param === 'generator' ? 'Pass `generator=torch.Generator().manual_seed(42)` (or seed torch globally once at start-up).' : `Pass \`${spec.param}=42\` (or a seed from your configuration) so the split is reproducible.` },
        });
      } else if (method === 'sample' && name.includes('.') && !/^(random|np\.random|numpy\.random|rng|self\.rng)\./.test(name) && kwarg(call, 'frac') && !kwarg(call, 'random_state')) {
        hits.push({
          node: call,
          message: `\`${name}(frac=…)\` draws a different random sample on every run because no \`random_state\` is given, so anything computed from it is not reproducible.`,
          suggestion: { description: 'Pass `random_state=42` (or a seed from your configuration).' },
        });
      }
    }
    return hits;
  },
};
