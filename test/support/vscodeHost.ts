/**
 * Helpers for the extension-host suites (test/vscode/suite/*.test.ts; kept out of that folder because
 * the runner loads every file there as a suite): they run inside a real VS Code
 * extension host with the real `vscode` API (code-server here, @vscode/test-electron elsewhere), so they
 * only use what any host provides. Waiting is by polling with a deadline, never a bare sleep.
 *
 * The fake Anthropic Messages API: when the runner passes `FAKE_ANTHROPIC_CONTROL_URL` (test/vscode/
 * harness.ts: `POST /script`, `GET /requests`, `POST /reset`) and sets the user setting
 * `personaReview.baseURL`, that one is used; otherwise a fake is started here, in the extension host, and
 * the user setting is pointed at it (so the same tests run under any runner).
 */
import * as vscode from 'vscode';
import type { PersonaReviewTestApi } from '../../src/extension/main';
import { startFakeAnthropic, type FakeAnthropic, type FakeRequest, type FakeStep } from './fakeAnthropic';

/** The extension's id (package.json publisher.name). */
export const EXTENSION_ID = 'persona-review.persona-review';

/** Activates the extension and returns its test API (exported when PERSONA_REVIEW_TEST=1). */
export async function extensionApi(): Promise<{ api: PersonaReviewTestApi; extension: vscode.Extension<unknown> }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  const api = (await extension.activate()) as PersonaReviewTestApi | undefined;
  if (!api) throw new Error('the extension exported no test API: the host must run with PERSONA_REVIEW_TEST=1');
  return { api, extension };
}

/** Polls `probe` every 100 ms until it returns a value other than undefined/false; throws after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A file of the test workspace (the first workspace folder). */
export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test host opened no workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Opens a workspace file in an editor and returns it. */
export async function openFile(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** Throws with `message` unless `cond`. */
export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** The fake Messages API as a test sees it. */
export interface Fake {
  script(...steps: FakeStep[]): Promise<void>;
  requests(): Promise<FakeRequest[]>;
  reset(): Promise<void>;
}

let local: FakeAnthropic | undefined;

/** The fake: the runner's (through its control URL) or one started in this host; see the module comment. */
export async function fakeApi(): Promise<Fake> {
  const control = process.env.FAKE_ANTHROPIC_CONTROL_URL;
  if (control) {
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${control}${route}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
      if (!res.ok) throw new Error(`fake control ${method} ${route}: HTTP ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };
    return {
      script: async (...steps) => void (await call('POST', '/script', steps)),
      requests: async () => (await call('GET', '/requests')) as FakeRequest[],
      reset: async () => void (await call('POST', '/reset')),
    };
  }
  if (!local) {
    local = await startFakeAnthropic();
    await vscode.workspace.getConfiguration('personaReview').update('baseURL', local.url, vscode.ConfigurationTarget.Global);
  }
  const fake = local;
  return {
    script: async (...steps) => fake.script(...steps),
    requests: async () => [...fake.requests],
    reset: async () => void (fake.requests.length = 0),
  };
}

/** Diagnostics of `uri` whose source names `persona` (a persona's display name). */
export function diagnosticsFrom(uri: vscode.Uri, persona: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => (d.source ?? '').split(' + ').includes(persona));
}
