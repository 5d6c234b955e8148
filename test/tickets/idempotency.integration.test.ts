import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/tickets/src/index.ts";
import { IDEMPOTENT_REPLAY_HEADER } from "#shared/headers.ts";
import { IDEMPOTENCY_RETENTION_MS } from "../../workers/tickets/src/idempotency/index.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, type ErrorBody, workerUnderTest } from "../support/http.ts";

const v100 = workerUnderTest();
const v101 = env.TICKETS_V1_0_1;

async function newTicket(): Promise<string> {
  return (await postJson<Ticket>(v100, "/tickets", { title: "Idempotency" })).body.id;
}
async function replyCount(ticketId: string): Promise<number> {
  return (await getJson<Ticket>(v100, `/tickets/${ticketId}`)).body.replies.length;
}

describe("POST with an Idempotency-Key", () => {
  it("repeated with the same key answers the first result and writes one reply", async () => {
    const ticketId = await newTicket();
    const headers = { "idempotency-key": "reply-once-1" };
    const first = await postJson<Reply>(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "once" }, headers);
    const second = await postJson<Reply>(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "once" }, headers);
    expect(first.res.status).toBe(201);
    expect(second.res.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.res.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBeNull();
    expect(second.res.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBe("true");
    expect(await replyCount(ticketId)).toBe(1);
  });

  it("is honoured across versions: a retry on 1.0.1 of a write 1.0.0 applied writes nothing", async () => {
    const ticketId = await newTicket();
    const headers = { "idempotency-key": "cross-version-1" };
    const first = await postJson<Reply>(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "x" }, headers);
    const retry = await postJson<Reply>(v101, `/tickets/${ticketId}/replies`, { user: "Ana", message: "x" }, headers);
    expect(retry.body).toEqual(first.body);
    expect(await replyCount(ticketId)).toBe(1);
  });

  it("stores one ticket when the same create is sent concurrently", async () => {
    const headers = { "idempotency-key": "concurrent-create" };
    const results = await Promise.all(
      [v100, v101, v100, v101].map((target) => postJson<Ticket>(target, "/tickets", { title: "Concurrent" }, headers)),
    );
    expect(results.map((r) => r.res.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const { body } = await getJson<Ticket[]>(v100, "/tickets?limit=100");
    expect(body.filter((t) => t.title === "Concurrent")).toHaveLength(1);
  });

  it("answers 422 when a key is reused for a different request", async () => {
    const ticketId = await newTicket();
    const headers = { "idempotency-key": "reused-key" };
    await postJson(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "first" }, headers);
    const other = await postJson<ErrorBody>(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "second" }, headers);
    expect(other.res.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
    expect(await replyCount(ticketId)).toBe(1);
  });

  it("does not store a failed write: the same key can succeed after the input is fixed", async () => {
    const ticketId = await newTicket();
    const headers = { "idempotency-key": "fix-and-retry" };
    const bad = await postJson(v100, `/tickets/${ticketId}/replies`, { user: "Ana" }, headers);
    expect(bad.res.status).toBe(400);
    const good = await postJson(v100, `/tickets/${ticketId}/replies`, { user: "Ana", message: "fixed" }, headers);
    expect(good.res.status).toBe(201);
  });

  it.each(["", "x".repeat(256), "has space"])("answers 400 for the key %j", async (key) => {
    const ticketId = await newTicket();
    const { res, body } = await postJson<ErrorBody>(v100, `/tickets/${ticketId}/replies`, { user: "A", message: "m" }, { "idempotency-key": key });
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^Idempotency-Key: /);
    expect(await replyCount(ticketId)).toBe(0);
  });

  it("without a key, every POST writes", async () => {
    const ticketId = await newTicket();
    await postJson(v100, `/tickets/${ticketId}/replies`, { user: "A", message: "same" });
    await postJson(v100, `/tickets/${ticketId}/replies`, { user: "A", message: "same" });
    expect(await replyCount(ticketId)).toBe(2);
  });
});

describe("key retention", () => {
  it("the cron prunes keys older than the retention period and keeps younger ones", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) VALUES ('old', 'f', 201, '{}', ?1)").bind(now - IDEMPOTENCY_RETENTION_MS - 1000),
      env.DB.prepare("INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) VALUES ('young', 'f', 201, '{}', ?1)").bind(now - 1000),
    ]);
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env);
    const { results } = await env.DB.prepare("SELECT key FROM idempotency_keys WHERE key IN ('old', 'young')").all();
    expect(results).toEqual([{ key: "young" }]);
  });

  it("an expired key no longer replays: the request is a new write", async () => {
    const ticketId = await newTicket();
    const headers = { "idempotency-key": "expired-key" };
    await postJson(v100, `/tickets/${ticketId}/replies`, { user: "A", message: "m" }, headers);
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = created_at - ?1 WHERE key = 'expired-key'")
      .bind(IDEMPOTENCY_RETENTION_MS + 1)
      .run();
    const again = await postJson(v100, `/tickets/${ticketId}/replies`, { user: "A", message: "m" }, headers);
    expect(again.res.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBeNull();
    expect(await replyCount(ticketId)).toBe(2);
  });
});
