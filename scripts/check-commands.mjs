// Checks, statically, that the commands declared in package.json and the commands the extension registers
// match both ways (after vscode-pull-request-github's scripts/check-commands.js):
// - every `contributes.commands` id is registered by a `registerCommand(...)` call in src/extension/**/*.ts
//   (or is one of the server's `ServerCommands`, which the language client registers), and every registered
//   id is declared;
// - every command used in menus, keybindings and welcome-view links is declared (or built into VS Code);
// - the command ids src/shared/protocol.ts names (`*_COMMAND`, run by the server's code actions) are declared;
// - each reviewing persona in personas/*.md has exactly one `personaReview.reviewAs.<id>` command titled
//   "Review as <shortName>", and there is no such command for any other id.
// A registerCommand argument may be a string literal, a constant defined as a string literal in
// src/extension or src/shared, or a template literal with a fixed prefix (`personaReview.reviewAs.${id}`),
// which registers every declared command with that prefix.
// Usage: node scripts/check-commands.mjs [--root <dir>] [--json]   exit 0 when all match, 1 otherwise.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { reviewingPersonas, PREFIX } from './sync-persona-commands.mjs';

/** Strips block comments and whole-line `//` comments (enough for our sources; URLs inside strings survive). */
function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The .ts files under `dir`, subfolders included (src/extension/chat/ ...). */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `{ exact: Set<id>, prefixes: Set<prefix>, unresolved: string[] }` from the extension's sources. */
export function registeredCommands(root) {
  const sources = tsFiles(path.join(root, 'src/extension')).map((f) => ({ f, src: stripComments(readFileSync(f, 'utf8')) }));
  const constants = new Map();
  for (const f of [...tsFiles(path.join(root, 'src/shared')), ...sources.map((s) => s.f)]) {
    const src = stripComments(readFileSync(f, 'utf8'));
    for (const m of src.matchAll(/\bconst\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>]+\s*)?=\s*(['"])([^'"]+)\2/g)) constants.set(m[1], m[3]);
  }
  const exact = new Set();
  const prefixes = new Set();
  const unresolved = [];
  for (const { f, src } of sources) {
    for (const m of src.matchAll(/registerCommand\(\s*(?:(['"])([^'"]+)\1|`([^`$]*)(\$\{)?[^`]*`|([A-Za-z_$][\w$.]*))/g)) {
      if (m[2]) exact.add(m[2]);
      else if (m[3] !== undefined && m[4]) prefixes.add(m[3]);
      else if (m[3] !== undefined) exact.add(m[3]);
      else if (m[5] && constants.has(m[5].split('.').pop())) exact.add(constants.get(m[5].split('.').pop()));
      else unresolved.push(`${path.relative(root, f)}: registerCommand(${m[5] ?? '?'}) — cannot resolve the id statically; use a string literal or a constant`);
    }
  }
  // The server's `workspace/executeCommand` commands (src/shared/protocol.ts `ServerCommands`): the language
  // client registers them in VS Code from the server's `executeCommandProvider`.
  const protocol = path.join(root, 'src/shared/protocol.ts');
  if (existsSync(protocol)) {
    const block = /export const ServerCommands = \{([\s\S]*?)\}/.exec(stripComments(readFileSync(protocol, 'utf8')));
    for (const m of (block?.[1] ?? '').matchAll(/:\s*'([^']+)'/g)) exact.add(m[1]);
  }
  return { exact, prefixes, unresolved };
}

/** Every problem found in `root` (an empty list when declarations and registrations match). */
export function checkCommands(root) {
  const problems = [];
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const c = pkg.contributes ?? {};
  const declared = (c.commands ?? []).map((x) => x.command);
  const declaredSet = new Set(declared);
  for (const id of declared.filter((id, i) => declared.indexOf(id) !== i)) problems.push(`declared twice in package.json: ${id}`);

  const { exact, prefixes, unresolved } = registeredCommands(root);
  problems.push(...unresolved);
  const isRegistered = (id) => exact.has(id) || [...prefixes].some((p) => id.startsWith(p));
  for (const id of declared) if (!isRegistered(id)) problems.push(`declared in package.json but never registered: ${id}`);
  for (const id of exact) if (!declaredSet.has(id)) problems.push(`registered but not declared in package.json: ${id}`);
  for (const p of prefixes) if (!declared.some((id) => id.startsWith(p))) problems.push(`registered with prefix ${p} but no declared command has it`);

  // Commands referenced elsewhere in the manifest must exist (VS Code's own commands are allowed in links).
  const referenced = [];
  for (const [menu, items] of Object.entries(c.menus ?? {})) for (const it of items) if (it.command) referenced.push([`menus.${menu}`, it.command]);
  for (const k of c.keybindings ?? []) referenced.push(['keybindings', k.command]);
  for (const w of c.viewsWelcome ?? []) for (const m of w.contents.matchAll(/\(command:([\w.-]+)/g)) referenced.push([`viewsWelcome ${w.view}`, m[1]]);
  for (const [where, id] of referenced) if (id.startsWith('personaReview.') && !declaredSet.has(id)) problems.push(`${where} uses an undeclared command: ${id}`);

  // Command ids the protocol names (code actions run them) must be declared too.
  const protocol = path.join(root, 'src/shared/protocol.ts');
  if (existsSync(protocol)) {
    for (const m of stripComments(readFileSync(protocol, 'utf8')).matchAll(/export\s+const\s+\w+_COMMAND\s*=\s*(['"])([^'"]+)\1/g)) {
      if (!declaredSet.has(m[2])) problems.push(`src/shared/protocol.ts names command ${m[2]}, which package.json does not declare`);
    }
  }

  // One "Review as <shortName>" command per reviewing persona.
  const personasDir = path.join(root, 'personas');
  if (existsSync(personasDir)) {
    const personas = reviewingPersonas(personasDir);
    const ids = new Set(personas.map((p) => p.id));
    for (const p of personas) {
      const decl = (c.commands ?? []).filter((x) => x.command === `${PREFIX}${p.id}`);
      if (decl.length === 0) problems.push(`no command for reviewing persona "${p.id}": run node scripts/sync-persona-commands.mjs`);
      else if (decl[0].title !== `Review as ${p.shortName}`) problems.push(`${PREFIX}${p.id} is titled "${decl[0].title}", expected "Review as ${p.shortName}"`);
    }
    for (const id of declared) if (id.startsWith(PREFIX) && !ids.has(id.slice(PREFIX.length))) problems.push(`${id} has no reviewing persona in personas/`);
  }
  return { declared, registered: [...exact].sort(), prefixes: [...prefixes], problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const i = process.argv.indexOf('--root');
  const root = i > 0 ? path.resolve(process.argv[i + 1]) : path.dirname(path.dirname(new URL(import.meta.url).pathname));
  const result = checkCommands(root);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else if (result.problems.length === 0) console.log(`commands: ${result.declared.length} declared, all registered; every reviewing persona has its command`);
  else for (const p of result.problems) console.error(p);
  process.exit(result.problems.length === 0 ? 0 : 1);
}
