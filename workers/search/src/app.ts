import { Hono } from "hono";
import { handleError, handleNotFound } from "#shared/http/error-handler.ts";
import { healthBody } from "#shared/http/health.ts";
import { allowRoutedMethods } from "#shared/http/method-not-allowed.ts";
import { requestId } from "#shared/http/request-id/index.ts";
import type { PokeAnswer } from "#shared/search/poke-answer.ts";
import { changeSource, statusDispatcher } from "./change-source.ts";
import { readCheckpoint, resetIndex } from "./checkpoint.ts";
import type { SearchAppEnv } from "./env.ts";
import { pumpOf } from "./pump-of.ts";
import { searchIndex } from "./search-index.ts";
import { searchQuery } from "./search-query.ts";
import { searchStatus } from "./status.ts";

/**
 * The search service's HTTP API, reached through the gateway: `GET /search?q=&limit=`,
 * `GET /search/status`, `POST /search/rebuild` (the gateway authenticates it), `POST /pump/poke`
 * (the gateway's, after a write; answers `{ poked: true, stepInMs }`) and `GET /health`.
 *
 * @example
 * ```ts
 * export default { fetch: createSearchApp().fetch };
 * ```
 */
export function createSearchApp() {
  const app = new Hono<SearchAppEnv>();
  app.use(requestId());
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.get("/health", (c) => c.json(healthBody("search", c.env.SERVICE_VERSION, c.env.CF_VERSION_METADATA)));
  app.get("/search", async (c) => {
    const { q, limit } = searchQuery(c.req.query());
    return c.json({ hits: await searchIndex(c.env.SEARCH_DB, q, limit) });
  });
  app.get("/search/status", async (c) => {
    const checkpoint = await readCheckpoint(c.env.SEARCH_DB);
    return c.json(await searchStatus(checkpoint, changeSource(statusDispatcher(c.env)), pumpOf(c.env).health()));
  });
  app.post("/search/rebuild", async (c) => {
    await resetIndex(c.env.SEARCH_DB, Date.now());
    await pumpOf(c.env).poke();
    return c.json({ rebuilding: true, checkpoint: 0 }, 202);
  });
  // The answer says when the step this poke set up is due: the gateway skips the pokes of the
  // writes that step reads anyway.
  app.post("/pump/poke", async (c) => {
    const { stepInMs } = await pumpOf(c.env).poke();
    return c.json({ poked: true, stepInMs } satisfies PokeAnswer, 202);
  });
  allowRoutedMethods(app);
  return app;
}
