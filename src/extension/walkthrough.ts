/**
 * The first-run walkthrough (package.json `contributes.walkthroughs`, id `personaReview.firstRun`; VS Code's
 * Welcome page, "Help: Welcome" or "Welcome: Open Walkthrough..."): choose how reviews run, review a file, apply
 * a quick fix, ask a persona in Chat. Each step completes on a context key this module sets when the user
 * really did it (the step's `completionEvents` are `onContext:<key>`), so opening a step is not doing it:
 *   - `personaReview.walkthrough.providerChosen`: a provider was picked in "Choose How Reviews Run";
 *   - `personaReview.walkthrough.reviewed`: a review finished with a result (done or partial);
 *   - `personaReview.walkthrough.fixed`: an edit put a finding's suggested replacement in place (the quick fix);
 *   - `personaReview.walkthrough.asked`: a persona's chat participant was asked a question; the step's button
 *     (`personaReview.askInChat`, which types a question into the Chat view) also completes it, because where
 *     the Chat view cannot send (no chat model signed in) the participant is never reached.
 * VS Code remembers a completed step across sessions. Commands: `personaReview.chooseProvider` (also in the
 * Command Palette), `personaReview.openSample` (an unsaved JavaScript file with two problems; nothing is
 * written to disk) and `personaReview.askInChat`.
 */
import * as vscode from 'vscode';
import type { LiveFinding } from '../shared/protocol';
import type { ProviderSetting } from './config';
import { errorMessage, type Ctx } from './ctx';
import type { FindingsStore } from './findingsTree';
import type { Reviews } from './review';
import type { Secrets } from './secrets';

/** The walkthrough's id as VS Code names it (`<publisher>.<name>#<id>`), for `workbench.action.openWalkthrough`. */
export const WALKTHROUGH_ID = 'persona-review.persona-review#personaReview.firstRun';

/** The context keys the walkthrough's steps complete on. */
export const WALKTHROUGH_KEYS = {
  providerChosen: 'personaReview.walkthrough.providerChosen',
  reviewed: 'personaReview.walkthrough.reviewed',
  fixed: 'personaReview.walkthrough.fixed',
  asked: 'personaReview.walkthrough.asked',
} as const;

/** Sets one walkthrough context key to true (the step it completes stays completed). */
export function markWalkthroughStep(key: keyof typeof WALKTHROUGH_KEYS): void {
  void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[key], true);
}

/**
 * The sample the walkthrough reviews: a request handler that builds SQL from a query parameter (Security
 * Engineer, CWE-89) and an outbound fetch without a timeout (SRE, with a quick fix). Its name gives the
 * language; it stays unsaved.
 */
const SAMPLE = `// A sample for the Persona Review walkthrough. Nothing here is saved unless you save it.
import pg from 'pg';

const pool = new pg.Pool();

export async function findUser(req) {
  const id = req.query.id;
  const result = await pool.query("SELECT * FROM users WHERE id = '" + id + "'");
  return result.rows[0];
}

export async function fetchAvatar(url) {
  const response = await fetch(url);
  return response.arrayBuffer();
}
`;

/** Registers the walkthrough's commands and the listeners that complete its steps. */
export function registerWalkthrough(ctx: Ctx, secrets: Secrets, reviews: Reviews, findings: FindingsStore): void {
  const reg = (d: vscode.Disposable) => ctx.pushExtCleanup(d);
  reg(vscode.commands.registerCommand('personaReview.chooseProvider', () => chooseProvider(ctx, secrets)));
  reg(vscode.commands.registerCommand('personaReview.openSample', (personaId?: unknown) => openSample(personaId)));
  reg(vscode.commands.registerCommand('personaReview.askInChat', () => askInChat()));
  reg(
    reviews.onDidFinish((o) => {
      if (o.summary && (o.summary.status === 'done' || o.summary.status === 'partial')) markWalkthroughStep('reviewed');
    }),
  );
  reg(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      const uri = e.document.uri.toString();
      const withFix = findings.all().filter((f) => f.uri === uri && f.hasFix);
      if (withFix.length > 0 && e.contentChanges.some((c) => withFix.some((f) => isFixOf(c, f, e.document)))) markWalkthroughStep('fixed');
    }),
  );
}

/**
 * True when `change` touched `f`'s lines and the document now holds `f`'s suggested replacement (what its quick
 * fix does; VS Code may apply the fix's edit as a smaller one, so the change's own text is not compared).
 */
function isFixOf(change: vscode.TextDocumentContentChangeEvent, f: LiveFinding, doc: vscode.TextDocument): boolean {
  const replacement = f.suggestion?.replacement?.trim();
  if (!replacement) return false;
  // `range` lines are 1-based (the Finding schema), the change's 0-based.
  const first = f.range.startLine - 1;
  const last = f.range.endLine - 1;
  if (change.range.end.line < first - 1 || change.range.start.line > last + 1) return false;
  return doc.getText().includes(replacement);
}

/** "Choose How Reviews Run": offline, a VS Code chat model or Claude; stores `personaReview.provider` (user settings). */
async function chooseProvider(ctx: Ctx, secrets: Secrets): Promise<ProviderSetting | undefined> {
  type Item = vscode.QuickPickItem & { value: ProviderSetting };
  const current = ctx.config.provider;
  const items: Item[] = [
    {
      value: 'offline',
      label: `$(shield) ${vscode.l10n.t('Offline')}`,
      description: vscode.l10n.t('built-in rules, no key'),
      detail: vscode.l10n.t('Tree-sitter rule packs for each persona. Nothing leaves this machine.'),
    },
    {
      value: 'vscode-lm',
      label: `$(copilot) ${vscode.l10n.t('VS Code chat model')}`,
      description: vscode.l10n.t('Copilot or another installed model'),
      detail: vscode.l10n.t('Reviews use a chat model you already have in VS Code; it asks you once to allow it.'),
    },
    {
      value: 'anthropic',
      label: `$(key) ${vscode.l10n.t('Claude')}`,
      description: vscode.l10n.t('your Anthropic API key'),
      detail: vscode.l10n.t('The key is kept in VS Code SecretStorage, never in settings. The code sent is redacted first.'),
    },
    {
      value: 'auto',
      label: `$(sparkle) ${vscode.l10n.t('Automatic')}`,
      description: vscode.l10n.t('the default'),
      detail: vscode.l10n.t('Claude when a key is stored, else a chat model you have allowed, else offline.'),
    },
  ];
  for (const i of items) if (i.value === current) i.description = `${i.description} · ${vscode.l10n.t('current')}`;
  // ignoreFocusOut: opened from the walkthrough, the step's page can take focus as it finishes loading, which
  // would otherwise close the pick before the user chose (Escape still closes it).
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Persona Review: Choose How Reviews Run'),
    placeHolder: vscode.l10n.t('You can change it later in the setting personaReview.provider'),
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  try {
    await vscode.workspace.getConfiguration('personaReview').update('provider', pick.value, vscode.ConfigurationTarget.Global);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: could not store the provider: {0}', errorMessage(e)));
    return undefined;
  }
  markWalkthroughStep('providerChosen');
  if (pick.value === 'anthropic' && !(await secrets.apiKey())) await vscode.commands.executeCommand('personaReview.setApiKey');
  else if (pick.value === 'vscode-lm') await vscode.commands.executeCommand('personaReview.selectChatModel');
  else void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: reviews run {0}.', pick.label.replace(/^\$\([^)]*\)\s*/, '')));
  return pick.value;
}

/**
 * Opens the Chat view with a question to the Security Engineer about the open file typed in, not sent (the
 * user reads it and presses Enter). Where there is no Chat view, says so.
 */
async function askInChat(): Promise<void> {
  const query = `@security ${vscode.l10n.t('What could go wrong in this file?')} `;
  try {
    await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: true });
  } catch (e) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: this editor has no Chat view ({0}). The personas answer in VS Code Chat as @security, @sre, @architect and more.', errorMessage(e)));
  }
}

/**
 * Opens the walkthrough's sample (an unsaved `persona-review-sample.js`; nothing is written to disk) or brings
 * it to the front where it already is, and with `personaId` reviews it as that persona (the walkthrough's
 * buttons pass `security` or `sre`). From the walkthrough it opens beside it, so the next steps stay in view.
 * Resolves with the sample's editor.
 */
async function openSample(personaId?: unknown): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: 'persona-review-sample.js' });
  const doc = await vscode.workspace.openTextDocument(uri);
  const shownIn = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString()))?.viewColumn;
  const column = shownIn ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside);
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  if (doc.getText() === '') await editor.edit((b) => b.insert(new vscode.Position(0, 0), SAMPLE));
  if (typeof personaId === 'string' && /^[a-z][a-z0-9-]*$/.test(personaId)) {
    await vscode.commands.executeCommand(`personaReview.reviewAs.${personaId}`, doc.uri);
  }
  return editor;
}
