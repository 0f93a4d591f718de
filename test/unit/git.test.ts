import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/core/files';
import { changedFiles, parseUnifiedDiff, readStaged, unquoteGitPath } from '../../src/core/git';

// Git in tests: no user or system config, a fixed identity.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

const numbered = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

async function write(dir: string, rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** A repository on branch main with one commit holding a.ts (10 lines), b.ts (5), old.ts, gone.ts. */
async function makeRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-review-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  await write(dir, 'a.ts', numbered(10));
  await write(dir, 'b.ts', numbered(5, 'b'));
  await write(dir, 'old.ts', numbered(20, 'old'));
  await write(dir, 'gone.ts', 'bye\n');
  await write(dir, '.gitignore', '*.log\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

async function withRepo(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await makeRepo();
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void test('parseUnifiedDiff reads new-side ranges, merges neighbours and skips deleted files', () => {
  const diff = [
    'diff --git a/src/a.ts b/src/a.ts',
    'index 1111111..2222222 100644',
    '--- a/src/a.ts',
    '+++ b/src/a.ts',
    '@@ -3 +3 @@ function f() {',
    '-old',
    '+new',
    '@@ -10,0 +11,2 @@',
    '+added 1',
    '+added 2',
    '@@ -20,2 +22,0 @@',
    '-deleted 1',
    '-deleted 2',
    '@@ -30,1 +30,3 @@',
    '-x',
    '+y1',
    '+y2',
    '+y3',
    'diff --git a/gone.ts b/gone.ts',
    'deleted file mode 100644',
    '--- a/gone.ts',
    '+++ /dev/null',
    '@@ -1,2 +0,0 @@',
    '-a',
    '-b',
    'diff --git a/only-deletions.ts b/only-deletions.ts',
    '--- a/only-deletions.ts',
    '+++ b/only-deletions.ts',
    '@@ -4,1 +3,0 @@',
    '-removed',
    '',
  ].join('\n');
  const m = parseUnifiedDiff(diff);
  assert.deepEqual([...m.keys()], ['src/a.ts', 'only-deletions.ts']);
  assert.deepEqual(m.get('src/a.ts'), [
    { startLine: 3, endLine: 3 },
    { startLine: 11, endLine: 12 },
    { startLine: 30, endLine: 32 },
  ]);
  assert.deepEqual(m.get('only-deletions.ts'), []);
});

void test('parseUnifiedDiff counts context lines, and never takes an added "++ b/x" line for a header', () => {
  const diff = [
    '--- a/x.ts',
    '+++ b/x.ts',
    '@@ -1,4 +1,5 @@',
    ' keep 1',
    '+++ b/evil.ts',
    ' keep 2',
    '-gone',
    '+changed',
    ' keep 3',
    '\\ No newline at end of file',
    '--- "a/sp\\303\\244ce name.ts"',
    '+++ "b/sp\\303\\244ce name.ts"',
    '@@ -0,0 +1 @@',
    '+new',
  ].join('\n');
  const m = parseUnifiedDiff(diff);
  assert.deepEqual([...m.keys()], ['x.ts', 'späce name.ts']);
  assert.deepEqual(m.get('x.ts'), [
    { startLine: 2, endLine: 2 },
    { startLine: 4, endLine: 4 },
  ]);
  assert.deepEqual(m.get('späce name.ts'), [{ startLine: 1, endLine: 1 }]);
});

void test('unquoteGitPath undoes C-style quoting', () => {
  assert.equal(unquoteGitPath('plain.ts'), 'plain.ts');
  assert.equal(unquoteGitPath('"a\\"b\\\\c\\td.ts"'), 'a"b\\c\td.ts');
  assert.equal(unquoteGitPath('"\\346\\227\\245.ts"'), '日.ts');
});

void test('working mode: staged and unstaged edits against HEAD, untracked files in full, deletions left out', async () => {
  await withRepo(async (dir) => {
    const a = numbered(10).split('\n');
    a[2] = 'line 3 changed';
    a.splice(10, 0, 'line 11 added');
    await write(dir, 'a.ts', a.join('\n'));
    await write(dir, 'b.ts', numbered(5, 'b').replace('b 5', 'b 5 staged'));
    git(dir, 'add', 'b.ts');
    await write(dir, 'new/c.ts', 'one\ntwo\nthree');
    await write(dir, 'debug.log', 'ignored by .gitignore\n');
    git(dir, 'rm', '-q', 'gone.ts');

    const files = await changedFiles(dir, 'working');
    assert.deepEqual(files, [
      { path: 'a.ts', status: 'modified', changedLines: [{ startLine: 3, endLine: 3 }, { startLine: 11, endLine: 11 }] },
      { path: 'b.ts', status: 'modified', changedLines: [{ startLine: 5, endLine: 5 }] },
      { path: 'new/c.ts', status: 'added', changedLines: [{ startLine: 1, endLine: 3 }] },
    ]);
  });
});

void test('staged mode: only what the index holds, and readStaged returns the staged text', async () => {
  await withRepo(async (dir) => {
    await write(dir, 'b.ts', numbered(5, 'b').replace('b 2', 'b 2 staged'));
    git(dir, 'add', 'b.ts');
    await write(dir, 'b.ts', 'unstaged edit on top\n' + numbered(5, 'b').replace('b 2', 'b 2 staged'));
    await write(dir, 'a.ts', 'unstaged only\n');
    await write(dir, 'untracked.ts', 'x\n');

    const files = await changedFiles(dir, 'staged');
    assert.deepEqual(files, [{ path: 'b.ts', status: 'modified', changedLines: [{ startLine: 2, endLine: 2 }] }]);
    assert.equal(await readStaged(dir, 'b.ts'), numbered(5, 'b').replace('b 2', 'b 2 staged'));
    assert.equal(await readStaged(dir, 'untracked.ts'), undefined);
  });
});

void test('staged mode reports a rename as renamed, with its edited lines', async () => {
  await withRepo(async (dir) => {
    git(dir, 'mv', 'old.ts', 'renamed.ts');
    await write(dir, 'renamed.ts', numbered(20, 'old').replace('old 7\n', 'old 7 edited\n'));
    git(dir, 'add', 'renamed.ts');
    const files = await changedFiles(dir, 'staged');
    assert.deepEqual(files, [{ path: 'renamed.ts', status: 'renamed', changedLines: [{ startLine: 7, endLine: 7 }] }]);
  });
});

void test('base mode: the branch and its uncommitted edits against the merge-base with the base', async () => {
  await withRepo(async (dir) => {
    git(dir, 'checkout', '-q', '-b', 'feature');
    await write(dir, 'a.ts', numbered(10).replace('line 5\n', 'line 5 on feature\n'));
    await write(dir, 'feature.ts', 'export const f = 1;\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'feature work');
    // main moves on after the branch point: its change must not show up.
    git(dir, 'checkout', '-q', 'main');
    await write(dir, 'b.ts', 'main only\n');
    git(dir, 'commit', '-q', '-am', 'main work');
    git(dir, 'checkout', '-q', 'feature');
    await write(dir, 'a.ts', numbered(10).replace('line 5\n', 'line 5 on feature\n').replace('line 9\n', 'line 9 uncommitted\n'));
    await write(dir, 'scratch.ts', 'untracked, not part of the branch\n');

    const files = await changedFiles(dir, 'base', 'main');
    assert.deepEqual(files, [
      { path: 'a.ts', status: 'modified', changedLines: [{ startLine: 5, endLine: 5 }, { startLine: 9, endLine: 9 }] },
      { path: 'feature.ts', status: 'added', changedLines: [{ startLine: 1, endLine: 1 }] },
    ]);
  });
});

void test('paths are relative to a root below the repository top, and changes outside it are left out', async () => {
  await withRepo(async (dir) => {
    await write(dir, 'pkg/inner.ts', 'one\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'pkg');
    await write(dir, 'pkg/inner.ts', 'one\ntwo\n');
    await write(dir, 'pkg/fresh.ts', 'x\n');
    await write(dir, 'a.ts', 'outside the root\n');
    const files = await changedFiles(path.join(dir, 'pkg'), 'working');
    assert.deepEqual(files.map((f) => [f.path, f.status, f.changedLines]), [
      ['fresh.ts', 'added', [{ startLine: 1, endLine: 1 }]],
      ['inner.ts', 'modified', [{ startLine: 2, endLine: 2 }]],
    ]);
  });
});

void test('a repository without commits: everything in the working tree counts as added', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-review-git-'));
  try {
    git(dir, 'init', '-q', '-b', 'main');
    await write(dir, 'tracked.ts', 'a\nb\n');
    git(dir, 'add', 'tracked.ts');
    await write(dir, 'untracked.py', 'print(1)\n');
    const files = await changedFiles(dir, 'working');
    assert.deepEqual(files, [
      { path: 'tracked.ts', status: 'added', changedLines: [{ startLine: 1, endLine: 2 }] },
      { path: 'untracked.py', status: 'added', changedLines: [{ startLine: 1, endLine: 1 }] },
    ]);
    assert.deepEqual((await changedFiles(dir, 'staged')).map((f) => f.path), ['tracked.ts']);
    await assert.rejects(changedFiles(dir, 'base', 'main'), /no such ref 'main'|no commits yet/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('an untracked sensitive file is listed but never opened to count its lines', async () => {
  await withRepo(async (dir) => {
    await write(dir, '.env', 'A=1\nB=2\n');
    const files = await changedFiles(dir, 'working');
    assert.deepEqual(files, [{ path: '.env', status: 'added', changedLines: [] }]);
  });
});

void test('an unknown base ref and a folder outside git are InputErrors that say what to do', async () => {
  await withRepo(async (dir) => {
    await assert.rejects(changedFiles(dir, 'base', 'no-such-branch'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /no such ref 'no-such-branch' in /);
      assert.match(e.message, /git branch -a/);
      return true;
    });
    await assert.rejects(changedFiles(dir, 'base'), InputError);
  });
  const plain = await mkdtemp(path.join(tmpdir(), 'persona-review-nogit-'));
  try {
    await assert.rejects(changedFiles(plain, 'working'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /is not inside a git repository/);
      return true;
    });
  } finally {
    await rm(plain, { recursive: true, force: true });
  }
  await assert.rejects(changedFiles(path.join(plain, 'missing'), 'working'), /no such folder/);
});
