/** `performance/n-plus-one`: a query or request per loop iteration. */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { alwaysExits, type CallChain, callChain, enclosingLoops, exitsEarly, identifiersIn, isCollectionLoop, iterationNames, norm, perIterationParts, snippet } from '../../flow';
import { loopLabel } from './util';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { callArguments, isConstantString, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
// ---------------------------------------------------------------------------------------------------

/** Receivers that are databases, ORMs or data clients (normalised names, see `norm`). */
const DB_RECEIVER =
  /^(db|database|conn|connection|pool|cursor|cur|session|tx|txn|trx|transaction|prisma|knex|sequelize|mongoose|model|repo|repository|dao|em|entitymanager|redis|collection|table|stmt|statement|ps|pstmt|preparedstatement|jdbctemplate|jdbc|orm|queryrunner|datasource|objects|mongo|dynamo|dynamodb|firestore|supabase|drizzle|sql)$|(repo|repository|dao|db|collection|model|session|connection|conn|cursor|mapper|pgclient|sqlclient|dbclient|mysqlclient|mongoclient|redisclient|postgresclient)$/;
/** For synchronous code (Python without await, Go, Java) a narrower set: `cache.get` or `model.get` there is usually in memory. */
const SYNC_DB_RECEIVER =
  /^(db|database|conn|connection|cursor|cur|session|tx|txn|em|entitymanager|jdbctemplate|jdbc|stmt|statement|ps|pstmt|preparedstatement|orm|sqlx|gorm)$|(repo|repository|dao|db|conn|connection|cursor|session|mapper|jdbctemplate)$/;
/** Methods that run a query or a data-store round trip (normalised, prefix match for the long ones). */
const DB_METHOD = /^(query|find|select|exec|get|insert|update|upsert|delete|destroy|remove|save|create|count|aggregate|load|fetch|put|scan|bulk)|^(first|one|oneornone|scalar|raw|filter|exists|merge|persist|refresh)$/;
/** For synchronous code, only unmistakable query methods (`stmt.remove()` or `conn.putheader()` are not queries). */
const SYNC_DB_METHOD = /^(query|exec|find|select|insert|update|upsert|delete|save|count|aggregate)|^(get|getone|getbyid|first|one|scalar|filter|create|persist|merge|refresh)$/;
/** Names of awaited calls that look like I/O (normalised, prefix match). */
const IO_METHOD = /^(fetch|get|load|read|request|query|find|select|exec|save|insert|update|upsert|delete|remove|create|put|post|patch|send|download|upload|lookup|search|list|invoke|scan|head|retrieve)/;
/** Bare HTTP client calls. */
const HTTP_FUNCTION = /^(fetch|axios|got|ky|request|superagent|urlopen)$/;

interface IoCall {
  node: SyntaxNode;
  /** The call chain (outermost call first). */
  chain: CallChain;
  db: boolean;
}

function receiverNames(chain: CallChain, lang?: ParsedLanguage): string[] {
  const called = new Set(chain.methods);
  // Java: a capitalised receiver is a class (`HttpConnection.KeyVal.create(...)` is a static factory), not a
  // connection or repository object that goes to a data store.
  return [chain.root, ...chain.members.filter((m) => !called.has(m))].filter((r) => r && !(lang === 'java' && /^[A-Z]/.test(r))).map(norm);
}

/** Classifies an awaited expression (JS/TS or Python `await`): DB round trip, other I/O, or null. */
function awaitedIo(expr: SyntaxNode, lang: ParsedLanguage): IoCall | null {
  const chain = callChain(expr, lang);
  if (!chain) return null;
  const recv = receiverNames(chain);
  // `fn.call(this, x)` says nothing about what `fn` does.
  const methods = chain.methods.filter((m) => !/^(call|apply|bind|then|catch|finally)$/.test(m)).map(norm);
  if (recv.some((r) => DB_RECEIVER.test(r)) && methods.some((m) => DB_METHOD.test(m))) return { node: expr, chain, db: true };
  if (!chain.members.length && HTTP_FUNCTION.test(chain.root || chain.methods[0] || '')) return { node: expr, chain, db: false };
  if (methods.some((m) => IO_METHOD.test(m))) return { node: expr, chain, db: false };
  return null;
}

/** Classifies a synchronous call (Python, Go, Java) that is clearly a query or an HTTP request. */
function syncIo(call: SyntaxNode, lang: ParsedLanguage): IoCall | null {
  const chain = callChain(call, lang);
  if (!chain || !chain.methods.length) return null;
  const recv = receiverNames(chain, lang);
  const methods = chain.methods.map(norm);
  const last = methods[methods.length - 1]!;
  // Django: `Model.objects.get(...)` (a manager reached from a class name, not a local called `objects`).
  const django = lang === 'python' && /^[A-Z]/.test(chain.root) && chain.members[0] === 'objects';
  if ((django || recv.some((r) => SYNC_DB_RECEIVER.test(r))) && methods.some((m) => SYNC_DB_METHOD.test(m))) {
    // Python sessions also serve HTTP (`requests.Session().get`): still one round trip per item.
    return { node: call, chain, db: true };
  }
  const root = norm(chain.root);
  if (lang === 'python' && ((root === 'requests' || root === 'httpx') && /^(get|post|put|patch|delete|head|request)$/.test(last))) return { node: call, chain, db: false };
  if (lang === 'python' && last === 'urlopen') return { node: call, chain, db: false };
  if (lang === 'go' && root === 'http' && /^(get|post|postform|head)$/.test(last)) return { node: call, chain, db: false };
  if (lang === 'go' && last === 'do' && /client$/.test(recv[recv.length - 1] ?? '')) return { node: call, chain, db: false };
  if (lang === 'java' && recv.some((r) => /resttemplate$|webclient$/.test(r))) return { node: call, chain, db: false };
  if (lang === 'java' && last === 'send' && recv.some((r) => /httpclient$/.test(r))) return { node: call, chain, db: false };
  return null;
}

function batchAdvice(lang: ParsedLanguage, io: IoCall): string {
  const m = norm(io.chain.methods[io.chain.methods.length - 1] ?? '');
  if (!io.db) {
    if (isJs(lang)) return 'If the iterations are independent, run them concurrently with `await Promise.all(items.map(...))` (bounded with a limiter such as `p-limit` for long lists), or use a batch endpoint.';
    if (lang === 'python') return 'If the iterations are independent, run them concurrently (`asyncio.gather`, or a thread pool for synchronous clients) with a bound on concurrency, or use a batch endpoint.';
    return 'If the iterations are independent, issue the requests concurrently with a bounded worker pool, or use a batch endpoint.';
  }
  switch (lang) {
    case 'python':
      return m === 'execute'
        ? 'Fetch or write all rows in one statement (`WHERE id IN (...)`, `cursor.executemany(...)`), or eager-load with a JOIN (`select_related`/`prefetch_related`, `selectinload`).'
        : 'Load all rows in one query (`filter(id__in=ids)`, `WHERE id IN (...)`) or eager-load the relation (`select_related`/`prefetch_related`, `selectinload`) and look them up in a dict.';
    case 'go':
      return 'Load all rows with one query (`WHERE id = ANY($1)` / `IN (...)`) and index them in a map, or batch the writes in one transaction with a prepared statement.';
    case 'java':
      return 'Load all rows in one call (`findAllById(ids)`, `WHERE id IN (:ids)`, a JOIN FETCH) or batch the writes (`saveAll`, JDBC `addBatch()`/`executeBatch()`).';
    default:
      return 'Load all rows in one query before the loop (`WHERE id IN (...)`, `findMany({ where: { id: { in: ids } } })`) and look them up in a `Map`, or batch the writes (`insertMany`, `createMany`).';
  }
}

export const nPlusOne: FileRule = {
  kind: 'file',
  id: 'performance/n-plus-one',
  personas: ['performance'],
  severity: 'high',
  category: 'n-plus-one',
  title: 'Query or awaited I/O inside a loop (N+1)',
  description:
    'A database query or awaited network/file call runs once per item of a collection, so N items cost N round trips. Load the data in one batched query (IN list, eager loading) or run independent calls concurrently.',
  references: ['CWE-1073', 'CWE-1050'],
  confidence: 0.75,
  languages: [...JS_LANGS, 'python', 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    const candidates: IoCall[] = [];
    const awaitType = isJs(lang) ? 'await_expression' : lang === 'python' ? 'await' : '';
    if (awaitType) {
      for (const aw of nodesOfType(root, [awaitType])) {
        const expr = aw.namedChildren.find((c) => c !== null) ?? null;
        const io = expr && awaitedIo(expr, lang);
        if (io) {
          candidates.push({ ...io, node: aw });
          for (const c of io.chain.calls) seen.add(c.id);
        }
      }
    }
    if (!isJs(lang)) {
      walk(root, (n) => {
        if (!LANG[lang].call.includes(n.type) || seen.has(n.id)) return true;
        const io = syncIo(n, lang);
        if (!io) return true;
        candidates.push(io);
        return false; // one finding per chain
      });
    }
    // One finding per loop (its first round trip), counting the others: several queries in one loop are one problem.
    const byLoop = new Map<number, { io: IoCall; inner: SyntaxNode; more: number }>();
    for (const io of candidates) {
      const loops = enclosingLoops(io.node, lang).filter((l) => isCollectionLoop(l, lang));
      if (!loops.length) continue;
      const inner = loops[0]!;
      // A generic I/O call in a loop that stops early is usually a search ("try each mirror until one answers").
      if (!io.db && perIterationParts(inner).some((p) => exitsEarly(p, lang))) continue;
      const names = iterationNames(loops, lang);
      // A loop over batches or pages (`const batch = rows.slice(i, i + size)`) is already the fix for N+1.
      if (/batch|chunk|page/i.test(`${[...names].join(' ')} ${loopLabel(inner, lang)}`)) continue;
      // A body that always returns or breaks runs once.
      if (perIterationParts(inner).some((p) => alwaysExits(p))) continue;
      // `for await` consumes a stream whose items arrive one by one anyway.
      if (!io.db && inner.children.some((c) => c?.type === 'await')) continue;
      if (!dependsOnIteration(io, names, inner, lang) || runsDistinctStatements(io, names, lang)) continue;
      const seen = byLoop.get(inner.id);
      if (seen) {
        seen.more++;
        if (io.db && !seen.io.db) seen.io = io;
      } else byLoop.set(inner.id, { io, inner, more: 0 });
    }
    for (const { io, inner, more } of [...byLoop.values()].sort((a, b) => a.io.node.startIndex - b.io.node.startIndex)) {
      const callText = snippet(io.chain.calls[0] ?? io.node, 70);
      const what = io.db ? 'a database round trip' : 'an I/O round trip';
      hits.push({
        node: io.node,
        severity: io.db ? 'high' : 'medium',
        title: io.db ? 'Query inside a loop (N+1)' : 'Awaited I/O inside a loop',
        message:
          `\`${callText}\` runs once per iteration of ${loopLabel(inner, lang)}: ${what} per item, so latency and load grow with the collection (the N+1 pattern).` +
          (more ? ` The same loop makes ${more} more such call${more > 1 ? 's' : ''} per item.` : '') +
          (io.node.type.startsWith('await') ? ' Each iteration also waits for the previous one to finish.' : ''),
        suggestion: { description: batchAdvice(lang, io) },
      });
    }
    return hits;
  },
};

/**
 * True when each iteration runs a different SQL statement rather than the same query with new values:
 * the statement is the loop item (`for _, s := range migrations { db.Exec(s) }`) or the table name is
 * spliced in (`fmt.Sprintf("DELETE FROM %s", table)`). Batching does not apply there.
 */
function runsDistinctStatements(io: IoCall, names: Set<string>, lang: ParsedLanguage): boolean {
  const call = io.chain.calls[0];
  if (!call || !/^(exec|execute|query|queryrow|execcontext|querycontext|queryrowcontext|executescript|raw)$/.test(norm(io.chain.methods[io.chain.methods.length - 1] ?? ''))) return false;
  const sql = callArguments(call).find((a) => !/^(ctx|context|c)$/.test(a.text));
  if (!sql) return false;
  if (sql.type === 'identifier') return names.has(sql.text);
  if (![...identifiersIn(sql)].some((n) => names.has(n)) || (LANG[lang].string.includes(sql.type) && isConstantString(sql, lang))) return false;
  // Schema statements, or an item spliced in where a table name goes.
  return /^\W*(CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|VACUUM|ANALYZE|REINDEX)\b/i.test(sql.text) || /\b(FROM|INTO|UPDATE|TABLE|JOIN)\s+["'`]?\s*(%s|%v|\{|\$\{|["'`]\s*\+)/i.test(sql.text);
}

/** True when the call uses a per-iteration name, directly or through a call on the same receiver (`ps.setString(1, id); ps.executeUpdate()`). */
function dependsOnIteration(io: IoCall, names: Set<string>, loop: SyntaxNode, lang: ParsedLanguage): boolean {
  const used = identifiersIn(io.chain.calls[0] ?? io.node);
  if ([...used].some((n) => names.has(n))) return true;
  if (!io.db || !io.chain.root) return false;
  let found = false;
  for (const part of perIterationParts(loop)) {
    walk(part, (n) => {
      if (found) return false;
      if (LANG[lang].call.includes(n.type) && n.id !== io.chain.calls[0]?.id) {
        const c = callChain(n, lang);
        if (c?.root === io.chain.root && callArguments(n).some((a) => [...identifiersIn(a)].some((x) => names.has(x)))) found = true;
      }
      return !found;
    });
  }
  return found;
}
