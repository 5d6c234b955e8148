import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { workerOptions } from "../../scripts/lib/worker-options.mjs";
import { CONFIGS, configVars, searchDatabase, ticketsDatabaseBindings, ticketsDown, ticketsV101Variants } from "../support/node/projects.ts";

const tickets = await ticketsDatabaseBindings();
const search = await searchDatabase();

/**
 * The search Worker is the Worker under test, with its own database (`SEARCH_DB`, migrated by
 * apply-search-migrations.ts) and its pump's Durable Object, bound to both tickets versions,
 * which run beside it on their shared D1 (migrated and seeded). Test-only bindings: `DB` on the
 * tickets database, `TEST_SEARCH_MIGRATIONS`, and two broken 1.0.1 variants to swap in.
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.search },
      miniflare: {
        ...tickets,
        d1Databases: { ...tickets.d1Databases, [search.binding]: search.id },
        bindings: { ...configVars(CONFIGS.search), ...tickets.bindings, TEST_SEARCH_MIGRATIONS: search.migrations },
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing", TICKETS_V1_0_1_DOWN: "tickets-1-0-1-down" },
        workers: [await workerOptions({ config: CONFIGS.ticketsV100 }), ...(await ticketsV101Variants()), ticketsDown],
      },
    }),
  ],
  test: {
    name: "search",
    include: ["test/search/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts", "test/search/apply-search-migrations.ts"],
  },
});
