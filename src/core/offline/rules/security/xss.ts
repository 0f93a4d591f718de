/**
 * Rule family: cross-site scripting (CWE-79).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, enclosingFunction, isJs, isStringBuilding } from '../../lang';
import { callsOf, code, compactText, eachOfType, literalText, stringValue } from '../../nodes';
import { definitionsOf, resolvedCallee } from '../../bindings';

import { requestInput } from '../security-util';
import { taintOf, describeTaint, objectProperty } from './common';

// ---------------------------------------------------------------------------------------------
// Cross-site scripting

function isRouteHandler(fn: SyntaxNode | null): boolean {
  const dec = fn?.parent?.type === 'decorated_definition' ? fn.parent : null;
  return !!dec?.namedChildren.some((d) => d?.type === 'decorator' && /\.(route|get|post|put|patch|delete|api_route)\s*\(/.test(d.text));
}

/** The `security/xss` rule (see its `description`). */
export const xss: FileRule = {
  kind: 'file',
  id: 'security/xss',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'xss',
  title: 'HTML built from strings',
  description:
    'Flags HTML sinks fed by built strings: `innerHTML`/`outerHTML` assignments, `insertAdjacentHTML`, `document.write` and React `dangerouslySetInnerHTML`; and server responses that echo request input into a built body (`res.send`, Flask handlers, `fmt.Fprintf(w, ...)`, `response.getWriter().print`). Unescaped values can inject script. Escape values or use text APIs (`textContent`, templates with auto-escaping). Critical when request input reaches the sink; medium for DOM sinks fed by other values.',
  references: ['CWE-79', 'CWE-1336', 'OWASP A03:2021'],
  confidence: 0.65,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const report = (node: SyntaxNode, sink: SyntaxNode, api: string, needRequest: boolean) => {
      const t = taintOf(sink, file);
      if (needRequest ? !t.request : !t.built && !t.request) return;
      const fix = isJs(lang) && !needRequest
        ? 'Set `textContent` (or build DOM nodes) for text, or pass the HTML through a sanitiser such as DOMPurify before inserting it.'
        : lang === 'python'
          ? 'Render through a template with auto-escaping (`render_template`) or escape values with `markupsafe.escape` before building HTML.'
          : lang === 'go'
            ? 'Render with `html/template`, or escape values with `html.EscapeString` before writing them.'
            : lang === 'java'
              ? 'Escape values for HTML (e.g. OWASP Java Encoder `Encode.forHtml`) or render through an auto-escaping template.'
              : 'Escape values for HTML or render through a template engine with auto-escaping; send plain text with `res.type("text/plain")`.';
      if (/render_template_string/.test(api)) {
        const sstiFix = 'Keep templates constant: pass values as template variables (`render_template_string(TEMPLATE, name=value)`) or use `render_template` with a file.';
        hits.push({
          node,
          severity: t.request ? 'critical' : 'high',
          confidence: t.request ? 0.85 : 0.6,
          title: 'Server-side template injection',
          message: `${api} renders a template ${describeTaint(t, lang)}. Jinja syntax in a spliced value (\`{{ ... }}\`) is executed on the server, which leads to code execution, not just XSS. ${sstiFix}`,
          suggestion: { description: sstiFix },
        });
        return;
      }
      hits.push({
        node,
        severity: t.request ? 'critical' : 'medium',
        confidence: t.request ? 0.8 : 0.55,
        title: t.request ? 'Cross-site scripting from request input' : 'HTML built from strings',
        message: `${api} receives HTML ${describeTaint(t, lang)}. ${t.request ? 'An attacker can craft a link whose value injects `<script>` into the page.' : 'A value containing `<script>` or an event-handler attribute would run in the page.'} ${fix}`,
        suggestion: { description: fix },
      });
    };
    if (isJs(lang)) {
      eachOfType(file.root, ['assignment_expression', 'augmented_assignment_expression', 'call_expression', 'jsx_attribute'], (n) => {
        if (n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') {
          const left = n.childForFieldName('left');
          const prop = left?.type === 'member_expression' ? left.childForFieldName('property')?.text : undefined;
          const right = n.childForFieldName('right');
          if ((prop === 'innerHTML' || prop === 'outerHTML') && right) report(n, right, `\`${prop}\``, false);
        } else if (n.type === 'call_expression') {
          const name = resolvedCallee(n, file);
          const args = callArguments(n);
          if (/\.insertAdjacentHTML$/.test(name) && args[1]) report(n, args[1], '`insertAdjacentHTML`', false);
          else if (/^(window\.)?document\.(write|writeln)$/.test(name) && args[0]) report(n, args[0], `\`${name}\``, false);
          else if (/^(res|response|reply)\.(send|write|end)$/.test(name) && args[0] && isStringBuilding(args[0], lang)) report(n, args[0], `\`${name}\``, true);
        } else if (n.type === 'jsx_attribute' && n.namedChildren[0]?.text === 'dangerouslySetInnerHTML') {
          const obj = n.namedChildren[1]?.namedChildren[0] ?? undefined;
          const html = objectProperty(obj ?? undefined, '__html');
          if (html) report(n, html, '`dangerouslySetInnerHTML`', false);
        }
        return true;
      });
    } else if (lang === 'python') {
      eachOfType(file.root, ['return_statement', 'call'], (n) => {
        if (n.type === 'return_statement' && isRouteHandler(enclosingFunction(n, lang))) {
          const v = n.namedChildren[0];
          if (v && isStringBuilding(v, lang) && /</.test(literalText(v, lang))) report(n, v, 'The response of this route handler', true);
        } else if (n.type === 'call') {
          const name = resolvedCallee(n, file);
          const a0 = callArguments(n)[0];
          if (a0 && /(^|\.)(make_response|HttpResponse|render_template_string|Markup)$/.test(name)) report(n, a0, `\`${name}\``, !/render_template_string|Markup/.test(name));
        }
        return true;
      });
    } else if (lang === 'go') {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const args = callArguments(call);
        const writerIsResponse = (w: SyntaxNode | undefined) => {
          if (!w || w.type !== 'identifier') return false;
          const fn = enclosingFunction(call, lang);
          const params = fn?.childForFieldName('parameters')?.namedChildren ?? [];
          return params.some((p) => p?.childForFieldName('type')?.text === 'http.ResponseWriter' && p.childrenForFieldName('name').some((x) => x?.text === w.text));
        };
        if (/^fmt\.(Fprintf|Fprint|Fprintln)$/.test(name) && writerIsResponse(args[0])) {
          const rest = args.slice(1);
          const req = rest.map((a) => requestInput(a, file)).find((x) => x !== undefined);
          const fmt = stringValue(args[1], lang) ?? '';
          if (req && !/^\s*[{[]/.test(fmt)) {
            hits.push({
              node: call,
              severity: 'critical',
              confidence: 0.7,
              title: 'Cross-site scripting from request input',
              message: `\`${name}\` writes request input ${code(req)} into the HTTP response without escaping. Go sniffs the content type, so a value starting with \`<\` is served as HTML and can inject script. Render with \`html/template\` or escape with \`html.EscapeString\`.`,
              suggestion: { description: 'Render with `html/template`, or escape values with `html.EscapeString` before writing them.' },
            });
          }
        } else if (/^(io\.WriteString)$/.test(name) && writerIsResponse(args[0]) && args[1]) report(call, args[1], '`io.WriteString`', true);
      }
    } else if (lang === 'java') {
      for (const call of callsOf(file)) {
        if (call.type !== 'method_invocation') continue;
        const method = call.childForFieldName('name')?.text ?? '';
        const obj = call.childForFieldName('object');
        if (!/^(print|println|write|append|printf|format)$/.test(method) || !obj) continue;
        const objText = compactText(obj.text);
        const isResponseWriter =
          /getWriter\(\)$|getOutputStream\(\)$/.test(objText) ||
          (obj.type === 'identifier' && definitionsOf(obj.text, call, file).some((d) => /getWriter\(\)$/.test(compactText(d.value.text))));
        const a0 = callArguments(call)[0];
        if (isResponseWriter && a0) report(call, a0, `\`${objText}.${method}\``, true);
      }
    }
    return hits;
  },
};

