/**
 * What a chat turn remembers and what comes next: the metadata each answer keeps (its findings, so later
 * turns can refer to them), the findings of earlier turns, whether a prompt asks about an earlier answer,
 * and the followups offered after an answer (explain the worst finding, ask @security or @sre, run the
 * pre-merge workflow).
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/types';
import { SEVERITIES } from '../../shared/severity';

/** Participant id prefix: `personaReview.sre` is `@sre`. */
export const PARTICIPANT_PREFIX = 'personaReview.';

/** What a chat turn keeps in `ChatResult.metadata`, so later turns (history) can refer to its findings. */
export interface ChatTurnMetadata {
  participant: string;
  command: string;
  personaIds: string[];
  /** The findings shown, numbered `F1`… across the conversation. */
  findings: Finding[];
  /** Workspace-relative file of each finding → its URI string. */
  uris: Record<string, string>;
  /** The provider that answered: `offline`, `anthropic` or `vscode-lm` (a chat model). */
  provider?: string;
  /** The model that answered, when one did. */
  model?: string;
  /** Set when the turn failed (shown as a chat message). */
  failure?: string;
}

/** Findings of earlier turns of this session answered by Persona Review participants (oldest first). */
export function previousFindings(context: vscode.ChatContext): { findings: Finding[]; uris: Record<string, string> } {
  const findings: Finding[] = [];
  const uris: Record<string, string> = {};
  for (const turn of context.history) {
    if (!(turn instanceof vscode.ChatResponseTurn) && !('result' in turn)) continue;
    const meta = (turn as vscode.ChatResponseTurn).result?.metadata as Partial<ChatTurnMetadata> | undefined;
    if (!meta || !Array.isArray(meta.findings)) continue;
    findings.push(...meta.findings);
    Object.assign(uris, meta.uris ?? {});
  }
  return { findings, uris };
}

/** True for prompts that ask about an earlier answer rather than for a new review. */
export function looksLikeFollowUp(prompt: string): boolean {
  return /\b(this|it|that|why|how|explain|what does|F\d+|finding)\b|\?\s*$/i.test(prompt) && !/\b(review|check) (this|the) (file|code|selection)\b/i.test(prompt);
}

/** The most severe finding of a turn (first by severity, then file and line). */
function worst(findings: readonly Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine)[0];
}

/** The followups offered after a turn of participant `participantId`: none after a failure. */
export function followups(participantId: string, result: vscode.ChatResult): vscode.ChatFollowup[] {
  const meta = result.metadata as ChatTurnMetadata | undefined;
  const out: vscode.ChatFollowup[] = [];
  if (!meta || meta.failure) return out;
  const top = worst(meta.findings);
  const p = PARTICIPANT_PREFIX;
  if (top && meta.command !== 'explain') out.push({ prompt: `Why is ${top.id} a problem, and how do I fix it?`, command: 'explain', label: vscode.l10n.t('Explain {0}: {1}', top.id, top.title) });
  if (participantId !== `${p}security` && participantId !== `${p}workflow`) {
    out.push({ prompt: top ? `Is ${top.file} safe? Check it for vulnerabilities.` : 'Check this code for vulnerabilities.', participant: `${p}security`, command: 'review', label: vscode.l10n.t('Ask @security about this') });
  }
  if (participantId !== `${p}sre` && participantId !== `${p}workflow`) out.push({ prompt: 'Is this ready for production?', participant: `${p}sre`, command: 'readiness', label: vscode.l10n.t('Ask @sre for a readiness review') });
  out.push({ prompt: 'pre-merge', participant: `${p}workflow`, command: 'run', label: vscode.l10n.t('Run the pre-merge workflow') });
  return out;
}
