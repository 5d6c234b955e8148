import { DurableObject } from "cloudflare:workers";
import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import type { Dispatcher } from "#shared/dispatch/index.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { FEED_SIZE, type FeedReply } from "./feed-reply.ts";
import { FeedStore, type ApplyOutcome } from "./feed-store.ts";
import { answerClose, closeForPolicyViolation } from "./live-close.ts";
import { PING, PONG, replyFrame, snapshotFrame } from "./live-frame.ts";
import { maxSocketsFrom, socketCapRefusal } from "./socket-cap.ts";
import { readLatestReplies, ticketsDispatcher } from "./tickets-source.ts";

/** After a failed fill, wait this long before the next try (reads and events keep flowing). */
const FILL_RETRY_MS = 30_000;

/**
 * The reply feed: the latest {@link FEED_SIZE} replies in SQLite storage, applied idempotently from
 * `reply.created` events, pushed to live WebSockets (hibernatable: an idle feed with connected
 * clients is evicted from memory and woken by the next event) in the frames of ./live-frame.ts:
 * a snapshot of the feed first, then one frame per reply that enters it. An empty, never-filled
 * feed first fills itself from the tickets service, and a cron reconciles it with that source now
 * and then, so replies whose events never arrived (say, given up on into the dead letter queue)
 * still appear.
 *
 * @example
 * ```ts
 * const feed = env.REPLY_FEED.get(env.REPLY_FEED.idFromName("latest"));
 * await feed.applyEvent(event);
 * const replies = await feed.latestReplies();
 * ```
 */
export class ReplyFeed extends DurableObject<Env> {
  readonly #store: FeedStore;
  readonly #tickets: Dispatcher<"tickets">;
  #filling: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new FeedStore(ctx.storage);
    this.#tickets = ticketsDispatcher(env);
    // Keep-alive pings are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** The feed, oldest first. */
  async latestReplies(): Promise<FeedReply[]> {
    await this.#fillOnce();
    return this.#store.latest();
  }

  /** Applies one event and pushes its reply to live clients when it entered the feed. */
  async applyEvent(event: ReplyCreatedEvent): Promise<ApplyOutcome["outcome"]> {
    await this.#fillOnce();
    const result = this.#store.apply(event);
    if (result.outcome === "applied") this.#broadcast(result.reply);
    return result.outcome;
  }

  /**
   * One live connection, from the Worker's `liveConnectRequest` (which carries the socket cap):
   * over the cap a JSON 503 and no socket; otherwise the socket, whose first frame is the feed.
   */
  override async fetch(request: Request): Promise<Response> {
    const maxSockets = maxSocketsFrom(request);
    await this.#fillOnce();
    // From here on nothing awaits, so no other event (an applyEvent, a fill) can run until the
    // socket is accepted: a reply applied before this point is in the snapshot, one applied after
    // it finds the socket in getWebSockets() and is pushed. None is missed, none comes twice.
    if (this.ctx.getWebSockets().length >= maxSockets) return socketCapRefusal(maxSockets);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    server.send(snapshotFrame(this.#store.latest()));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Clients only listen: anything but the auto-answered "ping" is a policy violation. */
  override webSocketMessage(ws: WebSocket): void {
    closeForPolicyViolation(ws);
  }

  /** Completes the close handshake a client started (see {@link answerClose}). */
  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    answerClose(ws, code, reason);
  }

  /** Merges the tickets service's latest replies into the feed, whether or not it was ever filled. */
  async reconcile(): Promise<void> {
    await this.#fillShared();
  }

  #broadcast(reply: FeedReply): void {
    const message = replyFrame(reply);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // A socket that is closing; the runtime drops it.
      }
    }
  }

  /**
   * Fills a feed that has never been filled from the tickets service, once. A failure is logged
   * and retried on a later call, at most every 30 s (the wait is stored, so it survives hibernation).
   */
  async #fillOnce(): Promise<void> {
    if (this.#store.isFilled() || Date.now() < this.#store.fillDeferredUntil()) return;
    await this.#fillShared();
  }

  /** Concurrent callers share one fill. */
  async #fillShared(): Promise<void> {
    this.#filling ??= this.#fill().finally(() => {
      this.#filling = null;
    });
    await this.#filling;
  }

  async #fill(): Promise<void> {
    try {
      const replies = await readLatestReplies(this.#tickets, FEED_SIZE);
      // The fill may bring in the very reply whose event woke the feed (it is in the tickets
      // database already); that event then finds it present. Live clients hear of it here.
      for (const reply of this.#store.fill(replies, Date.now())) this.#broadcast(reply);
      logEvent("info", "reply_feed.filled", { replies: replies.length });
    } catch (err) {
      this.#store.deferFill(Date.now() + FILL_RETRY_MS);
      logEvent("warn", "reply_feed.fill_failed", { retryInMs: FILL_RETRY_MS, ...describeError(err) });
    }
  }
}
