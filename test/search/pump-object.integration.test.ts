import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createSearchApp } from "../../workers/search/src/app.ts";
import { runPumpAlarm } from "../../workers/search/src/pump-alarm.ts";
import { HEALTH_KEY, HEALTHY, type StoredHealth } from "../../workers/search/src/pump-health.ts";
import { pumpOf } from "../../workers/search/src/pump-of.ts";
import { takePoke } from "../../workers/search/src/pump-poke.ts";
import { PROMISED_STEP_KEY } from "../../workers/search/src/pump-promise.ts";
import type { PumpStepResult } from "../../workers/search/src/pump-step.ts";
import { MIN_PROMISE_MS, POKE_COALESCE_MS, SAFETY_INTERVAL_MS } from "../../workers/search/src/pump-schedule.ts";
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

describe("a poke's answer: how long until the step it set up", () => {
  // Another object again, on a clock an hour ahead: the alarms set here never fire during the test.
  const object = () => env.SEARCH_PUMP.get(env.SEARCH_PUMP.idFromName("promise-test"));
  const inAnHour = () => Date.now() + 3_600_000;
  const readMore: PumpStepResult = { outcome: "more", checkpoint: 1, head: 2, applied: 1 };
  const readAll: PumpStepResult = { outcome: "caught-up", checkpoint: 2, head: 2, applied: 1 };

  it("is the coalescing window on an idle pump, what is left of a sooner step's wait, and past a step due within half a window, the step after it", async () => {
    const answers = await runInDurableObject(object(), async (_instance, state) => {
      const now = inAnHour();
      const answerWith = async (alarm: number | null) => {
        await state.storage.delete(PROMISED_STEP_KEY);
        if (alarm === null) await state.storage.deleteAlarm();
        else await state.storage.setAlarm(alarm);
        const { stepInMs } = await takePoke(state.storage, now);
        const carried = await state.storage.get<number>(PROMISED_STEP_KEY);
        return { stepInMs, alarmIn: ((await state.storage.getAlarm()) ?? Number.NaN) - now, carriedIn: carried === undefined ? null : carried - now };
      };
      const result = {
        idle: await answerWith(null),
        safetyAlarmSet: await answerWith(now + SAFETY_INTERVAL_MS),
        stepIn70Ms: await answerWith(now + 70),
        stepIn50Ms: await answerWith(now + 50),
        stepIn30Ms: await answerWith(now + 30),
        stepDue: await answerWith(now - 5),
      };
      await state.storage.deleteAlarm();
      await state.storage.delete(PROMISED_STEP_KEY);
      return result;
    });
    expect(MIN_PROMISE_MS).toBe(50);
    expect(answers).toEqual({
      idle: { stepInMs: POKE_COALESCE_MS, alarmIn: POKE_COALESCE_MS, carriedIn: null },
      safetyAlarmSet: { stepInMs: POKE_COALESCE_MS, alarmIn: POKE_COALESCE_MS, carriedIn: null },
      stepIn70Ms: { stepInMs: 70, alarmIn: 70, carriedIn: null },
      stepIn50Ms: { stepInMs: 50, alarmIn: 50, carriedIn: null },
      // The close step still comes first (it reads the poke's own write); the answer is the next.
      stepIn30Ms: { stepInMs: 30 + POKE_COALESCE_MS, alarmIn: 30, carriedIn: 30 + POKE_COALESCE_MS },
      stepDue: { stepInMs: POKE_COALESCE_MS, alarmIn: -5, carriedIn: POKE_COALESCE_MS },
    });
  });

  it("past a close step, never shortens a promise the pump already carries", async () => {
    const after = await runInDurableObject(object(), async (_instance, state) => {
      const now = inAnHour();
      // A catch-up is due at once, and an earlier poke was promised a step 200 ms on.
      await state.storage.setAlarm(now);
      await state.storage.put(PROMISED_STEP_KEY, now + 200);
      const { stepInMs } = await takePoke(state.storage, now);
      const carriedIn = ((await state.storage.get<number>(PROMISED_STEP_KEY)) ?? Number.NaN) - now;
      await state.storage.deleteAlarm();
      await state.storage.delete(PROMISED_STEP_KEY);
      return { stepInMs, carriedIn };
    });
    // This poke's promise (a step 100 ms on or later) is kept by the step 200 ms on as well.
    expect(after).toEqual({ stepInMs: POKE_COALESCE_MS, carriedIn: 200 });
  });

  it("leaves a failing pump's backoff alone, and says how long until its retry; once healthy, a poke wakes it as before", async () => {
    const answers = await runInDurableObject(object(), async (_instance, state) => {
      const now = inAnHour();
      await state.storage.put(HEALTH_KEY, { failures: 3, lastError: "tickets unreachable" } satisfies StoredHealth);
      await state.storage.setAlarm(now + 4_000);
      const failing = { ...(await takePoke(state.storage, now)), alarmIn: ((await state.storage.getAlarm()) ?? Number.NaN) - now };
      await state.storage.put(HEALTH_KEY, HEALTHY);
      const healthy = { ...(await takePoke(state.storage, now)), alarmIn: ((await state.storage.getAlarm()) ?? Number.NaN) - now };
      await state.storage.deleteAlarm();
      return { failing, healthy };
    });
    expect(answers).toEqual({
      failing: { stepInMs: 4_000, alarmIn: 4_000 },
      healthy: { stepInMs: POKE_COALESCE_MS, alarmIn: POKE_COALESCE_MS },
    });
  });

  /**
   * One turn of the loop on `storage` as the alarm runs it: the running alarm cleared, the step
   * starting at `at` and ending with `result`, a poke coming in `pokedAfter` ms into it if given.
   * Returns the alarm after the turn and the promise carried, both relative to `from`.
   */
  async function turn(storage: DurableObjectStorage, from: number, at: number, result: PumpStepResult | Error, pokedAfter?: number) {
    await storage.deleteAlarm();
    let now = at;
    const due = await runPumpAlarm(
      storage,
      async () => {
        if (pokedAfter !== undefined) await takePoke(storage, (now += pokedAfter));
        if (result instanceof Error) throw result;
        return result;
      },
      () => now,
    );
    const carried = await storage.get<number>(PROMISED_STEP_KEY);
    return { due: due - from, carried: carried === undefined ? null : carried - from };
  }

  it("is kept when a step was running: a catch-up sooner than promised is followed by a step at the promised time", async () => {
    const turns = await runInDurableObject(object(), async (_instance, state) => {
      const start = inAnHour();
      const result = [
        // 10 ms into a step, a poke sees no alarm (the running one is cleared), sets one and
        // promises 100 ms. The step ends with more to read: the next step is due at once.
        await turn(state.storage, start, start, readMore, 10),
        // That step runs before the promised time and catches up: the next is the promised step,
        // not the safety alarm 30 s on, which would leave a write the promise covers unread.
        await turn(state.storage, start, start + 20, readAll),
        // The promised step keeps the promise: after it, the safety alarm as usual.
        await turn(state.storage, start, start + 110, readAll),
      ];
      await state.storage.deleteAlarm();
      return result;
    });
    expect(turns).toEqual([
      { due: 10, carried: 110 },
      { due: 110, carried: null },
      { due: 110 + SAFETY_INTERVAL_MS, carried: null },
    ]);
  });

  it("is kept past a close step: the step after it follows even when the close step catches up, and then the safety alarm", async () => {
    const turns = await runInDurableObject(object(), async (_instance, state) => {
      const start = inAnHour();
      // A step is due in 100 ms; a poke 90 ms on finds it 10 ms away and is promised the next.
      await state.storage.setAlarm(start + 100);
      const { stepInMs } = await takePoke(state.storage, start + 90);
      const result = [
        stepInMs,
        // The close step reads everything there is: without the promise, the next would be the
        // safety alarm 30 s on, and a write the gateway counted on the promise would wait for it.
        await turn(state.storage, start, start + 100, readAll),
        await turn(state.storage, start, start + 200, readAll),
      ];
      await state.storage.deleteAlarm();
      return result;
    });
    expect(turns).toEqual([
      10 + POKE_COALESCE_MS,
      { due: 100 + POKE_COALESCE_MS, carried: null },
      { due: 200 + SAFETY_INTERVAL_MS, carried: null },
    ]);
  });

  it("needs no carrying when the next step is no sooner than the promise: after a failure, or caught up", async () => {
    const turns = await runInDurableObject(object(), async (_instance, state) => {
      const start = inAnHour();
      const result = [
        // The retry would come a second later: the promised step comes first.
        await turn(state.storage, start, start, new Error("tickets unreachable"), 0),
        await turn(state.storage, start, start + 200, readAll, 0),
      ];
      await state.storage.deleteAlarm();
      await state.storage.delete(HEALTH_KEY);
      return result;
    });
    expect(turns).toEqual([
      { due: POKE_COALESCE_MS, carried: null },
      { due: 200 + POKE_COALESCE_MS, carried: null },
    ]);
  });
});
