// The search pump's progress as GET /search/status reports it, for the scripts that wait on it:
// `npm run search:rebuild` and the bench's search part.

/**
 * @typedef {object} SearchStatus What `GET /search/status` answers (workers/search/src/status.ts).
 * @property {number} checkpoint Every change up to this seq is in the index.
 * @property {number | null} head The change log's highest seq (null: the tickets service did not answer).
 * @property {number | null} lagChanges
 * @property {number | null} lagSeconds
 * @property {string | null} lastAppliedAt
 * @property {string} state caught_up, catching_up, rebuilding, failing or unknown
 */

/**
 * Whether the index holds every change of the log, at least up to `atLeast` (a write the caller
 * made): nothing left to apply and no rebuild under way.
 *
 * @example
 * ```js
 * caughtUp({ checkpoint: 1042, head: 1042, lagChanges: 0, lagSeconds: 0, lastAppliedAt: null, state: "caught_up" }, 1000); // true
 * ```
 * @param {SearchStatus} status
 * @param {number} [atLeast]
 */
export const caughtUp = (status, atLeast = 0) =>
  status.head !== null && status.lagChanges === 0 && status.state !== "rebuilding" && status.checkpoint >= atLeast;

/**
 * Polls `GET base/search/status` through `target` every `pollMs` until the pump has caught up
 * (see caughtUp); calls `onStatus` with each answer. Resolves with the last status and when it was
 * seen (performance.now()); rejects after `timeoutMs` with the last status.
 *
 * @example
 * ```js
 * const { status, at } = await waitForCatchUp(globalThis, "http://127.0.0.1:8787", { atLeast: 1042 });
 * ```
 * @param {{ fetch: (url: string) => Promise<{ status: number, json(): Promise<unknown> }> }} target
 * @param {string} base
 * @param {{ atLeast?: number, pollMs?: number, timeoutMs?: number, onStatus?: (status: SearchStatus) => void }} [options]
 * @returns {Promise<{ status: SearchStatus, at: number }>}
 */
export async function waitForCatchUp(target, base, { atLeast = 0, pollMs = 10, timeoutMs = 120_000, onStatus } = {}) {
  const started = performance.now();
  /** @type {SearchStatus | undefined} */
  let last;
  while (performance.now() - started < timeoutMs) {
    const res = await target.fetch(`${base}/search/status`);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`GET /search/status answered ${res.status}: ${JSON.stringify(body)}`);
    last = /** @type {SearchStatus} */ (body);
    const at = performance.now();
    onStatus?.(last);
    if (caughtUp(last, atLeast)) return { status: last, at };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`the search pump did not catch up within ${timeoutMs / 1000} s; last status: ${JSON.stringify(last)}`);
}
