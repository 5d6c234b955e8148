import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "#shared/queues/retry-delay.ts";
import { at, deliver, feedIds, replyEvent } from "./events.ts";

/** The env with a feed whose every call fails, the way an unreachable Durable Object does. */
const unavailableFeed: Env = {
  ...env,
  REPLY_FEED: {
    idFromName: (name: string) => env.REPLY_FEED.idFromName(name),
    get: () => ({
      applyEvent: async () => {
        throw new Error("Durable Object reset because its code was updated");
      },
    }),
  } as unknown as Env["REPLY_FEED"],
};

/**
 * The env with a feed whose stub breaks for good at its first failure, as a Durable Object stub
 * does; a stub got afterwards works. Counts the stubs handed out.
 */
function feedThatResetsOnce() {
  let stubs = 0;
  const feedEnv: Env = {
    ...env,
    REPLY_FEED: {
      idFromName: (name: string) => env.REPLY_FEED.idFromName(name),
      get: (id: DurableObjectId) => {
        if (++stubs > 1) return env.REPLY_FEED.get(id);
        return {
          applyEvent: async () => {
            throw new Error("Durable Object reset because its code was updated");
          },
        };
      },
    } as unknown as Env["REPLY_FEED"],
  };
  return { feedEnv, stubs: () => stubs };
}

describe("the reply-events consumer", () => {
  it("applies a valid event and acks it", async () => {
    const { batch, result } = await deliver([replyEvent("c-applied", at(1))]);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(result.retryMessages).toEqual([]);
    expect(await feedIds()).toContain("c-applied");
  });

  it("acks malformed messages without applying them, and still applies the valid one beside them", async () => {
    const poison = [
      "not an event",
      { ...replyEvent("c-wrong-type", at(2)), type: "reply.deleted" },
      { ...replyEvent("c-no-title", at(3)), data: { ...replyEvent("c-no-title", at(3)).data, title: "" } },
      { ...replyEvent("c-bad-time", at(4)), data: { ...replyEvent("c-bad-time", at(4)).data, createdAt: "yesterday" } },
    ];
    const { batch, result } = await deliver([...poison, replyEvent("c-valid", at(5))]);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((message) => message.id).sort());
    expect(result.retryMessages).toEqual([]);
    const ids = await feedIds();
    expect(ids).toContain("c-valid");
    for (const id of ["c-wrong-type", "c-no-title", "c-bad-time"]) expect(ids).not.toContain(id);
  });

  it("retries a message the feed failed to apply, with a delay that grows with its attempts", async () => {
    const delays: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3]) {
      const { batch, result, retryDelays } = await deliver([replyEvent("c-transient", at(6))], { attempts, env: unavailableFeed });
      const { id } = batch.messages[0]!;
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((retry: { msgId: string }) => retry.msgId)).toEqual([id]);
      delays.push(retryDelays[id]);
    }
    expect(delays).toEqual([5, 10, 20]);
    expect(await feedIds()).not.toContain("c-transient");
    // The next delivery, with the feed back, applies it.
    await deliver([replyEvent("c-transient", at(6))], { attempts: 4 });
    expect(await feedIds()).toContain("c-transient");
  });

  it("after a failure, takes a fresh stub for the rest of the batch instead of failing it all", async () => {
    const { feedEnv, stubs } = feedThatResetsOnce();
    const { batch, result } = await deliver([replyEvent("c-reset-1", at(9)), replyEvent("c-reset-2", at(10)), replyEvent("c-reset-3", at(11))], {
      env: feedEnv,
    });
    const [first, second, third] = batch.messages.map((message) => message.id);
    expect(result.retryMessages.map((retry: { msgId: string }) => retry.msgId)).toEqual([first]);
    expect(result.explicitAcks.sort()).toEqual([second, third].sort());
    expect(stubs()).toBe(2);
    const ids = await feedIds();
    expect(ids).toEqual(expect.arrayContaining(["c-reset-2", "c-reset-3"]));
  });

  it("the same event delivered twice makes one entry", async () => {
    const event = replyEvent("c-twice", at(7));
    const first = await deliver([event]);
    const second = await deliver([event]);
    expect(second.result.explicitAcks).toEqual([second.batch.messages[0]!.id]);
    expect(first.result.explicitAcks).toHaveLength(1);
    expect((await feedIds()).filter((id) => id === "c-twice")).toEqual(["c-twice"]);
  });

  it("twice in one batch, too", async () => {
    const event = replyEvent("c-twice-in-batch", at(8));
    await deliver([event, event]);
    expect((await feedIds()).filter((id) => id === "c-twice-in-batch")).toHaveLength(1);
  });
});

describe("retryDelaySeconds", () => {
  it("doubles from 5 s and stops at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
  });
});
