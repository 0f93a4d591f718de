/**
 * Offline rules of the security pack (persona `security`): injection sinks fed by built strings (SQL,
 * OS command, code evaluation, file paths, HTML), hard-coded credentials, weak cryptography, predictable
 * random values for secrets, disabled TLS verification and unsafe deserialization.
 *
 * Every rule works on tree-sitter syntax trees. Injection rules escalate to `critical` when request input
 * (Express `req.query`, Flask `request.args`, Go `r.URL.Query()`, servlet `getParameter`, annotated
 * controller parameters) reaches the sink directly or through up to two local assignments.
 * CWE and OWASP Top 10 2021 ids follow the official OWASP 2021 category mappings.
 */
import { walk, type ParsedLanguage, type SyntaxNode } from '../syntax';
import type { FileRule, OfflineRule, ParsedFile, RuleHit } from '../rule';
import { LANG, callArguments, calleeMethod, enclosingFunction, functionName, isStringBuilding, nodesOfType } from '../lang';
import {
  ALL_LANGS,
  SANITIZER,
  eachOfType,
  builtArgument,
  callsOf,
  code,
  compactText,
  definitionsOf,
  isGeneratedOrMinified,
  isJs,
  isTestLikePath,
  literalText,
  requestInput,
  resolvedCallee,
  stringValue,
  words,
  type BuiltArg,
} from './security-util';

// ---------------------------------------------------------------------------------------------
// Shared sink reporting

/** How a string was built, in words, for messages. */
function buildingKind(expr: SyntaxNode, lang: ParsedLanguage): string {
  if (expr.type === 'template_string') return 'a template literal';
  if (lang === 'python' && expr.type === 'string') return 'an f-string';
  if (LANG[lang].call.includes(expr.type)) {
    const t = compactText(expr.childForFieldName('function')?.text ?? expr.childForFieldName('name')?.text ?? '');
    if (/\.format$/.test(t) || t === 'format') return lang === 'java' ? '`String.format`' : '`.format()`';
    if (/Sprint/.test(t)) return '`fmt.Sprintf`';
    return 'string formatting';
  }
  if (lang === 'python' && expr.childForFieldName('operator')?.text === '%') return '`%` formatting';
  return 'string concatenation';
}

interface Taint {
  built?: BuiltArg;
  request?: string;
}

/** Built string and/or request input reaching `arg`. */
function taintOf(arg: SyntaxNode, file: ParsedFile): Taint {
  const built = builtArgument(arg, file);
  const request = requestInput(arg, file) ?? (built ? requestInput(built.expr, file) : undefined);
  return { built, request };
}

/** "built with a template literal (in `sql`, line 4) that includes request input `req.query.id`" */
function describeTaint(t: Taint, lang: ParsedLanguage): string {
  const parts: string[] = [];
  if (t.built) {
    parts.push(`built with ${buildingKind(t.built.expr, lang)}${t.built.via ? ` (in \`${t.built.via.name}\`, line ${t.built.via.line})` : ''}`);
  }
  if (t.request) parts.push(`${t.built ? 'that includes' : 'taken from'} request input ${code(t.request)}`);
  return parts.join(' ');
}

function unwrapArg(a: SyntaxNode): SyntaxNode {
  if (a.type === 'keyword_argument') return a.childForFieldName('value') ?? a;
  return a;
}

/** True for a JS call whose arguments are a tagged template (`sql\`...\``): the tag receives the values separately. */
function isTaggedTemplate(call: SyntaxNode): boolean {
  return call.childForFieldName('arguments')?.type === 'template_string';
}

function keywordArg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The object literal argument of a JS call that has a property `key`, and that property's value. */
function objectProperty(obj: SyntaxNode | undefined, key: string): SyntaxNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const kt = k?.type === 'string' ? k.text.slice(1, -1) : k?.text;
    if (kt === key) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// SQL injection

const SQL_TEXT = /\b(select\b[\s\S]*\bfrom\b|insert\s+into\b|update\b[\s\S]*\bset\b|delete\s+from\b|merge\s+into\b|replace\s+into\b|(create|drop|alter|truncate)\s+(table|index|view|database|schema)\b|\bwhere\b[\s\S]*(=|\blike\b|\bin\b))/i;

const SQL_METHODS: Record<'js' | 'python' | 'go' | 'java', RegExp> = {
  js: /^(query|execute|exec|raw|run|all|get|each|prepare|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|fromRaw|many|one|none|any|oneOrNone|manyOrNone)$/,
  python: /^(execute|executemany|executescript|raw|text|read_sql|read_sql_query|exec_driver_sql|query|extra)$/,
  go: /^(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get|MustExec|Queryx|QueryRowx|NamedExec|NamedQuery)$/,
  java: /^(executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|update|batchUpdate)$/,
};

function family(lang: ParsedLanguage): 'js' | 'python' | 'go' | 'java' {
  return isJs(lang) ? 'js' : (lang as 'python' | 'go' | 'java');
}

const SQL_FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: "Pass values as bind parameters instead of splicing them into the SQL text, e.g. `db.query('SELECT * FROM users WHERE id = $1', [id])` (or `?` placeholders, or a tagged-template API such as `sql\\`...${id}\\``).",
  python: 'Pass values as query parameters instead of formatting them into the SQL text, e.g. `cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))` (the placeholder style depends on the driver).',
  go: 'Pass values as arguments with placeholders instead of formatting them into the SQL text, e.g. `db.Query("SELECT * FROM users WHERE id = $1", id)` (or `?` for MySQL/SQLite).',
  java: 'Use a `PreparedStatement` with `?` placeholders and `setString`/`setInt` (or named parameters in JPA/JdbcTemplate) instead of concatenating values into the SQL text.',
};

const sqlInjection: FileRule = {
  kind: 'file',
  id: 'security/sql-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'sql-injection',
  title: 'SQL built from strings',
  description:
    'Flags database calls (`query`, `execute`, `executeQuery`, `db.Query`, ...) whose SQL text is built by concatenation, template literals, f-strings or format calls, directly or through a local variable. Values spliced into SQL can change the statement itself; pass them as bind parameters instead. Critical when request input reaches the SQL text.',
  references: ['CWE-89', 'OWASP A03:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const fam = family(lang);
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      if (isJs(lang) && isTaggedTemplate(call)) continue;
      const method = calleeMethod(resolvedCallee(call, file));
      if (!SQL_METHODS[fam].test(method)) continue;
      const args = callArguments(call).map(unwrapArg);
      const index = /Context$/.test(method) ? 1 : 0;
      const arg = args[index];
      if (!arg) continue;
      const t = taintOf(arg, file);
      if (!t.built) continue;
      if (!SQL_TEXT.test(t.built.literal || literalText(arg, lang))) continue;
      // Bind parameters are passed: what is spliced in is most likely an identifier or placeholder list.
      const hasParams = fam !== 'java' && args.length > index + 1;
      if (hasParams && !t.request) continue;
      const sink = compactText(method);
      hits.push({
        node: call,
        severity: t.request ? 'critical' : 'high',
        confidence: t.request ? 0.85 : 0.65,
        title: t.request ? 'SQL injection from request input' : 'SQL built from strings',
        message: `\`${sink}\` runs SQL ${describeTaint(t, lang)}. ${t.request ? 'An attacker can rewrite the statement: read or change other rows, or bypass checks.' : 'If any spliced value can come from a user, the statement can be rewritten (SQL injection).'} ${SQL_FIX[fam]}`,
        suggestion: { description: SQL_FIX[fam] },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// OS command injection

const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/i;
const SHELL_FLAGS = /^(-c|\/c|\/C|-Command|-command)$/;

/** The argument of a command call that the shell interprets, if the call runs a shell command. */
function commandSink(call: SyntaxNode, file: ParsedFile): { sink: SyntaxNode; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  if (isJs(lang)) {
    const direct = /^require\(['"](node:)?child_process['"]\)\.(exec|execSync)$/.test(name);
    if (/^child_process\.(exec|execSync)$/.test(name) || direct) return args[0] ? { sink: args[0], api: name.replace(/^require\([^)]*\)/, 'child_process') } : undefined;
    if (/^child_process\.(spawn|spawnSync|execFile|execFileSync)$/.test(name)) {
      const opts = args.find((a) => a.type === 'object');
      if (objectProperty(opts, 'shell')?.type === 'true' && args[0]) return { sink: args[0], api: `${name} with shell: true` };
    }
    return undefined;
  }
  if (lang === 'python') {
    if (/^(os\.(system|popen|popen2|popen3|popen4)|commands\.(getoutput|getstatusoutput)|subprocess\.(getoutput|getstatusoutput))$/.test(name)) {
      return args[0] ? { sink: args[0], api: name } : undefined;
    }
    if (/^subprocess\.(run|call|check_call|check_output|Popen)$/.test(name) && keywordArg(call, 'shell')?.type === 'true') {
      const first = callArguments(call)[0];
      const sink = first && first.type !== 'keyword_argument' ? first : keywordArg(call, 'args');
      return sink ? { sink, api: `${name}(..., shell=True)` } : undefined;
    }
    return undefined;
  }
  if (lang === 'go') {
    if (!/^(os\/exec|exec)\.(Command|CommandContext)$/.test(name)) return undefined;
    const rest = /Context$/.test(name) ? args.slice(1) : args;
    const shell = stringValue(rest[0], lang);
    const flag = stringValue(rest[1], lang);
    if (shell && flag && SHELLS.test(shell) && SHELL_FLAGS.test(flag) && rest[2]) return { sink: rest[2], api: `exec.Command("${shell}", "${flag}", ...)` };
    return undefined;
  }
  // Java
  const method = calleeMethod(name);
  if (call.type === 'object_creation_expression' && /ProcessBuilder$/.test(name)) {
    const i = args.findIndex((a) => SHELL_FLAGS.test(stringValue(a, lang) ?? ''));
    const sink = i >= 0 ? args[i + 1] : undefined;
    return sink ? { sink, api: 'ProcessBuilder (shell -c)' } : undefined;
  }
  if (method === 'exec' && call.type === 'method_invocation') {
    const obj = call.childForFieldName('object');
    const isRuntime =
      !!obj &&
      (/getRuntime\(\)$/.test(compactText(obj.text)) ||
        (obj.type === 'identifier' && definitionsOf(obj.text, call, file).some((d) => /getRuntime\(\)$/.test(compactText(d.value.text)))));
    if (!isRuntime || !args[0]) return undefined;
    const a0 = args[0];
    if (a0.type === 'array_creation_expression') {
      const init = a0.namedChildren.find((c) => c?.type === 'array_initializer');
      const elems = init?.namedChildren.filter((c): c is SyntaxNode => !!c) ?? [];
      const i = elems.findIndex((e) => SHELL_FLAGS.test(stringValue(e, lang) ?? ''));
      return i >= 0 && elems[i + 1] ? { sink: elems[i + 1]!, api: 'Runtime.exec (shell -c)' } : undefined;
    }
    return { sink: a0, api: 'Runtime.exec' };
  }
  return undefined;
}

const CMD_FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Run the program without a shell and pass arguments as an array: `execFile(cmd, [arg1, arg2])` or `spawn(cmd, args)`; validate values against an allow-list.',
  python: 'Run the program without a shell and pass arguments as a list: `subprocess.run(["prog", arg], check=True)`; if a shell is unavoidable, quote each value with `shlex.quote`.',
  go: 'Call the program directly with separate arguments, `exec.Command("prog", arg)`, instead of passing a built string to `sh -c`.',
  java: 'Pass the program and each argument separately (`new ProcessBuilder("prog", arg)`) instead of a built command line or `sh -c`; validate values against an allow-list.',
};

const commandInjection: FileRule = {
  kind: 'file',
  id: 'security/command-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'command-injection',
  title: 'Shell command built from strings',
  description:
    'Flags shell commands built from strings: `child_process.exec`/`execSync`, `os.system`, `subprocess` with `shell=True`, `Runtime.exec`, and `sh -c` via `exec.Command` or `ProcessBuilder`. Shell metacharacters in a spliced value run extra commands. Pass arguments as a list to a non-shell API instead. Critical when request input reaches the command.',
  references: ['CWE-78', 'OWASP A03:2021'],
  confidence: 0.75,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const s = commandSink(call, file);
      if (!s) continue;
      const t = taintOf(s.sink, file);
      if (!t.built && !t.request) continue;
      const fix = CMD_FIX[family(lang)];
      hits.push({
        node: call,
        severity: t.request ? 'critical' : 'high',
        confidence: t.request ? 0.85 : 0.7,
        title: t.request ? 'OS command injection from request input' : 'Shell command built from strings',
        message: `\`${s.api}\` runs a shell command ${describeTaint(t, lang)}. ${t.request ? 'An attacker can append `; rm -rf /` or similar and run any command with this process\'s rights.' : 'A value containing `;`, `|`, `$()` or backticks would run extra commands.'} ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Code injection (eval)

function evalSinks(call: SyntaxNode, file: ParsedFile): { sinks: SyntaxNode[]; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  if (isJs(lang)) {
    if (/^((window|globalThis|global)\.)?eval$/.test(name)) return { sinks: args.slice(0, 1), api: 'eval' };
    // The last argument is the function body; the others are parameter names.
    if (/^new ((window|globalThis)\.)?Function$/.test(name) || /^((window|globalThis)\.)?Function$/.test(name)) return { sinks: args.slice(-1), api: 'new Function' };
    if (/^((window|globalThis|global)\.)?(setTimeout|setInterval)$/.test(name)) return { sinks: args.slice(0, 1), api: name };
    if (/^vm\.(runInThisContext|runInNewContext|runInContext|compileFunction)$/.test(name) || name === 'new vm.Script') return { sinks: args.slice(0, 1), api: name };
    return undefined;
  }
  if (lang === 'python') {
    if (/^(builtins\.)?(eval|exec)$/.test(name)) return { sinks: args.slice(0, 1), api: name };
    return undefined;
  }
  if (lang === 'java') {
    if (calleeMethod(name) !== 'eval' || call.type !== 'method_invocation') return undefined;
    const usesScripting = file.root.namedChildren.some((c) => c?.type === 'import_declaration' && /javax\.script/.test(c.text));
    return usesScripting ? { sinks: args.slice(0, 1), api: 'ScriptEngine.eval' } : undefined;
  }
  return undefined;
}

const codeInjection: FileRule = {
  kind: 'file',
  id: 'security/code-injection',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'code-injection',
  title: 'Code evaluated from a built string',
  description:
    'Flags `eval`, `new Function`, string `setTimeout`/`setInterval`, Node `vm` and Python `eval`/`exec`, and Java `ScriptEngine.eval` called with a string built from variables. Whoever controls a spliced value runs arbitrary code in the process. Replace evaluation with data (JSON.parse, `ast.literal_eval`, a lookup table). Critical when request input reaches the code.',
  references: ['CWE-95', 'CWE-94', 'OWASP A03:2021'],
  confidence: 0.75,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const s = evalSinks(call, file);
      if (!s) continue;
      for (const sink of s.sinks) {
        const t = taintOf(sink, file);
        if (!t.built && !t.request) continue;
        const fix =
          lang === 'python'
            ? 'Parse data instead of evaluating it (`json.loads`, `ast.literal_eval`), or dispatch through a dict of allowed functions.'
            : lang === 'java'
              ? 'Do not evaluate scripts assembled from input; bind values as script variables (`engine.put`) or replace the script with code.'
              : 'Parse data instead of evaluating it (`JSON.parse`), pass a function to `setTimeout`, or dispatch through a map of allowed functions.';
        hits.push({
          node: call,
          severity: t.request ? 'critical' : 'high',
          confidence: t.request ? 0.85 : 0.65,
          title: t.request ? 'Code injection from request input' : 'Code evaluated from a built string',
          message: `\`${s.api}\` evaluates code ${describeTaint(t, lang)}. ${t.request ? 'An attacker can run arbitrary code in this process.' : 'Anyone who controls a spliced value can run arbitrary code in this process.'} ${fix}`,
          suggestion: { description: fix },
        });
        break;
      }
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Path traversal

const JS_FS = /^(fs|fs\/promises|fs-extra|graceful-fs|fse)\.(promises\.)?(readFile|readFileSync|createReadStream|createWriteStream|writeFile|writeFileSync|appendFile|appendFileSync|open|openSync|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|copyFile|copyFileSync|rename|renameSync|readJson|readJsonSync|outputFile|remove|removeSync)$/;

function pathSinks(call: SyntaxNode, file: ParsedFile): { sinks: SyntaxNode[]; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  if (isJs(lang)) {
    if (JS_FS.test(name)) return { sinks: args.slice(0, 1), api: name };
    if (/^(res|response|reply)\.(sendFile|download|sendfile)$/.test(name)) {
      // Express resolves against `root` and rejects `..` when the root option is given.
      if (args.some((a) => objectProperty(a, 'root'))) return undefined;
      return { sinks: args.slice(0, 1), api: name };
    }
    return undefined;
  }
  if (lang === 'python') {
    if (/^(open|io\.open|codecs\.open|os\.open|os\.remove|os\.unlink|shutil\.rmtree|flask\.send_file|send_file)$/.test(name)) {
      const first = callArguments(call)[0];
      return first && first.type !== 'keyword_argument' ? { sinks: [first], api: name } : undefined;
    }
    return undefined;
  }
  if (lang === 'go') {
    if (/^(os\.(Open|OpenFile|ReadFile|Create|Remove|RemoveAll|WriteFile|ReadDir)|(io\/)?ioutil\.(ReadFile|WriteFile|ReadDir))$/.test(name)) return { sinks: args.slice(0, 1), api: name };
    return undefined;
  }
  if (/^new (java\.io\.)?(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile)$/.test(name) || /^(Paths\.get|Path\.of)$/.test(name)) {
    return { sinks: name.startsWith('new RandomAccessFile') ? args.slice(0, 1) : args, api: name };
  }
  return undefined;
}

/** True when `expr` (or a local value it comes from) passes through a filename sanitiser such as `path.basename`. */
function sanitized(expr: SyntaxNode, file: ParsedFile): boolean {
  const check = (n: SyntaxNode) => {
    let found = false;
    walk(n, (x) => {
      if (found) return false;
      if (LANG[file.language].call.includes(x.type) && SANITIZER.test(resolvedCallee(x, file))) found = true;
      return !found;
    });
    return found;
  };
  if (check(expr)) return true;
  let viaDefs = false;
  walk(expr, (x) => {
    if (viaDefs) return false;
    if (x.type === 'identifier') for (const d of definitionsOf(x.text, x, file)) if (check(d.value)) viaDefs = true;
    return !viaDefs;
  });
  return viaDefs;
}

const pathTraversal: FileRule = {
  kind: 'file',
  id: 'security/path-traversal',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'path-traversal',
  title: 'File path from request input',
  description:
    'Flags file system calls (`fs.readFile`, `res.sendFile`, `open`, `os.Open`, `new File`, `Paths.get`, ...) whose path contains request input, directly or through local variables, with no `basename`-style sanitising. A value such as `../../etc/passwd` escapes the intended directory. Reduce the input to a bare file name, resolve it against a fixed base directory and check the result stays inside it.',
  references: ['CWE-22', 'OWASP A01:2021'],
  confidence: 0.75,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const s = pathSinks(call, file);
      if (!s) continue;
      for (const sink of s.sinks) {
        const req = requestInput(sink, file);
        if (!req || sanitized(sink, file)) continue;
        const fix =
          lang === 'python'
            ? 'Use `werkzeug.utils.secure_filename` (or `os.path.basename`), join it to a fixed directory, and check `os.path.realpath(p).startswith(base)`; Flask\'s `send_from_directory` does this for you.'
            : lang === 'go'
              ? 'Use `filepath.Base` on the input, join it to a fixed directory, and check the cleaned result still has that directory as prefix (or use `os.Root`/`http.FS` rooted at it).'
              : lang === 'java'
                ? 'Reduce the input to a file name (`Paths.get(input).getFileName()`), resolve it against a fixed base with `base.resolve(name).normalize()`, and check `startsWith(base)`.'
                : 'Reduce the input to a file name with `path.basename`, resolve it against a fixed directory, and check the resolved path still starts with that directory (or use `res.sendFile(name, { root })`).';
        hits.push({
          node: call,
          message: `\`${s.api}\` opens a path that contains request input ${code(req)}. A value like \`../../etc/passwd\` reads or writes files outside the intended directory. ${fix}`,
          suggestion: { description: fix },
        });
        break;
      }
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Cross-site scripting

function isRouteHandler(fn: SyntaxNode | null): boolean {
  const dec = fn?.parent?.type === 'decorated_definition' ? fn.parent : null;
  return !!dec?.namedChildren.some((d) => d?.type === 'decorator' && /\.(route|get|post|put|patch|delete|api_route)\s*\(/.test(d.text));
}

const xss: FileRule = {
  kind: 'file',
  id: 'security/xss',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'xss',
  title: 'HTML built from strings',
  description:
    'Flags HTML sinks fed by built strings: `innerHTML`/`outerHTML` assignments, `insertAdjacentHTML`, `document.write` and React `dangerouslySetInnerHTML`; and server responses that echo request input into a built body (`res.send`, Flask handlers, `fmt.Fprintf(w, ...)`, `response.getWriter().print`). Unescaped values can inject script. Escape values or use text APIs (`textContent`, templates with auto-escaping). Critical when request input reaches the sink; medium for DOM sinks fed by other values.',
  references: ['CWE-79', 'CWE-1336', 'OWASP A03:2021'],
  confidence: 0.65,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const report = (node: SyntaxNode, sink: SyntaxNode, api: string, needRequest: boolean) => {
      const t = taintOf(sink, file);
      if (needRequest ? !t.request : !t.built && !t.request) return;
      const fix = isJs(lang) && !needRequest
        ? 'Set `textContent` (or build DOM nodes) for text, or pass the HTML through a sanitiser such as DOMPurify before inserting it.'
        : lang === 'python'
          ? 'Render through a template with auto-escaping (`render_template`) or escape values with `markupsafe.escape` before building HTML.'
          : lang === 'go'
            ? 'Render with `html/template`, or escape values with `html.EscapeString` before writing them.'
            : lang === 'java'
              ? 'Escape values for HTML (e.g. OWASP Java Encoder `Encode.forHtml`) or render through an auto-escaping template.'
              : 'Escape values for HTML or render through a template engine with auto-escaping; send plain text with `res.type("text/plain")`.';
      if (/render_template_string/.test(api)) {
        const sstiFix = 'Keep templates constant: pass values as template variables (`render_template_string(TEMPLATE, name=value)`) or use `render_template` with a file.';
        hits.push({
          node,
          severity: t.request ? 'critical' : 'high',
          confidence: t.request ? 0.85 : 0.6,
          title: 'Server-side template injection',
          message: `${api} renders a template ${describeTaint(t, lang)}. Jinja syntax in a spliced value (\`{{ ... }}\`) is executed on the server, which leads to code execution, not just XSS. ${sstiFix}`,
          suggestion: { description: sstiFix },
        });
        return;
      }
      hits.push({
        node,
        severity: t.request ? 'critical' : 'medium',
        confidence: t.request ? 0.8 : 0.55,
        title: t.request ? 'Cross-site scripting from request input' : 'HTML built from strings',
        message: `${api} receives HTML ${describeTaint(t, lang)}. ${t.request ? 'An attacker can craft a link whose value injects `<script>` into the page.' : 'A value containing `<script>` or an event-handler attribute would run in the page.'} ${fix}`,
        suggestion: { description: fix },
      });
    };
    if (isJs(lang)) {
      eachOfType(file.root, ['assignment_expression', 'augmented_assignment_expression', 'call_expression', 'jsx_attribute'], (n) => {
        if (n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') {
          const left = n.childForFieldName('left');
          const prop = left?.type === 'member_expression' ? left.childForFieldName('property')?.text : undefined;
          const right = n.childForFieldName('right');
          if ((prop === 'innerHTML' || prop === 'outerHTML') && right) report(n, right, `\`${prop}\``, false);
        } else if (n.type === 'call_expression') {
          const name = resolvedCallee(n, file);
          const args = callArguments(n);
          if (/\.insertAdjacentHTML$/.test(name) && args[1]) report(n, args[1], '`insertAdjacentHTML`', false);
          else if (/^(window\.)?document\.(write|writeln)$/.test(name) && args[0]) report(n, args[0], `\`${name}\``, false);
          else if (/^(res|response|reply)\.(send|write|end)$/.test(name) && args[0] && isStringBuilding(args[0], lang)) report(n, args[0], `\`${name}\``, true);
        } else if (n.type === 'jsx_attribute' && n.namedChildren[0]?.text === 'dangerouslySetInnerHTML') {
          const obj = n.namedChildren[1]?.namedChildren[0] ?? undefined;
          const html = objectProperty(obj ?? undefined, '__html');
          if (html) report(n, html, '`dangerouslySetInnerHTML`', false);
        }
        return true;
      });
    } else if (lang === 'python') {
      eachOfType(file.root, ['return_statement', 'call'], (n) => {
        if (n.type === 'return_statement' && isRouteHandler(enclosingFunction(n, lang))) {
          const v = n.namedChildren[0];
          if (v && isStringBuilding(v, lang) && /</.test(literalText(v, lang))) report(n, v, 'The response of this route handler', true);
        } else if (n.type === 'call') {
          const name = resolvedCallee(n, file);
          const a0 = callArguments(n)[0];
          if (a0 && /(^|\.)(make_response|HttpResponse|render_template_string|Markup)$/.test(name)) report(n, a0, `\`${name}\``, !/render_template_string|Markup/.test(name));
        }
        return true;
      });
    } else if (lang === 'go') {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const args = callArguments(call);
        const writerIsResponse = (w: SyntaxNode | undefined) => {
          if (!w || w.type !== 'identifier') return false;
          const fn = enclosingFunction(call, lang);
          const params = fn?.childForFieldName('parameters')?.namedChildren ?? [];
          return params.some((p) => p?.childForFieldName('type')?.text === 'http.ResponseWriter' && p.childrenForFieldName('name').some((x) => x?.text === w.text));
        };
        if (/^fmt\.(Fprintf|Fprint|Fprintln)$/.test(name) && writerIsResponse(args[0])) {
          const rest = args.slice(1);
          const req = rest.map((a) => requestInput(a, file)).find((x) => x !== undefined);
          const fmt = stringValue(args[1], lang) ?? '';
          if (req && !/^\s*[{[]/.test(fmt)) {
            hits.push({
              node: call,
              severity: 'critical',
              confidence: 0.7,
              title: 'Cross-site scripting from request input',
              message: `\`${name}\` writes request input ${code(req)} into the HTTP response without escaping. Go sniffs the content type, so a value starting with \`<\` is served as HTML and can inject script. Render with \`html/template\` or escape with \`html.EscapeString\`.`,
              suggestion: { description: 'Render with `html/template`, or escape values with `html.EscapeString` before writing them.' },
            });
          }
        } else if (/^(io\.WriteString)$/.test(name) && writerIsResponse(args[0]) && args[1]) report(call, args[1], '`io.WriteString`', true);
      }
    } else if (lang === 'java') {
      for (const call of callsOf(file)) {
        if (call.type !== 'method_invocation') continue;
        const method = call.childForFieldName('name')?.text ?? '';
        const obj = call.childForFieldName('object');
        if (!/^(print|println|write|append|printf|format)$/.test(method) || !obj) continue;
        const objText = compactText(obj.text);
        const isResponseWriter =
          /getWriter\(\)$|getOutputStream\(\)$/.test(objText) ||
          (obj.type === 'identifier' && definitionsOf(obj.text, call, file).some((d) => /getWriter\(\)$/.test(compactText(d.value.text))));
        const a0 = callArguments(call)[0];
        if (isResponseWriter && a0) report(call, a0, `\`${objText}.${method}\``, true);
      }
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Weak cryptography

const PASSWORD_WORDS = /^(password|passwd|pwd|passphrase|credential|credentials|pass)$/;
/** Words that put a hash to a security use: signing, verification, authentication, secrets. */
const HASH_SECURITY_WORDS = /^(secret|secrets|token|tokens|sign|signs|signature|signatures|signed|signing|verify|verification|auth|authenticate|authentication|hmac|salt|salted|apikey|session|cert|certificate|certificates|license|otp)$/;
const NON_SECURITY_WORDS = /^(identifier|boundary|etag|cache|cached|checksum|checksums|fingerprint|dedupe|dedup|shard|bucket|filename|file|files|content|gravatar|avatar|color|colour|partition|uuid|legacy|git|object|blob)$/;

/**
 * Words of the identifiers in the arguments of a call and of the calls chained on it
 * (`createHash('md5').update(password).digest()` → `password`).
 */
function chainArgumentWords(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const out = argumentWords(call, lang);
  let cur: SyntaxNode = call;
  for (let i = 0; i < 4; i++) {
    const member = cur.parent;
    if (!member || !/^(member_expression|attribute|selector_expression)$/.test(member.type) && !(lang === 'java' && member.type === 'method_invocation')) break;
    const next = lang === 'java' && member.type === 'method_invocation' ? member : member.parent;
    if (!next || !LANG[lang].call.includes(next.type)) break;
    out.push(...argumentWords(next, lang));
    cur = next;
  }
  return out;
}

/** Words of the identifiers inside a call's arguments (bounded: at most 200 nodes visited). */
function argumentWords(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const out: string[] = [];
  let budget = 200;
  for (const a of callArguments(call)) {
    walk(a, (n) => {
      if (--budget < 0) return false;
      if (LANG[lang].func.includes(n.type)) return false;
      if (/identifier$/.test(n.type)) out.push(...words(n.text));
      return true;
    });
  }
  return out;
}

/** Names around a call: the variable or property it is assigned to and the enclosing function's name. */
function contextNames(call: SyntaxNode, lang: ParsedLanguage): string[] {
  const names: string[] = [];
  for (let p = call.parent; p; p = p.parent) {
    if (LANG[lang].func.includes(p.type)) {
      names.push(functionName(p));
      break;
    }
    const t = p.type;
    if (t === 'variable_declarator' || t === 'public_field_definition') names.push(p.childForFieldName('name')?.text ?? '');
    else if (t === 'assignment_expression' || t === 'assignment' || t === 'augmented_assignment') names.push(p.childForFieldName('left')?.text ?? '');
    else if (t === 'short_var_declaration' || t === 'assignment_statement') names.push(p.childForFieldName('left')?.text ?? '');
    else if (t === 'pair') names.push(p.childForFieldName('key')?.text ?? '');
    else if (t === 'keyword_argument') names.push(p.childForFieldName('name')?.text ?? '');
    else if (t === 'keyed_element') names.push(p.namedChildren[0]?.text ?? '');
    if (/statement$|^expression_statement$|declaration$/.test(t) && t !== 'short_var_declaration') {
      // keep climbing to the function for its name, but stop collecting assignment names
      for (let q = p.parent; q; q = q.parent) {
        if (LANG[lang].func.includes(q.type)) {
          names.push(functionName(q));
          break;
        }
      }
      break;
    }
  }
  return names.filter(Boolean);
}

function weakAlgorithm(call: SyntaxNode, file: ParsedFile): { kind: 'hash' | 'cipher'; algo: string; api: string } | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  const args = callArguments(call).map(unwrapArg);
  const lit = (i: number) => stringValue(args[i], lang) ?? '';
  const WEAK_HASH = /^(md2|md4|md5|sha1|sha-1|sha)$/i;
  const WEAK_CIPHER = /^(des|des-ede|des-ede3|des3|desede|tripledes|rc2|rc4|arcfour|bf|blowfish)(\b|-|\/|$)|-ecb$|\/ecb\//i;
  if (isJs(lang)) {
    if (/(^|\.)createHash$/.test(name) && WEAK_HASH.test(lit(0))) return { kind: 'hash', algo: lit(0).toUpperCase(), api: name };
    if (/(^|\.)(createCipheriv|createDecipheriv)$/.test(name) && WEAK_CIPHER.test(lit(0))) return { kind: 'cipher', algo: lit(0), api: name };
    return undefined;
  }
  if (lang === 'python') {
    if (/^hashlib\.(md5|sha1|md4)$/.test(name)) {
      const ufs = keywordArg(call, 'usedforsecurity');
      if (ufs?.type === 'false') return undefined;
      return { kind: 'hash', algo: calleeMethod(name).toUpperCase(), api: name };
    }
    if (name === 'hashlib.new' && WEAK_HASH.test(lit(0)) && keywordArg(call, 'usedforsecurity')?.type !== 'false') return { kind: 'hash', algo: lit(0).toUpperCase(), api: name };
    if (/(^|\.)(DES|DES3|ARC2|ARC4|Blowfish)\.new$/.test(name)) return { kind: 'cipher', algo: name.split('.').slice(-2)[0] ?? 'DES', api: name };
    if (/\.new$/.test(name) && args.some((a) => /(^|\.)MODE_ECB$/.test(a.text))) return { kind: 'cipher', algo: 'ECB mode', api: name };
    if (/(^|\.)modes\.ECB$/.test(name) || /(^|\.)algorithms\.(TripleDES|ARC4|Blowfish|CAST5|IDEA|SEED)$/.test(name)) return { kind: 'cipher', algo: calleeMethod(name), api: name };
    return undefined;
  }
  if (lang === 'go') {
    if (/^(crypto\/)?(md5|sha1)\.(New|Sum)$/.test(name)) return { kind: 'hash', algo: (name.match(/(md5|sha1)/)?.[1] ?? '').toUpperCase(), api: name.replace(/^crypto\//, '') };
    if (/^(crypto\/)?(des\.(NewCipher|NewTripleDESCipher)|rc4\.NewCipher)$/.test(name)) return { kind: 'cipher', algo: /rc4/.test(name) ? 'RC4' : 'DES', api: name.replace(/^crypto\//, '') };
    return undefined;
  }
  // Java
  if (/(^|\.)MessageDigest\.getInstance$/.test(name) && WEAK_HASH.test(lit(0))) return { kind: 'hash', algo: lit(0), api: 'MessageDigest.getInstance' };
  if (/(^|\.)DigestUtils\.(md5|md5Hex|sha1|sha1Hex|sha|shaHex)$/.test(name)) return { kind: 'hash', algo: /md5/i.test(name) ? 'MD5' : 'SHA-1', api: name };
  if (/(^|\.)Cipher\.getInstance$/.test(name)) {
    const t = lit(0);
    if (WEAK_CIPHER.test(t) || /^(AES|DES|DESede|Blowfish)$/i.test(t)) return { kind: 'cipher', algo: t, api: 'Cipher.getInstance' };
  }
  return undefined;
}

const weakCrypto: FileRule = {
  kind: 'file',
  id: 'security/weak-crypto',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'weak-cryptography',
  title: 'Weak cryptographic algorithm',
  description:
    'Flags broken ciphers and modes (DES, 3DES, RC4, Blowfish, ECB, Java\'s default `Cipher.getInstance("AES")`), and MD5/SHA-1 hashing (`crypto.createHash`, `hashlib.md5`, `MessageDigest.getInstance`, `md5.New`) where the surrounding names or arguments show a security use: passwords, secrets, tokens, signatures, verification. Collisions make MD5/SHA-1 unfit for signatures; fast hashes make stored passwords easy to crack; ECB leaks patterns. Use SHA-256+, bcrypt/scrypt/Argon2 for passwords, AES-GCM for encryption. High for password hashing.',
  references: ['CWE-327', 'CWE-328', 'OWASP A02:2021'],
  confidence: 0.6,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      const w = weakAlgorithm(call, file);
      if (!w) continue;
      const names = contextNames(call, lang).flatMap(words);
      const all = [...names, ...chainArgumentWords(call, lang)];
      const password = all.some((x) => PASSWORD_WORDS.test(x));
      // MD5/SHA-1 as checksums, cache keys and protocol digests are common and harmless: only hashes
      // whose surroundings name a security use are reported.
      if (w.kind === 'hash' && !password && (!all.some((x) => HASH_SECURITY_WORDS.test(x)) || all.some((x) => NON_SECURITY_WORDS.test(x)))) continue;
      const fix =
        w.kind === 'hash'
          ? password
            ? lang === 'python'
              ? 'Hash passwords with a slow, salted algorithm: `bcrypt`, `argon2-cffi` or `hashlib.scrypt`.'
              : lang === 'go'
                ? 'Hash passwords with `golang.org/x/crypto/bcrypt` or `argon2`.'
                : lang === 'java'
                  ? 'Hash passwords with a slow, salted algorithm (BCrypt, SCrypt or Argon2 via Spring Security or Bouncy Castle).'
                  : 'Hash passwords with a slow, salted algorithm: `crypto.scrypt`, bcrypt or Argon2.'
            : 'Use SHA-256 or stronger for integrity and signatures; if this hash is only a checksum or cache key, say so in its name or a comment.'
          : lang === 'java' && /^AES$/i.test(w.algo)
            ? 'Name the mode explicitly: `Cipher.getInstance("AES/GCM/NoPadding")` with a fresh random IV per message.'
            : 'Use AES-GCM (or ChaCha20-Poly1305) with a fresh random IV/nonce per message.';
      const what =
        w.kind === 'hash'
          ? `${w.algo} is broken for collision resistance${password ? ', and a fast unsalted hash lets stolen password hashes be cracked at billions of guesses per second' : ' and unfit for signatures, integrity checks or secrets'}.`
          : lang === 'java' && /^AES$/i.test(w.algo)
            ? '`"AES"` without a mode defaults to ECB, which encrypts equal blocks to equal ciphertext and leaks patterns.'
            : `\`${w.algo}\` is a broken cipher or mode (short keys, biased keystream, or ECB's pattern leakage).`;
      hits.push({
        node: call,
        severity: password ? 'high' : 'medium',
        title: w.kind === 'hash' ? `Weak hash: ${w.algo}${password ? ' for passwords' : ''}` : `Weak cipher: ${w.algo}`,
        message: `\`${w.api}\` uses ${w.kind === 'hash' ? w.algo : `\`${w.algo}\``}: ${what} ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Insecure randomness

/** True when a name is about a secret value that must be unpredictable. */
function isSecretPurpose(ws: string[]): boolean {
  return ws.some((w, i) => {
    if (/^(token|tokens|secret|password|passwd|pwd|passphrase|salt|nonce|otp|totp|csrf|xsrf|session|sessionid|sid|apikey|iv)$/.test(w)) return true;
    const prev = ws[i - 1] ?? '';
    if (w === 'key' && /^(api|secret|private|encryption|signing|access|session)$/.test(prev)) return true;
    if (/^(code|pin)$/.test(w) && /^(verification|verify|reset|auth|otp|confirm|confirmation|invite|invitation|login|activation|security)$/.test(prev)) return true;
    return false;
  });
}

/** Context words that say a random value is not a secret even if another name mentions one (`_make_boundary` → `token`). */
const NOT_SECRET_RANDOM = /^(boundary|jitter|backoff|delay|retry|sample|shuffle|colou?r|port|temp|tmp|filename|mock|fake|demo|placeholder)$/;

function insecureRandom(call: SyntaxNode, file: ParsedFile): string | undefined {
  const lang = file.language;
  const name = resolvedCallee(call, file);
  if (isJs(lang)) return /^Math\.random$/.test(name) ? 'Math.random()' : undefined;
  if (lang === 'python') return /^random\.(random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle)$/.test(name) ? `${name}()` : undefined;
  if (lang === 'go') {
    if (/^math\/rand(\/v2)?\.\w+$/.test(name)) return `${name.replace(/^math\//, '')}()`;
    if (/^rand\.(Intn|Int31|Int63|Int31n|Int63n|Float64|Float32|Perm|Shuffle|Uint32|Uint64|IntN|N)$/.test(name)) return `${name}()`;
    return undefined;
  }
  if (/^new (java\.util\.)?Random$/.test(name)) return 'java.util.Random';
  if (/^(Math\.random|ThreadLocalRandom\.current\(\)\.\w+|RandomStringUtils\.random\w*)$/.test(name)) return name;
  return undefined;
}

const insecureRandomRule: FileRule = {
  kind: 'file',
  id: 'security/insecure-random',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'insecure-randomness',
  title: 'Predictable random value for a secret',
  description:
    'Flags non-cryptographic random generators (`Math.random`, Python `random`, Go `math/rand`, `java.util.Random`) used where the surrounding variable, property or function name says the value is a token, password, salt, nonce, session id, API key or verification code. Their output can be predicted from a few samples. Use a CSPRNG: `crypto.randomBytes`/`crypto.randomUUID`, Python `secrets`, Go `crypto/rand`, Java `SecureRandom`.',
  references: ['CWE-330', 'CWE-338', 'OWASP A02:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const fix =
      lang === 'python'
        ? 'Use the `secrets` module: `secrets.token_urlsafe(32)`, `secrets.choice(...)`, `secrets.randbelow(n)`.'
        : lang === 'go'
          ? 'Use `crypto/rand` (`rand.Read` into a byte slice, then encode) instead of `math/rand`.'
          : lang === 'java'
            ? 'Use `java.security.SecureRandom` (e.g. fill a byte array and Base64-encode it).'
            : 'Use `crypto.randomBytes(32).toString("base64url")`, `crypto.randomUUID()` or `crypto.getRandomValues` instead of `Math.random()`.';
    for (const call of callsOf(file)) {
      const api = insecureRandom(call, file);
      if (!api) continue;
      const names = contextNames(call, lang);
      const purpose = names.find((n) => isSecretPurpose(words(n)));
      if (!purpose || names.some((n) => words(n).some((w) => NOT_SECRET_RANDOM.test(w)))) continue;
      hits.push({
        node: call,
        message: `\`${api}\` produces \`${purpose}\`, which must be unpredictable, but this generator is not cryptographically secure: its output can be reconstructed from a few observed values. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Disabled TLS verification

const tlsVerificationDisabled: FileRule = {
  kind: 'file',
  id: 'security/tls-verification-disabled',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'critical',
  category: 'tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  description:
    'Flags code that turns off TLS certificate or host name checks: `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"`, `verify=False`, `ssl._create_unverified_context`, `CERT_NONE`, Go `InsecureSkipVerify: true`, and Java trust managers or host name verifiers that accept everything. Anyone on the network path can then impersonate the server and read or alter the traffic. Keep verification on and trust a specific CA bundle instead.',
  references: ['CWE-295', 'OWASP A07:2021'],
  confidence: 0.85,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const add = (node: SyntaxNode, what: string, fix: string) => hits.push({ node, message: `${what} Anyone on the network path can impersonate the server and read or change the traffic (man-in-the-middle). ${fix}`, suggestion: { description: fix } });
    const isFalse = (v: SyntaxNode | null | undefined) => !!v && (v.type === 'false' || v.text === '0' || v.text === 'False');
    if (isJs(lang)) {
      const fix = 'Remove it; to trust a private CA pass `ca: fs.readFileSync("ca.pem")` (or set `NODE_EXTRA_CA_CERTS`) instead.';
      eachOfType(file.root, ['pair', 'assignment_expression'], (n) => {
        if (n.type === 'pair') {
          const k = n.childForFieldName('key');
          const key = k?.type === 'string' ? stringValue(k, lang) : k?.text;
          if (key === 'rejectUnauthorized' && isFalse(n.childForFieldName('value'))) add(n, '`rejectUnauthorized: false` accepts any certificate, including self-signed and forged ones.', fix);
        } else if (n.type === 'assignment_expression') {
          const left = compactText(n.childForFieldName('left')?.text ?? '');
          const right = n.childForFieldName('right');
          const rv = right ? stringValue(right, lang) ?? right.text : '';
          if (/NODE_TLS_REJECT_UNAUTHORIZED['"]?\]?$/.test(left) && (rv === '0' || rv === 'false')) add(n, '`NODE_TLS_REJECT_UNAUTHORIZED = "0"` disables certificate verification for every TLS connection in the process.', fix);
          else if (/\.rejectUnauthorized$/.test(left) && isFalse(right)) add(n, '`rejectUnauthorized = false` accepts any certificate.', fix);
        }
        return true;
      });
    } else if (lang === 'python') {
      const fix = 'Remove it; to trust a private CA pass `verify="/path/to/ca.pem"` (requests/httpx) or load it with `ssl.create_default_context(cafile=...)`.';
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const v = keywordArg(call, 'verify');
        if (v && isFalse(v) && (/^(requests|httpx|session|client)\b/i.test(name) || /\.(get|post|put|patch|delete|head|options|request|send|Session|Client|AsyncClient|stream)$/.test(name) || /^(requests|httpx)\./.test(name))) {
          add(v.parent ?? call, `\`verify=False\` in \`${name}\` accepts any certificate.`, fix);
        }
        if (/(^|\.)_create_unverified_context$/.test(name)) add(call, '`ssl._create_unverified_context()` creates a context that skips certificate and host name checks.', fix);
        const certReqs = keywordArg(call, 'cert_reqs');
        if (certReqs && /CERT_NONE/.test(certReqs.text)) add(certReqs.parent ?? call, '`cert_reqs=CERT_NONE` disables certificate verification.', fix);
      }
      eachOfType(file.root, ['assignment'], (n) => {
        if (n.type === 'assignment') {
          const left = n.childForFieldName('left')?.text ?? '';
          const right = n.childForFieldName('right');
          // `self.verify_mode = ...` defines a context class's default, not a connection's settings.
          if (/\.verify_mode$/.test(left) && !/^self\./.test(left) && /CERT_NONE$/.test(right?.text ?? '')) add(n, '`verify_mode = CERT_NONE` disables certificate verification.', fix);
        }
        return true;
      });
    } else if (lang === 'go') {
      const fix = 'Remove `InsecureSkipVerify`; to trust a private CA set `RootCAs` to an `x509.CertPool` containing it.';
      eachOfType(file.root, ['keyed_element', 'assignment_statement'], (n) => {
        if (n.type === 'keyed_element') {
          const k = n.namedChildren[0]?.text;
          const v = n.namedChildren[1]?.namedChildren[0] ?? n.namedChildren[1];
          if (k === 'InsecureSkipVerify' && v?.type === 'true') add(n, '`InsecureSkipVerify: true` accepts any certificate for any host.', fix);
        } else if (n.type === 'assignment_statement') {
          const l = n.childForFieldName('left')?.text ?? '';
          const r = n.childForFieldName('right')?.text ?? '';
          if (/\.InsecureSkipVerify$/.test(l) && r === 'true') add(n, '`InsecureSkipVerify = true` accepts any certificate for any host.', fix);
        }
        return true;
      });
    } else if (lang === 'java') {
      const fix = 'Use the default `TrustManagerFactory` and host name verifier; to trust a private CA, load it into a `KeyStore` and build the trust manager from that.';
      eachOfType(file.root, ['method_declaration', 'method_invocation'], (n) => {
        if (n.type === 'method_declaration') {
          const name = n.childForFieldName('name')?.text;
          const body = n.childForFieldName('body');
          const stmts = body?.namedChildren.filter((c) => c && !LANG.java.comment.includes(c.type)) ?? [];
          if (name === 'checkServerTrusted' && body && stmts.length === 0) add(n.childForFieldName('name') ?? n, '`checkServerTrusted` has an empty body, so this trust manager accepts every certificate chain.', fix);
          const params = n.childForFieldName('parameters')?.text ?? '';
          if (name === 'verify' && /SSLSession/.test(params) && stmts.length === 1 && /^return\s+true\s*;$/.test(stmts[0]?.text ?? '')) add(n.childForFieldName('name') ?? n, 'This `HostnameVerifier.verify` returns `true` for every host.', fix);
        } else if (n.type === 'method_invocation' && /^(setHostnameVerifier|setDefaultHostnameVerifier|setSSLHostnameVerifier|hostnameVerifier)$/.test(n.childForFieldName('name')?.text ?? '')) {
          const a0 = callArguments(n)[0];
          if (a0?.type === 'lambda_expression' && a0.childForFieldName('body')?.type === 'true') add(n, 'The host name verifier `(host, session) -> true` accepts a valid certificate for any host.', fix);
          else if (a0 && /NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER/.test(a0.text)) add(n, `\`${compactText(a0.text)}\` accepts a valid certificate for any host.`, fix);
        }
        return true;
      });
    }
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Unsafe deserialization

const unsafeDeserialization: FileRule = {
  kind: 'file',
  id: 'security/unsafe-deserialization',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'unsafe-deserialization',
  title: 'Unsafe deserialization',
  description:
    'Flags deserializers that can run code while decoding: Python `yaml.load` without a safe loader, and `pickle`/`dill`/`jsonpickle` decoding of request data; Java `ObjectInputStream.readObject`/`XMLDecoder` without a class filter; JS `node-serialize`. Data from outside the process can instantiate arbitrary classes or call functions. Use a data-only format (JSON, `yaml.safe_load`) or an allow-list filter. Critical when request input is decoded.',
  references: ['CWE-502', 'OWASP A08:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const add = (node: SyntaxNode, data: SyntaxNode | undefined, api: string, why: string, fix: string, baseSeverity: 'high' | 'medium') => {
      const req = data ? requestInput(data, file) : undefined;
      hits.push({
        node,
        severity: req ? 'critical' : baseSeverity,
        confidence: req ? 0.85 : baseSeverity === 'high' ? 0.75 : 0.5,
        title: req ? 'Deserialization of request input' : 'Unsafe deserialization',
        message: `\`${api}\` ${why}${req ? ` Here it decodes request input ${code(req)}, so any client can run code on the server.` : ' Only use it on data this process wrote itself.'} ${fix}`,
        suggestion: { description: fix },
      });
    };
    if (lang === 'python') {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const a0 = callArguments(call).map(unwrapArg)[0];
        // Unpickling the process's own files and caches is routine; only request data is reported.
        if (/^(pickle|cPickle|_pickle|dill|cloudpickle|jsonpickle)\.(loads|load|decode)$/.test(name) && a0 && requestInput(a0, file)) {
          add(call, a0, name, 'can execute arbitrary code while decoding (a pickle stream is a small program).', 'Use JSON (or another data-only format) for data from clients; if you must unpickle, sign the data with HMAC and verify it before loading.', 'high');
        } else if (/^(yaml\.(load|load_all)|yaml\.unsafe_load|yaml\.unsafe_load_all)$/.test(name)) {
          const loaderArg = keywordArg(call, 'Loader') ?? callArguments(call)[1];
          const loader = loaderArg?.text ?? '';
          if (/unsafe_load/.test(name) || !loaderArg || /(^|\.)(Loader|UnsafeLoader)$/.test(loader)) {
            add(call, a0, name, `${loaderArg ? `with \`${loader}\`` : 'without a safe `Loader`'} can construct arbitrary Python objects from YAML tags such as \`!!python/object/apply\`.`, 'Use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader`).', 'high');
          }
        }
      }
    } else if (lang === 'java') {
      const filtered = nodesOfType(file.root, ['method_declaration', 'method_invocation']).some((n) => /^(resolveClass|setObjectInputFilter)$/.test(n.childForFieldName('name')?.text ?? ''));
      if (filtered) return hits;
      for (const call of callsOf(file)) {
        if (call.type !== 'method_invocation' || call.childForFieldName('name')?.text !== 'readObject') continue;
        const obj = call.childForFieldName('object');
        if (!obj) continue;
        let creation: SyntaxNode | undefined;
        if (obj.type === 'object_creation_expression') creation = obj;
        else if (obj.type === 'identifier') creation = definitionsOf(obj.text, call, file).map((d) => d.value).find((v) => v.type === 'object_creation_expression');
        const type = creation?.childForFieldName('type')?.text ?? '';
        if (!creation || !/^(ObjectInputStream|XMLDecoder)$/.test(type)) continue;
        const src = callArguments(creation)[0];
        add(call, src, `${type}.readObject`, 'instantiates whatever classes the stream names; gadget chains on the classpath turn that into remote code execution.', 'Prefer JSON; otherwise install an allow-list with `ObjectInputFilter` (`ois.setObjectInputFilter(...)`) or override `resolveClass`.', 'high');
      }
    } else {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        if (/^node-serialize\.unserialize$/.test(name)) {
          add(call, callArguments(call)[0], 'node-serialize.unserialize', 'evaluates functions embedded in the serialized data (`_$$ND_FUNC$$_`), so crafted input runs code.', 'Use `JSON.parse` and rebuild objects explicitly.', 'high');
        }
      }
    }
    return hits;
  },
};

/**
 * Skips test, fixture and example files (disabled TLS checks, fixed credentials, shell helpers and
 * throwaway hashes there are not shipped to production; paths by {@link isTestLikePath} or listed in
 * `ProjectIndex.testFiles`) and minified or generated files, which nobody fixes by hand.
 */
function productionOnly(rule: FileRule): FileRule {
  return {
    ...rule,
    check(file, project) {
      const p = file.file.path;
      if (isTestLikePath(project.relativeToReview(p)) || project.testFiles.includes(p) || isGeneratedOrMinified(file)) return [];
      return rule.check(file, project);
    },
  };
}

/** The rules of this pack. */
export const rules: OfflineRule[] = [
  sqlInjection,
  commandInjection,
  codeInjection,
  pathTraversal,
  xss,
  weakCrypto,
  insecureRandomRule,
  tlsVerificationDisabled,
  unsafeDeserialization,
].map(productionOnly);

