/** Cases for the performance pack (src/core/offline/rules/performance/). */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- performance/n-plus-one
  {
    rule: 'performance/n-plus-one',
    language: 'typescript',
    name: 'awaited ORM query per item',
    line: 4,
    code: `export async function loadAuthors(posts: Post[]) {
  const authors = [];
  for (const post of posts) {
    const author = await prisma.user.findUnique({ where: { id: post.authorId } });
    authors.push(author);
  }
  return authors;
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'javascript',
    name: 'query with a value derived from the loop variable',
    line: 4,
    code: `async function totals(orders, db) {
  for (let i = 0; i < orders.length; i++) {
    const id = orders[i].customerId;
    const rows = await db.query('SELECT * FROM customers WHERE id = $1', [id]);
    use(rows);
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'javascript',
    name: 'fetch per item (medium)',
    line: 3,
    code: `async function prices(symbols) {
  for (const s of symbols) {
    const r = await fetch(\`https://api.example.com/price/\${s}\`);
    out.push(await r.json());
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'python',
    name: 'cursor.execute per row',
    line: 4,
    code: `def save(rows, conn):
    cur = conn.cursor()
    for row in rows:
        cur.execute("INSERT INTO t (a, b) VALUES (%s, %s)", (row.a, row.b))
    conn.commit()
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'python',
    name: 'Django objects.get in a comprehension',
    line: 2,
    code: `def names(order_ids):
    return [Order.objects.get(id=i).name for i in order_ids]
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'python',
    name: 'awaited session call in async def',
    line: 3,
    code: `async def load(ids, session):
    for i in ids:
        user = await session.get(User, i)
        print(user)
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'go',
    name: 'db.QueryRow in a range loop',
    line: 6,
    code: `package store

func Names(db *sql.DB, ids []int) []string {
	for _, id := range ids {
		var name string
		db.QueryRow("SELECT name FROM users WHERE id = $1", id).Scan(&name)
	}
	return nil
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'java',
    name: 'repository.findById in an enhanced for',
    line: 5,
    code: `class OrderService {
  List<Customer> customers(List<Order> orders) {
    List<Customer> out = new ArrayList<>();
    for (Order o : orders) {
      out.add(customerRepository.findById(o.getCustomerId()).orElseThrow());
    }
    return out;
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'java',
    name: 'a static factory on a class named like a connection is no round trip',
    code: `class FormElement {
  List<KeyVal> formData(List<Element> options, String name) {
    List<KeyVal> data = new ArrayList<>();
    for (Element option : options) {
      data.add(HttpConnection.KeyVal.create(name, option.val()));
    }
    return data;
  }
}
`,
    expect: 0,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'java',
    name: 'JDBC executeUpdate with parameters set from the loop variable',
    line: 6,
    code: `class Dao {
  void insert(List<String> names) throws SQLException {
    PreparedStatement ps = conn.prepareStatement("INSERT INTO t(name) VALUES (?)");
    for (String n : names) {
      ps.setString(1, n);
      ps.executeUpdate();
    }
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'typescript',
    name: 'retry loop with a fixed bound is not N+1',
    code: `async function withRetry() {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fetch(url);
    } catch {}
  }
}
`,
    expect: 0,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'javascript',
    name: 'query in the loop header runs once; batched Promise.all is fine',
    code: `async function f(db, ids) {
  for (const row of await db.query('SELECT * FROM t')) use(row);
  const users = await Promise.all(ids.map((id) => db.users.findOne(id)));
  return users;
}
`,
    expect: 0,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'javascript',
    name: 'call that does not depend on the item, and a search loop that stops early',
    code: `async function f(paths, db) {
  for (const p of paths) {
    await db.ping();
  }
  for (const p of paths) {
    const text = await readFile(p).catch(() => null);
    if (text) return text;
  }
}
`,
    expect: 0,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'python',
    name: 'dict.get on a local cache is not a query',
    code: `def f(keys, cache):
    for k in keys:
        v = cache.get(k)
        print(v)
`,
    expect: 0,
  },
  {
    rule: 'performance/n-plus-one',
    language: 'go',
    name: 'reading rows of one query is not N+1',
    code: `package store

func All(db *sql.DB) {
	rows, _ := db.Query("SELECT id FROM t")
	for rows.Next() {
		var id int
		rows.Scan(&id)
	}
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- performance/quadratic-lookup
  {
    rule: 'performance/quadratic-lookup',
    language: 'javascript',
    name: 'dedupe with includes on an array being built',
    line: 4,
    code: `function unique(items) {
  const seen = [];
  for (const x of items) {
    if (!seen.includes(x)) seen.push(x);
  }
  return seen;
}
`,
    expect: 1,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'typescript',
    name: 'find by id inside map callback over a typed array parameter',
    line: 2,
    code: `function join(orders: Order[], users: User[]) {
  return orders.map((o) => ({ ...o, user: users.find((u) => u.id === o.userId) }));
}
`,
    expect: 1,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'python',
    name: 'x in list built in the function',
    line: 5,
    code: `def diff(a, b):
    wanted = [x.id for x in b]
    out = []
    for item in a:
        if item.id not in wanted:
            out.append(item)
    return out
`,
    expect: 1,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'java',
    name: 'List.contains in a stream filter',
    line: 3,
    code: `class Diff {
  List<String> missing(List<String> all, List<String> present) {
    return all.stream().filter(x -> !present.contains(x)).collect(Collectors.toList());
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'go',
    name: 'slices.Contains in a range loop',
    line: 7,
    code: `package main

import "slices"

func Missing(all, present []string) (out []string) {
	for _, x := range all {
		if !slices.Contains(present, x) {
			out = append(out, x)
		}
	}
	return
}
`,
    expect: 1,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'javascript',
    name: 'small constant table, string receiver, predicate scan, loop-invariant probe',
    code: `const KEYWORDS = ['if', 'else', 'for'];
function f(tokens, patterns, name) {
  for (const t of tokens) {
    if (KEYWORDS.includes(t)) continue;
    if (name.includes(t)) continue;
    if (patterns.some((re) => re.test(t))) continue;
  }
  const list = [];
  for (const t of tokens) if (list.includes('x')) break;
}
`,
    expect: 0,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'python',
    name: 'set membership and constant tuple are fine',
    code: `def f(items):
    allowed = set(load())
    for x in items:
        if x in allowed:
            pass
        if x in ('a', 'b'):
            pass
`,
    expect: 0,
  },
  {
    rule: 'performance/quadratic-lookup',
    language: 'java',
    name: 'Set.contains and String.contains are fine',
    code: `class A {
  void f(List<String> xs, Set<String> allowed, String text) {
    for (String x : xs) {
      if (allowed.contains(x) || text.contains(x)) {}
    }
  }
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- performance/string-concat-in-loop
  {
    rule: 'performance/string-concat-in-loop',
    language: 'java',
    name: 'String += in a for loop',
    line: 5,
    code: `class Csv {
  String join(List<String> cells) {
    String out = "";
    for (String c : cells) {
      out += c + ",";
    }
    return out;
  }
}
`,
    expect: 1,
  },
  {
    rule: 'performance/string-concat-in-loop',
    language: 'go',
    name: 'string += in a range loop',
    line: 6,
    code: `package main

func Join(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p + ","
	}
	return s
}
`,
    expect: 1,
  },
  {
    rule: 'performance/string-concat-in-loop',
    language: 'java',
    name: 'int += and StringBuilder are fine; string declared inside the loop is fine',
    code: `class A {
  int f(List<String> xs) {
    int n = 0;
    StringBuilder sb = new StringBuilder();
    for (String x : xs) {
      n += x.length();
      sb.append(x);
      String line = "";
      line += x;
    }
    return n;
  }
}
`,
    expect: 0,
  },
  {
    rule: 'performance/string-concat-in-loop',
    language: 'go',
    name: 'numeric += in a loop',
    code: `package main

func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- performance/spread-accumulator
  {
    rule: 'performance/spread-accumulator',
    language: 'javascript',
    name: 'object spread in reduce',
    line: 2,
    code: `const byId = users.reduce(
  (acc, u) => ({ ...acc, [u.id]: u }),
  {},
);
`,
    expect: 1,
  },
  {
    rule: 'performance/spread-accumulator',
    language: 'typescript',
    name: 'array spread returned from a reduce block, and concat reassigned in a loop',
    line: 3,
    code: `function flatten(groups: string[][]) {
  const all = groups.reduce((acc: string[], g) => {
    return [...acc, ...g];
  }, []);
  let out: string[] = [];
  for (const g of groups) {
    out = out.concat(g);
  }
  return [all, out];
}
`,
    expect: 2,
  },
  {
    rule: 'performance/spread-accumulator',
    language: 'javascript',
    name: 'mutating accumulator, clone, and loop over a literal list are fine',
    code: `const byId = users.reduce((acc, u) => { acc[u.id] = u; return acc; }, {});
for (const k of ['a', 'b']) { opts = { ...opts, [k]: true }; }
for (const c of changes) { c2 = { ...c2 }; }
`,
    expect: 0,
  },
  {
    rule: 'performance/spread-accumulator',
    language: 'javascript',
    name: 'reducing a literal list runs a fixed handful of times',
    code: `const flags = ['read', 'write', 'admin'].reduce((acc, k) => ({ ...acc, [k]: false }), {});
const merged = Object.entries({ a: 1, b: 2 }).reduce((acc, [k, v]) => [...acc, k + v], []);
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- performance/blocking-io-in-request-path
  {
    rule: 'performance/blocking-io-in-request-path',
    language: 'javascript',
    name: 'readFileSync in an Express route',
    line: 2,
    code: `app.get('/report', (req, res) => {
  const tpl = fs.readFileSync(path.join(__dirname, 'report.html'), 'utf8');
  res.send(tpl);
});
`,
    expect: 1,
  },
  {
    rule: 'performance/blocking-io-in-request-path',
    language: 'typescript',
    name: 'execSync in a handler registered by name',
    line: 4,
    code: `import { execSync } from 'child_process';

function status(request: Request, reply: Reply) {
  const out = execSync('git rev-parse HEAD').toString();
  reply.send(out);
}
router.get('/status', status);
`,
    expect: 1,
  },
  {
    rule: 'performance/blocking-io-in-request-path',
    language: 'python',
    name: 'time.sleep and requests.get in async def',
    line: 2,
    code: `async def handler(request):
    time.sleep(1)
    r = requests.get("https://example.com")
    return r.text
`,
    expect: 2,
  },
  {
    rule: 'performance/blocking-io-in-request-path',
    language: 'javascript',
    name: 'sync I/O at startup or in a CLI is fine',
    code: `const config = JSON.parse(fs.readFileSync('config.json', 'utf8'));
function main(argv) {
  fs.writeFileSync(argv[2], 'x');
}
app.get('/config', (req, res) => res.json(config));
`,
    expect: 0,
  },
  {
    rule: 'performance/blocking-io-in-request-path',
    language: 'python',
    name: 'sync def and executor offloading are fine',
    code: `def view(request):
    time.sleep(1)

async def handler(request):
    await asyncio.sleep(1)
    await loop.run_in_executor(None, lambda: requests.get(url))
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- performance/regex-compile-in-loop
  {
    rule: 'performance/regex-compile-in-loop',
    language: 'go',
    name: 'regexp.MustCompile in a loop',
    line: 5,
    code: `package main

func Count(lines []string) (n int) {
	for _, l := range lines {
		if regexp.MustCompile(\`^\\d+$\`).MatchString(l) {
			n++
		}
	}
	return
}
`,
    expect: 1,
  },
  {
    rule: 'performance/regex-compile-in-loop',
    language: 'java',
    name: 'Pattern.compile and String.replaceAll in a loop',
    line: 4,
    code: `class A {
  void f(List<String> xs) {
    for (String x : xs) {
      Pattern p = Pattern.compile("[a-z]+");
      String y = x.replaceAll("\\\\s+", " ");
    }
  }
}
`,
    expect: 2,
  },
  {
    rule: 'performance/regex-compile-in-loop',
    language: 'javascript',
    name: 'new RegExp with a constant pattern in a loop (low)',
    line: 2,
    code: `for (const line of lines) {
  const re = new RegExp('^\\\\s*#');
  if (re.test(line)) continue;
}
`,
    expect: 1,
  },
  {
    rule: 'performance/regex-compile-in-loop',
    language: 'java',
    name: 'hoisted pattern and dynamic patterns are fine',
    code: `class A {
  private static final Pattern P = Pattern.compile("[a-z]+");
  void f(List<String> xs, List<String> pats) {
    for (String x : xs) { P.matcher(x).matches(); }
    for (String p : pats) { Pattern.compile(p); }
  }
}
`,
    expect: 0,
  },
];
