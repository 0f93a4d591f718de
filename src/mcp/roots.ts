/**
 * The folders the MCP server may read: the roots the client gives (MCP `roots/list`, specification
 * 2025-06-18 "Client features / Roots": `file://` URIs the server should operate within), or, when the
 * client gives none, the folder the server was started in. Every path a tool receives is resolved here
 * first; a path outside every root is refused with {@link OutsideRootsError}, symbolic links included
 * (a path is judged by where it really leads).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A path given to a tool lies outside the allowed roots. The message says which roots are allowed and what to do. */
export class OutsideRootsError extends Error {}

/** A path resolved inside a root: the root, the absolute path and the root-relative path (forward slashes). */
export interface RootedPath {
  root: string;
  abs: string;
  rel: string;
}

function real(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    // A path that does not exist yet: judge its nearest existing ancestor, then add the rest back.
    const parent = path.dirname(p);
    return parent === p ? p : path.join(real(parent), path.basename(p));
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The allowed roots and the checks on paths. */
export class RootGuard {
  private clientRoots: string[] | undefined;

  /** @param fallback the folder the server was started in, used while the client gives no roots */
  constructor(private readonly fallback: string) {}

  /**
   * Sets the client's roots from `roots/list` (URIs); only `file://` URIs count. An empty list means the
   * client gives none, and the fallback folder applies again. Returns the roots that were not usable.
   */
  setClientRoots(uris: string[]): string[] {
    const usable: string[] = [];
    const rejected: string[] = [];
    for (const uri of uris) {
      try {
        if (!uri.startsWith('file:')) throw new Error('not a file URI');
        usable.push(path.resolve(fileURLToPath(uri)));
      } catch {
        rejected.push(uri);
      }
    }
    this.clientRoots = usable.length > 0 ? usable : undefined;
    return rejected;
  }

  /** The roots in force (absolute paths), the client's or the fallback folder. */
  roots(): string[] {
    return this.clientRoots ?? [path.resolve(this.fallback)];
  }

  /** Where the roots come from, for messages. */
  describe(): string {
    const list = this.roots().join(', ');
    return this.clientRoots ? `the roots your MCP client gave (${list})` : `the folder the server was started in (${list}), since the client gave no roots`;
  }

  /**
   * Picks the root to work in: the one named by `root` (a root path, or a folder inside one), else the first.
   * Throws {@link OutsideRootsError} when `root` is not inside any root.
   */
  pickRoot(root?: string): string {
    if (!root) return this.roots()[0]!;
    const wanted = real(path.resolve(this.roots()[0]!, root));
    const found = this.roots().find((r) => inside(real(r), wanted));
    if (!found) throw this.outside(root);
    return found;
  }

  /**
   * Resolves `p` (absolute, or relative to `base`, default the first root) and checks that it, and where
   * it really leads through symbolic links, lies inside one root. Throws {@link OutsideRootsError} otherwise.
   */
  resolve(p: string, base?: string): RootedPath {
    const abs = path.resolve(base ?? this.roots()[0]!, p);
    const target = real(abs);
    for (const root of this.roots()) {
      const realRoot = real(root);
      if (inside(root, abs) && inside(realRoot, target)) {
        return { root, abs, rel: path.relative(root, abs).split(path.sep).join('/') || '.' };
      }
    }
    throw this.outside(p);
  }

  /**
   * Resolves several paths that must share one root (a review has one root). Throws {@link OutsideRootsError}
   * for a path outside every root or for paths in different roots.
   */
  resolveAll(paths: string[], base?: string): { root: string; rels: string[] } {
    const resolved = paths.map((p) => this.resolve(p, base));
    const root = resolved[0]?.root ?? base ?? this.roots()[0]!;
    const other = resolved.find((r) => r.root !== root);
    if (other) {
      throw new OutsideRootsError(`the paths lie in different roots (${root} and ${other.root}); review one root at a time`);
    }
    return { root, rels: resolved.map((r) => r.rel) };
  }

  private outside(p: string): OutsideRootsError {
    return new OutsideRootsError(
      `"${p}" is outside the folders this server may read. Persona Review reads files only inside ${this.describe()}. ` +
        'Pass a path inside one of them, or add the folder as a root in your MCP client (or start the server in it).',
    );
  }
}
