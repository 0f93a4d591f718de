/**
 * Rule family: cleartext storage of sensitive information (CWE-312, OWASP A02:2021): a social security or
 * national id number, a payment card number or code, or a bank account number taken from the request and
 * stored on a record (`user.ssn = ssn`, `{ $set: { cardNumber } }`, `Customer.objects.create(ccn=...)`)
 * without encryption or hashing on the way. PCI DSS requirement 3.5 asks that card numbers be unreadable
 * wherever they are stored; a database dump or an injection then reads them all.
 *
 * Encrypted values (`encrypt(...)`, `cipher.update`, `fernet.encrypt`) and hashes are not reported; only
 * input the engine traces to the request (in this file or from another module that calls this one).
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { describePath, requestFlows } from './flows';

/** The `security/cleartext-sensitive-data` rule (see its `description`). */
export const cleartextSensitiveData: FileRule = {
  kind: 'file',
  id: 'security/cleartext-sensitive-data',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'medium',
  category: 'cleartext-storage',
  title: 'Sensitive personal or payment data stored in clear text',
  description:
    'Follows social security and national id numbers, payment card numbers and codes, and bank account numbers from the request to a stored record (a field assignment, an insert/update/create) and reports them when no encryption or hash was applied on the way. Whoever reads the database (a backup, an injection, an insider) reads them all; PCI DSS 3.5 requires card numbers to be unreadable wherever stored.',
  references: ['CWE-312', 'OWASP A02:2021'],
  confidence: 0.7,
  check(file, project) {
    const fix = 'Encrypt the field before storing it (an application-level key from a key manager: `crypto.createCipheriv(\'aes-256-gcm\', ...)`, `cryptography.fernet`), or a database/field-level encryption feature; store card numbers only through a payment provider\'s token.';
    const hits: RuleHit[] = [];
    // One finding per field of the file: the assignment that puts it on the record when there is one
    // (`user.ssn = ssn`), else the write that stores it.
    const seen = new Set<string>();
    const flows = requestFlows(file, 'sensitive-store', project);
    const ordered = [...flows.filter((f) => f.api.endsWith('=')), ...flows.filter((f) => !f.api.endsWith('='))];
    for (const f of ordered) {
      const field = String(f.info?.field ?? 'sensitive');
      if (seen.has(field.toLowerCase())) continue;
      seen.add(field.toLowerCase());
      hits.push({ node: f.node, message: `The ${code(field)} field is stored in clear text from ${describePath(f.taint!)}. Anyone who reads the stored records (a backup, an injection, an insider) reads every ${code(field)}. ${fix}`, suggestion: { description: fix } });
    }
    return hits.sort((a, b) => a.node!.startIndex - b.node!.startIndex);
  },
};
