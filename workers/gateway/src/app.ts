import { Hono } from "hono";
import type { BreakerRegistry } from "#shared/dispatch/index.ts";
import { handleError, handleNotFound } from "#shared/http/error-handler.ts";
import { healthBody } from "#shared/http/health.ts";
import { checkIdempotencyKey } from "#shared/http/idempotency-key/index.ts";
import { allowRoutedMethods } from "#shared/http/method-not-allowed.ts";
import { requestId } from "#shared/http/request-id/index.ts";
import type { GatewayAppEnv } from "./env.ts";
import { rateLimit } from "./rate-limit/index.ts";
import { WRITE_LIMIT } from "./rate-limits.ts";
import { serviceRoutes } from "./routes/services.ts";
import { PokeCoverage } from "./search-pump/poke-coverage.ts";
import { createBreakers, createGatewayDispatcher, type GatewayDispatcher } from "./services.ts";

/** The gateway's version, as `GET /health` reports it. */
export const GATEWAY_VERSION = "1.0.0";

/** What a test may supply: breakers of its own instead of the isolate's, a poke coverage on a clock of its own. */
export interface GatewayAppOptions {
  breakers?: BreakerRegistry;
  pokeCoverage?: PokeCoverage;
}

/**
 * The public gateway: the tickets API, the reply feed and search, each dispatched to the newest
 * compatible version with fallback, plus `GET /services` and `GET /health`.
 *
 * @example
 * ```ts
 * export default createGatewayApp();
 * ```
 */
export function createGatewayApp(options: GatewayAppOptions = {}) {
  // The dispatcher and its breakers live as long as the isolate (whose env, bindings and vars
  // are fixed): every request it serves shares what the others learned.
  let dispatcher: GatewayDispatcher | undefined;
  const dispatcherFor = (env: Env): GatewayDispatcher =>
    (dispatcher ??= createGatewayDispatcher(env, options.breakers ?? createBreakers(env)));

  const app = new Hono<GatewayAppEnv>();
  app.use(requestId());
  // Before any other work: a write over its address's limit costs nothing more.
  app.use(rateLimit(WRITE_LIMIT));
  app.use(checkIdempotencyKey());
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.get("/health", (c) => c.json(healthBody("gateway", GATEWAY_VERSION, c.env.CF_VERSION_METADATA)));
  app.get("/services", (c) => c.json({ services: dispatcherFor(c.env).services() }));
  // As long-lived: which writes the search pump's pokes from this isolate already cover.
  app.route("/", serviceRoutes(dispatcherFor, options.pokeCoverage ?? new PokeCoverage()));
  allowRoutedMethods(app);
  return app;
}
