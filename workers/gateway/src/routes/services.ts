import { Hono, type Context } from "hono";
import type { GatewayAppEnv } from "../env.ts";
import { forward } from "../forward.ts";
import type { GatewayDispatcher } from "../services.ts";

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
  app.post("/tickets/:id/replies", toTickets);
  app.get("/replies", toTickets);

  const toFeed = (path: string) => (c: Context<GatewayAppEnv>) => forward(c, dispatcherFor(c.env), "reply-feed", path);
  app.get("/latestReplies", toFeed("/latestReplies"));
  app.get("/replies/latest", toFeed("/latestReplies"));
  app.get("/replies/live", toFeed("/replies/live"));
  return app;
}
