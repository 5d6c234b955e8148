import { isApiError } from "./api-error.ts";

/**
 * Reading the client's request body failed: the client went away part-way through sending it
 * (workerd says "Network connection lost."). Not a failure of ours: the one `onError` logs it at
 * info and answers 499, as when the request's signal aborts. The signal cannot be relied on
 * alone here: a body cut short errors the read before, or without, the signal aborting.
 */
export class ClientClosedRequestError extends Error {
  override readonly name = "ClientClosedRequestError";

  constructor(cause: unknown) {
    super(`the client closed the request while sending its body (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
}

/**
 * Whether `err` is a {@link ClientClosedRequestError}.
 *
 * @example
 * ```ts
 * if (isClientClosedRequest(err)) return clientWentAway(err, c);
 * ```
 */
export const isClientClosedRequest = (err: unknown): err is ClientClosedRequestError => err instanceof ClientClosedRequestError;

/**
 * Runs `read`, a read of the client's request body, and turns its failure into a
 * {@link ClientClosedRequestError}; an {@link ApiError} it throws (a 413, say) passes as it is.
 *
 * @example
 * ```ts
 * const text = await readingClientBody(() => c.req.text());
 * ```
 */
export async function readingClientBody<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw isApiError(err) ? err : new ClientClosedRequestError(err);
  }
}
