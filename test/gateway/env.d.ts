// Test-only bindings of the gateway project (test/gateway/project.ts), beside the gateway's own.
declare namespace Cloudflare {
  interface Env {
    /** The tickets database, to migrate it (the gateway itself has no database). */
    DB: D1Database;
    /** tickets 1.0.1 with FAILURE_RATE 1, to swap in for TICKETS_V1_0_1. */
    TICKETS_V1_0_1_FAILING: Fetcher;
  }
}
