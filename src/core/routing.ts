/**
 * Automatic routing (seed 000, open question 1, option C): from what a review target contains, propose
 * the personas it needs and say why each was picked. The user can change the set before it runs (the
 * CLI's `--persona auto` prints the proposal; the extension offers it as a pre-selected quick pick).
 *
 * Signals are counted per file over the redacted text of the context (so nothing is read twice), with
 * tree-sitter syntax trees (the offline provider's parser) for what text cannot tell: which calls sit
 * inside loops. Only the lines a review will report on count (changed lines of a change review, the
 * selection of a selection review), so a one-line change does not summon every persona the file could use.
 */
import { inLoop, LANG, calleeName, nodesOfType } from './offline/lang';
import { isParsedLanguage, parse } from './offline/syntax';
import { isTestPath } from './offline/paths';
import type { LineRange, Persona, ReviewContext, SourceFile } from './types';

/** One proposed persona. */
export interface RoutedPersona {
  personaId: string;
  /** Human-readable reasons, most telling first ("3 SQL queries built in src/db.ts"). */
  reasons: string[];
  /** Number of signals found (0 for the default persona); higher means more relevant. */
  score: number;
}

/** The routing proposal for one target. */
export interface RoutingProposal {
  /** Proposed personas, strongest signal first; the default persona (Code Reviewer) last when it had no signal. */
  personas: RoutedPersona[];
}

/** The persona proposed for every target whatever it contains, so the proposal is never empty. */
export const DEFAULT_ROUTED_PERSONA = 'reviewer';

interface Signal {
  personaId: string;
  /** What one occurrence is called, singular and plural ("SQL query", "SQL queries"). */
  what: [string, string];
  /** Tested against each line of code. */
  pattern: RegExp;
}

/** Line-level signals. Patterns are deliberately simple: a proposal, not a finding. */
const SIGNALS: Signal[] = [
  // Concurrency Expert: locks, threads, async.
  { personaId: 'concurrency', what: ['lock or mutex', 'locks or mutexes'], pattern: /\b(Mutex|RWMutex|RLock|Lock\(\)|ReentrantLock|synchronized|Semaphore|threading\.Lock|\.lock\(\)|acquire\(\))/ },
  { personaId: 'concurrency', what: ['thread or goroutine', 'threads or goroutines'], pattern: /\b(new Thread|Thread\(|threading\.|ExecutorService|Executors\.|worker_threads|new Worker\(|go func|go \w+\(|sync\.WaitGroup|chan \w|make\(chan)/ },
  { personaId: 'concurrency', what: ['async operation', 'async operations'], pattern: /\b(async\s+(function|def|\(|\w+\s*\()|await\s|Promise\.(all|race|any|allSettled)|asyncio\.|CompletableFuture)/ },
  // Security Engineer: queries, auth, crypto, request input.
  { personaId: 'security', what: ['SQL query built', 'SQL queries built'], pattern: /\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i },
  { personaId: 'security', what: ['authentication or session use', 'authentication or session uses'], pattern: /\b(password|passwd|jwt|bearer|session|login|authenticate|authorize|oauth|bcrypt|argon2|csrf)\b/i },
  { personaId: 'security', what: ['cryptography call', 'cryptography calls'], pattern: /\b(crypto\.|createHash|createCipher|hashlib\.|Cipher\.|MessageDigest|md5|sha1|randomBytes|SecureRandom|x509)\b/i },
  { personaId: 'security', what: ['read of request input', 'reads of request input'], pattern: /\b(req\.(body|query|params|headers|cookies)|request\.(args|form|json|GET|POST|body|query)|r\.URL\.Query|r\.FormValue|getParameter\(|@RequestParam|@RequestBody|searchParams)/ },
  { personaId: 'security', what: ['shell or eval call', 'shell or eval calls'], pattern: /\b(child_process|exec\(|execSync|spawn\(|os\.system|subprocess\.|Runtime\.getRuntime|eval\()/ },
  // SRE: network calls, retries, config, servers.
  { personaId: 'sre', what: ['network call', 'network calls'], pattern: /\b(fetch\(|axios|https?\.(get|request)\(|requests\.(get|post|put|delete|Session)|http\.(Get|Post|NewRequest)|HttpClient|urlopen|got\(|grpc\.)/ },
  { personaId: 'sre', what: ['retry or backoff', 'retries or backoffs'], pattern: /\b(retry|retries|backoff|circuit.?breaker)/i },
  { personaId: 'sre', what: ['configuration read', 'configuration reads'], pattern: /\b(process\.env|os\.environ|os\.getenv|os\.Getenv|System\.getenv|getConfig|config\.get)/ },
  { personaId: 'sre', what: ['server or listener', 'servers or listeners'], pattern: /\b(\.listen\(|createServer|express\(\)|ListenAndServe|app\.run\(|Flask\(|FastAPI\(|@RestController|@SpringBootApplication|new ServerSocket)/ },
];

/** Callee names that do I/O or run a query, for the "in a loop" check (last dotted segment, lower case). */
const IO_CALLEE = /(^|\.)(query|execute|exec|find|findone|findall|get|post|put|fetch|request|read|readfile|readfilesync|write|writefile|writefilesync|save|insert|update|delete|select|send|open|urlopen|scan|load)$/i;

/** Import lines (JS/TS import/require, Python import/from, Go import, Java import). */
const IMPORT_LINE = /^\s*(import\s|from\s+\S+\s+import\s|export\s+\*\s+from|const\s+\S+\s*=\s*require\(|(?:const|let|var)\s*\{[^}]*\}\s*=\s*require\()/;


function inScope(file: SourceFile, line: number): boolean {
  const limits: LineRange[] | undefined = file.changedLines ?? (file.focus ? [file.focus] : undefined);
  return !limits || limits.some((r) => line >= r.startLine && line <= r.endLine);
}

/** True when the change review covers every line of the file: a file that is new in this change. */
function isNewFile(file: SourceFile): boolean {
  if (!file.changedLines || file.lineCount === 0) return false;
  let covered = 0;
  for (const r of file.changedLines) covered += r.endLine - r.startLine + 1;
  return covered >= file.lineCount;
}

function plural(n: number, what: [string, string]): string {
  return `${n} ${n === 1 ? what[0] : what[1]}`;
}

/**
 * Proposes the personas `context` needs, with a reason for each, limited to `available` (persona ids or
 * personas; default: every id the signals name plus {@link DEFAULT_ROUTED_PERSONA}). Signals:
 * - Concurrency Expert: locks, threads or goroutines, async code;
 * - Security Engineer: SQL text, authentication/session words, crypto calls, request input, shell/eval;
 * - SRE: network calls, retries, configuration reads, servers;
 * - Performance Engineer: I/O or query calls inside loops (tree-sitter, for parsed languages);
 * - Software Architect: new files in a change review, or many imports (8 or more lines of imports);
 * - QA Engineer: test files in the target;
 * - Code Reviewer: always (the default), so the proposal is never empty.
 * Reasons name counts and the file with the most hits ("3 SQL queries built in src/db.ts").
 * Parse failures are ignored (the text signals still count). Never rejects.
 */
export async function proposePersonas(context: ReviewContext, available?: ReadonlyArray<string | Persona>): Promise<RoutingProposal> {
  // personaId -> reason key -> per-file counts
  const hits = new Map<string, Map<string, { what: [string, string]; byFile: Map<string, number> }>>();
  const add = (personaId: string, key: string, what: [string, string], file: string, n = 1) => {
    let reasons = hits.get(personaId);
    if (!reasons) hits.set(personaId, (reasons = new Map()));
    let r = reasons.get(key);
    if (!r) reasons.set(key, (r = { what, byFile: new Map() }));
    r.byFile.set(file, (r.byFile.get(file) ?? 0) + n);
  };

  for (const file of context.files) {
    const lines = file.text.split('\n');
    let imports = 0;
    lines.forEach((text, i) => {
      if (!inScope(file, i + 1)) return;
      for (const s of SIGNALS) if (s.pattern.test(text)) add(s.personaId, s.what[1], s.what, file.path);
      if (IMPORT_LINE.test(text)) imports++;
    });
    // Files under `fixtures/` are data, not tests.
    if (isTestPath(file.path) && !/(^|\/)fixtures?\//.test(file.path)) add('qa', 'test file', ['test file', 'test files'], file.path);
    if (isNewFile(file)) add('architect', 'new module', ['new module', 'new modules'], file.path);
    if (imports >= 8) add('architect', 'import', ['import', 'imports'], file.path, imports);

    if (isParsedLanguage(file.language)) {
      let tree;
      try {
        tree = await parse(file.text, file.language);
        const lang = file.language;
        for (const call of nodesOfType(tree.rootNode, LANG[lang].call)) {
          const line = call.startPosition.row + 1;
          if (!inScope(file, line)) continue;
          if (IO_CALLEE.test(calleeName(call, lang)) && inLoop(call, lang)) {
            add('performance', 'io-in-loop', ['I/O or query call inside a loop', 'I/O or query calls inside loops'], file.path);
          }
        }
      } catch {
        // A grammar that fails to load leaves the text signals.
      } finally {
        tree?.delete();
      }
    }
  }

  const allowed = available ? new Set(available.map((p) => (typeof p === 'string' ? p : p.id))) : undefined;
  const out: RoutedPersona[] = [];
  for (const [personaId, reasons] of hits) {
    if (allowed && !allowed.has(personaId)) continue;
    const list = [...reasons.values()]
      .map((r) => {
        const total = [...r.byFile.values()].reduce((a, b) => a + b, 0);
        const files = [...r.byFile.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
        const perFile = r.what[0] === 'test file' || r.what[0] === 'new module';
        const names = files.slice(0, 3).map((f) => f[0]).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
        const where = files.length === 1 ? `in ${files[0]![0]}` : `in ${files.length} files, most in ${files[0]![0]}`;
        return { total, text: perFile ? `${plural(total, r.what)}: ${names}` : `${plural(total, r.what)} ${where}` };
      })
      .sort((a, b) => b.total - a.total);
    out.push({ personaId, reasons: list.map((r) => r.text), score: list.reduce((a, r) => a + r.total, 0) });
  }
  out.sort((a, b) => b.score - a.score || a.personaId.localeCompare(b.personaId));
  if (!out.some((p) => p.personaId === DEFAULT_ROUTED_PERSONA) && (!allowed || allowed.has(DEFAULT_ROUTED_PERSONA))) {
    out.push({ personaId: DEFAULT_ROUTED_PERSONA, reasons: ['default: every target gets a general code review'], score: 0 });
  }
  return { personas: out };
}
