import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { postJson, workerUnderTest } from "../support/http.ts";
import { openLive } from "../support/live.ts";

// Its own file: storage is fresh per test file, so the feed here has never been filled.
it("pushes the first reply of a never-filled feed to live clients, although the fill brings it in", async () => {
  const live = await openLive(workerUnderTest());
  try {
    // Through the tickets Worker and the real queue: by the time the event wakes the feed, its
    // reply is in the tickets database, so the fill reads it and the event finds it present.
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
