/**
 * Versioned dispatch: call a service by name and semver range; the newest compatible version
 * answers, or the next one when it fails, within a per-attempt timeout and an overall deadline,
 * skipping versions whose circuit breaker is open. Framework-free: web-standard APIs only.
 *
 * Policies, in short:
 * - Failure = a throw, a 5xx, or a timeout. A 4xx is the service's answer: returned, no fallback;
 *   so is a 5xx the caller's `isAnswer` accepts (a capacity refusal from a healthy service).
 * - POST/PATCH (any non-idempotent method) fall back only with an `Idempotency-Key`; without one,
 *   the first call that may have reached a version is final. Breaker skips never reach anyone.
 * - Breaker skips are listed in `attempts` as "skipped"; if every version is skipped, nothing is
 *   called and `NoServiceAvailableError.retryAfterSeconds` says when the first breaker half-opens.
 * - `fallbackFrom` names the first version that did not serve, whether it failed or was skipped.
 * - Observers subscribe with `dispatcher.onAttempt/onFallback/onSuccess/onFailure/onBreakerStateChange`,
 *   each returning a disposer; one JSON log line per attempt goes to the injectable `log`.
 *
 * @example
 * ```ts
 * import { createDispatcher, createRegistry, isNoServiceAvailableError, servedByHeaders, toErrorResponse, type Dispatcher } from "#shared/dispatch/index.ts";
 *
 * let dispatcher: Dispatcher<"tickets"> | undefined; // one per isolate: its breakers learn from every request
 *
 * export default {
 *   async fetch(request: Request, env: Env) {
 *     dispatcher ??= createDispatcher({
 *       registry: createRegistry({ tickets: { "1.0.0": env.TICKETS_V1_0_0, "1.0.1": env.TICKETS_V1_0_1 } }),
 *     });
 *     try {
 *       const result = await dispatcher.dispatch("tickets", "^1.0.0", request, { signal: request.signal });
 *       const response = new Response(result.response.body, result.response);
 *       for (const [name, value] of Object.entries(servedByHeaders(result))) response.headers.set(name, value);
 *       return response;
 *     } catch (err) {
 *       if (!isNoServiceAvailableError(err)) throw err;
 *       const { status, headers, body } = toErrorResponse(err);
 *       return Response.json(body, { status, headers });
 *     }
 *   },
 * };
 * ```
 */
// The public surface: the policies (dispatcher, registry, breakers), their events and results,
// and the errors with their is-checks. Defaults, emitters and helpers stay inside.
export type { Attempt, AttemptOutcome } from "./attempt.ts";
export { Breaker } from "./breaker.ts";
export type { BreakerOptions, BreakerState } from "./breaker-types.ts";
export { BreakerRegistry, type BreakerRegistryOptions, type BreakerStateChange, type BreakerStatus } from "./breaker-registry.ts";
export { MAX_ATTEMPTS_CAP } from "./defaults.ts";
export { createDispatcher, type DispatchOptions, type Dispatcher } from "./dispatcher.ts";
export type { DispatcherOptions } from "./dispatcher-config.ts";
export { isInvalidRangeError, isNoMatchingVersionError, isRegistryConfigError, isUnknownServiceError } from "./errors.ts";
export type { AttemptEvent, AttemptLogLine, AttemptLogger, FailureEvent, FallbackEvent, SuccessEvent } from "./events.ts";
export { matchVersions } from "./match.ts";
export { NoServiceAvailableError, isNoServiceAvailableError, toErrorResponse } from "./no-service-available.ts";
export { createRegistry, type Caller, type Registry, type RegistryConfig } from "./registry.ts";
export { servedByHeaders, type DispatchResult } from "./result.ts";
export type { ServiceStatus, VersionStatus } from "./service-status.ts";
