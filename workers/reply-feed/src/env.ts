import type { ReplyFeed } from "./feed-object.ts";

/** Bindings of the reply-feed Worker (see workers/reply-feed/wrangler.toml). */
export interface ReplyFeedEnv {
  /** The Durable Object class holding the feed; one instance, see `feedOf`. */
  REPLY_FEED: DurableObjectNamespace<ReplyFeed>;
  /** tickets 1.0.0 and 1.0.1, over service bindings: the source of the first fill and of the reconciling cron. */
  TICKETS_V1_0_0: Fetcher;
  TICKETS_V1_0_1: Fetcher;
  /** This deployment's semver version, e.g. "1.0.0". */
  SERVICE_VERSION: string;
  /** Where the feed object is created (a Durable Object location hint such as "enam"); empty: near its first caller. */
  FEED_LOCATION_HINT?: string;
  /** The deployed Worker version, for `GET /health`. */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
}

/** Hono environment of the reply-feed app. */
export interface ReplyFeedAppEnv {
  Bindings: ReplyFeedEnv;
  Variables: { requestId: string };
}
