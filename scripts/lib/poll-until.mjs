// Waiting in the demo and the bench: for a delivery, a frame, a breaker, a reply in the feed.

/**
 * Resolves after `ms`.
 *
 * @example
 * ```js
 * await sleep(250);
 * ```
 * @param {number} ms
 */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks `done` every `everyMs` until it holds or `timeoutMs` have passed since `since` (by
 * default, the call); says whether it holds. Checked once more after the last wait, so a
 * condition that comes true at the deadline still counts.
 *
 * @example
 * ```js
 * if (!(await pollUntil(() => receiver.arrivals.has(id), { timeoutMs: 10_000, everyMs: 1, since: sentAt }))) throw new Error("not delivered");
 * ```
 * @param {() => boolean | Promise<boolean>} done
 * @param {{ timeoutMs: number, everyMs: number, since?: number }} options `since` on `performance.now()`'s clock
 * @returns {Promise<boolean>}
 */
export async function pollUntil(done, { timeoutMs, everyMs, since = performance.now() }) {
  for (;;) {
    if (await done()) return true;
    if (performance.now() - since >= timeoutMs) return false;
    await sleep(everyMs);
  }
}
