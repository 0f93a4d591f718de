/**
 * "Review with Proposed Personas...": automatic routing in VS Code (seed 000, open question 1, option C).
 * The language server reads the target's code locally (nothing is sent) and proposes the personas it needs
 * and why (`personaReview/proposePersonas`, core routing); a multi-select quick pick shows every reviewing
 * persona with the proposed ones ticked and their reasons, so the user changes the set before the team
 * review runs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RoutedPersona } from '../core/routing';
import { ProposePersonasRequest, type ReviewSummary } from '../shared/protocol';
import { errorMessage, type Ctx } from './ctx';
import type { PersonaStore } from './personaTree';
import type { Reviews } from './review';

/** Arguments for callers that skip the quick pick (tests): review these workspace-relative paths with the proposal as is. */
export interface ReviewProposedArgs {
  paths: string[];
  accept: true;
}

/** What the command resolves with: the proposal, the personas that ran, and the review's summary. */
export interface ReviewProposedResult {
  proposal: RoutedPersona[];
  personas: string[];
  summary?: ReviewSummary;
}

function isArgs(x: unknown): x is ReviewProposedArgs {
  return !!x && typeof x === 'object' && Array.isArray((x as ReviewProposedArgs).paths) && (x as ReviewProposedArgs).accept === true;
}

/** Registers `personaReview.reviewProposed`; returns its disposable. */
export function registerRouting(ctx: Ctx, reviews: Reviews, personas: PersonaStore): vscode.Disposable {
  return vscode.commands.registerCommand('personaReview.reviewProposed', async (arg?: unknown): Promise<ReviewProposedResult | undefined> => {
    const root = ctx.workspaceRoot;
    let rel: string[];
    if (isArgs(arg)) rel = arg.paths;
    else {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Persona Review: open a file (or pick one in the Explorer) to get proposed personas for it.'));
        return undefined;
      }
      rel = [path.relative(root, uri.fsPath) || '.'];
    }
    try {
      await personas.load();
      const reviewing = personas.reviewing;
      const target = { kind: 'paths' as const, uris: rel.map((r) => vscode.Uri.file(path.resolve(root, r)).toString()) };
      const client = await ctx.ensureClient();
      const proposal = (await client.sendRequest(ProposePersonasRequest.type, { target })).personas.filter((p) => reviewing.length === 0 || reviewing.some((x) => x.id === p.personaId));
      let chosen = proposal.map((p) => p.personaId);
      if (!isArgs(arg)) {
        type Item = vscode.QuickPickItem & { id?: string };
        const proposed = new Map(proposal.map((p) => [p.personaId, p]));
        const items: Item[] = [{ label: vscode.l10n.t('Proposed for this code'), kind: vscode.QuickPickItemKind.Separator }];
        for (const r of proposal) {
          const p = personas.get(r.personaId);
          if (p) items.push({ id: p.id, label: `$(${p.icon}) ${p.name}`, description: `@${p.chat}`, detail: r.reasons.join('; '), picked: true });
        }
        items.push({ label: vscode.l10n.t('Other personas'), kind: vscode.QuickPickItemKind.Separator });
        for (const p of reviewing) if (!proposed.has(p.id)) items.push({ id: p.id, label: `$(${p.icon}) ${p.name}`, description: `@${p.chat}`, detail: p.description });
        const picked = await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('Persona Review: proposed personas for {0}', rel.join(', ')),
          placeHolder: vscode.l10n.t('Ticked personas were proposed from what the code contains (reasons below each); change the set, then press Enter'),
          canPickMany: true,
          matchOnDetail: true,
        });
        if (!picked || picked.length === 0) return undefined;
        chosen = picked.flatMap((i) => (i.id ? [i.id] : []));
      }
      ctx.log.info(`Proposed personas for ${rel.join(', ')}: ${proposal.map((p) => `${p.personaId} (${p.reasons.join('; ')})`).join(', ')}`);
      const summary = await reviews.run({ personas: chosen, target, targetLabel: rel.join(', ') });
      return { proposal, personas: chosen, ...(summary ? { summary } : {}) };
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Persona Review: {0}', errorMessage(e)));
      return undefined;
    }
  });
}
