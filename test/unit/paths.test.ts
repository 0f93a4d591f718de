import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNonProductionPath, isTestPath } from '../../src/core/offline/paths';
import { commonDir } from '../../src/core/offline/provider';

test('test files by the conventions of each language', () => {
  for (const p of ['src/a.test.ts', 'lib/__tests__/x.js', 'pkg/test_util.py', 'pkg/util_test.py', 'cmd/x_test.go', 'src/FooTest.java', 'tests/conftest.py', 'spec/a.rb'])
    assert.ok(isTestPath(p), p);
  for (const p of ['src/testing-library.ts', 'src/contest.py', 'src/attest.go', 'src/Tester.java.bak', 'latest/index.js']) assert.ok(!isTestPath(p), p);
});

test('fixtures, mocks and examples are not production code, though they are not tests', () => {
  for (const p of ['test/fixtures/app/server.js', 'examples/hello/main.go', 'src/__mocks__/db.ts', 'internal/testdata/a.go', 'src/Button.stories.tsx'])
    assert.ok(isNonProductionPath(p), p);
  assert.ok(!isTestPath('examples/hello/main.go'));
  assert.ok(!isNonProductionPath('src/server.js'));
});

test('paths are judged relative to the reviewed folder', () => {
  assert.equal(commonDir(['test/fixtures/app/server.js', 'test/fixtures/app/db.js']), 'test/fixtures/app/');
  assert.equal(commonDir(['src/a.ts', 'test/a.test.ts']), '');
  assert.equal(commonDir(['a.ts']), '');
});
