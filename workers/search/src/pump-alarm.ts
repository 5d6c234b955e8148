import { describeError, logEvent } from "#shared/http/log.ts";
import { HEALTH_KEY, HEALTHY, storedHealth, type StoredHealth } from "./pump-health.ts";
import { scheduleNextStep } from "./pump-promise.ts";
import { retryDelayMs, SAFETY_INTERVAL_MS } from "./pump-schedule.ts";
import type { PumpStepResult } from "./pump-step.ts";

/**
 * One turn of the pump's alarm loop: run a step, then set the next alarm. More to read, or a
 * stale batch → at once; caught up → in {@link SAFETY_INTERVAL_MS}; a failure (tickets
 * unreachable, a D1 error) → logged, counted, and retried after a delay that grows with the
 * failures in a row (capped at a minute). Nothing is lost: the checkpoint did not move, so the
 * next step reads the same changes. A failed step never throws out of it, so the runtime's own
 * alarm retries (a handful, then given up) come into it only when the object's own storage fails. The next alarm never
 * breaks a poke's promise (pump-promise.ts). Returns when the next step is due.
 *
 * @example
 * ```ts
 * async alarm() { await runPumpAlarm(this.ctx.storage, () => pumpStep(deps)); }
 * ```
 */
export async function runPumpAlarm(storage: DurableObjectStorage, step: () => Promise<PumpStepResult>, now = Date.now): Promise<number> {
  // Before the step reads anything: a promise made for this time or sooner is kept by this step.
  const started = now();
  const health = await storedHealth(storage);
  let next: number;
  try {
    const result = await step();
    if (health.failures > 0) await storage.put(HEALTH_KEY, HEALTHY);
    next = result.outcome === "caught-up" ? now() + SAFETY_INTERVAL_MS : now();
  } catch (err) {
    const failures = health.failures + 1;
    const delayMs = retryDelayMs(failures);
    logEvent("error", "search.pump.failed", { failures, retryInMs: delayMs, ...describeError(err) });
    await storage.put(HEALTH_KEY, { failures, lastError: err instanceof Error ? err.message : String(err) } satisfies StoredHealth);
    next = now() + delayMs;
  }
  return scheduleNextStep(storage, started, next);
}
