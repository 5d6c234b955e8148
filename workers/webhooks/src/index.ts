// The webhooks Worker: consumes webhook-events (the fan-out) and webhook-deliveries (the attempts).
import { healthBody } from "#shared/http/health.ts";
import { logEvent } from "#shared/http/log.ts";
import { consumeDeliveries } from "./deliver.ts";
import { consumeWebhookEvents } from "./fan-out.ts";
import { systemRuntime } from "./runtime.ts";

export default {
  // Only GET /health: the Worker has no public routes (workers_dev is off); a service may probe it.
  fetch: async (request, env) => {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/health") {
      return Response.json(healthBody("webhooks", env.SERVICE_VERSION, env.CF_VERSION_METADATA));
    }
    return Response.json({ error: { code: "not_found", message: `${request.method} ${pathname} not found` } }, { status: 404 });
  },
  // Queue names carry the environment (webhook-events-staging, ...): match by prefix.
  queue: async (batch, env) => {
    if (batch.queue.startsWith("webhook-events")) return consumeWebhookEvents(batch, env, systemRuntime());
    if (batch.queue.startsWith("webhook-deliveries")) return consumeDeliveries(batch, env, systemRuntime());
    // A queue bound by mistake: keep its messages (retry) rather than drop them.
    logEvent("error", "webhooks.unknown_queue", { queue: batch.queue });
    batch.retryAll();
  },
} satisfies ExportedHandler<Env>;
