import { Hono, type Context } from "hono";
import type { GatewayAppEnv } from "../env.ts";
import { forward, type ForwardOptions } from "../forward.ts";
import { rateLimit } from "../rate-limit/index.ts";
import { LIVE_LIMIT } from "../rate-limits.ts";
import type { GatewayDispatcher } from "../services.ts";
import { checkWebSocketHandshake } from "../websocket-handshake/index.ts";

/**
 * The feed's answer when it holds as many sockets as it may: a JSON 503 with `Retry-After`. It is
 * the feed at work, not failing: the client gets it as is, and the feed's breaker (which would
 * then refuse `GET /latestReplies` too) does not count it.
 */
const isFeedFull = (response: Response): boolean => response.status === 503 && response.headers.has("retry-after");

/**
 * The public API: the tickets service's routes under their own paths, and the reply feed's.
 * Only these routes are forwarded; anything else is the gateway's own JSON 404.
 */
export function serviceRoutes(dispatcherFor: (env: Env) => GatewayDispatcher) {
  const app = new Hono<GatewayAppEnv>();
  const toTickets = (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "tickets");
  app.get("/tickets", toTickets);
  app.post("/tickets", toTickets);
  app.post("/tickets/addComment", toTickets);
  app.get("/tickets/:id", toTickets);
  app.get("/tickets/:id/replies", toTickets);
  app.post("/tickets/:id/replies", toTickets);
  app.get("/replies", toTickets);

  const toFeed = (options: ForwardOptions) => (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "reply-feed", options);
  app.get("/latestReplies", toFeed({ path: "/latestReplies" }));
  app.get("/replies/latest", toFeed({ path: "/latestReplies" }));
  // A handshake the runtime could not complete is refused before it counts, or reaches the feed.
  app.get("/replies/live", checkWebSocketHandshake(), rateLimit(LIVE_LIMIT), toFeed({ path: "/replies/live", webSocket: true, isAnswer: isFeedFull }));
  return app;
}
