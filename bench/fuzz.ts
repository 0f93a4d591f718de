// Fuzz and fault harness for the model path (issue 11): many malformed replies thrown at the reply parser
// alone and at the whole engine through the real SDK and the fake Messages API, plus transport faults
// (cuts, SSE errors, stalls, ping-only streams, header hangs, 429/529/500 with odd retry-after values).
// Deterministic: a fixed seed (PERSONA_REVIEW_FUZZ_SEED, default 20251); the same seed gives the same cases.
//
// Prints, per part: cases, crashes (an exception out of the parser or the engine, or a review that never
// ended), intended findings (finding blocks put into the replies), kept, dropped with a reason, and lost
// silently (intended − kept − dropped; must be 0); for faults also how many ended marked incomplete (must be
// every one whose reply did not finish) and whether the sanitised review text stayed safe.
// Run: npm run bench:fuzz   (PERSONA_REVIEW_FUZZ_CASES=n to change the engine case count)
import MarkdownIt from 'markdown-it';
import { ReplyParser } from '../src/core/providers/replyParser';
import { AnthropicProvider } from '../src/core/providers/anthropic';
import { reviewContext } from '../src/core/engine';
import { isComplete } from '../src/core/completeness';
import { sanitizeMarkdown } from '../src/shared/markdownSafety';
import type { Persona, ProviderEvent, ReviewContext, ReviewEvent, SourceFile } from '../src/core/types';
import { startFakeAnthropic, type FakeStep } from '../test/support/fakeAnthropic';

const SEED = Number(process.env.PERSONA_REVIEW_FUZZ_SEED ?? 20251);
const PARSER_CASES = Number(process.env.PERSONA_REVIEW_FUZZ_PARSER_CASES ?? 5000);
const ENGINE_CASES = Number(process.env.PERSONA_REVIEW_FUZZ_CASES ?? 300);
/** PERSONA_REVIEW_FUZZ_DEBUG=1 prints every case that lost a finding. */
const DEBUG = process.env.PERSONA_REVIEW_FUZZ_DEBUG === '1';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

// The reviewed file: 60 distinct lines, so every finding can quote its own line and none merge.
const LINES = Array.from({ length: 60 }, (_, i) => `export function handler${i}(req, res) { return db.query("SELECT * FROM t" + req.query.id${i}); }`);
const FILE: SourceFile = { path: 'src/a&b "x".js', absPath: '/ws/src/a&b "x".js', language: 'javascript', text: LINES.join('\n'), lineCount: LINES.length, redactions: 0 };
const ESCAPED_PATH = 'src/a&amp;b &quot;x&quot;.js';
const CONTEXT: ReviewContext = {
  root: '/ws',
  files: [FILE],
  chunks: [{ index: 0, total: 1, parts: [{ path: FILE.path, startLine: 1, endLine: LINES.length }], text: LINES.map((l, i) => `${i + 1} | ${l}`).join('\n'), tokens: 900 }],
  notices: [],
  totalTokens: 900,
};
const PERSONA: Persona = { id: 'security', name: 'Security Engineer', description: '', category: 'security', icon: 'shield', chat: 'security', commands: [], questions: [], reviews: true, prompt: 'x', source: '' };

/** One intended finding: valid (should be kept) or invalid in a required field (should be dropped). */
function findingObject(n: number): { obj: Record<string, unknown>; valid: boolean } {
  const obj: Record<string, unknown> = {
    file: pick([FILE.path, ESCAPED_PATH, `./${FILE.path}`]),
    line: n + 1,
    quote: LINES[n]!,
    severity: pick(['critical', 'high', 'medium', 'low', 'Moderate', 'warning', 'blocker', 'info']),
    category: pick(['sql-injection', 'SQL Injection', 'インジェクション', 'Инъекция', 'injection (CWE-89)']),
    title: `Finding ${n}`,
    // Not a finding field (ignored when parsed): a marker to find this finding in a malformed event's raw text.
    fuzzId: `fz-${n}`,
    message: pick(['Plain.', 'See ![x](https://evil.example/p.png) and [run](command:x)', '<img src=x onerror=alert(1)>', 'multi\nline']),
  };
  // Optional hints gone wrong: the finding must survive them.
  for (const [k, v] of [
    ['line', pick([0, -3, 9.5, '9-10', 1e20, 'L12', null])],
    ['confidence', pick([90, 'high', '75%', 2, -1, 0.5])],
    ['references', pick(['CWE-89, OWASP A03:2021', ['CWE-89', 7], 42])],
    ['suggestion', pick(['Use a parameter.', { description: 'd', replacement: 5 }, 7])],
    ['endLine', pick(['x', 3, 1e9])],
  ] as const) if (rand() < 0.3) obj[k] = v;
  let valid = true;
  if (rand() < 0.15) {
    const broken = pick(['severity', 'quote', 'file', 'title', 'category'] as const);
    obj[broken] = broken === 'severity' ? 'catastrophic' : broken === 'category' ? '' : rand() < 0.5 ? '' : 7;
    valid = false;
  }
  if (valid && rand() < 0.05) {
    obj['quote'] = 'this code is not in the file';
    valid = false; // dropped as quote-not-found by the engine (counted there, not by the parser)
  }
  return { obj, valid };
}

interface Block {
  text: string;
  /** Findings the block holds (what must be kept or dropped). */
  intended: number;
  /** Titles of the findings of an undamaged block (each must come out as a finding or in a malformed event). */
  titles: string[];
  /** 1 when the block's JSON is damaged (it must come out as one malformed event), else 0. */
  damaged: number;
}

const BREAKS = ['\n', '\r\n', '\r', '\u2028'];

/** A finding block in one of the forms models write, mangled or not. */
function block(n: number): Block {
  const items = rand() < 0.15 ? [findingObject(n), findingObject(n + 30)] : [findingObject(n)];
  let json = items.length > 1 ? JSON.stringify(items.map((i) => i.obj)) : JSON.stringify(items[0]!.obj, null, rand() < 0.5 ? 2 : undefined);
  // JSON damage that makes the whole block malformed (it must be counted, not lost), or that is repaired.
  const damage = rand();
  let broken = true;
  if (damage < 0.04) json = json.slice(0, Math.floor(json.length / 2));
  else if (damage < 0.07) json = json.replace(/"/, "'");
  else if (damage < 0.09) json = json.replace(/([}\]])$/, ',$1');
  else if (damage < 0.11) json = '['.repeat(int(40, 6000)) + ']'.repeat(10);
  else {
    broken = false;
    if (damage < 0.13) json = json.replace(/\\n/g, '\n'); // raw line breaks inside strings: repaired
  }
  const fenceChar = pick(['```', '```', '````', '~~~', '\uFF40\uFF40\uFF40']);
  const info = pick(['finding', 'finding', 'findings', 'FINDING', 'json', 'finding json']);
  const prefix = pick(['', '', '   ', '    ', '\t', '> ', '- ', '1. ', '\uFEFF', '\u00A0', '>> ']);
  const bodyPrefix = prefix.replace(/[-\d.]/g, ' ').replace(/\uFEFF|\u00A0/g, '');
  const form = rand();
  let text: string;
  if (form < 0.1 && !json.includes('\n')) text = `${prefix}${fenceChar}${info} ${json} ${fenceChar}`;
  else if (form < 0.15) text = `${prefix}${fenceChar}${info}\n${bodyPrefix}${json}${fenceChar}`;
  else text = `${prefix}${fenceChar}${info}\n${json.split('\n').map((l) => bodyPrefix + l).join('\n')}\n${bodyPrefix}${fenceChar}`;
  // A `json` block whose JSON is broken beyond recognition is ordinary text by design (it may be anyone's
  // JSON); only blocks still naming finding keys count as intended.
  const recognisable = info !== 'json' || !broken || /"(file|quote|severity|category|title)"/.test(json);
  const titles = broken || !recognisable ? [] : items.map((i) => String(i.obj['fuzzId']));
  return { text, intended: !recognisable ? 0 : broken ? 1 : items.length, titles, damaged: recognisable && broken ? 1 : 0 };
}

const NOISE = [
  '## Security review',
  'The handler builds SQL from input.',
  '![x][r]\n\n[r]: https://evil.example/pixel.png',
  '```x``` ![a](https://evil.example/p.png)',
  '- item\n  ```\n  code\n  ```',
  '[Run](command:workbench.action.terminal.sendSequence)',
  '<img src=https://evil.example/x.png>',
  '```ts\nconst x = 1;\n```',
  '```json\n{"name": "pkg", "version": "1.0.0"}\n```',
  'A line with ``` in the middle.',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  'Emoji 🔴 and 注意 and עברית.',
];

/** A whole reply: noise and blocks in random order, random line endings; returns the text and what it holds. */
function reply(): { text: string; intended: number; titles: string[]; damaged: number } {
  const parts: string[] = [];
  let intended = 0;
  const titles: string[] = [];
  let damaged = 0;
  const used = new Set<number>();
  for (let i = int(1, 8); i > 0; i--) {
    if (rand() < 0.55) {
      let n = int(0, 29);
      while (used.has(n)) n = (n + 1) % 30;
      used.add(n);
      const b = block(n);
      parts.push(b.text);
      intended += b.intended;
      titles.push(...b.titles);
      damaged += b.damaged;
    } else parts.push(pick(NOISE));
  }
  const brk = pick(BREAKS);
  return { text: parts.join('\n\n').replace(/\n/g, brk) + (rand() < 0.7 ? brk : ''), intended, titles, damaged };
}

function split(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const n = int(1, 60);
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out;
}

const permissive = new MarkdownIt({ html: true, linkify: true });
permissive.validateLink = () => true;
function unsafe(md: string): boolean {
  const html = permissive.render(md);
  return /<img\b|<script\b|href="(?!https?:)/i.test(html);
}

async function parserPart(): Promise<void> {
  let crashes = 0;
  let intended = 0;
  let kept = 0;
  let malformed = 0;
  let lost = 0;
  const started = process.cpuUsage();
  for (let c = 0; c < PARSER_CASES; c++) {
    const r = reply();
    intended += r.intended;
    try {
      const p = new ReplyParser();
      const events: ProviderEvent[] = [];
      for (const piece of split(r.text)) events.push(...p.push(piece));
      events.push(...p.end());
      // Exact accounting: every finding of an undamaged block comes out as a finding or inside a malformed
      // event (its title in the detail or the raw text); every damaged block as a malformed event of its own.
      const found = new Set(events.flatMap((e) => (e.type === 'finding' ? [e.finding.title.replace('Finding ', 'fz-')] : [])));
      const bad = events.filter((e): e is Extract<ProviderEvent, { type: 'malformed' }> => e.type === 'malformed');
      const used = new Set<number>();
      for (const t of r.titles) {
        if (found.has(t)) continue;
        const re = new RegExp(`"${t}"|"${t.replace('fz-', 'Finding ')}"`);
        const i = bad.findIndex((b) => re.test(b.detail) || re.test(b.raw));
        if (i >= 0) used.add(i);
        else {
          lost++;
          if (DEBUG) console.log(`lost ${t} in case ${c}: ${JSON.stringify(r.text)}\n  events: ${JSON.stringify(events.map((e) => (e.type === 'finding' ? e.finding.title : e.type === 'malformed' ? `malformed: ${e.detail}` : e.type)))}`);
        }
      }
      const unattributed = bad.length - used.size;
      if (unattributed < r.damaged) {
        lost += r.damaged - unattributed;
        if (DEBUG) console.log(`lost a damaged block in case ${c}: ${JSON.stringify(r.text)}`);
      }
      kept += events.filter((e) => e.type === 'finding').length;
      malformed += bad.length;
    } catch {
      crashes++;
    }
  }
  const cpu = process.cpuUsage(started);
  console.log(`parser: ${PARSER_CASES} replies, ${crashes} crashes; ${intended} intended findings: ${kept} parsed, ${malformed} malformed events with a reason, ${lost} lost silently (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU)`);
}

async function enginePart(): Promise<void> {
  let crashes = 0;
  let intended = 0;
  let kept = 0;
  const dropped: Record<string, number> = {};
  let lost = 0;
  let missingInIncomplete = 0;
  let unsafeTexts = 0;
  let faults = 0;
  let interrupted = 0;
  let interruptedMarked = 0;
  let recovered = 0;
  let cleanMarkedIncomplete = 0;
  const started = Date.now();
  for (let c = 0; c < ENGINE_CASES; c++) {
    const r = reply();
    const fault = rand() < 0.35 ? pick(['cut', 'sse-error', 'stall', 'ping-only', 'header-hang', '429-3600', '529', '500-twice', 'graceful-end'] as const) : undefined;
    const chunkSize = int(1, 80);
    const steps: FakeStep[] = [];
    switch (fault) {
      case undefined:
        steps.push({ reply: r.text, chunkSize });
        break;
      case 'cut':
        steps.push({ cutAfterChars: int(0, r.text.length - 1), reply: r.text, chunkSize });
        break;
      case 'graceful-end':
        steps.push({ cutAfterChars: int(0, r.text.length - 1), reply: r.text, chunkSize, graceful: true });
        break;
      case 'sse-error':
        steps.push({ sseError: { type: 'overloaded_error', message: 'Overloaded' }, reply: r.text, afterChars: int(0, r.text.length), chunkSize });
        break;
      case 'stall':
        steps.push({ stallMs: 1500, afterChars: int(0, r.text.length), reply: r.text, chunkSize });
        break;
      case 'ping-only':
        steps.push({ reply: r.text, chunkSize, pingOnlyMs: 700, pingEveryMs: 50 });
        break;
      case 'header-hang':
        steps.push({ stallMs: 5000, reply: r.text }, { reply: r.text, chunkSize });
        break;
      case '429-3600':
        steps.push({ status: 429, retryAfter: 3600 }, { reply: r.text, chunkSize });
        break;
      case '529':
        steps.push({ status: 529 }, { reply: r.text, chunkSize });
        break;
      case '500-twice':
        steps.push({ status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 });
        break;
    }
    // A fresh fake per case, so a case can never leave a scripted step to the next one.
    const fake = await startFakeAnthropic();
    fake.script(...steps);
    const provider = new AnthropicProvider({ apiKey: 'sk-ant-fuzz-' + 'x'.repeat(20), baseURL: fake.url, model: 'claude-fuzz', streamIdleMs: 300, headersTimeoutMs: 300, maxRetryAfterMs: 20, maxRetries: 1 });
    const events: ReviewEvent[] = [];
    try {
      const result = await reviewContext(CONTEXT, { provider, personas: [PERSONA], onEvent: (e) => events.push(e) });
      const k = events.filter((e) => e.type === 'finding').length;
      const d = events.filter((e): e is Extract<ReviewEvent, { type: 'dropped' }> => e.type === 'dropped');
      if (unsafe(sanitizeMarkdown(result.reviews[PERSONA.id] ?? ''))) unsafeTexts++;
      const complete = isComplete(result);
      const finishes = fault === undefined || fault === 'ping-only' || fault === 'header-hang' || fault === '429-3600' || fault === '529';
      if (fault) faults++;
      if (finishes) {
        intended += r.intended;
        kept += k;
        for (const x of d) dropped[x.dropped.reason] = (dropped[x.dropped.reason] ?? 0) + 1;
        const missing = Math.max(0, r.intended - k - d.length);
        // A review marked incomplete says that findings may be missing (not silent); on a loaded machine the
        // bench's 300 ms time limits can fire on a reply that would have finished.
        if (missing && complete) lost += missing;
        else if (missing) missingInIncomplete += missing;
        if (missing && DEBUG) console.log(`engine: ${missing} missing in case ${c} (${fault ?? 'clean'}, complete ${complete}): ${JSON.stringify(result.errors)}`);
        if (!complete) cleanMarkedIncomplete++;
        else if (fault) recovered++;
      } else {
        interrupted++;
        if (!complete) interruptedMarked++;
      }
    } catch (e) {
      crashes++;
      console.error(`case ${c} (${fault ?? 'clean'}) crashed: ${(e as Error).stack}`);
    } finally {
      await fake.close();
    }
  }
  const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0);
  console.log(`engine (real SDK, fake Messages API): ${ENGINE_CASES} reviews in ${((Date.now() - started) / 1000).toFixed(1)} s, ${crashes} crashes`);
  console.log(`  replies that finished: ${intended} intended findings: ${kept} kept, ${droppedTotal} dropped with a reason (${Object.entries(dropped).map(([k, v]) => `${v} ${k}`).join(', ')}), ${lost} lost silently (in reviews marked complete), ${missingInIncomplete} missing from reviews marked incomplete`);
  console.log(`  faults: ${faults} injected; ${recovered} recovered by a retry (ping-only stream, header hang, 429 retry-after 3600, 529) and complete; ${interruptedMarked} of ${interrupted} interrupted replies (cut, SSE error, stall, early end, 500 twice) marked incomplete; ${cleanMarkedIncomplete} finished replies marked incomplete`);
  console.log(`  sanitised review texts with an image, script or non-http(s) link left: ${unsafeTexts}`);
}

async function main(): Promise<void> {
  console.log(`seed ${SEED}`);
  await parserPart();
  await enginePart();
}

void main();
