import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { workerOptions } from "../../scripts/lib/worker-options.mjs";
import { CONFIGS, ticketsDatabaseBindings, ticketsV101Variants } from "../support/node/projects.ts";

/**
 * The gateway is the Worker under test, bound (by its own wrangler.toml) to both tickets
 * versions and the reply feed running beside it, the tickets versions on their shared D1.
 * Test-only bindings: `DB`, to migrate that database, and a 1.0.1 that fails every ticket query,
 * for tests to swap in.
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.gateway },
      miniflare: {
        ...(await ticketsDatabaseBindings()),
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing" },
        workers: [
          await workerOptions({ config: CONFIGS.ticketsV100 }),
          ...(await ticketsV101Variants()),
          await workerOptions({ config: CONFIGS.replyFeed }),
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
