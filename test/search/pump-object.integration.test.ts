import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createSearchApp } from "../../workers/search/src/app.ts";
import { runPumpAlarm } from "../../workers/search/src/pump-alarm.ts";
import { pumpOf } from "../../workers/search/src/pump-of.ts";
import { takePoke } from "../../workers/search/src/pump-poke.ts";
import { POKE_COALESCE_MS, SAFETY_INTERVAL_MS } from "../../workers/search/src/pump-schedule.ts";
import type { SearchHit } from "../../workers/search/src/search-index.ts";
import type { SearchStatus } from "../../workers/search/src/status.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest } from "../support/http.ts";
import { indexedDocuments } from "./change-log.ts";
import { AD_ON_IOS, addReply, headInTicketsDatabase, keysInTicketsDatabase, SOCIAL_AUTH } from "./tickets.ts";

// The pump's Durable Object and its alarm loop, through the search Worker's routes, on the real
// tickets change log. The loop runs on its own here (alarms fire), so waits are for an outcome,
// with a timeout far below the 30 s safety alarm, never a fixed sleep.

const status = async () => (await getJson<SearchStatus>(workerUnderTest(), "/search/status")).body;
const nextAlarm = () => runInDurableObject(pumpOf(env), (_instance, state) => state.storage.getAlarm());
const caughtUp = () =>
  vi.waitFor(async () => expect(await status()).toMatchObject({ state: "caught_up", lagChanges: 0 }), { timeout: 5_000, interval: 20 });
const found = async (query: string) =>
  (await getJson<{ hits: SearchHit[] }>(workerUnderTest(), `/search?q=${encodeURIComponent(query)}`)).body.hits.map((hit) => hit.replyId ?? hit.ticketId);

describe("the pump's alarm loop", () => {
  it("before its first step: status shows the whole log as lag, and a look at it starts the loop", async () => {
    const head = await headInTicketsDatabase();
    expect(await status()).toEqual({ checkpoint: 0, head, lagChanges: head, lagSeconds: expect.any(Number), lastAppliedAt: null, state: "catching_up" });
    await caughtUp();
    expect((await indexedDocuments()).map((doc) => doc.doc_key)).toEqual(await keysInTicketsDatabase());
    const { lastAppliedAt, lagSeconds, checkpoint } = await status();
    expect(Date.parse(lastAppliedAt ?? "")).toBeGreaterThan(Date.now() - 10_000);
    expect([lagSeconds, checkpoint]).toEqual([0, head]);
  });

  it("caught up, it looks again in 30 s; a poke after a write makes it catch up at once", async () => {
    await caughtUp();
    await vi.waitFor(async () => expect(await nextAlarm()).toBeGreaterThan(Date.now() + SAFETY_INTERVAL_MS - 5_000));
    const id = await addReply(SOCIAL_AUTH, "Poked into the index");
    expect(await found("poked")).toEqual([]);
    const { res, body } = await postJson(workerUnderTest(), "/pump/poke", {});
    // Idle until the safety alarm, the pump steps a window after the poke, and says so.
    expect([res.status, body]).toEqual([202, { poked: true, stepInMs: POKE_COALESCE_MS }]);
    await vi.waitFor(async () => expect(await found("poked")).toEqual([id]), { timeout: 5_000, interval: 20 });
    // And the loop goes on: the step the poke woke set the next safety alarm.
    await vi.waitFor(async () => expect(await nextAlarm()).toBeGreaterThan(Date.now() + SAFETY_INTERVAL_MS - 5_000));
  });

  it("status reports the lag in changes and in seconds, until a poke", async () => {
    await caughtUp();
    await addReply(AD_ON_IOS, "one");
    await addReply(AD_ON_IOS, "two");
    // The writes, made a minute and a half ago: the oldest unapplied change is that old.
    await env.DB.prepare("UPDATE change_log SET at = at - 90000 WHERE seq > ?1").bind((await status()).checkpoint).run();
    const lagging = await status();
    expect(lagging).toMatchObject({ head: await headInTicketsDatabase(), lagChanges: 2, state: "catching_up" });
    expect(lagging.lagSeconds).toBeGreaterThanOrEqual(90);
    expect(lagging.lagSeconds).toBeLessThan(100);
    await postJson(workerUnderTest(), "/pump/poke", {});
    await caughtUp();
    expect((await status()).lagSeconds).toBe(0);
  });

  it("with the tickets service unreachable, status answers what it knows, head null", async () => {
    await caughtUp();
    const down = env.TICKETS_V1_0_1_DOWN;
    const target = appTarget(createSearchApp(), { ...env, TICKETS_V1_0_0: down, TICKETS_V1_0_1: down });
    const { res, body } = await getJson<SearchStatus>(target, "/search/status");
    expect(res.status).toBe(200);
    expect(body).toEqual({ checkpoint: await headInTicketsDatabase(), head: null, lagChanges: null, lagSeconds: null, lastAppliedAt: expect.any(String), state: "unknown" });
  });

  it("POST /search/rebuild empties the index and the pump builds the same one again from seq 0", async () => {
    await caughtUp();
    const before = await indexedDocuments();
    const { res, body } = await postJson(workerUnderTest(), "/search/rebuild", {});
    expect([res.status, body]).toEqual([202, { rebuilding: true, checkpoint: 0 }]);
    await caughtUp();
    expect(await indexedDocuments()).toEqual(before);
  });
});

describe("a failing step", () => {
  // Another object of the class, on a clock an hour ahead: its alarms never fire during the test.
  const object = () => env.SEARCH_PUMP.get(env.SEARCH_PUMP.idFromName("backoff-test"));
  const inAnHour = () => Date.now() + 3_600_000;

  it("is retried after 1 s, 2 s, 4 s ... at most a minute; status says failing; a success resets it", async () => {
    const failing = () => Promise.reject(new Error("tickets unreachable"));
    const delays = await runInDurableObject(object(), async (_instance, state) => {
      const waits: number[] = [];
      for (let n = 0; n < 8; n++) {
        const now = inAnHour();
        await state.storage.deleteAlarm();
        waits.push((await runPumpAlarm(state.storage, failing, () => now)) - now);
      }
      return waits;
    });
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(await object().health()).toMatchObject({ failures: 8, lastError: "tickets unreachable" });

    const next = await runInDurableObject(object(), async (_instance, state) => {
      await state.storage.deleteAlarm();
      const now = inAnHour();
      const at = await runPumpAlarm(state.storage, async () => ({ outcome: "caught-up", checkpoint: 1, head: 1, applied: 0 }), () => now);
      return at - now;
    });
    expect(next).toBe(SAFETY_INTERVAL_MS);
    expect(await object().health()).toMatchObject({ failures: 0, lastError: null });
    await runInDurableObject(object(), (_instance, state) => state.storage.deleteAlarm());
  });

  it("a poke wakes the pump a short window later, and the pokes within that window share its step", async () => {
    // On a clock an hour ahead, so that the alarm cannot fire (and run a real step) mid-test.
    const alarms = await runInDurableObject(object(), async (_instance, state) => {
      await state.storage.deleteAlarm();
      const now = Date.now() + 3_600_000;
      await takePoke(state.storage, now);
      const first = await state.storage.getAlarm();
      await takePoke(state.storage, now + 10);
      await takePoke(state.storage, now + 50);
      const after = await state.storage.getAlarm();
      await state.storage.deleteAlarm();
      return { first: (first ?? Number.NaN) - now, after: (after ?? Number.NaN) - now };
    });
    expect(alarms).toEqual({ first: POKE_COALESCE_MS, after: POKE_COALESCE_MS });
  });

  it("never pushes back a step that is due sooner (a poke during a step is not lost)", async () => {
    const at = await runInDurableObject(object(), async (_instance, state) => {
      const soon = inAnHour();
      await state.storage.setAlarm(soon);
      // A step that ends caught up would set the safety alarm, 30 s after `soon`.
      await runPumpAlarm(state.storage, async () => ({ outcome: "caught-up", checkpoint: 1, head: 1, applied: 0 }), () => soon);
      const alarm = await state.storage.getAlarm();
      await state.storage.deleteAlarm();
      return alarm === null ? null : alarm - soon;
    });
    expect(at).toBe(0);
  });
});
