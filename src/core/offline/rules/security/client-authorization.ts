/**
 * Rule family: authorization or identity decided by a client-controlled value (CWE-807 "Reliance on
 * Untrusted Inputs in a Security Decision", CWE-565 "Reliance on Cookies without Validation and
 * Integrity Checking", CWE-290 "Authentication Bypass by Spoofing", CWE-639; OWASP A01:2021).
 *
 * Two shapes, both followed by the taint engine from the request read to the decision:
 * - a branch that grants or denies (one side returns, raises or responds) on a comparison of an
 *   unsigned cookie, or of a header any client can set (`User-Agent`, `X-Forwarded-For`, `X-Real-IP`,
 *   `Host`/`X-Host`/`X-Forwarded-Host`, `Referer`, `X-User`/`X-Role`/`X-Admin`...), with a constant that
 *   names a privilege or a trusted origin (`admin`, `role`, `staff`, `localhost`, `127.0.0.1`, a
 *   private address): `if request.COOKIES.get('admin') == "1"`, `if ip == '127.0.0.1'` with `ip` from
 *   `X-Forwarded-For`, `if (req.get('User-Agent') === 'internal-admin')`;
 * - a database lookup of the user (a key named like a user id, user name, email or account) by an
 *   unsigned cookie: `authLogin.objects.filter(userid=request.COOKIES['userid'])`, whoever sets the
 *   cookie is that user.
 *
 * Signed cookies (`get_signed_cookie`, Tornado `get_secure_cookie`, Express `req.signedCookies`) and
 * framework sessions are not client-controlled and are not reported; nor are comparisons with values
 * that grant nothing (`Content-Type == 'application/json'`, `X-Requested-With`), nor branches where no
 * side returns, raises or responds (a log line that depends on the address).
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { code } from '../../nodes';
import type { Flow } from '../../taint';
import { USER_KEY } from '../../taint/models/common';
import { describePath, requestFlows } from './flows';

/** Where a request value was read from: an unsigned cookie or a named header. */
export interface ClientChannel {
  kind: 'cookie' | 'header';
  /** Cookie or header name, lower case (`admin`, `x-forwarded-for`), '' when the read names none. */
  name: string;
}

/** Reads of signed cookies: the server signed them, the client cannot forge them. */
const SIGNED = /signed_?cookie|signedCookies|secure_cookie|getSignedCookie/i;
/** A cookie read: Django `COOKIES`, Flask/Express/Koa `cookies`, Java `getCookies()`, Go `r.Cookie("x")`, Tornado `get_cookie`. */
const COOKIE = /\bcookies?\b|COOKIES|getCookies|\.Cookie\(|get_cookie|cookie\(/i;
/** A header read: `headers`, Django `META['HTTP_...']`, `getHeader`, Express `req.get`/`req.header`, Go `Header.Get`. */
const HEADER = /\bheaders?\b|\bMETA\b|getHeader|get_header|\bHeader\.Get\b|^(req|request|ctx)\.(get|header)\(/i;

/**
 * Headers any client sets to any value (RFC 9110 User-Agent, Host, Referer; the de-facto proxy headers
 * X-Forwarded-For/-Host, X-Real-IP, Forwarded, which a proxy appends to but does not clear unless
 * configured to), and custom identity headers (`X-User`, `X-Role`, `X-Admin`).
 */
const SPOOFABLE_HEADER = /^(user-agent|host|x-host|x-forwarded-host|x-original-host|referer|referrer|origin|forwarded|x-forwarded-for|x-real-ip|x-client-ip|client-ip|true-client-ip|x-cluster-client-ip|x-originating-ip|x-remote-addr|x-remote-ip|x-(remote-|forwarded-|auth-)?user(-?(id|name))?|x-(user-)?roles?|x-admin|x-is-admin|x-internal|x-api-user|x-account(-id)?)$/;

/** Words that make a compared constant, cookie, header or variable a privilege or a trusted origin. */
const PRIVILEGE = /admin|root|superuser|super_user|staff|role|privileg|owner|manager|moderator|trusted|internal|localhost|elevat|sudo/i;
/** A loopback or private IPv4/IPv6 address (RFC 1918, RFC 4193): an allow-listed origin. */
const TRUSTED_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|0\.0\.0\.0|fc00:.*|fd\w{2}:.*)$/i;


/**
 * The channel of a request source label (`request.COOKIES.get('admin')` → cookie `admin`;
 * `request.META["HTTP_USER_AGENT"]` → header `user-agent`; `req.headers['x-forwarded-for']`), or
 * undefined for other input and for signed cookies.
 */
export function clientChannel(label: string): ClientChannel | undefined {
  if (SIGNED.test(label)) return undefined;
  const quoted = /\(\s*['"]([\w.-]+)['"]|\[\s*['"]([\w.-]+)['"]\s*\]/.exec(label);
  const dotted = /(?:cookies|headers)\.([A-Za-z_$][\w$]*)/.exec(label);
  const name = (quoted?.[1] ?? quoted?.[2] ?? dotted?.[1] ?? '').toLowerCase();
  if (COOKIE.test(label)) return { kind: 'cookie', name };
  if (HEADER.test(label)) return { kind: 'header', name: name.replace(/^http_/, '').replace(/_/g, '-') };
  return undefined;
}

/** The `if` (or `elif`) whose condition contains `node`, with its branches, or undefined. */
function guardedBranches(node: SyntaxNode): SyntaxNode[] | undefined {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (/^(if_statement|elif_clause)$/.test(p.type)) {
      const cond = p.childForFieldName('condition');
      if (!cond || cond.startIndex > child.startIndex || cond.endIndex < child.endIndex) return undefined;
      const out: SyntaxNode[] = [];
      for (const f of ['consequence', 'alternative']) for (const b of p.childrenForFieldName(f)) if (b) out.push(b);
      // A Python `if` ending in `elif`s: their bodies are later named children.
      if (p.type === 'if_statement') for (const c of p.namedChildren) if (c && /^(elif_clause|else_clause)$/.test(c.type) && !out.some((o) => o.id === c.id)) out.push(c);
      // An `elif`'s own siblings (the rest of the chain) decide too.
      if (p.type === 'elif_clause' && p.parent) for (const c of p.parent.namedChildren) if (c && c.id !== p.id && /^(elif_clause|else_clause)$/.test(c.type)) out.push(c);
      return out;
    }
    if (/statement$|^(function|method|lambda|arrow_function|class)/.test(p.type) && p.type !== 'expression_statement') return undefined;
  }
  return undefined;
}

/** True when some branch ends the request: returns, raises, throws, aborts, or writes a response. */
function decides(branches: SyntaxNode[]): boolean {
  return branches.some((b) => b.descendantsOfType(['return_statement', 'raise_statement', 'throw_statement']).length > 0 || /\b(abort|render|redirect|send|sendStatus|json|render_template|HttpResponse\w*|PermissionDenied)\s*\(/.test(b.text));
}

function authDecision(f: Flow): { channel: ClientChannel; evidence: string } | undefined {
  if (f.taint!.verified) return undefined;
  const ch = clientChannel(f.taint!.source.label);
  if (!ch) return undefined;
  if (ch.kind === 'header' && !SPOOFABLE_HEADER.test(ch.name)) return undefined;
  const op = String(f.info?.op ?? '');
  if (!/^(==|===|!=|!==|in|not in|is|is not)$/.test(op)) return undefined;
  const consts = String(f.info?.otherConst ?? '').split('|').filter(Boolean);
  if (!consts.length || f.info?.otherTainted) return undefined;
  const vars = f.taint!.path.map((s) => s.text);
  const ev = consts.find((c) => PRIVILEGE.test(c) || TRUSTED_ADDRESS.test(c)) ?? (PRIVILEGE.test(ch.name) ? `${ch.kind} ${ch.name}` : vars.find((v) => PRIVILEGE.test(v)));
  return ev ? { channel: ch, evidence: ev } : undefined;
}

function channelText(ch: ClientChannel): string {
  const name = ch.name ? ` ${code(ch.name)}` : '';
  return ch.kind === 'cookie' ? `the unsigned cookie${name}` : `the${name} header`;
}

function check(file: ParsedFile, project: Parameters<FileRule['check']>[1]): RuleHit[] {
  const hits: RuleHit[] = [];
  const fix =
    'Decide who the caller is and what they may do from server-side state: the authenticated session or a verified token (`request.user`, `req.session.userId`, a signed JWT), and the roles stored for that user. If a cookie must carry identity, sign it (`set_signed_cookie`/`get_signed_cookie`, `cookie-parser` secrets) and verify it; never trust `User-Agent`, `Host` or `X-Forwarded-For` for access (a proxy\'s client address only when the proxy is configured as trusted).';
  const seen = new Set<number>();
  for (const f of requestFlows(file, 'compare', project)) {
    const d = authDecision(f);
    if (!d) continue;
    const branches = guardedBranches(f.node);
    if (!branches || !decides(branches)) continue;
    const line = f.node.startPosition.row;
    if (seen.has(line)) continue;
    seen.add(line);
    hits.push({
      node: f.node,
      message: `Access is decided by comparing ${channelText(d.channel)} with ${code(String(f.info?.other ?? ''))}: ${describePath(f.taint!)} reaches the condition \`${f.node.text.replace(/\s+/g, ' ').slice(0, 80)}\`. Any client can send that value, so anyone gets what this branch grants. ${fix}`,
      suggestion: { description: fix },
    });
  }
  for (const f of requestFlows(file, 'lookup', project)) {
    const ch = f.taint!.verified ? undefined : clientChannel(f.taint!.source.label);
    const key = String(f.info?.key ?? '');
    if (ch?.kind !== 'cookie' || !USER_KEY.test(key)) continue;
    const line = f.node.startPosition.row;
    if (seen.has(line)) continue;
    seen.add(line);
    hits.push({
      node: f.node,
      message: `${code(f.api)} loads the user whose \`${key}\` is ${channelText(ch)}: ${describePath(f.taint!)}. The client chooses that value, so anyone can act as any user by editing the cookie. ${fix}`,
      suggestion: { description: fix },
    });
  }
  return hits;
}

/** The `security/client-controlled-authorization` rule (see its `description`). */
export const clientControlledAuthorization: FileRule = {
  kind: 'file',
  id: 'security/client-controlled-authorization',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java', 'go'],
  severity: 'high',
  category: 'authorization',
  title: 'Access decided by a client-controlled cookie or header',
  description:
    'Follows request values from unsigned cookies and from headers any client sets (`User-Agent`, `Host`, `X-Forwarded-For`, `X-Real-IP`, `Referer`, `X-User`, `X-Role`) into the conditions of branches that grant or deny (a side returns, raises or responds) when the value is compared with a privilege or a trusted origin (`admin`, `role`, `localhost`, `127.0.0.1`), and into database lookups of the user by such a cookie. The client sets these values, so anyone can claim to be an administrator, a local caller or another user. Signed cookies and the framework session are not reported.',
  references: ['CWE-807', 'CWE-565', 'CWE-290', 'CWE-639', 'OWASP A01:2021'],
  confidence: 0.75,
  check,
};
