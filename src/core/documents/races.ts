/**
 * Shared state and races (`/races`): each race with its interleaving and fix.
 */
import { sortFindings } from '../render/chat';
import { escapeInline, fencedBlock, formatLocation, inlineCode, languageTag } from '../render/markdown';
import { sanitizeInline } from '../../shared/markdownSafety';
import type { CommandInput } from './index';

export function renderRaces(input: CommandInput): string {
  const out = [`## Shared state and races: ${escapeInline(input.targetLabel)}`, ''];
  const sorted = sortFindings(input.findings);
  if (sorted.length === 0) out.push('The offline rules found no race in this code. Still check: module-level variables written by request handlers, check-then-act on files or rows, and promises not awaited.');
  sorted.forEach((f, i) => {
    out.push(
      `### ${i + 1}. ${escapeInline(f.title)} (${inlineCode(formatLocation(f))})`,
      '',
      fencedBlock(f.quote, languageTag(f.file)),
      '',
      '- Interleaving: caller A reads the state; caller B reads the same state; both act on what they read; the later write wins and the earlier one is lost (or both pass a check only one should).',
      `- Effect: ${sanitizeInline(f.message.split('\n')[0] ?? '')}`,
      `- Fix: ${escapeInline(f.suggestion?.description ?? 'make the read and the write one atomic step (a lock, a transaction, a compare-and-set or a single owner of the state)')}`,
      '',
    );
  });
  return out.join('\n');
}
