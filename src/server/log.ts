/**
 * Logging through the client's console (`window/logMessage`, which the extension shows in the language
 * server's trace channel), with API keys scrubbed from everything that leaves the server.
 *
 * A key is registered for as long as a review that uses it runs; any text logged meanwhile, and any
 * notification or response built with {@link ServerLog.scrub}, has each occurrence replaced by
 * {@link KEY_PLACEHOLDER}. Nothing in the server logs request parameters, so this is a second line of defence
 * for messages that echo a key back (an HTTP error body, an SDK message).
 */

/** What a key is replaced with. */
export const KEY_PLACEHOLDER = '[API key]';

/** The part of `connection.console` used here. */
export interface ConsoleLike {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

/** Scrubbing logger; see the module comment. */
export class ServerLog {
  private readonly secrets = new Map<string, number>();

  constructor(private readonly console: ConsoleLike) {}

  /** Registers a secret until the returned function is called (reference-counted). Blank strings are ignored. */
  holdSecret(secret: string | undefined): () => void {
    if (!secret || secret.trim().length < 4) return () => {};
    this.secrets.set(secret, (this.secrets.get(secret) ?? 0) + 1);
    return () => {
      const n = (this.secrets.get(secret) ?? 1) - 1;
      if (n <= 0) this.secrets.delete(secret);
      else this.secrets.set(secret, n);
    };
  }

  /** `text` with every registered secret replaced. */
  scrubText(text: string): string {
    let out = text;
    for (const s of this.secrets.keys()) if (out.includes(s)) out = out.split(s).join(KEY_PLACEHOLDER);
    return out;
  }

  /** A JSON value with every registered secret replaced in its strings (the value itself when none occurs). */
  scrub<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    const json = JSON.stringify(value);
    if (json === undefined || ![...this.secrets.keys()].some((s) => json.includes(s))) return value;
    return JSON.parse(this.scrubText(json)) as T;
  }

  error(message: string): void {
    this.console.error(this.scrubText(message));
  }

  warn(message: string): void {
    this.console.warn(this.scrubText(message));
  }

  info(message: string): void {
    this.console.info(this.scrubText(message));
  }

  /** Detail for the trace (`MessageType.Log`). */
  debug(message: string): void {
    this.console.log(this.scrubText(message));
  }
}
