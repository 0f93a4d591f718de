/**
 * A test plan (`/test-plan`): cases per function and a regression test per finding.
 */
import { sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';
import { codeSignals, declarations } from './signals';

export function renderTestPlan(input: CommandInput): string {
  const out = [`## Test plan: ${escapeInline(input.targetLabel)}`, ''];
  const s = codeSignals(input.files);
  for (const f of input.files) {
    const decl = declarations(f);
    if (decl.length === 0) continue;
    out.push(`### ${inlineCode(f.path)}`, '', '| Function | Case | Input | Expected |', '|---|---|---|---|');
    for (const d of decl.slice(0, 15)) {
      const fn = inlineCode(`${d.name} (line ${d.line})`);
      out.push(`| ${fn} | normal path | typical valid input | the documented result |`);
      out.push(`| ${fn} | edge | empty, zero, maximum-size and unicode input | no crash; defined result |`);
      out.push(`| ${fn} | error path | a failing dependency or invalid input | a clear error, nothing half-written |`);
    }
    out.push('');
  }
  for (const e of s.endpoints) out.push(`- ${inlineCode(`${e.method} ${e.path}`)}: 2xx with valid input, 4xx with missing/invalid fields, 5xx path when the dependency fails, and auth denied.`);
  out.push('', '### Regression tests for the findings', '');
  const sorted = sortFindings(input.findings);
  if (sorted.length === 0) out.push('- No findings to cover.');
  for (const f of sorted) out.push(`- ${inlineCode(formatLocation(f))}: a test that fails today because of "${escapeInline(f.title)}" and passes after the fix.`);
  if (!s.tests) out.push('', 'No test files were among the reviewed files: check where the tests for this code live.');
  return out.join('\n');
}
