/**
 * Team memory from the editor (issue 13, seed 001): each reviewing persona's `.personas/memory/<id>.md`,
 * the team's decisions that reach that persona's prompt as the team's guidance. The server owns the files
 * (src/server/memory.ts: `personaReview/teamMemoryFile`, `personaReview/addMemoryEntry`); this module adds
 * the commands:
 *   - `personaReview.openTeamMemory` (a persona node, a persona id, or a pick): opens the file, creating it
 *     from the template when missing, so it is edited as any markdown file;
 *   - `personaReview.addMemoryEntry` (a persona node, or `{ personaId, text?, about?, offer? }`): adds one
 *     dated entry; asks for what is missing. With `offer: true` it first asks whether to add it (the
 *     Dismiss-with-a-reason and suppression "for the team" flows call it so: the reason goes to the memory
 *     only when the user says so);
 *   - `personaReview.dismissFindingWithReason` (a Findings-view node, or `{ uri, fingerprint, reason?, addToMemory? }`):
 *     asks why, dismisses the finding, then offers to add the reason to the memory of the persona that
 *     reported it (`addToMemory: true` adds it without asking; for callers that asked already).
 * Both refuse in Restricted Mode, where the memory is neither read nor written. A file watcher on
 * `.personas/memory/*.md` refreshes the Personas view when a memory file is saved.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { AddMemoryEntryRequest, TeamMemoryFileRequest, type LiveFinding, type PersonaInfo } from '../shared/protocol';
import { findingRef } from './commands';
import { errorMessage, type Ctx } from './ctx';
import type { FindingsStore } from './findingsTree';
import { isPersonaNode, type PersonaStore } from './personaTree';

/** Arguments of `personaReview.addMemoryEntry` when called from code (another command, a test). */
export interface AddMemoryEntryArgs {
  /** The reviewing persona whose memory gets the entry; asked for when absent. */
  personaId?: string;
  /** The decision or the reason; asked for when absent. */
  text?: string;
  /** What it is about: a finding's category or rule (`security/sql-injection`). */
  about?: string;
  /** Ask "Add this reason to the <persona>'s team memory?" first; nothing is written unless the user agrees. */
  offer?: boolean;
}

/** What `personaReview.addMemoryEntry` resolves with: the file and its entries, or undefined when nothing was added. */
export type AddMemoryEntryResult = { path: string; entries: number } | undefined;

/** Registers the team memory commands and the watcher that refreshes the Personas view. */
export function registerTeamMemory(ctx: Ctx, personas: PersonaStore, findings: FindingsStore): void {
  const reg = (d: vscode.Disposable) => ctx.pushExtCleanup(d);
  reg(vscode.commands.registerCommand('personaReview.dismissFindingWithReason', (...args: unknown[]) => dismissWithReason(ctx, personas, findings, args)));
  reg(vscode.commands.registerCommand('personaReview.openTeamMemory', (arg?: unknown) => openTeamMemory(ctx, personas, personaIdOf(arg))));
  reg(vscode.commands.registerCommand('personaReview.addMemoryEntry', (arg?: unknown) => addMemoryEntry(ctx, personas, memoryArgs(arg))));
  const watcher = vscode.workspace.createFileSystemWatcher('**/.personas/memory/*.md');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void personas.load(true).catch(() => undefined), 300);
  };
  reg(watcher);
  reg(watcher.onDidChange(refresh));
  reg(watcher.onDidCreate(refresh));
  reg(watcher.onDidDelete(refresh));
  reg({ dispose: () => timer && clearTimeout(timer) });
}

/** The persona id in a command argument: a Personas-view node (a persona or its memory file), an id, or `{ personaId }`. */
function personaIdOf(arg: unknown): string | undefined {
  if (isPersonaNode(arg)) return arg.persona.id;
  const node = arg as { kind?: unknown; persona?: { id?: unknown } } | undefined;
  if (node?.kind === 'memory' && typeof node.persona?.id === 'string') return node.persona.id;
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { personaId?: unknown }).personaId === 'string') return (arg as { personaId: string }).personaId;
  return undefined;
}

function memoryArgs(arg: unknown): AddMemoryEntryArgs {
  if (typeof arg !== 'object' || arg === null) {
    const id = personaIdOf(arg);
    return id ? { personaId: id } : {};
  }
  const o = arg as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const out: AddMemoryEntryArgs = {};
  const id = personaIdOf(arg);
  if (id) out.personaId = id;
  if (str(o.text)) out.text = str(o.text);
  if (str(o.about)) out.about = str(o.about);
  if (o.offer === true) out.offer = true;
  return out;
}

function restricted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: team memory is neither read nor written in Restricted Mode. Trust the workspace to use it.'));
  return true;
}

/** The reviewing persona `id`, or one the user picks (undefined when cancelled or unknown, the user told why). */
async function choosePersona(personas: PersonaStore, id: string | undefined, title: string): Promise<PersonaInfo | undefined> {
  await personas.load();
  if (id) {
    const p = personas.get(id);
    if (p?.reviews) return p;
    void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: no reviewing persona "{0}".', id));
    return undefined;
  }
  type Item = vscode.QuickPickItem & { persona: PersonaInfo };
  const items: Item[] = personas.reviewing.map((p) => ({
    persona: p,
    label: `$(${p.icon}) ${p.name}`,
    description: p.memory?.exists ? vscode.l10n.t('{0} entries', p.memory.entries) : vscode.l10n.t('no memory yet'),
  }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Whose team memory?'), matchOnDescription: true });
  return pick?.persona;
}

/** Opens the persona's memory file in an editor, creating it from the template first when missing. */
async function openTeamMemory(ctx: Ctx, personas: PersonaStore, id: string | undefined): Promise<string | undefined> {
  if (restricted()) return undefined;
  try {
    const p = await choosePersona(personas, id, vscode.l10n.t('Persona Review: Edit Team Memory'));
    if (!p) return undefined;
    const client = await ctx.ensureClient();
    const r = await client.sendRequest(TeamMemoryFileRequest.type, { personaId: p.id });
    await vscode.window.showTextDocument(vscode.Uri.file(r.path), { preview: false });
    if (r.created) void personas.load(true).catch(() => undefined);
    return r.path;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: could not open the team memory: {0}', errorMessage(e)));
    return undefined;
  }
}

/** Adds one entry to a persona's memory (asking for what `args` lacks); resolves with the file and its entries. */
async function addMemoryEntry(ctx: Ctx, personas: PersonaStore, args: AddMemoryEntryArgs): Promise<AddMemoryEntryResult> {
  if (restricted()) return undefined;
  try {
    const p = await choosePersona(personas, args.personaId, vscode.l10n.t('Persona Review: Add to Team Memory'));
    if (!p) return undefined;
    let text = args.text;
    if (text && args.offer) {
      const add = vscode.l10n.t('Add to Team Memory');
      const pick = await vscode.window.showInformationMessage(
        vscode.l10n.t("Add this reason to the {0}'s team memory, so later reviews know it? \"{1}\"", p.name, text.length > 160 ? `${text.slice(0, 157)}...` : text),
        add,
        vscode.l10n.t('Edit First'),
      );
      if (!pick) return undefined;
      if (pick !== add) text = undefined;
      if (!text) text = await askText(p, args.text);
    }
    text ??= await askText(p);
    if (!text) return undefined;
    const by = await gitUserName(ctx.workspaceRoot);
    const client = await ctx.ensureClient();
    const r = await client.sendRequest(AddMemoryEntryRequest.type, { personaId: p.id, text, ...(args.about ? { about: args.about } : {}), ...(by ? { by } : {}) });
    void personas.load(true).catch(() => undefined);
    void vscode.window
      .showInformationMessage(vscode.l10n.t("Persona Review: added to the {0}'s team memory ({1} entries). It reaches reviews on a model as the team's guidance.", p.name, r.entries), vscode.l10n.t('Open'))
      .then((pick) => (pick ? vscode.window.showTextDocument(vscode.Uri.file(r.path), { preview: false }) : undefined));
    return r;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: could not add to the team memory: {0}', errorMessage(e)));
    return undefined;
  }
}

/**
 * Dismisses a finding with a reason: asks for the reason (unless given), dismisses it as "Dismiss Finding" does,
 * then offers to add the reason to the team memory of the persona that reported it (trusted workspaces only).
 * Resolves with the memory file and its entries when the reason was added, else undefined.
 */
async function dismissWithReason(ctx: Ctx, personas: PersonaStore, findings: FindingsStore, args: unknown[]): Promise<AddMemoryEntryResult> {
  const ref = findingRef(args);
  const f = ref ? (findings.find(ref.fingerprint, ref.uri) ?? findings.find(ref.fingerprint)) : undefined;
  if (!ref || !f) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: that finding is no longer current (its code changed or the findings were cleared).'));
    return undefined;
  }
  const opts = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as { reason?: unknown; addToMemory?: unknown };
  const reason =
    typeof opts.reason === 'string' && opts.reason.trim()
      ? opts.reason.trim()
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Persona Review: Dismiss "{0}"', f.title),
          prompt: vscode.l10n.t('Why is this finding not a problem here? The reason can go to the team memory, so later reviews know it.'),
          placeHolder: vscode.l10n.t('The id is a UUID checked by the router; this query never sees user text.'),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Write the reason, or press Escape to keep the finding.')),
        });
  if (!reason) return undefined;
  await vscode.commands.executeCommand('personaReview.dismissFinding', { uri: f.uri, fingerprint: f.fingerprint, scope: 'me', reason: reason.trim() });
  return offerReasonToMemory(ctx, personas, f, reason, opts.addToMemory === true);
}

/**
 * After a finding was dismissed with a reason (for me with a reason, or for the team), offers to add the
 * reason to the team memory of the reviewing persona that reported it, tagged with its rule or category
 * (`addNow`: add without asking, for callers that asked already). Nothing in Restricted Mode. Resolves with
 * the memory file and its entries when the reason was added, else undefined.
 */
export async function offerReasonToMemory(ctx: Ctx, personas: PersonaStore, f: Pick<LiveFinding, 'personaIds' | 'ruleId' | 'category'>, reason: string, addNow = false): Promise<AddMemoryEntryResult> {
  if (!vscode.workspace.isTrusted) return undefined;
  await personas.load().catch(() => undefined);
  const personaId = f.personaIds.find((id) => personas.get(id)?.reviews) ?? f.personaIds[0];
  if (!personaId) return undefined;
  return addMemoryEntry(ctx, personas, { personaId, text: reason.trim(), about: f.ruleId ?? f.category, offer: !addNow });
}

function askText(p: PersonaInfo, value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t("Persona Review: {0}'s team memory", p.name),
    prompt: vscode.l10n.t('A decision the team made that this persona should know when reviewing, in a sentence'),
    placeHolder: vscode.l10n.t('We use parameterised queries through knex; raw SQL in migrations is reviewed by hand.'),
    ...(value ? { value } : {}),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Write the decision or the reason.')),
  });
}

/** `git config user.name` in `root`, for the entry's author; undefined when git or the setting is missing. */
function gitUserName(root: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: root, timeout: 3000 }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}
