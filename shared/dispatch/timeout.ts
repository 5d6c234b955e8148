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
export async function withTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  // Never start work the caller has already given up on.
  if (outer?.aborted) throw outer.reason;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let onOuterAbort: (() => void) | undefined;

  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown): void => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(() => stop(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    onOuterAbort = () => stop(outer?.reason);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
  });

  try {
    // `async () =>` turns a synchronous throw from `work` into a rejection the race can see.
    return await Promise.race([(async () => work(controller.signal))(), stopped]);
  } finally {
    if (timer !== null) clearTimeout(timer);
    if (onOuterAbort !== undefined) outer?.removeEventListener("abort", onOuterAbort);
  }
}
