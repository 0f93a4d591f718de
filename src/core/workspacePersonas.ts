/**
 * The personas of a workspace, as every front end loads them: the built-in ones, the workspace's own
 * `.personas/*.md`, and the personas other tools keep in the repository (`.claude/agents`, `.github/agents`,
 * `.roomodes`, ... found by `discoverPersonas` in ./personaImport), listed as coming "from this repository".
 *
 * Workspace and discovered personas are files of the reviewed repository: they load only in a trusted
 * workspace, and in a change review discovered personas are read as committed in the base of the change,
 * so a change cannot bring or edit the persona that reviews it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSensitivePath } from './files';
import { baseCommitOf, listAtCommit, readAtCommit } from './git';
import { builtinPersonaDir, loadPersonas, type LoadedPersona, type PersonaLoadError } from './personas';
import { discoverPersonas, formatImportReport, type DiscoveryReader, type ImportedPersona } from './personaImport';
import type { ReviewTarget } from './types';

/** Where a persona comes from, for lists and the sidebar. */
export type PersonaOrigin = 'built-in' | 'workspace' | 'repository';

/** Options of {@link loadWorkspacePersonas}. */
export interface WorkspacePersonaOptions {
  /** Extra persona folder instead of `<root>/.personas` (CLI `--personas-dir`). */
  personasDir?: string;
  /** False in an untrusted workspace: only the built-in personas load. Default true. */
  trusted?: boolean;
  /** False: do not look for other tools' personas. Default true. */
  discover?: boolean;
  /** The review target: a `git` target reads discovered personas from its base commit. */
  target?: ReviewTarget;
}

/** A discovery reader over the working tree under `root` (sensitive names are never read). */
export function fsDiscoveryReader(root: string): DiscoveryReader {
  return {
    list: async (dir) => readdir(path.join(root, dir)).catch(() => []),
    read: async (rel) => (isSensitivePath(rel) ? undefined : readFile(path.join(root, rel), 'utf8').catch(() => undefined)),
  };
}

/** A discovery reader over `commit` of the repository at `root`. */
export function commitDiscoveryReader(root: string, commit: string): DiscoveryReader {
  return {
    list: async (dir) => listAtCommit(root, commit, dir),
    read: async (rel) => (isSensitivePath(rel) ? undefined : readAtCommit(root, commit, rel)),
  };
}

/**
 * Loads the personas of the workspace at `root`. Returns them (built-ins first, `.personas/` overriding
 * by id, then discovered ones, which never replace another), each one's origin, the load errors (file,
 * field, what was expected) and the import reports of discovered personas. Never throws.
 */
export async function loadWorkspacePersonas(
  root: string,
  opts: WorkspacePersonaOptions = {},
): Promise<{ personas: LoadedPersona[]; origin: Map<string, PersonaOrigin>; errors: PersonaLoadError[]; discovered: ImportedPersona[] }> {
  const trusted = opts.trusted !== false;
  const builtin = builtinPersonaDir();
  const dirs = [builtin];
  if (trusted) dirs.push(opts.personasDir ? path.resolve(root, opts.personasDir) : path.join(root, '.personas'));
  const loaded = await loadPersonas(dirs);
  const origin = new Map<string, PersonaOrigin>();
  for (const p of loaded.personas) origin.set(p.id, p.source.startsWith(builtin) ? 'built-in' : 'workspace');
  let discovered: ImportedPersona[] = [];
  const errors = [...loaded.errors];
  if (trusted && opts.discover !== false) {
    let reader = fsDiscoveryReader(root);
    if (opts.target?.kind === 'git') {
      const commit = await baseCommitOf(root, opts.target.mode, opts.target.base).catch(() => undefined);
      reader = commit ? commitDiscoveryReader(root, commit) : { list: async () => [], read: async () => undefined };
    }
    const found = await discoverPersonas(reader, loaded.personas);
    discovered = found.personas;
    errors.push(...found.errors.map((e) => ({ file: e.file, message: e.message })));
    for (const d of discovered) origin.set(d.persona.id, 'repository');
  }
  return { personas: [...loaded.personas, ...discovered.map((d) => d.persona)], origin, errors, discovered };
}

export { formatImportReport };
