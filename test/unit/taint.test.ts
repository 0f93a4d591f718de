/**
 * The taint engine (src/core/offline/taint): what it follows (assignments, destructuring, string
 * building, collections, same-file calls, classes), what ends taint (sanitisers, allow-lists,
 * constant folding of dead branches), and what a flow tells a rule (source, path, sink).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ParsedLanguage } from '../../src/core/offline/syntax';
import { taintFlows, type Flow } from '../../src/core/offline/taint';
import type { ParsedFile } from '../../src/core/offline/rule';
import { runCase } from '../support/ruleHarness';

/** The flows of `code` as plain data (the tree is freed before returning). */
async function flows(language: ParsedLanguage, code: string): Promise<Array<{ kind: string; line: number; source?: string; sourceKind?: string; path: string[]; api: string; built: boolean }>> {
  const tree = await parse(code, language);
  try {
    const file: ParsedFile = { file: { path: `src/x.${language}`, absPath: `/ws/src/x`, language, text: code, lineCount: code.split('\n').length, redactions: 0 }, language, root: tree.rootNode, lines: code.split('\n') };
    return taintFlows(file).map((f: Flow) => ({
      kind: f.kind,
      line: f.node.startPosition.row + 1,
      source: f.taint?.source.label,
      sourceKind: f.taint?.source.kind,
      path: f.taint?.path.map((s) => s.text) ?? [],
      api: f.api,
      built: !!f.value.built,
    }));
  } finally {
    tree.delete();
  }
}

const tainted = async (language: ParsedLanguage, code: string, kind: string) => (await flows(language, code)).filter((f) => f.kind === kind && f.source && f.sourceKind !== 'principal');

describe('taint engine: propagation (JavaScript)', () => {
  test('a finding names the source, each variable on the way, and the sink', async () => {
    const [f] = await tainted('javascript', `app.get('/u', (req, res) => {
  const id = req.query.id;
  const sql = 'SELECT * FROM users WHERE id = ' + id;
  db.query(sql);
});`, 'sql');
    assert.ok(f);
    assert.equal(f.source, 'req.query.id');
    assert.deepEqual(f.path, ['`id`', '`sql`']);
    assert.equal(f.line, 4);
  });

  test('destructuring, template literals, string methods, object properties and arrays carry taint', async () => {
    const fs = await tainted('javascript', `app.post('/a', (req, res) => {
  const { name, tags: [first] } = req.body;
  const o = { greeting: \`<b>\${name.trim().toUpperCase()}</b>\` };
  const list = ['safe', o.greeting];
  res.send(list[1]);
  res.send(first);
  res.send(list[0]);
});`, 'xss');
    assert.deepEqual(fs.map((f) => f.line), [5, 6]);
  });

  test('a value passed into a function of the same file is followed into it and back out', async () => {
    const fs = await tainted('javascript', `function wrap(s) { return '<p>' + s + '</p>'; }
function send(res, html) { res.send(html); }
app.get('/w', (req, res) => {
  send(res, wrap(req.query.q));
});`, 'xss');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.line, 2);
    assert.ok(fs[0]!.path.some((s) => s.includes('wrap()')), fs[0]!.path.join(' → '));
  });

  test('class instances keep fields apart (setter and getter methods, strong updates)', async () => {
    const fs = await tainted('javascript', `class Box { set(v) { this.v = v; } get() { return this.v; } }
app.get('/b', (req, res) => {
  const a = new Box(); a.set(req.query.x);
  const b = new Box(); b.set('fixed');
  res.send(b.get());
  res.send(a.get());
  a.set('reset');
  res.send(a.get());
});`, 'xss');
    assert.deepEqual(fs.map((f) => f.line), [6]);
  });

  test('maps and list positions: only the slot that holds input is tainted', async () => {
    const fs = await tainted('java', `class T {
  void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("p");
    java.util.List<String> list = new java.util.ArrayList<String>();
    list.add("safe"); list.add(param); list.add("moresafe");
    list.remove(0);
    java.util.Map<String, Object> map = new java.util.HashMap<String, Object>();
    map.put("keyA", "a"); map.put("keyB", param);
    response.getWriter().println(list.get(1));
    response.getWriter().println((String) map.get("keyA"));
    response.getWriter().println(list.get(0));
  }
}`, 'xss');
    assert.deepEqual(fs.map((f) => f.line), [11]);
  });
});

describe('taint engine: what ends taint', () => {
  test('constant folding skips dead branches and picks the constant switch case', async () => {
    const fs = await tainted('java', `class T {
  void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("p");
    String bar;
    int num = 106;
    bar = (7 * 42) - num > 200 ? "This should never happen" : param;
    String guess = "ABC";
    String other;
    switch (guess.charAt(2)) {
      case 'A': other = param; break;
      case 'C': other = "safe"; break;
      default: other = param;
    }
    response.getWriter().println(bar);
    response.getWriter().println(other);
  }
}`, 'xss');
    assert.deepEqual(fs.map((f) => f.line), [14]);
  });

  test('numeric parsing, HTML escaping, allow-lists and anchored validation sanitise', async () => {
    const fs = await tainted('javascript', `const ALLOWED = ['asc', 'desc'];
app.get('/s', (req, res) => {
  res.send('<p>' + parseInt(req.query.n, 10) + '</p>');
  res.send('<p>' + escapeHtml(req.query.name) + '</p>');
  const order = req.query.order;
  if (!ALLOWED.includes(order)) return res.sendStatus(400);
  res.send(order);
  const slug = req.query.slug;
  if (/^[a-z0-9-]+$/.test(slug)) res.send(slug);
  res.send(req.query.raw);
});`, 'xss');
    assert.deepEqual(fs.map((f) => f.line), [10]);
  });

  test('escaping for one sink kind does not make a value safe for another', async () => {
    const fs = await flows('python', `from flask import request, make_response
import html
@app.route("/x")
def x():
    name = html.escape(request.args["name"])
    cur.execute("SELECT * FROM t WHERE n = '" + name + "'")
    return make_response("<p>" + name + "</p>")`);
    assert.deepEqual(fs.filter((f) => f.source).map((f) => f.kind), ['sql']);
  });

  test('path.basename, and a root-prefix check of a resolved path, end path taint', async () => {
    const fs = await tainted('javascript', `const path = require('path');
const fs = require('fs');
const ROOT = '/srv/files';
app.get('/f', (req, res) => {
  fs.readFileSync(path.join(ROOT, path.basename(req.query.f)));
  const p = path.resolve(ROOT, req.query.g);
  if (!p.startsWith(ROOT)) return res.sendStatus(403);
  fs.readFileSync(p);
  fs.readFileSync(path.join(ROOT, req.query.h));
});`, 'path');
    assert.deepEqual(fs.map((f) => f.line), [9]);
  });

  test('bind parameters: a constant SQL text with values passed separately is no flow', async () => {
    const fs = await tainted('python', `from flask import request
@app.route("/u")
def u():
    cur.execute("SELECT * FROM users WHERE id = %s", (request.args["id"],))
    return "ok"`, 'sql');
    assert.equal(fs.length, 0);
  });
});

describe('taint engine: sources per framework', () => {
  test('Django request.COOKIES/GET/META, aiohttp match_info, Go mux.Vars and r.FormValue, Spring @RequestParam', async () => {
    assert.equal((await tainted('python', `import os
from django.http import HttpResponse
def view(request):
    os.system("ls " + request.COOKIES["d"] + request.META["HTTP_X"] + request.GET["q"])`, 'command')).length, 1);
    assert.equal((await tainted('python', `from aiohttp import web
async def handler(request):
    os.system("ping " + request.match_info["host"])`, 'command')).length, 1);
    assert.equal((await tainted('go', `package main
import ("net/http"; "os/exec"; "github.com/gorilla/mux")
func h(w http.ResponseWriter, r *http.Request) {
	exec.Command("sh", "-c", "ls "+mux.Vars(r)["dir"]+r.FormValue("x")).Run()
}`, 'command')).length, 1);
    const [spring] = await tainted('java', `class C {
  String find(@RequestParam("name") String name) {
    return jdbc.queryForObject("SELECT id FROM users WHERE name = '" + name + "'", String.class);
  }
}`, 'sql');
    assert.equal(spring?.source, '@RequestParam name');
  });

  test('an outgoing HTTP client request (httpx/fetch Request) is not a source', async () => {
    assert.equal((await tainted('python', `import logging
from ._models import Request
def send(request: Request):
    logging.info("%s %s", request.method, request.url)`, 'log')).length, 0);
  });
});

describe('rules on the engine: severities that say how sure the finding is', () => {
  test('dynamic code evaluation without request input is low at most (a schema compiler\'s new Function)', async () => {
    const hits = await runCase({
      rule: 'security/code-injection',
      language: 'javascript',
      expect: 1,
      code: `function compile(schema, name) {
  const source = 'return function validate_' + name + '(data) { return typeof data === "' + schema.type + '"; }';
  return new Function(source)();
}`,
    });
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.severity, 'low');
    assert.match(hits[0]!.message, /none of which this file traces to request input/);
  });

  test('the same evaluation of request input is critical, and the message names source and sink', async () => {
    const hits = await runCase({ rule: 'security/code-injection', language: 'javascript', expect: 1, code: `app.post('/calc', (req, res) => res.json(eval(req.body.expr)));` });
    assert.equal(hits[0]!.severity, undefined); // the rule's default: critical
    assert.match(hits[0]!.message, /request input `req\.body\.expr` \(line 1\) reaches `eval`/);
  });
});

describe('taint across modules: which reviewed file a relative specifier names', () => {
  const reviewed = new Set(['src/db.js', 'src/lib/index.ts', 'src/files.ts', 'app/data/user-dao.js']);
  test('extension, index file, parent folder, and TypeScript\'s `.js` for a `.ts` file', async () => {
    const { resolveModule } = await import('../../src/core/offline/taint/modules');
    assert.equal(resolveModule('src/routes/users.js', '../db', reviewed), 'src/db.js');
    assert.equal(resolveModule('src/server.ts', './lib', reviewed), 'src/lib/index.ts');
    assert.equal(resolveModule('src/server.ts', './files.js', reviewed), 'src/files.ts');
    assert.equal(resolveModule('app/routes/session.js', '../data/user-dao', reviewed), 'app/data/user-dao.js');
  });
  test('a module outside the review resolves to nothing', async () => {
    const { resolveModule } = await import('../../src/core/offline/taint/modules');
    assert.equal(resolveModule('src/server.ts', './missing', reviewed), undefined);
    assert.equal(resolveModule('src/server.ts', '../db', reviewed), undefined);
  });
});

describe('taint across modules: which reviewed Python file a dotted module names', () => {
  const reviewed = new Set(['sqli/dao/student.py', 'app/dao/__init__.py', 'src/pkg/views.py', 'src/pkg/models.py']);
  test('absolute from any package root, a class inside the module, a package\'s __init__, and relative imports', async () => {
    const { resolvePythonModule } = await import('../../src/core/offline/taint/modules');
    assert.equal(resolvePythonModule('sqli/views.py', 'sqli.dao.student.Student', reviewed), 'sqli/dao/student.py');
    assert.equal(resolvePythonModule('app/views.py', 'app.dao', reviewed), 'app/dao/__init__.py');
    assert.equal(resolvePythonModule('src/pkg/views.py', 'pkg.models', reviewed), 'src/pkg/models.py');
    assert.equal(resolvePythonModule('src/pkg/views.py', '.models', reviewed), 'src/pkg/models.py');
  });
  test('a module outside the review (the standard library, a dependency) resolves to nothing', async () => {
    const { resolvePythonModule } = await import('../../src/core/offline/taint/modules');
    assert.equal(resolvePythonModule('sqli/views.py', 'json', reviewed), undefined);
    assert.equal(resolvePythonModule('sqli/views.py', 'aiohttp.web.Request', reviewed), undefined);
    assert.equal(resolvePythonModule('src/pkg/views.py', '..models', reviewed), undefined);
  });
});
