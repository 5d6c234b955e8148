import { expect, it, vi } from "vitest";
import { workerUnderTest } from "../support/http.ts";
import { openLive, type LiveFeed } from "../support/live.ts";
import { at, deliver, feedIds, replyEvent } from "./events.ts";

const REPLIES = 30;
const CONNECTS_PER_REPLY = 2;

// Replies are applied one after another, each newer than the last (so each enters the feed and
// is pushed), and clients connect while each is applied. What a client sees, snapshot then
// pushes, must be one unbroken run of the feed's history: a reply applied between the snapshot's
// read and the socket's accept would leave a gap; one both in the snapshot and pushed, a repeat.
it("loses no reply applied while clients connect, and repeats none", async () => {
  const history = await feedIds(); // filled from tickets: the seed's replies
  const clients: LiveFeed[] = [];
  try {
    for (let n = 0; n < REPLIES; n++) {
      const id = `s-${String(n).padStart(2, "0")}`;
      history.push(id);
      // Even rounds start the apply first, odd ones let the connects go ahead by a tick: the
      // feed sees both orders, each time with a connect close behind or ahead of the apply.
      const delivering = n % 2 === 0 ? deliver([replyEvent(id, at(n + 1))]) : null;
      const connecting = Array.from({ length: CONNECTS_PER_REPLY }, () => openLive(workerUnderTest()));
      if (!delivering) await new Promise((resolve) => setTimeout(resolve, 0));
      await (delivering ?? deliver([replyEvent(id, at(n + 1))]));
      clients.push(...(await Promise.all(connecting)));
    }
    for (const live of clients) {
      const from = history.indexOf(live.snapshot[0]!.id);
      await vi.waitFor(() => expect([...live.snapshot, ...live.received].map((reply) => reply.id)).toEqual(history.slice(from)), { timeout: 5_000 });
      // The snapshot is the whole feed of its moment: the latest 10 up to its newest reply.
      expect(live.snapshot).toHaveLength(Math.min(10, history.indexOf(live.snapshot.at(-1)!.id) + 1));
    }
    // Clients must have connected on either side of an apply, or this proved nothing.
    const beforeTheirReply = clients.filter((live, n) => live.snapshot.at(-1)!.id !== history.at(-REPLIES + Math.floor(n / CONNECTS_PER_REPLY)));
    expect(beforeTheirReply.length).toBeGreaterThan(0);
    expect(beforeTheirReply.length).toBeLessThan(clients.length);
  } finally {
    for (const live of clients) live.close();
  }
}, 30_000);
