import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { batchStatements, isCheckpointMoved } from "../../workers/search/src/apply-batch.ts";
import { planBatch } from "../../workers/search/src/batch-plan.ts";
import { readCheckpoint, resetIndex } from "../../workers/search/src/checkpoint.ts";
import { pumpStep, type PumpDeps } from "../../workers/search/src/pump-step.ts";
import { checkFullTextIndex, checkpointSeq, emptyIndex, indexedDocuments, matching, MemoryLog } from "./change-log.ts";

const pump = (log: MemoryLog, deps: Partial<PumpDeps> = {}) => pumpStep({ db: env.SEARCH_DB, readChanges: log.source, ...deps });

/** Steps until the pump is caught up; returns each step's outcome. */
async function pumpAll(log: MemoryLog, deps: Partial<PumpDeps> = {}) {
  const outcomes: string[] = [];
  for (let step = 0; step < 100; step++) {
    const { outcome } = await pump(log, deps);
    outcomes.push(outcome);
    if (outcome === "caught-up") return outcomes;
  }
  throw new Error("the pump never caught up");
}

/** The index as a rebuild from seq 0 makes it, for comparison; the index is left rebuilt. */
async function rebuilt(log: MemoryLog) {
  await resetIndex(env.SEARCH_DB, Date.now());
  await pumpAll(log);
  return indexedDocuments();
}

/** A log of 3 tickets and 6 replies, with an edit, a title change and deletes among them. */
function busyLog() {
  return new MemoryLog()
    .ticket("t1", "Password reset", "The reset mail never arrives")
    .ticket("t2", "AD on iOS", "Active Directory in our iOS app")
    .reply("r1", "t1", "<p>Check the spam folder</p>")
    .reply("r2", "t2", "<p>Which iOS version?</p>")
    .reply("r3", "t1", "Still nothing")
    .ticket("t1", "Password reset mail", "The reset mail never arrives, for anyone")
    .reply("r3", "t1", "Still nothing, even after an hour")
    .ticket("t3", "Billing", "An invoice is wrong")
    .reply("r4", "t3", "Which invoice?")
    .delete("reply", "r2", "t2")
    .reply("r5", "t2", "iOS 19")
    .delete("ticket", "t3", "t3")
    .reply("r6", "t1", "Found it in spam");
}

/** A D1 database whose batches fail halfway, on a statement spliced in there (a duplicate checkpoint row). */
function failingMidBatch(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const middle = Math.floor(statements.length / 2);
          const failing = target.prepare("INSERT INTO pump_checkpoint (id, seq) VALUES (1, 0)");
          return target.batch([...statements.slice(0, middle), failing, ...statements.slice(middle)]);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

beforeEach(emptyIndex);

describe("applying the change log", () => {
  it("indexes tickets and replies, the reply's HTML stripped, and moves the checkpoint with them", async () => {
    const log = new MemoryLog()
      .ticket("t1", "Password reset", "The reset mail never arrives")
      .reply("r1", "t1", '<p>Hi,</p><p>check the <a href="https://x.test">spam</a> folder &amp; retry</p>');
    expect(await pump(log)).toEqual({ outcome: "caught-up", checkpoint: 2, head: 2, applied: 2 });
    expect(await indexedDocuments()).toEqual([
      { doc_key: "reply:r1", kind: "reply", ticket_id: "t1", reply_id: "r1", title: "", body: "Hi, check the spam folder & retry", ticket_title: "Password reset" },
      { doc_key: "ticket:t1", kind: "ticket", ticket_id: "t1", reply_id: null, title: "Password reset", body: "The reset mail never arrives", ticket_title: "" },
    ]);
    expect(await checkpointSeq()).toBe(2);
    await checkFullTextIndex();
    expect(await matching("spam")).toEqual(["reply:r1"]);
    expect(await matching("password")).toEqual(["reply:r1", "ticket:t1"]);
    expect(await matching("href OR https OR amp OR p")).toEqual([]);
  });

  it("a ticket's new title is carried by its replies' documents, in the index too", async () => {
    const log = new MemoryLog().ticket("t1", "Password reset").reply("r1", "t1", "Check spam").reply("r2", "t1", "Thanks");
    await pump(log);
    log.ticket("t1", "Login broken");
    expect(await pump(log)).toMatchObject({ outcome: "caught-up", applied: 1 });
    expect((await indexedDocuments()).map((doc) => [doc.doc_key, doc.title || doc.ticket_title])).toEqual([
      ["reply:r1", "Login broken"],
      ["reply:r2", "Login broken"],
      ["ticket:t1", "Login broken"],
    ]);
    await checkFullTextIndex();
    expect(await matching("password")).toEqual([]);
    expect(await matching("login")).toEqual(["reply:r1", "reply:r2", "ticket:t1"]);
  });

  it("deletes: a reply's document; a ticket's with its replies', those indexed and those earlier in the batch", async () => {
    const log = new MemoryLog().ticket("t1", "Password reset").reply("r1", "t1", "Check spam").ticket("t2", "Other").reply("r9", "t2", "Other reply");
    await pump(log);
    log.reply("r2", "t1", "Thanks").delete("ticket", "t1", "t1").delete("reply", "r9", "t2").ticket("t1", "Password reset again").reply("r3", "t1", "Back");
    await pump(log);
    expect((await indexedDocuments()).map((doc) => doc.doc_key)).toEqual(["reply:r3", "ticket:t1", "ticket:t2"]);
    await checkFullTextIndex();
    expect(await matching("spam OR thanks OR other")).toEqual(["ticket:t2"]);
  });

  it("in batches of any size, the index is the same", async () => {
    const log = busyLog();
    const outcomes = await pumpAll(log, { batchSize: 2 });
    expect(outcomes).toEqual(["more", "more", "more", "more", "more", "more", "caught-up"]);
    const batched = await indexedDocuments();
    expect(await rebuilt(log)).toEqual(batched);
    expect(batched.map((doc) => doc.doc_key)).toEqual(["reply:r1", "reply:r3", "reply:r5", "reply:r6", "ticket:t1", "ticket:t2"]);
    expect(batched.find((doc) => doc.doc_key === "reply:r3")).toMatchObject({ body: "Still nothing, even after an hour", ticket_title: "Password reset mail" });
  });

  it("a title of a ticket left HTML-free stays as given; control characters are not indexed", async () => {
    const log = new MemoryLog().ticket("t1", "a <b> title", "line one\nline\u0002two").reply("r1", "t1", "x\u0003y");
    await pump(log);
    expect((await indexedDocuments()).map((doc) => [doc.title, doc.body])).toEqual([
      ["", "x y"],
      ["a <b> title", "line one line two"],
    ]);
  });
});

describe("re-applying a batch changes nothing", () => {
  it("the same batch again on the checkpoint it was read after is refused whole by the guard", async () => {
    const log = busyLog();
    const { changes } = await log.source(0, 200);
    const batch = { after: 0, through: changes.at(-1)!.seq, plan: planBatch(changes), caughtUp: true, now: 1 };
    await env.SEARCH_DB.batch(batchStatements(env.SEARCH_DB, batch));
    const once = await indexedDocuments();
    const error = await env.SEARCH_DB.batch(batchStatements(env.SEARCH_DB, { ...batch, now: 2 })).catch((err: unknown) => err);
    expect(isCheckpointMoved(error)).toBe(true);
    expect(await indexedDocuments()).toEqual(once);
    expect(await checkpointSeq()).toBe(batch.through);
    await checkFullTextIndex();
  });

  it("its changes applied again (past the guard) leave every document as it was, and rewrite no row", async () => {
    const log = busyLog();
    const { changes } = await log.source(0, 200);
    await pump(log);
    const once = await indexedDocuments();
    const through = changes.at(-1)!.seq;
    const results = await env.SEARCH_DB.batch(batchStatements(env.SEARCH_DB, { after: through, through, plan: planBatch(changes), caughtUp: true, now: 3 }));
    expect(await indexedDocuments()).toEqual(once);
    // Guard in and out, and the checkpoint: the only rows written. (The deletes find nothing.)
    expect(results.map((result) => result.meta.changes)).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
    await checkFullTextIndex();
  });
});

describe("atomic checkpoint: a failure anywhere loses and duplicates nothing", () => {
  it("a crash between reading the changes and applying them applies nothing; the next step reads them again", async () => {
    const log = busyLog();
    const crashing = async (after: number, limit: number) => {
      await log.source(after, limit);
      throw new Error("crashed after reading");
    };
    await expect(pump(log, { readChanges: crashing })).rejects.toThrow("crashed after reading");
    expect(await indexedDocuments()).toEqual([]);
    expect(await checkpointSeq()).toBe(0);
    await pumpAll(log, { batchSize: 5 });
    const recovered = await indexedDocuments();
    expect(await rebuilt(log)).toEqual(recovered);
  });

  it("a batch read before another pump (or a rebuild) moved the checkpoint is dropped whole: nothing applied twice", async () => {
    const log = busyLog();
    let raced = false;
    const racing = async (after: number, limit: number) => {
      const page = await log.source(after, limit);
      if (!raced) {
        raced = true;
        // Between this pump's read and its apply, a second pump applies the same changes.
        expect(await pump(log, { batchSize: limit })).toMatchObject({ outcome: "more", applied: limit });
      }
      return page;
    };
    expect(await pump(log, { readChanges: racing, batchSize: 4 })).toEqual({ outcome: "stale", checkpoint: 0, head: 13, applied: 0 });
    expect(await checkpointSeq()).toBe(4);
    await pumpAll(log, { batchSize: 4 });
    await checkFullTextIndex();
    expect(await matching("spam")).toEqual(["reply:r1", "reply:r6"]);
    const incremental = await indexedDocuments();
    expect(await rebuilt(log)).toEqual(incremental);
  });

  it("a rebuild between a read and its apply: the stale batch is dropped, the rebuild goes on from seq 0", async () => {
    const log = busyLog();
    await pumpAll(log, { batchSize: 5 });
    const before = await indexedDocuments();
    log.reply("r7", "t2", "after the rebuild");
    const rebuildingMeanwhile = async (after: number, limit: number) => {
      const page = await log.source(after, limit);
      await resetIndex(env.SEARCH_DB, Date.now());
      return page;
    };
    expect(await pump(log, { readChanges: rebuildingMeanwhile })).toMatchObject({ outcome: "stale" });
    expect(await indexedDocuments()).toEqual([]);
    expect(await checkpointSeq()).toBe(0);
    await pumpAll(log);
    expect((await indexedDocuments()).filter((doc) => doc.doc_key !== "reply:r7")).toEqual(before);
  });

  it("a statement failing inside the apply rolls the whole batch back, checkpoint included; the retry applies it once", async () => {
    const log = busyLog();
    await pumpAll(log, { batchSize: 5 });
    const before = await indexedDocuments();
    log.ticket("t1", "Password reset, retitled").reply("r8", "t1", "a new reply").delete("reply", "r1", "t1");
    await expect(pump(log, { db: failingMidBatch(env.SEARCH_DB) })).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await indexedDocuments()).toEqual(before);
    expect(await checkpointSeq()).toBe(13);
    await checkFullTextIndex();
    expect(await pump(log)).toMatchObject({ outcome: "caught-up", checkpoint: 16, applied: 3 });
    await checkFullTextIndex();
    expect(await matching("retitled")).toEqual(["reply:r3", "reply:r6", "reply:r8", "ticket:t1"]);
    const incremental = await indexedDocuments();
    expect(await rebuilt(log)).toEqual(incremental);
  });
});

describe("a rebuild with nothing to replay", () => {
  it("ends at the first step instead of staying a rebuild for ever", async () => {
    await resetIndex(env.SEARCH_DB, Date.now());
    expect((await readCheckpoint(env.SEARCH_DB)).rebuildRequestedAt).not.toBeNull();
    expect((await pump(new MemoryLog())).outcome).toBe("caught-up");
    expect(await readCheckpoint(env.SEARCH_DB)).toMatchObject({ seq: 0, rebuildRequestedAt: null });
  });
});

