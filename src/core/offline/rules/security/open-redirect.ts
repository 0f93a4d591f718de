/**
 * Rule family: open redirect (CWE-601, OWASP A01:2021): request input used as a redirect target
 * (`res.redirect`, `ctx.redirect`, Flask/Django `redirect`, `HttpResponseRedirect`,
 * `http.Redirect`, `sendRedirect`, a `Location` header, `location.href`). A target that starts with a
 * constant same-site path (`/user/` + id) or a constant origin, or whose host was checked against an
 * allow-list, is not reported.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { prefixOf } from '../../taint/value';
import { requestFlows, taintHit } from './flows';
import { fixesOrigin } from './ssrf';

/** Sources that are the current request's own path (`req.path`, `r.URL.Path`, `r.RequestURI`, `request.path`). */
const OWN_PATH = /^(req|request|r|ctx|self\.request|this\.request)\.(path|originalUrl|url|baseUrl|RequestURI|URL\.Path|URL\.RawPath|full_path|path_info|get_full_path\(\)|getRequestURI\(\)|getServletPath\(\))$/;

const FIX = 'Redirect only to relative paths you build yourself, or check the target against an allow-list of hosts after parsing it (reject `//evil.example` and `https://evil.example`).';

/** The `security/open-redirect` rule (see its `description`). */
export const openRedirect: FileRule = {
  kind: 'file',
  id: 'security/open-redirect',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'open-redirect',
  title: 'Open redirect',
  description:
    'Follows request input into redirect targets (`res.redirect`, `ctx.redirect`, Flask/Django `redirect`, `HttpResponseRedirect`, `http.Redirect`, `sendRedirect`, `Location` headers, `location.href`). Links on your domain that bounce to any site make phishing convincing and can leak tokens. A constant same-site prefix or an allow-list check of the parsed host ends the taint.',
  references: ['CWE-601', 'OWASP A01:2021'],
  confidence: 0.8,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'redirect', project)) {
      if (fixesOrigin(prefixOf(f.value))) continue;
      // Redirecting to (a variant of) the path this request came in on stays on this site.
      if (OWN_PATH.test(f.taint!.source.label)) continue;
      hits.push(taintHit(f, { title: 'Open redirect', what: 'A redirect target comes from request input', impact: 'An attacker can send users a link on this site that forwards them to a phishing page.', fix: FIX }));
    }
    return hits;
  },
};
