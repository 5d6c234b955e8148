import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { generateWebhookSecret } from "#shared/webhooks/secret.ts";
import { deliver, pendingDelivery, received, receiverUrl, signedHeaders } from "./fixtures.ts";

// Every signature is checked with the independent standardwebhooks package, never with our code.
describe("delivery signatures", () => {
  it("signs every delivery so standardwebhooks verifies it, with the event id as webhook-id and the event as body", async () => {
    const { deliveryId, event, subscription } = await pendingDelivery({ url: receiverUrl("/ok") });
    await deliver([{ deliveryId, attempt: 1 }]);
    const [request, ...more] = await received(event.id);
    expect(more).toEqual([]);
    expect(request!.path).toBe("/ok");
    expect(request!.content_type).toBe("application/json");
    expect(request!.webhook_id).toBe(event.id);
    expect(Math.abs(Number(request!.webhook_timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.webhook_signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(subscription.secret).verify(request!.body, signedHeaders(request!))).toEqual(event);
    // Another secret does not verify it.
    expect(() => new Webhook(generateWebhookSecret()).verify(request!.body, signedHeaders(request!))).toThrow();
  });

  it("keeps webhook-id on a retry, signed afresh", async () => {
    const { deliveryId, event, subscription } = await pendingDelivery({ url: receiverUrl("/flaky") });
    await deliver([{ deliveryId, attempt: 1 }]);
    await deliver([{ deliveryId, attempt: 2 }]);
    const requests = await received(event.id);
    expect(requests.map((request) => request.webhook_id)).toEqual([event.id, event.id]);
    for (const request of requests) new Webhook(subscription.secret).verify(request.body, signedHeaders(request));
  });

  it("signs with both secrets during a rotation, so either secret alone verifies", async () => {
    const previousSecret = generateWebhookSecret();
    const { deliveryId, event, subscription } = await pendingDelivery({
      url: receiverUrl("/ok"),
      previousSecret,
      previousSecretExpiresAt: Date.now() + 24 * 3_600_000,
    });
    await deliver([{ deliveryId, attempt: 1 }]);
    const [request] = await received(event.id);
    const signatures = request!.webhook_signature!.split(" ");
    expect(signatures).toHaveLength(2);
    for (const secret of [subscription.secret, previousSecret]) {
      expect(new Webhook(secret).verify(request!.body, signedHeaders(request!))).toEqual(event);
    }
    // Each signature on its own belongs to one secret: the new one first, then the old one.
    const only = (signature: string) => ({ ...signedHeaders(request!), "webhook-signature": signature });
    expect(() => new Webhook(subscription.secret).verify(request!.body, only(signatures[0]!))).not.toThrow();
    expect(() => new Webhook(previousSecret).verify(request!.body, only(signatures[1]!))).not.toThrow();
    expect(() => new Webhook(previousSecret).verify(request!.body, only(signatures[0]!))).toThrow();
  });

  it("drops the previous secret once its grace period is over", async () => {
    const previousSecret = generateWebhookSecret();
    const { deliveryId, event, subscription } = await pendingDelivery({
      url: receiverUrl("/ok"),
      previousSecret,
      previousSecretExpiresAt: Date.now() - 1,
    });
    await deliver([{ deliveryId, attempt: 1 }]);
    const [request] = await received(event.id);
    expect(request!.webhook_signature!.split(" ")).toHaveLength(1);
    expect(new Webhook(subscription.secret).verify(request!.body, signedHeaders(request!))).toEqual(event);
    expect(() => new Webhook(previousSecret).verify(request!.body, signedHeaders(request!))).toThrow();
  });
});
