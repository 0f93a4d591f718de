import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Finding, Persona, PersonaCategory, ReviewResult } from '../../src/core/types';
import { findingSchema } from '../../src/core/findingSchema';
import { renderReport, toJsonReport, toSarifLog, type RenderOptions, type RuleDescriptor } from '../../src/core/render/index';
import { validateSarif } from '../support/sarifSchema';

// ---------------------------------------------------------------- fixture

function persona(id: string, name: string, category: PersonaCategory): Persona {
  return {
    id,
    name,
    description: `${name} review`,
    category,
    icon: 'person',
    chat: id,
    commands: [],
    questions: [],
    reviews: true,
    prompt: 'You review code.',
    source: `/personas/${id}.md`,
  };
}

/** A quote holding a run of four backticks: a naive ``` fence would be closed by it. */
const TRICKY_QUOTE = "const banner = '````' + lang; // closes a naive fence\nawait fetch(url);";

const F_SQL: Finding = {
  id: 'F1',
  personaIds: ['security'],
  file: 'src/db/users.ts',
  range: { startLine: 12, endLine: 13 },
  quote: 'const sql = `SELECT * FROM users WHERE name = \'${name}\'`;\nreturn db.query(sql);',
  severity: 'critical',
  category: 'sql-injection',
  ruleId: 'security/sql-injection',
  title: 'SQL query built from request input',
  message: 'The `name` parameter is concatenated into SQL. Use a **parameterised** query.',
  suggestion: {
    replacement: "return db.query('SELECT * FROM users WHERE name = $1', [name]);",
    description: 'Pass `name` as a bound parameter.',
  },
  references: ['CWE-89', 'OWASP A03:2021'],
  confidence: 0.95,
  fingerprint: 'fp-sql-0001',
};

const F_RACE: Finding = {
  id: 'F2',
  personaIds: ['concurrency', 'security'],
  file: 'src/jobs/counter.ts',
  range: { startLine: 20, endLine: 21 },
  quote: 'const n = await store.get(key);\nawait store.set(key, n + 1);',
  severity: 'high',
  category: 'race-condition',
  title: 'Read-modify-write on shared counter without a lock',
  message: 'Two workers can read the same value and both write `n + 1`.',
  references: ['CWE-362'],
  confidence: 0.7,
  fingerprint: 'fp-race-0002',
  severityByPersona: { concurrency: 'high', security: 'medium' },
};

const F_TIMEOUT: Finding = {
  id: 'F3',
  personaIds: ['sre'],
  file: 'src/http/client.ts',
  range: { startLine: 8, endLine: 9 },
  quote: TRICKY_QUOTE,
  severity: 'medium',
  category: 'missing-timeout',
  title: 'Outbound call without a timeout',
  message: 'A slow upstream holds this request forever.',
  references: ['CWE-400'],
  confidence: 0.8,
  fingerprint: 'fp-timeout-0003',
};

const F_LOG: Finding = {
  id: 'F4',
  personaIds: ['sre'],
  file: 'src/http/client.ts',
  range: { startLine: 30, endLine: 30, startColumn: 5, endColumn: 28 },
  quote: 'console.log(err.stack);',
  severity: 'low',
  category: 'missing-timeout',
  title: 'Retry loop in *fetchAll* [see docs](http://evil.example)',
  message: '',
  references: [],
  confidence: 0.4,
  fingerprint: 'fp-log-0004',
};

const PERSONAS = [
  persona('security', 'Security Engineer', 'security'),
  persona('concurrency', 'Concurrency Expert', 'performance'),
  persona('sre', 'Site Reliability Engineer', 'operations'),
];

function fixture(): ReviewResult {
  return {
    findings: [F_SQL, F_RACE, F_TIMEOUT, F_LOG],
    dropped: [
      {
        personaId: 'sre',
        reason: 'quote-not-found',
        detail: 'quote "pool.acquire()" is not in src/db/pool.ts',
        draft: { file: 'src/db/pool.ts', line: 40, title: 'Pool never released', quote: 'pool.acquire()' },
      },
    ],
    reviews: {
      security: '## Summary\n\nOne injection, one race.\n\n```ts\n# not a heading\n```\n',
      concurrency: 'The counter update is not atomic.',
      sre: '# SRE review\n\nTimeouts are missing on outbound calls:\n\n```ts\nconst res = await fetch(url',
    },
    usage: {
      security: { inputTokens: 1200, outputTokens: 300 },
      concurrency: { inputTokens: 1100, outputTokens: 200 },
      sre: { inputTokens: 1000, outputTokens: 90 },
    },
    errors: [
      {
        personaId: 'sre',
        error: { kind: 'stream-cut', message: 'The connection closed before the reply ended.', retryable: true },
        partial: true,
      },
    ],
    notices: [
      'Content cut: src/big.ts lines 400-900 were over the token budget and were not reviewed.',
      '# 2 secrets redacted in config/settings.ts',
    ],
    personas: PERSONAS,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    filesReviewed: 3,
    durationMs: 12_345,
  };
}

function emptyResult(): ReviewResult {
  return {
    findings: [],
    dropped: [],
    reviews: {},
    usage: {},
    errors: [],
    notices: [],
    personas: [PERSONAS[0] as Persona],
    provider: 'offline',
    filesReviewed: 2,
    durationMs: 40,
  };
}

const SQL_RULE: RuleDescriptor = {
  id: 'security/sql-injection',
  title: 'SQL built from untrusted input',
  description: 'Detects SQL text assembled from **variables** instead of bound parameters.',
  severity: 'critical',
  references: ['CWE-89', 'OWASP A03:2021'],
  personas: ['security'],
};

const ROOT = path.resolve('/tmp/persona-review-project');
const OPTS: RenderOptions = { toolVersion: '0.1.0', rules: [SQL_RULE], root: ROOT };

/** The fenced code blocks of a markdown text, as CommonMark would read them (backtick and tilde fences). */
function codeBlocks(md: string): Array<{ info: string; code: string }> {
  const blocks: Array<{ info: string; code: string }> = [];
  let open: { fence: string; info: string; lines: string[] } | undefined;
  for (const line of md.split('\n')) {
    if (!open) {
      const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      if (m?.[1]) open = { fence: m[1], info: (m[2] ?? '').trim(), lines: [] };
      continue;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close?.[1] && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
      blocks.push({ info: open.info, code: open.lines.join('\n') });
      open = undefined;
    } else open.lines.push(line);
  }
  assert.equal(open, undefined, 'every fenced block is closed');
  return blocks;
}

// ---------------------------------------------------------------- markdown

test('markdown: summary line counts findings by severity and names personas, provider, files, duration', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  assert.ok(md.startsWith('# Persona Review report\n'));
  const summary = md.split('\n')[2] ?? '';
  assert.match(summary, /4 findings\*\*: 1 critical, 1 high, 1 medium, 1 low/);
  assert.match(summary, /personas: Security Engineer, Concurrency Expert, Site Reliability Engineer/);
  assert.match(summary, /provider: anthropic \(claude-sonnet-4-5\)/);
  assert.match(summary, /3 files reviewed/);
  assert.match(summary, /12\.3 s/);
});

test('markdown: every finding appears with its file:line location, grouped by severity in order', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  for (const loc of ['`src/db/users.ts:12-13`', '`src/jobs/counter.ts:20-21`', '`src/http/client.ts:8-9`', '`src/http/client.ts:30`']) {
    assert.ok(md.includes(loc), `location ${loc} is shown`);
  }
  const order = ['### Critical (1)', '### High (1)', '### Medium (1)', '### Low (1)'].map((h) => md.indexOf(h));
  assert.ok(order.every((i) => i > 0), 'every severity section present');
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'sections run from critical to low');
  assert.ok(md.indexOf('src/db/users.ts:12-13') > order[0]! && md.indexOf('src/db/users.ts:12-13') < order[1]!);
});

test('markdown: merged findings name the personas that agree and their severity disagreement', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  assert.ok(md.includes('Concurrency Expert + Security Engineer'));
  assert.match(md, /Severity disagreement: Concurrency Expert says \*\*high\*\*, Security Engineer says \*\*medium\*\*; reported as \*\*high\*\*/);
  // Single-persona findings are not described as disagreements.
  assert.equal(md.match(/Severity disagreement/g)?.length, 1);
});

test('markdown: notices, dropped findings with reasons, and a cut stream with what arrived', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  const notices = md.slice(md.indexOf('## Notices'), md.indexOf('## Findings'));
  assert.ok(notices.includes('Content cut: src/big.ts lines 400-900 were over the token budget'));
  assert.ok(notices.includes('\n- \\# 2 secrets redacted in config/settings.ts\n'), 'a notice cannot become a heading');
  assert.match(notices, /1 proposed finding was dropped: 1 quote not found in the file/);
  assert.ok(notices.includes('Site Reliability Engineer "Pool never released" (`src/db/pool.ts:40`)'));
  assert.match(notices, /\*\*Error\*\* from Site Reliability Engineer \(stream-cut\): The connection closed before the reply ended\./);
  assert.match(notices, /incomplete; what arrived is kept: 2 findings and the review text below/);
  assert.match(notices, /Running the review again may succeed/);
});

test('markdown: quote, suggestion and references render as code blocks and links', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  const blocks = codeBlocks(md);
  assert.ok(blocks.some((b) => b.info === 'typescript' && b.code === F_SQL.quote), 'SQL quote fenced with a language tag');
  assert.ok(blocks.some((b) => b.code === F_SQL.suggestion?.replacement), 'replacement shown as code');
  assert.ok(md.includes('**Suggestion:** Pass `name` as a bound parameter.'));
  assert.ok(md.includes('[CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)'));
  assert.ok(md.includes('[OWASP A03:2021: Injection](https://owasp.org/Top10/2021/A03_2021-Injection/)'));
  assert.ok(md.includes('The `name` parameter is concatenated into SQL.'), 'message markdown kept');
});

test('markdown: a quote containing a backtick run is fenced with a longer fence and stays intact', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  const blocks = codeBlocks(md);
  assert.ok(
    blocks.some((b) => b.code === TRICKY_QUOTE),
    'the quote with ```` is one code block, not cut short',
  );
  assert.ok(md.includes('`````typescript\n' + TRICKY_QUOTE + '\n`````'), 'five-backtick fence around a four-backtick run');
});

test('markdown: titles from model output are escaped, so they cannot inject links or emphasis', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  assert.ok(!md.includes('[see docs](http://evil.example)'), 'no live link from a title');
  assert.ok(md.includes('Retry loop in \\*fetchAll\\* \\[see docs\\](http://evil.example)'));
});

test('markdown: persona reviews follow under plain headings, their own headings nested below', () => {
  const md = renderReport(fixture(), 'md', OPTS);
  const reviews = md.slice(md.indexOf('## Reviews'));
  assert.ok(reviews.length > 0 && md.includes('## Reviews'));
  assert.ok(!md.includes('<details>'), 'nothing collapsed: terminals show raw markdown');
  const order = ['### Security Engineer', '### Concurrency Expert', '### Site Reliability Engineer'].map((h) => reviews.indexOf(h));
  assert.ok(order.every((i) => i >= 0));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.ok(reviews.includes('\n#### Summary\n'), '## in a review becomes #### under the persona heading');
  assert.ok(reviews.includes('\n#### SRE review\n'));
  assert.ok(reviews.includes('```ts\n# not a heading\n```'), 'code inside a review is untouched');
  assert.ok(md.trimEnd().endsWith('_Persona Review 0.1.0_'), 'footer names the tool version');
  // The SRE reply was cut inside a code block: the block is closed so the footer stays outside it.
  assert.ok(codeBlocks(md).some((b) => b.code === 'const res = await fetch(url'));
  assert.ok(!codeBlocks(md).some((b) => b.code.includes('Persona Review 0.1.0')));
});

test('markdown: an empty result says "No findings" and has no findings or reviews sections', () => {
  const md = renderReport(emptyResult(), 'md', OPTS);
  assert.match(md, /## Findings\n\nNo findings\.\n/);
  assert.match(md, /\*\*0 findings\*\* · personas: Security Engineer · provider: offline · 2 files reviewed · 40 ms/);
  assert.ok(!md.includes('## Notices'));
  assert.ok(!md.includes('## Reviews'));
  assert.ok(!md.includes('### Critical'));
});

test('markdown: no findings because a persona failed says so instead of a bare "No findings"', () => {
  const r = emptyResult();
  r.errors.push({ personaId: 'security', error: { kind: 'auth', message: 'The API key was rejected.', status: 401, retryable: false }, partial: false });
  const md = renderReport(r, 'md', OPTS);
  assert.ok(md.includes('No findings. Some personas did not finish; see the notices above.'));
  assert.match(md, /\*\*Error\*\* from Security Engineer \(auth, HTTP 401\): The API key was rejected\. Nothing arrived from this persona\./);
});

// ---------------------------------------------------------------- JSON

test('json: documented top-level shape, summary counts and persona names', () => {
  const text = renderReport(fixture(), 'json', OPTS);
  assert.ok(text.endsWith('}\n'));
  const report = JSON.parse(text) as ReturnType<typeof toJsonReport>;
  assert.deepEqual(Object.keys(report), [
    'schemaVersion', 'tool', 'provider', 'model', 'personas', 'complete', 'missing', 'summary', 'findings', 'dropped', 'notices', 'errors', 'usage', 'reviews', 'team', 'suppressed', 'baseline',
  ]);
  // The fixture's SRE reply was cut: the report says the review is incomplete and what is missing.
  assert.equal(report.complete, false);
  assert.deepEqual(report.missing.map((m) => [m.personaId, m.reason, m.partial]), [['sre', 'stream-cut', true]]);
  assert.equal(report.schemaVersion, 1);
  assert.deepEqual(report.tool, { name: 'Persona Review', version: '0.1.0' });
  assert.equal(report.provider, 'anthropic');
  assert.equal(report.model, 'claude-sonnet-4-5');
  assert.deepEqual(report.personas, [
    { id: 'security', name: 'Security Engineer' },
    { id: 'concurrency', name: 'Concurrency Expert' },
    { id: 'sre', name: 'Site Reliability Engineer' },
  ]);
  assert.deepEqual(report.summary, {
    bySeverity: { critical: 1, high: 1, medium: 1, low: 1 },
    total: 4,
    dropped: 1,
    filesReviewed: 3,
    durationMs: 12_345,
    suppressed: 0,
    baseline: null,
  });
  assert.equal(report.errors[0]?.partial, true);
  assert.equal(report.errors[0]?.error.kind, 'stream-cut');
  assert.deepEqual(report.notices, fixture().notices);
  assert.deepEqual(report.usage.security, { inputTokens: 1200, outputTokens: 300 });
  assert.equal(report.reviews.concurrency, 'The counter update is not atomic.');
});

test('json: findings round-trip unchanged and validate against the Finding schema', () => {
  const report = JSON.parse(renderReport(fixture(), 'json', OPTS)) as ReturnType<typeof toJsonReport>;
  assert.equal(report.findings.length, 4);
  for (const [i, f] of report.findings.entries()) {
    const parsed = findingSchema.safeParse(f);
    assert.ok(parsed.success, `finding ${i} valid: ${parsed.success ? '' : parsed.error.message}`);
    assert.deepEqual(f, fixture().findings[i]);
  }
  assert.deepEqual(report.dropped, fixture().dropped);
});

test('json: output is stable: same result with keys in another order renders identically; model null when absent', () => {
  const a = fixture();
  const b = fixture();
  b.findings = b.findings.map((f) => Object.fromEntries(Object.entries(f).reverse()) as unknown as Finding);
  b.reviews = Object.fromEntries(Object.entries(b.reviews).reverse());
  assert.equal(renderReport(b, 'json', OPTS), renderReport(a, 'json', OPTS));
  const empty = JSON.parse(renderReport(emptyResult(), 'json', OPTS)) as ReturnType<typeof toJsonReport>;
  assert.equal(empty.model, null);
  assert.deepEqual(empty.findings, []);
  assert.deepEqual(empty.summary.bySeverity, { critical: 0, high: 0, medium: 0, low: 0 });
});

// ---------------------------------------------------------------- SARIF

test('sarif: the log validates against the SARIF 2.1.0 schema (full, empty, without root)', () => {
  const full = JSON.parse(renderReport(fixture(), 'sarif', OPTS)) as unknown;
  assert.deepEqual(validateSarif(full), []);
  assert.deepEqual(validateSarif(toSarifLog(emptyResult(), OPTS)), []);
  assert.deepEqual(validateSarif(toSarifLog(fixture(), { toolVersion: 'dev build' })), []);
});

test('sarif: the validator rejects a broken log (so the check above can fail)', () => {
  const log = JSON.parse(JSON.stringify(toSarifLog(fixture(), OPTS))) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
  const result = log.runs[0]?.results[0];
  assert.ok(result);
  result.level = 'fatal';
  const errors = validateSarif(log);
  assert.ok(errors.some((e) => e.startsWith('/runs/0/results/0/level')), errors.join('\n'));
  const noVersion = { runs: [] };
  assert.notDeepEqual(validateSarif(noVersion), []);
});

test('sarif: header, driver and base URI', () => {
  const log = toSarifLog(fixture(), OPTS);
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'Persona Review');
  assert.equal(run.tool.driver.version, '0.1.0');
  assert.match(run.tool.driver.informationUri ?? '', /^https:\/\//);
  const base = run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? '';
  assert.ok(base.startsWith('file://') && base.endsWith('/'), base);
  assert.ok(decodeURIComponent(base).includes('persona-review-project/'));
  assert.equal(toSarifLog(fixture(), { toolVersion: '0.1.0' }).runs[0]?.originalUriBaseIds, undefined);
});

test('sarif: one rule per rule id used; ruleIndex points to the right rule; synthesised rules from categories', () => {
  const run = toSarifLog(fixture(), OPTS).runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  assert.deepEqual(rules.map((r) => r.id), ['security/sql-injection', 'race-condition', 'missing-timeout']);
  for (const r of run.results ?? []) {
    assert.equal(typeof r.ruleIndex, 'number');
    assert.equal(rules[r.ruleIndex!]?.id, r.ruleId);
  }
  const [sql, race, timeout] = rules;
  assert.equal(sql?.name, 'SecuritySqlInjection');
  assert.equal(sql?.shortDescription?.text, 'SQL built from untrusted input', 'descriptor from RenderOptions.rules');
  assert.equal(race?.shortDescription?.text, F_RACE.title, 'synthesised rule titled by its first finding');
  assert.equal(race?.name, 'RaceCondition');
  assert.equal(timeout?.shortDescription?.text, F_TIMEOUT.title);
  assert.equal(timeout?.defaultConfiguration?.level, 'warning', 'most severe of its findings (medium)');
});

test('sarif: rules carry help text, markdown links and helpUri; security rules get GitHub security-severity', () => {
  const rules = toSarifLog(fixture(), OPTS).runs[0]!.tool.driver.rules ?? [];
  const [sql, race, timeout] = rules;
  assert.equal(sql?.helpUri, 'https://cwe.mitre.org/data/definitions/89.html');
  assert.ok(sql?.help?.text.includes('CWE-89: SQL Injection: https://cwe.mitre.org/data/definitions/89.html'));
  assert.ok(sql?.help?.text.includes('Detects SQL text assembled from variables'), 'plain text without markdown marks');
  assert.ok(sql?.help?.markdown?.includes('[OWASP A03:2021: Injection](https://owasp.org/Top10/2021/A03_2021-Injection/)'));
  assert.equal(sql?.fullDescription?.text, 'Detects SQL text assembled from variables instead of bound parameters.');
  assert.equal(sql?.defaultConfiguration?.level, 'error');
  // `security` is both the GitHub tag and the persona id; tags are de-duplicated.
  assert.deepEqual(sql?.properties?.tags, ['security', 'CWE-89', 'OWASP A03:2021']);
  assert.equal(sql?.properties?.['security-severity'], '9.0');
  assert.equal(sql?.properties?.precision, 'very-high');
  // The race was co-reported by the security persona: a security rule at its default (high) severity.
  assert.equal(race?.properties?.['security-severity'], '7.5');
  assert.ok((race?.properties?.tags as string[]).includes('concurrency'));
  assert.equal(race?.helpUri, 'https://cwe.mitre.org/data/definitions/362.html');
  // SRE-only operational rule: not a security rule.
  assert.equal(timeout?.properties?.['security-severity'], undefined);
  assert.ok(!(timeout?.properties?.tags as string[]).includes('security'));
  for (const r of rules) {
    assert.ok(r.help?.text && r.help.markdown, `rule ${r.id} has help text and markdown`);
    assert.ok(r.helpUri, `rule ${r.id} has helpUri`);
  }
});

test('sarif: results map level, location, snippet, fingerprint and properties', () => {
  const results = toSarifLog(fixture(), OPTS).runs[0]!.results ?? [];
  assert.deepEqual(results.map((r) => r.level), ['error', 'error', 'warning', 'note']);
  const findings = fixture().findings;
  for (const [i, r] of results.entries()) {
    const f = findings[i]!;
    assert.equal(r.partialFingerprints?.['personaReview/v1'], f.fingerprint);
    const loc = r.locations?.[0]?.physicalLocation;
    assert.equal(loc?.artifactLocation?.uri, f.file);
    assert.equal(loc?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.equal(loc?.region?.startLine, f.range.startLine);
    assert.equal(loc?.region?.endLine, f.range.endLine);
    assert.equal(loc?.region?.snippet?.text, f.quote);
    assert.deepEqual(r.properties?.personas, f.personaIds);
    assert.equal(r.properties?.severity, f.severity);
    assert.equal(r.properties?.confidence, f.confidence);
    assert.equal(r.properties?.category, f.category);
  }
  assert.equal(results[0]?.message.text, 'SQL query built from request input. The name parameter is concatenated into SQL. Use a parameterised query.');
  assert.equal(results[3]?.locations?.[0]?.physicalLocation?.region?.startColumn, 5);
  assert.equal(results[3]?.locations?.[0]?.physicalLocation?.region?.endColumn, 28);
  assert.equal(results[0]?.locations?.[0]?.physicalLocation?.region?.startColumn, undefined);
  assert.deepEqual(results[1]?.properties?.severityByPersona, { concurrency: 'high', security: 'medium' });
});

test('sarif: a suggestion with a replacement becomes a fix replacing exactly the finding range', () => {
  const results = toSarifLog(fixture(), OPTS).runs[0]!.results ?? [];
  const fix = results[0]?.fixes?.[0];
  assert.ok(fix);
  assert.equal(fix.description?.text, 'Pass `name` as a bound parameter.');
  const change = fix.artifactChanges[0];
  assert.equal(change?.artifactLocation.uri, 'src/db/users.ts');
  assert.deepEqual(change?.replacements[0]?.deletedRegion, { startLine: 12, endLine: 13 });
  assert.equal(change?.replacements[0]?.insertedContent?.text, F_SQL.suggestion?.replacement);
  assert.equal(results[1]?.fixes, undefined, 'no replacement, no fix');
});

test('sarif: errors make the invocation unsuccessful and appear, with notices, as notifications', () => {
  const inv = toSarifLog(fixture(), OPTS).runs[0]!.invocations?.[0];
  assert.equal(inv?.executionSuccessful, false);
  const notes = inv?.toolExecutionNotifications ?? [];
  const err = notes.find((n) => n.level === 'error');
  assert.match(err?.message.text ?? '', /Site Reliability Engineer \(stream-cut\): The connection closed.*incomplete/);
  assert.equal(err?.properties?.partial, true);
  assert.ok(notes.some((n) => n.level === 'note' && n.message.text?.startsWith('Content cut: src/big.ts')));
  assert.ok(notes.some((n) => n.level === 'warning' && /1 proposed finding\(s\) were dropped.*quote-not-found/.test(n.message.text ?? '')));
  const clean = toSarifLog(emptyResult(), OPTS).runs[0]!;
  assert.equal(clean.invocations?.[0]?.executionSuccessful, true);
  assert.deepEqual(clean.results, []);
  assert.deepEqual(clean.tool.driver.rules, []);
});

test('sarif: paths with spaces and # are encoded as relative URI references', () => {
  const r = fixture();
  r.findings = [{ ...F_TIMEOUT, file: 'src/my dir/@scope/a#b.ts' }];
  const log = toSarifLog(r, OPTS);
  assert.equal(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'src/my%20dir/@scope/a%23b.ts');
  assert.deepEqual(validateSarif(log), []);
});

// ---------------------------------------------------------------- dispatch

test('renderReport rejects an unknown format with the list of accepted ones', () => {
  assert.throws(() => renderReport(fixture(), 'html' as never, OPTS), /Unknown report format "html": use one of md, json, sarif/);
});
