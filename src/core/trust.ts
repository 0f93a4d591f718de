/**
 * The persona and workflow files of the reviewed workspace: which are in effect, what they override, and
 * where they were read from. Files of the reviewed repository never weaken the review of a change to
 * themselves (HELPERS.md security rules; issue 11 "A hostile repository steers the review"):
 *
 * - outside change reviews, `.personas/*.md` and `.personas/workflows/*.yaml` are read from the working
 *   tree, after the built-ins, so a workspace file with a built-in's id replaces it; every such file is
 *   named, with what it adds or overrides ({@link describeWorkspaceFiles}), so nothing is replaced silently;
 * - in a change review (`--diff`, `--staged`, a workflow's `changes` target) they are read as committed in
 *   the change's base (HEAD, or the merge-base with the base branch; {@link baseCommitOf}): a file the
 *   change modifies or deletes is used in its base version, a file the change adds is not used, and the
 *   report says so ({@link WorkspaceDefinitions.notices}).
 *
 * A persona folder given on the command line (`--personas-dir`) outside the repository is the runner's own
 * choice, not the repository's, and is read from disk. Built-in personas and workflows ship with the tool
 * and are always read from disk. Whatever a persona file says, the untrusted-data framing stays in the
 * system prompt, before it (src/core/providers/prompt.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { baseCommitOf, type DiffMode } from './git';
import { builtinPersonaDir, definitionReaderAt, DISK_READER, loadPersonas, type DefinitionReader, type LoadedPersona, type PersonaLoadError } from './personas';
import type { ImportedPersona } from './personaImport';
import { loadWorkspacePersonas, type PersonaOrigin } from './workspacePersonas';
import { builtinWorkflowDir, loadWorkflows, type Workflow, type WorkflowLoadError } from './workflows';

/** The change a review is about: the git diff mode and, for `base`, the branch it is compared with. */
export interface ChangeUnderReview {
  mode: DiffMode;
  base?: string;
}

/** A persona or workflow file of the workspace, and what it does to the built-in set. */
export interface WorkspaceFile {
  kind: 'persona' | 'workflow';
  /** Workspace-relative path (forward slashes), or absolute when outside the workspace. */
  file: string;
  /** The persona or workflow id the file defines (absent for a file that was not used). */
  id?: string;
  /** `adds` a new persona/workflow, `overrides` the built-in with the same id, or was `not-used`. */
  effect: 'adds' | 'overrides' | 'not-used';
  /** In a change review: how the file differs in the working tree from the base that was read instead. */
  changed?: 'modified' | 'added' | 'deleted';
}

/** Personas and workflows in effect for one review, with where the workspace's came from. */
export interface WorkspaceDefinitions {
  personas: LoadedPersona[];
  /** Where each persona comes from, by id: `built-in`, `workspace` (`.personas/`) or `repository` (another tool's format). */
  origin: Map<string, PersonaOrigin>;
  /** Personas found in other tools' formats in the repository, with their import reports. */
  discovered: ImportedPersona[];
  personaErrors: PersonaLoadError[];
  workflows: Workflow[];
  workflowErrors: WorkflowLoadError[];
  /** The workspace's persona and workflow files: used ones with what they add or override, and unused ones. */
  workspaceFiles: WorkspaceFile[];
  /** Where the workspace's files were read: `the working tree`, or `HEAD (a1b2c3d)` / `the merge-base with main (a1b2c3d)`. */
  readFrom: string;
  /** Sentences for the report (markdown and JSON notices): files a change review took from its base or left out. */
  notices: string[];
}

/** Options of {@link loadDefinitions}. */
export interface LoadDefinitionsOptions {
  /** The workspace persona folder, absolute or relative to root. Default `.personas`. */
  personasDir?: string;
  /** The workspace workflow folder, absolute or relative to root. Default `.personas/workflows`. */
  workflowsDir?: string;
  /** The change under review: the workspace's files inside the repository are read from its base. */
  change?: ChangeUnderReview;
  /** False (Restricted Mode): the workspace's files are not read at all, only the built-ins. Default true. */
  workspace?: boolean;
}

/** True when `p` is `dir` or inside it (absolute paths). */
function inside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Root-relative, forward slashes; absolute when outside root. */
function shown(root: string, p: string): string {
  return inside(p, root) ? path.relative(root, p).split(path.sep).join('/') : p;
}

/** Names of the definition files (`*.md` but README, or `*.yaml`/`*.yml`) directly in `dir`, through `reader`. */
async function definitionNames(reader: DefinitionReader, dir: string, kind: WorkspaceFile['kind']): Promise<string[]> {
  const names = await reader.list(dir).catch(() => [] as string[]);
  return names.filter((n) => (kind === 'persona' ? /\.md$/i.test(n) && n.toLowerCase() !== 'readme.md' : /\.ya?ml$/i.test(n))).sort();
}

/**
 * The personas and workflows in effect for a review at `root`: the built-ins, then the workspace's
 * `.personas/` and `.personas/workflows/` (see the module comment for where they are read in a change
 * review). Load errors are returned, never thrown; one bad file never stops the others.
 */
export async function loadDefinitions(root: string, opts: LoadDefinitionsOptions = {}): Promise<WorkspaceDefinitions> {
  const absRoot = path.resolve(root);
  const builtinP = builtinPersonaDir();
  const builtinW = builtinWorkflowDir();
  const wsP = path.resolve(absRoot, opts.personasDir ?? '.personas');
  const wsW = path.resolve(absRoot, opts.workflowsDir ?? path.join('.personas', 'workflows'));
  const useWorkspace = opts.workspace !== false;

  const builtinPersonas = (await loadPersonas([builtinP])).personas;
  const builtinWorkflows = (await loadWorkflows([builtinW])).workflows;
  const builtinPersonaIds = new Set(builtinPersonas.map((p) => p.id));
  const builtinWorkflowIds = new Set(builtinWorkflows.map((w) => w.id));

  // In a change review the workspace folders inside the repository are read from the change's base.
  const guarded = [wsP, wsW].filter((d) => inside(d, absRoot));
  let reader = DISK_READER;
  let readFrom = 'the working tree';
  if (opts.change && useWorkspace && guarded.length > 0) {
    const commit = await baseCommitOf(absRoot, opts.change.mode, opts.change.base).catch(() => undefined);
    const short = commit?.slice(0, 7) ?? 'none';
    readFrom = opts.change.mode === 'base' ? `the merge-base with ${opts.change.base ?? '?'} (${short})` : `HEAD (${short})`;
    reader = definitionReaderAt(absRoot, commit, guarded);
  }

  // Personas as every front end loads them (built-ins, `.personas/`, other tools' personas found in the
  // repository), read through the same base in a change review.
  const loadedP = await loadWorkspacePersonas(absRoot, {
    ...(opts.personasDir ? { personasDir: wsP } : {}),
    trusted: useWorkspace,
    ...(opts.change ? { target: { kind: 'git' as const, root: absRoot, mode: opts.change.mode, ...(opts.change.base ? { base: opts.change.base } : {}) } } : {}),
  });
  const known = loadedP.personas.flatMap((p) => [p.id, p.chat]);
  const loadedW = await loadWorkflows(useWorkspace ? [builtinW, wsW] : [builtinW], { knownPersonas: known, reader });

  const workspaceFiles: WorkspaceFile[] = [];
  const notices: string[] = [];
  if (useWorkspace) {
    for (const p of loadedP.personas) {
      const origin = loadedP.origin.get(p.id);
      if (origin === 'built-in' || (origin === 'workspace' && inside(p.source, builtinP))) continue;
      workspaceFiles.push({ kind: 'persona', file: shown(absRoot, path.resolve(absRoot, p.source)), id: p.id, effect: builtinPersonaIds.has(p.id) ? 'overrides' : 'adds' });
    }
    for (const w of loadedW.workflows) {
      if (!w.builtin) workspaceFiles.push({ kind: 'workflow', file: shown(absRoot, w.source), id: w.id, effect: builtinWorkflowIds.has(w.id) ? 'overrides' : 'adds' });
    }
    if (reader !== DISK_READER) {
      // What the change did to each guarded file: compare the working tree with the base that was read.
      for (const [dir, kind] of [[wsP, 'persona'], [wsW, 'workflow']] as const) {
        if (!guarded.includes(dir)) continue;
        const onDisk = await definitionNames(DISK_READER, dir, kind);
        const atBase = await definitionNames(reader, dir, kind);
        for (const name of [...new Set([...onDisk, ...atBase])].sort()) {
          const file = path.join(dir, name);
          const rel = shown(absRoot, file);
          let changed: WorkspaceFile['changed'];
          if (!atBase.includes(name)) changed = 'added';
          else if (!onDisk.includes(name)) changed = 'deleted';
          else {
            const [a, b] = await Promise.all([readFile(file, 'utf8').catch(() => undefined), reader.read(file).catch(() => undefined)]);
            if (a !== b) changed = 'modified';
          }
          if (!changed) continue;
          const entry = workspaceFiles.find((f) => f.file === rel);
          if (entry) entry.changed = changed;
          else workspaceFiles.push({ kind, file: rel, effect: 'not-used', changed });
          const what = kind === 'persona' ? 'Persona file' : 'Workflow file';
          notices.push(
            changed === 'added'
              ? `${what} ${rel} is new in the change under review and was not used: a change review reads the workspace's personas and workflows from its base, ${readFrom}, so a change cannot steer its own review.`
              : `${what} ${rel} is ${changed === 'deleted' ? 'deleted' : 'changed'} in the change under review; the review used its version from the base, ${readFrom}, so a change cannot steer its own review.`,
          );
        }
      }
    }
  }
  workspaceFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    personas: loadedP.personas,
    origin: loadedP.origin,
    discovered: loadedP.discovered,
    personaErrors: loadedP.errors,
    workflows: loadedW.workflows,
    workflowErrors: loadedW.errors,
    workspaceFiles,
    readFrom,
    notices,
  };
}

/**
 * One line per workspace persona or workflow file, for stderr or a log: what it adds or overrides and
 * where it was read, e.g. `workspace persona .personas/security.md overrides the built-in "security"`,
 * `workspace workflow .personas/workflows/release.yaml adds "release" (read from HEAD (a1b2c3d))`,
 * `workspace persona .personas/lenient.md is new in the change under review: not used`.
 */
export function describeWorkspaceFiles(defs: Pick<WorkspaceDefinitions, 'workspaceFiles' | 'readFrom'>): string[] {
  const from = defs.readFrom === 'the working tree' ? '' : ` (read from ${defs.readFrom})`;
  return defs.workspaceFiles.map((f) => {
    const what = `workspace ${f.kind} ${f.file}`;
    if (f.effect === 'not-used') return `${what} is ${f.changed === 'added' ? 'new in' : `${f.changed ?? 'changed'} by`} the change under review: not used`;
    const effect = f.effect === 'overrides' ? `overrides the built-in "${f.id}"` : `adds "${f.id}"`;
    const changed = f.changed ? `; the change under review ${f.changed === 'deleted' ? 'deletes' : 'modifies'} it, so its base version is used` : '';
    return `${what} ${effect}${from}${changed}`;
  });
}
