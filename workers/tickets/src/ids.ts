/**
 * Ids of 24 hex digits, like the original's Mongo ObjectIds: 12 digits of epoch
 * milliseconds, then 12 random digits. Ids made by one isolate in the same millisecond
 * count up from the previous one (as ULIDs do), so ordering by id follows creation order.
 */
let lastMs = -1;
let lastRandom = 0n;
const RANDOM_SPACE = 1n << 48n;

function randomPart(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/** A new id for `now`. */
export function createId(now: Date = new Date()): string {
  const ms = now.getTime();
  if (ms === lastMs) {
    lastRandom = (lastRandom + 1n) % RANDOM_SPACE;
  } else {
    lastMs = ms;
    lastRandom = randomPart();
  }
  return ms.toString(16).padStart(12, "0") + lastRandom.toString(16).padStart(12, "0");
}

/** What every ticket and reply id looks like. */
export const ID_PATTERN = /^[0-9a-f]{24}$/;
