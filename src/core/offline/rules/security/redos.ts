/**
 * Rule family: regular expression denial of service (CWE-1333, OWASP A05:2021). Regular expression
 * literals and constant patterns (`/.../`, `new RegExp("...")`, Python `re.compile`, Java
 * `Pattern.compile`/`String.matches`) are judged by recheck (https://makenowjust-labs.github.io/recheck/),
 * a ReDoS checker, in its pure-JavaScript mode (no native binary, no JVM, nothing leaves the machine);
 * a pattern it proves exponential is reported. Patterns that cannot backtrack super-linearly (fewer
 * than two unbounded quantifiers and no quantified alternation) are never sent to it, so the checker
 * stays off the hot path. Request input used as a pattern (regex injection) is reported too. Go's
 * `regexp` (RE2) runs in linear time and is not checked.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { LANG, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue } from '../../nodes';
import { resolvedCallee } from '../../bindings';
import { unescape } from '../../taint/lower';
import { requestFlows, taintHit } from './flows';

/** What recheck found for one pattern. */
interface Verdict {
  status: 'vulnerable' | 'safe' | 'unknown';
  complexity?: string;
  attack?: string;
}

const cache = new Map<string, Verdict>();
/**
 * Longest time (ms) one pattern may take in the checker; total per file is bounded by {@link FILE_BUDGET_MS}.
 * recheck's limits are wall-clock time, so on a loaded machine a short limit turns a vulnerable verdict into
 * "unknown" (no finding): 3 s leaves room for a machine running several jobs per core (measured: `^(a+)+$`
 * takes 40 ms idle and 0.5 s at load 14 on 2 cores). Only patterns that pass the nested-quantifier pre-check
 * reach the checker, so well-written code rarely pays it.
 */
const PATTERN_TIMEOUT_MS = 3_000;
const FILE_BUDGET_MS = 6_000;

/**
 * True when a pattern could backtrack exponentially at all: an unbounded quantifier (`*`, `+`, `{n,}`)
 * applied to a group that itself contains an unbounded quantifier or an alternation (`(a+)+`,
 * `(\\w+\\s?)*`, `(a|ab)*`). Without such nesting a backtracking engine is at most polynomial, so
 * other patterns are not sent to the checker (only exponential ones are reported).
 */
export function mayBacktrack(src: string): boolean {
  let inClass = false;
  const groups: Array<{ inner: boolean; alt: boolean }> = [];
  const unboundedAt = (i: number) => src[i] === '*' || src[i] === '+' || (src[i] === '{' && /^\{\d+,\}/.test(src.slice(i)));
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      i++;
      if (unboundedAt(i + 1) && groups.length) groups[groups.length - 1]!.inner = true;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        if (unboundedAt(i + 1) && groups.length) groups[groups.length - 1]!.inner = true;
      }
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') groups.push({ inner: false, alt: false });
    else if (ch === '|' && groups.length) groups[groups.length - 1]!.alt = true;
    else if (ch === ')') {
      const g = groups.pop();
      if (!g) continue;
      const quantified = unboundedAt(i + 1);
      if (quantified && (g.inner || g.alt)) return true;
      // What a group contains is inside its parent too; a quantified group makes the parent's content quantified.
      if (groups.length && (g.inner || quantified)) groups[groups.length - 1]!.inner = true;
    } else if (unboundedAt(i) && ch !== '{' && i > 0 && groups.length) groups[groups.length - 1]!.inner = true;
    else if (ch === '{' && unboundedAt(i) && groups.length) groups[groups.length - 1]!.inner = true;
  }
  return false;
}

let loaded: typeof import('recheck') | undefined;

/** Runs recheck on a JavaScript-syntax pattern (cached). Undefined when the file's budget is spent. */
function judge(src: string, flags: string, budget: { ms: number }): Verdict | undefined {
  const key = `${flags}/${src}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (budget.ms <= 0) return undefined;
  // recheck's synchronous API runs in a worker unless told to use its pure-JavaScript backend.
  process.env.RECHECK_SYNC_BACKEND ??= 'pure';
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('recheck') as typeof import('recheck');
    // The first check initialises the checker (seconds on a loaded machine): done once on a trivial
    // pattern, outside the file's budget, so that a cold start never turns a verdict into a timeout.
    try {
      loaded.checkSync('^a+$', '', { timeout: 10_000 });
    } catch {
      // a checker that cannot start leaves every verdict `unknown`
    }
  }
  const t0 = Date.now();
  let v: Verdict;
  try {
    const d = loaded.checkSync(src, flags.replace(/[^dgimsuy]/g, ''), { timeout: PATTERN_TIMEOUT_MS });
    v = d.status === 'vulnerable' ? { status: 'vulnerable', complexity: d.complexity.type, attack: d.attack.pattern } : { status: d.status === 'safe' ? 'safe' : 'unknown' };
  } catch {
    v = { status: 'unknown' };
  }
  budget.ms -= Date.now() - t0;
  if (cache.size > 5000) cache.clear();
  // A timeout depends on the machine's load at that moment: only definite verdicts are remembered.
  if (v.status !== 'unknown') cache.set(key, v);
  return v;
}

/** Python/Java pattern syntax that differs from JavaScript's, rewritten (`(?P<n>` → `(?<n>`, possessive and atomic groups dropped). */
function toJsSyntax(p: string): string | undefined {
  if (/\(\?[<=!]?[a-zA-Z]*[imsux]+[a-zA-Z]*\)|\(\?>|[*+?}]\+|\\[AZzG]|\(\?#/.test(p)) return undefined;
  return p.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

/** Regular expressions with constant patterns in a file: the node to quote, the pattern and its flags. */
function patternsOf(file: ParsedFile): Array<{ node: SyntaxNode; src: string; flags: string }> {
  const lang = file.language;
  const out: Array<{ node: SyntaxNode; src: string; flags: string }> = [];
  const str = (n: SyntaxNode | undefined) => (n && LANG[lang].string.includes(n.type) ? stringValue(n, lang) : undefined);
  if (isJs(lang)) {
    eachOfType(file.root, ['regex'], (n) => {
      const src = n.childForFieldName('pattern')?.text;
      if (src !== undefined) out.push({ node: n, src, flags: n.childForFieldName('flags')?.text ?? '' });
    });
  }
  for (const call of callsOf(file)) {
    const name = resolvedCallee(call, file);
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => !!c && !c.type.includes('comment')) ?? [];
    if (isJs(lang) && /^(new )?RegExp$/.test(name)) {
      const s = str(args[0]);
      if (s !== undefined) out.push({ node: call, src: unescape(s), flags: str(args[1]) ?? '' });
    } else if (lang === 'python' && /^re\.(compile|match|search|fullmatch|findall|finditer|sub|subn|split)$/.test(name)) {
      const raw = args[0] && /^[rR]/.test(args[0].text);
      const s = str(args[0]);
      const js = s === undefined ? undefined : toJsSyntax(raw ? s : unescape(s));
      if (js !== undefined) out.push({ node: call, src: js, flags: /IGNORECASE|re\.I\b/.test(call.text) ? 'i' : '' });
    } else if (lang === 'java' && (/(^|\.)Pattern\.(compile|matches)$/.test(name) || /\.(matches|replaceAll|replaceFirst|split)$/.test(name))) {
      const s = str(args[0]);
      const js = s === undefined ? undefined : toJsSyntax(unescape(s));
      if (js !== undefined && /[*+{]/.test(js)) out.push({ node: call, src: js, flags: /CASE_INSENSITIVE/.test(call.text) ? 'i' : '' });
    }
  }
  return out;
}

/** The `security/redos` rule (see its `description`). */
export const redos: FileRule = {
  kind: 'file',
  id: 'security/redos',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'redos',
  title: 'Regular expression with exponential backtracking',
  description:
    'Judges regular expression literals and constant patterns with the recheck ReDoS checker (pure JavaScript, offline) and reports patterns it proves exponential: a crafted input of a few dozen characters keeps the backtracking engine busy for seconds or forever, blocking the event loop or a worker. Rewrite the pattern so repeated parts cannot match the same text in more than one way, or bound the input length. Request input used as a pattern (`new RegExp(input)`) is reported too.',
  references: ['CWE-1333', 'OWASP A05:2021'],
  confidence: 0.85,
  check(file, project) {
    const hits: RuleHit[] = [];
    const budget = { ms: FILE_BUDGET_MS };
    for (const p of patternsOf(file)) {
      if (!mayBacktrack(p.src)) continue;
      const v = judge(p.src, p.flags, budget);
      if (v?.status !== 'vulnerable' || v.complexity !== 'exponential') continue;
      const fix = 'Rewrite the pattern so that no repeated part can match the same characters in two ways (e.g. `(a+)+` → `a+`, `(\\w+\\s?)*` → `[\\w\\s]*`), or cap the input length before matching.';
      hits.push({
        node: p.node,
        message: `recheck proves this pattern backtracks exponentially: an input like \`${(v.attack ?? '').slice(0, 60)}\` makes matching take seconds to forever, and a request that reaches it blocks the process. ${fix}`,
        suggestion: { description: fix },
      });
    }
    for (const f of requestFlows(file, 'regex', project)) {
      hits.push(taintHit(f, { title: 'Regular expression built from request input', what: 'A regular expression pattern comes from request input', impact: 'An attacker can send a pattern such as `(a+)+$` that backtracks exponentially and blocks the process (or match more than intended).', fix: 'Escape input before putting it in a pattern (`escapeRegExp`, `re.escape`, `Pattern.quote`), or match it as plain text (`includes`, `indexOf`).' }));
    }
    return hits;
  },
};
