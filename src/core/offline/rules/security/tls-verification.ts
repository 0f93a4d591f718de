/**
 * Rule family: disabled TLS certificate verification (CWE-295).
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS, LANG, callArguments, enclosingFunction, isJs } from '../../lang';
import { callsOf, compactText, eachOfType, stringValue } from '../../nodes';
import { resolvedCallee } from '../../bindings';

import { keywordArg } from './common';

// ---------------------------------------------------------------------------------------------
// Disabled TLS verification

/** The `security/tls-verification-disabled` rule (see its `description`). */
export const tlsVerificationDisabled: FileRule = {
  kind: 'file',
  id: 'security/tls-verification-disabled',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  description:
    'Flags code that turns off TLS certificate or host name checks: `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"`, `verify=False`, `ssl._create_unverified_context`, `CERT_NONE`, Go `InsecureSkipVerify: true`, and Java trust managers or host name verifiers that accept everything. Anyone on the network path can then impersonate the server and read or alter the traffic. Keep verification on and trust a specific CA bundle instead.',
  references: ['CWE-295', 'OWASP A07:2021'],
  confidence: 0.85,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const add = (node: SyntaxNode, what: string, fix: string) => {
      // A library honouring its caller's explicit opt-out (`if verify is False:` in a function with a
      // `verify` parameter) implements that choice; the finding belongs where the caller makes it.
      if (underCallerOption(node, lang)) return;
      hits.push({ node, message: `${what} Anyone on the network path can impersonate the server and read or change the traffic (man-in-the-middle). ${fix}`, suggestion: { description: fix } });
    };
    const isFalse = (v: SyntaxNode | null | undefined) => !!v && (v.type === 'false' || v.text === '0' || v.text === 'False');
    if (isJs(lang)) {
      const fix = 'Remove it; to trust a private CA pass `ca: fs.readFileSync("ca.pem")` (or set `NODE_EXTRA_CA_CERTS`) instead.';
      eachOfType(file.root, ['pair', 'assignment_expression'], (n) => {
        if (n.type === 'pair') {
          const k = n.childForFieldName('key');
          const key = k?.type === 'string' ? stringValue(k, lang) : k?.text;
          if (key === 'rejectUnauthorized' && isFalse(n.childForFieldName('value'))) add(n, '`rejectUnauthorized: false` accepts any certificate, including self-signed and forged ones.', fix);
        } else if (n.type === 'assignment_expression') {
          const left = compactText(n.childForFieldName('left')?.text ?? '');
          const right = n.childForFieldName('right');
          const rv = right ? stringValue(right, lang) ?? right.text : '';
          if (/NODE_TLS_REJECT_UNAUTHORIZED['"]?\]?$/.test(left) && (rv === '0' || rv === 'false')) add(n, '`NODE_TLS_REJECT_UNAUTHORIZED = "0"` disables certificate verification for every TLS connection in the process.', fix);
          else if (/\.rejectUnauthorized$/.test(left) && isFalse(right)) add(n, '`rejectUnauthorized = false` accepts any certificate.', fix);
        }
        return true;
      });
    } else if (lang === 'python') {
      const fix = 'Remove it; to trust a private CA pass `verify="/path/to/ca.pem"` (requests/httpx) or load it with `ssl.create_default_context(cafile=...)`.';
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const v = keywordArg(call, 'verify');
        if (v && isFalse(v) && (/^(requests|httpx|session|client)\b/i.test(name) || /\.(get|post|put|patch|delete|head|options|request|send|Session|Client|AsyncClient|stream)$/.test(name) || /^(requests|httpx)\./.test(name))) {
          add(v.parent ?? call, `\`verify=False\` in \`${name}\` accepts any certificate.`, fix);
        }
        if (/(^|\.)_create_unverified_context$/.test(name)) add(call, '`ssl._create_unverified_context()` creates a context that skips certificate and host name checks.', fix);
        const certReqs = keywordArg(call, 'cert_reqs');
        if (certReqs && /CERT_NONE/.test(certReqs.text)) add(certReqs.parent ?? call, '`cert_reqs=CERT_NONE` disables certificate verification.', fix);
      }
      eachOfType(file.root, ['assignment'], (n) => {
        if (n.type === 'assignment') {
          const left = n.childForFieldName('left')?.text ?? '';
          const right = n.childForFieldName('right');
          // `self.verify_mode = ...` defines a context class's default, not a connection's settings.
          if (/\.verify_mode$/.test(left) && !/^self\./.test(left) && /CERT_NONE$/.test(right?.text ?? '')) add(n, '`verify_mode = CERT_NONE` disables certificate verification.', fix);
        }
        return true;
      });
    } else if (lang === 'go') {
      const fix = 'Remove `InsecureSkipVerify`; to trust a private CA set `RootCAs` to an `x509.CertPool` containing it.';
      eachOfType(file.root, ['keyed_element', 'assignment_statement'], (n) => {
        if (n.type === 'keyed_element') {
          const k = n.namedChildren[0]?.text;
          const v = n.namedChildren[1]?.namedChildren[0] ?? n.namedChildren[1];
          if (k === 'InsecureSkipVerify' && v?.type === 'true') add(n, '`InsecureSkipVerify: true` accepts any certificate for any host.', fix);
        } else if (n.type === 'assignment_statement') {
          const l = n.childForFieldName('left')?.text ?? '';
          const r = n.childForFieldName('right')?.text ?? '';
          if (/\.InsecureSkipVerify$/.test(l) && r === 'true') add(n, '`InsecureSkipVerify = true` accepts any certificate for any host.', fix);
        }
        return true;
      });
    } else if (lang === 'java') {
      const fix = 'Use the default `TrustManagerFactory` and host name verifier; to trust a private CA, load it into a `KeyStore` and build the trust manager from that.';
      eachOfType(file.root, ['method_declaration', 'method_invocation'], (n) => {
        if (n.type === 'method_declaration') {
          const name = n.childForFieldName('name')?.text;
          const body = n.childForFieldName('body');
          const stmts = body?.namedChildren.filter((c) => c && !LANG.java.comment.includes(c.type)) ?? [];
          if (name === 'checkServerTrusted' && body && stmts.length === 0) add(n.childForFieldName('name') ?? n, '`checkServerTrusted` has an empty body, so this trust manager accepts every certificate chain.', fix);
          const params = n.childForFieldName('parameters')?.text ?? '';
          if (name === 'verify' && /SSLSession/.test(params) && stmts.length === 1 && /^return\s+true\s*;$/.test(stmts[0]?.text ?? '')) add(n.childForFieldName('name') ?? n, 'This `HostnameVerifier.verify` returns `true` for every host.', fix);
        } else if (n.type === 'method_invocation' && /^(setHostnameVerifier|setDefaultHostnameVerifier|setSSLHostnameVerifier|hostnameVerifier)$/.test(n.childForFieldName('name')?.text ?? '')) {
          const a0 = callArguments(n)[0];
          if (a0?.type === 'lambda_expression' && a0.childForFieldName('body')?.type === 'true') add(n, 'The host name verifier `(host, session) -> true` accepts a valid certificate for any host.', fix);
          else if (a0 && /NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER/.test(a0.text)) add(n, `\`${compactText(a0.text)}\` accepts a valid certificate for any host.`, fix);
        }
        return true;
      });
    }
    return hits;
  },
};

/**
 * True when `node` runs only under a condition on a parameter of its enclosing function
 * (`if not verify:`, `if (!opts.rejectUnauthorized)`, `if insecure {`): the caller chose it.
 */
function underCallerOption(node: SyntaxNode, lang: ParsedLanguage): boolean {
  const fn = enclosingFunction(node, lang);
  if (!fn) return false;
  const params = new Set<string>();
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.childForFieldName('pattern') ?? p.namedChildren.find((c) => c?.type === 'identifier');
    if (id?.type === 'identifier') params.add(id.text);
    if (p.type === 'parameter_declaration') for (const n of p.childrenForFieldName('name')) if (n) params.add(n.text);
  }
  if (!params.size) return false;
  for (let a = node.parent; a && a.id !== fn.id; a = a.parent) {
    if (!/^(if_statement|elif_clause|conditional_expression|ternary_expression|switch_case|expression_case)$/.test(a.type)) continue;
    const cond = a.childForFieldName('condition') ?? a.childForFieldName('value') ?? a.namedChildren[1];
    if (!cond) continue;
    for (const id of cond.descendantsOfType(['identifier'])) if (id && params.has(id.text)) return true;
  }
  return false;
}
