/**
 * Workflow files (load and validate) and the Workflow Executor (phase gates, run log, resume, overrides,
 * sign-offs, markdown export), with the real engine and the offline provider on a temporary workspace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { review } from '../../src/core/engine';
import { OfflineProvider } from '../../src/core/offline/provider';
import { builtinPersonaDir, loadPersonas, resolvePersonaIds, type LoadedPersona } from '../../src/core/personas';
import { builtinWorkflowDir, loadWorkflows, parseWorkflow, type Workflow, type WorkflowPhase } from '../../src/core/workflows';
import { WorkflowExecutor, evaluateCountGate, renderRunMarkdown, type PhaseReviewer } from '../../src/core/workflowRun';
import { FIXED, VULNERABLE } from '../support/sqlFixture';

let personas: LoadedPersona[];
let known: string[];
let ws: string;
before(async () => {
  personas = (await loadPersonas([builtinPersonaDir()])).personas;
  known = personas.flatMap((p) => [p.id, p.chat]);
  ws = await mkdtemp(path.join(tmpdir(), 'pr-wf-'));
});
after(async () => rm(ws, { recursive: true, force: true }));

test('the built-in workflows load without errors and have the personas and gates the issue names', async () => {
  const { workflows, errors } = await loadWorkflows([builtinWorkflowDir()], { knownPersonas: known });
  assert.deepEqual(errors, []);
  const byId = new Map(workflows.map((w) => [w.id, w]));
  assert.deepEqual([...byId.keys()].sort(), ['design-review', 'pre-merge', 'production-readiness', 'security-audit']);
  assert.deepEqual(byId.get('pre-merge')!.phases[0]!.personas, ['reviewer', 'security', 'qa']);
  assert.deepEqual(byId.get('pre-merge')!.phases[0]!.gates, [
    { kind: 'count', id: 'no-critical-or-high', maxFindings: 0, severity: 'high', description: 'No open critical or high findings.' },
  ]);
  assert.deepEqual(byId.get('design-review')!.phases.flatMap((p) => p.personas), ['architect', 'security', 'qa']);
  const pr = byId.get('production-readiness')!;
  assert.deepEqual([...new Set(pr.phases.flatMap((p) => p.personas))].sort(), ['performance', 'security', 'sre']);
  assert.ok(pr.phases.some((p) => p.gates.some((g) => g.kind === 'sign-off' && g.role === 'sre')));
  assert.ok(pr.phases.some((p) => p.gates.some((g) => g.kind === 'count' && g.categories?.includes('missing-timeout'))));
  assert.ok(workflows.every((w) => w.builtin));
});

test('bad workflow files get errors naming the file and the field; one bad file does not stop the others', async () => {
  const dir = path.join(ws, 'bad-workflows');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a-good.yaml'), 'name: Good\nphases:\n  - id: one\n    personas: [sre]\n');
  fs.writeFileSync(path.join(dir, 'b-bad-gate.yaml'), 'name: Bad gate\nphases:\n  - id: one\n    personas: [sre]\n    gates:\n      - id: g\n        maxFindings: many\n');
  fs.writeFileSync(path.join(dir, 'c-unknown-persona.yml'), 'name: Unknown\nphases:\n  - id: one\n    personas: [sre, wizard]\n');
  fs.writeFileSync(path.join(dir, 'd-no-phases.yaml'), 'name: Empty\nphases: []\n');
  fs.writeFileSync(path.join(dir, 'e-not-yaml.yaml'), 'name: [unclosed\n');
  fs.writeFileSync(path.join(dir, 'f-typo.yaml'), 'name: Typo\nphases:\n  - id: one\n    persona: [sre]\n');
  fs.writeFileSync(path.join(dir, 'g-gate-kind.yaml'), 'name: Kind\nphases:\n  - id: one\n    personas: [qa]\n    gates:\n      - id: g\n        description: neither kind\n');
  const { workflows, errors } = await loadWorkflows([dir], { knownPersonas: known });
  assert.deepEqual(workflows.map((w) => w.id), ['a-good']);
  const find = (file: string) => errors.filter((e) => path.basename(e.file) === file);
  assert.equal(find('b-bad-gate.yaml')[0]?.field, 'phases[0].gates[0].maxFindings');
  assert.match(find('b-bad-gate.yaml')[0]!.message, /number/);
  assert.equal(find('c-unknown-persona.yml')[0]?.field, 'phases[0].personas[1]');
  assert.match(find('c-unknown-persona.yml')[0]!.message, /unknown persona "wizard"/);
  assert.equal(find('d-no-phases.yaml')[0]?.field, 'phases');
  assert.equal(find('e-not-yaml.yaml')[0]?.field, '(file)');
  assert.ok(find('f-typo.yaml').some((e) => e.field === 'phases[0].personas'), JSON.stringify(find('f-typo.yaml')));
  assert.ok(find('f-typo.yaml').some((e) => /persona/.test(e.message) || e.field.startsWith('phases[0]')));
  assert.equal(find('g-gate-kind.yaml')[0]?.field, 'phases[0].gates[0]');
  assert.match(find('g-gate-kind.yaml')[0]!.message, /maxFindings .* or requiredSignOff/);
});

test('a workspace workflow with a built-in id replaces it', async () => {
  const dir = path.join(ws, 'override-workflows');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'pre-merge.yaml'), 'name: Our pre-merge\nphases:\n  - id: one\n    personas: [security]\n');
  const { workflows } = await loadWorkflows([builtinWorkflowDir(), dir], { knownPersonas: known });
  const pm = workflows.find((w) => w.id === 'pre-merge')!;
  assert.equal(pm.name, 'Our pre-merge');
  assert.equal(pm.builtin, false);
});

test('count gates filter by severity, persona and category', () => {
  const f = (severity: 'critical' | 'high' | 'medium' | 'low', personaIds: string[], category: string) => ({ severity, personaIds, category, fingerprint: `${severity}-${category}` });
  const findings = [f('critical', ['security'], 'sql-injection'), f('high', ['sre'], 'missing-timeout'), f('medium', ['sre'], 'swallowed-error')];
  const gate = (over: object) => ({ kind: 'count' as const, id: 'g', description: '', maxFindings: 0, ...over });
  assert.equal(evaluateCountGate(gate({ severity: 'high' }), findings).actual, 2);
  assert.equal(evaluateCountGate(gate({ severity: 'high', categories: ['missing-timeout', 'swallowed-error'] }), findings).actual, 1);
  assert.equal(evaluateCountGate(gate({ personas: ['sre'] }), findings).actual, 2);
  assert.equal(evaluateCountGate(gate({ severity: 'critical', personas: ['sre'] }), findings).passed, true);
  const failed = evaluateCountGate(gate({ severity: 'critical' }), findings);
  assert.equal(failed.passed, false);
  assert.deepEqual(failed.fingerprints, ['critical-sql-injection']);
});


const TWO_PHASES = parseWorkflow(
  [
    'name: Two phases',
    'phases:',
    '  - id: security',
    '    personas: [security]',
    '    gates:',
    '      - id: no-critical',
    '        maxFindings: 0',
    '        severity: critical',
    '  - id: sign-off',
    '    personas: [reviewer]',
    '    gates:',
    '      - id: lead-sign-off',
    '        requiredSignOff: tech-lead',
  ].join('\n'),
  '/virtual/two-phases.yaml',
  { knownPersonas: ['security', 'reviewer'] },
).workflow as Workflow;

function reviewer(seen: WorkflowPhase[]): PhaseReviewer {
  return async (phase, target) => {
    seen.push(phase);
    const { selected } = resolvePersonaIds(phase.personas, personas);
    return review(target, { provider: new OfflineProvider(), personas: selected });
  };
}

test('a workflow stops at a failing gate, passes once the code is fixed, resumes from its log after a restart, and records sign-offs', async () => {
  assert.ok(TWO_PHASES, 'the test workflow is valid');
  const root = path.join(ws, 'app1');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'app.js'), VULNERABLE);
  const seen: WorkflowPhase[] = [];
  let clock = Date.parse('2026-01-02T03:04:05Z');
  const now = () => new Date((clock += 1000));
  const first = new WorkflowExecutor({ root, review: reviewer(seen), who: 'alice', now });
  const log1 = await first.start(TWO_PHASES, { kind: 'paths', paths: ['app.js'] });
  assert.equal(log1.status, 'failed');
  assert.deepEqual(log1.phases.map((p) => p.status), ['failed', 'pending'], 'phase 2 did not start');
  assert.deepEqual(seen.map((p) => p.id), ['security'], 'the executor handed over only the current phase');
  const attempt = log1.phases[0]!.attempts[0]!;
  assert.equal(attempt.by, 'alice');
  assert.match(attempt.startedAt, /^2026-01-02T03:04:\d\d\.000Z$/);
  assert.ok(attempt.endedAt! >= attempt.startedAt && attempt.startedAt > log1.createdAt);
  assert.deepEqual(attempt.personas, ['security']);
  assert.ok(attempt.findings.some((f) => f.severity === 'critical' && f.category === 'sql-injection' && /^[0-9a-f]{32}$/.test(f.fingerprint)));
  assert.deepEqual(attempt.gates.map((g) => [g.gateId, g.passed]), [['reviews-complete', true], ['no-critical', false]]);

  // The log is on disk; its folder's .gitignore keeps runs/ out of commits (and only runs/: the
  // suppressions file, baseline and ledger beside it are committed).
  const file = path.join(root, '.persona-review', 'runs', `${log1.runId}.json`);
  assert.ok(fs.existsSync(file));
  const ignore = fs.readFileSync(path.join(root, '.persona-review', '.gitignore'), 'utf8');
  assert.match(ignore, /^runs\/$/m);
  assert.doesNotMatch(ignore, /^\*$/m);

  // Fix the code; a new executor (a restart) resumes from the log.
  fs.writeFileSync(path.join(root, 'app.js'), FIXED);
  const second = new WorkflowExecutor({ root, review: reviewer(seen), who: 'bob', now });
  const log2 = await second.resume(log1.runId);
  assert.deepEqual(log2.phases.map((p) => p.status), ['passed', 'failed'], 'phase 1 passes now; phase 2 needs a sign-off');
  assert.equal(log2.phases[0]!.attempts.length, 2, 'both attempts are kept as evidence');
  assert.equal(log2.phases[0]!.attempts[1]!.by, 'bob');
  assert.match(log2.phases[1]!.attempts[0]!.gates[1]!.detail, /--sign-off tech-lead/);

  const third = new WorkflowExecutor({ root, review: reviewer(seen), who: 'carol', now });
  const log3 = await third.resume(log1.runId, { signOffs: ['tech-lead'] });
  assert.equal(log3.status, 'passed');
  assert.deepEqual(log3.signOffs.map((s) => [s.role, s.by]), [['tech-lead', 'carol']]);
  assert.deepEqual(seen.map((p) => p.id), ['security', 'security', 'sign-off', 'sign-off'], 'resume started at the first unfinished phase each time');
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).status, 'passed');

  const md = renderRunMarkdown(log3);
  assert.match(md, /# Workflow run: Two phases/);
  assert.match(md, /\*\*Status:\*\* passed/);
  assert.match(md, /### Attempt 1[\s\S]*Run by alice[\s\S]*\*\*fail\*\*[\s\S]*### Attempt 2[\s\S]*Run by bob/);
  assert.match(md, /\*\*Sign-offs:\*\* tech-lead by carol/);
});

test('an override lets a failed gate through with its reason recorded; a phase interrupted by a crash is re-run on resume', async () => {
  const root = path.join(ws, 'app2');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'app.js'), VULNERABLE);
  const seen: WorkflowPhase[] = [];
  const ex = new WorkflowExecutor({ root, review: reviewer(seen), who: 'dana' });
  const log = await ex.start(TWO_PHASES, { kind: 'paths', paths: ['app.js'] }, { overrides: { 'no-critical': 'demo service, no real data' }, signOffs: ['tech-lead'] });
  assert.equal(log.status, 'passed-with-overrides');
  assert.deepEqual(log.phases.map((p) => p.status), ['overridden', 'passed']);
  const o = log.phases[0]!.attempts[0]!.overrides[0]!;
  assert.equal(o.gateId, 'no-critical');
  assert.equal(o.reason, 'demo service, no real data');
  assert.equal(o.by, 'dana');
  assert.ok(!Number.isNaN(Date.parse(o.at)));
  assert.match(renderRunMarkdown(log), /Override of `no-critical` by dana at .*: demo service, no real data/);

  // Simulate a crash mid-phase: the log says phase 2 is running.
  const file = path.join(root, '.persona-review', 'runs', `${log.runId}.json`);
  const crashed = JSON.parse(fs.readFileSync(file, 'utf8'));
  crashed.status = 'running';
  crashed.phases[1].status = 'running';
  fs.writeFileSync(file, JSON.stringify(crashed));
  const before = seen.length;
  const resumed = await new WorkflowExecutor({ root, review: reviewer(seen) }).resume(log.runId);
  assert.deepEqual(seen.slice(before).map((p) => p.id), ['sign-off']);
  assert.equal(resumed.status, 'passed-with-overrides');
});

test('resume of an unknown or malformed run id fails with a message saying what to do', async () => {
  const ex = new WorkflowExecutor({ root: ws, review: reviewer([]) });
  await assert.rejects(ex.resume('nope-123'), /no run log .*check the run id/);
  await assert.rejects(ex.resume('../etc/passwd'), /is not a run id/);
});
