import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES, webhookPayload } from "#shared/webhooks/payload.ts";
import { replyEvent } from "./fixtures.ts";

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;
const withMessage = (message: string) => {
  const event = replyEvent();
  return { ...event, data: { ...event.data, message } };
};

describe("a delivery's body", () => {
  it("is the event itself when it fits in 20 KB", () => {
    const event = withMessage("x".repeat(10_000));
    expect(webhookPayload(event)).toBe(JSON.stringify(event));
  });

  // 10,000 characters is the longest reply message the tickets API takes.
  it.each([
    ["control characters (6 bytes each in JSON)", "\u0001".repeat(10_000)],
    ["CJK (3 bytes each in UTF-8)", "漢".repeat(10_000)],
    ["emoji (surrogate pairs, 4 bytes each)", "😀".repeat(5_000)],
  ])("cuts a message of %s to fit, says so, and keeps the rest of the event", (_, message) => {
    const event = withMessage(message);
    const body = webhookPayload(event);
    expect(bytes(body)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const parsed = JSON.parse(body) as typeof event & { data: { messageTruncated?: boolean } };
    expect(parsed.data.messageTruncated).toBe(true);
    expect(message.startsWith(parsed.data.message)).toBe(true);
    // As long as fits: one more character would not.
    expect(bytes(JSON.stringify({ ...parsed, data: { ...parsed.data, message: message.slice(0, parsed.data.message.length + 2) } }))).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(parsed.data.message).not.toMatch(/[\ud800-\udbff]$/);
    expect({ ...parsed, data: { ...parsed.data, message: event.data.message, messageTruncated: undefined } }).toEqual({
      ...event,
      data: { ...event.data, messageTruncated: undefined },
    });
  });
});
