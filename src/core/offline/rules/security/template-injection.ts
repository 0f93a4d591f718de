/**
 * Rule family: server-side template injection (CWE-1336, OWASP A03:2021): request input used as the
 * template itself (`render_template_string`, `jinja2.Template`, `Environment.from_string`, `ejs.render`,
 * `pug.compile`, `Handlebars.compile`, `nunjucks.renderString`, `_.template`, Velocity `evaluate`,
 * Go `template.Parse`). Template syntax in it runs on the server.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { builtFlows, requestFlows, taintHit } from './flows';

const FIX = 'Keep templates constant (files or literals) and pass input only as template variables (`render_template_string(TEMPLATE, name=value)`, `ejs.render(tpl, { name })`).';

/** The `security/template-injection` rule (see its `description`). */
export const templateInjection: FileRule = {
  kind: 'file',
  id: 'security/template-injection',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java', 'go'],
  severity: 'critical',
  category: 'template-injection',
  title: 'Server-side template injection',
  description:
    'Follows request input into the template text of template engines (`render_template_string`, `jinja2.Template`, `ejs.render`, `pug.compile`, `Handlebars.compile`, `nunjucks.renderString`, `_.template`, Velocity, Go `template.Parse`). Template syntax in a spliced value (`{{ ... }}`) executes on the server, which leads to code execution, not just XSS. Templates built from other non-constant strings are reported at medium severity.',
  references: ['CWE-1336', 'CWE-94', 'OWASP A03:2021'],
  confidence: 0.8,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'template', project)) {
      if (f.api === 'res.render (view name)') continue;
      hits.push(taintHit(f, { title: 'Server-side template injection', what: 'A template is built from request input', impact: 'Template syntax in the input (`{{ ... }}`) runs on the server and typically leads to code execution.', fix: FIX }));
    }
    for (const f of builtFlows(file, 'template', project)) {
      if (f.api === 'res.render (view name)') continue;
      hits.push({ node: f.node, severity: 'medium', confidence: 0.5, title: 'Template built from strings', message: `${code(f.api)} compiles a template built from non-constant values (${code(f.value.built!.node.text, 50)}). If any of them can come from a user, template syntax in it runs on the server. ${FIX}`, suggestion: { description: FIX } });
    }
    return hits;
  },
};
