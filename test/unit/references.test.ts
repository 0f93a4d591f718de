import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CWE_NAMES,
  OWASP_TOP10_2021,
  OWASP_TOP10_2025,
  cweShortName,
  describeReference,
  parseReference,
  referenceUrl,
} from '../../src/core/references';

test('CWE ids link to their MITRE definition page, in the usual spellings', () => {
  assert.equal(referenceUrl('CWE-89'), 'https://cwe.mitre.org/data/definitions/89.html');
  assert.equal(referenceUrl('cwe 79'), 'https://cwe.mitre.org/data/definitions/79.html');
  assert.equal(referenceUrl('CWE-89: SQL Injection'), 'https://cwe.mitre.org/data/definitions/89.html');
  // Not in the name table, still a valid CWE page.
  assert.equal(referenceUrl('CWE-1236'), 'https://cwe.mitre.org/data/definitions/1236.html');
});

test('OWASP Top 10:2021 ids link to the category page', () => {
  assert.equal(referenceUrl('OWASP A03:2021'), 'https://owasp.org/Top10/2021/A03_2021-Injection/');
  assert.equal(referenceUrl('A01:2021'), 'https://owasp.org/Top10/2021/A01_2021-Broken_Access_Control/');
  assert.equal(referenceUrl('OWASP Top 10:2021 A07'), 'https://owasp.org/Top10/2021/A07_2021-Identification_and_Authentication_Failures/');
  assert.equal(referenceUrl('A3:2021 - Injection'), 'https://owasp.org/Top10/2021/A03_2021-Injection/');
  // Parentheses are encoded so the URL survives inside a markdown link.
  assert.equal(referenceUrl('OWASP A10:2021'), 'https://owasp.org/Top10/2021/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/');
});

test('OWASP Top 10:2025 ids link to the 2025 pages, which differ from 2021', () => {
  assert.equal(referenceUrl('OWASP A05:2025'), 'https://owasp.org/Top10/2025/A05_2025-Injection/');
  assert.equal(referenceUrl('OWASP A03:2025'), 'https://owasp.org/Top10/2025/A03_2025-Software_Supply_Chain_Failures/');
  assert.equal(referenceUrl('OWASP A10:2025'), 'https://owasp.org/Top10/2025/A10_2025-Mishandling_of_Exceptional_Conditions/');
});

test('both OWASP tables have ten distinct categories A01..A10 with well-formed slugs', () => {
  for (const [year, table] of [
    [2021, OWASP_TOP10_2021],
    [2025, OWASP_TOP10_2025],
  ] as const) {
    assert.deepEqual(
      table.map((c) => c.code),
      ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'],
    );
    const urls = table.map((c) => referenceUrl(`OWASP ${c.code}:${year}`));
    assert.equal(new Set(urls).size, 10);
    for (const [i, c] of table.entries()) {
      assert.match(c.slug, new RegExp(`^${c.code}_${year}-[A-Za-z_%0-9-]+$`));
      assert.equal(urls[i], `https://owasp.org/Top10/${year}/${c.slug}/`);
    }
  }
});

test('unknown or incomplete references have no URL', () => {
  assert.equal(referenceUrl('OWASP A03'), undefined, 'no year: the category differs between editions');
  assert.equal(referenceUrl('A11:2021'), undefined);
  assert.equal(referenceUrl('OWASP A03:2017'), undefined);
  assert.equal(referenceUrl('NIST SP 800-53'), undefined);
  assert.equal(referenceUrl(''), undefined);
  assert.equal(parseReference('Clean Code, chapter 3'), undefined);
});

test('an http(s) URL given as a reference is its own link', () => {
  const url = 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html';
  assert.equal(referenceUrl(url), url);
  assert.equal(describeReference(url), url);
  assert.equal(referenceUrl('javascript:alert(1)'), undefined);
});

test('describeReference gives a short label with the common CWE name', () => {
  assert.equal(describeReference('CWE-89'), 'CWE-89: SQL Injection');
  assert.equal(describeReference('cwe-22'), 'CWE-22: Path Traversal');
  assert.equal(describeReference('CWE-79'), 'CWE-79: Cross-site Scripting');
  assert.equal(describeReference('CWE-798'), 'CWE-798: Use of Hard-coded Credentials');
  assert.equal(describeReference('CWE-833'), 'CWE-833: Deadlock');
  assert.equal(describeReference('CWE-1236'), 'CWE-1236');
  assert.equal(describeReference('OWASP A03:2021'), 'OWASP A03:2021: Injection');
  assert.equal(describeReference('A09:2025'), 'OWASP A09:2025: Security Logging and Alerting Failures');
  assert.equal(describeReference('  Twelve-Factor App  '), 'Twelve-Factor App');
});

test('the CWE table names every weakness the review personas cite', () => {
  const expected = [
    20, 22, 78, 79, 89, 94, 95, 117, 200, 209, 252, 295, 306, 312, 319, 326, 327, 328, 330, 352, 362, 366, 367, 377, 390,
    391, 400, 401, 404, 502, 532, 601, 611, 662, 667, 703, 754, 755, 770, 798, 833, 835, 918, 1333,
  ];
  for (const id of expected) {
    assert.ok(CWE_NAMES[id], `CWE-${id} has a name`);
    assert.notEqual(describeReference(`CWE-${id}`), `CWE-${id}`);
  }
  assert.equal(cweShortName(362), 'Race Condition');
  assert.equal(cweShortName(400), 'Uncontrolled Resource Consumption');
  assert.equal(cweShortName(99999), undefined);
});
