import type { BreakerRegistry, BreakerStatus } from "./breaker-registry.ts";
import type { Registry } from "./registry.ts";

/** One version as `GET /services` shows it. */
export interface VersionStatus extends BreakerStatus {
  version: string;
}

/** One service as `GET /services` shows it, versions newest first. */
export interface ServiceStatus {
  name: string;
  versions: VersionStatus[];
}

/**
 * Every registered service with each version's breaker state and call counts in this isolate.
 *
 * @example
 * ```ts
 * app.get("/services", (c) => c.json({ services: describeServices(registry, breakers) }));
 * ```
 */
export function describeServices(registry: Registry, breakers: BreakerRegistry): ServiceStatus[] {
  return registry.services().map(({ name, versions }) => ({
    name,
    versions: versions.map((version) => ({ version, ...breakers.status(name, version) })),
  }));
}
