/**
 * The review panel's string table (src/shared/panelStrings.ts), translated by the extension host.
 *
 * Each string is a literal `vscode.l10n.t` call, so it is in l10n/bundle.l10n.json (test/unit/nls.test.ts
 * checks the bundle holds exactly those strings; `npx @vscode/l10n-dev export --outDir ./l10n ./src/extension`
 * finds them) and a translator's l10n/bundle.l10n.<locale>.json covers the panel. Templates are translated
 * without arguments, so their `{0}` placeholders reach the webview as written and it fills them
 * (VS Code's `l10n.t` leaves a template alone when given no arguments).
 *
 * The `vscode` parameter is the VS Code API (only `l10n.t` and `env.language` are read); it is a parameter,
 * with `vscode` imported as a type only, so the unit tests can build the table with a pseudo-translation.
 */
import type * as vscodeApi from 'vscode';
import type { PanelStrings } from '../shared/panelStrings';

/** The part of the VS Code API {@link panelStrings} reads. */
export interface L10nApi {
  l10n: { t: (typeof vscodeApi.l10n)['t'] };
  env: { language: string };
}

/** The review panel's strings in VS Code's display language (English where the bundle has no translation). */
export function panelStrings(vscode: L10nApi): PanelStrings {
  return {
    language: vscode.env.language,
    title: vscode.l10n.t('Persona Review'),
    restrictedTitle: vscode.l10n.t('Restricted Mode.'),
    restrictedBody: vscode.l10n.t(
      "This workspace is not trusted, so reviews run offline with the built-in rules: no API key is read, nothing is sent off this machine, and the workspace's {0} folder is ignored.",
    ),
    empty: vscode.l10n.t("No review yet. Run {0} from the Command Palette, or a persona's actions in the Personas view."),
    emptyCommand: vscode.l10n.t('Persona Review: Review as...'),
    stop: vscode.l10n.t('Stop'),
    stopTooltip: vscode.l10n.t('Stop the running review'),
    findingsHeading: vscode.l10n.t('Findings'),
    findingsCountOne: vscode.l10n.t('{0} finding in this review'),
    findingsCountOther: vscode.l10n.t('{0} findings in this review'),
    providerClaudeModel: vscode.l10n.t('Claude ({0})'),
    providerClaude: vscode.l10n.t('Claude'),
    providerChatModel: vscode.l10n.t('{0} (chat model)'),
    providerChatModelUnnamed: vscode.l10n.t('VS Code chat model'),
    providerOffline: vscode.l10n.t('offline rules'),
    providerWithNote: vscode.l10n.t('{0} — {1}'),
    personaReviewing: vscode.l10n.t('reviewing…'),
    personaFailed: vscode.l10n.t('failed'),
    personaFindingsOne: vscode.l10n.t('{0} finding'),
    personaFindingsOther: vscode.l10n.t('{0} findings'),
    severity: {
      critical: vscode.l10n.t('critical'),
      high: vscode.l10n.t('high'),
      medium: vscode.l10n.t('medium'),
      low: vscode.l10n.t('low'),
    },
    severityCount: vscode.l10n.t('{0} {1}'),
    revealLocation: vscode.l10n.t('Reveal {0}:{1}'),
    quickFixAvailable: vscode.l10n.t('quick fix available'),
    possiblyFixed: vscode.l10n.t('code changed — possibly fixed'),
    progressFilesOne: vscode.l10n.t('{0}/{1} file'),
    progressFilesOther: vscode.l10n.t('{0}/{1} files'),
    progressFindingsOne: vscode.l10n.t('{0} finding so far'),
    progressFindingsOther: vscode.l10n.t('{0} findings so far'),
    starting: vscode.l10n.t('starting…'),
    elapsedSeconds: vscode.l10n.t('{0} s'),
    elapsedMinutes: vscode.l10n.t('{0} min {1} s'),
    stopped: vscode.l10n.t('stopped'),
    failed: vscode.l10n.t('failed'),
    failedBecause: vscode.l10n.t('failed: {0}'),
    partial: vscode.l10n.t('partial'),
    partialWho: vscode.l10n.t('partial: {0} did not finish'),
    done: vscode.l10n.t('done'),
    summaryFindingsOne: vscode.l10n.t('{0} finding ({1})'),
    summaryFindingsOther: vscode.l10n.t('{0} findings ({1})'),
    reviewedIn: vscode.l10n.t('reviewed in {0} s'),
    goneOne: vscode.l10n.t('{0} of the {1} reported is gone since (fixed, dismissed or cleared)'),
    goneOther: vscode.l10n.t('{0} of the {1} reported are gone since (fixed, dismissed or cleared)'),
    droppedOne: vscode.l10n.t('{0} proposed finding was dropped (quote not in the file, outside the target, or invalid).'),
    droppedOther: vscode.l10n.t('{0} proposed findings were dropped (quote not in the file, outside the target, or invalid).'),
    personaError: vscode.l10n.t('{0}: {1}'),
    personaErrorPartial: vscode.l10n.t('{0}: {1} (the review was cut short; what arrived is kept)'),
    suggestedFix: vscode.l10n.t('Suggested fix:'),
    revealCode: vscode.l10n.t('Reveal code'),
    separator: vscode.l10n.t(' · '),
    listSeparator: vscode.l10n.t(', '),
  };
}
