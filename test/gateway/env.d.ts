// Test-only bindings of the gateway project (test/gateway/project.ts), beside the gateway's own.
declare namespace Cloudflare {
  interface Env {
    /** The tickets database, to migrate it (the gateway itself has no database). */
    DB: D1Database;
    /** The search Worker's database, to migrate it (the search Worker beside the gateway binds it too). */
    SEARCH_DB: D1Database;
    /** Its migrations (workers/search/migrations), applied by test/search/apply-search-migrations.ts. */
    TEST_SEARCH_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** tickets 1.0.1 with FAILURE_RATE 1, to swap in for TICKETS_V1_0_1. */
    TICKETS_V1_0_1_FAILING: Fetcher;
    /** The real reply feed with FEED_MAX_SOCKETS 1, to swap in for REPLY_FEED_V1_0_0. */
    REPLY_FEED_V1_0_0_FULL: Fetcher;
    /** A rate limiter of 2 requests a minute, to swap in for the gateway's limiters. */
    TEST_TIGHT_LIMITER: RateLimit;
    /** The gateway's `[[ratelimits]]` by environment ("top level", "staging", "production"). */
    TEST_GATEWAY_RATELIMITS: Record<string, { name: string; simple: { limit: number; period: number } }[]>;
  }
}
