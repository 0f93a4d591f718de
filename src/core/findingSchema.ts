/**
 * Validation of findings with zod: the one Finding schema of DESIGN.md, and the looser draft schema a
 * provider's output is checked against before anchoring.
 */
import { z } from 'zod';
import { SEVERITIES, type FindingDraft } from './types';

/** Severity accepted from a model: the four of the seed's scheme, case-insensitive; common synonyms mapped. */
const severitySchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .transform((s) => (s === 'blocker' ? 'critical' : s === 'minor' || s === 'trivial' || s === 'info' ? 'low' : s === 'major' ? 'high' : s))
  .pipe(z.enum(SEVERITIES));

/** Schema of a finding draft as a provider emits it (JSON in a ```finding block for models). */
export const findingDraftSchema = z.object({
  file: z.string().min(1, 'file is required: the workspace-relative path of the reviewed file'),
  line: z.coerce.number().int().positive().optional(),
  endLine: z.coerce.number().int().positive().optional(),
  quote: z.string().min(1, 'quote is required: the exact code the finding is about'),
  severity: severitySchema,
  category: z
    .string()
    .min(1)
    .transform((s) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')),
  ruleId: z.string().optional(),
  title: z.string().min(1, 'title is required'),
  message: z.string().default(''),
  suggestion: z
    .object({ replacement: z.string().optional(), description: z.string().default('') })
    .optional(),
  references: z.array(z.string()).default([]),
  confidence: z.coerce.number().min(0).max(1).optional(),
});

/** Result of {@link parseFindingDraft}: the draft, or a one-line reason naming the fields that were wrong. */
export type DraftParse = { ok: true; draft: FindingDraft } | { ok: false; error: string };

/**
 * Validates an unknown value (parsed JSON) as a finding draft.
 * Never throws; on failure returns `error` like `severity: expected one of critical|high|medium|low`.
 */
export function parseFindingDraft(value: unknown): DraftParse {
  const r = findingDraftSchema.safeParse(value);
  if (r.success) return { ok: true, draft: r.data as FindingDraft };
  const error = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, error };
}

/** Schema of a final Finding (used to validate JSON output and imported results). */
export const findingSchema = z.object({
  id: z.string(),
  personaIds: z.array(z.string()).min(1),
  file: z.string(),
  range: z.object({
    startLine: z.number().int().positive(),
    endLine: z.number().int().positive(),
    startColumn: z.number().int().positive().optional(),
    endColumn: z.number().int().positive().optional(),
  }),
  quote: z.string(),
  severity: z.enum(SEVERITIES),
  category: z.string(),
  ruleId: z.string().optional(),
  title: z.string(),
  message: z.string(),
  suggestion: z.object({ replacement: z.string().optional(), description: z.string() }).optional(),
  references: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  fingerprint: z.string(),
  severityByPersona: z.record(z.string(), z.enum(SEVERITIES)).optional(),
});
