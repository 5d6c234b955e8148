// Calls to the gateway's API from the page: JSON in and out, the one error envelope turned into a
// message, and what the gateway says about who answered (x-served-by, x-fallback-from).

/**
 * @typedef {object} ApiAnswer
 * @property {boolean} ok
 * @property {number} status 0 when no answer came (network error)
 * @property {any} data the JSON body, or null
 * @property {string} message what went wrong, for people ("" when ok)
 * @property {string | null} servedBy e.g. "tickets@1.0.1"
 * @property {string | null} fallbackFrom e.g. "tickets@1.0.1" when another version answered instead
 * @property {string | null} nextCursor the next page's cursor (x-next-cursor)
 * @property {boolean} replayed a repeated write answered from its Idempotency-Key
 */

/**
 * Calls `path` on this origin.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, token?: string, idempotencyKey?: string }} [options]
 * @returns {Promise<ApiAnswer>}
 */
export async function callApi(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let res;
  try {
    res = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
    });
  } catch (err) {
    return { ok: false, status: 0, data: null, message: `no answer from the gateway (${err instanceof Error ? err.message : String(err)})`, servedBy: null, fallbackFrom: null, nextCursor: null, replayed: false };
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return {
    ok: res.ok,
    status: res.status,
    data,
    message: res.ok ? "" : errorMessage(res, data),
    servedBy: res.headers.get("x-served-by"),
    fallbackFrom: res.headers.get("x-fallback-from"),
    nextCursor: res.headers.get("x-next-cursor"),
    replayed: res.headers.get("idempotent-replayed") === "true",
  };
}

/**
 * The error envelope's message with its details, or the status when there is none.
 * @param {Response} res
 * @param {any} data
 */
function errorMessage(res, data) {
  const error = data?.error;
  if (!error) return `${res.status} ${res.statusText}`.trim();
  const details = Array.isArray(error.details) ? error.details.map((/** @type {any} */ d) => (typeof d === "string" ? d : d?.message)).filter(Boolean) : [];
  const retry = res.headers.get("retry-after");
  return [`${error.message ?? error.code}`, ...details].join("; ") + (retry ? ` (retry in ${retry} s)` : "");
}

/**
 * Who answered, in words: "served by tickets@1.0.1", or "served by tickets@1.0.0, falling back from tickets@1.0.1".
 * @param {ApiAnswer} answer
 */
export function servedByText(answer) {
  if (!answer.servedBy) return "";
  return answer.fallbackFrom ? `served by ${answer.servedBy}, falling back from ${answer.fallbackFrom}` : `served by ${answer.servedBy}`;
}
