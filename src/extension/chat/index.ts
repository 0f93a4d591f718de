/**
 * The personas in VS Code Chat: one chat participant per persona, `@team` and `@workflow`
 * (./participants.ts, ./workflowParticipant.ts), the followups after an answer (./followups.ts), the
 * `persona_review` Language Model Tool (./tool.ts), the "Apply fix" button's command, and the VS Code chat
 * models the language server runs reviews on (./chatModel.ts). Everything that reviews, explains or renders
 * goes to the language server; this folder streams its answers with anchors and buttons.
 */
import * as vscode from 'vscode';
import { markWalkthroughStep } from '../walkthrough';
import type { Finding } from '../../core/types';
import { COMMON_COMMAND_NAMES } from '../../shared/defaults';
import { Disposable, errorMessage } from '../ctx';
import { toVsRange } from '../findingsTree';
import { followups, PARTICIPANT_PREFIX, type ChatTurnMetadata } from './followups';
import { APPLY_FINDING_FIX_COMMAND, PersonaParticipants, type ChatDeps } from './participants';
import { PERSONA_REVIEW_TOOL, createTool, type PersonaReviewToolInput } from './tool';
import { handleWorkflow } from './workflowParticipant';

export { APPLY_FINDING_FIX_COMMAND } from './participants';
export type { ChatTurnMetadata } from './followups';
export type { PersonaReviewToolInput } from './tool';

/** What the extension's test API exposes about chat (PERSONA_REVIEW_TEST=1). */
export interface ChatTestApi {
  /** The participants this extension created: id and the commands its handler knows. */
  participants(): Array<{ id: string; name: string; commands: string[] }>;
  /** Calls a participant's handler directly (a ChatResponseStream-shaped recorder works as `stream`). */
  handle(participantId: string, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult>;
  /** The followups a participant offers after `result`. */
  followups(participantId: string, result: vscode.ChatResult, context: vscode.ChatContext): vscode.ChatFollowup[];
  /** The tool object registered with vscode.lm.registerTool. */
  tool: vscode.LanguageModelTool<PersonaReviewToolInput>;
  /** True when vscode.lm.registerTool existed and accepted the tool. */
  toolRegistered: boolean;
}

interface DeclaredParticipant {
  id: string;
  name: string;
  commands?: Array<{ name: string }>;
}

/** Registers the participants, the followup provider, the tool and the Apply-fix command; their lifetime is the extension's. */
export function registerChat(deps: ChatDeps): ChatTestApi {
  const chat = new Chat(deps);
  deps.ctx.pushExtCleanup(chat);
  return chat.api();
}

class Chat extends Disposable {
  private readonly declared: DeclaredParticipant[];
  private readonly created = new Map<string, vscode.ChatParticipant>();
  private readonly personas: PersonaParticipants;
  private readonly tool: vscode.LanguageModelTool<PersonaReviewToolInput>;
  private toolRegistered = false;

  constructor(private readonly d: ChatDeps) {
    super();
    this.personas = new PersonaParticipants(d);
    const pkg = d.ctx.extension.extension.packageJSON as { contributes?: { chatParticipants?: DeclaredParticipant[] } };
    this.declared = pkg.contributes?.chatParticipants ?? [];
    const canChat = typeof vscode.chat?.createChatParticipant === 'function';
    for (const p of this.declared) {
      if (!canChat) break;
      const participant = vscode.chat.createChatParticipant(p.id, (req, ctx, stream, token) => this.handle(p.id, req, ctx, stream, token));
      participant.iconPath = vscode.Uri.joinPath(d.ctx.extension.extensionUri, 'media', 'persona-review.svg');
      participant.followupProvider = { provideFollowups: (result) => followups(p.id, result) };
      this.created.set(p.id, this._register(participant));
    }
    this._register(
      d.personas.onDidChange(() => {
        for (const [id, participant] of this.created) {
          const persona = this.personas.personaFor(id);
          if (persona) participant.iconPath = new vscode.ThemeIcon(persona.icon);
        }
      }),
    );
    this.tool = createTool(d.ctx, d.personas, d.reviews);
    if (typeof vscode.lm?.registerTool === 'function') {
      try {
        this._register(vscode.lm.registerTool(PERSONA_REVIEW_TOOL, this.tool));
        this.toolRegistered = true;
      } catch (e) {
        d.ctx.log.warn(`The persona_review tool could not be registered: ${errorMessage(e)}`);
      }
    }
    this._register(vscode.commands.registerCommand(APPLY_FINDING_FIX_COMMAND, (arg: unknown) => this.applyFix(arg)));
  }

  api(): ChatTestApi {
    return {
      participants: () =>
        [...this.created.keys()].map((id) => {
          const decl = this.declared.find((p) => p.id === id)!;
          return { id, name: decl.name, commands: (decl.commands ?? []).map((c) => c.name).filter((c) => this.knows(id, c)) };
        }),
      handle: (id, req, ctx, stream, token) => this.handle(id, req, ctx, stream, token),
      followups: (id, result) => followups(id, result),
      tool: this.tool,
      toolRegistered: this.toolRegistered,
    };
  }

  /** True when the handler of participant `id` handles `/command`. */
  private knows(id: string, command: string): boolean {
    if ((COMMON_COMMAND_NAMES as readonly string[]).includes(command)) return true;
    if (id === `${PARTICIPANT_PREFIX}workflow`) return ['run', 'status'].includes(command);
    // Persona commands: a document of their own shape (core src/core/documents) or the generic one.
    return id !== `${PARTICIPANT_PREFIX}team`;
  }

  private async handle(participantId: string, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    markWalkthroughStep('asked');
    if (participantId !== `${PARTICIPANT_PREFIX}workflow`) return this.personas.handle(participantId, request, context, stream, token);
    const meta: ChatTurnMetadata = { participant: participantId, command: request.command ?? '', personaIds: [], findings: [], uris: {} };
    try {
      return await handleWorkflow(this.d.ctx, request, stream, meta);
    } catch (e) {
      meta.failure = errorMessage(e);
      stream.markdown(new vscode.MarkdownString(`**${vscode.l10n.t('Persona Review could not answer:')}** ${meta.failure.replace(/[\\`*_[\]<>|~!]/g, '\\$&')}`));
      return { metadata: meta };
    }
  }

  /**
   * Applies a finding's fix, only while the code at its range still equals the quote. Uses the language
   * server's own quick fix for it when there is one (the same WorkspaceEdit as the light bulb), else the
   * replacement the chat showed. Returns true when an edit was applied.
   */
  private async applyFix(arg: unknown): Promise<boolean> {
    const a = arg as { uri?: string; fingerprint?: string; range?: Finding['range']; quote?: string; replacement?: string } | undefined;
    if (!a?.uri || !a.range || typeof a.quote !== 'string') return false;
    const uri = vscode.Uri.parse(a.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const live = a.fingerprint ? this.d.findings.find(a.fingerprint, a.uri) : undefined;
    const range = toVsRange(live?.range ?? a.range, doc);
    if (doc.getText(range) !== (live?.quote ?? a.quote)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Persona Review: the code of this finding changed since the review, so the fix was not applied. Review the file again.'));
      return false;
    }
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
    const serverFix = actions.find((x) => x.edit && x.isPreferred && (x.diagnostics ?? []).some((d) => d.range.isEqual(range)));
    let edit = serverFix?.edit;
    if (!edit && typeof a.replacement === 'string') {
      edit = new vscode.WorkspaceEdit();
      edit.replace(uri, range, a.replacement);
    }
    if (!edit) return false;
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preserveFocus: false });
    return ok;
  }
}
