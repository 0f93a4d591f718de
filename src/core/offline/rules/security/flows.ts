/**
 * How the security rule families turn taint flows (../../taint) into findings: which flows count
 * (request input that reaches the sink unsanitised, or a non-constant string built in the function),
 * and one wording for "source → path → sink" in every message. A finding quotes the sink.
 */
import type { ParsedLanguage } from '../../syntax';
import type { ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isJs } from '../../lang';
import { code } from '../../nodes';
import { flowsOf, type Flow, type SinkKind, type Taint } from '../../taint';
import { crossModuleFlows } from '../../taint/modules';

/**
 * Flows of `kind` whose value carries client input (a request source) not sanitised for `kind`: within
 * the file, and, given the `project`, from another reviewed module that passes client input to one of
 * this file's functions (JavaScript/TypeScript; {@link crossModuleFlows}), in source order.
 */
export function requestFlows(file: ParsedFile, kind: SinkKind, project?: ProjectIndex): Flow[] {
  const local = flowsOf(file, kind).filter((f) => f.taint && (f.taint.source.kind ?? 'request') === 'request');
  if (!project) return local;
  const seen = new Set(local.map((f) => f.node.id));
  const across = crossModuleFlows(file, project, kind).filter((f) => !seen.has(f.node.id));
  return across.length ? [...local, ...across].sort((a, b) => a.node.startIndex - b.node.startIndex) : local;
}

/**
 * Flows of `kind` with no client input whose value is a string built from non-constant parts, one of
 * which is a parameter of the function (its callers decide it, and this file cannot see them). Given the
 * `project`, flows that another module is seen to feed with client input are left out: they are
 * {@link requestFlows}.
 */
export function builtFlows(file: ParsedFile, kind: SinkKind, project?: ProjectIndex): Flow[] {
  const built = flowsOf(file, kind).filter((f) => !f.taint && f.value.built && f.value.param && f.value.c === undefined && !f.value.numeric);
  if (!project || !built.length) return built;
  const across = new Set(crossModuleFlows(file, project, kind).map((f) => f.node.id));
  return across.size ? built.filter((f) => !across.has(f.node.id)) : built;
}

/**
 * The path of a taint in words: "request input `req.query.id` (line 3) → `id` (line 3) → `sql` (line 5)".
 * Steps are the variables the value was assigned to and the calls it went through, oldest first; a
 * source or step in another file than the sink's names that file (`routes/user.js line 7`).
 */
export function describePath(t: Taint): string {
  const where = (file: string | undefined, line: number) => (file ? `${file} line ${line}` : `line ${line}`);
  const src = `${t.source.kind === 'archive' ? 'the archive entry name' : t.source.kind === 'random' ? 'the random value' : 'request input'} ${code(t.source.label)} (${where(t.source.file, t.source.line)})`;
  const steps = t.path.filter((s, i, all) => !(i > 0 && all[i - 1]!.text === s.text));
  const tail = steps.map((s) => `${s.text} (${where(s.file, s.line)})`);
  return [src, ...tail].join(' → ');
}

/**
 * The name a tainted value has last: the last variable it was stored in (a step such as "`password`"),
 * else the request read it came from (`request.POST.get('pass')`).
 */
export function lastName(t: Taint): string {
  const vars = t.path.map((s) => /^`([\w$.]+)`$/.exec(s.text)?.[1]).filter((v): v is string => !!v);
  return vars[vars.length - 1] ?? t.source.label;
}

/** The sentence-initial form of a phrase ("request input …" → "Request input …"). */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "`api` receives request input `x` (line 3) → `y` (line 5)." */
export function flowSentence(f: Flow, verb = 'receives'): string {
  return `${code(f.api)} ${verb} ${describePath(f.taint!)}.`;
}

/** The sink line of a flow (1-based). */
export function sinkLine(f: Flow): number {
  return f.node.startPosition.row + 1;
}

/** The language family key used by per-language fix texts. */
export function fam(lang: ParsedLanguage): 'js' | 'python' | 'go' | 'java' {
  return isJs(lang) ? 'js' : (lang as 'python' | 'go' | 'java');
}

/**
 * A hit for a request-input flow: quotes the sink node; `what` says what the sink does with the value,
 * `impact` what an attacker gains, `fix` how to repair it.
 */
export function taintHit(f: Flow, opts: { title: string; what: string; impact: string; fix: string; severity?: RuleHit['severity']; confidence?: number }): RuleHit {
  return {
    node: f.node,
    title: opts.title,
    severity: opts.severity,
    confidence: opts.confidence ?? 0.85,
    message: `${opts.what}: ${describePath(f.taint!)} reaches ${code(f.api)}. ${opts.impact} ${opts.fix}`,
    suggestion: { description: opts.fix },
  };
}
