import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewContext } from '../../src/core/engine';
import type { Persona, ProviderEvent, ReviewContext, ReviewEvent, ReviewProvider, SourceFile } from '../../src/core/types';

const code = ['const q = "SELECT * FROM users WHERE id = " + req.query.id;', 'db.query(q);', 'log("done");'].join('\n');
const file: SourceFile = { path: 'src/a.js', absPath: '/ws/src/a.js', language: 'javascript', text: code, lineCount: 3, redactions: 0 };

function ctx(over: Partial<SourceFile> = {}): ReviewContext {
  return { root: '/ws', files: [{ ...file, ...over }], chunks: [], notices: ['1 secret redacted'], totalTokens: 50 };
}

function persona(id: string): Persona {
  return { id, name: id.toUpperCase(), description: '', category: 'security', icon: 'shield', chat: id, commands: [], questions: [], reviews: true, prompt: '', source: '' };
}

/** A provider that replays a script per persona id. */
function scripted(scripts: Record<string, ProviderEvent[]>): ReviewProvider {
  return {
    id: 'scripted',
    async *review(req) {
      for (const ev of scripts[req.persona.id] ?? []) yield ev;
    },
  };
}

const sqlFinding = { file: 'src/a.js', line: 40, quote: 'db.query(q);', severity: 'high' as const, category: 'sql-injection', title: 'SQL from input', message: 'm', references: ['CWE-89'] };

test('findings are anchored on their quote, and bad ones are dropped with a reason', async () => {
  const events: ReviewEvent[] = [];
  const r = await reviewContext(ctx(), {
    personas: [persona('security')],
    provider: scripted({
      security: [
        { type: 'text', text: '## Review\n' },
        { type: 'finding', finding: sqlFinding },
        { type: 'finding', finding: { ...sqlFinding, quote: 'eval(x)' } },
        { type: 'finding', finding: { ...sqlFinding, file: 'src/other.js' } },
        { type: 'malformed', detail: 'severity: expected one of critical|high|medium|low', raw: '{}' },
      ],
    }),
    onEvent: (e) => events.push(e),
  });
  assert.equal(r.findings.length, 1);
  assert.deepEqual(r.findings[0]!.range, { startLine: 2, endLine: 2, startColumn: 1, endColumn: 13 }, 'placed at line 2, not the reported 40');
  assert.deepEqual(r.dropped.map((d) => d.reason).sort(), ['invalid', 'quote-not-found', 'unknown-file']);
  assert.ok(!/Dropped/.test(r.notices.join('\n')), 'dropped findings are reported once, from `dropped`, not also as a notice');
  assert.equal(r.reviews.security, '## Review\n');
  assert.ok(events.some((e) => e.type === 'finding'), 'findings stream as they are anchored');
});

test('every provider: a quote that starts mid-line and spans a line ending in a space is anchored, not dropped', async () => {
  // The provider's quote has lost the trailing space of the first line (models and normaliseQuote drop it).
  const text = ['const rows = await db.query("SELECT * FROM t WHERE a = " + ', '  req.query.a);', 'log(rows);'].join('\n');
  const r = await reviewContext(ctx({ text, lineCount: 3 }), {
    personas: [persona('security')],
    provider: scripted({ security: [{ type: 'finding', finding: { ...sqlFinding, line: 1, quote: 'db.query("SELECT * FROM t WHERE a = " +\n  req.query.a)' } }] }),
  });
  assert.deepEqual(r.dropped, []);
  assert.deepEqual(r.findings[0]?.range, { startLine: 1, endLine: 2, startColumn: 20, endColumn: 15 });
  assert.equal(r.findings[0]?.quote, 'db.query("SELECT * FROM t WHERE a = " + \n  req.query.a)');
});

test('personas agreeing on a finding are merged into one', async () => {
  const r = await reviewContext(ctx(), {
    personas: [persona('security'), persona('reviewer')],
    provider: scripted({
      security: [{ type: 'finding', finding: { ...sqlFinding, severity: 'critical' } }],
      reviewer: [{ type: 'finding', finding: { ...sqlFinding, severity: 'medium' } }],
    }),
  });
  assert.equal(r.findings.length, 1);
  assert.deepEqual(r.findings[0]!.personaIds, ['security', 'reviewer']);
  assert.deepEqual(r.findings[0]!.severityByPersona, { security: 'critical', reviewer: 'medium' });
});

test('change reviews keep only findings on changed lines', async () => {
  const r = await reviewContext(ctx({ changedLines: [{ startLine: 3, endLine: 3 }] }), {
    personas: [persona('security')],
    provider: scripted({ security: [{ type: 'finding', finding: sqlFinding }, { type: 'finding', finding: { ...sqlFinding, quote: 'log("done");', category: 'logging' } }] }),
  });
  assert.deepEqual(r.findings.map((f) => f.range.startLine), [3]);
  assert.equal(r.dropped[0]!.reason, 'outside-changes');
});

test('an error from one persona keeps what it streamed and does not stop the others', async () => {
  const broken: ReviewProvider = {
    id: 'x',
    async *review(req) {
      if (req.persona.id === 'sre') throw new Error('boom');
      yield { type: 'finding', finding: sqlFinding };
      yield { type: 'error', error: { kind: 'stream-cut', message: 'connection cut', retryable: true }, partial: true };
    },
  };
  const r = await reviewContext(ctx(), { personas: [persona('security'), persona('sre')], provider: broken });
  assert.equal(r.findings.length, 1, 'the finding that arrived before the cut is kept');
  assert.deepEqual(r.errors.map((e) => [e.personaId, e.error.kind, e.partial]).sort(), [['security', 'stream-cut', true], ['sre', 'unknown', false]]);
});

test('a category in non-Latin letters passes the parser and the engine, and renders in JSON and SARIF', async () => {
  const { ReplyParser } = await import('../../src/core/providers/replyParser');
  const { renderReport } = await import('../../src/core/render');
  const parser = new ReplyParser();
  const reply = '```finding\n' + JSON.stringify({ ...sqlFinding, category: 'SQL インジェクション' }) + '\n```\n';
  const events = [...parser.push(reply), ...parser.end()];
  const r = await reviewContext(ctx(), { personas: [persona('security')], provider: scripted({ security: events }) });
  assert.deepEqual(r.dropped, []);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]!.category, 'sql-インジェクション');
  const json = JSON.parse(renderReport(r, 'json', { toolVersion: '0' }));
  assert.equal(json.findings[0].category, 'sql-インジェクション');
  const sarif = JSON.parse(renderReport(r, 'sarif', { toolVersion: '0' }));
  assert.equal(sarif.runs[0].results[0].ruleId, 'sql-インジェクション');
});

test('a path with &, " or < is found whether the model copies it escaped (as sent in the path attribute) or not', async () => {
  const odd = 'src/a&b "c" <d>.js';
  const escaped = 'src/a&amp;b &quot;c&quot; &lt;d&gt;.js';
  for (const name of [odd, escaped, './' + escaped, 'src\\a&amp;b &#34;c&#x22; &lt;d&gt;.js']) {
    const r = await reviewContext(ctx({ path: odd }), {
      personas: [persona('security')],
      provider: scripted({ security: [{ type: 'finding', finding: { ...sqlFinding, file: name } }] }),
    });
    assert.deepEqual(r.dropped, [], `found as ${name}`);
    assert.equal(r.findings[0]?.file, odd);
  }
});
