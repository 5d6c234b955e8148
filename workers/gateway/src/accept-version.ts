import { ApiError } from "#shared/http/api-error.ts";

/** The header a client names the versions it accepts in (a semver range). */
export const ACCEPT_VERSION_HEADER = "accept-version";
/** The range used when a client names none. */
export const DEFAULT_VERSION_RANGE = "^1.0.0";
/**
 * The longest range read. Real ones are a few characters (`^1.0.0`, `>=1.0.1 <2`); the cap bounds
 * what semver's parser (regular expressions) is given, and what an error message repeats.
 */
export const MAX_ACCEPT_VERSION_LENGTH = 256;

/**
 * The semver range a request asks for: its `Accept-Version`, or the default. A longer header than
 * {@link MAX_ACCEPT_VERSION_LENGTH} is a 400 before it is parsed; an unparsable one is the
 * dispatcher's 400 (`InvalidRangeError`).
 *
 * @example
 * ```ts
 * const range = requestedRange(c.req.header(ACCEPT_VERSION_HEADER)); // "^1.0.0" when absent
 * ```
 */
export function requestedRange(header: string | undefined): string {
  if (header === undefined) return DEFAULT_VERSION_RANGE;
  if (header.length > MAX_ACCEPT_VERSION_LENGTH) {
    throw new ApiError(400, "invalid_request", `Accept-Version: at most ${MAX_ACCEPT_VERSION_LENGTH} characters`, {
      details: [{ path: "Accept-Version", message: `longer than ${MAX_ACCEPT_VERSION_LENGTH} characters` }],
    });
  }
  return header;
}
