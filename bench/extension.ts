/**
 * `npm run bench:extension`: the extension in a real VS Code (code-server + headless chromium, the harness of
 * `npm run test:vscode`, test/vscode/harness.ts). Prints, as figures and ratios (never assertions: the
 * machines here are shared):
 * - bundle sizes of the production build (`scripts/build.mjs --production`: minified, no source maps):
 *   dist/extension.js, server.js, cli.js, webview.js and the tree-sitter .wasm files, bytes, KB and gzip KB;
 * - activation: `getExtension(...).activate()` wall time in the extension host, and the extension's own
 *   marks (`activate()` start → end, start → language client running);
 * - the message path's floor: 7 pings host → panel (ReviewPanel.ping) on the idle workbench before the review,
 *   median per session of send → arrival in the webview and send → after its next frame;
 * - a long scripted review (about 200 KB of markdown with 60 finding blocks, streamed by the fake Messages
 *   API in 64-character deltas 1 ms apart): first text at the extension → its first paint in the panel, last
 *   text → last paint, characters rendered by markdown-it vs received, posts host → webview (a batch is one),
 *   and the first text's hops (see BenchResult.review.hops, and the page's long tasks while it travelled);
 * - the 1-minute load average after each session, and issue 10's goals as figure / goal ratios
 *   (extension.js ≤ 700 KB, activate() < 50 ms, first text → first paint ≤ 50 ms).
 *
 * Each iteration is a fresh code-server, chromium profile and workspace copy, running bench/vscode/extension.ts
 * in the extension host (loaded by test/vscode/host/index.ts, as the tests are). Paint times compare the
 * webview's `Date.now()` with the extension host's: both run on this machine, on the same clock.
 * Writes bench/results/extension.json (gitignored).
 *
 * Options: --iterations <n> (default 3)   --no-build (keep dist/ as it is)   --timeout <s> per session (default 180)
 *   --profile (record a Chrome trace of the page, where the workbench and the panel's webview run, to
 *   bench/results/extension-<n>.trace.json, and print its main threads' busy time while the first text travelled)
 * Exit code: 0 when every session reported its figures; 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  REPO,
  buildHostTests,
  cleanupAll,
  extensionHostLine,
  launchBrowser,
  onCleanup,
  runDir,
  say,
  setup,
  since,
  startCodeServer,
  startFakeApi,
  tail,
  withTimeout,
  workbenchUrl,
  type Browser,
  type FakeApi,
  type Install,
} from '../test/vscode/harness';
import type { BenchResult } from './vscode/extension';

interface Options {
  iterations: number;
  build: boolean;
  timeoutS: number;
  /** Also record a Chrome trace of the page per session and print where its main threads spent the first text's transit. */
  profile: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { iterations: 3, build: true, timeoutS: 180, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--iterations') o.iterations = Number(value());
    else if (a === '--no-build') o.build = false;
    else if (a === '--timeout') o.timeoutS = Number(value());
    else if (a === '--profile') o.profile = true;
    else throw new Error(`unknown option ${a}; see the comment at the top of bench/extension.ts`);
  }
  if (!Number.isInteger(o.iterations) || o.iterations < 1) throw new Error('--iterations wants a whole number ≥ 1');
  if (!(o.timeoutS > 0)) throw new Error('--timeout wants seconds > 0');
  return o;
}

/** One shipped file's size. */
interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Sizes of the bundles and .wasm files in dist/ (the .wasm files are shipped as they are). */
function bundleSizes(): BundleSize[] {
  const dist = path.join(REPO, 'dist');
  const files = ['extension.js', 'server.js', 'cli.js', 'webview.js'];
  const wasm = (dir: string): string[] =>
    readdirSync(path.join(dist, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? wasm(path.join(dir, e.name)) : e.name.endsWith('.wasm') ? [path.join(dir, e.name)] : [],
    );
  return [...files, ...wasm('').sort()].map((f) => {
    const abs = path.join(dist, f);
    if (!existsSync(abs)) throw new Error(`dist/${f} is missing: run "node scripts/build.mjs --production" or drop --no-build`);
    return { file: `dist/${f}`, bytes: statSync(abs).size, gzipBytes: gzipSync(readFileSync(abs)).length };
  });
}

/**
 * One session: fresh code-server and chromium, the bench module in the extension host; resolves with the
 * `BENCH-RESULT` it printed.
 * @throws Error when the session failed or printed no result (its folder, with logs, is kept and named).
 */
async function session(install: Install, fake: FakeApi, hostEntry: string, n: number, timeoutS: number, profile: boolean): Promise<SessionResult> {
  const dir = runDir(install, `bench-${n}`);
  const server = await startCodeServer(install, {
    dir,
    fixture: path.join(REPO, 'test/vscode/workspace'),
    trust: true,
    settings: { 'personaReview.baseURL': fake.url },
  });
  onCleanup(server.stop);
  const browser = await launchBrowser(install, dir);
  onCleanup(browser.close);
  // Long tasks (≥ 50 ms without a break) of the page's main thread, which the workbench and the panel's
  // same-origin webview frames share: epoch ms start and duration.
  await browser.context.addInitScript({
    content: `if (window === window.top) {
      window.__benchLongTasks = [];
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__benchLongTasks.push([performance.timeOrigin + e.startTime, e.duration]);
        }).observe({ type: 'longtask', buffered: true });
      } catch {}
    }`,
  });
  const consoleLog = createWriteStream(path.join(dir, 'console.log'));
  const hostLines: string[] = [];
  let result: BenchResult | undefined;
  let code: number | undefined;
  let longTasks: Array<[number, number]> | undefined;
  let trace: TraceEvent[] | undefined;
  try {
    const exited = new Promise<number>((resolve) => {
      void browser.context.exposeFunction('codeAutomationExit', (c: number) => resolve(Number(c)));
    });
    browser.page.on('console', (msg) => {
      consoleLog.write(`${msg.type()}: ${msg.text()}\n`);
      const line = extensionHostLine(msg.text());
      if (line === undefined) return;
      hostLines.push(line);
      if (line.startsWith('BENCH-RESULT ')) result = JSON.parse(line.slice('BENCH-RESULT '.length)) as BenchResult;
      else if (/^(ok |FAIL )/.test(line)) console.log(`  | ${line.replace(/\n/g, '\n  | ')}`);
    });
    const env = { PERSONA_REVIEW_TEST: '1', FAKE_ANTHROPIC_URL: fake.url, FAKE_ANTHROPIC_CONTROL_URL: fake.controlUrl };
    let cdp: Awaited<ReturnType<typeof browser.context.newCDPSession>> | undefined;
    if (profile) {
      cdp = await browser.context.newCDPSession(browser.page);
      await cdp.send('Tracing.start', {
        transferMode: 'ReturnAsStream',
        traceConfig: { recordMode: 'recordContinuously', includedCategories: ['devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing', 'disabled-by-default-devtools.timeline'] },
      });
    }
    await browser.page.goto(workbenchUrl(server, { extensionDevelopmentPath: REPO, extensionTestsPath: hostEntry, extensionEnvironment: env }));
    // Ties the trace clock to Date.now(): a TimeStamp event carrying the page's epoch ms.
    if (cdp) await browser.page.evaluate("console.timeStamp('bench-epoch:' + Date.now())");
    code = await withTimeout(exited, timeoutS * 1000, `bench session ${n} did not finish within ${timeoutS} s`);
    if (cdp) trace = await readTrace(cdp);
    longTasks = await browser.page
      .evaluate<Array<[number, number]> | undefined>('window.__benchLongTasks')
      .catch(() => undefined);
  } finally {
    await browser.close();
    await server.stop();
    await new Promise<void>((resolve) => consoleLog.end(() => resolve()));
  }
  if (code !== 0 || !result) {
    throw new Error(
      `bench session ${n} failed (exit ${code}${result ? '' : ', no BENCH-RESULT line'}); extension host said:\n` +
        `${hostLines.slice(-20).join('\n')}\nlogs kept in ${dir}; code-server log tail:\n${tail(server.logFile, 10)}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  const h = result.review.hops;
  // The part of the page's long tasks that fell between the first text at the extension and its arrival.
  const blocked = longTasks
    ? longTasks.reduce((ms, [start, dur]) => ms + Math.max(0, Math.min(start + dur, h.firstArrivedAt) - Math.max(start, h.firstTextAt)), 0)
    : Number.NaN;
  if (trace) {
    const file = path.join(REPO, `bench/results/extension-${n}.trace.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ traceEvents: trace }));
    say(`session ${n}: page trace in ${path.relative(REPO, file)} (chrome://tracing); renderer main threads from 500 ms before the first text to its arrival:`);
    for (const line of traceWindow(trace, h.firstTextAt - 500, h.firstArrivedAt)) console.log(`    ${line}`);
  }
  return { ...result, pageBlockedMs: Math.round(blocked) };
}

/** A session's figures, and how long the page's main thread was in long tasks while the first text travelled. */
type SessionResult = BenchResult & { pageBlockedMs: number };

/** A Chrome trace event (times in µs on the trace clock). */
interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { message?: string } };
}

/** Ends tracing on `cdp` and reads the trace from its stream. */
async function readTrace(cdp: Awaited<ReturnType<Browser['context']['newCDPSession']>>): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')));
  await cdp.send('Tracing.end');
  const handle = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/**
 * Per renderer main thread (CrRendererMain) busy in an epoch-ms window: total of top-level tasks, and self
 * time per event name (top 15). The trace clock is tied to epoch ms by the `bench-epoch:` TimeStamp event.
 */
function traceWindow(events: TraceEvent[], from: number, to: number): string[] {
  const mark = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('bench-epoch:'));
  if (!mark) return ['(no bench-epoch TimeStamp in the trace)'];
  const epochOf = (ts: number) => Number(mark.args!.data!.message!.slice('bench-epoch:'.length)) + (ts - mark.ts) / 1000;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const out: string[] = [`window ${(to - from).toFixed(0)} ms`];
  for (const key of mains) {
    const xs = events
      .filter((e) => e.ph === 'X' && e.dur !== undefined && `${e.pid}:${e.tid}` === key && epochOf(e.ts + e.dur) >= from && epochOf(e.ts) <= to)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    if (xs.length === 0) continue;
    // Self time: an event's duration less that of the events nested in it.
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; child: number }> = [];
    let busy = 0;
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= upTo) {
        const top = stack.pop()!;
        self.set(top.e.name, (self.get(top.e.name) ?? 0) + (top.e.dur! - top.child) / 1000);
      }
    };
    for (const e of xs) {
      close(e.ts);
      if (stack.length) stack[stack.length - 1]!.child += e.dur!;
      else busy += e.dur! / 1000;
      stack.push({ e, child: 0 });
    }
    close(Number.POSITIVE_INFINITY);
    out.push(`renderer ${key}: ${busy.toFixed(0)} ms in top-level tasks; self time by event:`);
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const fmt = (x: number, digits = 0) => x.toFixed(digits);

/** A row of the timing table: a figure per iteration, with its min and median. */
interface Row {
  label: string;
  unit: string;
  values: number[];
  digits?: number;
}

function printTable(rows: Row[]): void {
  const header = ['figure', 'unit', 'min', 'median', 'runs'];
  const cells = rows.map((r) =>
    r.values.length === 0 ? [r.label, '', '', '', ''] : [r.label, r.unit, fmt(Math.min(...r.values), r.digits), fmt(median(r.values), r.digits), r.values.map((v) => fmt(v, r.digits)).join(' / ')],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i >= 2 && i <= 3 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const tAll = performance.now();
  const install = setup();
  if (o.build) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs'), '--production', '--quiet'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`node scripts/build.mjs --production failed (exit ${r.status ?? r.signal})`);
    say(`production build (scripts/build.mjs --production: minified, no source maps): ${since(t)} ms`);
  } else say('--no-build: measuring dist/ as it is');
  const sizes = bundleSizes();
  const hostEntry = await buildHostTests(path.join(REPO, 'bench/vscode'), path.join(REPO, 'out/vscode-bench'));
  const fake = await startFakeApi();
  onCleanup(fake.close);

  const runs: SessionResult[] = [];
  /** The machine's 1-minute load average after each session (2 cores shared: the paint times track it). */
  const loads: number[] = [];
  try {
    for (let i = 1; i <= o.iterations; i++) {
      const t = performance.now();
      const r = await session(install, fake, hostEntry, i, o.timeoutS, o.profile);
      runs.push(r);
      loads.push(os.loadavg()[0]!);
      say(`iteration ${i}/${o.iterations}: ${since(t)} ms (first paint ${r.review.firstPaintMs} ms, ${r.review.textEvents} text events)`);
    }
  } finally {
    await cleanupAll();
  }

  console.log('');
  console.log(`Bundles (${o.build ? 'built now with --production' : 'dist/ as found'})`);
  const w = Math.max(...sizes.map((s) => s.file.length));
  for (const s of sizes) console.log(`  ${s.file.padEnd(w)}  ${String(s.bytes).padStart(9)} B  ${kb(s.bytes).padStart(7)} KB  ${kb(s.gzipBytes).padStart(6)} KB gzip`);
  const js = sizes.filter((s) => s.file.endsWith('.js')).reduce((n, s) => n + s.bytes, 0);
  const wasm = sizes.filter((s) => s.file.endsWith('.wasm')).reduce((n, s) => n + s.bytes, 0);
  console.log(`  total: ${kb(js)} KB of JavaScript, ${kb(wasm)} KB of WebAssembly`);

  const r0 = runs[0]!.review;
  console.log('');
  console.log(
    `Long scripted review: ${kb(r0.replyChars)} KB reply, ${r0.findingBlocks} finding blocks, streamed in ${r0.chunkChars}-character deltas ${r0.delayMs} ms apart; ` +
      `${o.iterations} iteration(s), each a fresh code-server + chromium. Paint times: webview Date.now() − extension host Date.now() (same machine).`,
  );
  const a = runs.map((r) => r.activation);
  const rv = runs.map((r) => r.review);
  const rows: Row[] = [
    { label: 'activate() call, wall (extension host)', unit: 'ms', values: a.map((x) => x.activateCallMs), digits: 1 },
    { label: 'activate() start → end', unit: 'ms', values: a.map((x) => x.activateMs), digits: 1 },
    { label: 'activate() start → language client ready', unit: 'ms', values: a.map((x) => x.clientReadyMs ?? Number.NaN), digits: 1 },
    { label: 'idle panel, before the review: ping delivery', unit: 'ms', values: runs.map((r) => median(r.idlePing.deliveryMs)) },
    { label: 'idle panel, before the review: ping → next frame', unit: 'ms', values: runs.map((r) => median(r.idlePing.frameMs)) },
    { label: 'first text at extension → first paint', unit: 'ms', values: rv.map((x) => x.firstPaintMs) },
    { label: '  first: at extension → arrived in webview', unit: 'ms', values: rv.map((x) => x.firstDeliveryMs) },
    { label: '  first: arrived → painted', unit: 'ms', values: rv.map((x) => x.firstRenderMs) },
    { label: '  hops (relative to first text at extension):', unit: '', values: [] },
    { label: '    review command asked', unit: 'ms', values: rv.map((x) => -x.hops.commandToFirstTextMs) },
    { label: '    panel page set (host)', unit: 'ms', values: rv.map((x) => x.hops.pageSetMs ?? Number.NaN) },
    { label: '    page script started (webview)', unit: 'ms', values: rv.map((x) => x.hops.pageScriptMs ?? Number.NaN) },
    { label: '    webview ready received (host)', unit: 'ms', values: rv.map((x) => x.hops.readyMs ?? Number.NaN) },
    { label: '    reviewStarted posted (host)', unit: 'ms', values: rv.map((x) => x.hops.startedMs ?? Number.NaN) },
    { label: '    reviewStarted arrived (webview)', unit: 'ms', values: rv.map((x) => x.hops.startedArrivedMs ?? Number.NaN) },
    { label: '    first text handed to postMessage', unit: 'ms', values: rv.map((x) => x.hops.firstSentMs ?? Number.NaN) },
    { label: '    first text postMessage resolved', unit: 'ms', values: rv.map((x) => x.hops.firstAckMs ?? Number.NaN) },
    { label: '    host 0 ms timer lag at first text', unit: 'ms', values: rv.map((x) => x.hops.hostLagMs ?? Number.NaN) },
    { label: '    page long tasks while first in transit', unit: 'ms', values: runs.map((x) => x.pageBlockedMs) },
    { label: '    posts in flight at first text', unit: 'count', values: rv.map((x) => x.hops.inFlightAtFirst ?? Number.NaN) },
    { label: '    posts in flight, most', unit: 'count', values: rv.map((x) => x.hops.maxInFlight) },
    { label: 'last text at extension → last paint', unit: 'ms', values: rv.map((x) => x.lastPaintMs) },
    { label: 'reviewFinished posted → last paint', unit: 'ms', values: rv.map((x) => x.finishedToPaintMs) },
    { label: '  of which: posted → arrived in webview', unit: 'ms', values: rv.map((x) => x.finishedDeliveryMs) },
    { label: '  of which: arrived → painted', unit: 'ms', values: rv.map((x) => x.finishedRenderMs) },
    { label: 'stream at extension (first → last text)', unit: 'ms', values: rv.map((x) => x.streamMs) },
    { label: 'review command, wall', unit: 'ms', values: rv.map((x) => x.commandMs) },
    { label: 'text events at extension', unit: 'count', values: rv.map((x) => x.textEvents) },
    { label: 'characters received by panel', unit: 'chars', values: rv.map((x) => x.receivedChars) },
    { label: 'characters rendered by markdown-it', unit: 'chars', values: rv.map((x) => x.renderedChars) },
    { label: 'rendered / received', unit: 'ratio', values: rv.map((x) => x.renderedChars / x.receivedChars), digits: 2 },
    { label: 'posts host → webview (postMessage)', unit: 'count', values: rv.map((x) => x.posted) },
    { label: 'render frames (since panel load)', unit: 'count', values: rv.map((x) => x.frames) },
    { label: 'findings kept', unit: 'count', values: rv.map((x) => x.findings) },
    { label: 'load average (1 min) after the session', unit: 'procs', values: loads, digits: 1 },
  ];
  printTable(rows);

  // Issue 10's goals, as figure / goal (≤ 1 meets it).
  const ext = sizes.find((x) => x.file === 'dist/extension.js');
  const goal = (label: string, value: number, limit: number, unit: string) =>
    console.log(`  ${label.padEnd(44)} ${value.toFixed(1).padStart(8)} ${unit.padEnd(3)} goal ${String(limit).padStart(4)} ${unit.padEnd(3)} ratio ${(value / limit).toFixed(2)}`);
  console.log('');
  console.log(`Goals (issue 10), medians of ${o.iterations} session(s) on ${os.cpus().length} cores at load ${median(loads).toFixed(1)}:`);
  if (ext) goal('production dist/extension.js', ext.bytes / 1024, 700, 'KB');
  goal('activate() start → end', median(a.map((x) => x.activateMs)), 50, 'ms');
  goal('first text at extension → first paint', median(rv.map((x) => x.firstPaintMs)), 50, 'ms');
  const warm = a.filter((x) => x.wasActive).length;
  if (warm) console.log(`note: in ${warm} session(s) the extension was already active before the bench asked; those activation walls are not cold.`);
  const errors = rv.flatMap((x) => x.errors);
  if (errors.length) console.log(`note: the review reported errors: ${errors.join('; ')}`);

  const out = path.join(REPO, 'bench/results/extension.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverages: loads },
        build: o.build ? 'scripts/build.mjs --production' : 'dist/ as found (--no-build)',
        stream: { replyChars: r0.replyChars, findingBlocks: r0.findingBlocks, chunkChars: r0.chunkChars, delayMs: r0.delayMs },
        bundles: sizes,
        summary: Object.fromEntries(rows.filter((r) => r.values.length > 0).map((r) => [r.label, { unit: r.unit, min: Math.min(...r.values), median: median(r.values) }])),
        runs,
      },
      null,
      2,
    ) + '\n',
  );
  console.log('');
  say(`wrote ${path.relative(REPO, out)}; ${o.iterations} iteration(s) in ${(since(tAll) / 1000).toFixed(1)} s`);
  say('dist/ now holds the production build; "npm run build" restores the development one (npm test and test:vscode rebuild it anyway)');
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(`[bench:extension] ${err instanceof Error ? err.message : String(err)}`);
    await cleanupAll();
    process.exit(1);
  },
);
