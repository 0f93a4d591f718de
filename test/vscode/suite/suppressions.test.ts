/**
 * Dismiss for the team, Show Suppressed and Un-suppress in the real extension host (issue 12): dismissing a
 * finding for the team with a reason writes `.persona-review/suppressions.yaml` through the language server,
 * the finding leaves Problems, the Findings view, the panel and the status bar, the audit ledger records it,
 * and the CLI run on the same workspace honours the entry (the finding is counted as suppressed, and SARIF
 * keeps it with an `external` suppression and the reason). The Findings view lists it on demand and
 * Un-suppress brings it back everywhere. In Restricted Mode nothing is written. Each test removes what it wrote.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseSuppressionsFile } from '../../../src/core/suppressions/file';
import type { SuppressFindingResult, UnsuppressFindingResult } from '../../../src/shared/protocol';
import { check, extensionApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';

const CODE = 'export async function findOrder(req, pool) {\n  return pool.query("SELECT * FROM orders WHERE id = \'" + req.query.id + "\'");\n}\n';
const REASON = 'Order ids are parsed as integers by the router before this handler runs.';

/** Runs the CLI of the extension under test on the workspace; resolves with its stdout (exit codes 0 and 1 are both fine). */
function cli(extensionPath: string, args: string[]): Promise<string> {
  const cwd = workspaceUri('.').fsPath;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(extensionPath, 'dist/cli.js'), ...args], { cwd, env: { ...process.env, ANTHROPIC_API_KEY: '' }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (err && code !== 1) reject(new Error(`persona-review ${args.join(' ')} failed (${String(code)}): ${stderr.slice(-800)}`));
      else resolve(stdout);
    });
  });
}

/** The Diagnostics of the file about the finding: its fingerprint in `Diagnostic.data`, or the SQL injection on line 2. */
function problemsWith(uri: vscode.Uri, fingerprint: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => {
    const data = (d as { data?: { fingerprint?: string } }).data;
    if (data?.fingerprint) return data.fingerprint === fingerprint;
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return code === 'security/sql-injection' && d.range.start.line === 1;
  });
}

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'Dismiss for the team writes suppressions.yaml through the server, the finding leaves every view, the CLI honours the entry; Show Suppressed and Un-suppress bring it back',
    run: async () => {
      const { api, extension } = await extensionApi();
      await api.setApiKeyForTesting(undefined);
      const file = workspaceUri('src/orders-team.js');
      const teamDir = workspaceUri('.persona-review').fsPath;
      const yaml = workspaceUri('.persona-review/suppressions.yaml').fsPath;
      try {
        await fs.writeFile(file.fsPath, CODE);
        await fs.mkdir(teamDir, { recursive: true });
        await fs.writeFile(workspaceUri('.persona-review/ledger.jsonl').fsPath, ''); // `persona-review audit init`
        await openFile('src/orders-team.js');
        await vscode.commands.executeCommand('personaReview.reviewAs.security');
        const uri = file.toString();
        const f = await waitFor('a Security Engineer finding on src/orders-team.js', () => api.views().tree.find((t) => t.uri === uri && t.severity === 'critical'));
        await waitFor('its Diagnostic in Problems', () => problemsWith(file, f.fingerprint).length > 0);
        const countBefore = api.views().statusBar;

        const r = await vscode.commands.executeCommand<SuppressFindingResult | undefined>('personaReview.dismissFindingForTeam', { uri, fingerprint: f.fingerprint, reason: REASON, expires: '2099-12-31', addToMemory: false });
        check(r?.file === yaml, `the server wrote the workspace's suppressions file (got ${JSON.stringify(r)})`);
        const parsed = parseSuppressionsFile(await fs.readFile(yaml, 'utf8'), yaml);
        check(parsed.errors.length === 0, `the file is valid (got ${JSON.stringify(parsed.errors)})`);
        const e = parsed.entries.find((x) => x.fingerprint === f.fingerprint);
        check(e, `an entry keyed by the finding's fingerprint (got ${JSON.stringify(parsed.entries)})`);
        check(e.file === 'src/orders-team.js' && e.rule === 'security/sql-injection', `file and rule (got ${e.file}, ${e.rule})`);
        check(e.quote.includes('pool.query('), `the quoted code (got ${e.quote})`);
        check(e.reason === REASON && e.expires === '2099-12-31', `reason and expiry (got ${e.reason}, ${e.expires})`);
        check(e.author.trim() !== '' && e.date === new Date().toISOString().slice(0, 10), `author and today's date (got ${e.author}, ${e.date})`);

        await waitFor('the finding gone from the Findings view', () => !api.views().tree.some((t) => t.fingerprint === f.fingerprint));
        await waitFor('and from Problems', () => problemsWith(file, f.fingerprint).length === 0);
        check(!api.views().panel.includes(f.fingerprint), 'and from the panel');
        check(api.views().statusBar !== countBefore, `the status bar counts changed (still ${countBefore})`);
        check(api.views().suppressed.some((s) => s.fingerprint === f.fingerprint && s.scope === 'team'), 'the store lists it as suppressed for the team');
        const ledger = (await fs.readFile(workspaceUri('.persona-review/ledger.jsonl').fsPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: { action: string; scope: string; fingerprint: string; reason?: string } });
        check(ledger.some((l) => l.event === 'suppression' && l.data.action === 'add' && l.data.scope === 'team' && l.data.fingerprint === f.fingerprint && l.data.reason === REASON), `the ledger records the suppression (got ${JSON.stringify(ledger)})`);

        // The CLI on the same workspace honours the entry: not reported, counted as suppressed, SARIF keeps it as external.
        const json = JSON.parse(await cli(extension.extensionPath, ['review', 'src/orders-team.js', '--root', '.', '--provider', 'offline', '-p', 'security', '-f', 'json', '--no-ledger', '-q'])) as {
          findings: Array<{ fingerprint: string }>;
          suppressed: Array<{ fingerprint: string; suppression: { kind: string; justification: string } }>;
        };
        check(!json.findings.some((x) => x.fingerprint === f.fingerprint), `the CLI does not report it (got ${JSON.stringify(json.findings.map((x) => x.fingerprint))})`);
        const s = json.suppressed.find((x) => x.fingerprint === f.fingerprint);
        check(s?.suppression.kind === 'external' && s.suppression.justification === REASON, `the CLI counts it as suppressed by the file (got ${JSON.stringify(json.suppressed)})`);
        const sarif = JSON.parse(await cli(extension.extensionPath, ['review', 'src/orders-team.js', '--root', '.', '--provider', 'offline', '-p', 'security', '-f', 'sarif', '--no-ledger', '-q'])) as {
          runs: Array<{ results: Array<{ partialFingerprints?: Record<string, string>; suppressions?: Array<{ kind: string; status?: string; justification?: string }> }> }>;
        };
        const result = sarif.runs[0]!.results.find((x) => Object.values(x.partialFingerprints ?? {}).includes(f.fingerprint));
        check(result?.suppressions?.[0]?.kind === 'external' && result.suppressions[0].status === 'accepted' && result.suppressions[0].justification === REASON, `SARIF keeps it with an external suppression (got ${JSON.stringify(result)})`);

        // Show Suppressed: the view lists it, with its state visible; Un-suppress brings it back everywhere.
        await vscode.commands.executeCommand('personaReview.showSuppressed');
        check(api.views().suppressedShown, 'the toggle is on');
        const group = api.views().treeChildren().find((n) => n.label === 'Suppressed');
        check(group?.children.some((c) => c.contextValue === 'suppressed.team' && String(c.description).includes('src/orders-team.js:2')), `the Suppressed group lists it (got ${JSON.stringify(group)})`);
        const u = await vscode.commands.executeCommand<UnsuppressFindingResult | undefined>('personaReview.unsuppressFinding', { uri, fingerprint: f.fingerprint });
        check(u?.scope === 'team', `un-suppressed from the team file (got ${JSON.stringify(u)})`);
        await waitFor('the finding back in the Findings view', () => api.views().tree.some((t) => t.fingerprint === f.fingerprint));
        await waitFor('and in Problems', () => problemsWith(file, f.fingerprint).length > 0);
        check(!parseSuppressionsFile(await fs.readFile(yaml, 'utf8'), yaml).entries.some((x) => x.fingerprint === f.fingerprint), 'its entry was removed from the file');
        await vscode.commands.executeCommand('personaReview.hideSuppressed');
        check(!api.views().suppressedShown, 'the toggle is off again');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await vscode.commands.executeCommand('personaReview.hideSuppressed');
        await fs.rm(file.fsPath, { force: true });
        await fs.rm(teamDir, { recursive: true, force: true });
        await vscode.commands.executeCommand('personaReview.clearFindings');
      }
    },
  },
  {
    name: 'Dismiss for me is kept in the workspace state: listed as dismissed for me, and Un-suppress brings it back',
    run: async () => {
      const { api } = await extensionApi();
      await api.setApiKeyForTesting(undefined);
      const file = workspaceUri('src/orders-me.js');
      try {
        await fs.writeFile(file.fsPath, CODE);
        await openFile('src/orders-me.js');
        await vscode.commands.executeCommand('personaReview.reviewAs.security');
        const uri = file.toString();
        const f = await waitFor('a Security Engineer finding on src/orders-me.js', () => api.views().tree.find((t) => t.uri === uri && t.severity === 'critical'));
        await vscode.commands.executeCommand('personaReview.dismissFinding', { uri, fingerprint: f.fingerprint, scope: 'me' });
        await waitFor('the finding gone', () => !api.views().tree.some((t) => t.fingerprint === f.fingerprint));
        check(api.views().suppressed.some((s) => s.fingerprint === f.fingerprint && s.scope === 'me'), 'listed as dismissed for me');
        // A new language server gets the dismissal back from the workspace state.
        await vscode.commands.executeCommand('personaReview.restartServer');
        await vscode.commands.executeCommand('personaReview.reviewAs.security', file);
        await waitFor('the new review listed as dismissed for me', () => api.views().suppressed.some((s) => s.fingerprint === f.fingerprint && s.scope === 'me'));
        check(!api.views().tree.some((t) => t.fingerprint === f.fingerprint), 'still not shown after a restart');
        const u = await vscode.commands.executeCommand<UnsuppressFindingResult | undefined>('personaReview.unsuppressFinding', { uri, fingerprint: f.fingerprint });
        check(u?.scope === 'me', `un-suppressed (got ${JSON.stringify(u)})`);
        await waitFor('the finding back', () => api.views().tree.some((t) => t.fingerprint === f.fingerprint));
        check((await fs.stat(workspaceUri('.persona-review/suppressions.yaml').fsPath).catch(() => undefined)) === undefined, 'no team file written');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await fs.rm(file.fsPath, { force: true });
        await vscode.commands.executeCommand('personaReview.clearFindings');
      }
    },
  },
  {
    name: '[restricted] Dismiss for the team writes nothing in Restricted Mode and the finding stays',
    run: async () => {
      const { api } = await extensionApi();
      const file = workspaceUri('src/orders-restricted.js');
      try {
        await fs.writeFile(file.fsPath, CODE);
        await openFile('src/orders-restricted.js');
        await vscode.commands.executeCommand('personaReview.reviewAs.security');
        const uri = file.toString();
        const f = await waitFor('a Security Engineer finding', () => api.views().tree.find((t) => t.uri === uri && t.severity === 'critical'));
        const r = await vscode.commands.executeCommand('personaReview.dismissFindingForTeam', { uri, fingerprint: f.fingerprint, reason: REASON, addToMemory: false });
        check(r === undefined, 'refused');
        check((await fs.stat(workspaceUri('.persona-review').fsPath).catch(() => undefined)) === undefined, 'no team folder written');
        check(api.views().tree.some((t) => t.fingerprint === f.fingerprint), 'the finding is still shown');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await fs.rm(file.fsPath, { force: true });
        await vscode.commands.executeCommand('personaReview.clearFindings');
      }
    },
  },
];
