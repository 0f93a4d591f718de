/**
 * VS Code entry point. The editor integration (language server client, persona sidebar, commands,
 * review panel, chat participants) is built on top of the engine in src/core; this module is the only
 * place that imports `vscode` (DESIGN.md, "Module boundaries"). Until that lands, activation only sets
 * up the log channel, and the engine is usable through the `persona-review` CLI.
 */
import * as vscode from 'vscode';

/** Called by VS Code on the first activation event. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Persona Review', { log: true });
  context.subscriptions.push(log);
  log.info('Persona Review activated');
}

/** Called by VS Code on shutdown; everything is disposed through context.subscriptions. */
export function deactivate(): void {}
