import { callOnce, type Attempt } from "./attempt.ts";
import { retryAfterSeconds, settle } from "./breaker-verdicts.ts";
import type { BreakerRegistry, BreakerStateChange } from "./breaker-registry.ts";
import { resolveConfig, type DispatcherConfig, type DispatcherOptions } from "./dispatcher-config.ts";
import { Emitter, type Disposer, type Listener } from "./emitter.ts";
import { toLogLine, type AttemptEvent, type FailureEvent, type FallbackEvent, type SuccessEvent } from "./events.ts";
import { NoServiceAvailableError, type StopReason } from "./no-service-available.ts";
import { toReplayable } from "./replayable-request.ts";
import type { DispatchResult } from "./result.ts";
import { describeServices, type ServiceStatus } from "./service-status.ts";

/** Per-call options of `dispatch`. */
export interface DispatchOptions {
  /** The caller's own cancellation (e.g. the client went away); an abort is rethrown as its reason. */
  signal?: AbortSignal;
  /** Overrides the dispatcher's deadline for this call. */
  deadlineMs?: number;
  /**
   * Which 5xx answers are the service's deliberate answer, not a failure: returned as is, with no
   * fallback, and a success to the breaker (the version works). E.g. a capacity refusal,
   * `503` with `Retry-After`, from a service that is healthy but full. Default: none.
   */
  isAnswer?: (response: Response) => boolean;
}

/**
 * Calls a service by name and semver range, newest compatible version first, falling back on failure.
 * A version whose breaker is open is not called: it appears in `attempts` as "skipped" and the next
 * one is tried. When nothing could be tried at all, the error's `retryAfterSeconds` is the time until
 * the earliest breaker half-opens.
 *
 * @example
 * ```ts
 * const dispose = dispatcher.onFallback((e) => console.log(`${e.service}: ${e.from} -> ${e.to}`));
 * const { response } = await dispatcher.dispatch("tickets", "^1.0.0", request);
 * dispose();
 * ```
 */
export interface Dispatcher<S extends string> {
  /**
   * Resolves with the first answer below 500, or throws: `NoServiceAvailableError` when no version
   * answered, the registry's typed errors for an unknown service or a bad range, the signal's
   * reason on abort.
   */
  dispatch(service: S, range: string, request: Request, options?: DispatchOptions): Promise<DispatchResult>;
  /** Services, versions, breaker states and call counts, for `GET /services`. */
  services(): ServiceStatus[];
  readonly breakers: BreakerRegistry;
  onAttempt(listener: Listener<AttemptEvent>): Disposer;
  onFallback(listener: Listener<FallbackEvent>): Disposer;
  onSuccess(listener: Listener<SuccessEvent>): Disposer;
  onFailure(listener: Listener<FailureEvent>): Disposer;
  onBreakerStateChange(listener: Listener<BreakerStateChange>): Disposer;
}

/**
 * Builds a {@link Dispatcher}. Listeners are subscribed with `onXxx(listener)`, each returning a
 * function that unsubscribes (cockatiel's style).
 *
 * @example
 * ```ts
 * const breakers = new BreakerRegistry(); // module scope: shared by every request of the isolate
 * const dispatcher = createDispatcher({ registry: createRegistry({ tickets: { "1.0.0": env.T100, "1.0.1": env.T101 } }), breakers });
 * const { response, version, fallbackFrom } = await dispatcher.dispatch("tickets", "^1.0.0", request, { signal });
 * ```
 */
export function createDispatcher<S extends string>(options: DispatcherOptions<S>): Dispatcher<S> {
  const config: DispatcherConfig<S> = resolveConfig(options);
  const { registry, breakers, now } = config;
  const attempted = new Emitter<AttemptEvent>();
  const fellBack = new Emitter<FallbackEvent>();
  const succeeded = new Emitter<SuccessEvent>();
  const failed = new Emitter<FailureEvent>();

  async function dispatch(service: S, range: string, request: Request, opts: DispatchOptions = {}) {
    const { signal } = opts;
    const candidates = registry.candidates(service, range);
    const replayable = await toReplayable(request);
    const base = { service, range, ...(replayable.requestId === undefined ? {} : { requestId: replayable.requestId }) };
    const startedAt = now();
    const deadlineAt = startedAt + (opts.deadlineMs ?? config.deadlineMs);
    const attempts: Attempt[] = [];
    const record = (attempt: Attempt): void => {
      attempts.push(attempt);
      const event = { ...base, attempt };
      config.log(toLogLine(event));
      attempted.emit(event);
    };
    let calls = 0;
    let stopReason: StopReason = "exhausted";

    for (const { version, caller } of candidates) {
      if (signal?.aborted) throw signal.reason;
      if (calls >= config.maxAttempts) {
        stopReason = "max_attempts";
        break;
      }
      const remaining = deadlineAt - now();
      // The first call always gets what time there is; a further one only if it could still finish.
      if (remaining <= 0 || (calls > 0 && remaining < config.minAttemptMs)) {
        stopReason = "deadline";
        break;
      }

      const breaker = breakers.get(service, version);
      const permission = breaker.tryAcquire();
      if (!permission.allowed) {
        record({ version, outcome: "skipped", reason: permission.reason, durationMs: 0 });
        continue;
      }
      const previous = attempts.at(-1);
      if (previous !== undefined && fellBack.listening) fellBack.emit({ ...base, from: previous.version, to: version, reason: previous.reason });
      calls += 1;
      const timeoutMs = Math.min(config.attemptTimeoutMs, remaining);
      const result = await callOnce(version, caller, { replayable, timeoutMs, signal, now, isAnswer: opts.isAnswer });
      settle(breaker, permission.trial, result);
      record(result.attempt);

      if (result.response !== null) {
        const { response } = result;
        if (succeeded.listening) succeeded.emit({ ...base, version, status: response.status, attempts, durationMs: now() - startedAt });
        const fallbackFrom = attempts.length > 1 ? attempts[0]?.version : undefined;
        return { response, service, version, attempts, ...(fallbackFrom === undefined ? {} : { fallbackFrom }) };
      }
      if (result.attempt.outcome === "aborted") throw signal?.reason;
      // The failed version may have applied the write: only a repeatable request may go elsewhere.
      if (!replayable.retrySafe) {
        stopReason = "not_retry_safe";
        break;
      }
    }

    const retryAfter = retryAfterSeconds(candidates.map((c) => breakers.get(service, c.version)), now());
    const error = new NoServiceAvailableError({ service, range, attempts, stopReason, retryAfterSeconds: retryAfter });
    failed.emit({ ...base, error });
    throw error;
  }

  return {
    dispatch,
    services: () => describeServices(registry, breakers),
    breakers,
    onAttempt: attempted.subscribe,
    onFallback: fellBack.subscribe,
    onSuccess: succeeded.subscribe,
    onFailure: failed.subscribe,
    onBreakerStateChange: (listener) => breakers.onStateChange(listener),
  };
}
