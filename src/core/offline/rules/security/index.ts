/**
 * Offline rules of the security pack (persona `security`), one file per rule family. Injection
 * families judge values with the taint engine (../../taint). CWE and OWASP Top 10 2021 ids follow
 * the official OWASP 2021 category mappings. The secret rules are in ./secrets.ts.
 */
import type { OfflineRule } from '../../rule';
import { productionOnly } from './common';
import { sqlInjection } from './sql-injection';
import { commandInjection } from './command-injection';
import { codeInjection } from './code-injection';
import { pathTraversal } from './path-traversal';
import { xss } from './xss';
import { weakCrypto } from './weak-crypto';
import { insecureRandomRule } from './insecure-random';
import { tlsVerificationDisabled } from './tls-verification';
import { unsafeDeserialization } from './deserialization';

/** The rules of this pack (without the secret rules, which ./secrets.ts exports). */
export const rules: OfflineRule[] = [
  sqlInjection,
  commandInjection,
  codeInjection,
  pathTraversal,
  xss,
  weakCrypto,
  insecureRandomRule,
  tlsVerificationDisabled,
  unsafeDeserialization,
].map(productionOnly);
