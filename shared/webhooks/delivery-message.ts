/**
 * A message on the webhook-deliveries Queue: "make attempt `attempt` of delivery `deliveryId`".
 * The delivery's state is its D1 row; a message only wakes it up, so a duplicate (a re-sent
 * message, a manual retry racing a scheduled one) finds the attempt made and is dropped.
 */
export interface DeliveryMessage {
  deliveryId: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * The message, or null when `body` is not one (a malformed message is acked and logged).
 *
 * @example
 * ```ts
 * const wake = parseDeliveryMessage(message.body); // { deliveryId: "…", attempt: 2 }
 * ```
 */
export function parseDeliveryMessage(body: unknown): DeliveryMessage | null {
  if (typeof body !== "object" || body === null) return null;
  const { deliveryId, attempt } = body as Record<string, unknown>;
  if (typeof deliveryId !== "string" || deliveryId.length === 0 || deliveryId.length > 64) return null;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1 || attempt > 1000) return null;
  return { deliveryId, attempt };
}
