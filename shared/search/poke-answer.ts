/**
 * What the search Worker answers `POST /pump/poke` with (a 202): the poke was taken, and the
 * pump's next step, the one that reads the change log after this poke, is due `stepInMs` from
 * the moment the pump took it (0 when a step is due at once). The gateway reads it to know which
 * later writes that step reads anyway, so they need no poke of their own
 * (workers/gateway/src/search-pump/poke-coverage.ts).
 */
export interface PokeAnswer {
  poked: true;
  stepInMs: number;
}

/**
 * The `stepInMs` of a poke's answer body: a finite number of milliseconds, 0 or more; null when
 * the body has none (an older search Worker answers `{ poked: true }` alone) or another value.
 * Never throws: a poke without a usable answer is still a poke, it only promises nothing.
 * Checked by hand, not with a zod schema: the gateway, which reads it, bundles no zod otherwise
 * (it would add some 450 KB to it for one number).
 *
 * @example
 * ```ts
 * stepInMsOf({ poked: true, stepInMs: 100 }); // 100
 * stepInMsOf({ poked: true }); // null
 * ```
 */
export function stepInMsOf(body: unknown): number | null {
  if (typeof body !== "object" || body === null || !("stepInMs" in body)) return null;
  const { stepInMs } = body;
  return typeof stepInMs === "number" && Number.isFinite(stepInMs) && stepInMs >= 0 ? stepInMs : null;
}
