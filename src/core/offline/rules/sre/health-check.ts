/** `sre/missing-health-check`: HTTP services without a health, readiness or liveness endpoint. */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import { callArguments, calleeMethod, isJs, LANG } from '../../lang';
import type { FileRule, ParsedFile, ProjectIndex } from '../../rule';
import { importsOf, ModuleResolver } from '../../imports';
import { callsOf, code, compactText, eachOfType, stringValue } from '../../nodes';
import { moduleBindings, resolvedCallee } from '../../bindings';
import { isTestFile } from './util';

type Family = 'js' | 'python' | 'go';
function familyOf(lang: ParsedLanguage): Family | undefined {
  return isJs(lang) ? 'js' : lang === 'python' ? 'python' : lang === 'go' ? 'go' : undefined;
}

const HEALTH_SEGMENT = /^_?(health|healthz|healthcheck|health-check|health_check|healthy|ready|readyz|readiness|live|livez|liveness|alive|ping|status|heartbeat|hc|up|_ah)$/i;
const HEALTH_LIB = /health|terminus|actuator|lightship|healthz/i;

/** True when a route path looks like a health/readiness/liveness endpoint. */
export function isHealthPath(p: string): boolean {
  const path = p.replace(/^(GET|HEAD|POST)\s+/, '');
  return path.split(/[/.]/).some((seg) => HEALTH_SEGMENT.test(seg));
}

/** An HTTP method name (RFC 9110 §9 and `*`, aiohttp's any-method), as a route table's first column. */
const HTTP_METHOD = /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|\*)$/i;

const JS_ROUTE = /^(get|post|put|patch|delete|del|all|use|route|head|options|any|on)$/;
const GO_ROUTE = /^(HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|HEAD|Any|Get|Post|Put|Patch|Delete|Head|Group|Route|Method|Methods|Path|PathPrefix)$/;

/** Route paths registered in a file (string first arguments of route registrations and decorators). */
function routePaths(file: ParsedFile): string[] {
  const lang = file.language;
  const out: string[] = [];
  const firstString = (call: SyntaxNode) => stringValue(callArguments(call)[0], lang);
  for (const call of callsOf(file)) {
    const name = resolvedCallee(call, file);
    const method = calleeMethod(name);
    if (isJs(lang)) {
      if (JS_ROUTE.test(method) && name.includes('.')) {
        const p = firstString(call);
        if (p !== undefined && p.startsWith('/')) out.push(p);
        const obj = callArguments(call)[0];
        if (obj?.type === 'object') {
          for (const pr of obj.namedChildren) {
            const k = pr?.childForFieldName('key')?.text;
            const v = stringValue(pr?.childForFieldName('value'), lang);
            if (pr?.type === 'pair' && (k === 'url' || k === 'path') && v?.startsWith('/')) out.push(v);
          }
        }
      }
    } else if (lang === 'python') {
      if (/^(route|get|post|put|patch|delete|api_route|websocket|add_url_rule|add_route|add_get|add_post|path|re_path|url)$/.test(method)) {
        const args = callArguments(call);
        let p = firstString(call) ?? stringValue(args[1], lang);
        // aiohttp `router.add_route('GET', '/x', view)`: the first string is the HTTP method, the path follows.
        if (p !== undefined && HTTP_METHOD.test(p)) p = stringValue(args[1], lang);
        // Django's `path('users/', …)` has no leading slash; Flask, FastAPI, Starlette and aiohttp paths always
        // start with one, so a `.get('APP_PORT')` of a mapping (`os.environ`, `request.args`) is no route.
        if (p !== undefined && (p.startsWith('/') || method === 'path' || method === 're_path' || method === 'url')) out.push(p.startsWith('/') ? p : `/${p}`);
      }
    } else if (lang === 'go') {
      if (GO_ROUTE.test(method)) {
        const p = firstString(call);
        if (p !== undefined && /^((GET|POST|PUT|PATCH|DELETE|HEAD)\s+)?\//.test(p)) out.push(p);
      }
    }
  }
  if (isJs(lang)) {
    // Plain `http.createServer` routing: `req.url === '/x'`, `case '/x':` on a url/path switch.
    eachOfType(file.root, ['binary_expression', 'switch_case'], (n) => {
      if (n.type === 'binary_expression') {
        const [l, r] = [n.childForFieldName('left'), n.childForFieldName('right')];
        for (const [a, b] of [[l, r], [r, l]] as const) {
          const v = stringValue(b, lang);
          if (v?.startsWith('/') && /url|path/i.test(a?.text ?? '')) out.push(v);
        }
      } else {
        const v = stringValue(n.childForFieldName('value'), lang);
        if (v?.startsWith('/')) out.push(v);
      }
    });
  }
  return out;
}

/** What one reviewed file contributes: the route paths it registers and whether it shows a health endpoint or library. */
interface FileHealth {
  routes: string[];
  health: boolean;
}
const fileCache = new WeakMap<ParsedFile, FileHealth>();

function fileHealth(pf: ParsedFile): FileHealth {
  const hit = fileCache.get(pf);
  if (hit) return hit;
  const routes = routePaths(pf);
  let health = routes.some(isHealthPath) || [...moduleBindings(pf).values()].some((m) => HEALTH_LIB.test(m));
  if (!health) {
    eachOfType(pf.root, LANG[pf.language].string, (s) => {
      const v = stringValue(s, pf.language);
      if (v !== undefined && v.length < 40 && /^\/?[\w/-]*$/.test(v) && v.includes('/') && isHealthPath(v)) health = true;
    });
    if (pf.language === 'python' && pf.root.descendantsOfType('import_statement').some((i) => i && HEALTH_LIB.test(i.text))) health = true;
  }
  const out = { routes, health };
  fileCache.set(pf, out);
  return out;
}

/** The module graph of a review: module key → reviewed files, and module key → module keys it loads. */
interface ModuleGraph {
  resolver: ModuleResolver;
  files: Map<string, ParsedFile[]>;
  loads: Map<string, string[]>;
}
const graphCache = new WeakMap<ProjectIndex, ModuleGraph>();

function moduleGraph(project: ProjectIndex): ModuleGraph {
  const hit = graphCache.get(project);
  if (hit) return hit;
  const resolver = new ModuleResolver(project.files, project.parsed);
  const files = new Map<string, ParsedFile[]>();
  const loads = new Map<string, string[]>();
  for (const pf of project.parsed) {
    const key = resolver.keyOf(pf.file);
    files.set(key, [...(files.get(key) ?? []), pf]);
    // Every import that loads code counts, deferred ones too (`app.use(require('./routes'))` inside a setup function).
    const targets = importsOf(pf).filter((r) => !r.typeOnly).flatMap((r) => resolver.resolve(pf.file, r));
    loads.set(key, [...(loads.get(key) ?? []), ...targets]);
  }
  const graph = { resolver, files, loads };
  graphCache.set(project, graph);
  return graph;
}

/**
 * The reviewed files whose routes belong to the server started in `file`: that file (for Go, its package)
 * and every reviewed module it loads, transitively, in the same language family. Routes of other servers,
 * examples or labs of the same repository are not this server's.
 */
function serverScope(file: ParsedFile, project: ProjectIndex, fam: Family): ParsedFile[] {
  const graph = moduleGraph(project);
  const start = graph.resolver.keyOf(file.file);
  const seen = new Set([start]);
  const queue = [start];
  const out: ParsedFile[] = [];
  while (queue.length) {
    const key = queue.pop()!;
    out.push(...(graph.files.get(key) ?? []).filter((pf) => familyOf(pf.language) === fam));
    for (const next of graph.loads.get(key) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return out;
}

/** The call that starts (or creates) the HTTP server in this file, with the framework's name. */
function serverAnchor(file: ParsedFile): { node: SyntaxNode; framework: string } | undefined {
  const lang = file.language;
  const calls = callsOf(file);
  if (isJs(lang)) {
    const apps = new Set<string>();
    let framework = '';
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      const fw = /^(express|fastify|koa|hono|restify|@hapi\/hapi|http|https)(\.default)?(\.(createServer|server|Server))?$/.exec(name.replace(/^new /, ''));
      if (!fw) continue;
      if ((fw[1] === 'http' || fw[1] === 'https') && fw[4] !== 'createServer') continue;
      if (fw[1] === 'restify' && fw[4] !== 'createServer') continue;
      framework = fw[1] === 'http' || fw[1] === 'https' ? `${fw[1]}.createServer` : fw[1]!;
      const decl = c.parent?.type === 'variable_declarator' ? c.parent.childForFieldName('name') : c.parent?.type === 'assignment_expression' ? c.parent.childForFieldName('left') : null;
      if (decl) apps.add(compactText(decl.text));
      const chained = c.parent?.type === 'member_expression' && /^(listen|start)$/.test(c.parent.childForFieldName('property')?.text ?? '') ? c.parent.parent : null;
      if (chained) return { node: chained, framework };
    }
    if (!framework) return undefined;
    for (const c of calls) {
      const fn = c.childForFieldName('function');
      if (fn?.type !== 'member_expression') continue;
      const m = fn.childForFieldName('property')?.text ?? '';
      if (/^(listen|start)$/.test(m) && apps.has(compactText(fn.childForFieldName('object')?.text ?? ''))) return { node: c, framework };
    }
    return undefined;
  }
  if (lang === 'python') {
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      const fw = /(^|\.)(Flask|FastAPI|Quart|Sanic|Starlette)$/.exec(name) ?? /^aiohttp\.web\.Application$|^web\.Application$/.exec(name);
      if (fw) return { node: c, framework: fw[2] ?? 'aiohttp' };
    }
    return undefined;
  }
  if (lang === 'go') {
    const routers = new Set<string>();
    for (const c of calls) {
      const name = resolvedCallee(c, file);
      if (/(^|\/)(gin\.(Default|New)|echo\.New|fiber\.New|chi\.NewRouter|mux\.NewRouter)$/.test(name)) {
        const decl = c.parent?.parent;
        const left = decl && /short_var_declaration|assignment_statement/.test(decl.type) ? decl.childForFieldName('left')?.text : undefined;
        if (left) routers.add(left);
      }
    }
    for (const c of calls) {
      const name = resolvedCallee(c, file).replace(/^net\/http\./, 'http.');
      const method = calleeMethod(name);
      if (/^http\.(ListenAndServe|ListenAndServeTLS)$/.test(name) || /\.(ListenAndServe|ListenAndServeTLS)$/.test(name)) return { node: c, framework: 'net/http' };
      const recv = name.slice(0, name.lastIndexOf('.'));
      if (/^(Run|RunTLS|Start|StartTLS|Listen)$/.test(method) && routers.has(recv)) return { node: c, framework: recv };
    }
  }
  return undefined;
}

export const missingHealthCheck: FileRule = {
  kind: 'file',
  id: 'sre/missing-health-check',
  personas: ['sre', 'devops'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go'],
  severity: 'medium',
  category: 'missing-health-check',
  title: 'HTTP service without a health-check endpoint',
  description:
    'Flags a file that starts an HTTP service (Express/Fastify/Koa `listen`, `http.createServer`, Flask/FastAPI apps, Go `ListenAndServe`/gin/echo) when the routes of that server (registered in its file or in the reviewed modules it loads) are two or more and none looks like a health, readiness or liveness endpoint (`/health`, `/healthz`, `/ready`, `/live`, `/ping`, `/status`). Without one, load balancers and orchestrators cannot tell a hung instance from a healthy one, so traffic keeps going to it and it is never restarted. Add a cheap liveness route and a readiness route that checks critical dependencies.',
  references: [],
  confidence: 0.6,
  check(file, project) {
    if (isTestFile(file, project)) return [];
    const fam = familyOf(file.language);
    if (!fam) return [];
    const anchor = serverAnchor(file);
    if (!anchor) return [];
    const scope = serverScope(file, project, fam).map(fileHealth);
    if (scope.some((f) => f.health)) return [];
    const routes = scope.flatMap((f) => f.routes);
    // Too few routes seen: the routing is probably elsewhere, so absence proves nothing.
    if (routes.length < 2) return [];
    const fix =
      fam === 'python'
        ? 'Add `@app.get("/healthz")` returning 200 when the process is alive, and `/readyz` that checks the database and other critical dependencies (returning 503 when they fail); point the load balancer and orchestrator probes at them.'
        : fam === 'go'
          ? 'Register `/healthz` (liveness: return 200) and `/readyz` (readiness: check the database and other critical dependencies, return 503 on failure), and point the load balancer and orchestrator probes at them.'
          : 'Add `GET /healthz` (liveness: respond 200) and `GET /readyz` (readiness: check the database and other critical dependencies, respond 503 on failure), and point the load balancer and orchestrator probes at them.';
    return [
      {
        node: anchor.node,
        message: `This ${anchor.framework} server registers ${routes.length} route${routes.length === 1 ? '' : 's'} (e.g. ${code([...new Set(routes)].slice(0, 3).join(', '))}) but none is a health, readiness or liveness endpoint. Load balancers and orchestrators then cannot detect a hung or not-yet-ready instance, so it keeps receiving traffic and is never restarted. ${fix}`,
        suggestion: { description: fix },
      },
    ];
  },
};
