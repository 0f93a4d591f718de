/**
 * Rule family: server-side request forgery (CWE-918, OWASP A10:2021): request input that decides
 * where the server sends a request (`fetch`, `axios`, `http.get`, `requests.get`, `urllib.urlopen`,
 * `http.Get`, `new URL(...).openConnection()`, `RestTemplate`). A URL whose scheme and host are a
 * constant prefix (`https://api.example.com/` + id) or whose host was checked against an allow-list
 * is not reported.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { prefixOf } from '../../taint/value';
import { requestFlows, taintHit } from './flows';

/** True when a URL prefix fixes scheme and host (`https://host/...`), so input only picks the path. */
export function fixesOrigin(prefix: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(prefix) || /^\/[^/\\]/.test(prefix);
}

const FIX = 'Do not let clients choose the host: map their choice to a fixed URL through an allow-list, or fix the scheme and host and put the input only in the path or query (encoded). Block requests to internal address ranges at the network layer too.';

/** The `security/ssrf` rule (see its `description`). */
export const ssrf: FileRule = {
  kind: 'file',
  id: 'security/ssrf',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'ssrf',
  title: 'Server-side request forgery',
  description:
    'Follows request input into the URL or host of outgoing HTTP requests (`fetch`, `axios`, `http.get`, `requests`, `urllib`, `http.Get`, `URL.openConnection`, `RestTemplate`). An attacker can make the server call internal services (cloud metadata at 169.254.169.254, admin ports) with its network position. A constant scheme-and-host prefix or an allow-list check of the parsed host ends the taint.',
  references: ['CWE-918', 'OWASP A10:2021'],
  confidence: 0.8,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'ssrf', project)) {
      if (fixesOrigin(prefixOf(f.value))) continue;
      hits.push(taintHit(f, { title: 'Server-side request forgery', what: 'The URL of an outgoing request comes from request input', impact: 'An attacker can make the server request internal services (cloud metadata, admin endpoints) or scan the internal network.', fix: FIX }));
    }
    return hits;
  },
};
