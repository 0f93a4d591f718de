/**
 * The review panel's user-facing text, as a table the extension host translates and the webview uses.
 *
 * The host builds the table with `vscode.l10n.t` (src/extension/panelStrings.ts), so every string is in
 * l10n/bundle.l10n.json and a translation in l10n/bundle.l10n.<locale>.json covers the panel too; it puts the
 * table into the panel's page as JSON (src/extension/panelPage.ts) and the webview script (media/panel.ts)
 * writes no English of its own. Data shown in the panel (persona names, file names, finding titles and
 * messages, notices written by the language server) is not in the table.
 *
 * Placeholders are `{0}`, `{1}`, … as in `vscode.l10n.t` (filled by {@link format}). A count has two
 * entries, `…One` and `…Other`; {@link plural} picks one with `Intl.PluralRules` of the display language
 * (so French "0 constat" takes the `one` form, as French grammar wants). Languages with more plural
 * categories (few, many) get the `other` form for them: `vscode.l10n` bundles are flat key → text maps,
 * with no ICU plural syntax.
 *
 * This module imports nothing at run time, so the webview bundle can use it.
 */
import type { Severity } from './severity';

/** Every string the review panel shows; values are translated templates with `{n}` placeholders. */
export interface PanelStrings {
  /** The display language (`vscode.env.language`, e.g. `en`, `de`, `qps-ploc`): the page's `lang` and plural rules. */
  language: string;
  /** The page and panel title. */
  title: string;
  restrictedTitle: string;
  /** `{0}`: the `.personas/` folder name (shown as code). */
  restrictedBody: string;
  /** `{0}`: the command's name (shown in bold). */
  empty: string;
  emptyCommand: string;
  stop: string;
  stopTooltip: string;
  findingsHeading: string;
  /** `{0}`: a count (the findings badge's accessible label). */
  findingsCountOne: string;
  findingsCountOther: string;
  /** Provider labels. `{0}`: a Claude model id. */
  providerClaudeModel: string;
  providerClaude: string;
  /** `{0}`: the chat model's name. */
  providerChatModel: string;
  providerChatModelUnnamed: string;
  providerOffline: string;
  /** `{0}`: the provider label; `{1}`: why this provider answers. */
  providerWithNote: string;
  /** A persona's status while it reviews. */
  personaReviewing: string;
  personaFailed: string;
  /** `{0}`: a count. */
  personaFindingsOne: string;
  personaFindingsOther: string;
  /** Severity words, as badges and in the summary. */
  severity: Record<Severity, string>;
  /** `{0}`: a count; `{1}`: a severity word. */
  severityCount: string;
  /** `{0}`: a workspace-relative path; `{1}`: a 1-based line. The tooltip and label of a finding in the list. */
  revealLocation: string;
  quickFixAvailable: string;
  possiblyFixed: string;
  /** Review status while running. `{0}`: files done; `{1}`: files in all (the form follows `{1}`). */
  progressFilesOne: string;
  progressFilesOther: string;
  /** `{0}`: findings so far. */
  progressFindingsOne: string;
  progressFindingsOther: string;
  starting: string;
  /** Time since the review started, shown while it runs (once a second: no spinner animates the panel). `{0}`: seconds. */
  elapsedSeconds: string;
  /** `{0}`: whole minutes; `{1}`: seconds. */
  elapsedMinutes: string;
  stopped: string;
  failed: string;
  /** `{0}`: why. */
  failedBecause: string;
  partial: string;
  /** `{0}`: the personas that did not finish, comma-separated. */
  partialWho: string;
  done: string;
  /** Summary. `{0}`: findings now; `{1}`: counts by severity. */
  summaryFindingsOne: string;
  summaryFindingsOther: string;
  /** `{0}`: seconds with one decimal, already formatted for the language. */
  reviewedIn: string;
  /** `{0}`: findings gone; `{1}`: findings reported. */
  goneOne: string;
  goneOther: string;
  /** `{0}`: findings dropped. */
  droppedOne: string;
  droppedOther: string;
  /** `{0}`: a persona's name; `{1}`: its error. */
  personaError: string;
  personaErrorPartial: string;
  /** The explained finding. */
  suggestedFix: string;
  revealCode: string;
  /** Joins parts of one line (`·` in English) and a list of names (`, `). */
  separator: string;
  listSeparator: string;
}

/** Keys of {@link PanelStrings} whose values are plain templates (all but `language` and `severity`). */
export type PanelStringKey = Exclude<keyof PanelStrings, 'language' | 'severity'>;

/**
 * Fills `{0}`, `{1}`, … in `template` with `args` (as `vscode.l10n.t` does); a placeholder with no argument stays
 * as written.
 */
export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}

/**
 * The `one` or `other` template for `count` in `language` (Unicode CLDR plural rules through
 * `Intl.PluralRules`); an unknown language tag falls back to English rules (`one` for 1 alone).
 */
export function pluralForm(language: string, count: number, one: string, other: string): string {
  let category: string;
  try {
    category = new Intl.PluralRules(language).select(count);
  } catch {
    category = count === 1 ? 'one' : 'other';
  }
  return category === 'one' ? one : other;
}

/** {@link pluralForm} filled with `count` as `{0}` and `rest` as `{1}`, …. */
export function plural(language: string, count: number, one: string, other: string, ...rest: Array<string | number>): string {
  return format(pluralForm(language, count, one, other), count, ...rest);
}

/** True when `v` has every string of {@link PanelStrings} (the webview checks the table its page carries). */
export function isPanelStrings(v: unknown): v is PanelStrings {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const sev = o.severity as Record<string, unknown> | undefined;
  return (
    typeof o.language === 'string' &&
    typeof o.title === 'string' &&
    typeof o.done === 'string' &&
    typeof sev === 'object' &&
    sev !== null &&
    ['critical', 'high', 'medium', 'low'].every((k) => typeof sev[k] === 'string') &&
    Object.entries(o).every(([k, x]) => k === 'severity' || typeof x === 'string')
  );
}
