// Keeps package.json's user-facing strings translatable: every such string is a `%key%` whose English text is in
// package.nls.json (VS Code replaces `%key%` with the text of package.nls.<locale>.json, else package.nls.json;
// https://code.visualstudio.com/api/references/contribution-points and the l10n sample). The strings are the
// fields VS Code shows: displayName, description, commands' title/shortTitle/category, the configuration's
// title and each setting's description, markdownDescription, enumDescriptions, markdownEnumDescriptions and
// deprecation messages, views' name and contextualTitle, view containers' title, welcome contents, the
// walkthroughs' titles, descriptions, alt texts and step pages (a markdown path, so a translation can name a
// translated copy), and the Restricted Mode and virtual workspace descriptions.
// Left raw on purpose: what scripts/sync-persona-commands.mjs and scripts/sync-chat-participants.mjs generate
// from personas/*.md (the "Review as <persona>" commands, chat participants, the language model tool, the
// chat's hidden "Apply fix" command): persona text is translated in the persona files.
//
// Usage: node scripts/nls.mjs          check: exit 1 listing raw strings, missing keys and unused keys
//        node scripts/nls.mjs --fix    move every raw string into package.nls.json under a key derived from
//                                      its place (command.setApiKey.title, config.provider.description, ...),
//                                      drop unused keys, and write both files
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const GENERATED_COMMAND = /^personaReview\.(reviewAs\.|applyFindingFix$)/;
const short = (id) => id.replace(/^personaReview\./, '');

/**
 * Every translatable string of `pkg` as [key, holder, field]: `holder[field]` is the string (raw or `%key%`),
 * `key` the key it gets. Arrays of strings (enumDescriptions) give one entry per item, field = index.
 */
export function translatableFields(pkg) {
  const out = [];
  const add = (key, holder, field) => {
    if (holder && typeof holder[field] === 'string' && holder[field] !== '') out.push([key, holder, field]);
  };
  add('displayName', pkg, 'displayName');
  add('description', pkg, 'description');
  add('capabilities.untrustedWorkspaces.description', pkg.capabilities?.untrustedWorkspaces, 'description');
  add('capabilities.virtualWorkspaces.description', pkg.capabilities?.virtualWorkspaces, 'description');
  const c = pkg.contributes ?? {};
  for (const [where, list] of Object.entries(c.viewsContainers ?? {})) for (const v of list) add(`viewsContainer.${where}.${short(v.id)}.title`, v, 'title');
  for (const list of Object.values(c.views ?? {})) {
    for (const v of list) {
      add(`view.${short(v.id)}.name`, v, 'name');
      add(`view.${short(v.id)}.contextualTitle`, v, 'contextualTitle');
    }
  }
  const welcomeCount = {};
  for (const w of c.viewsWelcome ?? []) {
    const n = (welcomeCount[w.view] = (welcomeCount[w.view] ?? 0) + 1);
    add(`viewsWelcome.${short(w.view)}.${n}`, w, 'contents');
  }
  for (const cmd of c.commands ?? []) {
    if (GENERATED_COMMAND.test(cmd.command)) continue;
    add(`command.${short(cmd.command)}.title`, cmd, 'title');
    add(`command.${short(cmd.command)}.shortTitle`, cmd, 'shortTitle');
    add('command.category', cmd, 'category');
  }
  const configs = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
  configs.forEach((conf, i) => {
    add(i === 0 ? 'config.title' : `config.${i}.title`, conf, 'title');
    for (const [name, prop] of Object.entries(conf.properties ?? {})) {
      const k = `config.${short(name)}`;
      for (const f of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) add(`${k}.${f}`, prop, f);
      for (const f of ['enumDescriptions', 'markdownEnumDescriptions']) (prop[f] ?? []).forEach((_, j) => add(`${k}.${f}.${prop.enum?.[j] ?? j}`, prop[f], j));
    }
  });
  for (const w of c.walkthroughs ?? []) {
    const k = `walkthrough.${short(w.id)}`;
    add(`${k}.title`, w, 'title');
    add(`${k}.description`, w, 'description');
    for (const s of w.steps ?? []) {
      add(`${k}.${s.id}.title`, s, 'title');
      add(`${k}.${s.id}.description`, s, 'description');
      add(`${k}.${s.id}.altText`, s.media, 'altText');
      // The step's page is a path: a translation points it at a translated copy (media/walkthrough/<locale>/x.md).
      add(`${k}.${s.id}.markdown`, s.media, 'markdown');
    }
  }
  return out;
}

const KEY = /^%([^%\s]+)%$/;

/** Problems of `pkg` against `nls` (raw strings, missing and unused keys), one line each. */
export function nlsProblems(pkg, nls) {
  const problems = [];
  const used = new Set();
  for (const [key, holder, field] of translatableFields(pkg)) {
    const v = holder[field];
    const m = KEY.exec(v);
    if (!m) problems.push(`package.json: "${String(v).slice(0, 60)}" (${key}) is not a %key% of package.nls.json`);
    else if (!(m[1] in nls)) problems.push(`package.json: %${m[1]}% has no text in package.nls.json`);
    else used.add(m[1]);
  }
  for (const k of Object.keys(nls)) if (!used.has(k)) problems.push(`package.nls.json: "${k}" is not used in package.json`);
  return problems;
}

/** Moves every raw string of `pkg` into `nls` (mutating both); returns the number moved. */
export function fixNls(pkg, nls) {
  let moved = 0;
  const used = new Set();
  for (const [key, holder, field] of translatableFields(pkg)) {
    const v = holder[field];
    const m = KEY.exec(v);
    if (m && m[1] in nls) {
      used.add(m[1]);
      continue;
    }
    if (m) continue; // a key with no text: left for a person to write
    if (key in nls && nls[key] !== v) throw new Error(`package.nls.json already has "${key}" with another text; rename one of them`);
    nls[key] = v;
    holder[field] = `%${key}%`;
    used.add(key);
    moved++;
  }
  for (const k of Object.keys(nls)) if (!used.has(k)) delete nls[k];
  return moved;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const pkgPath = path.join(root, 'package.json');
  const nlsPath = path.join(root, 'package.nls.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  let nls = {};
  try {
    nls = JSON.parse(readFileSync(nlsPath, 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw new Error(`package.nls.json: ${e.message}`);
  }
  if (process.argv.includes('--fix')) {
    const moved = fixNls(pkg, nls);
    writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
    writeFileSync(nlsPath, JSON.stringify(nls, null, 2) + '\n');
    console.log(`package.nls.json: ${moved} string(s) moved from package.json; ${Object.keys(nls).length} keys`);
  } else {
    const problems = nlsProblems(pkg, nls);
    if (problems.length > 0) {
      console.error(problems.join('\n'));
      console.error(`${problems.length} problem(s): run node scripts/nls.mjs --fix to move new strings into package.nls.json`);
      process.exit(1);
    }
  }
}
