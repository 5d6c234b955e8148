import { Hono, type Context } from "hono";
import type { GatewayAppEnv } from "../env.ts";
import { forward, type ForwardOptions } from "../forward.ts";
import { rateLimit } from "../rate-limit/index.ts";
import { LIVE_LIMIT, SEARCH_LIMIT } from "../rate-limits.ts";
import { pokeSearchAfterWrite } from "../search-pump/index.ts";
import type { PokeCoverage } from "../search-pump/poke-coverage.ts";
import type { GatewayDispatcher } from "../services.ts";
import { requireSubscriptionsToken } from "../subscriptions-auth/index.ts";
import { checkWebSocketHandshake } from "../websocket-handshake/index.ts";

/**
 * A service's refusal that is an answer, not a failure: a JSON 503 with `Retry-After`. The feed
 * answers it when it holds as many sockets as it may; tickets when the delivery Queue refused a
 * webhook retry. The client gets it as is, and the service's breaker (which would then refuse the
 * service's other routes too) does not count it.
 */
const isBusy = (response: Response): boolean => response.status === 503 && response.headers.has("retry-after");

/**
 * The public API: the tickets service's routes under their own paths, the reply feed's and the
 * search service's. Only these routes are forwarded; anything else is the gateway's own JSON 404.
 * Reading tickets, posting replies and searching are open, as in the original; managing webhook
 * subscriptions and rebuilding the search index take the bearer token. `pokeCoverage` is the
 * isolate's record of which writes the search pump's pokes already cover.
 */
export function serviceRoutes(dispatcherFor: (env: Env) => GatewayDispatcher, pokeCoverage: PokeCoverage) {
  const app = new Hono<GatewayAppEnv>();
  const toTickets = (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "tickets");
  // Each ticket or reply written extends the change log: the search pump is poked to read it,
  // unless a poke already answered sets up a step that reads it.
  const poke = pokeSearchAfterWrite(pokeCoverage);
  app.get("/tickets", toTickets);
  app.post("/tickets", poke, toTickets);
  app.post("/tickets/addComment", poke, toTickets);
  app.get("/tickets/:id", toTickets);
  app.get("/tickets/:id/replies", toTickets);
  app.post("/tickets/:id/replies", poke, toTickets);
  app.get("/replies", toTickets);

  // Webhook subscriptions, and the original's routes for them. A DELETE may fall back to the
  // other version (it is idempotent); a POST does under the Idempotency-Key the gateway gives it.
  const token = requireSubscriptionsToken("subscription management");
  app.post("/tickets/subscribeToComments", token, toTickets);
  app.post("/tickets/unsubscribeToComments", token, toTickets);
  app.post("/subscriptions", token, toTickets);
  app.get("/subscriptions", token, toTickets);
  app.get("/subscriptions/:id", token, toTickets);
  app.delete("/subscriptions/:id", token, toTickets);
  app.post("/subscriptions/:id/rotate-secret", token, toTickets);
  app.post("/subscriptions/:id/enable", token, toTickets);
  app.get("/subscriptions/:id/deliveries", token, toTickets);
  app.post("/subscriptions/:id/deliveries/:deliveryId/retry", token, (c) => forward(c, dispatcherFor(c.env), "tickets", { isAnswer: isBusy }));

  // The search read model. Its rebuild (the whole index again from sequence 0) is management work.
  const toSearch = (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "search");
  app.get("/search", rateLimit(SEARCH_LIMIT), toSearch);
  app.get("/search/status", rateLimit(SEARCH_LIMIT), toSearch);
  app.post("/search/rebuild", requireSubscriptionsToken("rebuilding the search index"), toSearch);

  const toFeed = (options: ForwardOptions) => (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "reply-feed", options);
  app.get("/latestReplies", toFeed({ path: "/latestReplies" }));
  app.get("/replies/latest", toFeed({ path: "/latestReplies" }));
  // A handshake the runtime could not complete is refused before it counts, or reaches the feed.
  app.get("/replies/live", checkWebSocketHandshake(), rateLimit(LIVE_LIMIT), toFeed({ path: "/replies/live", webSocket: true, isAnswer: isBusy }));
  return app;
}
