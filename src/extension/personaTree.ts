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
  process: 'Process',
  design: 'Design & Architecture',
  quality: 'Quality',
  security: 'Security',
  performance: 'Performance',
  operations: 'Operations',
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
          .showWarningMessage(`Persona Review: ${errors.length} persona file${errors.length === 1 ? '' : 's'} could not be loaded. ${first.message}`, 'Show Log')
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

type Node = { kind: 'category'; category: PersonaCategory } | { kind: 'persona'; persona: PersonaInfo };

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

  constructor(private readonly store: PersonaStore, ctx: Ctx) {
    super();
    const view = this._register(vscode.window.createTreeView(PERSONAS_VIEW, { treeDataProvider: this }));
    this._register(store.onDidChange(() => this.emitter.fire(undefined)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (ctx.config.affects(e, 'enabledPersonas')) this.emitter.fire(undefined);
      }),
    );
    const describe = () => {
      view.message = ctx.trusted ? undefined : 'Restricted Mode: built-in personas only; reviews run offline and send nothing.';
    };
    describe();
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(describe));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      // Opening the view starts the server; an error is shown by the welcome view (serverState == failed).
      await this.store.load().catch(() => undefined);
      const present = new Set(this.store.enabled.map((p) => p.category));
      return this.store.categories.filter((c) => present.has(c)).map((category) => ({ kind: 'category', category }));
    }
    if (node.kind === 'category') return this.store.enabled.filter((p) => p.category === node.category).map((persona) => ({ kind: 'persona', persona }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'category') {
      const item = new vscode.TreeItem(CATEGORY_LABEL[node.category], vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(CATEGORY_ICON[node.category]);
      item.id = `category:${node.category}`;
      return item;
    }
    const p = node.persona;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
    item.id = `persona:${p.id}`;
    item.iconPath = new vscode.ThemeIcon(p.icon);
    item.description = p.reviews ? `@${p.chat}` : 'workflow';
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`$(${p.icon}) **${p.name}**\n\n`);
    tip.appendText(p.description);
    if (p.questions.length > 0) tip.appendMarkdown('\n\n' + p.questions.slice(0, 4).map((q) => `- ${q.replace(/[\\`*_[\]<>]/g, '\\$&')}`).join('\n'));
    tip.isTrusted = false;
    item.tooltip = tip;
    item.contextValue = p.reviews ? 'persona.reviewing' : 'persona';
    return item;
  }
}
