/**
 * The Findings view: the current findings of the latest reviews, grouped by file, then severity, as the
 * server reports them (`personaReview/findingsChanged`, with ranges moved by edits). Clicking a finding
 * reveals its code. Also home of {@link FindingsStore}: the client's view of the server's one finding
 * store, filled from `personaReview/findings` when a client starts and updated by every
 * `findingsChanged`; the panel, the status bar, chat and the Diagnostics filter read it, none keeps findings
 * of its own. The store also holds the suppressed findings the server sends (dismissed for me, for the team,
 * or by an inline comment); the view lists them on demand ("Show Suppressed Findings" in its title bar, the
 * state kept per workspace and shown in the view's description), each with "Un-suppress".
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { FindingsChangedNotification, FindingsRequest, type LiveFinding, type SuppressedLiveFinding } from '../shared/protocol';
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
  private readonly hidden = new Map<string, SuppressedLiveFinding[]>();
  private readonly emitter = this._register(new vscode.EventEmitter<string | undefined>());
  /** Fires with the document URI whose findings changed, or undefined when all did. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    super();
    ctx.onClient((client) => {
      // A (re)started client: whatever the server has now (nothing after a restart) replaces the view.
      client.sendRequest(FindingsRequest.type).then(
        ({ findings, suppressed }) => this.replaceAll(findings, suppressed ?? []),
        () => undefined,
      );
      return [
      client.onNotification(FindingsChangedNotification.type, ({ uri, findings, suppressed }) => this.set(uri, findings, suppressed ?? [])),
      // The client's Diagnostics go when it stops; so do these.
      { dispose: () => this.clear() },
      ];
    });
  }

  /** Replaces every document's findings and suppressed findings (the server's whole store). */
  replaceAll(findings: LiveFinding[], suppressed: SuppressedLiveFinding[] = []): void {
    this.byUri.clear();
    this.hidden.clear();
    for (const f of findings) this.byUri.set(f.uri, [...(this.byUri.get(f.uri) ?? []), f]);
    for (const f of suppressed) this.hidden.set(f.uri, [...(this.hidden.get(f.uri) ?? []), f]);
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

  /** Replaces the findings (and suppressed findings) of one document. */
  set(uri: string, findings: LiveFinding[], suppressed: SuppressedLiveFinding[] = []): void {
    if (findings.length === 0) this.byUri.delete(uri);
    else this.byUri.set(uri, findings);
    if (suppressed.length === 0) this.hidden.delete(uri);
    else this.hidden.set(uri, suppressed);
    for (const f of findings) this.ctx.severities.set(f.fingerprint, f.severity);
    this.ctx.diagnosticFilter.refresh(uri);
    this.emitter.fire(uri);
  }

  /** Forgets every finding. */
  clear(): void {
    this.byUri.clear();
    this.hidden.clear();
    this.emitter.fire(undefined);
  }

  /** Every suppressed finding, by file then line. */
  suppressed(): SuppressedLiveFinding[] {
    return [...this.hidden.values()].flat().sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.startLine - b.range.startLine));
  }

  /** The suppressed finding with this fingerprint (in `uri` when given). */
  findSuppressed(fingerprint: string, uri?: string): SuppressedLiveFinding | undefined {
    if (uri) return this.hidden.get(uri)?.find((f) => f.fingerprint === fingerprint);
    return this.suppressed().find((f) => f.fingerprint === fingerprint);
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
  | { kind: 'finding'; uri: string; finding: LiveFinding }
  | { kind: 'suppressedGroup' }
  | { kind: 'suppressed'; uri: string; finding: SuppressedLiveFinding };

/** Workspace-state key and context key of "Show Suppressed Findings". */
export const SHOW_SUPPRESSED_KEY = 'personaReview.showSuppressed';

/** How the Findings view names why a finding is suppressed. */
export function suppressionLabel(f: SuppressedLiveFinding): string {
  const s = f.suppression;
  if (s.scope === 'me') return vscode.l10n.t('dismissed for me');
  if (s.scope === 'team') return vscode.l10n.t('suppressed for the team');
  return vscode.l10n.t('inline comment');
}

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
    private readonly state?: vscode.Memento,
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(FINDINGS_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this._register(store.onDidChange(() => this.refresh()));
    this._register(personas.onDidChange(() => this.refresh()));
    this.refresh();
  }

  /** True while the view lists the suppressed findings ("Show Suppressed Findings"; kept per workspace). */
  get showingSuppressed(): boolean {
    return this.state?.get<boolean>(SHOW_SUPPRESSED_KEY) === true;
  }

  /** Shows or hides the suppressed findings. */
  async setShowSuppressed(on: boolean): Promise<void> {
    await this.state?.update(SHOW_SUPPRESSED_KEY, on);
    this.refresh();
  }

  private refresh(): void {
    const n = this.store.size;
    this.view.badge = n > 0 ? { value: n, tooltip: n === 1 ? vscode.l10n.t('1 finding') : vscode.l10n.t('{0} findings', n) } : undefined;
    const hidden = this.store.suppressed().length;
    const showing = this.showingSuppressed;
    // The toggle's state, visible without opening a menu.
    this.view.description = showing ? vscode.l10n.t('showing {0} suppressed', hidden) : hidden > 0 ? vscode.l10n.t('{0} suppressed hidden', hidden) : undefined;
    void vscode.commands.executeCommand('setContext', 'personaReview.hasFindings', n > 0);
    void vscode.commands.executeCommand('setContext', SHOW_SUPPRESSED_KEY, showing);
    this.emitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const files: Node[] = this.store.uris().map((uri) => ({ kind: 'file', uri }));
      return this.showingSuppressed && this.store.suppressed().length > 0 ? [...files, { kind: 'suppressedGroup' }] : files;
    }
    if (node.kind === 'suppressedGroup') return this.store.suppressed().map((finding) => ({ kind: 'suppressed', uri: finding.uri, finding }));
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
    if (node.kind === 'suppressedGroup') {
      const item = new vscode.TreeItem(vscode.l10n.t('Suppressed'), vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(this.store.suppressed().length);
      item.iconPath = new vscode.ThemeIcon('eye-closed');
      item.tooltip = vscode.l10n.t('Findings dismissed for you, suppressed for the team (.persona-review/suppressions.yaml) or by an inline comment. Un-suppress one to bring it back in every view.');
      item.contextValue = 'suppressedGroup';
      item.id = 'suppressed';
      return item;
    }
    if (node.kind === 'suppressed') {
      const f = node.finding;
      const s = f.suppression;
      const item = new vscode.TreeItem(f.title, vscode.TreeItemCollapsibleState.None);
      item.description = `${vscode.workspace.asRelativePath(vscode.Uri.parse(node.uri), false)}:${f.range.startLine} · ${suppressionLabel(f)}`;
      const tip = new vscode.MarkdownString(undefined, true);
      tip.appendMarkdown(`**${SEVERITY_LABEL[f.severity]}** · ${f.category} · ${suppressionLabel(f)}\n\n`);
      if (s.reason) tip.appendText(`${vscode.l10n.t('Reason:')} ${s.reason}\n`);
      if (s.author) tip.appendText(`${vscode.l10n.t('By {0} on {1}', s.author, s.date ?? '?')}\n`);
      if (s.expires) tip.appendText(`${vscode.l10n.t('Until {0}', s.expires)}\n`);
      if (s.location) tip.appendText(`${s.location.file}:${s.location.line}\n`);
      tip.isTrusted = false;
      tip.supportHtml = false;
      item.tooltip = tip;
      item.iconPath = new vscode.ThemeIcon('eye-closed');
      item.contextValue = `suppressed.${s.scope}`;
      item.id = `suppressed:${node.uri}:${f.fingerprint}`;
      item.command = { command: 'personaReview.revealFinding', title: vscode.l10n.t('Reveal Finding'), arguments: [node.uri, f.fingerprint] };
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
