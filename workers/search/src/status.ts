import { describeError, logEvent } from "#shared/http/log.ts";
import type { ChangePage } from "./change.ts";
import type { ChangeSource } from "./change-source.ts";
import type { Checkpoint } from "./checkpoint.ts";
import type { PumpHealth } from "./pump-health.ts";

/**
 * - `caught_up`: every change of the log is in the index
 * - `catching_up`: changes are waiting (the pump is on them, or will be at its next alarm)
 * - `rebuilding`: a rebuild was asked for and the pump has not reached the log's head since
 * - `failing`: the pump's last step failed (it retries on its own, with a growing delay)
 * - `unknown`: the change log could not be read just now, so the lag is not known
 */
export type PumpState = "caught_up" | "catching_up" | "rebuilding" | "failing" | "unknown";

/** `GET /search/status`. */
export interface SearchStatus {
  /** Every change up to this seq is in the index. */
  checkpoint: number;
  /** The change log's highest seq, null when the tickets service did not answer. */
  head: number | null;
  /** Changes not yet in the index (head − checkpoint), null without the head. */
  lagChanges: number | null;
  /** Age of the oldest change not yet in the index, in seconds (0 when caught up), null without the head. */
  lagSeconds: number | null;
  /** When the pump last applied a batch, null since a rebuild until its first one. */
  lastAppliedAt: string | null;
  state: PumpState;
}

/**
 * The pump's status: its checkpoint (from the search database), the log's head and the oldest
 * change not yet applied (one `GET /changes?after=<checkpoint>&limit=1`), and the pump's own
 * health. When the tickets service cannot be reached it answers what it knows, with `head: null`.
 *
 * @example
 * ```ts
 * return c.json(await searchStatus(checkpoint, changeSource(statusDispatcher(env)), pump.health()));
 * ```
 */
export async function searchStatus(
  checkpoint: Checkpoint,
  readChanges: ChangeSource,
  pumpHealth: Promise<PumpHealth>,
  now = Date.now(),
): Promise<SearchStatus> {
  const [page, health] = await Promise.all([
    readChanges(checkpoint.seq, 1).catch((err: unknown): ChangePage | null => {
      logEvent("warn", "search.status.no_head", describeError(err));
      return null;
    }),
    pumpHealth,
  ]);
  const oldest = page?.changes[0];
  const lagChanges = page ? Math.max(0, page.head - checkpoint.seq) : null;
  return {
    checkpoint: checkpoint.seq,
    head: page?.head ?? null,
    lagChanges,
    lagSeconds: page ? (oldest ? Math.max(0, Math.round((now - oldest.at) / 100) / 10) : 0) : null,
    lastAppliedAt: checkpoint.appliedAt === null ? null : new Date(checkpoint.appliedAt).toISOString(),
    state: stateOf(checkpoint, lagChanges, health),
  };
}

function stateOf(checkpoint: Checkpoint, lagChanges: number | null, health: PumpHealth): PumpState {
  if (health.failures > 0) return "failing";
  if (lagChanges === null) return "unknown";
  if (checkpoint.rebuildRequestedAt !== null) return "rebuilding";
  return lagChanges === 0 ? "caught_up" : "catching_up";
}
