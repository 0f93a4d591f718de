/** Cases for the data pack (src/core/offline/rules/data/). */
import type { RuleCase } from '../../support/ruleHarness';

const STAR = 'data/select-star';
const ROWS = 'data/pandas-row-iteration';
const LOAD = 'data/unsafe-model-load';
const SEED = 'data/unseeded-split';

export const cases: RuleCase[] = [
  // --- SELECT * -----------------------------------------------------------------------------
  {
    rule: STAR,
    language: 'javascript',
    name: 'query call',
    code: "const db = require('./db');\nasync function users() {\n  return db.query('SELECT * FROM users WHERE active = $1', [true]);\n}\n",
    expect: 1,
    line: 3,
  },
  {
    rule: STAR,
    language: 'python',
    name: 'f-string query',
    code: 'def load(cur, table):\n    cur.execute(f"select * from {table} where id = %s", (1,))\n',
    expect: 1,
    line: 2,
  },
  {
    rule: STAR,
    language: 'go',
    name: 'raw string query',
    code: 'package m\n\nfunc List(db *sql.DB) {\n\tdb.Query(`\n\t\tSELECT *\n\t\tFROM orders`)\n}\n',
    expect: 1,
    line: 4,
  },
  {
    rule: STAR,
    language: 'java',
    name: 'JDBC query',
    code: 'class Repo {\n  void all(Connection c) throws Exception {\n    c.prepareStatement("SELECT * FROM accounts").executeQuery();\n  }\n}\n',
    expect: 1,
    line: 3,
  },
  {
    rule: STAR,
    language: 'typescript',
    name: 'explicit columns, COUNT(*) and EXISTS',
    code: "export const q1 = 'SELECT id, name FROM users';\nexport const q2 = 'SELECT COUNT(*) FROM users';\nexport const q3 = 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)';\n",
    expect: 0,
  },
  {
    rule: STAR,
    language: 'python',
    name: 'a docstring mentioning SELECT *',
    code: 'def f():\n    """Never write SELECT * FROM big_table here."""\n    return 1\n',
    expect: 0,
  },

  // --- pandas row iteration -----------------------------------------------------------------
  {
    rule: ROWS,
    language: 'python',
    name: 'iterrows loop',
    code: 'import pandas as pd\n\ndf = pd.read_csv("x.csv")\ntotal = 0\nfor _, row in df.iterrows():\n    total += row["price"] * row["qty"]\n',
    expect: 1,
    line: 5,
  },
  {
    rule: ROWS,
    language: 'python',
    name: 'row-wise apply',
    code: 'import pandas as pd\n\ndef enrich(df):\n    df["total"] = df.apply(lambda r: r.price * r.qty, axis=1)\n    return df\n',
    expect: 1,
    line: 4,
  },
  {
    rule: ROWS,
    language: 'python',
    name: 'column-wise apply and itertuples',
    code: 'import pandas as pd\n\ndef f(df):\n    df["name"] = df["name"].apply(str.strip)\n    for row in df.itertuples():\n        print(row)\n    return df.apply(sum, axis=0)\n',
    expect: 0,
  },

  // --- unsafe model loading -----------------------------------------------------------------
  {
    rule: LOAD,
    language: 'python',
    name: 'torch.load without weights_only',
    code: 'import torch\n\nmodel = torch.load("checkpoint.pt")\n',
    expect: 1,
    line: 3,
  },
  {
    rule: LOAD,
    language: 'python',
    name: 'aliased joblib and numpy allow_pickle',
    code: 'import joblib as jl\nimport numpy as np\n\nclf = jl.load("model.joblib")\narr = np.load("feats.npy", allow_pickle=True)\n',
    expect: 2,
    line: 4,
  },
  {
    rule: LOAD,
    language: 'python',
    name: 'pickle.load in a file that trains models',
    code: 'import pickle\nfrom sklearn.linear_model import LogisticRegression\n\nwith open("model.pkl", "rb") as fh:\n    model = pickle.load(fh)\n',
    expect: 1,
    line: 5,
  },
  {
    rule: LOAD,
    language: 'python',
    name: 'weights_only=True and a default np.load',
    code: 'import torch\nimport numpy as np\nimport pickle\n\nstate = torch.load("w.pt", weights_only=True)\narr = np.load("a.npy")\n',
    expect: 0,
  },
  {
    rule: LOAD,
    language: 'python',
    name: 'pickle cache in a non-ML module',
    code: 'import pickle\n\ndef read_cache(path):\n    with open(path, "rb") as fh:\n        return pickle.load(fh)\n',
    expect: 0,
  },

  // --- unseeded splits ----------------------------------------------------------------------
  {
    rule: SEED,
    language: 'python',
    name: 'train_test_split without random_state',
    code: 'from sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n',
    expect: 1,
    line: 3,
  },
  {
    rule: SEED,
    language: 'python',
    name: 'shuffled KFold, random_split and DataFrame.sample',
    code: 'from sklearn.model_selection import KFold\nfrom torch.utils.data import random_split\n\ncv = KFold(n_splits=5, shuffle=True)\ntrain, val = random_split(ds, [0.8, 0.2])\nsmall = df.sample(frac=0.1)\n',
    expect: 3,
    line: 4,
  },
  {
    rule: SEED,
    language: 'python',
    name: 'seeded calls, unshuffled KFold, random.sample',
    code: 'import random\nfrom sklearn.model_selection import KFold, train_test_split\n\na = train_test_split(X, y, random_state=42)\ncv = KFold(n_splits=5)\npick = random.sample(items, 3)\nsmall = df.sample(frac=0.1, random_state=0)\n',
    expect: 0,
  },
  {
    rule: SEED,
    language: 'python',
    name: 'a global seed set in the file',
    code: 'import numpy as np\nfrom sklearn.model_selection import train_test_split\n\nnp.random.seed(0)\nparts = train_test_split(X, y)\n',
    expect: 0,
  },
];
