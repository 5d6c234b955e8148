import { ApiError } from "#shared/http/api-error.ts";

/**
 * How the Worker tells the feed object its socket cap. The object's `fetch` is reached only by
 * {@link liveConnectRequest}, a request the Worker builds itself, so a client cannot set it.
 */
const MAX_SOCKETS_HEADER = "x-feed-max-sockets";

/** A refused client is told to come back after 20–40 s: spread, so a crowd turned away does not return at once. */
const RETRY_AFTER_MIN_SECONDS = 20;
const RETRY_AFTER_SPREAD_SECONDS = 20;

/**
 * `FEED_MAX_SOCKETS` checked: a positive integer, or a configuration mistake said as such.
 *
 * @example
 * ```ts
 * const maxSockets = maxSocketsOf(env.FEED_MAX_SOCKETS); // 5000
 * ```
 */
export function maxSocketsOf(value: string | undefined): number {
  const max = Number(value);
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`FEED_MAX_SOCKETS must be a positive integer, got "${value}"`);
  return max;
}

/**
 * The request the Worker sends the feed object for one live connection, carrying the cap.
 *
 * @example
 * ```ts
 * const upgraded = await feedOf(env).fetch(liveConnectRequest(maxSocketsOf(env.FEED_MAX_SOCKETS)));
 * ```
 */
export const liveConnectRequest = (maxSockets: number): Request =>
  new Request("https://reply-feed.internal/replies/live", { headers: { upgrade: "websocket", [MAX_SOCKETS_HEADER]: String(maxSockets) } });

/**
 * The cap a {@link liveConnectRequest} carries.
 *
 * @example
 * ```ts
 * if (ctx.getWebSockets().length >= maxSocketsFrom(request)) return socketCapRefusal(...);
 * ```
 */
export const maxSocketsFrom = (request: Request): number => maxSocketsOf(request.headers.get(MAX_SOCKETS_HEADER) ?? undefined);

/**
 * Seconds a refused client should wait: 20 to 40.
 *
 * @example
 * ```ts
 * retryAfterSeconds(() => 0.5); // 30
 * ```
 */
export const retryAfterSeconds = (random: () => number = Math.random): number =>
  RETRY_AFTER_MIN_SECONDS + Math.floor(random() * (RETRY_AFTER_SPREAD_SECONDS + 1));

/**
 * The answer to an upgrade over the cap: the one JSON error envelope, 503 with `Retry-After`.
 * No WebSocket is accepted for it.
 *
 * @example
 * ```ts
 * return socketCapRefusal(5000); // 503 {"error":{"code":"no_service_available","message":"the live feed is full ..."}}
 * ```
 */
export function socketCapRefusal(maxSockets: number, random?: () => number): Response {
  const refusal = new ApiError(503, "no_service_available", `the live feed is full (${maxSockets} connections); retry later`, {
    headers: { "retry-after": String(retryAfterSeconds(random)) },
  });
  return Response.json(refusal.toEnvelope(), { status: refusal.status, headers: refusal.headers });
}
