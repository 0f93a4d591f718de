/**
 * Reviews on a VS Code chat model from the palette (issue 10, point 5), in the `lm` session: the test
 * language model provider test/vscode/chat-model-ext is loaded beside the extension (a real `vscode.lm`
 * model, answering without a network). The language server asks the extension to run the model
 * (`personaReview/languageModel`), gets the reply streamed back, parses, anchors and publishes it like Claude's.
 */
import * as vscode from 'vscode';
import type { ReviewSummary } from '../../../src/shared/protocol';
import { check, diagnosticsFrom, extensionApi, fakeApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';

const MODEL = 'Persona Review Test Model';

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: '[lm] the model picker stores the test model; "Review as Security Engineer" with provider vscode-lm streams the test model\'s reply into the panel, its finding into Problems with a quick fix; panel and status bar name the model',
    run: async () => {
      const { api } = await extensionApi();
      const models = await vscode.lm.selectChatModels({ vendor: 'persona-review-test' });
      check(models.length === 1, `the test model is offered by vscode.lm (got ${models.map((m) => m.name).join(', ')})`);
      const config = vscode.workspace.getConfiguration('personaReview');
      await config.update('provider', 'vscode-lm', vscode.ConfigurationTarget.Workspace);
      const fake = await fakeApi();
      await fake.reset();
      try {
        // The model picker ("Select Chat Model..."): accept the first (only) model it lists; the pick is stored.
        const picked = vscode.commands.executeCommand<string | undefined>('personaReview.selectChatModel');
        await waitFor('the model picker to open', async () => {
          await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          return (await Promise.race([picked, new Promise((r) => setTimeout(() => r('pending'), 200))])) !== 'pending';
        });
        check((await picked) === models[0]!.id, `the picker returns the test model's id (got ${await picked})`);
        check(vscode.workspace.getConfiguration('personaReview').get('languageModel') === models[0]!.id, 'and stores it in personaReview.languageModel');
        await openFile('src/db.js');
        const summary = await vscode.commands.executeCommand<ReviewSummary | undefined>('personaReview.reviewAs.security');
        const outcome = api.lastOutcome();
        check(summary, `the review ran (failure: ${outcome?.failure})`);
        check(outcome?.provider === 'vscode-lm', `provider vscode-lm (got ${outcome?.provider}, ${outcome?.providerNote ?? ''})`);
        check(summary.status === 'done' && summary.errors.length === 0, `done without errors (got ${summary.status}, ${JSON.stringify(summary.errors)})`);
        check(summary.model === MODEL, `the summary names the model (got ${summary.model})`);
        check(outcome.textEvents > 1, `the reply streamed in several parts (got ${outcome.textEvents} text events)`);
        const panel = api.panelState().review;
        check((panel?.texts.security ?? '').includes('Streamed by the Persona Review Test Model'), `the test model's text is in the panel:\n${panel?.texts.security?.slice(0, 300)}`);
        const v = api.views();
        check(v.panelModel === MODEL, `the panel names the model (got ${v.panelModel})`);
        check(v.statusBar.includes(MODEL), `the status bar names the model (got "${v.statusBar}")`);
        const uri = workspaceUri('src/db.js');
        const d = await waitFor('the test model\'s finding in Problems', () => diagnosticsFrom(uri, 'Security Engineer').find((x) => x.message.startsWith('No timeout on the avatar fetch (test model)')));
        check(d.range.start.line === 14, `anchored on line 15 by its quote (got ${d.range.start.line + 1})`);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
        const fix = actions.find((a) => a.isPreferred && a.edit);
        check(fix && /Abort the fetch after 5 seconds/.test(fix.title), `the model's fix is the quick fix (got ${actions.map((a) => a.title).join(' | ')})`);
        check(actions.some((a) => a.title === 'Dismiss finding') && actions.some((a) => a.title === 'Explain in review panel'), 'with Dismiss and Explain, as for any review');
        check((await fake.requests()).length === 0, 'nothing went to the Messages API');
      } finally {
        await config.update('provider', undefined, vscode.ConfigurationTarget.Workspace);
        await config.update('languageModel', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('personaReview.clearFindings');
      }
    },
  },
];
