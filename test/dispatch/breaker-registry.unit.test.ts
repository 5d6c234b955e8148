import { describe, expect, it } from "vitest";
import { BreakerRegistry } from "#shared/dispatch/index.ts";
import { fakeClock } from "./fakes.ts";

describe("BreakerRegistry", () => {
  it("gives every caller the same breaker per service@version, separate per version", () => {
    const registry = new BreakerRegistry({ failureThreshold: 1 });
    registry.get("tickets", "1.0.1").recordFailure();
    expect(registry.get("tickets", "1.0.1").state).toBe("open");
    expect(registry.get("tickets", "1.0.0").state).toBe("closed");
    expect(registry.status("tickets", "1.0.1")).toEqual({
      state: "open",
      counts: { calls: 0, successes: 0, failures: 1, skips: 0 },
    });
  });

  it("reports state changes with the service and version, until disposed", () => {
    const clock = fakeClock();
    const registry = new BreakerRegistry({ failureThreshold: 1, now: clock.now });
    const seen: unknown[] = [];
    const dispose = registry.onStateChange((change) => seen.push(change));
    registry.get("tickets", "1.0.1").recordFailure();
    dispose();
    registry.get("tickets", "1.0.0").recordFailure();
    expect(seen).toEqual([
      { key: "tickets@1.0.1", service: "tickets", version: "1.0.1", from: "closed", to: "open", at: clock.now() },
    ]);
  });

  it("restores every breaker from toJSON, including ones not touched since", () => {
    const clock = fakeClock();
    const first = new BreakerRegistry({ failureThreshold: 1, now: clock.now });
    first.get("tickets", "1.0.1").recordFailure();
    first.get("tickets", "1.0.0").recordSuccess();
    const saved = JSON.parse(JSON.stringify(first));
    const second = new BreakerRegistry({ failureThreshold: 1, now: clock.now, initial: saved });
    expect(second.toJSON()).toEqual(first.toJSON());
    expect(second.get("tickets", "1.0.1").state).toBe("open");
    expect(second.get("tickets", "1.0.0").counts.successes).toBe(1);
  });
});
