import { describe, expect, it } from "vitest";
import { localCrons } from "../../scripts/lib/local-crons.mjs";

describe("the cron triggers npm start fires", () => {
  it("are every service's own, from its wrangler config, each reached through the gateway's binding to it", () => {
    expect(localCrons()).toEqual([
      { binding: "TICKETS_V1_0_0", worker: "tickets-1-0-0", cron: "* * * * *" },
      { binding: "TICKETS_V1_0_1", worker: "tickets-1-0-1", cron: "* * * * *" },
      { binding: "REPLY_FEED_V1_0_0", worker: "reply-feed-1-0-0", cron: "*/5 * * * *" },
    ]);
  });
});
