/** `concurrency/toctou-file`: a file checked, then used by path (CWE-367). */
import { type ParsedLanguage, type SyntaxNode, walk } from '../../syntax';
import { consequence, unparen } from './util';
import { callArguments, calleeName, isJs, JS_LANGS, LANG, nodesOfType } from '../../lang';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { snippet } from '../../flow';
// ---------------------------------------------------------------------------------------------------

interface FileAct {
  call: SyntaxNode;
  kind: 'write' | 'mkdir';
  fix: string;
}

/** The call in an existence check that tests `path` (`fs.existsSync(p)`, `os.path.exists(p)`, `os.Stat(p)`, `Files.exists(p)`). */
function existenceCheck(cond: SyntaxNode, lang: ParsedLanguage, ifNode: SyntaxNode): { call: SyntaxNode; path: string } | null {
  let negated = false;
  let c = unparen(cond);
  if (!c) return null;
  if (isJs(lang) || lang === 'java') {
    if (c.type === 'unary_expression' && (c.childForFieldName('operator')?.text ?? c.child(0)?.text) === '!') {
      negated = true;
      c = unparen(c.childForFieldName('argument') ?? c.childForFieldName('operand'));
    }
  } else if (lang === 'python') {
    if (c.type === 'not_operator') {
      negated = true;
      c = unparen(c.childForFieldName('argument'));
    }
  } else if (lang === 'go') {
    // if _, err := os.Stat(p); os.IsNotExist(err) / errors.Is(err, fs.ErrNotExist)
    const init = ifNode.childForFieldName('initializer');
    const stat = init?.descendantsOfType('call_expression').find((x) => x && /^os\.L?[Ss]tat$/.test(calleeName(x, 'go')));
    const condName = c.type === 'call_expression' ? calleeName(c, 'go') : '';
    const notExist = condName === 'os.IsNotExist' || (condName === 'errors.Is' && /ErrNotExist$/.test(callArguments(c)[1]?.text ?? ''));
    const arg = stat && callArguments(stat)[0];
    return stat && notExist && arg ? { call: stat, path: arg.text } : null;
  }
  if (!negated || !c) return null;
  const name = LANG[lang].call.includes(c.type) ? calleeName(c, lang) : '';
  const args = callArguments(c);
  if (isJs(lang) && /(^|\.)existsSync$/.test(name) && args[0]) return { call: c, path: args[0].text };
  if (lang === 'python') {
    if (/^os\.path\.(exists|isfile|isdir|lexists)$/.test(name) && args[0]) return { call: c, path: args[0].text };
    const m = /^(.+)\.(exists|is_file|is_dir)$/.exec(name);
    if (m && !args.length && !/^os\.path$/.test(m[1]!)) return { call: c, path: m[1]! };
  }
  if (lang === 'java') {
    if (/^Files\.(exists|notExists|isRegularFile|isDirectory)$/.test(name) && args[0]) return { call: c, path: args[0].text };
    const m = /^(.+)\.exists$/.exec(name);
    if (m && !args.length) return { call: c, path: m[1]! };
  }
  return null;
}

/** A call in the `if` body that creates or writes `path` non-exclusively, with the atomic alternative. */
function fileAct(body: SyntaxNode, path: string, lang: ParsedLanguage): FileAct | null {
  let act: FileAct | null = null;
  walk(body, (n) => {
    if (act || LANG[lang].func.includes(n.type)) return false;
    if (!LANG[lang].call.includes(n.type)) return true;
    const name = calleeName(n, lang);
    const args = callArguments(n);
    const arg0 = args[0]?.text;
    const method = name.slice(name.lastIndexOf('.') + 1);
    if (isJs(lang) && arg0 === path) {
      if (/^(writeFileSync|writeFile|createWriteStream|openSync|open)$/.test(method) && !/\bflags?\s*:\s*['"]wx/.test(n.text) && !/['"]wx['"]/.test(args[1]?.text ?? '')) {
        act = { call: n, kind: 'write', fix: "Open with the exclusive flag instead of checking first: `fs.writeFileSync(path, data, { flag: 'wx' })` (or `fs.openSync(path, 'wx')`) fails with `EEXIST` if another process created the file in between." };
      } else if (/^(mkdirSync|mkdir)$/.test(method) && !/recursive\s*:\s*true/.test(args[1]?.text ?? '')) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `fs.mkdirSync(dir, { recursive: true })`, which succeeds whether or not the directory already exists.' };
      }
    } else if (lang === 'python') {
      const mode = args[1] && args[1].type !== 'keyword_argument' ? args[1].text : args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode')?.childForFieldName('value')?.text;
      const existOk = args.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'exist_ok' && a.childForFieldName('value')?.text === 'True');
      // Only truncating modes: append ('a') does not clobber what another process wrote.
      const flags = mode ? mode.replace(/^[rbuf]*['"]|['"]$/g, '') : '';
      if (name === 'open' && arg0 === path && /w/.test(flags) && !/x/.test(flags)) {
        act = { call: n, kind: 'write', fix: "Open with mode `'x'` (exclusive create), which raises `FileExistsError` if the file appeared in between, instead of checking first." };
      } else if (/^os\.(makedirs|mkdir)$/.test(name) && arg0 === path && !existOk) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `os.makedirs(path, exist_ok=True)`.' };
      } else if (name === `${path}.mkdir` && !existOk) {
        act = { call: n, kind: 'mkdir', fix: 'Drop the check and call `path.mkdir(parents=True, exist_ok=True)`.' };
      } else if (name === `${path}.write_text` || name === `${path}.write_bytes`) {
        act = { call: n, kind: 'write', fix: "Open with mode `'x'` (`path.open('x')`) so creation fails if the file appeared in between, instead of checking first." };
      }
    } else if (lang === 'go' && arg0 === path) {
      if (/^os\.(Create|WriteFile)$/.test(name) || (name === 'os.OpenFile' && !/O_EXCL/.test(args[1]?.text ?? ''))) {
        act = { call: n, kind: 'write', fix: 'Create the file atomically with `os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)` and handle `errors.Is(err, fs.ErrExist)`, instead of checking with `os.Stat` first.' };
      } else if (name === 'os.Mkdir') {
        act = { call: n, kind: 'mkdir', fix: 'Call `os.MkdirAll(path, perm)` (no error if it exists) or handle `errors.Is(err, fs.ErrExist)` from `os.Mkdir`, instead of checking first.' };
      }
    } else if (lang === 'java') {
      if (/^Files\.(write|writeString|newOutputStream|newBufferedWriter)$/.test(name) && arg0 === path && !/CREATE_NEW/.test(n.text)) {
        act = { call: n, kind: 'write', fix: 'Pass `StandardOpenOption.CREATE_NEW` (or use `Files.createFile`), which fails atomically with `FileAlreadyExistsException`, instead of checking with `Files.exists` first.' };
      } else if (/^new (FileOutputStream|FileWriter|PrintWriter)$/.test(name) && arg0 === path) {
        act = { call: n, kind: 'write', fix: 'Create the file with `Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)`, which fails atomically if it already exists, instead of checking first.' };
      } else if (name === 'Files.createDirectory' && arg0 === path) {
        act = { call: n, kind: 'mkdir', fix: 'Call `Files.createDirectories(path)` (no error if it exists) instead of checking first.' };
      }
    }
    return !act;
  });
  return act;
}

export const toctouFile: FileRule = {
  kind: 'file',
  id: 'concurrency/toctou-file',
  personas: ['concurrency'],
  severity: 'medium',
  category: 'toctou',
  title: 'File existence checked, then created (TOCTOU)',
  description:
    'Checking that a path does not exist and then creating or writing it leaves a window in which another process or request can create it (or plant a symlink there): the write then clobbers it or the create fails. Create atomically instead (exclusive-create flags, `recursive`/`exist_ok` directory creation).',
  references: ['CWE-367'],
  confidence: 0.8,
  languages: [...JS_LANGS, 'python', 'go', 'java'],
  check(file: ParsedFile): RuleHit[] {
    const { root, language: lang } = file;
    const hits: RuleHit[] = [];
    for (const ifNode of nodesOfType(root, ['if_statement'])) {
      const cond = ifNode.childForFieldName('condition');
      const body = consequence(ifNode);
      if (!cond || !body) continue;
      const check = existenceCheck(cond, lang, ifNode);
      if (!check) continue;
      const act = fileAct(body, check.path, lang);
      if (!act) continue;
      hits.push({
        node: check.call,
        severity: act.kind === 'mkdir' ? 'low' : 'medium',
        message:
          act.kind === 'mkdir'
            ? `\`${snippet(check.call)}\` checks for \`${check.path}\` and \`${snippet(act.call)}\` (line ${act.call.startPosition.row + 1}) creates it: if another process creates it in between, the create fails with "already exists".`
            : `\`${snippet(check.call)}\` checks that \`${check.path}\` is absent and \`${snippet(act.call)}\` (line ${act.call.startPosition.row + 1}) then writes it: another process can create the file, or a symlink to a file elsewhere, in between, and this write overwrites it.`,
        suggestion: { description: act.fix },
      });
    }
    return hits;
  },
};
