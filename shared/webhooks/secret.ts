/** A signing secret's prefix, as the Standard Webhooks libraries expect it. */
export const SECRET_PREFIX = "whsec_";

/** Random bytes in a new secret: 32, within the 24-64 Standard Webhooks asks for. */
const SECRET_BYTES = 32;

/**
 * A new signing secret: `whsec_` and the base64 of 32 random bytes.
 *
 * @example
 * ```ts
 * generateWebhookSecret(); // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw..."
 * ```
 */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return SECRET_PREFIX + btoa(String.fromCharCode(...bytes));
}

/**
 * The key bytes of a `whsec_` secret, the HMAC key that signs with it.
 *
 * @example
 * ```ts
 * const key = secretKeyBytes(subscription.secret);
 * ```
 */
export function secretKeyBytes(secret: string): Uint8Array {
  const base64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
