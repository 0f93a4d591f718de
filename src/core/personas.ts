/**
 * Persona loading: parses `personas/*.md` (shipped) and `.personas/*.md` (workspace) files into
 * {@link LoadedPersona}s, validating the front matter with zod and reporting every problem as a
 * {@link PersonaLoadError} that names the file, the field and what was expected.
 *
 * File format (DESIGN.md, "Persona file format"): YAML front matter between `---` lines, then a markdown
 * body that is the system prompt. Files written as Claude Code subagents or VS Code custom agents
 * (front matter with only `name`, `description`, optional `model`, `tools`) load with defaults.
 *
 * The 1,500-token limit on prompts is not checked here (the tokenizer is a dev dependency); the unit
 * tests and `bench/persona-tokens.ts` check it for the shipped personas.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { listAtCommit, readAtCommit } from './git';
import { z } from 'zod';
import { PERSONA_CATEGORIES, type Persona, type PersonaCategory, type PersonaCommand } from './types';

/**
 * A persona as the loader returns it: the contract {@link Persona} plus `shortName`, the short label used
 * in command titles ("Review as SRE"). Defaults to `name` when the file has none.
 * (Persona itself should gain `shortName: string`; until then this type carries it.)
 */
export type LoadedPersona = Persona & { shortName: string };

/**
 * One problem with one persona file. `file` is the path as it was read (absolute when it came from
 * {@link loadPersonas}); `field` is the front-matter field (dotted for nested ones, e.g. `commands.1.name`),
 * `front matter` for unparsable YAML, `body` for the prompt, or absent when the file as a whole is wrong.
 * `message` is a complete sentence for the user, prefixed with the file, e.g.
 * `personas/x.md: field "category": expected one of process|design|quality|security|performance|operations, got "ops"`.
 */
export interface PersonaLoadError {
  file: string;
  field?: string;
  message: string;
}

/** The commands every persona participant has (one definition: src/shared/defaults.ts, the chat participants use it too). */
export { COMMON_COMMAND_NAMES } from '../shared/defaults';
import { COMMON_COMMAND_NAMES } from '../shared/defaults';

/** Category given to files that do not say (imported Claude Code subagents, VS Code custom agents). */
const DEFAULT_CATEGORY: PersonaCategory = 'quality';
/** Codicon used when a file names none (https://microsoft.github.io/vscode-codicons/). */
const DEFAULT_ICON = 'person';

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHAT_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const ICON_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COMMAND_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** What each field must look like, by path with list indexes written as `*`. Used in error messages. */
const EXPECTED: Record<string, string> = {
  id: 'expected a kebab-case id (lowercase letters and digits separated by hyphens, e.g. "sre")',
  name: 'expected a non-empty display name (e.g. "Site Reliability Engineer")',
  shortName: 'expected a non-empty short name (e.g. "SRE")',
  description: 'expected a non-empty one-line description',
  category: `expected one of ${PERSONA_CATEGORIES.join('|')}`,
  icon: 'expected a codicon id such as "pulse" or "shield" (lowercase letters, digits and hyphens)',
  chat: 'expected a chat participant name such as "sre" (lowercase letters and digits, separated by "-" or "_")',
  commands: 'expected a list of commands, each with "name" and "description"',
  'commands.*': 'expected a mapping with "name" and "description"',
  'commands.*.name': 'expected a slash command name such as "readiness" (a letter, then letters, digits, "-" or "_")',
  'commands.*.description': 'expected a non-empty description of the command',
  questions: 'expected a list of review questions (strings)',
  'questions.*': 'expected a non-empty question (a string)',
  reviews: 'expected true or false',
  model: 'expected a model id (a string, e.g. "sonnet")',
  tools: 'expected a list of tool names or a comma-separated string of them',
  offlineRules: 'expected a list of persona ids whose offline rule packs this persona runs (e.g. [sre])',
  'offlineRules.*': 'expected a persona id such as "sre"',
};

const nonEmpty = z.string().trim().min(1);

/** zod schema of the front matter. Unknown keys (e.g. `color`, `handoffs`) are ignored. */
const frontMatterSchema = z.object({
  id: z.string().regex(ID_PATTERN).optional(),
  name: nonEmpty,
  shortName: nonEmpty.optional(),
  description: nonEmpty,
  category: z.enum(PERSONA_CATEGORIES).optional(),
  // Tolerate the `$(pulse)` label syntax; store the bare codicon id.
  icon: z
    .string()
    .transform((s) => s.trim().replace(/^\$\((.*)\)$/, '$1'))
    .pipe(z.string().regex(ICON_PATTERN))
    .optional(),
  chat: z
    .string()
    .transform((s) => s.trim().replace(/^@/, ''))
    .pipe(z.string().regex(CHAT_PATTERN))
    .optional(),
  commands: z
    .array(
      z.object({
        name: z
          .string()
          .transform((s) => s.trim().replace(/^\//, ''))
          .pipe(z.string().regex(COMMAND_PATTERN)),
        description: nonEmpty,
      }),
    )
    .optional(),
  questions: z.array(nonEmpty).optional(),
  reviews: z.boolean().optional(),
  model: nonEmpty.optional(),
  tools: z.union([z.string(), z.array(z.string())]).optional(),
  offlineRules: z.array(z.string().regex(ID_PATTERN)).optional(),
});

/** How a file is named in messages: relative to the working directory when inside it, else as given. */
function displayPath(source: string): string {
  if (!path.isAbsolute(source)) return source.split(path.sep).join('/');
  const rel = path.relative(process.cwd(), source);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return source;
}

/** A short description of a YAML value for "got ..." in messages. */
function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string') {
    const s = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return JSON.stringify(s);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Id derived from a file name: `Code Reviewer.agent.md` → `code-reviewer`. Empty when nothing usable. */
function idFromFileName(source: string): string {
  const stem = path
    .basename(source)
    .replace(/\.md$/i, '')
    .replace(/\.(agent|chatmode|subagent)$/i, '');
  return stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function commonCommands(shortName: string): PersonaCommand[] {
  return [
    { name: 'review', description: `Review the current file or selection as the ${shortName}` },
    { name: 'changes', description: `Review your uncommitted changes as the ${shortName}` },
    { name: 'explain', description: `Explain the selected code from the ${shortName}'s point of view` },
  ];
}

/** Splits the file into front matter text and body. `null` when the file has no front matter block. */
function splitFrontMatter(text: string): { yaml: string; body: string } | null {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n|$)/.exec(normalized);
  if (!m) return null;
  const yaml = m[1] ?? '';
  return { yaml, body: normalized.slice(m[0].length) };
}

/**
 * Parses one persona file.
 *
 * @param text   the whole file (YAML front matter, then the markdown body = system prompt)
 * @param source the file's path; stored in `persona.source`, used in messages and for the default id
 *               (file name without `.md`, and without a `.agent`/`.chatmode` suffix)
 * @returns `persona` when the file is valid (then `errors` is empty), otherwise every problem found.
 *          Never throws.
 *
 * Required fields: `name`, `description`, and a non-empty body. Defaults for missing optional fields:
 * `id` from the file name, `shortName` = `name`, `category` `quality`, `icon` `person`, `chat` = id,
 * `questions` [], `reviews` true. `commands` always starts with review, changes and explain (their
 * descriptions may be overridden in the file), followed by the file's own commands. `tools` may be a list
 * or a comma-separated string (Claude Code subagent style) and is returned as a list.
 */
export function parsePersona(text: string, source: string): { persona?: LoadedPersona; errors: PersonaLoadError[] } {
  const shown = displayPath(source);
  const fail = (field: string | undefined, what: string): PersonaLoadError => ({
    file: source,
    ...(field !== undefined ? { field } : {}),
    message: field !== undefined && field !== 'front matter' ? `${shown}: field "${field}": ${what}` : `${shown}: ${what}`,
  });

  const parts = splitFrontMatter(text);
  if (!parts) {
    return {
      errors: [
        fail(
          'front matter',
          'expected YAML front matter at the top of the file: a line "---", fields such as "name:" and "description:", then a line "---"',
        ),
      ],
    };
  }

  const doc = YAML.parseDocument(parts.yaml, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    // Error offset within the front matter → 1-based line of the file (+1 for the opening `---`).
    const offset = Math.min(first.pos[0], parts.yaml.length);
    const line = parts.yaml.slice(0, offset).split('\n').length + 1;
    const where = ` at line ${line}`;
    const detail = first.message.split('\n')[0] ?? first.message;
    return {
      errors: [fail('front matter', `front matter is not valid YAML${where}: ${detail}; expected "field: value" lines`)],
    };
  }
  // An empty front matter block parses as null: treat it as no fields, so the messages name what is missing.
  const raw: unknown = doc.toJS() ?? {};
  const errors: PersonaLoadError[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push(fail('front matter', `expected a YAML mapping of fields (name, description, ...), got ${describeValue(raw)}`));
  }

  const prompt = parts.body.trim();
  const bodyError = prompt === '' ? fail('body', 'expected a markdown body (the system prompt) after the front matter, got nothing') : undefined;

  if (errors.length > 0) return { errors: bodyError ? [...errors, bodyError] : errors };

  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      if (seen.has(field)) continue;
      seen.add(field);
      const pattern = issue.path.map((k) => (typeof k === 'number' ? '*' : String(k))).join('.');
      const expected = EXPECTED[pattern] ?? issue.message;
      const value = valueAt(raw, issue.path);
      const what = value === undefined ? `missing; ${expected}` : `${expected}, got ${describeValue(value)}`;
      errors.push(fail(field || 'front matter', what));
    }
  }
  if (bodyError) errors.push(bodyError);
  if (!parsed.success || errors.length > 0) return { errors };

  const fm = parsed.data;
  const id = fm.id ?? idFromFileName(source);
  if (!ID_PATTERN.test(id)) {
    return {
      errors: [fail('id', `missing, and the file name gives no usable id; add "id:" with a kebab-case id (e.g. "sre")`)],
    };
  }
  const shortName = fm.shortName ?? fm.name;

  // Common commands first (a file may reword them), then the persona's own, without duplicates.
  const own = fm.commands ?? [];
  const seenNames = new Set<string>();
  for (const c of own) {
    if (seenNames.has(c.name)) {
      errors.push(fail('commands', `expected each command name once, got "${c.name}" twice`));
    }
    seenNames.add(c.name);
  }
  if (errors.length > 0) return { errors };
  const commands: PersonaCommand[] = [
    ...commonCommands(shortName).map((c) => own.find((o) => o.name === c.name) ?? c),
    ...own.filter((o) => !(COMMON_COMMAND_NAMES as readonly string[]).includes(o.name)),
  ];

  const tools =
    fm.tools === undefined
      ? undefined
      : (typeof fm.tools === 'string' ? fm.tools.split(',') : fm.tools).map((t) => t.trim()).filter((t) => t !== '');

  const persona: LoadedPersona = {
    id,
    name: fm.name,
    shortName,
    description: fm.description,
    category: fm.category ?? DEFAULT_CATEGORY,
    icon: fm.icon ?? DEFAULT_ICON,
    chat: fm.chat ?? id,
    commands,
    questions: fm.questions ?? [],
    reviews: fm.reviews ?? true,
    prompt,
    source,
  };
  if (fm.model !== undefined) persona.model = fm.model;
  if (tools !== undefined) persona.tools = tools;
  if (fm.offlineRules !== undefined) persona.offlineRules = fm.offlineRules;
  return { persona, errors: [] };
}

/**
 * Where persona and workflow files are listed and read from: the disk by default; in a change review,
 * the workspace's files as committed in the change's base (src/core/trust.ts), so a change cannot steer
 * its own review. `list` and `read` take absolute paths and reject like `fs.readdir`/`fs.readFile` (an
 * error with `code` `ENOENT` for a folder or file that does not exist).
 */
export interface DefinitionReader {
  list(dir: string): Promise<string[]>;
  read(file: string): Promise<string>;
}

/** The default {@link DefinitionReader}: the files on disk. */
export const DISK_READER: DefinitionReader = { list: (dir) => readdir(dir), read: (file) => readFile(file, 'utf8') };

/**
 * A {@link DefinitionReader} that lists and reads the files under `dirs` (absolute, inside `root`) as
 * committed in `commit` of the repository at `root`, and everything else from disk. With no commit (a
 * repository without commits) the folders read as absent. Used by change reviews (src/core/trust.ts).
 */
export function definitionReaderAt(root: string, commit: string | undefined, dirs: string[]): DefinitionReader {
  const rel = (p: string): string | undefined => {
    const r = path.relative(root, p);
    return r.startsWith('..') || path.isAbsolute(r) ? undefined : r.split(path.sep).join('/') || '.';
  };
  const guarded = (p: string): boolean => dirs.some((d) => {
    const r = path.relative(d, p);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  });
  const missing = (p: string): NodeJS.ErrnoException => Object.assign(new Error(`ENOENT: ${p} (not in the base commit)`), { code: 'ENOENT' });
  return {
    list: async (dir) => {
      if (!guarded(dir)) return DISK_READER.list(dir);
      const r = rel(dir);
      const names = commit && r !== undefined ? await listAtCommit(root, commit, r) : [];
      if (names.length === 0) throw missing(dir);
      return names;
    },
    read: async (file) => {
      if (!guarded(file)) return DISK_READER.read(file);
      const r = rel(file);
      const text = commit && r !== undefined ? await readAtCommit(root, commit, r) : undefined;
      if (text === undefined) throw missing(file);
      return text;
    },
  };
}

/**
 * Loads every `*.md` file (except README.md) of each directory, in the order given; within a directory,
 * files are read in name order.
 *
 * - A directory that does not exist (or is not a directory) contributes nothing and is not an error.
 * - A persona from a later directory replaces one with the same id from an earlier directory (so pass
 *   the built-ins first, then the workspace `.personas/`). Two files with the same id in the same
 *   directory: the later file (by name) is rejected with an error.
 * - A persona whose `chat` name is already used by another persona is rejected with an error naming both.
 * - One bad file never stops the others: its problems are returned in `errors`, file order.
 *
 * @param dirs absolute (or cwd-relative) directory paths
 * @param reader where files are listed and read ({@link DISK_READER} by default)
 * @returns personas ordered by category (process, design, quality, security, performance, operations as in
 *          `PERSONA_CATEGORIES`), then by load order; `source` is the absolute file path. Never rejects.
 */
export async function loadPersonas(dirs: string[], reader: DefinitionReader = DISK_READER): Promise<{ personas: LoadedPersona[]; errors: PersonaLoadError[] }> {
  const errors: PersonaLoadError[] = [];
  const byId = new Map<string, { persona: LoadedPersona; dirIndex: number }>();

  for (const [dirIndex, dirArg] of dirs.entries()) {
    const dir = path.resolve(dirArg);
    let names: string[];
    try {
      names = await reader.list(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      errors.push({ file: dir, message: `${displayPath(dir)}: cannot list the persona folder (${code ?? String(err)}); check its permissions` });
      continue;
    }
    const files = names.filter((n) => n.toLowerCase().endsWith('.md') && n.toLowerCase() !== 'readme.md').sort();
    for (const name of files) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = await reader.read(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') continue;
        errors.push({ file, message: `${displayPath(file)}: cannot read the file (${code ?? String(err)})` });
        continue;
      }
      const { persona, errors: fileErrors } = parsePersona(text, file);
      errors.push(...fileErrors);
      if (!persona) continue;

      const previous = byId.get(persona.id);
      if (previous && previous.dirIndex === dirIndex) {
        errors.push({
          file,
          field: 'id',
          message: `${displayPath(file)}: field "id": expected an id not used by another file in the same folder, got "${persona.id}" (also ${displayPath(previous.persona.source)})`,
        });
        continue;
      }
      const clash = [...byId.values()].find((e) => e.persona.id !== persona.id && e.persona.chat === persona.chat);
      if (clash) {
        errors.push({
          file,
          field: 'chat',
          message: `${displayPath(file)}: field "chat": expected a chat name no other persona uses, got "${persona.chat}" (already used by "${clash.persona.id}" in ${displayPath(clash.persona.source)})`,
        });
        continue;
      }
      byId.set(persona.id, { persona, dirIndex });
    }
  }

  const loaded = [...byId.values()].map((e) => e.persona);
  const rank = (p: LoadedPersona): number => PERSONA_CATEGORIES.indexOf(p.category);
  // Array.prototype.sort is stable (ES2019), so load order is kept within a category.
  loaded.sort((a, b) => rank(a) - rank(b));
  return { personas: loaded, errors };
}

/**
 * The absolute path of the shipped `personas/` folder. Tries `<__dirname>/../personas` first (the layout
 * of the esbuild bundles in `dist/`), then walks up from `__dirname` to the first folder holding
 * `personas/sre.md` (running from `src/core` under tsx). If neither is found, returns the first candidate;
 * loading it then yields no personas. Never throws.
 */
export function builtinPersonaDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const first = path.join(here, '..', 'personas');
  if (isDir(first)) return first;
  let dir = here;
  for (;;) {
    const candidate = path.join(dir, 'personas');
    if (existsSync(path.join(candidate, 'sre.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return first;
    dir = parent;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Maps what a user typed (CLI `--personas sre,security`, a setting, a chat mention) to personas.
 * Each entry is matched, in this order, against: id, chat name, then case-insensitively against id,
 * chat name, name and shortName. A leading `@` is ignored; blank entries are skipped.
 *
 * @returns `selected` in the order requested, without duplicates; `unknown` = the entries (as given)
 *          that matched nothing, so the caller can say "unknown persona 'x'; known: ...".
 */
export function resolvePersonaIds(requested: string[], personas: LoadedPersona[]): { selected: LoadedPersona[]; unknown: string[] } {
  const selected: LoadedPersona[] = [];
  const unknown: string[] = [];
  for (const entry of requested) {
    const key = entry.trim().replace(/^@/, '');
    if (key === '') continue;
    const lower = key.toLowerCase();
    const match =
      personas.find((p) => p.id === key) ??
      personas.find((p) => p.chat === key) ??
      personas.find(
        (p) =>
          p.id.toLowerCase() === lower ||
          p.chat.toLowerCase() === lower ||
          p.name.toLowerCase() === lower ||
          p.shortName.toLowerCase() === lower,
      );
    if (!match) unknown.push(entry);
    else if (!selected.includes(match)) selected.push(match);
  }
  return { selected, unknown };
}
