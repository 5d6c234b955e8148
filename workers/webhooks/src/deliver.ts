import { describeError, logEvent } from "#shared/http/log.ts";
import { retryDelaySeconds } from "#shared/queues/retry-delay.ts";
import { parseDeliveryMessage, type DeliveryMessage } from "#shared/webhooks/delivery-message.ts";
import { webhookHeaders } from "#shared/webhooks/signature.ts";
import { checkWebhookUrl } from "#shared/webhooks/url-guard.ts";
import { claimAndLoad, failUnsent, recordAttempt, type Claim, type DeliveryRow } from "./delivery-store.ts";
import { decideOutcome } from "./outcome.ts";
import type { Runtime } from "./runtime.ts";
import { postWebhook, succeeded, type AttemptResult } from "./send-attempt.ts";
import { deliverySettings, type DeliverySettings } from "./settings.ts";

/**
 * How long past the receiver's timeout a claimed attempt stays leased: time to record it. A
 * consumer that dies holding a lease blocks the attempt only until then.
 */
export const LEASE_MARGIN_MS = 30_000;

/** A message waiting for an attempt in progress is looked at again after this, times its deliveries. */
const IN_PROGRESS_RECHECK_SECONDS = 5;

/** What to do with a message: ack it, or have the Queue bring it back after a delay. */
type Disposition = { ack: true } | { ack: false; delaySeconds: number };
const ACK: Disposition = { ack: true };

/** The secrets that sign: the current one, and the previous one until its rotation grace ends. */
function signingSecrets(row: DeliveryRow, now: number): string[] {
  const previousValid = row.previous_secret !== null && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now;
  return previousValid && row.previous_secret !== null ? [row.secret, row.previous_secret] : [row.secret];
}

/** Makes the attempt: the URL checked again (it may have been stored under laxer rules), signed, POSTed. */
async function attempt(row: DeliveryRow, settings: DeliverySettings, runtime: Runtime): Promise<AttemptResult & { urlRefused: boolean }> {
  const check = checkWebhookUrl(row.url, settings.allowedHosts);
  if (!check.ok) {
    return { statusCode: null, error: `url refused: ${check.reason}`, responseBody: null, durationMs: 0, retryAfterSeconds: null, urlRefused: true };
  }
  const now = runtime.now();
  const headers = await webhookHeaders(signingSecrets(row, now), { id: row.event_id, timestamp: Math.floor(now / 1000), body: row.payload });
  const result = await postWebhook(runtime, { url: check.url, headers, body: row.payload }, settings.timeoutMs);
  return { ...result, urlRefused: false };
}

/**
 * When a claim was refused on a pending delivery of an active subscription: wait for an attempt
 * in progress (this one, or the one before it, whose consumer queued this message before
 * recording its outcome), otherwise it is a duplicate. The wait grows with the message's
 * deliveries and never passes the lease, so a consumer that died holding it is taken over before
 * the Queue gives up on the message.
 */
function refusedClaim(row: DeliveryRow, wake: DeliveryMessage, now: number, deliveries: number): Disposition {
  const leased = row.lease_until !== null && row.lease_until >= now;
  if (!leased || (row.attempts !== wake.attempt && row.attempts !== wake.attempt - 1)) return ACK;
  const leaseLeftSeconds = Math.ceil(((row.lease_until ?? now) - now) / 1000) + 1;
  return { ack: false, delaySeconds: Math.max(1, Math.min(leaseLeftSeconds, IN_PROGRESS_RECHECK_SECONDS * deliveries)) };
}

/**
 * Makes attempt `wake.attempt` of a delivery, if it is due and this consumer claimed it (the
 * claims of a batch are made together, see {@link consumeDeliveries}): sends it, queues the next
 * attempt when it failed, and records the outcome. The next attempt is queued before the outcome is
 * recorded: a crash in between leaves a duplicate message, which the claim drops; a crash before
 * it leaves this message unacked, redelivered and claimed again once the lease runs out.
 */
async function deliverAttempt(wake: DeliveryMessage, { claimed, row }: Claim, claimedAt: number, env: Env, settings: DeliverySettings, runtime: Runtime, deliveries: number): Promise<Disposition> {
  const context = { deliveryId: wake.deliveryId, attempt: wake.attempt };
  // Gone: its subscription was deleted (the rows cascade). Nothing is sent after a delete.
  if (row === null) {
    logEvent("info", "webhooks.delivery_gone", context);
    return ACK;
  }
  if (!claimed) {
    if (row.status !== "pending") return ACK;
    if (row.subscription_status !== "active") {
      await failUnsent(env.DB, row.id, row.subscription_id);
      logEvent("info", "webhooks.delivery_skipped", { ...context, subscriptionId: row.subscription_id, reason: "subscription disabled" });
      return ACK;
    }
    return refusedClaim(row, wake, claimedAt, deliveries);
  }

  const result = await attempt(row, settings, runtime);
  const now = runtime.now();
  const success = succeeded(result);
  const verdict = decideOutcome({ ...result, attempt: wake.attempt, success, failingSince: row.failing_since, now }, settings, runtime.random);
  if (verdict.nextDelaySeconds !== null) {
    await env.WEBHOOK_DELIVERIES.send({ deliveryId: row.id, attempt: wake.attempt + 1 } satisfies DeliveryMessage, { delaySeconds: verdict.nextDelaySeconds });
  }
  const nextAttemptAt = verdict.nextDelaySeconds === null ? null : now + verdict.nextDelaySeconds * 1000;
  const recorded = await recordAttempt(env.DB, {
    deliveryId: row.id,
    subscriptionId: row.subscription_id,
    attempt: wake.attempt,
    statusCode: result.statusCode,
    error: result.error,
    responseBody: result.responseBody,
    durationMs: result.durationMs,
    delivery: verdict.delivery,
    nextAttemptAt,
    disabledReason: verdict.disabledReason,
    now,
  });
  // The URL may carry a receiver's token in its path or query: log its host only, and never a secret.
  logEvent(success ? "info" : "warn", success ? "webhooks.delivered" : "webhooks.attempt_failed", {
    ...context,
    eventId: row.event_id,
    subscriptionId: row.subscription_id,
    host: URL.parse(row.url)?.host ?? null,
    statusCode: result.statusCode,
    error: result.error,
    durationMs: result.durationMs,
    outcome: verdict.delivery,
    nextAttemptInSeconds: verdict.nextDelaySeconds,
    disabledReason: verdict.disabledReason,
    recorded,
  });
  return ACK;
}

/** Acks or retries `message` as `disposition` says. */
function settle(message: Message<unknown>, disposition: Disposition): void {
  if (disposition.ack) message.ack();
  else message.retry({ delaySeconds: disposition.delaySeconds });
}

/**
 * The consumer's own failure (D1 or the Queue unavailable): the message comes back, and the
 * delivery is claimed again (at once, or once its lease runs out). Nothing is lost.
 */
function retryAfterError(message: Message<unknown>, wake: DeliveryMessage, err: unknown): void {
  const delaySeconds = retryDelaySeconds(message.attempts);
  logEvent("error", "webhooks.delivery_error", { deliveryId: wake.deliveryId, attempt: wake.attempt, delaySeconds, ...describeError(err) });
  message.retry({ delaySeconds });
}

/**
 * The `webhook-deliveries` consumer: the attempts of the whole batch claimed in one D1 round trip,
 * then made at once, each acked or retried on its own, so a slow or failing receiver holds up no
 * other delivery's attempt or outcome.
 *
 * @example
 * ```ts
 * if (batch.queue.startsWith("webhook-deliveries")) await consumeDeliveries(batch, env, systemRuntime());
 * ```
 */
export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env, runtime: Runtime): Promise<void> {
  const settings = deliverySettings(env);
  const due: { message: Message<unknown>; wake: DeliveryMessage }[] = [];
  for (const message of batch.messages) {
    const wake = parseDeliveryMessage(message.body);
    if (wake === null) {
      logEvent("error", "webhooks.malformed_delivery_message", { messageId: message.id });
      message.ack();
    } else due.push({ message, wake });
  }
  const claimedAt = runtime.now();
  let claims: Claim[];
  try {
    claims = await claimAndLoad(env.DB, due.map(({ wake }) => wake), claimedAt, claimedAt + settings.timeoutMs + LEASE_MARGIN_MS);
  } catch (err) {
    for (const { message, wake } of due) retryAfterError(message, wake, err);
    return;
  }
  await Promise.all(
    due.map(async ({ message, wake }, n) => {
      try {
        settle(message, await deliverAttempt(wake, claims[n] as Claim, claimedAt, env, settings, runtime, message.attempts));
      } catch (err) {
        retryAfterError(message, wake, err);
      }
    }),
  );
}
