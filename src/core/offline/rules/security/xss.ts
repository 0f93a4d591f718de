/**
 * Rule family: cross-site scripting (CWE-79, OWASP A03:2021). Reflected XSS: request input written
 * to an HTML response (Express `res.send`/`res.write`, Koa `ctx.body`, a Flask/Django handler's
 * returned body or `HttpResponse`, Go response writers, servlet `getWriter()`); DOM XSS: `location`
 * or `document.referrer` data reaching `innerHTML`, `document.write`, `dangerouslySetInnerHTML`.
 * HTML escaping (`escape`, `encodeForHTML`, `html.EscapeString`, ...) ends the taint, and so does a
 * Python response given a non-HTML content type before it is returned. DOM sinks fed
 * by strings built from other values are reported at medium severity.
 */
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, enclosingFunction } from '../../lang';
import { code, eachOfType, stringValue } from '../../nodes';
import type { Flow } from '../../taint';
import { builtFlows, fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Escape values for HTML (or render through a template engine with auto-escaping), or send plain text with `res.type("text/plain")`; in the browser set `textContent` instead of `innerHTML`.',
  python: 'Render through a template with auto-escaping (`render_template`) or escape values with `markupsafe.escape` before building HTML.',
  go: 'Render with `html/template`, or escape values with `html.EscapeString` before writing them.',
  java: 'Escape values for HTML (OWASP Java Encoder `Encode.forHtml`, ESAPI `encodeForHTML`) or render through an auto-escaping template.',
};

/**
 * True when the Python response object a flow quotes (`resp = Response(body)`) is given a constant
 * non-HTML content type later in the same function (`resp.mimetype = 'application/json'`,
 * `resp.content_type = 'text/plain'`, `resp.headers['Content-Type'] = ...`, Django `resp['Content-Type'] = ...`):
 * the browser does not render such a body as HTML, so it carries no script (CWE-79 needs an HTML context).
 */
function retypedAsNonHtml(f: Flow, file: ParsedFile): boolean {
  if (file.language !== 'python' || f.node.type !== 'call') return false;
  const assign = f.node.parent?.type === 'assignment' ? f.node.parent : undefined;
  const target = assign?.childForFieldName('left');
  if (target?.type !== 'identifier') return false;
  const fn = enclosingFunction(f.node, file.language);
  if (!fn) return false;
  const v = target.text;
  const typed = new RegExp(`^${v}\\s*(\\.\\s*(mimetype|content_type)|(\\.\\s*headers\\s*)?\\[\\s*['"]Content-Type['"]\\s*\\])$`, 'i');
  let nonHtml = false;
  eachOfType(fn, ['assignment'], (a) => {
    if (nonHtml || a.startIndex < f.node.endIndex || !typed.test(a.childForFieldName('left')?.text ?? '')) return;
    const value = stringValue(a.childForFieldName('right'), file.language);
    if (value !== undefined && !/html|xml|svg/i.test(value)) nonHtml = true;
  });
  return nonHtml;
}

const DOM_SINKS = /^(innerHTML|outerHTML|insertAdjacentHTML|document\.write|document\.writeln|dangerouslySetInnerHTML)$/;

/** The `security/xss` rule (see its `description`). */
export const xss: FileRule = {
  kind: 'file',
  id: 'security/xss',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'xss',
  title: 'Cross-site scripting from request input',
  description:
    'Follows request input into HTML responses (`res.send`, `ctx.body`, Flask/Django handler bodies and `HttpResponse`, `fmt.Fprintf(w, ...)`, `response.getWriter().print`) and browser input (`location`, `document.referrer`) into DOM sinks (`innerHTML`, `document.write`, `dangerouslySetInnerHTML`). Unescaped input can inject script into the page. Escape values for HTML or use text APIs and auto-escaping templates. DOM sinks fed by other built strings are reported at medium severity.',
  references: ['CWE-79', 'OWASP A03:2021'],
  confidence: 0.8,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'xss', project)) {
      if (retypedAsNonHtml(f, file)) continue;
      hits.push(taintHit(f, { title: 'Cross-site scripting from request input', what: 'Request input is written into HTML', impact: 'An attacker can craft a link whose value injects `<script>` into the page and acts as the victim.', fix }));
    }
    for (const f of builtFlows(file, 'xss', project)) {
      if (!DOM_SINKS.test(f.api)) continue;
      hits.push({
        node: f.node,
        severity: 'medium',
        confidence: 0.5,
        title: 'HTML built from strings',
        message: `${code(f.api)} receives HTML built from non-constant values (${code(f.value.built!.node.text, 50)}). A value containing \`<script>\` or an event-handler attribute would run in the page. Set \`textContent\` (or build DOM nodes) for text, or pass the HTML through a sanitiser such as DOMPurify.`,
        suggestion: { description: 'Set `textContent` (or build DOM nodes) for text, or pass the HTML through a sanitiser such as DOMPurify before inserting it.' },
      });
    }
    return hits;
  },
};
