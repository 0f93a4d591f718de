/**
 * Calls are judged by what their name resolves to (issue 9): a name the file declares (function, class,
 * variable, parameter) is not the global of that name, and a quick fix is offered only where it provably
 * changes behaviour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ParsedLanguage } from '../../src/core/offline/syntax';
import { declaredLocally, globalCallee } from '../../src/core/offline/bindings';
import { callsOf } from '../../src/core/offline/nodes';
import type { ParsedFile } from '../../src/core/offline/rule';
import { runCase } from '../support/ruleHarness';

async function withFile<T>(language: ParsedLanguage, text: string, fn: (file: ParsedFile) => T): Promise<T> {
  const tree = await parse(text, language);
  try {
    return fn({ file: { path: 'a', absPath: '/a', language, text, lineCount: 1, redactions: 0 }, language, root: tree.rootNode, lines: text.split('\n') });
  } finally {
    tree.delete();
  }
}

test('a function, parameter or variable named like a global shadows it; imports resolve to their module', async () => {
  const js = `import got from 'got';
function fetch(u) { return u; }
function a(setTimeout) { setTimeout(f, 1); fetch('x'); }
function b() { const exit = () => 0; exit(); globalThis.fetch('y'); got('z'); open('w'); }`;
  const names = await withFile('javascript', js, (f) => callsOf(f).map((c) => [c.text.split('(')[0], globalCallee(c, f) ?? null]));
  assert.deepEqual(names, [
    ['setTimeout', null],
    ['fetch', null],
    ['exit', null],
    ['globalThis.fetch', 'globalThis.fetch'],
    ['got', 'got'],
    ['open', 'open'],
  ]);
  const py = `import sys
def exit(code):
    pass
class K:
    def open(self):
        open("f")
def run(quit):
    quit()
    exit(1)
    sys.exit(2)`;
  const pyNames = await withFile('python', py, (f) => callsOf(f).map((c) => [c.text.split('(')[0], globalCallee(c, f) ?? null]));
  assert.deepEqual(pyNames, [
    ['open', 'open'], // a method is reached through self, so the bare name is the built-in
    ['quit', null],
    ['exit', null],
    ['sys.exit', 'sys.exit'],
  ]);
  await withFile('javascript', 'function f({ a, b: [c] }, d = e) { }', (f) => {
    const body = f.root.descendantsOfType('statement_block')[0]!;
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((n) => declaredLocally(n, body, f)), [true, false, true, true, false]);
  });
});

test('the timeout quick fix is offered for the global fetch only, and adds the signal it honours', async () => {
  const [global] = await runCase({ rule: 'sre/missing-timeout', language: 'javascript', code: 'export const get = (url) => fetch(url);', expect: 1 });
  assert.equal(global?.suggestion?.replacement, 'export const get = (url) => fetch(url, { signal: AbortSignal.timeout(10_000) });');
  const local = await runCase({ rule: 'sre/missing-timeout', language: 'javascript', code: 'function fetch(url, opts) { return load(url, opts); }\nexport const get = (url) => fetch(url);', expect: 0 });
  assert.deepEqual(local, [], 'no finding, so no fix that would add an argument the local fetch ignores');
});
