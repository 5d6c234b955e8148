import { describe, expect, it } from "vitest";
import type { ChangeSource } from "../../workers/search/src/change-source.ts";
import type { Checkpoint } from "../../workers/search/src/checkpoint.ts";
import { retryDelayMs } from "../../workers/search/src/pump-schedule.ts";
import { searchStatus } from "../../workers/search/src/status.ts";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const checkpoint = (overrides: Partial<Checkpoint> = {}): Checkpoint => ({ seq: 10, appliedAt: NOW - 5_000, rebuildRequestedAt: null, ...overrides });
const healthy = Promise.resolve({ failures: 0, lastError: null, nextRunAt: NOW });
const log = (head: number, oldestAt?: number): ChangeSource => async (after) => ({
  changes: oldestAt === undefined ? [] : [{ seq: after + 1, entity: "reply", op: "delete", id: "r", ticketId: "t", data: null, at: oldestAt }],
  head,
});

describe("searchStatus", () => {
  it("caught up", async () => {
    expect(await searchStatus(checkpoint(), log(10), healthy, NOW)).toEqual({
      checkpoint: 10, head: 10, lagChanges: 0, lagSeconds: 0, lastAppliedAt: "2026-11-28T11:59:55.000Z", state: "caught_up",
    });
  });

  it("catching up: the lag in changes and the age of the oldest change not applied", async () => {
    expect(await searchStatus(checkpoint(), log(14, NOW - 2_345), healthy, NOW)).toMatchObject({ head: 14, lagChanges: 4, lagSeconds: 2.3, state: "catching_up" });
  });

  it("rebuilding until the pump has caught up after a rebuild", async () => {
    const rebuilding = checkpoint({ seq: 0, appliedAt: null, rebuildRequestedAt: NOW - 1_000 });
    expect(await searchStatus(rebuilding, log(14, NOW - 1_000), healthy, NOW)).toMatchObject({ lastAppliedAt: null, state: "rebuilding" });
  });

  it("failing while the pump's last step failed, whatever the lag", async () => {
    const failing = Promise.resolve({ failures: 2, lastError: "D1 down", nextRunAt: NOW + 2_000 });
    expect(await searchStatus(checkpoint(), log(10), failing, NOW)).toMatchObject({ state: "failing" });
  });

  it("unknown, with what it knows, when the log cannot be read", async () => {
    const unreachable: ChangeSource = () => Promise.reject(new Error("no service available"));
    expect(await searchStatus(checkpoint(), unreachable, healthy, NOW)).toEqual({
      checkpoint: 10, head: null, lagChanges: null, lagSeconds: null, lastAppliedAt: "2026-11-28T11:59:55.000Z", state: "unknown",
    });
  });
});

describe("retryDelayMs", () => {
  it("doubles from 1 s per failure in a row, capped at a minute", () => {
    expect([1, 2, 3, 6, 7, 50].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 32_000, 60_000, 60_000]);
  });
});
