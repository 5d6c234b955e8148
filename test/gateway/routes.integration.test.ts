import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { D1_BOOKMARK_HEADER } from "#shared/headers.ts";
import { BODY_LIMIT_BYTES } from "#shared/http/json-body/index.ts";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { recordingBinding } from "./recording-binding.ts";

const gateway = workerUnderTest();
const AD_ON_IOS = "55e633dcfa7864d21a226053";

describe("the tickets API through the gateway", () => {
  it("serves every tickets route under the same path", async () => {
    const created = await postJson<Ticket>(gateway, "/tickets", { title: "Via gateway" });
    expect(created.res.status).toBe(201);
    expect((await getJson<Ticket>(gateway, `/tickets/${created.body.id}`)).body).toEqual(created.body);
    const reply = await postJson<Reply>(gateway, `/tickets/${created.body.id}/replies`, { user: "A", message: "one" });
    expect(reply.res.status).toBe(201);
    const comment = await postJson<Reply>(gateway, "/tickets/addComment", { ticketId: created.body.id, user: "B", message: "two" });
    expect(comment.res.status).toBe(201);
    const latest = await getJson<Reply[]>(gateway, "/replies?limit=2");
    expect(latest.body.map((r) => r.message)).toEqual(["two", "one"]);
  });

  it("forwards GET /tickets/:id/replies, with its paging query, to the tickets service under the same path", async () => {
    const tickets = recordingBinding(() => Response.json([], { headers: { "x-next-cursor": "next-page" } }));
    const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
    const { res } = await getJson(target, `/tickets/${AD_ON_IOS}/replies?limit=2&cursor=abc`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-next-cursor")).toBe("next-page");
    expect(tickets.requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual([
      `GET /tickets/${AD_ON_IOS}/replies?limit=2&cursor=abc`,
    ]);
    // Its Allow list comes from the routes: GET and POST on the same path.
    const put = await target.fetch(`http://gateway.test/tickets/${AD_ON_IOS}/replies`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("passes the paging cursor through", async () => {
    const { res } = await getJson(gateway, "/tickets?limit=1");
    const cursor = res.headers.get("x-next-cursor");
    expect(cursor).toBeTruthy();
    const next = await getJson<Ticket[]>(gateway, `/tickets?limit=1&cursor=${cursor}`);
    expect(next.res.status).toBe(200);
    expect(next.body).toHaveLength(1);
  });

  it("returns a service's 4xx as is, without fallback", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/tickets/0123456789abcdef01234567");
    expect(res.status).toBe(404);
    expect(body.error.code).toBe("not_found");
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.1");
    expect(res.headers.get("x-fallback-from")).toBeNull();
    const invalid = await postJson<ErrorBody>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "" });
    expect(invalid.res.status).toBe(400);
    expect(invalid.body.error.message).toBe("user: must not be empty; message: required");
  });

  it("passes the request id to the service and back", async () => {
    const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
    const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
    const { res } = await getJson(target, "/tickets", { "x-request-id": "req-42" });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(tickets.requests.map((r) => r.headers.get("x-request-id"))).toEqual(["req-42"]);
  });

  it("passes the D1 bookmark back to the client and on to the service: a client reads its own write", async () => {
    const created = await postJson<Ticket>(gateway, "/tickets", { title: "Bookmarked" }, { "accept-version": "1.0.0" });
    const bookmark = created.res.headers.get(D1_BOOKMARK_HEADER);
    expect(bookmark).toMatch(/\S/);
    const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
    const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
    const read = await getJson<Ticket>(target, `/tickets/${created.body.id}`, { [D1_BOOKMARK_HEADER]: bookmark! });
    expect(read.res.status).toBe(200);
    expect(read.body.title).toBe("Bookmarked");
    expect(tickets.requests.map((r) => r.headers.get(D1_BOOKMARK_HEADER))).toEqual([bookmark]);
  });
});

describe("the gateway's own answers", () => {
  it("GET /health", async () => {
    expect((await getJson(gateway, "/health")).body).toEqual({
      service: "gateway",
      version: "1.0.0",
      deployment: { id: env.CF_VERSION_METADATA!.id, tag: env.CF_VERSION_METADATA!.tag || null, timestamp: env.CF_VERSION_METADATA!.timestamp },
    });
  });

  it("answers 400 for an Accept-Version that is not a semver range", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/tickets", { "accept-version": "latest please" });
    expect(res.status).toBe(400);
    expect(body.error.message).toBe('Accept-Version: "latest please" is not a valid semver range');
  });

  it("answers 404 no_matching_version for a range no version satisfies", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/tickets", { "accept-version": "^2.0.0" });
    expect(res.status).toBe(404);
    expect(body.error.code).toBe("no_matching_version");
    expect(body.error.details).toEqual({ service: "tickets", range: "^2.0.0", available: ["1.0.1", "1.0.0"] });
  });

  it("answers 413 for an oversized body before calling any service", async () => {
    const { res, body } = await postJson<ErrorBody>(gateway, "/tickets", { title: "x".repeat(BODY_LIMIT_BYTES) });
    expect(res.status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect(res.headers.get("x-served-by")).toBeNull();
  });

  it("answers a known path with another method with a 405, before calling any service", async () => {
    const res = await gateway.fetch("http://gateway.test/latestReplies", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("x-served-by")).toBeNull();
  });

  it("answers a JSON 404 for a route it does not serve", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/admin");
    expect(res.status).toBe(404);
    expect(body.error).toEqual({ code: "not_found", message: "no route for GET /admin" });
  });
});
