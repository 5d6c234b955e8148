import { createRegistry, type Registry } from "./dispatch/index.ts";

/** The tickets versions a reader of the tickets service accepts: any 1.x from 1.0.0 on, newest first. */
export const TICKETS_RANGE = "^1.0.0";

/** The service bindings of a Worker that reads the tickets service, one per deployed version. */
export interface TicketsBindings {
  TICKETS_V1_0_0: Fetcher;
  TICKETS_V1_0_1: Fetcher;
}

/**
 * The dispatch registry of the tickets versions bound in `env`: what a Worker hands to
 * `createDispatcher` to call `tickets` in {@link TICKETS_RANGE}. Keep it in step with the
 * `[[services]]` of that Worker's wrangler.toml.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher({ registry: ticketsRegistry(env), attemptTimeoutMs: 500 });
 * const { response } = await dispatcher.dispatch("tickets", TICKETS_RANGE, new Request("https://tickets.internal/changes"));
 * ```
 */
export const ticketsRegistry = (env: TicketsBindings): Registry<"tickets"> =>
  createRegistry({ tickets: { "1.0.0": env.TICKETS_V1_0_0, "1.0.1": env.TICKETS_V1_0_1 } });
