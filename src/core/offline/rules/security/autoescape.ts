/**
 * Rule family: HTML template engines of a web application set up with output escaping off (CWE-79
 * cross-site scripting, CWE-116 improper encoding of output; OWASP A03:2021). With autoescaping off every
 * `{{ value }}` a template prints is raw HTML, so any stored or reflected user text becomes script in the
 * visitor's page, in every template at once.
 *
 * - Python: `aiohttp_jinja2.setup(app, ..., autoescape=False)`, `app.jinja_env.autoescape = False`
 *   (Flask), Django `TEMPLATES` with `"autoescape": False` in its `OPTIONS`, and `jinja2.Environment` /
 *   `jinja2.Template` with `autoescape=False` in a module that imports a web framework (elsewhere Jinja2
 *   often renders text that is not HTML: code, e-mail text, configuration).
 * - JavaScript/TypeScript, in a module that imports a web framework (Express, Koa, Fastify, hapi,
 *   restify, Nest, `http`): swig `setDefaults({ autoescape: false })` or `new Swig({ autoescape: false })`,
 *   nunjucks `configure(..., { autoescape: false })` or `new Environment(loader, { autoescape: false })`,
 *   Handlebars `compile(template, { noEscape: true })`.
 *
 * Jinja2's own default is `autoescape=False`; only an explicit `False` is reported, because a default
 * left in place says nothing about whether the templates are HTML.
 * Sources: Jinja2 API docs ("Autoescaping"), Django templates docs (`autoescape` option), swig,
 * nunjucks and Handlebars API docs.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue } from '../../nodes';
import { loadsModule, resolvedCallee } from '../../bindings';
import { keywordArg } from './common';

/** Python web frameworks whose import makes a module part of a web application. */
const PY_WEB = /^(flask|django|aiohttp|starlette|fastapi|tornado|pyramid|bottle|sanic|quart|falcon|aiohttp_jinja2)(\.|$)/;
/** JS/TS web server modules. */
const JS_WEB = /^(express|koa|fastify|@hapi\/hapi|hapi|restify|@nestjs\/\w+|http|https|polka|@koa\/router|koa-router)(\.|$)/;

const FIX_PY = 'Turn autoescaping on (`autoescape=True`, or `select_autoescape(["html", "xml"])` for a plain Jinja2 environment) and mark the few trusted fragments with `|safe` or `Markup` after sanitising them.';
const FIX_JS = 'Keep autoescaping on (the engine\'s default) and print the few trusted, sanitised fragments with the engine\'s raw output syntax.';

function objectKey(obj: SyntaxNode | null | undefined, key: string, lang: ParsedFile['language']): SyntaxNode | undefined {
  if (!obj || !/^(object|dictionary)$/.test(obj.type)) return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    if ((k ? stringValue(k, lang) ?? k.text : '') === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function check(file: ParsedFile): RuleHit[] {
  const lang = file.language;
  const hits: RuleHit[] = [];
  const add = (node: SyntaxNode, what: string, fix: string) =>
    hits.push({ node, message: `${what} Every value a template prints is then raw HTML: a user's name, comment or search text containing \`<script>\` runs in the page of whoever views it (stored and reflected XSS in every template at once). ${fix}`, suggestion: { description: fix } });
  if (lang === 'python') {
    const web = loadsModule(file, PY_WEB);
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      const ae = keywordArg(call, 'autoescape');
      if (ae?.type !== 'false') continue;
      if (/^aiohttp_jinja2\.setup$/.test(name)) add(call, '`aiohttp_jinja2.setup(..., autoescape=False)` sets up the application\'s Jinja2 templates without escaping.', FIX_PY);
      else if (web && /^jinja2\.(Environment|Template|sandbox\.SandboxedEnvironment)$/.test(name)) add(call, `\`${name}(..., autoescape=False)\` renders this web application's templates without escaping.`, FIX_PY);
    }
    eachOfType(file.root, ['assignment', 'pair'], (n) => {
      if (n.type === 'assignment') {
        const left = n.childForFieldName('left');
        if (left?.type === 'attribute' && /\.jinja_env\.autoescape$/.test(left.text) && n.childForFieldName('right')?.type === 'false') add(n, `\`${left.text} = False\` turns off escaping in every Flask template.`, FIX_PY);
        return true;
      }
      // Django: TEMPLATES = [{..., "OPTIONS": {"autoescape": False}}]
      const k = n.childForFieldName('key');
      if (stringValue(k, lang) !== 'autoescape' || n.childForFieldName('value')?.type !== 'false') return true;
      const options = n.parent?.parent;
      if (options?.type !== 'pair' || stringValue(options.childForFieldName('key'), lang) !== 'OPTIONS') return true;
      let a: SyntaxNode | null = options.parent;
      while (a && a.type !== 'assignment') a = a.parent;
      if (a?.childForFieldName('left')?.text === 'TEMPLATES') add(n, 'Django\'s `TEMPLATES` option `"autoescape": False` turns off escaping in every template of this engine.', FIX_PY);
      return true;
    });
  } else if (isJs(lang) && loadsModule(file, JS_WEB)) {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file).replace(/^new /, '');
      const args = callArguments(call);
      const obj = args.find((a) => a.type === 'object');
      if (/^swig\.(setDefaults|Swig)$/.test(name) && objectKey(obj, 'autoescape', lang)?.type === 'false') add(call, `swig \`${name.slice(5)}({ autoescape: false })\` turns off escaping in every template.`, FIX_JS);
      else if (/^nunjucks\.(configure|Environment)$/.test(name) && objectKey(obj, 'autoescape', lang)?.type === 'false') add(call, `nunjucks \`${name.slice(9)}(..., { autoescape: false })\` turns off escaping in every template.`, FIX_JS);
      else if (/^handlebars\.compile$/i.test(name) && objectKey(obj, 'noEscape', lang)?.type === 'true') add(call, 'Handlebars `compile(..., { noEscape: true })` prints every `{{value}}` without escaping.', FIX_JS);
    }
  }
  return hits;
}

/** The `security/autoescape-disabled` rule (see its `description`). */
export const autoescapeDisabled: FileRule = {
  kind: 'file',
  id: 'security/autoescape-disabled',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'high',
  category: 'xss',
  title: 'Template autoescaping turned off',
  description:
    'Flags a web application\'s HTML template engine set up with escaping off: `aiohttp_jinja2.setup(autoescape=False)`, Flask `app.jinja_env.autoescape = False`, Django `TEMPLATES` `"autoescape": False`, `jinja2.Environment(autoescape=False)` in a web module, swig/nunjucks `autoescape: false` and Handlebars `noEscape: true` in a module that imports a web framework. Every printed value is then raw HTML, so user text becomes script (XSS). Keep autoescaping on and mark the few trusted fragments explicitly.',
  references: ['CWE-79', 'CWE-116', 'OWASP A03:2021'],
  confidence: 0.8,
  check,
};
