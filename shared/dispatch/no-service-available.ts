import type { Attempt } from "./attempt.ts";
import { hasName } from "./errors.ts";

/**
 * Why a dispatch stopped without an answer. `exhausted`: every matching version was tried or
 * skipped; `deadline`: too little time was left for another attempt; `max_attempts`: the attempt
 * cap was reached; `not_retry_safe`: a POST/PATCH without Idempotency-Key may already have been
 * applied by the version that failed, so no other version was tried.
 */
export type StopReason = "exhausted" | "deadline" | "max_attempts" | "not_retry_safe";

/** Fields of a {@link NoServiceAvailableError}. */
export interface NoServiceAvailableInit {
  service: string;
  range: string;
  attempts: Attempt[];
  stopReason: StopReason;
  /** Seconds until a version is expected to accept calls again; at least 1. */
  retryAfterSeconds: number;
}

const describe = (attempts: readonly Attempt[]): string =>
  attempts.map((a) => `${a.version} ${a.outcome}${a.reason === undefined ? "" : ` (${a.reason})`}`).join(", ") ||
  "no attempt";

/**
 * No matching version answered. Carries every attempt so the gateway can show what happened.
 *
 * @example
 * ```ts
 * try { await dispatcher.dispatch("tickets", "^1.0.0", request); }
 * catch (err) { if (isNoServiceAvailableError(err)) console.log(err.attempts, err.retryAfterSeconds); }
 * ```
 */
export class NoServiceAvailableError extends Error {
  override readonly name = "NoServiceAvailableError";
  readonly service: string;
  readonly range: string;
  readonly attempts: Attempt[];
  readonly stopReason: StopReason;
  readonly retryAfterSeconds: number;

  constructor(init: NoServiceAvailableInit) {
    super(`no version of ${init.service} matching ${init.range} answered (${init.stopReason}): ${describe(init.attempts)}`);
    this.service = init.service;
    this.range = init.range;
    this.attempts = init.attempts;
    this.stopReason = init.stopReason;
    this.retryAfterSeconds = Math.max(1, Math.ceil(init.retryAfterSeconds));
  }
}

/** @example `if (isNoServiceAvailableError(err)) return toErrorResponse(err);` */
export const isNoServiceAvailableError = (value: unknown): value is NoServiceAvailableError =>
  hasName(value, "NoServiceAvailableError");

/** An attempt as clients see it: without the thrown message, which may name a service's internals. */
export type PublicAttempt = Omit<Attempt, "detail">;

/** A framework-free description of the 503 a gateway answers with. */
export interface ErrorResponseParts {
  status: 503;
  headers: Record<string, string>;
  body: { error: { code: "no_service_available"; message: string; details: { attempts: PublicAttempt[] } } };
}

/**
 * The 503 answer for a {@link NoServiceAvailableError}, in the project's error envelope, with
 * Retry-After. Plain data, so any framework can send it.
 *
 * @example
 * ```ts
 * const { status, headers, body } = toErrorResponse(err);
 * return c.json(body, status, headers);
 * ```
 */
export function toErrorResponse(error: NoServiceAvailableError): ErrorResponseParts {
  return {
    status: 503,
    headers: { "retry-after": String(error.retryAfterSeconds) },
    body: {
      error: {
        code: "no_service_available",
        message: error.message,
        details: { attempts: error.attempts.map(({ detail: _logOnly, ...shown }) => shown) },
      },
    },
  };
}
