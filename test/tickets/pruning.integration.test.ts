import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_RETENTION_MS, pruneIdempotencyKeys } from "../../workers/tickets/src/idempotency/index.ts";
import worker from "../../workers/tickets/src/index.ts";
import { OUTBOX_RETENTION_MS, pruneSentOutbox } from "../../workers/tickets/src/outbox/store.ts";
import { PRUNE_BATCH_ROWS } from "../../workers/tickets/src/prune-in-batches.ts";
import { recordD1 } from "./d1-recorder.ts";
import { planOf } from "./query-plan.ts";
import { recordingQueue } from "./recording-queue.ts";

// Pruning deletes at most PRUNE_BATCH_ROWS rows per statement, so a cron never holds D1's one
// writer for a whole backlog; a bounded number of statements per run, then the next run goes on.
const NOW = Date.now();

/** Stores `count` idempotency keys created at `createdAt`, in one statement. */
async function keys(count: number, createdAt: number, prefix: string): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) SELECT ?2 || i, 'f', 201, '{}', ?3 FROM n`,
  )
    .bind(count, prefix, createdAt)
    .run();
}

/** Stores `count` outbox rows committed at `createdAt` and sent at `sentAt` (null: unsent), in one statement. */
async function outboxRows(count: number, createdAt: number, sentAt: number | null, prefix: string): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO outbox (id, type, payload, created_at, sent_at) SELECT ?2 || i, 'reply.created', '{}', ?3, ?4 FROM n`,
  )
    .bind(count, prefix, createdAt, sentAt)
    .run();
}

const left = async (sql: string) => env.DB.prepare(sql).first<number>("n");
const deletes = (statements: { sql: string }[]) => statements.filter((s) => s.sql.startsWith("DELETE")).length;

afterEach(async () => {
  await env.DB.batch([env.DB.prepare("DELETE FROM idempotency_keys"), env.DB.prepare("DELETE FROM outbox")]);
  vi.restoreAllMocks();
});

describe("pruning idempotency keys", () => {
  it("deletes 2,500 expired keys 1,000 per statement, keeps the young ones, and says none are left", async () => {
    expect(PRUNE_BATCH_ROWS).toBe(1_000);
    await keys(2_500, NOW - IDEMPOTENCY_RETENTION_MS - 1_000, "old-");
    await keys(10, NOW - 1_000, "young-");
    const d1 = recordD1(env.DB);
    expect(await pruneIdempotencyKeys(d1.db, NOW)).toEqual({ pruned: 2_500, more: false });
    // 1,000 + 1,000 + 500: the third deleted less than a batch, so there is nothing to look for.
    expect(d1.record.trips.binding).toBe(3);
    expect(deletes(d1.record.statements)).toBe(3);
    expect(await left("SELECT count(*) AS n FROM idempotency_keys")).toBe(10);
  });

  it("stops after its statements per run, says more are left, and the next run goes on", async () => {
    await keys(2_500, NOW - IDEMPOTENCY_RETENTION_MS - 1_000, "old-");
    expect(await pruneIdempotencyKeys(env.DB, NOW, { maxBatches: 2 })).toEqual({ pruned: 2_000, more: true });
    expect(await left("SELECT count(*) AS n FROM idempotency_keys")).toBe(500);
    expect(await pruneIdempotencyKeys(env.DB, NOW, { maxBatches: 2 })).toEqual({ pruned: 500, more: false });
  });

  it("a backlog that ends exactly on a batch is reported done, after one probe", async () => {
    await keys(2_000, NOW - IDEMPOTENCY_RETENTION_MS - 1_000, "old-");
    const d1 = recordD1(env.DB);
    expect(await pruneIdempotencyKeys(d1.db, NOW, { maxBatches: 2 })).toEqual({ pruned: 2_000, more: false });
    expect(d1.record.statements.map((s) => s.sql.split(" ")[0])).toEqual(["DELETE", "DELETE", "SELECT"]);
  });
});

describe("pruning the outbox", () => {
  it("deletes only rows sent before the retention period, 1,000 per statement; unsent rows stay however old", async () => {
    const old = NOW - OUTBOX_RETENTION_MS - 60_000;
    await outboxRows(1_500, old, old, "sent-old-");
    await outboxRows(20, old, null, "unsent-old-");
    await outboxRows(20, NOW - 1_000, NOW - 500, "sent-young-");
    const d1 = recordD1(env.DB);
    expect(await pruneSentOutbox(d1.db, NOW)).toEqual({ pruned: 1_500, more: false });
    expect(deletes(d1.record.statements)).toBe(2);
    expect(await left("SELECT count(*) AS n FROM outbox WHERE id LIKE 'sent-old-%'")).toBe(0);
    expect(await left("SELECT count(*) AS n FROM outbox")).toBe(40);
  });
});

describe("the cron", () => {
  it("logs how many rows it pruned and whether more are left", async () => {
    await keys(1_200, NOW - IDEMPOTENCY_RETENTION_MS - 1_000, "old-");
    const old = NOW - OUTBOX_RETENTION_MS - 60_000;
    await outboxRows(3, old, old, "sent-old-");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), { ...env, REPLY_EVENTS: recordingQueue().queue });
    const line = log.mock.calls.map(([text]) => JSON.parse(String(text)) as Record<string, unknown>).find((entry) => entry.event === "tickets.housekeeping");
    expect(line).toMatchObject({
      level: "info",
      prunedIdempotencyKeys: { pruned: 1_200, more: false },
      prunedOutboxRows: { pruned: 3, more: false },
    });
  });
});

describe("query plans of pruning", () => {
  it.each([
    ["idempotency_keys", pruneIdempotencyKeys, "idempotency_keys_by_age"],
    ["outbox", pruneSentOutbox, "outbox_sent"],
  ])("%s: each batch finds its rows through its age index, without a scan", async (_table, prune, index) => {
    const d1 = recordD1(env.DB);
    await prune(d1.db, NOW, { maxBatches: 1 });
    const [remove] = d1.record.statements;
    const plan = await planOf(remove!);
    expect(plan.some((line) => line.includes(index))).toBe(true);
    expect(plan.filter((line) => line.startsWith("SCAN"))).toEqual([]);
  });
});
