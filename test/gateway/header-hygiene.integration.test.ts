import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, type ErrorBody } from "../support/http.ts";
import { recordingBinding } from "./recording-binding.ts";

const AD_ON_IOS = "55e633dcfa7864d21a226053";

/** The gateway with tickets 1.0.1 recorded (and answering as itself, or with `answer`). */
function gatewayRecordingTickets(answer: (request: Request) => Response | Promise<Response> = (r) => env.TICKETS_V1_0_1.fetch(r)) {
  const tickets = recordingBinding(answer);
  return { tickets, gateway: appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding }) };
}

const headerNames = (headers: Headers) => [...headers.keys()].sort();

describe("what reaches a service: only the request headers it reads", () => {
  it("a read keeps content-type, accept, accept-version, x-d1-bookmark and the request id, and loses the rest", async () => {
    const { tickets, gateway } = gatewayRecordingTickets();
    await getJson(gateway, "/tickets", {
      accept: "application/json",
      "accept-version": "~1.0.1",
      "x-d1-bookmark": "00000001-00000002-00004e2d-0000000000000000000000000000000000000000000000000000000000000000",
      cookie: "session=secret",
      authorization: "Bearer secret",
      "x-forwarded-for": "10.0.0.1",
      "cf-connecting-ip": "203.0.113.9",
      "x-internal-debug": "1",
      upgrade: "websocket",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    });
    const [request] = tickets.requests;
    expect(headerNames(request!.headers)).toEqual(["accept", "accept-version", "x-d1-bookmark", "x-request-id"]);
  });

  it("a write keeps its content-type and Idempotency-Key", async () => {
    const { tickets, gateway } = gatewayRecordingTickets();
    const { res } = await postJson(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "headers" }, {
      "idempotency-key": "hygiene-1",
      cookie: "session=secret",
      "x-custom": "dropped",
    });
    expect(res.status).toBe(201);
    const [request] = tickets.requests;
    expect(headerNames(request!.headers)).toEqual(["content-type", "idempotency-key", "x-request-id"]);
    expect(request!.headers.get("idempotency-key")).toBe("hygiene-1");
  });
});

describe("what reaches a client: only the response headers it should see", () => {
  it("drops a service's other headers and keeps the API's", async () => {
    const { gateway } = gatewayRecordingTickets(() =>
      Response.json([], {
        headers: {
          "x-next-cursor": "c2",
          "x-d1-bookmark": "b1",
          "set-cookie": "tracking=1",
          server: "tickets-internal/1.0.1",
          "x-internal-trace": "db=primary;host=10.1.2.3",
        },
      }),
    );
    const { res } = await getJson(gateway, "/tickets", { "x-request-id": "hygiene-2" });
    expect(headerNames(res.headers)).toEqual(["content-type", "x-d1-bookmark", "x-next-cursor", "x-request-id", "x-served-by"]);
    expect(res.headers.get("x-request-id")).toBe("hygiene-2");
  });

  it("keeps Allow on a service's 405, Retry-After on its answers, and the replay marker", async () => {
    const { gateway } = gatewayRecordingTickets(() =>
      Response.json({ error: { code: "method_not_allowed", message: "no" } }, { status: 405, headers: { allow: "GET, HEAD", "retry-after": "3", "idempotent-replayed": "true", via: "internal" } }),
    );
    const { res } = await getJson<ErrorBody>(gateway, "/tickets");
    expect(res.status).toBe(405);
    expect(headerNames(res.headers)).toEqual(["allow", "content-type", "idempotent-replayed", "retry-after", "x-request-id", "x-served-by"]);
  });
});

describe("the request id", () => {
  it("takes a short, plain id from the client, and replaces any other with one of its own", async () => {
    for (const given of ["req 42", "x".repeat(129), "a/b", "<script>", "k\x1b[31m"]) {
      const { tickets, gateway } = gatewayRecordingTickets();
      const { res } = await getJson(gateway, "/tickets", { "x-request-id": given });
      const id = res.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(tickets.requests[0]?.headers.get("x-request-id")).toBe(id);
    }
  });
});
