// Test-only bindings of the reply-feed project (test/reply-feed/project.ts), beside the feed's own.
declare namespace Cloudflare {
  interface Env {
    /** The tickets database, to migrate it (the feed itself has no database). */
    DB: D1Database;
    /** tickets 1.0.1 with FAILURE_RATE 1. */
    TICKETS_V1_0_1_FAILING: Fetcher;
    /** A tickets 1.0.1 that answers every request with a 503. */
    TICKETS_V1_0_1_DOWN: Fetcher;
  }
}
