/**
 * Rule family: CSRF protection disabled (CWE-352, OWASP A01:2021): Spring Security `csrf().disable()`,
 * Django `@csrf_exempt` on a view that handles POST data and changes state (a call not provably
 * effect-free, or a session write) and a `MIDDLEWARE` list without
 * `CsrfViewMiddleware`, Flask-WTF `WTF_CSRF_ENABLED = False`, and an Express app that keeps sessions
 * in cookies and accepts POST forms while no module of the review loads a CSRF middleware.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isJs } from '../../lang';
import { callsOf, code, eachOfType, stringValue } from '../../nodes';
import { loadsModule, resolvedCallee } from '../../bindings';

const CSRF_MODULES = /^(csurf|csrf|csrf-csrf|csrf-sync|lusca|@fastify\/csrf-protection|koa-csrf|tiny-csrf|@dr\.pogodin\/csurf)(\.|$)/;
const FIX = 'Keep CSRF protection on for every state-changing endpoint that relies on cookies: a CSRF token (synchronizer or double-submit) or `SameSite=Strict` session cookies plus an Origin check.';

function jsUsesCsrf(project: ProjectIndex): boolean {
  return project.parsed.some((p) => isJs(p.language) && loadsModule(p, CSRF_MODULES));
}

/**
 * Calls a Python view can make without changing server state, by the callee's text: building the
 * response (`render`, `JsonResponse`, `redirect`), logging (`print`, `logger.info`, any `.debug/.info/
 * .warning/.error/.exception/.critical/.log` method), reading the request and ORM rows (`.get`,
 * `.filter`, `get_object_or_404`, `authenticate`), built-ins and string, hash and JSON helpers, and
 * constructors (a CamelCase name: building an object changes nothing until it is saved).
 */
const EFFECT_FREE_CALL = new RegExp([
  /^(render|render_to_response|render_template|redirect|reverse|get_template|jsonify|make_response|abort|get_object_or_404|get_list_or_404|authenticate|print|str|int|float|bool|len|dict|list|tuple|set|isinstance|range|enumerate|zip|sorted|min|max|sum|any|all|format|repr|hasattr|getattr|type|super)$/.source,
  /^(\w+\.)*[A-Z]\w*$/.source,
  /^(json\.(loads|dumps)|re\.\w+|hashlib\.\w+|base64\.\w+|html\.(escape|unescape)|math\.\w+|datetime\.\w+(\.\w+)?|uuid\.uuid4|logging\.\w+)$/.source,
  /\.(debug|info|warning|warn|error|exception|critical|log|get|getlist|get_json|get_full_path|get_host|is_ajax|is_authenticated|has_perm|filter|exclude|all|first|last|exists|count|values|values_list|order_by|strip|lstrip|rstrip|lower|upper|split|join|replace|encode|decode|format|startswith|endswith|find|hexdigest|digest|items|keys|copy)$/.source,
].join('|'));

/**
 * The first call in a Python view that may change server state (a write to the database, the session,
 * a cookie, a file, a process, or any call the rule cannot prove effect-free: see
 * {@link EFFECT_FREE_CALL}), or the first write to `request.session[...]`; undefined when the view only
 * reads, logs and answers. Such a view gains nothing from a CSRF token (CWE-352 is about forged
 * state-changing requests; OWASP CSRF Prevention Cheat Sheet).
 */
function pythonViewEffect(def: SyntaxNode): string | undefined {
  let effect: string | undefined;
  eachOfType(def, ['call', 'assignment', 'augmented_assignment'], (n) => {
    if (effect) return;
    if (n.type === 'call') {
      const callee = (n.childForFieldName('function')?.text ?? '').replace(/\s+/g, '');
      if (!EFFECT_FREE_CALL.test(callee)) effect = n.text.split('\n')[0]!;
      return;
    }
    const left = n.childForFieldName('left');
    if (left?.type === 'subscript' && /(^|\.)session$/.test(left.childForFieldName('value')?.text ?? '')) effect = n.text.split('\n')[0]!;
  });
  return effect;
}

function check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
  const lang = file.language;
  const hits: RuleHit[] = [];
  const add = (node: SyntaxNode, title: string, what: string) => hits.push({ node, title, message: `${what} A page on another site can then make a logged-in user's browser send this request with their cookies. ${FIX}`, suggestion: { description: FIX } });
  if (lang === 'java') {
    for (const call of callsOf(file)) {
      if (call.type !== 'method_invocation') continue;
      const m = call.childForFieldName('name')?.text;
      const obj = call.childForFieldName('object');
      if (m === 'disable' && obj?.type === 'method_invocation' && obj.childForFieldName('name')?.text === 'csrf') add(call, 'CSRF protection disabled', 'Spring Security\'s CSRF protection is turned off with `csrf().disable()`.');
      if (m === 'csrf' && /\.disable\(\)|AbstractHttpConfigurer::disable|CsrfConfigurer::disable/.test(call.childForFieldName('arguments')?.text ?? '')) add(call, 'CSRF protection disabled', 'Spring Security\'s CSRF protection is turned off (`csrf(c -> c.disable())`).');
    }
  } else if (lang === 'python') {
    eachOfType(file.root, ['decorator'], (d) => {
      if (!/^@(csrf\.)?csrf_exempt\b|^@csrf\.exempt\b/.test(d.text)) return;
      const def = d.parent?.childForFieldName('definition');
      // Views that only read (no POST handling) do not need the token.
      if (def && !/\bPOST\b|\.post\b|methods\s*=\s*\[[^\]]*POST|\.save\(|\.delete\(|\.create\(|\.update\(/.test(def.text)) return;
      // Nor do views whose every effect is a read, a log line or the response: a forged request changes nothing.
      const effect = def ? pythonViewEffect(def) : undefined;
      if (def && !effect) return;
      add(d, 'CSRF check disabled for a view', `\`${d.text.trim()}\` turns off the CSRF check for \`${def?.childForFieldName('name')?.text ?? 'this view'}\`, which handles POST data and changes state (${code(effect ?? '')}).`);
    });
    eachOfType(file.root, ['assignment'], (n) => {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const key = l?.type === 'subscript' ? stringValue(l.childForFieldName('subscript'), lang) : l?.text;
      if (key === 'WTF_CSRF_ENABLED' && /^False$/.test(r?.text ?? '')) add(n, 'CSRF protection disabled', 'Flask-WTF\'s CSRF protection is turned off (`WTF_CSRF_ENABLED = False`).');
      if (l?.text === 'MIDDLEWARE' && r && /SessionMiddleware/.test(r.text) && !/CsrfViewMiddleware/.test(r.text.replace(/#.*$/gm, ''))) add(n, 'CSRF middleware missing', 'Django\'s `MIDDLEWARE` list has sessions but no `django.middleware.csrf.CsrfViewMiddleware`.');
    });
  } else if (isJs(lang)) {
    // An Express app with cookie sessions and form posts, and no CSRF middleware anywhere in the review.
    let session: SyntaxNode | undefined;
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      if (/^(express-session|cookie-session)(\.default)?$/.test(name)) session ??= call;
    }
    if (!session || jsUsesCsrf(project)) return hits;
    const posts = project.parsed.some((p) => isJs(p.language) && callsOf(p).some((c) => /\.(post|put|patch|delete)$/.test(c.childForFieldName('function')?.text ?? '') && /^(app|router|\w*[Rr]outer|server)\./.test(c.childForFieldName('function')?.text ?? '')));
    if (posts) add(session, 'No CSRF protection for cookie sessions', 'This app keeps sessions in cookies and registers POST/PUT/DELETE routes, but no reviewed module loads a CSRF middleware (`csurf`, `csrf-csrf`, `lusca`).');
  }
  return hits;
}

/** The `security/csrf` rule (see its `description`). */
export const csrf: FileRule = {
  kind: 'file',
  id: 'security/csrf',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'csrf',
  title: 'CSRF protection disabled',
  description:
    'Flags CSRF protection turned off: Spring Security `csrf().disable()`, Django `@csrf_exempt` on views that handle POST data and change state (a view that only reads, logs and answers has nothing to forge), `MIDDLEWARE` without `CsrfViewMiddleware`, Flask-WTF `WTF_CSRF_ENABLED = False`, and Express apps with cookie sessions and state-changing routes but no CSRF middleware in the reviewed code. Another site can then make a logged-in user\'s browser submit requests.',
  references: ['CWE-352', 'OWASP A01:2021'],
  confidence: 0.75,
  check,
};
