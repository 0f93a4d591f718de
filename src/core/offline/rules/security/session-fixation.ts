/**
 * Rule family: session fixation (CWE-384, OWASP A07:2021). A request handler writes who the user is
 * (`userId`, `user_id`, `account`, `is_admin`, ...) into a server-side session without giving the
 * session a new identifier first. A session id the attacker planted before login (or read on an insecure
 * page) then becomes a logged-in session the attacker holds too. OWASP Session Management Cheat Sheet,
 * "Renew the Session ID After Any Privilege Level Change".
 *
 * Only a write that is part of a login is judged (a function or callback named for logging in, signing in or
 * up, or a handler that checks a password: `check_password`, `bcrypt.compare`); a profile edit that refreshes
 * the stored user changes no privilege. Reported only where the session is kept on the server under an id in the cookie and the framework
 * offers the renewal:
 * - Express with `express-session` loaded by a reviewed module: `req.session.userId = ...` in a handler
 *   (the function that receives `req`) that does not call `req.session.regenerate(...)` (the write may
 *   sit in its callback) or Passport's `req.login`/`req.logIn` (which regenerates since Passport 0.6).
 * - Django (a module importing `django`): `request.session["user_id"] = ...` in a view that does not call
 *   `request.session.cycle_key()`, `request.session.flush()` or `django.contrib.auth.login` (which cycles
 *   the key).
 * - aiohttp_session with a server-side storage (`RedisStorage`, `MemcachedStorage`) created in a
 *   reviewed module: `session["user_id"] = ...` on a session from `get_session(request)` in a handler that
 *   does not call `new_session(request)` or `session.invalidate()`.
 *
 * Cookie-only sessions (`cookie-session`, Flask's default `session`, aiohttp_session cookie storages,
 * Starlette) are not reported: the whole session is in the cookie and the login rewrites it, so there is
 * no server-side id to fix.
 */
import type { SyntaxNode } from '../../syntax';
import type { FileRule, ParsedFile, ProjectIndex, RuleHit } from '../../rule';
import { LANG, functionName, isJs } from '../../lang';
import { callsOf, eachOfType, stringValue, words } from '../../nodes';
import { definitionsOf, loadsModule, resolvedCallee } from '../../bindings';
import { namesLogin } from './common';

/** Words of a session key that say it records who the user is or what they may do. */
const IDENTITY_WORD = /^(user|users|uid|userid|username|account|login|logged|auth|authenticated|principal|role|roles|admin|superuser|staff)$/;

const FIX: Record<'express' | 'django' | 'aiohttp', string> = {
  express: 'Regenerate the session when the user logs in and store the user in the new one: `req.session.regenerate((err) => { if (err) return next(err); req.session.userId = user._id; ... })` (or log in with Passport ≥ 0.6 `req.login`).',
  django: 'Log the user in with `django.contrib.auth.login(request, user)`, which gives the session a new key, or call `request.session.cycle_key()` before storing the user.',
  aiohttp: 'Start a fresh session at login: `session = await new_session(request)` (aiohttp_session), then store the user in it.',
};

function identityKey(key: string): boolean {
  return words(key).some((w) => IDENTITY_WORD.test(w));
}

/** True when the value written clears the entry rather than logging someone in. */
function clears(value: SyntaxNode | null | undefined): boolean {
  return !value || /^(null|undefined|None|false|False|''|""|0)$/.test(value.text.trim());
}

/** True when a reviewed module loads `pattern` (a module binding such as `express-session`). */
function projectLoads(project: ProjectIndex, test: (file: ParsedFile) => boolean): boolean {
  return project.parsed.some(test);
}

/** The innermost function around `node` that has a parameter named `param` (the request handler). */
function handlerOf(node: SyntaxNode, param: string, file: ParsedFile): SyntaxNode | undefined {
  const funcs = LANG[file.language].func;
  for (let p = node.parent; p; p = p.parent) {
    if (!funcs.includes(p.type)) continue;
    const params = p.childForFieldName('parameters') ?? p.childForFieldName('parameter');
    if (!params) continue;
    if (params.type === 'identifier' ? params.text === param : params.descendantsOfType('identifier').some((i) => i?.text === param)) return p;
  }
  return undefined;
}

/** True when a call inside `fn` (other than nested route handlers' own) has a callee matching `pattern`. */
function callsIn(fn: SyntaxNode, file: ParsedFile, pattern: RegExp | ((callee: string) => boolean)): boolean {
  const matches = typeof pattern === 'function' ? pattern : (callee: string) => pattern.test(callee);
  let found = false;
  eachOfType(fn, LANG[file.language].call, (c) => {
    if (found) return false;
    if (matches(resolvedCallee(c, file))) found = true;
    return !found;
  });
  return found;
}

/** True when `node` lies inside the arguments of a call whose callee matches `pattern` (a callback of it). */
function insideCallOf(node: SyntaxNode, file: ParsedFile, pattern: RegExp): boolean {
  for (let p = node.parent; p; p = p.parent) if (LANG[file.language].call.includes(p.type) && pattern.test(resolvedCallee(p, file))) return true;
  return false;
}

/**
 * True when a function or callee name says a user is being logged in: a login ({@link namesLogin}), a sign-up
 * or registration, or a password check (`check_password`, `verifyPassword`, `passwordMatches`,
 * `is_valid_password`, `checkpw`), judged on whole words.
 */
function namesLoginStep(name: string): boolean {
  if (namesLogin(name)) return true;
  const ws = words(name);
  if (ws.some((w, i) => w === 'signup' || w === 'register' || w === 'checkpw' || (w === 'sign' && ws[i + 1] === 'up'))) return true;
  return ws.includes('password') && ws.some((w) => /^(check|verify|compare|matches|valid|validate)$/.test(w));
}

/** Library calls that verify a password against its hash. */
const PASSWORD_VERIFY_CALL = /^bcrypt\.(compare|compareSync)$|^argon2\.verify$/i;

/**
 * True when the session write at `at` is part of a login: a function between it and `handler` (inclusive) is
 * named for one, the write sits in a callback of a call named for one (`users.validateLogin(name, pw, (err,
 * user) => {...})`), or `handler` calls one (`user.check_password(password)`, `bcrypt.compare`). A handler
 * that only refreshes the user it already holds (a profile edit) changes no privilege and is not reported.
 */
function isLogin(at: SyntaxNode, handler: SyntaxNode, file: ParsedFile): boolean {
  const lang = file.language;
  for (let p = at.parent; p; p = p.parent) {
    if (LANG[lang].func.includes(p.type) && namesLoginStep(functionName(p))) return true;
    if (LANG[lang].call.includes(p.type) && namesLoginStep(resolvedCallee(p, file))) return true;
    if (p.id === handler.id) break;
  }
  return callsIn(handler, file, (callee) => namesLoginStep(callee) || PASSWORD_VERIFY_CALL.test(callee));
}

function checkJs(file: ParsedFile, project: ProjectIndex, hits: RuleHit[]): void {
  if (!projectLoads(project, (p) => isJs(p.language) && loadsModule(p, /^express-session(\.|$)/))) return;
  eachOfType(file.root, ['assignment_expression'], (n) => {
    const left = n.childForFieldName('left');
    let obj: SyntaxNode | null | undefined;
    let key: string | undefined;
    if (left?.type === 'member_expression') {
      obj = left.childForFieldName('object');
      key = left.childForFieldName('property')?.text;
    } else if (left?.type === 'subscript_expression') {
      obj = left.childForFieldName('object');
      key = stringValue(left.childForFieldName('index'), file.language);
    }
    const m = obj?.type === 'member_expression' && obj.childForFieldName('property')?.text === 'session' ? obj.childForFieldName('object') : undefined;
    if (m?.type !== 'identifier' || !key || !identityKey(key) || clears(n.childForFieldName('right'))) return true;
    const handler = handlerOf(n, m.text, file);
    if (!handler || !isLogin(n, handler, file)) return true;
    if (insideCallOf(n, file, /\.session\.regenerate$/) || callsIn(handler, file, /\.session\.regenerate$|^\w+\.(login|logIn)$/)) return true;
    hits.push({
      node: n,
      message: `\`${left!.text}\` records the logged-in user in the session without giving it a new id (\`express-session\` keeps the id the browser arrived with). A session id an attacker planted before login becomes a session logged in as this user, which the attacker holds too (session fixation). ${FIX.express}`,
      suggestion: { description: FIX.express },
    });
    return true;
  });
}

function checkPython(file: ParsedFile, project: ProjectIndex, hits: RuleHit[]): void {
  const django = loadsModule(file, /^django(\.|$)/);
  const aiohttpServerStore = projectLoads(project, (p) => p.language === 'python' && callsOf(p).some((c) => /^aiohttp_session(\.\w+)*\.(RedisStorage|MemcachedStorage)$/.test(resolvedCallee(c, p))));
  if (!django && !aiohttpServerStore) return;
  eachOfType(file.root, ['assignment'], (n) => {
    const left = n.childForFieldName('left');
    if (left?.type !== 'subscript') return true;
    const key = stringValue(left.childForFieldName('subscript'), 'python');
    const target = left.childForFieldName('value');
    if (!key || !target || !identityKey(key) || clears(n.childForFieldName('right'))) return true;
    const fn = handlerOf(n, 'request', file);
    if (!fn || !isLogin(n, fn, file)) return true;
    if (django && /^request\.session$/.test(target.text)) {
      if (callsIn(fn, file, /^request\.session\.(cycle_key|flush)$|^django\.contrib\.auth\.login$|^auth\.login$|^login$/)) return true;
      hits.push({ node: n, message: `\`${left.text}\` records the logged-in user in the Django session without cycling its key. A session key an attacker planted before login becomes a session logged in as this user, which the attacker holds too (session fixation). ${FIX.django}`, suggestion: { description: FIX.django } });
    } else if (aiohttpServerStore && target.type === 'identifier') {
      const defs = definitionsOf(target.text, n, file);
      const fromGet = defs.some((d) => {
        const v = d.value.type === 'await' ? d.value.namedChildren[0] : d.value;
        return v?.type === 'call' && /^aiohttp_session\.get_session$/.test(resolvedCallee(v, file));
      });
      if (!fromGet || callsIn(fn, file, /^aiohttp_session\.new_session$|\.invalidate$/)) return true;
      hits.push({ node: n, message: `\`${left.text}\` records the logged-in user in the aiohttp_session session the request arrived with, kept on the server under the id in the cookie, without starting a new one. A session id an attacker planted before login becomes a session logged in as this user, which the attacker holds too (session fixation). ${FIX.aiohttp}`, suggestion: { description: FIX.aiohttp } });
    }
    return true;
  });
}

/** The `security/session-fixation` rule (see its `description`). */
export const sessionFixation: FileRule = {
  kind: 'file',
  id: 'security/session-fixation',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'high',
  category: 'session-fixation',
  title: 'Session id not renewed at login',
  description:
    'Flags logins (a handler or callback named for logging in or signing up, or one that checks a password) that store the logged-in user (`userId`, `user_id`, `role`, ...) in a server-side session without renewing its id: Express with express-session and no `req.session.regenerate` (or Passport `req.login`), Django `request.session[...]` without `login()`/`cycle_key()`, aiohttp_session with a Redis or Memcached storage and no `new_session`. An id planted before login then becomes a logged-in session the attacker holds (session fixation). Cookie-only sessions are not reported.',
  references: ['CWE-384', 'OWASP A07:2021'],
  confidence: 0.75,
  check(file, project) {
    const hits: RuleHit[] = [];
    if (isJs(file.language)) checkJs(file, project, hits);
    else if (file.language === 'python') checkPython(file, project, hits);
    return hits;
  },
};
