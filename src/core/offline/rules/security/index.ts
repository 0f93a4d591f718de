/**
 * Offline rules of the security pack (persona `security`), one file per rule family. Injection,
 * redirect, SSRF, deserialization, path and session families judge values with the taint engine
 * (../../taint): a finding names the request input it starts from, the path it takes and the sink it
 * reaches, and quotes the sink. CWE and OWASP Top 10 2021 ids follow the official OWASP 2021
 * category mappings. The secret rules are in ./secrets.ts.
 */
import type { OfflineRule } from '../../rule';
import { productionOnly } from './common';
import { sqlInjection } from './sql-injection';
import { nosqlInjection } from './nosql-injection';
import { commandInjection } from './command-injection';
import { codeInjection } from './code-injection';
import { templateInjection } from './template-injection';
import { pathTraversal } from './path-traversal';
import { xss } from './xss';
import { ssrf } from './ssrf';
import { openRedirect } from './open-redirect';
import { xxe } from './xxe';
import { redos } from './redos';
import { logInjection } from './log-injection';
import { ldapInjection } from './ldap-injection';
import { xpathInjection } from './xpath-injection';
import { trustBoundary } from './trust-boundary';
import { unsafeDeserialization } from './deserialization';
import { plaintextPassword } from './password-storage';
import { weakCrypto } from './weak-crypto';
import { insecureRandomRule } from './insecure-random';
import { insecureCookie } from './insecure-cookie';
import { csrf } from './csrf';
import { idor } from './idor';
import { tlsVerificationDisabled } from './tls-verification';
import { clientControlledAuthorization } from './client-authorization';
import { sensitiveDataLogged } from './sensitive-log';
import { debugMode } from './debug-mode';
import { jwtVerificationDisabled } from './jwt-verification';
import { autoescapeDisabled } from './autoescape';
import { sessionFixation } from './session-fixation';
import { predictableResetToken } from './predictable-reset-token';
import { missingSecurityHeaders } from './security-headers';
import { weakPasswordPolicy } from './password-policy';
import { userEnumeration } from './user-enumeration';
import { fastPasswordHash } from './fast-password-hash';
import { cleartextSensitiveData } from './cleartext-storage';

/** The rules of this pack (without the secret rules, which ./secrets.ts exports). */
export const rules: OfflineRule[] = [
  sqlInjection,
  nosqlInjection,
  commandInjection,
  codeInjection,
  templateInjection,
  pathTraversal,
  xss,
  ssrf,
  openRedirect,
  xxe,
  redos,
  logInjection,
  ldapInjection,
  xpathInjection,
  trustBoundary,
  unsafeDeserialization,
  plaintextPassword,
  weakCrypto,
  insecureRandomRule,
  insecureCookie,
  csrf,
  idor,
  tlsVerificationDisabled,
  clientControlledAuthorization,
  sensitiveDataLogged,
  debugMode,
  jwtVerificationDisabled,
  autoescapeDisabled,
  sessionFixation,
  predictableResetToken,
  missingSecurityHeaders,
  weakPasswordPolicy,
  userEnumeration,
  fastPasswordHash,
  cleartextSensitiveData,
].map(productionOnly);
