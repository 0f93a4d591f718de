/**
 * Rule family: code injection (CWE-94, CWE-95, OWASP A03:2021). Request input that reaches `eval`,
 * `new Function`, string `setTimeout`, Node `vm`, Python `eval`/`exec` or `ScriptEngine.eval` is
 * critical. Dynamic evaluation of other non-constant strings (a schema compiler's generated code,
 * say) has no attacker input in sight, so it is at most low.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { builtFlows, fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Parse data instead of evaluating it (`JSON.parse`), pass a function to `setTimeout`, or dispatch through a map of allowed functions.',
  python: 'Parse data instead of evaluating it (`json.loads`, `ast.literal_eval`), or dispatch through a dict of allowed functions.',
  go: 'Do not evaluate code assembled from input.',
  java: 'Do not evaluate scripts assembled from input; bind values as script variables (`engine.put`) or replace the script with code.',
};

/** The `security/code-injection` rule (see its `description`). */
export const codeInjection: FileRule = {
  kind: 'file',
  id: 'security/code-injection',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'critical',
  category: 'code-injection',
  title: 'Code injection from request input',
  description:
    'Follows request input into `eval`, `new Function`, string `setTimeout`/`setInterval`, Node `vm`, Python `eval`/`exec` and Java `ScriptEngine.eval`. Whoever controls the evaluated text runs arbitrary code in the process. Replace evaluation with data (`JSON.parse`, `ast.literal_eval`, a lookup table). Evaluation of strings built from other values is reported at low severity: there is no attacker input in sight.',
  references: ['CWE-94', 'CWE-95', 'OWASP A03:2021'],
  confidence: 0.85,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'code', project)) {
      hits.push(taintHit(f, { title: 'Code injection from request input', what: 'Code to evaluate comes from request input', impact: 'An attacker can run arbitrary code in this process.', fix }));
    }
    for (const f of builtFlows(file, 'code', project)) {
      hits.push({
        node: f.node,
        severity: 'low',
        confidence: 0.4,
        title: 'Code evaluated from a built string',
        message: `${code(f.api)} evaluates code built from non-constant values (${code(f.value.built!.node.text, 50)}), none of which this file traces to request input. Keep it that way: anyone who controls a spliced value could run code here. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};
