import type { Attempt } from "./attempt.ts";
import type { NoServiceAvailableError } from "./no-service-available.ts";

/** Fields every dispatch event carries. */
export interface DispatchEventBase {
  service: string;
  range: string;
  /** The request's `x-request-id`, when it had one. */
  requestId?: string;
}

/** One attempt ended (skips included). Fired once per entry of `attempts`. */
export interface AttemptEvent extends DispatchEventBase {
  attempt: Attempt;
}

/** The dispatch is about to call `to` because `from` did not serve (failed, timed out or was skipped). */
export interface FallbackEvent extends DispatchEventBase {
  from: string;
  to: string;
  reason?: string;
}

/** A version served the dispatch. */
export interface SuccessEvent extends DispatchEventBase {
  version: string;
  status: number;
  attempts: Attempt[];
  durationMs: number;
}

/** The dispatch gave up; the same error is then thrown to the caller. */
export interface FailureEvent extends DispatchEventBase {
  error: NoServiceAvailableError;
}

/** One structured log line per attempt: the successor of "Calling ... / Failed call to ... / Succeeded call to ...". */
export interface AttemptLogLine {
  event: "dispatch.attempt";
  service: string;
  range: string;
  version: string;
  outcome: Attempt["outcome"];
  durationMs: number;
  status?: number;
  reason?: string;
  /** A thrown call's message: logged, never answered to clients. */
  detail?: string;
  requestId?: string;
}

/** Receives each attempt's log line. */
export type AttemptLogger = (line: AttemptLogLine) => void;

/**
 * Writes each line as one JSON object on stdout, the form Workers Logs indexes field by field.
 *
 * @example
 * ```ts
 * createDispatcher({ registry, log: defaultAttemptLogger });
 * ```
 */
export const defaultAttemptLogger: AttemptLogger = (line) => console.log(JSON.stringify(line));

/**
 * The log line of one attempt; absent optional fields are left out rather than set to undefined.
 *
 * @example
 * ```ts
 * toLogLine({ service: "tickets", range: "^1.0.0", attempt }); // { event: "dispatch.attempt", ... }
 * ```
 */
export function toLogLine({ service, range, requestId, attempt }: AttemptEvent): AttemptLogLine {
  const { version, outcome, durationMs, status, reason, detail } = attempt;
  // Built field by field rather than with conditional spreads: it runs on every request.
  const line: AttemptLogLine = { event: "dispatch.attempt", service, range, version, outcome, durationMs };
  if (status !== undefined) line.status = status;
  if (reason !== undefined) line.reason = reason;
  if (detail !== undefined) line.detail = detail;
  if (requestId !== undefined) line.requestId = requestId;
  return line;
}
