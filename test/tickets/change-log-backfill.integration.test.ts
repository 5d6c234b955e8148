import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Change, ChangePage } from "../../workers/tickets/src/change-log/store.ts";
import { getJson, postJson, workerUnderTest } from "../support/http.ts";

// migrations/0007 logs the rows a database already holds when it runs. In tests it runs on an
// empty database (the seed comes after it, through the triggers), so its backfill is run here
// again on a cleared log, and must log what the triggers logged: every ticket, then every reply.
const tickets = workerUnderTest();

/** What a change says, without where and when it was logged. */
const content = ({ entity, op, id, ticketId, data }: Change) => ({ entity, op, id, ticketId, data });

const byCreation = (a: Change, b: Change) => {
  const [x, y] = [a.data as { createdAt: string }, b.data as { createdAt: string }];
  return x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : a.id < b.id ? -1 : 1;
};

it("the migration's backfill logs every stored ticket, then every reply, oldest first", async () => {
  const { body: ticket } = await postJson<{ id: string }>(tickets, "/tickets", { title: "Before the backfill" });
  await postJson(tickets, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "me too" });
  const logged = (await getJson<ChangePage>(tickets, "/changes?limit=500")).body;

  const backfill = env.TEST_MIGRATIONS.find((migration) => migration.name.startsWith("0007_"))!
    .queries.filter((sql) => /^INSERT INTO change_log/m.test(sql) && !sql.includes("CREATE TRIGGER"));
  expect(backfill).toHaveLength(2);
  await env.DB.batch([env.DB.prepare("DELETE FROM change_log"), ...backfill.map((sql) => env.DB.prepare(sql))]);

  const refilled = (await getJson<ChangePage>(tickets, `/changes?after=${logged.head}&limit=500`)).body.changes;
  const expected = [
    ...logged.changes.filter((change) => change.entity === "ticket").sort(byCreation),
    ...logged.changes.filter((change) => change.entity === "reply").sort(byCreation),
  ];
  expect(refilled.map(content)).toEqual(expected.map(content));
  // AUTOINCREMENT: seqs go on from the highest ever used, never reused after a delete.
  expect(refilled[0]!.seq).toBe(logged.head + 1);
});
