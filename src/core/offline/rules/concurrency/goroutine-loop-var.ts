/** `concurrency/goroutine-loop-var`: goroutines capturing a loop variable before Go 1.22. */
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { calleeName, nodesOfType } from '../../lang';
import { boundNames, identifiersIn, same } from '../../flow';
import { closestAncestor, declaresLocal } from './util';
// ---------------------------------------------------------------------------------------------------

/** The Go language version from a reviewed go.mod (`go 1.22`), as a minor number; undefined when unknown. */
function goMinorVersion(project: ProjectIndex, filePath: string): number | undefined {
  const mods = project.files.filter((f) => f.path === 'go.mod' || f.path.endsWith('/go.mod'));
  // The nearest go.mod above the file.
  const mod = mods
    .filter((m) => filePath.startsWith(m.path.slice(0, -'go.mod'.length)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const m = mod && /^go\s+1\.(\d+)/m.exec(mod.text);
  return m ? Number(m[1]) : undefined;
}

export const goroutineLoopVar: FileRule = {
  kind: 'file',
  id: 'concurrency/goroutine-loop-var',
  personas: ['concurrency'],
  severity: 'low',
  category: 'loop-variable-capture',
  title: 'Goroutine closure captures the loop variable',
  description:
    'Before Go 1.22 a `for` loop reuses one variable for all iterations, so `go func() { use(v) }()` inside the loop usually sees a later value (often the last). From Go 1.22 (the `go` line in go.mod) each iteration has its own variable. Pass the value as an argument or copy it (`v := v`).',
  references: ['CWE-362'],
  confidence: 0.7,
  languages: ['go'],
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    const minor = goMinorVersion(project, file.file.path);
    if (minor !== undefined && minor >= 22) return [];
    const hits: RuleHit[] = [];
    for (const loop of nodesOfType(file.root, ['for_statement'])) {
      const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
      const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
      let vars: string[] = [];
      if (range && range.children.some((c) => c?.type === ':=')) vars = boundNames(range.childForFieldName('left'));
      else if (clause?.childForFieldName('initializer')?.type === 'short_var_declaration') vars = boundNames(clause.childForFieldName('initializer')!.childForFieldName('left'));
      const body = loop.childForFieldName('body');
      if (!vars.length || !body) continue;
      // Copies made in the body (`v := v`) give each iteration its own variable.
      const copied = new Set<string>();
      for (const d of body.descendantsOfType('short_var_declaration')) {
        if (!d || !same(closestAncestor(d, ['for_statement', 'func_literal']), loop)) continue;
        const left = d.childForFieldName('left')?.namedChildren ?? [];
        const right = d.childForFieldName('right')?.namedChildren ?? [];
        left.forEach((l, i) => {
          if (l && right[i]?.text === l.text) copied.add(l.text);
        });
      }
      const live = vars.filter((v) => !copied.has(v));
      if (!live.length) continue;
      for (const lit of body.descendantsOfType('func_literal')) {
        if (!lit) continue;
        const call = lit.parent?.type === 'call_expression' && same(lit.parent.childForFieldName('function'), lit) ? lit.parent : null;
        const launcher = call?.parent?.type === 'go_statement' ? call.parent : lit.parent?.type === 'argument_list' && /\.Go$/.test(calleeName(lit.parent.parent!, 'go')) ? lit.parent.parent : null;
        if (!launcher || !same(closestAncestor(lit, ['for_statement']), loop)) continue;
        const params = new Set((lit.childForFieldName('parameters')?.descendantsOfType('identifier') ?? []).map((i) => i?.text));
        const used = identifiersIn(lit.childForFieldName('body') ?? lit);
        const captured = live.filter((v) => used.has(v) && !params.has(v) && !declaresLocal(lit, v));
        if (!captured.length) continue;
        const names = captured.map((v) => `\`${v}\``).join(', ');
        hits.push({
          range: { startLine: launcher.startPosition.row + 1, endLine: launcher.startPosition.row + 1 },
          severity: minor !== undefined ? 'high' : 'low',
          message:
            minor !== undefined
              ? `This goroutine's closure reads the loop variable ${names}, and go.mod declares Go 1.${minor}: before 1.22 all iterations share one variable, so the goroutines see whatever value it holds when they run (often the last one).`
              : `This goroutine's closure reads the loop variable ${names}. Under Go versions before 1.22 (check the \`go\` line of go.mod) all iterations share one variable, so the goroutines see whatever value it holds when they run, often the last one.`,
          suggestion: { description: `Pass it as an argument (\`go func(${captured[0]} T) { … }(${captured[0]})\`) or copy it at the top of the loop body (\`${captured[0]} := ${captured[0]}\`); or require Go 1.22+ in go.mod.` },
        });
      }
    }
    return hits;
  },
};
