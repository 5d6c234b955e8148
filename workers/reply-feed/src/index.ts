import { createReplyFeedApp } from "./app.ts";
import { consumeReplyEvents } from "./consumer.ts";
import { feedOf } from "./feed-of.ts";

export { ReplyFeed } from "./feed-object.ts";

const app = createReplyFeedApp();

export default {
  fetch: app.fetch,
  queue: consumeReplyEvents,
  // Heals the feed from the tickets service, whatever happened to events on the way.
  scheduled: async (_controller, env) => feedOf(env).reconcile(),
} satisfies ExportedHandler<Env>;
