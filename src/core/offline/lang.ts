/**
 * Language tables for the offline rules: which tree-sitter node types are calls, functions, loops,
 * string literals and so on in each grammar, plus small helpers over them. Node type names come from
 * the grammars in `@vscode/tree-sitter-wasm` (tree-sitter-javascript, -typescript, -python, -go, -java).
 */
import { ancestor, walk, PARSED_LANGUAGES, type ParsedLanguage, type SyntaxNode } from './syntax';

/** The JavaScript family: the languages of the JavaScript and TypeScript grammars. */
export const JS_LANGS = ['javascript', 'typescript', 'tsx'] as const;

/** True for the JavaScript family (javascript, typescript, tsx). */
export function isJs(lang: ParsedLanguage): boolean {
  return lang === 'javascript' || lang === 'typescript' || lang === 'tsx';
}

/** Every language with a grammar: the languages a rule for all of them lists. */
export const ALL_LANGS: readonly ParsedLanguage[] = PARSED_LANGUAGES;

interface LangTable {
  call: readonly string[];
  func: readonly string[];
  loop: readonly string[];
  string: readonly string[];
  /** String building: concatenation, template/f-strings, formatting calls are handled in isStringBuilding. */
  concat: readonly string[];
  template: readonly string[];
  tryCatch: readonly string[];
  catchClause: readonly string[];
  classDecl: readonly string[];
  comment: readonly string[];
}

const JS: LangTable = {
  call: ['call_expression', 'new_expression'],
  func: ['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function'],
  loop: ['for_statement', 'for_in_statement', 'while_statement', 'do_statement'],
  string: ['string', 'template_string'],
  concat: ['binary_expression'],
  template: ['template_string'],
  tryCatch: ['try_statement'],
  catchClause: ['catch_clause'],
  classDecl: ['class_declaration', 'class'],
  comment: ['comment'],
};

/** Node type tables per language. */
export const LANG: Record<ParsedLanguage, LangTable> = {
  javascript: JS,
  typescript: { ...JS, classDecl: [...JS.classDecl, 'abstract_class_declaration'] },
  tsx: { ...JS, classDecl: [...JS.classDecl, 'abstract_class_declaration'] },
  python: {
    call: ['call'],
    func: ['function_definition', 'lambda'],
    loop: ['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'],
    string: ['string', 'concatenated_string'],
    concat: ['binary_operator'],
    template: ['string'], // f-strings are `string` nodes with `interpolation` children
    tryCatch: ['try_statement'],
    catchClause: ['except_clause'],
    classDecl: ['class_definition'],
    comment: ['comment'],
  },
  go: {
    call: ['call_expression'],
    func: ['function_declaration', 'method_declaration', 'func_literal'],
    loop: ['for_statement'],
    string: ['interpreted_string_literal', 'raw_string_literal'],
    concat: ['binary_expression'],
    template: [],
    tryCatch: [],
    catchClause: [],
    classDecl: ['type_declaration'],
    comment: ['comment'],
  },
  java: {
    call: ['method_invocation', 'object_creation_expression'],
    func: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
    loop: ['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement'],
    string: ['string_literal', 'text_block'],
    concat: ['binary_expression'],
    template: [],
    tryCatch: ['try_statement', 'try_with_resources_statement'],
    catchClause: ['catch_clause'],
    classDecl: ['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration'],
    comment: ['line_comment', 'block_comment'],
  },
};

/** All nodes under `root` whose type is in `types`, in document order. */
export function nodesOfType(root: SyntaxNode, types: readonly string[]): SyntaxNode[] {
  if (types.length === 0) return [];
  return root.descendantsOfType([...types]).filter((n): n is SyntaxNode => n !== null);
}

/**
 * The callee of a call as dotted text (`child_process.exec`, `os.system`, `db.query`, `fmt.Sprintf`,
 * `stmt.executeQuery`), or '' when it is not a simple name or member chain. For Java method
 * invocations it is `object.name`; for `new X(...)` it is `new X`.
 */
export function calleeName(call: SyntaxNode, lang: ParsedLanguage): string {
  if (call.type === 'new_expression') return `new ${call.childForFieldName('constructor')?.text ?? ''}`;
  if (call.type === 'object_creation_expression') return `new ${call.childForFieldName('type')?.text ?? ''}`;
  if (lang === 'java' && call.type === 'method_invocation') {
    const obj = call.childForFieldName('object');
    const name = call.childForFieldName('name')?.text ?? '';
    return obj ? `${compact(obj.text)}.${name}` : name;
  }
  const fn = call.childForFieldName('function');
  return fn ? compact(fn.text) : '';
}

function compact(s: string): string {
  return /^[\w$.]+$/.test(s) ? s : s.replace(/\s+/g, ' ');
}

/** The last segment of a callee name (`query` for `db.pool.query`). */
export function calleeMethod(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

/** Argument nodes of a call (named children of its argument list), in order. */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments') ?? call.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'arguments') ?? null;
  return args ? args.namedChildren.filter((c): c is SyntaxNode => c !== null && !c.type.includes('comment')) : [];
}

/** True when `node` is inside a loop of its language, without crossing a function boundary. */
export function inLoop(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode | null {
  const t = LANG[lang];
  for (let p = node.parent; p; p = p.parent) {
    if (t.func.includes(p.type)) return null;
    if (t.loop.includes(p.type)) return p;
  }
  return null;
}

/** The function node enclosing `node`, or null at top level. */
export function enclosingFunction(node: SyntaxNode, lang: ParsedLanguage): SyntaxNode | null {
  return ancestor(node, LANG[lang].func);
}

/** True for a plain string literal with no interpolation (safe, constant text). */
export function isConstantString(node: SyntaxNode, lang: ParsedLanguage): boolean {
  if (!LANG[lang].string.includes(node.type)) return false;
  if (node.type === 'template_string') return !node.namedChildren.some((c) => c?.type === 'template_substitution');
  if (lang === 'python' && node.type === 'string') return !node.namedChildren.some((c) => c?.type === 'interpolation');
  return true;
}

/**
 * True when `node` builds a string from non-constant parts: concatenation involving a string and a
 * non-literal, a template literal or f-string with substitutions, `%`/`.format()` on a string in
 * Python, `fmt.Sprintf` in Go, `String.format` in Java.
 */
export function isStringBuilding(node: SyntaxNode, lang: ParsedLanguage): boolean {
  const t = LANG[lang];
  if (node.type === 'template_string') return node.namedChildren.some((c) => c?.type === 'template_substitution');
  if (lang === 'python' && node.type === 'string') return node.namedChildren.some((c) => c?.type === 'interpolation');
  if (t.concat.includes(node.type)) {
    const op = node.childForFieldName('operator')?.text ?? node.children.find((c) => c && !c.isNamed)?.text;
    if (op !== '+' && !(lang === 'python' && op === '%')) return false;
    let hasString = false;
    let hasDynamic = false;
    walk(node, (n) => {
      if (t.string.includes(n.type)) {
        hasString = true;
        if (!isConstantString(n, lang)) hasDynamic = true;
        return false;
      }
      if (n !== node && !t.concat.includes(n.type) && n.type !== 'parenthesized_expression') {
        hasDynamic = true;
        return false;
      }
      return true;
    });
    return hasString && hasDynamic;
  }
  if (t.call.includes(node.type)) {
    const name = calleeName(node, lang);
    if (lang === 'go' && /^fmt\.Sprint/.test(name)) return callArguments(node).length > 1;
    if (lang === 'java' && /(^|\.)String\.format$|\.formatted$/.test(name)) return true;
    if (lang === 'python' && /\.format$/.test(name)) return true;
  }
  return false;
}

/** 1-based line range of a node. */
export function lineRange(node: SyntaxNode): { startLine: number; endLine: number } {
  return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

/** Name of a function-like node (`foo` for `function foo`, method name, or the variable an arrow is assigned to), '' if anonymous. */
export function functionName(fn: SyntaxNode): string {
  const name = fn.childForFieldName('name');
  if (name) return name.text;
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator' || parent?.type === 'pair' || parent?.type === 'assignment_expression') {
    return (parent.childForFieldName('name') ?? parent.childForFieldName('key') ?? parent.childForFieldName('left'))?.text ?? '';
  }
  return '';
}
