import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { readWorkerConfig } from "../../scripts/lib/read-config.mjs";
import { workerOptions } from "../../scripts/lib/worker-options.mjs";
import { CONFIGS, configVars, searchDatabase, ticketsDatabaseBindings, ticketsV101Variants } from "../support/node/projects.ts";

/** The gateway's `[[ratelimits]]` at the top level and in each environment, for a test to hold its periods to. */
function gatewayRateLimits() {
  return Object.fromEntries(
    [undefined, "staging", "production"].map((env) => [env ?? "top level", readWorkerConfig(CONFIGS.gateway, env).ratelimits]),
  );
}

/**
 * The gateway is the Worker under test, bound (by its own wrangler.toml) to both tickets
 * versions, the reply feed and the search Worker running beside it, the tickets versions on their
 * shared D1, search on its own (`SEARCH_DB`, migrated by test/search's apply-search-migrations.ts).
 * Test-only bindings: `DB`, to migrate that database, a 1.0.1 that fails every ticket query, a
 * reply feed with room for one socket and a rate limiter of 2 a minute, for tests to swap in, and
 * the configured rate limits. The gateway's own secret `SUBSCRIPTIONS_TOKEN` (a `wrangler secret`
 * when deployed, `.dev.vars` under npm start) is a fixed test token.
 */
const database = await ticketsDatabaseBindings();
const search = await searchDatabase();

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.gateway },
      miniflare: {
        ...database,
        d1Databases: { ...database.d1Databases, [search.binding]: search.id },
        bindings: { ...configVars(CONFIGS.gateway), ...database.bindings, TEST_SEARCH_MIGRATIONS: search.migrations, TEST_GATEWAY_RATELIMITS: gatewayRateLimits(), SUBSCRIPTIONS_TOKEN: "test-subscriptions-token-9f2c41d7" },
        serviceBindings: { TICKETS_V1_0_1_FAILING: "tickets-1-0-1-failing", REPLY_FEED_V1_0_0_FULL: "reply-feed-1-0-0-full" },
        // Two a minute: the rate-limit tests swap it in (each test on addresses of its own) and
        // leave the configured limiters to every other test.
        ratelimits: { TEST_TIGHT_LIMITER: { namespace_id: "9001", simple: { limit: 2, period: 60 } } },
        workers: [
          await workerOptions({ config: CONFIGS.ticketsV100 }),
          ...(await ticketsV101Variants()),
          await workerOptions({ config: CONFIGS.replyFeed }),
          await workerOptions({ config: CONFIGS.search }),
          // The real feed with room for one socket; it consumes no Queue (the feed above does).
          { ...(await workerOptions({ config: CONFIGS.replyFeed, name: "reply-feed-1-0-0-full", vars: { FEED_MAX_SOCKETS: "1" } })), queueConsumers: {} },
        ],
      },
    }),
  ],
  test: {
    name: "gateway",
    include: ["test/gateway/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts", "test/search/apply-search-migrations.ts"],
  },
});
