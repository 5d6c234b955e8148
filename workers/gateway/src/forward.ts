import type { Context } from "hono";
import { servedByHeaders } from "#shared/dispatch/index.ts";
import { IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER } from "#shared/headers.ts";
import { toApiError } from "./dispatch-errors.ts";
import type { GatewayAppEnv } from "./env.ts";
import type { GatewayDispatcher, GatewayService } from "./services.ts";

/** The header a client names the versions it accepts in (a semver range). */
export const ACCEPT_VERSION_HEADER = "accept-version";
/** The range used when a client names none. */
export const DEFAULT_VERSION_RANGE = "^1.0.0";

const WRITE_METHODS = new Set(["POST", "PATCH"]);
const BODILESS_METHODS = new Set(["GET", "HEAD"]);

/**
 * The request to send on: same method, path, query, headers and body, plus the request id and,
 * for a write the client sent without one, a fresh Idempotency-Key so that a fallback to
 * another version can never apply it twice.
 */
function outgoingRequest(c: Context<GatewayAppEnv>, path: string): Request {
  const url = new URL(c.req.url);
  const headers = new Headers(c.req.raw.headers);
  headers.set(REQUEST_ID_HEADER, c.var.requestId);
  if (WRITE_METHODS.has(c.req.method) && !headers.has(IDEMPOTENCY_KEY_HEADER)) {
    headers.set(IDEMPOTENCY_KEY_HEADER, crypto.randomUUID());
  }
  return new Request(`https://service.internal${path}${url.search}`, {
    method: c.req.method,
    headers,
    // A body sent with a GET means nothing in HTTP, and a Request cannot carry one.
    body: BODILESS_METHODS.has(c.req.method) ? null : c.req.raw.body,
  });
}

/** The key a write went out under, for the client to reuse if it retries; none for reads. */
function keyHeader(request: Request): Record<string, string> {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  return key !== null && WRITE_METHODS.has(request.method) ? { [IDEMPOTENCY_KEY_HEADER]: key } : {};
}

/**
 * Sends the current request to `service` (at `path`, by default the same path) through the
 * dispatcher and answers with the serving version's response, marked with `x-served-by` (and
 * `x-fallback-from` after a fallback). A WebSocket upgrade is passed through as such.
 *
 * @example
 * ```ts
 * app.get("/tickets", (c) => forward(c, dispatcher, "tickets"));
 * app.get("/replies/latest", (c) => forward(c, dispatcher, "reply-feed", "/latestReplies"));
 * ```
 */
export async function forward(
  c: Context<GatewayAppEnv>,
  dispatcher: GatewayDispatcher,
  service: GatewayService,
  path: string = c.req.path,
): Promise<Response> {
  const range = c.req.header(ACCEPT_VERSION_HEADER) ?? DEFAULT_VERSION_RANGE;
  const request = outgoingRequest(c, path);
  try {
    const result = await dispatcher.dispatch(service, range, request, { signal: c.req.raw.signal });
    const served = result.response;
    const headers = new Headers(served.headers);
    for (const [name, value] of Object.entries({ ...servedByHeaders(result), ...keyHeader(request) })) headers.set(name, value);
    // A 101 carries its WebSocket, not a body.
    const body = served.webSocket ? null : served.body;
    return new Response(body, { status: served.status, statusText: served.statusText, headers, webSocket: served.webSocket });
  } catch (err) {
    // Above all on a 503: the write may have been applied, and only a retry under the same key is safe.
    throw toApiError(err, keyHeader(request));
  }
}
