/**
 * Collecting the files of a review target (DESIGN.md "Data flow of one review", step 1): folders are
 * walked respecting `.gitignore`, only source files are taken, and sensitive files (`.env`, keys,
 * credential stores) are never opened.
 *
 * Paths handed out are root-relative with forward slashes (`src/app.ts`), as findings use them.
 */
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Bad input from the user (a path that does not exist, an unknown git ref, nothing to review). The CLI
 * maps it to exit code 2. The message always says what was wrong and what to do about it.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A file chosen for review: its absolute path and its root-relative path with forward slashes. */
export interface CollectedFile {
  absPath: string;
  path: string;
}

/** A file that was looked at but not taken, with a reason a person can read (`sensitive file (private key)`). */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Options of {@link collectFiles}. */
export interface CollectOptions {
  /** Gitignore-style globs relative to root; when given, only files matching one are taken from folders. */
  include?: string[];
  /** Gitignore-style globs relative to root; matching files and folders are left out of folder walks. */
  exclude?: string[];
  /** Files larger than this many bytes are skipped. Default {@link DEFAULT_MAX_FILE_BYTES} (1 MiB). */
  maxFileBytes?: number;
  /** Stop collecting after this many files. Default {@link DEFAULT_MAX_FILES}. */
  maxFiles?: number;
}

/** Default per-file size limit: 1 MiB. Larger files are almost always generated or data. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Default limit on the number of files one review collects. */
export const DEFAULT_MAX_FILES = 5000;
/** How much of a file is inspected for a NUL byte to call it binary (the heuristic git and grep use). */
const BINARY_SNIFF_BYTES = 8192;

/**
 * Extensions (lower case, without the dot) that count as source code when a folder is walked.
 * Code in the languages the personas read, plus the configuration SRE and Security review, which is where
 * credentials, endpoints and limits are written: YAML, JSON, TOML, Terraform (`.tf`, `.tfvars`, `.hcl`),
 * Java `.properties`, INI-style files (`.ini`, `.cfg`, `.conf`, `.cnf`), XML and .NET `.config`,
 * Dockerfiles, SQL, shell. Their secrets are redacted like those in code (src/core/redact.ts). JSON is
 * included because manifests and deployment configs matter to reviewers; generated JSON lockfiles are
 * skipped by name ({@link GENERATED_FILE_NAMES}). Markdown and plain text are not code and are left out
 * of folder walks; name such a file explicitly (or match it with `include`) to review it.
 */
export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
  'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'vue', 'svelte',
  'py', 'pyi', 'go', 'java', 'kt', 'kts', 'scala', 'groovy', 'gradle', 'rb', 'rs', 'swift', 'dart',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hh', 'hpp', 'hxx', 'm', 'mm', 'cs', 'fs', 'php', 'pl', 'pm', 'lua', 'r',
  'ex', 'exs', 'erl', 'clj', 'hs', 'ml', 'zig', 'sol',
  'sh', 'bash', 'zsh', 'ps1', 'sql', 'graphql', 'gql', 'proto',
  'yaml', 'yml', 'json', 'jsonc', 'toml', 'tf', 'tfvars', 'hcl', 'nix', 'xml', 'config',
  'properties', 'ini', 'cfg', 'conf', 'cnf',
  'html', 'htm', 'css', 'scss', 'less',
]);

/** File names without a telling extension that are code or deployment config (case-insensitive). */
const SOURCE_FILE_NAMES: ReadonlySet<string> = new Set([
  'dockerfile', 'containerfile', 'makefile', 'gnumakefile', 'jenkinsfile', 'vagrantfile', 'rakefile', 'gemfile',
  'procfile', 'justfile',
]);

/** Generated dependency lockfiles: large, machine-written, not worth a reviewer's tokens. */
const GENERATED_FILE_NAMES: ReadonlySet<string> = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'composer.lock',
  'cargo.lock', 'poetry.lock', 'pipfile.lock', 'gemfile.lock', 'go.sum', 'packages.lock.json', 'uv.lock',
]);

/** Folders never entered during a walk (only a folder named explicitly is entered). `.persona-review`
 * holds the team's suppressions, baseline and ledger (core/teamFiles.ts): the tool's records, not code. */
const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.persona-review']);

// Sensitive file patterns. Name-based, checked before a file is opened, case-insensitive.
const ENV_TEMPLATE_SUFFIXES = new Set(['example', 'sample', 'template', 'dist', 'defaults']);
const SENSITIVE_NAMES: ReadonlyMap<string, string> = new Map([
  ['id_rsa', 'SSH private key'],
  ['id_dsa', 'SSH private key'],
  ['id_ecdsa', 'SSH private key'],
  ['id_ecdsa_sk', 'SSH private key'],
  ['id_ed25519', 'SSH private key'],
  ['id_ed25519_sk', 'SSH private key'],
  ['.npmrc', 'npm credentials'],
  ['.yarnrc.yml', 'package registry credentials'],
  ['.pypirc', 'PyPI credentials'],
  ['.netrc', 'netrc credentials'],
  ['_netrc', 'netrc credentials'],
  ['.git-credentials', 'git credential store'],
  ['.pgpass', 'PostgreSQL password file'],
  ['.htpasswd', 'HTTP password file'],
  ['.s3cfg', 's3cmd credentials'],
  ['.dockercfg', 'Docker registry credentials'],
  ['credentials.json', 'credentials file'],
  ['credentials.xml', 'credentials file'],
  ['.bash_history', 'shell history'],
  ['.zsh_history', 'shell history'],
  ['.sh_history', 'shell history'],
  ['.psql_history', 'shell history'],
  ['.mysql_history', 'shell history'],
  ['.secrets', 'secrets file'],
]);
const SENSITIVE_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['pem', 'PEM key or certificate'],
  ['key', 'private key'],
  ['p12', 'PKCS#12 key store'],
  ['pfx', 'PKCS#12 key store'],
  ['pkcs12', 'PKCS#12 key store'],
  ['p8', 'PKCS#8 private key'],
  ['ppk', 'PuTTY private key'],
  ['jks', 'Java key store'],
  ['keystore', 'key store'],
  ['kdb', 'KeePass database'],
  ['kdbx', 'KeePass database'],
  ['keychain', 'keychain'],
  ['agilekeychain', 'password manager vault'],
  ['psafe3', 'password manager vault'],
  ['ovpn', 'VPN configuration with keys'],
  ['tfstate', 'Terraform state (holds secrets in plain text)'],
  ['env', 'environment file'],
]);
/** Paths (by their last two segments) that are credential stores whatever the folder they sit in. */
const SENSITIVE_TAILS: ReadonlyMap<string, string> = new Map([
  ['.aws/credentials', 'AWS credentials'],
  ['.aws/config', 'AWS configuration'],
  ['.docker/config.json', 'Docker registry credentials'],
  ['.kube/config', 'Kubernetes credentials'],
  ['.gem/credentials', 'RubyGems credentials'],
  ['.cargo/credentials', 'Cargo credentials'],
  ['.cargo/credentials.toml', 'Cargo credentials'],
]);

/**
 * Whether `filePath` names a file that must never be read, and why.
 *
 * Returns the reason (`sensitive file (SSH private key)`) or `undefined`. Only the name is looked at,
 * so it is safe to call before opening anything. Matching is case-insensitive. The list follows the
 * file-name signatures of secret hunters such as gitrob (`michenriksen/gitrob`, signatures.json) and
 * shhgit, and the files GitHub's secret scanning documentation warns about:
 * - `.env` and `.env.*`, `*.env` (but `.env.example`, `.env.sample`, `.env.template`, `.env.dist` and
 *   `.env.defaults` are templates and are reviewed);
 * - keys and key stores: `*.pem`, `*.key`, `*.p12`, `*.pfx`, `*.pkcs12`, `*.p8`, `*.ppk`, `*.jks`,
 *   `*.keystore`, `*.keychain`; SSH keys `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (and `*_sk`) but not
 *   their `.pub` halves;
 * - credential stores: `.npmrc`, `.yarnrc.yml`, `.pypirc`, `.netrc`, `.git-credentials`, `.pgpass`,
 *   `.htpasswd`, `.s3cfg`, `.dockercfg`, `credentials.json`, `credentials.xml`, `client_secret*.json`,
 *   `.aws/credentials`, `.docker/config.json`, `.kube/config`;
 * - vaults: `*.kdb`, `*.kdbx`, `*.agilekeychain`, `*.psafe3`; VPN profiles `*.ovpn`;
 * - `secrets.*` (yaml, yml, json, toml, env, ini, properties), `.secrets`, Terraform state `*.tfstate`
 *   (and `*.tfstate.backup`), and shell history files (`.bash_history`, ...).
 */
export function isSensitivePath(filePath: string): string | undefined {
  const normalized = filePath.replace(/\\/g, '/').toLowerCase();
  const base = normalized.slice(normalized.lastIndexOf('/') + 1);
  const why = (what: string): string => `sensitive file (${what}): never read`;

  if (base === '.env') return why('environment file');
  if (base.startsWith('.env.')) {
    const suffix = base.slice('.env.'.length);
    return ENV_TEMPLATE_SUFFIXES.has(suffix) ? undefined : why('environment file');
  }
  const named = SENSITIVE_NAMES.get(base);
  if (named) return why(named);
  const tail = normalized.split('/').slice(-2).join('/');
  const tailed = SENSITIVE_TAILS.get(tail);
  if (tailed) return why(tailed);
  if (base.startsWith('client_secret') && base.endsWith('.json')) return why('OAuth client secret');
  if (/^secrets?\.(ya?ml|json|toml|env|ini|properties)$/.test(base)) return why('secrets file');
  if (base.endsWith('.tfstate.backup')) return why('Terraform state (holds secrets in plain text)');
  const dot = base.lastIndexOf('.');
  const byExt = dot > 0 ? SENSITIVE_EXTENSIONS.get(base.slice(dot + 1)) : undefined;
  return byExt ? why(byExt) : undefined;
}

/** Language ids by extension: the six tree-sitter grammars first, then VS Code language ids. */
const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['js', 'javascript'], ['mjs', 'javascript'], ['cjs', 'javascript'], ['jsx', 'javascript'],
  ['ts', 'typescript'], ['mts', 'typescript'], ['cts', 'typescript'], ['tsx', 'tsx'],
  ['py', 'python'], ['pyi', 'python'], ['go', 'go'], ['java', 'java'],
  ['rb', 'ruby'], ['rs', 'rust'], ['c', 'c'], ['h', 'c'], ['cc', 'cpp'], ['cpp', 'cpp'], ['cxx', 'cpp'],
  ['hh', 'cpp'], ['hpp', 'cpp'], ['hxx', 'cpp'], ['cs', 'csharp'], ['fs', 'fsharp'], ['php', 'php'],
  ['kt', 'kotlin'], ['kts', 'kotlin'], ['swift', 'swift'], ['scala', 'scala'], ['m', 'objective-c'],
  ['mm', 'objective-cpp'], ['pl', 'perl'], ['pm', 'perl'], ['lua', 'lua'], ['r', 'r'], ['dart', 'dart'],
  ['ex', 'elixir'], ['exs', 'elixir'], ['clj', 'clojure'], ['hs', 'haskell'], ['ml', 'ocaml'],
  ['sh', 'shellscript'], ['bash', 'shellscript'], ['zsh', 'shellscript'], ['ps1', 'powershell'],
  ['yaml', 'yaml'], ['yml', 'yaml'], ['json', 'json'], ['jsonc', 'jsonc'], ['toml', 'toml'],
  ['tf', 'terraform'], ['hcl', 'hcl'], ['sql', 'sql'], ['graphql', 'graphql'], ['gql', 'graphql'],
  ['proto', 'proto3'], ['xml', 'xml'], ['html', 'html'], ['htm', 'html'], ['css', 'css'], ['scss', 'scss'],
  ['less', 'less'], ['md', 'markdown'], ['vue', 'vue'], ['svelte', 'svelte'], ['gradle', 'groovy'],
  ['groovy', 'groovy'], ['tfvars', 'terraform'], ['properties', 'properties'], ['ini', 'ini'], ['cfg', 'ini'],
  ['conf', 'properties'], ['cnf', 'ini'], ['config', 'xml'],
]);

/**
 * The language id of a file from its name: `.js .mjs .cjs .jsx` → `javascript`, `.ts .mts .cts` →
 * `typescript`, `.tsx` → `tsx`, `.py` → `python`, `.go` → `go`, `.java` → `java` (the ids the tree-sitter
 * grammars use); other known extensions map to VS Code language ids (`rust`, `shellscript`, `yaml`, ...),
 * `Dockerfile` → `dockerfile`, `Makefile` → `makefile`, `.env.example` and other environment templates →
 * `dotenv`, `.properties` → `properties`, `.ini`/`.cfg`/`.cnf` → `ini`, `.tfvars` → `terraform`; unknown extensions give the extension itself in
 * lower case, and a name without an extension gives `text`.
 */
export function languageOf(filePath: string): string {
  const base = filePath.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  if (base === 'dockerfile' || base === 'containerfile' || base.endsWith('.dockerfile')) return 'dockerfile';
  if (base === 'makefile' || base === 'gnumakefile') return 'makefile';
  if (isEnvTemplate(base)) return 'dotenv';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return 'text';
  const ext = base.slice(dot + 1);
  return LANGUAGE_BY_EXTENSION.get(ext) ?? ext;
}

/**
 * True when `base` (lower case) is an environment template: `.env.example`, `.env.sample`,
 * `.env.template`, `.env.dist`, `.env.defaults`, or `<name>.env.example` and the like. Templates are
 * committed on purpose and reviewed (with secrets redacted); `.env` itself is sensitive and never read.
 */
function isEnvTemplate(base: string): boolean {
  const m = /(?:^|\.)env\.([a-z]+)$/.exec(base);
  return m !== null && ENV_TEMPLATE_SUFFIXES.has(m[1]!);
}

/** True when a folder walk takes this file name as source code or configuration (extension list, known name, env template). */
export function isSourceFileName(fileName: string): boolean {
  const base = fileName.toLowerCase();
  if (SOURCE_FILE_NAMES.has(base) || base.endsWith('.dockerfile') || isEnvTemplate(base)) return true;
  const dot = base.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.has(base.slice(dot + 1));
}

/** True when `bytes` holds a NUL byte: the binary-file test git and GNU grep use. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.includes(0);
}

/** Reads at most the first 8 KB of a file and applies {@link looksBinary}. */
async function sniffBinary(absPath: string): Promise<boolean> {
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, BINARY_SNIFF_BYTES, 0);
    return looksBinary(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** One `.gitignore` (or `.git/info/exclude`): its rules and the folder they are relative to. */
interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

async function loadIgnoreLayer(dir: string, file: string): Promise<IgnoreLayer | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, ig: ignore().add(text) };
}

/** The folder holding `.git` at or above `start`, if any. */
async function findGitTop(start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    try {
      await stat(path.join(dir, '.git'));
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

/**
 * Git's verdict on `absPath` from a stack of ignore layers, shallowest first: the deepest layer with an
 * opinion (a pattern ignoring or re-including the path) decides, as in gitignore(5) "PATTERN FORMAT".
 */
function isIgnored(layers: IgnoreLayer[], absPath: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const rel = toPosix(path.relative(layer.dir, absPath));
    if (rel === '' || rel.startsWith('..')) continue;
    const r = layer.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

/**
 * Collects the reviewable files under `paths` (files or folders, absolute or relative to `root`;
 * an empty list means `root` itself).
 *
 * Folders are walked in name order, respecting every `.gitignore` from the repository top (the folder
 * holding `.git`) down, and `.git/info/exclude`. `.git`, `node_modules` and `.persona-review` folders are never entered
 * during a walk, but a folder named explicitly is walked even when it lies inside `node_modules` or is
 * gitignored (so `node_modules/some-pkg/lib` can be reviewed; that package's own nested `node_modules`
 * is still skipped, and `.gitignore` files above the named folder that exclude it are not applied inside
 * it). Build output such as `dist/` is walked unless a `.gitignore` excludes it. Symbolic links met in a
 * walk are not followed. From folders only source files are taken ({@link SOURCE_EXTENSIONS}, Dockerfiles,
 * Makefiles, or files matching an `include` glob); lockfiles and `*.min.js`/`*.min.css` are skipped as
 * generated.
 *
 * A file named explicitly is taken whatever its extension, gitignore status or include/exclude globs,
 * but the checks that protect the user still apply. Every file, named or found, is checked in this
 * order: sensitive name ({@link isSensitivePath}: reported in `skipped`, never opened), size over
 * `maxFileBytes`, NUL byte in the first 8 KB (binary). Results are de-duplicated, in the order found.
 *
 * Throws {@link InputError} when a path does not exist or lies outside `root`. Unreadable folders and
 * files (permissions) are reported in `skipped`, never thrown.
 */
export async function collectFiles(
  root: string,
  paths: string[],
  opts: CollectOptions = {},
): Promise<{ files: CollectedFile[]; skipped: SkippedFile[] }> {
  const absRoot = path.resolve(root);
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const includeIg = opts.include && opts.include.length > 0 ? ignore().add(opts.include) : undefined;
  const excludeIg = opts.exclude && opts.exclude.length > 0 ? ignore().add(opts.exclude) : undefined;
  const files: CollectedFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  let limitReported = false;

  const relOf = (abs: string): string => toPosix(path.relative(absRoot, abs));
  const full = (): boolean => {
    if (files.length < maxFiles) return false;
    if (!limitReported) {
      limitReported = true;
      skipped.push({ path: '.', reason: `file limit (${maxFiles}) reached: further files were not collected; review a smaller folder or raise the limit` });
    }
    return true;
  };

  /** The checks every candidate file goes through. `size` comes from the stat already made. */
  const consider = async (abs: string, size: number): Promise<void> => {
    const rel = relOf(abs);
    if (seen.has(rel)) return;
    seen.add(rel);
    const sensitive = isSensitivePath(rel);
    if (sensitive) {
      skipped.push({ path: rel, reason: sensitive });
      return;
    }
    if (size > maxFileBytes) {
      skipped.push({ path: rel, reason: `larger than ${formatBytes(maxFileBytes)} (${formatBytes(size)}); review a part of it with a selection` });
      return;
    }
    try {
      if (await sniffBinary(abs)) {
        skipped.push({ path: rel, reason: 'binary file' });
        return;
      }
    } catch (e) {
      skipped.push({ path: rel, reason: `could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    if (full()) return;
    files.push({ absPath: abs, path: rel });
  };

  // Ignore layers from the repository top down to root (root's own .gitignore included).
  const gitTop = await findGitTop(absRoot);
  const baseLayers: IgnoreLayer[] = [];
  if (gitTop) {
    const exclude = await loadIgnoreLayer(gitTop, path.join('.git', 'info', 'exclude'));
    if (exclude) baseLayers.push(exclude);
  }
  const chainTop = gitTop && !path.relative(gitTop, absRoot).startsWith('..') ? gitTop : absRoot;

  /** Ignore layers that apply inside `dir`: those of its ancestors from chainTop, and its own. */
  const layersFor = async (dir: string): Promise<IgnoreLayer[]> => {
    const chain: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      chain.unshift(d);
      if (d === chainTop || path.dirname(d) === d) break;
    }
    const layers = [...baseLayers];
    for (const d of chain) {
      const layer = await loadIgnoreLayer(d, '.gitignore');
      if (layer) layers.push(layer);
    }
    return layers;
  };

  const walk = async (dir: string, layers: IgnoreLayer[]): Promise<void> => {
    if (full()) return;
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch (e) {
      skipped.push({ path: relOf(dir) || '.', reason: `folder could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    const own = entries.includes('.gitignore') ? await loadIgnoreLayer(dir, '.gitignore') : undefined;
    const here = own ? [...layers, own] : layers;
    for (const name of entries) {
      if (full()) return;
      const abs = path.join(dir, name);
      const rel = relOf(abs);
      let st: Stats;
      try {
        st = await lstat(abs);
      } catch {
        continue; // vanished between readdir and lstat
      }
      if (st.isSymbolicLink()) {
        if (!isIgnored(here, abs, false)) skipped.push({ path: rel, reason: 'symbolic link (not followed in folder walks; name it explicitly to review its target)' });
        continue;
      }
      if (st.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(name)) continue;
        if (isIgnored(here, abs, true)) continue;
        if (excludeIg?.ignores(`${rel}/`)) continue;
        await walk(abs, here);
        continue;
      }
      if (!st.isFile()) continue;
      if (isIgnored(here, abs, false)) continue;
      if (excludeIg?.ignores(rel)) continue;
      const included = includeIg?.ignores(rel) ?? false;
      if (includeIg && !included) continue;
      // Sensitive files are reported whatever their extension, so the user learns why a file was not read.
      if (!included && !isSourceFileName(name) && !isSensitivePath(rel)) continue;
      const lower = name.toLowerCase();
      if (!included && GENERATED_FILE_NAMES.has(lower)) {
        if (!seen.has(rel)) skipped.push({ path: rel, reason: 'generated lockfile' });
        seen.add(rel);
        continue;
      }
      if (!included && /\.min\.(js|mjs|cjs|css)$/.test(lower)) {
        if (!seen.has(rel)) skipped.push({ path: rel, reason: 'minified (generated) file' });
        seen.add(rel);
        continue;
      }
      await consider(abs, st.size);
    }
  };

  const inputs = paths.length > 0 ? paths : ['.'];
  for (const input of inputs) {
    const abs = path.resolve(absRoot, input);
    const rel = relOf(abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new InputError(`${input}: outside the workspace root ${absRoot}; run the review from a folder that contains it, or pass a path inside ${absRoot}`);
    }
    let st: Stats;
    try {
      st = await stat(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new InputError(`${input}: no such file or folder (looked for ${abs}); check the spelling, or give a path relative to ${absRoot}`);
      }
      throw new InputError(`${input}: cannot be accessed (${code ?? String(e)}); check its permissions`);
    }
    if (st.isDirectory()) {
      const layers = await layersFor(abs);
      // A folder the user named is reviewed even if gitignored: drop the layers that exclude it.
      const applicable = layers.filter((l) => !isIgnored([l], abs, true));
      await walk(abs, applicable);
    } else if (st.isFile()) {
      // A named symlink is followed; the sensitive check applies to the target's name too.
      const target = await realpath(abs).catch(() => abs);
      const targetSensitive = target !== abs ? isSensitivePath(target) : undefined;
      if (targetSensitive) {
        if (!seen.has(rel)) skipped.push({ path: rel, reason: `link to a ${targetSensitive}` });
        seen.add(rel);
        continue;
      }
      await consider(abs, st.size);
    }
  }
  return { files, skipped };
}
