import { parseRetryAfter } from "#shared/webhooks/retry-schedule.ts";
import type { Runtime } from "./runtime.ts";

/** How much of a receiver's answer the delivery log keeps. */
export const RESPONSE_BODY_LIMIT_BYTES = 1024;

/** What one POST to a receiver came to. */
export interface AttemptResult {
  /** The receiver's status; null when none came (timeout, network error, refused URL). */
  statusCode: number | null;
  /** Why the attempt failed; null on a 2xx. */
  error: string | null;
  /** The first KB of the answer, for the log. */
  responseBody: string | null;
  durationMs: number;
  /** What a 429 or 503 asked for with Retry-After, in seconds. */
  retryAfterSeconds: number | null;
}

/** One signed delivery request. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Whether an attempt succeeded: a 2xx, nothing else. */
export const succeeded = (result: AttemptResult): boolean => result.error === null && result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;

/**
 * At most `limit` bytes of a body, then the rest is cancelled: a receiver answering with a huge
 * (or endless) body costs neither memory nor time. Null when there is no body or reading fails.
 */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | null> {
  if (body === null) return null;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // Cut off mid-body (the timeout, a reset): keep what came.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(bytes);
}

/** The error of an answer that is not a 2xx. */
function statusError(response: Response): string | null {
  const { status } = response;
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    const location = response.headers.get("location");
    return `redirect (${status}${location ? ` to ${location.slice(0, 200)}` : ""}) not followed`;
  }
  return `receiver answered ${status}`;
}

/**
 * POSTs one delivery: redirects are not followed (a 3xx is a failure, and following it could
 * lead anywhere), the receiver has `timeoutMs` to answer, and only the first KB of its answer is
 * read. Never throws: every failure is an {@link AttemptResult} with an error.
 *
 * @example
 * ```ts
 * const result = await postWebhook(runtime, { url, headers, body }, 15_000);
 * if (succeeded(result)) ...
 * ```
 */
export async function postWebhook(runtime: Runtime, request: WebhookRequest, timeoutMs: number): Promise<AttemptResult> {
  const started = runtime.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const duration = () => Math.max(0, runtime.now() - started);
  try {
    const response = await runtime.fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal });
    const responseBody = await readLimited(response.body, RESPONSE_BODY_LIMIT_BYTES);
    const asksToWait = response.status === 429 || response.status === 503;
    return {
      statusCode: response.status,
      error: statusError(response),
      responseBody,
      durationMs: duration(),
      retryAfterSeconds: asksToWait ? parseRetryAfter(response.headers.get("retry-after"), runtime.now()) : null,
    };
  } catch (err) {
    const error = signal.aborted
      ? `timeout: no answer within ${timeoutMs} ms`
      : `network error: ${err instanceof Error ? err.message : String(err)}`;
    return { statusCode: null, error, responseBody: null, durationMs: duration(), retryAfterSeconds: null };
  }
}
