/** `quality/untyped-python-api`: Python modules without type hints in a typed code base. */
import type { SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../../rule';
import { exportedDeclarations, isGenerated, isInternalModule } from '../../declarations';
import { spanLines } from '../../nodes';
import { isTestPath } from '../../paths';

/** True when any parameter (other than self/cls) or the return of a Python function is annotated. */
function pythonAnnotated(fn: SyntaxNode): { any: boolean; params: number } {
  let any = fn.childForFieldName('return_type') !== null;
  let params = 0;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier' && (p.text === 'self' || p.text === 'cls')) continue;
    if (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') any = true;
    if (p.type !== 'keyword_separator' && p.type !== 'positional_separator') params++;
  }
  return { any, params };
}

interface UntypedFn {
  fn: SyntaxNode;
  name: string;
}

/** Public functions of one Python module: those without any hint, and whether any function has hints. */
function pythonHintUse(file: ParsedFile): { untyped: UntypedFn[]; typed: number } {
  const untyped: UntypedFn[] = [];
  let typed = 0;
  for (const d of exportedDeclarations(file)) {
    const fns: UntypedFn[] = [];
    if (d.fn) fns.push({ fn: d.fn, name: d.name });
    else {
      for (const m of d.node.childForFieldName('body')?.namedChildren ?? []) {
        const def = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
        const mname = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
        if (def && mname && !mname.startsWith('_')) fns.push({ fn: def, name: `${d.name}.${mname}` });
      }
    }
    for (const f of fns) {
      const a = pythonAnnotated(f.fn);
      if (a.any) typed++;
      else if (a.params > 0 && spanLines(f.fn) >= 3) untyped.push(f);
    }
  }
  return { untyped, typed };
}

function listNames(fns: UntypedFn[], max = 6): string {
  return fns.slice(0, max).map((c) => `\`${c.name}\``).join(', ') + (fns.length > max ? ', …' : '');
}

export const untypedPythonApi: ProjectRule = {
  kind: 'project',
  id: 'quality/untyped-python-api',
  personas: ['specification'],
  severity: 'low',
  category: 'type-safety',
  title: 'Public Python function without type hints',
  description:
    'Reports public Python functions and methods (three lines or more, with parameters) that have no type hints at all (PEP 484). ' +
    'In a project (top-level folder) that mostly uses hints, each gap is reported (one finding for a module without any); a project that mostly does without them gets one finding in all. ' +
    'Hints document the contract and let mypy or pyright check every caller.',
  references: [],
  confidence: 0.7,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const modules = project.parsed
      .filter((f) => f.language === 'python' && !isTestPath(f.file.path) && !isInternalModule(f.file.path, 'python') && !isGenerated(f))
      .map((f) => ({ file: f, ...pythonHintUse(f) }))
      .filter((m) => m.untyped.length > 0 || m.typed > 0);
    // Top-level directories are treated as separate projects (a folder of installed packages, a monorepo).
    const groups = new Map<string, typeof modules>();
    for (const m of modules) {
      const p = m.file.file.path;
      const key = p.includes('/') ? p.slice(0, p.indexOf('/')) : '';
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    return [...groups.values()].flatMap((g) => untypedInGroup(g));
  },
};

type HintModule = ReturnType<typeof pythonHintUse> & { file: ParsedFile };

/** Findings for one group of Python modules (one project): see the rule description. */
function untypedInGroup(modules: HintModule[]): ProjectHit[] {
  const untypedModules = modules.filter((m) => m.untyped.length > 0);
  if (untypedModules.length === 0) return [];
  const at = (m: HintModule, f: UntypedFn) => ({ file: m.file.file.path, node: f.fn.childForFieldName('name') ?? f.fn });
  const typed = modules.reduce((n, m) => n + m.typed, 0);
  const total = untypedModules.reduce((n, m) => n + m.untyped.length, 0);
  if (typed < total) {
    // The project mostly does without hints: one finding, on the module with the most public functions.
    const main = [...untypedModules].sort((x, y) => y.untyped.length - x.untyped.length)[0]!;
    const share = typed === 0 ? `None of the ${total} public functions` : `${total} of the ${total + typed} public functions`;
    return [
      {
        ...at(main, main.untyped[0]!),
        message: `${share} in the ${modules.length} reviewed Python module(s) ${typed === 0 ? 'has' : 'have no'} type hints (in this module: ${listNames(main.untyped)}). Their contracts are written nowhere a tool can check, and callers' type checkers treat every value as \`Any\`.`,
        suggestion: { description: 'Adopt PEP 484 hints for the public API, starting with the functions other modules call, and run mypy or pyright in CI.' },
      },
    ];
  }
  const hits: ProjectHit[] = [];
  for (const m of untypedModules) {
    if (m.typed === 0) {
      hits.push({
        ...at(m, m.untyped[0]!),
        message: `None of the ${m.untyped.length} public functions of this module has type hints (${listNames(m.untyped)}), while other modules of the project use them. Callers' type checkers treat these functions as \`Any\`.`,
        suggestion: { description: 'Annotate the public functions of this module (PEP 484) as the rest of the project does.' },
      });
      continue;
    }
    for (const f of m.untyped) {
      hits.push({
        ...at(m, f),
        message: `\`${f.name}\` has no type hints while the rest of this module uses them. Its contract (what it accepts and returns) is unchecked, and callers' type checkers treat it as \`Any\`.`,
        suggestion: { description: `Annotate the parameters and return type of \`${f.name}\` (PEP 484), as the other functions of this module are.` },
      });
    }
  }
  return hits;
}
