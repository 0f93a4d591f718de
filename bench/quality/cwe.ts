/**
 * CWE compatibility for the review-quality benchmark: which weakness ids count as "the same kind of
 * problem" when a finding is matched against a truth entry, and which CWE ids a finding stands for.
 *
 * The families group a CWE with its closest relatives in MITRE's CWE hierarchy (Research view, CWE-1000)
 * so that a finding that cites a sibling or child of the truth's CWE still matches: CWE-1336 (template
 * injection) is a child of CWE-94 (code injection); CWE-328 and CWE-916 are both "weak hash"; CWE-330 and
 * CWE-338 are both "weak randomness". A CWE in no family is only compatible with itself.
 * Sources: https://cwe.mitre.org/data/definitions/1000.html and the per-CWE pages named below.
 */

/** A named group of CWE ids treated as one kind of weakness when matching. */
export interface CweFamily {
  /** Short kebab-case name, used in the printed tables. */
  name: string;
  /** CWE numbers (without the `CWE-` prefix). */
  cwes: readonly number[];
}

/**
 * The CWE families, disjoint. Order is the order of the printed per-family tables.
 * Each line names the MITRE relation it follows.
 */
export const CWE_FAMILIES: readonly CweFamily[] = [
  { name: 'sql-injection', cwes: [89, 564] }, // 564 (Hibernate injection) is a child of 89
  { name: 'nosql-injection', cwes: [943] }, // data query logic; its SQL/LDAP/XPath children have their own families
  { name: 'ldap-injection', cwes: [90] },
  { name: 'xpath-injection', cwes: [643, 652] }, // XPath, XQuery
  { name: 'command-injection', cwes: [78, 77, 88] }, // OS command, command, argument injection
  { name: 'code-injection', cwes: [94, 95, 96, 1336] }, // eval injection (95), static code (96), template engines (1336) are children of 94
  { name: 'xss', cwes: [79, 80, 83, 87] },
  { name: 'path-traversal', cwes: [22, 23, 35, 36, 73] }, // relative/absolute traversal, external control of a file name
  { name: 'unrestricted-upload', cwes: [434] },
  { name: 'open-redirect', cwes: [601] },
  { name: 'ssrf', cwes: [918] },
  { name: 'xxe', cwes: [611, 776, 827] },
  { name: 'unsafe-deserialization', cwes: [502] },
  { name: 'weak-cipher', cwes: [327, 326, 329, 780, 1240] }, // broken or risky algorithm, key size, IV, RSA without OAEP
  { name: 'weak-hash', cwes: [328, 916, 759, 760] }, // weak hash; password hash with too little effort or salt
  { name: 'cleartext-storage', cwes: [256, 257, 312, 313] }, // plaintext password / sensitive data storage
  { name: 'weak-random', cwes: [330, 331, 335, 338] },
  { name: 'insecure-cookie', cwes: [614, 1004, 1275, 315, 539] }, // no Secure, no HttpOnly, SameSite, cleartext / persistent cookie
  { name: 'trust-boundary', cwes: [501] },
  { name: 'hardcoded-secret', cwes: [798, 259, 321, 547] }, // credentials, password, crypto key, security-relevant constants
  { name: 'csrf', cwes: [352] },
  { name: 'authorization', cwes: [639, 284, 285, 862, 863, 425] }, // IDOR (639), missing/incorrect authorization, forced browsing
  { name: 'authentication', cwes: [287, 306, 307, 384, 521, 613, 620, 640, 1390, 1391] },
  { name: 'redos', cwes: [1333, 185, 730] },
  { name: 'log-injection', cwes: [117] },
  { name: 'tls-verification', cwes: [295, 297] },
  { name: 'cleartext-transmission', cwes: [319] },
  { name: 'information-exposure', cwes: [200, 209, 215, 497, 532, 548] },
  { name: 'mass-assignment', cwes: [915] },
  { name: 'resource-exhaustion', cwes: [400, 770, 834] },
  { name: 'security-misconfiguration', cwes: [16, 693, 942, 1021] }, // incl. permissive CORS (942), clickjacking (1021)
  { name: 'vulnerable-component', cwes: [1104, 937, 1035, 1395] },
];

const familyByCwe = new Map<number, CweFamily>();
for (const f of CWE_FAMILIES) for (const c of f.cwes) familyByCwe.set(c, f);

/** The family of a CWE number; a CWE in no family gets a family of its own (`cwe-<n>`). */
export function familyOf(cwe: number): CweFamily {
  return familyByCwe.get(cwe) ?? { name: `cwe-${cwe}`, cwes: [cwe] };
}

/** True when two CWE numbers are in the same family (or equal). */
export function compatibleCwe(a: number, b: number): boolean {
  return a === b || (familyByCwe.has(a) && familyByCwe.get(a) === familyByCwe.get(b));
}

/**
 * A finding category (kebab-case, as the offline rules and Claude write it) to a CWE, for findings that
 * cite no CWE in their references. Covers the offline security categories and the usual spellings a
 * model uses; anything else has no CWE and matches no truth entry.
 */
export const CATEGORY_CWE: Readonly<Record<string, number>> = {
  'sql-injection': 89,
  sqli: 89,
  'nosql-injection': 943,
  'ldap-injection': 90,
  'xpath-injection': 643,
  'command-injection': 78,
  'os-command-injection': 78,
  'code-injection': 94,
  'template-injection': 1336,
  ssti: 1336,
  xss: 79,
  'cross-site-scripting': 79,
  'reflected-xss': 79,
  'stored-xss': 79,
  'path-traversal': 22,
  'zip-slip': 22,
  'file-upload': 434,
  'open-redirect': 601,
  ssrf: 918,
  xxe: 611,
  'unsafe-deserialization': 502,
  'insecure-deserialization': 502,
  deserialization: 502,
  'weak-cryptography': 327,
  'weak-crypto': 327,
  'weak-hash': 328,
  'weak-password-hash': 916,
  'plaintext-password': 256,
  'insecure-randomness': 330,
  'weak-random': 330,
  'insecure-cookie': 614,
  'trust-boundary': 501,
  'hardcoded-secret': 798,
  'hardcoded-credentials': 798,
  'secret-in-source': 798,
  csrf: 352,
  idor: 639,
  'missing-authorization': 862,
  'broken-access-control': 284,
  'broken-authentication': 287,
  redos: 1333,
  'log-injection': 117,
  'tls-verification-disabled': 295,
  'information-exposure': 200,
  'mass-assignment': 915,
};

/**
 * The CWE numbers a finding stands for: every `CWE-<n>` in its references, else the CWE of its category
 * (see {@link CATEGORY_CWE}), else none. Input: the finding's `references` (strings such as `CWE-89`,
 * `OWASP A03:2021`) and `category`. Output: distinct CWE numbers in reference order.
 */
export function findingCwes(references: readonly string[] | undefined, category: string | undefined): number[] {
  const out: number[] = [];
  for (const r of references ?? []) {
    const m = /^\s*CWE[-_ ]?(\d+)\s*$/i.exec(r);
    if (m && !out.includes(Number(m[1]))) out.push(Number(m[1]));
  }
  if (!out.length && category) {
    const c = CATEGORY_CWE[category.toLowerCase()];
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** True when any CWE of a finding is compatible with the truth's CWE. */
export function findingMatchesCwe(findingCweIds: readonly number[], truthCwe: number): boolean {
  return findingCweIds.some((c) => compatibleCwe(c, truthCwe));
}
