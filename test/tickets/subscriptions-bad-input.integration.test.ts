import { afterEach, describe, expect, it } from "vitest";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { call } from "./subscription-client.ts";
import { clearWebhooks, HOOK, rowCount, UNKNOWN } from "./webhook-rows.ts";

// The subscription API's answers to bad input, route by route: each a 4xx in the one error
// envelope, naming what is wrong, and nothing stored.

const v100 = workerUnderTest();

afterEach(clearWebhooks);

describe("bad input gets a 4xx JSON error", () => {
  it.each([
    ["no url", { description: "x" }, [{ path: "url", message: "required" }]],
    ["a url that is not a string", { url: 42 }, [{ path: "url", message: "must be a string" }]],
    ["an unknown field", { url: HOOK, secret: "mine" }, [{ path: "secret", message: "unknown field" }]],
    ["plain http", { url: "http://hooks.example.com/x" }, [{ path: "url", message: "The URL must use https (it uses http)." }]],
    ["a private address", { url: "https://10.0.0.1/hook" }, [{ path: "url", message: expect.stringMatching(/10\.0\.0\.1/) }]],
    ["localhost", { url: "https://localhost/hook" }, [{ path: "url", message: expect.stringMatching(/localhost/) }]],
    ["credentials", { url: "https://user:pw@hooks.example.com/" }, [{ path: "url", message: "The URL must not contain a username or password." }]],
  ])("POST /subscriptions with %s: 400 naming the reason", async (_what, body, details) => {
    for (const path of ["/subscriptions", "/tickets/subscribeToComments"]) {
      const { res, body: answer } = await postJson<ErrorBody>(v100, path, body);
      expect(res.status).toBe(400);
      expect(answer.error).toEqual({ code: "invalid_request", message: expect.stringMatching(/^url: |^secret: /), details });
    }
    expect(await rowCount("webhook_subscriptions")).toBe(0);
  });

  it.each([
    ["POST", "/subscriptions"],
    ["POST", "/tickets/subscribeToComments"],
    ["POST", "/tickets/unsubscribeToComments"],
  ])("%s %s: malformed JSON is a 400, another content type a 415", async (method, path) => {
    const malformed = await call<ErrorBody>(v100, method, path, "{nope");
    expect(malformed.res.status).toBe(400);
    expect(malformed.body.error).toEqual({ code: "invalid_request", message: "body is not valid JSON" });
    const text = await v100.fetch(`http://service.test${path}`, { method, headers: { "content-type": "text/plain" }, body: HOOK });
    expect(text.status).toBe(415);
    expect(((await text.json()) as ErrorBody).error.code).toBe("unsupported_media_type");
  });

  it.each([
    ["GET", "/subscriptions/nope"],
    ["DELETE", "/subscriptions/nope"],
    ["POST", "/subscriptions/nope/rotate-secret"],
    ["POST", "/subscriptions/nope/enable"],
    ["GET", "/subscriptions/nope/deliveries"],
    ["POST", "/subscriptions/nope/deliveries/d1/retry"],
  ])("%s %s: a malformed id is a 400", async (method, path) => {
    const { res, body } = await call<ErrorBody>(v100, method, path);
    expect(res.status).toBe(400);
    expect(body.error).toEqual({ code: "invalid_request", message: "id: must be 24 hexadecimal digits", details: [{ path: "id", message: "must be 24 hexadecimal digits" }] });
  });

  it.each([
    ["GET", `/subscriptions/${UNKNOWN}`],
    ["DELETE", `/subscriptions/${UNKNOWN}`],
    ["POST", `/subscriptions/${UNKNOWN}/rotate-secret`],
    ["POST", `/subscriptions/${UNKNOWN}/enable`],
    ["GET", `/subscriptions/${UNKNOWN}/deliveries`],
  ])("%s %s: an unknown id is a 404", async (method, path) => {
    const { res, body } = await call<ErrorBody>(v100, method, path);
    expect(res.status).toBe(404);
    expect(body.error).toEqual({ code: "not_found", message: `subscription ${UNKNOWN} not found` });
  });

  it.each([
    ["/subscriptions?cursor=garbage", "cursor: not a cursor returned by this API"],
    ["/subscriptions?limit=0", "query: must be a whole number from 1 to 100"],
    ["/subscriptions?limit=101", "query: must be a whole number from 1 to 100"],
  ])("GET %s: 400", async (path, message) => {
    const { res, body } = await getJson<ErrorBody>(v100, path);
    expect(res.status).toBe(400);
    expect(body.error.message.replace(/^limit: /, "query: ")).toBe(message);
  });

  it("PUT /subscriptions/:id is a 405 naming the methods there are", async () => {
    const { res } = await call(v100, "PUT", `/subscriptions/${UNKNOWN}`, { url: HOOK });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD");
  });
});
