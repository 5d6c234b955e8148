import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, workerUnderTest } from "../support/http.ts";
import { openLive } from "../support/live.ts";

// Its own file: storage is fresh per test file, so the feed here has never been filled.
it("gives the first client of a never-filled feed the tickets service's latest replies as its snapshot, then each new reply once", async () => {
  const { body: inTickets } = await getJson<FeedReply[]>(env.TICKETS_V1_0_0, "/replies?limit=10");
  expect(inTickets.length).toBeGreaterThan(0);
  // Connecting fills the feed before its snapshot is read, so the snapshot is never an empty
  // feed's: the same list GET /latestReplies would have answered.
  const live = await openLive(workerUnderTest());
  try {
    expect(live.snapshot).toEqual(inTickets.toReversed());
    // Through the tickets Worker and the real queue: the event finds the feed filled, and applies it.
    const { body: reply } = await postJson<Reply>(env.TICKETS_V1_0_0, "/tickets/55e633dcfa7864d21a226053/replies", {
      user: "Kim",
      message: "the very first",
    });
    await vi.waitFor(() => expect(live.received.map((r) => r.id)).toContain(reply.id), { timeout: 10_000, interval: 50 });
    expect(live.received.filter((r) => r.id === reply.id)).toHaveLength(1);
  } finally {
    live.close();
  }
}, 15_000);
