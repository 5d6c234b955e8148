// Header names every Worker and shared/dispatch agree on. Framework-free, so the dispatch core can use them.

/** Carries a request's id from the client through the gateway into every service and log line. */
export const REQUEST_ID_HEADER = "x-request-id";

/** Methods whose body HTTP gives no meaning: no route reads it, and no Request may be rebuilt with it. */
export const BODILESS_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** Makes a POST safe to repeat: the tickets service stores its result under this key. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** Set on an answer that repeats a stored result instead of writing again. */
export const IDEMPOTENT_REPLAY_HEADER = "idempotent-replayed";

/**
 * A D1 session bookmark: the tickets service answers every request with the latest one it saw,
 * and a read that sends it back sees at least that state of the database (read your own writes,
 * from either tickets version, also when a read replica serves the read).
 */
export const D1_BOOKMARK_HEADER = "x-d1-bookmark";

/**
 * What an Idempotency-Key may be: 1 to 255 printable ASCII characters, no space or control byte.
 * The one rule of the gateway (which refuses any other key before calling a service, and echoes
 * only a key that passed) and the tickets service (which stores it): a key that passes is safe
 * to store, log and send back in a response header.
 *
 * @example
 * ```ts
 * IDEMPOTENCY_KEY_PATTERN.test("3f1c9a52-reply-1"); // true
 * IDEMPOTENCY_KEY_PATTERN.test("k\x01k"); // false
 * ```
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
