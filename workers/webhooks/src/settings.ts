import { parseAllowedHosts } from "#shared/webhooks/url-guard.ts";

/** The delivery settings the Worker's vars hold, parsed once per batch. */
export interface DeliverySettings {
  /** Hosts exempt from the SSRF guard's address rules (local receivers only). */
  allowedHosts: string[];
  /** A receiver has this long to answer with a 2xx. */
  timeoutMs: number;
  /** Share of each retry delay it may move either way. */
  jitter: number;
  /** A subscription failing for this long without a success is disabled. */
  disableAfterMs: number;
}

/** A var as a finite number ≥ 0, or `fallback` when it is unset or not one (a typo must not stop deliveries). */
function numberVar(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * The settings in `env`: WEBHOOK_ALLOWED_HOSTS, WEBHOOK_TIMEOUT_MS, WEBHOOK_RETRY_JITTER and
 * WEBHOOK_DISABLE_AFTER_HOURS, each with the documented default when unset or unreadable.
 *
 * @example
 * ```ts
 * const { timeoutMs } = deliverySettings(env); // 15000
 * ```
 */
export function deliverySettings(env: Env): DeliverySettings {
  return {
    allowedHosts: parseAllowedHosts(env.WEBHOOK_ALLOWED_HOSTS),
    timeoutMs: numberVar(env.WEBHOOK_TIMEOUT_MS, 15_000),
    jitter: Math.min(1, numberVar(env.WEBHOOK_RETRY_JITTER, 0.1)),
    disableAfterMs: numberVar(env.WEBHOOK_DISABLE_AFTER_HOURS, 120) * 3_600_000,
  };
}
