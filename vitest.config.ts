import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { auxWorker } from "./test/support/node/aux-worker.ts";

/** Every Worker and test project uses the same runtime date, so behaviour matches `wrangler dev`. */
const COMPATIBILITY_DATE = "2026-04-20";

const TICKETS_V1_0_0 = "workers/tickets/v1.0.0/wrangler.toml";
const TICKETS_V1_0_1 = "workers/tickets/v1.0.1/wrangler.toml";

export default defineConfig(async () => {
  const ticketMigrations = await readD1Migrations(path.resolve(import.meta.dirname, "workers/tickets/migrations"));

  return {
    test: {
      projects: [
        {
          plugins: [cloudflareTest({ miniflare: { compatibilityDate: COMPATIBILITY_DATE } })],
          test: { name: "dispatch", include: ["test/dispatch/**/*.test.ts"] },
        },
        {
          // tickets 1.0.0 is the Worker under test; two variants of 1.0.1 run beside it on the
          // same D1 database: one healthy, one failing every ticket query.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: TICKETS_V1_0_0 },
              miniflare: {
                bindings: { TEST_MIGRATIONS: ticketMigrations },
                serviceBindings: { TICKETS_V1_0_1: "tickets-1-0-1", TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing" },
                workers: [
                  await auxWorker({ config: TICKETS_V1_0_1, vars: { FAILURE_RATE: "0" } }),
                  await auxWorker({ config: TICKETS_V1_0_1, name: "tickets-1-0-1-failing", vars: { FAILURE_RATE: "1" } }),
                ],
              },
            }),
          ],
          test: {
            name: "tickets",
            include: ["test/tickets/**/*.test.ts"],
            setupFiles: ["test/support/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
