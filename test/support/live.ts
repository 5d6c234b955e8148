import { expect } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import type { FetchTarget } from "./http.ts";

/** A connected `GET /replies/live` WebSocket and every reply it has received so far. */
export interface LiveFeed {
  received: FeedReply[];
  close(): void;
}

/**
 * Opens the live reply WebSocket on `target` (the reply feed or the gateway) and collects what
 * arrives.
 *
 * @example
 * ```ts
 * const live = await openLive(workerUnderTest());
 * try { await vi.waitFor(() => expect(live.received).toHaveLength(1)); } finally { live.close(); }
 * ```
 */
export async function openLive(target: FetchTarget): Promise<LiveFeed & { response: Response }> {
  const response = await target.fetch("http://service.test/replies/live", { headers: { upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const ws = response.webSocket!;
  ws.accept();
  const received: FeedReply[] = [];
  ws.addEventListener("message", (event) => {
    received.push(JSON.parse(event.data as string) as FeedReply);
  });
  return { response, received, close: () => ws.close(1000, "test done") };
}
