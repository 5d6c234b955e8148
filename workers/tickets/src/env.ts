import type { D1SessionVariables } from "./d1-session/index.ts";
import type { ReplyCreatedEvent } from "../../../shared/events/reply-created.ts";

/** Bindings of a tickets Worker (see each version's wrangler.toml under workers/tickets/). */
export interface TicketsEnv {
  /** The D1 database shared by every tickets version. */
  DB: D1Database;
  /** This deployment's semver version, e.g. "1.0.1". */
  SERVICE_VERSION: string;
  /** Share (0 to 1) of ticket queries answered with an injected 503. */
  FAILURE_RATE?: string;
  /** The `reply-events` Queue: every new reply's event, sent from the outbox. */
  REPLY_EVENTS: Queue<ReplyCreatedEvent>;
  /** The deployed Worker version, for `GET /health`. */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
}

/** Hono environment of the tickets app. */
export interface TicketsAppEnv {
  Bindings: TicketsEnv;
  Variables: { requestId: string } & D1SessionVariables;
}
