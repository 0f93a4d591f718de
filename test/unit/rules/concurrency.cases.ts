/** Cases for the concurrency pack (src/core/offline/rules/concurrency/). */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- concurrency/missing-await
  {
    rule: 'concurrency/missing-await',
    language: 'typescript',
    name: 'async function of the same file called as a statement',
    line: 7,
    code: `async function saveAudit(entry: Entry): Promise<void> {
  await db.insert(entry);
}

export async function handle(req: Req) {
  const result = await process(req);
  saveAudit({ id: req.id, result });
  return result;
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/missing-await',
    language: 'javascript',
    name: 'async method via this, and fs/promises import',
    line: 5,
    code: `import { writeFile } from 'fs/promises';
class Store {
  async flush() { await this.db.save(this.items); }
  async add(item) {
    this.flush();
    writeFile('/tmp/log', String(item));
  }
}
`,
    expect: 2,
  },
  {
    rule: 'concurrency/missing-await',
    language: 'python',
    name: 'coroutine called without await',
    line: 6,
    code: `async def notify(user):
    await mailer.send(user.email)


async def register(user):
    notify(user)
    return user
`,
    expect: 1,
  },
  {
    rule: 'concurrency/missing-await',
    language: 'python',
    name: 'async method through self, and asyncio.sleep',
    line: 6,
    code: `class Worker:
    async def refresh(self):
        pass

    async def run(self):
        self.refresh()
        asyncio.sleep(1)
`,
    expect: 2,
  },
  {
    rule: 'concurrency/missing-await',
    language: 'typescript',
    name: 'awaited, returned, void-ed, chained or marked calls are fine',
    code: `async function save(x: number) { await db.put(x); }
function syncHelper() { save(1); }
export async function run() {
  await save(1);
  void save(2);
  save(3).catch(log);
  save(4); // fire-and-forget: audit only
  return save(5);
}
`,
    expect: 0,
  },
  {
    rule: 'concurrency/missing-await',
    language: 'python',
    name: 'awaited coroutine, create_task and decorated coroutine functions are fine',
    code: `async def job():
    pass

@async_to_sync
async def legacy():
    pass

def sync_caller():
    legacy()

async def main():
    await job()
    task = asyncio.create_task(job())
    await task
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/async-foreach
  {
    rule: 'concurrency/async-foreach',
    language: 'javascript',
    name: 'forEach with an async callback',
    line: 2,
    code: `async function sendAll(users) {
  users.forEach(async (u) => {
    await mailer.send(u.email);
  });
  console.log('done');
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/async-foreach',
    language: 'typescript',
    name: 'map(async) whose result is discarded',
    line: 2,
    code: `export function warm(keys: string[]) {
  keys.map(async (k) => {
    await cache.load(k);
  });
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/async-foreach',
    language: 'javascript',
    name: 'Promise.all over map(async) and sync forEach are fine',
    code: `async function sendAll(users) {
  await Promise.all(users.map(async (u) => { await mailer.send(u.email); }));
  users.forEach((u) => console.log(u));
  const ps = users.map(async (u) => { await mailer.send(u); });
  await Promise.all(ps);
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/unsynchronized-shared-state
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'go',
    name: 'package map written in an HTTP handler',
    line: 6,
    code: `package main

var hits = map[string]int{}

func count(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++
	fmt.Fprintln(w, "ok")
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'go',
    name: 'counter incremented in a goroutine',
    line: 8,
    code: `package main

var total int

func Run(jobs []Job) {
	for _, j := range jobs {
		go func(j Job) {
			total += j.Size
		}(j)
	}
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'java',
    name: 'field updated with and without the lock',
    line: 5,
    code: `class Counter {
  private int count;
  private final Object lock = new Object();
  void inc() { synchronized (lock) { count++; } }
  void add(int n) { count += n; }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'java',
    name: 'static counter in a class that starts threads',
    line: 6,
    code: `class Downloader {
  private static int done = 0;
  void start(ExecutorService pool, List<String> urls) {
    for (String u : urls) pool.submit(() -> fetch(u));
  }
  void fetch(String u) { done++; }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'python',
    name: 'global += in a thread target',
    line: 6,
    code: `import threading
processed = 0

def worker(items):
    global processed
    processed += len(items)

threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'go',
    name: 'mutex held, local shadow, and non-concurrent function are fine',
    code: `package main

var (
	mu   sync.Mutex
	hits = map[string]int{}
)

func count(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	defer mu.Unlock()
	hits[r.URL.Path]++
}

func local(w http.ResponseWriter, r *http.Request) {
	hits := map[string]int{}
	hits["x"]++
}

func init() { hits["start"] = 1 }
`,
    expect: 0,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'python',
    name: 'update under a lock is fine',
    code: `import threading
lock = threading.Lock()
processed = 0

def worker(items):
    global processed
    with lock:
        processed += len(items)

threading.Thread(target=worker).start()
`,
    expect: 0,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'python',
    name: 'subscripted module dict updated from a thread pool',
    line: 6,
    code: `from concurrent.futures import ThreadPoolExecutor

stats = {"ok": 0, "failed": 0}

def fetch(url):
    stats["ok"] += 1

with ThreadPoolExecutor(8) as ex:
    ex.map(fetch, urls)
`,
    expect: 1,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'python',
    name: 'Thread subclass state is per thread; process pools share nothing',
    code: `import threading
from multiprocessing import Pool
total = 0

class Worker(threading.Thread):
    def run(self):
        self.count += 1

def add(x):
    global total
    total += x

with Pool(4) as pool:
    pool.map(add, range(10))
`,
    expect: 0,
  },
  {
    rule: 'concurrency/unsynchronized-shared-state',
    language: 'java',
    name: 'AtomicInteger, synchronized methods and plain classes are fine',
    code: `class A {
  private static final AtomicInteger n = new AtomicInteger();
  private int x;
  synchronized void inc() { x++; }
  synchronized void reset() { x = 0; }
  void go() { n.incrementAndGet(); new Thread(this::inc).start(); }
}
class Plain { private int y; void bump() { y++; } }
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/check-then-act
  {
    rule: 'concurrency/check-then-act',
    language: 'typescript',
    name: 'cache filled after an await',
    line: 4,
    code: `const cache = new Map<string, User>();

export async function getUser(id: string) {
  if (!cache.has(id)) {
    const user = await api.fetchUser(id);
    cache.set(id, user);
  }
  return cache.get(id);
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'javascript',
    name: 'lazy client initialisation after an await',
    line: 3,
    code: `class Repo {
  async client() {
    if (!this.conn) {
      this.conn = await connect(this.url);
    }
    return this.conn;
  }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'python',
    name: 'unlocked cache fill in threaded code',
    line: 7,
    code: `import threading

_cache = {}


def get(key):
    if key not in _cache:
        _cache[key] = expensive(key)
    return _cache[key]

workers = [threading.Thread(target=get, args=(k,)) for k in keys]
`,
    expect: 1,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'java',
    name: 'containsKey then put on a ConcurrentHashMap',
    line: 4,
    code: `class Registry {
  private final ConcurrentHashMap<String, Conn> conns = new ConcurrentHashMap<>();
  Conn get(String k) {
    if (!conns.containsKey(k)) {
      conns.put(k, open(k));
    }
    return conns.get(k);
  }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'typescript',
    name: 'promise memoised before awaiting, and sync fill, are fine',
    code: `const pending = new Map<string, Promise<User>>();
export async function getUser(id: string) {
  let p = pending.get(id);
  if (!pending.has(id)) {
    p = api.fetchUser(id);
    pending.set(id, p);
  }
  return await p;
}
function memo(k: string) {
  if (!cache.has(k)) cache.set(k, compute(k));
}
`,
    expect: 0,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'python',
    name: 'cache fill under a lock, or in a script without threads',
    code: `import threading
lock = threading.Lock()
_cache = {}

def get(key):
    with lock:
        if key not in _cache:
            _cache[key] = expensive(key)
    return _cache[key]

def local(key):
    seen = {}
    if key not in seen:
        seen[key] = 1
`,
    expect: 0,
  },
  {
    rule: 'concurrency/check-then-act',
    language: 'java',
    name: 'computeIfAbsent and a synchronized method are fine',
    code: `class Registry {
  private final Map<String, Conn> conns = new HashMap<>();
  synchronized Conn get(String k) {
    if (!conns.containsKey(k)) {
      conns.put(k, open(k));
    }
    return conns.get(k);
  }
  Conn get2(String k) { return conns.computeIfAbsent(k, this::open); }
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/toctou-file
  {
    rule: 'concurrency/toctou-file',
    language: 'javascript',
    name: 'existsSync then writeFileSync',
    line: 2,
    code: `function init(lockPath) {
  if (!fs.existsSync(lockPath)) {
    fs.writeFileSync(lockPath, String(process.pid));
  }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'python',
    name: 'os.path.exists then open for writing',
    line: 2,
    code: `def claim(path):
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write(str(os.getpid()))
`,
    expect: 1,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'go',
    name: 'os.Stat / IsNotExist then os.Create',
    line: 4,
    code: `package main

func Claim(p string) error {
	if _, err := os.Stat(p); os.IsNotExist(err) {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		return f.Close()
	}
	return nil
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'java',
    name: 'Files.exists then Files.write',
    line: 3,
    code: `class Lock {
  void claim(Path p) throws IOException {
    if (!Files.exists(p)) {
      Files.write(p, pid());
    }
  }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'typescript',
    name: 'mkdir after check (low)',
    line: 1,
    code: `if (!fs.existsSync(outDir)) fs.mkdirSync(outDir);
`,
    expect: 1,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'javascript',
    name: 'exclusive flags, recursive mkdir, read after check, other path are fine',
    code: `if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
if (fs.existsSync(p)) { data = fs.readFileSync(p); }
if (!fs.existsSync(a)) { fs.writeFileSync(b, 'x'); }
fs.writeFileSync(p, 'x', { flag: 'wx' });
`,
    expect: 0,
  },
  {
    rule: 'concurrency/toctou-file',
    language: 'python',
    name: 'makedirs with exist_ok and reading after a check are fine',
    code: `if not os.path.exists(d):
    os.makedirs(d, exist_ok=True)
if os.path.exists(p):
    data = open(p).read()
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/lock-order
  {
    rule: 'concurrency/lock-order',
    language: 'java',
    name: 'nested synchronized blocks in opposite orders',
    line: 11,
    code: `class Bank {
  private final Object a = new Object();
  private final Object b = new Object();
  void transferAB() {
    synchronized (a) {
      synchronized (b) { move(); }
    }
  }
  void transferBA() {
    synchronized (b) {
      synchronized (a) { move(); }
    }
  }
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/lock-order',
    language: 'go',
    name: 'mutexes locked in opposite orders',
    line: 13,
    code: `package main

func (s *Store) Move() {
	s.accounts.Lock()
	defer s.accounts.Unlock()
	s.ledger.Lock()
	defer s.ledger.Unlock()
}

func (s *Store) Audit() {
	s.ledger.Lock()
	defer s.ledger.Unlock()
	s.accounts.Lock()
	defer s.accounts.Unlock()
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/lock-order',
    language: 'python',
    name: 'nested with-locks in opposite orders',
    line: 12,
    code: `import threading
cache_lock = threading.Lock()
db_lock = threading.Lock()

def update():
    with cache_lock:
        with db_lock:
            write()

def reload():
    with db_lock:
        with cache_lock:
            read()
`,
    expect: 1,
  },
  {
    rule: 'concurrency/lock-order',
    language: 'go',
    name: 'consistent order, and a lock released before the next is taken',
    code: `package main

func (s *Store) Move() {
	s.accounts.Lock()
	s.ledger.Lock()
	s.ledger.Unlock()
	s.accounts.Unlock()
}

func (s *Store) Audit() {
	s.ledger.Lock()
	s.ledger.Unlock()
	s.accounts.Lock()
	s.accounts.Unlock()
}

func (s *Store) Both() {
	s.accounts.Lock()
	defer s.accounts.Unlock()
	s.ledger.Lock()
	defer s.ledger.Unlock()
}
`,
    expect: 0,
  },
  {
    rule: 'concurrency/lock-order',
    language: 'java',
    name: 'same order everywhere',
    code: `class Bank {
  void x() { synchronized (a) { synchronized (b) { move(); } } }
  void y() { synchronized (a) { synchronized (b) { move(); } } }
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- concurrency/goroutine-loop-var
  {
    rule: 'concurrency/goroutine-loop-var',
    language: 'go',
    name: 'closure reads the range variable (no go.mod known)',
    line: 5,
    code: `package main

func Fetch(urls []string) {
	for _, u := range urls {
		go func() {
			get(u)
		}()
	}
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/goroutine-loop-var',
    language: 'go',
    name: 'errgroup closure with go.mod at 1.21',
    path: 'svc/fetch.go',
    files: { 'go.mod': 'module example.com/svc\n\ngo 1.21\n' },
    line: 5,
    code: `package svc

func Fetch(g *errgroup.Group, urls []string) {
	for i := 0; i < len(urls); i++ {
		g.Go(func() error {
			return get(urls[i])
		})
	}
}
`,
    expect: 1,
  },
  {
    rule: 'concurrency/goroutine-loop-var',
    language: 'go',
    name: 'passed as argument, or copied, is fine',
    code: `package main

func Fetch(urls []string) {
	for _, u := range urls {
		go func(u string) { get(u) }(u)
	}
	for _, u := range urls {
		u := u
		go func() { get(u) }()
	}
}
`,
    expect: 0,
  },
  {
    rule: 'concurrency/goroutine-loop-var',
    language: 'go',
    name: 'go.mod declares Go 1.22: per-iteration variables',
    path: 'main.go',
    files: { 'go.mod': 'module example.com/x\n\ngo 1.22\n' },
    code: `package main

func Fetch(urls []string) {
	for _, u := range urls {
		go func() { get(u) }()
	}
}
`,
    expect: 0,
  },
];
