import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { MARK_SENT_WINDOW_MS } from "../../workers/tickets/src/outbox/mark-sent-soon.ts";
import { eventQueues, sendCommitted } from "../../workers/tickets/src/outbox/send.ts";
import { OUTBOX_GRACE_MS } from "../../workers/tickets/src/outbox/store.ts";
import { recordD1 } from "./d1-recorder.ts";
import { recordingEventQueues } from "./recording-queue.ts";

/** Outbox rows as a write leaves them: unsent, held by their writer's grace period. */
async function unsentRows(count: number): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  await env.DB.batch(
    ids.map((id) =>
      env.DB.prepare("INSERT INTO outbox (id, type, payload, created_at, claimed_until) VALUES (?1, 'reply.created', '{}', ?2, ?3)").bind(id, now, now + OUTBOX_GRACE_MS),
    ),
  );
  return ids;
}

/** The outbox event `id` as its write hands it to the sender. */
const outgoing = (id: string) => ({ payload: JSON.stringify({ id }), toWebhooks: true });

const sentAt = async (ids: string[]) =>
  (await env.DB.prepare("SELECT sent_at FROM outbox WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).all<{ sent_at: number | null }>()).results.map((r) => r.sent_at);

const markStatements = (statements: { sql: string; params: unknown[] }[]) => statements.filter(({ sql }) => sql.startsWith("UPDATE outbox SET sent_at"));

afterEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
});

describe("marking sent outbox rows", () => {
  it("marks the rows of events sent within the window in one UPDATE", async () => {
    const ids = await unsentRows(5);
    const { db, record } = recordD1(env.DB);
    const queues = recordingEventQueues();
    const sent = await Promise.all(ids.map((id) => sendCommitted(db, eventQueues(queues.bindings), outgoing(id))));
    expect(sent).toEqual([true, true, true, true, true]);
    expect(markStatements(record.statements)).toHaveLength(1);
    expect(await sentAt(ids)).toEqual(ids.map(() => expect.any(Number)));
  });

  it("marks an event sent after the window in an UPDATE of its own", async () => {
    const [first, second] = (await unsentRows(2)) as [string, string];
    const { db, record } = recordD1(env.DB);
    const queues = recordingEventQueues();
    await sendCommitted(db, eventQueues(queues.bindings), outgoing(first));
    await new Promise((resolve) => setTimeout(resolve, MARK_SENT_WINDOW_MS + 5));
    await sendCommitted(db, eventQueues(queues.bindings), outgoing(second));
    expect(markStatements(record.statements).map(({ params }) => JSON.parse(String(params[1])))).toEqual([[first], [second]]);
  });

  it("leaves every row of a failed UPDATE unsent, for the re-drive, and says each was sent", async () => {
    const ids = await unsentRows(3);
    const failing = new Proxy(env.DB, {
      get: (target, key) =>
        key === "prepare"
          ? (sql: string) => {
              if (sql.startsWith("UPDATE outbox SET sent_at")) throw new Error("D1_ERROR: Network connection lost.");
              return target.prepare(sql);
            }
          : Reflect.get(target, key).bind(target),
    });
    const queues = recordingEventQueues();
    const sent = await Promise.all(ids.map((id) => sendCommitted(failing, eventQueues(queues.bindings), outgoing(id))));
    expect(sent).toEqual([true, true, true]);
    expect(await sentAt(ids)).toEqual([null, null, null]);
  });
});
