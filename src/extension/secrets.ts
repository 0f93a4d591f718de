/**
 * The Anthropic API key, kept only in VS Code's SecretStorage (the OS keychain where there is one); never
 * in settings, logs or messages. Read when a review that uses Claude starts, and handed to the server in
 * that request only (src/shared/protocol.ts `ReviewParams.apiKey`).
 */
import * as vscode from 'vscode';

/** SecretStorage key of the API key. */
const KEY = 'personaReview.anthropicApiKey';

/** Access to the stored API key. */
export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The stored key, or undefined when none is set. */
  async apiKey(): Promise<string | undefined> {
    const k = (await this.storage.get(KEY))?.trim();
    return k ? k : undefined;
  }

  /** Stores `key` (trimmed); an empty key deletes it. */
  async setApiKey(key: string | undefined): Promise<void> {
    const k = key?.trim();
    if (k) await this.storage.store(KEY, k);
    else await this.storage.delete(KEY);
  }

  /** Fires when the key was set or cleared (in this window or another). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.storage.onDidChange((e) => {
      if (e.key === KEY) listener();
    });
  }

  /** Asks for a key in a password box and stores it. Returns true when one was stored. */
  async promptAndStore(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Persona Review: Anthropic API Key'),
      prompt: vscode.l10n.t('Stored in VS Code SecretStorage (your OS keychain), never in settings. Reviews then use Claude when personaReview.provider is "anthropic".'),
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const t = v.trim();
        if (t === '') return vscode.l10n.t('Enter the key, or press Escape to cancel.');
        if (/\s/.test(t)) return vscode.l10n.t('An API key has no spaces or line breaks; check what was pasted.');
        return undefined;
      },
    });
    if (key === undefined) return false;
    await this.setApiKey(key);
    return true;
  }
}
