/**
 * Team memory for the clients (core src/core/memory.ts): `personaReview/teamMemoryFile` makes sure a
 * persona's `.personas/memory/<id>.md` exists (from the template) so the editor can open it, and
 * `personaReview/addMemoryEntry` appends a dated entry, such as the reason a finding was dismissed for the
 * team. Both write into the workspace, so both refuse in an untrusted workspace (Restricted Mode), where the
 * memory would not be read either.
 */
import { readFile } from 'node:fs/promises';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { appendMemoryEntry, countMemoryEntries, ensureMemoryFile } from '../core/memory';
import type { LoadedPersona } from '../core/personas';
import type { AddMemoryEntryParams } from '../shared/protocol';
import type { ServerLog } from './log';
import { loadServerPersonas, type PersonaSources } from './personas';

/** The reviewing persona `id`, or an InvalidParams error naming the known ones; InvalidRequest when untrusted. */
async function reviewingPersona(sources: PersonaSources, id: unknown): Promise<LoadedPersona> {
  if (sources.trusted === false) {
    throw new ResponseError(ErrorCodes.InvalidRequest, 'This workspace is in Restricted Mode: team memory is neither read nor written until you trust it.');
  }
  if (typeof id !== 'string' || id === '') throw new ResponseError(ErrorCodes.InvalidParams, 'personaId: expected a persona id, e.g. "security"');
  const { personas } = await loadServerPersonas(sources);
  const p = personas.find((x) => x.id === id && x.reviews);
  if (!p) {
    const known = personas.filter((x) => x.reviews).map((x) => x.id);
    throw new ResponseError(ErrorCodes.InvalidParams, `no reviewing persona "${id}"; known: ${known.join(', ')}`);
  }
  return p;
}

/** Handles `personaReview/teamMemoryFile`: the memory file's absolute path, created from the template when missing. */
export async function teamMemoryFile(sources: PersonaSources, params: { personaId: string }, log: ServerLog): Promise<{ path: string; created: boolean }> {
  const persona = await reviewingPersona(sources, params?.personaId);
  const r = await ensureMemoryFile(sources.workspaceRoot, persona).catch((e: unknown) => {
    throw new ResponseError(ErrorCodes.InternalError, `could not create the team memory of ${persona.name}: ${(e as Error).message}`);
  });
  if (r.created) log.info(`team memory of ${persona.id} created: ${r.file}`);
  return { path: r.file, created: r.created };
}

/** Handles `personaReview/addMemoryEntry`: appends the entry, answers with the file and its entry count. */
export async function addMemoryEntry(sources: PersonaSources, params: AddMemoryEntryParams, log: ServerLog): Promise<{ path: string; entries: number }> {
  const persona = await reviewingPersona(sources, params?.personaId);
  if (typeof params.text !== 'string' || params.text.trim() === '') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'text: a memory entry needs the decision or the reason, in a sentence');
  }
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const about = str(params.about);
  const by = str(params.by);
  let file: string;
  try {
    file = await appendMemoryEntry(sources.workspaceRoot, persona, { text: params.text, ...(about ? { about } : {}), ...(by ? { by } : {}) });
  } catch (e) {
    throw new ResponseError(ErrorCodes.InternalError, `could not add to the team memory of ${persona.name}: ${(e as Error).message}`);
  }
  log.info(`team memory of ${persona.id}: entry added${about ? ` on ${about}` : ''}`);
  const entries = countMemoryEntries(await readFile(file, 'utf8').catch(() => ''));
  return { path: file, entries };
}
