/**
 * `persona-review doc <document> [options] [paths...]`: the offline documents of the persona commands
 * (core src/core/documents), the same as `@sre /readiness` and its siblings answer in VS Code Chat:
 * `readiness`, `slo`, `incident` and `report` (the SRE's), `threat-model` (Security), `design` (Architect),
 * `test-plan` (QA), `profile-plan` (Performance) and `races` (Concurrency). The persona reviews the target
 * with the offline rules (nothing leaves the machine) and the document is rendered from its findings and
 * the code, as markdown on stdout or in `--out`.
 *
 * Exit codes: 0 the document was written; 2 bad usage or input (unknown document or persona, no paths,
 * a path that does not exist, nothing reviewable).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildContext } from '../core/context';
import { DOCUMENT_PERSONA, OFFLINE_DOCUMENTS, contextFiles, isOfflineDocument, renderCommandDocument } from '../core/documents';
import { reviewContext } from '../core/engine';
import { OfflineProvider } from '../core/offline/provider';
import { builtinPersonaDir, loadPersonas, resolvePersonaIds } from '../core/personas';
import type { ReviewTarget } from '../core/types';
import { offlineDepthOption, splitDiffOption } from './args';
import type { OfflineDepth } from '../core/offline/rule';

/** Usage text of `persona-review doc`. */
export const DOC_USAGE = `Usage: persona-review doc <document> [options] [paths...]

Documents (offline: the persona's rules review the target, nothing leaves this machine):
  readiness      production readiness checklist (SRE): deployment, reliability, observability, operations, scalability
  slo            SLIs, SLOs per endpoint, the 30-day error budget, burn-rate alerts and a budget policy (SRE)
  incident       failure modes, triage, safe mitigations, a runbook and a blameless postmortem outline (SRE)
  report         the weekly reliability report (SRE)
  threat-model   assets, entry points and attack vectors by STRIDE (Security Engineer)
  design         components, data flow and design concerns (Architect)
  test-plan      test cases per function and a regression test per finding (QA)
  profile-plan   how to confirm each suspected bottleneck (Performance Engineer)
  races          shared state, each race's interleaving and its fix (Concurrency Expert)

Options:
  -p, --persona <id>     the persona whose findings the document reads (default: the document's own)
  --offline-depth <d>    precise (default) | thorough (also size, complexity and coupling measures)
  --diff [base]          the git changes only (working tree vs HEAD, or the branch vs its merge-base with <base>)
  --staged               the staged changes only
  -o, --out <file>       write the document to a file instead of stdout
  --include <glob>       only files matching (gitignore syntax; repeatable)
  --exclude <glob>       skip files matching (repeatable)
  --personas-dir <dir>   extra persona files (default: .personas/ in the current folder, if any)
  -q, --quiet            nothing on stderr but errors

Exit codes: 0 = written, 2 = bad usage or input.
`;

/** Thrown for bad usage; the CLI prints it with a hint and exits 2. */
export class DocUsageError extends Error {}

/** Runs `persona-review doc`; returns the exit code. Throws DocUsageError or core InputError for bad input. */
export async function docCommand(rawArgs: string[]): Promise<number> {
  if (rawArgs.includes('--help') || rawArgs.includes('-h')) {
    process.stdout.write(DOC_USAGE);
    return 0;
  }
  const pre = splitDiffOption(rawArgs);
  let parsed;
  try {
    parsed = parseArgs({
      args: pre.args,
      allowPositionals: true,
      strict: true,
      options: {
        persona: { type: 'string', short: 'p' },
        'offline-depth': { type: 'string' },
        staged: { type: 'boolean' },
        out: { type: 'string', short: 'o' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'personas-dir': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
    });
  } catch (e) {
    throw new DocUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  let depth: OfflineDepth;
  try {
    depth = offlineDepthOption(values['offline-depth']);
  } catch (e) {
    throw new DocUsageError((e as Error).message);
  }
  const [name, ...paths] = positionals;
  if (!name) throw new DocUsageError(`name the document: ${OFFLINE_DOCUMENTS.join(', ')}`);
  if (!isOfflineDocument(name)) throw new DocUsageError(`unknown document "${name}"; expected one of ${OFFLINE_DOCUMENTS.join(', ')}`);
  const log = (s: string) => {
    if (!values.quiet) process.stderr.write(`${s}\n`);
  };

  const dirs = [builtinPersonaDir()];
  const local = values['personas-dir'] ?? path.resolve('.personas');
  if (values['personas-dir'] || fs.existsSync(local)) dirs.push(local);
  const { personas: all, errors } = await loadPersonas(dirs);
  for (const e of errors) process.stderr.write(`persona-review: skipped persona file ${e.file}: ${e.message}\n`);
  const wanted = values.persona ?? DOCUMENT_PERSONA[name];
  const { selected, unknown } = resolvePersonaIds([wanted], all);
  if (unknown.length || !selected[0]) throw new DocUsageError(`unknown persona "${wanted}". Known: ${all.map((p) => p.id).join(', ')}`);
  const persona = selected[0];

  const root = process.cwd();
  let target: ReviewTarget;
  let targetLabel: string;
  if (pre.diff || values.staged) {
    const mode = values.staged ? 'staged' : pre.diff?.base ? 'base' : 'working';
    target = { kind: 'git', root, mode, base: pre.diff?.base, paths: paths.length ? paths : undefined };
    targetLabel = mode === 'staged' ? 'staged changes' : mode === 'base' ? `changes since ${pre.diff?.base}` : 'uncommitted changes';
  } else {
    if (!paths.length) throw new DocUsageError('name at least one file or folder (or use --diff / --staged)');
    target = { kind: 'paths', root, paths };
    targetLabel = paths.join(', ');
  }

  const provider = new OfflineProvider({ depth });
  const context = await buildContext(target, { include: values.include, exclude: values.exclude, unlimited: true });
  log(`persona-review: ${name}: ${persona.name} reviews ${context.files.length} file(s) offline`);
  const result = await reviewContext(context, { provider, personas: [persona] });
  const markdown = renderCommandDocument({
    command: name,
    personaId: persona.id,
    personaName: persona.name,
    questions: persona.questions,
    targetLabel,
    findings: result.findings,
    files: contextFiles(context),
  });
  const out = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  if (values.out) {
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, out);
    log(`persona-review: wrote the ${name} document to ${values.out}`);
  } else process.stdout.write(out);
  for (const n of result.notices) log(`persona-review: note: ${n}`);
  return 0;
}
