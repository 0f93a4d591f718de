/**
 * The abstract values of the taint engine: what the interpreter knows about a value at one point of a
 * function. A value may be tainted (it carries attacker-controlled data from a {@link Source}, with the
 * steps it went through and the sink kinds it has been sanitised for), a known constant (folded so that
 * dead branches and constant switch targets are skipped), a reference to heap objects (arrays, maps,
 * objects, string builders: field- and index-sensitive), a function, or a tagged framework object
 * (a request, a response, a session).
 *
 * Joins are "may" joins: a value that is tainted on one incoming path is tainted after the merge.
 */
import type { SyntaxNode } from '../syntax';
import type { Constant } from './ir';

/**
 * Kinds of sink, one per rule family. A sanitiser marks a value safe for some kinds (HTML escaping
 * for `xss`, `path.basename` for `path`, numeric parsing for all).
 */
export const SINK_KINDS = [
  'sql', 'nosql', 'command', 'code', 'path', 'xss', 'ssrf', 'redirect', 'log', 'template', 'deserialize',
  'regex', 'ldap', 'xpath', 'trust-boundary', 'header', 'xxe', 'password-store', 'weak-hash', 'cookie', 'lookup',
  // An equality or membership test (`==`, `===`, `!=`, `in`) with a tainted or parameter-derived operand: the
  // interpreter reports every one, and rules judge what the other side is (a role name, a stored password).
  'compare',
  // A record field that holds a government id, a payment card or bank account number (CWE-312).
  'sensitive-store',
] as const;
/** One of {@link SINK_KINDS}. */
export type SinkKind = (typeof SINK_KINDS)[number];

/** Bit of a sink kind in {@link Taint.safe}. */
export function kindBit(kind: SinkKind): number {
  return 1 << SINK_KINDS.indexOf(kind);
}
/** Every kind's bit: a value safe for everything (numbers, allow-listed values). */
export const ALL_SAFE = (1 << SINK_KINDS.length) - 1;

/** Where attacker-controlled data enters: a request field read, a request method call, an annotated parameter. */
export interface Source {
  /** How the code reads it, e.g. `req.query.id`, `request.getParameter("id")`, `@RequestParam name`. */
  label: string;
  node: SyntaxNode;
  /** 1-based line of the read. */
  line: number;
  /**
   * What enters: `request` (client input: the default), `random` (a non-cryptographic random value),
   * `archive` (an entry name read from a zip/tar archive), `principal` (the authenticated user's
   * identity: `req.user`, the session's user id, `request.user`, `current_user`; not attacker data,
   * tracked so that lookups scoped to the user can be told apart).
   */
  kind?: 'request' | 'random' | 'archive' | 'principal';
  /** Workspace-relative path of the file the read is in, when it is not the file of the sink (a flow across modules). */
  file?: string;
}

/** One step of a taint path after the source, for messages. */
export interface Step {
  /** e.g. "`name` (line 4)", "passed to `clean(s)` (line 9)", "returned by `decode()` (line 12)". */
  text: string;
  line: number;
  /** Workspace-relative path of the step's file, when it is not the file of the sink. */
  file?: string;
}

/** Attacker-controlled data carried by a value. */
export interface Taint {
  source: Source;
  /** Steps after the source, oldest first (at most {@link MAX_STEPS} are kept: first and last ones). */
  path: Step[];
  /** Bitmask of sink kinds this value was sanitised for ({@link kindBit}). */
  safe: number;
  /**
   * True when the value is certainly a string (built by concatenation, templates, `String()`,
   * `.toString()`, string methods). Request bodies and query objects can be objects or arrays
   * (`{"$ne": null}`, `a[$gt]=`), which matters for NoSQL operator injection.
   */
  str: boolean;
  /** The path was normalised (`path.resolve`, `os.path.realpath`, `filepath.Clean`, `getCanonicalPath`), so a prefix check on it is meaningful. */
  norm?: boolean;
  /** Quote characters the value was checked not to contain (`if "'" in x: return`): inside such quotes it cannot break out. */
  noQuote?: string;
  /**
   * The value came out of a signature check (`jwt.decode(token, key)` in PyJWT, `jwt.verify` in
   * jsonwebtoken, itsdangerous `loads`): the client chose which signed value to send but cannot forge
   * one, so identity and role claims in it are the server's. Injection rules still judge it.
   */
  verified?: boolean;
}

/** Longest taint path kept for a message. */
export const MAX_STEPS = 6;

/** What a value is, as far as the interpreter knows. All fields are optional: `{}` is "unknown, clean". */
export interface Value {
  taint?: Taint;
  /** A known constant (wrapped so that `null` and `undefined` constants are representable). */
  c?: { v: Constant | undefined };
  /** Heap objects this value may point to (at most 4). */
  refs?: number[];
  /** A framework object: `req` (HTTP request), `res` (response), `session`, `app` (Express/Flask app), `writer`. */
  tag?: string;
  /** A function of the file (index in IrFile.functions), with the state it closes over. */
  fn?: number;
  /** An instance of a class of this file (its name), for method calls on it. */
  cls?: string;
  /** A number or boolean: it cannot carry an injection payload. */
  numeric?: boolean;
  /** Known static type (Java declared type, short name: `Statement`, `StringBuilder`). */
  type?: string;
  /** The string was built from non-constant parts here (for "built from strings" findings without a source). */
  built?: { node: SyntaxNode; how: 'template' | 'concat' | 'format' };
  /** For a value of unknown content: the parameter of the function it comes from (callers decide it). */
  param?: string;
  /** Sink kinds (bitmask) a sanitiser made this value safe for, tainted or not: such a part does not make a built string suspicious. */
  escaped?: number;
  /** For a parsed URL (`urlparse(u)`, `new URL(u)`): the variable it was parsed from, so a host check narrows that variable. */
  parsedFrom?: string;
  /** The constant text a built string starts with (`"/user/" + name` → `/user/`), '' when it starts with a non-constant. */
  prefix?: string;
  /**
   * For a value read from a field named like a credential (`user.password`, `row['password']`,
   * `account.pin`) of something that is not request input: that field's name. A stored secret, so a
   * comparison with it tells how the secret is kept.
   */
  secretField?: string;
}

/** Field names that hold a credential, for {@link Value.secretField}: password, passphrase, PIN, OTP, API key, token, secret. */
export const SECRET_FIELD = /^(password|passwd|pwd|pass|passphrase|user_?password|userPassword|pin|otp|secret|api_?key|apiKey|token|access_?token|accessToken)$/i;

/** A heap object: array/list, map/dict/object, set, string builder, class instance. */
export interface Obj {
  kind: 'object' | 'array' | 'map' | 'set' | 'builder' | 'instance';
  /** Values under constant keys / field names. */
  fields: Map<string, Value>;
  /** Elements in order while every write was at a known position (lists, arrays, builders' parts). */
  elems?: Value[];
  /** Join of values written under unknown keys or positions. */
  any?: Value;
  cls?: string;
  /** Static type text when created by `new X()` (`ArrayList`, `HashMap`, `StringBuilder`). */
  type?: string;
  /** The literal that created it (object/dict/array literals), so a finding can quote one of its entries. */
  node?: SyntaxNode;
}

export const CLEAN: Value = Object.freeze({}) as Value;

/** A constant value. */
export function constant(v: Constant | undefined): Value {
  return typeof v === 'number' || typeof v === 'boolean' ? { c: { v }, numeric: true } : { c: { v } };
}

/** True when `v` carries taint that is not sanitised for `kind` (or for any kind when `kind` is omitted). */
export function isTaintedFor(t: Taint | undefined, kind?: SinkKind): t is Taint {
  if (!t) return false;
  return kind === undefined ? t.safe !== ALL_SAFE : (t.safe & kindBit(kind)) === 0;
}

/** How much a source kind matters when two meet: client input is the story worth telling. */
export const SOURCE_RANK: Record<NonNullable<Source['kind']>, number> = { request: 3, archive: 2, random: 1, principal: 0 };

/** Joins two taints: tainted if either is; safe only for kinds both are safe for; a string only if both are. */
export function joinTaint(a: Taint | undefined, b: Taint | undefined): Taint | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a === b) return a;
  // Keep the more dangerous one's story (client input first, then fewer sanitised kinds), and intersect what is safe.
  const ra = SOURCE_RANK[a.source.kind ?? 'request'];
  const rb = SOURCE_RANK[b.source.kind ?? 'request'];
  const base = ra !== rb ? (ra > rb ? a : b) : bits(a.safe) <= bits(b.safe) ? a : b;
  // A random value or the user's own identity is no attacker data: joined with client input, it does
  // not undo what a sanitiser made that input safe for (`str(random.randint(1, 9)) + secure_filename(f)`).
  const other = base === a ? b : a;
  const inert = ra !== rb && (other.source.kind === 'random' || other.source.kind === 'principal');
  const safe = inert ? base.safe : a.safe & b.safe;
  const str = a.str && b.str;
  const verified = !!a.verified && !!b.verified;
  if (safe === base.safe && str === base.str && verified === !!base.verified) return base;
  const out = { ...base, safe, str };
  if (verified) out.verified = true;
  else delete out.verified;
  return out;
}

function bits(n: number): number {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
}

/** Joins two values (a may-join: taint, refs and tags survive from either side; constants only when equal). */
export function join(a: Value | undefined, b: Value | undefined): Value {
  if (!a) return b ?? CLEAN;
  if (!b) return a;
  if (a === b) return a;
  const out: Value = {};
  const t = joinTaint(a.taint, b.taint);
  if (t) out.taint = t;
  if (a.c && b.c && a.c.v === b.c.v) out.c = a.c;
  if (a.refs || b.refs) {
    const refs = [...(a.refs ?? [])];
    for (const r of b.refs ?? []) if (!refs.includes(r) && refs.length < 4) refs.push(r);
    out.refs = refs;
  }
  const tag = a.tag ?? b.tag;
  if (tag) out.tag = tag;
  const fn = a.fn ?? b.fn;
  if (fn !== undefined) out.fn = fn;
  const cls = a.cls ?? b.cls;
  if (cls) out.cls = cls;
  if (a.numeric && b.numeric) out.numeric = true;
  const type = a.type === b.type ? a.type : undefined;
  if (type) out.type = type;
  const built = a.built ?? b.built;
  if (built) out.built = built;
  if (a.parsedFrom && a.parsedFrom === b.parsedFrom) out.parsedFrom = a.parsedFrom;
  if (a.secretField && a.secretField === b.secretField) out.secretField = a.secretField;
  const param = a.param ?? b.param;
  if (param) out.param = param;
  if (a.prefix !== undefined && b.prefix !== undefined) out.prefix = commonPrefix(a.prefix, b.prefix);
  else if (a.c && typeof a.c.v === 'string' && b.prefix !== undefined) out.prefix = commonPrefix(a.c.v, b.prefix);
  else if (b.c && typeof b.c.v === 'string' && a.prefix !== undefined) out.prefix = commonPrefix(b.c.v, a.prefix);
  return out;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** The constant text a value is known to start with: its constant, or the prefix of a built string. */
export function prefixOf(v: Value): string {
  if (v.c && typeof v.c.v === 'string') return v.c.v;
  return v.prefix ?? '';
}

/** Joins a list of values ({@link CLEAN} for none). */
export function joinAll(vs: Iterable<Value>): Value {
  let out: Value | undefined;
  for (const v of vs) out = join(out, v);
  return out ?? CLEAN;
}

/** Shallow equality good enough to detect a loop fixpoint: same taint object, constant, refs, tag. */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.taint !== b.taint) {
    if (!a.taint || !b.taint || a.taint.safe !== b.taint.safe || a.taint.source !== b.taint.source) return false;
  }
  if ((a.c === undefined) !== (b.c === undefined) || (a.c && b.c && a.c.v !== b.c.v)) return false;
  if ((a.refs?.length ?? 0) !== (b.refs?.length ?? 0)) return false;
  return a.tag === b.tag && a.fn === b.fn && a.numeric === b.numeric;
}

/** A taint extended by one step (keeps the first steps and the latest ones within {@link MAX_STEPS}). */
export function step(t: Taint, text: string, line: number): Taint {
  const last = t.path[t.path.length - 1];
  if (last && last.text === text && last.line === line) return t;
  const path = t.path.length >= MAX_STEPS ? [...t.path.slice(0, 2), ...t.path.slice(t.path.length - MAX_STEPS + 3), { text, line }] : [...t.path, { text, line }];
  return { ...t, path };
}

/** The same taint, now also safe for `mask`. */
export function sanitise(t: Taint | undefined, mask: number): Taint | undefined {
  if (!t) return t;
  if ((t.safe | mask) === ALL_SAFE) return undefined;
  return { ...t, safe: t.safe | mask };
}

/** A value with its taint replaced (other facts kept). */
export function withTaint(v: Value, t: Taint | undefined): Value {
  if (v.taint === t) return v;
  const out = { ...v };
  if (t) out.taint = t;
  else delete out.taint;
  return out;
}

/**
 * A number computed from `vs`: numbers carry no injection payload, so request taint ends here, but a
 * non-cryptographic random value stays one through arithmetic and numeric conversions
 * (`(int) (Math.random() * 100)` is still predictable), so its `random` taint is kept.
 */
export function numericFrom(...vs: Array<Value | undefined>): Value {
  for (const v of vs) if (v?.taint?.source.kind === 'random') return { numeric: true, taint: v.taint };
  return { numeric: true };
}

/** A value whose taint came out of a signature check ({@link Taint.verified}). */
export function verifiedValue(v: Value): Value {
  return v.taint && !v.taint.verified ? { ...v, taint: { ...v.taint, verified: true } } : v;
}

/** The same taint marked as certainly a string. */
export function asString(t: Taint | undefined): Taint | undefined {
  return t && !t.str ? { ...t, str: true } : t;
}
