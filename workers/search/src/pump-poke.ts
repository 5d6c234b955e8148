import { storedHealth } from "./pump-health.ts";
import { promiseStepAt } from "./pump-promise.ts";
import { MIN_PROMISE_MS, POKE_COALESCE_MS, wakeNoLaterThan } from "./pump-schedule.ts";

/**
 * Takes a poke that reached the pump at `now` (its object's clock): the next step is due no later
 * than {@link POKE_COALESCE_MS} from now (but for a failing pump's retry, which keeps its
 * backoff), and the answer is how long until a step that starts after this poke: on a healthy
 * pump never less than {@link MIN_PROMISE_MS}. The gateway counts on that figure, so it has to be
 * a floor:
 *
 * - an alarm fires at or after its time, and the step it runs reads the change log after it starts;
 * - nothing postpones an alarm: pokes and the end of a step only ever set one sooner
 *   (`wakeNoLaterThan`), `health()` only when there is none, and a rebuild is a poke;
 * - what can bring a step sooner than promised: a step that *is* running when the poke comes in
 *   (inside `alarm()`, `getAlarm` answers null until something sets a new alarm, so the poke sets
 *   one and answers ~100 ms) may end with more to read and want the next step at once. That
 *   earlier step does not keep the promise; the promise is carried until a step that starts at or
 *   after it has run (pump-promise.ts).
 *
 * A poke that finds the next step less than {@link MIN_PROMISE_MS} away is answered with the step
 * after it. That pending step reads the poke's own write (the object runs one event at a time, so
 * it starts after this poke), but its time is too close for the gateway to count any other write
 * on it: answered with what is left of its wait, every write of those last milliseconds poked
 * again (measured: a fifth to a quarter of a burst's writes). The following step is the carried
 * promise that pump-promise.ts keeps, so it costs no step the writes would not have asked for,
 * but one that may find nothing to read at the end of a burst.
 *
 * `now` is the object's `Date.now()`, which only moves on I/O and so is at most the real time the
 * poke arrived: an answer measured from it is, if anything, a little long. The gateway subtracts a
 * margin for that (workers/gateway/src/search-pump/poke-coverage.ts).
 *
 * @example
 * ```ts
 * async poke() { return takePoke(this.ctx.storage, Date.now()); } // { stepInMs: 100 } on an idle pump
 * ```
 */
export async function takePoke(storage: DurableObjectStorage, now: number): Promise<{ stepInMs: number }> {
  // A failing pump keeps its backoff: pokes under write traffic would otherwise turn a retry after
  // 1 s ... 60 s into one every 100 ms. The retry reads whatever was written meanwhile.
  if ((await storedHealth(storage)).failures > 0) {
    const retryAt = await storage.getAlarm();
    if (retryAt !== null) return { stepInMs: Math.max(0, retryAt - now) };
  }
  const due = await wakeNoLaterThan(storage, now + POKE_COALESCE_MS);
  if (due - now >= MIN_PROMISE_MS) return { stepInMs: due - now };
  const following = Math.max(due, now) + POKE_COALESCE_MS;
  await promiseStepAt(storage, following);
  return { stepInMs: following - now };
}
