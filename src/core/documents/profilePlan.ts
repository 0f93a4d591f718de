/**
 * A profiling plan (`/profile-plan`) for the suspected bottlenecks.
 */
import { sortFindings } from '../render/chat';
import { escapeInline, formatLocation, inlineCode } from '../render/markdown';
import type { CommandInput } from './index';

function profilerFor(file: string): string {
  if (/\.(m?[jt]sx?|cjs)$/.test(file)) return 'node --cpu-prof or clinic flame; autocannon for load';
  if (/\.py$/.test(file)) return 'py-spy record or cProfile; locust for load';
  if (/\.go$/.test(file)) return 'pprof (go test -bench -cpuprofile); vegeta or k6 for load';
  if (/\.(java|kt)$/.test(file)) return 'async-profiler or JFR; JMH for micro-benchmarks';
  return 'a sampling profiler; a load generator such as k6';
}

export function renderProfilePlan(input: CommandInput): string {
  const out = [`## Profiling plan: ${escapeInline(input.targetLabel)}`, ''];
  const sorted = sortFindings(input.findings);
  if (sorted.length === 0) out.push('The offline rules found no suspected bottleneck. Measure before optimising: profile the slowest endpoint under realistic load first.', '');
  sorted.forEach((f, i) => {
    out.push(
      `### ${i + 1}. ${escapeInline(f.title)} (${inlineCode(formatLocation(f))})`,
      '',
      `- Hypothesis: ${escapeInline(f.category.replace(/-/g, ' '))} makes this path slow as input grows.`,
      '- Measure: wall time and CPU of this function, calls to the dependency per request, allocations.',
      `- Tool: ${profilerFor(f.file)}.`,
      '- Load: production-like data sizes (10x and 100x today as well), warm and cold cache.',
      '- Confirmed if: time grows faster than linearly with input size, or dependency calls grow with rows.',
      '',
    );
  });
  out.push('### Baseline', '', '- Record p50/p95/p99 latency and throughput before any change, on the same machine and data, and compare after each change.');
  return out.join('\n');
}
