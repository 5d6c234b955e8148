import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { postJson, workerUnderTest } from "../support/http.ts";

// Its own file: storage is fresh per test file, so the feed here has never been filled.
it("pushes the first reply of a never-filled feed to live clients, although the fill brings it in", async () => {
  const res = await workerUnderTest().fetch("http://service.test/replies/live", { headers: { upgrade: "websocket" } });
  const ws = res.webSocket!;
  ws.accept();
  const received: FeedReply[] = [];
  ws.addEventListener("message", (event) => received.push(JSON.parse(event.data as string) as FeedReply));
  try {
    // Through the tickets Worker and the real queue: by the time the event wakes the feed, its
    // reply is in the tickets database, so the fill reads it and the event finds it present.
    const { body: reply } = await postJson<Reply>(env.TICKETS_V1_0_0, "/tickets/55e633dcfa7864d21a226053/replies", {
      user: "Kim",
      message: "the very first",
    });
    await vi.waitFor(() => expect(received.map((r) => r.id)).toContain(reply.id), { timeout: 10_000, interval: 50 });
    expect(received.filter((r) => r.id === reply.id)).toHaveLength(1);
  } finally {
    ws.close(1000, "test done");
  }
}, 15_000);
