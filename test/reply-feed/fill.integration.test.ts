import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../workers/reply-feed/src/index.ts";
import { readLatestReplies, ticketsDispatcher } from "../../workers/reply-feed/src/tickets-source.ts";
import { workerUnderTest } from "../support/http.ts";
import { openLive } from "../support/live.ts";
import { at, feedIds, latestReplies } from "./events.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

/** Replies that reach the tickets database without an event: they were there before the feed. */
async function repliesWithoutEvents(minutes: number[]): Promise<string[]> {
  const ids = minutes.map((minute) => `0000000000000000000${String(minute).padStart(5, "0")}`);
  await env.DB.batch(
    ids.map((id, n) =>
      env.DB.prepare("INSERT INTO replies (id, ticket_id, user, message, created_at) VALUES (?1, ?2, 'Bo', 'before the feed', ?3)")
        .bind(id, SOCIAL_AUTH, at(minutes[n]!)),
    ),
  );
  return ids;
}

/** The ids of the latest 10 replies in the tickets database, newest first. */
const latestInDatabase = async () =>
  (await env.DB.prepare("SELECT id FROM replies ORDER BY created_at DESC, id DESC LIMIT 10").all<{ id: string }>()).results.map((row) => row.id);

/** The feed's own dispatcher, with the given 1.0.1 bound, recording which version served. */
function dispatcherWith(v101: Fetcher) {
  const dispatcher = ticketsDispatcher({ ...env, TICKETS_V1_0_1: v101 });
  const served: string[] = [];
  dispatcher.onSuccess((event) => served.push(event.version));
  return { dispatcher, served };
}

describe("an empty feed", () => {
  it("fills itself from the tickets service's latest 10 replies on first use", async () => {
    const ids = await repliesWithoutEvents(Array.from({ length: 11 }, (_, n) => n + 1));
    const replies = await latestReplies();
    expect(replies.map((reply) => reply.id)).toEqual(ids.slice(1));
    expect(replies[0]).toEqual({ id: ids[1], ticketId: SOCIAL_AUTH, title: "Social Authentication", user: "Bo", message: "before the feed", createdAt: at(2) });
  });

  it("fills only once: later replies come from events, not from re-reading tickets", async () => {
    const before = await feedIds();
    await repliesWithoutEvents([50]);
    expect(await feedIds()).toEqual(before);
  });
});

describe("the reconciling cron", () => {
  it("brings in a reply whose event never arrived, and pushes it to live clients", async () => {
    await latestReplies(); // filled
    const live = await openLive(workerUnderTest());
    try {
      const [lost] = await repliesWithoutEvents([90]);
      expect(await feedIds()).not.toContain(lost);
      await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);
      expect((await feedIds()).at(-1)).toBe(lost);
      await vi.waitFor(() => expect(live.received.map((reply) => reply.id)).toContain(lost), { timeout: 5_000 });
    } finally {
      live.close();
    }
  });
});

describe("reading the latest replies through shared/dispatch", () => {
  it.each([
    ["at FAILURE_RATE 1 (which fails ticket queries, not GET /replies): 1.0.1 serves", "TICKETS_V1_0_1_FAILING", "1.0.1"],
    ["answering every request with a 503: 1.0.0 serves after a fallback", "TICKETS_V1_0_1_DOWN", "1.0.0"],
  ] as const)("with tickets 1.0.1 %s", async (_case, binding, servedBy) => {
    const { dispatcher, served } = dispatcherWith(env[binding]);
    const replies = await readLatestReplies(dispatcher, 10);
    expect(replies).toHaveLength(10);
    expect(replies.map((reply) => reply.id)).toEqual(await latestInDatabase());
    expect(served).toEqual([servedBy]);
  });

  it("throws when no version answers", async () => {
    const dispatcher = ticketsDispatcher({ ...env, TICKETS_V1_0_0: env.TICKETS_V1_0_1_DOWN, TICKETS_V1_0_1: env.TICKETS_V1_0_1_DOWN });
    await expect(readLatestReplies(dispatcher, 10)).rejects.toThrow(/no version of tickets/);
  });
});
