import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { auxWorker } from "../support/node/aux-worker.ts";
import { CONFIGS, ticketMigrations, ticketsDatabaseId } from "../support/node/projects.ts";

/**
 * The gateway is the Worker under test, bound (by its own wrangler.toml) to both tickets
 * versions running beside it on their shared D1. Test-only bindings: `DB`, to migrate that
 * database, and a 1.0.1 that fails every ticket query, for tests to swap in.
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.gateway },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await ticketMigrations() },
        d1Databases: { DB: ticketsDatabaseId() },
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing" },
        workers: [
          await auxWorker({ config: CONFIGS.ticketsV100 }),
          await auxWorker({ config: CONFIGS.ticketsV101, vars: { FAILURE_RATE: "0" } }),
          await auxWorker({ config: CONFIGS.ticketsV101, name: "tickets-1-0-1-failing", vars: { FAILURE_RATE: "1" } }),
          await auxWorker({ config: CONFIGS.replyFeed }),
        ],
      },
    }),
  ],
  test: {
    name: "gateway",
    include: ["test/gateway/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts"],
  },
});
