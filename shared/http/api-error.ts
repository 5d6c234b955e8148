import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Machine-readable error codes used across every Worker of the project. */
export type ErrorCode =
  | "invalid_request"
  | "unsupported_media_type"
  | "payload_too_large"
  | "not_found"
  | "method_not_allowed"
  | "idempotency_key_reused"
  | "injected_failure"
  | "no_service_available"
  | "no_matching_version"
  | "rate_limited"
  | "client_closed_request"
  | "internal_error"
  // Webhook subscriptions (tickets service) and their bearer auth (gateway).
  | "unauthorized"
  | "subscription_limit_reached"
  | "delivery_in_progress"
  | "subscription_disabled"
  | "queue_unavailable";

/** The one error envelope every Worker answers with. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * An error that becomes a JSON error response in the shared `onError` handler.
 *
 * @example
 * ```ts
 * throw new ApiError(404, "not_found", "ticket 55e6... not found");
 * ```
 */
export class ApiError extends HTTPException {
  override readonly name = "ApiError";
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, { message });
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The envelope this error is answered with. */
  toEnvelope(): ErrorEnvelope {
    const error: ErrorEnvelope["error"] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** True when `value` is an {@link ApiError} (also across module copies). */
export const isApiError = (value: unknown): value is ApiError =>
  value instanceof ApiError || (value instanceof Error && value.name === "ApiError");
