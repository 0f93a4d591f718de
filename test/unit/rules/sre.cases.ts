/** Cases for the SRE pack (src/core/offline/rules/sre/). */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- missing-timeout
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'fetch without signal',
    code: `async function load(url) {
  const res = await fetch(url);
  return res.json();
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'typescript',
    name: 'axios.get and axios.create without timeout',
    code: `import axios from 'axios';
export const api = axios.create({ baseURL: 'https://api.example.com' });
export async function user(id: string) {
  return axios.get(\`/users/\${id}\`);
}`,
    expect: 2,
    line: 2,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'fetch with signal, axios with timeout or defaults, instance calls',
    code: `const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
const r2 = await fetch(url, options);
const api = axios.create({ baseURL, timeout: 5000 });
await api.get('/users');
await axios.post('/x', body, { timeout: 2000 });`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'http.request without timeout',
    code: `const https = require('https');
function ping(host) {
  const req = https.request({ host, path: '/' }, (res) => res.resume());
  req.end();
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'http.request with setTimeout',
    code: `const https = require('https');
function ping(host) {
  const req = https.request({ host, path: '/' }, (res) => res.resume());
  req.setTimeout(5000, () => req.destroy());
  req.end();
}`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'python',
    name: 'requests.get and Session.post without timeout',
    code: `import requests

def fetch_user(uid):
    r = requests.get(f"https://api.example.com/users/{uid}")
    with requests.Session() as s:
        s.post("https://api.example.com/events", json={"uid": uid})
    return r.json()`,
    expect: 2,
    line: 4,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'python',
    name: 'timeouts given, dict.get, httpx',
    code: `import requests, httpx

def fetch_user(uid, cache, **kw):
    r = requests.get("https://api.example.com", timeout=5)
    v = cache.get(uid)
    h = httpx.get("https://api.example.com")
    k = requests.post("https://api.example.com", **kw)
    return r, v, h, k`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'go',
    name: 'http.Get and zero http.Client',
    code: `package client

import "net/http"

func Fetch(url string) (*http.Response, error) {
	c := &http.Client{}
	_ = c
	return http.Get(url)
}`,
    expect: 2,
    line: 6,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'go',
    name: 'client with Timeout',
    code: `package client

import (
	"net/http"
	"time"
)

var c = &http.Client{Timeout: 10 * time.Second}

func Fetch(url string) (*http.Response, error) { return c.Get(url) }`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'java',
    name: 'openConnection without timeouts, newHttpClient',
    code: `class Client {
  String get(URL url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    return read(c.getInputStream());
  }
  HttpClient client = HttpClient.newHttpClient();
}`,
    expect: 2,
    line: 3,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'java',
    name: 'openConnection with timeouts, builder with connectTimeout',
    code: `class Client {
  String get(URL url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(30000);
    return read(c.getInputStream());
  }
  HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
}`,
    expect: 0,
  },

  // Issue 9: a call is judged by what its name resolves to; a local `fetch` is not the Fetch API, and no quick fix
  // adds an argument that function ignores.
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'a function named fetch declared in the file, a fetch parameter, an imported fetch wrapper (issue 9)',
    code: `import { fetch as get } from './client.js';
function fetch(url) {
  return cache.get(url) ?? load(url);
}
export function page(url) {
  return fetch(url);
}
export function withClient(fetch, url) {
  return fetch(url);
}
export const data = () => get('/data');`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'globalThis.fetch is the Fetch API even when a local fetch exists',
    code: `function fetch(url) { return globalThis.fetch(url); }`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'go',
    name: 'a function documented as exiting does so by contract',
    path: 'cobra.go',
    code: `package cobra

// CheckErr prints the msg with the prefix 'Error:' and exits with error code 1. If the msg is nil, it does nothing.
func CheckErr(msg interface{}) {
	if msg != nil {
		fmt.Fprintln(os.Stderr, "Error:", msg)
		os.Exit(1)
	}
}`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'python',
    name: 'a shell-completion hook documented to exit early',
    path: 'cli/core.py',
    code: `import sys

class Command:
    def _main_shell_completion(self, ctx_args, prog_name):
        """Check if the shell is asking for tab completion, process that, then exit early."""
        rv = complete(self, ctx_args, prog_name)
        sys.exit(rv)`,
    expect: 0,
  },
  // ---------------------------------------------------------------- swallowed-error
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'empty catch and .catch(() => {})',
    code: `async function save(doc) {
  try {
    await db.insert(doc);
  } catch (e) {}
  sendMetrics(doc).catch(() => {});
}`,
    expect: 2,
    line: 4,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'typescript',
    name: 'catch that logs or rethrows',
    code: `async function save(doc: Doc) {
  try {
    await db.insert(doc);
  } catch (e) {
    logger.error({ err: e }, 'insert failed');
    throw e;
  }
  await sendMetrics(doc).catch((e) => logger.warn(e));
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'broad except with pass',
    code: `def save(doc):
    try:
        db.insert(doc)
    except Exception:
        pass`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'specific exceptions and optional imports',
    code: `try:
    import ujson as json
except ImportError:
    import json

def get(d, k):
    try:
        return d[k]
    except KeyError:
        pass`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'go',
    name: 'empty if err != nil',
    code: `package store

func Save(doc Doc) {
	err := db.Insert(doc)
	if err != nil {
	}
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'go',
    name: 'error returned',
    code: `package store

func Save(doc Doc) error {
	if err := db.Insert(doc); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'java',
    name: 'empty catch of Exception and InterruptedException',
    code: `class Worker {
  void run() {
    try { process(); } catch (Exception e) { }
    try { Thread.sleep(100); } catch (InterruptedException e) { }
  }
}`,
    expect: 2,
    line: 3,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'java',
    name: 'specific exception ignored with a reason',
    code: `class Worker {
  void close(Closeable c) {
    try { c.close(); } catch (IOException ignored) { /* best effort: already shutting down */ }
  }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- retry-loop
  {
    rule: 'sre/retry-loop',
    language: 'javascript',
    name: 'while (true) retry without limit or backoff',
    code: `async function getConfig() {
  while (true) {
    try {
      const res = await fetch(CONFIG_URL);
      return await res.json();
    } catch (err) {
      console.warn('retrying', err);
    }
  }
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'sre/retry-loop',
    language: 'typescript',
    name: 'counted retry without backoff',
    code: `export async function send(msg: Msg) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await client.publish(msg);
      return;
    } catch (e) {
      log.warn(e);
    }
  }
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'sre/retry-loop',
    language: 'javascript',
    name: 'bounded retry with backoff; fallback over candidates; worker loop',
    code: `async function send(msg) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await client.publish(msg);
    } catch (e) {
      await sleep(2 ** attempt * 100);
    }
  }
}
function load(paths) {
  for (let i = 0; i < paths.length; i++) {
    try { return require(paths[i]); } catch {}
  }
}
async function work(queue) {
  while (true) {
    try {
      const job = await queue.receive();
      await handle(job);
    } catch (e) {
      log.error(e);
    }
  }
}`,
    expect: 0,
  },
  {
    rule: 'sre/retry-loop',
    language: 'python',
    name: 'while True retry with sleep but no limit',
    code: `import time, requests

def wait_for_db():
    while True:
        try:
            return db.connect(DSN)
        except OperationalError:
            time.sleep(1)`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/retry-loop',
    language: 'python',
    name: 'retry with attempt limit and backoff; input loop',
    code: `import time

def connect():
    for attempt in range(5):
        try:
            return db.connect(DSN)
        except OperationalError:
            time.sleep(2 ** attempt)
    raise RuntimeError("db unavailable")

def ask():
    while True:
        try:
            return int(input("n? "))
        except ValueError:
            print("not a number")`,
    expect: 0,
  },
  {
    rule: 'sre/retry-loop',
    language: 'go',
    name: 'for {} retry until err == nil',
    code: `package boot

func waitForAPI(url string) *http.Response {
	for {
		resp, err := http.Get(url)
		if err == nil {
			return resp
		}
	}
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/retry-loop',
    language: 'go',
    name: 'bounded with sleep',
    code: `package boot

func waitForAPI(url string) (*http.Response, error) {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		resp, e := client.Get(url)
		if e == nil {
			return resp, nil
		}
		err = e
		time.Sleep(time.Duration(1<<attempt) * time.Second)
	}
	return nil, err
}`,
    expect: 0,
  },
  {
    rule: 'sre/retry-loop',
    language: 'java',
    name: 'while (true) retry',
    code: `class Boot {
  Connection connect() {
    while (true) {
      try {
        return DriverManager.getConnection(url);
      } catch (SQLException e) {
        log.warn("retrying", e);
      }
    }
  }
}`,
    expect: 1,
    line: 3,
  },

  // ---------------------------------------------------------------- missing-health-check
  {
    rule: 'sre/missing-health-check',
    language: 'javascript',
    name: 'express app without health route',
    code: `const express = require('express');
const app = express();
app.get('/users', listUsers);
app.post('/users', createUser);
app.listen(process.env.PORT || 3000);`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'typescript',
    name: 'express app with /healthz',
    code: `import express from 'express';
const app = express();
app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/users', listUsers);
app.listen(3000);`,
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'javascript',
    name: 'health route in another reviewed file',
    code: `const express = require('express');
const app = express();
app.use('/api', require('./routes'));
app.listen(3000);`,
    files: { 'src/routes.js': `const r = require('express').Router();\nr.get('/users', list);\nr.get('/health', ok);\nmodule.exports = r;` },
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    name: 'Flask app without health route',
    code: `from flask import Flask
app = Flask(__name__)

@app.route("/orders")
def orders():
    return []

@app.post("/orders")
def create():
    return {}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    name: 'FastAPI app with /ready',
    code: `from fastapi import FastAPI
app = FastAPI()

@app.get("/ready")
def ready():
    return {"ok": True}

@app.get("/orders")
def orders():
    return []`,
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'go',
    name: 'net/http server without health route',
    code: `package main

func main() {
	http.HandleFunc("/orders", orders)
	http.HandleFunc("/users", users)
	log.Fatal(http.ListenAndServe(":8080", nil))
}`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'go',
    name: 'gin router with /ping',
    code: `package main

func main() {
	r := gin.Default()
	r.GET("/ping", pong)
	r.GET("/orders", orders)
	r.Run(":8080")
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- process-exit-in-library
  {
    rule: 'sre/process-exit-in-library',
    language: 'javascript',
    path: 'src/lib/config.js',
    name: 'process.exit in a library module',
    code: `function loadConfig(path) {
  if (!fs.existsSync(path)) {
    console.error('missing config');
    process.exit(1);
  }
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}
module.exports = { loadConfig };`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'javascript',
    path: 'bin/tool.js',
    name: 'entry points and signal handlers',
    code: `#!/usr/bin/env node
process.on('SIGTERM', () => process.exit(0));
main().catch(() => process.exit(1));`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'typescript',
    path: 'src/server/shutdown.ts',
    name: 'signal handler in a library file',
    code: `export function installHandlers(server: Server) {
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'python',
    path: 'pkg/db.py',
    name: 'sys.exit in a library function',
    code: `import sys

def connect(dsn):
    if not dsn:
        sys.exit("DSN missing")
    return _connect(dsn)`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'python',
    path: 'pkg/tool.py',
    name: '__main__ guard makes it a script',
    code: `import sys

def run():
    sys.exit(1)

if __name__ == "__main__":
    run()`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'go',
    path: 'internal/store/store.go',
    name: 'log.Fatal outside package main',
    code: `package store

func Open(dsn string) *DB {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatal(err)
	}
	return db
}`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'go',
    path: 'cmd/server/main.go',
    name: 'package main',
    code: `package main

func main() {
	if err := run(); err != nil {
		os.Exit(1)
	}
}`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'java',
    path: 'src/main/java/com/acme/Config.java',
    name: 'System.exit in a class without main',
    code: `class Config {
  static Config load(Path p) {
    if (!Files.exists(p)) {
      System.exit(2);
    }
    return parse(p);
  }
}`,
    expect: 1,
    line: 4,
  },
  // ---------------------------------------------------------------- more languages and regressions from real code
  {
    rule: 'sre/missing-timeout',
    language: 'go',
    name: 'ListenAndServe without server timeouts',
    code: `package main

func main() {
	http.ListenAndServe(":8080", mux)
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'go',
    name: 'http.Server with ReadHeaderTimeout',
    code: `package main

func main() {
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	srv.ListenAndServe()
}`,
    expect: 0,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'python',
    name: 'urlopen without timeout',
    code: `from urllib.request import urlopen
def robots(url):
    return urlopen(url).read()`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'java',
    name: 'new RestTemplate()',
    code: `class Api {
  private final RestTemplate rest = new RestTemplate();
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'sre/missing-timeout',
    language: 'javascript',
    name: 'fetch of a data: URL',
    code: `const Response = (await fetch('data:,')).constructor;`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'best-effort cleanup and stored promises marked handled',
    code: `async function done(handle, tmp) {
  try { fs.unlinkSync(tmp); } catch {}
  await handle.close().catch(() => {});
  this.endPromise.catch(() => {});
  try { JSON.parse(text); } catch (e) {}
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'bare except whose comment gives the reason is not swallowed (issue 9)',
    code: `def flush(sink):
    try:
        sink.send_batch()
    except:  # telemetry must never break the request
        pass`,
    expect: 0,
  },
  // Issue 9: an empty catch whose comment gives the reason, or that carries a lint directive, is not swallowed.
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'empty catch with a reason, eslint-disable no-empty (next-line, line, file), _ parameter',
    code: `function mark(socket, tos) {
  try {
    socket.setTypeOfService(tos)
  } catch {
    // QoS marking is best-effort: setTypeOfService() can throw on some platforms, which must not abort the request.
  }
  try {
    socket.setNoDelay(true)
    // eslint-disable-next-line no-empty
  } catch {}
  try { socket.setKeepAlive(true) } catch {} // eslint-disable-line no-empty
  try { socket.ref() } catch (_err) {}
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'typescript',
    name: 'file-wide eslint-disable no-empty',
    code: `/* eslint-disable no-empty */
export function tune(socket: Socket) {
  try { socket.setTypeOfService(8) } catch {}
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'a TODO is no reason: still swallowed',
    code: `async function save(doc) {
  try {
    await db.insert(doc);
  } catch (e) {
    // TODO handle this
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'noqa / nosec / pylint directives',
    code: `def flush(sink):
    try:
        sink.send_batch()
    except Exception:  # noqa: S110
        pass
    try:
        sink.close_batch()
    except Exception:  # pylint: disable=broad-except
        pass`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'go',
    name: 'nolint directive and a comment in the empty branch',
    code: `package store
func Save(doc Doc) {
	err := db.Insert(doc)
	if err != nil { //nolint:staticcheck
	}
	if err := cache.Put(doc); err != nil {
		// the cache is optional; misses are counted by the cache itself
	}
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'java',
    name: 'catch (Exception ignored) is deliberate by convention',
    code: `class Files {
  void delete(FileObject f) {
    try { f.delete(); } catch (Exception ignored) { }
    try { f.commit(); } catch (Exception expected) { }
  }
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'fallback: try only sets a default, or returns and the code after it is the fallback',
    code: `let mod = loadPlain();
try {
  mod = new WebAssembly.Module(loadSimd())
} catch {
}
function isBinary(stream) {
  try {
    stream.write('');
    return false;
  } catch (e) {}
  return true;
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'fallback: the variable set in the try is checked after it',
    code: `function load() {
  let mod
  if (simd) {
    try {
      mod = new WebAssembly.Module(loadSimd())
    } catch {
    }
  }
  if (!mod) {
    mod = new WebAssembly.Module(loadPlain())
  }
  return mod
}`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'javascript',
    name: 'an assignment without a default before the try is still swallowed',
    code: `async function load(id) {
  let row;
  try {
    row = await db.findOne(id)
  } catch (e) {}
  return row.name;
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'a wrapper documented as ignoring exceptions',
    code: `def safecall(func):
    """Wraps a function so that it swallows exceptions."""
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            pass
    return wrapper`,
    expect: 0,
  },
  {
    rule: 'sre/retry-loop',
    language: 'python',
    name: 'server loop with a conditional break and lock re-acquire',
    code: `def serve(listener):
    while True:
        try:
            conn = listener.accept()
            msg = conn.recv()
            if msg is None:
                break
            handle(msg)
        except Exception:
            log.exception("serve")

async def reacquire(lock):
    while True:
        try:
            await lock.acquire()
            break
        except CancelledError:
            cancelled = True`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'python',
    path: 'pkg/commands.py',
    name: 'click commands and forked children',
    code: `import click, os, sys

@click.command()
def lint():
    sys.exit(1)

def child():
    os._exit(0)`,
    expect: 0,
  },
  {
    rule: 'sre/process-exit-in-library',
    language: 'javascript',
    path: 'lib/watchGuard.js',
    name: 'module-level exit in a script file',
    code: `const dir = process.argv[2];
if (!dir) process.exit(1);`,
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    path: 'labs/orders_lab/app.py',
    name: 'routes of other apps in the repository are not this server\'s (it registers one)',
    code: `from flask import Flask
app = Flask(__name__)

@app.route("/orders")
def orders():
    return []

app.run()`,
    files: { 'labs/other_lab/views.py': `from flask import Flask\nother = Flask(__name__)\n\n@other.route("/a")\ndef a():\n    return 1\n\n@other.route("/b")\ndef b():\n    return 2\n` },
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'javascript',
    path: 'labs/shop/server.js',
    name: 'the message counts the routes of this server (its file and the modules it loads), not of the repository',
    code: `const express = require('express');
const app = express();
app.use(require('./routes'));
app.listen(3000);`,
    files: {
      'labs/shop/routes.js': `const r = require('express').Router();\nr.get('/cart', cart);\nr.post('/cart', add);\nr.get('/orders', orders);\nmodule.exports = r;`,
      'labs/other/server.js': `const express = require('express');\nconst other = express();\n${Array.from({ length: 9 }, (_, i) => `other.get('/page${i}', page);`).join('\n')}\nother.get('/healthz', ok);\nother.listen(4000);`,
    },
    expect: 1,
    message: /registers 3 routes \(e\.g\. `\/cart, \/orders`\)/,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    name: 'a mapping .get("APP_PORT") is no route (a Flask app with one route)',
    code: `import os
from flask import Flask
app = Flask(__name__)
port = os.environ.get('APP_PORT', 5050)

@app.route("/")
def index():
    return "hi"

app.run(port=port)`,
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    path: 'shop/app.py',
    name: 'aiohttp add_route(method, path) reads the path, so a /healthz route there counts',
    code: `from aiohttp import web
from shop.routes import setup_routes

app = web.Application()
setup_routes(app)
web.run_app(app)`,
    files: { 'shop/routes.py': `def setup_routes(app):\n    app.router.add_route('GET', r'/students/', students)\n    app.router.add_route('POST', r'/students/', students)\n    app.router.add_route('GET', '/healthz', health)\n` },
    expect: 0,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'python',
    path: 'shop/app.py',
    name: 'aiohttp routes in a loaded module without a health route are reported by their paths',
    code: `from aiohttp import web
from shop.routes import setup_routes

app = web.Application()
setup_routes(app)
web.run_app(app)`,
    files: { 'shop/routes.py': `def setup_routes(app):\n    app.router.add_route('GET', r'/students/', students)\n    app.router.add_route('POST', r'/courses/', courses)\n` },
    expect: 1,
    message: /registers 2 routes \(e\.g\. `\/students\/, \/courses\/`\)/,
  },
  {
    rule: 'sre/missing-health-check',
    language: 'typescript',
    name: 'app created but never started here',
    code: `import express from 'express';
export const app = express();
app.get('/users', listUsers);
app.post('/users', createUser);`,
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'a guarded assignment to a pre-set default is a fallback (the optional hook of a pretty-printer)',
    code: 'def render(obj):\n    result = None\n    try:\n        if hasattr(obj, "__rich_repr__"):\n            result = obj.__rich_repr__()\n    except Exception:\n        pass\n    return result if result is not None else repr(obj)\n',
    expect: 0,
  },
  {
    rule: 'sre/swallowed-error',
    language: 'python',
    name: 'a guarded call whose failure is dropped is still swallowed',
    code: 'def save(obj):\n    try:\n        if obj.dirty:\n            upload(obj)\n    except Exception:\n        pass\n',
    expect: 1,
  },
];
