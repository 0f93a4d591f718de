/** `data/unsafe-model-load`: model files loaded with pickle-based loaders. */
import type { SyntaxNode } from '../../syntax';
import { calleeName } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { hasKwargsSplat, kwarg } from './util';

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

export const unsafeModelLoad: FileRule = {
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
