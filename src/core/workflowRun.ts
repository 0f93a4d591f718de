/**
 * The Workflow Executor (seed 000, persona 1): runs a {@link Workflow} phase by phase with full fidelity.
 *
 * - A phase starts only when every gate of the previous phase passed, or each failed gate was overridden
 *   with a recorded reason. A run that stops at a failed gate can be resumed: {@link WorkflowExecutor.resume}
 *   re-runs the first unfinished phase (so a fix made in between is reviewed) and continues from there.
 * - The executor hands the review function only the current phase's definition; it never looks ahead.
 * - Every attempt of every phase records evidence: the personas run, the target, the findings
 *   (fingerprint, severity, category, personas, location, title), the gate results, overrides and
 *   sign-offs, who (OS user or a given name) and when (ISO 8601 UTC).
 * - The run log is JSON at `<root>/.persona-review/runs/<runId>.json`, written atomically (temporary
 *   file + rename) after every step, so it survives a crash or a restart; a new executor reading it
 *   continues the same run. The `.persona-review/` folder gets its own `.gitignore` (teamFiles.ts), which
 *   keeps `runs/` out of commits while the team's suppressions, baseline and ledger are committed.
 * - {@link renderRunMarkdown} exports a log as markdown.
 */
import { sumUsage } from './usage';
import { ensureTeamDir } from './teamFiles';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEVERITIES, atLeast, type Finding, type ReviewResult, type ReviewTarget, type Severity, type Usage } from './types';
import type { CountGate, Gate, Workflow, WorkflowPhase } from './workflows';

/** Version of the run log shape; bumped when a key is removed or renamed. */
export const RUN_LOG_SCHEMA_VERSION = 1 as const;

/** What a whole run reviews; each phase's `target` refines it. Paths are relative to the run's root. */
export type RunTarget =
  | { kind: 'paths'; paths: string[] }
  | { kind: 'changes'; mode: 'working' | 'staged' | 'base'; base?: string; paths?: string[] };

/** A finding as recorded in evidence: enough to audit and to compare runs, without the prose. */
export interface FindingEvidence {
  fingerprint: string;
  severity: Severity;
  category: string;
  personaIds: string[];
  file: string;
  /** 1-based start line. */
  line: number;
  title: string;
}

/** The outcome of one gate in one attempt. */
export interface GateResult {
  gateId: string;
  description: string;
  passed: boolean;
  /** For count gates: matching findings, and the most allowed. */
  actual?: number;
  limit?: number;
  /** Why it passed or failed, in a sentence. */
  detail: string;
  /** Fingerprints of the findings that made a count gate fail. */
  fingerprints?: string[];
}

/** A failed gate let through by a person, with their reason. */
export interface GateOverride {
  gateId: string;
  reason: string;
  by: string;
  /** ISO 8601. */
  at: string;
}

/** A sign-off recorded for a role (`requiredSignOff` gates). */
export interface SignOff {
  role: string;
  by: string;
  at: string;
}

/** One attempt at a phase (a resumed run re-runs the phase it stopped at, as a new attempt). */
export interface PhaseAttempt {
  startedAt: string;
  endedAt?: string;
  /** Who ran it: the OS user or the name given (`--as`). */
  by: string;
  personas: string[];
  /** The target as reviewed, described for people ("git changes vs main", "paths: src"). */
  target: string;
  filesReviewed: number;
  findings: FindingEvidence[];
  countsBySeverity: Record<Severity, number>;
  gates: GateResult[];
  overrides: GateOverride[];
  /** Provider errors and notices of the review, as text. */
  errors: string[];
  usage: Required<Usage>;
  provider: string;
  model?: string;
  durationMs?: number;
}

/** Where a phase stands. `overridden`: some gate failed and was overridden; the run went on. */
export type PhaseStatus = 'pending' | 'running' | 'passed' | 'overridden' | 'failed' | 'error';

/** A phase in the run log: its definition (snapshot) and its attempts. */
export interface PhaseRecord {
  id: string;
  name: string;
  status: PhaseStatus;
  attempts: PhaseAttempt[];
}

/** `passed`: every gate passed; `passed-with-overrides`; `failed`: stopped at a failed gate (resumable); `running`. */
export type RunStatus = 'running' | 'passed' | 'passed-with-overrides' | 'failed';

/** The run log document (JSON on disk). Times are ISO 8601 UTC. */
export interface RunLog {
  schemaVersion: typeof RUN_LOG_SCHEMA_VERSION;
  runId: string;
  /** Snapshot of the workflow as it was when the run started; resume uses this, not the file. */
  workflow: Omit<Workflow, 'builtin'> & { builtin?: boolean };
  root: string;
  target: RunTarget;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  startedBy: string;
  signOffs: SignOff[];
  phases: PhaseRecord[];
  /** Notices about how the run was set up (workspace files taken from a change's base); absent when none. */
  notices?: string[];
}

/** Progress events of a run, for a UI. */
export type WorkflowEvent =
  | { type: 'phase-start'; runId: string; phaseId: string; attempt: number }
  | { type: 'phase-end'; runId: string; phaseId: string; status: PhaseStatus; gates: GateResult[] }
  | { type: 'run-end'; runId: string; status: RunStatus };

/** Reviews one phase: the executor passes only the phase being run and its resolved target. */
export type PhaseReviewer = (phase: WorkflowPhase, target: ReviewTarget) => Promise<ReviewResult>;

/** Options of {@link WorkflowExecutor}. */
export interface WorkflowExecutorOptions {
  /** Workspace root: targets are relative to it; run logs go under it. */
  root: string;
  /** Runs one phase's review (normally core `review()` with the phase's personas). */
  review: PhaseReviewer;
  /** Folder of run logs; default `<root>/.persona-review/runs`. */
  runsDir?: string;
  /** Who runs it; default {@link currentUser}. */
  who?: string;
  /** Clock, for tests; default `() => new Date()`. */
  now?: () => Date;
  onEvent?: (e: WorkflowEvent) => void;
}

/** Per invocation (start or resume): overrides (gate id → reason) and sign-offs (roles) given now. */
export interface RunInputs {
  overrides?: Record<string, string>;
  signOffs?: string[];
  /**
   * Start only: notices about how the run was set up, recorded in the log (for example workspace persona
   * or workflow files that a change review took from the change's base, src/core/trust.ts).
   */
  notices?: string[];
}

/** Thrown for a bad run id or an unreadable log; the message says what to do. */
export class RunLogError extends Error {}

/** Id of a gate added to every phase: it fails when a persona's review did not complete. */
export const REVIEWS_COMPLETE_GATE = 'reviews-complete';

/** The OS user name (`os.userInfo().username`), or `$USER`/`$USERNAME`, or `unknown`. */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return os.userInfo().username || env.USER || env.USERNAME || 'unknown';
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** Default folder of run logs for a workspace root. */
export function defaultRunsDir(root: string): string {
  return path.join(root, '.persona-review', 'runs');
}


function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

/**
 * Evaluates a count gate on findings: a finding matches when it is at or above `severity`, was reported
 * by one of `personas` and is in one of `categories` (each filter only when given).
 */
export function evaluateCountGate(gate: CountGate, findings: readonly Pick<Finding, 'severity' | 'personaIds' | 'category' | 'fingerprint'>[]): GateResult {
  const matching = findings.filter(
    (f) =>
      (!gate.severity || atLeast(f.severity, gate.severity)) &&
      (!gate.personas || f.personaIds.some((p) => gate.personas!.includes(p))) &&
      (!gate.categories || gate.categories.includes(f.category)),
  );
  const passed = matching.length <= gate.maxFindings;
  return {
    gateId: gate.id,
    description: gate.description,
    passed,
    actual: matching.length,
    limit: gate.maxFindings,
    detail: `${matching.length} matching finding${matching.length === 1 ? '' : 's'}, at most ${gate.maxFindings} allowed`,
    ...(passed ? {} : { fingerprints: matching.map((f) => f.fingerprint) }),
  };
}

function evaluateGate(gate: Gate, findings: Finding[], signOffs: SignOff[]): GateResult {
  if (gate.kind === 'count') return evaluateCountGate(gate, findings);
  const s = signOffs.find((x) => x.role.toLowerCase() === gate.role.toLowerCase());
  return {
    gateId: gate.id,
    description: gate.description,
    passed: Boolean(s),
    detail: s ? `signed off as ${s.role} by ${s.by} at ${s.at}` : `no sign-off as ${gate.role} yet; give one with --sign-off ${gate.role}`,
  };
}

function describeTarget(t: ReviewTarget): string {
  if (t.kind === 'paths') return `paths: ${t.paths.join(', ')}`;
  const scope = t.paths?.length ? ` in ${t.paths.join(', ')}` : '';
  if (t.mode === 'staged') return `staged changes${scope}`;
  if (t.mode === 'base') return `changes vs the merge-base with ${t.base ?? '?'}${scope}`;
  return `uncommitted changes${scope}`;
}

/** The review target of `phase` within a run on `root` with `target` (see {@link WorkflowPhase.target}). */
export function phaseTarget(phase: WorkflowPhase, root: string, target: RunTarget): ReviewTarget {
  if (phase.target === 'paths') return { kind: 'paths', root, paths: phase.paths ?? [] };
  if (phase.target === 'changes') {
    const base = phase.base ?? (target.kind === 'changes' ? target.base : undefined);
    const mode = phase.base ? 'base' : target.kind === 'changes' ? target.mode : 'working';
    const paths = target.paths;
    return { kind: 'git', root, mode, ...(base ? { base } : {}), ...(paths?.length ? { paths } : {}) };
  }
  if (target.kind === 'paths') return { kind: 'paths', root, paths: target.paths };
  return { kind: 'git', root, mode: target.mode, ...(target.base ? { base: target.base } : {}), ...(target.paths?.length ? { paths: target.paths } : {}) };
}

/**
 * Runs workflows and keeps their logs. One instance per process is enough; nothing is held in memory
 * between calls beyond the options, so a fresh instance can resume any run from its log.
 */
export class WorkflowExecutor {
  private readonly runsDir: string;
  private readonly who: string;
  private readonly now: () => Date;

  constructor(private readonly opts: WorkflowExecutorOptions) {
    this.runsDir = opts.runsDir ?? defaultRunsDir(opts.root);
    this.who = opts.who ?? currentUser();
    this.now = opts.now ?? (() => new Date());
  }

  /** Absolute path of a run's log. Throws {@link RunLogError} for an id that is not a run id. */
  logPath(runId: string): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(runId)) throw new RunLogError(`"${runId}" is not a run id (expected something like pre-merge-20260101T120000Z-ab12)`);
    return path.join(this.runsDir, `${runId}.json`);
  }

  /** Reads a run log. Throws {@link RunLogError} naming the file when it is missing or not a run log. */
  readLog(runId: string): RunLog {
    const file = this.logPath(runId);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new RunLogError(`no run log ${file}: check the run id (runs are listed in ${this.runsDir})`);
    }
    let log: RunLog;
    try {
      log = JSON.parse(text) as RunLog;
    } catch (e) {
      throw new RunLogError(`${file} is not valid JSON (${(e as Error).message}); it may have been edited by hand`);
    }
    if (log.schemaVersion !== RUN_LOG_SCHEMA_VERSION || !Array.isArray(log.phases) || !log.workflow) {
      throw new RunLogError(`${file} is not a run log of schema version ${RUN_LOG_SCHEMA_VERSION}`);
    }
    return log;
  }

  /** Run ids in the runs folder, newest first (by file modification time). */
  listRuns(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.runsDir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .map((n) => ({ id: n.slice(0, -5), t: fs.statSync(path.join(this.runsDir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .map((x) => x.id);
  }

  private save(log: RunLog): void {
    log.updatedAt = this.now().toISOString();
    const dir = this.runsDir;
    const created = !fs.existsSync(dir);
    fs.mkdirSync(dir, { recursive: true });
    if (created && path.resolve(dir) === path.resolve(defaultRunsDir(this.opts.root))) ensureTeamDir(this.opts.root);
    const file = this.logPath(log.runId);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(log, null, 2)}\n`);
    fs.renameSync(tmp, file);
  }

  /**
   * Starts a new run of `workflow` on `target` and runs it until a gate fails or every phase is done.
   * Returns the log (also on disk). Errors thrown by the review function (a bad target, for example) are
   * recorded in the phase (status `error`, run `failed`) and then rethrown.
   */
  async start(workflow: Workflow, target: RunTarget, inputs: RunInputs = {}): Promise<RunLog> {
    const now = this.now();
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').toLowerCase();
    const runId = `${workflow.id}-${stamp}-${randomBytes(2).toString('hex')}`;
    const log: RunLog = {
      schemaVersion: RUN_LOG_SCHEMA_VERSION,
      runId,
      workflow: { id: workflow.id, name: workflow.name, description: workflow.description, phases: workflow.phases, source: workflow.source, builtin: workflow.builtin },
      root: this.opts.root,
      target,
      status: 'running',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      startedBy: this.who,
      signOffs: [],
      phases: workflow.phases.map((p) => ({ id: p.id, name: p.name, status: 'pending', attempts: [] })),
      ...(inputs.notices?.length ? { notices: [...inputs.notices] } : {}),
    };
    this.save(log);
    return this.continue(log, inputs);
  }

  /**
   * Resumes a run from its log: records the sign-offs given now, then re-runs the first phase that did not
   * pass (`failed`, `error`, or `running` when the process died mid-phase) and continues. A run that already
   * passed is returned unchanged. Throws {@link RunLogError} when the log cannot be read.
   */
  async resume(runId: string, inputs: RunInputs = {}): Promise<RunLog> {
    const log = this.readLog(runId);
    if (log.status === 'passed' || log.status === 'passed-with-overrides') return log;
    return this.continue(log, inputs);
  }

  private async continue(log: RunLog, inputs: RunInputs): Promise<RunLog> {
    const at = () => this.now().toISOString();
    for (const role of inputs.signOffs ?? []) {
      if (!log.signOffs.some((s) => s.role.toLowerCase() === role.toLowerCase())) log.signOffs.push({ role, by: this.who, at: at() });
    }
    log.status = 'running';
    this.save(log);
    const overrides = inputs.overrides ?? {};
    for (let i = 0; i < log.phases.length; i++) {
      const record = log.phases[i]!;
      if (record.status === 'passed' || record.status === 'overridden') continue;
      // Only this phase's definition is handed to the review.
      const phase = log.workflow.phases[i]!;
      const target = phaseTarget(phase, log.root, log.target);
      const attempt: PhaseAttempt = {
        startedAt: at(),
        by: this.who,
        personas: [...phase.personas],
        target: describeTarget(target),
        filesReviewed: 0,
        findings: [],
        countsBySeverity: emptyCounts(),
        gates: [],
        overrides: [],
        errors: [],
        usage: sumUsage([]),
        provider: '',
      };
      record.attempts.push(attempt);
      record.status = 'running';
      this.save(log);
      this.opts.onEvent?.({ type: 'phase-start', runId: log.runId, phaseId: record.id, attempt: record.attempts.length });

      let result: ReviewResult;
      try {
        result = await this.opts.review(phase, target);
      } catch (e) {
        attempt.errors.push((e as Error).message);
        attempt.endedAt = at();
        record.status = 'error';
        log.status = 'failed';
        this.save(log);
        this.opts.onEvent?.({ type: 'phase-end', runId: log.runId, phaseId: record.id, status: 'error', gates: [] });
        this.opts.onEvent?.({ type: 'run-end', runId: log.runId, status: log.status });
        throw e;
      }
      attempt.endedAt = at();
      attempt.durationMs = result.durationMs;
      attempt.personas = result.personas.map((p) => p.id);
      attempt.filesReviewed = result.filesReviewed;
      attempt.provider = result.provider;
      if (result.model) attempt.model = result.model;
      attempt.usage = sumUsage(Object.values(result.usage));
      attempt.findings = result.findings.map((f) => ({
        fingerprint: f.fingerprint,
        severity: f.severity,
        category: f.category,
        personaIds: [...f.personaIds],
        file: f.file,
        line: f.range.startLine,
        title: f.title,
      }));
      for (const f of result.findings) attempt.countsBySeverity[f.severity]++;
      attempt.errors = result.errors.map((e) => `${e.personaId}: ${e.error.message}${e.partial ? ' (partial)' : ''}`);

      const incomplete = result.errors.map((e) => e.personaId);
      const gates: GateResult[] = [
        {
          gateId: REVIEWS_COMPLETE_GATE,
          description: 'Every persona of the phase finished its review.',
          passed: incomplete.length === 0,
          detail: incomplete.length === 0 ? 'all reviews completed' : `did not complete: ${[...new Set(incomplete)].join(', ')}`,
        },
        ...phase.gates.map((g) => evaluateGate(g, result.findings, log.signOffs)),
      ];
      attempt.gates = gates;
      const failed = gates.filter((g) => !g.passed);
      for (const g of failed) {
        const reason = overrides[g.gateId] ?? overrides[`${phase.id}.${g.gateId}`];
        if (reason !== undefined) attempt.overrides.push({ gateId: g.gateId, reason, by: this.who, at: at() });
      }
      const unresolved = failed.filter((g) => !attempt.overrides.some((o) => o.gateId === g.gateId));
      record.status = failed.length === 0 ? 'passed' : unresolved.length === 0 ? 'overridden' : 'failed';
      this.save(log);
      this.opts.onEvent?.({ type: 'phase-end', runId: log.runId, phaseId: record.id, status: record.status, gates });
      if (record.status === 'failed') {
        log.status = 'failed';
        this.save(log);
        this.opts.onEvent?.({ type: 'run-end', runId: log.runId, status: log.status });
        return log;
      }
    }
    log.status = log.phases.some((p) => p.status === 'overridden') ? 'passed-with-overrides' : 'passed';
    this.save(log);
    this.opts.onEvent?.({ type: 'run-end', runId: log.runId, status: log.status });
    return log;
  }
}

/** Gate ids that failed in the latest attempt of the phase the run stopped at (empty when it did not stop). */
export function failedGates(log: RunLog): GateResult[] {
  const stopped = log.phases.find((p) => p.status === 'failed' || p.status === 'error');
  const last = stopped?.attempts[stopped.attempts.length - 1];
  return last ? last.gates.filter((g) => !g.passed && !last.overrides.some((o) => o.gateId === g.gateId)) : [];
}

function esc(text: string): string {
  return text.replace(/\r?\n+/g, ' ').replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

const STATUS_LABEL: Record<PhaseStatus, string> = {
  pending: 'not started',
  running: 'interrupted (resume to run it)',
  passed: 'passed',
  overridden: 'passed with overrides',
  failed: 'failed: a gate did not pass',
  error: 'error: the review could not run',
};

/**
 * The run log as markdown (for a PR comment or an audit trail): the run's status, then per phase its
 * status and, for each attempt, who ran it and when, personas, target, findings by severity, gates
 * (pass/fail with detail), overrides with reasons, and the findings' fingerprints. Ends with a newline.
 */
export function renderRunMarkdown(log: RunLog): string {
  const out: string[] = [];
  out.push(`# Workflow run: ${esc(log.workflow.name)}`);
  out.push(
    [`**Status:** ${log.status}`, `run \`${log.runId}\``, `workflow \`${log.workflow.id}\``, `started by ${esc(log.startedBy)} at ${log.createdAt}`, `last update ${log.updatedAt}`].join(' · '),
  );
  const failed = failedGates(log);
  if (failed.length) {
    out.push(
      `Stopped at a failed gate. Fix the code and resume with \`persona-review workflow run ${log.workflow.id} --resume ${log.runId}\`, or override: ${failed
        .map((g) => `\`--override ${g.gateId}=<reason>\``)
        .join(', ')}.`,
    );
  }
  if (log.signOffs.length) out.push(`**Sign-offs:** ${log.signOffs.map((s) => `${esc(s.role)} by ${esc(s.by)} at ${s.at}`).join('; ')}`);
  if (log.notices?.length) out.push(`**Notices:**\n${log.notices.map((n) => `- ${esc(n)}`).join('\n')}`);
  log.phases.forEach((p, i) => {
    out.push(`## Phase ${i + 1}: ${esc(p.name)} (${STATUS_LABEL[p.status]})`);
    if (p.attempts.length === 0) out.push('Not run yet.');
    p.attempts.forEach((a, k) => {
      if (p.attempts.length > 1) out.push(`### Attempt ${k + 1}`);
      const counts = SEVERITIES.map((s) => `${a.countsBySeverity[s]} ${s}`).join(', ');
      out.push(
        [
          `- Run by ${esc(a.by)}, ${a.startedAt}${a.endedAt ? ` to ${a.endedAt}` : ' (did not finish)'}`,
          `- Personas: ${a.personas.join(', ')}; provider ${esc(a.provider || '?')}${a.model ? ` (${esc(a.model)})` : ''}`,
          `- Target: ${esc(a.target)} (${a.filesReviewed} file${a.filesReviewed === 1 ? '' : 's'})`,
          `- Findings: ${a.findings.length} (${counts})`,
          ...(a.usage.inputTokens + a.usage.outputTokens + a.usage.cacheCreationInputTokens + a.usage.cacheReadInputTokens > 0
            ? [`- Tokens: ${a.usage.inputTokens} input, ${a.usage.cacheCreationInputTokens} cache writes, ${a.usage.cacheReadInputTokens} cache reads, ${a.usage.outputTokens} output`]
            : []),
          ...a.errors.map((e) => `- Error: ${esc(e)}`),
        ].join('\n'),
      );
      if (a.gates.length) {
        out.push(
          ['| Gate | Result | Detail |', '| --- | --- | --- |', ...a.gates.map((g) => {
            const o = a.overrides.find((x) => x.gateId === g.gateId);
            const res = g.passed ? 'pass' : o ? 'overridden' : '**fail**';
            return `| \`${g.gateId}\` ${esc(g.description)} | ${res} | ${esc(g.detail)} |`;
          })].join('\n'),
        );
      }
      for (const o of a.overrides) out.push(`- Override of \`${o.gateId}\` by ${esc(o.by)} at ${o.at}: ${esc(o.reason)}`);
      if (a.findings.length) {
        out.push(a.findings.map((f) => `- ${f.severity} \`${f.file}:${f.line}\` ${esc(f.title)} (${f.category}; ${f.personaIds.join(' + ')}; \`${f.fingerprint.slice(0, 12)}\`)`).join('\n'));
      }
    });
  });
  return `${out.join('\n\n')}\n`;
}
