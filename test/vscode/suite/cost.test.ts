/**
 * Cost before running (issue 5): a Claude review above `personaReview.costBudget` asks before any code
 * is sent. The modal dialog is answered by replacing `vscode.window.showWarningMessage` for the test.
 */
import * as vscode from 'vscode';
import type { ReviewSummary } from '../../../src/shared/protocol';
import { check, extensionApi, fakeApi, openFile } from '../../support/vscodeHost';

type Show = typeof vscode.window.showWarningMessage;

/** Runs `body` with the warning dialog answered by `answer`; returns the messages it showed. */
async function withDialog(answer: string | undefined, body: () => Promise<void>): Promise<string[]> {
  const shown: string[] = [];
  const original = vscode.window.showWarningMessage;
  const stub = (async (message: string) => {
    shown.push(message);
    return answer;
  }) as unknown as Show;
  (vscode.window as { showWarningMessage: Show }).showWarningMessage = stub;
  try {
    await body();
  } finally {
    (vscode.window as { showWarningMessage: Show }).showWarningMessage = original;
  }
  return shown;
}

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'cost: above personaReview.costBudget a Claude review asks first; declining sends nothing, accepting runs it',
    run: async () => {
      const { api } = await extensionApi();
      const fake = await fakeApi();
      const config = vscode.workspace.getConfiguration('personaReview');
      await api.setApiKeyForTesting('sk-ant-cost-0123456789');
      await config.update('costBudget', 0, vscode.ConfigurationTarget.Global);
      try {
        await openFile('src/db.js');
        await fake.reset();
        const declined = await withDialog(undefined, async () => {
          const summary = await vscode.commands.executeCommand<ReviewSummary | undefined>('personaReview.reviewAs.security');
          check(summary === undefined || summary.cancelled, 'the declined review did not run');
        });
        check(declined.length === 1 && /estimated at ~\$\d/.test(declined[0]!), `one dialog with the estimate (got ${JSON.stringify(declined)})`);
        check((await fake.requests()).length === 0, 'declining sent nothing to the Messages API');
        check(api.lastOutcome()?.cancelled === true, 'the review is recorded as cancelled');

        await fake.script({ reply: '## Security review\n\nNothing to add.\n' });
        const accepted = await withDialog('Run Review', async () => {
          const summary = await vscode.commands.executeCommand<ReviewSummary | undefined>('personaReview.reviewAs.security');
          check(summary && !summary.cancelled, 'the accepted review ran');
        });
        check(accepted.length === 1, 'asked once');
        check((await fake.requests()).length === 1, 'accepting sent the review');
      } finally {
        await config.update('costBudget', undefined, vscode.ConfigurationTarget.Global);
        await api.setApiKeyForTesting(undefined);
      }
    },
  },
];
