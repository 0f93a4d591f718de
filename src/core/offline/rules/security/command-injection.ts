/**
 * Rule family: OS command injection (CWE-78).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, calleeMethod, isJs } from '../../lang';
import { callsOf, compactText, stringValue } from '../../nodes';
import { definitionsOf, resolvedCallee } from '../../bindings';

import { taintOf, describeTaint, unwrapArg, keywordArg, objectProperty, family } from './common';

// ---------------------------------------------------------------------------------------------
// OS command injection

const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/i;
const SHELL_FLAGS = /^(-c|\/c|\/C|-Command|-command)$/;

/** The argument of a command call that the shell interprets, if the call runs a shell command. */
function commandSink(call: SyntaxNode, file: ParsedFile): { sink: SyntaxNode; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  if (isJs(lang)) {
    const direct = /^require\(['"](node:)?child_process['"]\)\.(exec|execSync)$/.test(name);
    if (/^child_process\.(exec|execSync)$/.test(name) || direct) return args[0] ? { sink: args[0], api: name.replace(/^require\([^)]*\)/, 'child_process') } : undefined;
    if (/^child_process\.(spawn|spawnSync|execFile|execFileSync)$/.test(name)) {
      const opts = args.find((a) => a.type === 'object');
      if (objectProperty(opts, 'shell')?.type === 'true' && args[0]) return { sink: args[0], api: `${name} with shell: true` };
    }
    return undefined;
  }
  if (lang === 'python') {
    if (/^(os\.(system|popen|popen2|popen3|popen4)|commands\.(getoutput|getstatusoutput)|subprocess\.(getoutput|getstatusoutput))$/.test(name)) {
      return args[0] ? { sink: args[0], api: name } : undefined;
    }
    if (/^subprocess\.(run|call|check_call|check_output|Popen)$/.test(name) && keywordArg(call, 'shell')?.type === 'true') {
      const first = callArguments(call)[0];
      const sink = first && first.type !== 'keyword_argument' ? first : keywordArg(call, 'args');
      return sink ? { sink, api: `${name}(..., shell=True)` } : undefined;
    }
    return undefined;
  }
  if (lang === 'go') {
    if (!/^(os\/exec|exec)\.(Command|CommandContext)$/.test(name)) return undefined;
    const rest = /Context$/.test(name) ? args.slice(1) : args;
    const shell = stringValue(rest[0], lang);
    const flag = stringValue(rest[1], lang);
    if (shell && flag && SHELLS.test(shell) && SHELL_FLAGS.test(flag) && rest[2]) return { sink: rest[2], api: `exec.Command("${shell}", "${flag}", ...)` };
    return undefined;
  }
  // Java
  const method = calleeMethod(name);
  if (call.type === 'object_creation_expression' && /ProcessBuilder$/.test(name)) {
    const i = args.findIndex((a) => SHELL_FLAGS.test(stringValue(a, lang) ?? ''));
    const sink = i >= 0 ? args[i + 1] : undefined;
    return sink ? { sink, api: 'ProcessBuilder (shell -c)' } : undefined;
  }
  if (method === 'exec' && call.type === 'method_invocation') {
    const obj = call.childForFieldName('object');
    const isRuntime =
      !!obj &&
      (/getRuntime\(\)$/.test(compactText(obj.text)) ||
        (obj.type === 'identifier' && definitionsOf(obj.text, call, file).some((d) => /getRuntime\(\)$/.test(compactText(d.value.text)))));
    if (!isRuntime || !args[0]) return undefined;
    const a0 = args[0];
    if (a0.type === 'array_creation_expression') {
      const init = a0.namedChildren.find((c) => c?.type === 'array_initializer');
      const elems = init?.namedChildren.filter((c): c is SyntaxNode => !!c) ?? [];
      const i = elems.findIndex((e) => SHELL_FLAGS.test(stringValue(e, lang) ?? ''));
      return i >= 0 && elems[i + 1] ? { sink: elems[i + 1]!, api: 'Runtime.exec (shell -c)' } : undefined;
    }
    return { sink: a0, api: 'Runtime.exec' };
  }
  return undefined;
}

const CMD_FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Run the program without a shell and pass arguments as an array: `execFile(cmd, [arg1, arg2])` or `spawn(cmd, args)`; validate values against an allow-list.',
  python: 'Run the program without a shell and pass arguments as a list: `subprocess.run(["prog", arg], check=True)`; if a shell is unavoidable, quote each value with `shlex.quote`.',
  go: 'Call the program directly with separate arguments, `exec.Command("prog", arg)`, instead of passing a built string to `sh -c`.',
  java: 'Pass the program and each argument separately (`new ProcessBuilder("prog", arg)`) instead of a built command line or `sh -c`; validate values against an allow-list.',
};

/** The `security/command-injection` rule (see its `description`). */
export const commandInjection: FileRule = {
  kind: 'file',
  id: 'security/command-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'command-injection',
  title: 'Shell command built from strings',
  description:
    'Flags shell commands built from strings: `child_process.exec`/`execSync`, `os.system`, `subprocess` with `shell=True`, `Runtime.exec`, and `sh -c` via `exec.Command` or `ProcessBuilder`. Shell metacharacters in a spliced value run extra commands. Pass arguments as a list to a non-shell API instead. Critical when request input reaches the command.',
  references: ['CWE-78', 'OWASP A03:2021'],
  confidence: 0.75,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const s = commandSink(call, file);
      if (!s) continue;
      const t = taintOf(s.sink, file);
      if (!t.built && !t.request) continue;
      const fix = CMD_FIX[family(lang)];
      hits.push({
        node: call,
        severity: t.request ? 'critical' : 'high',
        confidence: t.request ? 0.85 : 0.7,
        title: t.request ? 'OS command injection from request input' : 'Shell command built from strings',
        message: `\`${s.api}\` runs a shell command ${describeTaint(t, lang)}. ${t.request ? 'An attacker can append `; rm -rf /` or similar and run any command with this process\'s rights.' : 'A value containing `;`, `|`, `$()` or backticks would run extra commands.'} ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};

