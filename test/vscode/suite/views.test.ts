/**
 * One finding store, every view a view of it (issue 10, point 2 and "Done when"): after a review, a quick fix,
 * a dismissal, Clear Findings and a failed review, the Problems panel (the Diagnostics VS Code holds), the
 * Findings view, the review panel's list and the status bar's counts show the same findings; a failed
 * review says so in the panel header, the status bar and a notification with Retry.
 *
 * Runs in the trusted host session, on its own file (src/views.js, deleted at the end), with a team review
 * (Security Engineer + SRE) that finds two SQL injections and two fetches without a timeout.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ReviewSummary } from '../../../src/shared/protocol';
import { check, extensionApi, fakeApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';

const FILE = 'src/views.js';
const TEXT = [
  "import pg from 'pg';",
  '',
  'const pool = new pg.Pool();',
  '',
  'export async function findUser(req) {',
  '  const result = await pool.query("SELECT * FROM users WHERE id = " + req.query.id);',
  '  return result.rows[0];',
  '}',
  '',
  'export async function findOrder(req) {',
  '  const result = await pool.query("SELECT * FROM orders WHERE id = " + req.query.order);',
  '  return result.rows[0];',
  '}',
  '',
  'export async function fetchAvatar(url) {',
  '  const response = await fetch(url);',
  '  return response.arrayBuffer();',
  '}',
  '',
  'export async function fetchBanner(link) {',
  '  const banner = await fetch(link);',
  '  return banner.arrayBuffer();',
  '}',
  '',
].join('\n');

type Api = Awaited<ReturnType<typeof extensionApi>>['api'];

/** Display names of every persona (the chat participants' full names are the personas' names). */
function personaNames(extension: vscode.Extension<unknown>): Set<string> {
  const pkg = extension.packageJSON as { contributes: { chatParticipants: Array<{ fullName: string }> } };
  return new Set(pkg.contributes.chatParticipants.map((p) => p.fullName));
}

/** Persona Review's Diagnostics in the Problems panel: every Diagnostic whose source names personas. */
function problems(names: Set<string>): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.filter((d) => (d.source ?? '').split(' + ').some((n) => names.has(n))));
}

/** Asserts that Problems, the Findings view, the panel and the status bar agree; returns the count. */
function agree(api: Api, names: Set<string>, step: string): number {
  const v = api.views();
  const diags = problems(names);
  const tree = v.tree;
  const sev = (s: string) => tree.filter((f) => f.severity === s).length;
  const detail = () => `${step}: Problems ${diags.length}, Findings view ${tree.length}, panel ${v.panel.length}, status bar "${v.statusBar}"`;
  check(diags.length === tree.length, `Problems and the Findings view agree (${detail()})`);
  check(v.panel.length === tree.length && v.panel.every((fp) => tree.some((f) => f.fingerprint === fp)), `the panel lists the same findings (${detail()})`);
  const m = /(\d+)C (\d+)H (\d+)M (\d+)L/.exec(v.statusBar);
  check(m, `the status bar shows counts (${detail()})`);
  check(Number(m[1]) === sev('critical') && Number(m[2]) === sev('high') && Number(m[3]) === sev('medium') && Number(m[4]) === sev('low'), `the status bar counts are the store's (${detail()})`);
  const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  check(errors === sev('critical') + sev('high'), `critical and high are Errors in Problems (${detail()})`);
  check(diags.length - errors === sev('medium') + sev('low'), `medium and low are Warnings or Information (${detail()})`);
  return tree.length;
}

async function settle(api: Api, names: Set<string>, step: string, expected: (n: number) => boolean): Promise<number> {
  await waitFor(`${step}: the views to agree`, () => {
    const v = api.views();
    return expected(v.tree.length) && problems(names).length === v.tree.length && v.panel.length === v.tree.length;
  });
  return agree(api, names, step);
}

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'views: after a review, a quick fix, a dismissal, Clear Findings and a failed review, Problems, the Findings view, the panel and the status bar agree',
    run: async () => {
      const { api, extension } = await extensionApi();
      const names = personaNames(extension);
      const uri = workspaceUri(FILE);
      await api.setApiKeyForTesting(undefined);
      await vscode.commands.executeCommand('personaReview.clearFindings');
      await fs.writeFile(uri.fsPath, TEXT);
      const editor = await openFile(FILE);
      try {
        // 1. A team review.
        const summary = await vscode.commands.executeCommand<ReviewSummary>('personaReview.reviewAs', uri, ['security', 'sre']);
        check(summary?.status === 'done' && summary.findings >= 4, `the team review found the two queries and the two fetches (got ${summary?.status}, ${summary?.findings})`);
        const n = await settle(api, names, 'after the review', (k) => k === summary.findings);
        check(api.views().panelStatus === 'done', 'the panel says done');
        const running = api.views().statusBarWhileRunning;
        check(
          running.some((t) => /Reviewing: .+ · (1 file, ~\d+ tokens|\d+\/\d+ file reviews)/.test(t)),
          `while it ran, the status bar item showed the review's progress (one indicator, no window progress beside it); it showed:\n${running.join('\n')}`,
        );

        // 2. The quick fix of one fetch: its finding leaves every view.
        const timeout = problems(names).find((d) => d.source === 'Site Reliability Engineer' && d.range.start.line === 15)!;
        check(timeout, 'the SRE Diagnostic on the first fetch');
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, timeout.range);
        const fix = actions.find((a) => a.isPreferred && a.edit);
        check(fix?.edit, `a quick fix (got ${actions.map((a) => a.title).join(' | ')})`);
        check(await vscode.workspace.applyEdit(fix.edit), 'the fix applied');
        await settle(api, names, 'after the quick fix', (k) => k === n - 1);

        // 3. Dismiss one SQL injection (the code action's command runs on the server).
        const sql = problems(names).find((d) => d.source === 'Security Engineer')!;
        const sqlActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, sql.range);
        const dismiss = sqlActions.find((a) => a.title === 'Dismiss finding');
        check(dismiss?.command, 'a Dismiss action');
        await vscode.commands.executeCommand(dismiss.command.command, ...(dismiss.command.arguments ?? []));
        await settle(api, names, 'after the dismissal', (k) => k === n - 2);

        // 4. Clear Findings.
        await vscode.commands.executeCommand('personaReview.clearFindings');
        await settle(api, names, 'after Clear Findings', (k) => k === 0);
        check(/0C 0H 0M 0L/.test(api.views().statusBar), `the status bar shows no findings (got ${api.views().statusBar})`);

        // 5. A review that fails: Claude answers 401 to both personas.
        const fake = await fakeApi();
        await fake.reset();
        await fake.script({ status: 401 }, { status: 401 });
        await api.setApiKeyForTesting('sk-ant-views-wrong-key');
        const failed = await vscode.commands.executeCommand<ReviewSummary | undefined>('personaReview.reviewAs', uri, ['security', 'sre']);
        check(failed === undefined || failed.status === 'failed', `the review failed (got ${failed?.status})`);
        await settle(api, names, 'after the failed review', (k) => k === 0);
        const v = api.views();
        check(v.panelStatus === 'failed' && (v.panelFailure ?? '').length > 0, `the panel header says failed, with the reason (got ${v.panelStatus}: ${v.panelFailure})`);
        check(/\bfailed\b/.test(v.statusBar), `the status bar says failed (got "${v.statusBar}")`);
        check(v.notification?.kind === 'error' && v.notification.actions.includes('Retry') && /failed/.test(v.notification.message), `a notification with the reason and Retry (got ${JSON.stringify(v.notification)})`);
        check(!/sk-ant-views/.test(JSON.stringify(v)), 'the key is shown nowhere');
      } finally {
        await api.setApiKeyForTesting(undefined);
        await vscode.commands.executeCommand('personaReview.clearFindings');
        if (editor.document.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await fs.rm(uri.fsPath, { force: true });
      }
    },
  },
];
