/**
 * The `persona_review` Language Model Tool for agent mode (`#personaReview`; its input schema is in
 * package.json `contributes.languageModelTools`). Reviews files or line ranges as the given personas through
 * the language server, like any review (Diagnostics, the panel), and returns the findings as text a model
 * can read. Before code goes to Claude or a chat model it asks for confirmation; offline it says nothing
 * leaves the machine.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/types';
import type { Ctx } from '../ctx';
import type { PersonaStore } from '../personaTree';
import type { Reviews, ReviewSpec } from '../review';
import { escapeMd, md } from './participants';

/** The language model tool's name (package.json `contributes.languageModelTools`). */
export const PERSONA_REVIEW_TOOL = 'persona_review';

/** Input of the `persona_review` tool (its JSON schema is in package.json). */
export interface PersonaReviewToolInput {
  personas: string[];
  files?: string[];
  ranges?: Array<{ file: string; startLine: number; endLine: number }>;
}

/** The tool object registered with `vscode.lm.registerTool`. */
export function createTool(ctx: Ctx, personas: PersonaStore, reviews: Reviews): vscode.LanguageModelTool<PersonaReviewToolInput> {
  const targets = (input: PersonaReviewToolInput): Array<Omit<ReviewSpec, 'personas'>> => {
    const root = ctx.workspaceRoot;
    const uri = (p: string) => vscode.Uri.file(path.isAbsolute(p) ? p : path.resolve(root, p));
    const out: Array<Omit<ReviewSpec, 'personas'>> = [];
    const files = (input.files ?? []).filter((f) => typeof f === 'string' && f.trim() !== '');
    if (files.length > 0) out.push({ target: { kind: 'paths', uris: files.map((f) => uri(f).toString()) }, targetLabel: files.join(', ') });
    for (const r of input.ranges ?? []) {
      if (!r || typeof r.file !== 'string') continue;
      const startLine = Math.max(1, Math.floor(r.startLine));
      const endLine = Math.max(startLine, Math.floor(r.endLine));
      out.push({ target: { kind: 'document', uri: uri(r.file).toString(), range: { startLine, endLine } }, targetLabel: `${r.file}:${startLine}-${endLine}` });
    }
    return out;
  };
  return {
    prepareInvocation: async ({ input }) => {
      const choice = await reviews.chooseProvider();
      choice.pin?.dispose();
      const what = targets(input).map((t) => t.targetLabel).join('; ') || vscode.l10n.t('nothing');
      const who = (input.personas ?? []).map((id) => personas.displayName(id)).join(', ') || vscode.l10n.t('no persona');
      if (choice.provider === 'offline') return { invocationMessage: vscode.l10n.t('Reviewing {0} as {1} offline (built-in rules; nothing leaves this machine)', what, who) };
      const where = choice.provider === 'anthropic' ? vscode.l10n.t('the Anthropic API (model {0})', `\`${escapeMd(ctx.config.model)}\``) : vscode.l10n.t('the VS Code chat model');
      return {
        invocationMessage: choice.provider === 'anthropic' ? vscode.l10n.t('Reviewing {0} as {1} with Claude', what, who) : vscode.l10n.t('Reviewing {0} as {1} with a chat model', what, who),
        confirmationMessages: {
          title: choice.provider === 'anthropic' ? vscode.l10n.t('Send code to Claude for a Persona Review?') : vscode.l10n.t('Send code to the chat model for a Persona Review?'),
          message: md(vscode.l10n.t('{0} will be sent (secrets redacted) to {1} for a review as {2}.', escapeMd(what), where, escapeMd(who))),
        },
      };
    },
    invoke: async ({ input }, token) => {
      const text = (s: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);
      await personas.load().catch(() => undefined);
      const known = new Set(personas.reviewing.map((p) => p.id));
      const ids = (input.personas ?? []).filter((id) => typeof id === 'string');
      const unknown = ids.filter((id) => known.size > 0 && !known.has(id));
      if (ids.length === 0 || unknown.length > 0) {
        return text(`persona_review: ${ids.length === 0 ? 'no persona given' : `unknown persona ${unknown.join(', ')}`}. Use one or more of: ${[...known].join(', ')}.`);
      }
      const list = targets(input);
      if (list.length === 0) return text('persona_review: give `files` (workspace-relative paths) or `ranges` ({ file, startLine, endLine }, 1-based) to review.');
      const all: Finding[] = [];
      const notes: string[] = [];
      let provider = 'offline';
      for (const t of list) {
        const outcome = await reviews.runWithOutcome({ personas: ids, ...t, chat: { firstId: all.length + 1, full: false } }, { quiet: true, token });
        provider = outcome.provider;
        if (outcome.cancelled) return text('persona_review: the review was cancelled.');
        if (outcome.failure) notes.push(`${t.targetLabel}: ${outcome.failure}`);
        for (const e of outcome.summary?.errors ?? []) notes.push(`${e.personaId}: ${e.message}`);
        all.push(...(outcome.summary?.chat?.items ?? []).map((i) => i.finding));
      }
      const counts = ['critical', 'high', 'medium', 'low'].map((s) => [s, all.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
      const count = all.length === 0 ? 'no findings' : `${all.length} finding${all.length === 1 ? '' : 's'} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`;
      const lines = [`Persona Review (${provider}) as ${ids.join(', ')} of ${list.map((t) => t.targetLabel).join('; ')}: ${count}.`];
      for (const n of notes) lines.push(`NOTE: ${n}`);
      for (const f of all) {
        lines.push(
          '',
          `[${f.id}] ${f.severity.toUpperCase()} ${f.file}:${f.range.startLine}${f.range.endLine > f.range.startLine ? `-${f.range.endLine}` : ''} (${f.personaIds.join(' + ')}; ${f.ruleId ?? f.category})`,
          `title: ${f.title}`,
          `message: ${f.message.replace(/\s+/g, ' ').trim()}`,
          `quote: ${JSON.stringify(f.quote)}`,
        );
        if (f.suggestion) lines.push(`fix: ${f.suggestion.description}${f.suggestion.replacement !== undefined ? ` | replacement: ${JSON.stringify(f.suggestion.replacement)}` : ''}`);
        if (f.references.length) lines.push(`references: ${f.references.join(', ')}`);
      }
      return text(lines.join('\n'));
    },
  };
}
