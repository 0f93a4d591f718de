/**
 * Offline rules of the Data Engineer (`data`) and ML Engineer (`ml`) personas: `SELECT *` in queries,
 * row-by-row pandas code, model and array files loaded through pickle, and random data splits
 * without a seed.
 */
import type { ProjectIndex, FileRule, OfflineRule, ParsedFile, RuleHit } from '../rule';
import type { SyntaxNode } from '../syntax';
import { callArguments, calleeName, LANG } from '../lang';
import { isTestPath } from './design-util';

/** The text inside a string literal node (quotes and Python prefixes removed; interpolations kept as written). */
function literalText(n: SyntaxNode): string {
  return n.text.replace(/^[a-zA-Z]*("""|'''|["'`])/, '').replace(/("""|'''|["'`])$/, '');
}

// `SELECT *` reading a table; `EXISTS (SELECT * …)` and `COUNT(*)` are idiomatic and not matched.
const SELECT_STAR = /(^|[^\w])select\s+\*\s*from\b/i;
// The literal must be SQL text itself (starting with a statement keyword), not prose quoting a query.
const SQL_START = /^\s*\(?\s*(select|with|insert|create|replace|union)\b/i;
const IN_EXISTS = /exists\s*\(\s*$/i;

const selectStar: FileRule = {
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

/** The value of keyword argument `name` of a Python call, or undefined. */
function kwarg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** True when a Python call passes `**kwargs`, which may carry any keyword. */
function hasKwargsSplat(call: SyntaxNode): boolean {
  return callArguments(call).some((a) => a.type === 'dictionary_splat');
}

function positional(call: SyntaxNode): SyntaxNode[] {
  return callArguments(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat' && a.type !== 'list_splat');
}

const pandasRowLoop: FileRule = {
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

/** `import x as y` / `import x` aliases of a Python file: local name → module. */
function pythonAliases(root: SyntaxNode): Map<string, string> {
  const map = new Map<string, string>();
  for (const st of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!st) continue;
    if (st.type === 'import_statement') {
      for (const c of st.namedChildren) {
        if (c?.type === 'aliased_import') map.set(c.childForFieldName('alias')?.text ?? '', c.childForFieldName('name')?.text ?? '');
        else if (c?.type === 'dotted_name') map.set(c.text, c.text);
      }
    } else {
      const mod = st.childForFieldName('module_name')?.text ?? '';
      for (const c of st.childrenForFieldName('name')) {
        if (!c) continue;
        const name = c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text;
        const local = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : c.text;
        if (name && local) map.set(local, `${mod}.${name}`);
      }
    }
  }
  return map;
}

/** A Python callee with its first segment expanded through import aliases (`pd.read_pickle` → `pandas.read_pickle`). */
function qualified(call: SyntaxNode, aliases: Map<string, string>): string {
  const name = calleeName(call, 'python');
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const full = aliases.get(head);
  return full ? full + (dot < 0 ? '' : name.slice(dot)) : name;
}

const ML_LIBRARIES = /^(torch|tensorflow|keras|sklearn|joblib|numpy|pandas|transformers|xgboost|lightgbm|catboost|jax|scipy|datasets)(\.|$)/;

const unsafeModelLoad: FileRule = {
  kind: 'file',
  id: 'data/unsafe-model-load',
  personas: ['ml'],
  languages: ['python'],
  severity: 'high',
  category: 'unsafe-deserialization',
  title: 'Model or data file loaded with pickle',
  description:
    'Reports loaders that unpickle a file: `torch.load` without `weights_only=True`, `joblib.load`, `pandas.read_pickle`, `numpy.load(allow_pickle=True)` and `pickle`/`dill`/`cloudpickle` `.load` in files that use an ML or data library. ' +
    'Unpickling runs code chosen by whoever wrote the file, so a downloaded or shared checkpoint can take over the machine (CWE-502). Load weights only, or use a data-only format such as safetensors, ONNX, Parquet or `.npy` without pickle.',
  references: ['CWE-502', 'OWASP A08:2021'],
  confidence: 0.75,
  check(file: ParsedFile): RuleHit[] {
    const hits: RuleHit[] = [];
    const aliases = pythonAliases(file.root);
    // A plain `pickle.load` is this persona's concern only where models or datasets are handled;
    // the security pack reports pickle loads of untrusted input everywhere.
    const mlFile = [...aliases.values()].some((m) => ML_LIBRARIES.test(m));
    for (const call of file.root.descendantsOfType('call')) {
      if (!call) continue;
      const name = qualified(call, aliases);
      const shown = calleeName(call, 'python');
      if (name === 'torch.load') {
        const wo = kwarg(call, 'weights_only');
        if (wo?.text === 'True' || (!wo && hasKwargsSplat(call))) continue;
        const explicit = wo?.text === 'False';
        hits.push({
          node: call,
          confidence: explicit ? 0.9 : 0.7,
          message: explicit
            ? `\`${shown}(…, weights_only=False)\` unpickles the checkpoint, so a malicious file can run any code when it is loaded.`
            : `\`${shown}(…)\` without \`weights_only=True\` unpickles the whole checkpoint on PyTorch before 2.6 (where it was the default), so a malicious or tampered file can run any code when it is loaded.`,
          suggestion: { description: 'Pass `weights_only=True` (and load state dicts, not whole pickled modules), or store weights as safetensors.' },
        });
      } else if (name === 'numpy.load') {
        if (kwarg(call, 'allow_pickle')?.text !== 'True') continue;
        hits.push({
          node: call,
          message: `\`${shown}(…, allow_pickle=True)\` unpickles object arrays, so a crafted \`.npy\`/\`.npz\` file can run code when it is read (NumPy disabled this by default for that reason).`,
          suggestion: { description: 'Save numeric arrays without object dtype and load them with `allow_pickle=False` (the default); keep structured data in JSON or Parquet.' },
        });
      } else if (/^(joblib\.load|sklearn\.externals\.joblib\.load|pandas\.read_pickle)$/.test(name) || (mlFile && /^(pickle|cPickle|_pickle|dill|cloudpickle)\.load$/.test(name))) {
        const what = name.startsWith('pandas') ? 'a pickled DataFrame' : name.startsWith('joblib') || name.startsWith('sklearn') ? 'a joblib (pickle) file' : 'a pickle stream';
        hits.push({
          node: call,
          confidence: name.startsWith('joblib') || name.startsWith('sklearn') ? 0.8 : 0.65,
          message: `\`${shown}(…)\` reads ${what}; unpickling executes whatever the file's author put in it, so a model or dataset that was downloaded, shared or stored where others can write can take over this process.`,
          suggestion: { description: 'Load artifacts only from trusted, integrity-checked locations (verify a hash or signature first), or switch to a data-only format: safetensors/ONNX for models, Parquet/CSV for frames, `skops.io` for scikit-learn models.' },
        });
      }
    }
    return hits;
  },
};

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

const unseededSplit: FileRule = {
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

/** The rules of this pack. */
export const rules: OfflineRule[] = [selectStar, pandasRowLoop, unsafeModelLoad, unseededSplit];
