/**
 * Report renderers for a finished review: markdown (terminal, PR comment), JSON (machine-readable,
 * versioned) and SARIF 2.1.0 (code scanning). All three read the same {@link ReviewResult} and never
 * modify it.
 */
import type { ReviewResult, Severity } from '../types';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';

/**
 * What a rule that produced findings is about, as the offline provider describes its rules. Model
 * findings have no rule; renderers synthesise one per category (see `sarif.ts`).
 */
export interface RuleDescriptor {
  /** Rule id as carried in `Finding.ruleId`, e.g. `security/sql-injection`. */
  id: string;
  /** One-line title ("SQL query built from untrusted input"). */
  title: string;
  /** A paragraph (plain text or light markdown) on what the rule detects and why it matters. */
  description: string;
  /** The rule's default severity. */
  severity: Severity;
  /** `CWE-89`, `OWASP A03:2021`, ... (see `references.ts`). */
  references: string[];
  /** Ids of the personas the rule belongs to. */
  personas: string[];
}

/** Options every renderer accepts. */
export interface RenderOptions {
  /** Version of Persona Review that produced the report (package.json `version`). */
  toolVersion: string;
  /** Descriptors of the rules that may appear in `Finding.ruleId` (the offline provider's rules). */
  rules?: RuleDescriptor[];
  /**
   * Absolute path of the directory findings' paths are relative to. SARIF uses it for
   * `run.originalUriBaseIds["%SRCROOT%"]`; without it SARIF consumers resolve `%SRCROOT%` themselves.
   */
  root?: string;
  /** Override of the tool's home page in SARIF `tool.driver.informationUri` (absolute URI). */
  informationUri?: string;
}

/** The report formats of the CLI's `--format`. */
export type ReportFormat = 'md' | 'json' | 'sarif';

/** All values of {@link ReportFormat}. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'json', 'sarif'];

/**
 * Renders a review result as a string in the requested format: `md` (markdown, see `renderMarkdown`),
 * `json` (schemaVersion 1, see `renderJson`) or `sarif` (SARIF 2.1.0 log, see `renderSarif`). Output
 * ends with a newline.
 *
 * Throws an Error naming the accepted formats when `format` is not one of them (callers such as the
 * CLI may pass unchecked strings).
 */
export function renderReport(result: ReviewResult, format: ReportFormat, opts: RenderOptions): string {
  switch (format) {
    case 'md':
      return renderMarkdown(result, opts);
    case 'json':
      return renderJson(result, opts);
    case 'sarif':
      return renderSarif(result, opts);
    default:
      throw new Error(`Unknown report format "${String(format)}": use one of ${REPORT_FORMATS.join(', ')}.`);
  }
}

export { renderMarkdown } from './markdown';
export { renderJson, toJsonReport, type JsonReport, JSON_REPORT_SCHEMA_VERSION } from './json';
export { renderSarif, toSarifLog, SARIF_SCHEMA_URI, PERSONA_REVIEW_INFORMATION_URI } from './sarif';
