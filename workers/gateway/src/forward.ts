import type { Context } from "hono";
import { servedByHeaders } from "#shared/dispatch/index.ts";
import { IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER } from "#shared/headers.ts";
import { BODY_LIMIT_BYTES } from "#shared/http/json-body/index.ts";
import { boundedBody } from "#shared/http/json-body/bounded-body.ts";
import { ACCEPT_VERSION_HEADER, requestedRange } from "./accept-version.ts";
import { toApiError } from "./dispatch-errors.ts";
import type { GatewayAppEnv } from "./env.ts";
import { clientResponseHeaders, serviceRequestHeaders } from "./forward-headers.ts";
import type { GatewayDispatcher, GatewayService } from "./services.ts";

/** Methods that write: the rate limit counts them, and each goes out under an Idempotency-Key. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PATCH"]);

/** Where and how a request is forwarded. */
export interface ForwardOptions {
  /** The service's path; by default the request's own. */
  path?: string;
  /** A WebSocket upgrade (checked by `checkWebSocketHandshake`): its handshake headers go along. */
  webSocket?: boolean;
  /** 5xx answers of the service that are answers, not failures (the dispatcher's `isAnswer`). */
  isAnswer?: (response: Response) => boolean;
}

/**
 * The path as the client sent it, still percent-encoded. Never Hono's `c.req.path`, which is
 * decoded: `/tickets/..%5Csubscriptions` matched the open `GET /tickets/:id`, and decoded to
 * `/tickets/..\subscriptions` it would reach a service as `/subscriptions` (the URL parser reads
 * `\` as `/` and resolves the `..`), past the token the gateway asks for that route. Encoded,
 * it stays one path segment, and the service refuses it as an id.
 */
const encodedPath = (c: Context<GatewayAppEnv>): string => new URL(c.req.url).pathname;

/**
 * The request to send on: same method, path, query and body (held to the services' limit), the
 * headers a service reads, the request id and, for a write the client sent without one, a fresh
 * Idempotency-Key so that a fallback to another version can never apply it twice.
 */
async function outgoingRequest(c: Context<GatewayAppEnv>, path: string, webSocket: boolean): Promise<Request> {
  // Larger bodies (413) and compressed ones (415) are refused before anything is sent on, and only
  // on a route that forwards (after its token check): a 401, 404 or 405 never reads the body at all.
  const body = await boundedBody(c.req.raw, BODY_LIMIT_BYTES);
  const { url, method } = c.req.raw;
  const query = url.indexOf("?");
  const headers = serviceRequestHeaders(c.req.raw.headers, webSocket);
  headers.set(REQUEST_ID_HEADER, c.get("requestId"));
  if (WRITE_METHODS.has(method) && !headers.has(IDEMPOTENCY_KEY_HEADER)) {
    headers.set(IDEMPOTENCY_KEY_HEADER, crypto.randomUUID());
  }
  return new Request(`https://service.internal${path}${query === -1 ? "" : url.slice(query)}`, { method, headers, body });
}

/**
 * The key a write went out under, for the client to reuse if it retries; none for reads. Only a
 * key that passed `checkIdempotencyKey` (#shared/http/idempotency-key), or the gateway's own, is ever echoed.
 */
function keyHeader(request: Request): Record<string, string> {
  const key = WRITE_METHODS.has(request.method) ? request.headers.get(IDEMPOTENCY_KEY_HEADER) : null;
  return key === null ? {} : { [IDEMPOTENCY_KEY_HEADER]: key };
}

/**
 * Sends the current request to `service` through the dispatcher and answers with the serving
 * version's response, reduced to the headers a client should see and marked with `x-served-by`
 * (and `x-fallback-from` after a fallback). A WebSocket upgrade is passed through as such. The
 * client's signal goes along: a client that went away stops the dispatch.
 *
 * @example
 * ```ts
 * app.get("/tickets", (c) => forward(c, dispatcher, "tickets"));
 * app.get("/replies/latest", (c) => forward(c, dispatcher, "reply-feed", { path: "/latestReplies" }));
 * ```
 */
export async function forward(
  c: Context<GatewayAppEnv>,
  dispatcher: GatewayDispatcher,
  service: GatewayService,
  { path = encodedPath(c), webSocket = false, isAnswer }: ForwardOptions = {},
): Promise<Response> {
  const range = requestedRange(c.req.header(ACCEPT_VERSION_HEADER));
  const request = await outgoingRequest(c, path, webSocket);
  try {
    const result = await dispatcher.dispatch(service, range, request, { signal: c.req.raw.signal, isAnswer });
    const served = result.response;
    const headers = clientResponseHeaders(served);
    for (const added of [servedByHeaders(result), keyHeader(request)]) {
      for (const name in added) headers.set(name, added[name] as string);
    }
    // A 101 carries its WebSocket, not a body.
    const body = served.webSocket ? null : served.body;
    return new Response(body, { status: served.status, statusText: served.statusText, headers, webSocket: served.webSocket });
  } catch (err) {
    // Above all on a 503: the write may have been applied, and only a retry under the same key is safe.
    throw toApiError(err, keyHeader(request));
  }
}
