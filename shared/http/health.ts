/** What `GET /health` answers: which service and semver version, and which deployment of it. */
export interface HealthBody {
  service: string;
  version: string;
  /** The Worker version Cloudflare runs (from the `version_metadata` binding). */
  deployment: { id: string; tag: string | null; timestamp: string } | null;
}

/**
 * The health answer of a Worker. Locally the version id is a placeholder; deployed, it names the
 * exact upload serving the request, which tells a gradual rollout's two versions apart.
 *
 * @example
 * ```ts
 * app.get("/health", (c) => c.json(healthBody("tickets", c.env.SERVICE_VERSION, c.env.CF_VERSION_METADATA)));
 * ```
 */
export function healthBody(service: string, version: string, metadata: WorkerVersionMetadata | undefined): HealthBody {
  return {
    service,
    version,
    deployment: metadata ? { id: metadata.id, tag: metadata.tag || null, timestamp: metadata.timestamp } : null,
  };
}
