/**
 * Every command the extension registers. Each id here is declared in package.json `contributes.commands`
 * and the reverse (scripts/check-commands.mjs checks both ways; test/unit/check-commands.test.ts runs
 * it). Review commands resolve with the review's summary (undefined when nothing ran), so tests and
 * other extensions can `await vscode.commands.executeCommand(...)`.
 */
import * as vscode from 'vscode';
import { ClearFindingsNotification, type ReviewTargetParams } from '../shared/protocol';
import type { Ctx } from './ctx';
import { errorMessage } from './ctx';
import { revealRange, type FindingsStore } from './findingsTree';
import { CATEGORY_LABEL, isPersonaNode, type PersonaStore } from './personaTree';
import type { ReviewPanel } from './panel';
import type { Reviews, ReviewSpec } from './review';
import type { Secrets } from './secrets';

/** Prefix of the per-persona commands ("Review as SRE" is `personaReview.reviewAs.sre`). */
export const REVIEW_AS_PREFIX = 'personaReview.reviewAs.';

/** What the commands work with. */
export interface CommandDeps {
  ctx: Ctx;
  secrets: Secrets;
  personas: PersonaStore;
  findings: FindingsStore;
  panel: ReviewPanel;
  reviews: Reviews;
}

/** Registers every command; all are disposed with the extension. */
export function registerCommands(d: CommandDeps): void {
  const { ctx, secrets, personas, findings, panel, reviews } = d;
  const reg = (disposable: vscode.Disposable) => ctx.pushExtCleanup(disposable);

  // One command per reviewing persona, declared in package.json by scripts/sync-persona-commands.mjs.
  // They are registered from the manifest, not from the server's list, so they exist at activation.
  for (const id of declaredPersonaCommandIds(ctx.extension)) {
    reg(vscode.commands.registerCommand(`personaReview.reviewAs.${id}`, (uri?: unknown) => runOnEditor(d, [id], 'auto', asUri(uri))));
  }

  reg(
    // Persona ids as the second argument skip the picker (for other extensions and tests).
    vscode.commands.registerCommand('personaReview.reviewAs', async (uri?: unknown, personaIds?: unknown) => {
      const given = Array.isArray(personaIds) ? personaIds.filter((x): x is string => typeof x === 'string' && x !== '') : [];
      const ids = given.length > 0 ? given : await pickPersonas(personas, vscode.l10n.t('Review as...'), ctx);
      return ids ? runOnEditor(d, ids, 'auto', asUri(uri)) : undefined;
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.reviewFileAs', async (uri?: unknown) => {
      const target = documentTarget('file', asUri(uri));
      if (!target) return undefined;
      const ids = await pickPersonas(personas, `Review ${target.targetLabel} as...`, ctx);
      return ids ? reviews.run({ personas: ids, ...target }) : undefined;
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.reviewSelectionAs', async () => {
      const target = documentTarget('selection');
      if (!target) return undefined;
      const ids = await pickPersonas(personas, `Review ${target.targetLabel} as...`, ctx);
      return ids ? reviews.run({ personas: ids, ...target }) : undefined;
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.reviewPathsAs', async (uri?: unknown, uris?: unknown) => {
      const list = (Array.isArray(uris) ? uris.map(asUri) : [asUri(uri)]).filter((u): u is vscode.Uri => u !== undefined);
      if (list.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: pick files or folders in the Explorer first.'));
        return undefined;
      }
      const targetLabel = list.length === 1 ? vscode.workspace.asRelativePath(list[0]!) : `${list.length} files and folders`;
      const ids = await pickPersonas(personas, `Review ${targetLabel} as...`, ctx);
      return ids ? reviews.run({ personas: ids, target: { kind: 'paths', uris: list.map((u) => u.toString()) }, targetLabel }) : undefined;
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.reviewChangesAs', async () => {
      const ids = await pickPersonas(personas, vscode.l10n.t('Review changes as...'), ctx);
      if (!ids) return undefined;
      const git = await pickChanges(ctx);
      return git ? reviews.run({ personas: ids, ...git }) : undefined;
    }),
  );

  // Persona tree items (inline and context actions): the persona comes with the node.
  reg(vscode.commands.registerCommand('personaReview.persona.reviewFile', (node?: unknown) => withPersona(node, (id) => runOnEditor(d, [id], 'file'))));
  reg(vscode.commands.registerCommand('personaReview.persona.reviewSelection', (node?: unknown) => withPersona(node, (id) => runOnEditor(d, [id], 'selection'))));
  reg(
    vscode.commands.registerCommand('personaReview.persona.reviewChanges', (node?: unknown) =>
      withPersona(node, (id) => reviews.run({ personas: [id], target: { kind: 'git', mode: 'working' }, targetLabel: 'uncommitted changes' })),
    ),
  );

  reg(
    vscode.commands.registerCommand('personaReview.repeatLastReview', () => {
      if (!reviews.last) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: no review to repeat yet. Run "Persona Review: Review as..." first.'));
        return undefined;
      }
      return reviews.run(reviews.last);
    }),
  );
  reg(vscode.commands.registerCommand('personaReview.stopReview', () => reviews.stop()));

  reg(
    vscode.commands.registerCommand('personaReview.setApiKey', async () => {
      if (!(await secrets.promptAndStore())) return;
      const why = !ctx.trusted
        ? vscode.l10n.t('This workspace is in Restricted Mode, so its reviews still run offline until you trust it.')
        : ctx.config.provider === 'offline'
          ? vscode.l10n.t('The setting personaReview.provider is "offline"; set it to "anthropic" to review with Claude.')
          : vscode.l10n.t('Reviews now use Claude.');
      void vscode.window.showInformationMessage(`${vscode.l10n.t('Persona Review: API key stored in SecretStorage.')} ${why}`);
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.clearApiKey', async () => {
      await secrets.setApiKey(undefined);
      void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: API key removed; reviews run offline until a key is set.'));
    }),
  );

  reg(vscode.commands.registerCommand('personaReview.showPanel', () => panel.show()));
  reg(
    vscode.commands.registerCommand('personaReview.clearFindings', async () => {
      // The server's store clears and publishes: Problems, the Findings view, the panel and the status bar follow it.
      try {
        const client = await ctx.ensureClient();
        await client.sendNotification(ClearFindingsNotification.type, {});
      } catch (e) {
        ctx.log.warn(`Could not ask the server to clear findings: ${errorMessage(e)}`);
      }
    }),
  );
  reg(vscode.commands.registerCommand('personaReview.refreshPersonas', () => personas.load(true).catch((e: unknown) => showError(vscode.l10n.t('could not load personas: {0}', errorMessage(e))))));
  reg(
    vscode.commands.registerCommand('personaReview.restartServer', async () => {
      try {
        await ctx.restart();
      } catch (e) {
        showError(errorMessage(e));
      }
    }),
  );
  reg(vscode.commands.registerCommand('personaReview.showLog', () => ctx.log.show()));

  // Findings: from the Findings view, the panel, and the server's code actions.
  reg(
    vscode.commands.registerCommand('personaReview.revealFinding', async (...args: unknown[]) => {
      const ref = findingRef(args);
      const f = ref ? (findings.find(ref.fingerprint, ref.uri) ?? findings.findSuppressed(ref.fingerprint, ref.uri)) : undefined;
      if (!f) return;
      await revealRange(vscode.Uri.parse(f.uri), f.range);
    }),
  );
  reg(
    vscode.commands.registerCommand('personaReview.explainFinding', (...args: unknown[]) => {
      const ref = findingRef(args);
      const f = ref ? (findings.find(ref.fingerprint, ref.uri) ?? findings.find(ref.fingerprint)) : undefined;
      if (!f) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: that finding is no longer current (its code changed or the findings were cleared).'));
        return;
      }
      panel.explain(f);
    }),
  );
  // Dismiss (for me / for the team), Un-suppress and Show Suppressed: src/extension/suppressions.ts.
}

/** Persona ids of the `personaReview.reviewAs.<id>` commands declared in the extension's package.json. */
export function declaredPersonaCommandIds(extension: vscode.ExtensionContext): string[] {
  const commands = (extension.extension.packageJSON as { contributes?: { commands?: Array<{ command?: unknown }> } }).contributes?.commands ?? [];
  return commands
    .map((c) => (typeof c.command === 'string' && c.command.startsWith(REVIEW_AS_PREFIX) ? c.command.slice(REVIEW_AS_PREFIX.length) : ''))
    .filter((id) => id !== '');
}

function showError(message: string): void {
  void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: {0}', message));
}

function asUri(x: unknown): vscode.Uri | undefined {
  return x instanceof vscode.Uri ? x : undefined;
}

function withPersona<T>(node: unknown, f: (id: string) => T): T | undefined {
  const id = isPersonaNode(node) ? node.persona.id : typeof node === 'string' ? node : undefined;
  if (!id) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: run this from a persona in the Personas view, or use "Review as...".'));
    return undefined;
  }
  return f(id);
}

/** Reviews the active editor (or `uri`) as `ids`: the selection when `mode` asks for it or it is `auto` and there is one. */
async function runOnEditor(d: CommandDeps, ids: string[], mode: 'auto' | 'file' | 'selection', uri?: vscode.Uri) {
  const target = documentTarget(mode === 'auto' ? 'auto' : mode, uri);
  return target ? d.reviews.run({ personas: ids, ...target }) : undefined;
}

/**
 * The review target for a document: `uri` when given (a file from the Explorer), else the active editor (or,
 * when no text editor is active, e.g. the command came from the walkthrough, the one visible text editor);
 * its selection (whole lines, 1-based) when `mode` is `selection`, or `auto` with a non-empty selection.
 * Undefined (and the user told why) when there is no document.
 */
function documentTarget(mode: 'auto' | 'file' | 'selection', uri?: vscode.Uri): Omit<ReviewSpec, 'personas'> | undefined {
  // A command run from a walkthrough, the panel or a view has no active text editor: the one visible file is meant.
  const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
  const editor = vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
  if (uri && (!editor || editor.document.uri.toString() !== uri.toString())) {
    return { target: { kind: 'document', uri: uri.toString() }, targetLabel: vscode.workspace.asRelativePath(uri) };
  }
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: open a file to review (or pick files in the Explorer and use "Review Files as...").'));
    return undefined;
  }
  const doc = editor.document;
  const label = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri);
  const sel = editor.selection;
  const useSelection = mode === 'selection' || (mode === 'auto' && !sel.isEmpty);
  if (useSelection && !sel.isEmpty) {
    const startLine = sel.start.line + 1;
    // A selection ending at column 0 of a line does not include that line.
    const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
    const target: ReviewTargetParams = { kind: 'document', uri: doc.uri.toString(), range: { startLine, endLine } };
    return { target, targetLabel: `${label}:${startLine}-${endLine}` };
  }
  if (mode === 'selection') void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: nothing is selected, so the whole file is reviewed.'));
  return { target: { kind: 'document', uri: doc.uri.toString() }, targetLabel: label };
}

/** Asks which git changes to review; undefined when the user cancelled. */
async function pickChanges(ctx: Ctx): Promise<Omit<ReviewSpec, 'personas'> | undefined> {
  type Item = vscode.QuickPickItem & { mode: 'working' | 'staged' | 'base' };
  const items: Item[] = [
    { label: `$(git-commit) ${vscode.l10n.t('Uncommitted changes')}`, description: vscode.l10n.t('working tree and untracked files vs HEAD'), mode: 'working' },
    { label: `$(diff-added) ${vscode.l10n.t('Staged changes')}`, description: vscode.l10n.t('index vs HEAD'), mode: 'staged' },
    { label: `$(git-branch) ${vscode.l10n.t('Branch changes')}`, description: vscode.l10n.t('the branch and uncommitted work vs its merge-base with a base branch'), mode: 'base' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Persona Review: which changes?'), placeHolder: vscode.l10n.t('Findings are reported on changed lines only') });
  if (!pick) return undefined;
  if (pick.mode === 'working') return { target: { kind: 'git', mode: 'working' }, targetLabel: 'uncommitted changes' };
  if (pick.mode === 'staged') return { target: { kind: 'git', mode: 'staged' }, targetLabel: 'staged changes' };
  const lastBase = ctx.extension.workspaceState.get<string>('personaReview.lastBase') ?? 'main';
  const base = await vscode.window.showInputBox({
    title: vscode.l10n.t('Persona Review: base branch'),
    prompt: vscode.l10n.t('The branch or ref to compare with (its merge-base with HEAD)'),
    value: lastBase,
    validateInput: (v) => (/^[^\s~^:?*[\\]+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a branch name or ref, e.g. main or origin/main.')),
  });
  if (!base) return undefined;
  await ctx.extension.workspaceState.update('personaReview.lastBase', base.trim());
  return { target: { kind: 'git', mode: 'base', base: base.trim() }, targetLabel: `changes since ${base.trim()}` };
}

/** Asks for one or more reviewing personas (several = one team review); undefined when cancelled. */
async function pickPersonas(store: PersonaStore, title: string, ctx: Ctx): Promise<string[] | undefined> {
  try {
    await store.load();
  } catch (e) {
    showError(errorMessage(e));
    return undefined;
  }
  const list = store.reviewing;
  if (list.length === 0) {
    showError('no personas are available (check personaReview.enabledPersonas and the "Persona Review" log).');
    return undefined;
  }
  const previous = new Set(ctx.extension.workspaceState.get<string[]>('personaReview.lastPicked') ?? []);
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [];
  for (const c of store.categories) {
    const inCat = list.filter((p) => p.category === c);
    if (inCat.length === 0) continue;
    items.push({ label: CATEGORY_LABEL[c], kind: vscode.QuickPickItemKind.Separator });
    for (const p of inCat) items.push({ id: p.id, label: `$(${p.icon}) ${p.name}`, description: `@${p.chat}`, detail: p.description, picked: previous.has(p.id) });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Persona Review: ${title}`,
    placeHolder: vscode.l10n.t('Pick one persona, or several for one team review'),
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const ids = picked?.map((i) => i.id).filter((id): id is string => id !== undefined) ?? [];
  if (ids.length === 0) return undefined;
  await ctx.extension.workspaceState.update('personaReview.lastPicked', ids);
  return ids;
}

/**
 * A finding reference from command arguments, in any of the shapes callers use: a Findings-view node
 * (`{ kind: 'finding', uri, finding }`), `(uri, fingerprint)` strings, an object with `fingerprint` (and
 * optionally `uri`), such as the server's code-action arguments, or a Diagnostic whose `data` holds one.
 */
export function findingRef(args: unknown[]): { uri?: string; fingerprint: string } | undefined {
  const [a, b] = args;
  if (typeof a === 'string' && typeof b === 'string') return { uri: a, fingerprint: b };
  if (typeof a === 'object' && a !== null) {
    const o = a as { uri?: unknown; fingerprint?: unknown; finding?: { fingerprint?: unknown }; data?: { fingerprint?: unknown } };
    const uri = typeof o.uri === 'string' ? o.uri : o.uri instanceof vscode.Uri ? o.uri.toString() : undefined;
    const fp = typeof o.fingerprint === 'string' ? o.fingerprint : typeof o.finding?.fingerprint === 'string' ? o.finding.fingerprint : typeof o.data?.fingerprint === 'string' ? o.data.fingerprint : undefined;
    if (fp) return uri ? { uri, fingerprint: fp } : { fingerprint: fp };
  }
  return undefined;
}
