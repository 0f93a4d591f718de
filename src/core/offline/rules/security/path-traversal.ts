/**
 * Rule family: path traversal (CWE-22, OWASP A01:2021): request input that reaches a file path
 * (reads, writes, uploads, `sendFile`, `os.Open`, `new File`, `Paths.get`), and archive extraction
 * that trusts entry names (zip slip, CWE-22/CWE-23). `basename`-style reduction to a file name, or a
 * prefix check of the normalised path against the base directory, ends the taint.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { code } from '../../nodes';
import { flowsOf } from '../../taint';
import { describePath, fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Reduce the input to a file name with `path.basename`, resolve it against a fixed directory, and check the resolved path still starts with that directory (or use `res.sendFile(name, { root })`).',
  python: 'Use `werkzeug.utils.secure_filename` (or `os.path.basename`), join it to a fixed directory, and check `os.path.realpath(p).startswith(base)`; Flask\'s `send_from_directory` does this for you.',
  go: 'Use `filepath.Base` on the input, join it to a fixed directory, and check the cleaned result still has that directory as prefix (or use `os.Root`/`http.FS` rooted at it).',
  java: 'Reduce the input to a file name (`Paths.get(input).getFileName()`), resolve it against a fixed base with `base.resolve(name).normalize()`, and check `startsWith(base)`.',
};

const ZIP_FIX = 'Resolve each entry name against the destination directory, normalise it, and skip (or reject) entries whose resolved path does not start with the destination (Python 3.12+: `extractall(path, filter="data")`).';

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
    'Follows request input into file system paths (`fs.readFile`, `res.sendFile`, `open`, `os.Open`, `new File`, `Paths.get`, uploads) and archive entry names into extraction paths (zip slip). A value such as `../../etc/passwd` escapes the intended directory. Reduce the input to a bare file name, or resolve it against a fixed base directory and check the result stays inside it.',
  references: ['CWE-22', 'OWASP A01:2021'],
  confidence: 0.8,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'path', project)) {
      hits.push(taintHit(f, { title: 'File path from request input', what: 'A file path comes from request input', impact: 'A value like `../../etc/passwd` reads or writes files outside the intended directory.', fix }));
    }
    for (const f of flowsOf(file, 'path')) {
      if (f.taint?.source.kind === 'archive') {
        hits.push({ node: f.node, title: 'Archive entry name used as a path (zip slip)', confidence: 0.75, message: `The archive entry name reaches ${code(f.api)}: ${describePath(f.taint)}. An entry named \`../../x\` writes outside the destination directory. ${ZIP_FIX}`, suggestion: { description: ZIP_FIX } });
      } else if (f.info?.archive && !f.info.filter) {
        hits.push({ node: f.node, severity: 'high', title: 'Archive extracted without checking entry names (zip slip)', confidence: 0.6, message: `${code(f.api)} extracts every member under the name stored in the archive. A crafted archive with \`../\` or absolute names writes files outside the destination. ${ZIP_FIX}`, suggestion: { description: ZIP_FIX } });
      }
    }
    return hits;
  },
};
