import { BreakerRegistry, createDispatcher, createRegistry, type Dispatcher } from "#shared/dispatch/index.ts";
import { logEvent } from "#shared/http/log.ts";
import { recordAttempts } from "./dispatch-analytics.ts";

/**
 * The services the gateway calls, each version mapped to its service binding. Keep this in step
 * with the `[[services]]` of the top-level wrangler.toml.
 */
export const registryFor = (env: Env) =>
  createRegistry({
    tickets: { "1.0.0": env.TICKETS_V1_0_0, "1.0.1": env.TICKETS_V1_0_1 },
    "reply-feed": { "1.0.0": env.REPLY_FEED_V1_0_0 },
    search: { "1.0.0": env.SEARCH_V1_0_0 },
  });

/** The services the gateway dispatches to. */
export type GatewayService = "tickets" | "reply-feed" | "search";
export type GatewayDispatcher = Dispatcher<GatewayService>;

/** A numeric var, or `fallback` when unset; anything else is a configuration mistake. */
function numberVar(env: Env, name: keyof Env, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${String(raw)}"`);
  return value;
}

/** Breakers tuned by the env's vars; one registry per isolate, shared by all its requests. */
export function createBreakers(env: Env): BreakerRegistry {
  const breakers = new BreakerRegistry({
    failureThreshold: numberVar(env, "BREAKER_FAILURE_THRESHOLD", undefined),
    cooldownMs: numberVar(env, "BREAKER_COOLDOWN_MS", undefined),
    // A half-open trial that has not reported by the time its attempt timed out is presumed lost.
    trialTimeoutMs: numberVar(env, "DISPATCH_ATTEMPT_TIMEOUT_MS", undefined),
  });
  breakers.onStateChange((change) => logEvent("info", "breaker.state", { ...change }));
  return breakers;
}

/** A dispatcher over `env`'s bindings that shares `breakers` with the rest of the isolate. */
export function createGatewayDispatcher(env: Env, breakers: BreakerRegistry): GatewayDispatcher {
  const dispatcher = createDispatcher({
    registry: registryFor(env),
    breakers,
    attemptTimeoutMs: numberVar(env, "DISPATCH_ATTEMPT_TIMEOUT_MS", undefined),
    deadlineMs: numberVar(env, "DISPATCH_DEADLINE_MS", undefined),
  });
  recordAttempts(dispatcher, env.DISPATCH_ANALYTICS);
  return dispatcher;
}
