/**
 * Pieces every language model shares: building sink uses from call arguments, reading options of
 * object/dict/keyword arguments, the sanitiser masks of common encodings, and list/map operations
 * on modelled heap objects.
 */
import type { SyntaxNode } from '../../syntax';
import type { CallInfo, Helpers, SinkUse } from '../model';
import { CLEAN, asString, constant, join, joinAll, kindBit, sanitise, withTaint, type Obj, type SinkKind, type Taint, type Value } from '../value';

/** Sink kinds a URL-encoded value is safe for (percent-encoding removes quotes, `<`, `;`, `/`, spaces, newlines). */
export const URL_ENCODED = kindBit('xss') | kindBit('path') | kindBit('command') | kindBit('ssrf') | kindBit('redirect') | kindBit('log') | kindBit('header') | kindBit('code') | kindBit('template') | kindBit('xpath') | kindBit('ldap');
/**
 * Sink kinds the raw request target is safe for: the URL as the client sent it, still percent-encoded
 * (Node's `req.url`, servlet `getRequestURI()`/`getQueryString()`, aiohttp `request.rel_url`, Django
 * `get_full_path()`). HTTP/1.1 ends the request line at CR LF (RFC 9112 section 3) and the parsers
 * reject control characters in the target, so it cannot carry a line break into a log line (CWE-117)
 * or a response header (CWE-113). It can still carry quotes, `<` and `../`, so every other kind stays.
 */
export const RAW_REQUEST_TARGET = kindBit('log') | kindBit('header');

/** A source value (from `Helpers.source`) that is the raw request target: safe for {@link RAW_REQUEST_TARGET} only. */
export function rawTarget(v: Value): Value {
  return v.taint ? withTaint(v, sanitise(v.taint, RAW_REQUEST_TARGET)) : v;
}

/** Sink kinds an HTML-escaped value is safe for. */
export const HTML_ESCAPED = kindBit('xss') | kindBit('template');

/** The i-th positional argument's value ({@link CLEAN} when absent). */
export function arg(ci: CallInfo, i: number): Value {
  return ci.args[i] ?? CLEAN;
}

/** The node of the i-th positional argument (the call when absent). */
export function argNode(ci: CallInfo, i: number): SyntaxNode {
  return ci.call.args[i]?.e.node ?? ci.call.node;
}

/** A sink use of the i-th positional argument, quoting the call. */
export function sinkArg(ci: CallInfo, kind: SinkKind, api: string, i: number, info?: SinkUse['info']): SinkUse {
  return { kind, api, value: arg(ci, i), arg: argNode(ci, i), node: ci.call.node, info };
}

/** A sink use of keyword argument `name` (Python), or of positional `i` when the keyword is absent. */
export function sinkKw(ci: CallInfo, kind: SinkKind, api: string, name: string, i: number): SinkUse | undefined {
  const kw = ci.kwargs.get(name);
  if (kw) return { kind, api, value: kw, arg: ci.call.kwargs.get(name)?.node ?? ci.call.node, node: ci.call.node };
  if (ci.args[i]) return sinkArg(ci, kind, api, i);
  return undefined;
}

/** Property `key` of the object/dict literal a value points to, if any. */
export function optionOf(v: Value, key: string, h: Helpers): Value | undefined {
  for (const o of h.objects(v)) {
    const f = o.fields.get(key);
    if (f) return f;
  }
  return undefined;
}

/** The taint of the first argument (deep), marked as a string and sanitised for `mask`; the value is clean when fully safe. */
export function sanitised(v: Value, mask: number, h: Helpers): Value {
  const t = asString(v.taint ?? h.deepTaint(v));
  return withTaint({ escaped: mask }, sanitise(t, mask));
}

/** A decoding step (`decodeURIComponent`, `unquote`, `html.unescape`) undoes what encoding made safe. */
export function decoded(v: Value, mask: number, h: Helpers): Value {
  const t = v.taint ?? h.deepTaint(v);
  if (!t) return v.c ? v : CLEAN;
  return { taint: { ...t, safe: t.safe & ~mask, str: true } };
}

/** Joins the taint of the receiver and of every argument. */
export function propagated(ci: CallInfo, h: Helpers): Value {
  let t: Taint | undefined = ci.recv?.taint;
  for (const a of ci.args) t = t ?? a.taint ?? (a.refs ? h.deepTaint(a) : undefined);
  for (const a of ci.kwargs.values()) t = t ?? a.taint;
  return t ? { taint: t } : CLEAN;
}

/** The value itself as a string (`String(x)`, `str(x)`, `x.toString()`): constants fold, taint becomes `str`. */
export function asStringValue(v: Value, h: Helpers): Value {
  if (v.c) return constant(v.c.v === null || v.c.v === undefined ? String(v.c.v) : String(v.c.v));
  const t = v.taint ?? (v.refs ? h.deepTaint(v) : undefined);
  return t ? { taint: asString(t), prefix: v.prefix } : CLEAN;
}

/**
 * List and map methods on modelled heap objects, by the names the languages share or differ on:
 * append/push/add (end), insert/unshift (front or index), pop/shift/remove(index), get(index|key),
 * put/set/setdefault (key), extend/addAll/update/putAll (bulk), join. Returns undefined when `ci` is
 * not such a call on a heap object.
 */
export function collectionCall(ci: CallInfo, h: Helpers): Value | undefined {
  const recv = ci.recv;
  if (!recv?.refs) return undefined;
  const objs = h.objects(recv);
  if (!objs.length) return undefined;
  const kind = objs[0]!.kind;
  const m = ci.call.method;
  const a0 = arg(ci, 0);
  const list = kind === 'array' || kind === 'set' || kind === 'builder';
  const map = kind === 'map' || kind === 'object';
  const k0 = h.constOf(a0);
  const el = () => h.contents(recv);
  if (list) {
    switch (m) {
      case 'append':
      case 'add':
      case 'push':
      case 'addLast':
      case 'offer':
      case 'addElement':
        if (ci.args.length === 2 && typeof k0 === 'number' && m === 'add') return insertAt(recv, k0, arg(ci, 1), h);
        h.update(recv, (o) => (o.elems && kind !== 'set' ? { ...o, elems: [...o.elems, ...ci.args] } : { ...o, elems: undefined, any: joinAll([o.any ?? CLEAN, ...(o.elems ?? []), ...ci.args]) }));
        return m === 'push' ? { numeric: true } : m === 'append' && kind === 'builder' ? recv : { numeric: true };
      case 'insert':
      case 'unshift':
      case 'addFirst':
        if (m === 'insert' && typeof k0 === 'number') return insertAt(recv, k0, arg(ci, 1), h);
        h.update(recv, (o) => (o.elems ? { ...o, elems: [...ci.args.slice(m === 'insert' ? 1 : 0), ...o.elems] } : { ...o, any: join(o.any, ci.args[ci.args.length - 1]) }));
        return { numeric: true };
      case 'extend':
      case 'addAll': {
        const src = ci.args[ci.args.length - 1] ?? CLEAN;
        const srcObjs = h.objects(src);
        h.update(recv, (o) => {
          if (o.elems && srcObjs.length === 1 && srcObjs[0]!.elems && ci.args.length === 1) return { ...o, elems: [...o.elems, ...srcObjs[0]!.elems] };
          return { ...o, elems: undefined, any: joinAll([o.any ?? CLEAN, ...(o.elems ?? []), h.contents(src), src.taint ? { taint: src.taint } : CLEAN]) };
        });
        return CLEAN;
      }
      case 'pop':
      case 'shift':
      case 'remove':
      case 'removeFirst':
      case 'removeLast':
      case 'poll':
      case 'pollFirst':
      case 'pollLast': {
        if (m === 'remove' && ci.args.length && typeof k0 !== 'number') return { numeric: true };
        let out: Value | undefined;
        const first = m === 'shift' || m === 'removeFirst' || m === 'poll' || m === 'pollFirst';
        h.update(recv, (o) => {
          if (!o.elems || !o.elems.length) {
            out = join(out, o.any);
            return o;
          }
          const elems = [...o.elems];
          const i = typeof k0 === 'number' ? (k0 < 0 ? elems.length + k0 : k0) : first ? 0 : elems.length - 1;
          out = join(out, elems[i]);
          elems.splice(i, 1);
          return { ...o, elems };
        });
        return out ?? CLEAN;
      }
      case 'get':
      case 'elementAt':
      case 'getFirst':
      case 'getLast':
      case 'peek':
      case 'peekFirst':
      case 'peekLast':
      case 'firstElement':
      case 'lastElement': {
        let out: Value | undefined;
        for (const o of objs) {
          const idx = m === 'get' || m === 'elementAt' ? k0 : /First|^peek$|firstElement/.test(m) ? 0 : o.elems ? o.elems.length - 1 : undefined;
          if (typeof idx === 'number' && o.elems) out = join(out, o.elems[idx] ?? o.any ?? CLEAN);
          else out = join(out, joinAll([o.any ?? CLEAN, ...(o.elems ?? [])]));
        }
        return out ?? CLEAN;
      }
      case 'join': {
        const c = el();
        return c.taint ? { taint: asString(c.taint) } : CLEAN;
      }
      case 'clear':
        h.update(recv, (o) => ({ ...o, elems: [], any: undefined }));
        return CLEAN;
      case 'size':
      case 'length':
      case 'count':
      case 'index':
      case 'indexOf':
      case 'contains':
      case 'includes':
      case 'isEmpty':
        return { numeric: true };
      case 'copy':
      case 'toArray':
      case 'subList':
      case 'stream':
      case 'iterator':
      case 'listIterator':
      case 'elements':
      case 'values':
      case 'toList':
      case 'asList':
        return h.alloc(ci.call.node, 'array', { any: el() });
      case 'next':
      case 'nextElement':
        return el();
      default:
        return undefined;
    }
  }
  if (map) {
    switch (m) {
      case 'put':
      case 'set':
      case 'setdefault':
      case 'putIfAbsent':
      case 'setAttribute':
      case 'setProperty': {
        if (m === 'setdefault' || m === 'putIfAbsent') {
          const had = objs.some((o) => typeof k0 === 'string' && o.fields.has(k0));
          if (had) return objs.map((o) => o.fields.get(String(k0))).reduce<Value>((a, b) => join(a, b), CLEAN);
        }
        const v = arg(ci, 1);
        if (typeof k0 === 'string' || typeof k0 === 'number') h.write(recv, String(k0), v);
        else h.update(recv, (o) => ({ ...o, any: join(o.any, v) }));
        return m === 'set' ? recv : CLEAN;
      }
      case 'get':
      case 'getOrDefault':
      case 'getAttribute':
      case 'getProperty':
      case 'pop':
      case 'remove': {
        let out: Value | undefined;
        for (const o of objs) {
          if (typeof k0 === 'string' || typeof k0 === 'number') {
            const f = o.fields.get(String(k0));
            out = join(out, f ?? o.any ?? (ci.args[1] ?? constant(null)));
            if (f && ci.args[1] && (m === 'get' || m === 'getOrDefault')) out = join(out, undefined);
          } else out = join(out, joinAll([o.any ?? CLEAN, ...o.fields.values(), ci.args[1] ?? CLEAN]));
        }
        if ((m === 'pop' || m === 'remove') && typeof k0 === 'string') h.update(recv, (o) => {
          const fields = new Map(o.fields);
          fields.delete(k0);
          return { ...o, fields };
        });
        return out ?? CLEAN;
      }
      case 'update':
      case 'putAll': {
        const src = a0;
        for (const o of h.objects(src)) for (const [k, v] of o.fields) h.write(recv, k, v);
        if (src.taint) h.update(recv, (o) => ({ ...o, any: join(o.any, { taint: src.taint }) }));
        for (const [k, v] of ci.kwargs) if (k !== '**') h.write(recv, k, v);
        return CLEAN;
      }
      case 'keys':
      case 'keySet':
        return h.alloc(ci.call.node, 'array', { any: objs.some((o) => o.any?.taint) ? { taint: objs.find((o) => o.any?.taint)!.any!.taint } : CLEAN });
      case 'values':
        return h.alloc(ci.call.node, 'array', { any: el() });
      case 'items':
      case 'entrySet':
      case 'entries': {
        const pair = h.alloc(-(ci.call.node.id * 8 + 5), 'array', { elems: [CLEAN, el()] });
        return h.alloc(ci.call.node, 'array', { any: pair });
      }
      case 'containsKey':
      case 'has':
      case 'size':
      case 'isEmpty':
        return { numeric: true };
      case 'copy':
        return recv;
      default:
        return undefined;
    }
  }
  return undefined;
}

function insertAt(recv: Value, i: number, v: Value, h: Helpers): Value {
  h.update(recv, (o) => {
    if (!o.elems || i > o.elems.length) return { ...o, elems: undefined, any: joinAll([o.any ?? CLEAN, ...(o.elems ?? []), v]) };
    const elems = [...o.elems];
    elems.splice(i < 0 ? Math.max(0, elems.length + i) : i, 0, v);
    return { ...o, elems };
  });
  return CLEAN;
}

/** Key names that identify one record (`id`, `pk`, `userId`, `account_id`, `uid`). */
export const ID_KEY = /^(id|pk|_id|uid|uuid|(\w*?)(_id|Id|ID|_pk))$/;

/**
 * A lookup of one record by a key (`findById(x)`, `findOne({ where: { id: x } })`, `Model.objects.get(pk=x)`,
 * `Customer.query.get(x)`, `repository.findById(x)`): the sink use carries the key's value and name, or
 * undefined when no argument is an id-like key.
 */
export function lookupUse(ci: CallInfo, h: Helpers, api: string): SinkUse | undefined {
  const visit = (v: Value, name: string, depth: number): { v: Value; key: string } | undefined => {
    if (v.taint && !v.refs && ID_KEY.test(name)) return { v, key: name };
    if (depth > 2) return undefined;
    for (const o of h.objects(v)) for (const [k, f] of o.fields) {
      const r = visit(f, k, depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  for (let i = 0; i < ci.args.length; i++) {
    // A direct key argument must look like an id: its variable, or the field it was read from (`req.params.id`).
    const e = ci.call.args[i]?.e;
    const argName = e?.k === 'var' ? e.name : e?.k === 'member' ? e.prop : '';
    const v = ci.args[i]!;
    const label = v.taint?.source.label.replace(/\(.*\)$/, '').split(/[.[\]'"]/).filter(Boolean).pop() ?? '';
    const direct = v.taint && !v.refs && (ID_KEY.test(argName) || ID_KEY.test(label) || v.taint.source.kind === 'principal');
    const r = direct ? { v, key: argName || label || 'id' } : visit(v, '', 1);
    if (r) return { kind: 'lookup', api, value: r.v, arg: argNode(ci, i), node: ci.call.node, info: { key: r.key } };
  }
  for (const [k, v] of ci.kwargs) {
    const r = visit(v, k, 0);
    if (r) return { kind: 'lookup', api, value: r.v, arg: ci.call.kwargs.get(k)?.node ?? ci.call.node, node: ci.call.node, info: { key: r.key } };
  }
  // A lookup of the user by a name, email or user id that is not shaped like a record id (`filter(userid=...)`,
  // `findOne({ email })`): marked `identity`, for the rules that judge where the identity comes from (the
  // IDOR rule judges record ids only).
  const named = (v: Value, name: string) => v.taint && !v.refs && USER_KEY.test(name);
  for (const [k, v] of ci.kwargs) if (named(v, k)) return { kind: 'lookup', api, value: v, arg: ci.call.kwargs.get(k)?.node ?? ci.call.node, node: ci.call.node, info: { key: k, identity: true } };
  for (let i = 0; i < ci.args.length; i++) {
    for (const o of h.objects(ci.args[i]!)) for (const [k, f] of o.fields) if (named(f, k)) return { kind: 'lookup', api, value: f, arg: argNode(ci, i), node: ci.call.node, info: { key: k, identity: true } };
  }
  return undefined;
}

/** Keys of a lookup that name the user it loads (`userid`, `user_id`, `username`, `email`, `account`). */
export const USER_KEY = /^(user_?id|userid|uid|user|user_?name|username|login|email|e_?mail|account(_?id)?|accountId|userId|userName)$/i;

/** Calls that hash or derive a key from a secret (`bcrypt.hash`, `argon2.hash`, `pbkdf2`, `scrypt`, `make_password`, `createHash`, `digest`). */
export const HASH_CALL = /(^|\.)(hash|hashSync|hashpw|hash_password|make_password|generate_password_hash|set_password|encode|encodePassword|pbkdf2|pbkdf2Sync|pbkdf2_hmac|scrypt|scryptSync|argon2\w*|bcrypt\w*|createHash|createHmac|digest|hexdigest|update|md5|sha1|sha256|sha512|crypt)$/i;

/**
 * The value of a call that hashes a secret: the input is no longer stored in plain text (safe for
 * `password-store`), though a weak hash is still judged by the weak-hash rules.
 */
export function hashed(ci: CallInfo, h: Helpers): Value {
  const v = propagated(ci, h);
  return v.taint ? withTaint(v, sanitise(v.taint, kindBit('password-store') | kindBit('sensitive-store'))) : v;
}

/**
 * Record fields that hold data whose storage in clear text PCI DSS (requirement 3.5: primary account
 * numbers unreadable wherever stored) and privacy law single out: social security / national id numbers,
 * payment card numbers and codes, bank account numbers (CWE-312).
 */
export const SENSITIVE_FIELD = /^(ssn|social_?security_?(number|no)?|socialSecurityNumber|national_?id|nationalId|tax_?id|taxId|ccn|cc_?num(ber)?|ccNumber|card_?num(ber)?|cardNumber|credit_?card(_?number)?|creditCard(Number)?|pan|cvv2?|cvc|card_?cvv|bank_?acc(ount)?(_?(number|no))?|bankAcc(ount)?(Number)?|iban|account_?number|accountNumber)$/i;

/** Calls that encrypt (`encrypt(x)`, `fernet.encrypt`, `cipher.update`, `seal`): the result is not clear text. */
export const ENCRYPT_CALL = /(^|\.)(encrypt\w*|seal|createCipheriv|cipher)$/i;

/**
 * A record written with a sensitive field ({@link SENSITIVE_FIELD}) that carries input (tainted or a
 * parameter): the field of an object literal argument (up to two levels: `{ $set: user }`) or a keyword
 * argument.
 */
export function sensitiveFieldUse(ci: CallInfo, h: Helpers, api: string): SinkUse | undefined {
  const visit = (v: Value, depth: number): { k: string; v: Value; o: Obj } | undefined => {
    for (const o of h.objects(v)) {
      for (const [k, f] of o.fields) {
        if (SENSITIVE_FIELD.test(k) && (f.taint || f.param) && !f.refs) return { k, v: f, o };
        if (depth < 2 && f.refs) {
          const r = visit(f, depth + 1);
          if (r) return r;
        }
      }
    }
    return undefined;
  };
  for (let i = 0; i < ci.args.length; i++) {
    const r = visit(ci.args[i]!, 1);
    if (r) return { kind: 'sensitive-store', api, value: r.v, arg: argNode(ci, i), node: ci.call.node, info: { field: r.k } };
  }
  for (const [k, v] of ci.kwargs) if (SENSITIVE_FIELD.test(k) && (v.taint || v.param)) return { kind: 'sensitive-store', api, value: v, arg: ci.call.kwargs.get(k)?.node ?? ci.call.node, node: ci.call.node, info: { field: k } };
  return undefined;
}

/** Field names that hold a password. */
export const PASSWORD_FIELD = /^(password|passwd|pwd|pass|user_password|userPassword|passwordHash|password_hash)$/i;

/** A DB write or model construction whose object argument (or keyword argument) sets a password field to `value`. */
export function passwordFieldUse(ci: CallInfo, h: Helpers, api: string): SinkUse | undefined {
  for (let i = 0; i < ci.args.length; i++) {
    for (const o of h.objects(ci.args[i]!)) {
      for (const [k, v] of o.fields) {
        if (!PASSWORD_FIELD.test(k) || !(v.taint || v.param)) continue;
        // Quote the entry that puts the password into the record, when the record is a literal.
        const entry = o.node?.namedChildren.find((c) => c && (c.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === k || c.text === k));
        return { kind: 'password-store', api, value: v, arg: entry ?? argNode(ci, i), node: entry ?? ci.call.node, info: { field: k } };
      }
    }
  }
  for (const [k, v] of ci.kwargs) if (PASSWORD_FIELD.test(k) && (v.taint || v.param)) return { kind: 'password-store', api, value: v, arg: ci.call.kwargs.get(k)?.node ?? ci.call.node, node: ci.call.node, info: { field: k } };
  return undefined;
}

// ---- Weak hashing and weak randomness (CWE-328, CWE-330)

/** Hash algorithm names that are broken for security uses (MD2, MD4, MD5, SHA-1; CWE-328, NIST SP 800-131A). */
export const WEAK_HASH_ALGO = /^(md2|md4|md5|sha1|sha-1|sha)$/i;

/** A hash object of a weak algorithm (`MessageDigest.getInstance("MD5")`, `hashlib.md5()`, `createHash('sha1')`): its `update` is a `weak-hash` sink. */
export function weakHasher(algo: string): Value {
  return { tag: 'weak-hasher', type: algo.toUpperCase() };
}

/**
 * The data hashed by a weak hash (`md.update(x)`, `hashlib.md5(x)`): a `weak-hash` sink use of the
 * i-th argument; `info.algo` names the algorithm.
 */
export function weakHashUse(ci: CallInfo, algo: string, i: number, api: string): SinkUse {
  return sinkArg(ci, 'weak-hash', api, i, { algo: algo.toUpperCase() });
}

/**
 * A value from a non-cryptographic random generator (`Math.random()`, `java.util.Random.nextInt()`,
 * Python `random.random()`, Go `math/rand`): a `random` source, so a rule can follow it into cookies
 * and sessions, where it becomes a credential (CWE-330).
 */
export function randomValue(ci: CallInfo, h: Helpers): Value {
  return h.source(`${ci.call.node.text.replace(/\s+/g, ' ').slice(0, 60)}`, ci.call.node, false, 'random');
}

/**
 * Containers whose entries are credentials, by the words of their name (`session`, `mysession`,
 * `tokens`, `secrets`, `api_keys`, `csrf`, `remember_me`): a random value written into one becomes a
 * session identifier, token or key.
 */
const CREDENTIAL_HOLDER = /session|token|secret|passw|apikey|api_key|nonce|salt|csrf|xsrf|otp\b|remember|cookie/i;

/**
 * A `cookie` sink (a value stored as a credential) for an assignment `target = value` whose target
 * names a credential holder (`mysession[key] = v`, `this.resetToken = v`). Only random values are
 * reported through it (security/insecure-random); request data written there is the trust-boundary rule's.
 */
export function credentialStoreUse(target: SyntaxNode, value: Value, node: SyntaxNode, valueNode: SyntaxNode): SinkUse[] {
  if (value.taint?.source.kind !== 'random' || !CREDENTIAL_HOLDER.test(target.text)) return [];
  return [{ kind: 'cookie', api: `${target.text.replace(/\s+/g, ' ').slice(0, 60)} =`, value, arg: valueNode, node }];
}

/**
 * Sinks whose call returns stored data, not the request data that went into the call: database and
 * directory lookups (SQL, NoSQL, ORM lookups, LDAP searches), XPath queries over the server's own
 * documents, password storage, cookies. What such a call returns is clean: an injected query chooses
 * which records are read, not what they contain.
 */
export const QUERY_SINKS: ReadonlySet<SinkKind> = new Set<SinkKind>(['lookup', 'nosql', 'sql', 'ldap', 'xpath', 'password-store', 'sensitive-store', 'cookie']);
