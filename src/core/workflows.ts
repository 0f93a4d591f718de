/**
 * Workflow files for the Workflow Executor (seed 000, persona 1): phase-gated team reviews.
 *
 * A workflow is a YAML file (`*.yaml` or `*.yml`): built-in ones under `personas/workflows/`, the
 * workspace's under `.personas/workflows/` (a workspace file with a built-in's id replaces it). Shape:
 *
 * ```yaml
 * id: pre-merge                 # optional, default: the file name stem; kebab-case
 * name: Pre-merge review
 * description: One line.
 * phases:                       # run in this order; each starts only when the previous one's gates pass
 *   - id: review                # kebab-case, unique in the workflow
 *     name: Code review
 *     personas: [reviewer, security, qa]
 *     target: inherit           # inherit (default: what the run was given) | changes | paths
 *     base: main                # changes only: compare the branch with its merge-base with this ref
 *     paths: [src]              # paths only: files or folders relative to the workspace
 *     gates:
 *       - id: no-critical-or-high         # unique in the workflow; named by --override <id>=<reason>
 *         description: No open critical or high findings.
 *         maxFindings: 0                  # passes when at most this many findings match:
 *         severity: high                  #   at or above this severity (default low = any)
 *         personas: [security]            #   reported by one of these personas (default any)
 *         categories: [missing-timeout]   #   in one of these categories (default any)
 *       - id: sre-sign-off
 *         requiredSignOff: sre            # passes when someone signed off as this role
 * ```
 *
 * Validation is with zod; every problem names the file and the field (`phases[0].gates[1].maxFindings`).
 * One bad file never stops the others from loading.
 */
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { builtinPersonaDir, DISK_READER, type DefinitionReader } from './personas';
import { SEVERITIES, type Severity } from './types';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const countGateSchema = z
  .object({
    id: z.string().regex(KEBAB, 'expected a kebab-case id such as "no-critical"'),
    description: z.string().optional(),
    maxFindings: z.number().int().min(0),
    severity: z.enum(SEVERITIES).optional(),
    personas: z.array(z.string().min(1)).min(1).optional(),
    categories: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const signOffGateSchema = z
  .object({
    id: z.string().regex(KEBAB, 'expected a kebab-case id such as "sre-sign-off"'),
    description: z.string().optional(),
    requiredSignOff: z.string().min(1),
  })
  .strict();

const phaseSchema = z
  .object({
    id: z.string().regex(KEBAB, 'expected a kebab-case id such as "review"'),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    personas: z.array(z.string().min(1)).min(1, 'a phase needs at least one persona'),
    target: z.enum(['inherit', 'changes', 'paths']).default('inherit'),
    base: z.string().min(1).optional(),
    paths: z.array(z.string().min(1)).min(1).optional(),
    gates: z.array(z.unknown()).default([]),
  })
  .strict();

const workflowSchema = z
  .object({
    id: z.string().regex(KEBAB, 'expected a kebab-case id such as "pre-merge"').optional(),
    name: z.string().min(1),
    description: z.string().default(''),
    phases: z.array(z.unknown()).min(1, 'a workflow needs at least one phase'),
  })
  .strict();

/** A gate that counts findings: passes when at most `maxFindings` findings of the phase match every given filter. */
export interface CountGate {
  kind: 'count';
  id: string;
  description: string;
  maxFindings: number;
  /** Counts findings at or above this severity; undefined: any severity. */
  severity?: Severity;
  /** Counts findings that at least one of these personas reported; undefined: any persona. */
  personas?: string[];
  /** Counts findings in one of these categories; undefined: any category. */
  categories?: string[];
}

/** A gate that needs a recorded sign-off by someone acting as `role` (any text, e.g. `sre`, `tech-lead`). */
export interface SignOffGate {
  kind: 'sign-off';
  id: string;
  description: string;
  role: string;
}

/** One checkable gate. */
export type Gate = CountGate | SignOffGate;

/** One phase of a workflow. */
export interface WorkflowPhase {
  id: string;
  name: string;
  description: string;
  /** Persona ids (or names; resolved when the phase runs). */
  personas: string[];
  /** `inherit`: the run's target; `changes`: git changes (vs `base` when given); `paths`: `paths`. */
  target: 'inherit' | 'changes' | 'paths';
  base?: string;
  paths?: string[];
  gates: Gate[];
}

/** A validated workflow. */
export interface Workflow {
  id: string;
  name: string;
  description: string;
  phases: WorkflowPhase[];
  /** Absolute path of the file it came from. */
  source: string;
  /** True for files under the shipped `personas/workflows/`. */
  builtin: boolean;
}

/** A problem with one workflow file: the file, the field (dotted path, `(file)` for the whole file) and what was expected. */
export interface WorkflowLoadError {
  file: string;
  field: string;
  message: string;
}

/** Absolute path of the shipped workflows folder (`personas/workflows/` next to the built-in personas). */
export function builtinWorkflowDir(): string {
  return path.join(builtinPersonaDir(), 'workflows');
}

function fieldPath(base: (string | number)[], issuePath: PropertyKey[]): string {
  let out = '';
  for (const p of [...base, ...issuePath]) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(file)';
}

function zodErrors(file: string, base: (string | number)[], error: z.ZodError): WorkflowLoadError[] {
  return error.issues.map((i) => ({ file, field: fieldPath(base, i.path), message: i.message }));
}

/**
 * Parses and validates one workflow file's text. `source` is the file path used in errors and as the
 * default id (its stem). `knownPersonas`, when given, are the ids a phase may name (names are matched
 * case-insensitively by the caller; here only ids are checked, so pass ids and chat names).
 * Returns the workflow, or errors naming `source` and the field. Never throws.
 */
export function parseWorkflow(text: string, source: string, opts: { knownPersonas?: string[]; builtin?: boolean } = {}): { workflow?: Workflow; errors: WorkflowLoadError[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { errors: [{ file: source, field: '(file)', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` }] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [{ file: source, field: '(file)', message: 'expected a YAML mapping with name and phases' }] };
  }
  const top = workflowSchema.safeParse(raw);
  if (!top.success) return { errors: zodErrors(source, [], top.error) };
  const errors: WorkflowLoadError[] = [];
  const stem = path.basename(source).replace(/\.ya?ml$/i, '');
  const id = top.data.id ?? stem;
  if (!KEBAB.test(id)) errors.push({ file: source, field: 'id', message: `the file name stem "${stem}" is not a kebab-case id; add an id field` });
  const phases: WorkflowPhase[] = [];
  const phaseIds = new Set<string>();
  const gateIds = new Set<string>();
  const known = opts.knownPersonas ? new Set(opts.knownPersonas.map((s) => s.toLowerCase())) : undefined;
  top.data.phases.forEach((rawPhase, pi) => {
    const ph = phaseSchema.safeParse(rawPhase);
    if (!ph.success) {
      errors.push(...zodErrors(source, ['phases', pi], ph.error));
      return;
    }
    const p = ph.data;
    if (phaseIds.has(p.id)) errors.push({ file: source, field: `phases[${pi}].id`, message: `phase id "${p.id}" is used twice` });
    phaseIds.add(p.id);
    if (known) {
      p.personas.forEach((name, k) => {
        if (!known.has(name.toLowerCase())) errors.push({ file: source, field: `phases[${pi}].personas[${k}]`, message: `unknown persona "${name}"; known: ${[...known].sort().join(', ')}` });
      });
    }
    if (p.target === 'paths' && !p.paths) errors.push({ file: source, field: `phases[${pi}].paths`, message: 'target "paths" needs a paths list' });
    if (p.target !== 'paths' && p.paths) errors.push({ file: source, field: `phases[${pi}].paths`, message: 'paths applies only to target "paths"' });
    if (p.target !== 'changes' && p.base) errors.push({ file: source, field: `phases[${pi}].base`, message: 'base applies only to target "changes"' });
    const gates: Gate[] = [];
    p.gates.forEach((rawGate, gi) => {
      const base = ['phases', pi, 'gates', gi];
      const isSignOff = rawGate !== null && typeof rawGate === 'object' && 'requiredSignOff' in rawGate;
      const isCount = rawGate !== null && typeof rawGate === 'object' && 'maxFindings' in rawGate;
      if (!isSignOff && !isCount) {
        errors.push({ file: source, field: fieldPath(base, []), message: 'a gate needs either maxFindings (a count of findings) or requiredSignOff (a role)' });
        return;
      }
      const g = isSignOff ? signOffGateSchema.safeParse(rawGate) : countGateSchema.safeParse(rawGate);
      if (!g.success) {
        errors.push(...zodErrors(source, base, g.error));
        return;
      }
      const d = g.data;
      if (gateIds.has(d.id)) errors.push({ file: source, field: fieldPath([...base, 'id'], []), message: `gate id "${d.id}" is used twice in this workflow` });
      gateIds.add(d.id);
      if ('requiredSignOff' in d) {
        gates.push({ kind: 'sign-off', id: d.id, role: d.requiredSignOff, description: d.description ?? `Signed off by ${d.requiredSignOff}.` });
      } else {
        if (known && d.personas) {
          d.personas.forEach((name, k) => {
            if (!known.has(name.toLowerCase())) errors.push({ file: source, field: fieldPath([...base, 'personas', k], []), message: `unknown persona "${name}"` });
          });
        }
        gates.push({
          kind: 'count',
          id: d.id,
          maxFindings: d.maxFindings,
          ...(d.severity ? { severity: d.severity } : {}),
          ...(d.personas ? { personas: d.personas } : {}),
          ...(d.categories ? { categories: d.categories } : {}),
          description: d.description ?? describeCountGate(d),
        });
      }
    });
    phases.push({
      id: p.id,
      name: p.name ?? p.id,
      description: p.description ?? '',
      personas: p.personas,
      target: p.target,
      ...(p.base ? { base: p.base } : {}),
      ...(p.paths ? { paths: p.paths } : {}),
      gates,
    });
  });
  if (errors.length) return { errors };
  return { workflow: { id, name: top.data.name, description: top.data.description, phases, source, builtin: opts.builtin ?? false }, errors };
}

/** "At most 0 findings at high or above from security in missing-timeout, swallowed-error." */
export function describeCountGate(g: Pick<CountGate, 'maxFindings' | 'severity' | 'personas' | 'categories'>): string {
  const parts = [`At most ${g.maxFindings} finding${g.maxFindings === 1 ? '' : 's'}`];
  if (g.severity && g.severity !== 'low') parts.push(g.severity === 'critical' ? 'at critical' : `at ${g.severity} or above`);
  if (g.personas) parts.push(`from ${g.personas.join(', ')}`);
  if (g.categories) parts.push(`in ${g.categories.join(', ')}`);
  return `${parts.join(' ')}.`;
}

/**
 * Loads every `*.yaml`/`*.yml` in `dirs` (later folders override earlier ones by workflow id, so pass the
 * built-in folder first, then the workspace's `.personas/workflows`). A missing folder is skipped.
 * `builtinDir` marks which folder's workflows are built-in (default {@link builtinWorkflowDir}); `reader` is where
 * files are listed and read (the disk by default; the change's base in change reviews, see src/core/trust.ts).
 * @returns workflows sorted by id, and every problem found (file + field + message). Never rejects.
 */
export async function loadWorkflows(
  dirs: string[],
  opts: { knownPersonas?: string[]; builtinDir?: string; reader?: DefinitionReader } = {},
): Promise<{ workflows: Workflow[]; errors: WorkflowLoadError[] }> {
  const reader = opts.reader ?? DISK_READER;
  const builtinDir = path.resolve(opts.builtinDir ?? builtinWorkflowDir());
  const byId = new Map<string, Workflow>();
  const errors: WorkflowLoadError[] = [];
  for (const dirArg of dirs) {
    const dir = path.resolve(dirArg);
    let names: string[];
    try {
      names = await reader.list(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') errors.push({ file: dir, field: '(folder)', message: `cannot list the workflow folder (${code ?? String(e)})` });
      continue;
    }
    for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = await reader.read(file);
      } catch (e) {
        errors.push({ file, field: '(file)', message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        continue;
      }
      const { workflow, errors: errs } = parseWorkflow(text, file, { knownPersonas: opts.knownPersonas, builtin: dir === builtinDir });
      errors.push(...errs);
      if (workflow) byId.set(workflow.id, workflow);
    }
  }
  return { workflows: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), errors };
}

/** `file: field: message`, with the file relative to `cwd` when inside it. */
export function formatWorkflowError(e: WorkflowLoadError, cwd = process.cwd()): string {
  const rel = path.relative(cwd, e.file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : e.file;
  return `${shown}: ${e.field}: ${e.message}`;
}
