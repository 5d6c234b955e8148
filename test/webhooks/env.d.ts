// Test-only bindings of the webhooks project (test/webhooks/project.ts), beside the Worker's own.
declare namespace Cloudflare {
  interface Env {
    /** The test receiver Worker: GET /_log lists the requests it recorded. */
    RECEIVER: Fetcher;
    /** A producer to the webhook-events Queue the Worker consumes, as the tickets outbox sends. */
    TEST_WEBHOOK_EVENTS: Queue;
  }
}
