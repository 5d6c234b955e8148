import { logEvent } from "#shared/http/log.ts";
import { batchStatements, isCheckpointMoved } from "./apply-batch.ts";
import { planBatch } from "./batch-plan.ts";
import type { ChangeSource } from "./change-source.ts";
import { endEmptyRebuild, readCheckpoint } from "./checkpoint.ts";

/** Changes read and applied per batch (and per D1 transaction). */
export const PUMP_BATCH_SIZE = 200;

/** What the pump needs for one step: the index's database and the change log. */
export interface PumpDeps {
  db: D1Database;
  readChanges: ChangeSource;
  batchSize?: number;
  now?: () => number;
}

/**
 * The outcome of one step: `more` (a batch applied, the log goes on: step again at once),
 * `caught-up` (nothing left), or `stale` (the checkpoint moved while the batch was read: it was
 * dropped whole, step again at once).
 */
export type PumpStepResult =
  | { outcome: "more" | "caught-up"; checkpoint: number; head: number; applied: number }
  | { outcome: "stale"; checkpoint: number; head: number; applied: 0 };

/**
 * One step of the data pump: read the checkpoint, read the changes after it, and apply them
 * together with the new checkpoint in one guarded D1 batch. A crash anywhere before the batch
 * commits leaves index and checkpoint as they were (the changes are read again); after, both
 * have moved. So no change is skipped or applied twice. Throws when the log cannot be read or
 * the batch fails (nothing applied either way).
 *
 * @example
 * ```ts
 * const { outcome } = await pumpStep({ db: env.SEARCH_DB, readChanges: changeSource(dispatcher) });
 * ```
 */
export async function pumpStep({ db, readChanges, batchSize = PUMP_BATCH_SIZE, now = Date.now }: PumpDeps): Promise<PumpStepResult> {
  const started = now();
  const checkpoint = await readCheckpoint(db);
  const { changes, head } = await readChanges(checkpoint.seq, batchSize);
  const last = changes.at(-1);
  if (!last) {
    if (checkpoint.rebuildRequestedAt !== null) await endEmptyRebuild(db, checkpoint.seq);
    return { outcome: "caught-up", checkpoint: checkpoint.seq, head, applied: 0 };
  }
  const caughtUp = last.seq >= head;
  const batch = { after: checkpoint.seq, through: last.seq, plan: planBatch(changes), caughtUp, now: now() };
  try {
    await db.batch(batchStatements(db, batch));
  } catch (err) {
    if (!isCheckpointMoved(err)) throw err;
    logEvent("info", "search.pump.stale_batch", { after: checkpoint.seq, through: last.seq });
    return { outcome: "stale", checkpoint: checkpoint.seq, head, applied: 0 };
  }
  logEvent("info", "search.pump.batch", {
    after: checkpoint.seq,
    through: last.seq,
    changes: changes.length,
    head,
    lagChanges: Math.max(0, head - last.seq),
    durationMs: now() - started,
  });
  return { outcome: caughtUp ? "caught-up" : "more", checkpoint: last.seq, head, applied: changes.length };
}
