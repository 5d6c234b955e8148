import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import worker from "../../workers/tickets/src/index.ts";
import { eventQueues, redriveOutbox } from "../../workers/tickets/src/outbox/send.ts";
import { OUTBOX_LEASE_MS } from "../../workers/tickets/src/outbox/store.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { postJson } from "../support/http.ts";
import { recordingEventQueues, type RecordingEventQueues } from "./recording-queue.ts";
import { clearWebhooks, storeSubscription } from "./webhook-rows.ts";

// An idempotent replay of a write whose event is still unsent (its first request's send failed,
// or that request died after the commit) sends the event itself, at once.
const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

const appWith = ({ bindings }: RecordingEventQueues) => appTarget(createTicketsApp(), { ...env, ...bindings });
const outbox = async () =>
  (await env.DB.prepare("SELECT id, sent_at AS sentAt FROM outbox").all<{ id: string; sentAt: number | null }>()).results;
const cron = ({ bindings }: RecordingEventQueues) => worker.scheduled(createScheduledController({ cron: "* * * * *" }), { ...env, ...bindings });
const redrive = ({ bindings }: RecordingEventQueues, now: number) => redriveOutbox(env.DB, eventQueues(bindings), now);

/** A keyed reply whose event stayed unsent: its Queue refused it. */
async function replyWithUnsentEvent(key: string) {
  const input = { user: "Ana", message: `replayed ${key}` };
  const first = await postJson<Reply>(appWith(recordingEventQueues({ failing: "both" })), `/tickets/${SOCIAL_AUTH}/replies`, input, { "idempotency-key": key });
  expect(first.res.status).toBe(201);
  const [row] = await outbox();
  expect(row?.sentAt).toBeNull();
  const replay = (queues: RecordingEventQueues) => postJson<Reply>(appWith(queues), `/tickets/${SOCIAL_AUTH}/replies`, input, { "idempotency-key": key });
  return { first: first.body, eventId: row!.id, replay };
}

afterEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
  await clearWebhooks();
});

describe("a replay of a reply whose event is unsent", () => {
  beforeEach(async () => {
    await storeSubscription();
  });

  it("sends exactly that event to both Queues, once, and marks it sent", async () => {
    const { first, eventId, replay } = await replyWithUnsentEvent("replay-sends");
    const up = recordingEventQueues();
    const again = await replay(up);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first);
    expect(up.reply.sent.map((event) => [event.id, event.data.replyId])).toEqual([[eventId, first.id]]);
    expect(up.webhook.sent).toEqual(up.reply.sent);
    expect(await outbox()).toEqual([{ id: eventId, sentAt: expect.any(Number) }]);

    await replay(up);
    expect([up.reply.sent.length, up.webhook.sent.length]).toEqual([1, 1]);
  });

  it("sends nothing when the row was sent already", async () => {
    const { replay } = await replyWithUnsentEvent("replay-after-redrive");
    // The re-drive, once the first request's grace is over, sends the event.
    const redriven = recordingEventQueues();
    await env.DB.prepare("UPDATE outbox SET claimed_until = ?1").bind(Date.now() - 1).run();
    await cron(redriven);
    expect([redriven.reply.sent.length, redriven.webhook.sent.length]).toEqual([1, 1]);

    const up = recordingEventQueues();
    expect((await replay(up)).res.status).toBe(201);
    expect([...up.reply.sent, ...up.webhook.sent]).toEqual([]);
  });

  it("sends nothing while the cron's re-drive holds the row, which then sends it once", async () => {
    const { eventId, replay } = await replyWithUnsentEvent("replay-while-claimed");
    // A re-drive claimed the row (its lease, not the writer's grace) and has not sent it yet.
    await env.DB.prepare("UPDATE outbox SET claimed_until = ?1").bind(Date.now() + OUTBOX_LEASE_MS).run();
    const up = recordingEventQueues();
    await replay(up);
    expect([...up.reply.sent, ...up.webhook.sent]).toEqual([]);

    const redriven = recordingEventQueues();
    await redrive(redriven, Date.now() + OUTBOX_LEASE_MS + 1);
    expect(redriven.reply.sent.map((event) => event.id)).toEqual([eventId]);
    expect(redriven.webhook.sent.map((event) => event.id)).toEqual([eventId]);
  });

  it("holds the row against the cron's re-drive once it has claimed it", async () => {
    const { eventId, replay } = await replyWithUnsentEvent("replay-then-cron");
    // The replay claims the row and its send fails, so the row stays unsent under the replay's lease.
    await replay(recordingEventQueues({ failing: "webhook" }));
    expect(await outbox()).toEqual([{ id: eventId, sentAt: null }]);
    const redriven = recordingEventQueues();
    await redrive(redriven, Date.now() + 1_000);
    expect([...redriven.reply.sent, ...redriven.webhook.sent]).toEqual([]);
    // After the replay's lease the re-drive takes the row over.
    await redrive(redriven, Date.now() + OUTBOX_LEASE_MS + 1_000);
    expect(redriven.reply.sent.map((event) => event.id)).toEqual([eventId]);
    expect(redriven.webhook.sent.map((event) => event.id)).toEqual([eventId]);
  });

  it("a replay of a write that emits no event (POST /tickets) sends nothing", async () => {
    const headers = { "idempotency-key": "replay-ticket" };
    const up = recordingEventQueues();
    const first = await postJson<Ticket>(appWith(up), "/tickets", { title: "No event" }, headers);
    const again = await postJson<Ticket>(appWith(up), "/tickets", { title: "No event" }, headers);
    expect(again.body).toEqual(first.body);
    expect([...up.reply.sent, ...up.webhook.sent]).toEqual([]);
  });
});

describe("a replay of a reply committed while no subscription was active", () => {
  it("sends its unsent event to the reply feed's Queue only and marks it sent, as the write would have", async () => {
    const { eventId, replay } = await replyWithUnsentEvent("replay-feed-only");
    // A subscription made since then does not change where the committed event goes.
    await storeSubscription();
    const up = recordingEventQueues({ failing: "webhook" });
    await replay(up);
    expect(up.reply.sent.map((event) => event.id)).toEqual([eventId]);
    expect(await outbox()).toEqual([{ id: eventId, sentAt: expect.any(Number) }]);
  });
});
