import type { FetchTarget } from "../support/http.ts";

// Requests of the subscription API (the tickets service's, or the gateway's with a token): the
// methods and bodiless POSTs that test/support/http.ts does not cover.

/** What a request answered: its status, headers and JSON body (null for an empty one). */
export interface Answer<T> {
  res: Response;
  body: T;
}

/**
 * Sends `method path` with `body` as JSON (none when undefined) and parses the answer.
 *
 * @example
 * ```ts
 * const { res } = await call(tickets, "DELETE", `/subscriptions/${id}`);
 * ```
 */
export async function call<T = unknown>(
  target: FetchTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await target.fetch(`http://service.test${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { res, body: (text === "" ? null : JSON.parse(text)) as T };
}
