/**
 * The extension stays thin (DESIGN.md, "Module boundaries"; issue 10 point 3): nothing from src/core runs in
 * the extension host. Checked three ways: the production bundle of src/extension/main.ts holds no module
 * from src/core (esbuild's metafile lists every input it bundled), it stays within 700 KB, and ESLint's
 * `no-restricted-imports` rejects a runtime import of core in src/extension while it allows a type import.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '../..');

test('the production extension bundle holds no src/core module and is at most 700 KB', async () => {
  const r = await esbuild.build({
    entryPoints: [path.join(REPO, 'src/extension/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: path.join(REPO, 'out/thin-extension-check.js'),
  });
  const inputs = Object.keys(r.metafile.inputs);
  const core = inputs.filter((i) => i.split(/[\\/]/).join('/').includes('src/core/'));
  assert.deepEqual(core, [], `src/core modules bundled into the extension: ${core.join(', ')}`);
  assert.ok(inputs.some((i) => i.includes('src/shared/protocol.ts')), 'the bundle does contain the shared protocol (the check looks at the right thing)');
  const bytes = r.outputFiles[0]!.contents.byteLength;
  assert.ok(bytes <= 700 * 1024, `extension.js is ${(bytes / 1024).toFixed(1)} KB, more than 700 KB`);
});

test('ESLint rejects a runtime import of src/core in src/extension and accepts a type-only one', async () => {
  const eslint = new ESLint({ cwd: REPO });
  const file = path.join(REPO, 'src/extension/config.ts');
  const runtime = await eslint.lintText("import { SEVERITIES } from '../core/types';\nexport const x = SEVERITIES;\n", { filePath: file });
  const messages = runtime[0]!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
  assert.equal(messages.length, 1, `one no-restricted-imports error (got ${JSON.stringify(runtime[0]!.messages.map((m) => m.ruleId))})`);
  assert.match(messages[0]!.message, /language server/);
  const typeOnly = await eslint.lintText("import type { Severity } from '../core/types';\nexport const x: Severity = 'low';\n", { filePath: file });
  assert.equal(typeOnly[0]!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').length, 0, 'a type-only import is allowed');
});
