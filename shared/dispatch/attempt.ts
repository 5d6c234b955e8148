import type { Caller } from "./registry.ts";
import type { ReplayableRequest } from "./replayable-request.ts";
import { AttemptTimeoutError, withTimeout } from "./timeout.ts";

/**
 * How one attempt ended. `success`: the version answered with a status below 500 (a 4xx is the
 * service's answer too), or with a 5xx the caller accepts as an answer; `failed`: it threw or answered 5xx; `timeout`: no answer in time;
 * `skipped`: not called, its breaker is open; `aborted`: the caller's signal aborted.
 */
export type AttemptOutcome = "success" | "failed" | "timeout" | "skipped" | "aborted";

/** One version tried (or skipped) during a dispatch. */
export interface Attempt {
  version: string;
  outcome: AttemptOutcome;
  /** Why it did not serve: "HTTP 503", an error message, "circuit open", ... */
  reason?: string;
  /**
   * What a thrown call said, for the log line only: a service binding carries the callee's
   * exception message, which may name its internals, so it is never shown to clients.
   */
  detail?: string;
  /** The HTTP status, when the version answered. */
  status?: number;
  durationMs: number;
}

/** What one call produced: the attempt record, and the response when the version served. */
export interface AttemptResult {
  attempt: Attempt;
  response: Response | null;
}

/** Everything one call needs besides the version. */
export interface CallContext {
  replayable: ReplayableRequest;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  now: () => number;
  /** A 5xx that is the version's deliberate answer rather than a failure (see `DispatchOptions`). */
  isAnswer?: ((response: Response) => boolean) | undefined;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Calls one version once and classifies the result; never throws.
 *
 * @example
 * ```ts
 * const { attempt, response } = await callOnce("1.0.1", env.TICKETS_V1_0_1, { replayable, timeoutMs: 2_000, signal, now: Date.now });
 * ```
 */
export async function callOnce(version: string, caller: Caller, context: CallContext): Promise<AttemptResult> {
  const { replayable, timeoutMs, signal, now, isAnswer } = context;
  const startedAt = now();
  const finish = (fields: Omit<Attempt, "version" | "durationMs">, response: Response | null = null): AttemptResult => ({
    attempt: { version, ...fields, durationMs: Math.max(0, now() - startedAt) },
    response,
  });
  try {
    const response = await withTimeout(timeoutMs, signal, (attemptSignal) =>
      caller.fetch(replayable.forAttempt(attemptSignal)),
    );
    if (response.status < 500 || isAnswer?.(response)) return finish({ outcome: "success", status: response.status }, response);
    // Nobody reads a failed answer's body: cancel it rather than leave the stream open.
    await response.body?.cancel().catch(() => undefined);
    return finish({ outcome: "failed", status: response.status, reason: `HTTP ${response.status}` });
  } catch (err) {
    if (err instanceof AttemptTimeoutError) return finish({ outcome: "timeout", reason: err.message });
    if (signal?.aborted && err === signal.reason) return finish({ outcome: "aborted", reason: "caller aborted" });
    return finish({ outcome: "failed", reason: "call threw", detail: messageOf(err) });
  }
}
