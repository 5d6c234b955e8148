// Test-only bindings of the webhooks project (test/webhooks/project.ts), beside the Worker's own.
declare namespace Cloudflare {
  interface Env {
    /** The test receiver Worker: GET /_log lists the requests it recorded. */
    RECEIVER: Fetcher;
    /** tickets 1.0.0 on the shared database: replies in, manual retries of deliveries. */
    TICKETS: Fetcher;
    /** A producer to the webhook-events Queue the Worker consumes, as the tickets outbox sends. */
    TEST_WEBHOOK_EVENTS: Queue;
  }
}
