/**
 * Project context: what the reviewed repository tells its reviewers about itself. Two kinds of files:
 *
 * - **Project guidance**: `AGENTS.md`, `CLAUDE.md`, `.github/copilot-instructions.md` and `CONTRIBUTING.md`
 *   at the workspace root, the files other AI tools already read for a project's conventions
 *   (agents.md; Claude Code memory docs; GitHub Copilot repository custom instructions docs).
 * - **Team memory** (`./memory`): `.personas/memory/<persona>.md`, the team's decisions per persona.
 *
 * Both are read only when the workspace is trusted, redacted like code ({@link redactSecrets}), cut to a
 * token budget with a notice (never silently), and put once in the shared, cached part of every request
 * (`buildTeamContextBlock` in `./providers/prompt`), framed as the team's guidance: context that informs
 * the review, never instructions that can change its rules, its format or its verdict.
 *
 * They are files of the reviewed repository, so they must never weaken the review of a change to
 * themselves: in a change review (a `git` target) they are read as committed in the base the change is
 * compared with (HEAD, or the merge-base with the base branch), not from the working tree; a file the
 * change adds is not used.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isSensitivePath } from './files';
import { baseCommitOf, readAtCommit } from './git';
import { loadTeamMemory } from './memory';
import { redactSecrets } from './redact';
import { estimateTokens } from './tokens';
import type { GuidanceDoc, Persona, ReviewContext, ReviewTarget } from './types';

/** Guidance files read from the workspace root, in this order (earlier files get the budget first). */
export const GUIDANCE_FILES: readonly string[] = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md', 'CONTRIBUTING.md'];

/** Default budget of all guidance files together, in estimated Claude tokens. */
export const DEFAULT_GUIDANCE_BUDGET = 4000;

/** Largest guidance or memory file read at all, in bytes; larger files are cut after this many bytes. */
const MAX_READ_BYTES = 256 * 1024;

/** Reads workspace files (root-relative, forward slashes) for the project context; see {@link workspaceReader}. */
export interface WorkspaceReader {
  /** The file's text and where it came from, or `undefined` when it does not exist there (or may not be read). */
  read(rel: string): Promise<{ text: string; from: GuidanceDoc['from'] } | undefined>;
  /** Human-readable description of what the reader reads ("the working tree", "HEAD (a1b2c3d)"). */
  readonly source: string;
}

/**
 * The reader for `target`'s project context. For `paths` targets: the working tree under `target.root`
 * (a symbolic link is followed only when it stays inside the root; sensitive names are never read). For
 * `git` targets (change reviews): the base commit of the change ({@link baseCommitOf}), so a change cannot
 * steer its own review; when there is no base commit (a repository without commits) nothing is read.
 */
export async function workspaceReader(target: ReviewTarget): Promise<WorkspaceReader> {
  const root = path.resolve(target.root);
  if (target.kind === 'git') {
    const commit = await baseCommitOf(root, target.mode, target.base).catch(() => undefined);
    const short = commit?.slice(0, 7);
    const label = target.mode === 'base' ? `the merge-base with ${target.base ?? '?'} (${short ?? 'none'})` : `HEAD (${short ?? 'no commits'})`;
    return {
      source: label,
      read: async (rel) => {
        if (!commit || isSensitivePath(rel)) return undefined;
        const text = await readAtCommit(root, commit, rel).catch(() => undefined);
        return text === undefined ? undefined : { text: text.slice(0, MAX_READ_BYTES), from: { ref: short! } };
      },
    };
  }
  return {
    source: 'the working tree',
    read: async (rel) => {
      if (isSensitivePath(rel)) return undefined;
      const abs = path.join(root, rel);
      try {
        const st = await lstat(abs);
        if (st.isSymbolicLink()) {
          const real = await realpath(abs);
          const inside = path.relative(await realpath(root), real);
          if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
        } else if (!st.isFile()) return undefined;
        const text = await readFile(abs, 'utf8');
        return { text: text.slice(0, MAX_READ_BYTES), from: 'working-tree' };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Cuts `text` at a line boundary so that it fits `maxTokens` estimated tokens together with a closing line
 * that says it was cut. Returns the text unchanged when it fits. `what` names the file in that line.
 */
export function cutToTokens(text: string, maxTokens: number, what: string): { text: string; cut: boolean } {
  if (estimateTokens(text) <= maxTokens) return { text, cut: false };
  const note = `[… cut here: the rest of ${what} was left out to stay within its token budget]`;
  const room = Math.max(0, maxTokens - estimateTokens(note) - 2);
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = estimateTokens(line + '\n');
    if (used + cost > room) break;
    kept.push(line);
    used += cost;
  }
  return { text: `${kept.join('\n').replace(/\s+$/, '')}\n${note}`, cut: true };
}

/**
 * Reads one file for the project context through `reader`: redacts it, cuts it to `budget` tokens.
 * `undefined` when the file is absent or empty.
 */
export async function readGuidanceDoc(reader: WorkspaceReader, rel: string, budget: number): Promise<(GuidanceDoc & { redactions: number }) | undefined> {
  const got = await reader.read(rel);
  if (!got) return undefined;
  const raw = got.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
  if (!raw) return undefined;
  const red = await redactSecrets(raw, rel);
  const fullTokens = estimateTokens(red.text);
  const { text } = cutToTokens(red.text, budget, rel);
  return { path: rel, text, tokens: estimateTokens(text), fullTokens, from: got.from, redactions: red.count };
}

/**
 * Loads the project guidance files ({@link GUIDANCE_FILES}) that exist, in order, sharing `budget`
 * estimated tokens: each file gets what is left, a file that does not fit is cut (with a notice), and
 * files after the budget is spent are named in a notice as not sent. Never throws.
 */
export async function loadProjectGuidance(
  reader: WorkspaceReader,
  budget = DEFAULT_GUIDANCE_BUDGET,
): Promise<{ docs: GuidanceDoc[]; notices: string[] }> {
  const docs: GuidanceDoc[] = [];
  const cut: string[] = [];
  const left: string[] = [];
  let redactions = 0;
  let remaining = budget;
  for (const rel of GUIDANCE_FILES) {
    if (remaining < 50) {
      if (await reader.read(rel)) left.push(rel);
      continue;
    }
    const doc = await readGuidanceDoc(reader, rel, remaining);
    if (!doc) continue;
    const { redactions: n, ...kept } = doc;
    redactions += n;
    docs.push(kept);
    remaining -= doc.tokens;
    if (doc.fullTokens > doc.tokens) cut.push(`${rel} (~${doc.tokens.toLocaleString('en-US')} of ~${doc.fullTokens.toLocaleString('en-US')} tokens)`);
  }
  const notices: string[] = [];
  if (docs.length > 0) {
    const from = docs[0]!.from === 'working-tree' ? '' : ` as committed in ${(docs[0]!.from as { ref: string }).ref}, the base of this change`;
    notices.push(
      `Project guidance sent to the reviewers as the team's guidance${from}: ${docs.map((d) => `${d.path} (~${d.tokens.toLocaleString('en-US')} tokens)`).join(', ')}.`,
    );
  }
  if (cut.length > 0) notices.push(`Project guidance cut to its budget of ${budget.toLocaleString('en-US')} tokens: ${cut.join(', ')}.`);
  if (left.length > 0) notices.push(`Project guidance not sent (its budget of ${budget.toLocaleString('en-US')} tokens was spent): ${left.join(', ')}.`);
  if (redactions > 0) notices.push(`Redacted ${redactions} secret${redactions === 1 ? '' : 's'} in the project guidance before sending.`);
  return { docs, notices };
}

/** Options of {@link attachProjectContext}. */
export interface ProjectContextOptions {
  /** False turns the whole project context off: no guidance files, no team memory. Default true. */
  enabled?: boolean;
  /** False in an untrusted workspace (VS Code Restricted Mode): nothing is read. Default true. */
  trusted?: boolean;
  /** Budget of all guidance files, estimated tokens (default {@link DEFAULT_GUIDANCE_BUDGET}). */
  guidanceBudget?: number;
  /** Budget of each persona's team memory, estimated tokens (default `DEFAULT_MEMORY_BUDGET` of ./memory). */
  memoryBudget?: number;
}

/**
 * Reads the project guidance and the team memory of `personas` for `target` and attaches them to
 * `context` (`guidance`, `memory`), adding notices that name what was sent, cut or left out. Does nothing
 * when `enabled` is false; in an untrusted workspace it reads nothing and adds a notice saying so.
 * Never throws: a file that cannot be read is left out.
 */
export async function attachProjectContext(
  context: ReviewContext,
  target: ReviewTarget,
  personas: readonly Persona[],
  opts: ProjectContextOptions = {},
): Promise<void> {
  if (opts.enabled === false) return;
  if (opts.trusted === false) {
    context.notices.push('Restricted Mode: project guidance files and team memory were not read (the workspace is not trusted).');
    return;
  }
  const reader = await workspaceReader(target);
  const guidance = await loadProjectGuidance(reader, opts.guidanceBudget);
  const memory = await loadTeamMemory(
    reader,
    personas.filter((p) => p.reviews),
    opts.memoryBudget,
  );
  if (guidance.docs.length > 0) context.guidance = guidance.docs;
  if (Object.keys(memory.memory).length > 0) context.memory = memory.memory;
  context.notices.push(...guidance.notices, ...memory.notices);
}
