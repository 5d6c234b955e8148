// Writes with an Idempotency-Key that survives a retry of the same content: a write whose answer
// never came (network error, 5xx, 429) may still have been stored, so sending the same form again
// reuses its key and the gateway answers the first result instead of writing twice. Any change to
// the content, or an answer that settles it, starts a new key.
import { callApi } from "./api.js";

/** Answers after which the same key must not be reused: the write is settled either way. */
const settled = (/** @type {number} */ status) => status > 0 && status < 500 && status !== 429;

/**
 * A sender for one form's writes.
 * @example
 * ```js
 * const send = idempotentWriter();
 * const answer = await send("/tickets", { title: "Mine" });
 * ```
 * @returns {(path: string, body: unknown, token?: string) => Promise<import("./api.js").ApiAnswer>}
 */
export function idempotentWriter() {
  /** @type {{ request: string, key: string } | null} */
  let pending = null;
  return async (path, body, token) => {
    const request = JSON.stringify([path, body]);
    if (pending?.request !== request) pending = { request, key: crypto.randomUUID() };
    const answer = await callApi(path, { method: "POST", body, idempotencyKey: pending.key, token });
    if (settled(answer.status)) pending = null;
    return answer;
  };
}
