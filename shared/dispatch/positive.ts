/**
 * Checks a tuning number (a timeout, a count) at construction, so a bad config fails at once
 * rather than as odd behaviour later.
 *
 * @example
 * ```ts
 * positive("cooldownMs", 10_000); // 10000
 * positive("cooldownMs", 0); // throws RangeError
 * ```
 */
export function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${value}`);
  }
  return value;
}
