/**
 * Persona loading for the server, as every front end loads them (core src/core/workspacePersonas.ts): the
 * built-in folder named in the client's initialization options (else the one shipped beside the bundle,
 * core `builtinPersonaDir`), then the workspace folders it lists, then the personas other tools keep in the
 * repository (Claude Code agents and command personas, VS Code agents and chat modes, Roo, BMAD; core
 * `discoverPersonas`), which never replace another. The workspace's files load only in a trusted workspace,
 * and in a change review they are read as committed in the change's base. Loaded afresh for each request, so
 * edits apply without a restart.
 */
import path from 'node:path';
import { memoryStatus } from '../core/memory';
import type { LoadedPersona, PersonaLoadError } from '../core/personas';
import { formatImportReport, type ImportedPersona } from '../core/personaImport';
import type { ReviewTarget } from '../core/types';
import { loadWorkspacePersonas, type PersonaOrigin } from '../core/workspacePersonas';
import type { PersonaInfo } from '../shared/protocol';

/** Where personas come from (from `InitializationOptions`). */
export interface PersonaSources {
  /** Absolute path of the workspace root: discovered personas and memory files are looked for under it. */
  workspaceRoot: string;
  builtinPersonaDir?: string;
  /** The workspace persona folders (absolute). */
  personaDirs: string[];
  /** False in Restricted Mode: only the built-in personas load. Default true. */
  trusted?: boolean;
}

/** The personas of the workspace, with each one's origin and, for discovered ones, its import. */
export interface ServerPersonas {
  personas: LoadedPersona[];
  origin: Map<string, PersonaOrigin>;
  discovered: ImportedPersona[];
  /** Bad files (file, field, message); they never stop the others. */
  errors: PersonaLoadError[];
}

/**
 * Loads every persona for a review of `target` (a `git` target reads the workspace's files from its base
 * commit; none: the working tree). Never throws.
 */
export async function loadServerPersonas(sources: PersonaSources, target?: ReviewTarget): Promise<ServerPersonas> {
  const { personas, origin, errors, discovered } = await loadWorkspacePersonas(sources.workspaceRoot, {
    builtinDir: sources.builtinPersonaDir || undefined,
    personaDirs: sources.personaDirs,
    trusted: sources.trusted !== false,
    ...(target ? { target } : {}),
  });
  return { personas, origin, discovered, errors };
}

/**
 * The UI's view of every persona in `loaded`: everything but the prompt, with where each comes from and,
 * in a trusted workspace, the state of each reviewing persona's team memory file.
 */
export async function personaInfos(loaded: ServerPersonas, sources: PersonaSources): Promise<PersonaInfo[]> {
  const root = sources.workspaceRoot;
  const memory = sources.trusted === false ? {} : await memoryStatus(root, loaded.personas.filter((p) => p.reviews).map((p) => p.id));
  const imports = new Map(loaded.discovered.map((d) => [d.persona.id, d]));
  return loaded.personas.map((p) => {
    const origin = loaded.origin.get(p.id) ?? 'built-in';
    const imp = imports.get(p.id);
    const info = toPersonaInfo(p);
    info.origin = origin;
    if (origin !== 'built-in') info.source = workspaceRelative(root, imp?.source ?? p.source);
    if (imp) info.imported = { format: imp.format, report: formatImportReport(imp).split('\n').slice(1).map((l) => l.trim()) };
    if (memory[p.id]) info.memory = memory[p.id];
    return info;
  });
}

/** The UI's view of a persona: everything but the prompt and the source path. */
export function toPersonaInfo(p: LoadedPersona): PersonaInfo {
  return {
    id: p.id,
    name: p.name,
    shortName: p.shortName,
    description: p.description,
    category: p.category,
    icon: p.icon,
    chat: p.chat,
    commands: p.commands.map((c) => ({ name: c.name, description: c.description })),
    questions: [...p.questions],
    reviews: p.reviews,
  };
}

/** `file` relative to `root` with forward slashes when it is inside; as it is otherwise. */
function workspaceRelative(root: string, file: string): string {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}
