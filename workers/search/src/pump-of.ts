/** The name of the one pump instance: every poke and every step goes to the same object. */
export const PUMP_NAME = "pump";

/**
 * The stub of the pump's Durable Object.
 *
 * @example
 * ```ts
 * await pumpOf(env).poke();
 * ```
 */
export const pumpOf = (env: Env) => env.SEARCH_PUMP.get(env.SEARCH_PUMP.idFromName(PUMP_NAME));
