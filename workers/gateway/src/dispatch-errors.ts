import {
  isInvalidRangeError,
  isNoMatchingVersionError,
  isNoServiceAvailableError,
  toErrorResponse,
} from "#shared/dispatch/index.ts";
import { ApiError } from "#shared/http/api-error.ts";

/**
 * The client-facing error for a failed dispatch, with `headers` added, or `err` itself when it
 * is not one of the dispatch library's typed errors (then it is an internal error for the one `onError`).
 */
export function toApiError(err: unknown, headers: Record<string, string> = {}): unknown {
  if (isNoServiceAvailableError(err)) {
    const parts = toErrorResponse(err);
    return new ApiError(503, "no_service_available", parts.body.error.message, {
      details: parts.body.error.details,
      headers: { ...parts.headers, ...headers },
    });
  }
  if (isInvalidRangeError(err)) {
    return new ApiError(400, "invalid_request", `Accept-Version: ${err.message}`, {
      details: [{ path: "Accept-Version", message: "not a valid semver range" }],
      headers,
    });
  }
  if (isNoMatchingVersionError(err)) {
    return new ApiError(404, "no_matching_version", err.message, {
      details: { service: err.service, range: err.range, available: err.available },
      headers,
    });
  }
  return err;
}
