import type { RequestIdVariables } from "#shared/http/request-id/index.ts";
import type { D1SessionVariables } from "./d1-session/index.ts";

/**
 * Hono environment of the tickets app. Its bindings are the Worker's `Env`, generated from
 * v1.0.0/wrangler.toml (1.0.1 binds the same) into ../worker-configuration.d.ts by `npm run cf-typegen`.
 */
export interface TicketsAppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & D1SessionVariables;
}
