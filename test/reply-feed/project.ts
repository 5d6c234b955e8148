import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { workerOptions } from "../../scripts/lib/worker-options.mjs";
import { CONFIGS, configVars, ticketsDatabaseBindings, ticketsDown, ticketsV101Variants } from "../support/node/projects.ts";

const database = await ticketsDatabaseBindings();

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
        ...database,
        bindings: { ...configVars(CONFIGS.replyFeed), ...database.bindings },
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing", TICKETS_V1_0_1_DOWN: "tickets-1-0-1-down" },
        workers: [
          await workerOptions({ config: CONFIGS.ticketsV100 }),
          ...(await ticketsV101Variants()),
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
