import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runPumpAlarm } from "../../workers/search/src/pump-alarm.ts";
import { HEALTH_KEY, HEALTHY, type StoredHealth } from "../../workers/search/src/pump-health.ts";
import { takePoke } from "../../workers/search/src/pump-poke.ts";
import { PROMISED_STEP_KEY } from "../../workers/search/src/pump-promise.ts";
import { MIN_PROMISE_MS, POKE_COALESCE_MS, SAFETY_INTERVAL_MS } from "../../workers/search/src/pump-schedule.ts";
import type { PumpStepResult } from "../../workers/search/src/pump-step.ts";

// What a poke's answer promises the gateway, and that the pump keeps it: the answer on each side
// of the least promise, and the alarm loop's turns after a poke, on the pump's storage with its
// clock passed in (an hour ahead, so that no alarm set here fires during a test).

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
