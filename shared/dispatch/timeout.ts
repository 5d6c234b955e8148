/**
 * An attempt ran out of time. Internal to one attempt: the dispatcher records it as outcome
 * "timeout" and moves on, so callers never see it thrown.
 */
export class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `outer` aborts, whichever
 * comes first, and settles at that moment even if `work` ignores its signal: the race is what
 * bounds the wait, the signal is what lets a well-behaved callee stop working.
 * Rejects with {@link AttemptTimeoutError} on timeout, with `outer.reason` on an outer abort.
 *
 * @example
 * ```ts
 * const response = await withTimeout(2_000, request.signal, (signal) => env.TICKETS.fetch(new Request(req, { signal })));
 * ```
 */
export function withTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  // Never start work the caller has already given up on.
  if (outer?.aborted) return Promise.reject(outer.reason);
  const controller = new AbortController();
  // One promise, settled by whichever comes first (rather than a race of several): this runs on
  // every attempt of every request.
  return new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    };
    const stop = (reason: unknown): void => {
      settle();
      controller.abort(reason);
      reject(reason);
    };
    const onOuterAbort = (): void => stop(outer?.reason);
    const timer = setTimeout(() => stop(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = work(controller.signal);
    } catch (err) {
      // A synchronous throw from `work` rejects like an asynchronous one.
      settle();
      reject(err);
      return;
    }
    pending.then(
      (value) => {
        settle();
        resolve(value);
      },
      (err: unknown) => {
        settle();
        reject(err);
      },
    );
  });
}
