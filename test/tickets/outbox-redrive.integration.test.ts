import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import worker from "../../workers/tickets/src/index.ts";
import { eventQueues, redriveOutbox } from "../../workers/tickets/src/outbox/send.ts";
import {
  claimUnsent,
  insertOutboxEvent,
  OUTBOX_GRACE_MS,
  OUTBOX_LEASE_MS,
  OUTBOX_RETENTION_MS,
} from "../../workers/tickets/src/outbox/store.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { postJson } from "../support/http.ts";
import { recordingEventQueues, type RecordingEventQueues } from "./recording-queue.ts";
import { clearWebhooks, storeSubscription } from "./webhook-rows.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

const sentAt = async (id: string) => env.DB.prepare("SELECT sent_at FROM outbox WHERE id = ?1").bind(id).first<number | null>("sent_at");

/** Stores `count` unsent events, committed at `createdAt`, each with a message of `messageBytes`. */
async function unsentEvents(count: number, createdAt: number, messageBytes = 10): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, n) => `event-${createdAt}-${n}`);
  await env.DB.batch(
    ids.map((id) => insertOutboxEvent(env.DB, { id, type: "reply.created", data: { message: "m".repeat(messageBytes) } }, createdAt)),
  );
  return ids;
}

/** The cron, run with `queues` as its event Queues. */
const cron = ({ bindings }: RecordingEventQueues) => worker.scheduled(createScheduledController({ cron: "* * * * *" }), { ...env, ...bindings });
/** The re-drive to `queues` at `now`. */
const redrive = ({ bindings }: RecordingEventQueues, now: number) => redriveOutbox(env.DB, eventQueues(bindings), now);
/** Every event id `queues` got, per Queue. */
const sentIds = ({ reply, webhook }: RecordingEventQueues) => ({ reply: reply.sent.map((e) => e.id), webhook: webhook.sent.map((e) => e.id) });

afterEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
  await clearWebhooks();
});

describe("the cron's re-drive", () => {
  it.each(["reply", "webhook", "both"] as const)(
    "delivers an event whose send failed after the commit (%s Queue down) to both Queues, once the grace period is over",
    async (failing) => {
      await storeSubscription();
      const down = recordingEventQueues({ failing });
      const app = appTarget(createTicketsApp(), { ...env, ...down.bindings });
      const { body: reply } = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "late" });
      const { id } = (await env.DB.prepare("SELECT id FROM outbox").first<{ id: string }>())!;
      expect(await sentAt(id)).toBeNull();

      const up = recordingEventQueues();
      // Within the grace period the row still belongs to the request that wrote it.
      await cron(up);
      expect(sentIds(up)).toEqual({ reply: [], webhook: [] });

      await env.DB.prepare("UPDATE outbox SET claimed_until = ?1").bind(Date.now() - 1).run();
      await cron(up);
      // Both Queues again, also the one that had it: its consumer drops the repeat by id.
      expect(up.reply.sent.map((event) => [event.id, event.data.replyId])).toEqual([[id, reply.id]]);
      expect(sentIds(up)).toEqual({ reply: [id], webhook: [id] });
      expect(await sentAt(id)).toEqual(expect.any(Number));

      await cron(up);
      expect(sentIds(up)).toEqual({ reply: [id], webhook: [id] });
    },
  );

  it("run by two Workers at once, sends every event exactly once", async () => {
    const now = Date.now();
    const ids = await unsentEvents(250, now - OUTBOX_GRACE_MS - 1);
    const [a, b] = [recordingEventQueues(), recordingEventQueues()];
    await Promise.all([redrive(a, now), redrive(b, now)]);
    for (const queue of ["reply", "webhook"] as const) {
      const sent = [...sentIds(a)[queue], ...sentIds(b)[queue]];
      expect(sent).toHaveLength(ids.length);
      expect(new Set(sent)).toEqual(new Set(ids));
    }
  });

  it("sends in sendBatch calls of at most 100 messages and 256 KB", async () => {
    const now = Date.now();
    await unsentEvents(120, now - OUTBOX_GRACE_MS - 1, 5_000);
    const queues = recordingEventQueues();
    expect(await redrive(queues, now)).toEqual({ claimed: 120, sent: 120 });
    expect(queues.reply.batches.length).toBeGreaterThan(2);
    expect(queues.webhook.batches).toEqual(queues.reply.batches);
    for (const batch of queues.reply.batches) {
      expect(batch.length).toBeLessThanOrEqual(100);
      expect(new TextEncoder().encode(JSON.stringify(batch)).byteLength + 100 * batch.length).toBeLessThan(256_000);
    }
  });

  it.each(["reply", "webhook", "both"] as const)(
    "leaves rows unsent and claimed when the %s Queue refuses them; a later run after the lease sends them to both",
    async (failing) => {
      const now = Date.now();
      const ids = await unsentEvents(3, now - OUTBOX_GRACE_MS - 1);
      await expect(redrive(recordingEventQueues({ failing }), now)).rejects.toThrow(/Queue send failed/);
      expect(await Promise.all(ids.map(sentAt))).toEqual([null, null, null]);
      const up = recordingEventQueues();
      expect(await redrive(up, now + 1)).toEqual({ claimed: 0, sent: 0 });
      expect(await redrive(up, now + OUTBOX_LEASE_MS + 1)).toEqual({ claimed: 3, sent: 3 });
      expect(sentIds(up)).toEqual({ reply: ids, webhook: ids });
    },
  );

  it("sends an event committed while no subscription was active to the reply feed's Queue only, in the same batches as the others", async () => {
    const now = Date.now();
    const ids = await unsentEvents(4, now - OUTBOX_GRACE_MS - 1);
    const feedOnly = [ids[1], ids[3]];
    await env.DB.prepare("UPDATE outbox SET to_webhooks = 0 WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(feedOnly)).run();
    const queues = recordingEventQueues();
    expect(await redrive(queues, now)).toEqual({ claimed: 4, sent: 4 });
    expect(sentIds(queues)).toEqual({ reply: ids, webhook: [ids[0], ids[2]] });
    expect(await Promise.all(ids.map(sentAt))).toEqual(ids.map(() => expect.any(Number)));
  });

  it("marks a batch of events for the reply feed only sent without calling the webhook Queue, even when it is down", async () => {
    const now = Date.now();
    const ids = await unsentEvents(2, now - OUTBOX_GRACE_MS - 1);
    await env.DB.prepare("UPDATE outbox SET to_webhooks = 0").run();
    const queues = recordingEventQueues({ failing: "webhook" });
    expect(await redrive(queues, now)).toEqual({ claimed: 2, sent: 2 });
    expect(queues.webhook.batches).toEqual([]);
    expect(sentIds(queues).reply).toEqual(ids);
  });
});

describe("claims", () => {
  it("hand a row to one claimer until its lease ends", async () => {
    const now = Date.now();
    const [id] = await unsentEvents(1, now - OUTBOX_GRACE_MS - 1);
    expect((await claimUnsent(env.DB, now, 10)).map((row) => row.id)).toEqual([id]);
    expect(await claimUnsent(env.DB, now + OUTBOX_LEASE_MS, 10)).toEqual([]);
    expect((await claimUnsent(env.DB, now + OUTBOX_LEASE_MS + 1, 10)).map((row) => row.id)).toEqual([id]);
  });
});

describe("pruning", () => {
  it("deletes rows sent before the retention period and keeps younger or unsent ones", async () => {
    const now = Date.now();
    const [old, young, unsent] = await unsentEvents(3, now - OUTBOX_RETENTION_MS - 60_000);
    await env.DB.batch([
      env.DB.prepare("UPDATE outbox SET sent_at = ?1 WHERE id = ?2").bind(now - OUTBOX_RETENTION_MS - 1, old!),
      env.DB.prepare("UPDATE outbox SET sent_at = ?1 WHERE id = ?2").bind(now - 1_000, young!),
    ]);
    await cron(recordingEventQueues());
    const { results } = await env.DB.prepare("SELECT id FROM outbox ORDER BY id").all<{ id: string }>();
    expect(results.map((row) => row.id)).toEqual([young, unsent].sort());
  });
});
