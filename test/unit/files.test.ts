import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectFiles, InputError, isSensitivePath, languageOf } from '../../src/core/files';

/** Creates a temporary folder holding `tree` (relative path → content) and returns its path. */
async function makeTree(tree: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-review-files-'));
  for (const [rel, content] of Object.entries(tree)) {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return dir;
}

async function withTree(tree: Record<string, string | Buffer>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await makeTree(tree);
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const paths = (r: { files: Array<{ path: string }> }): string[] => r.files.map((f) => f.path).sort();

void test('a folder walk respects root and nested .gitignore files and skips .git and node_modules', async () => {
  await withTree(
    {
      '.gitignore': 'generated/\n*.log.ts\n',
      'src/app.ts': 'export const a = 1;\n',
      'src/debug.log.ts': 'ignored by root pattern\n',
      'src/.gitignore': 'local-*.ts\n!local-keep.ts\n',
      'src/local-tmp.ts': 'ignored by nested .gitignore\n',
      'src/local-keep.ts': 're-included by negation\n',
      'src/deep/util.py': 'def f():\n    return 1\n',
      'generated/out.ts': 'ignored folder\n',
      'dist/bundle.js': 'console.log(1);\n',
      'node_modules/pkg/index.js': 'module.exports = 1;\n',
      '.git/config': '[core]\n',
      '.git/hooks/pre-commit.sh': 'echo\n',
      'README.md': '# not code\n',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
    },
    async (dir) => {
      const r = await collectFiles(dir, ['.']);
      assert.deepEqual(paths(r), ['dist/bundle.js', 'src/app.ts', 'src/deep/util.py', 'src/local-keep.ts']);
      const abs = r.files.find((f) => f.path === 'src/app.ts')!.absPath;
      assert.equal(abs, path.join(dir, 'src', 'app.ts'));
    },
  );
});

void test('a gitignored dist/ folder is skipped, and an empty path list means the root', async () => {
  await withTree({ '.gitignore': 'dist\n', 'dist/bundle.js': 'x\n', 'index.js': 'y\n' }, async (dir) => {
    assert.deepEqual(paths(await collectFiles(dir, [])), ['index.js']);
  });
});

void test('.gitignore files above the root (up to the repository top) apply', async () => {
  await withTree({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'secret-gen/\n', 'pkg/secret-gen/a.ts': 'x\n', 'pkg/b.ts': 'y\n' }, async (dir) => {
    const r = await collectFiles(path.join(dir, 'pkg'), ['.']);
    assert.deepEqual(paths(r), ['b.ts']);
  });
});

void test('a folder inside node_modules named explicitly is walked, but its own nested node_modules is not', async () => {
  await withTree(
    {
      '.gitignore': 'node_modules/\n',
      'node_modules/some-pkg/lib/index.js': 'module.exports = 1;\n',
      'node_modules/some-pkg/lib/sub/helper.js': 'module.exports = 2;\n',
      'node_modules/some-pkg/lib/node_modules/dep/x.js': 'nested dependency\n',
      'node_modules/other/index.js': 'not named\n',
    },
    async (dir) => {
      const r = await collectFiles(dir, ['node_modules/some-pkg/lib']);
      assert.deepEqual(paths(r), ['node_modules/some-pkg/lib/index.js', 'node_modules/some-pkg/lib/sub/helper.js']);
      // The same folder is not reached by walking the root.
      assert.deepEqual(paths(await collectFiles(dir, ['.'])), []);
    },
  );
});

void test('sensitive files are reported as skipped and never returned, even when named explicitly', async () => {
  await withTree(
    {
      '.env': 'API_KEY=abc\n',
      '.env.production': 'API_KEY=abc\n',
      '.env.example': 'API_KEY=\n',
      'config/secrets.yaml': 'token: abc\n',
      'keys/server.pem': '-----BEGIN PRIVATE KEY-----\n',
      'keys/id_ed25519': 'key\n',
      'keys/id_ed25519.pub': 'ssh-ed25519 AAAA\n',
      '.npmrc': '//registry.npmjs.org/:_authToken=abc\n',
      'src/a.ts': 'export {};\n',
    },
    async (dir) => {
      const r = await collectFiles(dir, ['.']);
      assert.deepEqual(paths(r), ['.env.example', 'src/a.ts'], 'an env template is configuration: walked and redacted');
      const reasons = new Map(r.skipped.map((s) => [s.path, s.reason]));
      for (const p of ['.env', '.env.production', 'config/secrets.yaml', 'keys/server.pem', 'keys/id_ed25519', '.npmrc']) {
        assert.match(reasons.get(p) ?? '', /^sensitive file \(.+\): never read$/, p);
      }
      assert.equal(reasons.has('.env.example'), false, 'a template is not sensitive');
      assert.equal(reasons.has('keys/id_ed25519.pub'), false, 'a public key is not sensitive');
      const named = await collectFiles(dir, ['.env', 'src/a.ts', '.env.example']);
      assert.deepEqual(paths(named), ['.env.example', 'src/a.ts']);
      assert.deepEqual(named.skipped.map((s) => s.path), ['.env']);
      assert.match(named.skipped[0]!.reason, /environment file/);
    },
  );
});

void test('a symlink named explicitly that points at a sensitive file is not taken', async () => {
  await withTree({ 'keys/prod.key': 'secret\n', 'src/a.ts': 'x\n' }, async (dir) => {
    await symlink(path.join(dir, 'keys/prod.key'), path.join(dir, 'src/innocent.ts'));
    const r = await collectFiles(dir, ['src/innocent.ts']);
    assert.deepEqual(r.files, []);
    assert.match(r.skipped[0]!.reason, /sensitive/);
    // Walks do not follow symlinks at all.
    const walked = await collectFiles(dir, ['src']);
    assert.deepEqual(paths(walked), ['src/a.ts']);
    assert.match(walked.skipped.find((s) => s.path === 'src/innocent.ts')!.reason, /symbolic link/);
  });
});

void test('binary and oversized files are skipped with a reason', async () => {
  await withTree(
    {
      'src/blob.js': Buffer.concat([Buffer.from('var x = "'), Buffer.from([0, 1, 2]), Buffer.from('";\n')]),
      'src/big.ts': 'x'.repeat(3000) + '\n',
      'src/ok.ts': 'const ok = 1;\n',
    },
    async (dir) => {
      const r = await collectFiles(dir, ['src'], { maxFileBytes: 2048 });
      assert.deepEqual(paths(r), ['src/ok.ts']);
      const reasons = new Map(r.skipped.map((s) => [s.path, s.reason]));
      assert.equal(reasons.get('src/blob.js'), 'binary file');
      assert.match(reasons.get('src/big.ts') ?? '', /^larger than 2 KiB \(3 KiB\)/);
    },
  );
});

void test('lockfiles and minified files are skipped from walks as generated', async () => {
  await withTree({ 'package-lock.json': '{}\n', 'package.json': '{}\n', 'vendor/lib.min.js': 'a;\n', 'index.js': 'b;\n' }, async (dir) => {
    const r = await collectFiles(dir, ['.']);
    assert.deepEqual(paths(r), ['index.js', 'package.json']);
    assert.deepEqual(
      r.skipped.map((s) => [s.path, s.reason]).sort(),
      [
        ['package-lock.json', 'generated lockfile'],
        ['vendor/lib.min.js', 'minified (generated) file'],
      ],
    );
  });
});

void test('include and exclude are gitignore-style globs relative to the root', async () => {
  await withTree(
    {
      'src/a.ts': 'a\n',
      'src/a.test.ts': 'a test\n',
      'src/b.py': 'b\n',
      'lib/c.ts': 'c\n',
      'docs/notes.txt': 'not code, but included by glob\n',
    },
    async (dir) => {
      assert.deepEqual(paths(await collectFiles(dir, ['.'], { include: ['src/**/*.ts'] })), ['src/a.test.ts', 'src/a.ts']);
      assert.deepEqual(paths(await collectFiles(dir, ['.'], { exclude: ['*.test.ts', 'lib/'] })), ['src/a.ts', 'src/b.py']);
      assert.deepEqual(paths(await collectFiles(dir, ['.'], { include: ['*.txt'] })), ['docs/notes.txt']);
    },
  );
});

void test('a file named explicitly is taken whatever its extension; walks take only source files', async () => {
  await withTree({ 'notes.txt': 'hello\n', 'Dockerfile': 'FROM node:20\n', 'a.md': '# doc\n' }, async (dir) => {
    assert.deepEqual(paths(await collectFiles(dir, ['.'])), ['Dockerfile']);
    assert.deepEqual(paths(await collectFiles(dir, ['notes.txt'])), ['notes.txt']);
  });
});

void test('configuration files are collected in folder walks; .env and key files still are not (issue 11)', async () => {
  const tree = {
    'src/main/resources/application.properties': 'db.password=x\n',
    '.env.example': 'DB_PASSWORD=\n',
    'deploy/app.env.sample': 'TOKEN=\n',
    'config/app.yaml': 'a: 1\n',
    'config.toml': 'a = 1\n',
    'appsettings.json': '{}\n',
    'infra/main.tf': 'x = 1\n',
    'infra/prod.tfvars': 'x = 1\n',
    'deploy/my.cnf': '[client]\n',
    'setup.cfg': '[metadata]\n',
    'php.ini': 'a=1\n',
    'nginx/site.conf': 'server {}\n',
    'web.config': '<configuration/>\n',
    '.env': 'DB_PASSWORD=real\n',
    '.env.local': 'DB_PASSWORD=real\n',
    'certs/server.key': 'k\n',
    'secrets.properties': 'x=1\n',
  };
  await withTree(tree, async (dir) => {
    const r = await collectFiles(dir, ['.']);
    assert.deepEqual(paths(r), [
      '.env.example', 'appsettings.json', 'config.toml', 'config/app.yaml', 'deploy/app.env.sample', 'deploy/my.cnf',
      'infra/main.tf', 'infra/prod.tfvars', 'nginx/site.conf', 'php.ini', 'setup.cfg', 'src/main/resources/application.properties', 'web.config',
    ]);
    assert.deepEqual(r.skipped.map((s) => s.path).sort(), ['.env', '.env.local', 'certs/server.key', 'secrets.properties']);
  });
});

void test('overlapping paths give each file once, and maxFiles stops the walk with a skipped entry', async () => {
  await withTree({ 'a.ts': '1\n', 'b.ts': '2\n', 'c.ts': '3\n' }, async (dir) => {
    assert.deepEqual(paths(await collectFiles(dir, ['a.ts', '.', 'a.ts'])), ['a.ts', 'b.ts', 'c.ts']);
    const limited = await collectFiles(dir, ['.'], { maxFiles: 2 });
    assert.equal(limited.files.length, 2);
    assert.match(limited.skipped[0]!.reason, /file limit \(2\) reached/);
  });
});

void test('a path that does not exist is an InputError naming the path and what to do', async () => {
  await withTree({ 'a.ts': '1\n' }, async (dir) => {
    await assert.rejects(collectFiles(dir, ['a.ts', 'src/missing.ts']), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.name, 'InputError');
      assert.match(e.message, /src\/missing\.ts: no such file or folder/);
      assert.match(e.message, /check the spelling/);
      return true;
    });
    await assert.rejects(collectFiles(path.join(dir, 'sub-that-is-not-there'), ['.']), InputError);
    await assert.rejects(collectFiles(dir, ['../elsewhere']), /outside the workspace root/);
  });
});

void test('isSensitivePath knows the common secret files and leaves templates and public keys alone', () => {
  const sensitive = [
    '.env', 'app/.env', '.env.local', '.env.production', 'prod.env', 'server.pem', 'tls/server.key', 'cert.p12', 'cert.pfx',
    'release.jks', 'app.keystore', 'id_rsa', '.ssh/id_dsa', 'id_ecdsa', 'id_ed25519', '.npmrc', '.pypirc', '.netrc',
    'credentials.json', 'vault.kdbx', '.git-credentials', 'secrets.yaml', 'config/secrets.yml', 'secrets.json',
    'home/.aws/credentials', 'terraform.tfstate', 'terraform.tfstate.backup', 'client_secret_123.apps.json', 'C:\\Users\\me\\.env',
    'ID_RSA',
  ];
  for (const p of sensitive) assert.ok(isSensitivePath(p), `${p} should be sensitive`);
  const fine = [
    '.env.example', '.env.sample', '.env.template', 'id_rsa.pub', 'id_ed25519.pub', 'src/env.ts', 'src/keys.ts',
    'secrets.ts', 'src/secret-store.py', 'environment.yml', 'package.json', 'docs/pem-format.md', 'credentials.ts',
  ];
  for (const p of fine) assert.equal(isSensitivePath(p), undefined, `${p} should not be sensitive`);
  assert.equal(isSensitivePath('x/id_rsa'), 'sensitive file (SSH private key): never read');
});

void test('languageOf maps extensions to the parser language ids', () => {
  const cases: Array<[string, string]> = [
    ['a.js', 'javascript'], ['a.mjs', 'javascript'], ['a.cjs', 'javascript'], ['a.jsx', 'javascript'],
    ['a.ts', 'typescript'], ['a.mts', 'typescript'], ['a.cts', 'typescript'], ['src/A.TSX', 'tsx'],
    ['a.py', 'python'], ['main.go', 'go'], ['Main.java', 'java'], ['lib.rs', 'rust'], ['x.yml', 'yaml'],
    ['Dockerfile', 'dockerfile'], ['Makefile', 'makefile'], ['a.weird', 'weird'], ['LICENSE', 'text'], ['.bashrc', 'text'],
    ['.env.example', 'dotenv'], ['deploy/app.env.sample', 'dotenv'], ['application.properties', 'properties'], ['my.cnf', 'ini'],
    ['prod.tfvars', 'terraform'], ['web.config', 'xml'],
  ];
  for (const [p, lang] of cases) assert.equal(languageOf(p), lang, p);
});
