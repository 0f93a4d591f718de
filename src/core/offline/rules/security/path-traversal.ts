/**
 * Rule family: path traversal (CWE-22).
 */
import { walk, type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, LANG, callArguments, isJs } from '../../lang';
import { callsOf, code } from '../../nodes';
import { definitionsOf, resolvedCallee } from '../../bindings';

import { SANITIZER, requestInput } from '../security-util';
import { unwrapArg, objectProperty } from './common';

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

/** The `security/path-traversal` rule (see its `description`). */
export const pathTraversal: FileRule = {
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

