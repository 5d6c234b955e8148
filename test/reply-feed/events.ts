import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import worker from "../../workers/reply-feed/src/index.ts";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import { getJson, workerUnderTest } from "../support/http.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
let sequence = 0;

/**
 * A valid `reply.created` event for reply `replyId`, created at `createdAt` (default: now), with
 * its own event id unless given one.
 */
export function replyEvent(replyId: string, createdAt = new Date().toISOString(), eventId = `event-${++sequence}-${replyId}`): ReplyCreatedEvent {
  return {
    id: eventId,
    type: "reply.created",
    occurredAt: createdAt,
    data: { ticketId: SOCIAL_AUTH, title: "Social Authentication", replyId, user: "Ana", message: `reply ${replyId}`, createdAt },
  };
}

/** `minute` minutes into a fixed day, far newer than the seed data's replies (2015). */
export const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString();

/**
 * Delivers `bodies` to the consumer as one batch (the first delivery unless `attempts` says
 * otherwise). Besides the queue result, returns the delays messages were retried with, by message
 * id: `getQueueResult` does not report them.
 */
export async function deliver(bodies: unknown[], options: { attempts?: number; env?: Env } = {}) {
  const batch = createMessageBatch<unknown>(
    "reply-events",
    bodies.map((body, n) => ({ id: `message-${++sequence}-${n}`, timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  const retryDelays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, "retry").mockImplementation((retryOptions) => {
      retryDelays[message.id] = retryOptions?.delaySeconds;
      retry(retryOptions);
    });
  }
  await worker.queue(batch, options.env ?? env);
  return { batch, result: await getQueueResult(batch, createExecutionContext()), retryDelays };
}

/** The feed as `GET /latestReplies` answers it. */
export const latestReplies = async () => (await getJson<FeedReply[]>(workerUnderTest(), "/latestReplies")).body;

/** The reply ids of the feed, oldest first. */
export const feedIds = async () => (await latestReplies()).map((reply) => reply.id);
