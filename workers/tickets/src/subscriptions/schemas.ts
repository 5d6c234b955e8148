import { z } from "zod";
import { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from "#shared/webhooks/url-guard.ts";
import { pageSizeSchema } from "#shared/http/page-size.ts";
import { optionalText, requiredText } from "../schemas.ts";

/** The longest description a subscription may carry, in characters. */
export const MAX_DESCRIPTION_LENGTH = 200;

/** How many attempts `GET /subscriptions/:id/deliveries` lists by default, and at most. */
export const DEFAULT_DELIVERY_LOG_SIZE = 50;
export const MAX_DELIVERY_LOG_SIZE = 100;

/**
 * A webhook URL as the SSRF guard (#shared/webhooks/url-guard.ts) accepts it, normalized; a
 * refused one is a 400 that names the guard's reason under `url`.
 */
const webhookUrl = (allowedHosts: readonly string[]) =>
  requiredText(MAX_WEBHOOK_URL_LENGTH).transform((input, ctx) => {
    const verdict = checkWebhookUrl(input, allowedHosts);
    if (verdict.ok) return verdict.url;
    ctx.addIssue({ code: "custom", message: verdict.reason });
    return z.NEVER;
  });

/**
 * The body of `POST /subscriptions` (and the original's `POST /tickets/subscribeToComments`):
 * `url`, checked against the SSRF guard with `allowedHosts` (WEBHOOK_ALLOWED_HOSTS), and an
 * optional `description`.
 *
 * @example
 * ```ts
 * const input = await readJson(c, newSubscriptionSchema(parseAllowedHosts(c.env.WEBHOOK_ALLOWED_HOSTS)));
 * ```
 */
export const newSubscriptionSchema = (allowedHosts: readonly string[]) =>
  z.strictObject({ url: webhookUrl(allowedHosts), description: optionalText(MAX_DESCRIPTION_LENGTH) });

/**
 * The body of the original's `POST /tickets/unsubscribeToComments`: the URL as subscribed. Not
 * checked by the guard: a URL it refuses today (WEBHOOK_ALLOWED_HOSTS changed) can still be removed.
 */
export const unsubscribeSchema = z.strictObject({ url: requiredText(MAX_WEBHOOK_URL_LENGTH) });

/** A delivery's id, as the webhooks Worker makes it (at most 64 characters, as a DeliveryMessage allows). */
export const deliveryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _");

/** `GET /subscriptions/:id/deliveries?limit=`. */
export const deliveryLogQuerySchema = z.object({ limit: pageSizeSchema(DEFAULT_DELIVERY_LOG_SIZE, MAX_DELIVERY_LOG_SIZE) });
