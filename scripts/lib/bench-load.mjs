// The bench's load loop: `count` calls with `concurrency` in flight, each timed.

/**
 * Runs `call(n)` for n = 0 … count-1, `concurrency` at a time, and times each one.
 *
 * @example
 * ```js
 * const { latencies, seconds } = await inFlight(2000, 8, () => worker.fetch("http://bench.local/tickets"));
 * ```
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(n: number) => Promise<T>} call resolves once the answer is read
 * @returns {Promise<{ latencies: number[], seconds: number, results: T[] }>}
 */
export async function inFlight(count, concurrency, call) {
  /** @type {number[]} */
  const latencies = [];
  /** @type {T[]} */
  const results = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const t0 = performance.now();
        results.push(await call(n));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, results };
}
