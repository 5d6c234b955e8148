import { Hono } from "hono";
import { ApiError } from "#shared/http/api-error.ts";
import { handleError, handleNotFound } from "#shared/http/error-handler.ts";
import { allowRoutedMethods } from "#shared/http/method-not-allowed.ts";
import { requestId } from "#shared/http/request-id/index.ts";
import { healthBody } from "#shared/http/health.ts";
import type { ReplyFeedAppEnv } from "./env.ts";
import { feedOf } from "./feed-of.ts";
import { liveConnectRequest, maxSocketsOf } from "./socket-cap.ts";

/**
 * The reply feed's HTTP API: `GET /latestReplies` (the original's route), `GET /replies/live`
 * (a WebSocket: the feed, then each new reply; a JSON 503 once the feed holds `FEED_MAX_SOCKETS`)
 * and `GET /health`.
 *
 * @example
 * ```ts
 * export default { fetch: createReplyFeedApp().fetch };
 * ```
 */
export function createReplyFeedApp() {
  const app = new Hono<ReplyFeedAppEnv>();
  app.use(requestId());
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.get("/health", (c) => c.json(healthBody("reply-feed", c.env.SERVICE_VERSION, c.env.CF_VERSION_METADATA)));
  app.get("/latestReplies", async (c) => c.json(await feedOf(c.env).latestReplies()));
  app.get("/replies/live", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "invalid_request", "GET /replies/live expects a WebSocket upgrade", { headers: { upgrade: "websocket" } });
    }
    const upgraded = await feedOf(c.env).fetch(liveConnectRequest(maxSocketsOf(c.env.FEED_MAX_SOCKETS)));
    // A fetched response's headers are immutable; the request-id middleware sets one after this.
    // A 101 carries its WebSocket, a refusal its JSON body.
    const body = upgraded.webSocket ? null : upgraded.body;
    return new Response(body, { status: upgraded.status, headers: upgraded.headers, webSocket: upgraded.webSocket });
  });
  allowRoutedMethods(app);
  return app;
}
