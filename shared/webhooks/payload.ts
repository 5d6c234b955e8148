import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";

/** The largest delivery body: receivers and their proxies often refuse bigger ones. */
export const MAX_PAYLOAD_BYTES = 20_000;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/** `event` with its message cut to `length` UTF-16 units (never half a surrogate pair) and marked. */
function shortened(event: ReplyCreatedEvent, length: number): string {
  let end = length;
  const last = event.data.message.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return JSON.stringify({ ...event, data: { ...event.data, message: event.data.message.slice(0, end), messageTruncated: true } });
}

/**
 * The body of every delivery of `event`: the event as the reply feed gets it, at most 20 KB. A
 * reply message may be 10,000 characters, which JSON and UTF-8 can make 30-60 KB; such a message
 * is cut to fit and `data.messageTruncated: true` says so (the whole reply is one
 * `GET /tickets/:id/replies` away). Every other field is short by the tickets API's limits.
 *
 * @example
 * ```ts
 * const body = webhookPayload(event); // '{"id":"…","type":"reply.created",…}'
 * ```
 */
export function webhookPayload(event: ReplyCreatedEvent): string {
  const whole = JSON.stringify(event);
  if (byteLength(whole) <= MAX_PAYLOAD_BYTES) return whole;
  // The longest message that fits: a binary search over its length (17 encodings at most).
  let fits = 0;
  let tooLong = event.data.message.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (byteLength(shortened(event, middle)) <= MAX_PAYLOAD_BYTES) fits = middle;
    else tooLong = middle;
  }
  return shortened(event, fits);
}
