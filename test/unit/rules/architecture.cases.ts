/** Cases for the architecture pack (src/core/offline/rules/architecture/). */
import type { RuleCase } from '../../support/ruleHarness';

const CYCLE = 'architecture/cyclic-imports';
const GOD = 'architecture/god-module';
const FAN = 'architecture/high-fan-out';

/**
 * `n` small methods with bodies, in the syntax of `lang`; method i uses instance field `g<i % groups>`, so
 * the methods fall into `groups` groups that share no field (one group: a cohesive class).
 */
function methods(lang: 'ts' | 'py' | 'java', n: number, groups = 3, prefix = 'step'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % groups;
    if (lang === 'ts') out.push(`  ${prefix}${i}(x: number): number {\n    return x + this.g${g};\n  }`);
    else if (lang === 'py') out.push(`    def ${prefix}{i}(self, x):\n        return x + self.g${g}`.replace('{i}', String(i)));
    else out.push(`  public int ${prefix}${i}(int x) {\n    return x + this.g${g};\n  }`);
  }
  return out.join('\n');
}

/** A JS module of `n` top-level functions, each `lines` lines long; function i calls function i - `groups` (so `groups` call chains; 0: none). */
function manyFunctions(n: number, lines: number, groups = 2): string {
  const out: string[] = ["'use strict';"];
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: lines - 2 }, (_, j) => (j === 0 && groups && i >= groups ? `  total += task${i - groups}(x);` : `  total += ${j} * x;`)).join('\n');
    out.push(`function task${i}(x) {\n${body}\n}`);
  }
  return out.join('\n');
}

function jsImports(n: number): string {
  return Array.from({ length: n }, (_, i) => `import { f${i} } from 'pkg-${i}';`).join('\n') + '\nexport function run() {\n  return [' + Array.from({ length: n }, (_, i) => `f${i}()`).join(', ') + '];\n}\n';
}

export const cases: RuleCase[] = [
  // --- cyclic imports -----------------------------------------------------------------------
  {
    rule: CYCLE,
    language: 'typescript',
    name: 'two TS modules importing each other',
    path: 'src/a.ts',
    code: "import { b } from './b';\nexport const a = () => b();\n",
    files: { 'src/b.ts': "// b needs a\nimport { a } from './a';\nexport function b() {\n  return a;\n}\n" },
    expect: 1,
    line: 2,
  },
  {
    rule: CYCLE,
    language: 'typescript',
    name: 'NodeNext .js specifiers naming .ts files, three-module cycle',
    path: 'src/x.ts',
    code: "import { y } from './y.js';\nexport const x = () => y();\n",
    files: {
      'src/y.ts': "import { z } from './lib/z.js';\nexport const y = () => z();\n",
      'src/lib/z.ts': "import { x } from '../x.js';\nexport const z = () => x();\n",
    },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'javascript',
    name: 'CommonJS require cycle through index.js',
    path: 'lib/index.js',
    code: "const util = require('./util');\nmodule.exports = { run: () => util.go() };\n",
    files: { 'lib/util.js': "const api = require('.');\nexports.go = () => api;\n" },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'Python relative imports',
    path: 'pkg/models.py',
    code: 'from . import services\n\nclass User:\n    pass\n',
    files: { 'pkg/services.py': 'import os\nfrom .models import User\n\ndef load():\n    return User()\n', 'pkg/__init__.py': '' },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'Python absolute package imports',
    path: 'src/app/orders.py',
    code: 'import app.billing\n\ndef total():\n    return app.billing.rate()\n',
    files: { 'src/app/billing.py': 'from app.orders import total\n\ndef rate():\n    return 1\n', 'src/app/__init__.py': '' },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'go',
    name: 'Go packages importing each other',
    path: 'store/store.go',
    code: 'package store\n\nimport "example.com/shop/api"\n\nfunc Save() { api.Notify() }\n',
    files: { 'api/api.go': 'package api\n\nimport (\n\t"fmt"\n\t"example.com/shop/store"\n)\n\nfunc Notify() { fmt.Println(store.Save) }\n' },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'java',
    name: 'Java classes in two packages importing each other',
    path: 'src/main/java/com/shop/order/Order.java',
    code: 'package com.shop.order;\n\nimport com.shop.billing.Invoice;\n\npublic class Order { Invoice invoice; }\n',
    files: { 'src/main/java/com/shop/billing/Invoice.java': 'package com.shop.billing;\n\nimport java.util.List;\nimport com.shop.order.Order;\n\npublic class Invoice { Order order; }\n' },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'typescript',
    name: 'type-only imports are erased at run time',
    path: 'src/a.ts',
    code: "import type { B } from './b';\nexport class A { b?: B; }\n",
    files: { 'src/b.ts': "import { A } from './a';\nexport class B { a = new A(); }\n" },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'typescript',
    name: 'an import used only in type positions is elided',
    path: 'src/a.ts',
    code: "import { B } from './b';\nexport class A {\n  constructor(private readonly b: B) {}\n}\n",
    files: { 'src/b.ts': "import { A } from './a';\nexport class B { a = new A(null as never); }\n" },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'javascript',
    name: 'a require deferred inside a function',
    path: 'lib/a.js',
    code: "const b = require('./b');\nexports.a = () => b.b();\n",
    files: { 'lib/b.js': "exports.b = function () {\n  return require('./a').a;\n};\n" },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'imports under TYPE_CHECKING and stdlib names',
    path: 'pkg/a.py',
    code: 'from typing import TYPE_CHECKING\nimport json\nif TYPE_CHECKING:\n    from .b import B\n',
    files: { 'pkg/b.py': 'from .a import thing\n', 'pkg/json.py': 'from .a import x\n', 'pkg/__init__.py': '' },
    expect: 0,
  },
  // Issue 9: type-only imports are not run-time dependencies, for cycles and for fan-out.
  {
    rule: CYCLE,
    language: 'typescript',
    name: "import('./b') in a type position and export type … from (issue 9)",
    path: 'src/a.ts',
    code: "export class A {\n  b?: import('./b').B;\n}\nexport type Both = typeof import('./c');\nexport { type C } from './c';\n",
    files: { 'src/b.ts': "import { A } from './a';\nexport class B { a = new A(); }\n", 'src/c.ts': "import { A } from './a';\nexport class C { a = new A(); }\n" },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'typescript',
    name: "a value import('./b') is a dependency",
    path: 'src/a.ts',
    code: "export async function load() {\n  return import('./b');\n}\nexport const b = await import('./b');\n",
    files: { 'src/b.ts': "import { load } from './a';\nexport const B = load;\n" },
    expect: 1,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'if t.TYPE_CHECKING: with typing imported as t (issue 9)',
    path: 'pkg/a.py',
    code: 'import typing as t\n\nif t.TYPE_CHECKING:  # pragma: no cover\n    from .b import B\n',
    files: { 'pkg/b.py': 'from .a import thing\n', 'pkg/__init__.py': '' },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'the else branch of if TYPE_CHECKING runs',
    path: 'pkg/a.py',
    code: 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .c import C\nelse:\n    from .b import B\n',
    files: { 'pkg/b.py': 'from .a import thing\n', 'pkg/c.py': '', 'pkg/__init__.py': '' },
    expect: 1,
  },
  {
    rule: FAN,
    language: 'javascript',
    name: 'a package entry point that requires its modules to export them passes them on',
    path: 'index.js',
    code: "'use strict'\n" + Array.from({ length: 25 }, (_, i) => `const M${i} = require('./lib/m${i}')`).join('\n') + '\nconst { helper } = require(\'./lib/util\')\nhelper()\n' + Array.from({ length: 25 }, (_, i) => `module.exports.M${i} = M${i}`).join('\n') + "\nmodule.exports.interceptors = {\n  retry: require('./lib/retry'),\n  dump: require('./lib/dump')\n}\n",
    expect: 0,
  },
  {
    rule: FAN,
    language: 'javascript',
    name: 'a module that uses 22 modules itself',
    code: Array.from({ length: 22 }, (_, i) => `const m${i} = require('./lib/m${i}')`).join('\n') + '\nmodule.exports = function run () {\n  return [' + Array.from({ length: 22 }, (_, i) => `m${i}()`).join(', ') + ']\n}\n',
    expect: 1,
  },
  {
    rule: FAN,
    language: 'typescript',
    name: "type-only import('…') types do not count toward fan-out (issue 9)",
    code: Array.from({ length: 15 }, (_, i) => `import { f${i} } from 'pkg-${i}';`).join('\n') + '\n' + Array.from({ length: 10 }, (_, i) => `export type T${i} = import('types-${i}').T;`).join('\n') + '\nexport function run() {\n  return [' + Array.from({ length: 15 }, (_, i) => `f${i}()`).join(', ') + '];\n}\n',
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'java',
    name: 'Java classes of one package, and a package with its subpackage, that refer to each other',
    path: 'src/main/java/com/google/gson/Gson.java',
    code: 'package com.google.gson;\n\nimport com.google.gson.internal.Excluder;\n\npublic class Gson { Excluder excluder; JsonElement tree; }\n',
    files: {
      'src/main/java/com/google/gson/internal/Excluder.java': 'package com.google.gson.internal;\n\nimport com.google.gson.Gson;\n\npublic class Excluder { Gson gson; }\n',
      'src/main/java/com/google/gson/JsonElement.java': 'package com.google.gson;\n\nimport com.google.gson.Gson;\n\npublic class JsonElement { Gson gson; }\n',
    },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'java',
    name: 'a Java import named only in Javadoc',
    path: 'src/main/java/com/shop/order/Order.java',
    code: 'package com.shop.order;\n\nimport com.shop.billing.Invoice;\n\n/** Billed through {@link Invoice}. */\npublic class Order {}\n',
    files: { 'src/main/java/com/shop/billing/Invoice.java': 'package com.shop.billing;\n\nimport com.shop.order.Order;\n\npublic class Invoice { Order order; }\n' },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'typescript',
    name: 'a chain without a cycle',
    path: 'src/a.ts',
    code: "import { b } from './b';\nexport const a = b;\n",
    files: { 'src/b.ts': "import { c } from './c';\nexport const b = c;\n", 'src/c.ts': 'export const c = 1;\n' },
    expect: 0,
  },

  // --- god module ---------------------------------------------------------------------------
  {
    rule: GOD,
    language: 'typescript',
    name: 'class with 45 methods',
    code: `import { x } from './x';\n\nexport class OrderService {\n${methods('ts', 45)}\n}\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: GOD,
    language: 'python',
    name: 'Python class with 42 methods',
    code: `class Manager:\n${methods('py', 42)}\n`,
    expect: 1,
    line: 1,
  },
  {
    rule: GOD,
    language: 'java',
    name: 'Java class with 41 methods',
    code: `package a;\n\npublic class Everything {\n${methods('java', 41)}\n}\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: GOD,
    language: 'javascript',
    name: 'file of 1,100 lines with 50 top-level functions',
    code: manyFunctions(50, 22),
    expect: 1,
    line: 2,
  },
  {
    rule: GOD,
    language: 'go',
    name: 'Go file of 1,100 lines with 45 functions',
    code: 'package big\n\n' + Array.from({ length: 45 }, (_, i) => `func Task${i}(x int) int {\n${Array.from({ length: 22 }, (_, j) => (j === 0 && i >= 3 ? `\tx += Task${i - 3}(x)` : `\tx += ${j}`)).join('\n')}\n\treturn x\n}`).join('\n'),
    expect: 1,
    line: 3,
  },
  {
    rule: GOD,
    language: 'typescript',
    name: 'a constructor that sets every field does not join the groups (LCOM4 leaves constructors out)',
    code: `export class OrderService {\n  constructor() {\n    this.g0 = 0;\n    this.g1 = 1;\n    this.g2 = 2;\n  }\n${methods('ts', 45)}\n}\n`,
    expect: 1,
    line: 1,
    depth: 'precise',
  },
  {
    rule: GOD,
    language: 'python',
    name: 'Python __init__ that sets every field does not join the groups',
    code: `class Manager:\n    def __init__(self):\n        self.g0 = 0\n        self.g1 = 1\n        self.g2 = 2\n${methods('py', 42)}\n`,
    expect: 1,
    line: 1,
    depth: 'precise',
  },
  {
    rule: GOD,
    language: 'java',
    name: 'Java constructor that sets every field does not join the groups',
    code: `package a;\n\npublic class Everything {\n  public Everything() {\n    this.g0 = 0;\n    this.g1 = 1;\n    this.g2 = 2;\n  }\n${methods('java', 41)}\n}\n`,
    expect: 1,
    line: 3,
    depth: 'precise',
  },
  {
    rule: GOD,
    language: 'typescript',
    name: 'a non-constructor method that uses every field still joins the groups (one responsibility)',
    code: `export class OrderService {\n  reset() {\n    this.g0 = 0;\n    this.g1 = 1;\n    this.g2 = 2;\n  }\n${methods('ts', 45)}\n}\n`,
    expect: 0,
  },
  {
    rule: GOD,
    language: 'typescript',
    name: 'a large class whose methods share their fields is cohesive',
    code: `export class Tokenizer {\n${methods('ts', 60, 1)}\n}\n`,
    expect: 0,
  },
  {
    rule: GOD,
    language: 'javascript',
    name: 'a large module of independent helpers is not reported',
    code: manyFunctions(50, 22, 0),
    expect: 0,
  },
  {
    rule: GOD,
    language: 'javascript',
    name: 'a large module whose functions call each other (one protocol) is not reported',
    code: manyFunctions(50, 22, 1),
    expect: 0,
  },
  {
    rule: GOD,
    language: 'typescript',
    name: 'class of accessors only',
    code: `export class Node {\n${Array.from({ length: 45 }, (_, i) => `  get field${i}(): number {\n    return ${i};\n  }`).join('\n')}\n}\n`,
    expect: 0,
  },
  {
    rule: GOD,
    language: 'python',
    name: 'abstract interface of stubs',
    code: `class Loop:\n${Array.from({ length: 45 }, (_, i) => `    def op${i}(self):\n        raise NotImplementedError`).join('\n')}\n`,
    expect: 0,
  },
  {
    rule: GOD,
    language: 'typescript',
    name: 'class with 30 methods',
    code: `export class Small {\n${methods('ts', 30)}\n}\n`,
    expect: 0,
  },

  // --- high fan-out -------------------------------------------------------------------------
  {
    rule: FAN,
    language: 'typescript',
    name: '22 distinct packages',
    code: `// coordinator\n${jsImports(22)}`,
    expect: 1,
    line: 2,
  },
  {
    rule: FAN,
    language: 'python',
    name: '22 third-party modules',
    code: Array.from({ length: 22 }, (_, i) => `from vendor${i}.api import call${i}`).join('\n') + '\nimport os\n\ndef run():\n    return call0()\n',
    expect: 1,
    line: 1,
  },
  {
    rule: FAN,
    language: 'go',
    name: '22 non-standard packages',
    code: `package main\n\nimport (\n\t"fmt"\n${Array.from({ length: 22 }, (_, i) => `\t"github.com/acme/mod${i}"`).join('\n')}\n)\n\nfunc main() { fmt.Println() }\n`,
    expect: 1,
    line: 4,
  },
  {
    rule: FAN,
    language: 'java',
    name: '22 packages',
    code: `package app;\n\n${Array.from({ length: 22 }, (_, i) => `import com.acme.p${i}.Service${i};`).join('\n')}\nimport java.util.List;\n\npublic class App {\n${Array.from({ length: 22 }, (_, i) => `  Service${i} s${i};`).join('\n')}\n}\n`,
    expect: 1,
    line: 3,
  },
  {
    rule: FAN,
    language: 'java',
    name: 'many classes from few packages',
    code: `package app;\n\n${Array.from({ length: 30 }, (_, i) => `import com.acme.model.Entity${i};`).join('\n')}\n\npublic class App {}\n`,
    expect: 0,
  },
  {
    rule: FAN,
    language: 'typescript',
    name: 'a barrel of re-exports',
    path: 'src/index.ts',
    code: Array.from({ length: 30 }, (_, i) => `export * from './mod${i}';`).join('\n') + '\n',
    expect: 0,
  },
  {
    rule: FAN,
    language: 'javascript',
    name: 'node built-ins do not count',
    code: ['fs', 'path', 'os', 'http', 'https', 'url', 'util', 'zlib', 'net', 'tls', 'crypto', 'events', 'stream', 'child_process', 'assert', 'buffer', 'dns', 'readline', 'vm', 'worker_threads', 'querystring', 'timers'].map((m, i) => `const m${i} = require('node:${m}');`).join('\n') + '\n',
    expect: 0,
  },
  {
    rule: FAN,
    language: 'typescript',
    name: '10 imports',
    code: jsImports(10),
    expect: 0,
  },
  // Offline depth: package cycles in Java have no load-time effect, so the default (precise) review leaves them out.
  {
    rule: CYCLE,
    language: 'java',
    name: 'a Java package cycle is reported at depth thorough only',
    depth: 'precise',
    path: 'src/main/java/com/shop/order/Order.java',
    code: 'package com.shop.order;\n\nimport com.shop.billing.Invoice;\n\npublic class Order { Invoice invoice; }\n',
    files: { 'src/main/java/com/shop/billing/Invoice.java': 'package com.shop.billing;\n\nimport com.shop.order.Order;\n\npublic class Invoice { Order order; }\n' },
    expect: 0,
  },
  {
    rule: CYCLE,
    language: 'python',
    name: 'a Python import-time cycle is reported at the default depth',
    depth: 'precise',
    path: 'pkg/models.py',
    code: 'from . import services\n\nclass User:\n    pass\n',
    files: { 'pkg/services.py': 'from .models import User\n\ndef load():\n    return User()\n', 'pkg/__init__.py': '' },
    expect: 1,
    line: 1,
  },
  {
    rule: 'architecture/high-fan-out',
    language: 'javascript',
    name: 'fan-out is a count, reported at depth thorough only',
    depth: 'precise',
    code: jsImports(30),
    expect: 0,
  },
];
