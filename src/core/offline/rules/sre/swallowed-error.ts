/** `sre/swallowed-error`: caught errors that are neither handled, logged nor rethrown (CWE-390, CWE-1069). */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { ALL_LANGS, callArguments, calleeMethod, isJs, LANG } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { resolvedCallee } from '../../bindings';
import { isTestFile } from './util';
import { callsOf, eachOfType, hasCommentInRows } from '../../nodes';

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

export const swallowedError: FileRule = {
  kind: 'file',
  id: 'sre/swallowed-error',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'swallowed-error',
  title: 'Error swallowed silently',
  description:
    'Flags error handlers that do nothing: empty `catch` blocks and `doWork().catch(() => {})`, Python `except:`/`except Exception:` with only `pass`, Java empty `catch`, Go `if err != nil {}`. The failure leaves no log, metric or trace, so incidents are invisible and the code carries on with bad state. Best-effort cleanup (`close`, `unlink`) and probes (`JSON.parse`, optional `require`/imports) are not reported. Log with context, count it, rethrow, or handle it; if ignoring is deliberate, say why in a comment (the finding then drops to low).',
  references: ['CWE-390', 'CWE-1069'],
  confidence: 0.8,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    const commented = (n: SyntaxNode) => hasCommentInRows(file, n.startPosition.row, n.endPosition.row);
    const report = (node: SyntaxNode, what: string, intent: boolean, fix: string, severity?: 'medium' | 'low') =>
      hits.push({
        node,
        severity: severity ?? (intent ? 'low' : 'medium'),
        confidence: intent ? 0.5 : 0.8,
        title: intent ? 'Error ignored on purpose (no log)' : 'Error swallowed silently',
        message: intent
          ? `${what} ignores the error; the comment explains why, but nothing is logged or counted, so if this starts failing often nobody will know. ${fix}`
          : `${what} ignores the error: no log, metric or rethrow, so a failure here is invisible in production and the code continues as if it succeeded. ${fix}`,
        suggestion: { description: fix },
      });
    if (isJs(lang)) {
      const fix = 'Log the error with context (or record a metric) and decide explicitly: rethrow, return a fallback, or add a comment saying why it is safe to ignore.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        const param = c.childForFieldName('parameter')?.text ?? '';
        const intent = commented(c) || /^_|^ignored?$/.test(param);
        report(c, 'This empty `catch` block', intent, fix);
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
        report(handler, '`.catch(() => {})`', commented(handler), fix);
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
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        report(c, bare ? 'This bare `except:` with only `pass`' : `\`except ${types.join(', ')}:\` with only \`pass\``, commented(c), fix);
      });
    } else if (lang === 'java') {
      const fix = 'Log it with context (or rethrow wrapped in a domain exception); if it truly cannot matter, name the variable `ignored` and add a comment saying why.';
      eachOfType(file.root, ['catch_clause'], (c) => {
        const body = c.childForFieldName('body');
        if (!emptyBody(body, lang)) return;
        const param = c.namedChildren.find((x) => x?.type === 'catch_formal_parameter');
        const typeNames = (param?.namedChildren.find((x) => x?.type === 'catch_type')?.namedChildren ?? []).map((t) => t?.text ?? '');
        const varName = param?.childForFieldName('name')?.text ?? '';
        const intent = commented(c) || /^(ignored?|expected|_)$/.test(varName);
        if (typeNames.some((t) => /InterruptedException$/.test(t))) {
          hits.push({
            node: c,
            severity: 'medium',
            title: 'InterruptedException swallowed',
            message: 'This empty `catch (InterruptedException ...)` clears the thread\'s interrupt flag, so shutdown and cancellation requests are lost and the thread keeps running. Call `Thread.currentThread().interrupt()` in the handler (and stop the work), or let the exception propagate.',
            suggestion: { description: 'Restore the interrupt flag with `Thread.currentThread().interrupt()` and stop the work, or declare `throws InterruptedException`.' },
          });
          return;
        }
        if (!meaningfulTry(c.parent?.childForFieldName('body') ?? null, file)) return;
        const broad = typeNames.some((t) => BROAD_JAVA.test(t.replace(/^java\.lang\./, '')));
        if (!broad && intent) return; // a specific exception ignored with a stated reason
        report(c, `This empty \`catch (${typeNames.join(' | ')} ${varName})\``, intent, fix, broad ? undefined : 'low');
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
        report(n, `This \`if ${cond.text} {}\``, commented(n), fix);
      });
    }
    return hits;
  },
};
