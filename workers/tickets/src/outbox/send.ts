import { describeError, logEvent } from "#shared/http/log.ts";
import { markSentSoon } from "./mark-sent-soon.ts";
import { claimForReplay, claimUnsent, markSent, type ClaimedRow, type OutgoingEvent } from "./store.ts";

/** Where outbox events go: a Queue producer binding, or a stand-in in tests. */
export type EventQueue = Pick<Queue<unknown>, "send" | "sendBatch">;

/**
 * The outbox's event Queues, by name (for the logs). A Queue has one consumer, so each consumer
 * of the events has its own Queue: the reply feed's takes every event; the webhooks fan-out's
 * takes those its row marks for it (some subscription was active at the commit). A row counts as
 * sent once every Queue that takes it has it.
 */
export interface EventQueues {
  "reply-events": EventQueue;
  "webhook-events": EventQueue;
}

/**
 * The tickets Worker's event Queues: `reply-events` (the reply feed) and `webhook-events` (the
 * webhooks fan-out).
 *
 * @example
 * ```ts
 * c.executionCtx.waitUntil(sendCommitted(c.env.DB, eventQueues(c.env), outgoing));
 * ```
 */
export const eventQueues = (env: Pick<Env, "REPLY_EVENTS" | "WEBHOOK_EVENTS">): EventQueues => ({
  "reply-events": env.REPLY_EVENTS,
  "webhook-events": env.WEBHOOK_EVENTS,
});

/** Whether the Queue `name` takes an event whose row says `toWebhooks`. */
const takes = (name: string, toWebhooks: boolean): boolean => name !== "webhook-events" || toWebhooks;

/** One Queue's share of a send: its name, how many events it takes, and the call that sends them. */
interface QueueSend {
  queue: string;
  events: number;
  send: () => Promise<unknown>;
}

/** A send that one Queue refused. */
interface RefusedSend {
  queue: string;
  error: unknown;
}

/**
 * Runs every send at once and waits for all of them (also after a refusal: a send still in
 * flight must finish inside the caller's `waitUntil`). Logs and returns the refusals.
 */
async function sendToEach(sends: readonly QueueSend[], fields: Record<string, unknown>): Promise<RefusedSend[]> {
  const outcomes = await Promise.all(
    sends.map(async ({ queue, events, send }): Promise<RefusedSend | null> => {
      try {
        await send();
        return null;
      } catch (error) {
        logEvent("warn", "outbox.send_failed", { queue, events, ...fields, ...describeError(error) });
        return { queue, error };
      }
    }),
  );
  return outcomes.filter((outcome) => outcome !== null);
}

/** `sendBatch` takes at most 100 messages. */
const MAX_BATCH_MESSAGES = 100;
/** ... and 256 KB in all, counting about 100 bytes of metadata per message: stay well below. */
const MAX_BATCH_BYTES = 200_000;
/** Claim rounds per re-drive: a backlog of up to 1,000 rows drains in one cron run, a bigger one over several. */
const MAX_ROUNDS = 10;

/**
 * Sends one just-committed event to every Queue that takes it at once and marks its row sent once
 * all of them have it (in one UPDATE with the rows sent around the same time:
 * ./mark-sent-soon.ts). Never throws: when any send fails the row stays unsent and the cron's
 * re-drive sends it (to each of those Queues again: consumers drop a repeat by its id) once the
 * writer's grace period is over.
 *
 * @example
 * ```ts
 * c.executionCtx.waitUntil(sendCommitted(c.env.DB, eventQueues(c.env), committedEvent(results.at(-1))));
 * ```
 */
export async function sendCommitted(db: D1Database, queues: EventQueues, { payload, toWebhooks }: OutgoingEvent): Promise<boolean> {
  const event = JSON.parse(payload) as { id: string };
  const sends = Object.entries(queues)
    .filter(([name]) => takes(name, toWebhooks))
    .map(([name, queue]): QueueSend => ({ queue: name, events: 1, send: () => queue.send(event, { contentType: "json" }) }));
  const refused = await sendToEach(sends, { eventId: event.id });
  if (refused.length > 0) return false;
  try {
    await markSentSoon(db, event.id);
  } catch (err) {
    // Sent but not marked: the re-drive sends it again, and consumers drop the repeat by its id.
    logEvent("warn", "outbox.mark_failed", { eventId: event.id, ...describeError(err) });
  }
  return true;
}

/**
 * Sends the event of a write that a replay found unsent, the way the write's own request does
 * ({@link sendCommitted}), once the replay has claimed its row: of a replay and the cron's
 * re-drive (or two replays), one sends it. Never throws. Returns whether it sent.
 *
 * @example
 * ```ts
 * c.executionCtx.waitUntil(sendReplayed(c.env.DB, eventQueues(c.env), stored.unsentEventId));
 * ```
 */
export async function sendReplayed(db: D1Database, queues: EventQueues, eventId: string, now = Date.now()): Promise<boolean> {
  let outgoing: OutgoingEvent | null;
  try {
    outgoing = await claimForReplay(db, eventId, now);
  } catch (err) {
    logEvent("warn", "outbox.claim_failed", { eventId, ...describeError(err) });
    return false;
  }
  // Sent meanwhile, or held by a re-drive that sends it.
  if (outgoing === null) return false;
  return sendCommitted(db, queues, outgoing);
}

/** Splits rows into `sendBatch`-sized chunks, by count and by bytes. */
function chunks(rows: readonly ClaimedRow[]): ClaimedRow[][] {
  const encoder = new TextEncoder();
  const result: ClaimedRow[][] = [];
  let current: ClaimedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = encoder.encode(row.payload).byteLength + 100;
    if (current.length > 0 && (current.length === MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** What one re-drive did. */
export interface RedriveReport {
  claimed: number;
  sent: number;
}

/**
 * The cron's re-drive: claims unsent rows whose grace period or lease is over, sends them with
 * `sendBatch` to every Queue that takes them at once and marks them sent once all have them. A
 * failed send (on any Queue) throws and ends the run; its rows stay claimed until their lease ends
 * and go out, to each of those Queues again, on a later run. Safe to run from several Workers at
 * once.
 *
 * @example
 * ```ts
 * const { sent } = await redriveOutbox(env.DB, eventQueues(env));
 * ```
 */
export async function redriveOutbox(db: D1Database, queues: EventQueues, now = Date.now()): Promise<RedriveReport> {
  const report: RedriveReport = { claimed: 0, sent: 0 };
  const startedAt = Date.now();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // `now` moves on with the run: a late round's lease must not be cut short by a slow early one.
    const rows = await claimUnsent(db, now + (Date.now() - startedAt), MAX_BATCH_MESSAGES);
    report.claimed += rows.length;
    for (const chunk of chunks(rows)) {
      const sends = Object.entries(queues).flatMap(([name, queue]): QueueSend[] => {
        const messages = chunk.filter((row) => takes(name, row.toWebhooks)).map((row) => ({ body: JSON.parse(row.payload) as unknown, contentType: "json" as const }));
        return messages.length > 0 ? [{ queue: name, events: messages.length, send: () => queue.sendBatch(messages) }] : [];
      });
      const [refused] = await sendToEach(sends, {});
      if (refused) throw refused.error;
      await markSent(db, chunk.map((row) => row.id), Date.now());
      report.sent += chunk.length;
    }
    if (rows.length < MAX_BATCH_MESSAGES) break;
  }
  return report;
}
