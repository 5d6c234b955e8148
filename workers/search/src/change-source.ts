import { createDispatcher, BreakerRegistry, type Dispatcher } from "#shared/dispatch/index.ts";
import { D1_BOOKMARK_HEADER } from "#shared/headers.ts";
import { TICKETS_RANGE, ticketsRegistry, type TicketsBindings } from "#shared/tickets-versions.ts";
import { changePageSchema, type ChangePage } from "./change.ts";

/** Reads the change log: the changes after `after`, at most `limit`, ascending, and the head. */
export type ChangeSource = (after: number, limit: number) => Promise<ChangePage>;

/**
 * A dispatcher over the tickets versions, for the pump: each batch may wait a little longer than a
 * request would, and the breakers live as long as the pump's object, so while 1.0.1 is failing a
 * catch-up of many batches skips it instead of failing over on each one.
 *
 * @example
 * ```ts
 * const source = changeSource(pumpDispatcher(env));
 * ```
 */
export const pumpDispatcher = (env: TicketsBindings): Dispatcher<"tickets"> =>
  createDispatcher({ registry: ticketsRegistry(env), breakers: new BreakerRegistry(), attemptTimeoutMs: 2_000, deadlineMs: 5_000 });

/**
 * A dispatcher for `GET /search/status`: it answers a person, so it fails over fast and gives up
 * well within the gateway's 2 s per attempt, answering what it knows without the head.
 *
 * @example
 * ```ts
 * const page = await changeSource(statusDispatcher(c.env))(checkpoint.seq, 1);
 * ```
 */
export const statusDispatcher = (env: TicketsBindings): Dispatcher<"tickets"> =>
  createDispatcher({ registry: ticketsRegistry(env), attemptTimeoutMs: 500, deadlineMs: 1_200 });

/**
 * The tickets service's change log (`GET /changes?after=&limit=`, never its database), called
 * through shared/dispatch: when the newest version fails, an older one answers. Throws when no
 * version answers with a valid page, or when the page is not the changes after `after` in
 * ascending order (applying it would skip or repeat a change).
 *
 * @example
 * ```ts
 * const { changes, head } = await changeSource(dispatcher)(checkpoint.seq, 200);
 * ```
 */
export const changeSource =
  (dispatcher: Dispatcher<"tickets">): ChangeSource =>
  async (after, limit) => {
    // From the primary: a lagging read replica would show a poke nothing new, and the pump would
    // wait for its safety alarm (the tickets D1 session takes "first-primary" as a bookmark).
    const request = new Request(`https://tickets.internal/changes?after=${after}&limit=${limit}`, {
      headers: { [D1_BOOKMARK_HEADER]: "first-primary" },
    });
    const { response, version } = await dispatcher.dispatch("tickets", TICKETS_RANGE, request);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`tickets ${version} answered GET /changes with ${response.status}`);
    }
    const parsed = changePageSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`tickets ${version} answered GET /changes with an unexpected body: ${parsed.error.message}`);
    let previous = after;
    for (const change of parsed.data.changes) {
      if (change.seq <= previous) throw new Error(`tickets ${version} answered GET /changes?after=${after} out of order (seq ${change.seq} after ${previous})`);
      previous = change.seq;
    }
    if (parsed.data.changes.length > limit) throw new Error(`tickets ${version} answered more than ${limit} changes`);
    return parsed.data;
  };
