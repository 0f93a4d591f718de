/**
 * Rule family: XPath injection (CWE-643, OWASP A03:2021): request input in an XPath expression
 * (`javax.xml.xpath.XPath.evaluate/compile`, lxml `xpath`, `ElementTree.find`, `elementpath.select`).
 */
import type { FileRule, RuleHit } from '../../rule';
import { fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Pass values as XPath variables instead of splicing them into the expression.',
  python: 'Pass values as XPath variables (`root.xpath("//user[@id=$id]", id=value)`) instead of formatting them into the expression.',
  go: 'Pass values as XPath variables instead of splicing them into the expression.',
  java: 'Bind values with an `XPathVariableResolver` (`$id` in the expression) instead of concatenating them, or escape them (ESAPI `encodeForXPath`).',
};

/** The `security/xpath-injection` rule (see its `description`). */
export const xpathInjection: FileRule = {
  kind: 'file',
  id: 'security/xpath-injection',
  personas: ['security'],
  languages: ['java', 'python'],
  severity: 'high',
  category: 'xpath-injection',
  title: 'XPath injection',
  description:
    'Follows request input into XPath expressions (`XPath.evaluate`, `XPath.compile`, lxml `xpath`, `ElementTree.find`, `elementpath.select`). A quote in the value closes the string literal and changes the query (`\' or \'1\'=\'1`), exposing other nodes. Bind values as XPath variables. A value checked to contain no quote, placed inside quotes, is not reported.',
  references: ['CWE-643', 'OWASP A03:2021'],
  confidence: 0.8,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'xpath', project)) hits.push(taintHit(f, { title: 'XPath injection', what: 'An XPath expression contains request input', impact: 'A quote in the input rewrites the query and exposes nodes the user should not see.', fix }));
    return hits;
  },
};
