import { Hono } from "hono";
import { handleError, handleNotFound } from "#shared/http/error-handler.ts";
import { limitBody } from "#shared/http/json-body/index.ts";
import { allowRoutedMethods } from "#shared/http/method-not-allowed.ts";
import { requestId } from "#shared/http/request-id/index.ts";
import { healthBody } from "#shared/http/health.ts";
import { checkIdempotencyKey } from "#shared/http/idempotency-key/index.ts";
import { changeLogRoutes } from "./change-log/routes.ts";
import { d1Session } from "./d1-session/index.ts";
import type { TicketsAppEnv } from "./env.ts";
import type { RandomSource } from "./failure-injection/index.ts";
import { replyRoutes } from "./routes/replies.ts";
import { ticketRoutes } from "./routes/tickets.ts";
import { LIMITS } from "./schemas.ts";
import { subscriptionRoutes } from "./subscriptions/routes.ts";

/** What a test may swap out: the random source behind failure injection. */
export interface TicketsAppOptions {
  random?: RandomSource;
}

/**
 * The tickets service's HTTP API, the same for every deployed version.
 *
 * @example
 * ```ts
 * const app = createTicketsApp({ random: () => 0.99 }); // never fails below FAILURE_RATE=0.99
 * const res = await app.request("/tickets", {}, env);
 * ```
 */
export function createTicketsApp(options: TicketsAppOptions = {}) {
  const random = options.random ?? Math.random;
  const app = new Hono<TicketsAppEnv>();
  app.use(requestId());
  app.use(limitBody(LIMITS.bodyBytes));
  app.use(checkIdempotencyKey());
  app.use(d1Session());
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.get("/health", (c) => c.json(healthBody("tickets", c.env.SERVICE_VERSION, c.env.CF_VERSION_METADATA)));
  // Reply and subscription routes first: /tickets/addComment and /tickets/subscribeToComments
  // must not be taken for a ticket id.
  app.route("/", replyRoutes());
  app.route("/", subscriptionRoutes());
  app.route("/tickets", ticketRoutes(random));
  app.route("/", changeLogRoutes());
  allowRoutedMethods(app);
  return app;
}
