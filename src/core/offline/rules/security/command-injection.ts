/**
 * Rule family: OS command injection (CWE-78, OWASP A03:2021). Request input that reaches a shell
 * command (`child_process.exec`, `os.system`, `subprocess` with `shell=True`, `sh -c` through
 * `exec.Command`/`ProcessBuilder`), the program a process runs, or the arguments and environment of
 * `Runtime.exec` is critical; a shell command built here from other non-constant values is medium.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { code } from '../../nodes';
import { builtFlows, fam, requestFlows, taintHit } from './flows';

const CMD_FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Run the program without a shell and pass arguments as an array: `execFile(cmd, [arg1, arg2])` or `spawn(cmd, args)`; validate values against an allow-list.',
  python: 'Run the program without a shell and pass arguments as a list: `subprocess.run(["prog", arg], check=True)`; if a shell is unavoidable, quote each value with `shlex.quote`.',
  go: 'Call the program directly with separate arguments, `exec.Command("prog", arg)`, instead of passing a built string to `sh -c`, and validate values against an allow-list.',
  java: 'Pass the program and each argument separately (`new ProcessBuilder("prog", arg)`) instead of a built command line or `sh -c`; validate values against an allow-list.',
};

/** The `security/command-injection` rule (see its `description`). */
export const commandInjection: FileRule = {
  kind: 'file',
  id: 'security/command-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'command-injection',
  title: 'OS command injection from request input',
  description:
    'Follows request input into shell commands (`child_process.exec`, `os.system`, `subprocess` with `shell=True`, `sh -c` via `exec.Command` or `ProcessBuilder`), into the program a process runs, and into `Runtime.exec` arguments. Shell metacharacters in a spliced value run extra commands. Pass arguments as a list to a non-shell API and validate them against an allow-list. Shell commands built from other non-constant values are reported at medium severity.',
  references: ['CWE-78', 'OWASP A03:2021'],
  confidence: 0.85,
  check(file, project) {
    const fix = CMD_FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'command', project)) {
      hits.push(taintHit(f, { title: 'OS command injection from request input', what: 'A command or its arguments come from request input', impact: 'An attacker can append `; rm -rf /` or similar and run any command with this process\'s rights.', fix }));
    }
    for (const f of builtFlows(file, 'command', project)) {
      if (!/exec|system|popen|shell|-c|Runtime/.test(f.api) && !/child_process\.(exec|execSync)$/.test(f.api)) continue;
      hits.push({
        node: f.node,
        severity: 'medium',
        confidence: 0.55,
        title: 'Shell command built from strings',
        message: `${code(f.api)} runs a command built from non-constant values (${code(f.value.built!.node.text, 50)}). A value containing \`;\`, \`|\`, \`$()\` or backticks would run extra commands. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};
