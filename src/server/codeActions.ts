/**
 * `textDocument/codeAction` for finding Diagnostics (LSP 3.17 §textDocument_codeAction). Per finding in
 * the requested range:
 * - "Apply suggested fix: …" (quickfix, preferred): a versioned edit replacing exactly the finding's
 *   current range with `suggestion.replacement`, offered only while the text there still equals the quote
 *   the review saw. The edit names the document version it was computed for, so a client refuses it when
 *   the document changed in between. It is applied only when the user picks it: the server never sends
 *   `workspace/applyEdit`.
 * - "Dismiss finding": runs the server's own `ServerCommands.dismissFinding` with `{ uri, fingerprint }`
 *   (`workspace/executeCommand`), so it works in any LSP client.
 * - "Dismiss for the team...": runs {@link DISMISS_FOR_TEAM_COMMAND} with `{ uri, fingerprint }`, only for a
 *   client that runs it itself (the VS Code extension asks for the reason, then calls `ServerCommands.suppressFinding`).
 * - "Explain in review panel": runs {@link EXPLAIN_FINDING_COMMAND} with `{ uri, fingerprint, findingId }`,
 *   only for a client that said it runs that command itself (`InitializationOptions.clientCommands`, the VS
 *   Code extension); any other client gets "Explain finding", the server's `ServerCommands.explainFinding`
 *   (the explanation comes back as `window/showMessage`).
 * Every action lists the Diagnostic it is about (`diagnostics: [d]`). All three are of kind `quickfix`, so
 * VS Code shows them in the light bulb and in the Problems panel.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DISMISS_FOR_TEAM_COMMAND, EXPLAIN_FINDING_COMMAND, ServerCommands, type DiagnosticData } from '../shared/protocol';
import { hasApplicableFix, toDiagnostic } from './diagnostics';
import type { FindingStore, TrackedFinding } from './findings';

/** Arguments of the "Explain in review panel" command. */
export interface ExplainFindingArgs {
  uri: string;
  fingerprint: string;
  findingId: string;
}

/** Arguments of the "Dismiss finding" and "Explain finding" server commands (the same shape as `DismissFindingNotification`). */
export interface DismissFindingArgs {
  uri: string;
  fingerprint: string;
}

/** Longest part of a fix description shown in the action title, in characters. */
const TITLE_MAX = 80;

function isDiagnosticData(x: unknown): x is DiagnosticData {
  return typeof x === 'object' && x !== null && typeof (x as DiagnosticData).fingerprint === 'string';
}

function intersects(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function fixTitle(t: TrackedFinding): string {
  const desc = (t.finding.suggestion?.description ?? t.finding.title).replace(/\s+/g, ' ').trim();
  const cut = desc.length > TITLE_MAX ? `${desc.slice(0, TITLE_MAX - 1).trimEnd()}…` : desc;
  return `Apply suggested fix: ${cut}`;
}

/**
 * The code actions for `params` in `document`. Findings are those of the Diagnostics the client sent in
 * `params.context.diagnostics` (matched by fingerprint in `Diagnostic.data`) plus the store's findings
 * that intersect `params.range`; a Diagnostic whose finding is gone (edited away, dismissed) gets nothing.
 * Honours `params.context.only`. `supportsDocumentChanges`: the client accepts versioned edits
 * (`workspace.workspaceEdit.documentChanges`); otherwise a plain `changes` edit is sent. `clientCommands`:
 * the commands the client runs itself (from its initialization options).
 */
export function codeActions(params: CodeActionParams, document: TextDocument | undefined, store: FindingStore, supportsDocumentChanges: boolean, clientCommands: ReadonlySet<string> = new Set()): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const uri = params.textDocument.uri;
  const picked = new Map<string, { t: TrackedFinding; d: Diagnostic }>();
  for (const d of params.context.diagnostics) {
    if (!isDiagnosticData(d.data)) continue;
    const t = store.find(uri, d.data.fingerprint);
    if (t && !picked.has(t.finding.fingerprint)) picked.set(t.finding.fingerprint, { t, d });
  }
  for (const t of store.findings(uri)) {
    if (!picked.has(t.finding.fingerprint) && intersects(t.range, params.range)) picked.set(t.finding.fingerprint, { t, d: toDiagnostic(t) });
  }

  const actions: CodeAction[] = [];
  for (const { t, d } of picked.values()) {
    const f = t.finding;
    if (document && hasApplicableFix(f) && document.getText(t.range) === f.quote) {
      const edit = { range: t.range, newText: f.suggestion!.replacement! };
      const workspaceEdit: WorkspaceEdit = supportsDocumentChanges
        ? { documentChanges: [{ textDocument: { uri, version: document.version }, edits: [edit] }] }
        : { changes: { [uri]: [edit] } };
      actions.push({ title: fixTitle(t), kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [d], edit: workspaceEdit });
    }
    const dismiss: DismissFindingArgs = { uri, fingerprint: f.fingerprint };
    actions.push({
      title: 'Dismiss finding',
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Dismiss finding', command: ServerCommands.dismissFinding, arguments: [dismiss] },
    });
    if (clientCommands.has(DISMISS_FOR_TEAM_COMMAND)) {
      actions.push({
        title: 'Dismiss for the team...',
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: 'Dismiss for the team...', command: DISMISS_FOR_TEAM_COMMAND, arguments: [dismiss] },
      });
    }
    const explain: ExplainFindingArgs = { uri, fingerprint: f.fingerprint, findingId: f.id };
    const inPanel = clientCommands.has(EXPLAIN_FINDING_COMMAND);
    const title = inPanel ? 'Explain in review panel' : 'Explain finding';
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title, command: inPanel ? EXPLAIN_FINDING_COMMAND : ServerCommands.explainFinding, arguments: [explain] },
    });
  }
  return actions;
}
