import { describeError, logEvent } from "#shared/http/log.ts";
import { pruneIdempotencyKeys } from "./idempotency/index.ts";
import { eventQueues, redriveOutbox } from "./outbox/send.ts";
import { pruneSentOutbox } from "./outbox/store.ts";
import { pruneWebhookEvents } from "./subscriptions/prune-events.ts";

/** Runs one housekeeping task; a failure is logged and does not stop the others. */
async function attempt<T>(task: string, run: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await run();
  } catch (err) {
    logEvent("error", "tickets.housekeeping_failed", { task, ...describeError(err) });
    return { failed: task };
  }
}

/**
 * The tickets Workers' cron: re-sends outbox events still unsent after their grace period,
 * prunes sent outbox rows, expired idempotency keys and week-old webhook events (with their
 * deliveries and attempts), each a bounded amount per run (what is
 * left goes on the next run, and the log line says whether any is). Every version runs it; the
 * outbox claim makes that safe, and two prunes at once only delete fewer rows each.
 *
 * @example
 * ```ts
 * export default { scheduled: (_controller, env) => housekeeping(env) } satisfies ExportedHandler<Env>;
 * ```
 */
export async function housekeeping(env: Env, now = Date.now()): Promise<void> {
  const redrive = await attempt("outbox_redrive", () => redriveOutbox(env.DB, eventQueues(env), now));
  const prunedOutboxRows = await attempt("outbox_prune", () => pruneSentOutbox(env.DB, now));
  const prunedIdempotencyKeys = await attempt("idempotency_prune", () => pruneIdempotencyKeys(env.DB, now));
  const prunedWebhookEvents = await attempt("webhook_events_prune", () => pruneWebhookEvents(env.DB, now));
  logEvent("info", "tickets.housekeeping", { version: env.SERVICE_VERSION, redrive, prunedOutboxRows, prunedIdempotencyKeys, prunedWebhookEvents });
}
