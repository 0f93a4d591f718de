/**
 * The review panel's width (issue 10, point 7): opened beside a lone editor group, the panel's page says how
 * many characters of code fit across it, and when that is fewer than MIN_PANEL_COLUMNS the host widens the
 * panel's group (up to 60% of the editor area), so a quoted line of code is not squeezed into ~40 columns.
 * The harness's browser window is 1440 × 900, where an even split fits fewer than 80 columns.
 */
import * as vscode from 'vscode';
import { MIN_PANEL_COLUMNS } from '../../../src/shared/webview';
import { check, extensionApi, openFile, waitFor } from '../../support/vscodeHost';

/** Editor group widths from `vscode.getEditorLayout` (a left-to-right split: `orientation` 0). */
interface Layout {
  orientation: number;
  groups: Array<{ size?: number }>;
}

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'panel: opened beside one editor, the panel widens its group until 80 code columns fit (at most 60% of the editor area), and says how many fit',
    run: async () => {
      const { api } = await extensionApi();
      await vscode.commands.executeCommand('workbench.action.closeAllGroups');
      await waitFor('one editor group', () => vscode.window.tabGroups.all.length === 1);
      await openFile('src/db.js');
      await vscode.commands.executeCommand('personaReview.showPanel');
      try {
        await waitFor('the panel webview to say ready', () => api.panelReady());
        const before = await waitFor('the panel to say how many code columns fit', () => api.panelColumns());
        check(vscode.window.tabGroups.all.length === 2, `the panel opened beside the code (got ${vscode.window.tabGroups.all.length} groups)`);
        check(before < MIN_PANEL_COLUMNS, `an even split fits fewer than ${MIN_PANEL_COLUMNS} columns in this window (got ${before}); the test needs a narrow start`);
        const layout = await waitFor('the panel\'s group to be widened', async () => {
          const l = await vscode.commands.executeCommand<Layout>('vscode.getEditorLayout');
          const [code, panel] = l.groups.map((g) => g.size ?? 0);
          return l.groups.length === 2 && panel !== undefined && code !== undefined && panel > code * 1.2 ? l : undefined;
        });
        const [code, panel] = layout.groups.map((g) => g.size ?? 0) as [number, number];
        check(panel / (code + panel) <= 0.61, `at most 60% of the editor area (got ${Math.round((100 * panel) / (code + panel))}%)`);
        const after = await waitFor('the page to report its new width', () => {
          const c = api.panelColumns();
          return c !== undefined && c > before ? c : undefined;
        });
        check(after >= Math.min(MIN_PANEL_COLUMNS, Math.floor(before * 1.15)), `more code columns fit after widening (${before} → ${after})`);
        console.log(`panel: ${before} → ${after} code columns after widening`);
      } finally {
        for (const g of vscode.window.tabGroups.all) for (const t of g.tabs) if (t.input instanceof vscode.TabInputWebview) await vscode.window.tabGroups.close(t);
      }
    },
  },
];
