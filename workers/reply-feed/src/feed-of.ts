import type { ReplyFeedEnv } from "./env.ts";

/** The name of the one feed instance: every event and every reader goes to the same object. */
export const FEED_NAME = "latest";

/**
 * The stub of the feed's Durable Object.
 *
 * @example
 * ```ts
 * const replies = await feedOf(env).latestReplies();
 * ```
 */
export const feedOf = (env: ReplyFeedEnv) => env.REPLY_FEED.get(env.REPLY_FEED.idFromName(FEED_NAME));
