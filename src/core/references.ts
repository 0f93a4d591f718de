/**
 * Links and short labels for the references a finding carries (`CWE-89`, `OWASP A03:2021`).
 *
 * Used by the renderers (markdown links, SARIF `helpUri`) and by Diagnostics (`codeDescription.href`).
 * Pure data and string handling; no I/O.
 *
 * Sources:
 * - CWE names: the MITRE CWE List (https://cwe.mitre.org/data/index.html), names as published in CWE 4.x.
 *   Definition pages are `https://cwe.mitre.org/data/definitions/<n>.html`.
 * - OWASP Top 10:2021 and 2025 category titles and page slugs: the OWASP/Top10 repository
 *   (`2021/mkdocs.yml` and `2025/mkdocs.yml`, whose `site_url`s are https://owasp.org/Top10/2021/ and
 *   https://owasp.org/Top10/2025/). The older 2021 addresses without the `2021/` segment
 *   (https://owasp.org/Top10/A03_2021-Injection/) are kept by OWASP as redirects to these.
 */

/** A reference string understood by {@link parseReference}. */
export type ParsedReference =
  | { kind: 'cwe'; id: number }
  | { kind: 'owasp'; year: 2021 | 2025; /** `A01`..`A10` */ code: string }
  | { kind: 'url'; url: string };

/** One OWASP Top 10 category: its code (`A03`), title and the page slug on owasp.org. */
export interface OwaspCategory {
  code: string;
  title: string;
  slug: string;
}

/**
 * OWASP Top 10:2021, in list order. Slugs from OWASP/Top10 `2021/mkdocs.yml`; the A10 slug's parentheses
 * are percent-encoded so the URL can sit inside a markdown link.
 */
export const OWASP_TOP10_2021: readonly OwaspCategory[] = [
  { code: 'A01', title: 'Broken Access Control', slug: 'A01_2021-Broken_Access_Control' },
  { code: 'A02', title: 'Cryptographic Failures', slug: 'A02_2021-Cryptographic_Failures' },
  { code: 'A03', title: 'Injection', slug: 'A03_2021-Injection' },
  { code: 'A04', title: 'Insecure Design', slug: 'A04_2021-Insecure_Design' },
  { code: 'A05', title: 'Security Misconfiguration', slug: 'A05_2021-Security_Misconfiguration' },
  { code: 'A06', title: 'Vulnerable and Outdated Components', slug: 'A06_2021-Vulnerable_and_Outdated_Components' },
  { code: 'A07', title: 'Identification and Authentication Failures', slug: 'A07_2021-Identification_and_Authentication_Failures' },
  { code: 'A08', title: 'Software and Data Integrity Failures', slug: 'A08_2021-Software_and_Data_Integrity_Failures' },
  { code: 'A09', title: 'Security Logging and Monitoring Failures', slug: 'A09_2021-Security_Logging_and_Monitoring_Failures' },
  { code: 'A10', title: 'Server-Side Request Forgery (SSRF)', slug: 'A10_2021-Server-Side_Request_Forgery_%28SSRF%29' },
];

/** OWASP Top 10:2025, in list order. Titles and slugs from OWASP/Top10 `2025/mkdocs.yml`. */
export const OWASP_TOP10_2025: readonly OwaspCategory[] = [
  { code: 'A01', title: 'Broken Access Control', slug: 'A01_2025-Broken_Access_Control' },
  { code: 'A02', title: 'Security Misconfiguration', slug: 'A02_2025-Security_Misconfiguration' },
  { code: 'A03', title: 'Software Supply Chain Failures', slug: 'A03_2025-Software_Supply_Chain_Failures' },
  { code: 'A04', title: 'Cryptographic Failures', slug: 'A04_2025-Cryptographic_Failures' },
  { code: 'A05', title: 'Injection', slug: 'A05_2025-Injection' },
  { code: 'A06', title: 'Insecure Design', slug: 'A06_2025-Insecure_Design' },
  { code: 'A07', title: 'Authentication Failures', slug: 'A07_2025-Authentication_Failures' },
  { code: 'A08', title: 'Software or Data Integrity Failures', slug: 'A08_2025-Software_or_Data_Integrity_Failures' },
  { code: 'A09', title: 'Security Logging and Alerting Failures', slug: 'A09_2025-Security_Logging_and_Alerting_Failures' },
  { code: 'A10', title: 'Mishandling of Exceptional Conditions', slug: 'A10_2025-Mishandling_of_Exceptional_Conditions' },
];

/**
 * Official names (MITRE CWE List, CWE 4.x) of the weaknesses most often met in code review: injection,
 * path handling, crypto, secrets, error handling, concurrency and resource exhaustion.
 */
export const CWE_NAMES: Readonly<Record<number, string>> = {
  20: 'Improper Input Validation',
  22: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
  78: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
  79: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
  89: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
  94: "Improper Control of Generation of Code ('Code Injection')",
  95: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
  117: 'Improper Output Neutralization for Logs',
  200: 'Exposure of Sensitive Information to an Unauthorized Actor',
  209: 'Generation of Error Message Containing Sensitive Information',
  252: 'Unchecked Return Value',
  295: 'Improper Certificate Validation',
  306: 'Missing Authentication for Critical Function',
  312: 'Cleartext Storage of Sensitive Information',
  319: 'Cleartext Transmission of Sensitive Information',
  326: 'Inadequate Encryption Strength',
  327: 'Use of a Broken or Risky Cryptographic Algorithm',
  328: 'Use of Weak Hash',
  330: 'Use of Insufficiently Random Values',
  352: 'Cross-Site Request Forgery (CSRF)',
  362: "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')",
  366: 'Race Condition within a Thread',
  367: 'Time-of-check Time-of-use (TOCTOU) Race Condition',
  377: 'Insecure Temporary File',
  390: 'Detection of Error Condition Without Action',
  391: 'Unchecked Error Condition',
  400: 'Uncontrolled Resource Consumption',
  401: 'Missing Release of Memory after Effective Lifetime',
  404: 'Improper Resource Shutdown or Release',
  502: 'Deserialization of Untrusted Data',
  532: 'Insertion of Sensitive Information into Log File',
  601: "URL Redirection to Untrusted Site ('Open Redirect')",
  611: 'Improper Restriction of XML External Entity Reference',
  662: 'Improper Synchronization',
  667: 'Improper Locking',
  703: 'Improper Check or Handling of Exceptional Conditions',
  754: 'Improper Check for Unusual or Exceptional Conditions',
  755: 'Improper Handling of Exceptional Conditions',
  770: 'Allocation of Resources Without Limits or Throttling',
  798: 'Use of Hard-coded Credentials',
  833: 'Deadlock',
  835: "Loop with Unreachable Exit Condition ('Infinite Loop')",
  918: 'Server-Side Request Forgery (SSRF)',
  1333: 'Inefficient Regular Expression Complexity',
};

const CWE_RE = /^CWE[-_ :]?\s*(\d{1,5})\b/i;
// "OWASP A03:2021", "A03:2021", "OWASP Top 10 A03:2021", "OWASP Top 10:2021 A03", "A3:2021 - Injection"
const OWASP_RE = /^(?:OWASP[-\s]*)?(?:Top\s*10\s*)?(?::?\s*(2021|2025)\s+)?A(\d{1,2})(?::\s*(2021|2025))?\b/i;

/**
 * Recognises a reference string. Accepts `CWE-89` (also `CWE 89`, `cwe_89`, `CWE-89: SQL Injection`), OWASP Top 10 ids of 2021
 * and 2025 (`OWASP A03:2021`, `A03:2021`, `OWASP Top 10:2021 A03`, optionally followed by a title) and
 * absolute http(s) URLs. Returns undefined for anything else (including an OWASP id without a year,
 * or a category number outside A01..A10), never throws.
 */
export function parseReference(ref: string): ParsedReference | undefined {
  const s = ref.trim();
  if (/^https?:\/\/\S+$/i.test(s)) return { kind: 'url', url: s };
  const cwe = CWE_RE.exec(s);
  if (cwe) return { kind: 'cwe', id: Number(cwe[1]) };
  const owasp = OWASP_RE.exec(s);
  if (owasp && /owasp|:/i.test(s)) {
    const year = Number(owasp[1] ?? owasp[3]);
    const n = Number(owasp[2]);
    if ((year === 2021 || year === 2025) && n >= 1 && n <= 10) {
      return { kind: 'owasp', year, code: `A${String(n).padStart(2, '0')}` };
    }
  }
  return undefined;
}

function owaspCategory(year: 2021 | 2025, code: string): OwaspCategory | undefined {
  return (year === 2021 ? OWASP_TOP10_2021 : OWASP_TOP10_2025).find((c) => c.code === code);
}

/**
 * The web page for a reference, or undefined when it is not recognised.
 *
 * - `CWE-89` → `https://cwe.mitre.org/data/definitions/89.html` (any CWE number, listed or not).
 * - `OWASP A03:2021` → `https://owasp.org/Top10/2021/A03_2021-Injection/`.
 * - `OWASP A05:2025` → `https://owasp.org/Top10/2025/A05_2025-Injection/`.
 * - An http(s) URL → itself.
 */
export function referenceUrl(ref: string): string | undefined {
  const p = parseReference(ref);
  if (!p) return undefined;
  if (p.kind === 'url') return p.url;
  if (p.kind === 'cwe') return `https://cwe.mitre.org/data/definitions/${p.id}.html`;
  const cat = owaspCategory(p.year, p.code);
  return cat ? `https://owasp.org/Top10/${p.year}/${cat.slug}/` : undefined;
}

/**
 * The short common name of a listed CWE: the quoted alias in its official name when there is one
 * (`SQL Injection` for CWE-89), else the official name. Undefined for CWEs not in {@link CWE_NAMES}.
 */
export function cweShortName(id: number): string | undefined {
  const name = CWE_NAMES[id];
  if (name === undefined) return undefined;
  const alias = /\('([^']+)'\)$/.exec(name);
  return alias?.[1] ?? name;
}

/**
 * A short human label for a reference, for link text and tags:
 * `CWE-89` → `CWE-89: SQL Injection`; `OWASP A03:2021` → `OWASP A03:2021: Injection`;
 * a CWE not in the table → `CWE-1234`; anything unrecognised → the reference itself, trimmed.
 */
export function describeReference(ref: string): string {
  const p = parseReference(ref);
  if (!p || p.kind === 'url') return ref.trim();
  if (p.kind === 'cwe') {
    const name = cweShortName(p.id);
    return name ? `CWE-${p.id}: ${name}` : `CWE-${p.id}`;
  }
  const cat = owaspCategory(p.year, p.code);
  return cat ? `OWASP ${p.code}:${p.year}: ${cat.title}` : ref.trim();
}
