/**
 * Rule family: trust boundary violation (CWE-501, OWASP A04:2021): request input stored in the
 * server-side session (`session.setAttribute`, `request.session[...]`, Flask `session[...]`,
 * `req.session.x = ...`) next to values the application trusts.
 */
import type { FileRule, RuleHit } from '../../rule';
import { requestFlows, taintHit } from './flows';

const FIX = 'Validate the value (type, length, allow-list) before storing it in the session, and keep unvalidated user data out of session attributes that the rest of the application trusts.';

/** The `security/trust-boundary` rule (see its `description`). */
export const trustBoundary: FileRule = {
  kind: 'file',
  id: 'security/trust-boundary',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'medium',
  category: 'trust-boundary',
  title: 'Request input stored in the session',
  description:
    'Follows request input into session attributes (`session.setAttribute`, `request.session[...]`, Flask `session[...]`, `req.session.x`). Code that later reads the session treats those values as trusted (set by the server), so unvalidated input there crosses a trust boundary. Validate before storing.',
  references: ['CWE-501', 'OWASP A04:2021'],
  confidence: 0.65,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'trust-boundary', project)) hits.push(taintHit(f, { title: 'Request input stored in the session', what: 'A session attribute is set from unvalidated request input', impact: 'Code that reads the session later trusts the value as if the server had set it.', fix: FIX }));
    return hits;
  },
};
