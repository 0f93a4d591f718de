/**
 * Inline suppressions (`persona-review-ignore`), the suppressions file and the engine's triage: what a
 * team lead sees when findings are accepted with a reason, and when a suppression is malformed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reviewContext } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { parseInlineDirectives } from '../../src/core/suppressions/inline';
import { addSuppressions, parseSuppressionsFile, readSuppressionsFile, removeSuppressions } from '../../src/core/suppressions/file';
import type { Persona, ProviderEvent, ReviewContext, ReviewProvider, SourceFile } from '../../src/core/types';
import { complexPlanJs } from '../support/complexSample';

function persona(id: string): Persona {
  return { id, name: id.toUpperCase(), description: '', category: 'security', icon: 'shield', chat: id, commands: [], questions: [], reviews: true, prompt: '', source: '' };
}

function source(p: string, text: string, language = 'javascript', over: Partial<SourceFile> = {}): SourceFile {
  return { path: p, absPath: `/ws/${p}`, language, text, lineCount: text.split('\n').length, redactions: 0, ...over };
}

function ctx(files: SourceFile[], root = '/nonexistent-ws'): ReviewContext {
  return { root, files, chunks: [], notices: [], totalTokens: 0 };
}

function scripted(events: ProviderEvent[]): ReviewProvider {
  return {
    id: 'scripted',
    async *review() {
      for (const e of events) yield e;
    },
  };
}

const SQL = 'db.query("SELECT * FROM t WHERE id = " + req.query.id);';
const draft = (quote: string, extra: Record<string, unknown> = {}) => ({
  type: 'finding' as const,
  finding: { file: 'src/a.js', quote, severity: 'critical' as const, category: 'sql-injection', title: 'SQL from input', message: 'm', ...extra },
});

// ------------------------------------------------------------------ inline comment syntax

test('inline: every supported comment syntax is read, on the line and on the line above', () => {
  const cases: Array<[string, string]> = [
    ['javascript', `x(); // persona-review-ignore sql-injection -- id is an int`],
    ['typescript', `/* persona-review-ignore sql-injection -- id is an int */`],
    ['go', `// persona-review-ignore sql-injection -- id is an int`],
    ['java', ` * persona-review-ignore sql-injection -- id is an int`],
    ['python', `run(q)  # persona-review-ignore sql-injection -- id is an int`],
    ['yaml', `# persona-review-ignore sql-injection -- id is an int`],
    ['shellscript', `# persona-review-ignore sql-injection -- id is an int`],
    ['sql', `-- persona-review-ignore sql-injection -- id is an int`],
    ['lua', `-- persona-review-ignore sql-injection -- id is an int`],
    ['html', `<!-- persona-review-ignore sql-injection -- id is an int -->`],
    ['markdown', `<!-- persona-review-ignore sql-injection -- id is an int -->`],
    ['clojure', `; persona-review-ignore sql-injection -- id is an int`],
    ['erlang', `% persona-review-ignore sql-injection -- id is an int`],
    ['ocaml', `(* persona-review-ignore sql-injection -- id is an int *)`],
    ['rust', `// persona-review-ignore sql-injection -- id is an int`],
    ['dockerfile', `# persona-review-ignore sql-injection -- id is an int`],
    ['unknown-language', `# persona-review-ignore sql-injection -- id is an int`],
  ];
  for (const [language, line] of cases) {
    const [d] = parseInlineDirectives(`first\n${line}\nnext`, language);
    assert.ok(d, `${language}: directive read from ${line}`);
    assert.equal(d.kind, 'line');
    assert.deepEqual(d.names, ['sql-injection'], language);
    assert.equal(d.reason, 'id is an int', `${language}: reason ends at the comment closer`);
    assert.deepEqual(d.covers, { startLine: 2, endLine: 3 }, `${language}: its own line and the next`);
  }
});

test('inline: a marker outside a comment, the wrong comment syntax, or JSON is not a directive', () => {
  assert.equal(parseInlineDirectives('const s = "persona-review-ignore sql-injection -- x";', 'javascript').length, 0);
  assert.equal(parseInlineDirectives('# persona-review-ignore sql-injection -- x', 'javascript').length, 0, '# is no comment in JavaScript');
  assert.equal(parseInlineDirectives('// persona-review-ignore sql-injection -- x', 'python').length, 0, '// is no comment in Python');
  assert.equal(parseInlineDirectives('{"a": "// persona-review-ignore x -- y"}', 'json').length, 0);
  assert.equal(parseInlineDirectives('// persona-review-ignored x -- y', 'javascript').length, 0, 'the marker must end at a word boundary');
});

test('inline: names split on commas and spaces; stacked directives all cover the code line below them', () => {
  const text = ['// persona-review-ignore security/sql-injection, command-injection -- reviewed with SEC-12', '// persona-review-ignore hardcoded-secret -- test key', 'code();'].join('\n');
  const ds = parseInlineDirectives(text, 'javascript');
  assert.deepEqual(ds[0]!.names, ['security/sql-injection', 'command-injection']);
  assert.deepEqual(ds[0]!.covers, { startLine: 1, endLine: 3 });
  assert.deepEqual(ds[1]!.covers, { startLine: 2, endLine: 3 });
});

test('inline: a file directive counts only in the first 10 lines, and may name nothing', () => {
  const top = parseInlineDirectives('#!/usr/bin/env node\n// persona-review-ignore-file -- generated by protoc\ncode();', 'javascript');
  assert.equal(top[0]!.kind, 'file');
  assert.deepEqual(top[0]!.names, []);
  assert.equal(top[0]!.reason, 'generated by protoc');
  const late = parseInlineDirectives(`${'x();\n'.repeat(10)}// persona-review-ignore-file -- too late`, 'javascript');
  assert.equal(late.length, 0);
});

test('inline: missing reason and missing names are parsed as such (the triage reports them)', () => {
  const [a] = parseInlineDirectives('// persona-review-ignore sql-injection', 'javascript');
  assert.equal(a!.reason, undefined);
  const [b] = parseInlineDirectives('// persona-review-ignore -- because', 'javascript');
  assert.deepEqual(b!.names, []);
  assert.equal(b!.reason, 'because');
});

// ------------------------------------------------------------------ the engine's triage

test('triage: an inline suppression with a reason silences the finding; it is kept with its justification', async () => {
  const text = ['// persona-review-ignore sql-injection -- id is validated as an integer by the router', SQL, 'other();'].join('\n');
  const events: string[] = [];
  const r = await reviewContext(ctx([source('src/a.js', text)]), {
    personas: [persona('security')],
    provider: scripted([draft(SQL)]),
    onEvent: (e) => events.push(e.type),
  });
  assert.equal(r.findings.length, 0, 'not reported');
  assert.ok(!events.includes('finding'), 'not streamed either (an editor never shows it)');
  assert.equal(r.suppressed?.length, 1);
  const s = r.suppressed![0]!;
  assert.equal(s.id, 'S1');
  assert.deepEqual(
    { kind: s.suppression.kind, status: s.suppression.status, justification: s.suppression.justification, line: s.suppression.location.line, added: s.suppression.addedByChange },
    { kind: 'inSource', status: 'accepted', justification: 'id is validated as an integer by the router', line: 1, added: false },
  );
  assert.match(r.notices.join('\n'), /1 finding\(s\) suppressed/);
});

test('triage: a suppression names a rule id or a category; another rule on the same line is still reported', async () => {
  const text = [`${SQL} // persona-review-ignore security/sql-injection -- reviewed`].join('\n');
  const r = await reviewContext(ctx([source('src/a.js', text)]), {
    personas: [persona('security')],
    provider: scripted([draft(SQL), draft(SQL, { category: 'missing-timeout', severity: 'high', title: 'No timeout' })]),
  });
  assert.deepEqual(r.findings.map((f) => f.category), ['missing-timeout']);
  assert.deepEqual(r.suppressed?.map((f) => f.category), ['sql-injection'], 'security/sql-injection names the category sql-injection');
});

test('triage: a suppression without a reason silences nothing and is itself reported (Low); so is an unknown rule name', async () => {
  const text = ['// persona-review-ignore sql-injection', SQL, 'x(); // persona-review-ignore no-such-rule -- typo in the name', 'y(); // persona-review-ignore -- no names'].join('\n');
  const r = await reviewContext(ctx([source('src/a.js', text)]), { personas: [persona('security'), persona('sre')], provider: scripted([draft(SQL)]) });
  const bySev = r.findings.map((f) => [f.severity, f.ruleId ?? f.category, f.range.startLine]);
  assert.deepEqual(bySev, [
    ['critical', 'sql-injection', 2],
    ['low', 'persona-review/invalid-suppression', 1],
    ['low', 'persona-review/invalid-suppression', 3],
    ['low', 'persona-review/invalid-suppression', 4],
  ]);
  const [noReason, unknown, noNames] = r.findings.slice(1);
  assert.equal(noReason!.title, 'Suppression without a reason');
  assert.match(noReason!.message, /no reason/);
  assert.equal(unknown!.title, 'Suppression names an unknown rule');
  assert.match(unknown!.message, /`no-such-rule`/);
  assert.equal(noNames!.title, 'Suppression that names no rule');
  assert.equal(noReason!.quote, 'persona-review-ignore sql-injection', 'the quote is the directive, exactly as in the file');
  assert.equal(r.suppressed, undefined);
});

test('triage: a category only a model used is a known name (no false "unknown rule")', async () => {
  const text = [`${SQL} // persona-review-ignore tenant-leak -- single-tenant deployment`].join('\n');
  const r = await reviewContext(ctx([source('src/a.js', text)]), { personas: [persona('security')], provider: scripted([draft(SQL, { category: 'tenant-leak' })]) });
  assert.equal(r.findings.length, 0);
  assert.equal(r.suppressed?.length, 1);
});

test('triage: in a change review, a malformed suppression is reported only when it is on a changed line', async () => {
  const text = ['a(); // persona-review-ignore x', 'b(); // persona-review-ignore y'].join('\n');
  const r = await reviewContext(ctx([source('src/a.js', text, 'javascript', { changedLines: [{ startLine: 2, endLine: 2 }] })]), { personas: [persona('security')], provider: scripted([]) });
  assert.deepEqual(r.findings.map((f) => f.range.startLine), [2]);
});

test('triage: persona-review-ignore-file at the top silences the whole file (or only the rules it names)', async () => {
  const all = ['// persona-review-ignore-file -- vendored copy of upstream, reviewed there', 'x();', SQL].join('\n');
  const r1 = await reviewContext(ctx([source('src/a.js', all)]), { personas: [persona('security')], provider: scripted([draft(SQL), draft('x();', { category: 'style', severity: 'low' })]) });
  assert.equal(r1.findings.length, 0);
  assert.equal(r1.suppressed?.length, 2);
  const named = ['# persona-review-ignore-file style -- generated', 'x()', 'run()'].join('\n');
  const r2 = await reviewContext(ctx([source('src/a.py', named, 'python')]), {
    personas: [persona('security')],
    provider: scripted([
      { type: 'finding', finding: { file: 'src/a.py', quote: 'x()', severity: 'low', category: 'style', title: 't', message: '' } },
      { type: 'finding', finding: { file: 'src/a.py', quote: 'run()', severity: 'high', category: 'command-injection', title: 't', message: '' } },
    ]),
  });
  assert.deepEqual(r2.findings.map((f) => f.category), ['command-injection']);
});

test('triage: triage: false reports everything (no suppression read)', async () => {
  const text = [`${SQL} // persona-review-ignore sql-injection -- reviewed`].join('\n');
  const r = await reviewContext(ctx([source('src/a.js', text)]), { personas: [persona('security')], provider: scripted([draft(SQL)]), triage: false });
  assert.equal(r.findings.length, 1);
});

test('offline provider: suppressed findings do not use up the per-rule limit, so a new one still shows', async () => {
  // Six SQL injections, five of them accepted inline; the offline provider keeps at most 2 per rule here.
  const lines: string[] = ["const express = require('express');", 'const app = express();'];
  for (let i = 0; i < 6; i++) {
    lines.push(`app.get('/r${i}', async (req, res) => {`);
    if (i < 5) lines.push('  // persona-review-ignore security/sql-injection -- admin-only route behind the VPN');
    lines.push(`  res.json(await db.query("SELECT * FROM t${i} WHERE id = " + req.query.id));`, '});');
  }
  const text = lines.join('\n');
  const r = await reviewContext(ctx([source('app.js', text)]), {
    personas: [persona('security')],
    provider: new OfflineProvider({ maxFindingsPerRule: 2 }),
  });
  const sql = r.findings.filter((f) => f.ruleId === 'security/sql-injection');
  assert.equal(sql.length, 1, 'the one without a suppression is reported');
  assert.match(sql[0]!.quote, /t5/);
  assert.equal(r.suppressed?.filter((f) => f.ruleId === 'security/sql-injection').length, 5, 'the five accepted ones are kept aside');
});

// ------------------------------------------------------------------ the suppressions file

const VALID_ENTRY = {
  fingerprint: 'a'.repeat(32),
  rule: 'security/sql-injection',
  file: 'src/a.js',
  quote: SQL,
  reason: 'validated upstream',
  author: 'Jane Doe <jane@example.com>',
  date: '2025-01-10',
};

test('suppressions file: a malformed entry gets an error naming its line and field; the valid entries are kept', () => {
  const text = [
    'version: 1',
    'suppressions:',
    `  - fingerprint: ${'b'.repeat(32)}`,
    '    rule: security/sql-injection',
    '    file: src/a.js',
    '    reason: validated upstream',
    '    author: Jane <j@example.com>',
    '    date: 2025-01-10',
    `  - fingerprint: ${'c'.repeat(32)}`,
    '    rule: security/xss',
    '    file: src/b.js',
    '    author: Bob <b@example.com>',
    '    date: 2025-01-11',
    `  - fingerprint: ${'d'.repeat(32)}`,
    '    rule: security/xss',
    '    file: src/c.js',
    '    reason: escaped by the template engine',
    '    author: Bob <b@example.com>',
    '    date: next tuesday',
  ].join('\n');
  const parsed = parseSuppressionsFile(text, '.persona-review/suppressions.yaml');
  assert.deepEqual(parsed.entries.map((e) => [e.fingerprint[0], e.line]), [['b', 3]]);
  assert.deepEqual(
    parsed.errors.map((e) => [e.line, e.field]),
    [
      [9, 'suppressions[1].reason'],
      [19, 'suppressions[2].date'],
    ],
  );
  assert.equal(parsed.errors[0]!.message, 'missing: expected a reason: why the team accepts this finding');
  assert.match(parsed.errors[1]!.message, /expected a date/);
});

test('suppressions file: YAML syntax errors and a wrong shape are errors, never exceptions', () => {
  assert.match(parseSuppressionsFile('suppressions: [\n  - a: b\n', 'f').errors[0]!.message, /YAML syntax/);
  assert.match(parseSuppressionsFile('- just a list\n', 'f').errors[0]!.message, /expected a mapping/);
  assert.match(parseSuppressionsFile('suppressions: 3\n', 'f').errors[0]!.message, /expected a list/);
  assert.deepEqual(parseSuppressionsFile('', 'f'), { path: 'f', entries: [], errors: [] });
});

test('suppressions file: the review uses the valid entries and reports the bad one as a notice naming line and field', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-supp-'));
  try {
    const text = [SQL].join('\n');
    // Fingerprint of the finding as the engine computes it.
    const probe = await reviewContext(ctx([source('src/a.js', text)], root), { personas: [persona('security')], provider: scripted([draft(SQL)]) });
    const fp = probe.findings[0]!.fingerprint;
    fs.mkdirSync(path.join(root, '.persona-review'));
    fs.writeFileSync(
      path.join(root, '.persona-review', 'suppressions.yaml'),
      ['version: 1', 'suppressions:', `  - fingerprint: ${fp}`, '    rule: sql-injection', '    file: src/a.js', '    reason: parameterised in the driver', '    author: Jane <j@x>', '    date: 2025-01-10', '  - fingerprint: nothex', '    rule: x', '    file: y', '    reason: z', '    author: w', '    date: 2025-01-10', ''].join('\n'),
    );
    const r = await reviewContext(ctx([source('src/a.js', text)], root), { personas: [persona('security')], provider: scripted([draft(SQL)]) });
    assert.equal(r.findings.length, 0);
    assert.equal(r.suppressed?.[0]?.suppression.kind, 'external');
    assert.equal(r.suppressed?.[0]?.suppression.author, 'Jane <j@x>');
    assert.deepEqual(r.suppressed?.[0]?.suppression.location, { file: '.persona-review/suppressions.yaml', line: 3 });
    assert.ok(r.notices.some((n) => /suppressions\.yaml:9: suppressions\[1\]\.fingerprint: expected the finding fingerprint/.test(n)), r.notices.join('\n'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('suppressions file: an expired entry brings its finding back, with a notice', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-supp-'));
  try {
    const probe = await reviewContext(ctx([source('src/a.js', SQL)], root), { personas: [persona('security')], provider: scripted([draft(SQL)]) });
    const fp = probe.findings[0]!.fingerprint;
    await addSuppressions(path.join(root, '.persona-review', 'suppressions.yaml'), [{ ...VALID_ENTRY, fingerprint: fp, expires: '2025-03-31' }]);
    const opts = (now: Date) => ({ personas: [persona('security')], provider: scripted([draft(SQL)]), triage: { now } });
    const before = await reviewContext(ctx([source('src/a.js', SQL)], root), opts(new Date('2025-03-31T23:00:00Z')));
    assert.equal(before.findings.length, 0, 'still suppressed on its last day');
    const after = await reviewContext(ctx([source('src/a.js', SQL)], root), opts(new Date('2025-04-01T00:00:01Z')));
    assert.equal(after.findings.length, 1);
    assert.ok(after.notices.some((n) => /expired on 2025-03-31/.test(n)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('suppressions file: entries are added and removed through the YAML document, keeping comments; parallel adds lose nothing', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-supp-'));
  try {
    const file = path.join(root, '.persona-review', 'suppressions.yaml');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '# Our accepted findings: ask #security before adding one.\nversion: 1\nsuppressions: []\n');
    await Promise.all(Array.from({ length: 8 }, (_, i) => addSuppressions(file, [{ ...VALID_ENTRY, fingerprint: String(i).repeat(32) }])));
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^# Our accepted findings/);
    assert.equal(readSuppressionsFile(file).entries.length, 8);
    assert.deepEqual(readSuppressionsFile(file).errors, []);
    assert.equal(await removeSuppressions(file, ['3'.repeat(32), '5'.repeat(32)]), 2);
    assert.deepEqual(readSuppressionsFile(file).entries.map((e) => e.fingerprint[0]).sort(), ['0', '1', '2', '4', '6', '7']);
    await assert.rejects(addSuppressions(file, [{ ...VALID_ENTRY, reason: ' ' }]), /reason/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('prune: a suppression of a rule the default offline depth holds back (a complexity measure) is not called stale while the rule still reports it', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-supp-'));
  try {
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/plan.js'), complexPlanJs());
    const { buildContext } = await import('../../src/core/context');
    const { staleSuppressions } = await import('../../src/cli/suppressions');
    const { loadPersonas, builtinPersonaDir } = await import('../../src/core/personas');
    const engineer = (await loadPersonas([builtinPersonaDir()])).personas.filter((p) => p.id === 'engineer');
    const review = await reviewContext(await buildContext({ kind: 'paths', root, paths: ['src/plan.js'] }, { unlimited: true }), { provider: new OfflineProvider({ depth: 'thorough' }), personas: engineer });
    const found = review.findings.find((f) => f.ruleId === 'quality/complex-function');
    assert.ok(found, JSON.stringify(review.findings.map((f) => f.ruleId)));
    const entry = { ...VALID_ENTRY, rule: found.ruleId!, file: 'src/plan.js', quote: found.quote, fingerprint: found.fingerprint, line: 1 };
    assert.deepEqual(await staleSuppressions(root, [entry]), [], 'the rule still reports it at depth thorough');
    fs.writeFileSync(path.join(root, 'src/plan.js'), `export function plan(orders) {\n  return orders.length;\n}\n`);
    assert.deepEqual((await staleSuppressions(root, [entry])).map((s) => s.reason), ['rule-no-longer-reports'], 'a simple function is no longer reported');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('suppressions file: a top level or a `suppressions:` that is not the expected mapping or list is refused with its line and field, never overwritten', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-supp-'));
  try {
    const file = path.join(root, 'suppressions.yaml');
    const cases: Array<[string, RegExp]> = [
      ['# ours\nversion: 1\nsuppressions:\n  fingerprint: 0123456789abcdef\n', /suppressions\.yaml:4: suppressions: expected a list of entries/],
      ['# ours\nversion: 1\nsuppressions: all of them\n', /suppressions\.yaml:3: suppressions: expected a list of entries/],
      ['- fingerprint: 0123456789abcdef\n', /suppressions\.yaml:1: expected a mapping with `version: 1`/],
    ];
    for (const [text, error] of cases) {
      fs.writeFileSync(file, text);
      await assert.rejects(addSuppressions(file, [VALID_ENTRY]), error);
      await assert.rejects(removeSuppressions(file, [VALID_ENTRY.fingerprint]), error);
      assert.equal(fs.readFileSync(file, 'utf8'), text, 'the file is as it was');
    }
    // An empty `suppressions:` is a list to fill, not an error.
    fs.writeFileSync(file, '# ours\nversion: 1\nsuppressions:\n');
    await addSuppressions(file, [VALID_ENTRY]);
    assert.equal(readSuppressionsFile(file).entries.length, 1);
    assert.match(fs.readFileSync(file, 'utf8'), /^# ours/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
