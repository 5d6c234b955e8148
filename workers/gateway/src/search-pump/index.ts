import { createMiddleware } from "hono/factory";
import { REQUEST_ID_HEADER } from "#shared/headers.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import type { GatewayAppEnv } from "../env.ts";

/** The search Worker's internal route that wakes its pump (only the gateway's binding reaches it). */
const POKE_URL = "https://search/pump/poke";

/**
 * Tells the search pump that the change log has grown. A lost poke costs only latency (the pump's
 * 30 s safety alarm reads the log anyway), so a failure is logged at info and nothing more.
 *
 * @example
 * ```ts
 * ctx.waitUntil(pokeSearchPump(env.SEARCH_V1_0_0, "req-42"));
 * ```
 */
export async function pokeSearchPump(search: Fetcher, requestId: string): Promise<void> {
  try {
    const res = await search.fetch(new Request(POKE_URL, { method: "POST", headers: { [REQUEST_ID_HEADER]: requestId } }));
    // The body is not read: drain it so the connection is released.
    await res.body?.cancel();
    if (!res.ok) logEvent("info", "gateway.search_poke_failed", { requestId, status: res.status });
  } catch (err) {
    logEvent("info", "gateway.search_poke_failed", { requestId, ...describeError(err) });
  }
}

/**
 * After a tickets write that succeeded (a 2xx answer: a ticket created, a reply added), pokes the
 * search pump in `waitUntil`, so the index follows within moments instead of at the next safety
 * alarm. Fire and forget: the client's answer neither waits for the poke nor depends on it.
 *
 * @example
 * ```ts
 * app.post("/tickets/:id/replies", pokeSearchAfterWrite(), toTickets);
 * ```
 */
export const pokeSearchAfterWrite = () =>
  createMiddleware<GatewayAppEnv>(async (c, next) => {
    await next();
    if (c.res.status >= 200 && c.res.status < 300) c.executionCtx.waitUntil(pokeSearchPump(c.env.SEARCH_V1_0_0, c.get("requestId")));
  });
