import { DurableObject } from "cloudflare:workers";
import { changeSource, pumpDispatcher } from "./change-source.ts";
import { runPumpAlarm } from "./pump-alarm.ts";
import { storedHealth, type PumpHealth } from "./pump-health.ts";
import { takePoke } from "./pump-poke.ts";
import { POKE_COALESCE_MS } from "./pump-schedule.ts";
import { pumpStep } from "./pump-step.ts";

/**
 * The data pump: one instance (named "pump") moves the tickets change log into the search index.
 *
 * Why an alarm loop in a Durable Object, not a Workflow: the pump is a loop that never ends, not
 * a job that finishes; it must have one writer, which a single named object is; it is woken by
 * pokes after writes, each at most one `setAlarm` here, where a Workflow would need an instance
 * per wake-up or a long-lived one waiting on events; and it needs no per-step persistence,
 * because its state, the checkpoint, lives in the search database and commits with each batch.
 * Durable steps would store what D1 already holds. An alarm is itself durable: set, it fires
 * even after an eviction or a deploy, and each turn sets the next one.
 *
 * @example
 * ```ts
 * const { stepInMs } = await pumpOf(env).poke(); // after a write: the pump catches up within moments
 * ```
 */
export class SearchPump extends DurableObject<Env> {
  // One per object, as its breakers: they learn across the steps of a catch-up.
  readonly #readChanges = changeSource(pumpDispatcher(this.env));

  /**
   * Wakes the pump {@link POKE_COALESCE_MS} from now, unless a step is due sooner: what the
   * gateway calls after a write. Answers how long until a step that reads the change log after
   * then (the next one, or when that is close, the one after it); pump-poke.ts says why that holds.
   */
  async poke(): Promise<{ stepInMs: number }> {
    return takePoke(this.ctx.storage, Date.now());
  }

  /**
   * The pump's failures in a row, its last error and its next step. A loop that is not scheduled
   * at all (a fresh deployment nothing has written to, so nothing has poked) is started: a look
   * at the status is enough to get the pump going.
   */
  async health(): Promise<PumpHealth> {
    const stored = await storedHealth(this.ctx.storage);
    let nextRunAt = await this.ctx.storage.getAlarm();
    if (nextRunAt === null) {
      nextRunAt = Date.now();
      await this.ctx.storage.setAlarm(nextRunAt);
    }
    return { ...stored, nextRunAt };
  }

  override async alarm(): Promise<void> {
    await runPumpAlarm(this.ctx.storage, () => pumpStep({ db: this.env.SEARCH_DB, readChanges: this.#readChanges }));
  }
}
