import { D1_BOOKMARK_HEADER, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAY_HEADER, REQUEST_ID_HEADER } from "#shared/headers.ts";
import { ACCEPT_VERSION_HEADER } from "./accept-version.ts";

/**
 * The request headers a service reads. Nothing else a client sent reaches a service: not its
 * cookies or credentials, not `cf-*` or `x-forwarded-*` it may have made up, not hop-by-hop headers.
 */
export const SERVICE_REQUEST_HEADERS = [
  "content-type",
  "accept",
  IDEMPOTENCY_KEY_HEADER,
  REQUEST_ID_HEADER,
  ACCEPT_VERSION_HEADER,
  // The tickets service starts its D1 session from the bookmark a client sends back.
  D1_BOOKMARK_HEADER,
] as const;

/** What a WebSocket opening handshake adds: the feed answers it, the runtime completes it. */
export const WEBSOCKET_REQUEST_HEADERS = [
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
] as const;

/**
 * The response headers a client sees. A service's others (its internals, a stray `set-cookie`)
 * stop at the gateway; the gateway adds `x-served-by`, `x-fallback-from` and `x-request-id`.
 */
export const CLIENT_RESPONSE_HEADERS = [
  "content-type",
  "x-next-cursor",
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  REQUEST_ID_HEADER,
  D1_BOOKMARK_HEADER,
  "retry-after",
  "allow",
  "x-served-by",
  "x-fallback-from",
] as const;

/** What a 101 Switching Protocols adds. */
export const WEBSOCKET_RESPONSE_HEADERS = ["upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions"] as const;

/** Copies the headers of `from` named in `names` into `into`. */
function pick(from: Headers, names: readonly string[], into: Headers): Headers {
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) into.set(name, value);
  }
  return into;
}

const CLIENT_RESPONSE_HEADER_SET: ReadonlySet<string> = new Set(CLIENT_RESPONSE_HEADERS);

/**
 * The headers of a request as a service gets it: {@link SERVICE_REQUEST_HEADERS}, plus the
 * handshake for a WebSocket upgrade.
 *
 * @example
 * ```ts
 * serviceRequestHeaders(c.req.raw.headers, false).has("cookie"); // false
 * ```
 */
export function serviceRequestHeaders(incoming: Headers, webSocket: boolean): Headers {
  const headers = pick(incoming, SERVICE_REQUEST_HEADERS, new Headers());
  return webSocket ? pick(incoming, WEBSOCKET_REQUEST_HEADERS, headers) : headers;
}

/**
 * The headers of a service's response as the client gets them: {@link CLIENT_RESPONSE_HEADERS},
 * plus the handshake's on a 101.
 *
 * @example
 * ```ts
 * clientResponseHeaders(served).has("set-cookie"); // false
 * ```
 */
export function clientResponseHeaders(served: Response): Headers {
  const headers = new Headers();
  // A service answers with a handful of headers: walking them is cheaper than asking for each
  // allowed name (this runs on every request).
  for (const [name, value] of served.headers) {
    if (CLIENT_RESPONSE_HEADER_SET.has(name)) headers.append(name, value);
  }
  return served.status === 101 ? pick(served.headers, WEBSOCKET_RESPONSE_HEADERS, headers) : headers;
}
