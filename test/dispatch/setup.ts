import {
  BreakerRegistry,
  createDispatcher,
  createRegistry,
  isNoServiceAvailableError,
  type Caller,
  type DispatcherOptions,
  type NoServiceAvailableError,
} from "#shared/dispatch/index.ts";
import { collectingLogger, fakeClock } from "./fakes.ts";

export const COOLDOWN_MS = 10_000;

/** A dispatcher over one service `tickets` with the given versions, a fake clock and a collecting logger. */
export function setupTickets(versions: Record<string, Caller>, options: Partial<DispatcherOptions<"tickets">> = {}) {
  const clock = fakeClock();
  const logger = collectingLogger();
  const breakers = new BreakerRegistry({ failureThreshold: 3, cooldownMs: COOLDOWN_MS, now: clock.now });
  const registry = createRegistry({ tickets: versions });
  const dispatcher = createDispatcher({ registry, breakers, now: clock.now, log: logger.log, ...options });
  return { clock, logger, breakers, dispatcher };
}

/** The NoServiceAvailableError `promise` rejects with (fails the test on anything else). */
export async function noServiceError(promise: Promise<unknown>): Promise<NoServiceAvailableError> {
  const err = await promise.then(
    () => new Error("expected NoServiceAvailableError, got a result"),
    (e: unknown) => e,
  );
  if (!isNoServiceAvailableError(err)) throw err;
  return err;
}
