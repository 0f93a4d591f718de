/** One definition per fact: the defaults in src/shared/defaults.ts are what package.json's settings and core use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pkg from '../../package.json';
import { DEFAULT_MAX_OUTPUT_TOKENS as CORE_MAX, DEFAULT_MODEL as CORE_MODEL } from '../../src/core/providers/anthropic';
import { COMMON_COMMAND_NAMES as CORE_COMMANDS } from '../../src/core/personas';
import { SEVERITIES as CORE_SEVERITIES } from '../../src/core/types';
import { COMMON_COMMAND_NAMES, DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MODEL } from '../../src/shared/defaults';
import { SEVERITIES } from '../../src/shared/severity';

test('the settings defaults in package.json and core are the shared ones', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default?: unknown; enum?: unknown[] }>;
  assert.equal(props['personaReview.model']!.default, DEFAULT_MODEL);
  assert.equal(props['personaReview.maxOutputTokens']!.default, DEFAULT_MAX_OUTPUT_TOKENS);
  assert.deepEqual(props['personaReview.minimumSeverity']!.enum, [...SEVERITIES]);
  assert.equal(CORE_MODEL, DEFAULT_MODEL);
  assert.equal(CORE_MAX, DEFAULT_MAX_OUTPUT_TOKENS);
  assert.equal(CORE_SEVERITIES, SEVERITIES, 'core re-exports the shared scale, not a copy');
  assert.equal(CORE_COMMANDS, COMMON_COMMAND_NAMES);
});
