import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUserContent } from '../../src/core/providers/prompt';
import type { Persona, ReviewContext } from '../../src/core/types';

const persona: Persona = { id: 'sre', name: 'Site Reliability Engineer', description: '', category: 'operations', icon: 'pulse', chat: 'sre', commands: [], questions: [], reviews: true, prompt: '# SRE\n\nYou are the SRE.', source: '' };
const context: ReviewContext = {
  root: '/ws',
  files: [],
  chunks: [{ index: 0, total: 1, parts: [{ path: 'a.js', startLine: 1, endLine: 1 }], text: '<code_under_review path="a.js">\n1 | x()\n</code_under_review>', tokens: 10 }],
  notices: [],
  totalTokens: 10,
};

test('a slash command task follows the persona prompt, after the cached code block', () => {
  const blocks = buildUserContent(context, 0, persona, 'Run a production readiness review of the code.');
  assert.equal(blocks.length, 2);
  assert.ok(blocks[0]!.cache_control, 'the code block stays the cached prefix');
  assert.ok(!blocks[0]!.text.includes('readiness'), 'the task is not in the shared, cached block');
  const instructions = blocks[1]!.text;
  assert.ok(instructions.indexOf('You are the SRE.') < instructions.indexOf('Run a production readiness review'));
});

test('without a task the instructions are the plain review', () => {
  const [, instructions] = buildUserContent(context, 0, persona);
  assert.ok(!/readiness/.test(instructions!.text));
  assert.match(instructions!.text, /Review the code above as the Site Reliability Engineer/);
});
