import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import worker from "../../workers/tickets/src/index.ts";
import { redriveOutbox } from "../../workers/tickets/src/outbox/send.ts";
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
import { recordingQueue } from "./recording-queue.ts";

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

afterEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
});

describe("the cron's re-drive", () => {
  it("delivers an event whose send failed after the commit, once the grace period is over", async () => {
    const down = recordingQueue({ failing: true });
    const app = appTarget(createTicketsApp(), { ...env, REPLY_EVENTS: down.queue });
    const { body: reply } = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "late" });
    const { id } = (await env.DB.prepare("SELECT id FROM outbox").first<{ id: string }>())!;

    const up = recordingQueue();
    const cron = () => worker.scheduled(createScheduledController({ cron: "* * * * *" }), { ...env, REPLY_EVENTS: up.queue });
    // Within the grace period the row still belongs to the request that wrote it.
    await cron();
    expect(up.sent).toEqual([]);

    await env.DB.prepare("UPDATE outbox SET claimed_until = ?1").bind(Date.now() - 1).run();
    await cron();
    expect(up.sent.map((event) => [event.id, event.data.replyId])).toEqual([[id, reply.id]]);
    expect(await sentAt(id)).toEqual(expect.any(Number));

    await cron();
    expect(up.sent).toHaveLength(1);
  });

  it("run by two Workers at once, sends every event exactly once", async () => {
    const now = Date.now();
    const ids = await unsentEvents(250, now - OUTBOX_GRACE_MS - 1);
    const [a, b] = [recordingQueue(), recordingQueue()];
    await Promise.all([redriveOutbox(env.DB, a.queue, now), redriveOutbox(env.DB, b.queue, now)]);
    const sent = [...a.sent, ...b.sent].map((event) => event.id);
    expect(sent).toHaveLength(ids.length);
    expect(new Set(sent)).toEqual(new Set(ids));
  });

  it("sends in sendBatch calls of at most 100 messages and 256 KB", async () => {
    const now = Date.now();
    await unsentEvents(120, now - OUTBOX_GRACE_MS - 1, 5_000);
    const { queue, batches } = recordingQueue();
    expect(await redriveOutbox(env.DB, queue, now)).toEqual({ claimed: 120, sent: 120 });
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(100);
      expect(new TextEncoder().encode(JSON.stringify(batch)).byteLength + 100 * batch.length).toBeLessThan(256_000);
    }
  });

  it("leaves rows unsent and claimed when the Queue refuses them; a later run after the lease sends them", async () => {
    const now = Date.now();
    const ids = await unsentEvents(3, now - OUTBOX_GRACE_MS - 1);
    await expect(redriveOutbox(env.DB, recordingQueue({ failing: true }).queue, now)).rejects.toThrow(/Queue send failed/);
    const { queue, sent } = recordingQueue();
    expect(await redriveOutbox(env.DB, queue, now + 1)).toEqual({ claimed: 0, sent: 0 });
    await redriveOutbox(env.DB, queue, now + OUTBOX_LEASE_MS + 1);
    expect(sent.map((event) => event.id)).toEqual(ids);
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
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), { ...env, REPLY_EVENTS: recordingQueue().queue });
    const { results } = await env.DB.prepare("SELECT id FROM outbox ORDER BY id").all<{ id: string }>();
    expect(results.map((row) => row.id)).toEqual([young, unsent].sort());
  });
});
