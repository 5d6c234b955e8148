import type { RequestIdVariables } from "#shared/http/request-id/index.ts";

/**
 * Hono environment of the search app. Its bindings are the Worker's `Env`, generated from
 * wrangler.toml into ../worker-configuration.d.ts by `npm run cf-typegen`.
 */
export interface SearchAppEnv {
  Bindings: Env;
  Variables: RequestIdVariables;
}
