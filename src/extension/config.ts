/**
 * The extension's settings as one typed object over `workspace.getConfiguration` (after rust-analyzer's
 * `config.ts`): every raw key appears once, here; the rest of the extension reads typed getters. The
 * declarations (types, defaults, descriptions, scopes) are in package.json `contributes.configuration`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MODEL } from '../shared/defaults';
import { isSeverity, type Severity } from '../shared/severity';

/** The settings section; every key below is under it. */
export const SECTION = 'personaReview';

/** Which review backend the settings ask for (`auto`: Claude with a key, else an allowed chat model, else offline). */
export type ProviderSetting = 'auto' | 'offline' | 'anthropic' | 'vscode-lm';

const PROVIDER_SETTINGS: readonly ProviderSetting[] = ['auto', 'offline', 'anthropic', 'vscode-lm'];

/**
 * Settings whose change needs the language server restarted: they go to the server in its
 * `initializationOptions` (src/shared/protocol.ts `InitializationOptions`). Every other setting is read
 * per review, applied by the client (minimumSeverity), or synchronised to the server (reviewOnSave).
 */
export const RESTART_SETTINGS: readonly string[] = [`${SECTION}.personaFolders`];

/** Typed, read-through access to the `personaReview.*` settings. Cheap to keep: reads on every get. */
export class Config {
  private get raw(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** `auto` (default), `offline`, `anthropic` or `vscode-lm`; the old value `anthropic` keeps its meaning. */
  get provider(): ProviderSetting {
    const v = this.raw.get<string>('provider');
    return PROVIDER_SETTINGS.includes(v as ProviderSetting) ? (v as ProviderSetting) : 'auto';
  }

  /** Claude model id. */
  get model(): string {
    const m = this.raw.get<string>('model')?.trim();
    return m ? m : DEFAULT_MODEL;
  }

  /** The VS Code chat model id for the `vscode-lm` provider; undefined: the first one available. */
  get languageModel(): string | undefined {
    const m = this.raw.get<string>('languageModel')?.trim();
    return m ? m : undefined;
  }

  /** Stores the chat model id picked with "Select Chat Model..." (user settings). */
  async setLanguageModel(id: string | undefined): Promise<void> {
    await this.raw.update('languageModel', id ?? '', vscode.ConfigurationTarget.Global);
  }

  /** Estimated USD above which a Claude review asks before it runs (`personaReview.costBudget`, default 1). */
  get costBudget(): number {
    const n = this.raw.get<number>('costBudget');
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 1;
  }

  /** Maximum output tokens per request (a positive integer). */
  get maxOutputTokens(): number {
    const n = this.raw.get<number>('maxOutputTokens');
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_OUTPUT_TOKENS;
  }

  /**
   * The Messages API base URL, or undefined for Anthropic's own. Declared with `application` scope, and
   * read here from the user (global) value only, so a workspace's settings can never redirect requests
   * that carry the API key. Only http(s) URLs are accepted.
   */
  get baseURL(): string | undefined {
    const v = this.raw.inspect<string>('baseURL')?.globalValue?.trim();
    if (!v) return undefined;
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Persona ids shown in the sidebar and offered in quick picks; empty = all. */
  get enabledPersonas(): string[] {
    return stringList(this.raw.get('enabledPersonas'));
  }

  /** Findings below this severity are not shown as Diagnostics (they stay in the panel). */
  get minimumSeverity(): Severity {
    const v = this.raw.get<string>('minimumSeverity');
    return isSeverity(v) ? v : 'low';
  }

  /** Gitignore-style globs (relative to the workspace root) a review is limited to; empty = everything. */
  get include(): string[] {
    return stringList(this.raw.get('include'));
  }

  /** Gitignore-style globs (relative to the workspace root) a review skips. */
  get exclude(): string[] {
    return stringList(this.raw.get('exclude'));
  }

  /** `personaReview.reviewOnSave`: false, true (the default personas) or persona ids. */
  get reviewOnSave(): boolean | string[] {
    const v = this.raw.get<unknown>('reviewOnSave');
    return Array.isArray(v) ? stringList(v) : v === true;
  }

  /**
   * `personaReview.projectContext` (default true): reviews on a model get the project guidance files and each
   * persona's team memory as the team's guidance. Synchronised to the server (`ServerClientSettings`).
   */
  get projectContext(): boolean {
    return this.raw.get<boolean>('projectContext') !== false;
  }

  /**
   * `personaReview.offline.depth`: `precise` (default) or `thorough` (also size, complexity and coupling
   * measures). Synchronised to the server (`ServerClientSettings.offline`); another value reads as `precise`.
   */
  get offlineDepth(): 'precise' | 'thorough' {
    return this.raw.get<string>('offline.depth') === 'thorough' ? 'thorough' : 'precise';
  }

  /**
   * `personaReview.baseline`: a baseline file (workspace-relative or absolute) editor reviews are compared
   * with; empty: none. A restricted setting (package.json `restrictedConfigurations`): in Restricted Mode
   * VS Code ignores the workspace's value, and the server uses no baseline at all. Synchronised to the server.
   */
  get baseline(): string {
    return this.raw.get<string>('baseline')?.trim() ?? '';
  }

  /** Workspace persona folders (relative to the workspace root, or absolute), resolved against `root`. */
  personaFolders(root: string): string[] {
    const v = this.raw.get<unknown>('personaFolders');
    const list = Array.isArray(v) ? stringList(v) : ['.personas'];
    return list.map((p) => path.resolve(root, p));
  }

  /** True when `event` changed a setting that needs the language server restarted. */
  needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
    return RESTART_SETTINGS.some((k) => event.affectsConfiguration(k));
  }

  /** True when `event` changed any Persona Review setting, or the given one (`minimumSeverity`, ...). */
  affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}
