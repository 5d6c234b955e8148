import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";

/** A stand-in for a Queue producer (`REPLY_EVENTS` by default) that records what is sent, or fails every send. */
export interface RecordingQueue<T = ReplyCreatedEvent> {
  queue: Queue<T>;
  /** Every message body, in send order. */
  sent: T[];
  /** The bodies of each `sendBatch` call. */
  batches: T[][];
}

/**
 * A queue for tests: `recordingQueue()` accepts and records, `recordingQueue({ failing: true })`
 * throws the way a Queue that is unavailable does.
 *
 * @example
 * ```ts
 * const { queue, sent } = recordingQueue();
 * const app = appTarget(createTicketsApp(), { ...env, REPLY_EVENTS: queue });
 * ```
 */
export function recordingQueue<T = ReplyCreatedEvent>(options: { failing?: boolean } = {}): RecordingQueue<T> {
  const sent: T[] = [];
  const batches: T[][] = [];
  const refuse = () => {
    if (options.failing) throw new Error("Queue send failed: service unavailable");
  };
  const metadata = { metrics: { backlogCount: 0, backlogBytes: 0 } };
  const queue = {
    async send(body: T) {
      refuse();
      sent.push(body);
      return { metadata };
    },
    async sendBatch(messages: Iterable<MessageSendRequest<T>>) {
      refuse();
      const bodies = [...messages].map((message) => message.body);
      batches.push(bodies);
      sent.push(...bodies);
      return { metadata };
    },
    async metrics() {
      return metadata.metrics;
    },
  };
  return { queue: queue as Queue<T>, sent, batches };
}

/** Recording stand-ins for both event Queues of the outbox, and the bindings to swap them in with. */
export interface RecordingEventQueues {
  /** `REPLY_EVENTS`: the reply feed's Queue. */
  reply: RecordingQueue;
  /** `WEBHOOK_EVENTS`: the webhooks fan-out's Queue. */
  webhook: RecordingQueue;
  /** `{ REPLY_EVENTS, WEBHOOK_EVENTS }`, to spread into an env. */
  bindings: { REPLY_EVENTS: Queue<ReplyCreatedEvent>; WEBHOOK_EVENTS: Queue<ReplyCreatedEvent> };
}

/**
 * Both event Queues recorded, either one refusing every send when asked.
 *
 * @example
 * ```ts
 * const { reply, webhook, bindings } = recordingEventQueues({ failing: "webhook" });
 * const app = appTarget(createTicketsApp(), { ...env, ...bindings });
 * ```
 */
export function recordingEventQueues(options: { failing?: "reply" | "webhook" | "both" } = {}): RecordingEventQueues {
  const reply = recordingQueue({ failing: options.failing === "reply" || options.failing === "both" });
  const webhook = recordingQueue({ failing: options.failing === "webhook" || options.failing === "both" });
  return { reply, webhook, bindings: { REPLY_EVENTS: reply.queue, WEBHOOK_EVENTS: webhook.queue } };
}
