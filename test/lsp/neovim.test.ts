/**
 * Any LSP editor (issue 10, point 4): real Neovim (Debian's 0.7.2, headless) as the client of the built
 * server (dist/server.js --stdio), with nothing but LSP: the Lua script test/lsp/neovim.lua starts the
 * client with `vim.lsp.start_client`, runs the `personaReview.server.reviewDocument` command through
 * `workspace/executeCommand`, waits for the Diagnostics Neovim shows (`vim.diagnostic.get`), asks for the code
 * actions of the fetch without a timeout, applies the preferred quick fix with `vim.lsp.util.apply_workspace_edit`
 * (as Neovim's code action UI does) and runs "Dismiss finding" on another Diagnostic. The test skips (and says
 * so) only when `nvim` is not installed (`apt-get install -y neovim`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { SERVER_JS, ensureServerBuilt } from '../support/lspClient';

const HERE = __dirname;

function nvimVersion(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

const SOURCE = [
  "import { readFile } from 'node:fs/promises';",
  '',
  'export async function loadPrices(url) {',
  '  const response = await fetch(url);',
  '  return response.json();',
  '}',
  '',
  'export async function loadRates(url) {',
  '  const response = await fetch(url);',
  "  return JSON.parse(await readFile(await response.text(), 'utf8'));",
  '}',
  '',
].join('\n');

interface NvimResult {
  error?: string;
  started: boolean;
  initialized: boolean;
  commands: string[];
  diagnosticsBefore: number;
  reviewError: string | null;
  reviewStatus: string | null;
  reviewFindings: number | null;
  diagnostics: Array<{ lnum: number; source: string; code: string; message: string; severity: number }>;
  actions?: Array<{ title: string; kind: string; preferred: boolean; hasEdit: boolean; command: string | null }>;
  lineBefore?: string;
  lineAfter?: string;
  fixedGone?: boolean;
  diagnosticsAfterFix: number;
  dismissError?: string | null;
  dismissed?: boolean;
  diagnosticsEnd: number;
}

test('Neovim 0.7 headless: executeCommand reviews the buffer, Diagnostics appear, the quick fix applies and Dismiss runs on the server', { timeout: 120_000 }, (t) => {
  const version = nvimVersion();
  if (!version) {
    t.skip('nvim is not installed (apt-get install -y neovim); the Neovim client test did not run');
    return;
  }
  ensureServerBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-nvim-'));
  try {
    const file = path.join(dir, 'prices.js');
    fs.writeFileSync(file, SOURCE);
    const out = path.join(dir, 'result.json');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(HERE, 'neovim.lua')}`], {
      cwd: dir,
      env: { ...process.env, PR_SERVER: SERVER_JS, PR_FILE: file, PR_OUT: out, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CACHE_HOME: dir, XDG_CONFIG_HOME: dir },
      encoding: 'utf8',
      timeout: 110_000,
    });
    assert.ok(fs.existsSync(out), `Neovim wrote no result (exit ${r.status}, signal ${r.signal}); stderr:\n${r.stderr}\nstdout:\n${r.stdout}`);
    const res = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
    assert.equal(res.error, undefined, `the Lua script failed: ${res.error}`);
    assert.ok(res.started && res.initialized, `${version}: the client started and initialized`);
    assert.ok(res.commands.includes('personaReview.server.reviewDocument'), `executeCommandProvider lists the review command (got ${res.commands.join(', ')})`);
    assert.equal(res.diagnosticsBefore, 0, 'opening the file publishes nothing by itself');
    assert.equal(res.reviewError, null, `the command succeeded (got ${res.reviewError})`);
    assert.equal(res.reviewStatus, 'done');
    assert.ok((res.reviewFindings ?? 0) >= 1, 'the review reported findings');
    const timeout = res.diagnostics.find((d) => d.code === 'sre/missing-timeout');
    assert.ok(timeout, `a Diagnostic for the fetch without a timeout (got ${JSON.stringify(res.diagnostics)})`);
    assert.equal(timeout.lnum, 3, 'on line 4 (0-based 3)');
    assert.equal(timeout.source, 'Site Reliability Engineer');
    const titles = (res.actions ?? []).map((a) => a.title);
    const fix = res.actions?.find((a) => a.preferred && a.hasEdit);
    assert.ok(fix && /^Apply suggested fix/.test(fix.title), `a preferred quick fix (got ${titles.join(' | ')})`);
    const dismiss = res.actions?.find((a) => a.title === 'Dismiss finding');
    assert.equal(dismiss?.command, 'personaReview.server.dismissFinding', 'Dismiss runs a server command, which a plain client can execute');
    const explain = res.actions?.find((a) => /^Explain/.test(a.title));
    assert.equal(explain?.command, 'personaReview.server.explainFinding', 'Explain is the server command, not the VS Code panel command');
    assert.ok(!(res.actions ?? []).some((a) => a.command === 'personaReview.explainFinding'), 'no VS Code-only command is offered');
    assert.equal(res.lineBefore, '  const response = await fetch(url);');
    assert.match(res.lineAfter ?? '', /fetch\(url, \{ signal: AbortSignal\.timeout\(\d[\d_]*\) \}\)/, `the quick fix edited the line (got ${res.lineAfter})`);
    assert.equal(res.fixedGone, true, 'the fixed finding left the Diagnostics after the edit');
    assert.equal(res.diagnosticsAfterFix, 1, 'the other fetch is still reported');
    assert.equal(res.dismissError, null, `Dismiss ran on the server (got ${res.dismissError})`);
    assert.equal(res.dismissed, true, 'the dismissed Diagnostic went away');
    assert.equal(res.diagnosticsEnd, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

