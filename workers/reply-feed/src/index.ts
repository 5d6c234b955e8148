import { createReplyFeedApp } from "./app.ts";
import { consumeReplyEvents } from "./consumer.ts";
import type { ReplyFeedEnv } from "./env.ts";

export { ReplyFeed } from "./feed-object.ts";

const app = createReplyFeedApp();

export default {
  fetch: app.fetch,
  queue: consumeReplyEvents,
} satisfies ExportedHandler<ReplyFeedEnv>;
