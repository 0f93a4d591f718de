/**
 * SLIs, SLOs, the error budget and burn-rate alerts (`/slo`).
 */
import { severityLabel, sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';
import { codeSignals, errorBudgetMinutes, type Endpoint } from './signals';

/** The default SLO targets proposed for an endpoint (availability 0..1, latency thresholds in ms). */
export function defaultSlo(e: Pick<Endpoint, 'method' | 'path'>): { availability: number; p95Ms: number; p99Ms: number } {
  if (/health|ready|live|metrics/i.test(e.path)) return { availability: 0.999, p95Ms: 100, p99Ms: 250 };
  if (/^(POST|PUT|PATCH|DELETE)$/.test(e.method)) return { availability: 0.999, p95Ms: 500, p99Ms: 1000 };
  return { availability: 0.999, p95Ms: 300, p99Ms: 800 };
}

export function renderSlo(input: CommandInput): string {
  const s = codeSignals(input.files);
  const out = [`## SLIs, SLOs and error budget: ${escapeInline(input.targetLabel)}`, ''];
  if (s.endpoints.length === 0) {
    out.push('No HTTP endpoints were found in the reviewed code, so the SLOs below are for the service as a whole; review the file that declares the routes to get one row per endpoint.', '');
  } else {
    out.push(`${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'} found. Each gets an availability SLI (share of requests that do not fail with a 5xx or time out) and a latency SLI (share of requests faster than a threshold), measured at the load balancer or the server's request middleware.`, '');
  }
  out.push('| Endpoint | Where | Availability SLO | Latency SLO | Error budget (30 days) |', '|---|---|---|---|---|');
  const rows = s.endpoints.length > 0 ? s.endpoints : [{ method: 'ANY', path: '(whole service)', file: input.targetLabel, line: 1 }];
  for (const e of rows) {
    const t = defaultSlo(e);
    out.push(
      `| ${inlineCode(`${e.method} ${e.path}`)} | ${inlineCode(`${e.file}:${e.line}`)} | ${(t.availability * 100).toFixed(1)}% of requests succeed | 95% < ${t.p95Ms} ms, 99% < ${t.p99Ms} ms | ${errorBudgetMinutes(t.availability)} min of full outage, or 0.1% of requests |`,
    );
  }
  out.push(
    '',
    '### How to measure',
    '',
    `- Availability SLI = good requests / valid requests, where good = status < 500 and answered within the p99 threshold; exclude health checks from the service's own SLO.${s.metrics ? ' A metrics library is already in use: add a request counter by route and status and a latency histogram by route.' : ' No metrics library was found: add a request counter by route and status and a latency histogram (e.g. Prometheus client or OpenTelemetry metrics).'}`,
    '- Latency SLI = requests faster than the threshold / valid requests, from a histogram, not an average.',
    '',
    '### Error budget policy',
    '',
    `- A 99.9% SLO over 30 days leaves ${errorBudgetMinutes(0.999)} minutes of full outage (99.5%: ${errorBudgetMinutes(0.995)} min, 99.95%: ${errorBudgetMinutes(0.9995)} min).`,
    '- Budget left > 50%: release as usual. 0-50%: releases need a rollback plan and a canary. Exhausted: freeze features, spend the time on the reliability backlog until the budget recovers.',
    '',
    '### Alerts (multi-window burn rate)',
    '',
    '- Page: 14.4x burn rate over 1 h (confirmed over 5 min): 2% of the monthly budget gone in an hour.',
    '- Page: 6x over 6 h (confirmed over 30 min).',
    '- Ticket: 1x over 3 days.',
  );
  if (s.dependencies.length > 0) {
    out.push('', '### Dependencies', '', `The code depends on ${s.dependencies.join(', ')}. Your SLO cannot be better than theirs without timeouts, fallbacks or caching: get their SLOs and budget for them.`);
  }
  const threats = input.findings.filter((f) => /timeout|retry|swallowed|health|blocking|n-plus-one|exit/.test(f.category));
  if (threats.length > 0) {
    out.push('', '### Code that threatens these SLOs', '', ...sortFindings(threats).map((f) => `- ${severityLabel(f.severity)}: ${escapeInline(f.title)} at ${inlineCode(formatLocation(f))}`));
  }
  out.push('', '### To verify', '', '- Real traffic and latency today (set targets a little better than what users get now, not aspirational).', '- Who owns the error budget and signs off the policy.');
  return out.join('\n');
}
