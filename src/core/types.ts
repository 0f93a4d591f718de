/**
 * The shapes every part of the engine agrees on: personas, review targets, the context sent to a
 * provider, provider events, findings and the review result.
 *
 * Conventions used throughout `src/core`:
 * - Lines are 1-based and inclusive (`startLine..endLine`), as in the Finding schema of DESIGN.md and in
 *   SARIF `region.startLine`; columns are 1-based and count UTF-16 code units (SARIF's default
 *   `columnKind` for JavaScript strings is utf16CodeUnits). The language server converts to LSP's
 *   0-based positions at its own boundary.
 * - Paths in findings are workspace-relative with forward slashes (`src/app.ts`).
 * - Token counts are Claude tokens (estimated where marked), sizes are UTF-16 characters unless a name
 *   says bytes, durations are milliseconds.
 *
 * This module imports nothing editor-specific (DESIGN.md, "Module boundaries").
 */

export { SEVERITIES, SEVERITY_SCALE, atLeast, severityRank, type Severity } from './severity';
export type { Finding, FindingDraft } from './findingSchema';
import type { Finding, FindingDraft } from './findingSchema';
import type { SharedContext } from './providers/cacheGate';
export type { SharedContext } from './providers/cacheGate';
import type { Severity } from './severity';

/** Persona categories, from the seed 000 team diagram (process, design & architecture, quality & reliability,
 * security & safety, performance & scale, operations & reliability). */
export const PERSONA_CATEGORIES = ['process', 'design', 'quality', 'security', 'performance', 'operations'] as const;
/** One of {@link PERSONA_CATEGORIES}. */
export type PersonaCategory = (typeof PERSONA_CATEGORIES)[number];

/** A chat slash command a persona offers (`/readiness`), from the persona file's front matter. */
export interface PersonaCommand {
  name: string;
  description: string;
}

/**
 * A reviewer persona loaded from `personas/*.md` or `.personas/*.md` (format in DESIGN.md).
 * `prompt` is the markdown body: the system prompt, at most 1,500 Claude tokens.
 */
export interface Persona {
  /** Stable short id, kebab-case, equal to the file name stem (`sre`, `security`, `workflow-executor`). */
  id: string;
  /** Display name ("Site Reliability Engineer"). */
  name: string;
  /** Short display name for titles ("SRE" in "Review as SRE"); defaults to `name`. */
  shortName?: string;
  /** One-line description, shown as tooltip and chat participant description. */
  description: string;
  category: PersonaCategory;
  /** A codicon id without `$()` (e.g. `pulse`). */
  icon: string;
  /** Chat participant name without `@` (e.g. `sre`). */
  chat: string;
  commands: PersonaCommand[];
  /** The review questions the persona asks (seed 000, "Review Questions Asked"). */
  questions: string[];
  /** Optional preferred model id (Claude Code subagent / VS Code custom agent field). */
  model?: string;
  /** Optional tool allow-list (Claude Code subagent field); informational here. */
  tools?: string[];
  /**
   * Ids of the personas whose offline rule packs this persona runs with the `offline` provider (front-matter
   * `offlineRules`). Default: its own id. Lets an imported persona (`.claude/agents/sre.md`) review offline
   * with the built-in SRE rules.
   */
  offlineRules?: string[];
  /** False for personas that do not review code themselves (the Workflow Executor). Default true. */
  reviews: boolean;
  /** System prompt (markdown body of the file). */
  prompt: string;
  /** Absolute path of the file it came from. */
  source: string;
}

/** A 1-based inclusive line range. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/** What to review. Paths are resolved against `root`. */
export type ReviewTarget =
  | {
      kind: 'paths';
      /** Workspace (or current) directory that findings' paths are relative to. */
      root: string;
      /** Files or folders, absolute or relative to `root`. Folders are walked respecting .gitignore. */
      paths: string[];
      /** Optional: review only these lines of one file (a selection). */
      range?: { path: string } & LineRange;
    }
  | {
      kind: 'git';
      root: string;
      /** `working`: working tree (and untracked files) vs HEAD; `staged`: index vs HEAD; `base`: working tree vs the merge-base of HEAD and `base` (the whole branch plus uncommitted work). */
      mode: 'working' | 'staged' | 'base';
      /** Base ref for `mode: 'base'` (e.g. `main`). */
      base?: string;
      /** Optional restriction to these paths (relative to root). */
      paths?: string[];
    };

/** A file after the context build: read, sensitive-checked, redacted. */
export interface SourceFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  absPath: string;
  /** Language id used for parsing (`javascript`, `typescript`, `tsx`, `python`, `go`, `java`, or other). */
  language: string;
  /** Redacted text: secrets replaced, line structure preserved (same number of lines as the original). */
  text: string;
  /** Number of lines in `text`. */
  lineCount: number;
  /** For change reviews: the changed lines (new-file side). Findings outside are not reported. */
  changedLines?: LineRange[];
  /** For a selection review: the selected lines. Findings outside are not reported. */
  focus?: LineRange;
  /** How many secrets were redacted in this file. */
  redactions: number;
}

/** A part of the prompt data: some files (or line ranges of one file) rendered as delimited, numbered code. */
export interface ContextChunk {
  /** Index of this chunk (0-based) and how many chunks there are in total. */
  index: number;
  total: number;
  /** The files and line ranges the chunk holds. */
  parts: Array<{ path: string } & LineRange>;
  /** The delimited, line-numbered text sent to a model. */
  text: string;
  /** Estimated Claude tokens of `text`. */
  tokens: number;
}

/** The output of the context build, shared by every persona of one review. */
export interface ReviewContext {
  root: string;
  files: SourceFile[];
  chunks: ContextChunk[];
  /** Human-readable notices: files skipped as sensitive, secrets redacted, content cut by the budget. */
  notices: string[];
  /** Estimated tokens of all chunks. */
  totalTokens: number;
  /**
   * The project's guidance files (AGENTS.md, CLAUDE.md, ...), read, redacted and cut to their budget
   * (`./projectContext`); sent once, shared by every persona, inside the cached prefix. Absent when off.
   */
  guidance?: GuidanceDoc[];
  /** Team memory per persona id (`.personas/memory/<id>.md`, `./memory`), sent with that persona's prompt. */
  memory?: Record<string, GuidanceDoc>;
}

/**
 * A text the team wrote for reviewers (a project guidance file or a persona's team memory), as it is sent:
 * redacted and possibly cut. It is the team's guidance, framed as such in the prompt, never instructions
 * that can change the review's rules or the reply format.
 */
export interface GuidanceDoc {
  /** Workspace-relative path, forward slashes (`AGENTS.md`, `.personas/memory/security.md`). */
  path: string;
  /** The text sent: redacted, cut to the budget (a cut ends with a line saying so). */
  text: string;
  /** Estimated Claude tokens of `text`. */
  tokens: number;
  /** Estimated tokens of the whole file before any cut; larger than `tokens` when it was cut. */
  fullTokens: number;
  /** Where the text came from: the working tree, or the base version of a change review (`HEAD`, a merge-base). */
  from: 'working-tree' | { ref: string };
}

/** Token usage as reported by a provider (Anthropic `usage`), in tokens. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens?: number;
  cacheReadInputTokens?: number;
}

/** Why a proposed finding was not kept. */
export interface DroppedFinding {
  personaId: string;
  reason: 'quote-not-found' | 'unknown-file' | 'invalid' | 'outside-changes';
  detail: string;
  draft?: Partial<FindingDraft>;
}

/** An error a provider reports. `partial` is true when some output had already streamed. */
export interface ProviderErrorInfo {
  /** `auth`, `rate-limit`, `overloaded`, `network`, `stream-cut`, `cancelled`, `bad-request`, `server`, `unknown`. */
  kind: 'auth' | 'rate-limit' | 'overloaded' | 'network' | 'stream-cut' | 'cancelled' | 'bad-request' | 'server' | 'unknown';
  /** Message safe to show: never contains the API key. */
  message: string;
  /** HTTP status where one applies. */
  status?: number;
  /** True when retrying the same request may succeed. */
  retryable: boolean;
}

/** What a provider streams, per persona. */
export type ProviderEvent =
  | { type: 'text'; text: string }
  | { type: 'finding'; finding: FindingDraft }
  /** A part of the reply that could not be used (malformed finding block), with what was wrong. */
  | { type: 'malformed'; detail: string; raw: string }
  | { type: 'usage'; usage: Usage }
  /** Something the user should know; `incomplete`: this persona's review is missing a part (the reply hit the output limit). */
  | { type: 'notice'; message: string; incomplete?: boolean }
  /**
   * A request failed before its reply began and will be sent again after `delayMs` (ms): `attempt` is the
   * retry about to happen (1-based) of `maxRetries`. `message` is one line to show as it happens
   * ("rate limited (429); retrying in 25 s (retry 1 of 2)"); it is not a report notice.
   */
  | { type: 'retry'; reason: RetryReason; delayMs: number; attempt: number; maxRetries: number; message: string }
  /** Work done so far for this persona, in files (`done` of `total`). */
  | { type: 'progress'; done: number; total: number }
  | { type: 'error'; error: ProviderErrorInfo; partial: boolean };

/** Why a request is retried: HTTP 429, 529, 5xx/408/409, no response headers in time, or no connection. */
export type RetryReason = 'rate-limit' | 'overloaded' | 'server' | 'timeout' | 'network';

/** Options that apply to one provider call. */
export interface ProviderOptions {
  model?: string;
  /**
   * A specific task for this review, given to the model after the persona prompt (a chat slash
   * command such as `@sre /readiness`). Plain text, written by Persona Review, never by a model.
   * The offline provider ignores it.
   */
  task?: string;
  /** Maximum output tokens per request. */
  maxOutputTokens?: number;
  baseURL?: string;
  apiKey?: string;
}

/** One persona reviewing one context. */
export interface ProviderRequest {
  persona: Persona;
  context: ReviewContext;
  options: ProviderOptions;
  /**
   * The other personas of the same review reading the same context: how many there are (a model provider
   * marks a prompt-cache breakpoint only when some other request will read it) and the warm-up gate.
   * Absent: this persona alone.
   */
  shared?: SharedContext;
  /**
   * Tells drafts that are already accounted for (suppressed, or recorded in the baseline) from new ones,
   * so a provider that limits its output (the offline provider's per-rule and per-persona caps) does not
   * spend its limits on them. The engine classifies every finding itself; a provider may ignore this.
   */
  triage?: DraftTriage;
}

/** See {@link ProviderRequest.triage}; implemented by core/triage.ts. */
export interface DraftTriage {
  /** True when the draft, anchored in its file, is suppressed or in the baseline. Never throws. */
  isAccounted(draft: FindingDraft): boolean;
}

/**
 * A suppression that silenced a finding, in the terms of a SARIF `suppression` object (SARIF 2.1.0
 * §3.35): `inSource` for an inline comment, `external` for an entry of the suppressions file.
 */
export interface AppliedSuppression {
  kind: 'inSource' | 'external';
  /**
   * `accepted`, or `underReview` when the change under review itself added the suppression (a git
   * review whose changed lines hold the comment, or whose base lacks the file entry): files of the
   * reviewed repository never weaken the review of a change to themselves, so such a suppression is
   * shown to the reviewer rather than taken as settled.
   */
  status: 'accepted' | 'underReview';
  /** The reason written with the suppression. */
  justification: string;
  /** Where it is written: the comment (1-based line, columns UTF-16 1-based) or the suppressions file entry (root-relative path, 1-based line). */
  location: { file: string; line: number; startColumn?: number; endColumn?: number };
  /** The rule names of an inline directive, or the `rule` of a file entry. Empty for a file-wide directive without names. */
  rules: string[];
  /** File entries: who accepted it (`Name <email>`), when (`YYYY-MM-DD`), and the optional expiry day. */
  author?: string;
  date?: string;
  expires?: string;
  /** True when the change under review added this suppression (then `status` is `underReview`). */
  addedByChange: boolean;
}

/** A finding silenced by a suppression: not among the reported findings, kept for SARIF and JSON. */
export interface SuppressedFinding extends Finding {
  suppression: AppliedSuppression;
  /** With a baseline: whether the baseline also held it. */
  baselineState?: 'new' | 'unchanged';
}

/** One finding recorded in a baseline (core/baseline.ts). `line` is 1-based and informational: matching is by fingerprint. */
export interface BaselineEntry {
  fingerprint: string;
  /** The finding's rule id, else its category. */
  rule: string;
  category: string;
  severity: Severity;
  file: string;
  line: number;
  title: string;
  quote: string;
  personas: string[];
}

/** A review compared with a baseline (core/baseline.ts). */
export interface BaselineComparison {
  /** The baseline file as given (for messages). */
  file: string;
  /** Findings the baseline holds that still exist: not reported as findings (SARIF `baselineState: unchanged`). */
  unchanged: Finding[];
  /** Baseline entries whose finding is gone from fully reviewed files, or whose file is gone (SARIF `absent`). */
  absent: BaselineEntry[];
  /** Findings not in the baseline (the reported ones; SARIF `new`). */
  newCount: number;
  /** Baseline entries this review could not re-check (file not reviewed, or only some of its lines, or persona not run). */
  notRechecked: number;
  /** Entries the change under review added to the baseline: ignored, their findings are reported as new. */
  ignoredAddedByChange: number;
}

/**
 * A review backend. `review` yields events as they arrive and ends when the persona's review is
 * complete, failed (an `error` event is the last event) or `signal` aborted (ends promptly with a
 * `cancelled` error event). It never throws for provider failures; it may throw only for programming
 * errors.
 */
export interface ReviewProvider {
  readonly id: string;
  /** True when the provider sends nothing off this machine; the context's token budget then does not apply. */
  readonly local?: boolean;
  review(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>;
  /** The model id a request is sent to (request option, provider default, persona's model); absent for providers without models. */
  modelFor?(request: ProviderRequest): string;
  /** Frees what the provider cached for `context` (parsed trees); called once when a review ends. */
  dispose?(context: ReviewContext): void;
}

/** Events of a whole review (several personas), as the engine streams them to a UI. */
export type ReviewEvent =
  | { type: 'context'; files: number; tokens: number; chunks: number; notices: string[] }
  | { type: 'persona-start'; personaId: string }
  | { type: 'text'; personaId: string; text: string }
  | { type: 'finding'; personaId: string; finding: Finding }
  | { type: 'dropped'; dropped: DroppedFinding }
  | { type: 'usage'; personaId: string; usage: Usage }
  | { type: 'notice'; personaId?: string; message: string }
  /** A request is retried (see the provider event); for progress displays (stderr, status bar), not the report. */
  | { type: 'retry'; personaId: string; reason: RetryReason; delayMs: number; attempt: number; maxRetries: number; message: string }
  | { type: 'error'; personaId: string; error: ProviderErrorInfo; partial: boolean }
  | { type: 'persona-end'; personaId: string; findings: number }
  | { type: 'progress'; filesDone: number; filesTotal: number; findings: number };

/** Everything a finished review produced. */
export interface ReviewResult {
  /** Merged, anchored findings, most severe first, then by file and line. */
  findings: Finding[];
  dropped: DroppedFinding[];
  /** Per persona: the markdown review text. */
  reviews: Record<string, string>;
  usage: Record<string, Usage>;
  errors: Array<{ personaId: string; error: ProviderErrorInfo; partial: boolean }>;
  /** Personas whose reply stopped at the output limit (findings after the cut are missing), with the notice. */
  outputLimited?: Array<{ personaId: string; message: string }>;
  notices: string[];
  personas: Persona[];
  provider: string;
  /** The model the personas were reviewed with (several joined by ", " when personas named different ones); undefined without a model (offline). */
  model?: string;
  filesReviewed: number;
  durationMs: number;
  /** Findings silenced by inline suppressions or the suppressions file (core/triage.ts); absent or empty when none. */
  suppressed?: SuppressedFinding[];
  /** Present when the review was compared with a baseline. */
  baseline?: BaselineComparison;
}
