import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { CONFIGS, configVars, migrationBindings, ticketsV101Variants } from "../support/node/projects.ts";

/**
 * tickets 1.0.0 is the Worker under test; two variants of 1.0.1 run beside it on the same D1
 * database: one healthy, one failing every ticket query.
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.ticketsV100 },
      miniflare: {
        bindings: { ...configVars(CONFIGS.ticketsV100), ...(await migrationBindings()) },
        serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1", TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing" },
        workers: await ticketsV101Variants(),
      },
    }),
  ],
  test: {
    name: "tickets",
    include: ["test/tickets/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts"],
  },
});
