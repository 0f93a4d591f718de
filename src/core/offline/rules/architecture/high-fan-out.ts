/** `architecture/high-fan-out`: modules that depend on too many others. */
import { basename, type ImportRef, importsOf } from '../../imports';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { isTestPath } from '../../paths';
import { headerRange } from './util';

const FAN_OUT_LIMIT = 20;

const NODE_BUILTINS = new Set(
  'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs fs/promises http http2 https inspector module net os path path/posix path/win32 perf_hooks process punycode querystring readline repl stream stream/promises string_decoder timers tls trace_events tty url util v8 vm wasi worker_threads zlib'.split(' '),
);
const PY_STDLIB = new Set(
  'abc argparse array ast asyncio base64 bisect builtins calendar collections contextlib copy csv dataclasses datetime decimal difflib email enum errno fnmatch functools gc getpass glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json logging math mimetypes multiprocessing numbers operator os pathlib pickle platform pprint queue random re secrets select shlex shutil signal socket sqlite3 ssl stat statistics string struct subprocess sys tempfile textwrap threading time timeit traceback types typing unicodedata unittest urllib uuid warnings weakref xml zipfile zlib __future__'.split(' '),
);

/** The module a reference counts as for fan-out, or undefined for standard-library modules. */
function fanOutKey(ref: ImportRef, file: ParsedFile): string | undefined {
  const s = ref.specifier;
  switch (file.language) {
    case 'python': {
      if (s.startsWith('.')) return s + (ref.names.length && s.replace(/\./g, '') === '' ? `:${ref.names.join(',')}` : '');
      return PY_STDLIB.has(s.split('.')[0]!) ? undefined : s;
    }
    case 'go':
      return s.split('/')[0]!.includes('.') ? s : undefined;
    case 'java': {
      if (/^(java|javax|jdk|sun)\./.test(s)) return undefined;
      // Count packages, not the single classes imported from them.
      const parts = s.replace(/\.\*$/, '').split('.');
      const cls = parts.findIndex((p) => /^[A-Z]/.test(p));
      return (cls > 0 ? parts.slice(0, cls) : parts).join('.');
    }
    default:
      if (s.startsWith('node:') || NODE_BUILTINS.has(s)) return undefined;
      return s;
  }
}

export const highFanOut: FileRule = {
  kind: 'file',
  id: 'architecture/high-fan-out',
  personas: ['architect'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'],
  severity: 'medium',
  category: 'coupling',
  title: 'Module depends on too many others',
  description:
    `Reports a module that imports more than ${FAN_OUT_LIMIT} distinct modules (standard library, type-only imports and re-exports not counted; Java counted by package). ` +
    'High fan-out means the module changes whenever any of them does and is hard to test in isolation; it often coordinates too much itself. Split it or move orchestration behind a narrower interface.',
  references: [],
  confidence: 0.6,
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path)) || project.testFiles.includes(file.file.path)) return [];
    const refs = importsOf(file).filter((r) => !r.typeOnly && !r.reexport);
    const distinct = new Map<string, ImportRef>();
    for (const r of refs) {
      const k = fanOutKey(r, file);
      if (k !== undefined && !distinct.has(k)) distinct.set(k, r);
    }
    if (distinct.size <= FAN_OUT_LIMIT) return [];
    const first = refs[0]!;
    const names = [...distinct.keys()];
    const shown = names.slice(0, 8).map((n) => `\`${n}\``).join(', ');
    return [
      {
        range: headerRange(first.node),
        message: `\`${basename(file.file.path)}\` imports ${distinct.size} distinct modules (${shown}, …). A module that depends on this many others changes whenever any of them does, is hard to test without a large set-up, and usually coordinates work that belongs elsewhere.`,
        suggestion: { description: 'Find the groups of imports used together and move each group, with the code that uses it, into its own module; keep this one as a thin coordinator.' },
      },
    ];
  },
};
