import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, isApiError, type ErrorCode, type ErrorEnvelope } from "./api-error.ts";
import { isClientClosedRequest } from "./client-closed.ts";
import { describeError, logEvent } from "./log.ts";
import type { RequestIdVariables } from "./request-id/index.ts";

/** Codes for HTTP exceptions thrown by Hono's own middleware, which carry only a status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "invalid_request",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The request's id, where the app runs the request-id middleware (every Worker of ours does). */
const requestIdOf = (c: Context<{ Variables: Partial<RequestIdVariables> }>): string | undefined => c.var.requestId;

/** nginx's "client closed request": what the access logs show for a request nobody waited for. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * The client went away (the runtime aborted the request's signal, `enable_request_signal`, or its
 * body broke off while it was read) and the work for it was stopped on purpose, which is what
 * threw: not a failure of ours, so it is logged at info, and the answer (read by no one) says so.
 */
function clientWentAway(err: unknown, c: Context<{ Variables: Partial<RequestIdVariables> }>): Response {
  logEvent("info", "request.aborted", {
    requestId: requestIdOf(c),
    method: c.req.method,
    path: c.req.path,
    reason: err instanceof Error ? err.message : String(err),
  });
  const envelope: ErrorEnvelope = { error: { code: "client_closed_request", message: "the client closed the request" } };
  return Response.json(envelope, { status: CLIENT_CLOSED_REQUEST });
}

/**
 * The one `onError` of every Worker: {@link ApiError}s become their JSON envelope,
 * an error thrown once the client has gone is logged at info, anything else is logged with
 * detail and answered with a generic 500.
 *
 * @example
 * ```ts
 * app.onError(handleError);
 * ```
 */
export const handleError: ErrorHandler = (err, c) => {
  if (isApiError(err)) {
    return c.json(err.toEnvelope(), err.status, err.headers);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = CODE_BY_STATUS[err.status] ?? "invalid_request";
    const apiError = new ApiError(err.status, code, err.message || code.replaceAll("_", " "));
    return c.json(apiError.toEnvelope(), apiError.status);
  }
  if (c.req.raw.signal?.aborted || isClientClosedRequest(err)) return clientWentAway(err, c);
  logEvent("error", "request.failed", {
    requestId: requestIdOf(c),
    method: c.req.method,
    path: c.req.path,
    ...describeError(err),
  });
  const internal = new ApiError(500, "internal_error", "internal error");
  return c.json(internal.toEnvelope(), 500);
};

/**
 * JSON 404 for routes no handler matched.
 *
 * @example
 * ```ts
 * app.notFound(handleNotFound);
 * ```
 */
export const handleNotFound: NotFoundHandler = (c) => {
  const notFound = new ApiError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
  return c.json(notFound.toEnvelope(), 404);
};
