import { describe, expect, it } from "vitest";
import { answering, fakeService, hangingUntilAborted } from "./fakes.ts";
import { noServiceError, setupTickets } from "./setup.ts";

const BODY = JSON.stringify({ title: "Printer on fire", body: "Third floor." });

const write = (method: string, headers: Record<string, string> = {}) =>
  new Request("https://gateway.test/tickets", {
    method,
    headers: { "content-type": "application/json", "x-request-id": "req-w", ...headers },
    body: BODY,
  });

describe("non-idempotent requests", () => {
  it("POST without Idempotency-Key: a 5xx is final, exactly one call is made", async () => {
    const failing = fakeService(answering(500));
    const older = fakeService(answering(201));
    const { dispatcher } = setupTickets({ "1.0.0": older, "1.0.1": failing });

    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", write("POST")));

    expect(failing.calls + older.calls).toBe(1);
    expect(error.stopReason).toBe("not_retry_safe");
    expect(error.attempts).toHaveLength(1);
  });

  it("PATCH without Idempotency-Key: a timeout is final too (the write may have landed)", async () => {
    const older = fakeService(answering(200));
    const { dispatcher } = setupTickets(
      { "1.0.0": older, "1.0.1": fakeService(hangingUntilAborted) },
      { attemptTimeoutMs: 20 },
    );
    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", write("PATCH")));
    expect(error.attempts.map((a) => a.outcome)).toEqual(["timeout"]);
    expect(older.calls).toBe(0);
  });

  it("POST without Idempotency-Key still moves past a version its breaker skips (it was never sent)", async () => {
    const older = fakeService(answering(201));
    const { dispatcher, breakers } = setupTickets({ "1.0.0": older, "1.0.1": fakeService(answering(500)) });
    for (let i = 0; i < 3; i += 1) breakers.get("tickets", "1.0.1").recordFailure();

    const result = await dispatcher.dispatch("tickets", "^1.0.0", write("POST"));

    expect(result.version).toBe("1.0.0");
    expect(result.response.status).toBe(201);
    expect(result.attempts[0]?.outcome).toBe("skipped");
  });

  it("POST with Idempotency-Key falls back; the same key, body and headers reach the second version", async () => {
    const failing = fakeService(answering(503));
    const older = fakeService(answering(201));
    const { dispatcher } = setupTickets({ "1.0.0": older, "1.0.1": failing });

    const result = await dispatcher.dispatch("tickets", "^1.0.0", write("POST", { "Idempotency-Key": "key-123" }));

    expect(result.version).toBe("1.0.0");
    expect(result.fallbackFrom).toBe("1.0.1");
    const [first, second] = [failing.received[0], older.received[0]];
    for (const seen of [first, second]) {
      expect(seen?.method).toBe("POST");
      expect(seen?.url).toBe("https://gateway.test/tickets");
      expect(seen?.body).toBe(BODY);
      expect(seen?.headers.get("idempotency-key")).toBe("key-123");
      expect(seen?.headers.get("content-type")).toBe("application/json");
      expect(seen?.headers.get("x-request-id")).toBe("req-w");
    }
  });

  it("PUT and DELETE are idempotent by definition and fall back without a key", async () => {
    for (const method of ["PUT", "DELETE"]) {
      const older = fakeService(answering(200));
      const { dispatcher } = setupTickets({ "1.0.0": older, "1.0.1": fakeService(answering(500)) });
      const result = await dispatcher.dispatch("tickets", "^1.0.0", write(method));
      expect(result.version).toBe("1.0.0");
      expect(older.received[0]?.body).toBe(BODY);
    }
  });
});
