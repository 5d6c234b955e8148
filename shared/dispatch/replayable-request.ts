import { IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER } from "./defaults.ts";

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
  const body = request.body === null ? null : await request.arrayBuffer();
  const method = request.method.toUpperCase();
  return {
    forAttempt: (signal) =>
      new Request(request.url, { method: request.method, headers: request.headers, body, signal }),
    retrySafe: IDEMPOTENT_METHODS.has(method) || request.headers.has(IDEMPOTENCY_KEY_HEADER),
    requestId: request.headers.get(REQUEST_ID_HEADER) ?? undefined,
  };
}
