/**
 * The Findings view: the current findings of the latest reviews, grouped by file, then severity, as the
 * server reports them (`personaReview/findingsChanged`, with ranges moved by edits). Clicking a finding
 * reveals its code. Also home of {@link FindingsStore}: the client's view of the server's one finding
 * store, filled from `personaReview/findings` when a client starts and updated by every
 * `findingsChanged`; the panel, the status bar, chat and the Diagnostics filter read it, none keeps findings
 * of its own.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { FindingsChangedNotification, FindingsRequest, type LiveFinding } from '../shared/protocol';
import { SEVERITIES, type Severity } from '../shared/severity';
import { Disposable, type Ctx } from './ctx';
import type { PersonaStore } from './personaTree';

/** View id (package.json `contributes.views`). */
export const FINDINGS_VIEW = 'personaReview.findings';

/** Label and theme icon per severity (the Problems panel's colours). */
export const SEVERITY_LABEL: Record<Severity, string> = { critical: vscode.l10n.t('Critical'), high: vscode.l10n.t('High'), medium: vscode.l10n.t('Medium'), low: vscode.l10n.t('Low') };
const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  high: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  medium: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  low: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

/** The current findings per document URI, as the server's store has them. */
export class FindingsStore extends Disposable {
  private readonly byUri = new Map<string, LiveFinding[]>();
  private readonly emitter = this._register(new vscode.EventEmitter<string | undefined>());
  /** Fires with the document URI whose findings changed, or undefined when all did. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    super();
    ctx.onClient((client) => {
      // A (re)started client: whatever the server has now (nothing after a restart) replaces the view.
      client.sendRequest(FindingsRequest.type).then(
        ({ findings }) => this.replaceAll(findings),
        () => undefined,
      );
      return [
      client.onNotification(FindingsChangedNotification.type, ({ uri, findings }) => this.set(uri, findings)),
      // The client's Diagnostics go when it stops; so do these.
      { dispose: () => this.clear() },
      ];
    });
  }

  /** Replaces every document's findings (the server's whole store). */
  replaceAll(findings: LiveFinding[]): void {
    this.byUri.clear();
    for (const f of findings) this.byUri.set(f.uri, [...(this.byUri.get(f.uri) ?? []), f]);
    for (const f of findings) this.ctx.severities.set(f.fingerprint, f.severity);
    this.ctx.diagnosticFilter.refresh();
    this.emitter.fire(undefined);
  }

  /** Every current finding. */
  all(): LiveFinding[] {
    return [...this.byUri.values()].flat();
  }

  /** Current findings counted by severity. */
  countsBySeverity(): Record<Severity, number> {
    const c: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const f of this.all()) c[f.severity]++;
    return c;
  }

  /** Replaces the findings of one document. */
  set(uri: string, findings: LiveFinding[]): void {
    if (findings.length === 0) this.byUri.delete(uri);
    else this.byUri.set(uri, findings);
    for (const f of findings) this.ctx.severities.set(f.fingerprint, f.severity);
    this.ctx.diagnosticFilter.refresh(uri);
    this.emitter.fire(uri);
  }

  /** Forgets every finding. */
  clear(): void {
    this.byUri.clear();
    this.emitter.fire(undefined);
  }

  /** Document URIs with findings, sorted. */
  uris(): string[] {
    return [...this.byUri.keys()].sort();
  }

  /** The findings of one document (empty when none). */
  get(uri: string): LiveFinding[] {
    return this.byUri.get(uri) ?? [];
  }

  /** The finding with this fingerprint (in `uri` when given). */
  find(fingerprint: string, uri?: string): LiveFinding | undefined {
    if (uri) return this.byUri.get(uri)?.find((f) => f.fingerprint === fingerprint);
    for (const list of this.byUri.values()) {
      const f = list.find((x) => x.fingerprint === fingerprint);
      if (f) return f;
    }
    return undefined;
  }

  /** Number of findings in all documents. */
  get size(): number {
    let n = 0;
    for (const list of this.byUri.values()) n += list.length;
    return n;
  }
}

/** A 1-based Finding range as a VS Code range; whole lines when the finding has no columns. */
export function toVsRange(range: Finding['range'], doc?: vscode.TextDocument): vscode.Range {
  const startLine = Math.max(0, range.startLine - 1);
  const endLine = Math.max(startLine, range.endLine - 1);
  const startChar = range.startColumn !== undefined ? Math.max(0, range.startColumn - 1) : 0;
  let endChar: number;
  if (range.endColumn !== undefined) endChar = Math.max(0, range.endColumn - 1);
  else if (doc && endLine < doc.lineCount) endChar = doc.lineAt(endLine).text.length;
  else endChar = Number.MAX_SAFE_INTEGER;
  const r = new vscode.Range(startLine, startChar, endLine, endChar);
  return doc ? doc.validateRange(r) : r;
}

/** Opens `uri` and selects `range` (1-based Finding range), keeping focus where asked. */
export async function revealRange(uri: vscode.Uri, range: Finding['range'], preserveFocus = false): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const r = toVsRange(range, doc);
  await vscode.window.showTextDocument(doc, { selection: r, preserveFocus, preview: true });
}

type Node =
  | { kind: 'file'; uri: string }
  | { kind: 'severity'; uri: string; severity: Severity }
  | { kind: 'finding'; uri: string; finding: LiveFinding };

/** A finding node as tree-item commands receive it (inline and context actions). */
export interface FindingNode {
  kind: 'finding';
  uri: string;
  finding: LiveFinding;
}

/** Tree data for the Findings view. */
export class FindingsTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly emitter = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<Node>;

  constructor(
    private readonly store: FindingsStore,
    private readonly personas: PersonaStore,
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(FINDINGS_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this._register(store.onDidChange(() => this.refresh()));
    this._register(personas.onDidChange(() => this.refresh()));
    this.refresh();
  }

  private refresh(): void {
    const n = this.store.size;
    this.view.badge = n > 0 ? { value: n, tooltip: n === 1 ? vscode.l10n.t('1 finding') : vscode.l10n.t('{0} findings', n) } : undefined;
    void vscode.commands.executeCommand('setContext', 'personaReview.hasFindings', n > 0);
    this.emitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.store.uris().map((uri) => ({ kind: 'file', uri }));
    if (node.kind === 'file') {
      const present = new Set(this.store.get(node.uri).map((f) => f.severity));
      return SEVERITIES.filter((s) => present.has(s)).map((severity) => ({ kind: 'severity', uri: node.uri, severity }));
    }
    if (node.kind === 'severity') {
      return this.store
        .get(node.uri)
        .filter((f) => f.severity === node.severity)
        .sort((a, b) => a.range.startLine - b.range.startLine)
        .map((finding) => ({ kind: 'finding', uri: node.uri, finding }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'file') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      const n = this.store.get(node.uri).length;
      item.description = `${vscode.workspace.asRelativePath(uri, false)} · ${n}`;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = 'findingsFile';
      item.id = `file:${node.uri}`;
      return item;
    }
    if (node.kind === 'severity') {
      const item = new vscode.TreeItem(SEVERITY_LABEL[node.severity], vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(this.store.get(node.uri).filter((f) => f.severity === node.severity).length);
      item.iconPath = SEVERITY_ICON[node.severity];
      item.id = `sev:${node.uri}:${node.severity}`;
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(f.title, vscode.TreeItemCollapsibleState.None);
    const names = (f.personaNames.length ? f.personaNames : f.personaIds.map((id) => this.personas.displayName(id))).join(', ');
    item.description = `${vscode.l10n.t('Ln {0}', f.range.startLine)} · ${names}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${SEVERITY_LABEL[f.severity]}** · ${f.category} · ${names}\n\n`);
    tip.appendMarkdown(f.message);
    if (f.suggestion?.description) tip.appendMarkdown(`\n\n**${vscode.l10n.t('Suggested fix:')}** ${f.suggestion.description}`);
    tip.isTrusted = false;
    tip.supportHtml = false;
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon('circle-small-filled');
    item.contextValue = f.hasFix ? 'finding.fixable' : 'finding';
    item.id = `finding:${node.uri}:${f.fingerprint}`;
    item.command = { command: 'personaReview.revealFinding', title: vscode.l10n.t('Reveal Finding'), arguments: [node.uri, f.fingerprint] };
    return item;
  }
}
