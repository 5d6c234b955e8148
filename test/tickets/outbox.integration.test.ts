import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest } from "../support/http.ts";
import { recordingEventQueues, type RecordingEventQueues } from "./recording-queue.ts";
import { clearWebhooks, storeSubscription } from "./webhook-rows.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

interface OutboxRow {
  id: string;
  type: string;
  payload: string;
  sent_at: number | null;
}

const outboxRows = async () => (await env.DB.prepare("SELECT id, type, payload, sent_at FROM outbox ORDER BY created_at").all<OutboxRow>()).results;
const replyCount = async () => (await getJson<Ticket>(workerUnderTest(), `/tickets/${SOCIAL_AUTH}`)).body.replies.length;
const appWithQueues = ({ bindings }: RecordingEventQueues) => appTarget(createTicketsApp(), { ...env, ...bindings });

afterEach(async () => {
  await env.DB.batch([
    env.DB.prepare("DROP TRIGGER IF EXISTS fail_outbox_insert"),
    env.DB.prepare("DROP TRIGGER IF EXISTS fail_reply_insert"),
    env.DB.prepare("DELETE FROM outbox"),
  ]);
  await clearWebhooks();
});

describe("adding a reply while a webhook subscription is active", () => {
  beforeEach(async () => {
    await storeSubscription();
  });

  it.each([
    ["POST /tickets/:id/replies", `/tickets/${SOCIAL_AUTH}/replies`, {}],
    ["POST /tickets/addComment", "/tickets/addComment", { ticketId: SOCIAL_AUTH }],
  ])("%s stores an outbox row, sends its reply.created event to both Queues and marks the row sent", async (_route, path, extra) => {
    const queues = recordingEventQueues();
    const { res, body: reply } = await postJson<Reply>(appWithQueues(queues), path, { user: "Ana", message: "hi", ...extra });
    expect(res.status).toBe(201);

    expect(queues.reply.sent).toHaveLength(1);
    // The feed and the webhooks fan-out get the same event.
    expect(queues.webhook.sent).toEqual(queues.reply.sent);
    const event = queues.reply.sent[0]!;
    expect(parseReplyCreatedEvent(event).ok).toBe(true);
    expect(event).toEqual({
      id: expect.any(String),
      type: "reply.created",
      occurredAt: reply.createdAt,
      data: { ticketId: SOCIAL_AUTH, title: "Social Authentication", replyId: reply.id, user: "Ana", message: "hi", createdAt: reply.createdAt },
    });
    expect(event.id).not.toBe(reply.id);
    const rows = await outboxRows();
    expect(rows).toEqual([{ id: event.id, type: "reply.created", payload: JSON.stringify(event), sent_at: expect.any(Number) }]);
  });

  it("through the deployed Worker, sends to the real Queue bindings and marks the row sent", async () => {
    const { res } = await postJson<Reply>(workerUnderTest(), `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "real queue" });
    expect(res.status).toBe(201);
    await vi.waitFor(async () => expect((await outboxRows())[0]?.sent_at).toEqual(expect.any(Number)), { timeout: 5_000 });
  });

  it.each(["reply", "webhook", "both"] as const)(
    "keeps the row unsent, and still answers 201, when the %s Queue refuses the event",
    async (failing) => {
      const queues = recordingEventQueues({ failing });
      const { res } = await postJson(appWithQueues(queues), `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "queue down" });
      expect(res.status).toBe(201);
      expect((await outboxRows()).map((row) => row.sent_at)).toEqual([null]);
      // The other Queue was still sent to, in parallel: the re-drive sends to both again, and each consumer drops the repeat.
      expect([queues.reply.sent.length, queues.webhook.sent.length]).toEqual([failing === "webhook" ? 1 : 0, failing === "reply" ? 1 : 0]);
    },
  );

  it("repeated with the same Idempotency-Key emits one event and stores one outbox row", async () => {
    const queues = recordingEventQueues();
    const app = appWithQueues(queues);
    const headers = { "idempotency-key": "one-event-only" };
    const first = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "once" }, headers);
    const again = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "once" }, headers);
    expect(again.body).toEqual(first.body);
    expect(queues.reply.sent.map((event) => event.data.replyId)).toEqual([first.body.id]);
    expect(queues.webhook.sent.map((event) => event.data.replyId)).toEqual([first.body.id]);
    expect(await outboxRows()).toHaveLength(1);
  });
});

describe("adding a reply while no webhook subscription is active", () => {
  it.each([
    ["there is none", []],
    ["every one is disabled", ["disabled", "disabled"]],
  ] as const)("sends its event to the reply feed's Queue only when %s, and marks the row sent", async (_when, subscriptions) => {
    for (const status of subscriptions) await storeSubscription(status);
    const queues = recordingEventQueues();
    const { res, body: reply } = await postJson<Reply>(appWithQueues(queues), `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "nobody listens" });
    expect(res.status).toBe(201);
    expect(queues.reply.sent.map((event) => event.data.replyId)).toEqual([reply.id]);
    expect(queues.webhook.sent).toEqual([]);
    expect((await outboxRows()).map((row) => row.sent_at)).toEqual([expect.any(Number)]);
  });

  it("decides at the commit: a subscription made after the reply does not get it, and the next reply goes to both Queues", async () => {
    const queues = recordingEventQueues();
    const app = appWithQueues(queues);
    const before = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "before" });
    await storeSubscription();
    const after = await postJson<Reply>(app, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "after" });
    expect(queues.reply.sent.map((event) => event.data.replyId)).toEqual([before.body.id, after.body.id]);
    expect(queues.webhook.sent.map((event) => event.data.replyId)).toEqual([after.body.id]);
  });

  it("marks the row sent when the reply Queue took it, whatever the webhook Queue would have said", async () => {
    const queues = recordingEventQueues({ failing: "webhook" });
    const { res } = await postJson(appWithQueues(queues), `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "webhooks down" });
    expect(res.status).toBe(201);
    expect(queues.reply.sent).toHaveLength(1);
    expect((await outboxRows()).map((row) => row.sent_at)).toEqual([expect.any(Number)]);
  });
});

describe("the reply and its outbox row are one transaction", () => {
  it.each([
    ["the outbox insert", "outbox", "fail_outbox_insert"],
    ["the reply insert", "replies", "fail_reply_insert"],
  ])("when %s fails, neither the reply nor the outbox row is stored, and nothing is sent", async (_what, table, trigger) => {
    await env.DB.prepare(`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, '${table} unavailable'); END`).run();
    const before = await replyCount();
    const queues = recordingEventQueues();
    const { res } = await postJson(appWithQueues(queues), `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "half a write?" });
    expect(res.status).toBe(500);
    expect(await replyCount()).toBe(before);
    expect(await outboxRows()).toEqual([]);
    expect([...queues.reply.sent, ...queues.webhook.sent]).toEqual([]);
  });
});
