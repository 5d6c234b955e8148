/** The pump's own view of how it is doing, kept in its object's storage. */
export interface PumpHealth {
  /** Failed steps in a row (0 when the last step succeeded). */
  failures: number;
  /** The last failure's message, until a step succeeds. */
  lastError: string | null;
  /** When the next step is due (epoch ms), null when the loop is not scheduled. */
  nextRunAt: number | null;
}

/** The storage key of the failure count and last error. */
export const HEALTH_KEY = "health";

/** What is stored under {@link HEALTH_KEY}. */
export type StoredHealth = Pick<PumpHealth, "failures" | "lastError">;

/** A pump that has not failed. */
export const HEALTHY: StoredHealth = { failures: 0, lastError: null };

/**
 * The pump's stored health: {@link HEALTHY} until a step has failed.
 *
 * @example
 * ```ts
 * const { failures } = await storedHealth(this.ctx.storage);
 * ```
 */
export const storedHealth = async (storage: DurableObjectStorage): Promise<StoredHealth> =>
  (await storage.get<StoredHealth>(HEALTH_KEY)) ?? HEALTHY;
