/**
 * Tree-sitter parsing for the offline provider: web-tree-sitter (WebAssembly) with the prebuilt
 * grammars of `@vscode/tree-sitter-wasm` (the grammars VS Code itself ships).
 *
 * Grammar files are looked up first in `<bundle dir>/grammars/` (the esbuild script copies them there,
 * so the .vsix and `dist/cli.js` need no node_modules) and then in the installed package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

/** Languages with a grammar and offline rules. */
export const PARSED_LANGUAGES = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'] as const;
/** One of {@link PARSED_LANGUAGES}. */
export type ParsedLanguage = (typeof PARSED_LANGUAGES)[number];

/** True when `language` (a SourceFile.language) has a grammar here. */
export function isParsedLanguage(language: string): language is ParsedLanguage {
  return (PARSED_LANGUAGES as readonly string[]).includes(language);
}

function findAsset(bundled: string, packaged: () => string): string {
  const local = path.join(__dirname, bundled);
  if (fs.existsSync(local)) return local;
  return packaged();
}

let initialised: Promise<void> | undefined;
const languages = new Map<ParsedLanguage, Promise<Language>>();

/** Loads the tree-sitter runtime once. Throws if `web-tree-sitter.wasm` cannot be found or instantiated. */
function init(): Promise<void> {
  initialised ??= Parser.init({
    locateFile: (name: string) =>
      findAsset(name, () => require.resolve(`web-tree-sitter/${name}`)),
  });
  return initialised;
}

/** Loads (once) the grammar for `language`. Throws when the grammar file is missing. */
export async function loadLanguage(language: ParsedLanguage): Promise<Language> {
  await init();
  let lang = languages.get(language);
  if (!lang) {
    const file = `tree-sitter-${language}.wasm`;
    const wasm = findAsset(path.join('grammars', file), () => require.resolve(`@vscode/tree-sitter-wasm/wasm/${file}`));
    lang = Language.load(wasm);
    languages.set(language, lang);
  }
  return lang;
}

const parsers = new Map<ParsedLanguage, Parser>();

/**
 * Parses `text` as `language`. The caller must call `tree.delete()` when done (WebAssembly memory is
 * not garbage-collected). Syntax errors do not throw: tree-sitter recovers and marks ERROR nodes.
 */
export async function parse(text: string, language: ParsedLanguage): Promise<Tree> {
  let parser = parsers.get(language);
  if (!parser) {
    const lang = await loadLanguage(language);
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(language, parser);
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${language} file`);
  return tree;
}

/** Depth-first walk over named descendants of `node` (including `node`), calling `visit` on each.
 * Returning `false` from `visit` skips that node's children. Iterative: safe on deep trees. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
}

/** Nearest ancestor of `node` (excluding itself) whose type is in `types`, or null. */
export function ancestor(node: Node, types: readonly string[]): Node | null {
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}
