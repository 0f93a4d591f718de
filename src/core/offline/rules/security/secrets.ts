/**
 * Offline rules of the security pack about secrets in source (persona `security`): credential-named
 * variables, fields and keys given a constant string (`security/hardcoded-secret`), and the secrets the
 * redaction step found and replaced by `[REDACTED:<rule>]` markers (`security/secret-in-source`).
 *
 * CWE-798 (Use of Hard-coded Credentials), CWE-259 (Use of Hard-coded Password); OWASP Top 10 2021
 * A07:2021 (Identification and Authentication Failures), where CWE-798 is mapped.
 */
import type { ParsedLanguage, SyntaxNode } from '../../syntax';
import type { FileRule, OfflineRule, RuleHit } from '../../rule';
import { LANG, callArguments } from '../../lang';
import { ALL_LANGS, eachOfType, isGeneratedOrMinified, isTestLikePath, stringValue, words } from '../security-util';


/** Trailing words that qualify a credential name without changing what it is (`SECRET_KEY_HMAC`, `apiKeyProd`). */
const SECRET_QUALIFIERS = /^(hmac|jwt|prod|production|live|dev|staging|value|str|string|b64|base64|hex|raw|bytes|old|new|main|primary|secondary|v\d+)$/;

/**
 * True when an identifier names a credential: its last word (ignoring trailing numbers and qualifiers
 * such as `hmac`, `prod`, `b64`) is password/passwd/secret/token/credential, or the name ends in api key,
 * private key, secret key, access key and the like. `PASSWORD_RESET_PATH`, `tokenCount`, `secretName`
 * are not credentials.
 */
export function isSecretName(name: string): boolean {
  const w = words(name);
  while (w.length > 1 && (/^\d+$/.test(w[w.length - 1]!) || SECRET_QUALIFIERS.test(w[w.length - 1]!))) w.pop();
  const last = w[w.length - 1] ?? '';
  const prev = w[w.length - 2] ?? '';
  if (/^(password|passwd|pwd|passphrase|secret|token|apikey|credential|credentials)$/.test(last)) return true;
  if (last === 'pass' && prev !== '' && /^(db|user|admin|root|smtp|mail|ftp|redis|mysql|pg|postgres|database|ldap|proxy|login|auth)$/.test(prev)) return true;
  if (last === 'key' && /^(api|private|secret|access|signing|encryption|master|client)$/.test(prev)) return true;
  return false;
}

/** True when a literal looks like a real secret rather than a placeholder, label, key name or empty value. */
export function looksLikeSecretValue(v: string): boolean {
  if (v.length < 6 || /\n/.test(v)) return false;
  if ((v.match(/\s/g) ?? []).length >= 2 || /^[A-Za-z][A-Za-z ,.'!?:-]*$/.test(v)) return false; // prose: a label or message
  if (/^(x+|\*+|\.+|-+|_+|#+|0+)$/i.test(v)) return false;
  if (/change.?me|changeit|your[_-]?|example|placeholder|dummy|sample|fake|redacted|todo|fixme|^<.*>$|\$\{|\{\{|^%.*%$|^\$[A-Z_]+$|xxx|test|insert|replace|enter|default|secret_key_here|^none$|^null$|^undefined$/i.test(v)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(v)) return false; // an environment variable name
  if (/^[A-Za-z]+([._:/-][A-Za-z]+)*$/.test(v)) return false; // words: a key name, header or label
  if (/^(https?:)?\/\//.test(v) && !/:[^/@]+@/.test(v)) return false;
  if (/^\.?\.?\//.test(v)) return false; // a path
  if (/%[sdv]|\{\}/.test(v)) return false; // a format string
  if (/^#[0-9a-f]{3,8}$/i.test(v)) return false; // a colour
  if (/\\[dwsbDWSB]|^\^|\[\^|\(\?|\$$/.test(v)) return false; // a regular expression
  return true;
}

function secretNameOf(n: SyntaxNode, lang: ParsedLanguage): { nameNode: SyntaxNode; value: SyntaxNode } | undefined {
  const nameOfTarget = (t: SyntaxNode | null): SyntaxNode | null => {
    if (!t) return null;
    // `config['API_KEY'] = ...`, `app.config["SECRET_KEY"] = ...`: the string index is the name.
    if (t.type === 'subscript' || t.type === 'subscript_expression') {
      const idx = t.childForFieldName('subscript') ?? t.childForFieldName('index');
      return idx && LANG[lang].string.includes(idx.type) ? idx : null;
    }
    if (t.type === 'identifier' || t.type === 'property_identifier' || t.type === 'field_identifier') return t;
    if (t.type === 'member_expression') return t.childForFieldName('property');
    if (t.type === 'attribute') return t.childForFieldName('attribute');
    if (t.type === 'selector_expression') return t.childForFieldName('field');
    if (t.type === 'field_access') return t.childForFieldName('field');
    return null;
  };
  let nameNode: SyntaxNode | null = null;
  let value: SyntaxNode | null = null;
  switch (n.type) {
    case 'variable_declarator':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value');
      break;
    case 'public_field_definition':
    case 'field_definition':
      nameNode = n.childForFieldName('name') ?? n.childForFieldName('property');
      value = n.childForFieldName('value');
      break;
    case 'assignment_expression':
    case 'assignment':
      nameNode = nameOfTarget(n.childForFieldName('left'));
      value = n.childForFieldName('right');
      break;
    case 'pair': {
      const k = n.childForFieldName('key');
      // A Python dict key that is an identifier is a variable, not a name (`{Token: '#fff'}`).
      if (lang === 'python' && k?.type !== 'string') return undefined;
      nameNode = k;
      value = n.childForFieldName('value');
      break;
    }
    case 'keyword_argument':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value');
      break;
    case 'const_spec':
    case 'var_spec':
      nameNode = n.childForFieldName('name');
      value = n.childForFieldName('value')?.namedChildren[0] ?? null;
      break;
    case 'short_var_declaration':
    case 'assignment_statement': {
      const l = n.childForFieldName('left')?.namedChildren ?? [];
      const r = n.childForFieldName('right')?.namedChildren ?? [];
      if (l.length === 1 && r.length === 1) {
        nameNode = nameOfTarget(l[0] ?? null);
        value = r[0] ?? null;
      }
      break;
    }
    case 'keyed_element': {
      const k = n.childForFieldName('key') ?? n.namedChildren[0] ?? null;
      const v = n.childForFieldName('value') ?? n.namedChildren[1] ?? null;
      nameNode = k?.namedChildren[0] ?? k;
      value = v?.namedChildren[0] ?? v;
      break;
    }
    default:
      return undefined;
  }
  if (!nameNode || !value) return undefined;
  if (!LANG[lang].string.includes(value.type)) return undefined;
  return { nameNode, value };
}

const SECRET_SITES = [
  'variable_declarator', 'public_field_definition', 'field_definition', 'assignment_expression', 'assignment', 'pair',
  'keyword_argument', 'const_spec', 'var_spec', 'short_var_declaration', 'assignment_statement', 'keyed_element',
  'binary_expression', 'comparison_operator', 'method_invocation',
];

const hardcodedSecret: FileRule = {
  kind: 'file',
  id: 'security/hardcoded-secret',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Hard-coded credential',
  description:
    'Flags variables, fields, object keys and keyword arguments named like a credential (`password`, `secret`, `token`, `apiKey`, `private_key`, `client_secret`, ...) that are given a constant string literal, and comparisons of such names with a literal. Secrets in source end up in version control, builds and logs, and cannot be rotated without a release. Read them from the environment or a secret manager. Placeholders, empty values, key names and test files are ignored.',
  references: ['CWE-798', 'CWE-259', 'OWASP A07:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const envFix =
      lang === 'python'
        ? 'Read it from the environment (`os.environ["NAME"]`) or a secret manager, and rotate the value that was committed.'
        : lang === 'go'
          ? 'Read it from the environment (`os.Getenv("NAME")`) or a secret manager, and rotate the value that was committed.'
          : lang === 'java'
            ? 'Read it from the environment (`System.getenv("NAME")`), configuration outside the code, or a secret manager, and rotate the value that was committed.'
            : 'Read it from the environment (`process.env.NAME`) or a secret manager, and rotate the value that was committed.';
    eachOfType(file.root, SECRET_SITES, (n) => {
      const found = secretNameOf(n, lang);
      if (found) {
        const nameText = LANG[lang].string.includes(found.nameNode.type) ? stringValue(found.nameNode, lang) ?? '' : found.nameNode.text;
        const val = stringValue(found.value, lang);
        if (val !== undefined && isSecretName(nameText) && looksLikeSecretValue(val)) {
          hits.push({
            node: found.nameNode,
            message: `\`${nameText}\` is set to a hard-coded string literal. Anyone with access to the source, a build or a stack dump has this credential, and it cannot be rotated without a release. ${envFix}`,
            suggestion: { description: envFix },
          });
        }
        return true;
      }
      // `password === "..."`, `password.equals("...")`: a credential check against a constant.
      if ((n.type === 'binary_expression' || n.type === 'comparison_operator') && /^(===|==|!=|!==)$/.test(n.children.find((c) => c && !c.isNamed)?.text ?? '')) {
        const [a, b] = [n.namedChildren[0], n.namedChildren[1]];
        for (const [id, lit] of [[a, b], [b, a]] as const) {
          if (!id || !lit) continue;
          const target = id.type === 'member_expression' ? id.childForFieldName('property') : id.type === 'attribute' ? id.childForFieldName('attribute') : id.type === 'selector_expression' ? id.childForFieldName('field') : id;
          const val = stringValue(lit, lang);
          if (target && /identifier$/.test(target.type) && val !== undefined && isSecretName(target.text) && looksLikeSecretValue(val)) {
            hits.push({ node: target, title: 'Credential compared with a hard-coded value', message: `\`${target.text}\` is checked against a hard-coded string literal: a built-in credential that every copy of this code accepts. ${envFix}`, suggestion: { description: envFix } });
            break;
          }
        }
      } else if (lang === 'java' && n.type === 'method_invocation' && n.childForFieldName('name')?.text === 'equals') {
        const obj = n.childForFieldName('object');
        const arg = callArguments(n)[0];
        const pairs: Array<[SyntaxNode | null | undefined, SyntaxNode | undefined]> = [[obj, arg], [arg, obj ?? undefined]];
        for (const [id, lit] of pairs) {
          const val = lit ? stringValue(lit, lang) : undefined;
          if (id?.type === 'identifier' && val !== undefined && isSecretName(id.text) && looksLikeSecretValue(val)) {
            hits.push({ node: id, title: 'Credential compared with a hard-coded value', message: `\`${id.text}\` is checked against a hard-coded string literal: a built-in credential that every copy of this code accepts. ${envFix}`, suggestion: { description: envFix } });
            break;
          }
        }
      }
      return true;
    });
    return hits;
  },
};

// ---------------------------------------------------------------------------------------------
// Secrets found by redaction

/**
 * The context build replaces every secret secretlint (or the generic credential check) finds with
 * `[REDACTED:<rule>]` before any rule or model sees the code (src/core/redact.ts). This rule turns each
 * such marker in a string literal or comment back into a finding, so a secret is reported where it is
 * even though its value never reaches the report.
 */
const REDACTION_MARKER = /\[REDACTED:([a-z0-9-]+)\]/;
const redactedSecret: FileRule = {
  kind: 'file',
  id: 'security/secret-in-source',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'hardcoded-secret',
  title: 'Secret in source code',
  description:
    'Reports secrets that the redaction step found (secretlint\'s recommended rules: cloud and API keys, tokens, private keys, credentials in URLs, and credential-named assignments). The value is replaced before review, so it is never shown or sent. A committed secret must be rotated; then read it from the environment or a secret manager.',
  references: ['CWE-798', 'OWASP A07:2021'],
  confidence: 0.9,
  check(file) {
    const hits: RuleHit[] = [];
    const types = [...LANG[file.language].string, ...LANG[file.language].comment];
    eachOfType(file.root, types, (n) => {
      const m = REDACTION_MARKER.exec(n.text);
      if (m) {
        const fix = 'Rotate this secret (it is in version control), then load it from the environment or a secret manager.';
        hits.push({ node: n, message: `A secret (\`${m[1]}\`) is written here. Its value was redacted before this review, so it was not sent anywhere, but anyone with the source or a build has it.`, suggestion: { description: fix } });
      }
      return false;
    });
    return hits;
  },
};

/** Skips test, fixture and example files and minified or generated files (see security.ts `productionOnly`). */
function productionOnly(rule: FileRule): FileRule {
  return {
    ...rule,
    check(file, project) {
      const p = file.file.path;
      if (isTestLikePath(project.relativeToReview(p)) || project.testFiles.includes(p) || isGeneratedOrMinified(file)) return [];
      return rule.check(file, project);
    },
  };
}

/** The rules of this family. */
export const rules: OfflineRule[] = [hardcodedSecret, redactedSecret].map(productionOnly);
