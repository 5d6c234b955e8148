import { wakeNoLaterThan } from "./pump-schedule.ts";

/**
 * The storage key of a step time a poke promised that the next alarm comes before. Each poke's
 * answer promises a step that starts at or after a time (`stepInMs` from the poke: the gateway
 * skips the pokes of writes made before then). A step that starts sooner does not keep that
 * promise: it may have read the log before such a write. So the promise is kept here until a
 * step that starts at or after it has run.
 */
export const PROMISED_STEP_KEY = "promisedStepAt";

/**
 * Records a promise of a step that starts at or after `at`, made while an alarm sooner than it is
 * pending (pump-poke.ts: a poke that finds the next step close): the steps that run before it then
 * carry it, as {@link scheduleNextStep} says. A promise carried already that is later stays: it
 * keeps this one too.
 *
 * @example
 * ```ts
 * await promiseStepAt(storage, due + POKE_COALESCE_MS); // the step after the one due
 * ```
 */
export async function promiseStepAt(storage: DurableObjectStorage, at: number): Promise<void> {
  const carried = (await storage.get<number>(PROMISED_STEP_KEY)) ?? 0;
  if (at > carried) await storage.put(PROMISED_STEP_KEY, at);
}

/**
 * Sets the alarm after a step that started at `started` and asks for the next one at `next` (at
 * once, after the safety interval, after a backoff), keeping every step time a poke promised.
 * Returns the alarm now set.
 *
 * Why it is needed: a poke that comes in while a step runs sees no alarm (inside `alarm()`,
 * `getAlarm` answers null until a new one is set), sets one ~100 ms on and answers so. If the
 * step then ends with more to read, the next step is due at once, sooner than the poke promised,
 * and that catch-up may end caught up before a write the gateway counted as covered commits:
 * without this, that write would wait for the 30 s safety alarm. Here the promise outlives the
 * early steps: each step that starts before it sets the next alarm no later than it, and stores
 * it while the next alarm comes sooner, until a step starts at or after it.
 *
 * A poke that finds the next step close promises the step after it, and stores that promise here
 * itself (pump-poke.ts): the close step then runs before it, as a catch-up would. A poke sets an
 * alarm sooner than a pending one too, but never sooner than its own promise, and a promise is
 * never more than `POKE_COALESCE_MS` past the alarm pending when it was made: only the end of a
 * step can bring a step sooner than a promise made before, so this is the one place a promise
 * could be broken. `health()` sets an alarm only when none is set. The storage calls here
 * have no other I/O between them, so the object's input gate lets no poke in between them.
 *
 * @example
 * ```ts
 * const started = now();
 * const result = await step();
 * await scheduleNextStep(storage, started, result.outcome === "caught-up" ? now() + SAFETY_INTERVAL_MS : now());
 * ```
 */
export async function scheduleNextStep(storage: DurableObjectStorage, started: number, next: number): Promise<number> {
  // Inside `alarm()`, an alarm set since the step began (a poke's, the time it promised) or none.
  const setDuringStep = await storage.getAlarm();
  const carried = (await storage.get<number>(PROMISED_STEP_KEY)) ?? null;
  const promised = Math.max(setDuringStep ?? 0, carried ?? 0);
  // A step that started at or after the promised time read the log after every write it covers.
  const kept = promised <= started;
  const due = await wakeNoLaterThan(storage, kept ? next : Math.min(next, promised));
  if (!kept && due < promised) await storage.put(PROMISED_STEP_KEY, promised);
  else if (carried !== null) await storage.delete(PROMISED_STEP_KEY);
  return due;
}
