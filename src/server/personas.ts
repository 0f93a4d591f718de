/**
 * Persona loading for the server: the built-in folder named in the client's initialization options
 * (else the one shipped beside the bundle, core `builtinPersonaDir`), then the workspace folders it lists.
 * Loaded afresh for each request, so edits to `.personas/*.md` apply without a restart.
 */
import { builtinPersonaDir, loadPersonas, type LoadedPersona, type PersonaLoadError } from '../core/personas';
import type { PersonaInfo } from '../shared/protocol';

/** Where personas come from (from `InitializationOptions`). */
export interface PersonaSources {
  builtinPersonaDir?: string;
  personaDirs: string[];
}

/** Loads every persona; bad files are reported in `errors` (file, field, message) and never stop the others. */
export async function loadServerPersonas(sources: PersonaSources): Promise<{ personas: LoadedPersona[]; errors: PersonaLoadError[] }> {
  return loadPersonas([sources.builtinPersonaDir || builtinPersonaDir(), ...sources.personaDirs]);
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
