/**
 * A poke wakes the pump this long after it, not at once: every write poked within the window is
 * in the one step that follows (each write commits before its poke, and the step reads after the
 * window), so a burst of writes costs the tickets service one read of its change log and the
 * search database one batch per window, not one per write. The index stays well under a second
 * behind. The poke's answer says how long the wait is, so the gateway sends no poke for the
 * writes that answer within it (pump-poke.ts).
 */
export const POKE_COALESCE_MS = 100;

/**
 * The least time a poke's answer promises (pump-poke.ts): half the window. The gateway counts the
 * writes answered before the promised step, less a margin of its own (20 ms), on that step; a
 * promise shorter than the margin would cover none, and each of those writes would poke again.
 */
export const MIN_PROMISE_MS = POKE_COALESCE_MS / 2;

/** Caught up, the pump still looks again this often: pokes do the real waking, this catches a lost one. */
export const SAFETY_INTERVAL_MS = 30_000;

/** The first retry after a failure; each further failure in a row doubles it, up to the cap. */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 60_000;

/**
 * How long the pump waits after its `failures`-th failure in a row: 1 s, 2 s, 4 s ... at most 60 s.
 *
 * @example
 * ```ts
 * retryDelayMs(1); // 1000
 * retryDelayMs(7); // 60000
 * ```
 */
export const retryDelayMs = (failures: number): number => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));

/**
 * Sets the object's alarm to `at`, unless one is due sooner: a poke never postpones a step that
 * is due, and the safety alarm set at the end of a step never postpones a poke that came in
 * while the step was running. Returns the alarm now set (`at`, or the sooner one).
 *
 * @example
 * ```ts
 * const due = await wakeNoLaterThan(this.ctx.storage, Date.now() + POKE_COALESCE_MS); // a poke
 * ```
 */
export async function wakeNoLaterThan(storage: DurableObjectStorage, at: number): Promise<number> {
  const current = await storage.getAlarm();
  if (current !== null && current <= at) return current;
  await storage.setAlarm(at);
  return at;
}
