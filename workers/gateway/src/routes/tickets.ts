import { Hono } from "hono";
import type { GatewayAppEnv } from "../env.ts";
import { forward } from "../forward.ts";
import type { GatewayDispatcher } from "../services.ts";

/**
 * The tickets API, under the same paths as the tickets service. Only these routes are
 * forwarded; anything else is the gateway's own JSON 404.
 */
export function ticketsRoutes(dispatcherFor: (env: GatewayAppEnv["Bindings"]) => GatewayDispatcher) {
  const app = new Hono<GatewayAppEnv>();
  const toTickets = (c: Parameters<typeof forward>[0]) => forward(c, dispatcherFor(c.env), "tickets");
  app.get("/tickets", toTickets);
  app.post("/tickets", toTickets);
  app.post("/tickets/addComment", toTickets);
  app.get("/tickets/:id", toTickets);
  app.post("/tickets/:id/replies", toTickets);
  app.get("/replies", toTickets);
  return app;
}
