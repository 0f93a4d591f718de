/** `quality/vague-name`: placeholder and vague names. */
import { ancestor, type SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { describe } from './util';
import { isTestPath } from '../../paths';
import { ALL_LANGS, LANG } from '../../lang';

// Names that say nothing about what a function does (seed 000's own example is `process_data()`).
const VAGUE_WORDS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'thing', 'things', 'dostuff', 'dosomething', 'dothing', 'doit', 'dowork', 'temp', 'tmp', 'blah', 'asdf', 'whatever', 'misc', 'func', 'fn1', 'test1', 'mything', 'mystuff', 'handlethings', 'processdata', 'processinfo', 'processstuff', 'processthings', 'handledata', 'handleinfo', 'dodata', 'managedata', 'managestuff', 'dataprocess', 'getstuff', 'getthing', 'obj', 'val', 'helper', 'util', 'utils']);
// Parameter names that say nothing about the value (plain `data`, `value`, `item` are often fine for parameters).
const VAGUE_PARAMS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'blah', 'asdf', 'whatever', 'tmp', 'xxx']);
// Verb + vague noun names are the author's choice for free functions, but for methods they are often
// fixed by a framework (`HTMLParser.handle_data`), so methods are held only to the placeholder words.
const PLACEHOLDER_WORDS = new Set(['foo', 'bar', 'baz', 'qux', 'stuff', 'thing', 'things', 'dostuff', 'dosomething', 'dothing', 'doit', 'blah', 'asdf', 'whatever', 'mything', 'mystuff']);

function normaliseName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** Parameter name nodes of a function (identifiers only; destructuring patterns are skipped). */
function parameterNames(fn: SyntaxNode): SyntaxNode[] {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return [];
  if (params.type === 'identifier') return [params];
  const out: SyntaxNode[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    if (p.type === 'identifier') out.push(p);
    else {
      const nm = p.childForFieldName('pattern') ?? p.childForFieldName('name') ?? (p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? p.namedChildren[0] : null);
      if (nm?.type === 'identifier') out.push(nm);
    }
  }
  return out;
}

/** True for a method that overrides or implements another (its name is not the author's choice). */
function isOverride(fn: SyntaxNode): boolean {
  const mods = fn.namedChildren.find((c) => c?.type === 'modifiers');
  if (mods?.text.includes('@Override')) return true;
  return fn.children.some((c) => c?.type === 'override_modifier');
}

export const vagueName: FileRule = {
  kind: 'file',
  id: 'quality/vague-name',
  personas: ['reviewer'],
  languages: ALL_LANGS,
  severity: 'low',
  category: 'naming',
  title: 'Vague name',
  description:
    'Reports functions named with placeholder or catch-all words (`foo`, `doStuff`, `processData`, `handleData`, `helper`; methods only for placeholders such as `foo`/`doStuff`, since frameworks fix many method names; nested closures are skipped) and parameters named `foo`, `tmp`, `stuff` and the like. ' +
    'A name that says nothing about the job forces every reader to open the body. Rename after what it computes or does.',
  references: [],
  confidence: 0.7,
  // A naming opinion: reported at depth `thorough` only.
  depth: 'thorough',
  check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
    if (isTestPath(project.relativeToReview(file.file.path))) return [];
    const hits: RuleHit[] = [];
    for (const fn of file.root.descendantsOfType([...LANG[file.language].func])) {
      if (!fn) continue;
      const nameNode = fn.childForFieldName('name');
      // Closures inside another function (decorator wrappers, local helpers) are out of scope.
      const nested = ancestor(fn, LANG[file.language].func) !== null;
      const isMethod = ['method_definition', 'method_declaration'].includes(fn.type) || (fn.type === 'function_definition' && ancestor(fn, ['class_definition']) !== null);
      const words = isMethod ? PLACEHOLDER_WORDS : VAGUE_WORDS;
      if (nameNode && !nested && words.has(normaliseName(nameNode.text)) && !isOverride(fn)) {
        hits.push({
          node: nameNode,
          message: `The function name \`${nameNode.text}\` does not say what it does: a reader has to open the body to find out, and a caller cannot tell whether it is the right function to call.`,
          suggestion: { description: `Rename \`${nameNode.text}\` after the result it produces or the effect it has (for example \`parseInvoice\`, \`normaliseAddress\`, \`sendWelcomeEmail\`).` },
        });
      }
      for (const p of parameterNames(fn)) {
        if (!VAGUE_PARAMS.has(normaliseName(p.text))) continue;
        hits.push({
          node: p,
          message: `The parameter \`${p.text}\` of ${describe(fn)} is a placeholder name: it does not tell the caller what to pass or the reader what the value means.`,
          suggestion: { description: `Rename \`${p.text}\` after what the value is (\`invoice\`, \`retryCount\`, \`userId\`).` },
        });
      }
    }
    return hits;
  },
};
