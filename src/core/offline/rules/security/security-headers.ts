/**
 * Rule family: an Express application that serves HTML pages with none of the browser's protection
 * headers (CWE-693 protection mechanism failure, CWE-1021 clickjacking, CWE-200 for the `X-Powered-By`
 * banner; OWASP A05:2021). Express sends no `Content-Security-Policy`, `X-Frame-Options` /
 * `frame-ancestors`, `Strict-Transport-Security` or `X-Content-Type-Options` by itself, and does send
 * `X-Powered-By: Express` (Express docs, "Production Best Practices: Security": "Use Helmet").
 *
 * Reported once, on the `express()` call, when the module also sets up a view engine (`app.set("view
 * engine", ...)` or `app.engine(...)`: the app renders HTML pages, where these headers matter) and no
 * reviewed module loads a header middleware (`helmet`, `lusca`) or names one of those headers in a string
 * (headers set by hand). An API that answers only JSON is not reported.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { LANG, callArguments, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue } from '../../nodes';
import { loadsModule, resolvedCallee } from '../../bindings';

const HEADER_MIDDLEWARE = /^(helmet|lusca|koa-helmet|@fastify\/helmet)(\.|$)/;
const HEADER_NAME = /^(content-security-policy|x-frame-options|strict-transport-security|x-content-type-options)$/i;

const FIX = 'Add `app.use(helmet())` (npm `helmet`) before the routes, which sets a Content-Security-Policy, `X-Frame-Options`, HSTS and `X-Content-Type-Options: nosniff` and removes `X-Powered-By`; tune its CSP to the scripts the pages load.';

/** True when some reviewed JS module loads a header middleware or names a protection header in a string literal. */
function headersHandled(project: ProjectIndex): boolean {
  for (const p of project.parsed) {
    if (!isJs(p.language)) continue;
    if (loadsModule(p, HEADER_MIDDLEWARE)) return true;
    let named = false;
    eachOfType(p.root, LANG[p.language].string, (n) => {
      if (named) return false;
      const v = stringValue(n, p.language);
      if (v !== undefined && HEADER_NAME.test(v)) named = true;
      return !named;
    });
    if (named) return true;
  }
  return false;
}

function check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
  if (!isJs(file.language)) return [];
  const hits: RuleHit[] = [];
  const calls = callsOf(file);
  for (const call of calls) {
    if (!/^express(\.default)?$/.test(resolvedCallee(call, file))) continue;
    const decl = call.parent;
    const app = decl?.type === 'variable_declarator' ? decl.childForFieldName('name')?.text : decl?.type === 'assignment_expression' ? decl.childForFieldName('left')?.text : undefined;
    if (!app) continue;
    const on = (method: string) => calls.filter((c) => resolvedCallee(c, file) === `${app}.${method}`);
    const views = on('set').some((c) => stringValue(callArguments(c)[0], file.language) === 'view engine') || on('engine').length > 0;
    if (!views || headersHandled(project)) continue;
    const bannerOff = on('disable').some((c) => /^x-powered-by$/i.test(stringValue(callArguments(c)[0], file.language) ?? ''));
    hits.push({
      node: decl as SyntaxNode,
      message: `This Express app renders HTML pages but no module sets the browser's protection headers: no Content-Security-Policy (an injected script runs unhindered), no \`X-Frame-Options\`/\`frame-ancestors\` (the pages can be framed for clickjacking), no HSTS and no \`X-Content-Type-Options: nosniff\`${bannerOff ? '' : ', and every response announces `X-Powered-By: Express`'}. ${FIX}`,
      suggestion: { description: FIX },
    });
  }
  return hits;
}

/** The `security/missing-security-headers` rule (see its `description`). */
export const missingSecurityHeaders: FileRule = {
  kind: 'file',
  id: 'security/missing-security-headers',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'low',
  category: 'security-misconfiguration',
  title: 'No security headers on an HTML app',
  description:
    'Flags an Express app that renders HTML pages (it sets a view engine) while no reviewed module loads `helmet` or `lusca` or sets a Content-Security-Policy, `X-Frame-Options`, HSTS or `nosniff` header by hand: pages can be framed (clickjacking), injected scripts meet no CSP, and `X-Powered-By: Express` advertises the stack. Use `helmet()` before the routes.',
  references: ['CWE-693', 'CWE-1021', 'CWE-200', 'OWASP A05:2021'],
  confidence: 0.6,
  check,
};
