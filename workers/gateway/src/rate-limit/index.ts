import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "#shared/http/api-error.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { clientKey } from "./client-key.ts";

/** The client's address, as Cloudflare's edge sets it (replacing whatever a client sent). */
const CLIENT_ADDRESS_HEADER = "cf-connecting-ip";

/**
 * The key of a request that carries no address: one that never crossed the edge (a test calling
 * the Worker in-process). All of those share one budget. `wrangler dev` sets the header (to
 * 127.0.0.1 for local calls), as the edge does.
 */
export const NO_ADDRESS_KEY = "no-address";

/** One limit: a Rate Limiting binding and what it counts. */
export interface RateLimitOptions {
  /** What is limited, for the error message: "writes", "live-feed connections". */
  what: string;
  /** The binding (a `[[ratelimits]]` entry of wrangler.toml). */
  limiter: (env: Env) => RateLimit;
  /**
   * The binding's `simple.period`, in seconds: the binding does not expose it, and a refused
   * client waits at most that long, so it is the `Retry-After`.
   */
  periodSeconds: 10 | 60;
  /** Which requests count; the others pass untouched. Default: all that reach the middleware. */
  counts?: (c: Context<{ Bindings: Env }>) => boolean;
}

/**
 * Limits requests per client address (an IPv6 one by its /64, see `clientKey`) with a Cloudflare
 * Rate Limiting binding: past the limit, a
 * 429 `rate_limited` in the error envelope with `Retry-After`. A binding that fails lets the
 * request through (logged): a limiter outage must not take the API down with it.
 *
 * @example
 * ```ts
 * app.use(rateLimit({ what: "writes", limiter: (env) => env.WRITE_RATE_LIMITER, periodSeconds: 60, counts: (c) => c.req.method === "POST" }));
 * ```
 */
export const rateLimit = ({ what, limiter, periodSeconds, counts }: RateLimitOptions) => {
  const limited = createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const address = c.req.header(CLIENT_ADDRESS_HEADER);
    const key = address === undefined ? NO_ADDRESS_KEY : clientKey(address);
    let allowed = true;
    try {
      ({ success: allowed } = await limiter(c.env).limit({ key }));
    } catch (err) {
      logEvent("warn", "gateway.rate_limiter_failed", { what, ...describeError(err) });
    }
    if (!allowed) {
      throw new ApiError(429, "rate_limited", `too many ${what} from this address: retry after ${periodSeconds} s`, {
        headers: { "retry-after": String(periodSeconds) },
      });
    }
    await next();
  });
  // Not async: a request that does not count (every read) costs one check and no extra promise.
  return createMiddleware<{ Bindings: Env }>((c, next) => (counts && !counts(c) ? next() : limited(c, next)));
};
