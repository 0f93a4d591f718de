/** `architecture/cyclic-imports`: import cycles among the reviewed modules. */
import type { SyntaxNode } from '../../syntax';
import { dirname, type ImportRef, importsOf, ModuleResolver } from '../../imports';
import type { ProjectHit, ProjectIndex, ProjectRule } from '../../rule';

interface Edge {
  to: string;
  /** File holding the import (for Go the key is a package directory). */
  file: string;
  node: SyntaxNode;
}

function display(key: string): string {
  return key.endsWith('/') ? (key === '/' ? '(root package)' : key.slice(0, -1)) : key;
}

/** Strongly connected components (Tarjan), each as a list of keys; only components with ≥ 2 members. */
function tangles(keys: string[], edges: Map<string, Edge[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  // Iterative Tarjan: a frame is a node and the position in its edge list.
  for (const start of keys) {
    if (idx.has(start)) continue;
    const frames: Array<{ v: string; i: number }> = [{ v: start, i: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const f = frames[frames.length - 1]!;
      const out_ = edges.get(f.v) ?? [];
      if (f.i < out_.length) {
        const w = out_[f.i++]!.to;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          frames.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(f.v, Math.min(low.get(f.v)!, idx.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(f.v)!));
      if (low.get(f.v) === idx.get(f.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== f.v);
        if (comp.length > 1) out.push(comp.sort());
      }
    }
  }
  return out;
}

/** Shortest cycle through `start` inside `comp`: the edges in order, the last one closing it. */
function shortestCycle(start: string, comp: Set<string>, edges: Map<string, Edge[]>): Edge[] | undefined {
  const via = new Map<string, { from: string; edge: Edge }>();
  const queue = [start];
  const seen = new Set([start]);
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    for (const e of edges.get(v) ?? []) {
      if (!comp.has(e.to)) continue;
      if (e.to === start) {
        const path = [e];
        for (let at = v; at !== start; ) {
          const step = via.get(at)!;
          path.unshift(step.edge);
          at = step.from;
        }
        return path;
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        via.set(e.to, { from: v, edge: e });
        queue.push(e.to);
      }
    }
  }
  return undefined;
}

function usable(ref: ImportRef): boolean {
  return !ref.typeOnly && !ref.deferred;
}

export const cyclicImports: ProjectRule = {
  kind: 'project',
  id: 'architecture/cyclic-imports',
  personas: ['architect'],
  severity: 'high',
  category: 'cyclic-dependency',
  title: 'Import cycle between modules',
  description:
    'Reports each group of reviewed modules that import one another in a cycle (JS/TS relative imports and top-level `require`, Python relative and package imports, Go packages, Java packages: classes load lazily, so only packages that depend on each other count, and a subpackage with its parent package is one component). ' +
    'Modules in a cycle cannot be understood, tested or reused apart, and at load time one of them sees the other half-initialised. ' +
    'Type-only imports and imports deferred inside a function are ignored. Java package cycles have no load-time effect and are reported only at offline depth `thorough`. Break the cycle by moving the shared part into a module both can import, or by inverting one dependency.',
  references: ['CWE-1047'],
  confidence: 0.9,
  checkProject(project: ProjectIndex): ProjectHit[] {
    const resolver = new ModuleResolver(project.files, project.parsed);
    // Java classes load lazily, so classes that refer to each other are fine; the unit of a cycle is the
    // package (JDepend, ArchUnit), keyed like Go's by its folder.
    const keyOf = (f: { path: string; language: string }) => (f.language === 'java' ? `${dirname(f.path)}/` : resolver.keyOf(f));
    const edges = new Map<string, Edge[]>();
    const keys = new Set<string>();
    for (const f of project.parsed) {
      if (f.language === 'go' && f.file.path.endsWith('_test.go')) continue;
      const from = keyOf(f.file);
      keys.add(from);
      const list = edges.get(from) ?? [];
      for (const ref of importsOf(f)) {
        if (!usable(ref)) continue;
        for (const target of resolver.resolve(f.file, ref)) {
          const to = f.language === 'java' ? `${dirname(target)}/` : target;
          // A Java subpackage and its parent (`gson` and `gson.internal`) are one component by convention.
          if (f.language === 'java' && (to.startsWith(from) || from.startsWith(to))) continue;
          if (to === from || list.some((e) => e.to === to)) continue;
          list.push({ to, file: f.file.path, node: ref.node });
        }
      }
      edges.set(from, list);
    }
    const hits: ProjectHit[] = [];
    for (const comp of tangles([...keys].sort(), edges)) {
      const start = comp[0]!;
      const cycle = shortestCycle(start, new Set(comp), edges);
      if (!cycle) continue;
      const closing = cycle[cycle.length - 1]!;
      const chain = [start, ...cycle.map((e) => e.to)].map((k) => `\`${display(k)}\``).join(' → ');
      const lang = project.parsed.find((f) => f.file.path === closing.file)?.language;
      const apart = 'None of these modules can be understood, tested or reused without the others, and a change to one ripples through all of them';
      const extra = comp.length > cycle.length ? ` These modules are part of a larger tangle of ${comp.length} modules that all reach one another: ${comp.map((k) => `\`${display(k)}\``).join(', ')}.` : '';
      const why =
        lang === 'go'
          ? 'Go rejects import cycles between packages (`import cycle not allowed`), so this does not build.'
          : lang === 'python'
            ? `${apart}; at import time one of them runs against a half-initialised copy of the other (\`ImportError: cannot import name … from partially initialized module\`).`
            : lang === 'java'
              ? `${apart}: the packages can only be compiled, versioned and released together.`
              : `${apart}; at load time one of them sees the other's exports still \`undefined\` (or in the temporal dead zone for ES modules).`;
      hits.push({
        file: closing.file,
        node: closing.node,
        message: `Import cycle: ${chain}. This import closes it. ${why}${extra}`,
        suggestion: { description: 'Move what both modules need into a separate module that neither imports back, or invert one dependency (pass a callback or depend on an interface) so the imports point one way.' },
        // Java classes load lazily, so a package cycle never fails at run time: a design judgement (both such
        // findings on the well-reviewed libraries were debatable), reported at depth `thorough` only.
        depth: lang === 'java' ? 'thorough' : undefined,
      });
    }
    return hits;
  },
};
