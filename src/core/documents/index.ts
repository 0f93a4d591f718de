/**
 * The offline documents of the persona commands: a production readiness checklist (`/readiness`), SLIs,
 * SLOs and an error budget (`/slo`), incident help (`/incident`), a weekly reliability report (`/report`),
 * a threat model, a design description, a test plan, a profiling plan and a races report, each rendered
 * from the offline rules' findings and the code. Used by the language server (chat slash commands) and by
 * the CLI (`persona-review doc <name> [paths]`). Output is markdown in which every reviewed string is
 * escaped or fenced.
 */
import type { Finding } from '../types';
import { renderDesign } from './design';
import { renderGenericCommand } from './generic';
import { renderIncident } from './incident';
import { renderProfilePlan } from './profilePlan';
import { renderRaces } from './races';
import { renderReadiness } from './readiness';
import { renderWeeklyReport } from './report';
import type { CodeFile } from './signals';
import { renderSlo } from './slo';
import { renderTestPlan } from './testPlan';
import { renderThreatModel } from './threatModel';

export type { CodeFile } from './signals';

/** Everything an offline command document is rendered from. */
export interface CommandInput {
  /** The command without `/` (`readiness`). */
  command: string;
  personaId: string;
  personaName: string;
  /** The persona's review questions (front matter), listed as "to verify" where they apply. */
  questions: readonly string[];
  /** What was reviewed ("src/db.js", "uncommitted changes"). */
  targetLabel: string;
  findings: readonly Finding[];
  files: readonly CodeFile[];
  /** The date the document is for (the weekly report's week); defaults to today. */
  now?: Date;
}

/** Commands with an offline document of their own shape; others get {@link renderGenericCommand}. */
export const OFFLINE_DOCUMENTS = ['readiness', 'slo', 'incident', 'report', 'threat-model', 'design', 'test-plan', 'profile-plan', 'races'] as const;

/** The offline document for `input.command` (markdown; safe: reviewed text is escaped or fenced). */
export function renderCommandDocument(input: CommandInput): string {
  switch (input.command) {
    case 'readiness':
      return renderReadiness(input);
    case 'slo':
      return renderSlo(input);
    case 'incident':
      return renderIncident(input);
    case 'report':
      return renderWeeklyReport(input);
    case 'threat-model':
      return renderThreatModel(input);
    case 'design':
      return renderDesign(input);
    case 'test-plan':
      return renderTestPlan(input);
    case 'profile-plan':
      return renderProfilePlan(input);
    case 'races':
      return renderRaces(input);
    default:
      return renderGenericCommand(input);
  }
}


/** One of {@link OFFLINE_DOCUMENTS}. */
export type OfflineDocument = (typeof OFFLINE_DOCUMENTS)[number];

/** The persona whose command each offline document is (its front matter declares the command). */
export const DOCUMENT_PERSONA: Readonly<Record<OfflineDocument, string>> = {
  readiness: 'sre',
  slo: 'sre',
  incident: 'sre',
  report: 'sre',
  'threat-model': 'security',
  design: 'architect',
  'test-plan': 'qa',
  'profile-plan': 'performance',
  races: 'concurrency',
};

/** True when `name` is one of {@link OFFLINE_DOCUMENTS}. */
export function isOfflineDocument(name: string): name is OfflineDocument {
  return (OFFLINE_DOCUMENTS as readonly string[]).includes(name);
}

/**
 * The code files of a review context as the documents read them: the reviewed (redacted) text of every
 * file. Nothing leaves the machine, and the documents quote locations, not secrets.
 */
export function contextFiles(context: { files: ReadonlyArray<{ path: string; text: string }> }): CodeFile[] {
  return context.files.map((f) => ({ path: f.path, text: f.text }));
}
