/**
 * `persona-review import` and `persona-review export`: personas to and from other tools' formats
 * (core: src/core/personaImport.ts).
 *
 *   persona-review import <file-or-folder>... [--out <dir>] [--dry-run] [--force] [--json]
 *   persona-review export --to claude-agent|vscode-agent|roo [-p <ids>] [--out <dir>] [--force]
 *
 * Exit codes: 0 done; 2 bad usage, nothing importable, or a file that exists and would be overwritten
 * without --force. Reports go to stdout (import) and stderr (progress).
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, exportPersona, formatImportReport, importPath, mergeRooModes, type ExportFormat } from '../core/personaImport';
import { resolvePersonaIds } from '../core/personas';
import { loadWorkspacePersonas } from '../core/workspacePersonas';

const USAGE = `persona-review import | export: personas to and from other tools

Usage:
  persona-review import <file-or-folder>... [--out <dir>] [--dry-run] [--force] [--json]
      Claude Code agents (.claude/agents/*.md) and command personas (.claude/commands/*.md), VS Code
      custom agents (*.agent.md) and chat modes (*.chatmode.md), Roo Code .roomodes, BMAD agents, plain
      markdown personas. Writes .personas/<id>.md (or --out) and prints what was kept, mapped and dropped.
      Shell context lines (!\`cmd\`) are never run: they are reported as dropped.
  persona-review export --to claude-agent|vscode-agent|roo [-p <ids>] [--out <dir>] [--force]
      Writes personas (default: every reviewing persona) where that tool looks for them:
      .claude/agents/<id>.md, .github/agents/<id>.agent.md, or modes added to .roomodes.

Exit codes: 0 done, 2 bad usage or input.
`;

class CliError extends Error {}

/** Entry point of `import` / `export`; returns the exit code, errors are written to stderr. */
export async function importExportCommand(command: 'import' | 'export', args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    return command === 'import' ? await importCommand(args) : await exportCommand(args);
  } catch (e) {
    if (e instanceof CliError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`persona-review: ${(e as Error).message}\nRun "persona-review ${command} --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new CliError('name a persona file or a folder to import from');
  const outDir = path.resolve(values.out ?? '.personas');
  const { personas: existing } = await loadWorkspacePersonas(process.cwd(), { discover: false });
  const results = [];
  let errors = 0;
  for (const p of positionals) {
    const r = await importPath(p);
    for (const e of r.errors) process.stderr.write(`persona-review: ${e.message}\n`);
    errors += r.errors.length;
    results.push(...r.personas);
  }
  if (results.length === 0) throw new CliError(`no persona found in ${positionals.join(', ')}`);
  const written: string[] = [];
  for (const imp of results) {
    const file = path.join(outDir, `${imp.persona.id}.md`);
    const clash = existing.find((x) => x.id === imp.persona.id);
    if (!values['dry-run']) {
      if (fs.existsSync(file) && !values.force) throw new CliError(`${path.relative(process.cwd(), file)} exists; add --force to replace it, or --out another folder`);
      if (clash && !values.force && !clash.source.startsWith(outDir)) {
        throw new CliError(`"${imp.persona.id}" would replace the persona "${clash.name}"; add --force to replace it, or rename the file you import`);
      }
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, imp.text);
      written.push(path.relative(process.cwd(), file));
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results.map((r) => ({ source: r.source, format: r.format, id: r.persona.id, name: r.persona.name, category: r.persona.category, report: r.report })), null, 2)}\n`);
  } else {
    process.stdout.write(`${results.map(formatImportReport).join('\n\n')}\n`);
  }
  if (written.length) process.stderr.write(`persona-review: wrote ${written.join(', ')}\n`);
  else if (values['dry-run']) process.stderr.write('persona-review: dry run: nothing written\n');
  return errors > 0 && results.length === 0 ? 2 : 0;
}

async function exportCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { to: { type: 'string' }, persona: { type: 'string', short: 'p', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' } },
  });
  const to = values.to as ExportFormat | undefined;
  if (!to || !EXPORT_FORMATS.includes(to)) throw new CliError(`--to must be one of ${EXPORT_FORMATS.join(', ')}`);
  const { personas: all } = await loadWorkspacePersonas(process.cwd(), { discover: false });
  const requested = (values.persona ?? []).flatMap((p) => p.split(',')).map((s) => s.trim()).filter(Boolean);
  let chosen = all.filter((p) => p.reviews);
  if (requested.length) {
    const { selected, unknown } = resolvePersonaIds(requested, all);
    if (unknown.length) throw new CliError(`unknown persona(s): ${unknown.join(', ')}. Known: ${all.map((p) => p.id).join(', ')}`);
    chosen = selected;
  }
  const base = path.resolve(values.out ?? '.');
  const written: string[] = [];
  if (to === 'roo') {
    const file = values.out && values.out.endsWith('.roomodes') ? path.resolve(values.out) : path.join(base, '.roomodes');
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, mergeRooModes(existing, chosen.map((p) => exportPersona(p, 'roo').text)));
    written.push(`${path.relative(process.cwd(), file)} (${chosen.length} mode(s) added or replaced${existing ? ', the others kept' : ''})`);
  } else {
    for (const p of chosen) {
      const out = exportPersona(p, to);
      const file = values.out ? path.join(base, path.basename(out.path)) : path.join(base, out.path);
      if (fs.existsSync(file) && !values.force) throw new CliError(`${path.relative(process.cwd(), file)} exists; add --force to replace it`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, out.text);
      written.push(path.relative(process.cwd(), file));
    }
  }
  process.stderr.write(`persona-review: wrote ${written.join(', ')}\n`);
  return 0;
}
