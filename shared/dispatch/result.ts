import type { Attempt } from "./attempt.ts";
import { versionKey } from "./breaker-registry.ts";

/** What a successful dispatch returns. */
export interface DispatchResult {
  /** The serving version's response, untouched (a 4xx included). */
  response: Response;
  service: string;
  /** The version that served. */
  version: string;
  /** Every version tried or skipped, in order; the last one served. */
  attempts: Attempt[];
  /** The first version that did not serve (failed, timed out or was skipped), when there was one. */
  fallbackFrom?: string;
}

/**
 * The `x-served-by` and (after a fallback) `x-fallback-from` headers of a result, as
 * `service@version` values.
 *
 * @example
 * ```ts
 * const result = await dispatcher.dispatch("tickets", "^1.0.0", request);
 * const headers = new Headers(result.response.headers);
 * for (const [name, value] of Object.entries(servedByHeaders(result))) headers.set(name, value);
 * // x-served-by: tickets@1.0.0, x-fallback-from: tickets@1.0.1
 * ```
 */
export function servedByHeaders(result: DispatchResult): Record<string, string> {
  const headers: Record<string, string> = { "x-served-by": versionKey(result.service, result.version) };
  if (result.fallbackFrom !== undefined) headers["x-fallback-from"] = versionKey(result.service, result.fallbackFrom);
  return headers;
}
