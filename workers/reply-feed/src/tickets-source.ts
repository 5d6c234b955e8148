import { z } from "zod";
import { createDispatcher, type Dispatcher } from "#shared/dispatch/index.ts";
import { TICKETS_RANGE, ticketsRegistry } from "#shared/tickets-versions.ts";
import { feedReplySchema, type FeedReply } from "./feed-reply.ts";

/**
 * A dispatcher over the tickets versions bound in `env`. Keep it in step with the `[[services]]`
 * of workers/reply-feed/wrangler.toml.
 *
 * @example
 * ```ts
 * const replies = await readLatestReplies(ticketsDispatcher(env), 10);
 * ```
 */
export const ticketsDispatcher = (env: Env): Dispatcher<"tickets"> =>
  createDispatcher({
    registry: ticketsRegistry(env),
    // No breakers shared across fills: fills are at least 30 s apart, longer than any cooldown, so
    // a breaker would never skip anything. A fill runs inside a feed read that the gateway gives
    // 2 s per attempt: fail over fast and give up well within that, rather than turn a slow
    // tickets service into a failing feed.
    attemptTimeoutMs: 500,
    deadlineMs: 1_200,
  });

const latestRepliesSchema = z.array(feedReplySchema);

/**
 * The latest `limit` replies across all tickets, from the tickets service's `GET /replies` (never
 * its database), called through shared/dispatch: when the newest version fails, an older one
 * answers. Throws when no version answers with a valid list.
 *
 * @example
 * ```ts
 * const replies = await readLatestReplies(ticketsDispatcher(env), FEED_SIZE); // newest first
 * ```
 */
export async function readLatestReplies(dispatcher: Dispatcher<"tickets">, limit: number): Promise<FeedReply[]> {
  const request = new Request(`https://tickets.internal/replies?limit=${limit}`);
  const { response, version } = await dispatcher.dispatch("tickets", TICKETS_RANGE, request);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`tickets ${version} answered GET /replies with ${response.status}`);
  }
  const parsed = latestRepliesSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`tickets ${version} answered GET /replies with an unexpected body`);
  return parsed.data;
}
