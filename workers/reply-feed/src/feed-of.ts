
/** The name of the one feed instance: every event and every reader goes to the same object. */
export const FEED_NAME = "latest";

/**
 * The stub of the feed's Durable Object. The location hint matters only the first time the
 * object is created anywhere (it stays where it was created); later calls pass it harmlessly.
 *
 * @example
 * ```ts
 * const replies = await feedOf(env).latestReplies();
 * ```
 */
export function feedOf(env: Env) {
  const locationHint = locationHintOf(env.FEED_LOCATION_HINT);
  return env.REPLY_FEED.get(env.REPLY_FEED.idFromName(FEED_NAME), locationHint ? { locationHint } : undefined);
}

/** The regions Durable Objects accept as a location hint. */
const LOCATION_HINTS: readonly DurableObjectLocationHint[] = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"];

/** `FEED_LOCATION_HINT` checked: empty means none; a misspelt region is a configuration mistake, said as such. */
function locationHintOf(value: string | undefined): DurableObjectLocationHint | undefined {
  if (value === undefined || value === "") return undefined;
  const hint = LOCATION_HINTS.find((known) => known === value);
  if (!hint) throw new Error(`FEED_LOCATION_HINT must be one of ${LOCATION_HINTS.join(", ")} or empty, got "${value}"`);
  return hint;
}
