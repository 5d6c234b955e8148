// Test-only bindings of the search project (test/search/project.ts), beside the search Worker's own.
declare namespace Cloudflare {
  interface Env {
    /** The tickets database, to migrate and seed it (the search Worker itself never reads it). */
    DB: D1Database;
    /** The search database's migrations (test/search/apply-search-migrations.ts). */
    TEST_SEARCH_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** tickets 1.0.1 with FAILURE_RATE 1. */
    TICKETS_V1_0_1_FAILING: Fetcher;
    /** A tickets 1.0.1 that answers every request with a 503. */
    TICKETS_V1_0_1_DOWN: Fetcher;
  }
}
