import { createMiddleware } from "hono/factory";
import { REQUEST_ID_HEADER } from "#shared/headers.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { stepInMsOf } from "#shared/search/poke-answer.ts";
import type { GatewayAppEnv } from "../env.ts";
import { POKE_TIMEOUT_MS, type PokeCoverage } from "./poke-coverage.ts";

/** The search Worker's internal route that wakes its pump (only the gateway's binding reaches it). */
const POKE_URL = "https://search/pump/poke";

/**
 * Tells the search pump that the change log has grown, and answers how long until the step it set
 * up is due (`stepInMs`; 0 when a 2xx gave none, as an older search Worker's `{ poked: true }`:
 * the step still starts after the poke came in), or null when the poke failed or took longer than
 * {@link POKE_TIMEOUT_MS} (its request is aborted then). A lost poke costs only latency (the
 * pump's 30 s safety alarm reads the log anyway), so a failure is logged at info and nothing
 * more. Never throws.
 *
 * @example
 * ```ts
 * const stepInMs = await pokeSearchPump(env.SEARCH_V1_0_0, "req-42"); // 100, or null
 * ```
 */
export async function pokeSearchPump(search: Fetcher, requestId: string): Promise<number | null> {
  try {
    const res = await search.fetch(
      new Request(POKE_URL, { method: "POST", headers: { [REQUEST_ID_HEADER]: requestId }, signal: AbortSignal.timeout(POKE_TIMEOUT_MS) }),
    );
    if (!res.ok) {
      // Drain the body so the connection is released.
      await res.body?.cancel();
      logEvent("info", "gateway.search_poke_failed", { requestId, status: res.status });
      return null;
    }
    return stepInMsOf(await res.json().catch(() => null)) ?? 0;
  } catch (err) {
    logEvent("info", "gateway.search_poke_failed", { requestId, ...describeError(err) });
    return null;
  }
}

/**
 * Whether a tickets write answered `status` may have been written: a 2xx; a 5xx, as a version may
 * have applied it before failing (the gateway's 503 after every version failed says as much); the
 * 499 of a client that went away while it was under way. Any other 4xx refused it.
 */
const mayHaveWritten = (status: number): boolean => (status >= 200 && status < 300) || status === 499 || status >= 500;

/**
 * After a tickets write that succeeded (a 2xx answer: a ticket created, a reply added), or whose
 * outcome is unknown ({@link mayHaveWritten}: left unpoked, a write that did commit would wait
 * for the pump's 30 s safety alarm), makes sure a pump step reads it soon, in `waitUntil`: a poke,
 * unless one sent or answered around the same time already covers the write (`coverage`, see
 * poke-coverage.ts), so a burst of writes sends about one poke per 100 ms step instead of one per
 * write. Fire and forget: the client's answer neither waits for the poke nor depends on it.
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
    if (!mayHaveWritten(c.res.status)) return;
    const { SEARCH_V1_0_0: search } = c.env;
    const requestId = c.get("requestId");
    // Called now, after the write's answer arrived (a write that succeeded committed before it):
    // the time is read here. For a write whose outcome is unknown the poke is a best effort: a
    // version still at work may commit after the step it sets up, which the next poke or the
    // safety alarm then reads.
    c.executionCtx.waitUntil(coverage.afterWrite(() => pokeSearchPump(search, requestId)));
  });
