/**
 * `persona-review mcp`: the personas as a Model Context Protocol server over stdio
 * (`@modelcontextprotocol/sdk`), so Claude Code, Cursor, VS Code's own MCP support or any MCP client can
 * call them. A thin adapter over src/core, as the CLI is.
 *
 * Tools (MCP specification 2025-06-18, "Server features / Tools"):
 * - `review`: files, folders or git changes reviewed by one or more personas; the findings as
 *   `structuredContent` (the JSON report of `src/core/render/json.ts`) and the report as text (md, json or sarif).
 * - `invoke_<persona>`: the same for one persona, one tool per reviewing persona (seed 000's "MCP tools such
 *   as invoke_architect"); `<persona>` is the id with `-` written `_`.
 * - `list_personas`, `explain_finding` (a finding of an earlier review in this session, by id or fingerprint),
 *   `run_workflow` (a phase-gated workflow, its run log as the result).
 * Prompts: every persona, with its system prompt and the code given as the `code` argument, delimited and
 * redacted as in a review, so a client's own model can adopt the persona.
 *
 * Reviews run on the offline provider unless the server was started with `ANTHROPIC_API_KEY` set; files
 * are read only inside the client's roots ({@link RootGuard}); stdout carries only the protocol, logs go to stderr.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { RootsListChangedNotificationSchema, type CallToolResult, type GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { assembleContext, buildContext, DATA_PREAMBLE } from '../core/context';
import { reviewContext } from '../core/engine';
import { InputError } from '../core/files';
import { OfflineProvider } from '../core/offline/provider';
import type { OfflineDepth } from '../core/offline/rule';
import { ruleDescriptors } from '../core/offline/descriptors';
import { resolvePersonaIds, type LoadedPersona } from '../core/personas';
import { loadWorkspacePersonas } from '../core/workspacePersonas';
import { attachProjectContext } from '../core/projectContext';
import { AnthropicProvider, anthropicKeyFromEnv } from '../core/providers/anthropic';
import { buildTeamContextBlock } from '../core/providers/prompt';
import { describeReference, referenceUrl } from '../core/references';
import { renderReport, toJsonReport, type ReportFormat } from '../core/render';
import { formatLocation } from '../core/render/markdown';
import type { Finding, ReviewEvent, ReviewProvider, ReviewResult, ReviewTarget } from '../core/types';
import { builtinWorkflowDir, loadWorkflows } from '../core/workflows';
import { WorkflowExecutor, renderRunMarkdown, type RunTarget } from '../core/workflowRun';
import { OutsideRootsError, RootGuard } from './roots';

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  /** The folder the server was started in: the only root while the client gives none. */
  cwd: string;
  /** Environment: `ANTHROPIC_API_KEY` (enables the anthropic provider), `ANTHROPIC_BASE_URL`. */
  env: NodeJS.ProcessEnv;
  /** Package version, reported to clients and in reports. */
  version: string;
  /** Claude model id for the anthropic provider (default: the provider's). */
  model?: string;
  /** Extra persona folder (default: `.personas/` of the first root). */
  personasDir?: string;
  /** False: send neither project guidance files nor team memory with reviews. Default true. */
  projectContext?: boolean;
  /** Where log lines go (default stderr; never stdout, which carries the protocol). */
  log?: (line: string) => void;
}

/** Longest report text returned inline (characters); a longer one is cut with a note (the structured findings stay whole). */
const MAX_TEXT = 200_000;

/** What a review tool receives (both `review` and `invoke_<persona>`). */
const targetShape = {
  paths: z.array(z.string()).optional().describe('Files or folders to review, relative to the root or absolute inside it. Folders respect .gitignore.'),
  diff: z
    .object({
      base: z.string().optional().describe('Review the branch and uncommitted work against the merge-base with this ref (e.g. "main").'),
      staged: z.boolean().optional().describe('Review only staged changes.'),
    })
    .optional()
    .describe('Review git changes instead of whole files: findings only on changed lines. {} = working tree vs HEAD.'),
  code: z.string().optional().describe('Code to review given inline instead of paths (e.g. a snippet the user pasted).'),
  filename: z.string().optional().describe('With `code`: a file name for it, which sets the language (default snippet.txt).'),
  lines: z.string().regex(/^\d+-\d+$/).optional().describe('With one file in `paths`: review only lines a-b (1-based, inclusive).'),
  root: z.string().optional().describe('Which root to work in when the client gave several (default the first).'),
  provider: z.enum(['offline', 'anthropic']).optional().describe('offline (rules over syntax trees, nothing leaves the machine) or anthropic (Claude; only when the server was started with ANTHROPIC_API_KEY). Default: anthropic when a key is set, else offline.'),
  offlineDepth: z
    .enum(['precise', 'thorough'])
    .optional()
    .describe('With provider offline: precise (default; what holds up on well-reviewed code) or thorough (also size, complexity and coupling measures, which a maintainer may close).'),
  format: z.enum(['md', 'json', 'sarif']).optional().describe('Format of the text report returned beside the structured findings (default md).'),
};

/** The structured result of a review tool: the JSON report (src/core/render/json.ts, schemaVersion 1). */
const reviewOutputShape = {
  schemaVersion: z.number(),
  provider: z.string(),
  personas: z.array(z.object({ id: z.string(), name: z.string() })),
  /** False when a persona's review did not finish (src/core/completeness.ts); `missing` says which and why. */
  complete: z.boolean(),
  missing: z.array(z.object({ personaId: z.string(), reason: z.enum(['cancelled', 'stream-cut', 'failed', 'output-limit']), message: z.string(), partial: z.boolean() })),
  summary: z.object({
    bySeverity: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
    total: z.number(),
    dropped: z.number(),
    filesReviewed: z.number(),
    durationMs: z.number(),
    suppressed: z.number().describe('Findings silenced by inline persona-review-ignore comments or .persona-review/suppressions.yaml (not in findings).'),
    baseline: z.object({ new: z.number(), unchanged: z.number(), absent: z.number(), notRechecked: z.number() }).nullable(),
  }),
  findings: z.array(
    z
      .object({
        id: z.string(),
        personaIds: z.array(z.string()),
        file: z.string(),
        range: z.object({ startLine: z.number(), endLine: z.number(), startColumn: z.number().optional(), endColumn: z.number().optional() }),
        quote: z.string(),
        severity: z.enum(['critical', 'high', 'medium', 'low']),
        category: z.string(),
        title: z.string(),
        message: z.string(),
        references: z.array(z.string()),
        confidence: z.number(),
        fingerprint: z.string(),
      })
      .loose(),
  ),
  notices: z.array(z.string()),
  errors: z.array(z.object({ personaId: z.string(), partial: z.boolean(), error: z.object({ kind: z.string(), message: z.string() }).loose() })),
};

type TargetArgs = {
  paths?: string[];
  diff?: { base?: string; staged?: boolean };
  code?: string;
  filename?: string;
  lines?: string;
  root?: string;
  provider?: 'offline' | 'anthropic';
  offlineDepth?: OfflineDepth;
  format?: 'md' | 'json' | 'sarif';
};

/** A tool failure the user can act on: returned as an `isError` result with this message. */
class ToolInputError extends Error {}

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

function text(t: string): CallToolResult['content'][number] {
  return { type: 'text', text: t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT)}\n\n[… report cut at ${MAX_TEXT} characters; the structured result holds every finding]` : t };
}

/** Tool name of a persona: `invoke_` + id with `-` as `_` (tool names allow letters, digits, `_`, `-`, `.`). */
export function invokeToolName(personaId: string): string {
  return `invoke_${personaId.replace(/-/g, '_')}`;
}

/**
 * Builds the server with every tool and prompt registered (not yet connected). The persona list is loaded
 * once at start from the built-ins and the first root's `.personas/` (fallback folder while the client has
 * given no roots yet). Never throws for bad persona files: they are logged and skipped.
 */
export async function createMcpServer(opts: McpServerOptions): Promise<{ server: McpServer; guard: RootGuard }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`persona-review mcp: ${line}\n`));
  const guard = new RootGuard(opts.cwd);
  const apiKey = anthropicKeyFromEnv(opts.env);
  const server = new McpServer(
    { name: 'persona-review', title: 'Persona Review', version: opts.version },
    {
      capabilities: { logging: {} },
      instructions:
        'Persona Review: code review by reviewer personas (Security Engineer, SRE, Architect, QA, ...). Use `review` or an ' +
        '`invoke_<persona>` tool on files, folders or git changes inside the workspace; findings come back structured, with ' +
        'file, 1-based lines, severity, the quoted code and a suggested fix. `list_personas` lists them; each persona is also a prompt.',
    },
  );

  // Built-in, `.personas/` and the personas other tools keep in the folder (listed as from this repository).
  const loaded = await loadWorkspacePersonas(opts.cwd, opts.personasDir ? { personasDir: opts.personasDir } : {});
  for (const e of loaded.errors) log(`skipped persona file: ${e.message}`);
  const personas: LoadedPersona[] = loaded.personas;
  const originOf = (id: string) => loaded.origin.get(id) ?? 'workspace';
  const reviewing = personas.filter((p) => p.reviews);

  // Set once the client's roots are known (after `initialized`); every tool waits for it before reading paths.
  let rootsReady: Promise<void> = Promise.resolve();

  // Findings of this session's reviews, for explain_finding: by id of the latest review and by fingerprint.
  let latest: { result: ReviewResult; root: string } | undefined;
  const byFingerprint = new Map<string, { finding: Finding; result: ReviewResult; root: string }>();

  const providerFor = (name: TargetArgs['provider'], depth?: OfflineDepth): ReviewProvider => {
    const chosen = name ?? (apiKey ? 'anthropic' : 'offline');
    if (chosen === 'offline') return new OfflineProvider({ depth: depth ?? 'precise' });
    if (depth) throw new ToolInputError('"offlineDepth" applies to the offline provider only: drop it, or set "provider": "offline".');
    if (!apiKey) {
      throw new ToolInputError(
        'The anthropic provider needs an API key, and this server was started without one. Set ANTHROPIC_API_KEY in the environment of the MCP server (its "env" in your client configuration) and restart it, or use provider "offline".',
      );
    }
    return new AnthropicProvider({ apiKey, baseURL: opts.env['ANTHROPIC_BASE_URL'], model: opts.model });
  };

  /** Resolves the target of a review tool inside the roots. Throws OutsideRootsError / ToolInputError. */
  const targetOf = (args: TargetArgs): { target?: ReviewTarget; inline?: { root: string; path: string; text: string } } => {
    const given = [args.paths?.length ? 'paths' : '', args.diff ? 'diff' : '', args.code !== undefined ? 'code' : ''].filter(Boolean);
    if (given.length !== 1) {
      throw new ToolInputError(`Give exactly one of "paths" (files or folders), "diff" (git changes) or "code" (inline code); got ${given.length ? given.join(' and ') : 'none'}.`);
    }
    const base = guard.pickRoot(args.root);
    if (args.code !== undefined) {
      const name = (args.filename ?? 'snippet.txt').replace(/\\/g, '/').replace(/^\/+/, '');
      if (name.split('/').includes('..')) throw new ToolInputError(`"filename" must be a plain file name such as app.ts, got "${args.filename}"`);
      return { inline: { root: base, path: name, text: args.code } };
    }
    if (args.diff) {
      const root = base;
      const mode = args.diff.staged ? 'staged' : args.diff.base ? 'base' : 'working';
      const rels = args.paths?.length ? guard.resolveAll(args.paths, root).rels : undefined;
      return { target: { kind: 'git', root, mode, ...(args.diff.base ? { base: args.diff.base } : {}), ...(rels ? { paths: rels } : {}) } };
    }
    const { root, rels } = guard.resolveAll(args.paths!, base);
    const target: ReviewTarget = { kind: 'paths', root, paths: rels };
    if (args.lines) {
      if (rels.length !== 1) throw new ToolInputError('"lines" needs exactly one file in "paths".');
      const [a, b] = args.lines.split('-').map(Number) as [number, number];
      target.range = { path: rels[0]!, startLine: a, endLine: b };
    }
    return { target };
  };

  const runReview = async (
    args: TargetArgs,
    selected: LoadedPersona[],
    extra: { signal: AbortSignal; sendNotification: (n: never) => Promise<void>; _meta?: { progressToken?: string | number } },
  ): Promise<CallToolResult> => {
    try {
      await rootsReady;
      const provider = providerFor(args.provider, args.offlineDepth);
      const { target, inline } = targetOf(args);
      const started = Date.now();
      const context = inline
        ? await assembleContext(inline.root, [{ path: inline.path, absPath: path.join(inline.root, inline.path), text: inline.text }], { unlimited: provider.local === true, signal: extra.signal })
        : await buildContext(target!, { unlimited: provider.local === true, signal: extra.signal });
      const root = inline?.root ?? target!.root;
      await attachProjectContext(context, target ?? { kind: 'paths', root, paths: [] }, selected, { enabled: opts.projectContext !== false });
      const token = extra._meta?.progressToken;
      let lastProgress = 0;
      const onEvent = (ev: ReviewEvent) => {
        if (token === undefined || ev.type !== 'progress' || Date.now() - lastProgress < 500) return;
        lastProgress = Date.now();
        void extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: ev.filesDone, total: ev.filesTotal, message: `${ev.filesDone}/${ev.filesTotal} file reviews, ${ev.findings} finding(s)` },
          } as never)
          .catch(() => undefined);
      };
      const result = await reviewContext(context, { provider, personas: selected, providerOptions: opts.model ? { model: opts.model } : {}, signal: extra.signal, onEvent }, started);
      latest = { result, root };
      for (const f of result.findings) byFingerprint.set(f.fingerprint, { finding: f, result, root });
      const format: ReportFormat = args.format ?? 'md';
      const renderOpts = { toolVersion: opts.version, rules: ruleDescriptors(), root };
      const report = renderReport(result, format, renderOpts);
      const json = toJsonReport(result, renderOpts);
      const { tool: _tool, model: _model, dropped: _dropped, usage: _usage, reviews: _reviews, team: _team, suppressed: _suppressed, baseline: _baseline, ...structured } = json;
      return {
        content: [text(report)],
        structuredContent: structured as unknown as Record<string, unknown>,
        ...(result.errors.length > 0 && result.findings.length === 0 && result.errors.every((e) => !e.partial) ? { isError: true } : {}),
      };
    } catch (e) {
      if (e instanceof OutsideRootsError || e instanceof ToolInputError || e instanceof InputError) return errorResult(e.message);
      if (extra.signal.aborted) return errorResult('The review was cancelled.');
      throw e;
    }
  };

  const personaIdsSchema = z
    .array(z.string())
    .optional()
    .describe(`Persona ids (default: security, sre, architect, engineer, qa). Known: ${reviewing.map((p) => p.id).join(', ')}.`);

  server.registerTool(
    'review',
    {
      title: 'Review code as personas',
      description:
        'Review files, folders, git changes or inline code with one or more reviewer personas. Returns the findings (file, 1-based lines, severity, the quoted code, message, suggested fix, CWE/OWASP references) as structured content and the report as text.',
      inputSchema: { ...targetShape, personas: personaIdsSchema },
      outputSchema: reviewOutputShape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      const requested = args.personas?.length ? args.personas : ['security', 'sre', 'architect', 'engineer', 'qa'];
      const wantAll = requested.includes('all');
      const { selected, unknown } = wantAll ? { selected: reviewing, unknown: [] } : resolvePersonaIds(requested, reviewing);
      if (unknown.length) return errorResult(`Unknown persona(s): ${unknown.join(', ')}. Known: ${reviewing.map((p) => p.id).join(', ')}.`);
      return runReview(args, selected, extra as never);
    },
  );

  // One tool per reviewing persona of the catalog and .personas/; personas discovered from other tools are
  // reached through `review` (a repository with dozens of agents should not flood the client's tool list).
  for (const persona of reviewing.filter((p) => originOf(p.id) !== 'repository')) {
    server.registerTool(
      invokeToolName(persona.id),
      {
        title: `Review as ${persona.shortName}`,
        description: `${persona.name}: ${persona.description} Reviews files, folders, git changes or inline code and returns findings as structured content and a report.`,
        inputSchema: targetShape,
        outputSchema: reviewOutputShape,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (args, extra) => runReview(args, [persona], extra as never),
    );
  }

  server.registerTool(
    'list_personas',
    {
      title: 'List personas',
      description: 'The reviewer personas: id, name, description, category, the questions each asks, and the tool that invokes it.',
      inputSchema: {},
      outputSchema: {
        personas: z.array(
          z.object({ id: z.string(), name: z.string(), description: z.string(), category: z.string(), reviews: z.boolean(), questions: z.array(z.string()), tool: z.string().optional(), origin: z.string() }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const list = personas.map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        category: p.category,
        reviews: p.reviews,
        questions: p.questions,
        ...(p.reviews && originOf(p.id) !== 'repository' ? { tool: invokeToolName(p.id) } : {}),
        origin: originOf(p.id),
      }));
      const lines = list.map((p) => `- **${p.id}** (${p.name}, ${p.category})${p.tool ? ` · tool \`${p.tool}\`` : ''}: ${p.description}`);
      return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: { personas: list } };
    },
  );

  server.registerTool(
    'explain_finding',
    {
      title: 'Explain a finding',
      description:
        'Explains a finding of an earlier review in this session: what is wrong and why, the code around it, the suggested fix, and what its CWE/OWASP references mean. Give the finding id of the latest review (F1, F2, ...) or a fingerprint.',
      inputSchema: { finding: z.string().describe('Finding id of the latest review (e.g. F1) or a finding fingerprint.') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ finding }) => {
      const key = finding.trim();
      const hit = byFingerprint.get(key) ?? (latest ? (() => {
        const f = latest.result.findings.find((x) => x.id.toLowerCase() === key.toLowerCase());
        return f ? { finding: f, result: latest.result, root: latest.root } : undefined;
      })() : undefined);
      if (!hit) {
        return errorResult(
          latest
            ? `No finding "${key}" in this session. The latest review has ${latest.result.findings.map((f) => f.id).join(', ') || 'no findings'}; fingerprints of earlier reviews work too.`
            : `No review has run in this session yet, so there is no finding "${key}". Run \`review\` or an \`invoke_<persona>\` tool first.`,
        );
      }
      return { content: [{ type: 'text', text: explainFinding(hit.finding, hit.result, hit.root, guard) }] };
    },
  );

  server.registerTool(
    'run_workflow',
    {
      title: 'Run a phase-gated workflow',
      description:
        'Runs a workflow (pre-merge, production-readiness, security-audit, design-review, or one of .personas/workflows) phase by phase, stopping at the first failed gate. Returns the run log. Resume a stopped run with `resume` after fixing, or let a failed gate through with `overrides` (gate id → reason).',
      inputSchema: {
        workflow: z.string().describe('Workflow id, e.g. pre-merge.'),
        paths: targetShape.paths,
        diff: targetShape.diff,
        root: targetShape.root,
        provider: targetShape.provider,
        offlineDepth: targetShape.offlineDepth,
        resume: z.string().optional().describe('Run id of a stopped run to continue from its first unfinished phase.'),
        overrides: z.record(z.string(), z.string()).optional().describe('Failed gates to let through: gate id → the reason (recorded).'),
        signOffs: z.array(z.string()).optional().describe('Roles you sign off as, for requiredSignOff gates.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        await rootsReady;
        const provider = providerFor(args.provider, args.offlineDepth);
        const root = guard.pickRoot(args.root);
        const known = personas.flatMap((p) => [p.id, p.chat]);
        const { workflows, errors } = await loadWorkflows([builtinWorkflowDir(), path.join(root, '.personas', 'workflows')], { knownPersonas: known });
        for (const e of errors) log(`workflow file error: ${e.message}`);
        const workflow = workflows.find((w) => w.id === args.workflow);
        if (!workflow) return errorResult(`Unknown workflow "${args.workflow}". Known: ${workflows.map((w) => w.id).join(', ')}.`);
        let target: RunTarget;
        if (args.diff) {
          const rels = args.paths?.length ? guard.resolveAll(args.paths, root).rels : undefined;
          target = { kind: 'changes', mode: args.diff.staged ? 'staged' : args.diff.base ? 'base' : 'working', ...(args.diff.base ? { base: args.diff.base } : {}), ...(rels ? { paths: rels } : {}) };
        } else {
          if (!args.paths?.length && !args.resume) return errorResult('Give "paths" or "diff" to review (or "resume" with a run id).');
          target = { kind: 'paths', paths: args.paths?.length ? guard.resolveAll(args.paths, root).rels : [] };
        }
        const executor = new WorkflowExecutor({
          root,
          review: async (phase, phaseTarget) => {
            const { selected, unknown } = resolvePersonaIds(phase.personas, personas);
            if (unknown.length) throw new InputError(`phase "${phase.id}" names unknown persona(s): ${unknown.join(', ')}`);
            const context = await buildContext(phaseTarget, { unlimited: provider.local === true, signal: extra.signal });
            await attachProjectContext(context, phaseTarget, selected, { enabled: opts.projectContext !== false });
            return reviewContext(context, { provider, personas: selected, providerOptions: opts.model ? { model: opts.model } : {}, signal: extra.signal });
          },
        });
        const inputs = { overrides: args.overrides ?? {}, signOffs: args.signOffs ?? [] };
        const runLog = args.resume ? await executor.resume(args.resume, inputs) : await executor.start(workflow, target, inputs);
        return {
          content: [{ type: 'text', text: renderRunMarkdown(runLog) }],
          structuredContent: { runId: runLog.runId, status: runLog.status, log: runLog } as unknown as Record<string, unknown>,
          ...(runLog.status === 'failed' ? { isError: false } : {}),
        };
      } catch (e) {
        if (e instanceof OutsideRootsError || e instanceof ToolInputError || e instanceof InputError || (e as Error).name === 'RunLogError') return errorResult((e as Error).message);
        throw e;
      }
    },
  );

  for (const persona of personas) {
    server.registerPrompt(
      persona.id,
      {
        title: persona.name,
        description: `Adopt the ${persona.name}: ${persona.description}`,
        argsSchema: {
          code: z.string().describe('The code to review (it is redacted and delimited as data).'),
          filename: z.string().optional().describe('Its file name, for the language (e.g. src/db.ts).'),
          task: z.string().optional().describe('What to do with it (default: review it).'),
        },
      },
      async ({ code, filename, task }) => (await rootsReady, personaPrompt(persona, code, filename, task, guard, opts.projectContext !== false)),
    );
  }

  // Roots: ask the client when it supports them, and again whenever it says they changed.
  const refreshRoots = async () => {
    if (!server.server.getClientCapabilities()?.roots) return;
    try {
      const { roots } = await server.server.listRoots();
      const rejected = guard.setClientRoots(roots.map((r) => r.uri));
      if (rejected.length) log(`ignored roots that are not file:// URIs: ${rejected.join(', ')}`);
      log(`roots: ${guard.roots().join(', ')}`);
    } catch (e) {
      log(`could not list the client's roots (${(e as Error).message}); using ${guard.describe()}`);
    }
  };
  server.server.oninitialized = () => {
    rootsReady = refreshRoots();
  };
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    rootsReady = refreshRoots();
    await rootsReady;
  });
  return { server, guard };
}

/** The markdown explanation of one finding, with the code around it read inside the roots. */
export function explainFinding(f: Finding, result: ReviewResult, root: string, guard: RootGuard): string {
  const names = f.personaIds.map((id) => result.personas.find((p) => p.id === id)?.name ?? id);
  const out = [`## ${f.title}`, '', `**${f.severity}** · ${f.category} · ${names.join(' + ')} · ${formatLocation(f)}`, '', f.message.trim()];
  try {
    const abs = guard.resolve(f.file, root).abs;
    const lines = fs.readFileSync(abs, 'utf8').split('\n');
    const from = Math.max(1, f.range.startLine - 3);
    const to = Math.min(lines.length, f.range.endLine + 3);
    const width = String(to).length;
    const shown = lines.slice(from - 1, to).map((l, i) => {
      const n = from + i;
      return `${String(n).padStart(width)}${n >= f.range.startLine && n <= f.range.endLine ? '>' : ' '} ${l}`;
    });
    out.push('', '### The code', '', '```', ...shown, '```');
  } catch {
    out.push('', '### The code', '', '```', f.quote, '```');
  }
  if (f.suggestion) {
    out.push('', '### Suggested fix', '', f.suggestion.description);
    if (f.suggestion.replacement !== undefined) out.push('', '```', f.suggestion.replacement, '```');
  }
  const rule = f.ruleId ? ruleDescriptors().find((r) => r.id === f.ruleId) : undefined;
  if (rule) out.push('', `### Rule ${rule.id}`, '', rule.description);
  if (f.references.length) {
    out.push('', '### References', '');
    for (const r of f.references) {
      const url = referenceUrl(r);
      out.push(`- ${describeReference(r)}${url ? ` (${url})` : ''}`);
    }
  }
  out.push('', `Fingerprint: \`${f.fingerprint}\` (stable across runs and line shifts).`);
  return out.join('\n');
}

/** The prompt that lets a client's model adopt `persona` on `code` (redacted, delimited as data). */
async function personaPrompt(persona: LoadedPersona, code: string, filename: string | undefined, task: string | undefined, guard: RootGuard, projectContext: boolean): Promise<GetPromptResult> {
  const root = guard.roots()[0]!;
  const name = (filename ?? 'snippet.txt').replace(/\\/g, '/').replace(/^\/+/, '').replace(/(^|\/)\.\.(?=\/|$)/g, '$1_');
  const context = await assembleContext(root, [{ path: name, absPath: path.join(root, name), text: code }], { unlimited: true });
  await attachProjectContext(context, { kind: 'paths', root, paths: [] }, [persona], { enabled: projectContext });
  const team = buildTeamContextBlock(context);
  const parts = [
    `# You are the ${persona.name}`,
    '',
    persona.prompt.trim(),
    ...(persona.questions.length ? ['', '## Questions to ask of this code', ...persona.questions.map((q) => `- ${q}`)] : []),
    '',
    '## The code',
    '',
    DATA_PREAMBLE,
    ...(team ? ['', team] : []),
    '',
    context.chunks.map((c) => c.text).join('\n\n'),
    '',
    '## Task',
    '',
    task?.trim() || `Review the code above as the ${persona.name}, in your OUTPUT TEMPLATE. Quote the exact code of every issue you raise, with its line numbers.`,
    ...(context.notices.length ? ['', ...context.notices.map((n) => `Note: ${n}`)] : []),
  ];
  return { description: `${persona.name} on ${name}`, messages: [{ role: 'user', content: { type: 'text', text: parts.join('\n') } }] };
}

/**
 * `persona-review mcp [--model <id>] [--personas-dir <dir>] [--no-project-context]`: serves MCP over
 * stdio until the client closes the connection. Resolves with the exit code (0 on a clean close).
 */
export async function runMcpServer(opts: McpServerOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`persona-review mcp: ${line}\n`));
  const { server, guard } = await createMcpServer({ ...opts, log });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  log(`serving over stdio; provider ${anthropicKeyFromEnv(opts.env) ? 'anthropic (ANTHROPIC_API_KEY set)' : 'offline (no ANTHROPIC_API_KEY)'}; files only inside ${guard.describe()}`);
  await closed;
  await server.close().catch(() => undefined);
  return 0;
}

