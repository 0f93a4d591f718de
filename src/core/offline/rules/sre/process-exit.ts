/** `sre/process-exit-in-library`: process exits in modules that are not entry points (CWE-382). */
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, functionName, isJs, LANG } from '../../lang';
import { isTestFile } from './util';
import { callsOf, docOf } from '../../nodes';
import { resolvedCallee, globalCallee } from '../../bindings';
import type { SyntaxNode } from '../../syntax';

/** True when a file is a program entry point rather than a library module. */
function isEntryPoint(file: ParsedFile): boolean {
  const p = file.file.path;
  const base = p.slice(p.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  if (/(^|\/)(bin|cli|cmd|cmds|commands?|scripts?|tools?|tasks|examples?|samples?|demos?|benchmarks?|bench|e2e)\//i.test(p)) return true;
  if (/^(cli|main|bin|server|app|start|run|index\.cli|__main__|manage|setup|wsgi|asgi|worker|daemon|entrypoint|entry|commands?)$|[-_.]cli$|^cli[-_.]|[-_.]main$/i.test(base)) return true;
  if ((file.lines[0] ?? '').startsWith('#!')) return true;
  const lang = file.language;
  if (lang === 'go') return file.root.namedChildren.some((c) => c?.type === 'package_clause' && /\bmain$/.test(c.text));
  if (lang === 'python') return file.root.descendantsOfType('if_statement').some((i) => i?.parent?.type === 'module' && /__name__\s*==\s*['"]__main__['"]/.test(i.childForFieldName('condition')?.text ?? ''));
  if (lang === 'java') return file.root.descendantsOfType('method_declaration').some((m) => m?.childForFieldName('name')?.text === 'main' && /static/.test(m.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? ''));
  return file.root.descendantsOfType('member_expression').some((m) => m !== null && /^require\.main$/.test(m.text));
}

/** Documentation saying that a function ends the process. */
const DOCUMENTED_EXIT = /\b(exits?|exiting|terminates the (process|program)|os\.Exit|sys\.exit|process\.exit|System\.exit)\b/i;

export const processExit: FileRule = {
  kind: 'file',
  id: 'sre/process-exit-in-library',
  personas: ['sre', 'devops'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'process-exit',
  title: 'Process exit in library code',
  description:
    'Flags `process.exit`, `sys.exit`, Go `os.Exit`/`log.Fatal` and Java `System.exit` in modules that are not program entry points (no `main`, not under `bin/`/`cli/`/`cmd/`, no shebang or `__main__` guard). Exiting from a library kills the whole process: in-flight requests are dropped, deferred cleanup and log flushing are skipped, and callers cannot handle the error. Throw or return the error and let the entry point decide the exit code.',
  references: ['CWE-382'],
  confidence: 0.75,
  check(file, project) {
    if (isTestFile(file, project) || isEntryPoint(file)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    const fix =
      lang === 'go'
        ? 'Return the error (wrapped with `fmt.Errorf("...: %w", err)`) and let `main` log it and exit.'
        : lang === 'python'
          ? 'Raise an exception (a specific error type) and let the entry point (`main` / `__main__`) decide the exit status.'
          : lang === 'java'
            ? 'Throw an exception and let `main` (or the framework) decide whether the JVM exits.'
            : 'Throw an error (or return a rejected promise) and let the entry point set `process.exitCode`.';
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      let api: string | undefined;
      if (isJs(lang) && /^process\.(exit|abort|reallyExit)$/.test(name)) api = name;
      // `os._exit` is the documented way for a forked child to end, so it is not reported.
      else if (lang === 'python' && /^(sys\.exit|exit|quit)$/.test(name)) api = name;
      else if (lang === 'go' && /^(os\.Exit|log\.(Fatal|Fatalf|Fatalln))$/.test(name)) api = name;
      else if (lang === 'java' && (/^System\.exit$/.test(name) || /getRuntime\(\)\.(exit|halt)$/.test(name))) api = name;
      if (!api) continue;
      // A local `exit()` or a `process` parameter is not the built-in.
      if (globalCallee(call, file) === undefined) continue;
      // Exits inside `main`-like functions or shutdown/signal handlers are deliberate.
      const fns: SyntaxNode[] = [];
      for (let p = call.parent; p; p = p.parent) if (LANG[lang].func.includes(p.type)) fns.push(p);
      if (fns.some((f) => /^(main|cli|run_?cli|shutdown|graceful\w*|on_?exit|exit\w*|die|fatal\w*|abort\w*|usage)$|_main$|Main$|^main_/i.test(functionName(f)))) continue;
      // A function whose documentation says it exits (`CheckErr … exits with error code 1`) does so by contract.
      if (fns[0] && DOCUMENTED_EXIT.test(docOf(fns[0], file))) continue;
      if (isJs(lang) && fns.some((f) => f.parent?.type === 'arguments' && /^process\.(on|once)$/.test(resolvedCallee(f.parent.parent!, file)))) continue;
      if (fns.length === 0 && lang !== 'go' && lang !== 'java') continue; // module-level code runs as a script
      // Python CLI commands (`@click.command()`, `@app.cli.command()`, typer) own the process.
      if (lang === 'python' && fns.some((f) => f.parent?.type === 'decorated_definition' && f.parent.namedChildren.some((d) => d?.type === 'decorator' && /command|\.cli\b|typer|main/i.test(d.text)))) continue;
      hits.push({
        node: call,
        message: `\`${api}\` in ${fns[0] ? `\`${functionName(fns[0]) || 'an anonymous function'}\`` : 'module code'} ends the whole process from library code: in-flight work is dropped, ${lang === 'go' ? 'deferred calls do not run' : 'cleanup and log flushing may not run'}, and callers get no chance to handle the failure. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};
