/**
 * Inline suppressions: comments in the reviewed code that accept a finding with a written reason.
 *
 *   <comment> persona-review-ignore <rule-or-category>[, <rule-or-category>...] -- <reason>
 *   <comment> persona-review-ignore-file [<rule-or-category>, ...] -- <reason>
 *
 * - `<comment>` is the language's comment opener, immediately followed (white space aside) by the marker:
 *   `//` and `/*` (C family, JavaScript/TypeScript, Go, Java, Rust, Kotlin, Swift, C#, PHP, ...), `#`
 *   (Python, Ruby, shell, YAML, TOML, Dockerfile, Makefile, R, Perl, Elixir, PowerShell, HCL), `--` (SQL,
 *   Lua, Haskell), `;` (Clojure, INI), `%` (Erlang, LaTeX), `<!--` (HTML, XML, Markdown, Vue, Svelte),
 *   `(*` (OCaml) and `{-` (Haskell); a ` * ` continuation line inside a block comment counts too. Files
 *   of other languages accept any of `//`, `/*`, `#`, `--`, `;`, `<!--`. JSON has no comments: use the
 *   suppressions file (./file.ts) there.
 * - A line directive on line D applies to findings that start on line D (a trailing comment) or on line
 *   D + 1 (a comment on the line above). Directives on consecutive comment-only lines stack: each applies
 *   to the first line after the run as well.
 * - A file directive (`persona-review-ignore-file`) must be in the first {@link FILE_DIRECTIVE_LINES}
 *   lines; without names it applies to every finding in the file.
 * - Names are offline rule ids (`security/sql-injection`) or finding categories (`sql-injection`),
 *   separated by commas or spaces. The reason follows ` -- ` and runs to the end of the comment.
 * - A directive without a reason, or a line directive without names, has no effect and is reported (Low)
 *   by the triage (../triage.ts), as is a name that is no known rule or category.
 *
 * The marker inside a string literal that happens to start with a comment opener is also read as a
 * directive: a deliberate trade-off for one scanner that works on every language, grammar or not.
 */
import type { LineRange } from '../types';

/** The marker of a line directive; `-file` is appended for a file directive. */
export const INLINE_MARKER = 'persona-review-ignore';

/** A file directive counts only within the first this many lines (1-based: lines 1..10). */
export const FILE_DIRECTIVE_LINES = 10;

/** One inline suppression comment as written. */
export interface InlineDirective {
  /** `line`: applies to {@link InlineDirective.covers}; `file`: to the whole file. */
  kind: 'line' | 'file';
  /** 1-based line of the comment. */
  line: number;
  /** 1-based UTF-16 column where the marker starts, and one past where the directive ends (SARIF region). */
  startColumn: number;
  endColumn: number;
  /** Rule ids or categories, as written (trimmed, in order). Empty for a file directive that names none. */
  names: string[];
  /** The justification after ` -- `, trimmed; undefined when missing or empty. */
  reason?: string;
  /** Lines whose findings it applies to (line directives): its own line through the first line after a stack of directive-only lines. */
  covers: LineRange;
  /** The directive text from the marker to the end of the comment. */
  text: string;
}

const SLASHES = ['//', '/*'];
const HASH = ['#'];
const DASHES = ['--'];
const MARKUP = ['<!--'];

/** Comment openers per language id (ids of core/files.ts `languageOf`). */
const OPENERS: Record<string, readonly string[]> = {
  javascript: SLASHES, typescript: SLASHES, tsx: SLASHES, go: SLASHES, java: SLASHES, c: SLASHES, cpp: SLASHES,
  csharp: SLASHES, fsharp: ['//', '(*'], kotlin: SLASHES, swift: SLASHES, scala: SLASHES, rust: SLASHES, dart: SLASHES,
  'objective-c': SLASHES, 'objective-cpp': SLASHES, groovy: SLASHES, proto3: SLASHES, jsonc: SLASHES,
  css: ['/*'], scss: SLASHES, less: SLASHES, php: [...SLASHES, '#'],
  python: HASH, ruby: HASH, perl: HASH, r: HASH, elixir: HASH, shellscript: HASH, powershell: [...HASH, '<#'], yaml: HASH,
  toml: HASH, dockerfile: HASH, makefile: HASH, graphql: HASH, terraform: [...HASH, ...SLASHES], hcl: [...HASH, ...SLASHES],
  sql: [...DASHES, '/*'], lua: DASHES, haskell: [...DASHES, '{-'],
  clojure: [';'], ini: [';', '#'], erlang: ['%'], tex: ['%'], latex: ['%'], ocaml: ['(*'],
  html: MARKUP, xml: MARKUP, markdown: MARKUP, vue: [...MARKUP, ...SLASHES], svelte: [...MARKUP, ...SLASHES],
  json: [],
};

/** Openers accepted in files of a language not in the table. */
const ANY_OPENERS = ['//', '/*', '#', '--', ';', '<!--'];

/** Block-comment closers that end a directive before the end of its line. */
const CLOSERS = ['*/', '-->', '*)', '-}', '#>'];

/** The comment openers recognised for `language` (a core/files.ts language id). */
export function commentOpeners(language: string): readonly string[] {
  return OPENERS[language] ?? ANY_OPENERS;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const cache = new Map<string, RegExp>();

/** `<opener><ws>persona-review-ignore[-file]` where the opener is one of `openers` (or a ` * ` block continuation). */
function directiveRegex(openers: readonly string[]): RegExp {
  const key = openers.join('\0');
  let re = cache.get(key);
  if (!re) {
    const alts = openers.map(escapeRe);
    if (openers.includes('/*')) alts.push('^\\s*\\*'); // ` * ` continuation line of a block comment
    re = new RegExp(`(?:${alts.join('|')})[ \\t]*(${escapeRe(INLINE_MARKER)}(-file)?)(?![\\w-])`, 'g');
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Splits `a, b c` into names; drops empty ones. */
function splitNames(s: string): string[] {
  return s.split(/[\s,]+/).map((n) => n.trim()).filter(Boolean);
}

/**
 * Parses the directive that starts at `markerEnd` of `line` (after the marker): names, reason, and the
 * UTF-16 offset where the directive text ends (a block-comment closer or the end of the line).
 */
function parseTail(line: string, markerEnd: number): { names: string[]; reason?: string; end: number } {
  let end = line.length;
  for (const c of CLOSERS) {
    const at = line.indexOf(c, markerEnd);
    if (at >= 0 && at < end) end = at;
  }
  const tail = line.slice(markerEnd, end);
  const sep = /(?:^|\s)--(?:\s|$)/.exec(tail);
  const namesPart = sep ? tail.slice(0, sep.index) : tail;
  const reason = sep ? tail.slice(sep.index + sep[0].length).trim() : undefined;
  return { names: splitNames(namesPart), reason: reason || undefined, end: end > markerEnd ? line.slice(0, end).trimEnd().length : end };
}

/**
 * Every inline suppression directive in `text` (a file in `language`, see core/files.ts `languageOf`), in
 * line order. Lines are 1-based. Never throws; text without the marker costs one `indexOf`.
 */
export function parseInlineDirectives(text: string, language: string): InlineDirective[] {
  if (!text.includes(INLINE_MARKER)) return [];
  const openers = commentOpeners(language);
  if (!openers.length) return [];
  const lines = text.split('\n');
  const out: InlineDirective[] = [];
  /** Lines (0-based) that hold nothing but a directive comment, for stacking. */
  const directiveOnly = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.includes(INLINE_MARKER)) continue;
    const re = directiveRegex(openers);
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const markerStart = m.index + m[0].length - m[1]!.length;
      const isFile = m[2] !== undefined;
      if (isFile && i >= FILE_DIRECTIVE_LINES) continue;
      const { names, reason, end } = parseTail(line, markerStart + m[1]!.length);
      const before = line.slice(0, m.index).trim();
      if (!isFile && before === '') directiveOnly.add(i);
      out.push({
        kind: isFile ? 'file' : 'line',
        line: i + 1,
        startColumn: markerStart + 1,
        endColumn: end + 1,
        names,
        reason,
        covers: { startLine: i + 1, endLine: i + 2 },
        text: line.slice(markerStart, end).trim(),
      });
      break; // one directive per line
    }
  }
  // Stacked directive-only lines all cover the first line after the stack.
  for (const d of out) {
    if (d.kind !== 'line' || !directiveOnly.has(d.line - 1)) continue;
    let next = d.line; // 0-based index of the line after d
    while (directiveOnly.has(next)) next++;
    d.covers = { startLine: d.line, endLine: Math.min(next + 1, lines.length) };
  }
  return out;
}

/** True when `d` applies to a finding that starts on `startLine` (1-based). */
export function directiveCovers(d: InlineDirective, startLine: number): boolean {
  return d.kind === 'file' || (startLine >= d.covers.startLine && startLine <= d.covers.endLine);
}
