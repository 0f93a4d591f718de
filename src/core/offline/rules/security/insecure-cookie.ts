/**
 * Rule family: insecure cookie flags (CWE-614 Secure, CWE-1004 HttpOnly; OWASP A05:2021). Flags session
 * and authentication cookies set without `Secure` (sent over plain HTTP, readable on the network) or
 * with `HttpOnly` turned off (readable by any script on the page): Express `res.cookie`, `express-session`
 * / `cookie-session` options, Flask/Django `set_cookie` and settings (also `app.config[...]`), aiohttp_session storages created with `httponly=False` or `secure=False`, servlet `Cookie.setSecure(false)`
 * (or a cookie added without `setSecure(true)`), Go `http.Cookie` literals. A write that clears the
 * cookie (empty or null value, zero or negative max-age, an expiry at the epoch) is not reported.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, enclosingFunction, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue } from '../../nodes';
import { resolvedCallee } from '../../bindings';

/** Django and Flask settings that set a session, CSRF or remember-me cookie's flags (Django settings reference; Flask and Flask-Login configuration). */
const SETTING_FLAG = /^(SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|REMEMBER_COOKIE_SECURE|REMEMBER_COOKIE_HTTPONLY)$/;

/** Cookie names that carry a session or a credential. */
const AUTH_COOKIE = /sess|sid|token|auth|jwt|remember|login|user|account|credential|connect\.sid/i;

function prop(obj: SyntaxNode | undefined, key: string): SyntaxNode | undefined {
  if (!obj) return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type !== 'pair' && p?.type !== 'keyed_element') continue;
    const k = p.type === 'pair' ? p.childForFieldName('key') : p.namedChildren[0]?.namedChildren[0] ?? p.namedChildren[0];
    const kt = k?.type === 'string' ? k.text.slice(1, -1) : k?.text;
    if (kt === key) return (p.type === 'pair' ? p.childForFieldName('value') : p.namedChildren[1]?.namedChildren[0] ?? p.namedChildren[1]) ?? undefined;
  }
  return undefined;
}

function isFalse(n: SyntaxNode | undefined): boolean {
  return !!n && /^(false|False)$/.test(n.text);
}

function kwarg(call: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const a of callArguments(call)) if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  return undefined;
}

/**
 * True when a cookie write clears the cookie rather than storing a value: the value is `None`/`null`/
 * `undefined` or the empty string, or the cookie expires at once (`max_age=0`, `maxAge: 0`,
 * `expires` at the epoch: `0`, `new Date(0)`, `datetime.fromtimestamp(0)`). A cleared cookie carries no
 * session or credential, so its flags protect nothing (CWE-614 and CWE-1004 are about exposing a
 * cookie's value). `value` is the value node, `lifetime` the nodes of the max-age/expires options.
 */
function clearsCookie(value: SyntaxNode | undefined, lifetime: Array<SyntaxNode | undefined>): boolean {
  if (value && /^(None|null|undefined|''|""|``)$/.test(value.text.trim())) return true;
  return lifetime.some((n) => !!n && /^(0|-\d+|new Date\(\s*0\s*\)|(datetime\.)?datetime\.fromtimestamp\(\s*0\s*\)|["']Thu, 01 Jan 1970[^"']*["'])$/.test(n.text.trim()));
}

const FIX = 'Set `Secure` (cookies only over HTTPS) and `HttpOnly` (no script access) on session and authentication cookies, and a `SameSite` policy.';

function check(file: ParsedFile): RuleHit[] {
  const lang = file.language;
  const hits: RuleHit[] = [];
  const add = (node: SyntaxNode, what: string, missing: 'Secure' | 'HttpOnly' | 'Secure and HttpOnly') => {
    hits.push({ node, title: `Cookie without ${missing}`, message: `${what} Without \`Secure\` the cookie also travels over plain HTTP, where anyone on the network can read it; without \`HttpOnly\` any script injected into the page can steal it. ${FIX}`, suggestion: { description: FIX } });
  };
  if (isJs(lang)) {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      const args = callArguments(call);
      if (/^(express-session|cookie-session)$/.test(name) || /^(express-session|cookie-session)\.default$/.test(name)) {
        const opts = args[0]?.type === 'object' ? args[0] : undefined;
        const cookie = name.startsWith('cookie-session') ? opts : prop(opts, 'cookie');
        const secure = prop(cookie?.type === 'object' ? cookie : undefined, 'secure');
        const httpOnly = prop(cookie?.type === 'object' ? cookie : undefined, 'httpOnly');
        if (isFalse(secure) || isFalse(httpOnly)) add(call, `The session cookie is configured with ${isFalse(secure) ? '`secure: false`' : ''}${isFalse(secure) && isFalse(httpOnly) ? ' and ' : ''}${isFalse(httpOnly) ? '`httpOnly: false`' : ''}.`, isFalse(secure) && isFalse(httpOnly) ? 'Secure and HttpOnly' : isFalse(secure) ? 'Secure' : 'HttpOnly');
        else if (!secure && opts) add(call, `The session cookie options set no \`secure: true\` (express-session and cookie-session default to sending the cookie over HTTP too).`, 'Secure');
      } else if (/^(res|response|reply|ctx\.cookies)\.(cookie|set|setCookie)$/.test(name) && /cookie|set/i.test(name)) {
        const cname = args[0] ? stringValue(args[0], lang) : undefined;
        if (name.endsWith('.set') && !name.startsWith('ctx.cookies')) continue;
        if (!cname || !AUTH_COOKIE.test(cname)) continue;
        const opts = args.find((a) => a.type === 'object');
        if (clearsCookie(args[1], [prop(opts, 'maxAge'), prop(opts, 'expires')])) continue;
        const secure = prop(opts, 'secure');
        const httpOnly = prop(opts, 'httpOnly');
        if (!secure || isFalse(secure) || isFalse(httpOnly) || (!httpOnly && !name.startsWith('ctx.cookies'))) add(call, `Cookie \`${cname}\` is set ${!secure || isFalse(secure) ? 'without `secure: true`' : ''}${(!secure || isFalse(secure)) && (!httpOnly || isFalse(httpOnly)) ? ' and ' : ''}${!httpOnly || isFalse(httpOnly) ? 'without `httpOnly: true`' : ''}.`, (!secure || isFalse(secure)) && (!httpOnly || isFalse(httpOnly)) ? 'Secure and HttpOnly' : !secure || isFalse(secure) ? 'Secure' : 'HttpOnly');
      }
    }
  } else if (lang === 'python') {
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      if (!/\.(set_cookie|set_signed_cookie)$/.test(name)) continue;
      const secure = kwarg(call, 'secure');
      const httponly = kwarg(call, 'httponly');
      const first = callArguments(call)[0];
      const cname = first?.type === 'keyword_argument' ? stringValue(first.childForFieldName('value'), lang) : first ? stringValue(first, lang) : undefined;
      const second = callArguments(call)[1];
      const value = kwarg(call, 'value') ?? (second && second.type !== 'keyword_argument' ? second : undefined);
      if (clearsCookie(value, [kwarg(call, 'max_age'), kwarg(call, 'expires')])) continue;
      if (isFalse(secure)) add(call, `The cookie ${cname ? `\`${cname}\` ` : ''}is set with \`secure=False\`.`, 'Secure');
      else if (!secure && cname && AUTH_COOKIE.test(cname)) add(call, `The cookie \`${cname}\` is set without \`secure=True\`${httponly ? '' : ' and without `httponly=True`'}.`, httponly ? 'Secure' : 'Secure and HttpOnly');
    }
    eachOfType(file.root, ['assignment'], (n) => {
      const left = n.childForFieldName('left');
      // `SESSION_COOKIE_HTTPONLY = False` (Django or Flask settings) or `app.config["SESSION_COOKIE_HTTPONLY"] = False` (Flask).
      const l = left?.type === 'subscript' && /(^|\.)config$/.test(left.childForFieldName('value')?.text ?? '') ? stringValue(left.childForFieldName('subscript'), lang) ?? '' : left?.text ?? '';
      if (SETTING_FLAG.test(l) && isFalse(n.childForFieldName('right') ?? undefined)) add(n, `\`${l} = False\` turns the flag off for every ${/CSRF/.test(l) ? 'CSRF' : /REMEMBER/.test(l) ? 'remember-me' : 'session'} cookie.`, /HTTPONLY/.test(l) ? 'HttpOnly' : 'Secure');
    });
    for (const call of callsOf(file)) {
      const name = resolvedCallee(call, file);
      // aiohttp_session storages (`EncryptedCookieStorage`, `RedisStorage`, ...) set the session cookie's flags.
      if (/^aiohttp_session(\.\w+)*\.\w*Storage$/.test(name)) {
        const httponly = kwarg(call, 'httponly');
        const secure = kwarg(call, 'secure');
        if (isFalse(httponly) || isFalse(secure)) add(call, `The session storage \`${name.slice(name.lastIndexOf('.') + 1)}\` is created with ${[isFalse(httponly) ? '`httponly=False`' : '', isFalse(secure) ? '`secure=False`' : ''].filter(Boolean).join(' and ')}, which applies to every session cookie.`, isFalse(httponly) && isFalse(secure) ? 'Secure and HttpOnly' : isFalse(httponly) ? 'HttpOnly' : 'Secure');
      } else if (/\.config\.update$/.test(name)) {
        // `app.config.update(SESSION_COOKIE_HTTPONLY=False)` (Flask).
        for (const a of callArguments(call)) {
          const k = a.type === 'keyword_argument' ? a.childForFieldName('name')?.text ?? '' : '';
          if (SETTING_FLAG.test(k) && isFalse(a.childForFieldName('value') ?? undefined)) add(a, `\`${k}=False\` turns the flag off for every ${/CSRF/.test(k) ? 'CSRF' : /REMEMBER/.test(k) ? 'remember-me' : 'session'} cookie.`, /HTTPONLY/.test(k) ? 'HttpOnly' : 'Secure');
        }
      }
    }
  } else if (lang === 'java') {
    // A servlet cookie added to the response without `setSecure(true)` in the same method.
    for (const call of callsOf(file)) {
      if (call.type !== 'method_invocation') continue;
      const m = call.childForFieldName('name')?.text;
      if (m !== 'addCookie') continue;
      const c = callArguments(call)[0];
      if (c?.type !== 'identifier') continue;
      const fn = enclosingFunction(call, lang);
      const body = fn?.text ?? '';
      const v = c.text.replace(/[$]/g, '\\$');
      if (new RegExp(`\\b${v}\\s*\\.\\s*setSecure\\s*\\(\\s*true\\s*\\)`).test(body)) continue;
      // `c.setMaxAge(0)` deletes the cookie in the browser: no value is exposed (a negative max-age only
      // makes it a session cookie; Servlet API, `Cookie.setMaxAge`).
      if (new RegExp(`\\b${v}\\s*\\.\\s*setMaxAge\\s*\\(\\s*0\\s*\\)`).test(body)) continue;
      const explicit = new RegExp(`\\b${v}\\s*\\.\\s*setSecure\\s*\\(\\s*false\\s*\\)`).test(body);
      add(call, explicit ? `Cookie \`${c.text}\` is marked \`setSecure(false)\` before it is added to the response.` : `Cookie \`${c.text}\` is added to the response without \`setSecure(true)\`.`, 'Secure');
    }
  } else if (lang === 'go') {
    eachOfType(file.root, ['composite_literal'], (n) => {
      if (!/^(http\.)?Cookie$/.test(n.childForFieldName('type')?.text ?? '')) return;
      const body = n.childForFieldName('body');
      const secure = prop(body ?? undefined, 'Secure');
      const httpOnly = prop(body ?? undefined, 'HttpOnly');
      const nameNode = prop(body ?? undefined, 'Name');
      const cname = nameNode ? stringValue(nameNode, lang) : undefined;
      // Go's `MaxAge: -1` deletes the cookie; `MaxAge: 0` only means "no Max-Age" (net/http, `Cookie`).
      const maxAge = prop(body ?? undefined, 'MaxAge');
      if (clearsCookie(prop(body ?? undefined, 'Value'), [maxAge && /^-\d+$/.test(maxAge.text.trim()) ? maxAge : undefined])) return;
      if (isFalse(secure) || (!secure && cname && AUTH_COOKIE.test(cname))) add(n, `The cookie ${cname ? `\`${cname}\` ` : ''}literal has ${secure ? '`Secure: false`' : 'no `Secure: true`'}${httpOnly ? '' : ' and no `HttpOnly: true`'}.`, httpOnly ? 'Secure' : 'Secure and HttpOnly');
    });
  }
  return hits;
}

/** The `security/insecure-cookie` rule (see its `description`). */
export const insecureCookie: FileRule = {
  kind: 'file',
  id: 'security/insecure-cookie',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'insecure-cookie',
  title: 'Cookie without Secure or HttpOnly',
  description:
    'Flags session and authentication cookies set without `Secure` or with `HttpOnly` turned off: `express-session`/`cookie-session` options, `res.cookie` for session-like names, Flask/Django `set_cookie(secure=False)` and `SESSION_COOKIE_SECURE`/`SESSION_COOKIE_HTTPONLY = False` (also in `app.config`), aiohttp_session storages with `httponly=False` or `secure=False`, servlet cookies added without `setSecure(true)`, Go `http.Cookie` literals; not writes that clear a cookie (empty or null value, zero max-age). Such cookies travel over plain HTTP or can be read by injected scripts, which leads to session hijacking.',
  references: ['CWE-614', 'CWE-1004', 'OWASP A05:2021'],
  confidence: 0.75,
  check,
};
