/**
 * Any other persona command: the findings, and the persona's questions as what is left to verify.
 */
import { countLine, severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';

/** Any other persona command: the findings, and the persona's questions as what is left to verify. */
export function renderGenericCommand(input: CommandInput): string {
  const out = [`## /${input.command}: ${escapeInline(input.targetLabel)}`, '', `The ${escapeInline(input.personaName)} ran the offline rules: ${countLine(input.findings)}.`, ''];
  for (const f of sortFindings(input.findings)) out.push(`- ${severityLabel(f.severity)}: ${escapeInline(f.title)} at ${inlineCode(formatLocation(f))}`);
  if (input.questions.length) out.push('', '### To verify', '', ...input.questions.map((q) => `- ${escapeInline(q)}`));
  out.push('', 'With Claude or the chat model (setting `personaReview.chatModel`), this command writes a full answer instead of this checklist.');
  return out.join('\n');
}
