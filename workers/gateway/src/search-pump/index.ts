import { createMiddleware } from "hono/factory";
import { REQUEST_ID_HEADER } from "#shared/headers.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { stepInMsOf } from "#shared/search/poke-answer.ts";
import type { GatewayAppEnv } from "../env.ts";
import type { PokeCoverage } from "./poke-coverage.ts";

/** The search Worker's internal route that wakes its pump (only the gateway's binding reaches it). */
const POKE_URL = "https://search/pump/poke";

/**
 * Tells the search pump that the change log has grown, and records in `coverage` what its answer
 * promises (the writes its step reads anyway). A lost poke costs only latency (the pump's 30 s
 * safety alarm reads the log anyway), so a failure is logged at info and nothing more; it
 * promises nothing, so the next write pokes again. A 2xx without a usable `stepInMs` (a search
 * Worker older than the answer) is no failure, and promises nothing either.
 *
 * @example
 * ```ts
 * ctx.waitUntil(pokeSearchPump(env.SEARCH_V1_0_0, "req-42", coverage));
 * ```
 */
export async function pokeSearchPump(search: Fetcher, requestId: string, coverage: PokeCoverage): Promise<void> {
  // Read before the request leaves: the time the promise is counted from is then no later than the real send.
  const answered = coverage.sending();
  try {
    const res = await search.fetch(new Request(POKE_URL, { method: "POST", headers: { [REQUEST_ID_HEADER]: requestId } }));
    if (!res.ok) {
      // Drain the body so the connection is released.
      await res.body?.cancel();
      logEvent("info", "gateway.search_poke_failed", { requestId, status: res.status });
      return;
    }
    const stepInMs = stepInMsOf(await res.json().catch(() => null));
    if (stepInMs !== null) answered(stepInMs);
  } catch (err) {
    logEvent("info", "gateway.search_poke_failed", { requestId, ...describeError(err) });
  }
}

/**
 * After a tickets write that succeeded (a 2xx answer: a ticket created, a reply added), pokes the
 * search pump in `waitUntil`, so the index follows within moments instead of at the next safety
 * alarm, unless an earlier poke's answer already covers the write (`coverage`): then the step
 * that poke set up reads it, and a poke would only cost the write path. At 200 writes a second,
 * that is one poke per ~100 ms window instead of twenty. Fire and forget: the client's answer
 * neither waits for the poke nor depends on it.
 *
 * @example
 * ```ts
 * const poke = pokeSearchAfterWrite(new PokeCoverage());
 * app.post("/tickets/:id/replies", poke, toTickets);
 * ```
 */
export const pokeSearchAfterWrite = (coverage: PokeCoverage) =>
  createMiddleware<GatewayAppEnv>(async (c, next) => {
    await next();
    if (c.res.status < 200 || c.res.status >= 300) return;
    // The time is read now, after the write's answer arrived (the write committed before it).
    if (coverage.covers()) return;
    c.executionCtx.waitUntil(pokeSearchPump(c.env.SEARCH_V1_0_0, c.get("requestId"), coverage));
  });
