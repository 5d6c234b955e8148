import type { AttemptEvent } from "#shared/dispatch/index.ts";

/**
 * The Analytics Engine data point of one dispatch attempt. Blobs and doubles are positional in
 * SQL (`blob1`, `double1`, ...), so their order is part of the README's queries:
 * - blob1 service, blob2 version, blob3 outcome (success, failed, timeout, skipped, aborted),
 *   blob4 the client's range, blob5 why it did not serve ("HTTP 503", "circuit open", ...)
 * - double1 duration in ms, double2 HTTP status (0 when the version did not answer)
 * - index1 "service@version": the sampling key, so a busy version cannot crowd out a quiet one.
 *
 * @example
 * ```ts
 * toDataPoint({ service: "tickets", range: "^1.0.0", attempt: { version: "1.0.1", outcome: "skipped", reason: "circuit open", durationMs: 0 } });
 * ```
 */
export function toDataPoint({ service, range, attempt }: AttemptEvent): AnalyticsEngineDataPoint {
  return {
    indexes: [`${service}@${attempt.version}`],
    blobs: [service, attempt.version, attempt.outcome, range, attempt.reason ?? ""],
    doubles: [attempt.durationMs, attempt.status ?? 0],
  };
}

/**
 * Writes every attempt of `dispatcher` to `dataset`: the breakers and counters of `GET /services`
 * belong to one isolate, these points to all of them. Writing never fails a request: the
 * runtime buffers the point and sends it after the response.
 *
 * @example
 * ```ts
 * recordAttempts(dispatcher, env.DISPATCH_ANALYTICS);
 * ```
 */
export function recordAttempts(
  dispatcher: { onAttempt(listener: (event: AttemptEvent) => void): unknown },
  dataset: AnalyticsEngineDataset | undefined,
): void {
  if (!dataset) return;
  dispatcher.onAttempt((event) => dataset.writeDataPoint(toDataPoint(event)));
}
