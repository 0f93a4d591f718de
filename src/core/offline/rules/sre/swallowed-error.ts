/** `sre/swallowed-error`: caught errors that are neither handled, logged nor rethrown (CWE-390, CWE-1069). */
import { ancestor, walk, type ParsedLanguage, type SyntaxNode } from '../../syntax';
import { ALL_LANGS, callArguments, calleeMethod, isJs, LANG } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { definitionsOf, resolvedCallee } from '../../bindings';
import { isTestFile } from './util';
import { callsOf, commentsOf, docOf, eachOfType } from '../../nodes';

const BROAD_PY = /^(Exception|BaseException)$/;
const BROAD_JAVA = /^(Exception|Throwable|RuntimeException|Error)$/;
const PY_EXPECTED = /^(ImportError|ModuleNotFoundError|StopIteration|StopAsyncIteration|KeyboardInterrupt|GeneratorExit|asyncio\.CancelledError|CancelledError)$/;

/** True when a block has no statements other than comments, `pass` and `...`. */
function emptyBody(block: SyntaxNode | null | undefined, lang: ParsedLanguage): boolean {
  if (!block) return false;
  const stmts = block.namedChildren.filter((c) => c && !LANG[lang].comment.includes(c.type));
  if (lang === 'go' && stmts.length === 1 && stmts[0]?.type === 'statement_list') {
    return (stmts[0].namedChildren.filter((c) => c && !LANG.go.comment.includes(c.type)).length ?? 0) === 0;
  }
  return stmts.every((s) => s && (s.type === 'pass_statement' || (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'ellipsis') || s.type === 'empty_statement'));
}

/** Calls whose failure is routinely ignored: best-effort cleanup, logging and telemetry. */
const CLEANUP = /^(warn|warning|warnings|log|debug|info|trace|print|setAttribute|setAttributes|addEvent|recordException|setStatus|mkdir|mkdirSync|makedirs|close|closeSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|destroy|dispose|kill|abort|cancel|release|end|disconnect|quit|terminate|removeListener|removeEventListener|off|clearTimeout|clearInterval|shutdown|stop|finish|flush|unref|cleanup|remove|remove_file|rmtree|chmod|setsockopt|setDaemon|detach|join)$/i;
/** Calls used as probes whose failure just means "not available / not that format". */
const PROBE = /^(__classPrivateFieldGet|parse|require|import|import_module|__import__|decodeURIComponent|decodeURI|encodeURIComponent|atob|btoa|stat|statSync|lstat|lstatSync|existsSync|accessSync|access|realpath|realpathSync|readlinkSync|getOwnPropertyDescriptor|defineProperty|structuredClone|parseInt|parseFloat|Number|String|int|float|str|bool|loads|literal_eval|fromisoformat|strptime|getattr|hasattr|isinstance|len|compile|RegExp|URL|Intl|get_terminal_size|fileno|isatty|getpreferredencoding|getlocale|setlocale|version|valueOf|toString|toJSON|stringify|normalize|canonicalize)$/;

/**
 * True when a try body does something whose failure matters operationally: it has at least one call
 * that is neither best-effort cleanup ({@link CLEANUP}) nor a probe ({@link PROBE}).
 */
function meaningfulTry(tryBody: SyntaxNode | null, file: ParsedFile): boolean {
  if (!tryBody) return true;
  const calls = tryBody.descendantsOfType([...LANG[file.language].call]).filter((c): c is SyntaxNode => c !== null);
  return calls.some((c) => {
    const m = calleeMethod(resolvedCallee(c, file).replace(/^new /, ''));
    return !CLEANUP.test(m) && !PROBE.test(m);
  });
}

/** A comment that marks work left to do, which is no reason to ignore an error. */
const TODO = /\b(TODO|FIXME|XXX|HACK)\b/;

/**
 * Lint directives that silence an empty-block or ignored-error check: ESLint `no-empty` /
 * `no-empty-function` (`eslint-disable`, `-line`, `-next-line`), Python `# noqa`, `# nosec` (bandit B110)
 * and `# pylint: disable=` (`broad-except`, `bare-except`, `W0702`/`W0703`), golangci-lint `//nolint`,
 * PMD `NOPMD`, and Checkstyle's `CHECKSTYLE:OFF` / `CHECKSTYLE.OFF: EmptyCatchBlock`.
 */
const LINT_DIRECTIVE = /eslint-disable(-next-line|-line)?\b[^\n]*\bno-empty\b|#\s*noqa\b|#\s*nosec\b|pylint:\s*disable=[\w,-]*(broad-except|bare-except|broad-exception-caught|W0702|W0703|W0718)|\/\/\s*nolint\b|NOPMD|CHECKSTYLE[.:]\s*OFF/i;

/** File-wide ESLint directive that turns `no-empty` off (`/* eslint-disable no-empty *\/` on a line of its own). */
const FILE_DIRECTIVE = /^\/\*\s*eslint-disable\s[^*]*\bno-empty\b/;

/**
 * True when the author said the error is ignored on purpose: a comment inside the handler (its line
 * included) that is not a TODO, or a lint directive for empty handlers on the handler's line, the line
 * above it, or the `try` line (as `eslint-disable-next-line no-empty`, `# noqa`, `//nolint` are written), or a
 * file-wide `eslint-disable no-empty`.
 */
function saidDeliberate(handler: SyntaxNode, tryStmt: SyntaxNode | null, file: ParsedFile): boolean {
  const from = handler.startPosition.row;
  const to = handler.endPosition.row;
  const tryRow = tryStmt?.startPosition.row ?? from;
  for (const c of commentsOf(file)) {
    const row = c.startPosition.row;
    if (row >= from && row <= to && !TODO.test(c.text)) return true;
    if ((row === from - 1 || row === tryRow || row === tryRow - 1) && LINT_DIRECTIVE.test(c.text)) return true;
    if (c.parent?.type === 'program' && FILE_DIRECTIVE.test(c.text)) return true;
  }
  return false;
}

/**
 * True for a "try this, else keep the default" fallback: the try body is one assignment (possibly under an
 * `if` with no `else`) to a name that was given a value before it (`let mod = plain; try { mod = optimised() } catch {}`), or it ends in a `return`
 * and the code after the `try` returns the fallback (`try: return fast() except Exception: pass` then
 * `return default`). The error is the signal to use the default, not a failure to report.
 */
function fallbackTry(tryStmt: SyntaxNode | null, file: ParsedFile): boolean {
  const lang = file.language;
  const body = tryStmt?.childForFieldName('body') ?? tryStmt?.namedChildren.find((c) => c?.type === 'block') ?? null;
  if (!tryStmt || !body) return false;
  const stmts = body.namedChildren.filter((c): c is SyntaxNode => c !== null && !LANG[lang].comment.includes(c.type));
  let only = stmts.length === 1 ? stmts[0]! : undefined;
  // `try: if hasattr(obj, "hook"): result = obj.hook()`: a guarded assignment is the same fallback.
  if (only?.type === 'if_statement' && !only.childForFieldName('alternative') && !only.namedChildren.some((c) => c?.type === 'elif_clause' || c?.type === 'else_clause')) {
    const cons = only.childForFieldName('consequence');
    const inner = cons ? (/block/.test(cons.type) ? cons.namedChildren.filter((c): c is SyntaxNode => c !== null && !LANG[lang].comment.includes(c.type)) : [cons]) : [];
    only = inner.length === 1 ? inner[0] : undefined;
  }
  const expr = only?.type === 'expression_statement' ? only.namedChildren[0] : undefined;
  const target = expr && /^(assignment_expression|assignment)$/.test(expr.type) ? expr.childForFieldName('left') : null;
  // The variable must hold a default already (assigned before the try), or be checked after it
  // (`if (!mod) mod = plain()`): either way the failure leads to the fallback.
  if (target?.type === 'identifier') return definitionsOf(target.text, tryStmt, file).some((d) => d.node.endIndex <= tryStmt.startIndex) || checkedAfter(target.text, tryStmt, file);
  const last = stmts[stmts.length - 1];
  if (last?.type !== 'return_statement') return false;
  for (let n = tryStmt.nextNamedSibling; n; n = n.nextNamedSibling) if (!LANG[lang].comment.includes(n.type)) return true;
  return false;
}

/**
 * True when `name` is tested for being unset after `tryStmt` in the same function: in an `if`/`while`/
 * ternary condition (`if (!mod)`, `if mod is None`), or as the left side of `??`/`||`/`or`.
 */
function checkedAfter(name: string, tryStmt: SyntaxNode, file: ParsedFile): boolean {
  const scope = ancestor(tryStmt, LANG[file.language].func) ?? file.root;
  let found = false;
  walk(scope, (n) => {
    if (found || n.endIndex <= tryStmt.endIndex) return false; // before the try, or the try itself
    if (n.startIndex < tryStmt.endIndex) return true; // encloses the try: look inside, after it
    if (n.type !== 'identifier' || n.text !== name) return true;
    for (let p: SyntaxNode | null = n.parent, c: SyntaxNode = n; p && p.id !== scope.id; c = p, p = p.parent) {
      if (p.childForFieldName('condition')?.id === c.id) found = true;
      const op = p.childForFieldName('operator')?.text ?? p.children.find((x) => x && !x.isNamed)?.text;
      if (/^(binary_expression|boolean_operator)$/.test(p.type) && /^(\?\?|\|\||or)$/.test(op ?? '') && p.childForFieldName('left')?.id === c.id) found = true;
      if (found || /statement|block/.test(p.type)) break;
    }
    return false;
  });
  return found;
}

/** Words in a function's own documentation saying that it ignores errors on purpose (a `safecall` wrapper). */
const DOCUMENTED_IGNORE = /\b(ignor\w*|swallow\w*|suppress\w*|silenc\w*)\b[^.]{0,40}\b(errors?|exceptions?|failures?)\b|\b(errors?|exceptions?|failures?)\b[^.]{0,40}\b(are|is)\s+(ignored|swallowed|suppressed|silenced)\b/i;

/** True when a function enclosing `node` documents (docstring, or the comment right above it) that it ignores errors. */
function documentedAsIgnoring(node: SyntaxNode, file: ParsedFile): boolean {
  const funcs = LANG[file.language].func;
  for (let p = node.parent; p; p = p.parent) if (funcs.includes(p.type) && DOCUMENTED_IGNORE.test(docOf(p, file))) return true;
  return false;
}

export const swallowedError: FileRule = {
  kind: 'file',
  id: 'sre/swallowed-error',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'swallowed-error',
  title: 'Error swallowed silently',
  description:
    'Flags error handlers that do nothing: empty `catch` blocks and `doWork().catch(() => {})`, Python `except:`/`except Exception:` with only `pass`, Java empty `catch`, Go `if err != nil {}`. The failure leaves no log, metric or trace, so incidents are invisible and the code carries on with bad state. Best-effort cleanup (`close`, `unlink`) and probes (`JSON.parse`, optional `require`/imports) are not reported. Not reported: handlers whose comment gives the reason (or that carry a lint directive such as `eslint-disable-next-line no-empty`, `# noqa`, `//nolint`), exceptions named `ignored`/`_`, a `try` that only sets a variable or returns early so that the code after it provides the default, and functions documented as ignoring errors. Log with context, count it, rethrow, or handle it.',
  references: ['CWE-390', 'CWE-1069'],
  confidence: 0.8,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    // Not swallowed: ignored on purpose and said so, a fallback to a default, or a function whose documentation says it ignores errors.
    const excused = (handler: SyntaxNode, tryStmt: SyntaxNode | null) => saidDeliberate(handler, tryStmt, file) || fallbackTry(tryStmt, file) || documentedAsIgnoring(handler, file);
    const report = (node: SyntaxNode, what: string, fix: string, severity?: 'medium' | 'low') =>
      hits.push({
        node,
        severity,
        message: `${what} ignores the error: no log, metric or rethrow, so a failure here is invisible in production and the code continues as if it succeeded. ${fix}`,
        suggestion: { description: fix },
      });
    if (isJs(lang)) {
      const fix = 'Log the error with context (or record a metric) and decide explicitly: rethrow, return a fallback, or add a comment saying why it is safe to ignore.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        const tryStmt = c.parent;
        if (!meaningfulTry(tryStmt?.childForFieldName('body') ?? null, file)) return;
        const param = c.childForFieldName('parameter')?.text ?? '';
        if (/^_|^ignored?$/.test(param) || excused(c, tryStmt)) return;
        report(c, 'This empty `catch` block', fix);
      });
      for (const call of callsOf(file)) {
        const fnNode = call.childForFieldName('function');
        if (fnNode?.type !== 'member_expression' || fnNode.childForFieldName('property')?.text !== 'catch') continue;
        const handler = callArguments(call)[0];
        if (!handler || (handler.type !== 'arrow_function' && handler.type !== 'function_expression')) continue;
        const body = handler.childForFieldName('body');
        if (body?.type !== 'statement_block' || !emptyBody(body, lang)) continue;
        // `stored.catch(() => {})` marks a promise handled (its error surfaces elsewhere); only calls made
        // just to be ignored count, and best-effort cleanup (`close()`, `unlink()`) is fine to ignore.
        const promise = fnNode.childForFieldName('object');
        if (promise?.type !== 'call_expression') continue;
        const m = calleeMethod(resolvedCallee(promise, file));
        if (CLEANUP.test(m) || PROBE.test(m)) continue;
        if (saidDeliberate(handler, null, file) || documentedAsIgnoring(handler, file)) continue;
        report(handler, '`.catch(() => {})`', fix);
      }
    } else if (lang === 'python') {
      const fix = 'Log it (`logger.exception(...)` keeps the traceback), narrow the exception type to what you expect, or use `contextlib.suppress(SpecificError)` with a comment saying why it is safe.';
      eachOfType(file.root, ['except_clause'], (c) => {
        const block = c.namedChildren.find((x) => x?.type === 'block');
        if (!emptyBody(block, lang)) return;
        const typeNode = c.namedChildren.find((x) => x && x.type !== 'block' && !LANG.python.comment.includes(x.type));
        const typeExpr = typeNode?.type === 'as_pattern' ? typeNode.namedChildren[0] : typeNode;
        const types = !typeExpr ? [] : typeExpr.type === 'tuple' || typeExpr.type === 'parenthesized_expression' ? typeExpr.namedChildren.map((t) => t?.text ?? '') : [typeExpr.text];
        const bare = types.length === 0;
        if (!bare && !types.some((t) => BROAD_PY.test(t))) return; // a specific, expected exception ignored on purpose
        if (types.some((t) => PY_EXPECTED.test(t))) return;
        const tryStmt = c.parent;
        if (!meaningfulTry(tryStmt?.childForFieldName('body') ?? null, file)) return;
        if (excused(c, tryStmt)) return;
        report(c, bare ? 'This bare `except:` with only `pass`' : `\`except ${types.join(', ')}:\` with only \`pass\``, fix);
      });
    } else if (lang === 'java') {
      const fix = 'Log it with context (or rethrow wrapped in a domain exception); if it truly cannot matter, name the variable `ignored` and add a comment saying why.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        const param = c.namedChildren.find((x) => x?.type === 'catch_formal_parameter');
        const typeNames = (param?.namedChildren.find((x) => x?.type === 'catch_type')?.namedChildren ?? []).map((t) => t?.text ?? '');
        const varName = param?.childForFieldName('name')?.text ?? '';
        if (typeNames.some((t) => /InterruptedException$/.test(t))) {
          // Even a deliberate empty handler clears the thread's interrupt flag: that is a defect of its own.
          hits.push({
            node: c,
            severity: 'medium',
            title: 'InterruptedException swallowed',
            message: 'This empty `catch (InterruptedException ...)` clears the thread\'s interrupt flag, so shutdown and cancellation requests are lost and the thread keeps running. Call `Thread.currentThread().interrupt()` in the handler (and stop the work), or let the exception propagate.',
            suggestion: { description: 'Restore the interrupt flag with `Thread.currentThread().interrupt()` and stop the work, or declare `throws InterruptedException`.' },
          });
          return;
        }
        const tryStmt = c.parent;
        if (!meaningfulTry(tryStmt?.childForFieldName('body') ?? null, file)) return;
        // `ignored`/`expected` is the Java convention (IntelliJ, Error Prone) for a deliberately ignored exception.
        if (/^(ignored?|expected|_)$/.test(varName) || excused(c, tryStmt)) return;
        const broad = typeNames.some((t) => BROAD_JAVA.test(t.replace(/^java\.lang\./, '')));
        report(c, `This empty \`catch (${typeNames.join(' | ')} ${varName})\``, fix, broad ? undefined : 'low');
      });
    } else if (lang === 'go') {
      const fix = 'Handle the error: return it wrapped with context (`fmt.Errorf("...: %w", err)`), or log it; if ignoring is intended, assign to `_` with a comment.';
      eachOfType(file.root, ['if_statement'], (n) => {
        const cond = n.childForFieldName('condition');
        if (cond?.type !== 'binary_expression' || n.childForFieldName('alternative')) return;
        const op = cond.childForFieldName('operator')?.text ?? cond.children.find((c) => c && !c.isNamed)?.text;
        const l = cond.childForFieldName('left')?.text ?? '';
        const r = cond.childForFieldName('right')?.text ?? '';
        if (op !== '!=' || !((/^(err|\w*Err)$/.test(l) && r === 'nil') || (/^(err|\w*Err)$/.test(r) && l === 'nil'))) return;
        if (!emptyBody(n.childForFieldName('consequence'), lang)) return;
        if (saidDeliberate(n, null, file) || documentedAsIgnoring(n, file)) return;
        report(n, `This \`if ${cond.text} {}\``, fix);
      });
    }
    return hits;
  },
};
