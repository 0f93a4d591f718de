/**
 * The command check (scripts/check-commands.mjs) as a developer runs it: on this repository it passes
 * (declared and registered commands match both ways, every reviewing persona has its "Review as"
 * command); on small made-up extensions with each kind of mismatch it fails and names the command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const script = path.join(repo, 'scripts/check-commands.mjs');

function check(root: string): { code: number; problems: string[]; declared: string[]; registered: string[] } {
  const r = spawnSync(process.execPath, [script, '--root', root, '--json'], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as { problems: string[]; declared: string[]; registered: string[] };
  return { code: r.status ?? -1, ...out };
}

/** A throw-away extension folder: package.json contributes, src/extension/*.ts sources, personas/*.md files. */
function fixture(opts: { contributes: unknown; sources: Record<string, string>; personas?: Record<string, string> }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-commands-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', contributes: opts.contributes }));
  fs.mkdirSync(path.join(dir, 'src/extension'), { recursive: true });
  for (const [name, text] of Object.entries(opts.sources)) fs.writeFileSync(path.join(dir, 'src/extension', name), text);
  if (opts.personas) {
    fs.mkdirSync(path.join(dir, 'personas'));
    for (const [name, text] of Object.entries(opts.personas)) fs.writeFileSync(path.join(dir, 'personas', name), text);
  }
  return dir;
}

const persona = (id: string, shortName: string, reviews = true) =>
  `---\nid: ${id}\nname: ${shortName} Person\nshortName: ${shortName}\ndescription: d\ncategory: quality\nicon: beaker\nchat: ${id}\nreviews: ${reviews}\n---\nbody\n`;

test('this repository: every declared command is registered and every registered one declared', () => {
  const r = check(repo);
  assert.deepEqual(r.problems, []);
  assert.equal(r.code, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string; title: string; category?: string }> } };
  // Titles are `%key%`s of package.nls.json (scripts/nls.mjs), except the generated per-persona ones.
  const nls = JSON.parse(fs.readFileSync(path.join(repo, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (s: string | undefined) => (s && /^%[^%]+%$/.test(s) ? nls[s.slice(1, -1)] : s);
  const titles = new Map(pkg.contributes.commands.map((c) => [c.command, text(c.title)]));
  // The commands the issue names, with their titles.
  for (const [id, title] of [
    ['personaReview.reviewAs', 'Review as...'],
    ['personaReview.reviewChangesAs', 'Review Changes as...'],
    ['personaReview.setApiKey', 'Set Anthropic API Key'],
    ['personaReview.clearApiKey', 'Clear API Key'],
    ['personaReview.showPanel', 'Show Review Panel'],
    ['personaReview.clearFindings', 'Clear Findings'],
    ['personaReview.reviewAs.architect', 'Review as Architect'],
    ['personaReview.reviewAs.security', 'Review as Security Engineer'],
    ['personaReview.reviewAs.sre', 'Review as SRE'],
  ]) {
    assert.equal(titles.get(id!), title, id);
  }
  assert.ok(pkg.contributes.commands.every((c) => text(c.category) === 'Persona Review'), 'every command is in the "Persona Review" category');
  // The Workflow Executor does not review code, so it has no command.
  assert.ok(!titles.has('personaReview.reviewAs.workflow-executor'));
});

test('this repository: one "Review as" command per reviewing persona file', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
  const declared = pkg.contributes.commands.map((c) => c.command).filter((c) => c.startsWith('personaReview.reviewAs.'));
  const reviewing = fs
    .readdirSync(path.join(repo, 'personas'))
    .filter((n) => n.endsWith('.md'))
    .filter((n) => !/^reviews:\s*false\s*$/m.test(fs.readFileSync(path.join(repo, 'personas', n), 'utf8')))
    .map((n) => `personaReview.reviewAs.${n.replace(/\.md$/, '')}`);
  assert.deepEqual([...declared].sort(), [...reviewing].sort());
});

test('the hidden commands are kept out of the Command Palette', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { contributes: { menus: { commandPalette: Array<{ command: string; when: string }> } } };
  const hidden = new Set(pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
  for (const id of ['personaReview.explainFinding', 'personaReview.dismissFinding', 'personaReview.revealFinding']) assert.ok(hidden.has(id), id);
});

test('a declared command that is never registered, and a registered one never declared, are both reported', () => {
  const dir = fixture({
    contributes: { commands: [{ command: 'personaReview.a', title: 'A' }, { command: 'personaReview.b', title: 'B' }] },
    sources: { 'main.ts': "vscode.commands.registerCommand('personaReview.a', f);\nvscode.commands.registerCommand(\"personaReview.c\", g);\n" },
  });
  const r = check(dir);
  assert.equal(r.code, 1);
  assert.ok(r.problems.includes('declared in package.json but never registered: personaReview.b'), r.problems.join('\n'));
  assert.ok(r.problems.includes('registered but not declared in package.json: personaReview.c'), r.problems.join('\n'));
});

test('constants and prefix templates count as registrations; comments do not', () => {
  const dir = fixture({
    contributes: { commands: [{ command: 'personaReview.x', title: 'X' }, { command: 'personaReview.reviewAs.qa', title: 'Review as QA' }] },
    sources: {
      'ids.ts': "export const X_COMMAND = 'personaReview.x';\n",
      'main.ts': '// registerCommand(\'personaReview.ghost\')\nregisterCommand(X_COMMAND, f);\nfor (const id of ids) registerCommand(`personaReview.reviewAs.${id}`, g);\n',
    },
    personas: { 'qa.md': persona('qa', 'QA') },
  });
  const r = check(dir);
  assert.deepEqual(r.problems, []);
  assert.equal(r.code, 0);
});

test('a reviewing persona without its command, a wrong title and a command without a persona are reported', () => {
  const dir = fixture({
    contributes: {
      commands: [
        { command: 'personaReview.reviewAs.qa', title: 'Review as Quality' },
        { command: 'personaReview.reviewAs.gone', title: 'Review as Gone' },
      ],
    },
    sources: { 'main.ts': 'registerCommand(`personaReview.reviewAs.${id}`, g);\n' },
    personas: { 'qa.md': persona('qa', 'QA'), 'sre.md': persona('sre', 'SRE'), 'flow.md': persona('flow', 'Flow', false) },
  });
  const r = check(dir);
  assert.equal(r.code, 1);
  assert.ok(r.problems.some((p) => p.startsWith('no command for reviewing persona "sre"')), r.problems.join('\n'));
  assert.ok(r.problems.includes('personaReview.reviewAs.qa is titled "Review as Quality", expected "Review as QA"'), r.problems.join('\n'));
  assert.ok(r.problems.includes('personaReview.reviewAs.gone has no reviewing persona in personas/'), r.problems.join('\n'));
  assert.ok(!r.problems.some((p) => p.includes('"flow"')), 'a persona with reviews: false needs no command');
});

test('menus, keybindings and welcome links must use declared commands', () => {
  const dir = fixture({
    contributes: {
      commands: [{ command: 'personaReview.a', title: 'A' }],
      menus: { 'editor/context': [{ command: 'personaReview.missing' }] },
      keybindings: [{ command: 'personaReview.nokey', key: 'ctrl+k' }],
      viewsWelcome: [{ view: 'v', contents: '[Go](command:personaReview.nolink) [Trust](command:workbench.trust.manage)' }],
    },
    sources: { 'main.ts': "registerCommand('personaReview.a', f);\n" },
  });
  const r = check(dir);
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.problems.sort(),
    [
      'keybindings uses an undeclared command: personaReview.nokey',
      'menus.editor/context uses an undeclared command: personaReview.missing',
      'viewsWelcome v uses an undeclared command: personaReview.nolink',
    ].sort(),
  );
});
