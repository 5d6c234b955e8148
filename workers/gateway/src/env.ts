/** Bindings of the gateway (see the top-level wrangler.toml). */
export interface GatewayEnv {
  /** tickets 1.0.0, over a service binding. */
  TICKETS_V1_0_0: Fetcher;
  /** tickets 1.0.1, over a service binding. */
  TICKETS_V1_0_1: Fetcher;
  /** reply-feed 1.0.0, over a service binding. */
  REPLY_FEED_V1_0_0: Fetcher;
  /** Per-attempt timeout of a dispatched call, in ms (default 2000). */
  DISPATCH_ATTEMPT_TIMEOUT_MS?: string;
  /** Deadline of a whole dispatched call, fallbacks included, in ms (default 5000). */
  DISPATCH_DEADLINE_MS?: string;
  /** Consecutive failures that open a version's circuit breaker (default 3). */
  BREAKER_FAILURE_THRESHOLD?: string;
  /** How long an open breaker skips its version, in ms (default 10000). */
  BREAKER_COOLDOWN_MS?: string;
  /** The deployed Worker version, for `GET /health`. */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
  /** "true" under `npm start` only: relay services' cron triggers (see local-cron-relay.ts). */
  LOCAL_CRON_RELAY?: string;
  /** Workers Analytics Engine: one data point per dispatch attempt. */
  DISPATCH_ANALYTICS?: AnalyticsEngineDataset;
}

/** Hono environment of the gateway app. */
export interface GatewayAppEnv {
  Bindings: GatewayEnv;
  Variables: { requestId: string };
}
