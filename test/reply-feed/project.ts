import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { auxWorker } from "../support/node/aux-worker.ts";
import { COMPATIBILITY_DATE, CONFIGS, ticketMigrations, ticketsDatabaseId } from "../support/node/projects.ts";

/** A tickets 1.0.1 that is down: every request, GET /replies included, answers 503. */
const ticketsDown = {
  name: "tickets-1-0-1-down",
  modules: true,
  compatibilityDate: COMPATIBILITY_DATE,
  script: `export default {
    fetch: () => Response.json({ error: { code: "internal_error", message: "down" } }, { status: 503 }),
  };`,
};

/**
 * The reply feed is the Worker under test: it consumes the reply-events Queue its wrangler.toml
 * names (max_batch_timeout 0 there, so end-to-end tests need not wait a second per batch) and is
 * bound to both tickets versions, which run beside it on their shared D1 and produce to that
 * Queue. Test-only bindings: `DB` to migrate that database, and two broken 1.0.1 variants.
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.replyFeed },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await ticketMigrations() },
        d1Databases: { DB: ticketsDatabaseId() },
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing", TICKETS_V1_0_1_DOWN: "tickets-1-0-1-down" },
        workers: [
          await auxWorker({ config: CONFIGS.ticketsV100 }),
          await auxWorker({ config: CONFIGS.ticketsV101, vars: { FAILURE_RATE: "0" } }),
          await auxWorker({ config: CONFIGS.ticketsV101, name: "tickets-1-0-1-failing", vars: { FAILURE_RATE: "1" } }),
          ticketsDown,
        ],
      },
    }),
  ],
  test: {
    name: "reply-feed",
    include: ["test/reply-feed/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts"],
  },
});
