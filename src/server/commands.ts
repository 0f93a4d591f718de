/**
 * `workspace/executeCommand` (LSP 3.17 §workspace_executeCommand) for editors with nothing but LSP: the
 * commands of src/shared/protocol.ts `ServerCommands`. Reviews run with the offline provider (no key, nothing
 * leaves the machine; Claude and chat models need the VS Code extension or the CLI), report progress with a
 * server-created `window/workDoneProgress`, publish Diagnostics like any review, and resolve with the review's
 * summary. Bad arguments are rejected with InvalidParams and a message that says what was expected.
 */
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification, type CancellationToken, type Connection, type ExecuteCommandParams, type Range } from 'vscode-languageserver';
import { sanitizeMarkdown } from '../shared/markdownSafety';
import { DEFAULT_SAVE_PERSONAS, ServerCommands, type ReviewParams, type ReviewSummary, type ServerClientSettings } from '../shared/protocol';
import { explain } from './explain';
import type { FindingStore } from './findings';
import type { ServerLog } from './log';
import type { ReviewRunner, ServerSettings } from './reviews';
import { dismissForMe, suppressForTeam, unsuppress, type SuppressionDeps } from './suppressions';

/** What the commands work with. */
export interface CommandDeps {
  connection: Connection;
  reviews: ReviewRunner;
  store: FindingStore;
  log: ServerLog;
  settings: () => ServerSettings;
  clientSettings: () => ServerClientSettings;
}

/** What the dismissal and suppression commands need, from the command deps. */
export function suppressionDeps(d: Pick<CommandDeps, 'store' | 'log' | 'settings' | 'reviews'>): SuppressionDeps {
  return { store: d.store, log: d.log, settings: d.settings, openText: (uri) => d.reviews.documentFor(uri)?.getText() };
}

/** The personas a review on save uses, or undefined when reviews on save are off. */
export function saveReviewPersonas(s: ServerClientSettings): string[] | undefined {
  if (s.reviewOnSave === true) return [...DEFAULT_SAVE_PERSONAS];
  if (Array.isArray(s.reviewOnSave) && s.reviewOnSave.length > 0) return s.reviewOnSave;
  return undefined;
}

function bad(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function personasArg(x: unknown, command: string): string[] {
  if (x === undefined || x === null) return [...DEFAULT_SAVE_PERSONAS];
  const list = typeof x === 'string' ? x.split(',') : Array.isArray(x) ? x : undefined;
  const ids = list?.filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter(Boolean);
  if (!ids || ids.length === 0) throw bad(`${command}: personas: expected persona ids, e.g. ["security", "sre"]`);
  return ids;
}

function isRange(x: unknown): x is Range {
  const r = x as Range;
  return !!r && typeof r === 'object' && Number.isInteger(r.start?.line) && Number.isInteger(r.end?.line);
}

/** The summary without the parts a plain client does not need (the report, texts, chat rendering). */
function slim(s: ReviewSummary): Omit<ReviewSummary, 'markdown' | 'texts' | 'chat'> {
  const { markdown: _m, texts: _t, chat: _c, ...rest } = s;
  return rest;
}

/** A finding reference `{ uri, fingerprint }` from the first argument. */
function findingArg(args: unknown[], command: string): { uri: string; fingerprint: string } {
  const a = args[0] as { uri?: unknown; fingerprint?: unknown } | undefined;
  if (!a || typeof a.uri !== 'string' || typeof a.fingerprint !== 'string') throw bad(`${command}: expected [{ uri, fingerprint }]`);
  return { uri: a.uri, fingerprint: a.fingerprint };
}

/** Runs one command; see `ServerCommands` for the arguments of each. */
export async function executeCommand(params: ExecuteCommandParams, token: CancellationToken, d: CommandDeps): Promise<unknown> {
  const args = params.arguments ?? [];
  const review = async (p: Omit<ReviewParams, 'provider' | 'origin'>) => {
    const cs = d.clientSettings();
    const summary = await d.reviews.review({ ...p, provider: 'offline', origin: 'lsp', include: cs.include, exclude: cs.exclude }, token, {
      create: true,
      ...(params.workDoneToken !== undefined ? { workDoneToken: params.workDoneToken } : {}),
    });
    return slim(summary);
  };
  switch (params.command) {
    case ServerCommands.reviewDocument: {
      const [uri, personas] = args;
      if (typeof uri !== 'string') throw bad(`${params.command}: expected [uri, personas?]`);
      return review({ personas: personasArg(personas, params.command), target: { kind: 'document', uri } });
    }
    case ServerCommands.reviewSelection: {
      const [uri, range, personas] = args;
      if (typeof uri !== 'string' || !isRange(range)) throw bad(`${params.command}: expected [uri, range (LSP, 0-based), personas?]`);
      // A selection that ends at column 0 of a line does not include that line.
      const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
      return review({ personas: personasArg(personas, params.command), target: { kind: 'document', uri, range: { startLine: range.start.line + 1, endLine } } });
    }
    case ServerCommands.reviewChanges: {
      const o = (args[0] ?? {}) as { mode?: unknown; base?: unknown; personas?: unknown };
      const mode = o.mode ?? (typeof o.base === 'string' ? 'base' : 'working');
      if (mode !== 'working' && mode !== 'staged' && mode !== 'base') throw bad(`${params.command}: mode: expected "working", "staged" or "base"`);
      if (mode === 'base' && typeof o.base !== 'string') throw bad(`${params.command}: mode "base" needs base, e.g. { "mode": "base", "base": "main" }`);
      return review({ personas: personasArg(o.personas, params.command), target: { kind: 'git', mode, ...(typeof o.base === 'string' ? { base: o.base } : {}) } });
    }
    case ServerCommands.dismissFinding: {
      const { uri, fingerprint } = findingArg(args, params.command);
      const reason = (args[0] as { reason?: unknown } | undefined)?.reason;
      return dismissForMe(suppressionDeps(d), { uri, fingerprint, ...(typeof reason === 'string' ? { reason } : {}) });
    }
    case ServerCommands.suppressFinding:
      return suppressForTeam(suppressionDeps(d), args[0]);
    case ServerCommands.unsuppressFinding:
      return unsuppress(suppressionDeps(d), args[0]);
    case ServerCommands.clearFindings:
      d.log.debug('all findings cleared');
      d.store.clear();
      return { cleared: true };
    case ServerCommands.explainFinding: {
      const { uri, fingerprint } = findingArg(args, params.command);
      const t = d.store.find(uri, fingerprint);
      if (!t) throw bad(`${params.command}: that finding is no longer current (its code changed, or it was dismissed or cleared)`);
      const f = t.finding;
      const { markdown } = await explain({ finding: f, provider: 'offline' }, d.connection, d.settings(), token);
      const fix = f.suggestion ? `\nFix: ${f.suggestion.description}` : '';
      // window/showMessage (a notification: nothing to answer), which every LSP client shows.
      void d.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${f.title} (${f.severity}, ${t.personaNames.join(' + ')}, line ${t.range.start.line + 1})\n${f.message}${fix}` }).catch(() => undefined);
      return { markdown: sanitizeMarkdown(markdown) };
    }
    default:
      throw bad(`unknown command "${params.command}"; this server runs: ${Object.values(ServerCommands).join(', ')}`);
  }
}
