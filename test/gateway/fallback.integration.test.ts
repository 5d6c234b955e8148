import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BreakerRegistry } from "#shared/dispatch/index.ts";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
const failing101 = env.TICKETS_V1_0_1_FAILING;

/** The gateway with some bindings swapped, its own breakers and a clock the test moves. */
function gatewayWith(bindings: Partial<Env>) {
  const clock = { now: 1_000_000 };
  const breakers = new BreakerRegistry({ failureThreshold: 3, cooldownMs: 10_000, now: () => clock.now });
  return { clock, breakers, gateway: appTarget(createGatewayApp({ breakers }), { ...env, ...bindings }) };
}

describe("with both tickets versions healthy", () => {
  it("the newest compatible version, 1.0.1, answers without fallback", async () => {
    const { res, body } = await getJson<Ticket[]>(workerUnderTest(), "/tickets");
    expect(res.status).toBe(200);
    expect(body).toHaveLength(3);
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.1");
    expect(res.headers.get("x-fallback-from")).toBeNull();
  });

  it("Accept-Version picks the versions that may answer", async () => {
    const exact = await getJson(workerUnderTest(), "/tickets", { "accept-version": "1.0.0" });
    expect(exact.res.headers.get("x-served-by")).toBe("tickets@1.0.0");
    const tilde = await getJson(workerUnderTest(), "/tickets", { "accept-version": "~1.0.1" });
    expect(tilde.res.headers.get("x-served-by")).toBe("tickets@1.0.1");
  });
});

describe("with tickets 1.0.1 failing every ticket query", () => {
  it("every request is answered by 1.0.0 with the fallback header", async () => {
    const { gateway } = gatewayWith({ TICKETS_V1_0_1: failing101 });
    for (const path of ["/tickets", `/tickets/${SOCIAL_AUTH}`, "/tickets", "/tickets", "/tickets"]) {
      const { res } = await getJson(gateway, path);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-served-by")).toBe("tickets@1.0.0");
      expect(res.headers.get("x-fallback-from")).toBe("tickets@1.0.1");
    }
  });

  it("the breaker opens after three failures, skips 1.0.1 during the cooldown, then tries it again", async () => {
    const { gateway, breakers, clock } = gatewayWith({ TICKETS_V1_0_1: failing101 });
    for (let n = 0; n < 3; n++) await getJson(gateway, "/tickets");
    expect(breakers.status("tickets", "1.0.1")).toMatchObject({ state: "open", counts: { calls: 3, failures: 3 } });

    await getJson(gateway, "/tickets");
    expect(breakers.status("tickets", "1.0.1").counts).toMatchObject({ calls: 3, skips: 1 });

    clock.now += 10_000;
    const { res } = await getJson(gateway, "/tickets");
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.0");
    // The half-open trial call went to 1.0.1, failed, and opened the breaker again.
    expect(breakers.status("tickets", "1.0.1")).toMatchObject({ state: "open", counts: { calls: 4, failures: 4 } });
  });

  it("GET /services shows each version's breaker state and call counts", async () => {
    const { gateway } = gatewayWith({ TICKETS_V1_0_1: failing101 });
    for (let n = 0; n < 3; n++) await getJson(gateway, "/tickets");
    const { body } = await getJson<{ services: unknown }>(gateway, "/services");
    expect(body.services).toEqual([
      {
        name: "tickets",
        versions: [
          { version: "1.0.1", state: "open", counts: { calls: 3, successes: 0, failures: 3, skips: 0 } },
          { version: "1.0.0", state: "closed", counts: { calls: 3, successes: 3, failures: 0, skips: 0 } },
        ],
      },
      {
        name: "reply-feed",
        versions: [{ version: "1.0.0", state: "closed", counts: { calls: 0, successes: 0, failures: 0, skips: 0 } }],
      },
      {
        name: "search",
        versions: [{ version: "1.0.0", state: "closed", counts: { calls: 0, successes: 0, failures: 0, skips: 0 } }],
      },
    ]);
  });
});

describe("when every version fails", () => {
  it("answers 503 no_service_available listing each attempt, with Retry-After", async () => {
    const { gateway } = gatewayWith({ TICKETS_V1_0_0: failing101, TICKETS_V1_0_1: failing101 });
    const { res, body } = await getJson<ErrorBody & { error: { details: { attempts: { version: string; outcome: string; status?: number }[] } } }>(
      gateway,
      "/tickets",
    );
    expect(res.status).toBe(503);
    expect(body.error.code).toBe("no_service_available");
    expect(body.error.details.attempts.map((a) => [a.version, a.outcome, a.status])).toEqual([
      ["1.0.1", "failed", 503],
      ["1.0.0", "failed", 503],
    ]);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("writes", () => {
  it("a write that reached a failing version is stored once after the fallback", async () => {
    const reached: string[] = [];
    // 1.0.1 applies the write, then crashes before answering: the gateway cannot tell it was applied.
    const appliesThenFails = {
      async fetch(request: Request) {
        reached.push(request.headers.get("idempotency-key") ?? "no key");
        await env.TICKETS_V1_0_1.fetch(request);
        return new Response("upstream crashed", { status: 502 });
      },
    } as unknown as Fetcher;
    const { gateway } = gatewayWith({ TICKETS_V1_0_1: appliesThenFails });
    const { res, body } = await postJson<Reply>(gateway, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "exactly once" });

    expect(res.status).toBe(201);
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.0");
    expect(res.headers.get("x-fallback-from")).toBe("tickets@1.0.1");
    expect(reached).toHaveLength(1);
    expect(res.headers.get("idempotency-key")).toBe(reached[0]);
    const { body: ticket } = await getJson<Ticket>(env.TICKETS_V1_0_0, `/tickets/${SOCIAL_AUTH}`);
    expect(ticket.replies.filter((r) => r.message === "exactly once")).toEqual([body]);
  });

  it("answers a 503 on a write with the key it went out under, so a retry cannot write twice", async () => {
    // Every version applies the write, then crashes before answering.
    const appliesThenFails = (binding: Fetcher) =>
      ({
        async fetch(request: Request) {
          await binding.fetch(request);
          return new Response("upstream crashed", { status: 502 });
        },
      }) as unknown as Fetcher;
    const { gateway } = gatewayWith({
      TICKETS_V1_0_0: appliesThenFails(env.TICKETS_V1_0_0),
      TICKETS_V1_0_1: appliesThenFails(env.TICKETS_V1_0_1),
    });
    const input = { user: "Ana", message: "answered 503, stored once" };
    const failed = await postJson<ErrorBody>(gateway, `/tickets/${SOCIAL_AUTH}/replies`, input);
    expect(failed.res.status).toBe(503);
    const key = failed.res.headers.get("idempotency-key");
    expect(key).toMatch(/^[0-9a-f-]{36}$/);

    const retry = await postJson<Reply>(workerUnderTest(), `/tickets/${SOCIAL_AUTH}/replies`, input, { "idempotency-key": key! });
    expect(retry.res.status).toBe(201);
    expect(retry.res.headers.get("idempotent-replayed")).toBe("true");
    const { body: ticket } = await getJson<Ticket>(env.TICKETS_V1_0_0, `/tickets/${SOCIAL_AUTH}`);
    expect(ticket.replies.filter((r) => r.message === input.message)).toEqual([retry.body]);
  });

  it("keeps the client's own Idempotency-Key", async () => {
    const headers = { "idempotency-key": "client-key-1" };
    const first = await postJson<Ticket>(workerUnderTest(), "/tickets", { title: "Once" }, headers);
    const again = await postJson<Ticket>(workerUnderTest(), "/tickets", { title: "Once" }, headers);
    expect(first.res.headers.get("idempotency-key")).toBe("client-key-1");
    expect(again.body.id).toBe(first.body.id);
  });
});
