/**
 * Rule family: XML external entities (CWE-611, OWASP A05:2021): an XML parser configured to resolve
 * external entities or DTDs (libxmljs `noent: true`, lxml `XMLParser(resolve_entities=True)`,
 * `xml.sax` with `feature_external_ges`, Java `DocumentBuilderFactory`/`SAXParserFactory`/
 * `XMLInputFactory`/`TransformerFactory` without `disallow-doctype-decl` or the equivalent) that
 * parses a document that is not a constant. Critical when the document is request input.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { flowsOf } from '../../taint';
import { describePath, fam } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Parse without entity substitution: drop `noent: true` (and `dtdload`), or use a parser that does not resolve external entities.',
  python: 'Use `defusedxml` (e.g. `defusedxml.ElementTree.fromstring`), or `lxml.etree.XMLParser(resolve_entities=False, no_network=True)`; do not enable `feature_external_ges`.',
  go: 'Go\'s encoding/xml does not resolve external entities.',
  java: 'Before parsing, call `factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)` (or disable external general/parameter entities and `setExpandEntityReferences(false)`; for StAX set `SUPPORT_DTD` to false).',
};

/** The `security/xxe` rule (see its `description`). */
export const xxe: FileRule = {
  kind: 'file',
  id: 'security/xxe',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'critical',
  category: 'xxe',
  title: 'XML external entities resolved',
  description:
    'Flags XML parsers configured to resolve external entities or DTDs (libxmljs `noent: true`, lxml `resolve_entities=True`, `xml.sax` `feature_external_ges`, Java XML factories without `disallow-doctype-decl`) that parse a non-constant document. A document with `<!ENTITY x SYSTEM "file:///etc/passwd">` reads local files or makes the server send requests. Critical when the document is request input; high otherwise.',
  references: ['CWE-611', 'OWASP A05:2021'],
  confidence: 0.8,
  check(file) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of flowsOf(file, 'xxe')) {
      const option = f.info?.option ? ` (${f.info.option})` : '';
      if (f.taint && (f.taint.source.kind ?? 'request') === 'request') {
        hits.push({ node: f.node, message: `${code(f.api)} resolves external entities${option} and parses request input: ${describePath(f.taint)}. An attacker's document can read local files (\`file:///etc/passwd\`) or make the server request internal URLs. ${fix}`, suggestion: { description: fix } });
      } else if (f.value.c === undefined) {
        hits.push({ node: f.node, severity: 'high', confidence: 0.6, message: `${code(f.api)} resolves external entities${option}. Whoever controls the parsed document can read local files or make the server request internal URLs. ${fix}`, suggestion: { description: fix } });
      }
    }
    return hits;
  },
};
