/**
 * Rule family: a web framework's debug mode switched on in the code or settings the application runs
 * with (CWE-215 information exposure through debug information, CWE-489 active debug code; OWASP
 * A05:2021 Security Misconfiguration).
 *
 * - Django: `DEBUG = True` at module level of a settings module, recognised by what it assigns (at
 *   least two other Django settings names such as `INSTALLED_APPS`, `ALLOWED_HOSTS`, `MIDDLEWARE`,
 *   `ROOT_URLCONF`, `DATABASES`, `SECRET_KEY`). With it Django answers every error with a page listing
 *   the stack, local variables and settings (Django docs, "Deployment checklist", DEBUG).
 * - Flask / Werkzeug: `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True` on an
 *   object made by `flask.Flask(...)` in the same module, and `werkzeug.serving.run_simple(...,
 *   use_debugger=True)`. The Werkzeug debugger runs Python typed into the error page (Flask docs,
 *   "Debug Mode": "never use it on a production server").
 *
 * Settings modules meant only for development (a module or folder named `dev`, `development`, `local`,
 * `test`, `testing`, `ci`, e.g. `settings/dev.py`, `local_settings.py`) are not reported: debug is their
 * purpose. A value read from the environment is not reported either.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { callsOf, stringValue } from '../../nodes';
import { definitionsOf, resolvedCallee } from '../../bindings';
import { keywordArg } from './common';

/** Module-level names that only a Django settings module assigns (Django docs, "Settings" reference). */
const DJANGO_SETTINGS = new Set(['INSTALLED_APPS', 'ALLOWED_HOSTS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'ROOT_URLCONF', 'DATABASES', 'SECRET_KEY', 'TEMPLATES', 'WSGI_APPLICATION', 'ASGI_APPLICATION', 'AUTH_PASSWORD_VALIDATORS', 'STATIC_URL']);

/** A settings module (or its folder) named for development or tests: `settings/dev.py`, `local_settings.py`, `settings_test.py`. */
const DEV_SETTINGS_PATH = /(^|[/_.-])(dev|devel|develop|development|local|test|tests|testing|ci)([/_.-]|$)/i;

const DJANGO_FIX = 'Read it from the environment with a safe default (`DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`), or keep `DEBUG = True` only in a development settings module.';
const FLASK_FIX = 'Leave debug off in code (`app.run()`), and turn it on only on a developer machine with `flask run --debug` or an environment variable.';

function isTrue(n: SyntaxNode | null | undefined): boolean {
  return n?.type === 'true';
}

/** The module-level `NAME = value` assignments of a Python file, in order. */
function moduleAssignments(file: ParsedFile): Array<{ name: string; node: SyntaxNode; value: SyntaxNode | null }> {
  const out: Array<{ name: string; node: SyntaxNode; value: SyntaxNode | null }> = [];
  for (const stmt of file.root.namedChildren) {
    const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    if (left?.type === 'identifier') out.push({ name: left.text, node: a, value: a.childForFieldName('right') });
  }
  return out;
}

/** True when `receiver` (an identifier) is assigned `flask.Flask(...)` in the module or the enclosing function of `at`. */
function isFlaskApp(receiver: SyntaxNode | null | undefined, at: SyntaxNode, file: ParsedFile): boolean {
  if (receiver?.type !== 'identifier') return false;
  return definitionsOf(receiver.text, at, file).some((d) => d.value.type === 'call' && /^flask\.Flask$/.test(resolvedCallee(d.value, file)));
}

function check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
  const hits: RuleHit[] = [];
  // Django settings module.
  const assigns = moduleAssignments(file);
  const settingsNames = new Set(assigns.map((a) => a.name).filter((n) => DJANGO_SETTINGS.has(n)));
  if (settingsNames.size >= 2 && !DEV_SETTINGS_PATH.test(project.relativeToReview(file.file.path).replace(/\.py$/, ''))) {
    for (const a of assigns) {
      if (a.name !== 'DEBUG' || !isTrue(a.value)) continue;
      hits.push({
        node: a.node,
        title: 'Django DEBUG on in settings',
        message: `\`DEBUG = True\` in this settings module (it assigns ${[...settingsNames].slice(0, 3).map((n) => `\`${n}\``).join(', ')}): every error a visitor triggers is answered with Django's debug page, which shows the stack, local variables, the SQL run and most settings; static files are served by Django and every query is kept in memory. ${DJANGO_FIX}`,
        suggestion: { description: DJANGO_FIX },
      });
    }
  }
  // Flask / Werkzeug.
  for (const call of callsOf(file)) {
    const fn = call.childForFieldName('function');
    const name = resolvedCallee(call, file);
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'run' && isTrue(keywordArg(call, 'debug')) && isFlaskApp(fn.childForFieldName('object'), call, file)) {
      const host = stringValue(keywordArg(call, 'host'), 'python');
      const exposed = host === '0.0.0.0' || host === '::';
      hits.push({
        node: call,
        title: 'Flask debug mode on',
        message: `\`${fn.text}(debug=True)\` starts the Werkzeug debugger${exposed ? ` on every network interface (\`host="${host}"\`)` : ''}: an error page then offers a Python console in the browser (behind a PIN that is derived from machine facts), and tracebacks with source and local variables are shown to whoever triggers an error. ${FLASK_FIX}`,
        suggestion: { description: FLASK_FIX },
      });
    } else if (/^werkzeug(\.serving)?\.run_simple$/.test(name) && isTrue(keywordArg(call, 'use_debugger'))) {
      hits.push({ node: call, title: 'Werkzeug debugger on', message: `\`run_simple(..., use_debugger=True)\` serves the Werkzeug debugger: an error page offers a Python console in the browser and shows source and local variables. ${FLASK_FIX}`, suggestion: { description: FLASK_FIX } });
    }
  }
  for (const stmt of file.root.descendantsOfType('assignment')) {
    if (!stmt) continue;
    const left = stmt.childForFieldName('left');
    if (!isTrue(stmt.childForFieldName('right'))) continue;
    // `app.debug = True`
    if (left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug' && isFlaskApp(left.childForFieldName('object'), stmt, file)) {
      hits.push({ node: stmt, title: 'Flask debug mode on', message: `\`${left.text} = True\` turns on Flask's debug mode: with the Werkzeug server an error page offers a Python console in the browser, and tracebacks with source and local variables are shown to whoever triggers an error. ${FLASK_FIX}`, suggestion: { description: FLASK_FIX } });
    }
    // `app.config["DEBUG"] = True`
    if (left?.type === 'subscript') {
      const obj = left.childForFieldName('value');
      const key = stringValue(left.childForFieldName('subscript'), 'python');
      if (key === 'DEBUG' && obj?.type === 'attribute' && obj.childForFieldName('attribute')?.text === 'config' && isFlaskApp(obj.childForFieldName('object'), stmt, file)) {
        hits.push({ node: stmt, title: 'Flask debug mode on', message: `\`${left.text} = True\` turns on Flask's debug mode: with the Werkzeug server an error page offers a Python console in the browser, and tracebacks with source and local variables are shown to whoever triggers an error. ${FLASK_FIX}`, suggestion: { description: FLASK_FIX } });
      }
    }
  }
  return hits;
}

/** The `security/debug-mode` rule (see its `description`). */
export const debugMode: FileRule = {
  kind: 'file',
  id: 'security/debug-mode',
  personas: ['security'],
  languages: ['python'],
  severity: 'high',
  category: 'information-exposure',
  title: 'Framework debug mode on',
  description:
    'Flags a web framework\'s debug mode switched on where the application runs: Django `DEBUG = True` in a settings module (not one named for development or tests), Flask `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True` and Werkzeug `run_simple(use_debugger=True)`. Debug pages show stack traces, local variables and settings to visitors, and the Werkzeug debugger runs Python typed into the browser. Read the switch from the environment and keep it off by default.',
  references: ['CWE-215', 'CWE-489', 'OWASP A05:2021'],
  confidence: 0.8,
  check,
};
