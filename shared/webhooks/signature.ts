import { secretKeyBytes } from "./secret.ts";

/** What one delivery request signs: the event id, the send time and the exact body bytes. */
export interface SignedContent {
  /** The event id: `webhook-id`, the same on every retry so receivers dedupe on it. */
  id: string;
  /** Unix seconds: `webhook-timestamp`, so receivers can refuse replays of old requests. */
  timestamp: number;
  /** The request body, exactly as sent. */
  body: string;
}

const encoder = new TextEncoder();

/**
 * The `webhook-signature` value (Standard Webhooks): `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
 * for each secret, space-separated. Two secrets sign during a rotation, so a receiver holding
 * either the old or the new secret verifies the request.
 *
 * @example
 * ```ts
 * const signature = await signWebhook([subscription.secret], { id: event.id, timestamp: 1767225600, body });
 * // "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
 * ```
 */
export async function signWebhook(secrets: readonly string[], content: SignedContent): Promise<string> {
  const signed = encoder.encode(`${content.id}.${content.timestamp}.${content.body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
      return `v1,${btoa(String.fromCharCode(...mac))}`;
    }),
  );
  return signatures.join(" ");
}

/**
 * The headers of one delivery request: content type, `webhook-id`, `webhook-timestamp` and the
 * signatures of every secret given.
 *
 * @example
 * ```ts
 * const headers = await webhookHeaders(secrets, { id: event.id, timestamp: Math.floor(Date.now() / 1000), body });
 * await fetch(url, { method: "POST", headers, body });
 * ```
 */
export async function webhookHeaders(secrets: readonly string[], content: SignedContent): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "webhook-id": content.id,
    "webhook-timestamp": String(content.timestamp),
    "webhook-signature": await signWebhook(secrets, content),
  };
}
