import { IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER } from "../headers.ts";

/** Methods that RFC 9110 defines as idempotent: sending them twice has the effect of once. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/** An incoming request, read once, that can be sent again to each version tried. */
export interface ReplayableRequest {
  /** A fresh copy for one attempt: same method, URL, every header and the identical body bytes. */
  forAttempt(signal: AbortSignal): Request;
  /**
   * True when a second version may receive it after the first may already have acted on it:
   * the method is idempotent, or the caller sent an `Idempotency-Key` that lets services
   * recognise the repeat.
   */
  readonly retrySafe: boolean;
  /** The `x-request-id` header, for log lines. */
  readonly requestId: string | undefined;
}

/**
 * Buffers the body once: a request body is a stream that can be read only once, and every
 * attempt must send the same bytes (with the same Idempotency-Key) or a retried write could
 * differ from the first.
 *
 * @example
 * ```ts
 * const replayable = await toReplayable(request);
 * await env.TICKETS_V1_0_1.fetch(replayable.forAttempt(signal));
 * ```
 */
export async function toReplayable(request: Request): Promise<ReplayableRequest> {
  const method = request.method.toUpperCase();
  // A GET or HEAD may arrive with a body (clients do send one), but a Request with both cannot
  // be built: drop it, as HTTP gives such a body no meaning.
  const body = request.body === null || method === "GET" || method === "HEAD" ? null : await request.arrayBuffer();
  const copy = (signal?: AbortSignal) => new Request(request.url, { method: request.method, headers: request.headers, body, signal });
  // Build one copy now: a request that cannot be copied is the caller's error, not a failure to
  // blame on (and open the breaker of) every version tried. Without a body, the copy is the
  // request itself over again (its method, URL and headers already made a Request), so it cannot fail.
  if (body !== null) copy();
  return {
    forAttempt: copy,
    retrySafe: IDEMPOTENT_METHODS.has(method) || request.headers.has(IDEMPOTENCY_KEY_HEADER),
    requestId: request.headers.get(REQUEST_ID_HEADER) ?? undefined,
  };
}
