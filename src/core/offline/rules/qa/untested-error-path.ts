/** `qa/untested-error-path`: public functions whose error paths no test exercises. */
import type { SyntaxNode } from '../../syntax';
import type { ParsedFile, ProjectHit, ProjectIndex, ProjectRule } from '../../rule';
import { callArguments, calleeName, LANG } from '../../lang';
import { coverage } from './coverage';
import { walkOwn } from '../../nodes';

// Generic error types say nothing about which failure is meant; they are matched only through the function name.
const GENERIC_ERRORS = new Set(['Error', 'Exception', 'BaseException', 'RuntimeException', 'Throwable', 'RuntimeError', 'errors.New', 'fmt.Errorf']);

// Exceptions that signal protocol or control flow (end of iteration, abstract method, exit), not failures to test.
const NOT_ERROR_PATHS = new Set(['StopIteration', 'StopAsyncIteration', 'NotImplementedError', 'GeneratorExit', 'KeyboardInterrupt', 'SystemExit', 'UnsupportedOperationException', 'AssertionError', 'NotImplementedException']);

/** Where the reviewed code handles its own errors: the error classes it catches by name, and each class's base classes. */
interface Handling {
  caught: Set<string>;
  bases: Map<string, string[]>;
}

const handlingCache = new WeakMap<ProjectIndex, Handling>();

/**
 * Error classes caught by name anywhere in the reviewed code (Python `except X`/`except (X, Y)`, Java
 * `catch (X | Y e)`, JS/TS `instanceof X` inside a `catch`) other than the generic ones, and the base classes
 * of every class declared there (`class X(Base)`, `class X extends Base`). Computed once per review.
 */
function handling(project: ProjectIndex): Handling {
  const hit = handlingCache.get(project);
  if (hit) return hit;
  const h: Handling = { caught: new Set(), bases: new Map() };
  const last = (t: string) => t.split('.').pop() ?? t;
  for (const f of project.parsed) {
    for (const n of f.root.descendantsOfType(['except_clause', 'catch_clause', 'class_definition', 'class_declaration', 'abstract_class_declaration', 'class'])) {
      if (!n) continue;
      if (n.type === 'except_clause') {
        const t = n.namedChildren.find((x) => x && x.type !== 'block' && !x.type.includes('comment'));
        const expr = t?.type === 'as_pattern' ? t.namedChildren[0] : t;
        for (const name of expr?.type === 'tuple' || expr?.type === 'parenthesized_expression' ? expr.namedChildren.map((x) => x?.text ?? '') : [expr?.text ?? '']) if (name) h.caught.add(last(name));
      } else if (n.type === 'catch_clause') {
        for (const t of n.descendantsOfType(['catch_type'])) for (const x of t?.namedChildren ?? []) if (x) h.caught.add(last(x.text));
        for (const b of n.descendantsOfType(['binary_expression'])) {
          const right = b?.childForFieldName('right');
          if (b && right && b.children.some((c) => c?.type === 'instanceof')) h.caught.add(last(right.text));
        }
      } else {
        const name = n.childForFieldName('name')?.text;
        if (!name) continue;
        const sup = n.childForFieldName('superclasses') ?? n.childForFieldName('superclass') ?? n.namedChildren.find((c) => c?.type === 'class_heritage') ?? null;
        const bases = (sup?.descendantsOfType(['identifier', 'type_identifier', 'attribute']) ?? []).filter((x) => x && x.parent?.type !== 'attribute').map((x) => last(x!.text));
        if (bases.length) h.bases.set(name, bases);
      }
    }
  }
  for (const g of GENERIC_ERRORS) h.caught.delete(g);
  handlingCache.set(project, h);
  return h;
}

/**
 * True when the reviewed code itself catches `type` or one of its base classes by name: the error is
 * part of the library's own control flow (a CLI framework turning usage errors into output and an exit
 * code, a prompt retrying on invalid input), and its tests check that outcome rather than the exception.
 */
function handledInternally(type: string, h: Handling, seen = new Set<string>()): boolean {
  if (h.caught.has(type)) return true;
  if (seen.has(type)) return false;
  seen.add(type);
  return (h.bases.get(type) ?? []).some((b) => !GENERIC_ERRORS.has(b) && handledInternally(b, h, seen));
}

/** Constant fragments (≥ 10 characters) of the message literal of a throw/raise/return, for finding tests that check the message. */
function messageFragments(n: SyntaxNode, file: ParsedFile): string[] {
  const lit = n.descendantsOfType([...LANG[file.language].string])[0];
  if (!lit) return [];
  const raw = lit.text.replace(/^[a-zA-Z]*("""|'''|["'`])/, '').replace(/("""|'''|["'`])$/, '');
  return raw
    .split(/%[-+# 0-9.]*[a-zA-Z]|\$\{[^}]*\}|\{[^}]*\}|\\./)
    .map((f) => f.replace(/^[\s"'`:,.;-]+|[\s"'`:,.;-]+$/g, ''))
    .filter((f) => f.length >= 10);
}

/** The error a statement raises, or undefined when it is a re-raise of a variable. */
function thrownType(n: SyntaxNode, file: ParsedFile): string | undefined {
  const lang = file.language;
  if (n.type === 'throw_statement') {
    const v = n.namedChildren.find((c) => c && !c.type.includes('comment'));
    if (v?.type === 'new_expression' || v?.type === 'object_creation_expression') {
      const name = calleeName(v, lang).replace(/^new /, '');
      return name.split('.').pop() || undefined;
    }
    return undefined;
  }
  if (n.type === 'raise_statement') {
    const v = n.namedChildren[0];
    if (!v) return undefined;
    const callee = v.type === 'call' ? v.childForFieldName('function') : v;
    if (!callee) return undefined;
    const name = callee.text.split('.').pop() ?? '';
    // `raise err` re-raises a caught variable; exception classes are CapWords (PEP 8).
    return /^[A-Z]/.test(name) ? name : undefined;
  }
  if (n.type === 'return_statement' && lang === 'go') {
    const list = n.namedChildren[0];
    const last = list?.type === 'expression_list' ? list.namedChildren[list.namedChildCount - 1] : list;
    if (!last) return undefined;
    if (last.type === 'call_expression') {
      const name = calleeName(last, lang);
      // `fmt.Errorf("…: %w", err)` wraps an error from below; only errors made here are this function's own.
      if (name === 'errors.New') return name;
      if (name === 'fmt.Errorf') return callArguments(last)[0]?.text.includes('%w') ? undefined : name;
      return undefined;
    }
    if (last.type === 'identifier' && /^Err[A-Z]/.test(last.text)) return last.text;
    if (last.type === 'selector_expression' && /^Err[A-Z]/.test(last.childForFieldName('field')?.text ?? '')) return last.childForFieldName('field')!.text;
    if (last.type === 'unary_expression' && last.namedChildren[0]?.type === 'composite_literal') {
      const t = last.namedChildren[0].childForFieldName('type')?.text ?? '';
      return /Error$/.test(t) ? t.split('.').pop() : undefined;
    }
  }
  return undefined;
}

/** Statements of a block, comments left out; a lone statement stands for itself. */
function statementsOf(n: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!n) return [];
  if (!/block|statement_list|switch_default|default_case|switch_block_statement_group|expression_case|default_case/.test(n.type)) return [n];
  return n.namedChildren.filter((c): c is SyntaxNode => c !== null && !c.type.includes('comment'));
}

/**
 * True when `n` is the only statement of the final `else` of an `if`/`else if` chain (or of a `switch`'s
 * `default`): the error marks a case the chain's branches are meant to exclude ("unknown token", "cannot
 * happen"). A test for it needs malformed input the public API does not produce, so a maintainer often
 * closes the finding; it is reported at offline depth `thorough` only.
 */
function guardsImpossibleCase(n: SyntaxNode): boolean {
  let holder = n.parent;
  if (holder && /block|statement_list/.test(holder.type) && statementsOf(holder).length === 1) holder = holder.parent;
  else if (holder && !/else_clause|switch_default|default_case|switch_block_statement_group/.test(holder.type)) return false;
  if (!holder) return false;
  if (/switch_default|default_case/.test(holder.type) || (holder.type === 'switch_block_statement_group' && holder.namedChildren[0]?.text.startsWith('default'))) return statementsOf(holder).filter((c) => !/switch_label/.test(c.type)).length === 1;
  if (holder.type === 'expression_case' || holder.type === 'communication_case') return false;
  if (holder.type !== 'else_clause') return false;
  const ifNode = holder.parent;
  if (!ifNode || ifNode.type !== 'if_statement') return false;
  // A chain: Python `elif`, or an `if` that is itself an `else if` / has one below it.
  if (ifNode.namedChildren.some((c) => c?.type === 'elif_clause')) return true;
  const parentIf = ifNode.parent?.type === 'else_clause' ? ifNode.parent.parent : ifNode.parent;
  return parentIf?.type === 'if_statement' && parentIf.id !== ifNode.id;
}

export const untestedErrorPath: ProjectRule = {
  kind: 'project',
  id: 'qa/untested-error-path',
  personas: ['qa'],
  severity: 'medium',
  category: 'missing-tests',
  title: 'Error path without a test',
  description:
    'In modules that have tests, reports public functions that throw or raise an error (`throw new XError`, `raise ValueError`, Go `return …, ErrX` / `errors.New` / `fmt.Errorf`) when no test file names that error type, quotes its message, or both names the function and asserts a failure (`toThrow`, `rejects`, `pytest.raises`, `assertThrows`, `err != nil`, …). ' +
    'An error the reviewed code catches itself by name (or by a non-generic base class) is control flow whose outcome the tests check, and is not reported; an error that is the whole final `else` of an `if`/`else if` chain or a `switch` `default` (a case the branches exclude) is reported at offline depth `thorough` only. ' +
    'Error paths are where untested code most often hides wrong messages, leaked resources and swallowed failures.',
  references: [],
  confidence: 0.6,
  checkProject(project: ProjectIndex): ProjectHit[] {
    if (project.testFiles.length === 0) return [];
    const { cands, covered, tests } = coverage(project);
    const hits: ProjectHit[] = [];
    for (const c of cands) {
      if (!covered.has(c.file.file.path)) continue; // qa/untested-module covers it
      for (const d of c.exports) {
        const fns: Array<{ fn: SyntaxNode; name: string }> = [];
        if (d.fn) fns.push({ fn: d.fn, name: d.name });
        else if (c.file.language !== 'java') {
          // Java methods are listed as exports of their own.
          const body = (d.node.type === 'variable_declarator' ? d.node.childForFieldName('value') : d.node)?.childForFieldName('body');
          for (const m of body?.namedChildren ?? []) {
            const def = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
            const nm = def?.childForFieldName('name')?.text;
            if (def && nm && /method|function_definition/.test(def.type) && !nm.startsWith('_') && !nm.startsWith('#') && nm !== 'constructor') fns.push({ fn: def, name: nm });
          }
        }
        for (const { fn, name } of fns) {
          let first: { node: SyntaxNode; type: string } | undefined;
          walkOwn(fn, c.file.language, (n) => {
            if (first) return false;
            if (n.type !== 'throw_statement' && n.type !== 'raise_statement' && n.type !== 'return_statement') return true;
            const t = thrownType(n, c.file);
            if (t && !NOT_ERROR_PATHS.has(t)) first = { node: n, type: t };
            return false;
          });
          if (!first) continue;
          const specific = !GENERIC_ERRORS.has(first.type);
          if (specific && tests.words.has(first.type)) continue;
          if (specific && handledInternally(first.type, handling(project))) continue;
          if (tests.assertingWords.has(name)) continue;
          if (messageFragments(first.node, c.file).some((f) => tests.allText.includes(f))) continue;
          const shown = first.type === 'errors.New' || first.type === 'fmt.Errorf' ? `an error (\`${first.type}\`)` : `\`${first.type}\``;
          hits.push({
            file: c.file.file.path,
            node: first.node,
            message: `\`${name}\` ${c.file.language === 'go' ? 'returns' : 'throws'} ${shown} here, but no test ${specific ? `mentions \`${first.type}\` or ` : ''}asserts that \`${name}\` fails. The error path (its condition, message and clean-up) is unverified, and a regression in it would go unnoticed.`,
            suggestion: { description: `Add a test that drives \`${name}\` into this failure and asserts the ${c.file.language === 'go' ? 'returned error' : 'error type and message'}.` },
            depth: guardsImpossibleCase(first.node) ? 'thorough' : undefined,
          });
        }
      }
    }
    return hits;
  },
};
