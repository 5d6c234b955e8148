// Bindings the test projects give their Worker under test (see vitest.config.ts).
import type { D1Migration } from "cloudflare:test";
import type { GatewayEnv } from "../workers/gateway/src/env.ts";
import type { ReplyFeedEnv } from "../workers/reply-feed/src/env.ts";
import type { TicketsEnv } from "../workers/tickets/src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends TicketsEnv, GatewayEnv, ReplyFeedEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The demo seed's statements, run after the migrations. */
      TEST_SEED: string[];
      /** tickets 1.0.1 with FAILURE_RATE 0. */
      TICKETS_V1_0_1: Fetcher;
      /** tickets 1.0.1 with FAILURE_RATE 1. */
      TICKETS_V1_0_1_FAILING: Fetcher;
      /** A tickets 1.0.1 that answers every request with a 503 (reply-feed tests). */
      TICKETS_V1_0_1_DOWN: Fetcher;
    }
  }
}
