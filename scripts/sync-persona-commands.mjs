// Regenerates the per-persona commands in package.json from personas/*.md: one
// `personaReview.reviewAs.<id>` command titled "Review as <shortName>" (category "Persona Review") per
// persona whose front matter does not say `reviews: false`, sorted by id, placed after the other
// commands. VS Code needs commands declared statically, so this runs whenever a persona is added or
// renamed; `node scripts/check-commands.mjs` (part of the unit tests) fails when they are out of date.
// Usage: node scripts/sync-persona-commands.mjs [--check]   (--check: exit 1 instead of writing)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
export const PREFIX = 'personaReview.reviewAs.';

/** Reviewing personas of `dir`: [{ id, shortName, icon }], sorted by id. Throws naming the file on bad front matter. */
export function reviewingPersonas(dir) {
  const out = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (!m) throw new Error(`${name}: no YAML front matter between --- lines`);
    const fm = YAML.parse(m[1]);
    const id = fm.id ?? name.replace(/\.md$/, '');
    if (fm.reviews === false) continue;
    const shortName = fm.shortName ?? fm.name;
    if (typeof shortName !== 'string' || shortName.trim() === '') throw new Error(`${name}: field "name": expected a non-empty display name`);
    out.push({ id, shortName: shortName.trim(), icon: typeof fm.icon === 'string' ? fm.icon : 'person' });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The command declarations for `personas`. */
export function personaCommands(personas) {
  return personas.map((p) => ({ command: `${PREFIX}${p.id}`, title: `Review as ${p.shortName}`, category: 'Persona Review', icon: `$(${p.icon})` }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const pkgPath = path.join(root, 'package.json');
  const raw = readFileSync(pkgPath, 'utf8');
  const pkg = JSON.parse(raw);
  pkg.contributes ??= {};
  const others = (pkg.contributes.commands ?? []).filter((c) => !c.command.startsWith(PREFIX));
  pkg.contributes.commands = [...others, ...personaCommands(reviewingPersonas(path.join(root, 'personas')))];
  const next = JSON.stringify(pkg, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    if (next !== raw) {
      console.error('package.json: the per-persona commands are out of date; run node scripts/sync-persona-commands.mjs');
      process.exit(1);
    }
  } else if (next !== raw) {
    writeFileSync(pkgPath, next);
    console.log(`package.json: ${pkg.contributes.commands.length - others.length} persona commands written`);
  }
}
