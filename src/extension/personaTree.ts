/**
 * The Personas view: the loaded personas grouped by category (seed 000's team diagram: process, design
 * and architecture, quality, security, performance, operations), each with its codicon, its description
 * as tooltip, and inline and context actions to review the current file, the selection or the git
 * changes as that persona. Also home of {@link PersonaStore}, the persona list every picker uses.
 */
import * as vscode from 'vscode';
import type { PersonaCategory } from '../core/types';
import { PersonasRequest, type PersonaInfo } from '../shared/protocol';
import { Disposable, errorMessage, type Ctx } from './ctx';

/** View id (package.json `contributes.views`). */
export const PERSONAS_VIEW = 'personaReview.personas';

/** Category headings (the server says their order, core `PERSONA_CATEGORIES`). */
export const CATEGORY_LABEL: Record<PersonaCategory, string> = {
  process: vscode.l10n.t('Process'),
  design: vscode.l10n.t('Design & Architecture'),
  quality: vscode.l10n.t('Quality'),
  security: vscode.l10n.t('Security'),
  performance: vscode.l10n.t('Performance'),
  operations: vscode.l10n.t('Operations'),
};
const CATEGORY_ICON: Record<PersonaCategory, string> = {
  process: 'run-all',
  design: 'symbol-structure',
  quality: 'verified',
  security: 'shield',
  performance: 'dashboard',
  operations: 'server-environment',
};

/** The personas the server loaded (built-in, plus `.personas/` in trusted workspaces). */
export class PersonaStore extends Disposable {
  private list: PersonaInfo[] = [];
  private order: PersonaCategory[] = [];
  private loaded: Promise<void> | undefined;
  private readonly emitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the list changed (server (re)started, refreshed). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    super();
    ctx.onClient(() => {
      this.loaded = undefined;
      void this.load().catch(() => undefined);
      return [];
    });
  }

  /** Every persona, in the server's order. */
  get all(): readonly PersonaInfo[] {
    return this.list;
  }

  /** The persona categories in display order (seed 000's team diagram), as the server sent them. */
  get categories(): readonly PersonaCategory[] {
    return this.order;
  }

  /** Personas that `personaReview.enabledPersonas` allows (all when it is empty), reviewing or not. */
  get enabled(): PersonaInfo[] {
    const allow = new Set(this.ctx.config.enabledPersonas);
    return this.list.filter((p) => allow.size === 0 || allow.has(p.id));
  }

  /** Enabled personas that review code (the quick picks offer these). */
  get reviewing(): PersonaInfo[] {
    return this.enabled.filter((p) => p.reviews);
  }

  /** The persona with this id. */
  get(id: string): PersonaInfo | undefined {
    return this.list.find((p) => p.id === id);
  }

  /** A persona's display name, or the id when unknown. */
  displayName(id: string): string {
    return this.get(id)?.name ?? id;
  }

  /** Loads the list from the server (once per client unless `force`); waits for the client to start. */
  async load(force = false): Promise<void> {
    if (this.loaded && !force) return this.loaded;
    this.loaded = (async () => {
      const client = await this.ctx.ensureClient();
      const { personas, categories, errors } = await client.sendRequest(PersonasRequest.type);
      this.list = personas;
      this.order = categories;
      for (const e of errors) this.ctx.log.warn(`Persona file not loaded: ${e.message}`);
      if (errors.length > 0) {
        const first = errors[0]!;
        void vscode.window
          .showWarningMessage(vscode.l10n.t('Persona Review: {0} persona file(s) could not be loaded. {1}', errors.length, first.message), vscode.l10n.t('Show Log'))
          .then((pick) => pick && this.ctx.log.show());
      }
      this.emitter.fire();
    })();
    this.loaded.catch((e: unknown) => {
      this.loaded = undefined;
      this.ctx.log.error(`Could not load personas: ${errorMessage(e)}`);
    });
    return this.loaded;
  }
}

/**
 * A node of the Personas view: a category of built-in and workspace personas, the "From this repository"
 * group (other tools' persona files found in the repository, core `discoverPersonas`; trusted workspaces
 * only), the "Team Memory" group (each persona's `.personas/memory/<id>.md`; trusted only), a persona, or
 * one persona's memory file.
 */
type Node =
  | { kind: 'category'; category: PersonaCategory }
  | { kind: 'repository' }
  | { kind: 'memoryGroup' }
  | { kind: 'persona'; persona: PersonaInfo }
  | { kind: 'memory'; persona: PersonaInfo }
  | { kind: 'addMemory' };

/** A persona node as tree-item commands receive it (inline and context actions). */
export interface PersonaNode {
  kind: 'persona';
  persona: PersonaInfo;
}

/** True when `x` is a persona node of this tree. */
export function isPersonaNode(x: unknown): x is PersonaNode {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'persona' && typeof (x as PersonaNode).persona?.id === 'string';
}

/** Tree data for the Personas view. */
export class PersonaTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly emitter = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly store: PersonaStore,
    private readonly ctx: Ctx,
  ) {
    super();
    const view = this._register(vscode.window.createTreeView(PERSONAS_VIEW, { treeDataProvider: this }));
    this._register(store.onDidChange(() => this.emitter.fire(undefined)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (ctx.config.affects(e, 'enabledPersonas')) this.emitter.fire(undefined);
      }),
    );
    const describe = () => {
      view.message = ctx.trusted ? undefined : vscode.l10n.t('Restricted Mode: built-in personas only; reviews run offline and send nothing.');
    };
    describe();
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(describe));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      // Opening the view starts the server; an error is shown by the welcome view (serverState == failed).
      await this.store.load().catch(() => undefined);
      const own = this.store.enabled.filter((p) => p.origin !== 'repository');
      const present = new Set(own.map((p) => p.category));
      const out: Node[] = this.store.categories.filter((c) => present.has(c)).map((category) => ({ kind: 'category', category }));
      // The server lists neither in Restricted Mode; the checks keep an old list from showing after trust is revoked.
      if (this.ctx.trusted && this.store.enabled.some((p) => p.origin === 'repository')) out.push({ kind: 'repository' });
      if (this.ctx.trusted && this.store.reviewing.some((p) => p.memory)) out.push({ kind: 'memoryGroup' });
      return out;
    }
    if (node.kind === 'category') return this.store.enabled.filter((p) => p.category === node.category && p.origin !== 'repository').map((persona) => ({ kind: 'persona', persona }));
    if (node.kind === 'repository') return this.store.enabled.filter((p) => p.origin === 'repository').map((persona) => ({ kind: 'persona', persona }));
    if (node.kind === 'memoryGroup') {
      const files: Node[] = this.store.reviewing.filter((p) => p.memory?.exists).map((persona) => ({ kind: 'memory', persona }));
      return [...files, { kind: 'addMemory' }];
    }
    return [];
  }

  /** The view as text, two levels deep (for the extension-host tests). */
  async snapshot(): Promise<Array<{ label: string; children: Array<{ label: string; description?: string }> }>> {
    const text = (l: vscode.TreeItem['label']) => (typeof l === 'string' ? l : (l?.label ?? ''));
    const out: Array<{ label: string; children: Array<{ label: string; description?: string }> }> = [];
    for (const top of await this.getChildren()) {
      const children = (await this.getChildren(top)).map((n) => {
        const item = this.getTreeItem(n);
        return { label: text(item.label), ...(typeof item.description === 'string' ? { description: item.description } : {}) };
      });
      out.push({ label: text(this.getTreeItem(top).label), children });
    }
    return out;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'category') {
      const item = new vscode.TreeItem(CATEGORY_LABEL[node.category], vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(CATEGORY_ICON[node.category]);
      item.id = `category:${node.category}`;
      return item;
    }
    if (node.kind === 'repository') {
      const item = new vscode.TreeItem(vscode.l10n.t('From this repository'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'group:repository';
      item.iconPath = new vscode.ThemeIcon('repo');
      item.tooltip = vscode.l10n.t(
        "Personas other tools keep in this repository (Claude Code agents and commands, VS Code custom agents and chat modes, Roo Code modes, BMAD agents), imported as they are read. They never replace a built-in or .personas/ persona; shell context lines are never run. In a change review they are read as committed in the change's base.",
      );
      return item;
    }
    if (node.kind === 'memoryGroup') {
      const item = new vscode.TreeItem(vscode.l10n.t('Team Memory'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'group:memory';
      item.iconPath = new vscode.ThemeIcon('book');
      item.tooltip = vscode.l10n.t(
        "The team's decisions per persona (.personas/memory/<persona>.md). Reviews on Claude or a VS Code chat model send each persona its memory as the team's guidance, never as instructions; offline reviews do not read it. The personaReview.projectContext setting turns it off.",
      );
      return item;
    }
    if (node.kind === 'addMemory') {
      const item = new vscode.TreeItem(vscode.l10n.t('Add a decision...'), vscode.TreeItemCollapsibleState.None);
      item.id = 'memory:add';
      item.iconPath = new vscode.ThemeIcon('add');
      item.command = { command: 'personaReview.addMemoryEntry', title: vscode.l10n.t('Add to Team Memory') };
      return item;
    }
    if (node.kind === 'memory') {
      const p = node.persona;
      const m = p.memory!;
      const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
      item.id = `memory:${p.id}`;
      item.iconPath = new vscode.ThemeIcon('note');
      item.description = m.entries === 1 ? vscode.l10n.t('1 entry') : vscode.l10n.t('{0} entries', m.entries);
      item.tooltip = vscode.l10n.t('{0} (~{1} tokens). Click to edit.', m.path, m.tokens);
      item.resourceUri = vscode.Uri.file(`${this.ctx.workspaceRoot}/${m.path}`);
      item.command = { command: 'personaReview.openTeamMemory', title: vscode.l10n.t('Edit Team Memory'), arguments: [p.id] };
      item.contextValue = 'teamMemory';
      return item;
    }
    const p = node.persona;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
    item.id = `persona:${p.id}`;
    item.iconPath = new vscode.ThemeIcon(p.icon);
    item.description = p.reviews ? `@${p.chat}` : vscode.l10n.t('workflow');
    if (p.origin === 'repository' && p.imported) item.description += ` · ${p.imported.format}`;
    const tip = new vscode.MarkdownString(undefined, true);
    // Names and questions of repository personas are the repository's text: escaped, never markup.
    const esc = (t: string) => t.replace(/[\\`*_[\]<>()$!#|~]/g, '\\$&');
    tip.appendMarkdown(`$(${p.icon}) **${esc(p.name)}**\n\n`);
    tip.appendText(p.description);
    if (p.questions.length > 0) tip.appendMarkdown('\n\n' + p.questions.slice(0, 4).map((q) => `- ${esc(q)}`).join('\n'));
    if (p.source) {
      tip.appendMarkdown('\n\n');
      tip.appendText(vscode.l10n.t('From {0}', p.source));
    }
    if (p.imported) {
      tip.appendMarkdown('\n\n');
      tip.appendText(vscode.l10n.t('Imported from {0}: {1}', p.imported.format, p.imported.report.join('; ')));
    }
    if (p.memory?.exists) {
      tip.appendMarkdown('\n\n');
      tip.appendText(vscode.l10n.t('Team memory: {0} entries ({1})', p.memory.entries, p.memory.path));
    }
    tip.isTrusted = false;
    item.tooltip = tip;
    item.contextValue = p.reviews ? 'persona.reviewing' : 'persona';
    return item;
  }
}
