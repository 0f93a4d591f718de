/**
 * Offline rules of the SRE pack (persona `sre`; `devops` for deployment and configuration concerns):
 * network calls without timeouts, swallowed errors, retry loops without a limit or backoff, HTTP servers
 * without a health-check endpoint, and process exits in library code.
 *
 * Facts used: `requests` has no default timeout (requests docs, "Timeouts"); Go's `http.DefaultClient`
 * and a zero `http.Client{}` have no timeout (net/http docs, `Client.Timeout`); Node's `http.request`
 * and axios default to no timeout (axios docs, `timeout` default 0); Java's `URLConnection` and
 * `HttpClient` connect without a timeout unless one is set. CWE ids: CWE-1088 (synchronous access of a
 * remote resource without timeout), CWE-400, CWE-390/CWE-1069 (ignored errors), CWE-835.
 */
import type { OfflineRule } from '../../rule';
import { missingTimeout } from './missing-timeout';
import { swallowedError } from './swallowed-error';
import { retryLoop } from './retry-loop';
import { missingHealthCheck } from './health-check';
import { processExit } from './process-exit';

/** The rules of this pack. */
export const rules: OfflineRule[] = [missingTimeout, swallowedError, retryLoop, missingHealthCheck, processExit];
