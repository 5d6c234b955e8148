import { Hono, type Context } from "hono";
import { ApiError } from "#shared/http/api-error.ts";
import { readJson } from "#shared/http/json-body/index.ts";
import { validate } from "#shared/http/validate.ts";
import { checkWebhookUrl, parseAllowedHosts } from "#shared/webhooks/url-guard.ts";
import { generateWebhookSecret } from "#shared/webhooks/secret.ts";
import type { TicketsAppEnv } from "../env.ts";
import { createId } from "../ids.ts";
import { writeOnce } from "../idempotency/index.ts";
import { pageAnswer, pageQuery } from "../routes/page.ts";
import { idSchema } from "../schemas.ts";
import type { Database } from "../store/database.ts";
import { deliveryLog } from "./delivery-log.ts";
import { retryDelivery } from "./retry.ts";
import { deliveryIdSchema, deliveryLogQuerySchema, newSubscriptionSchema, unsubscribeSchema } from "./schemas.ts";
import {
  deleteSubscription,
  deleteSubscriptionsTo,
  enableSubscription,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  PREVIOUS_SECRET_TTL_MS,
  rotateSecret,
  subscriptionLimitReached,
  subscriptionNotFound,
  type CreatedSubscription,
  type Subscription,
} from "./store.ts";

/** `:id` of a subscription route: a well-formed id, or a 400 that says so. */
const subscriptionIdParam = (c: Context<TicketsAppEnv>) => validate(idSchema, c.req.param("id"), "id");

/** Answers the subscription `read` finds (or changes) for the route's `:id`, or its 404. */
async function answerSubscription(c: Context<TicketsAppEnv>, read: (db: Database, id: string) => Promise<Subscription | null>): Promise<Response> {
  const id = subscriptionIdParam(c);
  const subscription = await read(c.var.db, id);
  if (!subscription) throw subscriptionNotFound(id);
  return c.json(subscription);
}

/**
 * Creates a subscription: the one write behind `POST /subscriptions` and the original's
 * `POST /tickets/subscribeToComments`. 201 with its secret, the one time it is shown (an
 * Idempotency-Key's stored answer repeats it for 24 h, in the same database as the secret itself).
 * 409 past the cap; the cap and the insert are one statement.
 */
async function createSubscription(c: Context<TicketsAppEnv>): Promise<Response> {
  const input = await readJson(c, newSubscriptionSchema(parseAllowedHosts(c.env.WEBHOOK_ALLOWED_HOSTS)));
  const now = new Date();
  const subscription: CreatedSubscription = {
    id: createId(now),
    url: input.url,
    description: input.description ?? null,
    status: "active",
    secret: generateWebhookSecret(),
    createdAt: now.toISOString(),
  };
  return writeOnce(c, { status: 201, body: subscription }, [insertSubscription(c.var.db, subscription)], {
    appliedIf: { table: "webhook_subscriptions", id: subscription.id, refusal: subscriptionLimitReached },
  });
}

/**
 * The webhook subscription API: `/subscriptions` (create, list, read, delete, rotate its secret,
 * re-enable, its delivery log and a delivery's retry) and the original's
 * `POST /tickets/subscribeToComments` and `POST /tickets/unsubscribeToComments`. Both tickets
 * versions serve it on the shared database. Authentication is the gateway's (a bearer token):
 * this service is reachable over service bindings only.
 */
export function subscriptionRoutes() {
  return new Hono<TicketsAppEnv>()
    .post("/subscriptions", createSubscription)
    .post("/tickets/subscribeToComments", createSubscription)
    .post("/tickets/unsubscribeToComments", async (c) => {
      const { url } = await readJson(c, unsubscribeSchema);
      // Stored URLs are the guard's normalized form; the URL as given matches one stored before.
      const verdict = checkWebhookUrl(url, parseAllowedHosts(c.env.WEBHOOK_ALLOWED_HOSTS));
      const removed = await deleteSubscriptionsTo(c.var.db, verdict.ok ? [url, verdict.url] : [url]);
      if (removed === 0) throw new ApiError(404, "not_found", "no subscription to that url");
      return c.body(null, 204);
    })
    .get("/subscriptions", async (c) => {
      const { limit, after } = pageQuery(c.req.query());
      const page = await listSubscriptions(c.var.db, limit, after);
      return pageAnswer(c, page.subscriptions, page.next);
    })
    .get("/subscriptions/:id", (c) => answerSubscription(c, findSubscription))
    .delete("/subscriptions/:id", async (c) => {
      const id = subscriptionIdParam(c);
      if (!(await deleteSubscription(c.var.db, id))) throw subscriptionNotFound(id);
      return c.body(null, 204);
    })
    .post("/subscriptions/:id/rotate-secret", async (c) => {
      const id = subscriptionIdParam(c);
      const secret = generateWebhookSecret();
      const previousExpiresAt = Date.now() + PREVIOUS_SECRET_TTL_MS;
      const body = { id, secret, previousSecretExpiresAt: new Date(previousExpiresAt).toISOString() };
      // Keyed like a creation: a rotation repeated by a fallback must not rotate out the secret it just answered.
      return writeOnce(c, { status: 200, body }, [rotateSecret(c.var.db, id, secret, previousExpiresAt)], {
        appliedIf: { table: "webhook_subscriptions", id, refusal: () => subscriptionNotFound(id) },
      });
    })
    // Enabling twice is enabling once: no key needed.
    .post("/subscriptions/:id/enable", (c) => answerSubscription(c, enableSubscription))
    .get("/subscriptions/:id/deliveries", async (c) => {
      const id = subscriptionIdParam(c);
      const { limit } = validate(deliveryLogQuerySchema, c.req.query(), "query");
      const log = await deliveryLog(c.var.db, id, limit);
      if (!log) throw subscriptionNotFound(id);
      return c.json(log);
    })
    .post("/subscriptions/:id/deliveries/:deliveryId/retry", async (c) => {
      // A repeat finds the delivery pending with the same next attempt and sends that message
      // again, a duplicate the webhooks Worker's claim drops: no key needed.
      const id = subscriptionIdParam(c);
      const deliveryId = validate(deliveryIdSchema, c.req.param("deliveryId"), "deliveryId");
      const message = await retryDelivery(c.var.db, c.env.WEBHOOK_DELIVERIES, id, deliveryId, Date.now());
      return c.json(message, 202);
    });
}
