/**
 * Validation of SARIF logs against the official SARIF 2.1.0 JSON schema (the copy shipped by
 * @microsoft/jest-sarif: lib/schemas/sarif-2.1.0-rtm.5.json), for tests.
 *
 * That schema is written in JSON Schema draft-04 (`id`, `$schema` draft-04). Ajv 8 speaks draft-07, and
 * the schema uses nothing whose meaning differs between the two, so the only adaptation is renaming the
 * root `id` to `$id` and dropping the draft-04 `$schema`; patterns are compiled without the `u` flag
 * (see below). Formats (`uri`, `uri-reference`, `date-time`)
 * are checked with ajv-formats.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Absolute path of the SARIF 2.1.0 schema file used. */
export const SARIF_SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const raw = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as { $schema?: string; id?: string } & Record<string, unknown>;
  const { $schema: _draft04, id, ...rest } = raw;
  const schema: Record<string, unknown> = { ...rest, $id: id };
  // unicodeRegExp off: the schema's `language` pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` has a stray
  // `]` that is legal in a plain RegExp but a syntax error under the `u` flag Ajv uses by default.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/**
 * Validates a SARIF log (the parsed object, not text) against the SARIF 2.1.0 schema. Returns one
 * message per violation, `<instance path>: <problem>` (e.g. `/runs/0/results/0/level: must be equal to
 * one of the allowed values (none, note, warning, error)`); an empty array means valid.
 */
export function validateSarif(log: unknown): string[] {
  validator ??= compile();
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => {
    const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    return `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}${allowed}`;
  });
}
