// Marking outbox rows sent, coalesced: every row this isolate sent within a few milliseconds of
// the first goes into one UPDATE. D1 runs one write at a time, and marking each reply's row on its
// own doubled the write transactions per reply; under load this makes it one per window instead.
import { markSent } from "./store.ts";

/** How long the first sent row waits for others to share its UPDATE. */
export const MARK_SENT_WINDOW_MS = 20;
/** An UPDATE marks at most this many rows; one more starts the next. */
const MAX_ROWS_PER_UPDATE = 100;

/** One pending UPDATE: the rows it will mark, and its outcome. */
interface PendingUpdate {
  ids: string[];
  done: Promise<void>;
}

let pending: PendingUpdate | null = null;

/**
 * Marks `eventId`'s row sent together with every other row sent in this isolate within
 * {@link MARK_SENT_WINDOW_MS}; resolves once the UPDATE holding it has run (rejects if it failed).
 * A row whose UPDATE never runs (the isolate is gone) stays unsent, and the cron's re-drive sends
 * its event again: consumers drop the repeat by its id, as for any unmarked row.
 *
 * @example
 * ```ts
 * await markSentSoon(env.DB, event.id);
 * ```
 */
export function markSentSoon(db: D1Database, eventId: string): Promise<void> {
  if (pending === null || pending.ids.length >= MAX_ROWS_PER_UPDATE) {
    const update: PendingUpdate = { ids: [], done: Promise.resolve() };
    update.done = new Promise<void>((resolve) => setTimeout(resolve, MARK_SENT_WINDOW_MS)).then(() => {
      if (pending === update) pending = null;
      return markSent(db, update.ids, Date.now());
    });
    pending = update;
  }
  pending.ids.push(eventId);
  return pending.done;
}
