import { logEvent } from "../../../shared/http/log.ts";
import { createTicketsApp } from "./app.ts";
import type { TicketsEnv } from "./env.ts";
import { pruneIdempotencyKeys } from "./idempotency.ts";

const app = createTicketsApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    const pruned = await pruneIdempotencyKeys(env.DB);
    logEvent("info", "tickets.housekeeping", { version: env.SERVICE_VERSION, prunedIdempotencyKeys: pruned });
  },
} satisfies ExportedHandler<TicketsEnv>;
