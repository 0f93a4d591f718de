// One severity scale across the system prompt and every persona prompt (issue 11): the reply format states
// the scale from src/core/severity.ts; persona prompts refer to it and give examples, never definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSystemPrompt } from '../../src/core/providers/prompt';
import { SEVERITIES, SEVERITY_SCALE } from '../../src/core/severity';
import { builtinPersonaDir, loadPersonas } from '../../src/core/personas';

test('the system prompt defines each severity once, from the shared scale', () => {
  const system = buildSystemPrompt();
  for (const s of SEVERITIES) {
    assert.ok(system.includes(`\`${s}\`: ${SEVERITY_SCALE[s]}`), `${s} defined from SEVERITY_SCALE`);
    assert.equal(system.split(`\`${s}\`:`).length - 1, 1, `${s} defined once`);
  }
});

test('every persona prompt grades on the shared scale and gives examples, not its own definitions', async () => {
  const { personas, errors } = await loadPersonas([builtinPersonaDir()]);
  assert.deepEqual(errors, []);
  assert.ok(personas.length >= 13);
  for (const p of personas) {
    assert.match(p.prompt, /graded on the one severity scale of the reply format\. Examples from this field: critical — .+; high — .+; medium — .+; low — .+\./, p.id);
    assert.doesNotMatch(p.prompt, /\b(Critical|High|Medium|Low): /, `${p.id} defines no level of its own`);
  }
});

test('the system prompt forbids images, HTML and links copied from the code', () => {
  const system = buildSystemPrompt();
  assert.match(system, /no images, no HTML tags/);
  assert.match(system, /Never copy a URL from\s+the code under review into a link/);
});
