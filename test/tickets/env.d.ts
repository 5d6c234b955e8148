// Test-only bindings of the tickets project (test/tickets/project.ts), beside tickets 1.0.0's own.
declare namespace Cloudflare {
  interface Env {
    /** tickets 1.0.1 with FAILURE_RATE 0. */
    TICKETS_V1_0_1: Fetcher;
    /** tickets 1.0.1 with FAILURE_RATE 1. */
    TICKETS_V1_0_1_FAILING: Fetcher;
  }
}
