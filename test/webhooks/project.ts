import path from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { workerOptions } from "../../scripts/lib/worker-options.mjs";
import { COMPATIBILITY_DATE, CONFIGS, configVars, ROOT, ticketsDatabaseBindings, ticketsDatabaseId } from "../support/node/projects.ts";

/** The test receiver Worker (receiver.mjs): records every POST, answers by path. */
const receiver = {
  name: "webhook-receiver",
  modules: true,
  compatibilityDate: COMPATIBILITY_DATE,
  scriptPath: path.join(ROOT, "test/webhooks/receiver.mjs"),
  d1Databases: { LOG: "webhook-receiver-log", TICKETS: ticketsDatabaseId() },
};

const database = await ticketsDatabaseBindings();

/**
 * The webhooks Worker is the Worker under test: it consumes webhook-events and
 * webhook-deliveries as its wrangler.toml says (max_batch_timeout 0, so end-to-end tests wait
 * for no batch), on the shared tickets D1. Every fetch it makes goes to the receiver Worker
 * (outboundService), so public-looking https URLs reach a receiver the tests control.
 * Test-only: the migrations, RECEIVER (to read the receiver's log), TICKETS (tickets 1.0.0, to
 * post replies and retry deliveries), TEST_WEBHOOK_EVENTS (to produce events as the tickets
 * outbox does), a 1 s receiver timeout and no retry jitter
 * (deterministic delays).
 */
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: CONFIGS.webhooks },
      miniflare: {
        ...database,
        bindings: { ...configVars(CONFIGS.webhooks), ...database.bindings, WEBHOOK_TIMEOUT_MS: "1000", WEBHOOK_RETRY_JITTER: "0", WEBHOOK_ALLOWED_HOSTS: "" },
        serviceBindings: { RECEIVER: "webhook-receiver", TICKETS: "tickets-1-0-0" },
        // The tickets service's side of the event flow, for the end-to-end tests.
        queueProducers: { TEST_WEBHOOK_EVENTS: { queueName: "webhook-events" } },
        outboundService: "webhook-receiver",
        // tickets 1.0.0 on the shared D1: its outbox produces to webhook-events, its retry route to webhook-deliveries.
        workers: [receiver, await workerOptions({ config: CONFIGS.ticketsV100 })],
      },
    }),
  ],
  test: {
    name: "webhooks",
    include: ["test/webhooks/**/*.test.ts"],
    setupFiles: ["test/support/apply-migrations.ts"],
  },
});
