/**
 * The extension can be translated (issue 13, First run): every user-facing string of package.json is a `%key%`
 * with its English text in package.nls.json (scripts/nls.mjs), and `node scripts/nls.mjs --fix` moves a new raw
 * string there under a key named after its place; the extension's own messages go through `vscode.l10n.t`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = async () => (await import(path.join(repo, 'scripts/nls.mjs'))) as {
  nlsProblems(pkg: Json, nls: Record<string, string>): string[];
  fixNls(pkg: Json, nls: Record<string, string>): number;
};

test('every user-facing string of package.json is a %key% with its text in package.nls.json, and every key is used', async () => {
  const { nlsProblems } = await load();
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Json;
  const nls = JSON.parse(fs.readFileSync(path.join(repo, 'package.nls.json'), 'utf8')) as Record<string, string>;
  assert.deepEqual(nlsProblems(pkg, nls), [], 'run node scripts/nls.mjs --fix');
  assert.equal(pkg.contributes.walkthroughs[0].steps[0].title, '%walkthrough.firstRun.provider.title%');
  assert.equal(nls['walkthrough.firstRun.provider.title'], 'Choose how reviews run');
  assert.equal(nls['config.projectContext.markdownDescription']?.startsWith("Send the project's guidance files"), true);
});

test("the walkthrough's step pages are package.nls keys naming files that exist, in English and in every translation", async () => {
  // VS Code replaces every `%key%` string of the manifest, paths included (localizeManifest in
  // src/vs/platform/extensionManagement/common/extensionNls.ts), so a translation can point a step at its own page.
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Json;
  const steps = pkg.contributes.walkthroughs.flatMap((w: Json) => w.steps) as Json[];
  assert.equal(steps.length, 4);
  const files = fs.readdirSync(repo).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f));
  assert.ok(files.includes('package.nls.json'));
  for (const file of files) {
    const nls = JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8')) as Record<string, string>;
    for (const s of steps) {
      const key = /^%(.+)%$/.exec(s.media.markdown)?.[1];
      assert.ok(key, `step ${s.id}: media.markdown is a %key% (got ${s.media.markdown})`);
      const page = nls[key] ?? (file === 'package.nls.json' ? undefined : 'fallback');
      if (page === 'fallback') continue; // a translation may leave a page to the English one
      assert.ok(page && fs.existsSync(path.join(repo, page)), `${file}: ${key} names ${page}, which does not exist`);
    }
  }
});

test('--fix moves a new raw setting description and command title into package.nls.json and reports none left; a key with no text is a problem', async () => {
  const { nlsProblems, fixNls } = await load();
  const pkg: Json = {
    displayName: '%displayName%',
    contributes: {
      commands: [
        { command: 'personaReview.newThing', title: 'Do the New Thing', category: '%command.category%' },
        { command: 'personaReview.reviewAs.sre', title: 'Review as SRE', category: 'Persona Review' },
      ],
      configuration: { title: '%config.title%', properties: { 'personaReview.level': { enum: ['a', 'b'], enumDescriptions: ['First.', 'Second.'], markdownDescription: 'How **much**.' } } },
    },
  };
  const nls: Record<string, string> = { displayName: 'Persona Review', 'command.category': 'Persona Review', 'config.title': 'Persona Review', 'old.unused': 'x' };
  assert.equal(nlsProblems(pkg, nls).length, 5, nlsProblems(pkg, nls).join('\n'));
  assert.equal(fixNls(pkg, nls), 4);
  assert.equal(pkg.contributes.commands[0].title, '%command.newThing.title%');
  assert.equal(nls['command.newThing.title'], 'Do the New Thing');
  assert.equal(pkg.contributes.commands[1].title, 'Review as SRE', 'the generated per-persona command stays as the persona files say');
  assert.deepEqual(pkg.contributes.configuration.properties['personaReview.level'].enumDescriptions, ['%config.level.enumDescriptions.a%', '%config.level.enumDescriptions.b%']);
  assert.equal(nls['config.level.markdownDescription'], 'How **much**.');
  assert.ok(!('old.unused' in nls), 'an unused key is dropped');
  assert.deepEqual(nlsProblems(pkg, nls), []);
  pkg.contributes.commands[0].title = '%command.missing.title%';
  assert.deepEqual(nlsProblems(pkg, nls), ['package.json: %command.missing.title% has no text in package.nls.json', 'package.nls.json: "command.newThing.title" is not used in package.json']);
});

test('l10n/bundle.l10n.json holds exactly the vscode.l10n.t strings of src/extension (regenerate with npx @vscode/l10n-dev export --outDir ./l10n ./src/extension)', async () => {
  const ts = await import('typescript');
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const sf = ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true);
        const visit = (n: import('typescript').Node): void => {
          if (ts.isCallExpression(n) && n.expression.getText(sf) === 'vscode.l10n.t') {
            const a = n.arguments[0];
            assert.ok(a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)), `${p}: vscode.l10n.t takes a literal message (${n.getText(sf).slice(0, 80)})`);
            found.add(a.text);
          }
          ts.forEachChild(n, visit);
        };
        visit(sf);
      }
    }
  };
  walk(path.join(repo, 'src/extension'));
  const bundle = JSON.parse(fs.readFileSync(path.join(repo, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Json;
  assert.equal(pkg.l10n, './l10n');
  assert.ok(found.size > 150, `the extension's messages go through vscode.l10n.t (found ${found.size})`);
  assert.deepEqual([...found].filter((s) => !(s in bundle)), [], 'strings missing from the bundle');
  assert.deepEqual(Object.keys(bundle).filter((s) => !found.has(s)), [], 'strings in the bundle no longer used');
});
