/**
 * package.json's chat contributions match personas/*.md (scripts/sync-chat-participants.mjs): one participant
 * per persona named by its `chat` field, with its front-matter commands, plus @team; the persona_review tool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations.
import { applyContributions, chatContributions, chatPersonas } from '../../scripts/sync-chat-participants.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const personasDir = path.join(root, 'personas');

interface Participant {
  id: string;
  name: string;
  fullName: string;
  description: string;
  isSticky: boolean;
  commands: Array<{ name: string; description: string }>;
  disambiguation: Array<{ category: string; description: string; examples: string[] }>;
}

test('package.json is what sync-chat-participants.mjs generates (run it after changing a persona)', () => {
  const next = applyContributions(pkg, chatContributions(personasDir));
  assert.deepEqual(pkg.contributes.chatParticipants, next.contributes.chatParticipants);
  assert.deepEqual(pkg.contributes.languageModelTools, next.contributes.languageModelTools);
});

test('every persona has a participant named by its chat field, with exactly its front-matter commands, and back', () => {
  const participants = pkg.contributes.chatParticipants as Participant[];
  const personas = chatPersonas(personasDir) as Array<{ id: string; name: string; chat: string; commands: Array<{ name: string }> }>;
  for (const p of personas) {
    const part = participants.find((x) => x.name === p.chat);
    assert.ok(part, `@${p.chat} (${p.id}) is declared`);
    assert.equal(part.id, `personaReview.${p.chat}`);
    assert.equal(part.fullName, p.name);
    assert.equal(part.isSticky, false);
    assert.deepEqual(part.commands.map((c) => c.name), p.commands.map((c) => c.name));
    assert.ok(part.disambiguation[0]!.examples.length >= 2, `${p.id} has disambiguation examples`);
  }
  const names = new Set(personas.map((p) => p.chat));
  for (const part of participants.filter((x) => x.name !== 'team')) assert.ok(names.has(part.name), `@${part.name} belongs to a persona`);
  for (const want of ['architect', 'engineer', 'qa', 'reviewer', 'security', 'perf', 'concurrency', 'sre', 'team', 'workflow']) {
    assert.ok(participants.some((x) => x.name === want), `@${want} is declared`);
  }
  const sre = participants.find((x) => x.name === 'sre')!;
  for (const c of ['review', 'changes', 'explain', 'readiness', 'slo', 'incident', 'report']) assert.ok(sre.commands.some((x) => x.name === c), `@sre /${c}`);
});

test('the persona_review tool takes persona ids (an enum of reviewing personas), files and ranges', () => {
  const [tool] = pkg.contributes.languageModelTools as Array<{ name: string; canBeReferencedInPrompt: boolean; toolReferenceName: string; inputSchema: { required: string[]; properties: Record<string, { items?: { enum?: string[] } }> } }>;
  assert.equal(tool!.name, 'persona_review');
  assert.equal(tool!.canBeReferencedInPrompt, true);
  assert.ok(tool!.toolReferenceName);
  assert.deepEqual(tool!.inputSchema.required, ['personas']);
  const ids = tool!.inputSchema.properties.personas!.items!.enum!;
  assert.ok(ids.includes('security') && ids.includes('sre'));
  assert.ok(!ids.includes('workflow-executor'), 'the Workflow Executor does not review code');
  assert.ok(tool!.inputSchema.properties.files && tool!.inputSchema.properties.ranges);
});

test('the Apply-fix command is declared and hidden from the command palette', () => {
  assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === 'personaReview.applyFindingFix'));
  assert.ok(pkg.contributes.menus.commandPalette.some((c: { command: string; when: string }) => c.command === 'personaReview.applyFindingFix' && c.when === 'false'));
});
