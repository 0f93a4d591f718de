/**
 * Facts the offline documents (./index.ts) read from the code with simple patterns: HTTP endpoints,
 * outgoing dependencies, and which signals of good operation practice it shows (structured logging,
 * metrics, tracing, health checks, graceful shutdown, rate limiting, ...). Lines are 1-based.
 */
import { isTestPath } from '../offline/paths';
import { formatLocation, inlineCode } from '../render/markdown';
import type { Finding } from '../types';

/** A file's text as the offline documents read it (workspace-relative path; nothing leaves the machine). */
export interface CodeFile {
  path: string;
  text: string;
}

/** An HTTP endpoint found in the code (Express/Koa/Fastify-style routes, Flask/FastAPI, Go net/http, Spring). */
export interface Endpoint {
  method: string;
  path: string;
  file: string;
  /** 1-based. */
  line: number;
}

const ROUTE_PATTERNS: Array<{ re: RegExp; method: (m: RegExpExecArray) => string; path: (m: RegExpExecArray) => string }> = [
  // app.get('/x', ...), router.post("/y", ...), fastify.put(`/z`, ...)
  { re: /\b(?:app|router|server|api|fastify|r)\.(get|post|put|patch|delete|head|all)\(\s*['"`]([^'"`]+)['"`]/gi, method: (m) => m[1]!.toUpperCase(), path: (m) => m[2]! },
  // @app.route('/x', methods=['POST']), @app.get('/x'), @router.post('/x')
  { re: /@(?:\w+)\.(route|get|post|put|patch|delete)\(\s*['"]([^'"]+)['"]/g, method: (m) => (m[1] === 'route' ? 'ANY' : m[1]!.toUpperCase()), path: (m) => m[2]! },
  // http.HandleFunc("/x", h), mux.Handle("/y", h)
  { re: /\b\w+\.(?:HandleFunc|Handle)\(\s*"([^"]+)"/g, method: () => 'ANY', path: (m) => m[1]! },
  // @GetMapping("/x"), @RequestMapping(value = "/y")
  { re: /@(Get|Post|Put|Patch|Delete|Request)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?"([^"]+)"/g, method: (m) => (m[1] === 'Request' ? 'ANY' : m[1]!.toUpperCase()), path: (m) => m[2]! },
];

/** The HTTP endpoints declared in `files`, in file order. */
export function findEndpoints(files: readonly CodeFile[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const f of files) {
    for (const p of ROUTE_PATTERNS) {
      p.re.lastIndex = 0;
      for (let m = p.re.exec(f.text); m; m = p.re.exec(f.text)) {
        const line = f.text.slice(0, m.index).split('\n').length;
        out.push({ method: p.method(m), path: p.path(m), file: f.path, line });
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Facts about the code the offline documents use: which signals of good operation practice it shows. */
export interface CodeSignals {
  endpoints: Endpoint[];
  /** Outgoing calls (fetch, axios, requests, http.Get ...) and database queries, by kind. */
  dependencies: string[];
  structuredLogging: boolean;
  plainLogging: boolean;
  metrics: boolean;
  tracing: boolean;
  healthCheck: boolean;
  gracefulShutdown: boolean;
  rateLimiting: boolean;
  circuitBreaker: boolean;
  featureFlags: boolean;
  retries: boolean;
  tests: boolean;
}

/** True when any file's text matches `re`. */
export const has = (files: readonly CodeFile[], re: RegExp) => files.some((f) => re.test(f.text));

/** Reads {@link CodeSignals} from `files` with simple patterns (names of common libraries and APIs). */
export function codeSignals(files: readonly CodeFile[]): CodeSignals {
  const endpoints = findEndpoints(files);
  const dependencies: string[] = [];
  if (has(files, /\bfetch\(|axios|got\(|http\.request|https\.request|requests\.(get|post|put|delete)|urlopen|http\.(Get|Post)|HttpClient|RestTemplate/)) dependencies.push('outgoing HTTP calls');
  if (has(files, /\.query\(|\.execute\(|SELECT\s|INSERT\s|UPDATE\s|prisma\.|sequelize|mongoose|sql\.Open|JdbcTemplate|cursor\(/i)) dependencies.push('a database');
  if (has(files, /redis|memcache/i)) dependencies.push('a cache (Redis/Memcached)');
  if (has(files, /kafka|amqp|rabbitmq|sqs|pubsub|nats/i)) dependencies.push('a message queue');
  return {
    endpoints,
    dependencies,
    structuredLogging: has(files, /\b(pino|winston|bunyan|structlog|zap\.|zerolog|slog\.|logrus|LoggerFactory|logging\.getLogger)\b/),
    plainLogging: has(files, /console\.(log|error|warn)\(|\bprint\(|fmt\.Print|System\.out\.print/),
    metrics: has(files, /prom-client|prometheus|statsd|opentelemetry.*metric|metrics\.|Micrometer|expvar/i),
    tracing: has(files, /opentelemetry|@opentelemetry|tracer\.|startSpan|jaeger|zipkin|dd-trace/i),
    healthCheck: endpoints.some((e) => /health|ready|live|status/i.test(e.path)) || has(files, /healthz|readyz|livez|\/health/),
    gracefulShutdown: has(files, /SIGTERM|signal\.Notify|server\.close\(|Shutdown\(ctx|atexit|add_signal_handler/),
    rateLimiting: has(files, /rate.?limit|ratelimit|throttl|limiter/i),
    circuitBreaker: has(files, /circuit.?breaker|opossum|resilience4j|hystrix|gobreaker|pybreaker/i),
    featureFlags: has(files, /feature.?flag|launchdarkly|unleash|flagsmith|isEnabled\(/i),
    retries: has(files, /retry|retries|backoff/i),
    tests: files.some((f) => isTestPath(f.path)),
  };
}

/** Minutes of full downtime an availability `target` (0..1, e.g. 0.999) allows over `days` days. */
export function errorBudgetMinutes(target: number, days = 30): number {
  return Math.round((1 - target) * days * 24 * 60 * 10) / 10;
}

/** Top-level functions and classes declared in `f` (JavaScript/TypeScript, Python, Go, Java), 1-based lines. */
export function declarations(f: CodeFile): Array<{ name: string; line: number }> {
  const out: Array<{ name: string; line: number }> = [];
  const res = [
    /^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
    /^(?:export\s+)?(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/,
    /^(?:export\s+)?(?:default\s+)?class\s+([A-Za-z_$][\w$]*)/,
    /^(?:async\s+)?def\s+([A-Za-z_]\w*)/,
    /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/,
    /^\s{0,4}(?:public|protected)\s+(?:static\s+)?[\w<>[\],\s]+\s+([a-z]\w*)\s*\(/,
  ];
  f.text.split('\n').forEach((line, i) => {
    for (const re of res) {
      const m = re.exec(line);
      if (m && !['if', 'for', 'while', 'switch', 'return'].includes(m[1]!)) {
        out.push({ name: m[1]!, line: i + 1 });
        break;
      }
    }
  });
  return out;
}

/** The findings whose category or rule id matches `re`. */
export const byCategory = (findings: readonly Finding[], re: RegExp): Finding[] => findings.filter((f) => re.test(f.category) || re.test(f.ruleId ?? ''));
/** The locations of `fs` as inline code, comma-separated. */
export const where = (fs: readonly Finding[]): string => fs.map((f) => inlineCode(formatLocation(f))).join(', ');
