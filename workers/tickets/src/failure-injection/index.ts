import { createMiddleware } from "hono/factory";
import { ApiError } from "#shared/http/api-error.ts";
import { logEvent } from "#shared/http/log.ts";
import type { TicketsAppEnv } from "../env.ts";

/** A source of numbers in [0, 1): `Math.random` in production, a fixed sequence in tests. */
export type RandomSource = () => number;

/** Reads FAILURE_RATE; a value that is not a number from 0 to 1 is a deployment mistake, not a 0. */
export function parseFailureRate(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 0;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`FAILURE_RATE must be a number from 0 to 1, got "${raw}"`);
  }
  return rate;
}

/**
 * Answers a share of requests (the `FAILURE_RATE` var) with a 503, the way tickets 1.0.1
 * misbehaves in the original example. A request fails when `random() < rate`, so a rate of 0
 * never fails and 1 always does.
 *
 * @example
 * ```ts
 * app.get("/tickets", injectFailures(() => 0.1), listHandler); // fails whenever FAILURE_RATE > 0.1
 * ```
 */
export const injectFailures = (random: RandomSource) =>
  createMiddleware<TicketsAppEnv>(async (c, next) => {
    const rate = parseFailureRate(c.env.FAILURE_RATE);
    if (rate > 0 && random() < rate) {
      logEvent("warn", "tickets.injected_failure", { requestId: c.var.requestId, path: c.req.path, rate });
      throw new ApiError(503, "injected_failure", `tickets ${c.env.SERVICE_VERSION} failed on purpose (FAILURE_RATE=${rate})`);
    }
    await next();
  });
