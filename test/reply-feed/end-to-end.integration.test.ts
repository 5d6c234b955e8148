import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { postJson, workerUnderTest } from "../support/http.ts";
import { openLive } from "../support/live.ts";
import { latestReplies } from "./events.ts";

const AD_ON_IOS = "55e633dcfa7864d21a226053";
// Locally a reply reaches the feed in milliseconds; the generous limits only keep a slow machine green.
const DELIVERY = { timeout: 10_000, interval: 50 };

describe("a reply added on either tickets version reaches the feed through the real Queue", { timeout: 15_000 }, () => {
  it("lands in GET /latestReplies with its ticket's title", async () => {
    // The first read fills the feed from tickets: replies added after it can only come as events.
    await latestReplies();
    const viaV100 = await postJson<Reply>(env.TICKETS_V1_0_0, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "via 1.0.0" });
    const viaV101 = await postJson<Reply>(env.TICKETS_V1_0_1, "/tickets/addComment", { ticketId: AD_ON_IOS, user: "Bo", message: "via 1.0.1" });
    expect([viaV100.res.status, viaV101.res.status]).toEqual([201, 201]);
    await vi.waitFor(async () => {
      const feed = await latestReplies();
      expect(feed.slice(-2)).toEqual([viaV100.body, viaV101.body].map((reply) => ({ ...reply, title: "AD on iOS" })));
    }, DELIVERY);
  });

  it("is pushed to a live WebSocket", async () => {
    const live = await openLive(workerUnderTest());
    try {
      const { body: reply } = await postJson<Reply>(env.TICKETS_V1_0_0, `/tickets/${AD_ON_IOS}/replies`, { user: "Cy", message: "live" });
      await vi.waitFor(() => expect(live.received).toEqual([{ ...reply, title: "AD on iOS" }]), DELIVERY);
    } finally {
      live.close();
    }
  });
});
