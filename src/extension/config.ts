/**
 * The extension's settings as one typed object over `workspace.getConfiguration` (after rust-analyzer's
 * `config.ts`): every raw key appears once, here; the rest of the extension reads typed getters. The
 * declarations (types, defaults, descriptions, scopes) are in package.json `contributes.configuration`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SEVERITIES, type Severity } from '../core/types';

/** The settings section; every key below is under it. */
export const SECTION = 'personaReview';

/** Which review backend the settings ask for. */
export type ProviderSetting = 'anthropic' | 'offline';

/** Default Claude model (the same as the CLI's, src/core/providers/anthropic.ts `DEFAULT_MODEL`). */
export const DEFAULT_MODEL = 'claude-sonnet-4-6';
/** Default maximum output tokens per request (the CLI's default). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/**
 * Settings whose change needs the language server restarted: they go to the server in its
 * `initializationOptions` (src/shared/protocol.ts `InitializationOptions`). Every other setting is read
 * per review, or (minimumSeverity) applied by the client.
 */
export const RESTART_SETTINGS: readonly string[] = [`${SECTION}.personaFolders`];

/** Typed, read-through access to the `personaReview.*` settings. Cheap to keep: reads on every get. */
export class Config {
  private get raw(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** `anthropic` (Claude when an API key is set, otherwise offline) or `offline`. Default `anthropic`. */
  get provider(): ProviderSetting {
    return this.raw.get<string>('provider') === 'offline' ? 'offline' : 'anthropic';
  }

  /** Claude model id. */
  get model(): string {
    const m = this.raw.get<string>('model')?.trim();
    return m ? m : DEFAULT_MODEL;
  }

  /** Maximum output tokens per request (a positive integer). */
  /** Estimated USD above which a Claude review asks before it runs (`personaReview.costBudget`, default 1). */
  get costBudget(): number {
    const n = this.raw.get<number>('costBudget');
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 1;
  }

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
    return (SEVERITIES as readonly string[]).includes(v ?? '') ? (v as Severity) : 'low';
  }

  /** Gitignore-style globs (relative to the workspace root) a review is limited to; empty = everything. */
  get include(): string[] {
    return stringList(this.raw.get('include'));
  }

  /** Gitignore-style globs (relative to the workspace root) a review skips. */
  get exclude(): string[] {
    return stringList(this.raw.get('exclude'));
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
