/** `concurrency/missing-await`: promises created and dropped without `await`. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { callArguments, functionName, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { closestAncestor } from './util';
import { boundNames, isAsyncFunction, nearestFunction, snippet } from '../../flow';

/** True when a comment on the statement's line or the line above says the call is deliberately not awaited. */
function markedIntentional(stmt: SyntaxNode, root: SyntaxNode, lang: ParsedLanguage): boolean {
  const row = stmt.startPosition.row;
  return nodesOfType(root, LANG[lang].comment).some(
    (c) => (c.startPosition.row === row || c.endPosition.row === row - 1) && /fire.and.forget|no.?await|don'?t await|not awaited|background|intentional|detached/i.test(c.text),
  );
}

/** A replacement for the single line holding `call`, with `await ` inserted before it; undefined when not exact. */
function insertAwait(call: SyntaxNode, file: ParsedFile): string | undefined {
  if (call.startPosition.row !== call.endPosition.row) return undefined;
  const line = file.lines[call.startPosition.row];
  const col = call.startPosition.column;
  if (line === undefined || line.slice(col, col + call.text.length) !== call.text) return undefined;
  return `${line.slice(0, col)}await ${line.slice(col)}`;
}

// ---------------------------------------------------------------------------------------------------
// concurrency/missing-await
// ---------------------------------------------------------------------------------------------------

const PROMISE_MODULES = new Set(['fs/promises', 'node:fs/promises', 'timers/promises', 'node:timers/promises', 'dns/promises', 'node:dns/promises', 'stream/promises', 'node:stream/promises']);

interface AsyncIndex {
  /** Plain function names declared async in the file (and not also declared sync). */
  fns: Set<string>;
  /** Async method names per class node id. */
  methods: Map<number, Set<string>>;
  /** Names imported from promise-returning modules (`readFile` from `fs/promises`). */
  promiseFns: Set<string>;
  /** Namespaces whose members return promises (`fsp` for `import * as fsp from 'fs/promises'`). */
  promiseNs: Set<string>;
}

function stringValue(n: SyntaxNode | null | undefined): string {
  return n ? n.text.replace(/^['"`]|['"`]$/g, '') : '';
}

/** Indexes the async functions, async methods and promise-module imports of a JS/TS or Python file. */
function asyncIndex(root: SyntaxNode, lang: ParsedLanguage): AsyncIndex {
  const idx: AsyncIndex = { fns: new Set(), methods: new Map(), promiseFns: new Set(), promiseNs: new Set() };
  const sync = new Set<string>();
  const classOf = (fn: SyntaxNode): SyntaxNode | null => {
    const body = fn.parent;
    if (isJs(lang)) return body?.type === 'class_body' ? body.parent : null;
    // Python: function_definition (maybe decorated) directly in a class body block.
    const holder = body?.type === 'decorated_definition' ? body.parent : body;
    return holder?.type === 'block' && holder.parent?.type === 'class_definition' ? holder.parent : null;
  };
  for (const fn of nodesOfType(root, LANG[lang].func)) {
    const name = functionName(fn);
    if (!name) continue;
    // A decorator can turn a coroutine function into something else (`@async_to_sync`, task wrappers).
    if (lang === 'python' && fn.parent?.type === 'decorated_definition') {
      const decorators = fn.parent.namedChildren.filter((d) => d?.type === 'decorator').map((d) => d!.text.replace(/^@/, ''));
      if (decorators.some((d) => !/^(staticmethod|classmethod|abstractmethod|abc\.abstractmethod|override|typing\.override)$/.test(d))) {
        sync.add(name);
        continue;
      }
    }
    const cls = fn.type === 'method_definition' || lang === 'python' ? classOf(fn) : null;
    if (cls) {
      const set = idx.methods.get(cls.id) ?? new Set<string>();
      if (isAsyncFunction(fn)) set.add(name);
      idx.methods.set(cls.id, set);
      continue;
    }
    if (fn.type === 'method_definition') continue; // object literal methods
    (isAsyncFunction(fn) ? idx.fns : sync).add(name);
  }
  for (const s of sync) idx.fns.delete(s);
  if (isJs(lang)) {
    for (const imp of nodesOfType(root, ['import_statement'])) {
      const source = stringValue(imp.childForFieldName('source'));
      const clause = imp.namedChildren.find((c) => c?.type === 'import_clause');
      if (!clause) continue;
      for (const c of clause.namedChildren) {
        if (!c) continue;
        if (PROMISE_MODULES.has(source)) {
          if (c.type === 'namespace_import' || c.type === 'identifier') idx.promiseNs.add(c.namedChildren[0]?.text ?? c.text);
          if (c.type === 'named_imports') {
            for (const s of c.namedChildren) {
              if (s?.type === 'import_specifier') idx.promiseFns.add((s.childForFieldName('alias') ?? s.childForFieldName('name'))!.text);
            }
          }
        } else if (/^(node:)?fs$/.test(source) && c.type === 'named_imports') {
          // import { promises as fsp } from 'fs'
          for (const s of c.namedChildren) {
            if (s?.type === 'import_specifier' && s.childForFieldName('name')?.text === 'promises') idx.promiseNs.add((s.childForFieldName('alias') ?? s.childForFieldName('name'))!.text);
          }
        }
      }
    }
    for (const d of nodesOfType(root, ['variable_declarator'])) {
      const v = d.childForFieldName('value');
      if (v?.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'require') continue;
      if (!PROMISE_MODULES.has(stringValue(callArguments(v)[0]))) continue;
      const target = d.childForFieldName('name');
      if (target?.type === 'identifier') idx.promiseNs.add(target.text);
      else for (const n of boundNames(target)) idx.promiseFns.add(n);
    }
  }
  return idx;
}

/** Why a call returns an unawaited promise/coroutine, or null when it is not known to. */
function asyncCallee(call: SyntaxNode, lang: ParsedLanguage, idx: AsyncIndex): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') {
    if (idx.fns.has(fn.text)) return lang === 'python' ? `\`${fn.text}\` is an \`async def\`` : `\`${fn.text}\` is an async function`;
    if (idx.promiseFns.has(fn.text)) return `\`${fn.text}\` comes from a promise API`;
    if (isJs(lang) && fn.text === 'fetch') return '`fetch` returns a promise';
    return null;
  }
  const obj = fn.childForFieldName('object');
  const prop = (fn.childForFieldName('property') ?? fn.childForFieldName('attribute'))?.text ?? '';
  if (!obj) return null;
  if ((obj.type === 'this' && isJs(lang)) || (lang === 'python' && obj.text === 'self')) {
    const cls = isJs(lang) ? closestAncestor(call, ['class_declaration', 'class', 'abstract_class_declaration']) : closestAncestor(call, ['class_definition']);
    if (cls && idx.methods.get(cls.id)?.has(prop)) return `\`${prop}\` is an async method of this class`;
    return null;
  }
  if (isJs(lang)) {
    if (obj.type === 'identifier' && idx.promiseNs.has(obj.text)) return `\`${obj.text}.${prop}\` comes from a promise API`;
    if (obj.type === 'member_expression' && obj.childForFieldName('property')?.text === 'promises') return `\`${fn.text}\` returns a promise`;
  }
  if (lang === 'python' && obj.text === 'asyncio' && /^(sleep|wait_for|wait|open_connection|create_subprocess_exec|create_subprocess_shell|to_thread)$/.test(prop)) {
    return `\`asyncio.${prop}\` is a coroutine function`;
  }
  return null;
}

export const missingAwait: FileRule = {
  kind: 'file',
  id: 'concurrency/missing-await',
  personas: ['concurrency'],
  severity: 'high',
  category: 'missing-await',
  title: 'Async call not awaited',
  description:
    'A call to an async function (declared in the same file, or a promise API such as `fs/promises` or `fetch`) is used as a statement without `await`. In JS the caller races ahead and a rejection goes unhandled; in Python the coroutine never runs at all. Await it, or hand it to a task/`void` on purpose.',
  references: [],
  confidence: 0.85,
  languages: [...JS_LANGS, 'python'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const idx = asyncIndex(root, lang);
    if (!idx.fns.size && !idx.promiseFns.size && !idx.promiseNs.size && ![...idx.methods.values()].some((s) => s.size) && !root.text.includes('fetch(') && !root.text.includes('asyncio.') && !root.text.includes('.promises.')) return [];
    const hits: RuleHit[] = [];
    for (const stmt of nodesOfType(root, ['expression_statement'])) {
      const call = stmt.namedChildren[0];
      if (!call || call.type !== (lang === 'python' ? 'call' : 'call_expression')) continue;
      const fn = nearestFunction(stmt, lang);
      // JS: only inside async functions (a sync caller cannot await; top-level `main()` is its own pattern).
      if (isJs(lang) && (!fn || !isAsyncFunction(fn))) continue;
      const why = asyncCallee(call, lang, idx);
      if (!why || markedIntentional(stmt, root, lang)) continue;
      const inAsync = !!fn && isAsyncFunction(fn);
      const replacement = inAsync ? insertAwait(call, file) : undefined;
      const text = snippet(call);
      if (lang === 'python') {
        hits.push({
          node: call,
          message: `${why}, so \`${text}\` only creates a coroutine object and discards it: the body never runs (Python warns "coroutine ... was never awaited").`,
          suggestion: {
            description: inAsync
              ? `Write \`await ${text}\`, or \`asyncio.create_task(...)\` (keeping a reference to the task) to run it concurrently.`
              : 'Call it from async code with `await`, run it with `asyncio.run(...)` at the top level, or schedule it with `asyncio.create_task(...)` from a running loop.',
            ...(replacement ? { replacement } : {}),
          },
        });
      } else {
        hits.push({
          node: call,
          // In JS the call still runs; the harm is ordering and unhandled rejections, and it is sometimes meant.
          severity: 'medium',
          message: `${why}, but \`${text}\` is neither awaited nor returned: the surrounding async function carries on before it finishes, and if it rejects the error is unhandled (Node.js exits on unhandled rejections by default).`,
          suggestion: {
            description: 'Add `await` (or `return` it). If running it in the background is intended, write `void ` before the call and attach a `.catch(...)` that logs the error.',
            ...(replacement ? { replacement } : {}),
          },
        });
      }
    }
    return hits;
  },
};
