import { parseReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { retryDelaySeconds } from "#shared/queues/retry-delay.ts";
import { feedOf } from "./feed-of.ts";

/**
 * The `reply-events` consumer. Each message on its own: a valid event applied (or already
 * applied) is acked; a malformed one is logged and acked, since no retry can fix it; a failure
 * to apply is retried with a growing delay, and after `max_retries` the Queue moves it to the
 * dead letter queue.
 *
 * @example
 * ```ts
 * export default { queue: consumeReplyEvents } satisfies ExportedHandler<Env>;
 * ```
 */
export async function consumeReplyEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let feed = feedOf(env);
  for (const message of batch.messages) {
    const parsed = parseReplyCreatedEvent(message.body);
    if (!parsed.ok) {
      logEvent("error", "reply_feed.malformed_event", { queue: batch.queue, messageId: message.id, problems: parsed.problems });
      message.ack();
      continue;
    }
    const { event } = parsed;
    try {
      const outcome = await feed.applyEvent(event);
      logEvent("info", "reply_feed.event", { eventId: event.id, replyId: event.data.replyId, outcome });
      message.ack();
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      logEvent("warn", "reply_feed.apply_failed", { eventId: event.id, attempts: message.attempts, delaySeconds, ...describeError(err) });
      message.retry({ delaySeconds });
      // A stub that threw fails every later call (e.g. the object was reset for a deploy): the
      // rest of the batch gets a fresh one rather than burning its retries on a dead stub.
      feed = feedOf(env);
    }
  }
}
