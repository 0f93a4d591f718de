/**
 * The production readiness checklist (`/readiness`), after seed 000's SRE production readiness review.
 */
import { escapeInline } from '../render/markdown';
import type { Finding } from '../types';
import type { CommandInput } from './index';
import { byCategory, codeSignals, where, type CodeFile } from './signals';

/** Emoji the readiness checklist uses (seed 000's checklist marks). */
export const MARK = { pass: '✅', fail: '❌', warn: '⚠️', verify: '◻️' } as const;

/** One readiness checklist item and how it was judged. */
export interface ChecklistItem {
  section: 'Deployment' | 'Reliability' | 'Observability' | 'Operations' | 'Scalability' | 'Security';
  item: string;
  /** pass/fail/warn: judged from the code; verify: cannot be judged from code. */
  state: 'pass' | 'fail' | 'warn' | 'verify';
  /** Why (evidence, locations) in markdown. */
  note: string;
  blocker?: boolean;
}

/**
 * The production readiness checklist (after seed 000's SRE production readiness review: deployment,
 * reliability, observability, operations, scalability, with security deferred to the Security Engineer),
 * each item judged from the findings and {@link CodeSignals} where the code can show it, else "to verify".
 */
export function readinessChecklist(findings: readonly Finding[], files: readonly CodeFile[]): ChecklistItem[] {
  const s = codeSignals(files);
  const timeouts = byCategory(findings, /missing-timeout/);
  const retries = byCategory(findings, /unsafe-retry|retry/);
  const swallowed = byCategory(findings, /swallowed-error/);
  const health = byCategory(findings, /missing-health-check/);
  const exits = byCategory(findings, /process-exit/);
  const blocking = byCategory(findings, /blocking-io|n-plus-one|algorithmic-complexity/);
  const security = findings.filter((f) => f.personaIds.includes('security') || /injection|secret|xss|traversal|crypto|tls|deserialization/.test(f.category));
  const isService = s.endpoints.length > 0;
  const items: ChecklistItem[] = [];
  const add = (i: ChecklistItem) => items.push(i);
  const verify = (section: ChecklistItem['section'], item: string, note: string) => add({ section, item, state: 'verify', note });

  verify('Deployment', 'Rollback in minutes (previous version kept deployable)', 'lives in the deploy pipeline, not in this code');
  verify('Deployment', 'Canary or blue-green rollout', 'lives in the deploy pipeline');
  add(
    s.featureFlags
      ? { section: 'Deployment', item: 'Feature flags for gradual rollout', state: 'pass', note: 'flag checks found in the code' }
      : { section: 'Deployment', item: 'Feature flags for gradual rollout', state: 'verify', note: 'no flag library or flag checks found' },
  );
  add(
    s.gracefulShutdown
      ? { section: 'Deployment', item: 'Graceful shutdown (drains in-flight work on SIGTERM)', state: 'pass', note: 'a shutdown handler was found' }
      : isService
        ? { section: 'Deployment', item: 'Graceful shutdown (drains in-flight work on SIGTERM)', state: 'fail', note: 'the code serves requests but handles no termination signal' }
        : { section: 'Deployment', item: 'Graceful shutdown (drains in-flight work on SIGTERM)', state: 'verify', note: 'no server found in the reviewed code' },
  );

  add(
    timeouts.length > 0
      ? { section: 'Reliability', item: 'Timeouts on every outgoing call', state: 'fail', note: `calls without a timeout at ${where(timeouts)}`, blocker: true }
      : { section: 'Reliability', item: 'Timeouts on every outgoing call', state: s.dependencies.includes('outgoing HTTP calls') ? 'pass' : 'verify', note: s.dependencies.includes('outgoing HTTP calls') ? 'no call without a timeout found' : 'no outgoing calls found' },
  );
  add(
    retries.length > 0
      ? { section: 'Reliability', item: 'Retries bounded, with backoff and jitter', state: 'fail', note: `unsafe retry loops at ${where(retries)}` }
      : { section: 'Reliability', item: 'Retries bounded, with backoff and jitter', state: s.retries ? 'pass' : 'verify', note: s.retries ? 'retries found; none unbounded or without backoff' : 'no retries found' },
  );
  add(
    swallowed.length > 0
      ? { section: 'Reliability', item: 'Errors handled, never swallowed', state: 'fail', note: `errors swallowed at ${where(swallowed)}` }
      : { section: 'Reliability', item: 'Errors handled, never swallowed', state: 'pass', note: 'no empty or log-and-continue error handlers found' },
  );
  add(
    exits.length > 0
      ? { section: 'Reliability', item: 'No process exit from library code', state: 'fail', note: `exits at ${where(exits)}` }
      : { section: 'Reliability', item: 'No process exit from library code', state: 'pass', note: 'none found' },
  );
  add(
    s.circuitBreaker
      ? { section: 'Reliability', item: 'Circuit breakers on dependencies', state: 'pass', note: 'a circuit-breaker library is used' }
      : { section: 'Reliability', item: 'Circuit breakers on dependencies', state: s.dependencies.length > 0 ? 'warn' : 'verify', note: s.dependencies.length > 0 ? `depends on ${s.dependencies.join(', ')} with no circuit breaker found` : 'no dependencies found' },
  );
  add(
    s.rateLimiting
      ? { section: 'Reliability', item: 'Rate limiting / load shedding', state: 'pass', note: 'rate limiting found' }
      : { section: 'Reliability', item: 'Rate limiting / load shedding', state: isService ? 'warn' : 'verify', note: isService ? 'endpoints found but no rate limiter' : 'no server found' },
  );
  verify('Reliability', 'SLOs defined and agreed', 'ask `@sre /slo` for a proposal from this code');
  verify('Reliability', 'No single point of failure', 'depends on the deployment topology');

  add(
    s.structuredLogging
      ? { section: 'Observability', item: 'Structured logging', state: 'pass', note: 'a structured logger is used' }
      : { section: 'Observability', item: 'Structured logging', state: s.plainLogging ? 'warn' : 'fail', note: s.plainLogging ? 'only plain console/print logging found' : 'no logging found' },
  );
  add({ section: 'Observability', item: 'Metrics instrumented', state: s.metrics ? 'pass' : 'fail', note: s.metrics ? 'a metrics library is used' : 'no metrics library or counters found', ...(s.metrics ? {} : { blocker: isService }) });
  add({ section: 'Observability', item: 'Distributed tracing', state: s.tracing ? 'pass' : 'warn', note: s.tracing ? 'tracing found' : 'no tracing found' });
  add(
    health.length > 0
      ? { section: 'Observability', item: 'Health check endpoint', state: 'fail', note: `missing, see ${where(health)}` }
      : { section: 'Observability', item: 'Health check endpoint', state: s.healthCheck ? 'pass' : isService ? 'warn' : 'verify', note: s.healthCheck ? 'found' : isService ? 'no /health or /ready route among the endpoints' : 'no server found' },
  );
  verify('Observability', 'Alerts on SLO burn rate', 'lives in the monitoring configuration');
  verify('Observability', 'Dashboard for the service', 'lives in the monitoring configuration');

  verify('Operations', 'Runbooks for the common failures', 'ask `@sre /incident` for a runbook draft');
  verify('Operations', 'On-call rotation and escalation', 'team process');
  verify('Operations', 'Incident response plan and postmortem template', 'team process; `@sre /incident` drafts both');
  verify('Operations', 'Toil under 50% of operations time', 'team data');

  add(
    blocking.length > 0
      ? { section: 'Scalability', item: 'No blocking or quadratic work on the request path', state: 'fail', note: `see ${where(blocking)}` }
      : { section: 'Scalability', item: 'No blocking or quadratic work on the request path', state: 'verify', note: 'ask `@perf /review` to check' },
  );
  verify('Scalability', 'Load test at expected peak', 'needs a load test');
  verify('Scalability', 'Capacity plan and autoscaling', 'depends on the deployment');

  add(
    security.length > 0
      ? { section: 'Security', item: 'Security review passed', state: 'fail', note: `${security.length} security finding${security.length === 1 ? '' : 's'}, e.g. ${where(security.slice(0, 3))}; ask \`@security /review\``, blocker: security.some((f) => f.severity === 'critical') }
      : { section: 'Security', item: 'Security review passed', state: 'verify', note: 'ask `@security /review`' },
  );
  return items;
}

export function renderReadiness(input: CommandInput): string {
  const items = readinessChecklist(input.findings, input.files);
  const judged = items.filter((i) => i.state !== 'verify');
  const passed = judged.filter((i) => i.state === 'pass').length;
  const blockers = items.filter((i) => i.blocker && i.state === 'fail');
  const out = [
    `## Production Readiness Review: ${escapeInline(input.targetLabel)}`,
    '',
    `The ${escapeInline(input.personaName)} checked what the code can show with the offline rules; items marked ${MARK.verify} need a person to verify them.`,
    '',
    `**Score:** ${passed} of ${judged.length} checks the code could answer passed; ${items.length - judged.length} to verify by hand.`,
  ];
  if (blockers.length > 0) out.push('', `**Blockers (${blockers.length}):**`, ...blockers.map((b) => `- ${MARK.fail} ${b.item}: ${b.note}`));
  const sections = [...new Set(items.map((i) => i.section))];
  for (const section of sections) {
    out.push('', `### ${section}`, '');
    for (const i of items.filter((x) => x.section === section)) {
      const mark = i.state === 'verify' ? `${MARK.verify} to verify:` : MARK[i.state];
      out.push(`- ${mark} ${i.item}${i.blocker && i.state === 'fail' ? ' (BLOCKER)' : ''} — ${i.note}`);
    }
  }
  out.push('', `Legend: ${MARK.pass} shown by the code · ${MARK.fail} the code shows it missing · ${MARK.warn} partly · ${MARK.verify} to verify (not visible in code).`);
  return out.join('\n');
}
