/**
 * Team memory (seed 001, "Self-Evolution Protocol": the persona keeps what it learns in `beliefs.md`):
 * one short markdown file per persona, `.personas/memory/<persona-id>.md`, holding the team's decisions
 * for that reviewer ("we use parameterised queries through knex; raw SQL in migrations is reviewed by
 * hand"). It goes with the persona's review in the shared, cached part of the request
 * (`buildTeamContextBlock` in `./providers/prompt`), framed as the team's guidance, never as code or as
 * instructions to obey; a memory over its token budget is cut with a notice.
 *
 * Entries are added by people: by hand, with `persona-review memory add`, or offered by the editor after
 * a suppression "for the team" or a dismiss with a reason ({@link appendMemoryEntry}).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceReader } from './projectContext';
import { readGuidanceDoc } from './projectContext';
import { estimateTokens } from './tokens';
import type { GuidanceDoc, Persona } from './types';

/** The folder of the memory files, relative to the workspace root. */
export const MEMORY_DIR = '.personas/memory';

/** Default budget of one persona's memory, in estimated Claude tokens. */
export const DEFAULT_MEMORY_BUDGET = 1000;

/** A persona's memory file, root-relative with forward slashes (`.personas/memory/security.md`). */
export function memoryPath(personaId: string): string {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(personaId)) throw new Error(`"${personaId}" is not a persona id (kebab-case expected)`);
  return `${MEMORY_DIR}/${personaId}.md`;
}

/**
 * Loads the memory of each persona through `reader` (see `workspaceReader` in ./projectContext), each
 * redacted and cut to `budget` tokens. Returns the memories by persona id and notices naming what was
 * sent and what was cut. Personas without a memory file are simply absent. Never throws.
 */
export async function loadTeamMemory(
  reader: WorkspaceReader,
  personas: readonly Pick<Persona, 'id' | 'name'>[],
  budget = DEFAULT_MEMORY_BUDGET,
): Promise<{ memory: Record<string, GuidanceDoc>; notices: string[] }> {
  const memory: Record<string, GuidanceDoc> = {};
  const sent: string[] = [];
  const notices: string[] = [];
  for (const p of personas) {
    let rel: string;
    try {
      rel = memoryPath(p.id);
    } catch {
      continue;
    }
    const doc = await readGuidanceDoc(reader, rel, budget);
    // A file that holds only the template (a heading and its intro, as the editor creates it) says nothing yet.
    if (!doc || !hasMemoryEntries(doc.text)) continue;
    const { redactions, ...kept } = doc;
    memory[p.id] = kept;
    sent.push(`${p.name} (${rel}, ~${doc.tokens.toLocaleString('en-US')} tokens)`);
    if (doc.fullTokens > doc.tokens) {
      notices.push(
        `Team memory of ${p.name} is ~${doc.fullTokens.toLocaleString('en-US')} tokens, over its budget of ${budget.toLocaleString('en-US')}: only its first ~${doc.tokens.toLocaleString('en-US')} tokens were sent. Shorten ${rel}.`,
      );
    }
    if (redactions > 0) notices.push(`Redacted ${redactions} secret${redactions === 1 ? '' : 's'} in ${rel} before sending.`);
  }
  if (sent.length > 0) notices.unshift(`Team memory sent as the team's guidance: ${sent.join(', ')}.`);
  return { memory, notices };
}

/**
 * The text of a new memory file for `persona`: a heading and one line saying what the file is for. The
 * same text starts the file {@link appendMemoryEntry} creates and the one the editor opens
 * ({@link ensureMemoryFile}).
 */
export function memoryTemplate(persona: Pick<Persona, 'name'>): string {
  return `# Team memory: ${persona.name}\n\n${memoryIntro(persona)}\n\n`;
}

function memoryIntro(persona: Pick<Persona, 'name'>): string {
  return `Decisions the team has made that the ${persona.name} should know when reviewing. One per line.`;
}

/**
 * True when a memory text says something beyond the template: any line that is not blank, a markdown
 * heading, an HTML comment or the template's intro sentence.
 */
export function hasMemoryEntries(text: string): boolean {
  const withoutComments = text.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  return withoutComments.split('\n').some((line) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('#') && !/^Decisions the team has made that the .+ should know when reviewing\. One per line\.$/.test(t);
  });
}

/** Counts the entries of a memory text: its list items (`- `, `* `, `+ `, `1. `), or 1 for prose without a list. */
export function countMemoryEntries(text: string): number {
  if (!hasMemoryEntries(text)) return 0;
  const items = text.split('\n').filter((l) => /^\s*(?:[-*+]|\d+[.)])\s+\S/.test(l)).length;
  return items > 0 ? items : 1;
}

/** What the sidebar shows of one persona's memory. */
export interface MemoryStatus {
  /** Root-relative path of the memory file, forward slashes (`.personas/memory/security.md`). */
  path: string;
  /** True when the file exists. */
  exists: boolean;
  /** Its entries ({@link countMemoryEntries}); 0 when absent or only the template. */
  entries: number;
  /** Estimated Claude tokens of the file as it is (over {@link DEFAULT_MEMORY_BUDGET} it is cut when sent). */
  tokens: number;
}

/**
 * The memory file of each of `personaIds` under `root` (the working tree): whether it exists, how many
 * entries it has and its size in estimated tokens. Ids that are not kebab-case are left out. Never throws.
 */
export async function memoryStatus(root: string, personaIds: readonly string[]): Promise<Record<string, MemoryStatus>> {
  const out: Record<string, MemoryStatus> = {};
  await Promise.all(
    personaIds.map(async (id) => {
      let rel: string;
      try {
        rel = memoryPath(id);
      } catch {
        return;
      }
      const text = await readFile(path.join(path.resolve(root), ...rel.split('/')), 'utf8').catch(() => undefined);
      out[id] = { path: rel, exists: text !== undefined, entries: text === undefined ? 0 : countMemoryEntries(text), tokens: text === undefined ? 0 : estimateTokens(text) };
    }),
  );
  return out;
}

/**
 * Makes sure the persona's memory file exists under `root`, creating `.personas/memory/` and the file from
 * {@link memoryTemplate} when missing (an existing file is never touched). Returns its absolute path and
 * whether it was created. Throws Error for an invalid persona id, and the file system's error when the
 * folder cannot be written.
 */
export async function ensureMemoryFile(root: string, persona: Pick<Persona, 'id' | 'name'>): Promise<{ file: string; created: boolean }> {
  const file = path.join(path.resolve(root), ...memoryPath(persona.id).split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, memoryTemplate(persona), { flag: 'wx' });
    return { file, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { file, created: false };
    throw e;
  }
}

/** One entry to add to a persona's memory. */
export interface MemoryEntry {
  /** The decision or reason, one or more sentences of plain markdown (line breaks are folded into spaces). */
  text: string;
  /** Who added it (shown in the entry). */
  by?: string;
  /** What it is about, e.g. a rule id or finding category (`security/sql-injection`). */
  about?: string;
  /** When, default now; written as an ISO 8601 date (YYYY-MM-DD, UTC). */
  date?: Date;
}

/**
 * Appends `entry` to the persona's memory file under `root` (creating `.personas/memory/` and the file
 * with a heading when missing) as one list item: `- 2025-05-01, alice, on security/sql-injection: text`.
 * Returns the file's absolute path. Throws Error for an empty text or an invalid persona id.
 */
export async function appendMemoryEntry(root: string, persona: Pick<Persona, 'id' | 'name'>, entry: MemoryEntry): Promise<string> {
  const text = entry.text.replace(/\s+/g, ' ').trim();
  if (!text) throw new Error('a memory entry needs a text: the decision or the reason, in a sentence');
  const file = path.join(path.resolve(root), ...memoryPath(persona.id).split('/'));
  let current = '';
  try {
    current = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    current = memoryTemplate(persona);
  }
  const date = (entry.date ?? new Date()).toISOString().slice(0, 10);
  const meta = [date, entry.by?.trim(), entry.about?.trim() ? `on ${entry.about.trim()}` : undefined].filter(Boolean).join(', ');
  const line = `- ${meta}: ${text}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, (current === '' || current.endsWith('\n') ? current : current + '\n') + line);
  return file;
}
