/**
 * Rule family: code injection through dynamic evaluation (CWE-94, CWE-95).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments, calleeMethod, isJs } from '../../lang';
import { callsOf } from '../../nodes';
import { resolvedCallee } from '../../bindings';

import { taintOf, describeTaint, unwrapArg } from './common';

// ---------------------------------------------------------------------------------------------
// Code injection (eval)

function evalSinks(call: SyntaxNode, file: ParsedFile): { sinks: SyntaxNode[]; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  if (isJs(lang)) {
    if (/^((window|globalThis|global)\.)?eval$/.test(name)) return { sinks: args.slice(0, 1), api: 'eval' };
    // The last argument is the function body; the others are parameter names.
    if (/^new ((window|globalThis)\.)?Function$/.test(name) || /^((window|globalThis)\.)?Function$/.test(name)) return { sinks: args.slice(-1), api: 'new Function' };
    if (/^((window|globalThis|global)\.)?(setTimeout|setInterval)$/.test(name)) return { sinks: args.slice(0, 1), api: name };
    if (/^vm\.(runInThisContext|runInNewContext|runInContext|compileFunction)$/.test(name) || name === 'new vm.Script') return { sinks: args.slice(0, 1), api: name };
    return undefined;
  }
  if (lang === 'python') {
    if (/^(builtins\.)?(eval|exec)$/.test(name)) return { sinks: args.slice(0, 1), api: name };
    return undefined;
  }
  if (lang === 'java') {
    if (calleeMethod(name) !== 'eval' || call.type !== 'method_invocation') return undefined;
    const usesScripting = file.root.namedChildren.some((c) => c?.type === 'import_declaration' && /javax\.script/.test(c.text));
    return usesScripting ? { sinks: args.slice(0, 1), api: 'ScriptEngine.eval' } : undefined;
  }
  return undefined;
}

/** The `security/code-injection` rule (see its `description`). */
export const codeInjection: FileRule = {
  kind: 'file',
  id: 'security/code-injection',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'code-injection',
  title: 'Code evaluated from a built string',
  description:
    'Flags `eval`, `new Function`, string `setTimeout`/`setInterval`, Node `vm` and Python `eval`/`exec`, and Java `ScriptEngine.eval` called with a string built from variables. Whoever controls a spliced value runs arbitrary code in the process. Replace evaluation with data (JSON.parse, `ast.literal_eval`, a lookup table). Critical when request input reaches the code.',
  references: ['CWE-95', 'CWE-94', 'OWASP A03:2021'],
  confidence: 0.75,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const s = evalSinks(call, file);
      if (!s) continue;
      for (const sink of s.sinks) {
        const t = taintOf(sink, file);
        if (!t.built && !t.request) continue;
        const fix =
          lang === 'python'
            ? 'Parse data instead of evaluating it (`json.loads`, `ast.literal_eval`), or dispatch through a dict of allowed functions.'
            : lang === 'java'
              ? 'Do not evaluate scripts assembled from input; bind values as script variables (`engine.put`) or replace the script with code.'
              : 'Parse data instead of evaluating it (`JSON.parse`), pass a function to `setTimeout`, or dispatch through a map of allowed functions.';
        hits.push({
          node: call,
          severity: t.request ? 'critical' : 'high',
          confidence: t.request ? 0.85 : 0.65,
          title: t.request ? 'Code injection from request input' : 'Code evaluated from a built string',
          message: `\`${s.api}\` evaluates code ${describeTaint(t, lang)}. ${t.request ? 'An attacker can run arbitrary code in this process.' : 'Anyone who controls a spliced value can run arbitrary code in this process.'} ${fix}`,
          suggestion: { description: fix },
        });
        break;
      }
    }
    return hits;
  },
};

