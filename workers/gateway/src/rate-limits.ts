import { WRITE_METHODS } from "./forward.ts";
import type { RateLimitOptions } from "./rate-limit/index.ts";

/**
 * Writes (POST, PATCH) per client address: `WRITE_RATE_LIMITER` in wrangler.toml. Its period is
 * the binding's `simple.period` (test/gateway holds the two equal).
 *
 * @example
 * ```ts
 * app.use(rateLimit(WRITE_LIMIT));
 * ```
 */
export const WRITE_LIMIT: RateLimitOptions = {
  what: "writes",
  limiter: (env) => env.WRITE_RATE_LIMITER,
  periodSeconds: 60,
  counts: (c) => WRITE_METHODS.has(c.req.method),
};

/**
 * Live-feed connections (`GET /replies/live` upgrades) per client address: `LIVE_RATE_LIMITER`.
 *
 * @example
 * ```ts
 * app.get("/replies/live", checkWebSocketHandshake(), rateLimit(LIVE_LIMIT), toFeed);
 * ```
 */
export const LIVE_LIMIT: RateLimitOptions = {
  what: "live-feed connections",
  limiter: (env) => env.LIVE_RATE_LIMITER,
  periodSeconds: 60,
};

/**
 * Searches (`GET /search`, `GET /search/status`) per client address: `SEARCH_RATE_LIMITER`. The
 * other reads stay unlimited; a search is the one read whose work grows with what it matches.
 *
 * @example
 * ```ts
 * app.get("/search", rateLimit(SEARCH_LIMIT), toSearch);
 * ```
 */
export const SEARCH_LIMIT: RateLimitOptions = {
  what: "searches",
  limiter: (env) => env.SEARCH_RATE_LIMITER,
  periodSeconds: 60,
};

