/**
 * Rule family: LDAP injection (CWE-90, OWASP A03:2021): request input in the filter of a directory
 * search (JNDI `DirContext.search`, python-ldap `search_s`, ldap3 `Connection.search`).
 */
import type { FileRule, RuleHit } from '../../rule';
import { fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Escape filter values (RFC 4515: `*`, `(`, `)`, `\\`, NUL) before building the filter.',
  python: 'Escape values with `ldap.filter.escape_filter_chars` (or `ldap3.utils.conv.escape_filter_chars`), or use `ldap.filter.filter_format`.',
  go: 'Escape values with `ldap.EscapeFilter` before building the filter.',
  java: 'Use a parameterised filter (`ctx.search(base, "(uid={0})", new Object[]{value}, controls)`) or escape values (ESAPI `encodeForLDAP`).',
};

/** The `security/ldap-injection` rule (see its `description`). */
export const ldapInjection: FileRule = {
  kind: 'file',
  id: 'security/ldap-injection',
  personas: ['security'],
  languages: ['java', 'python'],
  severity: 'high',
  category: 'ldap-injection',
  title: 'LDAP injection',
  description:
    'Follows request input into LDAP search filters (`DirContext.search`, `search_s`, `Connection.search`). Filter metacharacters (`*`, `(`, `)`) in a value change which entries match, for example turning a login lookup into "any user". Use parameterised filters or escape values.',
  references: ['CWE-90', 'OWASP A03:2021'],
  confidence: 0.8,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'ldap', project)) hits.push(taintHit(f, { title: 'LDAP injection', what: 'An LDAP filter contains request input', impact: 'An attacker can widen the filter (`*)(uid=*`) to match other entries or bypass an authentication lookup.', fix }));
    return hits;
  },
};
