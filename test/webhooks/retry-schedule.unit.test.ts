import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, MAX_DELAY_SECONDS, nextAttemptDelaySeconds, parseRetryAfter } from "#shared/webhooks/retry-schedule.ts";

const exact = { jitter: 0, random: () => 0.5 };
const NOW = Date.UTC(2030, 0, 1);

describe("the retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h before attempts 2 to 8, and none after 8", () => {
    const delays = Array.from({ length: MAX_ATTEMPTS }, (_, n) => nextAttemptDelaySeconds(n + 1, exact));
    expect(delays).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, null]);
    expect(nextAttemptDelaySeconds(9, exact)).toBeNull();
  });

  it("moves each delay by up to the jitter share either way, from the random source", () => {
    expect(nextAttemptDelaySeconds(3, { jitter: 0.1, random: () => 0 })).toBe(1_620);
    expect(nextAttemptDelaySeconds(3, { jitter: 0.1, random: () => 0.5 })).toBe(1_800);
    expect(nextAttemptDelaySeconds(3, { jitter: 0.1, random: () => 0.75 })).toBe(1_890);
    expect(nextAttemptDelaySeconds(3, { jitter: 0.1, random: () => 0.999999 })).toBe(1_980);
    // An out-of-range setting is clamped to 0..1.
    expect(nextAttemptDelaySeconds(1, { jitter: 5, random: () => 0 })).toBe(0);
  });

  it("waits no less than a Retry-After asks, capped at the Queue's 12 hours", () => {
    expect(nextAttemptDelaySeconds(1, { ...exact, retryAfterSeconds: 120 })).toBe(120);
    // Sooner than the schedule: the schedule wins.
    expect(nextAttemptDelaySeconds(3, { ...exact, retryAfterSeconds: 60 })).toBe(1_800);
    expect(nextAttemptDelaySeconds(1, { ...exact, retryAfterSeconds: 1_000_000 })).toBe(MAX_DELAY_SECONDS);
    expect(MAX_DELAY_SECONDS).toBe(43_200);
    // Jitter never pushes the longest step past the cap either.
    expect(nextAttemptDelaySeconds(7, { jitter: 1, random: () => 0.999999 })).toBe(MAX_DELAY_SECONDS);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 90_500).toUTCString(), NOW)).toBe(90);
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});
