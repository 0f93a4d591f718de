/**
 * Rule family: insecure direct object reference (CWE-639, OWASP A01:2021): a request handler that
 * loads one record by an id taken from the request (`findById(req.params.id)`,
 * `Customer.query.get(id)`, `get_object_or_404(Order, pk=pk)`, `repository.findById(id)`) and never
 * checks it against the authenticated user, while other handlers of the application look records up
 * by the user's identity (`getByUserId(req.session.userId)`, `request.user.orders`), or while this
 * handler authenticates the caller (a login decorator, a token verification call) and then trusts the
 * id, or while it loads an account record (`User`, `Account`, `Profile`, `Customer`) by a client id in a
 * module that reads the logged-in user elsewhere (`req.user`). Any logged-in user can then read or
 * change another user's record by changing the id.
 *
 * The authenticated identity (`req.user`, the session's user id, `request.user`, `current_user`,
 * `getUserPrincipal()`) is tracked by the taint engine as a `principal` source.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { LANG } from '../../lang';
import { code } from '../../nodes';
import { flowsOf } from '../../taint';
import { describePath, requestFlows } from './flows';

/** A check against the authenticated identity inside a condition (`if (doc.ownerId !== req.user.id)`). */
const PRINCIPAL = /\b(req|request|ctx|self\.request)\.(user|session\.(user\w*|userId|user_id|uid|account\w*)|state\.user)\b|\bcurrent_user\b|\bget_jwt_identity\b|\bg\.user\b|\bsession\[['"](user\w*|uid|username|email)['"]\]|getUserPrincipal|getRemoteUser|SecurityContextHolder|\bPrincipal\b|\bres\.locals\.user\b|\bowner\w*\b|\bhas_perm\b|\bhasPermission\b|\bauthorize\w*\(|\bcan\(/;
/** Evidence that the handler authenticates the caller (so it knows who asks, and still trusts the id). */
const AUTHENTICATED = /\b\w*verify\w*\(\s*(token|jwt|auth\w*|access_token)\s*[,)]|verify_jwt|verify_token|jwt\.(decode|verify)|@login_required|login_required|@jwt_required|jwt_required|isAuthenticated|is_authenticated|@PreAuthorize|@Secured|requireAuth|ensureLoggedIn|passport\.authenticate/;

/** A lookup of an account-like record (`db.User.find`, `Customer.query.get`, `Account.objects.get`). */
const ACCOUNT_RECORD = /(^|[.\s])(User|Users|Account|Accounts|Profile|Profiles|Customer|Customers|Member|Members)([.(]|$)/;
/** The authenticated user read somewhere in the file (`req.user`, `request.user`, `current_user`, `getUserPrincipal()`). */
const READS_PRINCIPAL = /\breq\.user\b|\brequest\.user\b|\bcurrent_user\b|getUserPrincipal\(|\bctx\.state\.user\b/;

function enclosing(node: SyntaxNode, file: ParsedFile): SyntaxNode | null {
  const funcs = LANG[file.language].func;
  for (let p = node.parent; p; p = p.parent) if (funcs.includes(p.type)) return p;
  return null;
}

/** Function text with its decorators / annotations, without comments. */
function codeOf(fn: SyntaxNode, file: ParsedFile): string {
  const dec = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  let text = dec.text;
  for (const c of dec.descendantsOfType([...LANG[file.language].comment])) if (c) text = text.replace(c.text, '');
  return text;
}

/** True when a condition of the function compares something with the authenticated identity. */
function checksPrincipal(fn: SyntaxNode): boolean {
  for (const c of fn.descendantsOfType(['if_statement', 'elif_clause', 'ternary_expression', 'conditional_expression'])) {
    const cond = c?.childForFieldName('condition');
    if (cond && PRINCIPAL.test(cond.text)) return true;
  }
  return false;
}

/** True when some lookup of the file is keyed by the authenticated identity. */
function scopesLookups(file: ParsedFile): boolean {
  return flowsOf(file, 'lookup').some((f) => f.taint?.source.kind === 'principal' && !f.info?.identity);
}

function check(file: ParsedFile, project: ProjectIndex): RuleHit[] {
  const hits: RuleHit[] = [];
  // Lookups of the user by name or email (`identity`) are the client-controlled-authorization rule's.
  const flows = requestFlows(file, 'lookup', project).filter((f) => !f.info?.identity);
  if (!flows.length) return hits;
  const family = (l: string) => (l === 'typescript' || l === 'tsx' ? 'javascript' : l);
  let siblings: boolean | undefined;
  const siblingScopes = () => (siblings ??= project.parsed.some((p) => family(p.language) === family(file.language) && scopesLookups(p)));
  const seen = new Set<number>();
  for (const f of flows) {
    const fn = enclosing(f.node, file);
    if (!fn || seen.has(fn.id)) continue;
    if (checksPrincipal(fn)) continue;
    const authenticated = AUTHENTICATED.test(codeOf(fn, file));
    // An account record loaded by a client id in a module that knows who is logged in (`req.user` elsewhere):
    // the handler should have used the logged-in user's id.
    const account = !authenticated && ACCOUNT_RECORD.test(f.api) && READS_PRINCIPAL.test(file.file.text);
    if (!authenticated && !account && !siblingScopes()) continue;
    seen.add(fn.id);
    const fix = 'Load the record through the authenticated user (`where: { id, ownerId: req.user.id }`, `request.user.orders.get(pk=pk)`), or check that the record belongs to the user (or that the user may act on it) before using it.';
    hits.push({
      node: f.node,
      message: `${code(f.api)} loads a record by \`${String(f.info?.key ?? 'id')}\` from ${describePath(f.taint!)}, and nothing in this handler checks it against the authenticated user${authenticated ? ' (it only checks that the caller is logged in)' : account ? ' (this module knows the logged-in user, yet loads the account the client names)' : ', although other handlers of this application look records up by the user\'s identity'}. Any logged-in user can read or change someone else's record by changing the id. ${fix}`,
      suggestion: { description: fix },
    });
  }
  return hits;
}

/** The `security/idor` rule (see its `description`). */
export const idor: FileRule = {
  kind: 'file',
  id: 'security/idor',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'idor',
  title: 'Record loaded by a request id without an ownership check',
  description:
    'Flags request handlers that load one record by an id from the request (`findById(req.params.id)`, `Customer.query.get(id)`, `get_object_or_404(Order, pk=pk)`, `repository.findById(id)`) without checking it against the authenticated user, when other handlers of the application look records up by the user\'s identity, or when the handler authenticates the caller and then trusts the id. Any logged-in user can read or change another user\'s record by changing the id (insecure direct object reference).',
  references: ['CWE-639', 'OWASP A01:2021'],
  confidence: 0.6,
  check,
};
