/**
 * What the consumers take from the platform, injectable so tests fix the clock and the jitter:
 * the time, a random source, and fetch.
 */
export interface Runtime {
  /** Epoch milliseconds. */
  now: () => number;
  /** A number in [0, 1). */
  random: () => number;
  /** Sends a delivery request. */
  fetch: typeof fetch;
}

/**
 * The real clock, Math.random and the global fetch (which `global_fetch_strictly_public` keeps
 * off private addresses).
 *
 * @example
 * ```ts
 * await consumeDeliveries(batch, env, systemRuntime());
 * ```
 */
export const systemRuntime = (): Runtime => ({
  now: () => Date.now(),
  random: () => Math.random(),
  fetch: (input, init) => fetch(input, init),
});
