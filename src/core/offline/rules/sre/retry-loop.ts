/** `sre/unbounded-retry`: retry loops without a limit or backoff (CWE-835). */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { ALL_LANGS, calleeMethod, isJs, LANG } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { resolvedCallee } from '../../bindings';
import { isTestFile } from './util';
import { code, eachOfType } from '../../nodes';

/** True when a loop has no exit condition of its own (`while (true)`, `for (;;)`, `while True:`, Go `for {}`). */
function isInfiniteLoop(loop: SyntaxNode, lang: ParsedLanguage): boolean {
  if (lang === 'go') return loop.type === 'for_statement' && loop.namedChildren.filter((c) => c && !LANG.go.comment.includes(c.type)).length === 1;
  const cond = loop.childForFieldName('condition');
  if (loop.type === 'for_statement' && (isJs(lang) || lang === 'java')) return !cond || cond.type === 'empty_statement' || cond.text === ';' || /^\(?\s*true\s*\)?;?$/.test(cond.text);
  if (loop.type === 'while_statement' || loop.type === 'do_statement') return /^\(?\s*(true|True|1)\s*\)?$/.test(cond?.text ?? '');
  return false;
}

/** The loop variable and bound of a counted loop (`for (let i = 0; i < 3; i++)`, `for _ in range(3)`, Go `for i := 0; i < 3; i++`), or undefined. */
function countedLoop(loop: SyntaxNode, lang: ParsedLanguage): { variable: string } | undefined {
  if (lang === 'python' && loop.type === 'for_statement') {
    const right = loop.childForFieldName('right');
    if (right?.type === 'call' && right.childForFieldName('function')?.text === 'range') return { variable: loop.childForFieldName('left')?.text ?? '' };
    return undefined;
  }
  if (lang === 'go' && loop.type === 'for_statement') {
    const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
    if (clause) {
      const cond = clause.childForFieldName('condition');
      if (!cond || /len\(/.test(cond.text)) return undefined;
      return { variable: clause.childForFieldName('initializer')?.childForFieldName('left')?.text ?? '' };
    }
    const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
    if (range && /^\d+$|^\w*(max|Max|retries|Retries|attempts|Attempts)\w*$/.test(range.childForFieldName('right')?.text ?? '')) return { variable: range.childForFieldName('left')?.text ?? '' };
    return undefined;
  }
  if (loop.type === 'for_statement' && (isJs(lang) || lang === 'java')) {
    const cond = loop.childForFieldName('condition');
    if (!cond || !/[<>]/.test(cond.text) || /\.length|\.size\(\)|\.count/.test(cond.text)) return undefined;
    const init = loop.childForFieldName('initializer') ?? loop.childForFieldName('init');
    const id = init?.descendantsOfType(['identifier'])[0];
    return { variable: id?.text ?? '' };
  }
  if (loop.type === 'while_statement' || loop.type === 'do_statement') {
    const cond = loop.childForFieldName('condition')?.text ?? '';
    if (/[<>]/.test(cond) && COUNTER.test(cond)) return { variable: '' };
  }
  return undefined;
}

const COUNTER = /attempt|retr(y|ies)|tries|tried|count|max|limit|deadline|elapsed|remaining|budget/i;
const BACKOFF = /sleep|delay|wait|backoff|setTimeout|pause|throttle|After$|Sleep|retryAfter/i;
const FALLIBLE = /fetch|request|get|post|put|patch|delete|send|connect|query|exec|call|invoke|publish|consume|receive|recv|urlopen|dial|Do$|open|upload|download|write|read|login|auth|api|http|client|rpc|sql|db|redis|kafka|queue|socket|grpc|rabbit|amqp|s3|mongo|pg|mysql/i;
const INTERACTIVE = /(^|\.)(input|prompt|readline|raw_input|nextLine|nextInt|getpass|Scan|Scanln)$/;

/** Nodes inside `root` that belong to it: not inside nested functions or nested loops. */
function ownNodes(root: SyntaxNode, lang: ParsedLanguage, types: readonly string[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const t = LANG[lang];
  walk(root, (n) => {
    if (n.id !== root.id && (t.func.includes(n.type) || t.loop.includes(n.type))) return false;
    if (types.includes(n.type)) out.push(n);
    return true;
  });
  return out;
}

const EXIT = ['break_statement', 'return_statement'];
const FAIL_EXIT = ['throw_statement', 'raise_statement', 'return_statement', 'break_statement'];

/**
 * True when a block leaves the loop on its normal path: a `break`/`return` among its top-level statements
 * (looking through `with` blocks and plain nested blocks, not through `if`s or loops).
 */
function unconditionalExit(block: SyntaxNode): boolean {
  for (const st of block.namedChildren) {
    if (!st) continue;
    if (EXIT.includes(st.type)) return true;
    if (st.type === 'with_statement' || st.type === 'statement_block' || st.type === 'block') {
      const inner = st.type === 'with_statement' ? st.childForFieldName('body') : st;
      if (inner && unconditionalExit(inner)) return true;
    }
  }
  return false;
}

interface RetryShape {
  /** The call being retried (first fallible call on the success path). */
  call: SyntaxNode;
}

/** Recognises "try the call; on success leave the loop; on failure go round again". */
function retryShape(loop: SyntaxNode, file: ParsedFile): RetryShape | undefined {
  const lang = file.language;
  const t = LANG[lang];
  const body = loop.childForFieldName('body') ?? loop.namedChildren.find((c) => c?.type === 'block') ?? null;
  if (!body) return undefined;
  if (lang !== 'go') {
    for (const tryNode of ownNodes(body, lang, t.tryCatch)) {
      const tryBody = tryNode.childForFieldName('body');
      const handlers = tryNode.namedChildren.filter((c): c is SyntaxNode => !!c && t.catchClause.includes(c.type));
      if (!tryBody || handlers.length === 0) continue;
      if (!unconditionalExit(tryBody)) continue;
      if (handlers.some((h) => ownNodes(h, lang, FAIL_EXIT).length > 0)) continue;
      const calls = ownNodes(tryBody, lang, t.call);
      if (calls.some((c) => INTERACTIVE.test(resolvedCallee(c, file)))) continue;
      const fallible = calls.find((c) => FALLIBLE.test(calleeMethod(resolvedCallee(c, file))) || FALLIBLE.test(resolvedCallee(c, file)));
      if (fallible) return { call: fallible };
    }
    return undefined;
  }
  // Go: `x, err := call(); if err == nil { break }` or `if err != nil { continue }` ... `return`.
  const ifs = ownNodes(body, lang, ['if_statement']);
  const errCheck = (n: SyntaxNode, op: string) => {
    const cond = n.childForFieldName('condition');
    return cond?.type === 'binary_expression' && cond.childForFieldName('operator')?.text === op && /^(err|\w*Err)$/.test(cond.childForFieldName('left')?.text ?? '') && cond.childForFieldName('right')?.text === 'nil';
  };
  const successExit = ifs.some((n) => errCheck(n, '==') && ownNodes(n.childForFieldName('consequence') ?? n, lang, EXIT).length > 0);
  const failContinue = ifs.some((n) => errCheck(n, '!=') && ownNodes(n.childForFieldName('consequence') ?? n, lang, ['continue_statement']).length > 0 && ownNodes(n.childForFieldName('consequence') ?? n, lang, FAIL_EXIT).length === 0);
  const failExits = ifs.some((n) => errCheck(n, '!=') && ownNodes(n.childForFieldName('consequence') ?? n, lang, FAIL_EXIT).length > 0);
  if (!(successExit || (failContinue && ownNodes(body, lang, EXIT).length > 0)) || failExits) return undefined;
  const calls = ownNodes(body, lang, t.call).filter((c) => {
    const assign = c.parent?.parent;
    return assign && /short_var_declaration|assignment_statement/.test(assign.type) && /\berr\b/.test(assign.childForFieldName('left')?.text ?? '');
  });
  const fallible = calls[0];
  return fallible ? { call: fallible } : undefined;
}

/** True when the loop counts attempts or watches a deadline/cancellation somewhere in its body or condition. */
function hasBound(loop: SyntaxNode, lang: ParsedLanguage): boolean {
  let bounded = false;
  walk(loop, (n) => {
    if (bounded) return false;
    if (LANG[lang].func.includes(n.type)) return false;
    if (/^(binary_expression|comparison_operator)$/.test(n.type)) {
      const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed)?.text ?? '';
      if (/^(<|<=|>|>=|==|===|!=|!==)$/.test(op) && (COUNTER.test(n.text) || /now|time|since|Since|Until|monotonic/.test(n.text))) bounded = true;
    }
    if (/ctx\.Done\(\)|ctx\.Err\(\)|\.aborted|isInterrupted\(\)|signal\.throwIfAborted/.test(n.type === 'call_expression' || n.type === 'member_expression' || n.type === 'selector_expression' || n.type === 'method_invocation' ? n.text : '')) bounded = true;
    return !bounded;
  });
  return bounded;
}

function hasBackoff(loop: SyntaxNode, file: ParsedFile): boolean {
  const lang = file.language;
  let found = false;
  walk(loop, (n) => {
    if (found) return false;
    if (LANG[lang].call.includes(n.type) && BACKOFF.test(calleeMethod(resolvedCallee(n, file)))) found = true;
    if (lang === 'go' && n.type === 'unary_expression' && /<-\s*time\.After/.test(n.text)) found = true;
    return !found;
  });
  return found;
}

export const retryLoop: FileRule = {
  kind: 'file',
  id: 'sre/retry-loop',
  personas: ['sre'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'unsafe-retry',
  title: 'Retry loop without attempt limit or backoff',
  description:
    'Flags retry loops (try a call, leave the loop on success, go round again on failure) that either never give up (`while (true)`/`for {}` with no attempt counter or deadline) or retry immediately with no sleep/backoff. Against a failing dependency these loops spin, burn CPU and multiply load exactly when it is least able to cope (retry storms). Cap the attempts, back off exponentially with jitter, and surface the final error.',
  references: ['CWE-835', 'CWE-400'],
  confidence: 0.75,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const lang = file.language;
    const hits: RuleHit[] = [];
    eachOfType(file.root, LANG[lang].loop, (loop) => {
      const infinite = isInfiniteLoop(loop, lang);
      const counted = infinite ? undefined : countedLoop(loop, lang);
      if (!infinite && !counted) return;
      const shape = retryShape(loop, file);
      if (!shape) return;
      const callee = resolvedCallee(shape.call, file) || 'the call';
      if (counted?.variable && counted.variable !== '_') {
        // The loop variable used in the call means iterating over candidates, not retrying one call.
        const uses = shape.call.descendantsOfType('identifier').some((id) => id?.text === counted.variable);
        if (uses) return;
      }
      const backoff = hasBackoff(loop, file);
      const line = loop.startPosition.row + 1;
      const range = { startLine: line, endLine: line };
      const backoffFix = lang === 'python' ? '`time.sleep(min(cap, base * 2 ** attempt) * random.random())`' : lang === 'go' ? '`time.Sleep(backoff)` with a doubling, jittered `backoff`' : lang === 'java' ? '`Thread.sleep(...)` (or a `ScheduledExecutorService`) with exponential, jittered delays' : '`await new Promise(r => setTimeout(r, delay))` with an exponential, jittered `delay`';
      if (infinite && !hasBound(loop, lang)) {
        const fix = `Count attempts and give up after a few (or at a deadline), and wait between attempts with exponential backoff and jitter, e.g. ${backoffFix}; then surface the last error.`;
        hits.push({
          range,
          severity: 'high',
          title: backoff ? 'Unbounded retry loop' : 'Unbounded retry loop without backoff',
          message: `This loop retries ${code(callee)} until it succeeds, with no attempt limit or deadline${backoff ? '' : ' and no delay between attempts'}. If the dependency is down, it ${backoff ? 'never gives up and never reports the failure' : 'spins hot, hammering it and burning CPU, and never reports the failure'}. ${fix}`,
          suggestion: { description: fix },
        });
      } else if (!backoff) {
        const fix = `Wait between attempts with exponential backoff and jitter, e.g. ${backoffFix}.`;
        hits.push({
          range,
          severity: 'medium',
          title: 'Retry loop without backoff',
          message: `This loop retries ${code(callee)} immediately after each failure. Back-to-back retries give a struggling dependency no time to recover and multiply its load (a retry storm). ${fix}`,
          suggestion: { description: fix },
        });
      }
    });
    return hits;
  },
};
