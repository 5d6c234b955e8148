import { BreakerRegistry } from "./breaker-registry.ts";
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MIN_ATTEMPT_MS,
  MAX_ATTEMPTS_CAP,
} from "./defaults.ts";
import { defaultAttemptLogger, type AttemptLogger } from "./events.ts";
import { positive } from "./positive.ts";
import type { Registry } from "./registry.ts";

/** Options of {@link createDispatcher}; all but `registry` have defaults (see `defaults.ts`). */
export interface DispatcherOptions<S extends string> {
  registry: Registry<S>;
  /** Shared breakers; pass one kept at module scope. Default: a new registry for this dispatcher. */
  breakers?: BreakerRegistry;
  /** Per-attempt timeout. Default 2000 ms. */
  attemptTimeoutMs?: number;
  /** Deadline of a whole dispatch, attempts and skips included. Default 5000 ms. */
  deadlineMs?: number;
  /** No attempt after the first starts with less than this left before the deadline. Default 100 ms. */
  minAttemptMs?: number;
  /** Calls per dispatch (breaker skips do not count). Default 3, silently capped at `MAX_ATTEMPTS_CAP` (31). */
  maxAttempts?: number;
  /** The clock for deadlines and durations. Default `Date.now`. */
  now?: () => number;
  /** Receives one line per attempt. Default: `console.log(JSON.stringify(line))`. */
  log?: AttemptLogger;
}

/** {@link DispatcherOptions} with every default applied and checked. */
export type DispatcherConfig<S extends string> = Required<DispatcherOptions<S>>;


/**
 * Applies defaults and rejects nonsense (a zero timeout, a fractional attempt count) at startup.
 *
 * @example
 * ```ts
 * resolveConfig({ registry }).maxAttempts; // 3
 * ```
 */
export function resolveConfig<S extends string>(options: DispatcherOptions<S>): DispatcherConfig<S> {
  const maxAttempts = positive("maxAttempts", options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  if (!Number.isInteger(maxAttempts)) throw new RangeError(`maxAttempts must be an integer, got ${maxAttempts}`);
  const attemptTimeoutMs = positive("attemptTimeoutMs", options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  return {
    registry: options.registry,
    // Its own breakers run on its clock, and a half-open trial not back by the time its attempt
    // timed out is presumed lost.
    breakers: options.breakers ?? new BreakerRegistry({ trialTimeoutMs: attemptTimeoutMs, now }),
    attemptTimeoutMs,
    deadlineMs: positive("deadlineMs", options.deadlineMs ?? DEFAULT_DEADLINE_MS),
    minAttemptMs: positive("minAttemptMs", options.minAttemptMs ?? DEFAULT_MIN_ATTEMPT_MS, true),
    maxAttempts: Math.min(maxAttempts, MAX_ATTEMPTS_CAP),
    now,
    log: options.log ?? defaultAttemptLogger,
  };
}
