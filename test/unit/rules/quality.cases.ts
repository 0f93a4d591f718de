/** Cases for the quality pack (src/core/offline/rules/quality/). */
import type { RuleCase } from '../../support/ruleHarness';

const LONG = 'quality/long-function';
const NEST = 'quality/deep-nesting';
const CC = 'quality/complex-function';
const VAGUE = 'quality/vague-name';
const DOC = 'quality/undocumented-export';
const ANY = 'quality/any-typed-api';
const HINTS = 'quality/untyped-python-api';
const DEAD = 'quality/unused-private-function';
const DEADVAR = 'quality/unused-private-variable';
const UNUSEDIMPORT = 'quality/unused-import';

function lines(n: number, make: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => make(i)).join('\n');
}

/** `depth` nested ifs in brace syntax, with `inner` at the bottom. */
function nestedIfs(depth: number, inner: string, indent = '  '): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += `${indent.repeat(i + 1)}if (x > ${i}) {\n`;
    close = `${indent.repeat(i + 1)}}\n` + close;
  }
  return `${open}${indent.repeat(depth + 1)}${inner}\n${close}`;
}

/**
 * `k` blocks of nested loops and branches (cognitive complexity 8 each: loop +1, `if` +2 and its `&&`/`and`
 * +1, inner `if` +3, `else` +1), indented for a function body, in the syntax of `lang`.
 */
function tangled(lang: 'js' | 'py' | 'go' | 'java', k: number): string {
  return lines(k, (i) => {
    switch (lang) {
      case 'py':
        return `    for o in orders:\n        if o.ok and o.paid:\n            if stock.get(o.sku, 0) > ${i}:\n                n += 1\n            else:\n                n -= 1`;
      case 'go':
        return `\tfor _, o := range orders {\n\t\tif o.Ok && o.Paid {\n\t\t\tif stock[o.Sku] > ${i} {\n\t\t\t\tn++\n\t\t\t} else {\n\t\t\t\tn--\n\t\t\t}\n\t\t}\n\t}`;
      case 'java':
        return `    for (Order o : orders) {\n      if (o.ok && o.paid) {\n        if (o.qty > ${i}) {\n          n++;\n        } else {\n          n--;\n        }\n      }\n    }`;
      default:
        return `  for (const o of orders) {\n    if (o.ok && o.paid) {\n      if (stock[o.sku] > ${i}) {\n        n++;\n      } else {\n        n--;\n      }\n    }\n  }`;
    }
  });
}

export const cases: RuleCase[] = [
  // The three function measures report one finding per function, for its strongest reason (metrics.ts):
  // cognitive complexity over 40 → complex-function; else, past SonarSource's 15, over 150 own lines →
  // long-function, or blocks nested more than 5 deep → deep-nesting.

  // --- complexity ---------------------------------------------------------------------------
  {
    rule: CC,
    language: 'javascript',
    name: 'nested loops and branches (cognitive 48)',
    code: `function plan(orders, stock) {\n  let n = 0;\n${tangled('js', 6)}\n  return n;\n}\n`,
    expect: 1,
    line: 1,
  },
  {
    rule: CC,
    language: 'python',
    name: 'Python nested loops and branches',
    code: `def plan(orders, stock):\n    n = 0\n${tangled('py', 6)}\n    return n\n`,
    expect: 1,
    line: 1,
  },
  {
    rule: CC,
    language: 'go',
    name: 'Go nested loops and branches',
    code: `package m\n\nfunc Plan(orders []Order, stock map[string]int) int {\n\tn := 0\n${tangled('go', 6)}\n\treturn n\n}\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: CC,
    language: 'java',
    name: 'Java nested loops, branches and catches',
    code: `class A {\n  int plan(List<Order> orders) {\n    int n = 0;\n${tangled('java', 6)}\n    return n;\n  }\n}\n`,
    expect: 1,
    line: 2,
  },
  {
    rule: CC,
    language: 'typescript',
    name: 'a flat switch counts once',
    code: `export function label(code: string): string {\n  switch (code) {\n${lines(30, (i) => `    case 'c${i}':\n      return 'L${i}';`)}\n    default:\n      return '?';\n  }\n}\n`,
    expect: 0,
  },
  {
    rule: CC,
    language: 'javascript',
    name: 'forty guard clauses (argument checks) read line by line',
    code: `function validate(opts) {\n${lines(40, (i) => `  if (opts.o${i} != null && typeof opts.o${i} !== 'number') throw new TypeError('o${i}');`)}\n  return opts;\n}\n`,
    expect: 0,
  },
  {
    rule: CC,
    language: 'javascript',
    name: 'an else-if chain over one value counts as one dispatch',
    code: `function weekday(d) {\n  let w = -1;\n  if (d[0] === 'S' && d[1] === 'u') {\n    w = 0;\n${lines(40, (i) => `  } else if (d[0] === 'x' && d[1] === '${i}') {\n    w = ${i};`)}\n  } else {\n    return undefined;\n  }\n  return w;\n}\n`,
    expect: 0,
  },
  {
    rule: CC,
    language: 'python',
    name: 'a run of ifs of one shape counts once',
    code: `def flags(bits, out):\n    if bits:\n${lines(40, (i) => `        if bits & (1 << ${i}):\n            out.append("f${i}" if bits > ${i} else "not f${i}")`)}\n    return out\n`,
    expect: 0,
  },
  {
    rule: CC,
    language: 'javascript',
    name: 'a function that transcribes a published algorithm step by step',
    code: `// https://example.org/spec#main-fetch\nfunction mainFetch(orders, stock) {\n  let n = 0;\n${tangled('js', 6).split('\n').map((l, i) => (i % 9 === 0 ? `  // ${i / 9 + 1}. If the next step applies, run it.\n${l}` : l)).join('\n')}\n  return n;\n}\n`,
    expect: 0,
  },
  {
    rule: CC,
    language: 'javascript',
    name: 'generated code is not reviewed for size',
    code: `// This file is autogenerated by build/build-validation.js, do not edit\nfunction validate10(data) {\n  let n = 0;\n${tangled('js', 6)}\n  return n;\n}\n`,
    expect: 0,
  },

  // --- long function ------------------------------------------------------------------------
  {
    rule: LONG,
    language: 'javascript',
    name: '170 lines with some logic',
    code: `// header\nfunction buildReport(rows) {\n  let total = 0;\n  let n = 0;\n${tangled('js', 3)}\n${lines(160, (i) => `  total += rows[${i}];`)}\n  return total;\n}\n`,
    expect: 1,
    line: 2,
  },
  {
    rule: LONG,
    language: 'python',
    name: 'long Python function with logic',
    code: `import os\n\ndef migrate(db, orders, stock):\n    n = 0\n${tangled('py', 3)}\n${lines(155, (i) => `    db.execute("step ${i}")`)}\n    return db\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: LONG,
    language: 'java',
    name: 'long Java method anchored on its name line, not its annotation',
    code: `class A {\n  @Override\n  public int run(List<Order> orders, int x) {\n    int n = 0;\n${tangled('java', 3)}\n${lines(155, (i) => `    x += ${i};`)}\n    return x;\n  }\n}\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: LONG,
    language: 'javascript',
    name: 'a 240-line set-up function without logic is read line by line',
    code: `function createApp(options) {\n  const app = {};\n${lines(240, (i) => `  app.p${i} = options.p${i};`)}\n  return app;\n}\n`,
    expect: 0,
  },
  {
    rule: LONG,
    language: 'typescript',
    name: 'function that is mostly an embedded script literal',
    code: `export function script(): string {\n  const head = 'x';\n  return \`\n${lines(200, (i) => `echo line ${i}`)}\n\`;\n}\n`,
    expect: 0,
  },
  {
    rule: LONG,
    language: 'javascript',
    name: 'factory whose length is in nested functions',
    code: `function makeApi() {\n${lines(12, (i) => `  function op${i}(x) {\n${lines(14, (j) => `    x += ${j};`)}\n    return x;\n  }`)}\n  return { op0 };\n}\n`,
    expect: 0,
  },
  {
    rule: LONG,
    language: 'javascript',
    name: 'a long function that is too complex is reported as complex only',
    code: `function plan(orders, stock) {\n  let n = 0;\n${tangled('js', 6)}\n${lines(160, (i) => `  n += ${i};`)}\n  return n;\n}\n`,
    expect: 0,
  },

  // --- deep nesting -------------------------------------------------------------------------
  {
    rule: NEST,
    language: 'javascript',
    name: 'six nested blocks',
    code: `function f(items, x) {\n  for (const i of items) {\n    if (i) {\n      while (x) {\n        try {\n          if (x > 2) {\n            if (x > 3) {\n              x--;\n            }\n          }\n        } catch (e) {}\n      }\n    }\n  }\n}\n`,
    expect: 1,
    line: 7,
  },
  {
    rule: NEST,
    language: 'python',
    name: 'Python six levels',
    code: 'def f(rows):\n    for r in rows:\n        if r:\n            with open(r) as fh:\n                for line in fh:\n                    if line:\n                        if line.strip() and not line.startswith("#"):\n                            print(line)\n',
    expect: 1,
    line: 7,
  },
  {
    rule: NEST,
    language: 'go',
    name: 'Go six levels',
    code: `package m\n\nfunc F(x int) {\n${nestedIfs(6, 'x++', '\t')}}\n`,
    expect: 1,
    line: 9,
  },
  {
    rule: NEST,
    language: 'java',
    name: 'Java six levels',
    code: `class A {\n  void f(int x) {\n${nestedIfs(6, 'x++;', '  ').replace(/^/gm, '  ')}  }\n}\n`,
    expect: 1,
    line: 8,
  },
  {
    rule: NEST,
    language: 'typescript',
    name: 'long else-if chains do not nest',
    code: `function grade(x: number): string {\n  if (x > 90) {\n    return 'A';\n${lines(8, (i) => `  } else if (x > ${80 - i * 10}) {\n    return '${i}';`)}\n  } else {\n    return 'F';\n  }\n}\n`,
    expect: 0,
  },
  {
    rule: NEST,
    language: 'javascript',
    name: 'five levels',
    code: `function f(x) {\n${nestedIfs(5, 'x++;')}}\n`,
    expect: 0,
  },
  {
    rule: NEST,
    language: 'javascript',
    name: 'a callback starts its own count',
    code: `function f(list, x) {\n  if (x) {\n    if (x > 1) {\n      list.forEach((y) => {\n        if (y) {\n          if (y > 1) {\n            if (y > 2) {\n              if (y > 3) {\n                y++;\n              }\n            }\n          }\n        }\n      });\n    }\n  }\n}\n`,
    expect: 0,
  },

  // --- vague names --------------------------------------------------------------------------
  {
    rule: VAGUE,
    language: 'javascript',
    name: 'doStuff',
    code: 'function doStuff(items) {\n  return items.length;\n}\n',
    expect: 1,
    line: 1,
  },
  {
    rule: VAGUE,
    language: 'python',
    name: 'process_data',
    code: 'import csv\n\ndef process_data(rows):\n    return [r for r in rows]\n',
    expect: 1,
    line: 3,
  },
  {
    rule: VAGUE,
    language: 'go',
    name: 'handleData',
    code: 'package m\n\nfunc handleData(b []byte) int {\n\treturn len(b)\n}\n',
    expect: 1,
    line: 3,
  },
  {
    rule: VAGUE,
    language: 'java',
    name: 'placeholder parameter',
    code: 'class A {\n  int area(int width,\n      int foo) {\n    return width * foo;\n  }\n}\n',
    expect: 1,
    line: 3,
  },
  {
    rule: VAGUE,
    language: 'typescript',
    name: 'placeholder TS parameter',
    code: 'export function total(tmp: number[]): number {\n  return tmp.length;\n}\n',
    expect: 1,
    line: 1,
  },
  {
    rule: VAGUE,
    language: 'typescript',
    name: 'descriptive names, `data` parameter',
    code: 'export function parseInvoice(data: string, index: number): number {\n  return data.length + index;\n}\n',
    expect: 0,
  },
  {
    rule: VAGUE,
    language: 'java',
    name: 'an @Override keeps the interface name',
    code: 'class Job implements Task {\n  @Override\n  public void processData() {}\n}\n',
    expect: 0,
  },

  // --- undocumented exports -----------------------------------------------------------------
  {
    rule: DOC,
    language: 'typescript',
    name: 'exported function without a doc comment',
    code: "import { x } from './x';\n\nexport function computeTax(amount: number): number {\n  const rate = 0.2;\n  const base = amount - x;\n  return base * rate;\n}\n",
    expect: 1,
    line: 3,
  },
  {
    rule: DOC,
    language: 'javascript',
    name: 'CommonJS export of a local function',
    code: "'use strict';\nfunction parse(text) {\n  const parts = text.split(',');\n  const out = parts.map(Number);\n  return out;\n}\nmodule.exports = { parse };\n",
    expect: 1,
    line: 2,
  },
  {
    rule: DOC,
    language: 'python',
    name: 'public function without a docstring',
    code: 'def load(path):\n    with open(path) as fh:\n        text = fh.read()\n    rows = text.split()\n    return rows\n',
    expect: 1,
    line: 1,
  },
  {
    rule: DOC,
    language: 'go',
    name: 'exported Go function without a doc comment',
    code: 'package m\n\nfunc Parse(s string) int {\n\tn := 0\n\tfor range s {\n\t\tn++\n\t}\n\treturn n\n}\n',
    expect: 1,
    line: 3,
  },
  {
    rule: DOC,
    language: 'java',
    name: 'public method without Javadoc',
    code: 'package a;\n\n/** Prices. */\npublic class Prices {\n  public int total(int a, int b) {\n    int t = a + b;\n    t = t * 2;\n    return t;\n  }\n}\n',
    expect: 1,
    line: 5,
  },
  {
    rule: DOC,
    language: 'typescript',
    name: 'documented exports and a short one',
    code: "/** Tax for an amount in cents. */\nexport function computeTax(amount: number): number {\n  const rate = 0.2;\n  const base = amount;\n  return base * rate;\n}\n\n// Adds.\nexport const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => {\n  return a - b;\n};\n",
    expect: 0,
  },
  {
    rule: DOC,
    language: 'python',
    name: 'docstring and private helper',
    code: 'def load(path):\n    """Read rows from `path`."""\n    with open(path) as fh:\n        text = fh.read()\n    return text.split()\n\ndef _helper(x):\n    y = x\n    y += 1\n    y += 2\n    return y\n',
    expect: 0,
  },
  {
    rule: DOC,
    language: 'go',
    name: 'method of an unexported type, and a documented function',
    code: 'package m\n\ntype parser struct{}\n\nfunc (p *parser) Parse(s string) int {\n\tn := 0\n\tn += len(s)\n\tn++\n\treturn n\n}\n\n// Count counts.\nfunc Count(s string) int {\n\tn := 0\n\tn += len(s)\n\tn++\n\treturn n\n}\n',
    expect: 0,
  },
  {
    rule: DOC,
    language: 'javascript',
    name: 'compiled output with a source map',
    code: "'use strict';\nfunction parse(text) {\n  const parts = text.split(',');\n  const out = parts.map(Number);\n  return out;\n}\nexports.parse = parse;\n//# sourceMappingURL=parse.js.map\n",
    expect: 0,
  },
  // Issue 9: JSDoc separated by a blank line, and documented overloads, count as documentation.
  {
    rule: DOC,
    language: 'javascript',
    name: 'JSDoc one blank line above the function (issue 9)',
    code: "/**\n * Parses a comma-separated list of numbers.\n * @param {string} text\n */\n\nfunction parse(text) {\n  const parts = text.split(',');\n  const out = parts.map(Number);\n  return out;\n}\nmodule.exports = { parse };\n",
    expect: 0,
  },
  {
    rule: DOC,
    language: 'typescript',
    name: 'overload signatures documented, implementation not (issue 9)',
    code: "/** Reads a setting as text. */\nexport function setting(name: string): string;\n/** Reads a setting, or the fallback when it is unset. */\nexport function setting(name: string, fallback: number): number;\nexport function setting(name: string, fallback?: number): string | number {\n  const v = process.env[name];\n  if (v === undefined) return fallback ?? '';\n  return fallback === undefined ? v : Number(v);\n}\n",
    expect: 0,
  },
  {
    rule: DOC,
    language: 'python',
    name: '@overload stub with the docstring (issue 9)',
    code: 'from typing import overload\n\n@overload\ndef load(path: str) -> list:\n    """Read rows from `path`."""\n\n@overload\ndef load(path: bytes) -> list: ...\n\ndef load(path):\n    with open(path) as fh:\n        text = fh.read()\n    rows = text.split()\n    return rows\n',
    expect: 0,
  },
  {
    rule: DOC,
    language: 'javascript',
    name: 'a license header above the first function is not its documentation',
    code: "/**\n * Copyright (c) Example. Licensed under the MIT license.\n */\n\nfunction parse(text) {\n  const parts = text.split(',');\n  const out = parts.map(Number);\n  return out;\n}\nmodule.exports = { parse };\n",
    expect: 1,
    line: 5,
  },
  {
    rule: DOC,
    language: 'go',
    name: 'Go: a comment separated by a blank line is not a doc comment (go/doc)',
    code: 'package m\n\n// Parse counts runes.\n\nfunc Parse(s string) int {\n\tn := 0\n\tfor range s {\n\t\tn++\n\t}\n\treturn n\n}\n',
    expect: 1,
    line: 5,
  },

  // --- any in exported signatures -----------------------------------------------------------
  {
    rule: ANY,
    language: 'typescript',
    name: 'any parameter',
    code: 'export function save(record: any, retries = 3): boolean {\n  return !!record && retries > 0;\n}\n',
    expect: 1,
    line: 1,
  },
  {
    rule: ANY,
    language: 'tsx',
    name: 'Promise<any> return of an exported arrow',
    code: "export const fetchUser = async (\n  id: string,\n): Promise<any> => {\n  return fetch('/u/' + id);\n};\n",
    expect: 1,
    line: 3,
  },
  {
    rule: ANY,
    language: 'typescript',
    name: 'public method of an exported class',
    code: 'export class Store {\n  put(key: string, value: any[]): void {\n    void key;\n    void value;\n  }\n  private raw(x: any) { return x; }\n}\n',
    expect: 1,
    line: 2,
  },
  {
    rule: ANY,
    language: 'typescript',
    name: 'any inside callback and constructor types, unknown, unexported',
    code: 'export function onError(cb: (reason: any) => void, make: new (...args: any[]) => object, x: unknown): void {\n  cb(x);\n  void make;\n}\nfunction local(x: any) {\n  return x;\n}\n',
    expect: 0,
  },

  // --- Python type hints (project rule) -----------------------------------------------------
  {
    rule: HINTS,
    language: 'python',
    name: 'one unannotated function in a hinted module',
    path: 'app/billing.py',
    code: 'def total(items: list[int]) -> int:\n    s = 0\n    return s + sum(items)\n\ndef refund(order, amount):\n    order.balance -= amount\n    return order\n',
    expect: 1,
    line: 5,
  },
  {
    rule: HINTS,
    language: 'python',
    name: 'a project without hints gets one finding',
    path: 'app/a.py',
    code: 'def one(x):\n    y = x\n    return y\n\ndef two(x):\n    y = x\n    return y\n',
    files: { 'app/b.py': 'def three(x):\n    y = x\n    return y\n' },
    expect: 1,
    line: 1,
  },
  {
    rule: HINTS,
    language: 'python',
    name: 'fully annotated, private and parameterless functions',
    path: 'app/a.py',
    code: 'def one(x: int) -> int:\n    y = x\n    return y\n\ndef _two(x):\n    y = x\n    return y\n\ndef three():\n    y = 1\n    return y\n',
    expect: 0,
  },
  // Offline depth: size and complexity measures are not part of the default (precise) review.
  {
    rule: 'quality/complex-function',
    language: 'javascript',
    name: 'a complex function is reported at depth thorough only',
    depth: 'precise',
    code: `function plan(orders, stock) {\n  let n = 0;\n${tangled('js', 6)}\n  return n;\n}\n`,
    expect: 0,
  },
  // Dead code: private functions nothing references (quality/unused-private-function).
  {
    rule: DEAD,
    language: 'python',
    name: 'a private module function nothing in the project calls',
    path: 'pkg/console.py',
    code: 'import zlib\n\ndef render(code: str) -> str:\n    return code\n\n\ndef _svg_hash(code: str) -> str:\n    """A hash of the code."""\n    return str(zlib.adler32(code.encode()))\n',
    projectFiles: { 'pkg/other.py': 'from .console import render\n\nprint(render("x"))\n' },
    expect: 1,
    line: 7,
    message: /`_svg_hash` is never called or referenced .*\(2 files searched\)/,
  },
  {
    rule: DEAD,
    language: 'python',
    name: 'a private function only calling itself is still unused; a comment naming it is no use',
    path: 'pkg/walk.py',
    code: '# _walk is kept for later\ndef _walk(n):\n    return _walk(n - 1) if n else 0\n',
    expect: 1,
  },
  {
    rule: DEAD,
    language: 'python',
    name: 'private functions used in the module, imported by another module, named in __all__ or in getattr, decorated, or dunder',
    path: 'pkg/util.py',
    code:
      '__all__ = ["_exported"]\n\ndef _used():\n    return 1\n\ndef _imported_elsewhere():\n    return 2\n\ndef _exported():\n    return 3\n\ndef _by_name():\n    return 4\n\n@app.route("/x")\ndef _view():\n    return 5\n\ndef __getattr__(name):\n    return getattr(__import__("sys"), name)\n\nVALUE = _used()\nHOOK = globals()["_by_name"]\n',
    projectFiles: { 'pkg/cli.py': 'from .util import _imported_elsewhere\n' },
    expect: 0,
  },
  {
    rule: DEAD,
    language: 'python',
    name: 'a private function named by a packaging entry point',
    path: 'pkg/main.py',
    code: 'def _main():\n    print("hi")\n',
    projectFiles: { 'pyproject.toml': '[project.scripts]\ntool = "pkg.main:_main"\n' },
    expect: 0,
  },
  {
    rule: DEAD,
    language: 'python',
    name: 'a private function only a test calls is used (the test is its caller)',
    path: 'pkg/parse.py',
    code: 'def _split(s):\n    return s.split(",")\n',
    testFiles: { 'tests/test_parse.py': 'from pkg.parse import _split\n\ndef test_split():\n    assert _split("a,b") == ["a", "b"]\n' },
    expect: 0,
  },
  {
    rule: DEAD,
    language: 'go',
    name: 'an unexported function its package never calls (its doc comment does not count)',
    path: 'mw/size.go',
    code: 'package mw\n\n// clamp limits n to max.\nfunc clamp(n, max int64) int64 {\n\tif n > max {\n\t\treturn max\n\t}\n\treturn n\n}\n\nfunc Limit(n int64) int64 { return n }\n',
    projectFiles: { 'mw/other.go': 'package mw\n\nfunc Other() int64 { return Limit(3) }\n' },
    expect: 1,
    line: 4,
  },
  {
    rule: DEAD,
    language: 'go',
    name: 'unexported functions used by another file of the package, by a test, by assembly or a linkname; methods, init and bodiless declarations',
    path: 'mw/size.go',
    code:
      'package mw\n\nimport _ "unsafe"\n\nfunc helper() int { return 1 }\n\nfunc testOnly() int { return 2 }\n\nfunc addAsm(a, b int) int\n\nfunc viaAsm() int { return 3 }\n\n//go:linkname linked runtime.nanotime\nfunc linked() int64 { return 0 }\n\nfunc init() {}\n\ntype t struct{}\n\nfunc (t) unusedMethod() {}\n',
    projectFiles: { 'mw/other.go': 'package mw\n\nfunc Other() int { return helper() }\n', 'mw/add_amd64.s': 'TEXT ·addAsm(SB),NOSPLIT,$0\n\tCALL ·viaAsm(SB)\n' },
    testFiles: { 'mw/size_test.go': 'package mw\n\nimport "testing"\n\nfunc TestX(t *testing.T) { _ = testOnly() }\n' },
    expect: 0,
  },
  {
    rule: DEAD,
    language: 'go',
    name: 'a function of the same name in another package does not make it used',
    path: 'a/a.go',
    code: 'package a\n\nfunc parse(s string) string { return s }\n',
    projectFiles: { 'b/b.go': 'package b\n\nfunc parse(s string) string { return s }\n\nvar X = parse("x")\n' },
    expect: 1,
  },
  {
    rule: DEAD,
    language: 'javascript',
    name: 'a CommonJS module function neither exported nor called',
    path: 'lib/util.js',
    code: "'use strict'\n\nfunction used (x) { return x }\n\nfunction legacyParse (x) {\n  return JSON.parse(x)\n}\n\nmodule.exports = { used }\n",
    expect: 1,
    line: 5,
  },
  {
    rule: DEAD,
    language: 'typescript',
    name: 'exported, called, passed as a value, or in a classic script (a global other scripts may call)',
    path: 'src/a.ts',
    code: "import { x } from './x';\n\nexport function api(): number { return helper() + x; }\nfunction helper(): number { return 1; }\nfunction onReady(): void {}\ndocument.addEventListener('DOMContentLoaded', onReady);\n",
    files: { 'public/app.js': 'function toggleMenu () {\n  document.body.classList.toggle("open")\n}\n' },
    expect: 0,
  },
  {
    rule: DEAD,
    language: 'java',
    name: 'a private method its class never calls',
    path: 'src/main/java/a/Codec.java',
    code: 'package a;\n\npublic final class Codec {\n  public String encode(String s) { return s; }\n\n  private static String legacyEncode(String s) {\n    return s.trim();\n  }\n}\n',
    expect: 1,
    line: 6,
  },
  {
    rule: DEAD,
    language: 'java',
    name: 'private methods called, passed by reference, annotated, serialization hooks, or native',
    path: 'src/main/java/a/Codec.java',
    code:
      'package a;\n\nimport java.io.*;\n\npublic final class Codec implements Serializable {\n  public String encode(String s) { return trim(s) + map(s); }\n  private String trim(String s) { return s.trim(); }\n  private String map(String s) { return java.util.Optional.of(s).map(this::upper).get(); }\n  private String upper(String s) { return s.toUpperCase(java.util.Locale.ROOT); }\n  @SuppressWarnings("unused") private void keep() {}\n  private void readObject(ObjectInputStream in) throws IOException {}\n  private Object readResolve() { return this; }\n  private native int poll();\n}\n',
    expect: 0,
  },
  // Dead code: private variables and constants nothing reads (quality/unused-private-variable).
  {
    rule: DEADVAR,
    language: 'python',
    name: 'leftover private module constants nothing in the project reads',
    path: 'pkg/_export_format.py',
    code: 'HTML_FORMAT = "<pre>{code}</pre>"\n\n_FONT_FAMILY = "Fira Code"\n_CLASSES_PREFIX = "term"\n',
    projectFiles: { 'pkg/console.py': 'from ._export_format import HTML_FORMAT\n' },
    expect: 2,
    line: 3,
    message: /`_FONT_FAMILY` is never read .*\(2 files searched\)/,
  },
  {
    rule: DEADVAR,
    language: 'python',
    name: 'a private variable read in the module, imported elsewhere, or one of a run whose sibling is used',
    path: 'pkg/_compat.py',
    code:
      '_cache = {}\n\ndef get(k):\n    return _cache.get(k)\n\n_stdin = make(lambda: 0)\n_stdout = make(lambda: 1)\n_stderr = make(lambda: 2)\n\n_shared = 3\n',
    projectFiles: { 'pkg/utils.py': 'from ._compat import _stdout, _shared\n' },
    expect: 0,
  },
  {
    rule: DEADVAR,
    language: 'go',
    name: 'an unexported package-level variable and a constant of their own declarations, unused in the package',
    path: 'mw/log.go',
    code: 'package mw\n\nvar legacyPrefix = "chi: "\n\nconst maxDepth = 8\n\nvar Prefix = "mw: "\n',
    projectFiles: { 'mw/other.go': 'package mw\n\nfunc P() string { return Prefix }\n' },
    expect: 2,
    line: 3,
  },
  {
    rule: DEADVAR,
    language: 'go',
    name: 'a table of values in one block where some are used (kept for completeness); blank identifiers; used by another file',
    path: 'mw/terminal.go',
    code:
      'package mw\n\nvar (\n\t// Normal colors\n\tnBlack = []byte{27, 91, 51, 48, 109}\n\tnRed   = []byte{27, 91, 51, 49, 109}\n\t// Bright colors\n\tbBlack = []byte{27, 91, 51, 48, 59, 49, 109}\n)\n\nvar _ = nRed\n\nconst (\n\tlevelDebug = iota\n\tlevelInfo\n)\n\nvar helperCount = 0\n',
    projectFiles: { 'mw/other.go': 'package mw\n\nfunc L() int { helperCount++; return levelInfo }\n' },
    expect: 0,
  },
  {
    rule: DEADVAR,
    language: 'go',
    name: 'a blank line splits a block into runs: an unused run is reported',
    path: 'mw/codes.go',
    code: 'package mw\n\nconst (\n\tcodeA = 1\n\tcodeB = 2\n\n\toldCode = 9\n)\n\nfunc A() int { return codeA }\n',
    expect: 1,
    line: 7,
  },
  {
    rule: DEADVAR,
    language: 'javascript',
    name: 'a module-level require and constant nothing uses',
    path: 'app/data/user-dao.js',
    code: 'const bcrypt = require("bcrypt-nodejs");\n\nfunction UserDAO(db) {\n  this.users = db.collection("users");\n}\n\nconst RETRIES = 3;\n\nmodule.exports = { UserDAO };\n',
    expect: 2,
    line: 1,
  },
  {
    rule: DEADVAR,
    language: 'typescript',
    name: 'exported, used, destructured, or in a classic script',
    path: 'src/a.ts',
    code: "import { readFile } from 'node:fs';\n\nexport const LIMIT = 3;\nconst cache = new Map<string, string>();\nconst { join } = require('node:path');\nexport function get(k: string) { return cache.get(k) ?? readFile; }\n",
    files: { 'public/menu.js': 'var openMenus = 0;\n' },
    expect: 0,
  },
  {
    rule: DEADVAR,
    language: 'java',
    name: 'a private static constant its class never reads',
    path: 'src/main/java/a/TokenQueue.java',
    code: "package a;\n\npublic final class TokenQueue {\n  private static final char ESC = '\\\\';\n\n  private static final char[] CssIdentifierChars = {'-', '_'};\n\n  public boolean esc(char c) { return c == ESC; }\n}\n",
    expect: 1,
    line: 6,
  },
  {
    rule: DEADVAR,
    language: 'java',
    name: 'instance fields (mappers use them), serialVersionUID, annotated fields, and a constant read by a nested class',
    path: 'src/main/java/a/User.java',
    code:
      'package a;\n\npublic class User implements java.io.Serializable {\n  private static final long serialVersionUID = 1L;\n\n  private String name;\n\n  @SuppressWarnings("unused") private static int keep;\n\n  private static final int LIMIT = 3;\n\n  static class Checker { boolean ok(int n) { return n < LIMIT; } }\n}\n',
    expect: 0,
  },
  // Unused imports (quality/unused-import).
  {
    rule: UNUSEDIMPORT,
    language: 'java',
    name: 'Java imports the class never names (one finding naming both)',
    path: 'src/main/java/a/Collector.java',
    code: 'package a;\n\nimport a.helper.Validate;\nimport java.util.List;\nimport java.util.stream.Collectors;\n\npublic class Collector {\n  public List<String> all() { return List.of(); }\n}\n',
    expect: 1,
    line: 3,
    message: /2 imports are never used in this file: `Validate`, `Collectors`/,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'java',
    name: 'Java imports used in code, in Javadoc links, by static import, or on demand',
    path: 'src/main/java/a/Gson.java',
    code: 'package a;\n\nimport static java.util.Objects.requireNonNull;\nimport a.annotations.JsonAdapter;\nimport java.util.*;\nimport java.util.Map;\n\n/** Reads {@link JsonAdapter} annotations. */\npublic class Gson {\n  Map<String, String> m = new HashMap<>();\n  void f(Object o) { requireNonNull(o); }\n}\n',
    expect: 0,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'python',
    name: 'Python imports nothing in the module uses',
    path: 'app/api.py',
    code: 'import time\nimport requests\nfrom django.contrib.auth import authenticate, login\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n',
    expect: 1,
    line: 1,
    message: /3 imports are never used in this file: `time`, `authenticate`, `login`/,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'python',
    name: 'Python: used, dotted, in a string annotation or __all__, re-exported, optional-dependency probes, noqa, __future__',
    path: 'app/codec.py',
    code:
      'from __future__ import annotations\n\nimport os.path\nimport typing\nfrom .models import Model\nfrom .compat import helper as helper\nimport readline  # noqa: F401\n\ntry:\n    import zstandard\nexcept ImportError:\n    pass\n\n__all__ = ["typing"]\n\n\ndef load(p) -> "Model":\n    return os.path.exists(p)\n',
    expect: 0,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'python',
    name: 'a package __init__.py re-exports its imports',
    path: 'pkg/__init__.py',
    code: 'from .core import Client\nfrom .errors import HTTPError\n',
    expect: 0,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'typescript',
    name: 'TypeScript import bindings never used',
    path: 'src/a.ts',
    code: "import { readFile, writeFile as write } from 'node:fs';\nimport * as path from 'node:path';\n\nexport function read(p: string) { return readFile(p, () => undefined); }\n",
    expect: 1,
    message: /2 imports are never used in this file: `write`, `path`/,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'tsx',
    name: 'React for the classic JSX transform, side-effect imports, type-only uses',
    path: 'src/App.tsx',
    code: "import React from 'react';\nimport './styles.css';\nimport type { Props } from './types';\n\nexport function App(p: Props) { return <div>{p.title}</div>; }\n",
    expect: 0,
  },
  {
    rule: UNUSEDIMPORT,
    language: 'typescript',
    name: 'test files are left out',
    path: 'src/App.test.ts',
    code: "import { render } from './render';\nimport { App } from './App';\n\ntest('x', () => {});\n",
    expect: 0,
  },
];
