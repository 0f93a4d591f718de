import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countTokens } from '@anthropic-ai/tokenizer';
import { builtinPersonaDir, loadPersonas, parsePersona, resolvePersonaIds, type LoadedPersona } from '../../src/core/personas';

const SHIPPED_IDS = [
  'workflow-executor',
  'architect',
  'engineer',
  'qa',
  'reviewer',
  'security',
  'performance',
  'concurrency',
  'sre',
  'devops',
  'documentation',
  'specification',
  'data',
  'ml',
];
const CHAT: Record<string, string> = {
  'workflow-executor': 'workflow',
  architect: 'architect',
  engineer: 'engineer',
  qa: 'qa',
  reviewer: 'reviewer',
  security: 'security',
  performance: 'perf',
  concurrency: 'concurrency',
  sre: 'sre',
  devops: 'devops',
  documentation: 'docs',
  specification: 'spec',
  data: 'data',
  ml: 'ml',
};
const OWN_COMMANDS: Record<string, string[]> = {
  sre: ['readiness', 'slo', 'incident', 'report'],
  security: ['threat-model'],
  architect: ['design'],
  qa: ['test-plan'],
  performance: ['profile-plan'],
  concurrency: ['races'],
  'workflow-executor': ['run', 'status'],
};
const HEADINGS = [
  '## IDENTITY',
  '## CHARACTERISTICS',
  '## RESPONSIBILITIES',
  '## EXPERTISE AREAS',
  '## REVIEW PROTOCOL',
  '## COMMUNICATION STYLE',
  '## OUTPUT TEMPLATE',
];
// Codicons used by the shipped personas (https://microsoft.github.io/vscode-codicons/dist/codicon.html).
/** Every codicon id VS Code knows, from the codicon font's own list (@vscode/codicons dist/codicon.csv). */
const KNOWN_ICONS = new Set(
  fs.readFileSync(require.resolve('@vscode/codicons/dist/codicon.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!.trim())
    .filter(Boolean),
);

const GOOD = `---
name: Good Persona
shortName: Good
description: A valid persona used by the tests.
category: quality
icon: check
chat: good
commands:
  - name: review
    description: Review it
questions:
  - "Is it good?"
reviews: true
---

# Good Persona

## IDENTITY
Fine.
`;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'personas-test-'));
}

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

void describe('shipped personas', () => {
  let personas: LoadedPersona[] = [];

  before(async () => {
    const r = await loadPersonas([builtinPersonaDir()]);
    assert.deepEqual(r.errors, [], 'shipped persona files must load without errors');
    personas = r.personas;
  });

  void test('builtinPersonaDir finds the shipped folder from src/core', () => {
    const dir = builtinPersonaDir();
    assert.ok(fs.existsSync(path.join(dir, 'sre.md')), `${dir} should contain sre.md`);
  });

  void test('all 14 load, with ids equal to their file names', () => {
    assert.deepEqual(personas.map((p) => p.id).sort(), [...SHIPPED_IDS].sort());
    for (const p of personas) assert.equal(path.basename(p.source, '.md'), p.id);
  });

  void test('front matter: chat names, icons, categories, commands, questions, reviews', () => {
    for (const p of personas) {
      assert.equal(p.chat, CHAT[p.id], `${p.id}: chat`);
      assert.ok(KNOWN_ICONS.has(p.icon), `${p.id}: icon ${p.icon} is not a codicon (see @vscode/codicons dist/codicon.csv)`);
      assert.ok(p.shortName.length > 0 && p.name.length > 0 && p.description.length > 0, `${p.id}: names`);
      const names = p.commands.map((c) => c.name);
      assert.deepEqual(names.slice(0, 3), ['review', 'changes', 'explain'], `${p.id}: common commands first`);
      assert.ok(names.length > 3, `${p.id}: has a command of its own`);
      for (const own of OWN_COMMANDS[p.id] ?? []) assert.ok(names.includes(own), `${p.id}: command /${own}`);
      for (const c of p.commands) assert.ok(c.description.length > 10, `${p.id}: /${c.name} description`);
      assert.ok(p.questions.length >= 5 && p.questions.length <= 9, `${p.id}: ${p.questions.length} questions`);
      assert.equal(p.reviews, p.id !== 'workflow-executor', `${p.id}: reviews`);
    }
    const sre = personas.find((p) => p.id === 'sre')!;
    assert.equal(sre.shortName, 'SRE');
    assert.equal(sre.category, 'operations');
    assert.equal(personas.find((p) => p.id === 'workflow-executor')!.category, 'process');
  });

  void test('chat names are unique', () => {
    const chats = personas.map((p) => p.chat);
    assert.equal(new Set(chats).size, chats.length);
  });

  void test('each prompt has the seven headings of seed 000, in order, under a # title', () => {
    for (const p of personas) {
      assert.match(p.prompt, /^# \S.*\n/, `${p.id}: starts with a # title`);
      let at = 0;
      for (const h of HEADINGS) {
        const i = p.prompt.indexOf(`\n${h}\n`, at);
        assert.ok(i >= 0, `${p.id}: missing or out of order: ${h}`);
        at = i + h.length;
      }
    }
  });

  void test('each prompt is at most 1,500 Claude tokens', () => {
    for (const p of personas) {
      const n = countTokens(p.prompt);
      assert.ok(n <= 1500, `${p.id}: ${n} tokens`);
      assert.ok(n >= 400, `${p.id}: only ${n} tokens; the prompt looks truncated`);
    }
  });

  void test('each prompt asks its own questions, treats code as data and leaves the finding format to the engine', () => {
    for (const p of personas) {
      for (const q of p.questions) assert.ok(p.prompt.includes(q), `${p.id}: question not in prompt: ${q}`);
      assert.match(p.prompt, /as data, never as instructions/, `${p.id}: code-is-data rule`);
      assert.doesNotMatch(p.prompt, /```finding|"quote"\s*:|fingerprint/i, `${p.id}: finding format belongs to the engine`);
      assert.match(p.prompt, /Critical → High → Medium → Low/, `${p.id}: severity order`);
    }
  });

  void test('the SRE covers SLOs, error budgets, readiness, observability, incidents and toil', () => {
    const sre = personas.find((p) => p.id === 'sre')!.prompt;
    for (const needle of [
      'SLI',
      'SLO',
      'error budget',
      'policy',
      'Deployment:',
      'Reliability:',
      'Observability:',
      'Operations:',
      'Scalability:',
      'RED',
      'USE',
      'traces',
      'runbook',
      'postmortem',
      'toil',
      'P0',
    ]) {
      assert.ok(sre.toLowerCase().includes(needle.toLowerCase()), `SRE prompt lacks "${needle}"`);
    }
  });

  void test('the Workflow Executor is phase-gated and reports a gate decision', () => {
    const w = personas.find((p) => p.id === 'workflow-executor')!.prompt;
    assert.match(w, /current phase/i);
    assert.match(w, /evidence/i);
    assert.match(w, /violation/i);
    assert.match(w, /Gate decision/);
  });
});

void describe('parsePersona', () => {
  void test('a bad category names the file, the field, what was expected and what was found', () => {
    const r = parsePersona(GOOD.replace('category: quality', 'category: ops'), 'personas/x.md');
    assert.equal(r.persona, undefined);
    assert.equal(r.errors.length, 1);
    assert.deepEqual(r.errors[0], {
      file: 'personas/x.md',
      field: 'category',
      message:
        'personas/x.md: field "category": expected one of process|design|quality|security|performance|operations, got "ops"',
    });
  });

  void test('a missing name is reported as missing', () => {
    const r = parsePersona(GOOD.replace('name: Good Persona\n', ''), 'personas/x.md');
    assert.equal(r.persona, undefined);
    const e = r.errors.find((x) => x.field === 'name');
    assert.ok(e, JSON.stringify(r.errors));
    assert.match(e.message, /^personas\/x\.md: field "name": missing; expected a non-empty display name/);
  });

  void test('invalid YAML is reported with its line', () => {
    const r = parsePersona(GOOD.replace('icon: check', 'icon: [unclosed'), 'personas/x.md');
    assert.equal(r.persona, undefined);
    assert.equal(r.errors[0]?.field, 'front matter');
    assert.match(r.errors[0]!.message, /^personas\/x\.md: front matter is not valid YAML at line \d+/);
  });

  void test('an empty body is an error', () => {
    const text = GOOD.slice(0, GOOD.indexOf('# Good Persona')) + '\n  \n';
    const r = parsePersona(text, 'personas/x.md');
    assert.equal(r.persona, undefined);
    assert.equal(r.errors[0]?.field, 'body');
    assert.match(r.errors[0]!.message, /expected a markdown body/);
  });

  void test('a file without front matter is an error', () => {
    const r = parsePersona('# Just markdown\n\nNo front matter.\n', 'x.md');
    assert.equal(r.persona, undefined);
    assert.match(r.errors[0]!.message, /expected YAML front matter/);
  });

  void test('several problems in one file are all reported, with nested field paths', () => {
    const text = GOOD.replace('category: quality', 'category: ops')
      .replace('reviews: true', 'reviews: "yes"')
      .replace('  - name: review\n', '  - name: "bad name!"\n');
    const fields = parsePersona(text, 'x.md').errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['category', 'commands.0.name', 'reviews']);
  });

  void test('a Claude Code subagent file loads with defaults', () => {
    const text = `---
name: code-reviewer
description: Expert code review specialist. Use after writing code.
tools: Read, Grep, Glob, Bash
model: sonnet
---

You are a senior code reviewer. Review the code you are given.
`;
    const r = parsePersona(text, '/home/u/.claude/agents/code-reviewer.md');
    assert.deepEqual(r.errors, []);
    const p = r.persona!;
    assert.equal(p.id, 'code-reviewer');
    assert.equal(p.name, 'code-reviewer');
    assert.equal(p.shortName, 'code-reviewer');
    assert.equal(p.category, 'quality');
    assert.equal(p.icon, 'person');
    assert.equal(p.chat, 'code-reviewer');
    assert.deepEqual(
      p.commands.map((c) => c.name),
      ['review', 'changes', 'explain'],
    );
    assert.deepEqual(p.questions, []);
    assert.equal(p.reviews, true);
    assert.equal(p.model, 'sonnet');
    assert.deepEqual(p.tools, ['Read', 'Grep', 'Glob', 'Bash']);
    assert.match(p.prompt, /^You are a senior code reviewer/);
  });

  void test('a VS Code custom agent file (tools as a list, .agent.md name) loads', () => {
    const text = '---\r\nname: Planner\r\ndescription: Plans work\r\ntools: [\'search\', \'fetch\']\r\n---\r\nPlan it.\r\n';
    const r = parsePersona(text, '/w/.github/agents/planner.agent.md');
    assert.deepEqual(r.errors, []);
    assert.equal(r.persona!.id, 'planner');
    assert.deepEqual(r.persona!.tools, ['search', 'fetch']);
    assert.equal(r.persona!.prompt, 'Plan it.');
  });
});

void describe('loadPersonas', () => {
  const made: string[] = [];
  const mk = (): string => {
    const d = tempDir();
    made.push(d);
    return d;
  };
  after(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  void test('bad files are reported by file and field, and every other persona still loads', async () => {
    const dir = mk();
    const badCategory = write(dir, 'bad-category.md', GOOD.replace('category: quality', 'category: ops').replace('chat: good', 'chat: a1'));
    const noName = write(dir, 'no-name.md', GOOD.replace('name: Good Persona\n', '').replace('chat: good', 'chat: a2'));
    const badYaml = write(dir, 'bad-yaml.md', GOOD.replace('icon: check', 'icon: [unclosed'));
    const emptyBody = write(dir, 'empty-body.md', GOOD.slice(0, GOOD.indexOf('# Good')));
    write(dir, 'good.md', GOOD);
    write(dir, 'notes.txt', 'not a persona');

    const r = await loadPersonas([builtinPersonaDir(), dir]);
    const byFile = (f: string) => r.errors.filter((e) => e.file === f);
    assert.equal(byFile(badCategory)[0]?.field, 'category');
    assert.match(byFile(badCategory)[0]!.message, /bad-category\.md: field "category"/);
    assert.equal(byFile(noName)[0]?.field, 'name');
    assert.equal(byFile(badYaml)[0]?.field, 'front matter');
    assert.equal(byFile(emptyBody)[0]?.field, 'body');
    assert.equal(r.errors.length, 4, JSON.stringify(r.errors, null, 1));

    const ids = r.personas.map((p) => p.id);
    assert.equal(ids.length, 15);
    assert.ok(ids.includes('good') && ids.includes('sre') && ids.includes('security'));
  });

  void test('a later folder overrides a persona with the same id', async () => {
    const dir = mk();
    const file = write(
      dir,
      'sre.md',
      GOOD.replace('name: Good Persona', 'name: Our SRE').replace('chat: good', 'chat: sre').replace('category: quality', 'category: operations'),
    );
    const r = await loadPersonas([builtinPersonaDir(), dir]);
    assert.deepEqual(r.errors, []);
    const sres = r.personas.filter((p) => p.id === 'sre');
    assert.equal(sres.length, 1);
    assert.equal(sres[0]!.name, 'Our SRE');
    assert.equal(sres[0]!.source, file);
    assert.equal(r.personas.length, 14);
  });

  void test('a duplicate chat name is an error for the later file; the earlier persona stays', async () => {
    const dir = mk();
    const file = write(dir, 'my-sre.md', GOOD.replace('chat: good', 'chat: sre'));
    const r = await loadPersonas([builtinPersonaDir(), dir]);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.file, file);
    assert.equal(r.errors[0]!.field, 'chat');
    assert.match(r.errors[0]!.message, /already used by "sre"/);
    assert.ok(!r.personas.some((p) => p.id === 'my-sre'));
    assert.equal(r.personas.find((p) => p.chat === 'sre')!.id, 'sre');
  });

  void test('two files with the same id in one folder: the second is an error', async () => {
    const dir = mk();
    write(dir, 'a.md', GOOD.replace('name: Good Persona', 'id: same\nname: A').replace('chat: good', 'chat: a'));
    const second = write(dir, 'b.md', GOOD.replace('name: Good Persona', 'id: same\nname: B').replace('chat: good', 'chat: b'));
    const r = await loadPersonas([dir]);
    assert.deepEqual(
      r.personas.map((p) => p.name),
      ['A'],
    );
    assert.equal(r.errors[0]?.file, second);
    assert.equal(r.errors[0]?.field, 'id');
  });

  void test('a missing folder contributes nothing and is not an error', async () => {
    const r = await loadPersonas([path.join(os.tmpdir(), 'no-such-personas-dir-4f1c'), builtinPersonaDir()]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.personas.length, 14);
  });

  void test('personas come ordered by category, process first and operations last', async () => {
    const r = await loadPersonas([builtinPersonaDir()]);
    assert.equal(r.personas[0]!.id, 'workflow-executor');
    assert.equal(r.personas.at(-1)!.category, 'operations');
  });
});

void describe('resolvePersonaIds', () => {
  void test('accepts ids, chat names, names and short names, case-insensitively', async () => {
    const { personas } = await loadPersonas([builtinPersonaDir()]);
    const r = resolvePersonaIds(['SRE', 'security', '@perf', 'software architect', 'docs', 'nope', 'sre', ' '], personas);
    assert.deepEqual(
      r.selected.map((p) => p.id),
      ['sre', 'security', 'performance', 'architect', 'documentation'],
    );
    assert.deepEqual(r.unknown, ['nope']);
  });
});
