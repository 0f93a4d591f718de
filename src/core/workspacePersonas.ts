/**
 * The personas of a workspace, as every front end loads them: the built-in ones, the workspace's own
 * `.personas/*.md`, and the personas other tools keep in the repository (`.claude/agents`, `.github/agents`,
 * `.roomodes`, ... found by `discoverPersonas` in ./personaImport), listed as coming "from this repository".
 *
 * Workspace and discovered personas are files of the reviewed repository: they load only in a trusted
 * workspace, and in a change review both are read as committed in the base of the change, so a change
 * cannot bring or edit the persona that reviews it (src/core/trust.ts says which files that affected).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSensitivePath } from './files';
import { baseCommitOf, listAtCommit, readAtCommit } from './git';
import { builtinPersonaDir, definitionReaderAt, DISK_READER, loadPersonas, type LoadedPersona, type PersonaLoadError } from './personas';
import { discoverPersonas, formatImportReport, type DiscoveryReader, type ImportedPersona } from './personaImport';
import type { ReviewTarget } from './types';

/** Where a persona comes from, for lists and the sidebar. */
export type PersonaOrigin = 'built-in' | 'workspace' | 'repository';

/** Options of {@link loadWorkspacePersonas}. */
export interface WorkspacePersonaOptions {
  /** Extra persona folder instead of `<root>/.personas` (CLI `--personas-dir`). */
  personasDir?: string;
  /**
   * Workspace persona folders (absolute, or relative to `root`) instead of `<root>/.personas`, in order: a
   * later folder's persona replaces an earlier one's with the same id (the editor's
   * `personaReview.personaFolders`). Takes precedence over {@link personasDir}; `[]` loads none.
   */
  personaDirs?: readonly string[];
  /** Folder of the built-in personas instead of the one shipped beside this module (core `builtinPersonaDir`). */
  builtinDir?: string;
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
  const builtin = opts.builtinDir ? path.resolve(opts.builtinDir) : builtinPersonaDir();
  const dirs = [builtin];
  const own = opts.personaDirs
    ? opts.personaDirs.map((d) => path.resolve(root, d))
    : [opts.personasDir ? path.resolve(root, opts.personasDir) : path.join(root, '.personas')];
  if (trusted) dirs.push(...own);
  // In a change review the workspace's persona folders (those inside the repository) are read as committed
  // in the change's base, like the discovered personas below: a change cannot edit the persona that reviews it.
  const commit = opts.target?.kind === 'git' ? await baseCommitOf(root, opts.target.mode, opts.target.base).catch(() => undefined) : undefined;
  const inRepo = own.filter((d) => {
    const rel = path.relative(path.resolve(root), d);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  const loaded = await loadPersonas(dirs, opts.target?.kind === 'git' && inRepo.length > 0 ? definitionReaderAt(path.resolve(root), commit, inRepo) : DISK_READER);
  const origin = new Map<string, PersonaOrigin>();
  for (const p of loaded.personas) origin.set(p.id, p.source.startsWith(builtin) ? 'built-in' : 'workspace');
  let discovered: ImportedPersona[] = [];
  const errors = [...loaded.errors];
  if (trusted && opts.discover !== false) {
    let reader = fsDiscoveryReader(root);
    if (opts.target?.kind === 'git') reader = commit ? commitDiscoveryReader(root, commit) : { list: async () => [], read: async () => undefined };
    const found = await discoverPersonas(reader, loaded.personas);
    discovered = found.personas;
    errors.push(...found.errors.map((e) => ({ file: e.file, message: e.message })));
    for (const d of discovered) origin.set(d.persona.id, 'repository');
  }
  return { personas: [...loaded.personas, ...discovered.map((d) => d.persona)], origin, errors, discovered };
}

export { formatImportReport };
