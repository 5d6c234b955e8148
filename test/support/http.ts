import { exports } from "cloudflare:workers";

// Small request helpers for tests that talk to Workers over fetch-shaped bindings.

/** Anything with a Workers-style `fetch`: a service binding, `exports.default`, a Hono app wrapper. */
export interface FetchTarget {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

const BASE = "http://service.test";

/** GET `path` and parse the JSON answer. */
export async function getJson<T = unknown>(target: FetchTarget, path: string, headers: HeadersInit = {}) {
  const res = await target.fetch(`${BASE}${path}`, { headers });
  return { res, body: (await res.json()) as T };
}

/** POST `body` as JSON to `path` and parse the JSON answer. */
export async function postJson<T = unknown>(target: FetchTarget, path: string, body: unknown, headers: HeadersInit = {}) {
  const res = await target.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { res, body: (await res.json()) as T };
}

/** The error envelope every Worker answers a failed request with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/**
 * The Worker under test of the current test project, as a fetch target. (`exports` is typed
 * per main module, which differs between the test projects.)
 */
export const workerUnderTest = (): FetchTarget => (exports as unknown as { default: FetchTarget }).default;
