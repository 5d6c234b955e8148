/**
 * Cloudflare: "A single request has a maximum of 32 Worker invocations, and each call to a
 * Service binding counts towards this limit. Subsequent calls will throw an exception."
 * Each call also counts toward the subrequest limit (50 per request on Workers Free,
 * 10,000 by default on Workers Paid), so 32 is the binding constraint here.
 * Source: https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/#limits
 * and https://developers.cloudflare.com/workers/platform/limits/#subrequests (read 2026).
 */
export const MAX_WORKER_INVOCATIONS_PER_REQUEST = 32;

/**
 * The most attempts one dispatch may make. One of the 32 invocations is, we assume, the
 * gateway's own; the rest is the ceiling for `maxAttempts` whatever is configured. The gateway's
 * other binding calls in the same request share the budget, so keep `maxAttempts` well below it.
 */
export const MAX_ATTEMPTS_CAP = MAX_WORKER_INVOCATIONS_PER_REQUEST - 1;

/**
 * Per-attempt timeout. Service-binding calls run in the same process and answer in milliseconds;
 * an attempt still pending after 2 s is far more likely stuck than slow.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 2_000;

/** Overall deadline of one dispatch: room for two full attempts and a short third. */
export const DEFAULT_DEADLINE_MS = 5_000;

/** No fallback attempt is started with less time than this left before the deadline: it could hardly finish. */
export const DEFAULT_MIN_ATTEMPT_MS = 100;

/** Attempts (not breaker skips) per dispatch by default: with the defaults above, three is all that fits. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Consecutive failures that open a version's breaker. */
export const DEFAULT_FAILURE_THRESHOLD = 3;

/** How long an open breaker skips its version before letting one trial call through. */
export const DEFAULT_COOLDOWN_MS = 10_000;
